"""SHACL validation and SPARQL checks, reported in terms a non-specialist reads.

``validate`` is the one wrapper around pySHACL: pySHACL's quirks stay here.
``validate_store`` validates the whole built graph: the shapes in ``shapes/``
over the union of every graph (ontology included, so subclasses count), plus
every ``queries/checks/*-violation.rq`` over the named graphs. Each result
names the entity by its label and the graph file its statement came from.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from cskg.errors import SyntaxProblem
from cskg.labels import LABEL_PROPERTIES, curie
from cskg.store import GraphStore, parse_file

SH = Namespace("http://www.w3.org/ns/shacl#")
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class ValidationResult:
    """One problem: which entity, which property, which value, and why."""

    focus_node: str
    label: str
    path: str
    value: str
    severity: str
    message: str
    shape: str
    files: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["files"] = list(self.files)
        return data


@dataclass
class ValidationReport:
    """Every result of one validation run; it conforms when no result is a violation."""

    results: list[ValidationResult] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


def load_shapes(shape_files: Sequence[Path], display: dict[Path, str] | None = None) -> Graph:
    """Parse the shapes files, with syntax errors naming the file, line and column."""
    graph = Graph()
    for path in shape_files:
        shown = (display or {}).get(path, str(path))
        mem = parse_file(path, shown, default_graph=None, fmt="turtle")  # checks syntax, with position
        graph.parse(
            data=bytes(mem.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())),
            format="nt",
        )
    for prefix, namespace in _shape_prefixes(shape_files):
        graph.bind(prefix, namespace)
    return graph


def _shape_prefixes(paths: Iterable[Path]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("@prefix"):
                parts = line.split()
                if len(parts) >= 3:
                    found.append((parts[1].rstrip(":"), parts[2].strip("<>")))
    return found


def best_label(graph: Graph, node: Node) -> str | None:
    """The display label of ``node`` in ``graph``, preferring English rdfs:label."""
    for prop in LABEL_PROPERTIES:
        values = sorted(
            graph.objects(node, URIRef(prop)),
            key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)),
        )
        if values:
            return str(values[0])
    return None


def show_term(graph: Graph, term: Node | None) -> str:
    """A term as a person reads it: a literal's text, or a resource's label or CURIE."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    return best_label(graph, term) or (curie(str(term)) if isinstance(term, URIRef) else str(term))


def _path_text(results: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return curie(str(path))
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(results, inverse)
    alternatives = results.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(results, i) for i in results.items(alternatives))
    for op, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = results.value(path, op)
        if inner is not None:
            return f"({_path_text(results, inner)}){mark}"
    items = list(results.items(path)) if (path, RDF.first, None) in results else []
    return "/".join(_path_text(results, i) for i in items) if items else str(path)


