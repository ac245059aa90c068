"""Route paths as their framework matches them: the translation table of every converter and of
Django's regular expressions, with an example each pattern takes and paths it must refuse."""

from __future__ import annotations

import re

import pytest

from migrator.model.route_pattern import RoutePattern, Unroutable, parse_route

UUID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
TABLE = [
    # path, framework, the regex a gateway gets (literal text through re.escape), paths it matches, paths it refuses
    ("/posts/<id>", "flask", r"^/posts/[^/]+/?$", ["/posts/abc", "/posts/abc/"], ["/posts/a/b", "/posts/"]),
    ("/posts/<int:id>", "flask", r"^/posts/[0-9]+/?$", ["/posts/42"], ["/posts/x", "/posts/-1"]),
    ("/n/<int(signed=True):n>", "flask", r"^/n/-?[0-9]+/?$", ["/n/-1", "/n/7"], ["/n/x"]),
    ("/p/<float:score>", "flask", r"^/p/[0-9]+\.[0-9]+/?$", ["/p/7.5"], ["/p/7"]),
    ("/files/<path:name>", "flask", r"^/files/.+/?$", ["/files/a/b/c.txt"], ["/files/"]),
    ("/t/<uuid:token>", "flask", r"^/t/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/?$",
     [f"/t/{UUID}", f"/t/{UUID.upper()}"], ["/t/123"]),
    ("/<any(about, help):page>", "flask", r"^/(?:about|help)/?$", ["/about", "/help/"], ["/other"]),
    ("/c/<string(length=2):code>", "flask", r"^/c/[^/]{2}/?$", ["/c/fr"], ["/c/fra"]),
    ("/x/<shortcode:thing>", "flask", r"^/x/[^/]+/?$", ["/x/abc"], ["/x/a/b"]),  # the application's own converter: a segment
    ("/groups/<slug:slug>/", "django", r"^/groups/[-a-zA-Z0-9_]+/?$", ["/groups/a-b_c/", "/groups/a-b_c"], ["/groups/a.b/"]),
    ("/invites/<uuid:code>/", "django", r"^/invites/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/?$",
     [f"/invites/{UUID}/"], ["/invites/7/"]),
    ("/media/<path:path>", "django", r"^/media/.+/?$", ["/media/a/b.png"], ["/other/a"]),
    ("/<str:username>/followers/", "django", r"^/[^/]+/followers/?$", ["/ada/followers/"], ["/ada/following/"]),
    ("/sitemap.xml", "django", r"^/sitemap\.xml/?$", ["/sitemap.xml"], ["/sitemapxxml"]),  # path(): a dot is a dot
    ("/meetings/rsvp/(?P<rsvp_key>[a-z0-9]{40})/", "django", r"^/meetings/rsvp/(?:[a-z0-9]{40})/?$",
     ["/meetings/rsvp/" + "a1" * 20 + "/"], ["/meetings/rsvp/" + "a" * 39 + "/"]),
    ("/shop/(?P<slug>[-\\w]+)/", "django", r"^/shop/(?:[\x2d\w]+)/?$", ["/shop/red-shoes/"], ["/shop/a/b/"]),
    ("/archive/(\\d{4})/(\\d{2})/", "django", r"^/archive/(?:\d{4})/(?:\d{2})/?$", ["/archive/2024/05/"], ["/archive/24/05/"]),
    ("/list/(?P<key>[a-z0-9]{40})/host.csv", "django", r"^/list/(?:[a-z0-9]{40})/host.csv/?$",  # re_path(): a dot is any character
     ["/list/" + "a" * 40 + "/host.csv"], ["/list/" + "a" * 40 + "/hostcsv"]),
    ("/blog/<int:year>/(?P<slug>[-\\w]+)/", "django", r"^/blog/[0-9]+/(?:[\x2d\w]+)/?$", ["/blog/2024/hello/"], ["/blog/x/hello/"]),
    ("/items/{item_id}", "fastapi", r"^/items/[^/]+/?$", ["/items/7"], ["/items/7/8"]),
    ("/items/{item_id:int}", "fastapi", r"^/items/[0-9]+/?$", ["/items/7"], ["/items/x"]),
    ("/items/{item_id:uuid}", "fastapi", r"^/items/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/?$",
     [f"/items/{UUID}"], ["/items/7"]),
    ("/files/{rest:path}", "fastapi", r"^/files/.*/?$", ["/files/a/b", "/files/"], ["/other"]),
    ("/", "flask", r"^/$", ["/"], ["/x"]),
]


@pytest.mark.parametrize(("path", "framework", "regex", "matching", "refused"), TABLE, ids=[row[0] for row in TABLE])
def test_each_converter_and_expression_matches_what_its_framework_matches(path, framework, regex, matching, refused) -> None:
    pattern = parse_route(path, framework=framework)
    assert isinstance(pattern, RoutePattern)
    assert pattern.regex(re.escape) == regex
    assert pattern.matches(pattern.example)
    assert all(pattern.matches(p) for p in matching), [p for p in matching if not pattern.matches(p)]
    assert not any(pattern.matches(p) for p in refused), [p for p in refused if pattern.matches(p)]


