"""A route's path as its framework matches it: literal text and parameters, each parameter with
the regular expression its converter matches, ready for a gateway to match the same paths.

Paths are kept as the routes analyzer found them: Flask's and Django's converters (``<id>``,
``<int:id>``, ``<path:rest>``, ``<uuid:code>``, ``<any(a, b):page>``), Starlette's (``{id}``,
``{rest:path}``) and Django's regular expressions (``re_path``/``url()``, kept as written without
their ``^`` and ``$``: ``shop/(?P<slug>[-\\w]+)/``). A part the analyzer could not read (``{?}``: a
prefix held in configuration it could not resolve) makes the path unroutable, with the reason.

Each parameter's expression is written in a subset every gateway reads alike (nginx's PCRE,
RE2): ASCII letters and digits, the operators, and every other character as ``\\xHH`` bytes of
its UTF-8 form (nginx matches the decoded path byte by byte), so nothing of a user's regular
expression can end a token of a configuration file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from re import _constants as sre  # noqa: PLC2701 — the stdlib's own regex parser: Django's routes are Python regexes
from re import _parser as sre_parse  # noqa: PLC2701

UNRESOLVED = "{?}"
"""What the routes analyzer writes for a part of a path it could not read."""
DJANGO = "django"


@dataclass(frozen=True)
class Converter:
    """What one kind of path parameter matches, and a value it accepts."""

    regex: str
    example: str
    spans: bool = False
    """It can match ``/`` (a ``path`` parameter: the rest of the path)."""


_UUID = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
SEGMENT = Converter("[^/]+", "")
"""A parameter without a converter, or with one of the application's own: one path segment."""
ANGLE_CONVERTERS = {
    # Werkzeug's (Flask) and Django's, under the names both use; where they differ, what either accepts
    "string": SEGMENT, "str": SEGMENT, "default": SEGMENT,
    "int": Converter("[0-9]+", "7"),
    "float": Converter("[0-9]+\\.[0-9]+", "7.5"),
    "slug": Converter("[-a-zA-Z0-9_]+", "a-slug"),
    "uuid": Converter(_UUID, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
    "path": Converter(".+", "a/b/c", spans=True),
}
BRACE_CONVERTERS = {
    # Starlette's (FastAPI)
    "str": SEGMENT,
    "int": Converter("[0-9]+", "7"),
    "float": Converter("[0-9]+(?:\\.[0-9]+)?", "7.5"),
    "uuid": Converter(_UUID, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
    "path": Converter(".*", "a/b/c", spans=True),
}
_ANGLE = re.compile(r"<(?:(?P<converter>\w+)(?P<args>\([^()]*\))?:)?(?P<name>\w+)>")
_BRACE = re.compile(r"\{(?P<name>[A-Za-z_]\w*)(?::(?P<converter>\w+))?\}")
_CONVERTER_IN_REGEX = re.compile(r"(?<!\(\?P)" + _ANGLE.pattern)
_REGEX_SYNTAX = re.compile(r"[()\[\]\\*+?|^$]|\{\d+(,\d*)?\}")
"""What only a regular expression holds: a Django path with any of it came from ``re_path``."""


@dataclass(frozen=True)
class Part:
    """Literal text of a path, or one parameter."""

    literal: str = ""
    regex: str = ""
    """A parameter's expression in the safe subset (empty for literal text)."""
    python: str = ""
    """The same expression as Python reads it (the checks run in Python, on ``str``)."""
    example: str = ""
    spans: bool = False
    name: str = ""

    @property
    def is_parameter(self) -> bool:
        return bool(self.regex)


@dataclass(frozen=True)
class Unroutable:
    """A path no gateway can match as its framework does, and why (for the user)."""

    reason: str


@dataclass(frozen=True)
class RoutePattern:
    """A path as literal parts and parameters; ``whole``: the path itself (with or without a
    trailing slash), else the path and everything under it (a prefix)."""

    text: str
    parts: tuple[Part, ...]
    whole: bool = True

    @property
    def literal_length(self) -> int:
        return sum(len(p.literal) for p in self.parts)

    @property
    def parameters(self) -> int:
        return sum(1 for p in self.parts if p.is_parameter)

    @property
    def specificity(self) -> tuple[int, int, bool, str]:
        """Sort key, most specific first: more literal text, then fewer parameters, a whole path
        before a prefix of the same text (nginx and Gateway API implementations try regular
        expressions in order; the frameworks prefer the most specific route too)."""
        return (-self.literal_length, self.parameters, not self.whole, self.text)

    @cached_property
    def fixed_segments(self) -> tuple[str, ...]:
        """The leading segments made only of literal text (``/api/orders/<id>``: api, orders)."""
        text = ""
        for part in self.parts:
            if part.is_parameter:
                text = text.rpartition("/")[0]
                break
            text += part.literal
        return tuple(s for s in text.split("/") if s)

    @property
    def example(self) -> str:
        """A path the pattern matches: each parameter filled with a value its converter takes."""
        return "/" + "".join(p.example if p.is_parameter else p.literal for p in self.parts).lstrip("/")

    def regex(self, literal: Callable[[str], str], *, under: str = "(/|$)") -> str:
        """The anchored expression, literal text written by ``literal`` (each gateway quotes its
        own way): a whole path with an optional trailing slash, a prefix followed by ``under``
        (what may follow it: nginx searches, ``(/|$)``; a gateway that matches the whole path
        needs ``(/.*)?$``)."""
        parts = list(self.parts)
        if self.whole and parts and not parts[-1].is_parameter:
            parts[-1] = Part(literal=parts[-1].literal.rstrip("/"))
        body = "".join(p.regex if p.is_parameter else literal(p.literal) for p in parts)  # each parameter is one atom
        if self.whole:
            return f"^{body if body.startswith('/') else '/' + body}/?$" if body.strip("/") else "^/$"
        return f"^{body.rstrip('/') if body.startswith('/') else '/' + body.rstrip('/')}{under}"

    @cached_property
    def python_regex(self) -> re.Pattern[str]:
        """The same expression for Python, to check paths against."""
        parts = [Part(literal=p.literal) if not p.is_parameter else Part(regex=p.python, python=p.python) for p in self.parts]
        return re.compile(RoutePattern(self.text, tuple(parts), self.whole).regex(re.escape))

    def matches(self, path: str) -> bool:
        return self.python_regex.search(path) is not None

    def could_match_under(self, prefix: tuple[str, ...]) -> bool:
        """Whether a path at or under ``/a/b`` (``prefix``: its segments) can match: a prefix of
        the gateway's may claim only paths no other route could match."""
        segments, open_tail = self._segments
        for index, given in enumerate(prefix):
            if index < len(segments):
                if not re.fullmatch(segments[index], given):
                    return False
            else:
                return open_tail is not None and re.match(open_tail, given) is not None
        return True

    @cached_property
    def _segments(self) -> tuple[tuple[str, ...], str | None]:
        """Python expressions of each segment up to a parameter that can match ``/``, and the
        start of the segment that parameter is in (None: no such parameter)."""
        segments: list[str] = []
        current = ""
        for part in self.parts:
            if part.is_parameter and part.spans:
                return _without_root(segments), current
            if part.is_parameter:
                current += f"(?:{part.python})"
                continue
            pieces = part.literal.split("/")
            current += re.escape(pieces[0])
            for piece in pieces[1:]:
                segments.append(current)
                current = re.escape(piece)
        segments.append(current)
        return _without_root(segments), None


def _without_root(segments: list[str]) -> tuple[str, ...]:
    return tuple(segments[1:] if segments and segments[0] == "" else segments)


def parse_route(path: str, *, framework: str = "", whole: bool = True) -> RoutePattern | Unroutable:
    """``path`` as its framework matches it (``framework`` as the routes analyzer names it: a
    Django path may hold regular expressions; any other, converters only)."""
    if UNRESOLVED in path:
        return Unroutable("part of its path is a value migrator could not read (a prefix from configuration or a variable), "
                          "written {?}; write it as a string constant the code can be read for, or route it by hand")
    if framework == DJANGO and _REGEX_SYNTAX.search(path):
        parts = _regex_parts(path)
    else:
        parts = tuple(_converter_parts(path))
    return parts if isinstance(parts, Unroutable) else RoutePattern(path, _joined(parts), whole)


def _converter_parts(path: str) -> Iterator[Part]:
    end = 0
    for found in sorted([*_ANGLE.finditer(path), *_BRACE.finditer(path)], key=lambda m: m.start()):
        if found.start() < end:
            continue
        yield Part(literal=path[end : found.start()])
        yield _parameter(found)
        end = found.end()
    yield Part(literal=path[end:])


def _parameter(found: re.Match[str]) -> Part:
    name, converter = found.group("name"), found.group("converter") or ""
    if found.group(0).startswith("{"):
        kind = BRACE_CONVERTERS.get(converter or "str", SEGMENT)
    elif converter == "any":
        options = [o.strip(" '\"") for o in (found.group("args") or "()")[1:-1].split(",") if o.strip(" '\"")]
        kind = Converter("(?:" + "|".join(_pcre_literal(o) for o in options) + ")", options[0]) if options else SEGMENT
        python = "(?:" + "|".join(re.escape(o) for o in options) + ")" if options else SEGMENT.regex
        return Part(regex=kind.regex, python=python, example=kind.example, name=name)
    else:
        kind = _with_arguments(ANGLE_CONVERTERS.get(converter or "default", SEGMENT), converter, found.group("args") or "")
    return Part(regex=kind.regex, python=kind.regex, example=kind.example or _word(name), spans=kind.spans, name=name)


def _with_arguments(kind: Converter, converter: str, args: str) -> Converter:
    """Werkzeug's converter arguments that change what matches: ``int(signed=True)``,
    ``string(length=2)``, ``string(minlength=2, maxlength=8)``."""
    if converter in ("int", "float") and re.search(r"signed\s*=\s*True", args):
        return Converter("-?" + kind.regex, kind.example)
    if converter in ("string", "default"):
        numbers = {k: int(v) for k, v in re.findall(r"(length|minlength|maxlength)\s*=\s*(\d+)", args)}
        if "length" in numbers:
            return Converter(f"[^/]{{{numbers['length']}}}", "x" * numbers["length"])
        if numbers:
            low, high = numbers.get("minlength", 1), numbers.get("maxlength", "")
            return Converter(f"[^/]{{{low},{high}}}", "x" * max(low, 1))
    return kind


def _word(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "", name) or "x"


def _joined(parts: Iterator[Part] | tuple[Part, ...]) -> tuple[Part, ...]:
    """Neighbouring literal text as one part, empty text left out."""
    joined: list[Part] = []
    for part in parts:
        if not part.is_parameter and joined and not joined[-1].is_parameter:
            joined[-1] = Part(literal=joined[-1].literal + part.literal)
        elif part.is_parameter or part.literal:
            joined.append(part)
    return tuple(joined)


# -- Django's regular expressions --------------------------------------------------------------

class _Unsupported(Exception):
    pass


def _regex_parts(path: str) -> tuple[Part, ...] | Unroutable:
    # a path() prefix above a re_path() keeps its converters: written as the expression they stand for
    source = _CONVERTER_IN_REGEX.sub(lambda m: "(?:" + ANGLE_CONVERTERS.get(m.group("converter") or "default", SEGMENT).regex + ")", path)
    root = source.startswith("/")  # the analyzer's own slash: before every alternative of the expression
    try:
        parsed = sre_parse.parse(source[1:] if root else source)
        if parsed.state.flags & ~(re.UNICODE | re.ASCII):
            raise _Unsupported("inline flags such as (?i)")
        names = {number: name for name, number in parsed.state.groupdict.items()}
        return (Part(literal="/"),) * root + tuple(_top_level(list(parsed), names))
    except re.error as error:
        return Unroutable(f"its path is not a regular expression Python reads ({error})")
    except _Unsupported as error:
        return Unroutable(f"its regular expression uses {error}, which a gateway cannot match the same way")


def _top_level(items: list[tuple[Any, Any]], names: dict[int, str]) -> Iterator[Part]:
    for op, av in items:
        if op is sre.LITERAL:
            yield Part(literal=chr(av))
            continue
        name = names.get(av[0], "") if op is sre.SUBPATTERN else ""
        node = [(op, av)]
        pcre, python = _Emitter(_pcre_literal).items(node), _Emitter(re.escape).items(node)
        yield Part(regex=pcre, python=python, example=_example(node), spans=_spans(node), name=name)


_CATEGORIES = {
    sre.CATEGORY_DIGIT: "\\d", sre.CATEGORY_NOT_DIGIT: "\\D", sre.CATEGORY_WORD: "\\w", sre.CATEGORY_NOT_WORD: "\\W",
    sre.CATEGORY_SPACE: "\\s", sre.CATEGORY_NOT_SPACE: "\\S",
}
_ANCHORS = {sre.AT_BEGINNING: "^", sre.AT_BEGINNING_STRING: "^", sre.AT_END: "$", sre.AT_END_STRING: "$",
            sre.AT_BOUNDARY: "\\b", sre.AT_NON_BOUNDARY: "\\B"}


class _Emitter:
    """Writes a parsed Python expression back, literal characters through ``literal``."""

    def __init__(self, literal: Callable[[str], str]) -> None:
        self.literal = literal

    def items(self, items: list[tuple[Any, Any]]) -> str:
        return "".join(self.item(op, av) for op, av in items)

    def item(self, op: Any, av: Any) -> str:  # noqa: PLR0911 — one branch per operator
        if op is sre.LITERAL:
            return self._character(chr(av))
        if op is sre.NOT_LITERAL:
            return f"[^{self._in_class(chr(av))}]"
        if op is sre.ANY:
            return "."
        if op is sre.IN:
            return self._set(av)
        if op is sre.CATEGORY and av in _CATEGORIES:
            return _CATEGORIES[av]
        if op is sre.AT and av in _ANCHORS:
            return _ANCHORS[av]
        if op is sre.BRANCH:
            return "(?:" + "|".join(self.items(list(b)) for b in av[1]) + ")"
        if op is sre.SUBPATTERN:
            _, add, remove, inner = av
            if add or remove:
                raise _Unsupported("inline flags such as (?i:...)")
            return "(?:" + self.items(list(inner)) + ")"
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            return self._repeat(op, *av)
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, inner = av
            opener = {(sre.ASSERT, 1): "(?=", (sre.ASSERT, -1): "(?<=", (sre.ASSERT_NOT, 1): "(?!", (sre.ASSERT_NOT, -1): "(?<!"}
            return opener[(op, direction)] + self.items(list(inner)) + ")"
        raise _Unsupported(_OPERATORS.get(str(op), str(op).lower()))

    def _repeat(self, op: Any, low: int, high: int, inner: Any) -> str:
        body = self.items(list(inner))
        atom = body if len(list(inner)) == 1 else f"(?:{body})"  # one item is one atom
        if (low, high) == (0, sre.MAXREPEAT):
            count = "*"
        elif (low, high) == (1, sre.MAXREPEAT):
            count = "+"
        elif (low, high) == (0, 1):
            count = "?"
        elif high == sre.MAXREPEAT:
            count = f"{{{low},}}"
        else:
            count = f"{{{low}}}" if low == high else f"{{{low},{high}}}"
        return atom + count + {sre.MIN_REPEAT: "?", sre.POSSESSIVE_REPEAT: "+"}.get(op, "")

    def _set(self, items: list[tuple[Any, Any]]) -> str:
        if len(items) == 1 and items[0][0] is sre.CATEGORY and items[0][1] in _CATEGORIES:
            return _CATEGORIES[items[0][1]]  # [\d] is \d
        out = []
        for op, av in items:
            if op is sre.NEGATE:
                out.insert(0, "^")
            elif op is sre.LITERAL:
                out.append(self._in_class(chr(av)))
            elif op is sre.RANGE:
                out.append(self._in_class(chr(av[0])) + "-" + self._in_class(chr(av[1])))
            elif op is sre.CATEGORY and av in _CATEGORIES:
                out.append(_CATEGORIES[av])
            else:
                raise _Unsupported(str(op).lower())
        return "[" + "".join(out) + "]"

    def _character(self, char: str) -> str:
        text = self.literal(char)
        return text if len(text) <= 4 or not text.startswith("\\x") else f"(?:{text})"  # several bytes: one atom

    def _in_class(self, char: str) -> str:
        if self.literal is re.escape:
            return re.escape(char)
        if ord(char) > 0x7F:
            raise _Unsupported(f"the non-ASCII character {char!r} in a character set")
        return char if char.isalnum() else f"\\x{ord(char):02x}"


_OPERATORS = {"GROUPREF": "a back reference", "GROUPREF_EXISTS": "a conditional group", "ATOMIC_GROUP": "an atomic group"}


def _pcre_literal(text: str) -> str:
    """Literal text in the safe subset: ASCII letters and digits as they are, the rest as bytes."""
    return "".join(c if c.isascii() and c.isalnum() else "".join(f"\\x{b:02x}" for b in c.encode("utf-8")) for c in text)


_CANDIDATES = "a7x-_.~AZ09 "


def _example(items: list[tuple[Any, Any]]) -> str:
    """A short text the expression matches (the first choice of each alternative)."""
    out = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.ANY:
            out.append(".")  # most often a dot written unescaped: host.csv
        elif op in (sre.NOT_LITERAL, sre.IN, sre.CATEGORY):
            expression = _Emitter(re.escape).item(op, av)
            out.append(next((c for c in _CANDIDATES if re.fullmatch(expression, c)), "a"))
        elif op is sre.BRANCH:
            out.append(_example(list(av[1][0])))
        elif op is sre.SUBPATTERN:
            out.append(_example(list(av[3])))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, inner = av
            once = "a" if [op for op, _ in inner] == [sre.ANY] else _example(list(inner))  # never a segment "." (nginx folds /./)
            out.append(once * min(max(low, 1), high))
    return "".join(out)


def _spans(items: list[tuple[Any, Any]]) -> bool:
    """Whether the expression can match ``/``: then what follows it is not a segment of its own."""
    for op, av in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN, sre.CATEGORY):
            if re.fullmatch(_Emitter(re.escape).item(op, av), "/"):
                return True
        elif op is sre.BRANCH and any(_spans(list(b)) for b in av[1]):
            return True
        elif op is sre.SUBPATTERN and _spans(list(av[3])):
            return True
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and _spans(list(av[2])):
            return True
    return False
