"""Adding and removing sources safely: validate in context, then write atomically.

An addition is validated on the union of the graph and the addition, but only
on the nodes it can affect: the nodes whose statements change (new subjects,
existing nodes it says something new about, nodes it points to) and every node
within ``FOCUS_DEPTH`` structural steps of them, in either direction (the
council whose visits must follow an inadequate judgement, the other visits
whose ordinals must rise with their dates, ...). pySHACL runs on the
statements within ``DATA_DEPTH`` steps of those nodes, which is everything
their constraints read. Steps never go through shared reference values (a
grade, a region, Ofsted, a publisher): every node points at those, and no
constraint of one node reads another node through them.

The write is atomic and durable: the new graph file is written to a
temporary file in ``.cskg/tmp/``, fsynced and renamed into ``graphs/``; the store is then
brought up to date by an incremental build. The store manifest is marked
incomplete before the rename, so a crash or kill at any point leaves the
files as the truth and the next command rebuilds the store from them. Writers
hold the exclusive store lock, so concurrent ``cskg add`` runs take turns.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from cskg import __version__
from cskg.addition import Addition, StoreResolver, load
from cskg.errors import InputError
from cskg.labels import curie, labels
from cskg.prefixes import PREFIXES
from cskg.project import GRAPH_BASE, SYSTEM_BASE, Project
from cskg.store import (
    GraphStore,
    build_holding_lock,
    locked,
    mark_pending,
    temporary_dir,
    writer_store,
    writer_view,
)
if TYPE_CHECKING:
    from cskg.matching import Matching
from cskg.validation import (
    ValidationReport,
    ValidationResult,
    load_shapes,
    shacl_engine,
    validate,
    validate_focus,
)

FOCUS_DEPTH = 3
DATA_DEPTH = 6
ENTITY_BASES = (PREFIXES["cskgid"], GRAPH_BASE)
RDF_TYPE = PREFIXES["rdf"] + "type"
_P = PREFIXES

#: Properties whose values are shared references; a step never continues through them.
REFERENCE_PREDICATES = {
    RDF_TYPE,
    _P["prov"] + "wasAssociatedWith", _P["prov"] + "wasDerivedFrom", _P["prov"] + "used",
    _P["prov"] + "wasGeneratedBy",
    _P["cskg"] + "region", _P["cskg"] + "authorityType", _P["cskg"] + "grade",
    _P["cskg"] + "judgementArea", _P["cskg"] + "focus", _P["cskg"] + "service",
    _P["cskg"] + "serviceArea", _P["cskg"] + "findingKind", _P["cskg"] + "framework",
    _P["cskg"] + "inspectionFormat", _P["cskg"] + "tenure", _P["cskg"] + "status",
    _P["cskg"] + "sector", _P["cskg"] + "controllingParty", _P["cskg"] + "claimedBy",
    _P["dcterms"] + "publisher", _P["dcterms"] + "creator", _P["dcterms"] + "subject",
    _P["org"] + "role", _P["skos"] + "inScheme", _P["rdf"] + "predicate", _P["rdf"] + "object",
    # Statistical neighbours join every council to ten others: no constraint reads through them.
    _P["cskg"] + "statisticalNeighbour", _P["cskg"] + "neighbour", _P["cskg"] + "neighbourOf",
}
EVENT_CLASSES = [
    _P["cskg"] + c
    for c in ("FullInspection", "MonitoringVisit", "FocusedVisit", "JointTargetedAreaInspection")
]
_DATES = [_P["cskg"] + p for p in ("fieldworkStart", "reportedDate", "publicationDate")]


def _entity(term: object) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(ENTITY_BASES)


# --- the view of the graph as it would be --------------------------------------


class View:
    """The store as it would be after a change: plus an addition, or minus a graph."""

    def __init__(self, store: GraphStore, added: Iterable[ox.Quad] = (),
                 removed: str | Iterable[str] | None = None):
        self.store = store
        self.mem = ox.Store()
        self.mem.extend(added)
        names = [removed] if isinstance(removed, str) else list(removed or ())
        #: graphs taken out (a source withdrawn, or graphs replaced by the added quads)
        self.removed = {ox.NamedNode(n) for n in names}

    def quads(self, s: object, p: object, o: object) -> Iterator[ox.Quad]:
        for quad in self.store.ox.quads_for_pattern(s, p, o, None):
            if quad.graph_name not in self.removed:
                yield quad
        yield from self.mem.quads_for_pattern(s, p, o, None)


def neighbourhood(view: View, seeds: set[str], depth: int) -> tuple[dict[str, int], set[ox.Triple]]:
    """Nodes within ``depth`` structural steps of ``seeds`` (with their distance) and the
    statements of every node reached, plus the types and labels of the values they point at."""
    distance = {s: 0 for s in seeds}
    triples: set[ox.Triple] = set()
    values: set[ox.NamedNode] = set()
    frontier = set(seeds)
    for step in range(depth + 1):
        following: set[str] = set()
        for node in frontier:
            term = ox.NamedNode(node)
            for q in view.quads(term, None, None):
                triples.add(ox.Triple(q.subject, q.predicate, q.object))
                if q.predicate.value in REFERENCE_PREDICATES or not _entity(q.object):
                    if isinstance(q.object, ox.NamedNode):
                        values.add(q.object)
                elif step < depth:
                    following.add(q.object.value)
            if step == depth:
                continue
            for q in view.quads(None, None, term):
                if q.predicate.value in REFERENCE_PREDICATES or not _entity(q.subject):
                    continue
                triples.add(ox.Triple(q.subject, q.predicate, q.object))
                following.add(q.subject.value)
        frontier = {n for n in following if n not in distance}
        for n in frontier:
            distance[n] = step + 1
    for value in values:
        for predicate in (RDF_TYPE, _P["rdfs"] + "label", _P["skos"] + "inScheme"):
            for q in view.quads(value, ox.NamedNode(predicate), None):
                triples.add(ox.Triple(q.subject, q.predicate, q.object))
    return distance, triples


def _system_graph(store: GraphStore) -> Graph:
    """The ontology and vocabulary, which every validation needs (subclasses, schemes)."""
    graph = Graph()
    for name, rel in store.graph_files.items():
        if name.startswith(SYSTEM_BASE):
            data = store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
            graph.parse(data=bytes(data), format="nt")
    return graph


def _to_rdflib(triples: Iterable[ox.Triple], into: Graph) -> Graph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    into.parse(data=bytes(data), format="nt")
    return into


# --- validation in context -------------------------------------------------------


def in_store(store: GraphStore, quad: ox.Quad) -> bool:
    """Whether some graph of the store already states the quad's triple."""
    found = store.ox.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
    return next(iter(found), None) is not None


