"""Waiting until every process of a run answers 200 at its health address."""

from __future__ import annotations

import time
from collections.abc import Sequence

import httpx

from migrator.model.progress import Progress
from migrator.verify.adapters.logs import end_of
from migrator.verify.application.ports import Target
from migrator.verify.domain.report import FAILED, PASSED, Step


def wait_ready(targets: Sequence[Target], *, timeout: float, progress: Progress | None = None) -> list[Step]:
    """Poll every target until it answers 200, its process exits, or ``timeout`` seconds pass."""
    started = time.monotonic()
    last: dict[str, str] = {t.name: "no answer yet" for t in targets}
    steps: dict[str, Step] = {}
    with httpx.Client(timeout=2.0, trust_env=False) as client:  # loopback: never through a proxy
        while len(steps) < len(targets):
            for target in targets:
                if target.name not in steps:
                    step = _probe(client, target, last, started)
                    if step is not None:
                        steps[target.name] = step
            if progress:
                progress("ready", len(steps), len(targets))
            if len(steps) < len(targets):
                if time.monotonic() - started > timeout:
                    break
                time.sleep(0.2)
    for target in targets:
        if target.name not in steps:
            steps[target.name] = _failed(target, f"not ready within {timeout:g} s (last answer: {last[target.name]})")
    return [steps[t.name] for t in targets]


def _probe(client: httpx.Client, target: Target, last: dict[str, str], started: float) -> Step | None:
    code = target.process.exit_code()
    if code is not None:
        return _failed(target, f"exited with code {code} before it was ready")
    try:
        response = client.get(target.url)
    except httpx.TransportError as error:
        last[target.name] = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return None
    if response.status_code == 200:
        return Step(f"{target.name} ready", PASSED, f"{target.url} in {time.monotonic() - started:.1f} s", log=str(target.process.log))
    last[target.name] = f"{response.status_code} {response.text[:200]}".strip()
    return None


def _failed(target: Target, detail: str) -> Step:
    log = target.process.log
    return Step(f"{target.name} ready", FAILED, detail, log=str(log), excerpts=(end_of(log),))
