"""The monolith's modules as the services carry them, as work that can be spread and kept.

Most copies of a module are its text as it is: a module is rewritten only when it names a module
that moved to the shared library (``generators/carry.py``), or, in one service's copy, defines a
handler that service does not serve or a function it calls on another service, or gives a foreign
key to a table another service owns (``generators/service/code.py``). What a module names is read
with ``ast`` (a fraction of libcst's cost: ``Mentions``); a module that needs a rewrite is parsed
with libcst once, and the one tree serves its carried form and every service's variant of it, each
rewriting only the top-level statements that hold what changes.

A ``ModuleJob`` is one module with the variants the services need; ``run_job`` does it, a pure
function of the job and the ``Context`` (the moves and the monolith's modules), so that the
pipeline may run jobs in worker processes and keep their results: ``carry_key`` and
``variant_key`` digest exactly what a result depends on.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import io
import tokenize
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from generators.carry import MODULE_STRING, absolute, carry_tree, relocate_known, relocate_string
from generators.service.code import RemoteCall, client_import, rewrite_statements, service_tree
from generators.splice import Span, Unspliceable, splice

UNREADABLE = -1
"""``Mentions.count`` of a module ``ast`` cannot read: every rewrite then visits all of it."""


@dataclass(frozen=True)
class Statement:
    """What one top-level statement names that a rewrite may change."""

    index: int
    """Its place among the module's top-level statements, as ``ast`` counts them."""
    imports: tuple[tuple[str, bool], ...] = ()
    """``import a.b``: the name, and whether it is bound as itself (no ``as``)."""
    from_imports: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """``from m import x, y``: the absolute module and the names taken (``*`` for a star)."""
    strings: tuple[str, ...] = ()
    """String literals shaped as a module's name (``a.b``, ``a.b.name``, ``a.b:name``)."""
    keys: tuple[str, ...] = ()
    """Strings given to ``ForeignKey(...)``."""
    functions: tuple[str, ...] = ()
    """Functions it defines outside any class or function."""


@dataclass(frozen=True)
class Mentions:
    """What a module names, statement by statement (those that name nothing left out)."""

    count: int
    """Its top-level statements, as ``ast`` counts them; ``UNREADABLE`` when ``ast`` cannot read it."""
    statements: tuple[Statement, ...] = ()
    spans: tuple[Span, ...] = ()
    """Where each top-level statement is (``generators/splice.py``): its first line, column, last line."""
    import_line: int = 0
    """The line before which ``service_tree`` puts the import of the client (after the docstring
    and the ``from __future__`` imports); 0 when ``ast`` cannot tell it as libcst would."""


@dataclass(frozen=True)
class Context:
    """What every module's carrying reads: the moves to the shared library, the monolith's modules."""

    moves: Mapping[str, str]
    modules: frozenset[str]


@dataclass(frozen=True)
class Variant:
    """One service's copy of a module: the foreign keys it drops, the handlers it removes, the
    functions whose bodies become calls to their owner (through ``client_module``)."""

    drop: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()
    remote: tuple[tuple[str, RemoteCall], ...] = ()
    client_module: str = ""


AS_CARRIED = Variant()
"""The copy that is the carried module as it is."""


@dataclass(frozen=True)
class ModuleJob:
    module: str
    source: str
    is_package: bool
    variants: tuple[Variant, ...] = ()
    mentions: Mentions | None = None
    """Known from an earlier run, or read by ``run_job``."""
    in_graph: bool = True
    """False for a Python file that is no module of the graph (a migration, a script): it is
    carried with the moves alone, as ``carry_module`` carries it without the monolith's modules
    (its imports follow the moves, its strings stay)."""


@dataclass(frozen=True)
class ModuleResult:
    mentions: Mentions
    carried: str | None
    """The carried module; None when it is the source as it is."""
    texts: Mapping[Variant, str] = field(default_factory=dict)
    """The text of each variant of the job that differs from the carried module, by its relevant part (``relevant``)."""

    def text(self, job: ModuleJob, variant: Variant, context: Context) -> str:
        carried = job.source if self.carried is None else self.carried
        spec = relevant(variant, self.mentions, job.source, context)
        return carried if spec == AS_CARRIED else self.texts[spec]


Rewrite = Callable[[Context, Sequence[ModuleJob]], Sequence[ModuleResult]]
"""Runs jobs (in this process, or spread and kept by the pipeline), giving their results in order."""


