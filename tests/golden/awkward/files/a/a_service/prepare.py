"""python -m a_service.prepare: the a service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from a_service import manifest
from a_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
