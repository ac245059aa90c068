"""From the decomposition and its migration plan to the ``ServicePlan`` generators render.

Beyond names and ports it settles, from the graph, what the generated code needs:
- which module each service owns, and which modules are plain code without data (no models,
  routes or handlers, no reads or writes) that several services use: those join the shared library;
- which functions of other services each service calls (their bodies become client calls) and so
  which internal endpoints each owner serves, and which events cross: both read from the plan's
  crossings (``migrator.planning.crossings``), so that plan and code agree;
- who handles each event that crosses, and which handlers can refuse it (they raise): those stay
  synchronous in the publisher's transaction, the rest go through the bus;
- which tables of other services a service reads: it keeps a read model of them, fed by the
  owner's row changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from migrator.model.decomposition import Decomposition
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.hosting import Hosting
from migrator.model.plan import CHANNEL, CLIENT, MigrationPlan
from migrator.model.deployment import BUSES, assign_ports
from migrator.model.service_plan import MONOLITH, Channel, Client, Endpoint, InternalEndpoint, ServicePlan, ServiceSpec
from migrator.planning.crossings import running_services
from migrator.planning.gateway import plan_gateway
from migrator.planning.ownership import Ownership, ownership
from migrator.planning.running import running_code

IDEMPOTENT_VERBS = frozenset({"get", "list", "find", "fetch", "load", "read", "check", "validate", "quote", "search", "count", "resolve", "customer", "is", "has"})
SHARED = "shared"


@dataclass(frozen=True)
class RuntimeFacts:
    """What the generated runtime needs to know about the monolith beyond the graph."""

    app_factory: str = ""
    dispatcher: str = ""
    database_variables: tuple[str, ...] = ()
    raising: frozenset[str] = field(default_factory=frozenset)
    """Functions whose body raises an exception."""
    hosting: Hosting = field(default_factory=Hosting)


IN_PROCESS_SCHEDULERS = frozenset({"scheduler", "apscheduler"})
"""Task frameworks whose jobs run in a thread of the application itself (not in a worker)."""


def scheduled_jobs(graph: DependencyGraph) -> frozenset[str]:
    """The functions an in-process scheduler of the monolith runs (the handlers of its tasks)."""
    jobs: set[str] = set()
    for task in graph.nodes(NodeKind.TASK):
        if task.attrs.get("framework") in IN_PROCESS_SCHEDULERS:
            jobs.update(edge.target for edge in graph.edges_from(task.id, EdgeKind.HANDLES))
    return frozenset(jobs)


def _left_to_owners(graph: DependencyGraph, jobs: frozenset[str], own: Ownership, service: str) -> frozenset[str]:
    """What ``service``'s copy of the scheduler must leave to other services: their jobs, and the
    functions that jobs it does not own call (a job in a module it carries, such as one that only
    hands the work to another service); not what its own jobs call."""
    left, needed = set(jobs), set()
    for job in jobs:
        called = {edge.target for edge in graph.edges_from(job, EdgeKind.CALLS)}
        (needed if own.of(job) == service else left).update(called)
    return frozenset(left - needed)


def internal_path(function: str) -> str:
    """The HTTP path that exposes a function to other services, derived from its name only."""
    return "/internal/" + "/".join(part.strip("_") or "x" for part in function.split("."))


@dataclass(frozen=True)
class _Crossings:
    """What crosses between the services, worked out once for every service's spec."""

    own: Ownership
    routes: dict[str, list[Endpoint]]
    modules: dict[str, tuple[str, ...]]
    remote: dict[str, set[str]]
    """Per service, the functions of other services its code calls."""
    callers: dict[str, dict[str, set[str]]]
    """Per owner, each of its functions other services call, and who calls it."""
    channels: list[Channel]
    jobs: frozenset[str]
    replicas: dict[str, set[str]]
    tables: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, graph: DependencyGraph, plan: MigrationPlan, own: Ownership, raising: frozenset[str]) -> _Crossings:
        names = [*sorted(s.name for s in plan.services), MONOLITH]
        modules = {name: tuple(sorted(m for m, o in own.owner.items() if o == name)) for name in names}
        remote = _remote_calls(plan, names)
        callers: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for caller, functions in remote.items():
            for function in functions:
                callers[own.of(function) or ""][function].add(caller)
        return cls(own, _routes(graph, plan, own), modules, remote, callers, _channels(graph, plan, own, raising), scheduled_jobs(graph),
                   _replicas(graph, own, plan), {scope.name: tuple(scope.tables) for scope in plan.services})


