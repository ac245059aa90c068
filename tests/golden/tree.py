"""A golden folder against the files rendered now: what was added, removed and changed, as a
unified diff; and the folder rewritten to match."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileDiff:
    """One file that differs: ``added`` (rendered now, not in the folder), ``removed`` (in the
    folder, no longer rendered) or ``changed``; ``lines`` its unified diff."""

    path: str
    status: str
    lines: tuple[str, ...]

    def summary(self) -> str:
        plus = sum(1 for line in self.lines[2:] if line.startswith("+"))
        minus = sum(1 for line in self.lines[2:] if line.startswith("-"))
        return f"{self.status:8} {self.path} (+{plus} -{minus})"


@dataclass(frozen=True)
class TreeDiff:
    """How the rendered files differ from a golden folder; empty when they are the same bytes."""

    files: tuple[FileDiff, ...]

    def __bool__(self) -> bool:
        return bool(self.files)

    def report(self, limit: int | None = None) -> str:
        """A line a file, then the first ``limit`` lines of the diff (all of them without a limit)."""
        patch = [line for diff in self.files for line in diff.lines]
        shown = patch if limit is None else patch[:limit]
        tail = [f"... {len(patch) - len(shown)} more lines of diff"] if len(shown) < len(patch) else []
        legend = "(added: rendered now, not in the golden folder; removed: in it, no longer rendered; a/ golden, b/ rendered)"
        return "\n".join([*(diff.summary() for diff in self.files), legend, "", *shown, *tail])


def compare(folder: Path, rendered: Mapping[str, str]) -> TreeDiff:
    """``rendered`` ({path: text}) against the files under ``folder``, byte for byte."""
    golden = read_tree(folder) if folder.exists() else {}
    new = {path: text.encode("utf-8") for path, text in rendered.items()}
    files = []
    for path in sorted(golden.keys() | new.keys()):
        before, after = golden.get(path), new.get(path)
        if before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        head = ("--- " + ("/dev/null" if before is None else f"a/{path}"), "+++ " + ("/dev/null" if after is None else f"b/{path}"))
        body = list(difflib.unified_diff(_lines(before), _lines(after), lineterm=""))[2:]
        files.append(FileDiff(path, status, (*head, *body)))
    return TreeDiff(tuple(files))


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its path relative to it."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def rewrite(folder: Path, rendered: Mapping[str, str]) -> None:
    """Make ``folder`` hold exactly ``rendered``: write what differs, delete what is no longer
    rendered, and the folders left empty."""
    old = read_tree(folder) if folder.exists() else {}
    for path, text in rendered.items():
        data = text.encode("utf-8")
        if old.get(path) != data:
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
    for path in old.keys() - rendered.keys():
        (folder / path).unlink()
    for directory in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()


def _lines(data: bytes | None) -> list[str]:
    if not data:
        return []
    text = data.decode("utf-8", errors="replace")
    # a stray carriage return or a missing final newline is a change too: both stay visible
    lines = [line.replace("\r", "\\r") for line in text.split("\n")]
    return lines[:-1] if text.endswith("\n") else [*lines, "\\ No newline at end of file"]
