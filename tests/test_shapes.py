"""Tests for shapes/: the shapes are valid SHACL, the base fixture conforms, every
break-*.ttl fixture fails with exactly the result its header names, and every
constraint in shapes/ has a fixture that breaks it.

A break fixture starts with header comments:

    # shape: cskgsh:Judgement                      the node shape whose constraint breaks
    # path: cskg:grade                             the result path, or -> for node-level constraints
    # constraint: cskgsh:Judgement-grade-value     the property shape, SPARQL constraint, or (for a
                                                   node-level core constraint) its component
    # expect: grade must be one of: ...            a substring of the result message
    # severity: sh:Warning                         optional; sh:Violation when absent
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, NamedTuple

import pyshacl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.plugins.sparql import processor

from cskg.validation import run_pyshacl, top_results
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
FIXTURES = ROOT / "tests" / "data" / "shacl"
ONTOLOGY_FILES = (ROOT / "ontology" / "cskg.ttl", ROOT / "ontology" / "vocabulary.ttl")
CHECKS = ROOT / "queries" / "checks"

CSKG = Namespace("https://w3id.org/cskg/def#")
CSKGSH = Namespace("https://w3id.org/cskg/shapes#")

def validate(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    """Validate data, with ontology/ merged in, through cskg's own pySHACL wrapper."""
    merged = Graph()
    merged += data
    merged += ontology()
    return run_pyshacl(merged, shapes)


# ---------------------------------------------------------------------------- loading


@functools.cache
def ontology() -> Graph:
    """ontology/cskg.ttl and ontology/vocabulary.ttl, those that exist (sh:class needs rdfs:subClassOf)."""
    g = Graph()
    for path in ONTOLOGY_FILES:
        if path.exists():
            g.parse(path)
    return g


@functools.cache
def shapes_graph() -> Graph:
    g = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(path)
    return g


PREFIXES = {
    "cskgsh": str(CSKGSH),
    "cskg": str(CSKG),
    "sh": str(SH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
}


def curie(term: Node) -> str:
    for prefix, ns in PREFIXES.items():
        if isinstance(term, URIRef) and str(term).startswith(ns) and term != URIRef(ns):
            return f"{prefix}:{str(term)[len(ns):]}"
    return str(term)


def expand(text: str) -> URIRef:
    prefix, _, local = text.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def path_text(g: Graph, path: Node) -> str:
    """A SHACL property path as SPARQL path syntax with CURIEs (cskg:a|cskg:b, ^cskg:c, ...)."""
    if isinstance(path, URIRef):
        return curie(path)
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(path_text(g, p) for p in Collection(g, alternatives))
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(g, inverse)
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = g.value(path, predicate)
        if inner is not None:
            return f"({path_text(g, inner)}){suffix}"
    return "/".join(path_text(g, p) for p in Collection(g, path))


class Header(NamedTuple):
    shape: URIRef
    path: str
    constraint: URIRef
    expect: str
    severity: URIRef


def read_header(path: Path) -> Header:
    fields: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep and key in {"shape", "path", "constraint", "expect", "severity"}:
            fields[key] = value.strip()
    missing = {"shape", "path", "constraint", "expect"} - fields.keys()
    assert not missing, f"{path.name}: header lacks {sorted(missing)}"
    return Header(
        shape=expand(fields["shape"]),
        path=fields["path"],
        constraint=expand(fields["constraint"]),
        expect=fields["expect"],
        severity=expand(fields.get("severity", "sh:Violation")),
    )


# ---------------------------------------------------------------------------- what shapes/ holds

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
NODE_LEVEL = {
    SH["or"]: SH.OrConstraintComponent, SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent, SH.xone: SH.XoneConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent, SH.node: SH.NodeConstraintComponent,
    SH["in"]: SH.InConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH.pattern: SH.PatternConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent, SH.closed: SH.ClosedConstraintComponent,
}


def targeted_shapes(g: Graph) -> set[URIRef]:
    found = {s for t in TARGETS for s in g.subjects(t, None)}
    return {s for s in found if isinstance(s, URIRef)}


def constraint_keys(g: Graph) -> dict[tuple[Node, ...], str]:
    """Every constraint of a targeted shape, keyed as results are, with the path it reports."""
    keys: dict[tuple[Node, ...], str] = {}
    for shape in targeted_shapes(g):
        for prop in g.objects(shape, SH.property):
            keys[("property", shape, prop)] = path_text(g, g.value(prop, SH.path))
        for sparql in g.objects(shape, SH.sparql):
            keys[("sparql", shape, sparql)] = "->"
        for parameter, component in NODE_LEVEL.items():
            if (shape, parameter, None) in g:
                keys[("node", shape, component)] = "->"
    return keys


def header_key(g: Graph, header: Header) -> tuple[Node, ...]:
    if (header.shape, SH.sparql, header.constraint) in g:
        return ("sparql", header.shape, header.constraint)
    if (header.shape, SH.property, header.constraint) in g:
        return ("property", header.shape, header.constraint)
    return ("node", header.shape, header.constraint)


def result_key(g: Graph, report: Graph, result: Node) -> tuple[Node, ...]:
    shape = report.value(result, SH.sourceShape)
    sparql = report.value(result, SH.sourceConstraint)
    if sparql is not None:
        return ("sparql", shape, sparql)
    if (shape, SH.path, None) in g:
        parents = sorted(g.subjects(SH.property, shape), key=str)
        return ("property", parents[0] if parents else shape, shape)
    return ("node", shape, report.value(result, SH.sourceConstraintComponent))


class Result(NamedTuple):
    key: tuple[Node, ...]
    path: str
    message: str
    severity: Node
    focus: Node


def results(report: Graph) -> list[Result]:
    """The report's top-level results (pySHACL also types its nested sh:detail results sh:ValidationResult)."""
    g = shapes_graph()
    found = []
    for r in top_results(report):
        path = report.value(r, SH.resultPath)
        found.append(Result(
            key=result_key(g, report, r),
            path="->" if path is None else path_text(report, path),
            message=" | ".join(str(m) for m in report.objects(r, SH.resultMessage)),
            severity=report.value(r, SH.resultSeverity),
            focus=report.value(r, SH.focusNode),
        ))
    return found


# ---------------------------------------------------------------------------- (a) the shapes


SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_shape_file_is_valid_shacl(path: Path) -> None:
    g = Graph().parse(path)
    # meta_shacl=True validates the shapes graph against SHACL-SHACL first and raises if it fails.
    pyshacl.validate(Graph(), shacl_graph=g, meta_shacl=True, inference="none", advanced=True)


def test_all_shapes_together_are_valid_shacl() -> None:
    pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True, inference="none", advanced=True)


