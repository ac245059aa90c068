"""Runtime dependencies between services: each classified once, as a REST call, an event or code
that runs in the caller's process, with what the generated code has for it.

This is the one classification of what crosses: the plan lists it, and the ``ServicePlan``
builds its clients, internal endpoints and channels from the crossings whose ``generated`` says
so. Calls are followed as the generated code runs them (``Ownership``): from each part's code (a
service's own modules; the infrastructure and the shared library, which every service carries):

- a top-level function of another service's module that holds data is served by that service:
  a client. The call is REST when its result is used or awaited, or when its name says it checks
  something; otherwise it is fire-and-forget, an event the generated code still makes as a call;
- a class (a data object, a model) is built or queried in the caller's process: not a call;
- any other function of another service (a method, a function of a module without data) runs in
  the caller's process as a copy, and what it calls is followed from there;
- a route or event handler passed by reference (a URLconf, a subscription) is served by its owner:
  not a crossing.

Events with a handler in another part than a publisher's go through a channel on the bus; tasks
stay on the monolith's own queue. Calls and events that the decomposition puts across services
but that the generated code keeps in one process (the callee moved to the shared library, ...)
are listed too, with the reason.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from migrator.model.decomposition import SHARED
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.plan import CHANNEL, CLIENT, EVENT, IN_PROCESS, REST, Crossing
from migrator.model.service_plan import MONOLITH
from migrator.planning.context import INFRASTRUCTURE, PlanContext
from migrator.planning.ownership import Ownership, ownership

QUERY_VERBS = frozenset({"get", "load", "fetch", "find", "lookup", "check", "ensure", "validate", "require", "assert", "verify", "read", "list"})
"""A call to ``get_order(...)`` whose result is dropped still checks something (it raises when
the order is missing): it stays synchronous."""

CLASS_BUILT = "a class: constructing a data object is not a call (the class is built in the caller's process)"
MODEL_USED = "a model: building or querying it runs in the caller's process (its table is the data section's concern)"
FIRE_AND_FORGET = "fire-and-forget: the generated code still calls it through its client, synchronously, until it is made an event"
TASK_QUEUE = "a task: it stays on the monolith's own task queue (the bus carries events)"


def find_crossings(context: PlanContext) -> list[Crossing]:
    """Every call and event across services, with its treatment and what the generated code has for it."""
    own = ownership(context.graph, context.decomposition)
    crossings = [*_calls(context, own), *_events(context, own)]
    crossings += _kept_in_process(context, own, crossings)
    return sorted(crossings, key=lambda c: (c.source_service, c.target_service, c.via, c.source, c.target))


def running_services(crossing: Crossing, services: Iterable[str]) -> list[str]:
    """Which of ``services`` make a crossing's call or send its event: its own service, or, for
    code every service carries (infrastructure, shared library), each service but the target's."""
    if crossing.source_service in (INFRASTRUCTURE, SHARED):
        return [s for s in services if s != crossing.target_service]
    return [s for s in services if s == crossing.source_service]


def _part(own: Ownership, node_id: str) -> str | None:
    """The part whose code holds a node: a service, ``shared`` or ``infrastructure``."""
    owner = own.of(node_id)
    return INFRASTRUCTURE if owner == MONOLITH else owner


@dataclass(frozen=True)
class _Code:
    """The facts of the graph that following calls needs, gathered once."""

    uses: dict[str, dict[str, Edge]]
    """By caller, what it calls or refers to (a call wins over a reference to the same target)."""
    callers: dict[str, list[str]]
    """By module, the callers it holds."""
    data_modules: frozenset[str]
    served: frozenset[str]
    """Route and event handlers: their owner serves them."""

    @classmethod
    def of(cls, context: PlanContext, own: Ownership) -> _Code:
        graph = context.graph
        uses: dict[str, dict[str, Edge]] = defaultdict(dict)
        for kind in (EdgeKind.REFERENCES, EdgeKind.CALLS):
            for edge in graph.edges(kind):
                uses[edge.source][edge.target] = edge
        callers: dict[str, list[str]] = defaultdict(list)
        for source in sorted(uses):
            callers[own.module_of(source)].append(source)
        served = {str(n.attrs.get("handler") or "") for n in graph.nodes(NodeKind.ROUTE)}
        served.update(e.target for e in graph.edges(EdgeKind.HANDLES) if e.source.startswith("route:"))
        served.update(e.target for e in graph.edges(EdgeKind.SUBSCRIBES))
        data_modules = frozenset(own.module_of(e.source) for e in graph.edges(EdgeKind.READS, EdgeKind.WRITES))
        return cls(uses, callers, data_modules, frozenset(served - {""}))


