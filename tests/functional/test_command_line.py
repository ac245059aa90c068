"""The command line's promises to scripts and people (docs: README, "Scripts and CI"): --json on
every command, errors as JSON with --json, --quiet, help for every option, counts that agree
with their nouns, and plan.md's digest line that renders as nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import click
import pytest
import yaml
from markdown_it import MarkdownIt
from tests.cli import run

from migrator.cli import main
from migrator.words import plural

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_monolith"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample analysed, proposed (10 services) and planned, in a folder of its own."""
    folder = tmp_path_factory.mktemp("command_line")
    files = {"folder": folder, "graph": folder / "graph.json", "decomposition": folder / "decomposition.yaml", "plan": folder / "plan.json"}
    assert run("analyze", str(SAMPLE), "-o", str(files["graph"]), "--no-cache", "-q")[0] == 0
    assert run("propose", str(files["graph"]), "-o", str(files["decomposition"]), "--services", "10", "-q")[0] == 0
    assert run("plan", str(files["decomposition"]), "--graph", str(files["graph"]), "--format", "json", "-o", str(files["plan"]), "-q")[0] == 0
    return files


Args = Callable[[dict[str, Path]], list[str]]

SUCCESS: dict[str, tuple[Args, str]] = {
    "analyze": (lambda s: ["analyze", str(SAMPLE), "-o", str(s["folder"] / "again.json")], "nodes"),
    "propose": (lambda s: ["propose", str(s["graph"]), "--services", "4"], "services"),
    "evaluate": (lambda s: ["evaluate", str(s["decomposition"]), "--graph", str(s["graph"])], "scores"),
    "plan": (lambda s: ["plan", str(s["decomposition"]), "--graph", str(s["graph"]), "-o", str(s["folder"] / "plan.md")], "waves"),
    "check": (lambda s: ["check", "--graph", str(s["graph"]), "--decomposition", str(s["decomposition"]), "--baseline", str(s["plan"])], "ok"),
    "report": (lambda s: ["report", str(s["graph"]), "--decomposition", str(s["decomposition"]), "-o", str(s["folder"] / "r.html")], "report"),
    "generate": (lambda s: ["generate", str(SAMPLE), "--decomposition", str(s["decomposition"]), "-o", str(s["folder"] / "system"),
                            "--dry-run"], "created"),
    "migrate": (lambda s: ["migrate", str(SAMPLE), "-o", str(s["folder"] / "out")], "files"),
}
"""Every command but verify, whose run on a booted system is in tests/e2e/test_verify.py, with
a key its JSON summary has."""


def _json_lines(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines()]


@pytest.mark.parametrize("command", sorted(SUCCESS))
def test_json_on_success_is_one_document_on_stdout(sample, command) -> None:
    args, key = SUCCESS[command]
    code, out, err = run(*args(sample), "--json")
    assert code == 0, err
    assert key in json.loads(out)
    assert all("warning" in line for line in _json_lines(err)), err


ERRORS: dict[str, list[str]] = {
    "analyze": ["analyze", "no/such/folder"],
    "propose": ["propose", "no/such/graph.json"],
    "evaluate": ["evaluate", "no/such.yaml", "--graph", "{graph}"],
    "plan": ["plan", "no/such.yaml", "--graph", "{graph}"],
    "check": ["check", "--graph", "{graph}", "--decomposition", "no/such.yaml"],
    "report": ["report", "no/such/graph.json"],
    "generate": ["generate", str(SAMPLE), "--decomposition", "no/such.yaml", "-o", "{folder}/never"],
    "verify": ["verify", "{folder}"],
    "migrate": ["migrate", "no/such/folder", "-o", "{folder}/never"],
}


@pytest.mark.parametrize("command", sorted(ERRORS))
def test_json_on_an_error_is_one_object_on_stderr_with_exit_1(sample, command) -> None:
    args = [a.format(graph=sample["graph"], folder=sample["folder"]) for a in ERRORS[command]]
    code, out, err = run(*args, "--json")
    assert code == 1
    assert out == ""
    [error] = _json_lines(err)
    assert set(error) == {"error", "hint"} and error["error"]
    assert "Traceback" not in err


def test_errors_without_json_stay_lines_for_people(sample) -> None:
    code, out, err = run("plan", "no/such.yaml", "--graph", str(sample["graph"]))
    assert (code, out, err) == (1, "", "error: no/such.yaml does not exist\n")