@contextmanager
def _parsed_queries_memoised() -> Iterator[None]:
    """While pySHACL runs, parse each SPARQL constraint once instead of once per focus node.

    pySHACL hands rdflib every SPARQL-based constraint as text for each focus
    node, and rdflib parses it each time (about 20 times the cost of
    evaluating it here). Parsed queries are memoised by text, base and
    namespaces, which changes no result.
    """
    from rdflib.plugins.sparql import processor

    plain = processor.SPARQLProcessor.query

    def query(self: Any, q: Any, initBindings: Any = None, initNs: Any = None,
              base: Any = None, DEBUG: bool = False) -> Any:
        if isinstance(q, str):
            key = (q, base, frozenset((initNs or {}).items()))
            if key not in _PARSED:
                _PARSED[key] = processor.translateQuery(processor.parseQuery(q), base, initNs)
            q = _PARSED[key]
        return plain(self, q, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = plain  # type: ignore[method-assign]


_PARSED: dict[tuple[Any, ...], Any] = {}


def run_pyshacl(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    """pySHACL on ``data`` (used in place, never copied): its conforms flag and report graph.

    The one call to pySHACL in cskg. Warnings do not break conformance. (Never
    pySHACL's ``focus_nodes``: see ``narrow_targets``.)
    """
    import pyshacl

    with _parsed_queries_memoised():
        conforms, report, _text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
            abort_on_first=False, inplace=True,
        )
    return bool(conforms), report


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def narrow_targets(shapes: Graph, data: Graph, focus: set[Node]) -> Graph:
    """A copy of ``shapes`` whose targets are only the ``focus`` nodes each shape would target.

    This is how to validate a few nodes of a larger graph: pySHACL's own
    ``focus_nodes`` also filters inside nested shapes (``sh:node``, ``sh:or``),
    so a value outside its scheme would go unchecked. Here every shape keeps its
    constraints and targets explicit nodes (``sh:targetNode``), found with SHACL's
    instance semantics (``rdf:type/rdfs:subClassOf*``) in ``data``.
    """
    from rdflib.namespace import RDFS

    narrowed = Graph()
    for triple in shapes:
        if triple[1] not in _TARGETS:
            narrowed.add(triple)
    for prefix, namespace in shapes.namespaces():
        narrowed.bind(prefix, namespace)
    subclasses: dict[Node, set[Node]] = {}
    for shape in {s for t in _TARGETS for s in shapes.subjects(t, None)}:
        targeted: set[Node] = set()
        for cls in shapes.objects(shape, SH.targetClass):
            if cls not in subclasses:
                subclasses[cls] = set(data.transitive_subjects(RDFS.subClassOf, cls))
            for sub in subclasses[cls]:
                targeted |= {n for n in data.subjects(RDF.type, sub) if n in focus}
        targeted |= {n for n in shapes.objects(shape, SH.targetNode) if n in focus}
        for prop in shapes.objects(shape, SH.targetSubjectsOf):
            targeted |= {n for n in data.subjects(prop, None) if n in focus}
        for prop in shapes.objects(shape, SH.targetObjectsOf):
            targeted |= {n for n in data.objects(None, prop) if n in focus}
        for node in targeted:
            narrowed.add((shape, SH.targetNode, node))
    return narrowed


def top_results(report: Graph) -> list[Node]:
    """The report's own results (pySHACL also types nested sh:detail results as results)."""
    return [r for v in report.subjects(RDF.type, SH.ValidationReport) for r in report.objects(v, SH.result)]


def validate(
    data: Graph,
    shapes: Graph,
    focus_nodes: Sequence[URIRef] | None = None,
    provenance: dict[tuple[Node, Node | None], tuple[str, ...]] | None = None,
    oxigraph: tuple[ox.Store, bool] | None = None,
) -> ValidationReport:
    """Validate ``data`` against ``shapes`` with pySHACL and read its report.

    ``data`` must already contain the ontology (subclass axioms count for
    targets and ``sh:class``). ``focus_nodes`` restricts validation to those
    nodes (by narrowing the shapes' targets, see ``narrow_targets``). Core
    constraints run in pySHACL; SPARQL-based ones in Oxigraph (``cskg.constraints``),
    on ``oxigraph`` = (a store holding the same statements, whether to query the
    union of its named graphs), or on a copy of ``data`` made here.
    ``provenance`` maps (node, property) and (node, None) to the files that
    state them, so each result can say where it came from.
    """
    from cskg.constraints import evaluate, split

    core, sparql = split(shapes)
    focus = set(focus_nodes) if focus_nodes is not None else None
    if focus is not None:
        core = narrow_targets(core, data, focus)
    _conforms, results_graph = run_pyshacl(data, core)
    report = ValidationReport()
    for result in top_results(results_graph):
        node = results_graph.value(result, SH.focusNode)
        path = results_graph.value(result, SH.resultPath)
        value = results_graph.value(result, SH.value)
        messages = sorted(str(m) for m in results_graph.objects(result, SH.resultMessage))
        shape = results_graph.value(result, SH.sourceShape)
        severity = _SEVERITY.get(results_graph.value(result, SH.resultSeverity), "Violation")
        report.results.append(
            ValidationResult(
                focus_node=str(node),
                label=show_term(data, node),
                path=_path_text(results_graph, path),
                value=show_term(data, value),
                severity=severity,
                message=messages[0] if messages else _component_text(results_graph, result),
                shape=curie(str(shape)) if isinstance(shape, URIRef) else "",
                files=_where(provenance, node, path),
            )
        )
    if oxigraph is None:
        mem = ox.Store()
        mem.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        oxigraph = (mem, False)
    for found in evaluate(sparql, shapes, data, oxigraph[0], focus, union=oxigraph[1]):
        report.results.append(ValidationResult(
            focus_node=str(found.focus), label=show_term(data, found.focus),
            path=_path_text(shapes, found.path), value=show_term(data, found.value),
            severity=found.severity, message=found.message,
            shape=curie(str(found.shape)) if isinstance(found.shape, URIRef) else "",
            files=_where(provenance, found.focus, found.path),
        ))
    report.results.sort(key=_order)
    return report


def _where(
    provenance: dict[tuple[Node, Node | None], tuple[str, ...]] | None,
    node: Node | None,
    path: Node | None,
) -> tuple[str, ...]:
    """The files stating a result's node (and property, where known)."""
    if provenance is None or node is None:
        return ()
    return provenance.get((node, path), ()) or provenance.get((node, None), ())


def _component_text(results: Graph, result: Node) -> str:
    component = results.value(result, SH.sourceConstraintComponent)
    return f"breaks {curie(str(component))}" if component is not None else "breaks a shape"


def _order(r: ValidationResult) -> tuple[str, ...]:
    rank = {"Violation": "0", "Warning": "1", "Info": "2"}
    return (rank.get(r.severity, "3"), r.files[0] if r.files else "", r.label, r.path, r.message)


# --- the whole store ---------------------------------------------------------


def store_dataset(store: GraphStore) -> Dataset:
    """Every quad of the store as an rdflib Dataset."""
    dataset = Dataset()
    dataset.parse(data=store.dump_nquads(), format="nquads")
    return dataset


def union_and_provenance(
    store: GraphStore, dataset: Dataset
) -> tuple[Graph, dict[tuple[Node, Node | None], tuple[str, ...]]]:
    """The union graph of all named graphs, and which files state each (node, property)."""
    union = Graph()
    found: dict[tuple[Node, Node | None], set[str]] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
        rel = store.graph_files.get(str(g)) if g is not None else None
        if rel:
            found.setdefault((s, p), set()).add(rel)
            found.setdefault((s, None), set()).add(rel)
    return union, {k: tuple(sorted(v)) for k, v in found.items()}


def check_scope(path: Path) -> str:
    """A check's ``# scope:`` header: ``store`` (the whole graph) or ``source-graph``
    (each source's own named graph, so it can run on an addition alone)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# scope:"):
            return line.split(":", 1)[1].strip()
    return "store"


def run_checks(store: GraphStore, check_files: Sequence[Path]) -> ValidationReport:
    """Run each ``*-violation.rq`` over the store; every row is a violation.

    Columns: the first bound one names the entity; ``?message`` says what is
    wrong; ``?graph``, if there, says which source graph the row comes from.
    """
    report = ValidationReport()
    for path in check_files:
        shown = store.project.rel(path)
        try:
            answer = store.query(path.read_text(encoding="utf-8"))
            rows = list(answer)
        except SyntaxError as error:
            raise SyntaxProblem(shown, error.lineno, error.offset, str(error)) from None
        columns = [v.value for v in answer.variables]
        for row in rows:
            values = {c: row[c] for c in columns}
            focus = next((t for t in values.values() if t is not None), None)
            message = values.get("message")
            where = values.get("graph") or focus
            file = store.graph_files.get(where.value, "") if where is not None else ""
            report.results.append(
                ValidationResult(
                    focus_node=focus.value if focus is not None else "",
                    label=curie(focus.value) if focus is not None else "",
                    path="",
                    value="",
                    severity="Violation",
                    message=message.value if message is not None else f"found by {path.stem}",
                    shape=f"check:{path.stem}",
                    files=(file,) if file else (),
                )
            )
    return report


#: The SHACL engines of ``validate_store``; ``CSKG_SHACL_ENGINE`` picks one.
SHACL_ENGINES = ("sparql", "pyshacl")


def validate_store(store: GraphStore, engine: str | None = None) -> ValidationReport:
    """SHACL over the union of the store's graphs, then every check query.

    ``engine`` (else ``$CSKG_SHACL_ENGINE``, else ``sparql``): ``sparql`` compiles the
    core shapes to SPARQL run on the store itself (``cskg.shacl_sparql``), with labels
    and files read for the result nodes only; ``pyshacl`` copies the whole store into
    rdflib and runs pySHACL over it (the reference, for cross-checks: slow on a large
    graph). Both give the same report; SPARQL-based constraints run in Oxigraph either way.
    """
    chosen = shacl_engine(engine)
    project = store.project
    shape_files = project.shape_files()
    shapes = load_shapes(shape_files, {p: project.rel(p) for p in shape_files})
    if chosen == "pyshacl":
        dataset = store_dataset(store)
        union, provenance = union_and_provenance(store, dataset)
        report = validate(union, shapes, provenance=provenance, oxigraph=(store.ox, True))
        checks = sorted((project.queries_dir / "checks").glob("*-violation.rq"))
        report.results.extend(run_checks(store, checks).results)
    else:
        report = _validate_store_sparql(store, shapes)
    return report


def shacl_engine(engine: str | None = None) -> str:
    """The SHACL engine to use: ``engine``, else ``$CSKG_SHACL_ENGINE``, else ``sparql``."""
    from cskg.errors import InputError

    chosen = (engine or os.environ.get("CSKG_SHACL_ENGINE") or "sparql").strip().lower()
    if chosen not in SHACL_ENGINES:
        raise InputError(
            f"unknown SHACL engine {chosen!r}",
            "CSKG_SHACL_ENGINE is one of: " + ", ".join(SHACL_ENGINES),
        )
    return chosen


def _validate_store_sparql(store: GraphStore, shapes: Graph) -> ValidationReport:
    """``validate`` over the whole store, without copying it: core constraints compiled to
    SPARQL, SPARQL-based ones through ``cskg.constraints.evaluate`` (targets found in a graph
    of the rdf:type and rdfs:subClassOf statements they need), labels and files of the
    result nodes read from the store."""
    from cskg import shacl_sparql as engine
    from cskg.constraints import evaluate, split

    core, sparql = split(shapes)
    targeting = engine.targeting_graph(store.ox, shapes, {c.shape for c in sparql})
    checks = sorted((store.project.queries_dir / "checks").glob("*-violation.rq"))
    # The core shapes, each SPARQL-based constraint and each check query are independent
    # reads of the store, and Oxigraph releases the GIL while it evaluates: they run on
    # every core (1M statements, 2 cores: 144 s one after another).
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        core_run = pool.submit(engine.validate_core, store.ox, core, True)
        constraint_runs = [
            pool.submit(evaluate, [c], shapes, targeting, store.ox, None, True) for c in sparql
        ]
        check_runs = [pool.submit(run_checks, store, [check]) for check in checks]
        found = core_run.result()
        solutions = [s for run in constraint_runs for s in run.result()]
        checked = [r for run in check_runs for r in run.result().results]

    def files(node: Any, path: Node | None) -> tuple[str, ...]:
        return engine.files_stating(store.ox, node, path, store.graph_files)

    report = _sparql_report(store.ox, core, shapes, found, solutions, files)
    report.results.sort(key=_order)
    report.results.extend(checked)  # after the shapes' results, as on the pySHACL path
    return report


def _sparql_report(
    data: ox.Store, core: Graph, shapes: Graph, found: list[Any], solutions: list[Any],
    files: Any,
) -> ValidationReport:
    """The results of the SPARQL engine (``found``: core; ``solutions``: SPARQL-based
    constraints) as a report, each labelled from ``data`` as ``show_term`` would, with
    ``files(node, path)`` saying where it is stated."""
    from cskg import shacl_sparql as engine
    from cskg.constraints import to_ox

    shown: dict[Any, str] = {}

    def show(term: Any) -> str:  # show_term, read from the store
        if term is None:
            return ""
        if term not in shown:
            if isinstance(term, ox.Literal):
                shown[term] = str(engine.to_rdflib(term))
            else:
                label = engine.best_label(data, term, LABEL_PROPERTIES)
                if label is None:
                    is_iri = isinstance(term, ox.NamedNode)
                    label = curie(term.value) if is_iri else str(engine.to_rdflib(term))
                shown[term] = label
        return shown[term]

    report = ValidationReport()
    for r in found:
        report.results.append(ValidationResult(
            focus_node=str(engine.to_rdflib(r.focus)), label=show(r.focus),
            path=_path_text(core, r.path), value=show(r.value),
            severity=_SEVERITY.get(r.severity, "Violation"), message=r.message,
            shape=curie(str(r.shape)) if isinstance(r.shape, URIRef) else "",
            files=files(r.focus, r.path),
        ))
    for s in solutions:
        focus = to_ox(s.focus)
        value = to_ox(s.value) if s.value is not None else None
        report.results.append(ValidationResult(
            focus_node=str(s.focus), label=show(focus), path=_path_text(shapes, s.path),
            value=show(value), severity=s.severity, message=s.message,
            shape=curie(str(s.shape)) if isinstance(s.shape, URIRef) else "",
            files=files(focus, s.path),
        ))
    return report


def validate_focus(
    data: ox.Store,
    shapes: Graph,
    focus_nodes: Sequence[str],
    provenance: dict[tuple[Node, Node | None], tuple[str, ...]] | None = None,
) -> ValidationReport:
    """``validate`` of ``focus_nodes`` with the SPARQL engine (``cskg.shacl_sparql``) on
    ``data``, a small store holding what their constraints read (and the ontology) in its
    default graph: the same report as pySHACL's, without loading pySHACL."""
    from cskg import shacl_sparql as engine
    from cskg.constraints import evaluate, split

    core, sparql = split(shapes)
    only = {ox.NamedNode(n) for n in focus_nodes}
    found = engine.validate_core(data, core, union=False, only=only)
    targeting = engine.targeting_graph(data, shapes, {c.shape for c in sparql})
    solutions = evaluate(sparql, shapes, targeting, data, {URIRef(n) for n in focus_nodes}, False)

    def files(node: Any, path: Node | None) -> tuple[str, ...]:
        return _where(provenance, engine.to_rdflib(node), path)

    report = _sparql_report(data, core, shapes, found, solutions, files)
    report.results.sort(key=_order)
    return report


def results_graph(report: ValidationReport) -> Graph:
    """The report as a SHACL validation report graph, for ``--format turtle``."""
    from rdflib import BNode
    from rdflib.namespace import XSD

    graph = Graph()
    graph.bind("sh", SH)
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(report.conforms, datatype=XSD.boolean)))
    for r in report.results:
        result = BNode()
        graph.add((node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, URIRef(r.focus_node)))
        graph.add((result, SH.resultSeverity, SH[r.severity]))
        graph.add((result, SH.resultMessage, Literal(r.message)))
        graph.add((result, RDFS.label, Literal(r.label)))
        if r.value:
            graph.add((result, SH.value, Literal(r.value)))
        for f in r.files:
            graph.add((result, SKOS.note, Literal(f"stated in {f}")))
    return graph
