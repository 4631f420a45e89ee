"""The ``cskg`` command: a thin layer that parses options, calls the library, prints.

Heavy libraries (rdflib, pySHACL, networkx) are imported inside the commands
that need them, so ``cskg --help`` stays fast.
"""

import os
import sys
import traceback
from enum import Enum
from typing import Annotated

import typer

from cskg import __version__
from cskg.errors import EXIT_INVALID, CskgError

app = typer.Typer(
    rich_markup_mode=None,  # plain help: rendering it with rich costs 0.25 s a call
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
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback when something fails.")
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", metavar="SECONDS", show_default=False,
                     help="Stop the command's queries after this many seconds (exit 2, nothing "
                     "written); default 120, or CSKG_TIMEOUT; 0 for no limit."),
    ] = None,
) -> None:
    """Children's Services Knowledge Graph."""
    from cskg import deadline

    _state["debug"] = _state["debug"] or debug
    deadline.running(f"the queries of cskg {ctx.invoked_subcommand or ''}".rstrip())
    deadline.arm(deadline.limit_from(timeout))


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


Endpoint = Annotated[
    str | None,
    typer.Option("--endpoint", help="Ask this SPARQL 1.1 query endpoint (see `cskg push`) instead "
                 "of the embedded store; credentials from CSKG_ENDPOINT_TOKEN or "
                 "CSKG_ENDPOINT_USER/CSKG_ENDPOINT_PASSWORD.", show_default=False),
]


def _reader(project, endpoint: str | None):  # type: ignore[no-untyped-def]
    """The embedded store opened for reading, or a SPARQL server answering the same way."""
    if endpoint:
        from cskg.remote import RemoteStore

        return RemoteStore(project, endpoint)
    from cskg.store import open_store

    return open_store(project)


@app.command()
def build(
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild the whole store, not only what changed.")
    ] = False,
    network: Annotated[
        bool,
        typer.Option(
            "--network",
            help="Also prepare the network projection beside the store, so the first "
            "`cskg network` command after this build need not read the whole store "
            "(it costs the build that read instead: about 6 s at 1M triples).",
        ),
    ] = False,
) -> None:
    """Load the ontology and graph files into the embedded store; print what was loaded.

    Example: cskg build --network
    """
    from cskg.store import build as build_store

    from cskg.progress import working

    project = _project()
    with working("Loading the ontology and graph files into the store…"):
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
    if network:
        _keep_network(project)


def _keep_network(project) -> None:  # type: ignore[no-untyped-def]
    """Keep the network projection beside the store just built (``cskg.network_cache``), so
    that the first ``cskg network`` command after a build need not read the whole store
    (``cskg build --network``).

    It is an optimisation: where it cannot be kept (the file cannot be written, the store
    cannot be read) the build stands, and a note says why; any other error is a bug, and
    is raised as one.
    """
    from cskg.errors import InputError
    from cskg.network import keep_projection
    from cskg.store import open_store

    try:
        with open_store(project, rebuild=False) as store:  # the shared lock: a consistent key
            if keep_projection(store):
                return
            why = "its file could not be written"
    except (OSError, InputError) as error:
        why = str(error)
    typer.echo(f"note: the network projection was not kept beside the store ({why}); "
               "the first `cskg network` command will read it from the store", err=True)


