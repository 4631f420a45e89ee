"""Importing the published national tables: one named graph per table (per snapshot for ILACS).

``run`` reads a file, turns its rows into facts in the project's vocabulary,
reports every defective cell with its row and column, and validates the
facts in the context of the graph they join, exactly as ``cskg add`` does. It
then writes ``graphs/<slug>.trig`` (atomically, replacing an earlier import of
the same table) and updates the store. Importing the same data again changes
nothing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from cskg.addition import Addition
from cskg.changes import (
    View, _events, _same_event, changed_nodes, checkpoint, stamp, unknown_councils,
    validate_change, write_graph_file, _graph_checks, label_in,
)
from cskg.factsheet.iris import PROV, XSD
from cskg.importing import history, ilacs, la_lookup, report_index
from cskg.importing.tables import Problem
from cskg.project import Project
from cskg.store import GraphStore, build_holding_lock, locked, writer_store, writer_view
from cskg.validation import ValidationReport, ValidationResult

KINDS = {"la-lookup": la_lookup, "ilacs": ilacs, "report-index": report_index}
#: Statements that record when, not what: they do not make two imports differ.
_WHEN = {PROV + "generatedAtTime", PROV + "endedAtTime"}


@dataclass
class Change:
    """A change a snapshot makes to a council's record."""

    council: str
    what: str
    detail: str


@dataclass
class ImportOutcome:
    kind: str
    input: str
    file: str
    graph: str
    rows: int
    statements: int = 0
    status: str = "imported"  # imported | unchanged | rejected | invalid | dry-run
    added: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    report: ValidationReport = field(default_factory=ValidationReport)
    summary: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    #: other snapshots' files rewritten so that no row is restated (``history``)
    rewritten: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.status in ("rejected", "invalid") else 0


def stage(message: str) -> None:
    """Progress on a terminal (standard error), silent when piped."""
    if sys.stderr.isatty():
        print(f"… {message}", file=sys.stderr, flush=True)


def run(project: Project, kind: str, path: Path, display: str, *, strict: bool = False,
        dry_run: bool = False, as_of: date | None = None) -> ImportOutcome:
    module = KINDS[kind]
    stage(f"reading {display}")
    table = module.read(path, display)
    with locked(project, exclusive=True):
        build_holding_lock(project)
        with writer_store(project) as handle:
            store = writer_view(project, handle)
            try:
                outcome, pending = _prepare(project, store, kind, path, display, table, as_of)
                if pending is None:  # unchanged
                    return outcome
                if strict and outcome.problems:
                    outcome.status = "rejected"
                    return outcome
                addition, quads, old, rewrites = pending
                stage(f"validating {len(quads):,} statements in the context of the graph")
                outcome.report = _check(store, addition, quads, old)
            finally:
                store.close()
            if not outcome.report.conforms:
                outcome.status = "invalid"
                return outcome
            if dry_run:
                outcome.status = "dry-run"
                return outcome
            stage(f"writing {outcome.file}")
            checkpoint("before-write")
            if not (old and _content(old) == _content(quads)):  # else only the rewrites
                write_graph_file(project, addition, quads, replace=bool(old))
            # then the later snapshots that no longer restate (or must now state) its rows:
            # each rewrite only moves statements between graphs, so a kill between two of
            # them leaves a row stated twice, never lost, and the next import mends it
            for rewrite in rewrites:
                write_graph_file(project, rewrite, rewrite.quads, replace=True)
            build_holding_lock(project, store=handle)
            checkpoint("after-store")
            return outcome


