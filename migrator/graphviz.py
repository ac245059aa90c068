"""The adapter to Graphviz's ``dot``: DOT text in, SVG or PNG bytes out."""

from __future__ import annotations

import shutil
import subprocess

from migrator.errors import MigratorError


class GraphvizMissing(MigratorError):
    """Graphviz's ``dot`` is not on PATH. Pictures are optional: a caller may go on without them."""


def render_dot(dot_text: str, fmt: str) -> bytes:
    """Lay out ``dot_text`` with Graphviz and return the picture in ``fmt`` (svg or png)."""
    binary = shutil.which("dot")
    if binary is None:
        raise GraphvizMissing("Graphviz's dot is not on PATH", hint="install Graphviz (apt-get install graphviz)")
    completed = subprocess.run([binary, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True, timeout=120, check=False)
    if completed.returncode != 0:
        raise MigratorError(f"dot failed: {completed.stderr.decode(errors='replace').strip()[:300]}")
    return completed.stdout
