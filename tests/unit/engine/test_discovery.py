import os
from pathlib import Path

from migrator.engine.discovery import DEFAULT_EXCLUDES, discover


def _modules(root: Path, **kwargs) -> dict[str, str]:
    return {f.relpath: f.module for f in discover(root, **kwargs).files}


def test_src_layout_and_several_roots_are_found_on_their_own(tree) -> None:
    root = tree({
        "src/shop/__init__.py": "",
        "src/shop/orders/__init__.py": "",
        "src/shop/orders/models.py": "",
        "tools/deploy/__init__.py": "",
        "tools/deploy/run.py": "",
        "manage.py": "",
    })
    assert _modules(root) == {
        "manage.py": "manage",
        "src/shop/__init__.py": "shop",
        "src/shop/orders/__init__.py": "shop.orders",
        "src/shop/orders/models.py": "shop.orders.models",
        "tools/deploy/__init__.py": "deploy",
        "tools/deploy/run.py": "deploy.run",
    }
    assert discover(root).roots == [".", "src", "tools"]


def test_a_package_given_as_the_root_keeps_its_own_name(tree) -> None:
    root = tree({"shop/__init__.py": "", "shop/api.py": ""}) / "shop"
    assert _modules(root) == {"__init__.py": "shop", "api.py": "shop.api"}


def test_tests_and_migrations_are_excluded_by_default_and_includable(tree) -> None:
    root = tree({
        "app/__init__.py": "",
        "app/tests/__init__.py": "",
        "app/tests/test_x.py": "",
        "app/migrations/0001_initial.py": "",
        "tests/test_top.py": "",
        "app/test_thing.py": "",
        "app/conftest.py": "",
    })
    assert sorted(_modules(root)) == ["app/__init__.py"]
    assert len(_modules(root, excludes=())) == 7  # 0001_initial is importable, like Django loads it
    assert "app/tests/__init__.py" not in _modules(root, excludes=DEFAULT_EXCLUDES)


def test_user_globs_exclude_more(tree) -> None:
    root = tree({"a/__init__.py": "", "a/legacy/__init__.py": "", "a/legacy/old.py": "", "a/new.py": ""})
    assert sorted(_modules(root, excludes=("a/legacy/**",))) == ["a/__init__.py", "a/new.py"]


def test_sql_files_and_excluded_migrations_are_data_files(tree) -> None:
    root = tree({
        "app/__init__.py": "",
        "app/schema.sql": "",
        "app/queries/users.sql": "",
        "app/migrations/versions/0001_init.py": "",
        "app/migrations/versions/0002_more.sql": "",
        "app/tests/fixtures.sql": "",
        "app/tests/test_x.py": "",
        "legacy/old.sql": "",
    })
    found = discover(root, excludes=(*DEFAULT_EXCLUDES, "legacy/**"))
    assert [f.relpath for f in found.files] == ["app/__init__.py"]
    # migrations stay out of the graph but define the schema; tests and what the user leaves out do not
    assert found.data_files == [
        "app/migrations/versions/0001_init.py", "app/migrations/versions/0002_more.sql", "app/queries/users.sql", "app/schema.sql",
    ]
    assert found.excluded == ["app/migrations/versions/0001_init.py", "app/tests/test_x.py"]


def test_symlink_loop_and_broken_link_do_not_trap_the_walk(tree) -> None:
    root = tree({"pkg/__init__.py": "", "pkg/a.py": ""})
    os.symlink(root / "pkg", root / "pkg" / "loop")
    os.symlink(root / "missing.py", root / "pkg" / "dangling.py")
    found = discover(root)
    assert [f.relpath for f in found.files] == ["pkg/__init__.py", "pkg/a.py"]
    assert [(s.relpath, s.reason) for s in found.skipped] == [("pkg/dangling.py", "broken symbolic link")]


def test_files_that_cannot_be_modules_are_reported(tree) -> None:
    root = tree({"my-app/__init__.py": "", "my-app/x.py": "", "ok/__init__.py": ""})
    found = discover(root)
    assert [f.module for f in found.files] == ["ok"]
    assert {s.relpath for s in found.skipped} == {"my-app/__init__.py", "my-app/x.py"}


def test_duplicate_module_names_keep_the_first(tree) -> None:
    root = tree({"a/pkg/__init__.py": "", "b/pkg/__init__.py": ""})
    found = discover(root)
    assert [f.relpath for f in found.files] == ["a/pkg/__init__.py"]
    assert "already defined by a/pkg/__init__.py" in found.skipped[0].reason


def test_a_folder_without_init_inside_a_package_is_a_namespace_package_of_its_root(tree) -> None:
    root = tree({
        "src/shop/__init__.py": "",
        "src/shop/core/logger/config.py": "",
        "src/shop/db/fixes/fix_slugs.py": "",
        "src/shop/db/__init__.py": "",
        "scripts/seed.py": "",
        "scripts/one-off/run.py": "",
    })
    assert _modules(root) == {
        "src/shop/__init__.py": "shop",
        "src/shop/core/logger/config.py": "shop.core.logger.config",
        "src/shop/db/__init__.py": "shop.db",
        "src/shop/db/fixes/fix_slugs.py": "shop.db.fixes.fix_slugs",
        "scripts/seed.py": "seed",  # a folder of scripts beside the packages stays a root of its own
        "scripts/one-off/run.py": "run",
    }
    assert discover(root).roots == ["scripts", "scripts/one-off", "src"]


DJANGO_MIGRATION = "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = []\n"
ALEMBIC_REVISION = 'revision = "ae1027a6acf"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n'


def test_only_folders_of_schema_migrations_are_left_out(tree) -> None:
    root = tree({
        "app/__init__.py": "",
        "app/orders/__init__.py": "",
        "app/orders/migrations/__init__.py": "",
        "app/orders/migrations/auto_add_total.py": DJANGO_MIGRATION,
        "app/billing/__init__.py": "",
        "app/billing/migrations/__init__.py": "",  # an app with no migration yet
        "app/services/__init__.py": "",
        "app/services/migrations/__init__.py": "from .paprika import PaprikaMigrator\n",
        "app/services/migrations/paprika.py": "class PaprikaMigrator:\n    def migrate(self, archive): ...\n",
        "app/services/migrations/utils/helpers.py": "def unzip(path): ...\n",
        "db/migrations/env.py": "from alembic import context\n",
        "db/migrations/versions/ae1027a6acf_users.py": ALEMBIC_REVISION,
        "alembic/versions/ae1027a6acf_users.py": ALEMBIC_REVISION,
    })
    found = discover(root)
    assert [f.module for f in found.files] == [
        "app", "app.billing", "app.orders",
        "app.services", "app.services.migrations", "app.services.migrations.paprika", "app.services.migrations.utils.helpers",
    ]
    assert "app/services/migrations/paprika.py" not in found.data_files
    assert "app/orders/migrations/auto_add_total.py" in found.data_files
    assert "alembic/versions/ae1027a6acf_users.py" in found.data_files
    # asked for, migrations are modules like any other
    assert "app.orders.migrations.auto_add_total" in {f.module for f in discover(root, excludes=()).files}