def test_shapes_are_named_and_explained() -> None:
    g = shapes_graph()
    for shape in targeted_shapes(g):
        assert str(shape).startswith(str(CSKGSH)), shape
        for prop in g.objects(shape, SH.property):
            assert str(prop).startswith(str(CSKGSH)), f"{curie(shape)} has an unnamed property shape"
            assert g.value(prop, SH.message) is not None, f"{curie(prop)} has no sh:message"
        for sparql in g.objects(shape, SH.sparql):
            assert str(sparql).startswith(str(CSKGSH)), f"{curie(shape)} has an unnamed SPARQL constraint"
            assert g.value(sparql, RDFS.label) is not None, f"{curie(sparql)} has no rdfs:label"
            assert g.value(sparql, SH.message) is not None, f"{curie(sparql)} has no sh:message"
        if any((shape, p, None) in g for p in NODE_LEVEL):
            assert g.value(shape, SH.message) is not None, f"{curie(shape)} has node-level constraints but no sh:message"
            assert (shape, SH.sparql, None) not in g, f"{curie(shape)}: its sh:message would be added to its SPARQL results"


def test_sparql_constraints_parse_with_their_declared_prefixes() -> None:
    g = shapes_graph()
    for sparql in g.subjects(SH.select, None):
        ontology_node = g.value(sparql, SH.prefixes)
        assert (ontology_node, RDF.type, OWL.Ontology) in g, f"{curie(sparql)}: sh:prefixes is not an owl:Ontology"
        declared = {
            str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace))
            for d in g.objects(ontology_node, SH.declare)
        }
        text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in declared.items()) + str(g.value(sparql, SH.select))
        processor.prepareQuery(text)


MODEL_CLASSES = [
    "cskg:Council", "cskg:Region", "cskg:DeliveryArrangement", "cskg:ChildrensServicesTrust",
    "cskg:InspectionEvent", "cskg:FullInspection", "cskg:MonitoringVisit", "cskg:FocusedVisit",
    "cskg:JointTargetedAreaInspection", "cskg:Judgement", "cskg:Finding", "cskg:Claim",
    "schema:Person", "org:Post", "cskg:PostHolding", "cskg:Partnership",
    "cskg:MultiAgencySafeguardingHub", "org:Membership", "cskg:SharedService",
    "cskg:Inspectorate", "cskg:Charity", "cskg:NewsPublisher", "cskg:PoliticalParty",
    "cskg:PoliticalControl", "org:Organization", "cskg:NewsArticle", "cskg:Dataset", "cskg:Report",
    "cskg:SourceGraph", "cskg:InferredStatement", "prov:Activity", "time:Interval", "time:Instant",
]


