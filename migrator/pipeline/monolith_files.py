"""The monolith's files that are no modules, read as bytes for ``generate`` to carry into the
services (``generators.service.files`` says where each one goes; here is only the reading)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Collection
from pathlib import Path
from stat import S_ISREG

from generators.service.files import is_left_out

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A file larger than this is not carried (a database dump, a video): a warning names it."""


class FileLeftOut(UserWarning):
    """A file of the monolith that the generated services do not get, and why."""


def monolith_files(src: Path, *, modules: Collection[str] = ()) -> dict[str, bytes]:
    """Every file under ``src`` that the services may need at run time, by its path relative to the
    folder that holds the top-level package (as ``module_sources`` names modules), without the
    ``modules`` (those paths are rendered), what ``is_left_out`` leaves out, virtual environments
    under any name and the trees migrator wrote (an OUT folder inside the source)."""
    root = src.resolve()
    prefix = f"{root.name}/" if (root / "__init__.py").is_file() else ""
    skip = set(modules)
    found: dict[str, bytes] = {}
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        relative = here.relative_to(root).as_posix()
        base = prefix + ("" if relative == "." else relative + "/")
        subfolders[:] = sorted(name for name in subfolders if not (is_left_out(base + name) or _not_the_monoliths(here / name)))
        for name in sorted(names):
            path = base + name
            if path not in skip and not is_left_out(path):
                data = _read(here / name, path)
                if data is not None:
                    found[path] = data
    return found


def _not_the_monoliths(folder: Path) -> bool:
    """A virtual environment (whatever its name), or a system or OUT folder migrator wrote."""
    return (folder / "pyvenv.cfg").is_file() or (folder / ".migrator").is_dir() or (folder / "system" / ".migrator").is_dir()


def _read(file: Path, path: str) -> bytes | None:
    try:
        found = os.stat(file)
        if not S_ISREG(found.st_mode):  # a broken link (no stat: OSError), a socket, a pipe
            return None
        size = found.st_size
        if size > MAX_FILE_BYTES:
            warnings.warn(f"{path} is not carried into the services: {size // (1024 * 1024)} MB, over the "
                          f"{MAX_FILE_BYTES // (1024 * 1024)} MB a file may have (copy it by hand if the code reads it)",
                          FileLeftOut, stacklevel=3)
            return None
        return file.read_bytes()
    except OSError:
        return None
