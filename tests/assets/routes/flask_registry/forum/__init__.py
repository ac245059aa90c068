from flask import Flask

from forum.views import forum


def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(forum, url_prefix="/forum")
    return app
