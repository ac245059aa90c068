"""python -m x_9lives_service.prepare: the x-9lives service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from x_9lives_service import manifest
from x_9lives_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