@app.command()
def validate(
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = (
        ReportFormat.table
    ),
) -> None:
    """Check the whole graph against shapes/ and queries/checks/; exit 1 on any violation.

    Example: cskg validate --format json > report.json
    """
    from cskg.formats import table, terminal_width
    from cskg.store import open_store
    from cskg.validation import results_graph, validate_store

    from cskg.progress import working

    with open_store(_project(), keep_last_good=False) as store, \
            working("Validating the graph against shapes/ and queries/checks/…"):  # fails on a malformed file
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
            typer.echo(table(columns, rows, terminal_width()), nl=False)
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
    """Count entities by class and statements by source.

    Example: cskg stats --format json
    """
    from cskg.entities import stats as compute
    from cskg.formats import TABULAR
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
            "councils": {"total": result.councils, "with_full_inspection": result.inspected,
                         "with_overall_grade": result.graded,
                         "lacking": [{"council": c, "why": w} for c, w in result.lacking]},
        }
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    typer.echo(f"{result.graphs} source graphs, {result.triples} statements")
    typer.echo(f"{result.councils} councils: {result.inspected} with a full inspection, "
               f"{result.graded} with a latest overall grade")
    for council, why in result.lacking:
        typer.echo(f"  {council}: {why}")
    typer.echo()
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
    facts: Annotated[bool, typer.Option("--facts", help="For a council, every statement grouped "
                                        "by property with its file, instead of its profile.")] = False,
) -> None:
    """What the graph says about an entity, each fact with its source.

    A council is shown as a profile (the same as its page in `cskg serve`): its current grade,
    the timeline of inspections, visits and grades from every source and snapshot, the latest
    findings, people in post, partnerships, statistical neighbours, and the numbered sources.
    Anything else, or a council with --facts, is every statement about it grouped by
    relationship.

    Example: cskg show Bolton; cskg show Bolton --facts; cskg show "James Thomas"
    """
    from cskg.entities import describe, render_view
    from cskg.labels import resolve
    from cskg.formats import fit_lines, terminal_width
    from cskg.profile import council_profile, is_council, render_profile
    from cskg.store import open_store

    with open_store(_project()) as store:
        iri = resolve(store, name)
        profile = council_profile(store, iri) if not facts and is_council(store, iri) else None
        view = describe(store, iri) if profile is None else None
    shown = profile if profile is not None else view
    if format is TextOrJson.json:
        import json

        typer.echo(json.dumps(shown.as_dict(), indent=2, ensure_ascii=False))  # type: ignore[union-attr]
    elif profile is not None:
        typer.echo(fit_lines(render_profile(profile), terminal_width()), nl=False)
    else:
        typer.echo(fit_lines(render_view(view), terminal_width()), nl=False)  # type: ignore[arg-type]


@app.command("queries")
def list_queries(
    name: Annotated[
        str | None, typer.Argument(help="One query: its whole description, parameters, the "
                                   "columns its table shows, and an example.", show_default=False)
    ] = None,
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = (
        TextOrJson.table
    ),
) -> None:
    """List the named queries with their parameters; with NAME, everything about one of them.

    Example: cskg queries council-history
    """
    from cskg.formats import terminal_width
    from cskg.query import Catalogue

    project = _project()
    catalogue = [Catalogue(project.queries_dir).get(name)] if name else Catalogue(project.queries_dir).all()
    if format is TextOrJson.json:
        import json

        body = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "form": q.form,
                "params": [p.__dict__ for p in q.params],
                "display": q.display,
            }
            for q in catalogue
        ]
        typer.echo(json.dumps(body[0] if name else body, indent=2, ensure_ascii=False))
        return
    width = terminal_width()
    if name:
        typer.echo(_query_help(catalogue[0], width), nl=False)
        return
    for q in catalogue:
        typer.echo(_fill(f"{q.name}  —  {q.title}", width, "", "    "))
        if q.description:
            typer.echo(_fill(q.description, width, "    "))
        for p in q.params:
            extra = ", optional" if p.optional and p.default is None else ""
            extra += f", default {p.default}" if p.default is not None else ""
            typer.echo(_fill(f"--param {p.name}=…  ({p.type}{extra}) {p.description}", width,
                             "    ", "        "))
        typer.echo("")
    typer.echo(f"{len(catalogue)} named queries in {project.rel(project.queries_dir)}/; "
               "`cskg queries NAME` for one in full")


def _fill(text: str, width: int | None, indent: str, later: str | None = None) -> str:
    """Text wrapped at word boundaries to ``width`` (not at all when there is none)."""
    import textwrap

    later = indent if later is None else later
    if width is None:
        return indent + text
    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=later,
                         break_on_hyphens=False, break_long_words=False)


def _query_help(q, width: int | None) -> str:  # type: ignore[no-untyped-def]
    """One named query in full: title, description, parameters, table columns, an example."""
    import re
    import shlex

    lines = [_fill(f"{q.name}  —  {q.title}", width, "", "    "), ""]
    if q.description:
        lines += [_fill(q.description, width, "  "), ""]
    lines.append("Parameters:" if q.params else "Parameters: none")
    example = ["cskg", "query", q.name]
    for p in q.params:
        kind = p.type + (", optional" if p.optional and p.default is None else "")
        kind += f", default {p.default}" if p.default is not None else ""
        lines.append(_fill(f"--param {p.name}=…  ({kind}) {p.description}", width, "  ", "      "))
        if not p.optional:
            given = re.search(r"e\.g\. (\"[^\"]+\"|[^\s,;)]+)", p.description)
            value = given.group(1).strip('"') if given else re.sub(r"\W+", "-", p.type).upper()
            example += ["--param", f"{p.name}={value}"]
    lines.append("")
    if q.form in ("CONSTRUCT", "DESCRIBE"):
        lines.append(f"Answer: a graph ({q.form}); --format turtle, trig, jsonld or ntriples")
    elif q.display:
        lines.append(_fill("Table columns: " + " ".join(q.display) + " (--full for all, "
                           "--columns to choose)", width, "", "  "))
    else:
        lines.append("Table columns: all")
    lines += ["", "Example:", "  " + shlex.join(example)]
    return "\n".join(lines) + "\n"


