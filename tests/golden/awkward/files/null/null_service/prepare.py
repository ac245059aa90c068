"""python -m null_service.prepare: the null service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from null_service import manifest
from null_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
