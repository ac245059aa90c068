from flask import Blueprint

from forum.routing import Routes

forum = Blueprint("forum", __name__)
routes = Routes(forum)


def index():
    return "forums"


def topic(topic_id):
    return f"topic {topic_id}"


def user(username):
    return username


routes.add(["/", "/index", "/memberlist", "/search"], index)
routes.add(["/topic/<int:topic_id>", "/topic/<int:topic_id>-<slug>", "/topic/<int:topic_id>/edit"], topic)
routes.add(["/user/<username>", "/user/<username>/posts", "/user/<username>/topics", "/user/<username>/about"], user)
