"""python -m reviews_service.prepare: the reviews service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from reviews_service import manifest
from reviews_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
