"""The command line: parse, call one pipeline function, map the result to an exit code."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from migrator import __version__
from migrator.errors import MigratorError
from migrator.model.deployment import BUSES, DEFAULT_BUS

EXIT_USER_ERROR = 1


class _Group(click.Group):
    """Turns our errors into a one-line reason and a hint, exit 1; no traceback unless --debug.
    With --json, errors (usage errors too) are one JSON object on stderr instead."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # known before the command parses its options, so that its usage errors are JSON too
        ctx.ensure_object(dict)["json"] = "--json" in args[: args.index("--")] if "--" in args else "--json" in args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MigratorError as error:
            _fail(error.message, error.hint)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException as error:
            if not _json_mode():
                raise
            where = error.ctx.command_path if isinstance(error, click.UsageError) and error.ctx else "migrator"
            _fail(error.format_message(), f"see `{where} --help`", code=error.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted")
        except BrokenPipeError:
            # the reader went away (``migrator ... | head``): not an error of ours, stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as error:  # an internal bug: say so plainly
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(f"internal error: {type(error).__name__}: {error}", "run again with --debug for the traceback and report it")


def _fail(message: str, hint: str = "", *, code: int = EXIT_USER_ERROR) -> NoReturn:
    """The one way a command fails: ``error:`` and ``hint:`` lines on stderr, or with --json one
    object ``{"error": ..., "hint": ...}`` there; then exit ``code``."""
    if _json_mode():
        click.echo(json.dumps({"error": message, "hint": hint}), err=True)
    else:
        click.echo(f"error: {message}", err=True)
        if hint:
            click.echo(f"hint: {hint}", err=True)
    sys.exit(code)


def _settings() -> dict[str, Any]:
    """What the whole run shares: --debug, --json and --quiet as given."""
    ctx = click.get_current_context(silent=True)
    return (ctx.find_root().obj or {}) if ctx else {}


def _json_mode() -> bool:
    return bool(_settings().get("json"))


def _quiet() -> bool:
    return bool(_settings().get("quiet"))


def _remember_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.find_root().ensure_object(dict)["quiet"] = True
    return value


def _say(text: str) -> None:
    """A summary line for people: silent with --quiet."""
    if not _quiet():
        click.echo(text)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="migrator")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Move a Python monolith onto a container platform as microservices.

    \b
    Example, the whole job on the shipped sample:
      migrator migrate sample_monolith -o out --services 10
    """
    ctx.ensure_object(dict)["debug"] = debug


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """Progress bars on a terminal (stderr); silent when output is piped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal or _quiet():
        yield lambda stage, done, total: None
        return
    with Progress(
        TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True
    ) as bars:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage, total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield update


def _options(*decorators: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Several click options as one decorator, for the commands that share them."""

    def apply(command: Any) -> Any:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


_ANALYSIS_OPTIONS = _options(
    click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out files matching GLOB (relative to SRC); repeatable."),
    click.option("--include-tests/--no-include-tests", default=None, help="Analyse test files too (excluded by default)."),
    click.option("--include-migrations/--no-include-migrations", default=None, help="Analyse migrations too (excluded by default)."),
    click.option("--history", "history_commits", type=click.IntRange(min=0), help="Commits of git history read for co-change (0: off; default 500)."),
)
"""Analyze's options; each also settable in the project's [tool.migrator], which the command line overrides."""

_SCAN_OPTIONS = _options(
    click.option("--workers", type=click.IntRange(min=0), default=0, help="Processes that scan files (0: one per core; 1: the whole analysis in one process)."),
    click.option("--no-cache", is_flag=True, help="Ignore and do not write the per-file cache."),
)
"""How analyze runs (not what it finds): processes and the per-file cache."""

_PROPOSAL_OPTIONS = _options(
    click.option("--seed", type=int, help="Seed of the clustering: the same seed gives the same result (default 42)."),
    click.option("--resolution", type=click.FloatRange(min=0.001), help="Louvain resolution when --services is not given; higher gives more, smaller services (default 1.0)."),
    click.option("--unit", type=click.Choice(["module", "class"]), help="What is placed in services (default module)."),
    click.option("--weight", "weights", multiple=True, metavar="KIND=NUMBER", help="Override the weight of a kind of tie, e.g. --weight calls=2; repeatable."),
    click.option("--shared/--no-shared", default=None, help="Propose a shared library part, or not (default: --shared)."),
)
"""Propose's options beside --services and --constraints; each also settable in [tool.migrator]."""

_CONSTRAINTS_HELP = "A constraints.yaml: pin (unit or glob: service), together and apart (lists of units), exclude (units)."


def _output_options(what: str) -> Callable[[Any], Any]:
    """--json and --quiet, which every command has."""
    return _options(
        click.option("--json", "as_json", is_flag=True,
                     help=f"Print {what} as JSON on stdout; warnings and errors become JSON objects on stderr, one a line."),
        click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_remember_quiet,
                     help="No progress bars and no summary: only warnings and errors (and what --json asks for)."),
    )