def build_service_plan(
    graph: DependencyGraph, decomposition: Decomposition, plan: MigrationPlan, *, system: str = "system", event_bus: str = "nats",
    runtime: RuntimeFacts | None = None, database: str = "per-service",
) -> ServicePlan:
    """Ports, endpoints, clients, channels, read models and gateway routes for every service."""
    if event_bus not in BUSES:
        raise ValueError(f"unknown event bus {event_bus!r}")
    runtime = runtime or RuntimeFacts()
    own = ownership(graph, decomposition)
    crossings = _Crossings.of(graph, plan, own, runtime.raising)
    gateway = plan_gateway(graph, plan.services)
    names = sorted(s.name for s in plan.services)
    ports = assign_ports(names)
    if own.infrastructure or crossings.routes.get(MONOLITH) or any(r.service == MONOLITH for r in gateway.routes):
        names.append(MONOLITH)
    return ServicePlan(
        system=system,
        services=tuple(_spec(graph, name, ports[name], crossings) for name in names),
        shared_modules=own.shared_modules,
        gateway=gateway.routes,
        channels=tuple(crossings.channels),
        event_bus=event_bus,
        root_package=_root_package(own.owner),
        app_factory=runtime.app_factory,
        hosting=runtime.hosting,
        database=database,
        dispatcher=runtime.dispatcher,
        database_variables=runtime.database_variables,
        infrastructure=own.infrastructure,
        held_routes=gateway.held,
    )


def _spec(graph: DependencyGraph, name: str, port: int, crossings: _Crossings) -> ServiceSpec:
    own, remote = crossings.own, sorted(crossings.remote.get(name, ()))
    scheduled = _left_to_owners(graph, crossings.jobs, own, name)
    return ServiceSpec(
        name=name,
        port=port,
        modules=crossings.modules[name],
        tables=crossings.tables.get(name, ()),
        routes=tuple(crossings.routes.get(name, ())),
        internal=tuple(InternalEndpoint(f, internal_path(f), tuple(sorted(who))) for f, who in sorted(crossings.callers.get(name, {}).items())),
        clients=tuple(Client(own.of(f) or "", f, internal_path(f), _idempotent(f), scheduled=f in scheduled) for f in remote),
        publishes=tuple(c.name for c in crossings.channels if name in c.publishers),
        subscribes=tuple(c.name for c in crossings.channels if name in c.subscribers),
        replicas=tuple(sorted(crossings.replicas.get(name, ()))),
        remote=tuple(remote),
        kind=MONOLITH if name == MONOLITH else "service",
        symbols=tuple(sorted(symbol for symbol, owner in own.symbols.items() if owner == name)),
    )


def _idempotent(function: str) -> bool:
    """Whether a call may be retried: its name starts with a reading verb (``get_order``)."""
    return function.rsplit(".", 1)[-1].lstrip("_").split("_")[0] in IDEMPOTENT_VERBS


def _root_package(modules: Iterable[str]) -> str:
    """The monolith's single top-level package, or empty when its code has several."""
    tops = {m.split(".")[0] for m in modules}
    return tops.pop() if len(tops) == 1 else ""


def _routes(graph: DependencyGraph, plan: MigrationPlan, own: Ownership) -> dict[str, list[Endpoint]]:
    result: dict[str, list[Endpoint]] = defaultdict(list)
    placed: set[str] = set()
    for scope in plan.services:
        for route in scope.routes:
            node = graph.node(f"route:{route}")
            method, _, path = route.partition(" ")
            handlers = graph.find_successors(node.id, EdgeKind.HANDLES)
            result[scope.name].append(Endpoint(method, path, str(node.attrs.get("handler") or (handlers[0] if handlers else ""))))
            placed.add(node.id)
    for node in graph.nodes(NodeKind.ROUTE):
        handler = str(node.attrs.get("handler") or "")
        if node.id not in placed and own.of(handler) == MONOLITH:
            method, _, path = node.id.removeprefix("route:").partition(" ")
            result[MONOLITH].append(Endpoint(method, path, handler))
    return result