def rewrite_here(context: Context, jobs: Sequence[ModuleJob]) -> list[ModuleResult]:
    """Every job run in this process, one after the other."""
    return [run_job(job, context) for job in jobs]


# -- what a module names ------------------------------------------------------------------------


def read_mentions(source: str, *, module: str, is_package: bool) -> Mentions:
    """What ``source`` names that a rewrite may change, read with ``ast``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like: libcst reads them as they are
            tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return Mentions(UNREADABLE)
    statements = [_statement(index, node, module, is_package) for index, node in enumerate(tree.body)]
    spans = tuple((min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))]), node.col_offset, node.end_lineno or node.lineno)
                  for node in tree.body)
    return Mentions(len(tree.body), tuple(s for s in statements if s != Statement(s.index)), spans, _import_line(tree.body, spans))


def _import_line(body: Sequence[ast.stmt], spans: Sequence[Span]) -> int:
    """``Mentions.import_line``: libcst's statement lines are ``ast``'s statements that share a
    line; the import goes before the first line that is neither the docstring (the first line's
    first statement, a string) nor starts with a ``from __future__`` import."""
    index = 0
    while index < len(body):
        node, end = body[index], index
        while end + 1 < len(body) and spans[end + 1][0] <= spans[end][2]:
            end += 1
        if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.JoinedStr):
            return 0  # "a" f"b" is a docstring to libcst, an f-string to ast
        docstring = index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, (str, bytes))
        if not (docstring or (isinstance(node, ast.ImportFrom) and node.module == "__future__")):
            return spans[index][0] if index == 0 else spans[index - 1][2] + 1
        index = end + 1
    return 0


def _statement(index: int, node: ast.stmt, module: str, is_package: bool) -> Statement:
    imports: list[tuple[str, bool]] = []
    from_imports: list[tuple[str, tuple[str, ...]]] = []
    strings: list[str] = []
    keys: list[str] = []
    for child in ast.walk(node):
        if isinstance(child, ast.Import):
            imports.extend((alias.name, alias.asname is None) for alias in child.names)
        elif isinstance(child, ast.ImportFrom):
            source = absolute(module, is_package, child.level, child.module) if child.level else child.module
            if source:
                from_imports.append((source, tuple(alias.name for alias in child.names)))
        elif isinstance(child, ast.Constant) and isinstance(child.value, str) and MODULE_STRING.fullmatch(child.value):
            strings.append(child.value)
        elif isinstance(child, ast.Call) and _callee(child.func) == "ForeignKey":
            keys.extend(_string(a) for a in [*child.args, *(k.value for k in child.keywords)] if _string(a) is not None)
    return Statement(index, tuple(imports), tuple(from_imports), tuple(strings), tuple(keys), tuple(_functions(node)))


def _callee(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _string(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return node.value if isinstance(node.value, str) else node.value.decode("utf-8", "replace")
    return None


def _functions(node: ast.stmt) -> Iterable[str]:
    """Functions defined in ``node`` outside any class or function (``if``, ``try`` and ``with`` blocks entered)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield node.name
        return
    if isinstance(node, ast.ClassDef):
        return
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.stmt):
            yield from _functions(child)
        elif isinstance(child, (ast.excepthandler, ast.match_case)):
            for statement in child.body:
                yield from _functions(statement)


# -- what a rewrite depends on --------------------------------------------------------------------


def carry_answers(mentions: Mentions, context: Context) -> tuple[tuple[object, ...], ...]:
    """Where each name the module's statements give goes under the moves, for the names that move:
    the carried module is a function of the source and these (empty: the source as it is)."""
    answers = []
    for statement in mentions.statements:
        found = _statement_answers(statement, context)
        if found:
            answers.append((statement.index, *found))
    return tuple(answers)


def _statement_answers(statement: Statement, context: Context) -> list[object]:
    moves, modules = context.moves, context.modules
    found: list[object] = []
    for name, plain in statement.imports:
        target = relocate_known(name, moves, modules)
        if target is not None:
            found.append(("import", name, plain, target))
    for source, names in statement.from_imports:
        target = relocate_known(source, moves, modules)
        places = tuple((name, moves.get(f"{source}.{name}"), f"{source}.{name}" in modules) for name in names)
        if target is not None or any(moved for _, moved, _ in places):
            found.append(("from", source, target, places))
    for value in statement.strings if modules else ():
        target = relocate_string(value, moves, modules)
        if target is not None:
            found.append(("string", value, target))
    return found