def _warn(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        click.echo(json.dumps({"warning": warning}) if _json_mode() else f"warning: {warning}", err=True)


@main.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Where to write the graph (graph.json).")
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "dot"]), default="json", show_default=True, help="Format of the graph file.")
@_ANALYSIS_OPTIONS
@_SCAN_OPTIONS
@_output_options("the summary")
@click.option("-v", "--verbose", is_flag=True, help="List every route, model, event and skipped file.")
@click.option("--force", is_flag=True, help="Replace an output file that migrator did not write.")
@click.option("--trace", "trace_path", type=click.Path(path_type=Path),
              help="A trace.json of `migrator trace`: merge what ran (calls with counts, use cases, tables, transactions) into the graph.")
def analyze(
    src: Path,
    output: Path | None,
    fmt: str,
    exclude: tuple[str, ...],
    include_tests: bool | None,
    include_migrations: bool | None,
    history_commits: int | None,
    workers: int,
    no_cache: bool,
    as_json: bool,
    verbose: bool,
    force: bool,
    trace_path: Path | None,
) -> None:
    """Build the dependency graph of the code under SRC and print a summary.

    \b
    Examples:
      migrator analyze sample_monolith -o graph.json
      migrator analyze sample_monolith --trace trace.json -o graph.json
      migrator analyze ~/src/shop --format graphml -o shop.graphml --exclude 'legacy/**'
    """
    from analyzers.base import AnalysisOptions
    from migrator.pipeline import AnalyzeRequest
    from migrator.pipeline import analyze as run_analysis
    from migrator.reporting.analysis_text import render_analysis_summary

    request = AnalyzeRequest(
        src=src,
        output=output,
        format=fmt,
        exclude=exclude,
        include_tests=include_tests,
        include_migrations=include_migrations,
        history_commits=history_commits,
        options=AnalysisOptions(workers=workers, use_cache=not no_cache),
        force=force,
        trace=trace_path,
    )
    with _progress() as progress:
        _, summary = run_analysis(request, progress)
    if as_json:
        _print_json(summary.to_dict())
    else:
        _say(render_analysis_summary(summary, verbose=verbose))
    _warn(summary.warnings)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("trace.json"), show_default=True, help="Where to write the trace.")
@click.option("--python", "python", type=click.Path(path_type=Path),
              help="Run on this interpreter as it is (an environment with the application's requirements) instead of building one with uv.")
@_output_options("the trace's counts")
@click.option("--force", is_flag=True, help="Replace an output file that migrator did not write.")
def trace(src: Path, command: tuple[str, ...], output: Path, python: Path | None, as_json: bool, force: bool) -> None:
    """Run the monolith's own tests (or CMD) under a tracer and write trace.json.

    The suite is found as `migrator verify` finds it (pytest, pytest-django, Django's runner,
    unittest) and runs in the application's own environment, built by uv from what the project
    declares ([tool.migrator] requirements, overrides and env apply). Per test and per HTTP
    route: the calls between the project's own functions with their counts, the SQL each ran and
    its tables, the transactions and what they wrote, the exceptions that crossed a module.
    sys.monitoring on Python 3.12 and later, sys.setprofile before.

    \b
    Examples:
      migrator trace sample_monolith -o trace.json
      migrator trace ~/src/shop -- python -m pytest tests/api
      migrator analyze sample_monolith --trace trace.json -o graph.json
    """
    from migrator.pipeline.tracing import TraceRequest
    from migrator.pipeline.tracing import trace as run_trace

    with _progress() as progress:
        result = run_trace(TraceRequest(src=src, command=tuple(command), python=python, output=output, force=force), progress)
    summary = result.summary()
    if as_json:
        _print_json({**summary, "output": str(output), "interpreter": result.interpreter, "warnings": list(result.warnings)})
    else:
        _say(f"Traced {summary['tests']} tests ({summary['passed']} passed) with {summary['tracer']} on Python {summary['python']} "
             f"in {summary['seconds']} s: {summary['calls']} calls over {summary['call_edges']} call edges, {summary['routes']} routes, "
             f"{summary['statements']} SQL statements, {summary['transactions']} transactions that wrote\n  environment: {result.interpreter}\n"
             f"  wrote {output}; merge it: migrator analyze {src} --trace {output} -o graph.json")
    _warn(result.warnings)


