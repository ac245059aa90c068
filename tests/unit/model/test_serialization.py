import json
import xml.etree.ElementTree as ET
from importlib.resources import files

import jsonschema
import pytest

from migrator.errors import InvalidGraph
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.graph_json import dumps_json
from migrator.model.serialization import dumps_dot, dumps_graphml, graph_to_dict, loads_json

SCHEMA = json.loads(files("migrator.model").joinpath("graph.schema.json").read_text())


def _graph() -> DependencyGraph:
    graph = DependencyGraph("/src")
    graph.add_node(Node("a.b", NodeKind.MODULE, "a/b.py", 1))
    graph.add_node(Node('evil"name\\', NodeKind.FUNCTION, "a/b.py", 2, ("route:GET /x",), {"method": True}))
    graph.add_node(Node("route:GET /x", NodeKind.ROUTE, "a/b.py", 3, (), {"method": "GET", "path": "/x"}))
    graph.add_edge(Edge("route:GET /x", 'evil"name\\', EdgeKind.HANDLES, 1, ("a/b.py:3",)))
    graph.add_edge(Edge('evil"name\\', "a.b", EdgeKind.REFERENCES, 2.5, ("a/b.py:4",), {"decorator": True}))
    return graph


def test_json_round_trip_is_exact_and_byte_stable() -> None:
    text = dumps_json(_graph())
    again = dumps_json(loads_json(text))
    assert text == again
    assert json.loads(text)["schema"] == "migrator.graph/1"


def test_written_graph_follows_the_schema() -> None:
    jsonschema.validate(graph_to_dict(_graph()), SCHEMA)


def test_hand_written_minimal_graph_is_accepted() -> None:
    graph = loads_json('{"nodes": [{"id": "a"}, {"id": "b", "kind": "class"}], "edges": [{"source": "a", "target": "b"}]}')
    assert graph.count_edges_by_kind() == {"imports": 1}
    assert graph.node("b").kind is NodeKind.CLASS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "g.json: not a migrator graph: a JSON object with a 'nodes' list is expected, not list"),
        ('{"edges": []}', "g.json: 'nodes' is a required property"),
        ('{"nodes": [{"id": "a", "kind": "modul"}], "edges": []}',
         "g.json: nodes[0].kind: 'modul' is not one of package, module, class, function, route, model, table, event, task, external"
         " (did you mean 'module'?) (node a)"),
        ('{"nodes": [{"id": "a", "line": "ten"}]}', "g.json: nodes[0].line: 'ten' is not of type 'integer', 'null' (node a)"),
        ('{"nodes": [{"id": "a", "file": 7}]}', "g.json: nodes[0].file: 7 is not of type 'string', 'null' (node a)"),
        ('{"nodes": [{"id": "a", "attrs": "str"}]}', "g.json: nodes[0].attrs: 'str' is not of type 'object' (node a)"),
        ('{"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "a", "evidence": 5}]}',
         "g.json: edges[0].evidence: 5 is not of type 'array' (edge a -> a)"),
        ('{"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "z"}]}', "g.json: edges[0] refers to unknown node 'z'"),
        ('{"nodes": [{"id": "a"}, {"id": "b"}], "edges": [{"source": "a", "target": "b", "weight": -1}]}',
         "g.json: edges[0].weight: -1 is less than the minimum of 0 (edge a -> b)"),
        ('{"nodes": [', "g.json:1: not valid JSON (Expecting value)"),
        ('{"schema": "other/2", "nodes": []}', "g.json: schema: 'other/2', expected 'migrator.graph/1'"),
    ],
)
def test_invalid_graph_says_what_and_where(text: str, message: str) -> None:
    with pytest.raises(InvalidGraph, match=None) as caught:
        loads_json(text, source="g.json")
    assert caught.value.message == message


def test_graphml_is_valid_xml_with_every_node_and_edge() -> None:
    root = ET.fromstring(dumps_graphml(_graph()))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == 3
    assert len(root.findall(".//g:edge", ns)) == 2


def test_dot_quotes_every_identifier() -> None:
    text = dumps_dot(_graph())
    assert text.startswith("digraph migrator {")
    assert '"evil\\"name\\\\" -> "a.b"' in text
    assert text.count("->") == 2