def _params(pairs: list[str]) -> dict[str, str]:
    from cskg.errors import InputError

    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--param {pair!r} is not NAME=VALUE")
        found[name.strip()] = value
    return found


@app.command()
def query(
    name: Annotated[
        str | None, typer.Argument(help="A named query from `cskg queries`.", show_default=False)
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as NAME=VALUE; repeat for several."),
    ] = None,
    file: Annotated[
        str | None, typer.Option("--file", help="Run the SPARQL query in this file instead.")
    ] = None,
    sparql: Annotated[
        str | None, typer.Option("--sparql", help="Run this SPARQL query text instead.")
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="SELECT/ASK: table, csv, tsv, json, jsonl, sparql-json, sparql-xml, xlsx "
            "(with --output); CONSTRUCT/DESCRIBE: turtle, trig, jsonld, ntriples. "
            "Default: a table on a terminal, JSON (Turtle for graphs) when piped.",
        ),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write the answer to this file.")
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="Start CSV/TSV with a byte-order mark, so that Excel "
                           "reads it as UTF-8 (\"children’s\", not \"childrenâ€™s\").")
    ] = False,
    columns: Annotated[
        str | None, typer.Option("--columns", "-c", metavar="A,B,…", show_default=False,
                                 help="The table's columns, by name (a column x with an xLabel "
                                 "shows the label); instead of the query's # display: choice.")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="The table shows every column, not only the query's "
                           "# display: choice.")
    ] = False,
    iris: Annotated[
        bool, typer.Option("--iris", help="CSV/TSV/xlsx keep the IRI columns beside their labels "
                           "(by default a column x is left out when the answer has xLabel).")
    ] = False,
    endpoint: Endpoint = None,
) -> None:
    """Run a named query (or --file / --sparql) with parameters bound as RDF terms.

    A table fits the terminal (COLUMNS, when set): long values wrap within their column, and
    a row too wide even so is shown as a record, one "column: value" line per field.

    Example: cskg query statistical-neighbours --param council=Bolton --format xlsx -o bolton.xlsx
    """
    from pathlib import Path

    from cskg.errors import InputError
    from cskg.formats import GRAPH_FORMATS, SELECT_FORMATS
    from cskg.query import Catalogue, parse_header, run
    from cskg.store import read_checked

    sources = [x for x in (name, file, sparql) if x is not None]
    if len(sources) != 1:
        raise InputError("give one of: a query NAME, --file FILE or --sparql TEXT")
    project = _project()
    if name is not None:
        chosen = Catalogue(project.queries_dir).get(name)
    elif file is not None:
        path = Path(file)
        if not path.is_file():
            raise InputError(f"no such query file: {file}")
        chosen = parse_header(path.stem, path.read_text(encoding="utf-8"), path)
    else:
        chosen = parse_header("--sparql", sparql or "")
    graph_form = chosen.form in ("CONSTRUCT", "DESCRIBE")
    allowed = list(GRAPH_FORMATS) if graph_form else SELECT_FORMATS
    fmt = format or (
        ("turtle" if graph_form else "table")
        if sys.stdout.isatty() and not output
        else ("turtle" if graph_form else "json")
    )
    if fmt not in allowed:
        raise InputError(
            f"--format {fmt} does not fit a {chosen.form} query", "use one of: " + ", ".join(allowed)
        )
    if endpoint and fmt in ("sparql-json", "sparql-xml"):
        raise InputError(f"--format {fmt} needs the embedded store", "use json or csv with --endpoint")
    if fmt == "xlsx" and not output:
        raise InputError("--format xlsx writes a spreadsheet file", "give --output FILE.xlsx")
    if bom and fmt not in ("csv", "tsv"):
        raise InputError(f"--bom is for csv and tsv, not {fmt}")
    if (columns is not None or full) and fmt != "table":
        raise InputError(f"--{'columns' if columns is not None else 'full'} chooses a table's "
                         f"columns, not {fmt}'s", "use --format table")
    if columns is not None and full:
        raise InputError("give --columns or --full, not both")
    if iris and fmt not in ("csv", "tsv", "xlsx"):
        raise InputError(f"--iris is for csv, tsv and xlsx, not {fmt}")
    wanted = [c.strip().lstrip("?") for c in columns.split(",") if c.strip()] if columns else None
    if columns is not None and not wanted:
        raise InputError("--columns names no column", "write --columns a,b,c")
    view = View(wanted or ([] if full else chosen.display), "--columns" if wanted else (
        str(project.rel(chosen.path)) + ": # display" if chosen.path else "# display"), iris,
        drop_empty=not (wanted or full))
    params = _params(param or [])
    if name is None:
        from cskg.query import COUNT_NOTE, counts_per_source

        if counts_per_source(chosen.text):
            typer.echo(COUNT_NOTE, err=True)

    from cskg import deadline

    deadline.running(f"the query in {file}" if file else "the --sparql query" if sparql
                     else f'the named query "{name}"')

    def answer(store):  # type: ignore[no-untyped-def]
        result = run(store, chosen, params, results_format=fmt)
        if fmt == "xlsx":
            from cskg.formats import xlsx_bytes

            return result, xlsx_bytes(result, iris)
        return result, _render_result(store, result, fmt, view)

    if endpoint:
        with _reader(project, endpoint) as store:
            result, text = answer(store)
    else:
        from cskg.progress import working

        with working("Running the query…"):
            result, text = read_checked(project, answer)
    if result.empty and result.serialized is None:
        typer.echo("No results.", err=True)
    if bom:
        text = "\ufeff" + text
    if output:
        deadline.disarm()  # the answer is complete: writing it is not cut short
        if isinstance(text, bytes):
            Path(output).write_bytes(text)
        else:
            Path(output).write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


