"""python -m o_reilly_path_service.prepare: the o-reilly-path service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from o_reilly_path_service import manifest
from o_reilly_path_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
