"""The modules' rewrites spread over processes and kept between runs (migrator/pipeline/rewriting.py):
the same results as one process without a cache, cold and warm, and a warm run redoes only the
modules whose copies changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.service.code import RemoteCall
from generators.service.rewrites import Context, ModuleJob, Variant, rewrite_here
from migrator.pipeline import rewriting
from migrator.pipeline.rewriting import pooled_rewrite

CONTEXT = Context({"shop.common": "shop_shared.common"}, frozenset({"shop.common", *(f"shop.m{i}" for i in range(12))}))
CALL = RemoteCall("orders", "/internal/shop/m/total", True)


def module(index: int) -> str:
    imports = "from shop.common import money\n" if index % 3 == 0 else "import json\n"
    return (f'"""Module {index}."""\n{imports}\n\n@route("/x{index}")\ndef handler():\n    return {index}\n\n\n'
            f'def total(order):\n    return order\n\n\nclass Line:\n    order = Column(Integer, ForeignKey("orders.id"))\n')


def jobs(owner_of_orders: str) -> list[ModuleJob]:
    """Each module in two copies: its owner's, and another service's (no handler; total called
    remotely in module 1; the orders table dropped unless that service owns it)."""
    drop = frozenset() if owner_of_orders == "other" else frozenset({"orders"})
    other = Variant(drop=drop, remove=frozenset({"handler"}))
    calling = Variant(drop=drop, remove=frozenset({"handler"}), remote=(("total", CALL),), client_module="other_service.runtime.client")
    return [ModuleJob(f"shop.m{i}", module(i), False, (Variant(), calling if i == 1 else other)) for i in range(12)]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The modules sent to be rewritten (the pool forced on, however small the work)."""
    modules: list[str] = []
    run = rewriting._run

    def recording(todo: list[ModuleJob], context: Context, workers: int) -> object:
        modules.extend(job.module for job in todo)
        return run(todo, context, workers)

    monkeypatch.setattr(rewriting, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(rewriting, "_run", recording)
    return modules


def texts(context: Context, todo: list[ModuleJob], results: list) -> list[list[str]]:
    return [[result.text(job, variant, context) for variant in job.variants] for job, result in zip(todo, results)]


def test_cold_and_warm_runs_give_what_one_process_gives(tmp_path: Path, sent: list[str]) -> None:
    rewrite = pooled_rewrite(tmp_path, workers=2)
    before, after = jobs("shop"), jobs("other")
    assert texts(CONTEXT, before, rewrite(CONTEXT, before)) == texts(CONTEXT, before, rewrite_here(CONTEXT, before))
    assert len(sent) == 12
    rewrite.save()
    sent.clear()
    rewrite = pooled_rewrite(tmp_path, workers=2)
    assert texts(CONTEXT, before, rewrite(CONTEXT, before)) == texts(CONTEXT, before, rewrite_here(CONTEXT, before))
    assert sent == []
    # the orders table changes owner: every module's foreign copy keeps its foreign key now
    assert texts(CONTEXT, after, rewrite(CONTEXT, after)) == texts(CONTEXT, after, rewrite_here(CONTEXT, after))
    assert len(sent) == 12


def test_a_warm_run_redoes_only_the_copies_that_changed(tmp_path: Path, sent: list[str]) -> None:
    rewrite = pooled_rewrite(tmp_path, workers=2)
    rewrite(CONTEXT, jobs("shop"))
    sent.clear()
    changed = jobs("shop")
    changed[4] = ModuleJob("shop.m4", module(4), False, (Variant(), Variant(remove=frozenset({"total"}))))
    changed[5] = ModuleJob("shop.m5", module(5) + "# edited\n", False, changed[5].variants)
    assert texts(CONTEXT, changed, rewrite(CONTEXT, changed)) == texts(CONTEXT, changed, rewrite_here(CONTEXT, changed))
    assert sorted(sent) == ["shop.m4", "shop.m5"]


def test_a_damaged_cache_is_made_again(tmp_path: Path, sent: list[str]) -> None:
    (tmp_path / rewriting.FILE).write_bytes(b"not a pickle")
    todo = jobs("shop")
    assert texts(CONTEXT, todo, pooled_rewrite(tmp_path, workers=2)(CONTEXT, todo)) == texts(CONTEXT, todo, rewrite_here(CONTEXT, todo))
    assert len(sent) == 12


def test_a_run_of_several_calls_keeps_what_each_call_used(tmp_path: Path, sent: list[str]) -> None:
    """The modules and the other Python files (migrations: carried without the modules) go in two calls of one run."""
    files = [ModuleJob(f"shop.migrations.m{i}", module(i), False, in_graph=False) for i in range(6)]
    rewrite = pooled_rewrite(tmp_path, workers=2)
    rewrite(CONTEXT, jobs("shop"))
    rewrite(CONTEXT, files)
    assert not (tmp_path / rewriting.FILE).exists()  # nothing is kept before the run says it is done
    rewrite.save()
    sent.clear()
    warm = pooled_rewrite(tmp_path, workers=2)
    assert texts(CONTEXT, jobs("shop"), warm(CONTEXT, jobs("shop"))) == texts(CONTEXT, jobs("shop"), rewrite_here(CONTEXT, jobs("shop")))
    assert [r.carried for r in warm(CONTEXT, files)] == [r.carried for r in rewrite_here(CONTEXT, files)]
    assert sent == []
