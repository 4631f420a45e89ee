"""The networkx projection and the network questions, on the seed graph."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cskg import network
from cskg.errors import InputError
from cskg.labels import resolve
from cskg.namespaces import PREFIXES
from cskg.store import GraphStore
from conftest import Run

ARTICLE_2019 = "Inspectors praise quality of support at former tri-borough children services"
EXCLUDED = ", ".join(f"<{t}>" for t in sorted(network.NOT_ENTITIES))
ENTITY = f"""EXISTS {{ GRAPH ?g{{n}} {{ ?{{v}} a ?t{{n}} }}
    FILTER(STRSTARTS(STR(?g{{n}}), "{PREFIXES['graph']}") && ?t{{n}} NOT IN ({EXCLUDED})) }}"""


@pytest.fixture(scope="module")
def proj(built_store: GraphStore) -> network.Projection:
    return network.project(built_store)


def test_no_literal_ever_becomes_a_node(proj: network.Projection, built_store: GraphStore) -> None:
    assert proj.graph.number_of_nodes() > 0
    for node, data in proj.graph.nodes(data=True):
        assert node.startswith("https://w3id.org/cskg/id/"), node
        assert data["label"] and data["type"]


def test_edges_are_exactly_the_entity_to_entity_statements(
    proj: network.Projection, built_store: GraphStore
) -> None:
    sparql = f"""SELECT (COUNT(*) AS ?n) WHERE {{
      SELECT DISTINCT ?s ?p ?o WHERE {{
        GRAPH ?g {{ ?s ?p ?o }}
        FILTER(STRSTARTS(STR(?g), "{PREFIXES['graph']}") && isIRI(?o) && ?p != rdf:type)
        FILTER {ENTITY.replace('{n}', '1').replace('{v}', 's')}
        FILTER {ENTITY.replace('{n}', '2').replace('{v}', 'o')}
      }} }}"""
    expected = int(next(iter(built_store.query(sparql)))["n"].value)
    assert expected > 100
    assert proj.graph.number_of_edges() == expected


def test_nodes_are_exactly_the_entities(proj: network.Projection, built_store: GraphStore) -> None:
    sparql = f"""SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a ?t }}
        FILTER(isIRI(?s)) FILTER {ENTITY.replace('{n}', '1').replace('{v}', 's')} }}"""
    assert {r["s"].value for r in built_store.query(sparql)} == set(proj.graph.nodes)


def test_literals_and_concepts_are_attributes(proj: network.Projection, built_store: GraphStore) -> None:
    westminster = proj.graph.nodes[resolve(built_store, "Westminster")]
    assert (westminster["gssCode"], westminster["region"], westminster["type"]) == (
        "E09000033", "London", "council"
    )
    visit = proj.graph.nodes[PREFIXES["cskgid"] + "event/E09000006/monitoring-visit/2018-03"]
    assert (visit["visitOrdinal"], visit["focus"], visit["fieldworkStart"]) == (6, "early help", "2018-03")
    membership = proj.graph.nodes[PREFIXES["cskgid"] + "partnership/tri-borough/member/E09000013/2019-10-16-former-tri-borough-childrens-services"]
    assert membership["from"] == "2011" and "to" not in membership


def test_path_between_westminster_and_hammersmith_goes_through_what_they_share(
    proj: network.Projection, built_store: GraphStore
) -> None:
    a, b = resolve(built_store, "Westminster"), resolve(built_store, "Hammersmith and Fulham")
    hops = network.path(proj, a, b)
    middle = {h.object for h in hops} | {h.subject for h in hops}
    shared = {PREFIXES["cskgid"] + "partnership/tri-borough",
              PREFIXES["cskgid"] + "partnership/tri-borough-multi-agency-safeguarding-hub"}
    assert middle & shared
    assert all(h.sources == ARTICLE_2019 for h in hops)
    assert {h.predicate for h in hops} == {"member", "organization"}
    fewest = network.path(proj, a, b, fewest_hops=True)
    assert len(fewest) <= len(hops)


def test_path_from_the_command_line_cites_the_2019_article(cskg: Callable[..., Run]) -> None:
    run = cskg("network", "path", "Westminster", "Hammersmith and Fulham")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0] == "Westminster -> Hammersmith and Fulham: 4 steps"
    assert "tri-borough" in run.out.lower()
    assert f"source: {ARTICLE_2019}" in run.out


def test_neighbours_by_depth_and_relationship(proj: network.Projection, built_store: GraphStore) -> None:
    bolton = resolve(built_store, "Bolton")
    near = network.neighbours(proj, bolton, depth=1, via="inspected authority")
    assert [n.rsplit("/", 1)[-1] for n, d, _ in near] == ["2014", "2018-04"]
    assert all(d == 1 and rel == "<- inspected authority" for _, d, rel in near)
    wider = network.neighbours(proj, bolton, depth=2)
    assert {n for n, _, _ in near} < {n for n, _, _ in wider}
    assert max(d for _, d, _ in wider) == 2
    with pytest.raises(InputError, match="no relationship"):
        network.neighbours(proj, bolton, via="married to")


@pytest.mark.parametrize("measure", network.MEASURES)
def test_centrality_of_councils(proj: network.Projection, measure: str) -> None:
    ranked = network.centrality(proj, measure=measure, node_type="council", top=3)
    assert len(ranked) == 3
    assert all(proj.graph.nodes[n]["type"] == "council" for n, _ in ranked)
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_degree_centrality_counts_neighbours(proj: network.Projection) -> None:
    (top, score), = network.centrality(proj, measure="degree", top=1)
    simple = proj.undirected()
    assert score == pytest.approx(simple.degree(top) / (simple.number_of_nodes() - 1))


def test_components_and_communities_partition_the_nodes(proj: network.Projection) -> None:
    for groups in (network.components(proj), network.communities(proj)):
        members = [n for g in groups for n in g]
        assert sorted(members) == sorted(proj.graph.nodes)
        assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)


def test_unknown_type_lists_the_types(proj: network.Projection) -> None:
    with pytest.raises(InputError) as caught:
        network.centrality(proj, node_type="spaceship")
    assert "council" in (caught.value.hint or "")


def test_sampled_betweenness_is_within_its_stated_error(proj: network.Projection) -> None:
    import networkx as nx

    exact = nx.betweenness_centrality(proj.undirected())
    estimated, estimate = network.ranked_centrality(proj, "betweenness", top=10**6, samples=40)
    assert estimate is not None and estimate.samples == 40
    assert estimate.error == network.betweenness_error(proj.graph.number_of_nodes(), 40)
    assert all(abs(score - exact[node]) <= estimate.error for node, score in estimated)
    _, none = network.ranked_centrality(proj, "betweenness", samples=0)
    assert none is None


def test_the_command_says_when_betweenness_is_estimated(cskg: Callable[..., Run]) -> None:
    run = cskg("network", "centrality", "--measure", "betweenness", "--samples", "30")
    assert run.code == 0, run.err
    assert "betweenness estimated from 30 of" in run.err and "probability 95%" in run.err
    exact = cskg("network", "centrality", "--measure", "betweenness")
    assert "estimated" not in exact.err
