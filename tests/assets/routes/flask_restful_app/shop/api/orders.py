from flask import Blueprint
from flask_restful import Api, Resource

orders_bp = Blueprint("orders", __name__, url_prefix="/api")
api = Api(orders_bp, prefix="/v1")


class OrderList(Resource):
    def get(self):
        return []

    def post(self):
        return {}, 201


class Order(Resource):
    def get(self, order_id):
        return {}

    def delete(self, order_id):
        return "", 204


api.add_resource(OrderList, "/orders", "/orders/")
api.add_resource(Order, "/orders/<int:order_id>", endpoint="order")