@main.command()
@click.argument("source", metavar="SRC_OR_GRAPH", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Where to write decomposition.yaml.")
@click.option("--services", type=click.IntRange(min=1), help="Target number of services (default: what the resolution finds).")
@_PROPOSAL_OPTIONS
@click.option("--constraints", type=click.Path(path_type=Path), help=_CONSTRAINTS_HELP)
@_output_options("the decomposition and its warnings")
@click.option("--force", is_flag=True, help="Replace an output file that was edited since migrator wrote it.")
def propose(
    source: Path,
    output: Path | None,
    services: int | None,
    seed: int | None,
    resolution: float | None,
    unit: str | None,
    weights: tuple[str, ...],
    shared: bool | None,
    constraints: Path | None,
    as_json: bool,
    force: bool,
) -> None:
    """Propose service boundaries for a source folder or a graph.json. The settings of the
    proposal can also be set in the project's pyproject.toml, under [tool.migrator]; the command
    line wins.

    \b
    Examples:
      migrator propose sample_monolith -o decomposition.yaml --services 10
      migrator propose graph.json -o decomposition.yaml --constraints constraints.yaml --seed 7
    """
    from migrator.model.decomposition import decomposition_to_dict
    from migrator.pipeline import ProposeRequest
    from migrator.pipeline import propose as run_propose
    from migrator.reporting.decomposition_text import render_decomposition

    request = ProposeRequest(
        source=source,
        output=output,
        services=services,
        seed=seed,
        resolution=resolution,
        unit=unit,
        weights=weights,
        constraints=constraints,
        shared=shared,
        force=force,
    )
    with _progress() as progress:
        decomposition = run_propose(request, progress)
    if as_json:
        _print_json({**decomposition_to_dict(decomposition), "warnings": list(decomposition.warnings)})
    else:
        _say(render_decomposition(decomposition, str(output) if output else None))
    _warn(decomposition.warnings)


@main.command()
@click.argument("decomposition", type=click.Path(path_type=Path))
@click.option("--graph", "graph_path", required=True, type=click.Path(path_type=Path), help="The graph.json (or source folder) it was proposed for.")
@click.option("--truth", type=click.Path(path_type=Path), help='A reference partition: {"dotted.module": "group"}.')
@_output_options("the scores")
def evaluate(decomposition: Path, graph_path: Path, truth: Path | None, as_json: bool) -> None:
    """Score a decomposition: SM, NED, ICP, IFN, BCP, MQ, modularity, CARGO cohesion and
    coupling, data-ownership conflicts; MoJoFM, a2a and ARI against a truth.

    \b
    Example:
      migrator evaluate decomposition.yaml --graph graph.json --truth sample_monolith/expected_boundaries.json
    """
    from migrator.pipeline import evaluate as run_evaluate
    from migrator.reporting.evaluation_text import render_evaluation

    data = run_evaluate(decomposition, graph_path, truth).to_dict()
    if as_json:
        _print_json(data)
    else:
        _say(render_evaluation(data))


@main.command()
@click.argument("decomposition", type=click.Path(path_type=Path))
@click.option("--graph", "graph_path", required=True, type=click.Path(path_type=Path), help="The graph.json (or source folder) it was proposed for.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Where to write the plan (plan.md or plan.json).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="Format of the plan: of the file -o writes, else of the plan printed on stdout.")
@click.option("--contracts", type=click.Path(path_type=Path), help="Also write the import-linter contracts there (.importlinter), and tach.toml beside it.")
@click.option("--force", is_flag=True, help="Replace output files that were edited since migrator wrote them.")
@_output_options("the plan's counts and the files written (without -o, the whole plan under \"plan\")")
def plan(decomposition: Path, graph_path: Path, output: Path | None, fmt: str, contracts: Path | None, force: bool, as_json: bool) -> None:
    """The migration plan: waves of extraction, REST calls and events, data ownership,
    sagas, and import-linter contracts with today's violations.

    \b
    Examples:
      migrator plan decomposition.yaml --graph graph.json -o plan.md --contracts .importlinter
      migrator plan decomposition.yaml --graph graph.json --format json > plan.json
    """
    from migrator.pipeline import plan as run_plan
    from migrator.reporting.plan_summary import plan_counts, render_plan_counts

    result = run_plan(decomposition, graph_path, output, fmt=fmt, contracts=contracts, force=force)
    migration, text, written = result.migration, result.text, result.written
    counts = plan_counts(migration)
    if as_json:
        _print_json({"written": [str(path) for path in written], **counts, **({} if output else {"plan": migration.to_dict()})})
    elif output is None:
        click.echo(text)
    else:
        _say(f"Plan written to {output}: {render_plan_counts(counts)}")


@main.command()
@click.argument("src", type=click.Path(path_type=Path), required=False)
@click.option("--decomposition", required=True, type=click.Path(path_type=Path), help="The decomposition.yaml whose boundaries the code must keep.")
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), help="Check this graph.json instead of analysing SRC.")
@click.option("--baseline", type=click.Path(path_type=Path),
              help="Tolerate the imports this plan.json (or an earlier check --json) lists: only new ones fail.")