def _calls(context: PlanContext, own: Ownership) -> list[Crossing]:
    code = _Code.of(context, own)
    sources: dict[str, list[str]] = {name: [] for name in [*context.services, INFRASTRUCTURE, SHARED]}
    for module in sorted(own.owner):
        for source in code.callers.get(module, ()):
            part = _part(own, source)  # a class or function taken from its module runs in its taker
            if part in sources:
                sources[part].append(source)
    found: list[Crossing] = []
    for part, owned in sources.items():
        found += _calls_from(context, own, code, part, owned)
    return found


def _calls_from(context: PlanContext, own: Ownership, code: _Code, part: str, sources: list[str]) -> list[Crossing]:
    """The crossings of the calls a part's code makes, following the copies it runs of other
    services' code."""
    found = []
    pending = deque(sources)
    followed = set(pending)
    while pending:
        source = pending.popleft()
        for target, edge in sorted(code.uses.get(source, {}).items()):
            owner = own.of(target)
            if owner in (None, SHARED, MONOLITH) or owner == part:
                continue  # code the part carries: its own calls are followed from its own modules
            crossing, copy = _classify(context, own, code, part, edge, owner)
            if crossing is not None:
                found.append(crossing)
            if copy and target not in followed:
                followed.add(target)
                pending.append(target)
    return found


def _classify(context: PlanContext, own: Ownership, code: _Code, part: str, edge: Edge, owner: str) -> tuple[Crossing | None, bool]:
    """The crossing of one call or reference from ``part`` into ``owner``'s code, and whether the
    callee runs in the part's process as a copy (so that what it calls must be followed)."""
    graph = context.graph
    if edge.target not in graph:
        return None, False
    target = graph.node(edge.target)
    call = edge.kind is EdgeKind.CALLS
    copied = _part(own, edge.source) != part
    if target.kind in (NodeKind.CLASS, NodeKind.MODEL):
        if not call or copied:
            return None, False
        reason = MODEL_USED if target.kind is NodeKind.MODEL else CLASS_BUILT
        return _in_process(part, owner, edge, f"uses {edge.target.rsplit('.', 1)[-1]} of {owner}", reason), False
    if target.kind is not NodeKind.FUNCTION or (not call and edge.target in code.served):
        return None, False
    module = own.module_of(edge.target)
    name = edge.target[len(module) + 1:] if edge.target.startswith(module + ".") else ""
    if edge.attrs.get("decorator"):
        reason = "a decorator: it runs where the function it decorates is defined, in the caller's process"
        return (None if copied else _in_process(part, owner, edge, f"decorates {edge.source}", reason)), True
    if name and "." not in name and module in code.data_modules:
        treatment, detail = _call_treatment(edge)
        where = f" (in the copy of {edge.source} that runs in {part})" if copied else ""
        reason = FIRE_AND_FORGET if treatment == EVENT else ""
        return Crossing(treatment, "call", edge.source, edge.target, part, owner, edge.evidence, detail + where, CLIENT, reason), False
    if not call or copied:
        return None, True  # what runs in a copy is listed where it crosses, not at each step
    if "." in name:
        reason = f"a method of {name.rsplit('.', 1)[0]}: runs in the caller's process with its class (only the top-level functions of a module with data are served)"
    else:
        reason = f"{module} holds no data: the function runs in the caller's process as a copy, and what it calls crosses from there"
        if module in own.not_shared:
            reason += f" ({own.not_shared[module]})"
    return _in_process(part, owner, edge, f"runs in {part}", reason), True


def _in_process(part: str, owner: str, edge: Edge, detail: str, reason: str) -> Crossing:
    return Crossing(IN_PROCESS, "call", edge.source, edge.target, part, owner, edge.evidence, detail, "", reason)