class View:
    """How an answer is shown: the table's columns (none: all), where that choice was made
    (for an error), whether CSV/TSV keep the IRI columns, and whether a table leaves out a
    column empty in every row (the default choice; not one the user made with --columns or
    --full)."""

    def __init__(self, columns: list[str], where: str, iris: bool = False, drop_empty: bool = False) -> None:
        self.columns, self.where, self.iris, self.drop_empty = columns, where, iris, drop_empty


def _chosen_columns(result, view: View) -> tuple[list[str], list[list[object]]]:  # type: ignore[no-untyped-def]
    """The answer's columns and rows narrowed to ``view.columns``, each with its ``Label``
    companion; an unknown name is an error listing the columns there are."""
    from cskg.errors import InputError

    if not view.columns:
        return result.columns, result.rows
    unknown = [c for c in view.columns if c not in result.columns]
    if unknown:
        raise InputError(f"{view.where}: no column {', '.join(repr(c) for c in unknown)} in the answer",
                         "its columns: " + ", ".join(result.columns))
    keep: list[str] = []
    for name in view.columns:
        for c in (name, f"{name}Label"):
            if c in result.columns and c not in keep:
                keep.append(c)
    index = [result.columns.index(c) for c in keep]
    return keep, [[row[i] for i in index] for row in result.rows]


def _render_result(store, result, fmt: str, view: View | None = None) -> str:  # type: ignore[no-untyped-def]
    from cskg.formats import (
        TABULAR,
        graph_bytes,
        label_columns,
        labels_only,
        select_rows,
        table,
        term_value,
        terminal_width,
    )
    from cskg.labels import curie, labels
    from cskg.prefixes import PREFIXES

    view = view or View([], "")
    if result.serialized is not None:
        return result.serialized.decode("utf-8")
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return graph_bytes(result.triples, fmt, PREFIXES).decode("utf-8")
    if result.form == "ASK":
        return TABULAR[fmt](["boolean"], [[str(result.boolean).lower()]]) if fmt != "json" else (
            f'{{"boolean": {str(result.boolean).lower()}}}\n'
        )
    if fmt == "table":
        names, chosen = _chosen_columns(result, view)
        if not result.rows:
            return ""
        iris = {term_value(t) for row in chosen for t in row if type(t).__name__ == "NamedNode"}
        columns, rows = select_rows(names, chosen, labels(store, iris), curie)
        if view.drop_empty:  # a column with nothing in it ("unknownSince" mostly) only takes room
            filled = [i for i in range(len(columns)) if any(row[i] for row in rows)]
            filled = filled or list(range(len(columns)))  # all empty: show what there is
            columns, rows = [columns[i] for i in filled], [[row[i] for i in filled] for row in rows]
        hidden = len(label_columns(result.columns)[0]) - len(columns)
        if hidden > 0 and view.where != "--columns":
            typer.echo(f"({hidden} more column{'s' if hidden > 1 else ''}: --full shows "
                       f"{'them' if hidden > 1 else 'it'}, --columns chooses)", err=True)
        return table(columns, rows, terminal_width())
    heads, kept = (labels_only(result.columns, result.rows, view.iris) if fmt in ("csv", "tsv")
                   else (result.columns, result.rows))
    return TABULAR[fmt](heads, [[term_value(t) for t in row] for row in kept])


