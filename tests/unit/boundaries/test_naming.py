"""Service names come from the domain: never a helper's or a layer's word, never a number, never a
singular beside its plural."""

from __future__ import annotations

from migrator.boundaries.domains import Domain
from migrator.boundaries.naming import service_names
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph


def _graph() -> DependencyGraph:
    graph = DependencyGraph("/blog")
    for module in ("blog.api.users", "blog.main.views", "blog.models", "blog.dev_utils"):
        graph.add_node(Node(module, NodeKind.MODULE, module.replace(".", "/") + ".py", 1))
    for model in ("User", "Post", "Comment"):
        graph.add_node(Node(f"blog.models.{model}", NodeKind.MODEL, "blog/models.py", 1))
    for model, uses in (("User", 5), ("Post", 3)):
        for _ in range(uses):
            graph.add_edge(Edge("blog.main.views", f"blog.models.{model}", EdgeKind.READS))
    graph.add_edge(Edge("blog.models.Post", "blog.models.User", EdgeKind.FOREIGN_KEY))
    graph.add_node(Node("route:GET /<post_id>/comments", NodeKind.ROUTE, "blog/main/views.py", 3, (), {"path": "/<post_id>/comments"}))
    return graph


def _names(labels: dict[str, str], domains: dict[str, Domain]) -> dict[str, str]:
    graph = _graph()
    unit_of = {n.id: n.id if n.kind is NodeKind.MODULE else "blog.models" for n in graph.nodes()}
    unit_of["route:GET /<post_id>/comments"] = "blog.main.views"
    return service_names(labels, domains, graph, unit_of)


def test_a_generic_package_is_not_named_after_a_domain_another_service_carries() -> None:
    labels = {"blog.api.users": "user", "blog.main.views": "main", "blog.models": "main"}
    domains = {"blog.api.users": Domain("user", "users", "layered"), "blog.main.views": Domain("main", "main", "package"),
               "blog.models": Domain("model", "models", "module")}
    names = _names(labels, domains)
    # main reads User most, but the users domain claims that name; main's next word is its posts
    assert names == {"user": "users", "main": "post"}


def test_a_label_whose_words_are_all_taken_gets_two_of_them_not_a_number() -> None:
    labels = {"blog.api.users": "user", "blog.main.views": "main", "blog.models": "post"}
    domains = {"blog.api.users": Domain("user", "users", "layered"), "blog.main.views": Domain("main", "main", "package"),
               "blog.models": Domain("post", "posts", "module")}
    names = _names(labels, domains)
    assert names["user"] == "users" and names["post"] == "posts"
    # its words (Post, pointed to by a key, and its route /<post_id>/..., then User) are taken
    assert names["main"] == "post-user"


def test_at_an_equal_count_a_model_names_the_service_before_a_routes_path() -> None:
    # microblog's main blueprint: it reads Post twice (placed with the users) and answers GET and POST /edit_profile
    graph = DependencyGraph("/blog")
    graph.add_node(Node("blog.main.routes", NodeKind.MODULE, "blog/main/routes.py", 1))
    graph.add_node(Node("blog.models.Post", NodeKind.MODEL, "blog/models.py", 1))
    for handler in ("index", "explore"):
        graph.add_node(Node(f"blog.main.routes.{handler}", NodeKind.FUNCTION, "blog/main/routes.py", 2))
        graph.add_edge(Edge(f"blog.main.routes.{handler}", "blog.models.Post", EdgeKind.READS))
    for method in ("GET", "POST"):
        graph.add_node(Node(f"route:{method} /edit_profile", NodeKind.ROUTE, "blog/main/routes.py", 3, (), {"path": "/edit_profile"}))
    unit_of = {node.id: "blog.main.routes" for node in graph.nodes()} | {"blog.models.Post": "blog.models"}
    domains = {"blog.main.routes": Domain("main", "main", "package"), "blog.models": Domain("user", "users", "layered")}
    names = service_names({"blog.main.routes": "main", "blog.models": "users"}, domains, graph, unit_of)  # Post placed with the users
    assert names == {"users": "users", "main": "post"}
