"""Plans to render (tests/plans.py) and what the deployment artifacts render from them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from generators.deploy import render_deployment
from tests.plans import AWKWARD_NAMES, awkward_plan, shop_plan, spec

__all__ = ["AWKWARD_NAMES", "awkward_plan", "find", "manifests", "shop_plan", "spec"]


@pytest.fixture(scope="session")
def shop() -> dict[str, str]:
    return render_deployment(shop_plan())


@pytest.fixture(scope="session")
def awkward() -> dict[str, str]:
    return render_deployment(awkward_plan())


def manifests(files: dict[str, str], prefix: str = "k8s/") -> list[dict[str, Any]]:
    """Every Kubernetes object under ``prefix`` (kustomizations aside)."""
    return [doc for path, text in sorted(files.items()) if path.startswith(prefix) and path.endswith(".yaml")
            and not path.endswith("kustomization.yaml") for doc in yaml.safe_load_all(text) if doc]


def find(objects: list[dict[str, Any]], kind: str) -> Callable[[str], dict[str, Any]]:
    by_name = {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}
    return by_name.__getitem__
