from flask import Blueprint

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


@admin_bp.route("/users", methods=["GET", "POST"])
def users():
    return "users"


@admin_bp.get("/stats")
def stats():
    return "stats"