def _prepare(project: Project, store: GraphStore, kind: str, path: Path, display: str, table,
             as_of: date | None
             ) -> tuple[ImportOutcome, tuple[Addition, list[ox.Quad], list[ox.Quad], list[Addition]] | None]:  # type: ignore[no-untyped-def]
    """The import's outcome so far, and what to check and write (None when nothing changed)."""
    changes: list[Change] = []
    summary: list[str] = []
    stage(f"turning {len(table.rows):,} rows into facts")
    if kind == "ilacs":
        when = ilacs.snapshot_date(path, as_of)
        before = latest_grades(store)
        facts, inspections = ilacs.build(table, path.name, when, store)
        changes = _ilacs_changes(store, before, inspections)
        new = sum(1 for c in changes if c.what == "new inspection")
        summary.append(f"{len(inspections)} councils' latest inspections as of {when.isoformat()}; "
                       f"{new} new to the graph")
    elif kind == "report-index":
        facts, imported, linked = report_index.build(table, path.name, store)
        summary.append(f"{imported} reports; {linked} linked to the inspection they report")
    else:
        facts = la_lookup.build(table, path.name)
        councils = {q.subject.value for q in facts.quads()
                    if q.predicate.value.endswith("#gssCode") and "/council/" in q.subject.value}
        summary.append(f"{len(councils)} councils")
    graph = facts.graph.value
    old = _graph_quads(store, graph)
    quads = facts.quads()
    rewrites: list[Addition] = []
    if kind == "ilacs":
        quads, rewrites = _history(store, facts, inspections, when)
    outcome = ImportOutcome(kind, display, f"graphs/{facts.slug}.trig", graph, len(table.rows),
                            problems=_in_order(table), summary=summary, changes=changes,
                            rewritten=[f"graphs/{r.slug}.trig" for r in rewrites])
    for r in rewrites:
        summary.append(f"graphs/{r.slug}.trig rewritten so that no row is stated twice")
    if kind == "ilacs":
        for snap in history.snapshots(store):
            if not snap.entries and snap.graph != graph:
                rel = store.graph_files.get(snap.graph, snap.graph)
                summary.append(f"{rel} restates every row (made by an older cskg): import its "
                               "spreadsheet again to record its rows as entries, so that later "
                               "snapshots need not restate them")
    if old and _content(old) == _content(quads) and not rewrites:
        outcome.status = "unchanged"
        outcome.statements = len(old)
        return outcome, None
    moment = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    quads.append(ox.Quad(facts.graph, ox.NamedNode(PROV + "generatedAtTime"),
                         ox.Literal(moment, datatype=ox.NamedNode(XSD + "dateTime")), facts.graph))
    addition = Addition(path.name, graph, quads, dict(facts.lines))
    quads = stamp(addition)
    outcome.statements = len(quads)
    outcome.added = len(_content(quads) - _content(old))
    outcome.removed = len(_content(old) - _content(quads))
    return outcome, (addition, quads, old, rewrites)


def _history(store: GraphStore, facts, inspections: list[ilacs.Inspection], when: date
             ) -> tuple[list[ox.Quad], list[Addition]]:  # type: ignore[no-untyped-def]
    """The snapshot's quads as its graph keeps them (``history.encode``: each row's facts
    stated only where they are new or changed), and the later snapshots to rewrite."""
    series = history.snapshots(store)
    source = ilacs.source_iri(when)
    rows = [(i.council.iri, i.council.gss, i.event,
             f"{ilacs.VOCAB}grade/{i.overall}" if i.overall else None) for i in inspections]
    quads, _snap, final = history.encode(facts.quads(), facts.graph.value, source, rows, series,
                                         when.isoformat())
    changed = history.rewrite(store, series, final, skip={facts.graph.value})
    rewrites = [Addition(history.file_name(store, g), g, q) for g, q in sorted(changed.items())]
    return quads, rewrites


def _in_order(table) -> list[Problem]:  # type: ignore[no-untyped-def]
    """Problems by row, then by column as the file orders them."""
    order = {c: i for i, c in enumerate(table.columns)}
    return sorted(table.problems, key=lambda p: (p.row, order.get(p.column, -1)))