@_output_options("the contracts, whether each is kept, and every import that breaks one")
def check(src: Path | None, decomposition: Path, graph_path: Path | None, baseline: Path | None, as_json: bool) -> None:
    """Fail (exit 1) when the code under SRC imports across the boundaries of a decomposition: a
    service importing another service's modules, or the shared library importing a service's.
    Lists each such import at file:line, as lint-imports does with the contracts `plan --contracts`
    writes; exit 0 when there is none. For CI, so that new code keeps the boundaries; while the
    migration is under way, --baseline tolerates the imports the plan already lists.

    \b
    Examples:
      migrator check sample_monolith --decomposition out/decomposition.yaml
      migrator check sample_monolith --decomposition out/decomposition.yaml --baseline out/plan.json
      migrator check --graph out/graph.json --decomposition out/decomposition.yaml --json
    """
    from migrator.pipeline.checking import check as run_check
    from migrator.reporting.check_text import check_failure, render_check

    with _progress() as progress:
        result = run_check(decomposition, source=src, graph_path=graph_path, baseline_path=baseline, progress=progress)
    if as_json:
        _print_json({"decomposition": str(decomposition), **result.to_dict()})
    else:
        _say(render_check(result, str(decomposition)))
    if result.violations:
        _fail(f"{check_failure(result)} of {decomposition}",
              "call the other service through its API (or move the code), or edit the decomposition if the boundary is wrong")


@main.command()
@click.argument("src", type=click.Path(path_type=Path), default=None, required=False)
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=Path("out"), show_default=True, help="Folder for everything migrate writes.")
@_ANALYSIS_OPTIONS
@_SCAN_OPTIONS
@click.option("--services", type=click.IntRange(min=1), help="Target number of services.")
@_PROPOSAL_OPTIONS
@click.option("--constraints", type=click.Path(path_type=Path), help=_CONSTRAINTS_HELP)
@click.option("--event-bus", type=click.Choice(list(BUSES)), help=f"The event bus of the generated system (default {DEFAULT_BUS}).")
@click.option("--truth", type=click.Path(path_type=Path), help="A reference partition to score against (default: SRC/expected_boundaries.json if present).")
@click.option("--database", type=click.Choice(["per-service", "shared"]),
              help="A database per service (default), or the monolith's kept by every service: the first step of a strangler fig.")
@_output_options("what was written, the plan's counts, the scores and any warnings")
@click.option("--pictures/--no-pictures", default=True, show_default=True,
              help="Draw the service graph as services.svg and .png with Graphviz (skipped with a warning when it is not installed).")
