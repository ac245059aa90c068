"""YAML that users write (decomposition.yaml, constraints.yaml), read strictly and with lines.

PyYAML keeps the last of two equal keys in a mapping without a word: a service written twice in
decomposition.yaml would silently lose the first block's modules. ``StrictLoader`` refuses that,
and ``read_yaml`` keeps the document's nodes so that later checks can name the line of an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from migrator.errors import MigratorError

MERGE_TAG = "tag:yaml.org,2002:merge"


class DuplicateKey(yaml.constructor.ConstructorError):
    """A key written twice in the same mapping."""

    def __init__(self, key: object, first_line: int, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"key {key!r} is written twice (first on line {first_line})", mark)
        self.key = key
        self.first_line = first_line


class _Strict(yaml.constructor.SafeConstructor):
    """A constructor that rejects a key written twice in the same mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # checked before SafeLoader merges ``<<`` entries in, whose keys may be overridden on purpose
        first_lines: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = first_lines.get(key)
            except TypeError:  # an unhashable key: SafeLoader's own error names it
                continue
            if first is not None:
                raise DuplicateKey(key, first, key_node.start_mark)
            first_lines[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class StrictLoader(_Strict, yaml.SafeLoader):
    """``yaml.SafeLoader`` that rejects a key written twice in the same mapping."""


class _FastStrictLoader(_Strict, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """``StrictLoader`` on libyaml's parser, when PyYAML has it: a decomposition of a large project
    (thousands of modules) is read in a tenth of the time."""


@dataclass(frozen=True)
class YamlDocument:
    """A YAML document's data and the nodes it was built from (for line numbers)."""

    data: Any
    root: yaml.Node | None

    def line(self, *path: str | int) -> int | None:
        """The 1-based line of the entry at ``path`` (mapping keys and list indexes), if there is one."""
        node, line = self.root, None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
                if found is None:
                    return line
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def read_yaml(text: str, *, source: str, hint: str, error: type[MigratorError] = MigratorError) -> YamlDocument:
    """Parse ``text`` strictly; a syntax error or a duplicate key is ``error`` naming ``source:line``."""
    try:
        return _read(text, _FastStrictLoader, source=source, hint=hint, error=error)
    except error:
        if _FastStrictLoader is StrictLoader:
            raise
    # libyaml words its errors in its own way: the message comes from PyYAML's own parser, as always
    return _read(text, StrictLoader, source=source, hint=hint, error=error)


def _read(text: str, loader_class: type[_Strict], *, source: str, hint: str, error: type[MigratorError]) -> YamlDocument:
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except DuplicateKey as exc:
        raise error(
            f"{source}:{exc.problem_mark.line + 1}: {exc.problem}",
            hint="merge the two into one: YAML keeps only the last and drops the first one's entries",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise error(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})", hint=hint) from None
    finally:
        loader.dispose()
    return YamlDocument(data, root)