def _graph_quads(store: GraphStore, graph: str) -> list[ox.Quad]:
    return list(store.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


_INTEGERS = {XSD + t for t in ("positiveInteger", "nonNegativeInteger", "int", "long", "short")}


def _content(quads: list[ox.Quad]) -> set[ox.Triple]:
    """What a graph says, without when it was said.

    The store keeps integer subtypes as xsd:integer, so they compare as integers.
    """
    def value(term):  # type: ignore[no-untyped-def]
        if isinstance(term, ox.Literal) and term.datatype.value in _INTEGERS:
            return ox.Literal(str(int(term.value)), datatype=ox.NamedNode(XSD + "integer"))
        return term

    return {ox.Triple(q.subject, q.predicate, value(q.object)) for q in quads
            if q.predicate.value not in _WHEN and not _stamp(q.subject.value)}


def _stamp(subject: str) -> bool:
    """The record of which cskg added the graph (``changes.stamp``), not what the data says."""
    return subject.endswith("/addition") or "/id/agent/" in subject


def _check(store: GraphStore, addition: Addition, quads: list[ox.Quad],
           old: list[ox.Quad]) -> ValidationReport:
    """The checks of ``cskg add``, with an earlier import of the same table taken out first."""
    view = View(store, quads, removed=addition.graph if old else None)
    if old:
        changed = {t.value for q in _content(quads) ^ _content(old)
                   for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)
                   and t.value.startswith("https://w3id.org/cskg/")}
    else:
        changed = changed_nodes(quads, True, store)
    report = ValidationReport(_duplicate_events(store, addition))
    report.results += unknown_councils(store, addition, view)
    where = {n: addition.where(n) for n in addition.subjects()}
    report.results += validate_change(store, view, changed, where).results
    report.results += _graph_checks(store, quads)
    # Warnings the graph already had (about nodes the import does not state) are not the import's.
    own = addition.subjects()
    report.results = [r for r in report.results
                      if r.severity == "Violation" or r.focus_node in own]
    return report


def _duplicate_events(store: GraphStore, addition: Addition) -> list[ValidationResult]:
    """Inspections the import would add under a new IRI though the graph knows them by another."""
    results = []
    for event, (kind, council, when) in sorted(_events(addition).items()):
        if when is None:
            continue
        for other, files in _same_event(store, kind, council, when, event):
            files = [f for f in files if f != f"graphs/{addition.slug}.trig"]
            if not files:
                continue
            results.append(ValidationResult(
                focus_node=event, label=label_in(store, addition, event), path="", value="",
                severity="Violation", shape="duplicate", files=(addition.where(event), *files),
                message=f"Duplicate of the existing inspection <{other}> in {', '.join(files)}: "
                        f"same council and date ({when}).",
            ))
    return results


# --- what a snapshot changes ---------------------------------------------------------


def latest_grades(store: GraphStore) -> dict[str, tuple[str, str, str | None]]:
    """Each council's latest full inspection: (event, date key, overall grade slug or None).

    The date key is the fieldwork start, else the publication date, else the
    date a source reports, compared as text (chronological across precisions).
    """
    rows = store.query(
        "SELECT DISTINCT ?c ?e ?d ?g WHERE { ?e a cskg:FullInspection ; cskg:inspectedAuthority ?c . "
        "OPTIONAL { ?e cskg:fieldworkStart ?s } OPTIONAL { ?e cskg:publicationDate ?p } "
        "OPTIONAL { ?e cskg:reportedDate ?r } BIND(STR(COALESCE(?s, ?p, ?r)) AS ?d) "
        "OPTIONAL { ?j cskg:ofEvent ?e ; cskg:judgementArea <https://w3id.org/cskg/vocab/area/overall-effectiveness> ; cskg:grade ?g } }"
    )
    latest: dict[str, tuple[str, str, str | None]] = {}
    for r in rows:
        c, e, d = r["c"].value, r["e"].value, r["d"].value
        g = r["g"].value.rsplit("/", 1)[-1] if r["g"] is not None else None
        if c not in latest or (d, e) > (latest[c][1], latest[c][0]):
            latest[c] = (e, d, g)
    return latest


def _ilacs_changes(store: GraphStore, before: dict[str, tuple[str, str, str | None]],
                   inspections: list[ilacs.Inspection]) -> list[Change]:
    known = {r["e"].value for r in store.query("SELECT DISTINCT ?e WHERE { ?e a cskg:FullInspection }")}
    changes: list[Change] = []
    for found in sorted(inspections, key=lambda i: i.council.label):
        name = found.council.label
        grade = _words(found.overall)
        if found.event not in known:
            changes.append(Change(name, "new inspection", f"{found.key}: {grade}"))
        previous = before.get(found.council.iri)
        if previous is None or previous[0] == found.event or previous[1] > found.key:
            continue
        if previous[2] != found.overall:
            changes.append(Change(name, "grade change", f"{_words(previous[2])} ({previous[1]}) -> "
                                  f"{grade} ({found.key})"))
    return changes


def _words(grade: str | None) -> str:
    return grade.replace("-", " ") if grade else "no overall grade"