def _remote_calls(plan: MigrationPlan, names: list[str]) -> dict[str, set[str]]:
    """Per service, the functions of other services its code calls through a client: the plan's
    crossings that the generated code makes with one."""
    result: dict[str, set[str]] = defaultdict(set)
    for crossing in plan.crossings:
        if crossing.generated == CLIENT:
            for name in running_services(crossing, names):
                result[name].add(crossing.target)
    return result


def _can_refuse(graph: DependencyGraph, handler: str, own: Ownership, raising: frozenset[str]) -> bool:
    """Whether the handler, or code of its own service it calls, raises."""
    service = own.of(handler)
    seen, pending = set(), [handler]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in raising:
            return True
        pending.extend(t for t in graph.find_successors(current, EdgeKind.CALLS) if own.of(t) == service)
    return False


def _channels(graph: DependencyGraph, plan: MigrationPlan, own: Ownership, raising: frozenset[str]) -> list[Channel]:
    """The events of the plan's crossings that go through a channel: those with a handler in
    another service than a publisher's. (Fire-and-forget calls to another service's functions stay
    calls, through clients: only events with handlers travel on the bus.)"""
    crossing = {c.event for c in plan.crossings if c.generated == CHANNEL}
    channels: dict[str, Channel] = {}
    for node in graph.nodes(NodeKind.EVENT):
        name = str(node.attrs.get("name") or node.id.removeprefix("event:"))
        if name not in crossing:
            continue
        publishers = {own.of(p) for p in graph.find_predecessors(node.id, EdgeKind.PUBLISHES)} - {None}
        handlers = sorted((own.of(h) or "", h) for h in graph.find_successors(node.id, EdgeKind.SUBSCRIBES))
        subscribers = {svc for svc, _ in handlers}
        sync = {svc for svc, h in handlers if svc not in publishers and _can_refuse(graph, h, own, raising)}
        channels[name] = Channel(
            name, _subject(name), tuple(sorted(p for p in publishers if p)), tuple(sorted(subscribers)), tuple(sorted(sync)),
            tuple((svc, h) for svc, h in handlers),
        )
    return [channels[n] for n in sorted(channels)]


