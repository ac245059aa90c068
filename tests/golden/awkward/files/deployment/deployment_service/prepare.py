"""python -m deployment_service.prepare: the deployment service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from deployment_service import manifest
from deployment_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
