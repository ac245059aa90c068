"""python -m cafe_creme_home_service.prepare: the cafe-creme-home service's database schema, made by the
monolith's own tooling (Django's migrate, Flask-Migrate's upgrade, create_all), then exit."""

from cafe_creme_home_service import manifest
from cafe_creme_home_service.runtime.host import prepare

if __name__ == "__main__":
    prepare(manifest)
