"""What a run keeps of its link for the next one.

A warm run reuses an analyzer's contribution when everything its link reads is unchanged: the
set of modules, every summary and that analyzer's facts (as digests of their pickles), the
options, and the files it cannot see through the scan (``link.outside_signature``). An analyzer that
reads only part of the summaries says which (``Analyzer.summary_view``): the imports link reads
the import statements alone, so a renamed function leaves it as it was. An analyzer with
``per_module`` (symbols) goes further: while no module's interface changed, only the modules
whose own summary or facts changed are linked again. When every contribution is the same as
last time, the graph is too, and its graph.json text and counts are taken as they were written.
An edit that only moves lines (or adds definitions nothing else names) keeps the whole-program
contributions too, with their places moved (``relocation``), and graph.json is patched where the
contributions changed (``patch``); the routes' contexts are worked out again only when an
edge came or went from a node that a route reached.

The cache folder holds ``state.pickle`` (small: fingerprints, counts, skipped and notes),
``parts.marshal`` (every contribution, packed as tuples) and ``graph.json`` (the last graph's
text), so that a run that changed nothing reads only the first and the text; it builds the
``DependencyGraph`` from the parts only if someone asks for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzers.base import Skipped
from migrator.engine.merge import GraphCounts
from migrator.engine.packing import freeze_parts, thaw_parts


def fingerprint(*parts: Any) -> str:
    """A digest of ``parts`` (of their ``repr``): what the state compares inputs by."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@dataclass
class LinkState:
    """The previous run's link: fingerprints of what each contribution was made from."""

    key: str
    fingerprints: dict[str, str | None] = field(default_factory=dict)
    """Analyzer -> fingerprint of its inputs (None: not reusable)."""
    module_digests: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    """Per-module analyzer -> module -> digests of the inputs of its part."""
    shape: str = ""
    """Fingerprint of the module set and every interface (per-module reuse needs it unchanged)."""
    module_set: str = ""
    """Fingerprint of the module set alone (a patched graph.json needs it unchanged)."""
    interfaces: dict[str, str] = field(default_factory=dict)
    """Module -> the digest of what other modules' links see of it (``interface_digest``)."""
    result: str = ""
    """Fingerprint of every contribution: the graph depends on nothing else."""
    counts: GraphCounts | None = None
    skipped: dict[str, list[Skipped]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)


_SAVES: list[threading.Thread] = []


def wait_for_saves() -> None:
    """Wait until every link state saved in the background is on disk."""
    while _SAVES:
        _SAVES.pop().join()


class LinkStore:
    """The files of the link state in a cache folder (or nowhere, without a cache).

    The last writes of a run (graph.json, then the state) go on in a thread while the caller
    goes on (writing its own graph.json, say): a 40 MB write is a tenth of a second. A store
    opened on the folder waits for them, and so does the interpreter before it exits.
    """

    def __init__(self, folder: Path | None, key: str) -> None:
        wait_for_saves()
        self.folder = folder
        self.key = key

    def load_state(self) -> LinkState | None:
        state = self._read("state.pickle")
        return state if isinstance(state, LinkState) and state.key == self.key else None

    def load_parts(self) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            return thaw_parts(marshal.loads((self.folder / "parts.marshal").read_bytes()))
        except Exception:  # missing, torn or from another version of Python: as if absent
            return {}

    def load_json(self) -> bytes | None:
        """The last graph's graph.json, UTF-8."""
        if self.folder is None:
            return None
        try:
            return (self.folder / "graph.json").read_bytes()
        except OSError:
            return None

    def save_parts(self, parts: Mapping[str, Any]) -> None:
        """The first half of a save: every contribution. The state that names them is removed
        first, so that until ``save_result`` a reader finds no state and reuses nothing."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "state.pickle").unlink(missing_ok=True)
        self._write("parts.marshal", lambda handle: handle.write(marshal.dumps(freeze_parts(parts))))

    def save_result(self, state: LinkState, text: bytes, *, first: Callable[[], object] | None = None) -> None:
        """The second half, in the background: ``first`` (the wait for the first half, when a
        child makes it), the graph's text, then the state (last: it names the result the other
        files hold)."""
        if self.folder is None:
            if first is not None:
                first()
            return

        def save() -> None:
            try:
                if first is not None:
                    first()
                self.save_json(text)
                self.save_state(state)
            except Exception:  # noqa: BLE001 - a cache that cannot be written is only not there next time
                with contextlib.suppress(OSError):
                    self.forget_state()

        saver = threading.Thread(target=save, name="migrator-link-save")
        _SAVES.append(saver)
        saver.start()

    def forget_state(self) -> None:
        """Remove the state first when the other files are written out of order (in two processes)."""
        if self.folder is not None:
            (self.folder / "state.pickle").unlink(missing_ok=True)

    def save_json(self, text: bytes) -> None:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write("graph.json", lambda handle: handle.write(text))

    def save_state(self, state: LinkState) -> None:
        if self.folder is not None:
            self._write("state.pickle", lambda handle: pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL))

    def _read(self, name: str) -> Any:
        if self.folder is None:
            return None
        try:
            with (self.folder / name).open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # missing, torn or from another version: as if absent
            return None

    def _write(self, name: str, dump: Any) -> None:
        assert self.folder is not None
        temporary = self.folder / f"{name}.{os.getpid()}.tmp"
        with temporary.open("wb") as handle:
            dump(handle)
        os.replace(temporary, self.folder / name)
