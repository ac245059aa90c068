"""The ``Workspace`` port: a run's folder under the system's temporary folder."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


class TemporaryFolders:
    def create(self, run_id: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"migrator-{run_id}-"))

    def remove(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
