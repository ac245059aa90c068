"""Plumbing for the benchmarks: the Django sdist, child processes, statistics, tables.

Nothing here knows what is measured; ``analyze_django.py`` says that.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "benchmarks" / ".data"
RESULT_MARKER = "BENCHMARK-RESULT "
"""A child prints its measurements on one line after this marker, so stray output cannot confuse us."""


class SetupError(Exception):
    """The benchmark cannot start (no network, no pip): a one-line reason for the user."""


# -- the Django sdist --------------------------------------------------------------------------


def ensure_django(version: str | None = None, data: Path = DATA) -> Path:
    """The unpacked Django sdist under ``data``: downloaded and unpacked once, reused afterwards."""
    data.mkdir(parents=True, exist_ok=True)
    unpacked = _find_unpacked(data, version)
    if unpacked:
        return unpacked
    archive = _find_archive(data, version) or _download(data, version)
    return _unpack(archive, data)


def _version_key(path: Path) -> tuple[int, ...]:
    found = re.search(r"-(\d+(?:\.\d+)*)", path.name)
    return tuple(int(p) for p in found.group(1).split(".")) if found else ()


def _find_unpacked(data: Path, version: str | None) -> Path | None:
    pattern = f"[Dd]jango-{version}" if version else "[Dd]jango-*"
    folders = [p for p in data.glob(pattern) if p.is_dir() and (p / "django" / "__init__.py").is_file()]
    return max(folders, key=_version_key) if folders else None


def _find_archive(data: Path, version: str | None) -> Path | None:
    pattern = f"[Dd]jango-{version}.tar.gz" if version else "[Dd]jango-*.tar.gz"
    archives = list(data.glob(pattern))
    return max(archives, key=_version_key) if archives else None


def _download(data: Path, version: str | None) -> Path:
    requirement = f"django=={version}" if version else "django"
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", requirement, "-d", str(data)]
    print(f"downloading the Django sdist: {' '.join(command[2:])}", file=sys.stderr)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    archive = _find_archive(data, version)
    if completed.returncode != 0 or archive is None:
        raise SetupError(f"pip could not download {requirement}: {last_line(completed.stderr) or 'no sdist found'}")
    return archive


def _unpack(archive: Path, data: Path) -> Path:
    print(f"unpacking {archive.name}", file=sys.stderr)
    with tarfile.open(archive) as tar:
        # the "data" filter refuses absolute paths and links out of the folder (Python >= 3.11.4)
        if hasattr(tarfile, "data_filter"):
            tar.extractall(data, filter="data")
        else:
            tar.extractall(data)
    unpacked = _find_unpacked(data, _version_key_text(archive))
    if unpacked is None:
        raise SetupError(f"{archive} holds no django/ package")
    return unpacked


def _version_key_text(archive: Path) -> str | None:
    key = _version_key(archive)
    return ".".join(map(str, key)) if key else None


def count_python(root: Path) -> tuple[int, int]:
    """How many .py files are under ``root`` and how many lines they hold."""
    files = lines = 0
    for path in root.rglob("*.py"):
        files += 1
        with path.open("rb") as handle:
            lines += sum(1 for _ in handle)
    return files, lines


def code_fingerprint(packages: Sequence[str] = ("analyzers", "migrator")) -> str:
    """A hash of our own sources, to tell whether they changed while the benchmark ran."""
    digest = hashlib.blake2b(digest_size=12)
    for package in packages:
        for path in sorted((REPO / package).rglob("*.py")):
            digest.update(path.relative_to(REPO).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# -- touching a file for the warm run ----------------------------------------------------------

TOUCH_MARKER = "# migrator benchmark touch"


EDITS = ("comment", "body", "call", "function", "rename")
"""How a warm run changes the file: a comment appended (no fact changes); a statement added at
the end of the first function's body (every later line number changes); the same statement
calling the module's first top-level class or function (a new call edge as well); a new function
appended (the module's interface changes, but no other file names the new function); the first
function that is not a dunder method renamed where it is defined, its callers elsewhere left as
they are (the interface changes in a way other modules see: their names resolve anew)."""
RENAMED = "_migrator_renamed"


@contextmanager
def touched(path: Path, tag: str, edit: str = "comment") -> Iterator[None]:
    """Change ``path`` as ``edit`` says (every added line carries ``TOUCH_MARKER``); put back its
    bytes and times afterwards, whatever happens."""
    original = path.read_bytes()
    times = path.stat()
    path.write_bytes(edited(original, tag, edit))
    try:
        yield
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def edited(original: bytes, tag: str, edit: str) -> bytes:
    separator = b"" if original.endswith(b"\n") else b"\n"
    mark = f"{TOUCH_MARKER} {tag}"
    if edit == "comment":
        return original + separator + f"{mark}\n".encode()
    if edit == "function":
        added = f"{mark}\ndef _migrator_benchmark_touch():  {mark}\n    return None  {mark}\n"
        return original + separator + added.encode()
    if edit in ("body", "call"):
        import ast

        tree = ast.parse(original)
        first = next(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
        defined = [n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
        value = f"{defined[0]}()" if edit == "call" and defined and defined[0] != first.name else "None"
        last = first.body[-1]
        lines = original.splitlines(keepends=True)
        at = last.end_lineno or last.lineno
        lines.insert(at, f"{' ' * last.col_offset}_migrator_benchmark_touch = {value}  {mark}\n".encode())
        return b"".join(lines)
    if edit == "rename":
        import ast

        tree = ast.parse(original)
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
        named = next(n for n in ast.walk(tree) if isinstance(n, kinds) and not n.name.startswith("__"))
        lines = original.splitlines(keepends=True)
        line = lines[named.lineno - 1].decode()
        body, ending = line.rstrip("\r\n"), line[len(line.rstrip("\r\n")) :]
        # the comment names the old name, so that ``heal`` can put the line back
        renamed = body.replace(f"def {named.name}(", f"def {named.name}{RENAMED}(", 1)
        lines[named.lineno - 1] = f"{renamed}  {mark} rename {named.name}{ending or chr(10)}".encode()
        return b"".join(lines)
    raise ValueError(f"unknown edit {edit!r}: choose from {', '.join(EDITS)}")


def heal(path: Path) -> bool:
    """Drop touch lines an interrupted earlier run may have left; True if there were any."""
    if not path.is_file():
        return False
    lines = path.read_bytes().splitlines(keepends=True)
    kept = [_unrenamed(line) if b" rename " in line else line for line in lines]
    kept = [line for line in kept if TOUCH_MARKER.encode() not in line]
    if kept == lines:
        return False
    path.write_bytes(b"".join(kept))
    return True


def _unrenamed(line: bytes) -> bytes:
    """A line the ``rename`` edit changed, put back (others as they are)."""
    text = line.decode()
    at = text.find(f"  {TOUCH_MARKER} ")
    if at < 0 or " rename " not in text[at:]:
        return line
    name = text[at:].rsplit(" rename ", 1)[1].strip()
    ending = text[len(text.rstrip("\r\n")) :]
    return (text[:at].replace(f"def {name}{RENAMED}(", f"def {name}(", 1) + ending).encode()


# -- child processes ---------------------------------------------------------------------------


@dataclass
class Run:
    """One child process: its wall time, what it reported, or why it failed."""

    wall: float
    payload: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    stdout: str = ""
    cpu: float | None = None
    """User + system seconds of the process and of every child it waited for (pool workers)."""
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def child_env(pythonpath: Sequence[Path | str] = ()) -> dict[str, str]:
    """This environment with ``pythonpath`` first on PYTHONPATH and nothing that runs code at start-up."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME")}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    env["RUST_BACKTRACE"] = "0"  # a panic in grimp's Rust core: one line, not a page
    return env


