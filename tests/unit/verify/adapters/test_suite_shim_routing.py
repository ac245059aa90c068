"""Where the suite's statements go with a database per service (the shim's ``routing``, pure): a
write to its table's owner; a read to a database holding every table it names, the owner's first;
a table nobody owns where the owned tables it points at are, else in every database."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from migrator.verify.adapters.own_suite_run import SHIM


def _routing() -> ModuleType:
    name = "migrator_suite_shim_routing_under_test"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SHIM / "migrator_suite_shim" / "routing.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _routes() -> object:
    """flasky's proposal: users owns users and follows, posts owns posts and roles, comments owns
    comments; users keeps read models of posts and roles, comments of posts, the monolith of users."""
    return _routing().Routes(
        home="monolith", databases={key: f"sqlite:///{key}.db" for key in ("auth", "comments", "monolith", "posts", "users")},
        owners={"users": "users", "follows": "users", "posts": "posts", "roles": "posts", "comments": "comments"},
        read_models={"users": ("posts", "roles"), "comments": ("posts",), "monolith": ("users",), "auth": ("users",)})


def test_a_write_goes_to_the_owner_and_a_table_nobody_owns_to_the_owner_of_what_it_points_at_or_home() -> None:
    routes = _routes()
    assert routes.write("comments") == "comments"
    assert routes.write("post_tags", ("posts", "tags")) == "posts"
    assert routes.write("sessions") == "monolith"
    assert routes.mirrors("users") == ()
    assert routes.mirrors("sessions") == ("auth", "comments", "posts", "users")
    assert routes.mirrors("post_tags", ("posts",)) == ("comments", "users")


def test_a_read_goes_to_the_owner_when_it_holds_every_table_else_to_a_database_keeping_read_models_of_the_rest() -> None:
    reading = _routing().Reading
    routes = _routes()
    assert routes.read(["posts"]) == reading("posts")
    assert routes.read(["posts", "roles"]) == reading("posts")
    assert routes.read(["users", "posts"]) == reading("users", current=False)  # users' read model of posts: settled first
    assert routes.read(["comments", "posts"]) == reading("comments", current=False)
    assert routes.read(["sessions"]) == reading("monolith")
    assert routes.read(["post_tags"], references={"post_tags": ("posts",)}) == reading("posts")


def test_a_read_no_one_database_answers_names_what_the_chosen_one_lacks() -> None:
    assert _routes().read(["comments", "follows"]) == _routing().Reading("comments", ("follows",), current=True)


def test_among_databases_holding_a_models_table_the_one_holding_what_it_joins_wins() -> None:
    """Django's router knows a model's table and the tables its relations reach, not what one query joins."""
    routes = _routes()
    assert routes.read(["posts"], prefer=["roles"]) == _routing().Reading("posts")  # users holds both too: the owner first
    assert routes.read(["posts"], prefer=["users"]) == _routing().Reading("users", current=False)  # its read model of posts, beside its users
    assert routes.read(["roles"], prefer=["users", "follows"]) == _routing().Reading("users", current=False)
