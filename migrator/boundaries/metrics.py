"""Scores of a decomposition: the metrics behind ``migrator evaluate``.

Every metric is a pure function over plain data:

- ``partition``: unit -> service name; a unit that is not assigned is simply absent;
- ``edges``: directed ``Dependency`` values between units;
- ``contexts``: unit -> business contexts (the routes whose handlers reach it), for BCP;
- ``truth``: a reference partition, for the external metrics (MoJoFM, a2a, ARI).

Conventions shared by all of them:

- Only edges whose two ends are assigned count, and a unit's dependency on itself never
  does: it cannot cross a boundary, and keeping it would only inflate cohesion.
- Metrics that their authors define on calls (SM, ICP, IFN) read the edges whose ``kind``
  is in ``kinds`` (``{"calls"}`` by default); structural ones (MQ, Newman modularity,
  CARGO cohesion and coupling) read every edge they are given. Each docstring says which.
- Mono2Micro's evaluation script (FSE 2021 replication package) is the reference for SM,
  ICP, IFN, BCP and NED: where it computes a metric otherwise than the paper states it,
  the script is followed, so that the figures compare with the published ones, and the
  paper's form is a second, named figure (ICP without ``log_damped``,
  ``interfaces_per_service``). ``tests/unit/boundaries/test_daytrader.py`` reproduces
  their published DayTrader figures.
- Where a formula divides by zero (no service, no edge), the docstring gives the value
  returned, chosen as the one of the "nothing is coupled" reading.
- Against a truth, only the units present in both partitions are compared (their
  intersection); a unit that one side does not know is ignored, as the MoJo tool does.
  With no common unit at all the comparison is meaningless and ``NoCommonUnits`` is raised.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from migrator.errors import MigratorError

CALLS: frozenset[str] = frozenset({"calls"})
"""The edge kinds that the call-based metrics (SM, ICP, IFN) read by default."""

NED_MIN_SIZE = 5
NED_MAX_SIZE = 20
"""Mono2Micro's bounds: a service of 5 to 20 units (inclusive) has a non-extreme size."""


@dataclass(frozen=True)
class Dependency:
    """A directed dependency of unit ``source`` on unit ``target``.

    ``weight`` counts occurrences (call sites, imports...); ``kind`` is an edge kind of
    the graph format (``calls``, ``imports``, ``reads``...).
    """

    source: str
    target: str
    weight: float = 1.0
    kind: str = "calls"

    def __post_init__(self) -> None:
        if not (self.weight >= 0 and math.isfinite(self.weight)):
            raise ValueError(
                f"dependency {self.source} -> {self.target} has weight {self.weight}; "
                "weights must be finite and not negative"
            )


@dataclass(frozen=True)
class OwnershipConflict:
    """A table written by units of more than one service: its data has no single owner."""

    table: str
    services: tuple[str, ...]


class NoCommonUnits(MigratorError):
    """A decomposition and a reference partition share no unit, so they cannot be compared."""


# -- internal metrics ---------------------------------------------------------------------


def structural_modularity(
    partition: Mapping[str, str],
    edges: Sequence[Dependency],
    *,
    kinds: Collection[str] | None = CALLS,
) -> float:
    """Structural Modularity (SM), higher is better, in [-1, 1/2).

    Jin et al., "Service Candidate Identification from Monolithic Systems Based on
    Execution Traces", IEEE TSE 2019/2021, as Mono2Micro's evaluation script computes it
    (``structural_modularity`` of the FSE 2021 replication package):

        SM = (1/K) Σ_i scoh_i − (2/(K(K−1))) Σ_{i≠j} scop_ij
        scoh_i = μ_i / N_i²        scop_ij = σ_ij / (2 N_i N_j)

    with K services, N_i units in service i, μ_i the unordered pairs of units of service i
    joined by an edge in either direction and σ_ij the pairs with one unit in i and one in
    j so joined. Edges are unweighted. The sum runs over ordered pairs of services, so each
    pair counts twice (Bunch's ``BasicMQ``, which Jin et al. take, counts it once); there
    is no coupling term when K = 1. Reads ``kinds`` edges (calls by default; ``None`` reads
    every edge). Returns 0.0 without services.

    A unit's call to itself never counts. The script's loop over the pairs of a service
    (``for i in range(n - 1): for j in range(i, n)``) does count it, except for the last
    unit of each service in the order of its input, which makes its figure depend on that
    order; on Mono2Micro's DayTrader data that is the whole gap between its 0.137 and the
    0.127 computed here (``tests/unit/boundaries/test_daytrader.py``).
    """
    members = _services(partition)
    if not members:
        return 0.0
    inside: Counter[str] = Counter()
    between: Counter[tuple[str, str]] = Counter()
    for first, second in _joined_pairs(partition, edges, kinds):
        if partition[first] == partition[second]:
            inside[partition[first]] += 1
        else:
            between[partition[first], partition[second]] += 1
    k = len(members)
    cohesion = sum(inside[s] / len(units) ** 2 for s, units in members.items()) / k
    if k == 1:
        return cohesion
    coupling = sum(
        2 * count / (2 * len(members[first]) * len(members[second]))
        for (first, second), count in between.items()
    )
    return cohesion - coupling / (k * (k - 1) / 2)


