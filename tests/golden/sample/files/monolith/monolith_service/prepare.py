"""python -m monolith_service.prepare: the monolith service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from monolith_service import manifest
from monolith_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
