"""ILACS snapshots as a history that does not multiply.

Each ILACS overview spreadsheet lists every council's latest full inspection as
of its date, so a council that was not re-inspected appears unchanged in every
snapshot. Stating each row's facts again in every snapshot's graph made every
fact stated by more and more sources, and every join of the queries multiplied
with them (latest-grades took 78 s at three snapshots). Here a snapshot's graph
holds:

- its own description (the dataset, its as-of date, the graph's provenance) and
  the few shared entities it names (Ofsted, the inspector post, the series);
- one ``cskg:SnapshotEntry`` per row, always: the council, the inspection the
  row lists, its overall grade (``cskg:listedGrade``, none when the row has no
  overall grade) and a digest of the row's facts: what the snapshot observed;
- the row's facts (the inspection, its judgements, report and lead inspector:
  a *unit*) only when they differ from the unit of the latest earlier snapshot
  that listed the council (run-length encoding over the snapshots in as-of
  order, whatever order they were imported in).

So an unchanged inspection is stated once, by the earliest snapshot that
listed it; a snapshot's own view of a row is the unit in the latest snapshot
graph, at or before it, that states that row's inspection. Importing a
snapshot between two others, or removing one, changes what the next
snapshots must state: ``plan`` works out those rewrites, and they move
statements between graphs without changing what the union of the graphs says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from cskg.factsheet.iris import CSKG, ID, SKOS, TYPE
from cskg.store import GraphStore

SERIES = f"{ID}source/ilacs-overview"
ENTRY = CSKG + "SnapshotEntry"
IN_SNAPSHOT = CSKG + "inSnapshot"
LISTED_AUTHORITY = CSKG + "listedAuthority"
LISTED_INSPECTION = CSKG + "listedInspection"
LISTED_GRADE = CSKG + "listedGrade"
DIGEST = CSKG + "entryDigest"
PROV = "http://www.w3.org/ns/prov#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV_DERIVED = PROV + "wasDerivedFrom"
DCT_IDENTIFIER = "http://purl.org/dc/terms/identifier"
_INSPECTION = ox.NamedNode(CSKG + "FullInspection")
_TYPE = ox.NamedNode(TYPE)
#: How a row's unit hangs from its inspection: parts pointing at it, things it points at.
_PARTS_IN = [CSKG + "ofEvent", CSKG + "duringEvent", CSKG + "reportsOn"]
_PARTS_OUT = [CSKG + "leadInspector"]
_COUNCIL_FACTS = [SKOS + "hiddenLabel"]


@dataclass(frozen=True)
class Entry:
    """One row of a snapshot as its entry records it."""

    council: str
    event: str
    digest: str


@dataclass
class Snapshot:
    """An imported snapshot of the series: its graph, as-of date and entries per council."""

    graph: str
    source: str
    as_of: str
    entries: dict[str, Entry] = field(default_factory=dict)


def entry_iri(source: str, gss: str) -> str:
    return f"{source}/entry/{gss}"


def unit(store: ox.Store, graph: ox.NamedNode, council: str, event: str) -> set[ox.Triple]:
    """The facts of one row in ``graph``: its inspection, the parts of it and the council's
    spelling in the row."""
    e = ox.NamedNode(event)
    subjects = {e}
    for p in _PARTS_IN:
        subjects |= {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(p), e, graph)}
    for p in _PARTS_OUT:
        subjects |= {q.object for q in store.quads_for_pattern(e, ox.NamedNode(p), None, graph)
                     if isinstance(q.object, ox.NamedNode)}
    found = {ox.Triple(q.subject, q.predicate, q.object)
             for s in subjects for q in store.quads_for_pattern(s, None, None, graph)}
    c = ox.NamedNode(council)
    for p in _COUNCIL_FACTS:
        found |= {ox.Triple(q.subject, q.predicate, q.object)
                  for q in store.quads_for_pattern(c, ox.NamedNode(p), None, graph)}
    return found


def digest(triples: Iterable[ox.Triple]) -> str:
    """A fingerprint of a row's facts, the same whatever order they come in."""
    lines = sorted(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


def snapshots(store: GraphStore) -> list[Snapshot]:
    """Every imported snapshot of the ILACS series, in as-of order, with its entries."""
    found: dict[str, Snapshot] = {}
    rows = store.query(
        "SELECT ?g ?src ?d WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?src . "
        f"?src cskg:asOf ?d ; dcterms:isVersionOf <{SERIES}> }} }}")
    for r in rows:
        found[r["g"].value] = Snapshot(r["g"].value, r["src"].value, r["d"].value)
    rows = store.query(
        "SELECT ?g ?c ?e ?h WHERE { GRAPH ?g { ?x a cskg:SnapshotEntry ; cskg:listedAuthority ?c ; "
        "cskg:listedInspection ?e ; cskg:entryDigest ?h } }")
    for r in rows:
        snap = found.get(r["g"].value)
        if snap is not None:
            snap.entries[r["c"].value] = Entry(r["c"].value, r["e"].value, r["h"].value)
    return sorted(found.values(), key=lambda s: (s.as_of, s.graph))


def previous(ordered: list[Snapshot], index: int) -> dict[str, str]:
    """For each council of ``ordered[index]``, the digest of the latest earlier snapshot
    that listed it (councils no earlier snapshot listed are left out)."""
    snap = ordered[index]
    prev: dict[str, str] = {}
    for earlier in reversed(ordered[:index]):
        for c, entry in earlier.entries.items():
            if c in snap.entries and c not in prev:
                prev[c] = entry.digest
        if len(prev) == len(snap.entries):
            break
    return prev


def stated(ordered: list[Snapshot], index: int) -> set[str]:
    """The councils whose facts ``ordered[index]``'s graph must state: new or changed rows."""
    prev = previous(ordered, index)
    return {c for c, e in ordered[index].entries.items() if prev.get(c) != e.digest}


def _holder(store: GraphStore, ordered: list[Snapshot], before: str,
            event: str) -> ox.NamedNode | None:
    """The latest snapshot graph dated before ``before`` that states the inspection."""
    for snap in reversed(ordered):
        if snap.as_of < before and _states(store, ox.NamedNode(snap.graph), event):
            return ox.NamedNode(snap.graph)
    return None


def _states(store: GraphStore, graph: ox.NamedNode, event: str) -> bool:
    e = ox.NamedNode(event)
    return next(iter(store.ox.quads_for_pattern(e, _TYPE, _INSPECTION, graph)), None) is not None


def rewrite(store: GraphStore, current: list[Snapshot], final: list[Snapshot],
            skip: set[str]) -> dict[str, list[ox.Quad]]:
    """The snapshot graphs already in the store whose statements must change when the
    series goes from ``current`` to ``final`` (one snapshot imported or removed), each with
    its new quads. ``skip``: graphs being replaced or removed, which hold no unit to move."""
    known = {s.graph for s in current}
    changed: dict[str, list[ox.Quad]] = {}
    for i, snap in enumerate(final):
        if snap.graph in skip or snap.graph not in known:
            continue
        want = stated(final, i)
        g = ox.NamedNode(snap.graph)
        # what the graph states now, not what it should have: a writer killed between two
        # rewrites leaves a graph that states a row twice, and the next one mends it
        actual = {c for c, e in snap.entries.items() if _states(store, g, e.event)}
        if want == actual:
            continue
        quads = list(store.ox.quads_for_pattern(None, None, None, g))
        units = {c: unit(store.ox, g, c, snap.entries[c].event) for c in actual}
        base = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        for triples in units.values():
            base -= triples
        keep = set(base)
        for c in sorted(want):
            entry = snap.entries[c]
            if c in units:
                keep |= units[c]
                continue
            holder = _holder(store, current, snap.as_of, entry.event)
            if holder is None:
                continue  # an earlier snapshot of the old model: nothing to copy from
            keep |= unit(store.ox, holder, c, entry.event)
        new = [ox.Quad(t.subject, t.predicate, t.object, g) for t in keep]
        if {ox.Triple(q.subject, q.predicate, q.object) for q in quads} != keep:
            changed[snap.graph] = file_order(new, snap.graph)
    return changed


def encode(quads: list[ox.Quad], graph: str, source: str, rows: list[tuple[str, str, str, str | None]],
           ordered: list[Snapshot], as_of: str) -> tuple[list[ox.Quad], Snapshot, list[Snapshot]]:
    """A snapshot's full facts as the graph stores them: its own description and shared
    entities, an entry per row, and the units of the rows that are new or changed.

    ``rows``: (council, GSS code, inspection, overall grade IRI or None) per row.
    ``ordered``: the snapshots in the store; one of the same graph is replaced.
    Returns the quads, the snapshot, and the series as it will be.
    """
    g = ox.NamedNode(graph)
    mem = ox.Store()
    mem.extend(quads)
    units = {c: unit(mem, g, c, e) for c, _gss, e, _grade in rows}
    in_units = set().union(*units.values()) if units else set()
    snap = Snapshot(graph, source, as_of,
                    {c: Entry(c, e, digest(units[c])) for c, _gss, e, _grade in rows})
    final = sorted([s for s in ordered if s.graph != graph] + [snap],
                   key=lambda s: (s.as_of, s.graph))
    want = stated(final, final.index(snap))
    out = [q for q in quads if ox.Triple(q.subject, q.predicate, q.object) not in in_units]
    for c in sorted(want):
        out += [ox.Quad(t.subject, t.predicate, t.object, g) for t in units[c]]
    for c, gss, e, grade in rows:
        entry = ox.NamedNode(entry_iri(source, gss))
        facts = [(TYPE, ox.NamedNode(ENTRY)), (IN_SNAPSHOT, ox.NamedNode(source)),
                 (LISTED_AUTHORITY, ox.NamedNode(c)), (LISTED_INSPECTION, ox.NamedNode(e)),
                 (DIGEST, ox.Literal(snap.entries[c].digest))]
        if grade:
            facts.append((LISTED_GRADE, ox.NamedNode(grade)))
        out += [ox.Quad(entry, ox.NamedNode(p), o, g) for p, o in facts]
    # a person who led two stated rows' inspections is in both units: once in the file
    return sorted(dict.fromkeys(out), key=_order), snap, final


def file_name(store: GraphStore, graph: str) -> str:
    """The spreadsheet a snapshot graph was imported from (its dataset's dcterms:identifier),
    so a rewritten file keeps the header the import gave it."""
    g = ox.NamedNode(graph)
    for q in store.ox.quads_for_pattern(g, ox.NamedNode(PROV_DERIVED), None, g):
        for i in store.ox.quads_for_pattern(q.object, ox.NamedNode(DCT_IDENTIFIER), None, g):
            return i.object.value
    return store.graph_files.get(graph, graph)


_STAMP = [(TYPE, "a"), (PROV + "generated", "a"), (RDFS_LABEL, "a"), (PROV + "endedAtTime", "a"),
          (PROV + "wasAssociatedWith", "a"), (TYPE, "g"), (RDFS_LABEL, "g")]


def file_order(quads: list[ox.Quad], graph: str) -> list[ox.Quad]:
    """Quads in the order an import writes them: the facts sorted, then when the graph was
    made, then the record of the cskg that added it (``changes.stamp``), so a rewritten
    snapshot file is the same file an import in date order writes."""
    def key(q: ox.Quad) -> tuple[int, int, tuple[str, str, str]]:
        s, p = q.subject.value, q.predicate.value
        kind = "a" if s == graph + "/addition" else "g" if s.startswith(ID + "agent/") else ""
        if kind:
            return (2, _STAMP.index((p, kind)) if (p, kind) in _STAMP else 99, _order(q))
        if s == graph and p == PROV + "generatedAtTime":
            return (1, 0, _order(q))
        return (0, 0, _order(q))
    return sorted(quads, key=key)


def _order(q: ox.Quad) -> tuple[str, str, str]:
    """The order ``Facts.quads`` writes, so the same data always gives the same file."""
    return (q.subject.value, q.predicate.value, str(q.object))