def test_examples_fill_each_parameter_as_its_converter_takes_it() -> None:
    examples = {path: parse_route(path, framework=framework).example for path, framework in (  # type: ignore[union-attr]
        ("/posts/<int:id>/comments/", "flask"), ("/t/<uuid:token>", "flask"), ("/groups/<slug:slug>/", "django"),
        ("/media/<path:path>", "django"), ("/user/<username>", "flask"), ("/files/{rest:path}", "fastapi"),
    )}
    assert examples == {
        "/posts/<int:id>/comments/": "/posts/7/comments/", "/t/<uuid:token>": f"/t/{UUID}", "/groups/<slug:slug>/": "/groups/a-slug/",
        "/media/<path:path>": "/media/a/b/c", "/user/<username>": "/user/username", "/files/{rest:path}": "/files/a/b/c",
    }


def test_every_parameter_is_written_in_characters_no_configuration_file_can_misread() -> None:
    for path, framework, *_ in TABLE:
        for part in parse_route(path, framework=framework).parts:  # type: ignore[union-attr]
            assert re.fullmatch(r"[A-Za-z0-9_\\^$.|?*+()\[\]{},:=!<>/-]*", part.regex), (path, part.regex)
            assert not re.search(r"\\[\\tnr\"']", part.regex), (path, part.regex)  # nginx unescapes those in a token
    accented = parse_route("/x/(?P<name>é+)/", framework="django")
    assert isinstance(accented, RoutePattern) and accented.parts[1].regex == r"(?:(?:\xc3\xa9)+)"  # bytes, as nginx matches


@pytest.mark.parametrize(("path", "framework", "reason"), [
    ("/{?}/items/{id}", "fastapi", "could not read"),
    ("/x/(?P<a>a)(?P=a)/", "django", "back reference"),
    ("/x/(unclosed/", "django", "not a regular expression"),
    ("/x/(?P<a>[é])(?P<b>[àé])/", "django", "non-ASCII character"),
])
def test_a_path_no_gateway_can_match_alike_says_why(path, framework, reason) -> None:
    found = parse_route(path, framework=framework)
    assert isinstance(found, Unroutable) and reason in found.reason


def test_only_django_paths_hold_regular_expressions() -> None:
    flask = parse_route("/c++/<int:id>", framework="flask")
    assert isinstance(flask, RoutePattern) and flask.matches("/c++/7") and not flask.matches("/ccc/7")


def test_a_prefix_takes_what_is_under_it_and_nothing_beside_it() -> None:
    prefix = parse_route("/api/orders", whole=False)
    assert isinstance(prefix, RoutePattern) and prefix.regex(re.escape) == r"^/api/orders(/|$)"
    assert prefix.regex(re.escape, under="(/.*)?$") == r"^/api/orders(/.*)?$"
    assert prefix.matches("/api/orders/7/items") and not prefix.matches("/api/ordersx")


def test_fixed_segments_stop_at_the_first_parameter() -> None:
    def fixed(path: str, framework: str = "flask") -> tuple[str, ...]:
        return parse_route(path, framework=framework).fixed_segments  # type: ignore[union-attr]

    assert fixed("/api/v1/posts/<int:id>/comments/") == ("api", "v1", "posts")
    assert fixed("/api/café/{item_id}:publish") == ("api", "café")
    assert fixed("/<project_id>/add") == ()
    assert fixed("/reports/v2\\.0/(?P<n>\\d+)/", "django") == ("reports", "v2.0")


def test_more_literal_text_and_fewer_parameters_come_first() -> None:
    paths = ["/<a>/<b>/", "/<project_id>/add", "/dashboard", "/<a>/", "/dashboard/<project_id>/delete", "/"]
    ordered = sorted(paths, key=lambda p: parse_route(p, framework="flask").specificity)  # type: ignore[union-attr]
    assert ordered == ["/dashboard/<project_id>/delete", "/dashboard", "/<project_id>/add", "/<a>/<b>/", "/<a>/", "/"]


@pytest.mark.parametrize(("path", "prefix", "could"), [
    ("/<project_id>/add", ("dashboard",), True),  # Flask sends /dashboard/add to it
    ("/dashboard/<id>/delete", ("dashboard",), True),
    ("/dashboard/", ("dashboard",), True),
    ("/auth/login", ("dashboard",), False),
    ("/x", ("x", "y"), False),
    ("/media/<path:p>", ("media", "a", "b"), True),
    ("/files/v<path:p>", ("files", "v2", "x"), True),
    ("/files/v<path:p>", ("files", "w2"), False),
])
def test_whether_a_route_could_take_a_path_under_a_prefix(path, prefix, could) -> None:
    assert parse_route(path, framework="flask").could_match_under(prefix) is could  # type: ignore[union-attr]