@pytest.mark.parametrize("name", MODEL_CLASSES)
def test_every_class_of_the_model_has_a_shape(name: str) -> None:
    assert (None, SH.targetClass, expand(name)) in shapes_graph()


# ---------------------------------------------------------------------------- (b) the base fixture


def test_valid_base_conforms_with_no_results() -> None:
    conforms, report = validate(Graph().parse(FIXTURES / "valid-base.ttl"), shapes_graph())
    assert conforms
    assert results(report) == []


def base_with(*edits: tuple[str, str]) -> Graph:
    text = (FIXTURES / "valid-base.ttl").read_text()
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return Graph().parse(data=text, format="turtle")


def test_dates_of_different_precision_are_not_ordered() -> None:
    # Visit 1 in "2016-10" and visit 2 on "2016-10-20": neither string orders the other, so
    # numbering them 2 and 1 is not a violation; nor is a fieldwork ending in "2016-04" that
    # started on 2016-04-20, or a span from "2018-03" to "2018".
    data = base_with(
        ("cskg:visitOrdinal 2 ;", "cskg:visitOrdinal 1 ;"),
        ('cskg:visitOrdinal "1"^^xsd:positiveInteger ;', "cskg:visitOrdinal 2 ;"),
        ('cskg:fieldworkStart "2017-02-14"^^xsd:date ;', 'cskg:fieldworkStart "2016-10-20"^^xsd:date ;'),
        ('cskg:fieldworkEnd "2017-02-15"^^xsd:date ;', 'cskg:fieldworkEnd "2016-10-21"^^xsd:date ;'),
        ('cskg:fieldworkStart "2016-04"^^xsd:gYearMonth ;', 'cskg:fieldworkStart "2016-04-20"^^xsd:date ;'),
        ('cskg:fieldworkEnd "2016-05-12"^^xsd:date ;', 'cskg:fieldworkEnd "2016-04"^^xsd:gYearMonth ;'),
        ('shares\\/childrens-services\\/during\\/start a time:Instant ;\n'
         '    time:inXSDgYearMonth "2011-06"^^xsd:gYearMonth .',
         'shares\\/childrens-services\\/during\\/start a time:Instant ;\n'
         '    time:inXSDgYearMonth "2018-03"^^xsd:gYearMonth .'),
    )
    conforms, report = validate(data, shapes_graph())
    assert conforms and results(report) == []


COUNCIL_GRAPHS = """
@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/cskg/graph/reference> {
    <https://w3id.org/cskg/id/council/E06000058> a cskg:Council ;
        rdfs:label "Bournemouth, Christchurch and Poole Council" ; cskg:gssCode "E06000058" .
}
<https://w3id.org/cskg/graph/article> {
    <https://w3id.org/cskg/id/council/E06000058> a cskg:Council ; skos:altLabel "BCP" .
}
"""


def test_council_labels_may_sit_in_different_graphs() -> None:
    # rdfs:label from the reference graph, skos:altLabel from an article: valid on the union.
    dataset = Dataset()
    dataset.parse(data=COUNCIL_GRAPHS, format="trig")
    union = Graph()
    for quad in dataset.quads():
        union.add(quad[:3])
    conforms, report = validate(union, shapes_graph())
    assert conforms and results(report) == []
    article = Graph()
    article += dataset.graph(URIRef("https://w3id.org/cskg/graph/article"))
    conforms, report = validate(article, shapes_graph())
    assert not conforms
    assert {r.key[2] for r in results(report)} == {CSKGSH["Council-gssCode-count"]}


# ---------------------------------------------------------------------------- (c) break fixtures


BREAKS = sorted(FIXTURES.glob("break-*.ttl"))


@pytest.mark.parametrize("path", BREAKS, ids=lambda p: p.stem)
def test_break_fixture_fails_as_its_header_says(path: Path) -> None:
    header = read_header(path)
    g = shapes_graph()
    expected_key = header_key(g, header)
    conforms, report = validate(Graph().parse(path), g)
    found = results(report)
    assert found, f"{path.name}: no results"
    assert conforms == (header.severity == SH.Warning)
    assert {r.key for r in found} == {expected_key}, (
        f"{path.name}: expected only {[curie(k) for k in expected_key]}, got "
        + "; ".join(f"{[curie(k) for k in r.key]} {r.message}" for r in found)
    )
    assert any(
        r.path == header.path and header.expect in r.message and r.severity == header.severity
        for r in found
    ), f"{path.name}: no result with path {header.path} and message containing {header.expect!r}: " + "; ".join(
        f"{r.path} {r.severity} {r.message}" for r in found
    )


# ---------------------------------------------------------------------------- (d) coverage


