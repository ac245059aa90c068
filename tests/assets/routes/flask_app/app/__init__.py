from flask import Flask

from .admin import admin_bp
from .api import api_bp
from .shop import views as shop_views


def create_app():
    app = Flask(__name__)
    app.register_blueprint(shop_views.bp)
    app.register_blueprint(admin_bp, url_prefix="/backoffice")
    app.register_blueprint(api_bp)

    @app.route("/")
    def index():
        return "home"

    app.add_url_rule("/health", view_func=health)
    return app


def health():
    return "ok"