def non_extreme_distribution(
    partition: Mapping[str, str],
    *,
    min_size: int = NED_MIN_SIZE,
    max_size: int = NED_MAX_SIZE,
) -> float:
    """Non-Extreme Distribution (NED), lower is better, in [0, 1].

    Kalia et al., "Mono2Micro", ESEC/FSE 2021, as computed by their evaluation script
    (``non_extreme_distribution``), after Wu, Hassan and Holt (ICSM 2005):

        NED = 1 − (Σ_{i : min_size ≤ N_i ≤ max_size} N_i) / N

    the share of units that sit in services of extreme size (too small or too large),
    with Mono2Micro's bounds 5 and 20 as defaults (both inclusive). Reads no edge.
    Returns 1.0 for an empty partition, as the script does.
    """
    if min_size > max_size:
        raise ValueError(f"min_size {min_size} is larger than max_size {max_size}")
    sizes = Counter(partition.values()).values()
    total = sum(sizes)
    if total == 0:
        return 1.0
    return 1 - sum(n for n in sizes if min_size <= n <= max_size) / total


def inter_call_percentage(
    partition: Mapping[str, str],
    edges: Sequence[Dependency],
    *,
    kinds: Collection[str] | None = CALLS,
    log_damped: bool = True,
) -> float:
    """Inter-Call Percentage (ICP), lower is better, in [0, 1].

    Kalia et al., "Mono2Micro", ESEC/FSE 2021, as their evaluation script computes it
    (``inter_call_percentage``):

        ICP = Σ_{(u,v) : s(u) ≠ s(v)} d(w(u,v)) / Σ_{(u,v)} d(w(u,v)),    d(w) = 1 + ln w

    the share of the calls that cross a service boundary, w(u,v) being the total weight of
    the ``kinds`` edges from u to v (calls by default: call sites, or runtime call volumes)
    and each caller-callee pair damped to 1 + ln w, so that one hot pair does not outweigh
    every other. A weight below 1 is no count of calls; it weighs itself (d(w) = w), which
    keeps d continuous and never negative.

    Without ``log_damped``, each pair weighs its raw volume w(u,v): the share of call
    volume that crosses, as the paper words ICP. Returns 0.0 when there is no call weight.
    """
    volume: defaultdict[tuple[str, str], float] = defaultdict(float)
    for edge in _assigned_edges(partition, edges, kinds):
        volume[edge.source, edge.target] += edge.weight
    if log_damped:
        volume = defaultdict(float, {pair: _damped(w) for pair, w in volume.items()})
    return _crossing_share(partition, volume)


def interface_number(
    partition: Mapping[str, str],
    edges: Sequence[Dependency],
    *,
    kinds: Collection[str] | None = CALLS,
) -> float:
    """Interface Number (IFN) as Mono2Micro's evaluation script counts it, lower is better.

    Kalia et al., ESEC/FSE 2021, ``interface_number`` of their replication package:

        IFN = |{ {u, v} : s(u) ≠ s(v), u -> v or v -> u }| / K

    the unordered pairs of units in different services joined by a ``kinds`` edge (calls
    by default) in either direction, per service: a unit that units of other services call
    from three places counts three times, where the paper's IFN counts it once
    (``interfaces_per_service``). Returns 0.0 without services.
    """
    k = len(set(partition.values()))
    if k == 0:
        return 0.0
    crossing = [pair for pair in _joined_pairs(partition, edges, kinds) if partition[pair[0]] != partition[pair[1]]]
    return len(crossing) / k


