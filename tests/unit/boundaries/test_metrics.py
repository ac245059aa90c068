"""Each metric against small examples worked out by hand, edge cases and properties.

The running example, two services over five units:

    S1 = {a, b, c}        S2 = {d, e}        x is known but not assigned

    calls:   a->b 1, b->a 1, b->c 1, c->d 1, d->e 1, a->e 5
    imports: d->a 1   (not a call: only the structural metrics see it)
    ignored: a->a 3 (self), a->x 1 and x->d 1 (x unassigned)
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections import deque

import pytest

from migrator.boundaries.metrics import (
    Dependency,
    NoCommonUnits,
    OwnershipConflict,
    a2a,
    adjusted_rand_index,
    business_context_purity,
    cargo_cohesion,
    cargo_coupling,
    data_ownership_conflicts,
    evaluate_partition,
    inter_call_percentage,
    interface_number,
    interfaces_per_service,
    mno,
    modularity,
    mojofm,
    non_extreme_distribution,
    structural_modularity,
    turbo_mq,
)


def _partition(**services: str) -> dict[str, str]:
    """_partition(S1="a b", S2="c") -> {"a": "S1", "b": "S1", "c": "S2"}"""
    return {unit: service for service, units in services.items() for unit in units.split()}


PARTITION = _partition(S1="a b c", S2="d e")
EDGES = [
    Dependency("a", "b"),
    Dependency("b", "a"),
    Dependency("b", "c"),
    Dependency("c", "d"),
    Dependency("d", "e"),
    Dependency("a", "e", 5),
    Dependency("d", "a", 1, "imports"),
    Dependency("a", "a", 3),
    Dependency("a", "x"),
    Dependency("x", "d"),
]
CONTEXTS = {
    "a": frozenset({"r1"}),
    "b": frozenset({"r1", "r2"}),
    "c": frozenset(),
    "d": frozenset({"r3"}),
    "e": frozenset({"r3"}),
}


# -- SM -------------------------------------------------------------------------------------


def test_structural_modularity_by_hand() -> None:
    # call-joined unit pairs, either way, each once:
    # inside S1: {a,b} (a->b and b->a), {b,c} = 2 -> scoh1 = 2/3² = 2/9
    # inside S2: {d,e} = 1                        -> scoh2 = 1/2² = 1/4
    # between S1 and S2: {c,d}, {a,e} = 2         -> scop12 = scop21 = 2/(2·3·2) = 1/6
    # SM = (2/9 + 1/4)/2 − (1/6 + 1/6)/(2·1/2) = 17/72 − 24/72 = −7/72
    assert structural_modularity(PARTITION, EDGES) == pytest.approx(-7 / 72)


def test_structural_modularity_counts_pairs_not_weights_and_can_read_all_kinds() -> None:
    heavier = [*EDGES, Dependency("a", "b", 7), Dependency("c", "d", 2, "calls")]
    assert structural_modularity(PARTITION, heavier) == pytest.approx(-7 / 72)
    # with every kind, d->a adds a third crossing pair: scop12 = scop21 = 3/12 = 1/4
    # SM = 17/72 − 1/2 = −19/72
    assert structural_modularity(PARTITION, EDGES, kinds=None) == pytest.approx(-19 / 72)


def test_structural_modularity_of_one_service_is_its_cohesion() -> None:
    # 5 joined pairs among 5 units: scoh = 5/25, no coupling term
    assert structural_modularity(_partition(S="a b c d e"), EDGES) == pytest.approx(1 / 5)


def test_structural_modularity_of_a_one_unit_service_has_no_cohesion() -> None:
    # S1 = {a}: scoh 0; S2 = {b}: scoh 0; {a,b} crosses: scop12 = scop21 = 1/(2·1·1)
    # SM = 0 − (1/2 + 1/2)/1 = −1, the worst value
    assert structural_modularity(_partition(S1="a", S2="b"), EDGES) == pytest.approx(-1)


# -- NED ------------------------------------------------------------------------------------


def _sized(*sizes: int) -> dict[str, str]:
    return {f"s{i}.u{j}": f"s{i}" for i, size in enumerate(sizes) for j in range(size)}


def test_non_extreme_distribution_by_hand() -> None:
    # sizes 3, 5, 20, 21 (49 units): non-extreme are 5 and 20 -> NED = 1 − 25/49 = 24/49
    assert non_extreme_distribution(_sized(3, 5, 20, 21)) == pytest.approx(24 / 49)
    # bounds [3, 21]: every service counts -> 0, the best value
    assert non_extreme_distribution(_sized(3, 5, 20, 21), min_size=3, max_size=21) == 0


def test_non_extreme_distribution_extremes() -> None:
    assert non_extreme_distribution(_sized(1, 1, 1)) == 1  # singletons only: all extreme
    assert non_extreme_distribution(_sized(100)) == 1  # one big service: all extreme
    assert non_extreme_distribution({}) == 1
    with pytest.raises(ValueError):
        non_extreme_distribution(_sized(5), min_size=6, max_size=5)


# -- ICP ------------------------------------------------------------------------------------


def test_inter_call_percentage_by_hand() -> None:
    # each caller-callee pair weighs 1 + ln w: five pairs of 1, a->e 1 + ln 5
    # total 6 + ln 5, crossing c->d 1 + a->e (1 + ln 5) = 2 + ln 5
    expected = (2 + math.log(5)) / (6 + math.log(5))
    assert inter_call_percentage(PARTITION, EDGES) == pytest.approx(expected)


def test_inter_call_percentage_by_raw_volume() -> None:
    # call weight 1+1+1+1+1+5 = 10; crossing c->d 1 + a->e 5 = 6 -> ICP = 0.6
    assert inter_call_percentage(PARTITION, EDGES, log_damped=False) == pytest.approx(0.6)


def test_inter_call_percentage_sums_a_pairs_calls_before_damping() -> None:
    # a->e 5 and a->e 3 are one pair of 8 calls: 1 + ln 8, not (1 + ln 5) + (1 + ln 3)
    edges = [Dependency("a", "b"), Dependency("a", "e", 5), Dependency("a", "e", 3)]
    expected = (1 + math.log(8)) / (2 + math.log(8))
    assert inter_call_percentage(PARTITION, edges) == pytest.approx(expected)


def test_inter_call_percentage_weights_below_one_weigh_themselves() -> None:
    # a->b 0.5 is no count of calls: it weighs 0.5 (1 + ln 0.5 would be 0.31, and
    # negative below 1/e); c->d 3 weighs 1 + ln 3
    edges = [Dependency("a", "b", 0.5), Dependency("c", "d", 3)]
    expected = (1 + math.log(3)) / (1.5 + math.log(3))
    assert inter_call_percentage(PARTITION, edges) == pytest.approx(expected)
    assert inter_call_percentage(PARTITION, [Dependency("a", "b", 1), Dependency("c", "d", 0)]) == 0


def test_inter_call_percentage_without_crossing_or_calls_is_zero() -> None:
    assert inter_call_percentage(_partition(S="a b c d e"), EDGES) == 0
    assert inter_call_percentage(PARTITION, []) == 0
    assert inter_call_percentage(PARTITION, [Dependency("d", "a", 1, "imports")]) == 0


# -- IFN ------------------------------------------------------------------------------------


def test_interface_number_by_hand() -> None:
    # unit pairs across services joined by a call: {c,d}, {a,e}; d->a is an import
    # IFN = 2 pairs / 2 services = 1
    assert interface_number(PARTITION, EDGES) == pytest.approx(1.0)
    # a unit called from two services counts once per caller: S3 = {f} also calls e
    # pairs {c,d}, {a,e}, {e,f} over 3 services
    three = {**PARTITION, "f": "S3"}
    assert interface_number(three, [*EDGES, Dependency("f", "e")]) == pytest.approx(1.0)


def test_interface_number_counts_a_pair_called_both_ways_once() -> None:
    both_ways = [Dependency("a", "b"), Dependency("b", "a")]
    assert interface_number(_partition(S1="a", S2="b"), both_ways) == pytest.approx(1 / 2)
    # as published, each end is an interface of its service
    assert interfaces_per_service(_partition(S1="a", S2="b"), both_ways) == pytest.approx(1.0)


def test_interfaces_per_service_by_hand() -> None:
    # units called from another service: d (by c), e (by a); d->a is an import
    # IFN = |{d, e}| / 2 services = 1
    assert interfaces_per_service(PARTITION, EDGES) == pytest.approx(1.0)
    # a unit called from two services is one interface: S3 = {f} also calls e
    # interfaces {d, e} over 3 services
    three = {**PARTITION, "f": "S3"}
    assert interfaces_per_service(three, [*EDGES, Dependency("f", "e")]) == pytest.approx(2 / 3)


def test_interface_number_edge_cases() -> None:
    for metric in (interface_number, interfaces_per_service):
        assert metric(_partition(S="a b c d e"), EDGES) == 0
        assert metric({}, EDGES) == 0


# -- BCP ------------------------------------------------------------------------------------


def test_business_context_purity_by_hand() -> None:
    # S1: a {r1}, b {r1, r2}, c none -> "unknown": BC1 = {r1, r2, unknown}, H = ln 3
    # S2: d {r3}, e {r3}: BC2 = {r3}, H = ln 1 = 0
    # BCP = (ln 3 + 0) / 2
    assert business_context_purity(PARTITION, CONTEXTS) == pytest.approx(math.log(3) / 2)


def test_business_context_purity_weighted_by_hand() -> None:
    # S1 names r1 twice (a, b) and r2 once (b); c adds nothing: p = (2/3, 1/3)
    # H1 = −(2/3 ln 2/3 + 1/3 ln 1/3) = ln 3 − (2/3) ln 2; S2 names only r3: H2 = 0
    expected = (math.log(3) - 2 / 3 * math.log(2)) / 2
    assert business_context_purity(PARTITION, CONTEXTS, weighted=True) == pytest.approx(expected)


def test_business_context_purity_of_single_context_services_is_zero() -> None:
    contexts = {"a": {"r1"}, "b": {"r1"}, "d": {"r2"}}
    assert business_context_purity(_partition(S1="a b", S2="d"), contexts) == 0
    assert business_context_purity(_partition(S1="a b", S2="d"), contexts, weighted=True) == 0
    # nobody reached at all: every service holds only "unknown"
    assert business_context_purity(_partition(S1="a b", S2="d"), {}) == 0
    assert business_context_purity({}, contexts) == 0


# -- MQ, CARGO ------------------------------------------------------------------------------


def test_turbo_mq_by_hand() -> None:
    # every kind, weighted: μ1 = a->b + b->a + b->c = 3, μ2 = d->e = 1
    # crossing c->d 1 + a->e 5 + d->a 1 = 7, counted for both services
    # CF1 = 6/(6+7) = 6/13, CF2 = 2/(2+7) = 2/9, MQ = 6/13 + 2/9 = 80/117
    assert turbo_mq(PARTITION, EDGES) == pytest.approx(80 / 117)


def test_turbo_mq_edge_cases() -> None:
    assert turbo_mq(_partition(S="a b c d e"), EDGES) == 1  # no exit edge: CF = 1
    assert turbo_mq(PARTITION, []) == 0
    # S1 = {a} has no inside edge: CF1 = 0 whatever its exits; S2 = {b, c}: μ 1, ε 2
    # MQ = 0 + 2/(2+2) = 1/2
    assert turbo_mq(_partition(S1="a", S2="b c"), EDGES) == pytest.approx(1 / 2)


def test_cargo_cohesion_and_coupling_by_hand() -> None:
    # cohesion = mean of 2I/(2I+E) = (6/13 + 2/9)/2 = 40/117
    assert cargo_cohesion(PARTITION, EDGES) == pytest.approx(40 / 117)
    # coupling: weight 3 + 1 inside, 7 crossing -> 7/11
    assert cargo_coupling(PARTITION, EDGES) == pytest.approx(7 / 11)


def test_cargo_edge_cases() -> None:
    whole = _partition(S="a b c d e")
    assert cargo_cohesion(whole, EDGES) == 1 and cargo_coupling(whole, EDGES) == 0
    assert cargo_cohesion(PARTITION, []) == 0 and cargo_coupling(PARTITION, []) == 0
    assert cargo_cohesion({}, EDGES) == 0


# -- Newman modularity ----------------------------------------------------------------------


def test_modularity_by_hand() -> None:
    # undirected weights: {a,b} 1+1 = 2, {b,c} 1, {c,d} 1, {d,e} 1, {a,e} 5, {a,d} 1; m = 11
    # inside: L1 = 2 + 1 = 3, L2 = 1
    # degrees: a 2+5+1 = 8, b 2+1 = 3, c 2, d 3, e 6 -> d1 = 13, d2 = 9 (sum 22 = 2m)
    # Q = 3/11 − (13/22)² + 1/11 − (9/22)² = 176/484 − 250/484 = −37/242
    assert modularity(PARTITION, EDGES) == pytest.approx(-37 / 242)


def test_modularity_of_two_cliques_joined_by_one_edge() -> None:
    # two triangles {a,b,c}, {d,e,f} and c-d: m = 7, L = 3 each, degrees 7 each
    # Q = 2 · (3/7 − (7/14)²) = 6/7 − 1/2 = 5/14
    edges = [Dependency(u, v) for u, v in ["ab", "bc", "ca", "de", "ef", "fd", "cd"]]
    assert modularity(_partition(S1="a b c", S2="d e f"), edges) == pytest.approx(5 / 14)


def test_modularity_edge_cases() -> None:
    assert modularity(_partition(S="a b c d e"), EDGES) == pytest.approx(0)  # L = m, d = 2m
    assert modularity(PARTITION, []) == 0


def test_modularity_matches_networkx_on_random_graphs() -> None:
    nx = pytest.importorskip("networkx")
    rng = random.Random(7)
    for _ in range(20):
        units = [f"u{i}" for i in range(rng.randint(2, 25))]
        partition = {u: f"s{rng.randint(0, 4)}" for u in units}
        edges = [
            Dependency(u, v, rng.choice([1, 2, 3.5]), rng.choice(["calls", "imports"]))
            for u, v in itertools.permutations(units, 2)
            if rng.random() < 0.2
        ]
        graph = nx.Graph()
        graph.add_nodes_from(units)
        for edge in edges:
            previous = graph.get_edge_data(edge.source, edge.target, {"weight": 0})["weight"]
            graph.add_edge(edge.source, edge.target, weight=previous + edge.weight)
        communities = [{u for u in units if partition[u] == s} for s in set(partition.values())]
        expected = nx.community.modularity(graph, communities, weight="weight") if edges else 0
        assert modularity(partition, edges) == pytest.approx(expected)


# -- data ownership -------------------------------------------------------------------------


def test_data_ownership_conflicts() -> None:
    writes = {"users": {"a", "b"}, "orders": {"e", "a", "c"}, "audit": {"x", "d"}, "logs": set()}
    # users: only S1; audit: x is unassigned, so only S2; orders: S1 and S2
    assert data_ownership_conflicts(PARTITION, writes) == (OwnershipConflict("orders", ("S1", "S2")),)
    assert data_ownership_conflicts(_partition(S="a b c d e"), writes) == ()


# -- MoJo, MoJoFM ---------------------------------------------------------------------------


def _moves_and_joins_by_search(source: dict[str, str], target: dict[str, str]) -> int:
    """The exact MoJo distance one way, by breadth-first search over all partitions."""

    def state(p: dict[str, str]) -> frozenset[frozenset[str]]:
        return frozenset(frozenset(u for u in p if p[u] == s) for s in set(p.values()))

    goal, start = state(target), state(source)
    distance = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            return distance[current]
        clusters = list(current)
        neighbours = []
        for first, second in itertools.combinations(clusters, 2):  # joins
            neighbours.append(current - {first, second} | {first | second})
        for cluster in clusters:  # moves, to another cluster or a new one
            for unit in cluster:
                rest = current - {cluster} | ({cluster - {unit}} if len(cluster) > 1 else set())
                if len(cluster) > 1:
                    neighbours.append(rest | {frozenset({unit})})
                for other in clusters:
                    if other != cluster:
                        neighbours.append(rest - {other} | {other | {unit}})
        for neighbour in neighbours:
            if neighbour not in distance:
                distance[neighbour] = distance[current] + 1
                queue.append(neighbour)
    raise AssertionError("unreachable")


def test_mno_is_the_exact_moves_and_joins_distance() -> None:
    rng = random.Random(3)
    for _ in range(150):
        units = "abcdef"[: rng.randint(1, 6)]
        source = {u: f"A{rng.randint(0, 3)}" for u in units}
        target = {u: f"B{rng.randint(0, 3)}" for u in units}
        assert mno(source, target) == _moves_and_joins_by_search(source, target)


def test_mojofm_by_hand() -> None:
    a = _partition(S1="a b c", S2="d e f")
    b = _partition(T1="a b", T2="c d", T3="e f")
    # A→B: S1 tags T1,T1,T2 -> best T1, 1 move; S2 tags T2,T3,T3 -> best T3, 1 move
    # matching S1-T1, S2-T3 (M = 2 = l): no join; mno = 2
    # max: B sizes 2,2,2 -> g = 1, 2, 2 -> g = 2; max = 6 − 2 = 4; MoJoFM = (1 − 2/4)·100 = 50
    assert mno(a, b) == 2
    assert mojofm(a, b) == pytest.approx(50)


def test_mojofm_is_not_symmetric() -> None:
    one = _partition(S1="a b c d")
    two = _partition(T1="a b", T2="c d")
    # one→two: S1 tags T1,T1,T2,T2 -> 2 moves; l = 1 = M: mno = 2
    # max towards two: sizes 2,2 -> g = 2; 4 − 2 = 2 -> MoJoFM = (1 − 2/2)·100 = 0
    assert mojofm(one, two) == pytest.approx(0)
    # two→one: no move; both clusters want S1, M = 1, 1 join: mno = 1
    # max towards one: size 4 -> g = 1; 4 − 1 = 3 -> MoJoFM = (1 − 1/3)·100 = 66.67
    assert mojofm(two, one) == pytest.approx(200 / 3)


def test_mojofm_of_identical_partitions_is_100_whatever_the_names() -> None:
    assert mojofm(PARTITION, PARTITION) == 100
    renamed = {u: {"S1": "orders", "S2": "users"}[s] for u, s in PARTITION.items()}
    assert mojofm(PARTITION, renamed) == 100
    assert mojofm({"a": "S"}, {"a": "T"}) == 100  # one common unit: nothing can differ


def test_mojofm_of_all_in_one_against_all_singletons_is_0_both_ways() -> None:
    together = _partition(S="a b c d e")
    apart = _partition(A="a", B="b", C="c", D="d", E="e")
    # together→apart: 4 moves, max = 5 − 1 = 4; apart→together: 4 joins, max = 5 − 1 = 4
    assert mojofm(together, apart) == 0
    assert mojofm(apart, together) == 0


def test_truth_metrics_compare_the_common_units_only() -> None:
    truth = {**PARTITION, "z": "S9"}  # z is unknown to the decomposition
    partial = {**PARTITION, "y": "S1"}  # y is unknown to the truth
    assert mojofm(partial, truth) == 100
    assert a2a(partial, truth) == 100
    assert adjusted_rand_index(partial, truth) == 1
    with pytest.raises(NoCommonUnits, match="no unit in common"):
        mojofm(PARTITION, {"z": "S9"})
    with pytest.raises(NoCommonUnits):
        a2a(PARTITION, {})
    with pytest.raises(NoCommonUnits):
        adjusted_rand_index({}, PARTITION)


# -- a2a ------------------------------------------------------------------------------------


def test_a2a_by_hand() -> None:
    a = _partition(S1="a b c", S2="d e f")
    b = _partition(T1="a b", T2="c d", T3="e f")
    # best pairing S1-T1 (2 kept) and S2-T3 (2 kept): 6 − 4 = 2 moves; T2 added: 1
    # mto = 3; aco(A) = 2 + 2·6 = 14, aco(B) = 3 + 12 = 15 -> a2a = (1 − 3/29)·100
    assert a2a(a, b) == pytest.approx((1 - 3 / 29) * 100)
    assert a2a(b, a) == pytest.approx(a2a(a, b))


def test_a2a_extremes() -> None:
    assert a2a(PARTITION, PARTITION) == 100
    together = _partition(S="a b c d")
    apart = _partition(A="a", B="b", C="c", D="d")
    # one cluster kept with 1 unit: 3 moves; 3 clusters added -> mto = 6
    # aco = (1 + 8) + (4 + 8) = 21 -> a2a = (1 − 6/21)·100
    assert a2a(together, apart) == pytest.approx((1 - 6 / 21) * 100)
    assert a2a(apart, together) == pytest.approx(a2a(together, apart))


def test_a2a_pairs_clusters_optimally() -> None:
    rng = random.Random(11)
    for _ in range(60):
        units = [f"u{i}" for i in range(rng.randint(1, 12))]
        a = {u: f"A{rng.randint(0, 4)}" for u in units}
        b = {u: f"B{rng.randint(0, 5)}" for u in units}
        left, right = sorted(set(a.values())), sorted(set(b.values()))
        small, large = (left, right) if len(left) <= len(right) else (right, left)
        best = 0
        for chosen in itertools.permutations(large, len(small)):
            pairs = dict(zip(small, chosen)) if small is left else dict(zip(chosen, small))
            best = max(best, sum(1 for u in units if pairs.get(a[u]) == b[u]))
        mto = abs(len(left) - len(right)) + len(units) - best
        expected = (1 - mto / (len(left) + len(right) + 4 * len(units))) * 100
        assert a2a(a, b) == pytest.approx(expected)


# -- ARI ------------------------------------------------------------------------------------


def test_adjusted_rand_index_by_hand() -> None:
    a = _partition(S1="a b c", S2="d e f")
    b = _partition(T1="a b", T2="c d", T3="e f")
    # cells: S1∩T1 2, S1∩T2 1, S2∩T2 1, S2∩T3 2 -> Σ C(n_ij,2) = 1 + 1 = 2
    # Σ C(a_i,2) = 3 + 3 = 6, Σ C(b_j,2) = 1 + 1 + 1 = 3, C(6,2) = 15
    # E = 6·3/15 = 1.2, max = (6 + 3)/2 = 4.5 -> ARI = (2 − 1.2)/(4.5 − 1.2) = 8/33
    assert adjusted_rand_index(a, b) == pytest.approx(8 / 33)
    assert adjusted_rand_index(b, a) == pytest.approx(8 / 33)


def test_adjusted_rand_index_extremes() -> None:
    renamed = {u: s.lower() for u, s in PARTITION.items()}
    assert adjusted_rand_index(PARTITION, renamed) == 1
    together = _partition(S="a b c d")
    apart = _partition(A="a", B="b", C="c", D="d")
    # together: Σ C(a,2) = 6; apart: 0; index 0, E = 0, max = 3 -> ARI = 0
    assert adjusted_rand_index(together, apart) == 0
    assert adjusted_rand_index(together, together) == 1  # denominator 0: identical
    assert adjusted_rand_index(apart, apart) == 1
    # the ARI is below 0 when agreement is worse than chance:
    # a = {ab}{cd}, b = {ac}{bd}: index 0, E = 2·2/6 = 2/3, max = 2 -> (0 − 2/3)/(2 − 2/3) = −1/2
    crossed = adjusted_rand_index(_partition(S1="a b", S2="c d"), _partition(T1="a c", T2="b d"))
    assert crossed == pytest.approx(-1 / 2)


# -- all at once ----------------------------------------------------------------------------


def test_evaluate_partition_carries_every_score() -> None:
    truth = _partition(S1="a b", S2="c d e")
    writes = {"orders": {"a", "d"}}
    scores = evaluate_partition(PARTITION, EDGES, contexts=CONTEXTS, truth=truth, writes=writes)
    assert scores.services == 2
    assert scores.assigned_share == pytest.approx(5 / 6)  # x is known from the edges
    assert scores.sm == pytest.approx(-7 / 72)
    assert scores.icp == pytest.approx((2 + math.log(5)) / (6 + math.log(5)))
    assert scores.icp_volume == pytest.approx(0.6)
    assert scores.ifn == pytest.approx(1.0)
    assert scores.ifn_interfaces == pytest.approx(1.0)
    assert scores.ned == 1  # sizes 3 and 2 are both extreme
    assert scores.bcp == pytest.approx(math.log(3) / 2)
    assert scores.mq == pytest.approx(80 / 117)
    assert scores.modularity == pytest.approx(-37 / 242)
    assert scores.cargo_cohesion == pytest.approx(40 / 117)
    assert scores.cargo_coupling == pytest.approx(7 / 11)
    assert scores.ownership_conflicts == (OwnershipConflict("orders", ("S1", "S2")),)
    # one move (c to S2) of at most 5 − 2 = 3
    assert scores.mojofm == pytest.approx(200 / 3)
    assert scores.a2a is not None and scores.ari is not None
    data = json.loads(json.dumps(scores.to_dict()))
    assert data["ownership_conflicts"] == [{"table": "orders", "services": ["S1", "S2"]}]
    assert list(data)[:2] == ["services", "assigned_share"]


def test_evaluate_partition_without_optional_inputs() -> None:
    scores = evaluate_partition(PARTITION, EDGES, units=["a", "b", "c", "d", "e", "x", "y"])
    assert scores.assigned_share == pytest.approx(5 / 7)
    assert scores.bcp is None and scores.ownership_conflicts is None
    assert scores.mojofm is None and scores.a2a is None and scores.ari is None
    assert json.loads(json.dumps(scores.to_dict()))["mojofm"] is None
    empty = evaluate_partition({}, [])
    assert empty.services == 0 and empty.assigned_share == 0 and empty.sm == 0


def test_dependency_refuses_negative_or_infinite_weights() -> None:
    with pytest.raises(ValueError, match="weight"):
        Dependency("a", "b", -1)
    with pytest.raises(ValueError):
        Dependency("a", "b", math.inf)
    with pytest.raises(ValueError):
        Dependency("a", "b", math.nan)
