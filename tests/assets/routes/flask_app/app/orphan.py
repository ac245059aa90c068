from flask import Blueprint

orphan_bp = Blueprint("orphan", __name__, url_prefix="/orphan")


@orphan_bp.route("/x")
def x():
    return "never registered"