@click.option("--prune", is_flag=True, help="Remove the generated files of services that no longer exist, except those you edited.")
@click.option("--force", is_flag=True, help="Replace files in the output folder even if they were edited.")
def migrate(
    src: Path | None, out: Path, exclude: tuple[str, ...], include_tests: bool | None, include_migrations: bool | None,
    history_commits: int | None, workers: int, no_cache: bool, services: int | None, seed: int | None, resolution: float | None,
    unit: str | None, weights: tuple[str, ...], shared: bool | None, constraints: Path | None, event_bus: str | None, truth: Path | None,
    database: str | None, as_json: bool, pictures: bool, prune: bool, force: bool,
) -> None:
    """The whole job: analyze, propose, evaluate, plan, report and generate, into one folder.

    SRC defaults to the sample monolith shipped with migrator. The options of analyze, propose and
    generate can also be set in the project's pyproject.toml, under [tool.migrator]; the command
    line wins.

    \b
    Examples:
      migrator migrate                      # the shipped sample monolith, into ./out
      migrator migrate ~/src/shop -o shop-migration --services 8
    """
    from analyzers.base import AnalysisOptions
    from migrator.pipeline import AnalyzeRequest, ProposeRequest
    from migrator.pipeline import migrate as run_migrate
    from migrator.reporting.generation_text import tree_notes
    from migrator.reporting.plan_summary import plan_counts, render_plan_counts
    from migrator.words import plural

    if src is None:
        import sample_monolith

        src = Path(sample_monolith.__file__).parent
    analysis = AnalyzeRequest(src=src, exclude=exclude, include_tests=include_tests, include_migrations=include_migrations,
                              history_commits=history_commits, options=AnalysisOptions(workers=workers, use_cache=not no_cache))
    request = ProposeRequest(source=src, services=services, seed=seed, resolution=resolution, unit=unit, weights=weights, shared=shared,
                             constraints=constraints, force=force)
    with _progress() as progress:
        result = run_migrate(request, out, truth=truth, analysis=analysis, event_bus=event_bus, database=database, pictures=pictures, prune=prune,
                             progress=progress)
    warnings = result.warnings
    if as_json:
        from dataclasses import asdict

        _print_json({"files": {k: str(v) for k, v in result.files.items()}, "kept_edited_decomposition": result.reused_decomposition,
                     "plan": plan_counts(result.plan), "evaluation": result.evaluation.to_dict(), "generated": asdict(result.changes),
                     "warnings": list(warnings)})
        _warn(warnings)
        return
    scores = result.evaluation.scores
    lines = [
        f"Analysed {plural(result.summary.files, 'file')} ({plural(result.summary.lines, 'line')}) of {src}",
        f"{'Kept your edited' if result.reused_decomposition else 'Proposed'} {plural(len(result.decomposition.services), 'service')}"
        + (f"; MoJoFM against the truth {scores.mojofm:.1f}%" if scores.mojofm is not None else ""),
        f"Plan: {render_plan_counts(plan_counts(result.plan))}",
        "",
        *(f"  {name:<14} {path}" for name, path in result.files.items()),
        *(f"  {note}" for note in tree_notes(result.changes)),
    ]
    if "system" in result.files:
        lines.append(f"\nBoot the system and run the monolith's tests through its gateway: migrator verify {result.files['system']}")
    _say("\n".join(lines))
    _warn(warnings)


@main.command()
@click.argument("source", metavar="SRC_OR_GRAPH", type=click.Path(path_type=Path))
@click.option("--decomposition", type=click.Path(path_type=Path), help="The decomposition.yaml to show (services, plan, scores).")
@click.option("--truth", type=click.Path(path_type=Path), help="A reference partition to score against.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("report.html"), show_default=True, help="Where to write the HTML report.")
@click.option("--pictures/--no-pictures", default=False,
              help="Also draw the service graph as SVG and PNG beside the report with Graphviz (skipped with a warning when it is not installed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the report in your browser.")
@click.option("--force", is_flag=True, help="Replace an output file that migrator did not write.")
@_output_options("the paths written")
def report(
    source: Path, decomposition: Path | None, truth: Path | None, output: Path, pictures: bool, open_browser: bool, force: bool, as_json: bool,
) -> None:
    """One self-contained HTML report: overview and scores beside the baseline, the
    interactive boundary view, the coupling matrix, the plan and the skipped files.

    \b
    Example:
      migrator report graph.json --decomposition decomposition.yaml -o report.html --open
    """
    from migrator.pipeline import report as run_report

    with _progress() as progress:
        result = run_report(source, output, decomposition_path=decomposition, truth_path=truth, pictures=pictures, force=force, progress=progress)
    written = result.written
    path = written[0]
    if as_json:
        _print_json({"report": str(path.resolve()), "pictures": [str(picture.resolve()) for picture in written[1:]]})
    else:
        _say("\n".join([f"Report written to {path.resolve()}", *(f"Picture written to {picture.resolve()}" for picture in written[1:])]))
    _warn(result.warnings)
    if open_browser:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())