def test_a_usage_error_with_json_is_json_and_exits_2() -> None:
    code, out, err = run("evaluate", "d.yaml", "--graph", "g.json", "--no-such-option", "--json")
    assert (code, out) == (2, "")
    assert _json_lines(err) == [{"error": "No such option '--no-such-option'.", "hint": "see `main evaluate --help`"}]


def test_plan_format_json_still_prints_the_whole_plan(sample) -> None:
    code, out, _ = run("plan", str(sample["decomposition"]), "--graph", str(sample["graph"]), "--format", "json")
    assert code == 0
    assert json.loads(out) == json.loads(sample["plan"].read_text())


def test_plan_json_without_output_carries_the_plan_under_its_counts(sample) -> None:
    code, out, _ = run("plan", str(sample["decomposition"]), "--graph", str(sample["graph"]), "--json")
    data = json.loads(out)
    assert (code, data["written"]) == (0, [])
    assert data["plan"] == json.loads(sample["plan"].read_text())
    assert data["violations"] == len(data["plan"]["violations"])


@pytest.mark.parametrize("command", ["analyze", "propose", "evaluate", "plan", "check", "report", "generate"])
def test_quiet_prints_nothing_on_success(sample, command) -> None:
    args, _ = SUCCESS[command]
    code, out, err = run(*args(sample), "--quiet")
    assert (code, out, err) == (0, "", "")


def test_quiet_still_says_what_failed(sample) -> None:
    code, out, err = run("check", "--graph", str(sample["graph"]), "--decomposition", str(sample["decomposition"]), "-q")
    assert (code, out) == (1, "")
    assert err.startswith("error: ") and "imports break the boundaries" in err and "\nhint: " in err


def _commands() -> list[click.Command]:
    return [main, *main.commands.values()]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: c.name)
def test_every_option_has_help_and_every_command_an_example(command) -> None:
    options = [p for p in command.params if isinstance(p, click.Option)]
    assert options
    assert [o.name for o in options if not (o.help or "").strip()] == []
    assert "Example" in (command.help or "")
    assert "--json" in {name for o in options for name in o.opts} or command is main
    assert "--quiet" in {name for o in options for name in o.opts} or command is main


def test_generate_help_says_where_it_writes() -> None:
    code, out, _ = run("generate", "--help")
    assert code == 0
    assert "under OUT" not in out
    assert "from the monolith under SRC" in out and "-o" in out


def _propose_summary(sample, services: int) -> str:
    code, out, err = run("propose", str(sample["graph"]), "--services", str(services))
    assert code == 0, err
    return out.splitlines()[0]


def test_propose_says_1_service_and_2_services(sample) -> None:
    assert _propose_summary(sample, 1) == "Proposed 1 service (module level):"
    assert _propose_summary(sample, 2) == "Proposed 2 services (module level):"


def _plan_of(sample, services: int, tmp_path: Path) -> tuple[str, str]:
    decomposition, plan = tmp_path / f"d{services}.yaml", tmp_path / f"plan{services}.md"
    assert run("propose", str(sample["graph"]), "--services", str(services), "-o", str(decomposition), "-q")[0] == 0
    code, out, err = run("plan", str(decomposition), "--graph", str(sample["graph"]), "-o", str(plan))
    assert code == 0, err
    return out, plan.read_text()


def test_plan_summaries_agree_with_their_counts(sample, tmp_path) -> None:
    out, text = _plan_of(sample, 1, tmp_path)
    # with one service, what crosses is the platform code that stays in the monolith calling it
    rest, events = map(int, re.search(r": 1 wave, (\d+) REST calls?, (\d+) events?, ", out).groups())
    calls = f"{plural(rest, 'call becomes', 'calls become')} REST, {plural(events, 'becomes an event', 'become events')}"
    assert f"\n1 service, extracted in 1 wave; {calls}; " in text
    out, text = _plan_of(sample, 2, tmp_path)
    assert re.search(r": 2 waves, \d+ REST calls?, ", out)
    assert "\n2 services, extracted in 2 waves; " in text
    assert not re.search(r"\b1 (services|waves|REST calls|events|table issues|imports break)\b", out + text)


def test_plan_md_digest_line_renders_as_nothing(sample, tmp_path) -> None:
    _, text = _plan_of(sample, 2, tmp_path)
    first, rest = text.split("\n", 1)
    assert re.fullmatch(r"<!-- migrator-digest: [0-9a-f]{16} -->", first)
    assert rest.startswith("# Migration plan\n")
    assert MarkdownIt("commonmark").render(text).startswith(f"{first}\n<h1>Migration plan</h1>\n")


