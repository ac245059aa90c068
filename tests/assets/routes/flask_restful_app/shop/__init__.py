from flask import Flask

from shop.api.catalogue import catalogue_api
from shop.api.orders import orders_bp
from shop.api.restx import api as restx_api
from shop.config import Config
from shop.views import account


def create_app(config=Config) -> Flask:
    app = Flask(__name__)
    app.config.from_object(config)
    app.register_blueprint(orders_bp)
    app.register_blueprint(account, url_prefix=app.config["ACCOUNT_URL_PREFIX"])
    catalogue_api.init_app(app)
    restx_api.init_app(app)
    return app