def changed_nodes(quads: Iterable[ox.Quad], new: bool, store: GraphStore) -> set[str]:
    """Entities whose statements a change touches: subjects and entity objects of its triples.

    With ``new``, triples the store already states elsewhere touch nothing.
    """
    changed: set[str] = set()
    for q in quads:
        if new and in_store(store, q):
            continue
        if _entity(q.subject):
            changed.add(q.subject.value)
        if _entity(q.object) and q.predicate.value not in REFERENCE_PREDICATES:
            changed.add(q.object.value)
    return changed


def validate_change(
    store: GraphStore, view: View, changed: set[str], where: dict[str, str]
) -> ValidationReport:
    """SHACL on the nodes a change can affect, over what their constraints read."""
    distance, _ = neighbourhood(view, changed, FOCUS_DEPTH)
    focus = {n for n in distance}
    _, triples = neighbourhood(view, focus, DATA_DEPTH - FOCUS_DEPTH)
    project = store.project
    shape_files = project.shape_files()
    shapes = load_shapes(shape_files, {p: project.rel(p) for p in shape_files})
    provenance = _provenance(view, focus, where)
    if shacl_engine() == "pyshacl":
        data = _to_rdflib(triples, _system_graph(store))
        return validate(data, shapes, focus_nodes=[URIRef(n) for n in sorted(focus)],
                        provenance=provenance)
    # The SPARQL engine, on a small store of the same statements: the same report without
    # loading pySHACL (half a second of every `cskg add` on its own).
    mem = ox.Store()
    mem.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    for name in store.graph_files:
        if name.startswith(SYSTEM_BASE):
            mem.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                            for q in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    return validate_focus(mem, shapes, sorted(focus), provenance)