def test_plan_md_is_replaced_when_unedited_and_kept_when_edited(sample, tmp_path) -> None:
    _, text = _plan_of(sample, 2, tmp_path)
    plan = tmp_path / "plan2.md"
    args = ("plan", str(tmp_path / "d2.yaml"), "--graph", str(sample["graph"]), "-o", str(plan))
    # a plan.md stamped by an earlier migrator, with the digest as a '#' line, is still migrator's own
    plan.write_text(text.replace("<!-- migrator-digest: ", "# migrator-digest: ", 1).replace(" -->\n", "\n", 1))
    assert run(*args)[0] == 0
    assert plan.read_text() == text
    plan.write_text(text + "my note\n")
    code, _, err = run(*args)
    assert code == 1 and "was edited since" in err


# -- migrator check --------------------------------------------------------------------------


def _check(sample, *extra: str, decomposition: Path | None = None) -> tuple[int, str, str]:
    return run("check", str(SAMPLE), "--decomposition", str(decomposition or sample["decomposition"]), *extra)


def test_check_passes_on_the_sample_with_its_own_proposal_and_plan(sample) -> None:
    code, out, err = _check(sample, "--baseline", str(sample["plan"]))
    assert (code, err) == (0, "")
    assert "no new import breaks them" in out


def test_check_fails_listing_each_breaking_import_at_file_line(sample) -> None:
    code, out, err = _check(sample)
    violations = json.loads(sample["plan"].read_text())["violations"]
    assert code == 1
    assert err.startswith(f"error: {len(violations)} imports break the boundaries of ")
    for v in violations:
        for place in v["evidence"]:
            assert f"  {place}: {v['importer']} -> {v['imported']}\n" in out
    assert re.search(r"^  \w+/\w+\.py:\d+: ", out, re.MULTILINE)


def test_check_json_lists_what_the_plan_lists(sample) -> None:
    code, out, _ = run("check", "--graph", str(sample["graph"]), "--decomposition", str(sample["decomposition"]), "--json")
    data = json.loads(out)
    plan = json.loads(sample["plan"].read_text())
    assert (code, data["ok"]) == (1, False)
    assert data["violations"] == plan["violations"] and data["contracts"] == plan["contracts"]


def _moved(sample, module: str, to: str, path: Path) -> Path:
    """The sample's decomposition with ``module`` moved to service ``to``, as a person edits it."""
    data = yaml.safe_load(sample["decomposition"].read_text())
    home = next(s for s in data["services"].values() if module in s["modules"])
    data["services"][to]["modules"][module] = home["modules"].pop(module)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_check_fails_on_a_decomposition_edited_to_break_a_boundary(sample, tmp_path) -> None:
    importer, imported = "sample_monolith.accounts.routes", "sample_monolith.accounts.schemas"
    graph = json.loads(sample["graph"].read_text())
    [edge] = [e for e in graph["edges"] if e["kind"] == "imports" and (e["source"], e["target"]) == (importer, imported)]
    edited = _moved(sample, imported, "cart", tmp_path / "edited.yaml")
    code, out, err = _check(sample, "--baseline", str(sample["plan"]), decomposition=edited)
    assert code == 1
    assert re.search(r"^accounts BROKEN \(\d+ imports?\):$", out, re.MULTILINE)
    assert f"  {edge['evidence'][0]}: {importer} -> {imported}\n" in out
    assert re.match(r"error: \d+ imports? breaks? the boundaries of ", err)


def _hints() -> list[tuple[str, str]]:
    """Every literal text of a hint in migrator's code (``hint=...``, ``start_hint=...``, ``*HINT*``
    constants), with where it is."""
    import ast

    found = []
    for path in sorted((REPO / "migrator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = [k.value for k in node.keywords if k.arg in ("hint", "start_hint")] if isinstance(node, ast.Call) else []
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and "HINT" in t.id.upper() for t in node.targets):
                values.append(node.value)
            for value in values:
                texts = [n.value for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                found += [(f"{path.relative_to(REPO)}:{value.lineno}", text) for text in texts]
    return found


def test_no_hint_names_a_file_only_a_checkout_of_migrator_has() -> None:
    hints = _hints()
    assert len(hints) > 50
    assert [(where, text) for where, text in hints if re.search(r"scripts/|setup\.sh|docs/|tests/", text)] == []
