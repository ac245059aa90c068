from flask import Blueprint

bp = Blueprint("shop", __name__, url_prefix="/shop")


@bp.route("/")
def home():
    return "shop"


@bp.route("/items/<int:item_id>", endpoint="item")
def item(item_id):
    return str(item_id)


class LegacyHandler:
    """A class given straight to add_url_rule, as Indico's blueprints do with their RH classes."""

    def __call__(self, item_id):
        return str(item_id)


bp.add_url_rule("/legacy/<int:item_id>", "legacy", LegacyHandler, methods=("GET", "POST"))
# Indico's "!" rules skip the blueprint prefix
bp.add_url_rule("!/s/<int:item_id>", "short", view_func=lambda item_id: str(item_id))