def relevant(variant: Variant, mentions: Mentions, source: str, context: Context) -> Variant:
    """The part of ``variant`` that changes this module: the tables it drops that the module's
    foreign keys name, the handlers it removes and the functions it calls that the module defines.
    ``AS_CARRIED`` when nothing changes."""
    remove = {name for name in variant.remove if f"def {name}" in source}
    if mentions.count == UNREADABLE:
        drop = variant.drop if "ForeignKey" in source else frozenset()
        spec = Variant(frozenset(drop), frozenset(remove), variant.remote, variant.client_module if variant.remote else "")
        return spec if (spec.drop or spec.remove or spec.remote) else AS_CARRIED
    defined = {name for statement in mentions.statements for name in statement.functions}
    tables = {table for statement in mentions.statements for table in _tables(statement.keys, context)}
    remote = tuple((name, call) for name, call in variant.remote if name in defined)
    spec = Variant(variant.drop & tables, frozenset(remove & defined), remote, variant.client_module if remote else "")
    return spec if (spec.drop or spec.remove or spec.remote) else AS_CARRIED


def _tables(keys: Iterable[str], context: Context) -> set[str]:
    """The tables foreign keys name, in the source and as carrying may rename the string."""
    tables = set()
    for key in keys:
        for value in (key, relocate_string(key, context.moves, context.modules) if context.modules else None):
            if value and "." in value:
                tables.add(value.rsplit(".", 1)[0])
    return tables


def _touched(spec: Variant, mentions: Mentions, context: Context) -> list[int]:
    names = spec.remove | {name for name, _ in spec.remote}
    return [s.index for s in mentions.statements if names.intersection(s.functions) or spec.drop & _tables(s.keys, context)]


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def source_key(job: ModuleJob) -> str:
    """What the mentions of a module depend on: its name, its form and its text."""
    return _source_key(job.module, job.is_package, job.source)


@functools.lru_cache(maxsize=4096)
def _source_key(module: str, is_package: bool, source: str) -> str:
    # asked several times per job (its mentions, its carried text, each variant): the text's digest
    # once (a string's hash is kept by the string, so the lookup is cheap); digested as its bytes,
    # not inside a repr, which escapes every character of every module's text first
    text = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return _digest("mentions", module, is_package, text)


def own_context(job: ModuleJob, context: Context) -> Context:
    """The context a job is carried in: without the monolith's modules for a file outside the graph."""
    return context if job.in_graph else Context(context.moves, frozenset())


def carry_key(job: ModuleJob, mentions: Mentions, context: Context) -> str | None:
    """What the carried module depends on; None when it is the source as it is."""
    context = own_context(job, context)
    if mentions.count == UNREADABLE:
        return _digest("carry", source_key(job), sorted(context.moves.items()), sorted(context.modules))
    answers = carry_answers(mentions, context)
    return _digest("carry", source_key(job), answers) if answers else None


def variant_key(job: ModuleJob, mentions: Mentions, context: Context, spec: Variant) -> str:
    """What one variant's text depends on: the carried module and the variant's relevant part."""
    return _digest("variant", carry_key(job, mentions, context) or source_key(job), spec)


# -- doing it -------------------------------------------------------------------------------------


def run_job(job: ModuleJob, context: Context) -> ModuleResult:
    """The carried module and each variant that differs from it, the source parsed at most once (a
    file outside the graph that libcst cannot parse is carried as it is)."""
    context = own_context(job, context)
    mentions = job.mentions or read_mentions(job.source, module=job.module, is_package=job.is_package)
    specs = sorted({relevant(v, mentions, job.source, context) for v in job.variants} - {AS_CARRIED}, key=repr)
    answers = carry_answers(mentions, context) if mentions.count != UNREADABLE else ()
    if not (specs or answers or mentions.count == UNREADABLE):
        return ModuleResult(mentions, None)
    spliced = _spliced(job, mentions, context, answers, specs)
    if spliced is not None:
        return spliced
    try:
        tree = cst.parse_module(job.source)
    except cst.ParserSyntaxError:
        if job.in_graph:
            raise
        return ModuleResult(mentions, None)
    places = _places(tree, mentions)
    carried = None
    if answers or mentions.count == UNREADABLE:
        only = None if places is None else [places[entry[0]] for entry in answers]
        tree, _ = carry_tree(tree, module=job.module, is_package=job.is_package, moves=context.moves, modules=context.modules, only=only)
        carried = tree.code
    texts = {}
    for spec in specs:
        only = None if places is None else sorted({places[index] for index in _touched(spec, mentions, context)})
        texts[spec] = service_tree(tree, drop_foreign_keys_to=spec.drop, remove=spec.remove, remote=dict(spec.remote),
                                   client_module=spec.client_module, only=only).code
    return ModuleResult(mentions, None if carried == job.source else carried, texts)