def interfaces_per_service(
    partition: Mapping[str, str],
    edges: Sequence[Dependency],
    *,
    kinds: Collection[str] | None = CALLS,
) -> float:
    """Interface Number (IFN) as the papers define it, lower is better.

    Jin et al., TSE 2019, as Mono2Micro's paper (ESEC/FSE 2021) states it:

        IFN = (1/K) Σ_i |I_i|

    where I_i, the interfaces of service i, are its units that a unit of another service
    calls (a ``kinds`` edge, calls by default). Returns 0.0 without services.
    ``interface_number`` is IFN as Mono2Micro's script counts it.
    """
    k = len(set(partition.values()))
    if k == 0:
        return 0.0
    interfaces = {
        e.target
        for e in _assigned_edges(partition, edges, kinds)
        if partition[e.source] != partition[e.target]
    }
    return len(interfaces) / k


def business_context_purity(
    partition: Mapping[str, str],
    contexts: Mapping[str, Collection[str]],
    *,
    weighted: bool = False,
) -> float:
    """Business Context Purity (BCP), lower is better, in nats.

    Kalia et al., "Mono2Micro", ESEC/FSE 2021: the mean over services of the entropy of
    the business contexts found in each service,

        BCP = (1/K) Σ_i H(BC_i),    H(BC_i) = ln |BC_i|

    where BC_i is the set of contexts of the units of service i, each equally likely, as
    the evaluation script computes it (``scipy.stats.entropy([1] * len(bcs))``, natural
    log, not normalised); a unit that no context reaches adds the context "unknown".

    With ``weighted``, follows CARGO's evaluation script (Nitin et al., ASE 2022) instead:
    H(BC_i) = −Σ_c p_c ln p_c with p_c the share of the (unit, context) pairs of service i
    that name context c, units without a context adding nothing (0.0 for a service that
    no context reaches). Reads no edge. Returns 0.0 without services.
    """
    members = _services(partition)
    if not members:
        return 0.0
    entropy = _weighted_context_entropy if weighted else _context_set_entropy
    return sum(entropy(units, contexts) for units in members.values()) / len(members)


def turbo_mq(partition: Mapping[str, str], edges: Sequence[Dependency]) -> float:
    """Bunch's Modularization Quality, TurboMQ form, higher is better, in [0, K].

    Mitchell and Mancoridis, "On the automatic modularization of software systems using
    the Bunch tool", IEEE TSE 32(3), 2006 (MQ of Mancoridis et al., 1998/1999):

        MQ = Σ_i CF_i,    CF_i = 2μ_i / (2μ_i + Σ_{j≠i} (ε_ij + ε_ji)),  CF_i = 0 if μ_i = 0

    with μ_i the weight of the edges inside service i and ε_ij the weight of the edges
    from service i to service j, as Bunch's weighted ``TurboMQIncrW`` computes it.
    Structural: reads every edge given. Returns 0.0 without services.
    """
    intra, inter = _intra_inter_weights(partition, edges)
    return sum(_cluster_factor(intra[s], inter[s]) for s in set(partition.values()))


def modularity(partition: Mapping[str, str], edges: Sequence[Dependency]) -> float:
    """Newman's modularity Q of the services, higher is better, in [-1/2, 1).

    Newman and Girvan, Phys. Rev. E 69, 2004; weighted form, Newman, Phys. Rev. E 70, 2004:

        Q = Σ_c [ L_c / m − (d_c / (2m))² ]

    on the undirected weighted graph where the weight of {u, v} is the sum of the weights
    of u -> v and v -> u: m is the total weight, L_c the weight inside service c and d_c
    the total weighted degree of its units. Structural: reads every edge given.
    Returns 0.0 when there is no edge weight (Q is undefined then).
    """
    total = 0.0
    inside: defaultdict[str, float] = defaultdict(float)
    degree: defaultdict[str, float] = defaultdict(float)
    for edge in _assigned_edges(partition, edges, None):
        first, second = partition[edge.source], partition[edge.target]
        total += edge.weight
        degree[first] += edge.weight
        degree[second] += edge.weight
        if first == second:
            inside[first] += edge.weight
    if total == 0:
        return 0.0
    return sum(inside[c] / total - (degree[c] / (2 * total)) ** 2 for c in degree)


