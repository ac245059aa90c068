"""Route-like strings, counted so that routes registered through a helper are said out loud."""

from __future__ import annotations

from analyzers.routes.route_like import count_route_like, shortfall


def test_url_paths_passed_to_calls_or_listed_and_django_patterns_count() -> None:
    source = '''
register_view(bp, routes=["/topic/<int:id>", "/topic/<int:id>/edit"], view_func=topic)
app.add_url_rule("/orders", view_func=orders)
urlpatterns = [path("orders/<int:pk>/", views.order), re_path(r"^api/", include(api)), url(r"^old/$", old)]
bp = Blueprint("forum", __name__, url_prefix="/forum")
'''
    assert count_route_like(source) == 2 + 1 + 3 + 1


def test_file_paths_bare_slashes_and_docstrings_do_not_count() -> None:
    source = '''
"""/api/orders is documented here"""
open("/etc/hosts"); shutil.rmtree("/tmp/x"); os.path.join(root, "/")
x = "/api/not-an-argument"
'''
    assert count_route_like(source) == 0


def test_a_shortfall_names_the_busiest_files_and_nothing_below_the_floor() -> None:
    assert shortfall(1, {"a.py": 5, "b.py": 4}) is None  # too few to say anything
    assert shortfall(10, {"a.py": 20, "b.py": 9}) is None  # a third found: fine
    warning = shortfall(1, {"a.py": 3, "b.py": 20, "c.py": 3, "d.py": 1})
    assert warning is not None
    assert warning.startswith("found 1 route, but 27 strings that look like routes are passed to calls (b.py 20, a.py 3, c.py 3, ...)")
