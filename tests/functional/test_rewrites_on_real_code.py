"""The modules' rewrites on real code: every Python file of the corpus's applications and of the
sample, carried with a quarter of its packages moved to the shared library and copied as
services copy it (functions called on their owner, foreign keys dropped, both), gives the texts of
the whole-module rewrite (carry_module, then service_module), whichever way ``run_job`` takes
(most of these are spliced: only the statements that change parsed, generators/splice.py)."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from generators.carry import carry_module
from generators.service.code import RemoteCall, service_module
from generators.service.rewrites import AS_CARRIED, Context, ModuleJob, Variant, run_job
from tests.corpus import CORPUS, require

REPOSITORY = Path(__file__).resolve().parents[2]
APPLICATIONS = ["flasky", "ihatemoney", "chipy-org", "parsifal", "full-stack-fastapi-template/backend"]
CALL = RemoteCall("owner", "/internal/owner/call", True)


def _modules(root: Path, top: str = "") -> dict[str, Path]:
    names = {}
    files = sorted((root / top).rglob("*.py"))
    for path in files:
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _variants(tree: ast.Module) -> tuple[Variant, ...]:
    functions = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    tables = sorted({call.args[0].value.rsplit(".", 1)[0] for call in ast.walk(tree)
                     if isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", "")) == "ForeignKey"
                     and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str) and "." in call.args[0].value})
    return (
        AS_CARRIED,
        Variant(remote=tuple((name, CALL) for name in functions[:2]), client_module="owner_service.runtime.client"),
        Variant(drop=frozenset(tables[:2])),
        Variant(drop=frozenset(tables), remote=tuple((name, CALL) for name in functions[-2:]), client_module="other_service.runtime.client"),
    )


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")  # the applications' invalid escapes
@pytest.mark.parametrize("application", [*APPLICATIONS, "sample"])
def test_every_copy_of_every_module_is_what_the_whole_module_rewrite_gives(application: str) -> None:
    modules = _modules(REPOSITORY, "sample_monolith") if application == "sample" else _modules(require(CORPUS / application))
    packages = sorted({name.rsplit(".", 1)[0] for name in modules if "." in name})
    moved = random.Random(21).sample(packages, max(3, len(packages) // 4))
    moves = {name: f"shared_lib.{name}" for name in modules if any(name == p or name.startswith(p + ".") for p in moved)}
    context = Context(moves, frozenset(modules))
    checked = 0
    for name, path in modules.items():
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        is_package = path.name == "__init__.py"
        variants = _variants(tree)
        result = run_job(ModuleJob(name, source, is_package, variants), context)
        carried = carry_module(source, module=name, is_package=is_package, moves=moves, modules=context.modules).text
        for variant in variants:
            expected = service_module(source, module=name, is_package=is_package, moves=moves, drop_foreign_keys_to=variant.drop,
                                      remote=dict(variant.remote), client_module=variant.client_module, carried=carried)
            assert result.text(ModuleJob(name, source, is_package, variants), variant, context) == expected, (path, variant)
        checked += 1
    assert checked >= 30
