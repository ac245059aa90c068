"""python -m orders_service.prepare: the orders service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from orders_service import manifest
from orders_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
