"""How a long stage tells how far it got, for the CLI's progress bars."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: ``done`` of ``total`` units of the step named ``step``."""