@app.command()
def add(
    files: Annotated[
        list[str],
        typer.Argument(help="Files to add: TriG, Turtle, N-Triples, JSON-LD or a YAML fact sheet."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report, but write nothing.")
    ] = False,
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Report format.")] = (
        TextOrJson.table
    ),
) -> None:
    """Validate new facts against the graph they join and, if they pass, add them atomically.

    Example: cskg add new-article.yaml --dry-run, then cskg add new-article.yaml
    """
    from pathlib import Path

    from cskg.changes import add as add_files
    from cskg.errors import InputError

    paths = [Path(f) for f in files]
    for path in paths:
        if not path.is_file():
            raise InputError(f"no such file: {path}")
    from cskg.progress import working

    with working("Validating the new facts with the graph they join…"):
        outcomes = add_files(_project(), paths, dry_run=dry_run)
    if format is TextOrJson.json:
        import json

        body = [{"input": o.input, "graph": o.graph, "file": o.file, "added": o.added,
                 "valid": o.report.conforms, "statements": o.triples,
                 "entities": o.matching.as_dicts() if o.matching else [],
                 "problems": [r.as_dict() for r in o.report.results]} for o in outcomes]
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
    else:
        for o in outcomes:
            if o.added:
                verdict = f"added as {o.file} ({o.triples} statements)"
            elif o.report.conforms:
                verdict = f"valid; would be added as {o.file} ({o.triples} statements) (dry run)"
            else:
                verdict = (f"rejected: {o.report.count('Violation')} problems; "
                           "nothing was written")
            typer.echo(f"{o.input}: {verdict}")
            for line in o.matching.report_lines() if o.matching else []:
                typer.echo(f"  {line}")
            _echo_problems(o.report)
    if any(not o.report.conforms for o in outcomes):
        raise typer.Exit(EXIT_INVALID)


def _echo_problems(report) -> None:  # type: ignore[no-untyped-def]
    for r in report.results:
        typer.echo(f"\n  {r.severity}: {r.label}  ({', '.join(r.files) or 'the graph'})")
        if r.path or r.value:
            typer.echo(f"    property: {r.path or '-'}   value: {r.value or '-'}")
        typer.echo(f"    {r.message}")


