from flask_restful import Api, Resource

catalogue_api = Api(prefix="/catalogue")


class Products(Resource):
    def get(self):
        return []


catalogue_api.add_resource(Products, "/products")
