"""Mono2Micro's published DayTrader figures, computed with our metrics on their own data.

Their evaluation script gives BCP 1.602, ICP 0.346, SM 0.137, IFN 4.182 and NED 0.135 for their
11-way partition of DayTrader (tests/assets/mono2micro_daytrader/README.md says where the data
and the figures come from). Calls from ``Root``, the entry of every trace, and a class's calls
to itself are left out by our metrics as by their script: ``Root`` is in no partition.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from migrator.boundaries.metrics import Dependency, Scores, evaluate_partition

DAYTRADER = Path(__file__).resolve().parents[2] / "assets" / "mono2micro_daytrader"
PUBLISHED = {"bcp": 1.602, "icp": 0.346, "ifn": 4.182, "ned": 0.135}
"""Their figures, rounded to three places as they publish them, that we reproduce exactly."""
PUBLISHED_SM = 0.137


def _load(name: str) -> dict:
    return json.loads((DAYTRADER / f"{name}.json").read_text())


def _calls() -> list[Dependency]:
    return [Dependency(*call.split("--"), volume) for call, volume in _load("runtime_call_volume").items()]


@pytest.fixture(scope="module")
def partition() -> dict[str, str]:
    # insertion order kept: the script's SM depends on it (see the last test)
    return {unit: str(part) for unit, part in _load("vertical_cluster_assignment_11").items()}


@pytest.fixture(scope="module")
def scores(partition) -> Scores:
    return evaluate_partition(partition, _calls(), contexts=_load("bcs_per_class"))


def test_the_data_is_their_11_way_partition_of_74_classes(partition) -> None:
    assert len(partition) == 74 and len(set(partition.values())) == 11
    called = {unit for call in _calls() for unit in (call.source, call.target)}
    assert called - set(partition) == {"Root"}


@pytest.mark.parametrize("metric", sorted(PUBLISHED))
def test_our_metric_gives_their_published_figure(scores, metric) -> None:
    assert round(getattr(scores, metric), 3) == PUBLISHED[metric]


def test_the_papers_forms_of_icp_and_ifn_are_the_second_figures(scores) -> None:
    # raw call volume instead of 1 + ln(volume); called classes instead of class pairs
    assert round(scores.icp_volume, 3) == 0.595
    assert round(scores.ifn_interfaces, 3) == 1.273


def test_structural_modularity_differs_only_by_the_scripts_self_pairs(partition, scores) -> None:
    # The script's loop over a partition's class pairs, ``for i in range(n - 1): for j in
    # range(i, n)``, pairs a class with itself, so a class calling itself adds to cohesion,
    # except the last class of each partition in file order. We leave self-calls out.
    assert round(scores.sm, 3) == 0.127
    members: defaultdict[str, list[str]] = defaultdict(list)
    for unit, part in partition.items():
        members[part].append(unit)
    calls_itself = {call.source for call in _calls() if call.source == call.target}
    self_pairs = {part: sum(1 for unit in units[:-1] if unit in calls_itself) for part, units in members.items()}
    assert sum(self_pairs.values()) == 18 and len(calls_itself & set(partition)) == 21
    cohesion_they_add = sum(self_pairs[part] / len(units) ** 2 for part, units in members.items()) / len(members)
    assert round(scores.sm + cohesion_they_add, 3) == PUBLISHED_SM
