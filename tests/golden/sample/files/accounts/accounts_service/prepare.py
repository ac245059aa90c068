"""python -m accounts_service.prepare: the accounts service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from accounts_service import manifest
from accounts_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
