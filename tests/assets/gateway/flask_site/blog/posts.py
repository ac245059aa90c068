from flask import Blueprint

posts = Blueprint("posts", __name__)


@posts.route("/")
def listing():
    return "posts"


@posts.route("/<int:id>")
def post(id):
    return str(id)


@posts.route("/<int:id>/comments/", methods=["GET", "POST"])
def comments(id):
    return str(id)


@posts.route("/by-token/<uuid:token>")
def by_token(token):
    return str(token)


@posts.route("/files/<path:name>")
def files(name):
    return name


@posts.route("/rated/<float:score>")
def rated(score):
    return str(score)