def test_every_constraint_has_a_break_fixture() -> None:
    g = shapes_graph()
    keys = constraint_keys(g)
    covered: dict[tuple[Node, ...], list[str]] = {}
    for path in BREAKS:
        header = read_header(path)
        key = header_key(g, header)
        assert key in keys, f"{path.name} names a constraint shapes/ does not have: {header.constraint}"
        assert header.path == keys[key], f"{path.name}: path {header.path}, but the constraint's is {keys[key]}"
        covered.setdefault(key, []).append(path.name)
    missing = sorted(" ".join(curie(k) for k in key) for key in keys.keys() - covered.keys())
    assert not missing, "constraints without a break fixture:\n" + "\n".join(missing)
    pairs = {(k[1], p) for k, p in keys.items()}
    assert pairs <= {(read_header(p).shape, read_header(p).path) for p in BREAKS}


# ---------------------------------------------------------------------------- the named-graph check

TRIG = """
@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix graph: <https://w3id.org/cskg/graph/> .
@prefix cskgid: <https://w3id.org/cskg/id/> .
graph:described { graph:described a cskg:SourceGraph ; prov:wasDerivedFrom cskgid:source\\/a . }
graph:bare { cskgid:x a cskg:Council . }
graph:typed-only { graph:typed-only a cskg:SourceGraph . }
graph:described-elsewhere { cskgid:y a cskg:Council . }
graph:described { graph:described-elsewhere a cskg:SourceGraph ; prov:wasDerivedFrom cskgid:source\\/b . }
<https://w3id.org/cskg/def> { cskg:Council a <http://www.w3.org/2002/07/owl#Class> . }
"""
EXPECTED_GRAPHS = [
    "https://w3id.org/cskg/graph/bare",
    "https://w3id.org/cskg/graph/described-elsewhere",
    "https://w3id.org/cskg/graph/typed-only",
]


def check_query() -> str:
    return (CHECKS / "graph-without-source-violation.rq").read_text()


def test_graph_check_has_a_header() -> None:
    lines = check_query().splitlines()
    assert lines[0].startswith("# title: ")
    assert any(line.startswith("# description: ") for line in lines[:5])


def test_graph_check_finds_graphs_without_a_source_rdflib() -> None:
    dataset = Dataset()
    dataset.parse(data=TRIG, format="trig")
    rows = list(dataset.query(check_query()))
    assert sorted(str(row[0]) for row in rows) == EXPECTED_GRAPHS
    assert all(isinstance(row[1], Literal) and str(row[0]) in str(row[1]) for row in rows)


def test_graph_check_finds_graphs_without_a_source_oxigraph() -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    store = pyoxigraph.Store()
    store.load(TRIG.encode(), format=pyoxigraph.RdfFormat.TRIG)
    rows = list(store.query(check_query()))
    assert sorted(row["graph"].value for row in rows) == EXPECTED_GRAPHS


def test_shape_graph_nodes_are_not_blank_at_the_top() -> None:
    # Every node shape and SPARQL constraint a report can name is an IRI, so reports are readable.
    g = shapes_graph()
    assert not [s for s in g.subjects(RDF.type, SH.NodeShape) if isinstance(s, BNode)]


# ---------------------------------------------------------------------------- (e) two engines agree


@pytest.mark.parametrize("path", [FIXTURES / "valid-base.ttl", *BREAKS], ids=lambda p: p.stem)
def test_cskg_engine_gives_pyshacls_results(path: Path) -> None:
    """cskg runs SPARQL constraints in Oxigraph; every result must be pySHACL's own."""
    from cskg.validation import validate as cskg_validate

    merged = Graph()
    merged += Graph().parse(path)
    merged += ontology()
    _, report = validate(Graph().parse(path), shapes_graph())
    expected = {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultMessage)))
                for r in top_results(report)}
    found = {(r.focus_node, r.message) for r in cskg_validate(merged, shapes_graph()).results}
    assert found == expected


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ttl")), ids=lambda p: p.stem)
def test_sparql_constraints_once_a_node_or_once_for_all_agree(path: Path) -> None:
    """``cskg.constraints.evaluate`` pre-binds $this for a few nodes and runs each query once over
    the whole graph for many; both ways give the same results on every fixture."""
    import pyoxigraph as ox

    from cskg.constraints import evaluate, split

    data = Graph().parse(path)
    data += ontology()
    _, constraints = split(shapes_graph())
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    per_node = evaluate(constraints, shapes_graph(), data, store, whole_graph_from=10**9)
    whole = evaluate(constraints, shapes_graph(), data, store, whole_graph_from=0)
    assert sorted(map(repr, whole)) == sorted(map(repr, per_node))
