from flask_restx import Api, Namespace, Resource

api = Api(doc="/docs")
carts = Namespace("carts", description="Shopping carts")
stock = api.namespace("stock", path="/inventory")


@carts.route("/<int:cart_id>")
class Cart(Resource):
    def get(self, cart_id):
        return {}

    def put(self, cart_id):
        return {}


@stock.route("/")
class StockLevels(Resource):
    def get(self):
        return []


api.add_namespace(carts, path="/baskets")
