"""python -m notifications_service.prepare: the notifications service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from notifications_service import manifest
from notifications_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