@app.command()
def remove(
    source: Annotated[
        str, typer.Argument(help="The source to withdraw: its file, slug, graph IRI or title.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report, but delete nothing.")
    ] = False,
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Report format.")] = (
        TextOrJson.table
    ),
) -> None:
    """Withdraw a source's named graph, refused if the rest of the graph relies on it.

    Example: cskg remove 2018-06-13-bolton-childrens-services-rated-good --dry-run
    """
    from cskg.removal import remove as remove_source

    outcome = remove_source(_project(), source, dry_run=dry_run)
    if format is TextOrJson.json:
        import json

        body = {"graph": outcome.graph, "file": outcome.file, "removed": outcome.removed,
                "valid": outcome.report.conforms, "statements": outcome.statements,
                "rewritten": outcome.rewritten,
                "problems": [r.as_dict() for r in outcome.report.results]}
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
    else:
        if outcome.removed:
            typer.echo(f"removed {outcome.file} ({outcome.statements} statements)")
            for rel in outcome.rewritten:
                typer.echo(f"rewrote {rel}: it now states the rows only the removed snapshot did")
        elif outcome.report.conforms:
            typer.echo(f"{outcome.file} can be removed ({outcome.statements} statements) (dry run)")
        else:
            typer.echo(f"{outcome.file}: refused: {outcome.report.count('Violation')} problems; "
                       "nothing was deleted")
            _echo_problems(outcome.report)
    if not outcome.report.conforms:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def diff(
    file: Annotated[str, typer.Argument(help="The file an addition would come from.")],
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = (
        TextOrJson.table
    ),
) -> None:
    """What adding a file would add to the graph, entity by entity; writes nothing.

    Example: cskg diff new-article.trig
    """
    from pathlib import Path

    from cskg.addition import StoreResolver, load
    from cskg.diff import diff_and_problems, render
    from cskg.errors import InputError
    from cskg.store import open_store

    path = Path(file)
    if not path.is_file():
        raise InputError(f"no such file: {file}")
    with open_store(_project()) as store:
        entries, problems = diff_and_problems(store, load(path, file, StoreResolver(store)))
    if format is TextOrJson.json:
        import json

        typer.echo(json.dumps({"entities": [e.__dict__ for e in entries],
                               "problems": [r.as_dict() for r in problems]},
                              indent=2, ensure_ascii=False))
    else:
        typer.echo(render(entries, problems), nl=False)


network_app = typer.Typer(
    rich_markup_mode=None,
    help="Network questions on the entity graph (networkx): paths, neighbours, centrality, "
    "communities, components.",
    no_args_is_help=True,
)
app.add_typer(network_app, name="network")

Format = Annotated[
    TextOrJson, typer.Option("--format", "-f", help="Output format: table or json.")
]


def _projection(endpoint: str | None = None):  # type: ignore[no-untyped-def]
    """The store (or SPARQL server) and its networkx projection."""
    from cskg.network import project

    from cskg.progress import working

    store = _reader(_project(), endpoint)
    with working("Reading the graph into networkx…"):
        return store, project(store)


def _emit(columns: list[str], rows: list[list[object]], format: TextOrJson, empty: str) -> None:
    from cskg.formats import TABULAR

    if not rows and format is TextOrJson.table:
        typer.echo(empty, err=True)
        return
    typer.echo(TABULAR[format.value](columns, rows), nl=False)


@network_app.command("path")
def network_path(
    source: Annotated[str, typer.Argument(help="Where the path starts: a name, code or IRI.")],
    target: Annotated[str, typer.Argument(help="Where it ends: a name, code or IRI.")],
    hops: Annotated[
        bool,
        typer.Option("--hops", help="Fewest steps, even through hubs such as Ofsted."),
    ] = False,
    format: Format = TextOrJson.table,
    endpoint: Endpoint = None,
) -> None:
    """The shortest connection between two entities, each step in words with its source.

    Example: cskg network path Westminster "Hammersmith and Fulham"
    """
    from cskg.labels import resolve
    from cskg.network import path

    store, proj = _projection(endpoint)
    with store:
        a, b = resolve(store, source), resolve(store, target)
    steps = path(proj, a, b, fewest_hops=hops)
    name = lambda n: proj.graph.nodes[n]["label"]
    if format is TextOrJson.json:
        import json

        body = [
            {"subject": h.subject, "subject_label": name(h.subject), "relationship": h.predicate,
             "object": h.object, "object_label": name(h.object), "sources": h.sources}
            for h in steps
        ]
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    if not steps:
        typer.echo(f"No connection between {name(a)} and {name(b)} in the graph.", err=True)
        return
    typer.echo(f"{name(a)} -> {name(b)}: {len(steps)} steps")
    for i, h in enumerate(steps, 1):
        typer.echo(f"{i:>3}. {name(h.subject)} --{h.predicate}--> {name(h.object)}")
        typer.echo(f"     source: {h.sources}")


@network_app.command("neighbours")
def network_neighbours(
    name: Annotated[str, typer.Argument(help="The entity: a name, code or IRI.")],
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, help="How many steps out.")] = 1,
    via: Annotated[
        str | None,
        typer.Option("--via", help="Follow only this relationship (its label or CURIE)."),
    ] = None,
    format: Format = TextOrJson.table,
    endpoint: Endpoint = None,
) -> None:
    """The entities within --depth steps of an entity, and how each is reached.

    Example: cskg network neighbours Bolton --depth 2
    """
    from cskg.labels import resolve
    from cskg.network import neighbours

    store, proj = _projection(endpoint)
    with store:
        node = resolve(store, name)
    found = neighbours(proj, node, depth=depth, via=via)
    rows: list[list[object]] = [
        [proj.graph.nodes[n]["label"], proj.graph.nodes[n]["type"], d, rel, n] for n, d, rel in found
    ]
    _emit(["entity", "type", "distance", "reached by", "iri"], rows, format, "No neighbours.")


