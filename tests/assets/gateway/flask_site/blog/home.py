from flask import Blueprint

home = Blueprint("home", __name__)


@home.route("/")
def index():
    return "home"


@home.route("/<any(about, help):page>")
def page(page):
    return page
