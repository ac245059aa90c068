"""The one adapter that puts files on disk: atomic, all of a command's files or none of them, and
never over a file the user wrote."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_IMODE, S_ISDIR

from migrator.errors import MigratorError


_UMASK = os.umask(0)
os.umask(_UMASK)

Ours = Callable[[str], bool]
"""Tells, from the text of a file in the way, whether migrator wrote it (and nobody edited it)."""


def _nobody(_: str) -> bool:
    return False


def _anybody(_: str) -> bool:
    return True


class WouldOverwrite(MigratorError):
    """The target exists and was not written by migrator (or was edited since)."""


@dataclass(frozen=True)
class Output:
    """One file a command writes: where, what (text, or bytes for pictures), and how to recognise
    a file migrator wrote there before."""

    path: Path
    content: str | bytes
    ours: Ours = _nobody


def write_output(path: Path, text: str | bytes, *, force: bool = False, ours: Ours = _nobody) -> None:
    """Write ``text`` (or bytes, for pictures) to ``path`` atomically.

    An existing file is replaced only when ``ours(its_text)`` says migrator wrote it, or with
    ``force``: nothing the user wrote is lost by accident.
    """
    write_all([Output(path, text, ours)], force=force)


def check_destinations(destinations: Iterable[tuple[Path, Ours]], *, force: bool = False) -> None:
    """Refuse, before anything is written, a destination that is a folder or holds a file
    migrator did not write (or that was edited since); ``force`` allows the latter."""
    _modes(destinations, force=force)


def _modes(destinations: Iterable[tuple[Path | str, Ours]], *, force: bool) -> dict[Path | str, int | None]:
    """``check_destinations``, telling the mode of each destination that exists (None: it does not)."""
    modes: dict[Path | str, int | None] = {}
    for path, ours in destinations:
        try:
            found = os.stat(path)
        except OSError:
            modes[path] = None
            continue
        if S_ISDIR(found.st_mode):
            raise MigratorError(f"{path} is a folder", hint="give a file name, e.g. -o graph.json")
        if not force and not ours(_read(Path(path))):
            raise WouldOverwrite(
                f"{path} exists and was not written by migrator, or was edited since",
                hint="choose another path or pass --force to replace it",
            )
        modes[path] = S_IMODE(found.st_mode)
    return modes


def write_all(outputs: Sequence[Output], *, force: bool = False) -> None:
    """Write every output or none: each destination is checked, each file is written to a
    temporary beside its destination, and only when all of them are there are they renamed into
    place. A failure removes the temporaries and the folders made for them."""
    _write_checked(outputs, _modes(((output.path, output.ours) for output in outputs), force=force))


def _write_checked(outputs: Sequence[Output], modes: Mapping[Path | str, int | None]) -> None:
    """``write_all`` once the destinations are checked: ``modes`` holds the mode of each one that exists."""
    _write_staged([(os.fspath(output.path), output.content) for output in outputs], {os.fspath(path): mode for path, mode in modes.items()})


def _write_staged(contents: Sequence[tuple[str, str | bytes]], modes: Mapping[str, int | None]) -> dict[str, tuple[int, int, int]]:
    """Write each ``(path, content)`` or none (``write_all``), ``modes`` holding the mode of each
    destination that exists; paths as text (a tree has thousands: a ``Path`` costs more to make
    than the file to write). Tells each written file's inode, size and time of last change."""
    staging = _Staging()
    try:
        _stage_all(staging, contents, modes)
    except _NotStaged as failed:
        staging.discard()
        raise MigratorError(
            f"cannot write {failed.path}: {failed.error.strerror or failed.error}", hint="nothing was written; check that its folder can be written to"
        ) from None
    except BaseException:
        staging.discard()
        raise
    staging.commit()
    return staging.written


class _NotStaged(Exception):
    def __init__(self, path: str, error: OSError) -> None:
        super().__init__(path)
        self.path, self.error = path, error


LANE_FILES = 512
"""Below this many files, one thread writes them all."""


