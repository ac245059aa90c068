from flask import Blueprint

from forum.helpers import register_view

forum = Blueprint("forum", __name__)


def index():
    return "forums"


def topic(topic_id):
    return f"topic {topic_id}"


def post(post_id):
    return f"post {post_id}"


def user(username):
    return username


register_view(forum, routes=["/", "/index"], view_func=index)
register_view(forum, routes=["/topic/<int:topic_id>", "/topic/<int:topic_id>-<slug>"], view_func=topic)
register_view(forum, routes=["/topic/<int:topic_id>/edit", "/topic/<int:topic_id>/delete"], view_func=topic, methods=("GET", "POST"))
register_view(forum, routes=["/post/<int:post_id>", "/post/<int:post_id>/edit", "/post/<int:post_id>/raw"], view_func=post)
register_view(forum, routes=["/user/<username>", "/user/<username>/posts", "/user/<username>/topics"], view_func=user)
register_view(forum, routes=["/memberlist", "/search"], view_func=index)
