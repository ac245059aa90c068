from flask import Blueprint
from flask.views import MethodView

api_bp = Blueprint("api", __name__, url_prefix="/api")
v2 = Blueprint("v2", __name__, url_prefix="/v2")


class ItemAPI(MethodView):
    def get(self):
        return "items"

    def post(self):
        return "created"


class ItemDetail(MethodView):
    def get(self, id):
        return "item"

    def delete(self, id):
        return "deleted"


api_bp.add_url_rule("/items", view_func=ItemAPI.as_view("items"))
api_bp.add_url_rule("/items/<int:id>", view_func=ItemDetail.as_view("item"), methods=["GET"])


@v2.route("/ping")
def ping():
    return "pong"


api_bp.register_blueprint(v2)