def _stage_all(staging: _Staging, contents: Sequence[tuple[str, str | bytes]], modes: Mapping[str, int | None]) -> None:
    """Stage every file, on one thread per lane (``_lanes``); the first failure is raised
    (``_NotStaged`` for a file that could not be made) once every lane has stopped."""
    root, lanes = _lanes(contents)
    failures: list[BaseException] = []
    if root is None:
        _stage_lane(staging, contents, modes, failures)
        if failures:
            raise failures[0]
        return
    try:
        staging.folder(root)
    except OSError as exc:
        raise _NotStaged(root, exc) from None
    threads = [threading.Thread(target=_stage_lane, args=(staging, lane, modes, failures), name="migrator-writer", daemon=True) for lane in lanes]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except BaseException as stopped:  # an interrupt: the lanes stop at their next file
        failures.append(stopped)
        for thread in threads:
            thread.join()
        raise
    if failures:
        raise failures[0]


def _lanes(contents: Sequence[tuple[str, str | bytes]]) -> tuple[str | None, list[Sequence[tuple[str, str | bytes]]]]:
    """``contents`` split for the threads that write them, one per core, and the folder they
    share (None: one thread writes them all). Making a file is nearly all kernel time (the
    threads let go of the interpreter's lock in it) and two threads making files in different
    folders make them in about half the time. Each lane holds whole top folders below the shared
    folder (a service's tree), so no two threads make the same folder."""
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 4)
    if workers < 2 or len(contents) < LANE_FILES:
        return None, [contents]
    shared = os.path.commonprefix([path for path, _ in contents])
    root = shared[: shared.rfind(os.sep)]
    if not root:
        return None, [contents]
    groups: dict[str, list[tuple[str, str | bytes]]] = {}
    start = len(root) + 1
    for item in contents:
        path = item[0]
        end = path.find(os.sep, start)
        groups.setdefault(path[start:end] if end > 0 else "", []).append(item)
    lanes: list[list[tuple[str, str | bytes]]] = [[] for _ in range(workers)]
    for group in sorted(groups.values(), key=len, reverse=True):
        min(lanes, key=len).extend(group)
    return root, [lane for lane in lanes if lane]


def _stage_lane(staging: _Staging, lane: Sequence[tuple[str, str | bytes]], modes: Mapping[str, int | None], failures: list[BaseException]) -> None:
    """Stage each file of ``lane`` until one fails or another lane's did (``failures``, where a
    failure goes: ``_NotStaged`` for a file that could not be made)."""
    for path, content in lane:
        if failures:
            return
        try:
            staging.stage(path, content, modes.get(path))
        except OSError as exc:
            failures.append(_NotStaged(path, exc))
        except BaseException as exc:  # a lane's thread must not end with its failure unseen
            failures.append(exc)