def cargo_cohesion(partition: Mapping[str, str], edges: Sequence[Dependency]) -> float:
    """CARGO's structural cohesion, higher is better, in [0, 1].

    Nitin et al., "CARGO: AI-Guided Dependency Analysis for Migrating Monolithic
    Applications to Microservices Architecture", ASE 2022, as computed by their artefact
    (``Metrics._static_cohesion``):

        Cohesion = (1/K) Σ_i 2 I_i / (2 I_i + E_i)

    with I_i the weight of the edges inside service i and E_i the weight of the edges
    with exactly one end in it (0 for a service without edges), i.e. TurboMQ / K.
    The paper's own text was not available; this is the artefact's formula. Structural:
    reads every edge given (CARGO uses its whole program dependency graph).
    Returns 0.0 without services.
    """
    services = set(partition.values())
    if not services:
        return 0.0
    return turbo_mq(partition, edges) / len(services)


def cargo_coupling(partition: Mapping[str, str], edges: Sequence[Dependency]) -> float:
    """CARGO's structural coupling, lower is better, in [0, 1].

    Nitin et al., ASE 2022, as computed by their artefact (``Metrics._static_coupling``):
    the share of the dependency weight that crosses a service boundary,

        Coupling = Σ_{(u,v) : s(u) ≠ s(v)} w(u,v) / Σ_{(u,v)} w(u,v).

    The artefact also counts an edge with one unassigned end as crossing; here such edges
    are ignored like everywhere else in this module. Structural: reads every edge given.
    Returns 0.0 when there is no edge weight.
    """
    volume: defaultdict[tuple[str, str], float] = defaultdict(float)
    for edge in _assigned_edges(partition, edges, None):
        volume[edge.source, edge.target] += edge.weight
    return _crossing_share(partition, volume)


def data_ownership_conflicts(
    partition: Mapping[str, str],
    writes: Mapping[str, Collection[str]],
) -> tuple[OwnershipConflict, ...]:
    """The tables written by units of more than one service, sorted by table.

    ``writes`` maps a table to the units that write it; unassigned writers are ignored.
    Each conflict lists the writing services, sorted.
    """
    conflicts = []
    for table in sorted(writes):
        services = sorted({partition[unit] for unit in writes[table] if unit in partition})
        if len(services) > 1:
            conflicts.append(OwnershipConflict(table, tuple(services)))
    return tuple(conflicts)


# -- against a reference partition ----------------------------------------------------------


def mno(source: Mapping[str, str], target: Mapping[str, str]) -> int:
    """The MoJo distance one way: the fewest moves and joins that turn ``source`` into ``target``.

    Wen and Tzerpos, "An optimal algorithm for MoJo distance", IWPC 2003, ported from the
    MoJo tool (``MoJoCalculator.mojo``): tag each unit of a source cluster A_i with its
    target cluster, let V_ij be the units of A_i tagged j, then

        mno(A, B) = Σ_i (|A_i| − max_j V_ij) + l − M

    with l the number of source clusters and M the size of a maximum matching between
    source clusters and the target clusters that hold their most units. Compares the
    common units only. Not symmetric; the MoJo distance is min(mno(A, B), mno(B, A)).
    """
    common_source, common_target = _common_units(source, target)
    return _mno(common_source, common_target)


def mojofm(partition: Mapping[str, str], truth: Mapping[str, str]) -> float:
    """MoJoFM of ``partition`` against ``truth``, in percent, higher is better.

    Wen and Tzerpos, "An effectiveness measure for software clustering algorithms",
    IWPC 2004, ported from the MoJo tool (``mojofm`` and ``maxDistanceTo``):

        MoJoFM(A, B) = (1 − mno(A, B) / max(mno(∀A, B))) × 100%
        max(mno(∀A, B)) = n − g(B)

    where, with B's cluster sizes sorted ascending, g(B) counts the sizes larger than the
    running count (g starts at 0 and grows by 1 at each size b with g < b). Not symmetric.
    Compares the common units only (the MoJo tool does too, but it still sizes B's
    clusters with the units that A lacks; here B is cut to the intersection first).
    With a single common unit the partitions agree by necessity: 100.
    """
    common_partition, common_truth = _common_units(partition, truth)
    worst = _max_mno_to(common_truth)
    if worst == 0:
        return 100.0
    return (1 - _mno(common_partition, common_truth) / worst) * 100


