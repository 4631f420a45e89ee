"""Withdrawing a source: its named graph goes only if what remains is still valid.

Removing a graph takes away the statements only it makes. The nodes those
statements touched are validated in context, as for an addition, on the graph
without it; an entity that would lose its description while other sources
still refer to it (a council an inspection points at, say) is named with
every referrer. The file is deleted only after that check passes, with the
store manifest marked incomplete first so an interruption leaves the files as
the truth.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cskg.addition import Addition
from cskg.changes import (
    REFERENCE_PREDICATES, View, _entity, _fsync_dir, validate_change, write_graph_file,
)
from cskg.errors import InputError
from cskg.importing import history
from cskg.labels import curie, labels, resolve
from cskg.prefixes import PREFIXES
from cskg.project import GRAPH_BASE, Project
from cskg.store import (
    GraphStore,
    build_holding_lock,
    locked,
    mark_pending,
    writer_store,
    writer_view,
)
from cskg.validation import ValidationReport, ValidationResult

RDF_TYPE = PREFIXES["rdf"] + "type"


@dataclass
class Removal:
    """The verdict on withdrawing one source."""

    graph: str
    file: str
    removed: bool
    statements: int
    report: ValidationReport = field(default_factory=ValidationReport)
    #: later ILACS snapshots' files rewritten to state the rows only this one stated
    rewritten: list[str] = field(default_factory=list)


def find_graph(store: GraphStore, name: str) -> str:
    """The source graph a name stands for: its file, slug, graph IRI, source IRI or title."""
    text = name.strip()
    for graph, rel in store.graph_files.items():
        if not graph.startswith(GRAPH_BASE):
            continue
        if text in (graph, rel, Path(rel).name, Path(rel).stem):
            return graph
    source = resolve(store, text)
    for row in store.query("SELECT ?g ?src WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?src } }"):
        if source in (row["src"].value, row["g"].value):
            return row["g"].value
    raise InputError(f"{name!r} is not a source graph", "name its file (graphs/x.trig), slug or title")


def only_here(store: GraphStore, graph: str) -> list[ox.Quad]:
    """The statements of ``graph`` that no other graph makes."""
    node = ox.NamedNode(graph)
    found = []
    for q in store.ox.quads_for_pattern(None, None, None, node):
        others = store.ox.quads_for_pattern(q.subject, q.predicate, q.object, None)
        if not any(o.graph_name != node for o in others):
            found.append(q)
    return found


def orphans(store: GraphStore, graph: str, gone: list[ox.Quad],
            view: View | None = None) -> list[ValidationResult]:
    """Entities that would lose every type while other sources still point at them."""
    view = view if view is not None else View(store, removed=graph)
    results = []
    typed = sorted({q.subject.value for q in gone if q.predicate.value == RDF_TYPE and _entity(q.subject)})
    for iri in typed:
        node = ox.NamedNode(iri)
        if next(view.quads(node, ox.NamedNode(RDF_TYPE), None), None) is not None:
            continue
        referrers = sorted({
            (q.subject.value, store.graph_files.get(q.graph_name.value, ""))
            for q in view.quads(None, None, node)
        })
        if not referrers:
            continue
        names = labels(store, [iri] + [r for r, _ in referrers])
        listed = "; ".join(f"{names.get(r, curie(r))} ({f})" for r, f in referrers[:20])
        more = f" and {len(referrers) - 20} more" if len(referrers) > 20 else ""
        results.append(ValidationResult(
            focus_node=iri, label=names.get(iri, curie(iri)), path="", value="",
            severity="Violation",
            message=f"Only this source describes {names.get(iri, curie(iri))}, and "
                    f"{len(referrers)} statements of other sources refer to it: {listed}{more}.",
            shape="referenced", files=tuple(sorted({f for _, f in referrers if f})),
        ))
    return results


def check_removal(store: GraphStore, graph: str, rewrites: dict[str, list[ox.Quad]] | None = None
                  ) -> tuple[ValidationReport, list[ox.Quad]]:
    """What withdrawing ``graph`` would break, with ``rewrites`` (graph -> its new quads) made
    at the same time: the later ILACS snapshots that take over the rows only it stated."""
    rewrites = rewrites or {}
    kept = {ox.Triple(q.subject, q.predicate, q.object) for qs in rewrites.values() for q in qs}
    gone = [q for q in only_here(store, graph)
            if ox.Triple(q.subject, q.predicate, q.object) not in kept]
    view = View(store, [q for qs in rewrites.values() for q in qs], removed=[graph, *rewrites])
    report = ValidationReport(orphans(store, graph, gone, view))
    changed = {q.subject.value for q in gone if _entity(q.subject)}
    changed |= {q.object.value for q in gone
                if _entity(q.object) and q.predicate.value not in REFERENCE_PREDICATES}
    still_there = {n for n in changed if next(view.quads(ox.NamedNode(n), None, None), None) is not None
                   or next(view.quads(None, None, ox.NamedNode(n)), None) is not None}
    if still_there:
        where = {n: store.graph_files.get(graph, "") for n in still_there}
        report.results += validate_change(store, view, still_there, where).results
    return report, gone


def _snapshot_rewrites(store: GraphStore, graph: str) -> dict[str, list[ox.Quad]]:
    """For an ILACS snapshot, the later snapshots that must then state its rows."""
    series = history.snapshots(store)
    if not any(s.graph == graph for s in series):
        return {}
    return history.rewrite(store, series, [s for s in series if s.graph != graph], skip={graph})


def remove(project: Project, name: str, dry_run: bool = False) -> Removal:
    """Withdraw a source's named graph and file, if the graph stays valid without it."""
    with locked(project, exclusive=True):
        build_holding_lock(project)
        with writer_store(project) as handle:
            store = writer_view(project, handle)
            try:
                graph = find_graph(store, name)
                rel = store.graph_files[graph]
                rewrites = _snapshot_rewrites(store, graph)
                report, _gone = check_removal(store, graph, rewrites)
                files = {g: store.graph_files.get(g, g) for g in rewrites}
                names = {g: history.file_name(store, g) for g in rewrites}
            finally:
                store.close()
            total = sum(1 for _ in handle.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            outcome = Removal(graph, rel, False, total, report, sorted(files.values()))
            if report.conforms and not dry_run:
                from cskg import deadline

                deadline.disarm()  # checked: the removal is not cut short
                # the later snapshots take over the rows first, so a kill in between leaves
                # a row stated twice, never lost
                for g, quads in sorted(rewrites.items()):
                    write_graph_file(project, Addition(names[g], g, quads), quads, replace=True)
                mark_pending(project, rel)
                os.unlink(project.root / rel)
                _fsync_dir(project.graphs_dir)
                build_holding_lock(project, store=handle)
                outcome.removed = True
    return outcome
