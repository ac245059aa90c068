"""python -m catalog_service.prepare: the catalog service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from catalog_service import manifest
from catalog_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
