"""What a new user hits (issue 20): every input is checked, and a result that looks wrong is
said out loud. Each error is exit 1 with one line naming the file and line and a hint; each
warning goes to stderr and into the --json output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import run

REPO = Path(__file__).resolve().parents[2]

SHOP = {
    "shop/__init__.py": "",
    "shop/catalog/__init__.py": "",
    "shop/catalog/models.py": "PRICES = {'tea': 3}\n\n\ndef price(item):\n    return PRICES[item]\n",
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": "from shop.catalog.models import price\n\n\ndef total(items):\n    return sum(price(i) for i in items)\n",
    "shop/orders/routes.py": (
        "from shop.orders.models import total\nfrom shop.payments.charges import charge\n\n\n"
        "def place(items):\n    return charge(total(items))\n"
    ),
    "shop/payments/__init__.py": "",
    "shop/payments/charges.py": "from shop.catalog.models import price\n\n\ndef charge(amount):\n    return amount + price('tea') * 0\n",
}


def _shop(tree, **extra: str) -> Path:
    """The small shop package; ``extra`` files beside it (pyproject.toml...)."""
    return tree({**SHOP, **{f"shop/{name}": text for name, text in extra.items()}}) / "shop"


@pytest.fixture
def graph(tree, tmp_path) -> Path:
    path = tmp_path / "graph.json"
    code, _, err = run("analyze", str(_shop(tree)), "-o", str(path), "--no-cache")
    assert code == 0, err
    return path


# -- 1. a module the code does not have --------------------------------------------------------

UNKNOWN_MODULE = """\
services:
  orders:
    modules:
      shop.orders.models: []
      shop.orders.modles: []
  catalog:
    modules: [shop.catalog.models]
