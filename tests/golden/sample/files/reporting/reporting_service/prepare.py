"""python -m reporting_service.prepare: the reporting service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from reporting_service import manifest
from reporting_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