def _spliced(job: ModuleJob, mentions: Mentions, context: Context, answers: Sequence[tuple[object, ...]], specs: Sequence[Variant]) -> ModuleResult | None:
    """``run_job``'s result with only the statements that change parsed and rewritten, each copy
    on its own (``splice``); None when that cannot be done (then the whole module is): a moved
    ``import a.b`` makes every ``a.b.name`` in the module follow it, a removed handler takes the
    comments above it along."""
    if not mentions.spans or any(spec.remove for spec in specs):
        return None
    moving = {int(entry[0]) for entry in answers}  # type: ignore[call-overload]
    renamed = {str(answer[1]): str(answer[3]) for entry in answers for answer in entry[1:] if answer[0] == "import" and answer[2]}  # type: ignore[index]
    if renamed:
        following = _following(job.source, renamed)
        if following is None:
            return None
        moving |= following
    moved = sorted(moving)

    def carry(part: cst.Module, indices: range) -> cst.Module:
        if moving.isdisjoint(indices):
            return part  # no statement here names a moved module: carrying leaves it as it is
        return carry_tree(part, module=job.module, is_package=job.is_package, moves=context.moves, modules=context.modules, renamed=renamed)[0]

    carried = splice(job.source, mentions.spans, moved, carry) if moved else job.source
    if carried is None:
        return None
    texts = {}
    indent = _default_indent(job.source) if any(spec.remote for spec in specs) else None
    for spec in specs:
        text = _spliced_copy(job.source, mentions, context, spec, moved, carry, indent)
        if text is None:
            return None
        texts[spec] = text
    return ModuleResult(mentions, None if carried == job.source else carried, texts)


def _following(source: str, renamed: Mapping[str, str]) -> set[int] | None:
    """The top-level statements that say ``a.b`` or ``a.b.name`` for a moved ``import a.b``
    (``renamed``): carrying makes them follow it (``carry._Rewriter.leave_Attribute``)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    found = set()
    for index, statement in enumerate(tree.body):
        for node in ast.walk(statement):
            if isinstance(node, ast.Attribute):
                name = _dotted(node)
                if name is not None and any(name == old or name.startswith(old + ".") for old in renamed):
                    found.add(index)
                    break
    return found


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def _spliced_copy(
    source: str, mentions: Mentions, context: Context, spec: Variant, moved: Sequence[int], carry: Callable[[cst.Module, range], cst.Module],
    indent: str | None,
) -> str | None:
    """One service's copy of the carried module, as ``service_tree`` makes it, by ``splice``."""
    replaced = 0

    def rewrite(part: cst.Module, indices: range) -> cst.Module:
        nonlocal replaced
        if spec.remote and part.default_indent != indent:
            raise Unspliceable  # a body made anew is indented as the module's first block is
        part, count = rewrite_statements(carry(part, indices), drop_foreign_keys_to=spec.drop, remote=dict(spec.remote))
        replaced += count
        return part

    def insert() -> tuple[int, str] | None:
        return (mentions.import_line, client_import(spec.client_module) + "\n") if replaced and spec.client_module else None

    return splice(source, mentions.spans, sorted({*moved, *_touched(spec, mentions, context)}), rewrite, insert=insert)


def _default_indent(source: str) -> str | None:
    """The indent of the module's first indented block, which libcst gives a block it makes; None
    when the tokenizer cannot tell."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.INDENT:
                return token.string
    except (tokenize.TokenError, SyntaxError):
        return None
    return "    "


def _places(tree: cst.Module, mentions: Mentions) -> list[int] | None:
    """Where each statement ``ast`` counts is among libcst's (a line of ``a; b`` is one); None
    when they do not match up, or ``ast`` could not read the module."""
    places: list[int] = []
    for index, statement in enumerate(tree.body):
        places.extend([index] * (len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1))
    return places if len(places) == mentions.count else None


def with_mentions(job: ModuleJob, mentions: Mentions, variants: Collection[Variant] | None = None) -> ModuleJob:
    """``job`` with its mentions known (and only ``variants``, when given)."""
    return replace(job, mentions=mentions, variants=tuple(variants) if variants is not None else job.variants)
