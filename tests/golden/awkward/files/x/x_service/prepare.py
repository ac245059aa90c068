"""python -m x_service.prepare: the x service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from x_service import manifest
from x_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
