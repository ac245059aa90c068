"""Our own architecture: the layers, checked with import-linter (contracts in pyproject.toml), and
functions short enough to read at once."""

import ast
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


MAX_FUNCTION_LINES = 60
"""From a function's ``def`` line to its last line; the median in the codebases we learn from is ~10."""
CHECKED_PACKAGES = ("migrator", "analyzers", "generators")


def _long_functions(package: Path) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} {length} lines")
    return found


def test_no_function_is_longer_than_60_lines() -> None:
    too_long = [entry for package in CHECKED_PACKAGES for entry in _long_functions(REPO / package)]
    assert not too_long, (
        f"{len(too_long)} functions are longer than {MAX_FUNCTION_LINES} lines; split each by meaning into well-named helpers:\n"
        + "\n".join(too_long)
    )