def _call_treatment(edge: Edge) -> tuple[str, str]:
    """REST or fire-and-forget, by whether the caller uses or awaits the result."""
    if edge.kind is EdgeKind.REFERENCES:
        return REST, "passed to be called (a callback or a dependency)"
    verb = edge.target.rsplit(".", 1)[-1].lstrip("_").split("_")[0]
    if not edge.attrs.get("result_unused"):
        return REST, "result used or awaited"
    if verb in QUERY_VERBS:
        return REST, f"result unused, but {verb}_ checks and can fail the caller: stays synchronous"
    return EVENT, "result unused: fire-and-forget"


def _events(context: PlanContext, own: Ownership) -> list[Crossing]:
    found = []
    for node, via, publisher, receiver, evidence in _deliveries(context):
        part, owner = _part(own, publisher), own.of(receiver)
        if part is None or owner in (None, SHARED, MONOLITH) or owner == part:
            continue
        name = node.id.split(":", 1)[1]
        if node.kind is NodeKind.TASK:
            found.append(Crossing(EVENT, via, publisher, receiver, part, owner, evidence, f"{via} {name}", "", TASK_QUEUE, name))
        else:
            channel = str(node.attrs.get("name") or node.id.removeprefix("event:"))
            found.append(Crossing(EVENT, via, publisher, receiver, part, owner, evidence, f"{via} {name}", CHANNEL, "", channel))
    return found


def _deliveries(context: PlanContext) -> Iterator[tuple[Node, str, str, str, tuple[str, ...]]]:
    """Each event or task, how it travels, a function that sends it, one that receives it, and
    where it is sent."""
    graph = context.graph
    for node in graph.nodes(NodeKind.EVENT, NodeKind.TASK):
        via = "task" if node.kind is NodeKind.TASK else _event_via(node.attrs.get("framework", ""))
        receivers = graph.find_successors(node.id, EdgeKind.SUBSCRIBES, EdgeKind.HANDLES)
        for publisher in graph.find_predecessors(node.id, EdgeKind.PUBLISHES):
            edge = graph.edge(publisher, node.id, EdgeKind.PUBLISHES)
            for receiver in receivers:
                yield node, via, publisher, receiver, edge.evidence if edge else ()


def _event_via(framework: str) -> str:
    return "signal" if "signal" in framework or framework == "blinker" else "event"


def _kept_in_process(context: PlanContext, own: Ownership, crossings: list[Crossing]) -> list[Crossing]:
    """Calls and events between two services of the decomposition that the generated code keeps
    in one process, each with the reason."""
    covered = {(c.source, c.target) for c in crossings}
    pairs = [(e.source, e.target, e.evidence, "call", "") for e in context.graph.edges(EdgeKind.CALLS)]
    pairs += [(p, r, evidence, via, node.id.split(":", 1)[1]) for node, via, p, r, evidence in _deliveries(context)]
    found = []
    for source, target, evidence, via, name in pairs:
        a, b = context.service(source), context.service(target)
        if a is None or b is None or a == b or (source, target) in covered:
            continue
        covered.add((source, target))
        detail = f"{via} {name}" if name else "call"
        found.append(Crossing(IN_PROCESS, via, source, target, a, b, evidence, detail, "", _why_together(own, source, target), name))
    return found


def _why_together(own: Ownership, source: str, target: str) -> str:
    """Why the generated code keeps a call (or event) that the decomposition puts across services
    in one process."""
    callee, caller = own.module_of(target), own.module_of(source)
    held_by = own.owner.get(callee)
    for module in (callee, caller):
        if module in own.not_shared:
            return f"{module} is {own.not_shared[module]}"
    if callee in own.moved_to_shared:
        return f"the callee moved to the shared library: {callee} holds no data, routes or handlers, and other services import it"
    if held_by == SHARED:
        return f"the callee is in the shared library ({callee})"
    if held_by == MONOLITH:
        return f"the callee is infrastructure every service carries ({callee})"
    if own.owner.get(caller) == MONOLITH:
        return f"the caller is infrastructure every service carries ({caller})"
    if own.owner.get(caller) == SHARED:
        return f"the caller moved to the shared library ({caller})"
    if held_by == own.owner.get(caller):
        return f"caller and callee are in modules that {held_by} holds ({caller}, {callee})"
    return "no call crosses in the generated code: neither a client nor an event is needed"
