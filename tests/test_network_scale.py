"""The network's fast paths against networkx's own computations and a plain reading of the store.

``cskg network`` reads the store in a few bulk queries, loads labels and attributes when
first asked for, and hands large graphs to igraph (sampled and exact betweenness, PageRank,
components) or to its own greedy modularity. Here each is checked against what it
replaces: the projection against a statement-by-statement reading (the way it was first
written), every measure against networkx on the same graph. A generated project
(benchmarks/generate.py, about 6,000 triples, loaded in memory as in test_generator.py)
is big enough once the betweenness threshold is lowered by its parameter.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import pickle
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from cskg import network
from cskg.entities import source_labels
from cskg.labels import curie, labels
from cskg.project import Project
from cskg.store import GraphStore, parse_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """A generated project of about 6,000 triples, in an in-memory store."""
    spec = importlib.util.spec_from_file_location("cskg_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    out = tmp_path_factory.mktemp("generated") / "project"
    gen.generate(6000, seed=3, out=out, years=range(2014, 2020))
    project = Project(out)
    mem = ox.Store()
    manifest: dict[str, Any] = {"files": {}}
    for path in project.source_files():
        graph = project.graph_iri_for(path)
        mem.extend(parse_file(path, project.rel(path), default_graph=graph).quads_for_pattern(None, None, None, None))
        manifest["files"][project.rel(path)] = {"graphs": [graph]}
    return GraphStore(project, mem, manifest, open(os.devnull))


@pytest.fixture(scope="module")
def proj(generated: GraphStore) -> network.Projection:
    return network.project(generated)


# --- the projection ------------------------------------------------------------------


def statement_by_statement(store: GraphStore) -> tuple[nx.MultiDiGraph, dict[str, str]]:
    """The projection as it was first written: every quad read as Python terms."""
    data_graphs = set(store.data_graphs())
    sources = source_labels(store)
    quads = [q for q in store.ox.quads_for_pattern(None, None, None, None)
             if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in data_graphs]
    types: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        if q.predicate.value == network.RDF_TYPE and isinstance(q.subject, ox.NamedNode):
            types[q.subject.value].add(q.object.value)
    entities = {s for s, ts in types.items() if ts - network.NOT_ENTITIES}
    begins, ends, instants = {}, {}, {}
    for q in quads:
        p = q.predicate.value
        if p == network._BEGIN:
            begins[q.subject.value] = q.object.value
        elif p == network._END:
            ends[q.subject.value] = q.object.value
        elif p in network._INSTANT_VALUES:
            instants[q.subject.value] = q.object.value
    intervals = {i: (instants.get(begins.get(i, ""), ""), instants.get(ends.get(i, ""), ""))
                 for i in set(begins) | set(ends)}

    def value(term: ox.Literal) -> Any:
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        if datatype in {"integer", "positiveInteger", "nonNegativeInteger", "int"}:
            return int(term.value)
        if datatype == "boolean":
            return term.value == "true"
        if datatype in {"decimal", "double", "float"}:
            return float(term.value)
        return term.value

    edge_sources: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    attributes: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    to_label = set(entities)
    for q in quads:
        s, p, o = q.subject.value, q.predicate.value, q.object
        if s not in entities or p == network.RDF_TYPE:
            continue
        if isinstance(o, ox.NamedNode) and o.value in entities:
            edge_sources[(s, p, o.value)].add(sources.get(q.graph_name.value, q.graph_name.value))
        elif isinstance(o, ox.Literal):
            attributes[s][p].add(value(o))
        elif isinstance(o, ox.NamedNode) and p in network._DURING and o.value in intervals:
            start, end = intervals[o.value]
            if start:
                attributes[s]["from"].add(start)
            if end:
                attributes[s]["to"].add(end)
        elif isinstance(o, ox.NamedNode):
            attributes[s][p].add(("iri", o.value))
            to_label.add(o.value)
    predicates = {p for _, p, _ in edge_sources} | {
        p for a in attributes.values() for p in a if p not in ("from", "to")}
    names = labels(store, to_label | predicates | {t for ts in types.values() for t in ts})
    graph = nx.MultiDiGraph()
    for node in sorted(entities):
        node_types = sorted(types[node] - network.NOT_ENTITIES)
        main = network._most_specific(node_types)
        data: dict[str, Any] = {"label": names.get(node, curie(node)), "type": names.get(main, curie(main)),
                                "types": "; ".join(curie(t) for t in node_types)}
        for prop, values in sorted(attributes[node].items()):
            key = prop if prop in ("from", "to") else network._attribute_key(prop)
            shown = sorted(names.get(v[1], curie(v[1])) if isinstance(v, tuple) else v for v in values)
            data[key] = shown[0] if len(shown) == 1 else "; ".join(str(v) for v in shown)
        graph.add_node(node, **data)
    for (s, p, o), found in sorted(edge_sources.items()):
        graph.add_edge(s, o, key=p, predicate=curie(p), label=names.get(p, curie(p)),
                       sources="; ".join(sorted(found)))
    return graph, {p: names.get(p, curie(p)) for p in predicates}


@pytest.mark.parametrize("which", ["generated", "seed"])
def test_projection_is_the_statement_by_statement_reading(
    which: str, generated: GraphStore, built_store: GraphStore
) -> None:
    store = generated if which == "generated" else built_store
    expected, predicate_labels = statement_by_statement(store)
    proj = network.project(store)
    assert expected.number_of_edges() > 100
    assert list(proj.graph.nodes) == list(expected.nodes)
    assert list(proj.graph.edges(keys=True)) == list(expected.edges(keys=True))
    # the questions first, before anything else has read every label and attribute
    assert network.centrality(proj, "degree", top=5)
    assert proj._loader is not None and not proj._loader.all_labels and proj._loader._full is None
    for node, data in expected.nodes(data=True):
        assert list(proj.graph.nodes[node].items()) == list(data.items()), node
    for u, v, key, data in expected.edges(keys=True, data=True):
        assert list(proj.graph[u][v][key].items()) == list(data.items()), (u, v, key)
    assert proj.predicate_labels == predicate_labels


def test_attributes_read_later_behave_as_a_dict(generated: GraphStore) -> None:
    """Every way of reading a whole dict reads the attributes not yet loaded first."""
    expected, _ = statement_by_statement(generated)
    node = max(expected.nodes, key=lambda n: len(expected.nodes[n]))
    reference = dict(expected.nodes[node])
    readers = [dict, lambda d: {**d}, lambda d: d.copy(), lambda d: dict(d.items()),
               lambda d: {k: d[k] for k in list(d)}, lambda d: json.loads(json.dumps(d)),
               lambda d: pickle.loads(pickle.dumps(d))]
    for read in readers:
        data = network.project(generated).graph.nodes[node]
        assert read(data) == reference
    data = network.project(generated).graph.nodes[node]
    assert data == reference and len(data) == len(reference)
    data = network.project(generated).graph.nodes[node]
    assert "label" in data and data.get("type") == reference["type"] and "nothing" not in data
    assert list(data) == list(reference)
    u, v, key = next(iter(expected.edges(keys=True)))
    edge = network.project(generated).graph[u][v][key]
    assert edge["sources"] == expected[u][v][key]["sources"]
    assert dict(network.project(generated).graph[u][v][key]) == expected[u][v][key]
    # a copy of the graph (export takes one) holds every attribute
    copied = network.project(generated).graph.subgraph([u, v]).copy()
    assert dict(copied.nodes[u]) == dict(expected.nodes[u])


def test_query_results_are_read_as_pyoxigraph_reads_them() -> None:
    """The TSV form of every kind of literal gives back the value, datatype and language."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    literals = [
        ox.Literal("plain"), ox.Literal("tab\there, newline\nthere, quote \" and back\\slash"),
        ox.Literal("control \x01 \x7f and unicode é ☃ 𝄞"), ox.Literal("Hello", language="en"),
        ox.Literal("Bonjour", language="fr-CA"), ox.Literal("7", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("-0012", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("1.50", datatype=ox.NamedNode(xsd + "decimal")),
        ox.Literal("1e3", datatype=ox.NamedNode(xsd + "double")),
        ox.Literal("2.5", datatype=ox.NamedNode(xsd + "float")),
        ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean")),
        ox.Literal("5", datatype=ox.NamedNode(xsd + "positiveInteger")),
        ox.Literal("2018-03", datatype=ox.NamedNode(xsd + "gYearMonth")),
        ox.Literal("2018-03-01", datatype=ox.NamedNode(xsd + "date")),
        ox.Literal("not a number", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("x", datatype=ox.NamedNode("https://example.org/custom")),
        ox.Literal("", language="en"), ox.Literal(""),
    ]
    store = ox.Store()
    subject = ox.NamedNode("https://example.org/s")
    for i, literal in enumerate(literals):
        store.add(ox.Quad(subject, ox.NamedNode(f"https://example.org/p{i}"), literal,
                          ox.NamedNode("https://example.org/g")))
    sparql = "SELECT ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    terms = {r["p"].value: r["o"] for r in store.query(sparql)}
    tsv = bytes(store.query(sparql).serialize(format=ox.QueryResultsFormat.TSV)).decode()
    rows = [line.split("\t") for line in tsv.split("\n")[1:] if line]
    assert len(rows) == len(literals)
    for p, raw in rows:
        term = terms[network._term_value(p)]
        assert network._literal(raw) == (term.value, term.datatype.value, term.language), raw
        assert network._term_value(raw) == term.value


# --- the measures ------------------------------------------------------------------------


def test_degree_is_networkx_degree_centrality(proj: network.Projection) -> None:
    expected = nx.degree_centrality(proj.undirected())
    ranked = network.centrality(proj, "degree", top=len(expected))
    assert dict(ranked) == expected
    assert [s for _, s in ranked] == sorted(expected.values(), reverse=True)


def test_sampled_betweenness_is_networkx_sample_and_within_its_error(proj: network.Projection) -> None:
    """Past the threshold igraph sums over the same sampled sources as networkx's estimate."""
    simple = proj.undirected()
    n = simple.number_of_nodes()
    assert n > 500
    samples = 60
    ranked, estimate = network.ranked_centrality(proj, "betweenness", top=n, samples=samples, exact_up_to=10)
    again, _ = network.ranked_centrality(proj, "betweenness", top=n, samples=samples, exact_up_to=10)
    assert ranked == again  # deterministic: seed 1
    assert estimate is not None and (estimate.samples, estimate.nodes) == (samples, n)
    assert estimate.error == network.betweenness_error(n, samples) < 1
    scores = dict(ranked)
    networkx_estimate = nx.betweenness_centrality(simple, k=samples, seed=1)
    assert all(math.isclose(scores[v], b, rel_tol=1e-9, abs_tol=1e-12) for v, b in networkx_estimate.items())
    exact = nx.betweenness_centrality(simple)
    assert max(abs(scores[v] - exact[v]) for v in exact) <= estimate.error
    # the default threshold: up to 5,000 nodes, networkx's exact values
    below, none = network.ranked_centrality(proj, "betweenness", top=n)
    assert none is None and dict(below) == exact


def test_exact_betweenness_past_the_threshold_is_networkx(proj: network.Projection) -> None:
    exact = nx.betweenness_centrality(proj.undirected())
    ranked, estimate = network.ranked_centrality(proj, "betweenness", top=len(exact), samples=0,
                                                 exact_up_to=10)
    assert estimate is None
    assert all(math.isclose(s, exact[v], rel_tol=1e-9, abs_tol=1e-12) for v, s in ranked)


def test_the_error_bound_holds_for_sampled_nodes_too() -> None:
    """A sampled node is averaged over one source fewer: the bound is taken over k - 1."""
    assert network.betweenness_error(1000, 2) == math.sqrt(math.log(2 * 1000 / 0.05) / 2)
    assert network.betweenness_error(1000, 1) == math.inf


def test_pagerank_is_networkx_pagerank(proj: network.Projection) -> None:
    expected = nx.pagerank(proj.undirected(), alpha=0.85, tol=1e-12, max_iter=1000)
    ranked = network.centrality(proj, "pagerank", top=len(expected))
    assert max(abs(s - expected[v]) for v, s in ranked) < 1e-9
    assert math.isclose(sum(s for _, s in ranked), 1.0)


def test_components_are_networkx_components(proj: network.Projection) -> None:
    found = network.components(proj)
    assert sorted(map(sorted, found)) == sorted(sorted(c) for c in nx.connected_components(proj.undirected()))
    assert [len(g) for g in found] == sorted((len(g) for g in found), reverse=True)


def _labelled(graph: nx.Graph) -> network.Projection:
    """A projection of a plain networkx graph, nodes named so that names sort unlike numbers."""
    directed = nx.MultiDiGraph()
    names = {n: f"n{n}" for n in graph}
    for n in sorted(graph, key=names.get):
        directed.add_node(names[n], label=f"node {names[n]}", type="thing", types="ex:Thing")
    for u, v in graph.edges():
        directed.add_edge(names[u], names[v], key="ex:p", predicate="ex:p", label="p", sources="")
    return network.Projection(directed, {})


TIED_GRAPHS = {
    "karate": nx.karate_club_graph(),
    "grid": nx.grid_2d_graph(7, 9),
    "caveman": nx.connected_caveman_graph(8, 5),
    "stars": nx.disjoint_union_all([nx.star_graph(k) for k in (3, 4, 4, 7)]),
    "barbell": nx.barbell_graph(6, 3),
    "regular": nx.random_regular_graph(3, 60, seed=2),
    "sparse": nx.gnm_random_graph(300, 420, seed=5),
    "hubs": nx.barabasi_albert_graph(400, 1, seed=4),
    "loops": nx.Graph([(0, 1), (1, 2), (2, 0), (2, 2), (3, 4), (4, 4), (5, 6)]),
}


@pytest.mark.parametrize("name", sorted(TIED_GRAPHS))
def test_communities_are_networkx_greedy_modularity(name: str) -> None:
    """The same partition as networkx's, on graphs where many merges tie."""
    graph = TIED_GRAPHS[name]
    graph = nx.relabel_nodes(graph, {n: i for i, n in enumerate(graph)})
    proj = _labelled(graph)
    expected = nx.community.greedy_modularity_communities(proj.undirected())
    assert sorted(map(sorted, network.communities(proj))) == sorted(map(sorted, expected))


def test_communities_of_the_generated_graph_are_networkx(proj: network.Projection) -> None:
    expected = nx.community.greedy_modularity_communities(proj.undirected())
    found = network.communities(proj)
    assert len(found) > 5
    assert sorted(map(sorted, found)) == sorted(map(sorted, expected))


def test_ranked_lists_read_only_the_labels_they_show(generated: GraphStore) -> None:
    proj = network.project(generated)
    loader = proj._loader
    assert loader is not None and not loader.labels
    ranked = network.centrality(proj, "degree", top=3)
    assert 3 <= len(loader.labels) < proj.graph.number_of_nodes() / 4
    assert all(proj.graph.nodes[n]["label"] for n, _ in ranked)
    # ties at the cut are read too, and ordered by label as before
    everything = network.centrality(network.project(generated), "degree", top=10**6)
    cut = ranked[-1][1]
    tied = [n for n, s in everything if s == cut]
    assert all(n in loader.labels for n in tied)


def test_a_random_sample_of_paths_and_neighbourhoods(proj: network.Projection, generated: GraphStore) -> None:
    """Paths and neighbourhoods read the attributes they show (sources, labels) as needed."""
    expected, _ = statement_by_statement(generated)
    nodes = sorted(expected)
    rnd = random.Random(11)
    simple = expected.to_undirected(as_view=False)
    for a, b in (rnd.sample(nodes, 2) for _ in range(5)):
        hops = network.path(proj, a, b, fewest_hops=True)
        if not nx.has_path(simple, a, b):
            assert hops == []
            continue
        assert len(hops) == nx.shortest_path_length(simple, a, b)
        for hop in hops:
            data = expected[hop.subject][hop.object]
            assert any(d["label"] == hop.predicate and d["sources"] == hop.sources for d in data.values())
    for a in rnd.sample(nodes, 5):
        near = network.neighbours(proj, a, depth=2)
        lengths = nx.single_source_shortest_path_length(simple, a, cutoff=2)
        assert {n: d for n, d, _ in near} == {n: d for n, d in lengths.items() if n != a}
        assert [(d, expected.nodes[n]["label"]) for n, d, _ in near] == sorted(
            (d, expected.nodes[n]["label"]) for n, d, _ in near)
