"""Our own layers, checked with import-linter (contracts in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_layers_and_networkx_confinement_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    completed = subprocess.run(
        [str(lint_imports), str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "0 broken" in completed.stdout


def test_migrator_analyze_imports_nothing_that_only_later_stages_need(tmp_path) -> None:
    # the pipeline's names are imported on first use: analysing pays for no clustering
    # (networkx), code rewriting (libcst) or generators
    script = (
        "import sys\n"
        "from migrator.cli import main\n"
        f"sys.argv = ['migrator', 'analyze', {str(REPO / 'sample_monolith')!r}, '-o', {str(tmp_path / 'graph.json')!r}, '--no-cache']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print(sorted(m for m in ('networkx', 'libcst', 'generators', 'migrator.boundaries') if m in sys.modules))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "graph.json").stat().st_size > 0
