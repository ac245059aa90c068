"""python -m yes_service.prepare: the yes service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from yes_service import manifest
from yes_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
