"""python -m inventory_service.prepare: the inventory service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from inventory_service import manifest
from inventory_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