def _subject(name: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.") or "event"


def _table_names(graph: DependencyGraph, own: Ownership, tables: dict[str, set[str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Each model's and table node's table, and each table's holder (the plan's, else the owner of its model or node)."""
    holder_of = {table: name for name, owned in tables.items() for table in owned}
    table_name: dict[str, str] = {}
    for node in graph.nodes(NodeKind.MODEL, NodeKind.TABLE):
        name = str(node.attrs.get("table") or "") if node.kind is NodeKind.MODEL else node.id.removeprefix("table:")
        holder = own.of(node.id) if node.kind is NodeKind.MODEL else _table_owner(graph, own, node.id)
        if name:
            table_name[node.id] = name
        if name and holder not in (None, SHARED, MONOLITH):
            holder_of.setdefault(name, holder)  # type: ignore[arg-type]
    return table_name, holder_of


def _foreign_keys(graph: DependencyGraph, table_name: dict[str, str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The tables each table's foreign keys reach, and, Django's tables -> the Django tables whose
    foreign keys reach them: deleting a row, its deletion collector reads (and deletes, or updates) theirs."""
    references: dict[str, set[str]] = defaultdict(set)
    collected: dict[str, set[str]] = defaultdict(set)
    django = {table_name[n.id] for n in graph.nodes(NodeKind.MODEL) if n.attrs.get("framework") == "django" and n.id in table_name}
    for edge in graph.edges(EdgeKind.FOREIGN_KEY):
        source, target = table_name.get(edge.source, ""), table_name.get(edge.target, "")
        if source and target and source != target:
            references[source].add(target)
            if source in django and target in django:
                collected[target].add(source)
    return references, collected


def _read_everywhere(graph: DependencyGraph, table_name: dict[str, str], reads: dict[str, set[str]]) -> set[str]:
    """The tables every service reads: a one-to-one to the framework's own model (Django's User,
    which every service holds), whose reverse accessor (``user.profile``) is reached wherever a
    user is, templates too, with what its methods read (``user.profile.get_following``); Django's
    own users' table, which its authentication middleware reads on every request."""
    reached = [n.id for n in graph.nodes(NodeKind.MODEL) if n.attrs.get("one_to_one_outside") and n.id in table_name]
    everywhere = {table_name[model] for model in reached}
    everywhere |= {n.id.removeprefix("table:") for n in graph.nodes(NodeKind.TABLE) if n.attrs.get("framework_user")}
    everywhere |= {t for source, read in reads.items() if any(source.startswith(model + ".") for model in reached) for t in read}
    return everywhere


def _replicas(graph: DependencyGraph, own: Ownership, plan: MigrationPlan | None = None) -> dict[str, set[str]]:
    """Per service, the tables of other services the code that runs in its process reads or
    writes (``running_code``: its own, the copies it runs of other parts' code, the framework's
    hooks every service carries), each kept there as a read model (a write goes to the owner too:
    ``events.EventRuntime.forward_writes``; and where it writes a Django model's table, the
    tables whose foreign keys reach it, which Django's deletion collector reads and deletes in
    the writer's process; and a table with a one-to-one to the framework's own user everywhere),
    with the tables its rows' foreign keys reach
    (a relationship loaded lazily: ``user.role``). The foreign keys of a service's own tables give
    no read model: across services they are dropped and checked in code (a read model of every
    table they reach made the sample's writes wait for acks of readers that never read them)."""
    names = [*sorted(s.name for s in plan.services), MONOLITH] if plan is not None else sorted({o for o in own.owner.values() if o != SHARED})
    remote = {(c.source, c.target) for c in plan.crossings if c.generated == CLIENT} if plan is not None else set()
    tables = {name: set(scope.tables) for name, scope in ((s.name, s) for s in plan.services)} if plan is not None else {}
    table_name, holder_of = _table_names(graph, own, tables)
    running = running_code(graph, own, names, remote)
    reads: dict[str, set[str]] = defaultdict(set)
    writes: dict[str, set[str]] = defaultdict(set)
    models = {n.id for n in graph.nodes(NodeKind.MODEL)}
    for edge in graph.edges(EdgeKind.READS, EdgeKind.WRITES, EdgeKind.REFERENCES):
        # code that refers to a model (a ModelForm's Meta, a serializer, Model.objects) loads its rows;
        # one that writes a table numbers its new rows from what it holds of it (and reads them back)
        direct = edge.kind is not EdgeKind.REFERENCES
        table = table_name.get(edge.target, "") if direct or edge.target in models and edge.source not in models else ""
        if table:
            reads[edge.source].add(table)
            if edge.kind is EdgeKind.WRITES:
                writes[edge.source].add(table)
    references, collected = _foreign_keys(graph, table_name)
    everywhere = _read_everywhere(graph, table_name, reads)
    result: dict[str, set[str]] = defaultdict(set)
    for name in names:
        held = {t for node in running.get(name, ()) for t in reads.get(node, ()) if t not in tables.get(name, ())}
        held |= everywhere - set(tables.get(name, ()))
        pending = [t for node in running.get(name, ()) for t in writes.get(node, ())]
        seen = set(pending)
        while pending:  # what the deletion collector reads when this service deletes a row of a table it writes
            for source in collected.get(pending.pop(), ()):
                if source not in seen:
                    seen.add(source)
                    pending.append(source)
                    if source not in tables.get(name, ()):
                        held.add(source)
        pending = list(held)
        while pending:  # a row read from another service's table brings the rows its relationships load (user.role)
            for target in references.get(pending.pop(), ()):
                if target not in held and target not in tables.get(name, ()):
                    held.add(target)
                    pending.append(target)
        found = {t for t in held if holder_of.get(t) not in (None, name) and t not in tables.get(name, ())}
        if found:
            result[name] = found
    return result


def _table_owner(graph: DependencyGraph, own: Ownership, table_id: str) -> str | None:
    for model in graph.find_predecessors(table_id):
        if graph.node(model).kind is NodeKind.MODEL:
            return own.of(model)
    return None