class _Staging:
    """Files written beside their destinations as temporaries, then renamed into place together.

    The temporaries of one run share a random part of their names, so that making each one is a
    single system call (``mkstemp`` draws a name per file); the folders known to exist are
    remembered, so that each is looked at once. A folder the run makes is made under a temporary
    name (the topmost one of those it makes, the others inside it), its files written under their
    own names, and renamed into place with the others: one rename for a whole new tree instead of
    one per file, and nobody sees a new folder before all of it is there."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(6)
        self.staged: list[tuple[str, str]] = []
        self.folders: dict[str, tuple[str, bool]] = {}
        """Folder -> where its files go while staged, and whether that is a folder the run made."""
        self.made: list[tuple[str, str]] = []
        """The topmost folders the run makes: (temporary name, destination)."""
        self.written: dict[str, tuple[int, int, int]] = {}

    def stage(self, path: str, content: str | bytes, mode: int | None) -> None:
        """Write ``content`` to the temporary of ``path``, with the mode of the file it replaces (new: as the umask says)."""
        folder, name = os.path.split(path)
        place, new = self.folder(folder)
        temporary = os.path.join(place, name if new else f".{name}.{self.token}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            handle = os.open(temporary, flags, 0o666 if mode is None else mode)
        except FileExistsError:  # a temporary of an earlier run that drew the same token
            if new:
                raise
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
            os.fchmod(handle, 0o666 & ~_UMASK if mode is None else mode)
        try:
            if mode is not None:
                os.fchmod(handle, mode)  # the umask may have taken bits the replaced file has
            data = content.encode("utf-8") if isinstance(content, str) else content
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            found = os.fstat(handle)  # the inode is the destination's once renamed, its time of change stays
        except OSError:
            os.close(handle)
            if not new:
                os.unlink(temporary)
            raise
        os.close(handle)
        if not new:
            self.staged.append((temporary, path))
        self.written[path] = (found.st_ino, found.st_size, found.st_mtime_ns)

    def folder(self, folder: str) -> tuple[str, bool]:
        """Where the files of ``folder`` go while staged, and whether it is a folder the run makes
        (made now, under its temporary name or inside one)."""
        known = self.folders.get(folder)
        if known is not None:
            return known
        parent = os.path.dirname(folder)
        if parent == folder or os.path.exists(folder):
            place = (folder, False)
        else:
            staged, new = self.folder(parent)
            if new:
                place = (os.path.join(staged, os.path.basename(folder)), True)
                os.mkdir(place[0])
            else:
                place = (os.path.join(parent, f".{os.path.basename(folder)}.{self.token}.tmp"), True)
                try:
                    os.mkdir(place[0])
                except FileExistsError:  # a temporary of an earlier run that drew the same token
                    place = (tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(folder)}.", suffix=".tmp"), True)
                    os.chmod(place[0], 0o777 & ~_UMASK)
                self.made.append((place[0], folder))
        self.folders[folder] = place
        return place

    def commit(self) -> None:
        for index, (temporary, path) in enumerate(self.staged):
            try:
                os.replace(temporary, path)
            except OSError as exc:
                self.staged = self.staged[index:]
                self.discard()
                raise MigratorError(f"cannot write {path}: {exc.strerror or exc}", hint="check that its folder can be written to") from None
        self.staged = []
        for index, (temporary, folder) in enumerate(self.made):
            try:
                os.rename(temporary, folder)
            except OSError as exc:
                self.made = self.made[index:]
                self.discard()
                raise MigratorError(f"cannot write {folder}: {exc.strerror or exc}", hint="check that its folder can be written to") from None

    def discard(self) -> None:
        """Remove the temporaries and the folders made for them."""
        for temporary, _ in self.staged:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        for temporary, _ in self.made:
            shutil.rmtree(temporary, ignore_errors=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


_DIGEST = re.compile(r"^(?:# migrator-digest: ([0-9a-f]{16})|<!-- migrator-digest: ([0-9a-f]{16}) -->)\n")


def stamp(text: str, *, markdown: bool = False) -> str:
    """Put a digest line on top of a text file we write, to tell later whether a person edited it:
    a ``#`` comment (YAML, INI, TOML), or in Markdown an HTML comment, which renders as nothing."""
    digest = _digest(text)
    return f"<!-- migrator-digest: {digest} -->\n{text}" if markdown else f"# migrator-digest: {digest}\n{text}"


def is_unedited(existing: str) -> bool:
    """True for a file migrator stamped and nobody changed since (either form of the digest line)."""
    match = _DIGEST.match(existing)
    return bool(match) and (match.group(1) or match.group(2)) == _digest(existing[match.end() :])


def _digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.blake2b(data, digest_size=8).hexdigest()


# -- whole trees (the generated system) ---------------------------------------------------------

MANIFEST = ".migrator/manifest.json"
"""What migrator last wrote under a folder, file by file, as content digests."""


