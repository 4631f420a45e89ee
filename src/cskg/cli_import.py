"""``cskg import``: the published national tables into the graph (see ``cskg.importing``)."""

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cskg.cli import TextOrJson, _echo_problems, _project
from cskg.errors import EXIT_INVALID, InputError

import_app = typer.Typer(
    rich_markup_mode=None,
    help="Import published national data (all 153 councils) into its own named graph.",
    no_args_is_help=True,
)

File = Annotated[str, typer.Argument(help="The file to import.", show_default=False)]
Strict = Annotated[bool, typer.Option(
    "--strict", help="Reject the whole file if any cell is defective, instead of importing the rest.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check and report, but write nothing.")]
Format = Annotated[TextOrJson, typer.Option("--format", "-f", help="Report format.")]


@import_app.command("la-lookup")
def import_la_lookup(file: File, strict: Strict = False, dry_run: DryRun = False,
                     format: Format = TextOrJson.table) -> None:
    """The local authority lookup (la-lookup.csv): councils, codes, regions, statistical neighbours.

    Example: cskg import la-lookup ../shared/data/la-lookup.csv
    """
    _run("la-lookup", file, strict, dry_run, format, None)


@import_app.command("ilacs")
def import_ilacs(
    file: File,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="The date the snapshot describes (YYYY-MM-DD); by default the date in "
        "the file name.", show_default=False)] = None,
    strict: Strict = False, dry_run: DryRun = False, format: Format = TextOrJson.table,
) -> None:
    """An ILACS overview spreadsheet (.xlsx): each council's latest inspection, grades and lead
    inspector. Each snapshot is kept: a newer one adds history and prints what changed.

    Example: cskg import ilacs ../shared/data/ilacs-overview-2025-03-10.xlsx --dry-run
    """
    when = None
    if as_of is not None:
        try:
            when = date.fromisoformat(as_of)
        except ValueError:
            raise InputError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    _run("ilacs", file, strict, dry_run, format, when)


@import_app.command("report-index")
def import_report_index(file: File, strict: Strict = False, dry_run: DryRun = False,
                        format: Format = TextOrJson.table) -> None:
    """The index of published inspection reports (CSV), linked to the inspections they report.

    Example: cskg import report-index ../shared/data/inspection-reports-index.csv
    """
    _run("report-index", file, strict, dry_run, format, None)


def _run(kind: str, file: str, strict: bool, dry_run: bool, format: TextOrJson,
         as_of: date | None) -> None:
    from cskg.importing import run

    from cskg.progress import working

    path = Path(file)
    with working(f"Importing {file}…"):
        outcome = run(_project(), kind, path, file, strict=strict, dry_run=dry_run, as_of=as_of)
    if format is TextOrJson.json:
        typer.echo(json.dumps(_as_json(outcome), indent=2, ensure_ascii=False))
    else:
        _echo(outcome)
    if outcome.exit_code:
        raise typer.Exit(EXIT_INVALID)


VERDICTS = {
    "imported": "imported into {file}: {statements:,} statements ({added:,} added, {removed:,} removed)",
    "unchanged": "unchanged: {file} already holds this data; nothing was written",
    "dry-run": "valid; would be imported into {file}: {statements:,} statements ({added:,} added, "
               "{removed:,} removed) (dry run)",
    "rejected": "rejected (--strict): {n} defective cell{s}; nothing was written",
    "invalid": "rejected: {v} problems in the graph it would make; nothing was written",
}


def _echo(o) -> None:  # type: ignore[no-untyped-def]
    typer.echo(f"{o.input}: " + VERDICTS[o.status].format(
        file=o.file, statements=o.statements, added=o.added, removed=o.removed,
        n=len(o.problems), s="" if len(o.problems) == 1 else "s", v=o.report.count("Violation")))
    for line in o.summary:
        typer.echo(f"  {line}")
    if o.status != "unchanged":
        for what, title in (("new inspection", "New inspections"), ("grade change", "Grade changes")):
            found = [c for c in o.changes if c.what == what]
            if found:
                typer.echo(f"\n{title} ({len(found)}):")
                width = max(len(c.council) for c in found)
                for c in found:
                    typer.echo(f"  {c.council:<{width}}  {c.detail}")
    if o.problems:
        typer.echo(f"\nData problems ({len(o.problems)} cells; each says what was done):")
        for p in o.problems:
            shown = f" {p.value!r}" if p.value else ""
            typer.echo(f"  {p.file}:{p.row}  {p.column}{shown}: {p.problem}; {p.action}")
    _echo_problems(o.report)


def _as_json(o) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return {
        "kind": o.kind, "input": o.input, "file": o.file, "graph": o.graph, "status": o.status,
        "rows": o.rows, "statements": o.statements, "added": o.added, "removed": o.removed,
        "summary": o.summary, "rewritten": o.rewritten,
        "changes": [{"council": c.council, "change": c.what, "detail": c.detail} for c in o.changes],
        "data_problems": [p.as_dict() for p in o.problems],
        "validation": [r.as_dict() for r in o.report.results],
    }