@main.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.option("--decomposition", required=True, type=click.Path(path_type=Path), help="The decomposition.yaml to generate from.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Folder of the generated system.")
@click.option("--event-bus", type=click.Choice(list(BUSES)), help=f"The event bus (default {DEFAULT_BUS}).")
@click.option("--database", type=click.Choice(["per-service", "shared"]),
              help="A database per service (default), or the monolith's kept by every service: the first step of a strangler fig.")
@click.option("--dry-run", is_flag=True, help="Write nothing: tell what would be written, kept, replaced and removed.")
@click.option("--force", is_flag=True, help="Replace generated files that you edited.")
@click.option("--prune", is_flag=True, help="Remove the generated files of services that no longer exist, except those you edited.")
@_output_options("the files created, changed, unchanged and no longer generated")
def generate(src: Path, decomposition: Path, out: Path, event_bus: str | None, database: str | None, dry_run: bool, force: bool, prune: bool,
             as_json: bool) -> None:
    """Write the system generated from the monolith under SRC, as the decomposition splits it, into
    the folder given by -o: one runnable folder per service (its own modules carried
    over, clients for the functions of other services, events through an outbox, health and metrics,
    a requirements.txt of what the monolith's project declares and the runtime's own), the shared
    library, OpenAPI 3.1 and AsyncAPI 3.0 contracts, the nginx gateway, Dockerfiles,
    docker-compose.yml, Kubernetes (kustomize), Jenkinsfiles, Prometheus and Grafana, and system.json
    for `migrator verify`. A file you edited is kept, and named, unless --force; the files of a service
    that no longer exists are left in place unless --prune (which keeps those you edited).

    \b
    Example:
      migrator generate sample_monolith --decomposition out/decomposition.yaml -o out/system
    """
    from dataclasses import asdict

    from migrator.pipeline import generate as run_generate
    from migrator.reporting.generation_text import render_tree_changes
    from migrator.words import plural

    with _progress():
        plan, changes, warnings = run_generate(src, decomposition, out, event_bus=event_bus, database=database, force=force, prune=prune,
                                               dry_run=dry_run)
    services = [s.name for s in plan.services if s.kind == "service"]
    monolith = any(s.kind == "monolith" for s in plan.services)
    if as_json:
        _print_json({"out": str(out), "dry_run": dry_run, "services": services, "monolith": monolith, **asdict(changes), "warnings": list(warnings)})
        _warn(warnings)
        return
    subject = f"for {plural(len(services), 'service')}" + (" and the monolith" if monolith else "")
    _say(render_tree_changes(changes, out, dry_run=dry_run, subject=subject))
    _warn(warnings)