"""


@pytest.mark.parametrize("command", ["evaluate", "plan", "report", "generate", "migrate"])
def test_a_module_the_code_does_not_have_is_named_with_its_line(graph, tmp_path, command) -> None:
    src, out = graph.parent / "src_tree" / "shop", tmp_path / "out"
    decomposition = out / "decomposition.yaml" if command == "migrate" else tmp_path / "decomposition.yaml"
    decomposition.parent.mkdir(exist_ok=True)
    decomposition.write_text(UNKNOWN_MODULE)  # no stamp of migrator: migrate keeps it as the user's edit
    args = {
        "evaluate": ["evaluate", str(decomposition), "--graph", str(graph)],
        "plan": ["plan", str(decomposition), "--graph", str(graph)],
        "report": ["report", str(graph), "--decomposition", str(decomposition), "-o", str(out / "report.html")],
        "generate": ["generate", str(src), "--decomposition", str(decomposition), "-o", str(out / "system")],
        "migrate": ["migrate", str(src), "-o", str(out)],
    }[command]
    code, stdout, stderr = run(*args)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"error: {decomposition}:5: shop.orders.modles is not a module of the analysed code (did you mean shop.orders.models?)\n"
        "hint: correct the name or delete the line: a decomposition lists only what the analysis found\n"
    )
    assert not (out / "system").exists() and not (out / "report.html").exists()


# -- 2. a key written twice --------------------------------------------------------------------

def test_a_service_written_twice_is_refused_not_merged_away(graph, tmp_path) -> None:
    decomposition = tmp_path / "decomposition.yaml"
    decomposition.write_text(
        "services:\n  orders:\n    modules: [shop.orders.models]\n  catalog:\n    modules: [shop.catalog.models]\n"
        "  orders:\n    modules: [shop.orders.routes]\n"
    )
    code, _, stderr = run("evaluate", str(decomposition), "--graph", str(graph))
    assert code == 1
    assert stderr == (
        f"error: {decomposition}:6: key 'orders' is written twice (first on line 2)\n"
        "hint: merge the two into one: YAML keeps only the last and drops the first one's entries\n"
    )


def test_a_constraints_section_written_twice_is_refused(graph, tmp_path) -> None:
    constraints = tmp_path / "constraints.yaml"
    constraints.write_text("pin:\n  shop.orders.models: orders\npin:\n  shop.catalog.models: catalog\n")
    code, _, stderr = run("propose", str(graph), "--constraints", str(constraints))
    assert code == 1
    assert stderr.splitlines()[0] == f"error: {constraints}:3: key 'pin' is written twice (first on line 1)"


# -- 5. graph.json of the wrong shape ----------------------------------------------------------

HAND_GRAPH = {
    "schema": "migrator.graph/1",
    "nodes": [{"id": "shop", "kind": "package"}, {"id": "shop.orders", "kind": "module", "file": "shop/orders.py", "line": 1}],
    "edges": [{"source": "shop.orders", "target": "shop", "kind": "imports", "weight": 1, "evidence": ["shop/orders.py:1"]}],
}


@pytest.mark.parametrize(
    ("section", "field", "value", "problem"),
    [
        ("nodes", "attrs", "str", "nodes[1].attrs: 'str' is not of type 'object' (node shop.orders)"),
        ("edges", "evidence", 5, "edges[0].evidence: 5 is not of type 'array' (edge shop.orders -> shop)"),
        ("nodes", "line", "ten", "nodes[1].line: 'ten' is not of type 'integer', 'null' (node shop.orders)"),
        ("nodes", "file", 7, "nodes[1].file: 7 is not of type 'string', 'null' (node shop.orders)"),
        ("nodes", "kind", "modul", "nodes[1].kind: 'modul' is not one of package, module, class, function, route, model, table, event, "
                                   "task, external (did you mean 'module'?) (node shop.orders)"),
    ],
)
def test_a_graph_of_the_wrong_shape_is_named_by_its_json_path(tmp_path, section, field, value, problem) -> None:
    document = json.loads(json.dumps(HAND_GRAPH))
    document[section][-1][field] = value
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(document))
    code, _, stderr = run("propose", str(path))
    assert code == 1
    assert stderr == (
        f"error: {path}: {problem}\n"
        "hint: fix that entry, or write the graph with `migrator analyze SRC -o graph.json`; "
        f"its format is the JSON Schema {REPO / 'migrator/model/graph.schema.json'}\n"
    )
    assert (REPO / "migrator/model/graph.schema.json").is_file()


def test_a_hand_written_graph_with_only_what_it_needs_is_read(tmp_path) -> None:
    path = tmp_path / "graph.json"
    path.write_text('{"nodes": [{"id": "a"}, {"id": "b"}], "edges": [{"source": "a", "target": "b"}]}')
    code, out, stderr = run("propose", str(path), "--json")
    assert code == 0, stderr
    assert json.loads(out)["schema"] == "migrator.decomposition/1"


# -- 6. [tool.migrator] ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("table", "problem", "hint"),
    [
        ('exlude = ["legacy/**"]', "2: [tool.migrator] unknown key 'exlude' (did you mean 'exclude'?)",
         "the keys are exclude, include_tests, include_migrations, history_commits, services, seed, resolution, unit, weights, "
         "constraints, shared, event_bus, database, requirements, extras, overrides, env"),
        ('include_tests = "yes"', '2: [tool.migrator] include_tests must be true or false, not "yes"', "include_tests = true"),
        ("services = 0", "2: [tool.migrator] services must be a whole number >= 1, not 0", "services = 8"),
        ('event_bus = "kafak"', '2: [tool.migrator] event_bus must be one of nats, kafka, rabbit, redis, not "kafak"', 'event_bus = "nats"'),
    ],
)
def test_a_key_or_value_the_project_table_cannot_have_is_an_error(tree, table, problem, hint) -> None:
    src = _shop(tree, **{"pyproject.toml": f"[tool.migrator]\n{table}\n"})
    code, _, stderr = run("analyze", str(src), "--no-cache")
    assert code == 1
    assert stderr == f"error: {src}/pyproject.toml:{problem}\nhint: {hint}\n"


def test_every_setting_of_propose_comes_from_the_project_table(tree) -> None:
    src = _shop(tree, **{
        "pyproject.toml": '[tool.migrator]\nservices = 4\nseed = 7\nresolution = 2.0\nunit = "class"\nshared = false\n'
                          'constraints = "constraints.yaml"\n\n[tool.migrator.weights]\ncalls = 2\n',
        "constraints.yaml": "pin:\n  shop.payments.charges: billing\n",
    })
    code, out, stderr = run("propose", str(src), "--json")
    assert code == 0, stderr
    decomposition = json.loads(out)
    settings = {key: decomposition["settings"][key] for key in ("services", "seed", "resolution", "unit", "shared", "constraints")}
    assert settings == {"services": 4, "seed": 7, "resolution": 2.0, "unit": "class", "shared": False, "constraints": str(src / "constraints.yaml")}
    assert decomposition["settings"]["weights"]["calls"] == 2.0
    assert "shop.payments.charges" in decomposition["services"]["billing"]["classes"]


def test_the_command_line_wins_over_the_project_table(tree) -> None:
    src = _shop(tree, **{"pyproject.toml": '[tool.migrator]\nservices = 4\nseed = 7\nunit = "class"\nshared = false\n'})
    code, out, stderr = run("propose", str(src), "--json", "--services", "2", "--seed", "9", "--unit", "module", "--shared")
    assert code == 0, stderr
    settings = json.loads(out)["settings"]
    assert (settings["services"], settings["seed"], settings["unit"], settings["shared"]) == (2, 9, "module", True)


def test_migrate_takes_the_event_bus_from_the_project_table_and_the_command_line(tree, tmp_path) -> None:
    src = _shop(tree, **{"pyproject.toml": '[tool.migrator]\nevent_bus = "redis"\n'})
    assert run("migrate", str(src), "-o", str(tmp_path / "a"))[0] == 0
    assert json.loads((tmp_path / "a/system/system.json").read_text())["event_bus"] == "redis"
    assert run("migrate", str(src), "-o", str(tmp_path / "b"), "--event-bus", "kafka")[0] == 0
    assert json.loads((tmp_path / "b/system/system.json").read_text())["event_bus"] == "kafka"


# -- 7. results that look wrong ----------------------------------------------------------------

NO_SERVICE = (
    "8 of 8 units have no ties to the rest of the code, so the services follow the folders alone; 3 modules import shop, "
    "which is not in the analysed folder: if that is this project under another name, analyse it from a folder named shop"
)
"""The domain-first proposal still cuts the code along its folders, and says the analysis saw no tie."""


def _copied_under_another_name(tree) -> Path:
    """The shop copied to ``shopcopy``: its own imports (``from shop...``) no longer resolve."""
    return tree({name.replace("shop/", "shopcopy/", 1): text for name, text in SHOP.items()}) / "shopcopy"


def test_a_project_copied_under_another_name_is_warned_about(tree) -> None:
    src = _copied_under_another_name(tree)
    code, out, stderr = run("propose", str(src))
    assert code == 0
    assert "Proposed 3 services" in out
    assert stderr == f"warning: {NO_SERVICE}\n"
    code, out, stderr = run("propose", str(src), "--json")
    assert json.loads(out)["warnings"] == [NO_SERVICE]


def test_migrate_says_the_warning_too(tree, tmp_path) -> None:
    code, out, stderr = run("migrate", str(_copied_under_another_name(tree)), "-o", str(tmp_path / "out"), "--json")
    assert code == 0
    assert json.loads(out)["warnings"] == [NO_SERVICE]
    assert stderr == json.dumps({"warning": NO_SERVICE}) + "\n"


def test_far_fewer_services_than_asked_says_so_and_why(tree) -> None:
    code, out, stderr = run("propose", str(_shop(tree)), "--services", "500", "--json")
    assert code == 0
    warning = (
        "asked for 500 services, proposed 4: only 7 of the 8 units can go to services (1 set apart as infrastructure, 0 as the shared "
        "library); the code holds 3 business domains, and a domain is split only on clear evidence"
    )
    assert json.loads(out)["warnings"] == [warning]
    assert stderr == json.dumps({"warning": warning}) + "\n"


def test_a_sound_proposal_warns_of_nothing(tree) -> None:
    code, out, stderr = run("propose", str(_shop(tree)), "--json")
    assert (code, stderr, json.loads(out)["warnings"]) == (0, "", [])