@network_app.command("centrality")
def network_centrality(
    measure: Annotated[
        str, typer.Option("--measure", "-m", help="degree, betweenness or pagerank.")
    ] = "degree",
    top: Annotated[int, typer.Option("--top", "-k", min=1, help="How many to list.")] = 10,
    type: Annotated[
        str | None, typer.Option("--type", "-t", help="Only entities of this type, e.g. council.")
    ] = None,
    samples: Annotated[
        int | None, typer.Option("--samples", min=0, help="Betweenness: estimate it from this many "
                                 "sampled sources (0: exact). By default exact up to 5,000 "
                                 "entities, else 300 samples.", show_default=False)
    ] = None,
    format: Format = TextOrJson.table,
    endpoint: Endpoint = None,
) -> None:
    """The most central entities by a networkx measure.

    Example: cskg network centrality --measure betweenness --type council --top 10
    """
    from cskg.network import ranked_centrality
    from cskg.progress import working

    store, proj = _projection(endpoint)
    with store:  # the projection reads labels and types from the store when they are shown
        with working(f"Computing {measure} centrality over {proj.graph.number_of_nodes():,} entities…"):
            ranked, estimate = ranked_centrality(proj, measure=measure, node_type=type, top=top,
                                                 samples=samples)
        if estimate is not None:
            typer.echo(f"Note: {estimate.note()}", err=True)
        rows: list[list[object]] = [
            [i, proj.graph.nodes[n]["label"], proj.graph.nodes[n]["type"], round(score, 6), n]
            for i, (n, score) in enumerate(ranked, 1)
        ]
    _emit(["rank", "entity", "type", measure, "iri"], rows, format, "No entities.")


def _groups(kind: str, format: TextOrJson, endpoint: str | None = None) -> None:
    from cskg import network
    from cskg.progress import working

    store, proj = _projection(endpoint)
    with store:  # the projection reads labels and types from the store when they are shown
        with working(f"Finding {kind}…"):
            groups = network.communities(proj) if kind == "communities" else network.components(proj)
        rows: list[list[object]] = []
        for i, members in enumerate(groups, 1):
            for node in members:
                rows.append([i, len(members), proj.graph.nodes[node]["label"],
                             proj.graph.nodes[node]["type"], node])
        lines = [f"{i:>3}. {len(members):>4} entities: "
                 + ", ".join(proj.graph.nodes[n]["label"] for n in members[:8])
                 + (f" and {len(members) - 8} more" if len(members) > 8 else "")
                 for i, members in enumerate(groups, 1)] if format is TextOrJson.table else []
    if format is TextOrJson.table:
        for line in lines:
            typer.echo(line)
        return
    _emit(["group", "size", "entity", "type", "iri"], rows, format, "")


@network_app.command("communities")
def network_communities(format: Format = TextOrJson.table, endpoint: Endpoint = None) -> None:
    """Groups of densely linked entities (greedy modularity), largest first.

    Example: cskg network communities --format json
    """
    _groups("communities", format, endpoint)


@network_app.command("components")
def network_components(format: Format = TextOrJson.table, endpoint: Endpoint = None) -> None:
    """Connected parts of the graph, largest first.

    Example: cskg network components
    """
    _groups("components", format, endpoint)


from cskg.cli_import import import_app

app.add_typer(import_app, name="import")

from cskg.cli_export import export as _export

app.command("export")(_export)

from cskg.cli_extract import extract as _extract
from cskg.cli_remote import push as _push
from cskg.cli_serve import serve as _serve

app.command("extract")(_extract)
app.command("push")(_push)
app.command("serve")(_serve)

from cskg.cli_schema import schema as _schema

app.command("schema")(_schema)


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
    except Exception as error:  # noqa: BLE001 - the contract: one line, no traceback unless asked
        if _state["debug"] or "--debug" in sys.argv:
            traceback.print_exc()
        typer.echo(f"Error: {type(error).__name__}: {error}", err=True)
        typer.echo("Hint: run again with --debug for the traceback", err=True)
        sys.exit(2)
