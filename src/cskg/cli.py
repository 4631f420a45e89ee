"""The ``cskg`` command: a thin layer that parses options, calls the library, prints.

Heavy libraries (rdflib, pySHACL, networkx) are imported inside the commands
that need them, so ``cskg --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
import traceback
from enum import Enum
from typing import Annotated

import typer

from cskg import __version__
from cskg.errors import EXIT_INVALID, CskgError

app = typer.Typer(
    name="cskg",
    help="Children's Services Knowledge Graph: build, validate and question a source-tracked "
    "RDF graph of English councils' children's services and their Ofsted inspections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": bool(os.environ.get("CSKG_DEBUG"))}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cskg {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback when something fails.")
    ] = False,
) -> None:
    """Children's Services Knowledge Graph."""
    _state["debug"] = _state["debug"] or debug


class TextOrJson(str, Enum):
    table = "table"
    json = "json"


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    turtle = "turtle"


def _project():  # type: ignore[no-untyped-def]
    from cskg.project import find_project

    return find_project()


@app.command()
def build(
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild the whole store, not only what changed.")
    ] = False,
) -> None:
    """Load the ontology and graph files into the embedded store; print what was loaded."""
    from cskg.store import build as build_store

    project = _project()
    report = build_store(project, force=force)
    for item in report.files:
        mark = "loaded" if item.reloaded else "unchanged"
        typer.echo(f"{mark:9}  {item.triples:>8} triples  {item.path}")
    for rel in report.removed:
        typer.echo(f"{'removed':9}  {'':>8}          {rel}")
    data_graphs = [f for f in report.files if f.path.startswith("graphs/")]
    typer.echo(
        f"{len(report.files)} files, {len(data_graphs)} source graphs, {report.triples} triples "
        f"in {report.seconds:.2f} s -> {project.rel(project.store_dir)}"
    )


@app.command()
def validate(
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = (
        ReportFormat.table
    ),
) -> None:
    """Check the whole graph against shapes/ and queries/checks/; exit 1 on any violation."""
    from cskg.formats import TABULAR
    from cskg.store import open_store
    from cskg.validation import results_graph, validate_store

    with open_store(_project()) as store:
        report = validate_store(store)
    if format is ReportFormat.turtle:
        typer.echo(results_graph(report).serialize(format="turtle"), nl=False)
    elif format is ReportFormat.json:
        import json

        body = {"conforms": report.conforms, "results": [r.as_dict() for r in report.results]}
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
    else:
        if report.results:
            columns = ["severity", "entity", "property", "value", "message", "file"]
            rows = [
                [r.severity, r.label, r.path, r.value, r.message, ", ".join(r.files)]
                for r in report.results
            ]
            typer.echo(TABULAR["table"](columns, rows), nl=False)
        verdict = "conforms" if report.conforms else "does not conform"
        typer.echo(
            f"The graph {verdict}: {report.count('Violation')} violations, "
            f"{report.count('Warning')} warnings."
        )
    if not report.conforms:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def stats(
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = (
        TextOrJson.table
    ),
) -> None:
    """Count entities by class and statements by source."""
    from cskg.formats import TABULAR
    from cskg.entities import stats as compute

    from cskg.store import open_store

    with open_store(_project()) as store:
        result = compute(store)
    if format is TextOrJson.json:
        import json

        body = {
            "graphs": result.graphs,
            "triples": result.triples,
            "classes": [{"class": c, "label": lbl, "count": n} for lbl, c, n in result.by_class],
            "sources": [
                {"file": f, "source": s, "triples": n, "subjects": e}
                for f, s, n, e in result.by_source
            ],
        }
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    typer.echo(f"{result.graphs} source graphs, {result.triples} statements\n")
    typer.echo(TABULAR["table"](["class", "entities"], [[lbl, n] for lbl, _, n in result.by_class]))
    typer.echo(
        TABULAR["table"](
            ["file", "source", "statements"], [[f, s, n] for f, s, n, _ in result.by_source]
        ),
        nl=False,
    )


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="A name, alias, code (GSS, DfE, URN), CURIE or IRI.")],
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = (
        TextOrJson.table
    ),
) -> None:
    """Every fact about an entity, grouped by relationship, each with its source."""
    from cskg.entities import describe, render_view
    from cskg.labels import resolve
    from cskg.store import open_store

    with open_store(_project()) as store:
        view = describe(store, resolve(store, name))
    if format is TextOrJson.json:
        import json

        typer.echo(json.dumps(view.as_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_view(view), nl=False)


def main() -> None:
    """Run the command line, turning cskg's errors into one line and an exit code."""
    try:
        app(prog_name="cskg")
    except CskgError as error:
        if _state["debug"] or "--debug" in sys.argv:
            traceback.print_exc()
        typer.echo(f"Error: {error.message}", err=True)
        if error.hint:
            typer.echo(f"Hint: {error.hint}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        sys.exit(130)