@dataclass(frozen=True)
class TreeChanges:
    """What writing a tree did (or, in a dry run, would do), as paths relative to the tree."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    """Files that differ from what migrator last wrote there (a person edited them, or put them
    there): left as they are."""
    replaced: tuple[str, ...] = ()
    """Such files, replaced all the same (``force``)."""
    stale: tuple[str, ...] = ()
    """Files migrator wrote before, that nobody edited and the new tree no longer has: left in
    place (``prune`` removes them)."""
    pruned: tuple[str, ...] = ()
    """Such files, removed (``prune``)."""
    stale_edited: tuple[str, ...] = ()
    """Files the new tree no longer has that a person edited since migrator wrote them: always
    left in place."""


def plan_tree(out: Path, files: Mapping[str, str | bytes], *, force: bool = False, prune: bool = False) -> TreeChanges:
    """Compare ``files`` ({relative path: text or bytes}) with what is under ``out`` now and with what
    migrator last wrote there (its manifest), and tell what writing them would do."""
    return _plan_tree(out, files, _digests(files), _read_manifest(out), force=force, prune=prune)


def _plan_tree(
    out: Path, files: Mapping[str, str | bytes], digests: Mapping[str, str], manifest: Mapping[str, str], *, force: bool, prune: bool,
    known: TreeStats | None = None, seen: dict[str, tuple[int, int, int, str]] | None = None, surveyed: frozenset[str] | None = None,
) -> TreeChanges:
    found: dict[str, list[str]] = {name: [] for name in ("created", "updated", "unchanged", "kept", "replaced", "stale", "pruned", "stale_edited")}
    base = os.fspath(out)
    missing: set[str] = set()
    created, updated, unchanged, other = found["created"], found["updated"], found["unchanged"], found["replaced" if force else "kept"]
    for relpath in sorted(files):
        target = _inside_text(base, relpath)
        current = None if missing and _in_missing(relpath, missing) else _current_digest(target, relpath, known, seen, surveyed)
        if current is None:
            _note_missing(base, relpath, missing)
            created.append(relpath)
        elif current == digests[relpath]:
            unchanged.append(relpath)
        elif manifest.get(relpath) == current:
            updated.append(relpath)
        else:
            other.append(relpath)
    for relpath in sorted(manifest.keys() - files.keys()):
        target = _inside(out, relpath) if _is_relative(relpath) else None
        if target is None or not target.is_file():
            continue
        if _file_digest(target) != manifest[relpath]:
            found["stale_edited"].append(relpath)
        else:
            found["pruned" if prune else "stale"].append(relpath)
    return TreeChanges(**{name: tuple(paths) for name, paths in found.items()})


def _in_missing(relpath: str, missing: set[str]) -> bool:
    """Whether a folder around ``relpath`` is known to be missing (then so is the file)."""
    folder = relpath.rpartition("/")[0]
    while folder:
        if folder in missing:
            return True
        folder = folder.rpartition("/")[0]
    return False


def _note_missing(base: str, relpath: str, missing: set[str]) -> None:
    """Note the folder of a file found missing when that folder is missing too: the other files
    of a new folder (a cold run's every file) are then not looked for one by one."""
    folder = relpath.rpartition("/")[0]
    if folder and folder not in missing and not os.path.isdir(_inside_text(base, folder)):
        missing.add(folder)


@dataclass
class TreeStats:
    """What the writer knows of the files it wrote under a tree: each one's inode, size, time of
    last change (ns) and digest, as they were just after it wrote them, and when it noted them. A
    file whose inode, size and time are still those is not read again to tell whether it changed
    (git's index does the same); one changed within ``RACY_NS`` before the note is read all the
    same, since a change in the same tick of the file system's clock would keep its time."""

    files: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    noted_ns: int = 0

    def entry(self, relpath: str, found: os.stat_result) -> tuple[int, int, int, str] | None:
        """What is noted of the file at ``relpath`` (its digest last), when its stat ``found`` is the one noted."""
        entry = self.files.get(relpath)
        if entry is None or entry[0] != found.st_ino or entry[1] != found.st_size or entry[2] != found.st_mtime_ns:
            return None
        racy = RACY_COARSE_NS if found.st_mtime_ns % 1_000_000_000 == 0 else RACY_NS
        return entry if found.st_mtime_ns + racy < self.noted_ns else None


RACY_NS = 100_000_000
"""A file changed this close before the stats were noted may have changed again in the same tick."""
RACY_COARSE_NS = 2_000_000_000
"""The same, on a file system that keeps whole seconds (FAT keeps two)."""


def survey_tree(out: Path, stats: TreeStats) -> frozenset[str]:
    """The files noted in ``stats`` that are no longer as noted under ``out`` (changed, gone, or
    noted too close to a change: ``TreeStats.entry``). ``write_tree`` given them (``surveyed``)
    takes the digests of the other noted files as noted without looking at those again, so the
    look at a large tree can be taken while the tree is still being made; a file changed between
    the survey and the write is then taken as it was at the survey."""
    base = os.fspath(out)
    unsure = []
    for relpath in stats.files:
        try:
            found = os.stat(_inside_text(base, relpath))
        except OSError:
            unsure.append(relpath)
            continue
        if stats.entry(relpath, found) is None:
            unsure.append(relpath)
    return frozenset(unsure)


def _current_digest(target: str, relpath: str, known: TreeStats | None, seen: dict[str, tuple[int, int, int, str]] | None,
                    surveyed: frozenset[str] | None = None) -> str | None:
    """The digest of the file at ``target`` (None: nothing there), taken from ``known`` when its
    stat is the one noted (or was, at the survey, ``surveyed`` holding what it found otherwise);
    what is learnt goes into ``seen``."""
    if surveyed is not None and known is not None and relpath not in surveyed:
        entry = known.files.get(relpath)
        if entry is not None:
            if seen is not None:
                seen[relpath] = entry
            return entry[3]
    try:
        found = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return ""
    if S_ISDIR(found.st_mode):
        return ""
    entry = known.entry(relpath, found) if known is not None else None
    if entry is not None:
        if seen is not None:
            seen[relpath] = entry  # what is noted of it stays true
        return entry[3]
    digest = _file_digest(target)
    if digest is None:
        return None
    if seen is not None and digest:
        seen[relpath] = (found.st_ino, found.st_size, found.st_mtime_ns, digest)
    return digest


def tree_outputs(out: Path, files: Mapping[str, str | bytes], changes: TreeChanges) -> list[Output]:
    """The files of ``changes`` to write (new, changed, replaced) and the manifest, which records
    what migrator wrote: a kept file keeps the digest of what migrator last wrote there, so it
    stays a person's file on the next run."""
    return _tree_outputs(out, files, changes, _digests(files), _read_manifest(out))


def _tree_outputs(out: Path, files: Mapping[str, str | bytes], changes: TreeChanges, digests: Mapping[str, str], old: Mapping[str, str]) -> list[Output]:
    return [Output(_inside(out, relpath), content, _anybody) for relpath, content in _tree_contents(files, changes, digests, old)]


def _tree_contents(files: Mapping[str, str | bytes], changes: TreeChanges, digests: Mapping[str, str], old: Mapping[str, str]) -> list[tuple[str, str | bytes]]:
    """``_tree_outputs`` as ``(relative path, content)``: the new files first, the manifest last."""
    manifest = {relpath: old[relpath] for relpath in (*changes.kept, *changes.stale, *changes.stale_edited) if relpath in old}
    manifest.update({relpath: digests[relpath] for relpath in (*changes.created, *changes.updated, *changes.replaced, *changes.unchanged)})
    contents = [(relpath, files[relpath]) for relpath in (*changes.created, *changes.updated, *changes.replaced)]
    contents.append((MANIFEST, _manifest_text(manifest)))
    return contents


def _manifest_text(manifest: Mapping[str, str]) -> str:
    """``json.dumps(dict(sorted(manifest.items())), indent=1) + "\\n"``, its strings encoded by
    json's C encoder (with an indent, ``json.dumps`` encodes in Python: a tree has 17k files)."""
    if not manifest:
        return "{}\n"
    quote = json.encoder.encode_basestring_ascii
    return "{\n" + ",\n".join(f" {quote(relpath)}: {quote(digest)}" for relpath, digest in sorted(manifest.items())) + "\n}\n"


def _digests(files: Mapping[str, str | bytes]) -> dict[str, str]:
    """The digest of each file's content, each content object digested once (a service's runtime
    and the monolith's files carried as they are: one object in every service folder)."""
    by_object: dict[int, str] = {}
    digests = {}
    for relpath, content in files.items():
        digest = by_object.get(id(content))
        if digest is None:
            digest = by_object[id(content)] = _digest(content)
        digests[relpath] = digest
    return digests


def remove_pruned(out: Path, changes: TreeChanges) -> None:
    """Remove the files ``changes`` prunes, and the folders that leaves empty (``out`` stays)."""
    for relpath in changes.pruned:
        path = _inside(out, relpath)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise MigratorError(f"cannot remove {path}: {exc.strerror or exc}", hint="check that its folder can be written to") from None
        for folder in path.relative_to(out).parents[:-1]:
            try:
                (out / folder).rmdir()
            except OSError:  # not empty: a folder that still holds something stays
                break


def write_tree(
    out: Path, files: Mapping[str, str | bytes], *, force: bool = False, prune: bool = False, dry_run: bool = False, stats: TreeStats | None = None,
    surveyed: frozenset[str] | None = None,
) -> TreeChanges:
    """Write a generated tree under ``out``, all of it or nothing, the manifest with it.

    A file a person edited (or put there) is kept unless ``force``; files migrator wrote before
    that the tree no longer has are left in place unless ``prune`` (and then only those nobody
    edited are removed); ``dry_run`` only tells what would happen. ``stats``, kept by the caller
    between runs, spares reading again the files that did not change since the last run (it is
    brought up to date with what this run wrote); ``surveyed`` (``survey_tree`` of ``stats``)
    spares even looking at the noted files it does not name.
    """
    digests, manifest = _digests(files), _read_manifest(out)
    seen: dict[str, tuple[int, int, int, str]] = {}
    changes = _plan_tree(out, files, digests, manifest, force=force, prune=prune, known=stats, seen=seen if stats is not None else None,
                         surveyed=surveyed)
    if not dry_run:
        contents = [(_inside_text(out, relpath), content) for relpath, content in _tree_contents(files, changes, digests, manifest)]
        # a new file's place held nothing when the tree was listed; only the files it replaces are looked at again
        created = len(changes.created)
        modes: dict[str, int | None] = {path: None for path, _ in contents[:created]}
        modes.update({str(path): mode for path, mode in _modes(((path, _anybody) for path, _ in contents[created:]), force=True).items()})
        written = _write_staged(contents, modes)
        remove_pruned(out, changes)
        if stats is not None:
            _note(stats, out, changes, digests, seen, written)
    return changes


def _note(stats: TreeStats, out: Path, changes: TreeChanges, digests: Mapping[str, str], seen: Mapping[str, tuple[int, int, int, str]],
          written: Mapping[str, tuple[int, int, int]]) -> None:
    """Bring ``stats`` up to date: the files written now, and those found unchanged."""
    files = {relpath: seen[relpath] for relpath in changes.unchanged if relpath in seen}
    for relpath in (*changes.created, *changes.updated, *changes.replaced):
        found = written.get(_inside_text(out, relpath))
        if found is not None:
            files[relpath] = (*found, digests[relpath])
    stats.files, stats.noted_ns = files, time.time_ns()


def _is_relative(relpath: str) -> bool:
    return bool(relpath) and not relpath.startswith("/") and (".." not in relpath or ".." not in relpath.split("/"))


def _inside(out: Path, relpath: str) -> Path:
    """``out / relpath``, refusing a path that would leave ``out`` (a generator bug, never data)."""
    return Path(_inside_text(out, relpath))


def _inside_text(out: Path | str, relpath: str) -> str:
    """``_inside`` as text, for the many files of a tree (a ``Path`` costs more to make than to stat)."""
    if not _is_relative(relpath):
        raise MigratorError(f"refusing to write {relpath!r} outside {out}", hint="this is a bug in a generator: please report it")
    return os.path.join(out, *relpath.split("/")) if os.sep != "/" else f"{os.fspath(out)}/{relpath}"


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _file_digest(path: Path | str) -> str | None:
    """The digest of the bytes on disk (a picture, a file with CRLF line ends: as they were written);
    None when nothing is there, "" when what is there cannot be read."""
    try:
        with open(path, "rb") as stream:
            return _digest(stream.read())
    except FileNotFoundError:
        return None
    except OSError:
        return ""
