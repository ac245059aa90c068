"""python -m payments_service.prepare: the payments service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from payments_service import manifest
from payments_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
