"""docs/proposals.md: the services ``migrator propose`` gives each corpus application and the
sample, each with a line on the business capability it holds, read from the proposal itself.

    python benchmarks/proposals_doc.py              # writes docs/proposals.md
    python benchmarks/proposals_doc.py --check      # exit 1 when docs/proposals.md is not up to date

The corpus applications are copied from ``../shared/corpus/`` (as propose_corpus.py does) and
proposed with default settings: the number of services follows their structure.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import REPO, SetupError  # noqa: E402  (the benchmarks folder is not a package)
from propose_corpus import WORK, source_tree  # noqa: E402

sys.path.insert(0, str(REPO))

from analyzers.base import AnalysisOptions  # noqa: E402
from migrator.boundaries.propose import ProposeSettings, propose  # noqa: E402
from migrator.model.decomposition import Decomposition, Service  # noqa: E402
from migrator.pipeline import AnalyzeRequest, analyze  # noqa: E402
from migrator.words import plural  # noqa: E402

DOC = REPO / "docs" / "proposals.md"
APPS = (
    ("chipy-org", {"kind": "corpus", "folder": "chipy-org"}),
    ("flasky", {"kind": "corpus", "folder": "flasky"}),
    ("full-stack-fastapi-template", {"kind": "corpus", "folder": "full-stack-fastapi-template", "analyse": "backend"}),
    ("ihatemoney", {"kind": "corpus", "folder": "ihatemoney"}),
    ("parsifal", {"kind": "corpus", "folder": "parsifal"}),
)
SAMPLE = REPO / "sample_monolith"
LISTED = 4
_PLACED_ELSEWHERE = ("joins the domain", "moved away from", "merged into", "the rest joins", "follows its package")
"""Reasons of modules placed away from their own domain: they do not say what the service is."""


def proposal(src: Path, name: str) -> Decomposition:
    graph, _ = analyze(AnalyzeRequest(src=src, options=AnalysisOptions(cache_dir=WORK / "cache" / f"proposals-{name}")))
    return propose(graph, ProposeSettings())


def capability(service: Service) -> str:
    """Why the service is a business capability: where its code comes from in the authors'
    structure, the data it owns, the routes it serves, what it took from god modules."""
    own = [u for u in service.units if not any(MOVED in r for r in service.reasons.get(u, ()) for MOVED in _PLACED_ELSEWHERE)]
    domains = Counter(r.removeprefix("domain: ") for u in own or service.units for r in service.reasons.get(u, ())[:1] if r.startswith("domain: "))
    summary = service.summary
    models = [m.rsplit(".", 1)[-1] for m in summary.get("models", []) if not m.startswith("...")]
    parts = []
    if domains:
        # the piece that carries the service's own name says most about it
        evidence, count = min(domains.items(), key=lambda item: (-item[1], "names no domain" in item[0], item[0]))
        parts.append(f"{evidence}" + (f" ({count} of {plural(len(service.units), 'module')})" if len(service.units) > 1 else ""))
    if models:
        more = summary.get("models_count", len(models)) - min(len(models), LISTED)
        parts.append(f"owns {', '.join(models[:LISTED])}" + (f" and {plural(more, 'more model')}" if more > 0 else ""))
    else:
        parts.append("owns no model")
    routes = summary.get("routes_count", 0)
    if routes:
        named = [r for r in summary["routes"] if service.name.rstrip("s") in r.lower()]
        parts.append(f"serves {plural(routes, 'route')}, e.g. `{(named or summary['routes'])[0]}`")
    if service.symbols:
        parts.append(f"takes {plural(len(service.symbols), 'class or function', 'classes and functions')} from god modules "
                     f"(e.g. `{service.symbols[0]}`)")
    return "; ".join(parts)


def section(title: str, decomposition: Decomposition) -> list[str]:
    shared = len(decomposition.shared.units) if decomposition.shared else 0
    lines = [f"## {title}", "", f"{plural(len(decomposition.services), 'service')}; shared library: {plural(shared, 'module')}; "
             f"infrastructure: {plural(len(decomposition.infrastructure), 'module')}.", ""]
    lines += [f"- **{s.name}**: {capability(s)}." for s in decomposition.services]
    return [*lines, ""]


def render(sections: Sequence[list[str]]) -> str:
    head = [
        "# Proposed services of the corpus applications and the sample",
        "",
        "Written by `python benchmarks/proposals_doc.py` (do not edit; `--check` compares). Each line says why the",
        "service is a business capability, read from the proposal: the authors' structure that gives its domain,",
        "the models it owns, the routes it serves, and the classes and functions it takes from god modules",
        "(modules such as `models.py` or `views.py` serving several services, split at class and function level).",
        "Default settings: the number of services follows the code's structure.",
        "",
    ]
    return "\n".join([*head, *(line for part in sections for line in part)]).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 when the document is not up to date")
    args = parser.parse_args(argv)
    try:
        sections = [section(name, proposal(source_tree(spec, name), name)) for name, spec in APPS]
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    sections.append(section("sample_monolith", proposal(SAMPLE, "sample")))
    text = render(sections)
    if args.check:
        same = DOC.is_file() and DOC.read_text(encoding="utf-8") == text
        print("docs/proposals.md is up to date" if same else "docs/proposals.md is out of date: run python benchmarks/proposals_doc.py")
        return 0 if same else 1
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