def _header(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        name, colon, _ = value.partition(":")
        if not colon or not name.strip() or " " in name.strip():
            raise click.BadParameter(f"{value!r} is not 'Name: value'", ctx=ctx, param=param)
    return values


def _postgres_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from migrator.verify.domain.urls import is_postgres_url

    if value is not None and not is_postgres_url(value):
        raise click.BadParameter(f"{value!r} is not a postgresql:// URL", ctx=ctx, param=param)
    return value


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--event-bus", type=click.Choice(list(BUSES)), help="The bus to run on (default: the system's own, from system.json).")
@click.option("--bus-url", metavar="URL", help="The broker to use (default: the bus's local default, or one verify starts).")
@click.option("--database-url", metavar="URL", callback=_postgres_url, help="A PostgreSQL server (postgresql://user@host/db) to create a fresh database per service on (default: SQLite files).")
@click.option("--database", "database_mode", type=click.Choice(["per-service", "shared"]),
              help="A database for each service, or one they all share (the monolith's, the first step of a strangler fig); default: the system's own.")
@click.option("--timeout", type=click.FloatRange(min=1), default=60, show_default=True, help="Seconds to wait for every service and the gateway to be ready.")
@click.option("--examples", type=click.IntRange(min=1), default=10, show_default=True, help="Schemathesis examples per operation.")
@click.option("--fuzz/--no-fuzz", default=True, show_default=True, help="Run schemathesis against each service (what the monolith fails alike is not counted).")
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'", callback=_header, help="A header for schemathesis' requests, e.g. the admin token; repeatable.")
@click.option("--keep", is_flag=True, help="Keep the run's folder (logs, reports, SQLite files) and the PostgreSQL databases afterwards.")
@click.option("--keep-running", is_flag=True, help="After the checks, leave the system up (prints its URLs) until Ctrl-C.")
@click.option("--suite", "suite_command", metavar="CMD",
              help="A black-box suite: a shell command that tests the application at {base_url} (and may write JUnit XML to {junit}), "
                   "run where you are against the monolith, then through the gateway, and its answers compared.")
@click.option("--suite-report", type=click.Path(path_type=Path), metavar="PATH",
              help="Where the suite's tool writes its report itself (JUnit XML, or the JSON of pytest-json-report, newman, hurl, k6, Playwright).")
@click.option("--diff/--no-diff", default=True, show_default=True,
              help="Run the suite against a second monolith too and compare every answer of the split system with the monolith's (noise learnt from the two).")
@_output_options("the report")
def verify(
    out: Path, event_bus: str | None, bus_url: str | None, database_url: str | None, database_mode: str | None, timeout: float, examples: int, fuzz: bool,
    headers: tuple[str, ...], keep: bool, keep_running: bool, suite_command: str | None, suite_report: Path | None, diff: bool, as_json: bool,
) -> None:
    """Boot the generated system under OUT on loopback (broker, every service, the gateway) on an
    environment of its own that uv builds from the services' requirements.txt (cached, reused while
    they are unchanged), run the monolith's own HTTP tests against the gateway and schemathesis
    against each service, stop it all again, and print what passed. Exit 1 when anything failed.

    \b
    Examples:
      migrator verify out/system
      migrator verify out/system --database-url postgresql://postgres@127.0.0.1/postgres --header 'X-Admin-Token: dev-admin-token'
      migrator verify out/system --suite 'BASE_URL={base_url} pytest blackbox -q --junitxml {junit}'
      migrator verify out/system --suite 'hurl --test --variable base_url={base_url} --report-junit {junit} api/*.hurl'
    """
    import time

    from rich.console import Console

    from migrator.pipeline.verification import BlackBoxSuite, ProcessState, VerifyReport, VerifyRequest, held_lines, newly_exited
    from migrator.pipeline.verification import verify as run_verify
    from migrator.reporting.verification_text import failure_details, summary_line, verification_table

    def hold(report: VerifyReport, states: Callable[[], list[ProcessState]]) -> None:
        before = states()
        click.echo("\n".join(held_lines(before)), err=as_json)
        try:
            while any(state.exit_code is None for state in before):
                time.sleep(1)
                now = states()
                for state in newly_exited(before, now):
                    click.echo(f"{state.name} exited with code {state.exit_code}; its log: {state.log}", err=True)
                before = now
            click.echo("Every process of the system has exited.", err=True)
        except KeyboardInterrupt:
            click.echo("Stopping.", err=True)

    if suite_report is not None and suite_command is None:
        raise click.BadParameter("--suite-report needs --suite", param_hint="--suite-report")
    suite = BlackBoxSuite(suite_command, Path.cwd(), suite_report, diff) if suite_command else None
    request = VerifyRequest(out=out, event_bus=event_bus, bus_url=bus_url, database_url=database_url, timeout=timeout, examples=examples,
                            headers=headers, keep=keep, database=database_mode, fuzz=fuzz, suite=suite)
    with _progress() as progress:
        report = run_verify(request, progress, hold if keep_running else None)
    data = report.to_dict()
    if as_json:
        _print_json(data)
    elif not _quiet():
        console = Console()
        console.print(verification_table(data))
        details = failure_details(data)
        if details:
            click.echo(details)
    _warn(tuple(data["notes"]))
    if not report.ok:
        where = "in the report's excerpts" if as_json else "above"
        _fail(summary_line(data), f"the log excerpts {where} show why; --keep-running leaves the system up to look at it")
    if not as_json:
        _say(summary_line(data))
