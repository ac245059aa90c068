"""python -m cart_service.prepare: the cart service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from cart_service import manifest
from cart_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