def a2a(partition: Mapping[str, str], truth: Mapping[str, str]) -> float:
    """Architecture-to-architecture similarity (a2a), in percent, higher is better.

    Le et al., "An empirical study of architectural change in open-source software
    systems", MSR 2015, as computed by ARCADE (``A2a.numerator``/``denominator``):

        a2a(A, B) = (1 − mto(A, B) / (aco(A) + aco(B))) × 100%
        mto(A, B) = remC + addC + remE + addE + movE
        aco(A)    = addC(∅, A) + addE(∅, A) + movE(∅, A) = |clusters of A| + 2 n

    Clusters of A and B are paired one-to-one so as to keep the most units in place
    (an assignment problem, solved exactly); unpaired clusters are removed or added
    (|k_A − k_B| operations) and every unit outside its paired cluster is moved once.
    Compares the common units only, so remE = addE = 0. Symmetric.
    """
    common_partition, common_truth = _common_units(partition, truth)
    left, right = sorted(set(common_partition.values())), sorted(set(common_truth.values()))
    overlap = Counter((common_partition[u], common_truth[u]) for u in common_partition)
    weights = [[overlap[a, b] for b in right] for a in left]
    moved = len(common_partition) - _max_weight_assignment(weights)
    operations = abs(len(left) - len(right)) + moved
    creation = len(left) + len(right) + 4 * len(common_partition)
    return (1 - operations / creation) * 100


def adjusted_rand_index(partition: Mapping[str, str], truth: Mapping[str, str]) -> float:
    """Adjusted Rand index, 1 for identical partitions, about 0 for chance agreement.

    Hubert and Arabie, "Comparing partitions", Journal of Classification 2, 1985:

        ARI = (Σ_ij C(n_ij, 2) − E) / (½ (Σ_i C(a_i, 2) + Σ_j C(b_j, 2)) − E)
        E   = Σ_i C(a_i, 2) Σ_j C(b_j, 2) / C(n, 2)

    with n_ij the units in cluster i of one side and j of the other, a_i and b_j the
    cluster sizes. Compares the common units only. Symmetric. When the denominator is 0
    (fewer than two units, or both sides all-in-one or both all-singletons, i.e.
    identical) returns 1.0, as scikit-learn does.
    """
    common_partition, common_truth = _common_units(partition, truth)
    cells = Counter((common_partition[u], common_truth[u]) for u in common_partition)
    together = sum(_pairs(n) for n in cells.values())
    left = sum(_pairs(n) for n in Counter(common_partition.values()).values())
    right = sum(_pairs(n) for n in Counter(common_truth.values()).values())
    total = _pairs(len(common_partition))
    expected = left * right / total if total else 0.0
    maximum = (left + right) / 2
    if maximum == expected:
        return 1.0
    return (together - expected) / (maximum - expected)


