"""python -m shipping_service.prepare: the shipping service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from shipping_service import manifest
from shipping_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
