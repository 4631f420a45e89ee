"""``cskg export``: every format read back by an independent reader, counts and labels checked
against the store with SPARQL, and the same graph always exported to the same bytes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import igraph
import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from cskg import network
from cskg.namespaces import PREFIXES
from cskg.store import GraphStore
from conftest import Run
from tools import require_executable

FORMATS = ["graphml", "gexf", "cytoscape", "dot", "csv", "jsonld", "turtle"]
EXCLUDED = ", ".join(f"<{t}>" for t in sorted(network.NOT_ENTITIES))
ENTITIES = f"""SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a ?t }}
    FILTER(isIRI(?s) && STRSTARTS(STR(?g), "{PREFIXES['graph']}") && ?t NOT IN ({EXCLUDED})) }}"""
LINKS = f"""SELECT DISTINCT ?s ?p ?o WHERE {{
    GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{PREFIXES['graph']}") && isIRI(?o)
    && ?p != rdf:type) }}"""


@pytest.fixture(scope="module")
def truth(built_store: GraphStore) -> dict[str, object]:
    """Entities, their labels and the entity-to-entity links, straight from the store."""
    entities = {r["s"].value for r in built_store.query(ENTITIES)}
    links = {(r["s"].value, r["p"].value, r["o"].value) for r in built_store.query(LINKS)
             if r["s"].value in entities and r["o"].value in entities}
    names: dict[str, set[str]] = {}
    for r in built_store.query("SELECT ?s ?l WHERE { ?s rdfs:label ?l }"):
        names.setdefault(r["s"].value, set()).add(r["l"].value)
    return {"entities": entities, "links": links, "labels": names}


def export(cskg: Callable[..., Run], project: Path, fmt: str, *args: str,
           name: str = "out") -> dict[str, bytes]:
    target = project / f"{name}.{fmt}"
    run = cskg("export", "--format", fmt, *args, "--output", str(target))
    assert run.code == 0, run.err
    if fmt == "csv":
        return {s: (project / f"{name}{s}").read_bytes() for s in (".nodes.csv", ".edges.csv")}
    return {"": target.read_bytes()}


def check_labels(truth: dict[str, object], pairs: list[tuple[str, str]]) -> None:
    names = truth["labels"]
    for node, label in pairs:
        assert label in names.get(node, {label}), (node, label)  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- each format, read back


def test_graphml_read_by_networkx_and_igraph(cskg, project: Path, truth) -> None:
    data = export(cskg, project, "graphml")[""]
    graph = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert set(graph.nodes) == truth["entities"]
    assert graph.number_of_edges() == len(truth["links"])
    check_labels(truth, [(n, d["label"]) for n, d in graph.nodes(data=True)])
    counts = nx.get_node_attributes(graph, "visitOrdinal")
    assert counts and all(isinstance(v, int) for v in counts.values()), "typed keys: ints are ints"
    path = project / "out.graphml"
    other = igraph.Graph.Read_GraphML(str(path))
    assert other.vcount() == len(truth["entities"]) and other.ecount() == len(truth["links"])
    assert set(other.vs["id"]) == truth["entities"]
    assert set(other.vs["label"]) == {d["label"] for _, d in graph.nodes(data=True)}


def test_gexf_read_by_networkx_with_colours(cskg, project: Path, truth) -> None:
    data = export(cskg, project, "gexf")[""]
    graph = nx.read_gexf(io.BytesIO(data))
    assert set(graph.nodes) == truth["entities"]
    assert graph.number_of_edges() == len(truth["links"])
    check_labels(truth, [(n, d["label"]) for n, d in graph.nodes(data=True)])
    by_type: dict[str, set[tuple]] = {}
    for _, d in graph.nodes(data=True):
        by_type.setdefault(d["type"], set()).add(tuple(sorted(d["viz"]["color"].items())))
    assert all(len(c) == 1 for c in by_type.values()), "one colour per type"
    assert len({next(iter(c)) for c in by_type.values()}) > 3


def test_dot_rendered_by_graphviz(cskg, project: Path, truth) -> None:
    dot = require_executable("dot", "graphviz")
    export(cskg, project, "dot")
    done = subprocess.run([dot, "-Tsvg", str(project / "out.dot")], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    svg = done.stdout
    assert svg.count('class="node"') == len(truth["entities"])
    assert svg.count('class="edge"') == len(truth["links"])
    assert ">Westminster</text>" in svg


def test_cytoscape_elements(cskg, project: Path, truth) -> None:
    body = json.loads(export(cskg, project, "cytoscape")[""])
    nodes, edges = body["elements"]["nodes"], body["elements"]["edges"]
    assert {n["data"]["id"] for n in nodes} == truth["entities"]
    assert {(e["data"]["source"], e["data"]["target"]) for e in edges} == {
        (s, o) for s, _, o in truth["links"]}
    assert len(edges) == len(truth["links"])
    assert all(e["data"]["sources"] for e in edges)
    check_labels(truth, [(n["data"]["id"], n["data"]["label"]) for n in nodes])


def test_csv_nodes_and_edges(cskg, project: Path, truth) -> None:
    files = export(cskg, project, "csv")
    nodes = list(csv.DictReader(io.StringIO(files[".nodes.csv"].decode())))
    edges = list(csv.DictReader(io.StringIO(files[".edges.csv"].decode())))
    assert {n["Id"] for n in nodes} == truth["entities"]
    assert len(edges) == len(truth["links"])
    assert {(e["Source"], e["Target"]) for e in edges} == {(s, o) for s, _, o in truth["links"]}
    assert all(e["From"] == e["Source"] and e["To"] == e["Target"] for e in edges)
    check_labels(truth, [(n["Id"], n["Label"]) for n in nodes])


def test_jsonld_and_turtle_are_the_same_rdf(cskg, project: Path, built_store: GraphStore,
                                            truth) -> None:
    jsonld = Graph().parse(data=export(cskg, project, "jsonld")[""], format="json-ld")
    turtle = Graph().parse(data=export(cskg, project, "turtle")[""], format="turtle")
    assert len(jsonld) > 1000 and isomorphic(jsonld, turtle)
    subjects = {str(s) for s in turtle.subjects()}
    assert truth["entities"] <= subjects
    # every statement the store makes about a council is there
    for r in built_store.query("SELECT DISTINCT ?c ?p ?o WHERE { GRAPH ?g { ?c a cskg:Council ; ?p ?o } "
                               "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/cskg/graph/')) }"):
        assert any(str(p) == r["p"].value for p in turtle.predicates(
            subject=next(s for s in turtle.subjects() if str(s) == r["c"].value)))


def test_jsonld_writes_every_kind_of_term_that_rdflib_reads_back() -> None:
    """Blank nodes, language tags, datatypes, several types and values, a literal rdf:type,
    IRIs under and outside the prefixes: what rdflib's JSON-LD parser reads is what was given."""
    import pyoxigraph as ox

    from cskg.export import EXPORTERS
    from cskg.export.model import ExportGraph

    cskg_ns, xsd = PREFIXES["cskg"], "http://www.w3.org/2001/XMLSchema#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    a, b = ox.NamedNode(PREFIXES["cskgid"] + "council/E1"), ox.BlankNode("span1")
    triples = [
        ox.Triple(a, rdf_type, ox.NamedNode(cskg_ns + "Council")),
        ox.Triple(a, rdf_type, ox.NamedNode("http://example.org/Other")),
        ox.Triple(a, rdf_type, ox.Literal("not a class")),
        ox.Triple(a, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("Ashbury")),
        ox.Triple(a, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("Ashbury", language="en")),
        ox.Triple(a, ox.NamedNode(cskg_ns + "count"), ox.Literal("3", datatype=ox.NamedNode(xsd + "integer"))),
        ox.Triple(a, ox.NamedNode(cskg_ns + "month"), ox.Literal("2024-05", datatype=ox.NamedNode(xsd + "gYearMonth"))),
        ox.Triple(a, ox.NamedNode("http://example.org/p"), b),
        ox.Triple(b, ox.NamedNode(cskg_ns + "note"), ox.Literal('say "hi"\nthen ünïcode')),
        ox.Triple(b, ox.NamedNode(cskg_ns + "odd"), ox.Literal("x", datatype=ox.NamedNode("http://example.org/dt"))),
    ]
    text = EXPORTERS["jsonld"].export(ExportGraph("t", [], [], {}, triples=triples))[".jsonld"]
    back = Graph().parse(data=text, format="json-ld")
    given = Graph().parse(data=bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)), format="nt")
    assert len(back) == len(triples) and isomorphic(back, given)
    body = json.loads(text)
    council = next(n for n in body["@graph"] if n["@id"] == a.value)
    assert council["@type"] == ["cskg:Council", "http://example.org/Other"]  # compacted where a prefix fits
    assert council["cskg:month"] == {"@type": "xsd:gYearMonth", "@value": "2024-05"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_graph_exports_to_the_same_bytes(cskg, project: Path, fmt: str) -> None:
    first = export(cskg, project, fmt, "--around", "Westminster", "--depth", "2", name="a")
    second = export(cskg, project, fmt, "--around", "Westminster", "--depth", "2", name="b")
    assert first == second


def test_ids_are_unique_and_never_literals(cskg, project: Path) -> None:
    graph = nx.read_graphml(io.BytesIO(export(cskg, project, "graphml")[""]), force_multigraph=True)
    assert all(n.startswith(PREFIXES["cskgid"]) for n in graph.nodes)
    text = (project / "out.graphml").read_text()
    keys = [line.split('id="')[1].split('"')[0] for line in text.splitlines() if "<key " in line]
    assert len(keys) == len(set(keys))


# ---------------------------------------------------------------------------- parts of the graph


def test_around_an_entity(cskg, project: Path, truth) -> None:
    westminster = PREFIXES["cskgid"] + "council/E09000033"
    linked = {o for s, _, o in truth["links"] if s == westminster} | {
        s for s, _, o in truth["links"] if o == westminster}
    body = json.loads(export(cskg, project, "cytoscape", "--around", "Westminster")[""])
    assert {n["data"]["id"] for n in body["elements"]["nodes"]} == linked | {westminster}
    expected_edges = {(s, o) for s, _, o in truth["links"] if {s, o} <= linked | {westminster}}
    assert {(e["data"]["source"], e["data"]["target"]) for e in body["elements"]["edges"]} == \
        expected_edges


def test_entities_of_a_type(cskg, project: Path, built_store: GraphStore) -> None:
    councils = {r["c"].value for r in built_store.query(
        "SELECT DISTINCT ?c WHERE { ?c a cskg:Council }")}
    body = json.loads(export(cskg, project, "cytoscape", "--type", "council")[""])
    assert {n["data"]["id"] for n in body["elements"]["nodes"]} == councils
    both = json.loads(export(cskg, project, "cytoscape", "--type", "cskg:Council",
                             "--type", "Partnership")[""])
    assert len(both["elements"]["nodes"]) > len(councils)


def test_a_named_construct_query(cskg, project: Path, built_store: GraphStore, truth) -> None:
    kinds = "VALUES ?k { cskg:Partnership cskg:MultiAgencySafeguardingHub }"
    expected = set()
    for pattern in ("?x a ?k .", "?p a ?k . ?x org:organization ?p .",
                    "?p a ?k . ?m org:organization ?p ; org:member ?x .",
                    "?p a ?k . ?x cskg:sharedBy ?p .", "?p a ?k . ?p org:subOrganizationOf ?x ."):
        expected |= {r["x"].value for r in
                     built_store.query(f"SELECT DISTINCT ?x WHERE {{ {kinds} {pattern} }}")}
    expected &= truth["entities"]
    assert len(expected) > 10
    body = json.loads(export(cskg, project, "cytoscape", "--query", "partnership-map")[""])
    assert {n["data"]["id"] for n in body["elements"]["nodes"]} == expected
    assert all(e["data"]["label"] in ("organization", "member", "shared by", "sub-organization of")
               for e in body["elements"]["edges"])


# ---------------------------------------------------------------------------- bad requests


@pytest.mark.parametrize("args,message", [
    (["--format", "pdf"], "unknown export format 'pdf'"),
    (["--format", "dot", "--around", "Nowhereshire"], "no entity is called 'Nowhereshire'"),
    (["--format", "dot", "--query", "latest-grades"], "needs a CONSTRUCT or DESCRIBE query"),
    (["--format", "dot", "--around", "Bolton", "--type", "council"], "choose one of"),
    (["--format", "dot", "--param", "a=b"], "--param goes with --query"),
    (["--format", "dot", "--type", "Nonsense"], "no class is called 'Nonsense'"),
    (["--format", "dot", "-o", "no/such/dir/x.dot"], "no such directory"),
])
def test_bad_requests_are_usage_errors(cskg, args: list[str], message: str) -> None:
    run = cskg("export", *args)
    assert run.code == 2
    assert message in run.err
    assert "Traceback" not in run.err