def _provenance(
    view: View, nodes: set[str], where: dict[str, str]
) -> dict[tuple[Node, Node | None], tuple[str, ...]]:
    """Where each node's statements come from: the input's ``file:line`` or the graph file."""
    found: dict[tuple[Node, Node | None], tuple[str, ...]] = {}
    for node in nodes:
        files = set()
        if node in where:
            files.add(where[node])
        for q in view.store.ox.quads_for_pattern(ox.NamedNode(node), None, None, None):
            if q.graph_name in view.removed:
                continue
            rel = view.store.graph_files.get(getattr(q.graph_name, "value", ""))
            if rel:
                files.add(rel)
        found[(URIRef(node), None)] = tuple(sorted(files))
    return found


def label_in(store: GraphStore, addition: Addition, iri: str) -> str:
    """An entity's label: from the addition if it gives one, else the graph's, else a CURIE."""
    for q in addition.quads:
        if q.subject.value == iri and q.predicate.value == _P["rdfs"] + "label":
            return str(q.object.value)
    return labels(store, [iri]).get(iri, curie(iri))


def duplicates(store: GraphStore, addition: Addition, view: View) -> list[ValidationResult]:
    """What the addition repeats: its graph, its source, or an inspection already known."""
    problems: list[ValidationResult] = []

    def problem(node: str, message: str, files: Iterable[str]) -> None:
        problems.append(ValidationResult(
            focus_node=node, label=label_in(store, addition, node), path="",
            value="", severity="Violation", message=message, shape="duplicate",
            files=(addition.where(node), *sorted(set(files))),
        ))

    if addition.graph in store.graph_files:
        problem(addition.graph, f"This source was already added: its graph is in "
                f"{store.graph_files[addition.graph]}. Remove it first to replace it.",
                [store.graph_files[addition.graph]])
        return problems
    provenance_subjects = {addition.graph, addition.graph + "/curation", addition.graph + "/addition"}
    content = [q for q in addition.quads if q.subject.value not in provenance_subjects]
    repeated = [q for q in content if in_store(store, q)]
    events = _events(addition)
    if content and len(repeated) == len(content):
        for event in sorted(events) or [content[0].subject.value]:
            problem(event, "Duplicate: everything this addition says about "
                    f"{label_in(store, addition, event)} is already in the graph, in "
                    + ", ".join(_files_stating(store, event)) + ".",
                    _files_stating(store, event))
        return problems
    for event, (kind, council, date) in sorted(events.items()):
        if date is None:
            continue
        directive = addition.directives.get(event)
        for other, other_files in _same_event(store, kind, council, date, event):
            if directive is not None and other in directive.different_from:
                continue  # the source says it is another event (cskg.matching)
            name = labels(store, [other]).get(other, curie(other))
            problem(event, f"Duplicate of the existing {curie(kind).split(':')[1]} {name} "
                    f"<{other}> in {', '.join(sorted(set(other_files)))}: same council and date "
                    f"({date}). Use its IRI to add to it.",
                    other_files)
    return problems


def _events(addition: Addition) -> dict[str, tuple[str, str | None, str | None]]:
    """The addition's inspection events: (class, council, key date)."""
    found: dict[str, tuple[str, str | None, str | None]] = {}
    by_subject: dict[str, dict[str, str]] = {}
    for q in addition.quads:
        by_subject.setdefault(q.subject.value, {})
        if q.predicate.value == RDF_TYPE and q.object.value in EVENT_CLASSES:
            by_subject[q.subject.value]["type"] = q.object.value
        elif q.predicate.value in _DATES + [_P["cskg"] + "inspectedAuthority"]:
            by_subject[q.subject.value].setdefault(q.predicate.value, q.object.value)
    for subject, facts in by_subject.items():
        if "type" in facts:
            date = next((facts[p] for p in _DATES if p in facts), None)
            found[subject] = (facts["type"], facts.get(_P["cskg"] + "inspectedAuthority"), date)
    return found


def _same_event(
    store: GraphStore, kind: str, council: str | None, date: str, iri: str
) -> list[tuple[str, list[str]]]:
    if council is None:
        return []
    terms = " ".join(str(t) for t in (
        ox.NamedNode(kind), ox.NamedNode(council), ox.Literal(date), ox.NamedNode(iri)))
    rows = store.query(
        f"SELECT DISTINCT ?e ?g WHERE {{ VALUES (?kind ?council ?date ?self) {{ ({terms}) }} "
        "GRAPH ?g { ?e a ?kind ; cskg:inspectedAuthority ?council } "
        "?e cskg:fieldworkStart|cskg:reportedDate|cskg:publicationDate ?d "
        "FILTER(STR(?d) = ?date && ?e != ?self) }"
    )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["e"].value, []).append(store.graph_files.get(row["g"].value, ""))
    return sorted(found.items())