# -- all at once ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    """The scores of one decomposition, with how many services and how much of the code it covers.

    ``sm``, ``icp`` and ``ifn`` are computed as Mono2Micro's evaluation script computes
    them, so they compare with its published figures; ``icp_volume`` (raw call volume) and
    ``ifn_interfaces`` (called units) are ICP and IFN as the papers word them.
    ``bcp`` is None without contexts, ``ownership_conflicts`` without write facts, and
    the external scores (``mojofm``, ``a2a``, ``ari``) without a truth.
    """

    services: int
    assigned_share: float
    sm: float
    ned: float
    icp: float
    icp_volume: float
    ifn: float
    ifn_interfaces: float
    bcp: float | None
    mq: float
    modularity: float
    cargo_cohesion: float
    cargo_coupling: float
    ownership_conflicts: tuple[OwnershipConflict, ...] | None = None
    mojofm: float | None = None
    a2a: float | None = None
    ari: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The scores as JSON-compatible data, in field order."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.ownership_conflicts is not None:
            data["ownership_conflicts"] = [
                {"table": c.table, "services": list(c.services)} for c in self.ownership_conflicts
            ]
        return data


def evaluate_partition(
    partition: Mapping[str, str],
    edges: Sequence[Dependency],
    *,
    contexts: Mapping[str, Collection[str]] | None = None,
    truth: Mapping[str, str] | None = None,
    writes: Mapping[str, Collection[str]] | None = None,
    units: Collection[str] | None = None,
    ned_bounds: tuple[int, int] = (NED_MIN_SIZE, NED_MAX_SIZE),
) -> Scores:
    """Compute every score of ``partition`` with each metric's default settings.

    ``units`` is the set of units the decomposition should cover; by default the assigned
    units and the ends of ``edges``. ``assigned_share`` is the share of them assigned
    (0.0 when there is none). Raises ``NoCommonUnits`` when ``truth`` shares no unit
    with ``partition``.
    """
    if units is None:
        units = set(partition) | {u for e in edges for u in (e.source, e.target)}
    known = set(units)
    assigned = sum(1 for unit in known if unit in partition)
    external = (
        (mojofm(partition, truth), a2a(partition, truth), adjusted_rand_index(partition, truth))
        if truth is not None
        else (None, None, None)
    )
    return Scores(
        services=len(set(partition.values())),
        assigned_share=assigned / len(known) if known else 0.0,
        sm=structural_modularity(partition, edges),
        ned=non_extreme_distribution(partition, min_size=ned_bounds[0], max_size=ned_bounds[1]),
        icp=inter_call_percentage(partition, edges),
        icp_volume=inter_call_percentage(partition, edges, log_damped=False),
        ifn=interface_number(partition, edges),
        ifn_interfaces=interfaces_per_service(partition, edges),
        bcp=business_context_purity(partition, contexts) if contexts is not None else None,
        mq=turbo_mq(partition, edges),
        modularity=modularity(partition, edges),
        cargo_cohesion=cargo_cohesion(partition, edges),
        cargo_coupling=cargo_coupling(partition, edges),
        ownership_conflicts=None if writes is None else data_ownership_conflicts(partition, writes),
        mojofm=external[0],
        a2a=external[1],
        ari=external[2],
    )


# -- helpers --------------------------------------------------------------------------------


def _services(partition: Mapping[str, str]) -> dict[str, list[str]]:
    """Service -> its units, both sorted, so that every result is independent of input order."""
    members: defaultdict[str, list[str]] = defaultdict(list)
    for unit, service in partition.items():
        members[service].append(unit)
    return {service: sorted(members[service]) for service in sorted(members)}


def _assigned_edges(
    partition: Mapping[str, str], edges: Sequence[Dependency], kinds: Collection[str] | None
) -> list[Dependency]:
    return [
        e
        for e in edges
        if e.source != e.target
        and e.source in partition
        and e.target in partition
        and (kinds is None or e.kind in kinds)
    ]


def _joined_pairs(
    partition: Mapping[str, str], edges: Sequence[Dependency], kinds: Collection[str] | None
) -> set[tuple[str, str]]:
    """The unordered pairs of assigned units joined by an edge either way, each once, sorted."""
    return {(min(e.source, e.target), max(e.source, e.target)) for e in _assigned_edges(partition, edges, kinds)}


def _damped(weight: float) -> float:
    return 1 + math.log(weight) if weight >= 1 else weight


def _crossing_share(partition: Mapping[str, str], volume: Mapping[tuple[str, str], float]) -> float:
    total = sum(volume.values())
    if total == 0:
        return 0.0
    return sum(w for (u, v), w in volume.items() if partition[u] != partition[v]) / total


def _intra_inter_weights(
    partition: Mapping[str, str], edges: Sequence[Dependency]
) -> tuple[defaultdict[str, float], defaultdict[str, float]]:
    intra: defaultdict[str, float] = defaultdict(float)
    inter: defaultdict[str, float] = defaultdict(float)
    for edge in _assigned_edges(partition, edges, None):
        first, second = partition[edge.source], partition[edge.target]
        if first == second:
            intra[first] += edge.weight
        else:
            inter[first] += edge.weight
            inter[second] += edge.weight
    return intra, inter


def _cluster_factor(intra: float, inter: float) -> float:
    return 2 * intra / (2 * intra + inter) if intra > 0 else 0.0


def _context_set_entropy(units: list[str], contexts: Mapping[str, Collection[str]]) -> float:
    # None stands for "unknown": no route name can collide with it.
    found: set[str | None] = set()
    for unit in units:
        found.update(contexts.get(unit) or (None,))
    return math.log(len(found))


def _weighted_context_entropy(units: list[str], contexts: Mapping[str, Collection[str]]) -> float:
    counts = Counter(context for unit in units for context in set(contexts.get(unit, ())))
    total = sum(counts.values())
    return sum(n / total * math.log(total / n) for n in counts.values())


def _common_units(
    first: Mapping[str, str], second: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    common = sorted(first.keys() & second.keys())
    if not common:
        raise NoCommonUnits(
            "the decomposition and the reference partition have no unit in common",
            hint="name units in truth.json as the graph does (dotted module or class names)",
        )
    return {u: first[u] for u in common}, {u: second[u] for u in common}


def _mno(source: Mapping[str, str], target: Mapping[str, str]) -> int:
    groups = {group: index for index, group in enumerate(sorted(set(target.values())))}
    clusters = _services(source)
    moves = 0
    candidates: list[list[int]] = []
    for units in clusters.values():
        tags = Counter(groups[target[u]] for u in units)
        most = max(tags.values())
        moves += len(units) - most
        candidates.append(sorted(tag for tag, n in tags.items() if n == most))
    # Unmatched clusters join matched ones: any of their best groups is already matched,
    # or the matching would not be maximum, so the groups left non-empty number M.
    return moves + len(clusters) - _maximum_matching(candidates, len(groups))


def _max_mno_to(target: Mapping[str, str]) -> int:
    reachable = 0
    for size in sorted(Counter(target.values()).values()):
        if reachable < size:
            reachable += 1
    return len(target) - reachable


def _maximum_matching(adjacency: list[list[int]], right_count: int) -> int:
    """Size of a maximum matching of a bipartite graph (Kuhn's augmenting paths, by BFS)."""
    owner_of_right = [-1] * right_count
    right_of_left = [-1] * len(adjacency)
    size = 0
    for start in range(len(adjacency)):
        came_from: dict[int, int] = {}
        queue, seen, free = deque([start]), {start}, -1
        while queue and free < 0:
            left = queue.popleft()
            for right in adjacency[left]:
                if right in came_from:
                    continue
                came_from[right] = left
                if owner_of_right[right] < 0:
                    free = right
                    break
                if owner_of_right[right] not in seen:
                    seen.add(owner_of_right[right])
                    queue.append(owner_of_right[right])
        right = free
        while right >= 0:
            left = came_from[right]
            previous = right_of_left[left]
            owner_of_right[right], right_of_left[left] = left, right
            right = previous
        size += free >= 0
    return size


def _max_weight_assignment(weights: list[list[int]]) -> int:
    """Largest total weight of a one-to-one pairing of rows and columns (Hungarian method)."""
    if not weights or not weights[0]:
        return 0
    if len(weights) > len(weights[0]):
        weights = [list(column) for column in zip(*weights)]
    rows, columns = len(weights), len(weights[0])
    # Shortest augmenting paths with potentials on the costs -weight; index 0 is a sentinel.
    row_potential = [0.0] * (rows + 1)
    column_potential = [0.0] * (columns + 1)
    row_of_column = [0] * (columns + 1)
    previous_column = [0] * (columns + 1)
    for row in range(1, rows + 1):
        row_of_column[0] = row
        column = 0
        slack = [math.inf] * (columns + 1)
        used = [False] * (columns + 1)
        while row_of_column[column] != 0:
            used[column] = True
            current_row, delta, next_column = row_of_column[column], math.inf, 0
            for j in range(1, columns + 1):
                if used[j]:
                    continue
                reduced = -weights[current_row - 1][j - 1] - row_potential[current_row]
                reduced -= column_potential[j]
                if reduced < slack[j]:
                    slack[j], previous_column[j] = reduced, column
                if slack[j] < delta:
                    delta, next_column = slack[j], j
            for j in range(columns + 1):
                if used[j]:
                    row_potential[row_of_column[j]] += delta
                    column_potential[j] -= delta
                else:
                    slack[j] -= delta
            column = next_column
        while column:
            row_of_column[column] = row_of_column[previous_column[column]]
            column = previous_column[column]
    return sum(weights[row_of_column[j] - 1][j - 1] for j in range(1, columns + 1) if row_of_column[j])


def _pairs(n: int) -> int:
    return n * (n - 1) // 2
