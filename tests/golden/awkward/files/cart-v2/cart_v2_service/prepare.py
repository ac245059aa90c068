"""python -m cart_v2_service.prepare: the cart-v2 service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from cart_v2_service import manifest
from cart_v2_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