def run_process(
    argv: Sequence[str], *, env: dict[str, str], cwd: Path | None = None, timeout: float = 900
) -> Run:
    """Run ``argv`` in a new session, time it, and read the result line if it prints one.

    The child gets its own process group so that a timeout also ends its worker processes.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            list(argv), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
    except OSError as exc:
        return Run(0.0, error=f"cannot start {argv[0]}: {exc.strerror or exc}")
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return Run(time.perf_counter() - started, error=f"timed out after {timeout:.0f} s", timed_out=True)
    except KeyboardInterrupt:
        # in its own session the child does not see the terminal's Ctrl-C: end it, then stop
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    wall = time.perf_counter() - started
    cpu = _cpu_since(usage)
    payload = _result_line(stdout)
    if process.returncode != 0:
        error = f"exit {process.returncode}: {last_line(stderr) or last_line(stdout) or 'no output'}"
        return Run(wall, payload, error=error, stdout=stdout, cpu=cpu)
    if payload.get("error"):
        return Run(wall, payload, error=str(payload["error"]), stdout=stdout, cpu=cpu)
    return Run(wall, payload, stdout=stdout, cpu=cpu)


def _cpu_since(before: resource.struct_rusage) -> float:
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_python(code: str, args: dict[str, Any], *, env: dict[str, str], timeout: float = 900) -> Run:
    """Run ``code`` in a fresh interpreter with ``args`` as JSON in ``sys.argv[1]``."""
    return run_process([sys.executable, "-c", code, json.dumps(args)], env=env, timeout=timeout)


def _result_line(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            try:
                return json.loads(line[len(RESULT_MARKER) :])
            except json.JSONDecodeError:
                return {}
    return {}


def last_line(text: str) -> str:
    """The last non-empty line of ``text``, where errors usually say what went wrong."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


# -- statistics and presentation -------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread | None:
        return cls(statistics.median(values), min(values), max(values), len(values)) if values else None


def ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "-"
    return f"{value / base:.2f}x"


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def megabytes(kilobytes: float | None) -> str:
    return "-" if kilobytes is None else f"{kilobytes / 1024:,.0f} MB"


def maxrss_kilobytes(value: int) -> float:
    """ru_maxrss in kilobytes: Linux reports kilobytes, macOS bytes."""
    return value / 1024 if sys.platform == "darwin" else float(value)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] | None = None) -> str:
    """A plain-text table: columns padded, numbers right-aligned."""
    right = right or [False] + [True] * (len(header) - 1)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).rjust(w) if r else str(c).ljust(w) for c, w, r in zip(cells, widths, right)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])