def _files_stating(store: GraphStore, iri: str) -> list[str]:
    graphs = {q.graph_name.value for q in store.ox.quads_for_pattern(ox.NamedNode(iri), None, None, None)
              if isinstance(q.graph_name, ox.NamedNode)}
    return sorted(store.graph_files[g] for g in graphs if g in store.graph_files)


def unknown_councils(store: GraphStore, addition: Addition, view: View) -> list[ValidationResult]:
    """Council IRIs the addition points at that no graph (nor the addition) declares."""
    council_class = ox.NamedNode(_P["cskg"] + "Council")
    results = []
    seen = set()
    for q in addition.quads:
        o = q.object
        if not (isinstance(o, ox.NamedNode) and o.value.startswith(_P["cskgid"] + "council/")):
            continue
        if o.value in seen or "/" in o.value[len(_P["cskgid"] + "council/"):]:
            continue
        seen.add(o.value)
        if next(view.quads(o, ox.NamedNode(RDF_TYPE), council_class), None) is None:
            code = o.value.rsplit("/", 1)[-1]
            results.append(ValidationResult(
                focus_node=q.subject.value, label=label_in(store, addition, q.subject.value),
                path=curie(q.predicate.value), value=o.value, severity="Violation",
                message=f"Unknown council: no council in the graph has the GSS code {code}.",
                shape="unknown-council", files=(addition.where(q.subject.value),),
            ))
    return results


# --- adding ------------------------------------------------------------------------


@dataclass
class Outcome:
    """What happened to one input file."""

    input: str
    graph: str
    file: str
    added: bool
    triples: int
    report: ValidationReport = field(default_factory=ValidationReport)
    matching: Matching | None = None


def stamp(addition: Addition, when: datetime | None = None) -> list[ox.Quad]:
    """The addition's quads plus when it was added and by which cskg version."""
    g = ox.NamedNode(addition.graph)
    activity = ox.NamedNode(addition.graph + "/addition")
    # prov:generated from the activity: the graph's own prov:wasGeneratedBy names its curation.
    agent = ox.NamedNode(f"{_P['cskgid']}agent/cskg/{__version__}")
    moment = (when or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    prov, rdfs = _P["prov"], _P["rdfs"]
    extra = [
        (activity, ox.NamedNode(RDF_TYPE), ox.NamedNode(prov + "Activity")),
        (activity, ox.NamedNode(prov + "generated"), g),
        (activity, ox.NamedNode(rdfs + "label"), ox.Literal(f"Added with cskg {__version__}")),
        (activity, ox.NamedNode(prov + "endedAtTime"),
         ox.Literal(moment, datatype=ox.NamedNode(_P["xsd"] + "dateTime"))),
        (activity, ox.NamedNode(prov + "wasAssociatedWith"), agent),
        (agent, ox.NamedNode(RDF_TYPE), ox.NamedNode(prov + "SoftwareAgent")),
        (agent, ox.NamedNode(rdfs + "label"), ox.Literal(f"cskg {__version__}")),
    ]
    return list(addition.quads) + [ox.Quad(s, p, o, g) for s, p, o in extra]


def check_addition(
    store: GraphStore, addition: Addition, quads: list[ox.Quad] | None = None
) -> ValidationReport:
    """Every problem the addition has or causes, in the context of the graph it joins.

    ``quads`` are the addition's quads as they would be written (``stamp``).
    """
    quads = quads if quads is not None else stamp(addition)
    view = View(store, quads)
    report = ValidationReport(duplicates(store, addition, view))
    if any(r.shape == "duplicate" and r.focus_node == addition.graph for r in report.results):
        return report
    report.results += unknown_councils(store, addition, view)
    where = {n: addition.where(n) for n in addition.subjects()}
    report.results += validate_change(store, view, changed_nodes(quads, True, store), where).results
    report.results += _graph_checks(store, quads)
    return report


def checked_with_matching(store: GraphStore, addition: Addition, quads: list[ox.Quad],
                          matching: Matching) -> ValidationReport:
    """``check_addition`` on a linked addition, after what matching and the conflicts found.

    A conflict comes first, naming both sources; a shape the two values break together
    (a judgement with at most one grade) is reported after it, as ``cskg validate`` would.
    """
    from cskg.matching import conflicts

    report = check_addition(store, addition, quads)
    report.results = matching.problems + conflicts(store, addition) + report.results
    return report


def _graph_checks(store: GraphStore, quads: list[ox.Quad]) -> list[ValidationResult]:
    """The source-graph checks (queries/checks) on the addition's own named graph.

    Store-wide checks are covered in context by the addition's own checks
    (``unknown_councils``), which apply the same rule to the graph plus the addition.
    """
    from cskg.validation import check_scope, run_checks

    mem = ox.Store()
    mem.extend(quads)
    scratch = GraphStore(store.project, mem, {"files": {}}, open(os.devnull))
    try:
        checks = [p for p in sorted((store.project.queries_dir / "checks").glob("*-violation.rq"))
                  if check_scope(p) == "source-graph"]
        return run_checks(scratch, checks).results
    finally:
        scratch.close()


def write_graph_file(
    project: Project, addition: Addition, quads: list[ox.Quad], replace: bool = False
) -> Path:
    """Write the addition as ``graphs/<slug>.trig``: temporary file, fsync, rename, fsync dir.

    With ``replace`` an existing file of that name is replaced in the same atomic rename.
    """
    from cskg import deadline

    deadline.disarm()  # validation is done: the write and the store update are not cut short
    target = project.graphs_dir / f"{addition.slug}.trig"
    if target.exists() and not replace:
        raise InputError(f"{project.rel(target)} already exists", "remove that source first")
    data = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=_used_prefixes(quads))
    header = (f"# Added by cskg {__version__} from {addition.display}.\n"
              f"# One source, one named graph: {addition.graph}\n\n").encode()
    tmp = temporary_dir(project) / f"{addition.slug}.trig.{os.getpid()}.tmp"
    try:
        with tmp.open("wb") as handle:
            handle.write(header + bytes(data))
            handle.flush()
            os.fsync(handle.fileno())
        checkpoint("after-temp-write")
        mark_pending(project, project.rel(target))
        os.replace(tmp, target)
        _fsync_dir(project.graphs_dir)
    finally:
        if tmp.exists():
            tmp.unlink()
    checkpoint("after-rename")
    return target


