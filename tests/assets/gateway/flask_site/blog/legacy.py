"""Left in the monolith: a literal path under a service's pattern, and one under its prefix."""

from flask import Blueprint

legacy = Blueprint("legacy", __name__)


@legacy.route("/u/new")
def new_user():
    return "new"


@legacy.route("/posts/feed")
def feed():
    return "feed"


@legacy.route("/reports/<int:year>")
def report(year):
    return str(year)
