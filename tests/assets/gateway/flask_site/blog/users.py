from flask import Blueprint

users = Blueprint("users", __name__)


@users.route("/u/<username>")
def profile(username):
    return username


@users.route("/u/<username>/edit", methods=["GET", "POST"])
def edit(username):
    return username


@users.route("/t/<string(length=2):lang>/")
def translated(lang):
    return lang