def _used_prefixes(quads: list[ox.Quad]) -> dict[str, str]:
    terms = [t for q in quads for t in (q.subject, q.predicate, q.object, q.graph_name)]
    used = {t.value for t in terms if isinstance(t, ox.NamedNode)}
    used |= {t.datatype.value for t in terms if isinstance(t, ox.Literal) and t.datatype}
    return {p: ns for p, ns in PREFIXES.items() if any(u.startswith(ns) for u in used)}


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoint(name: str) -> None:
    """Fault injection for the crash tests: pause here when ``CSKG_PAUSE_AT`` names this point.

    The process writes ``$CSKG_PAUSE_FILE`` and waits to be killed; nothing else
    happens when the variable is unset.
    """
    if os.environ.get("CSKG_PAUSE_AT") == name:
        import time

        Path(os.environ["CSKG_PAUSE_FILE"]).write_text(name)
        while True:
            time.sleep(0.05)


def add(project: Project, paths: list[Path], dry_run: bool = False) -> list[Outcome]:
    """Validate each input in the context of the graph and, unless a dry run, add it.

    Inputs are taken in order; each is checked against the graph with the
    earlier ones already added.
    """
    outcomes: list[Outcome] = []
    with locked(project, exclusive=True):
        build_holding_lock(project)
        with writer_store(project) as handle:
            for path in paths:
                outcomes.append(_add_one(project, handle, path, dry_run))
    return outcomes


def _add_one(project: Project, handle: ox.Store, path: Path, dry_run: bool) -> Outcome:
    from cskg.matching import link

    store = writer_view(project, handle)
    try:
        addition, matching = link(store, load(path, str(path), StoreResolver(store)))
        quads = stamp(addition)
        report = checked_with_matching(store, addition, quads, matching)
    finally:
        store.close()
    outcome = Outcome(str(path), addition.graph, f"graphs/{addition.slug}.trig", False,
                      len(quads), report, matching)
    if report.conforms and not dry_run:
        checkpoint("before-write")
        write_graph_file(project, addition, quads)
        build_holding_lock(project, store=handle)
        checkpoint("after-store")
        outcome.added = True
    return outcome
