"""The graph as a network of entities, for networkx: paths, neighbourhoods, centrality.

The projection is this project's own; every algorithm is networkx's.

Nodes are entities: IRIs typed in a source graph with a class other than the
ones listed in ``NOT_ENTITIES`` (SKOS concepts, time intervals and instants,
regions, inferred-statement marks, the graphs' own descriptions). Edges are the
statements between two entities, one per distinct (subject, property, object),
carrying the property and every source that states it. Literals never become
nodes: they, concept values (a grade, a focus), time spans and regions become
node attributes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pyoxigraph as ox

from cskg.errors import InputError
from cskg.labels import curie, labels, normalise
from cskg.prefixes import PREFIXES
from cskg.entities import source_labels
from cskg.store import GraphStore

RDF_TYPE = PREFIXES["rdf"] + "type"
NOT_ENTITIES = {
    PREFIXES["skos"] + "Concept",
    PREFIXES["skos"] + "ConceptScheme",
    PREFIXES["skos"] + "OrderedCollection",
    PREFIXES["time"] + "Interval",
    PREFIXES["time"] + "Instant",
    PREFIXES["cskg"] + "Region",
    PREFIXES["cskg"] + "InferredStatement",
    PREFIXES["cskg"] + "SourceGraph",
    # the ranked list entries; the direct cskg:statisticalNeighbour edges stay
    PREFIXES["cskg"] + "StatisticalNeighbour",
    PREFIXES["prov"] + "Activity",
}
_BEGIN = PREFIXES["time"] + "hasBeginning"
_END = PREFIXES["time"] + "hasEnd"
_DURING = {PREFIXES["org"] + "memberDuring", PREFIXES["cskg"] + "activeDuring"}
_INSTANT_VALUES = {PREFIXES["time"] + n for n in ("inXSDDate", "inXSDgYearMonth", "inXSDgYear")}


@dataclass
class Projection:
    """A networkx MultiDiGraph of entities, and the labels used to write about it."""

    graph: nx.MultiDiGraph
    predicate_labels: dict[str, str]

    def undirected(self) -> nx.Graph:
        """One undirected edge per connected pair (for paths, centrality, communities)."""
        simple = nx.Graph()
        simple.add_nodes_from(self.graph.nodes(data=True))
        simple.add_edges_from((u, v) for u, v in self.graph.edges())
        return simple


def _value(term: Any) -> Any:
    """A literal as a Python value for attributes: numbers and booleans typed, the rest text."""
    datatype = term.datatype.value.rsplit("#", 1)[-1] if term.datatype is not None else ""
    if datatype in {"integer", "positiveInteger", "nonNegativeInteger", "int"}:
        return int(term.value)
    if datatype == "boolean":
        return term.value == "true"
    if datatype in {"decimal", "double", "float"}:
        return float(term.value)
    return term.value


def project(store: GraphStore) -> Projection:
    """Project the store's source graphs into networkx (see the module docstring)."""
    data_graphs = set(store.data_graphs())
    sources = source_labels(store)
    quads = [q for q in store.ox.quads_for_pattern(None, None, None, None)
             if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in data_graphs]
    types: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        if q.predicate.value == RDF_TYPE and isinstance(q.subject, ox.NamedNode):
            types[q.subject.value].add(q.object.value)
    entities = {s for s, ts in types.items() if ts - NOT_ENTITIES}
    intervals = _intervals(quads)

    graph = nx.MultiDiGraph()
    edge_sources: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    attributes: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    resources_to_label: set[str] = set(entities)
    for q in quads:
        s, p, o = q.subject.value, q.predicate.value, q.object
        if s not in entities or p == RDF_TYPE:
            continue
        if isinstance(o, ox.NamedNode) and o.value in entities:
            edge_sources[(s, p, o.value)].add(sources.get(q.graph_name.value, q.graph_name.value))
        elif isinstance(o, ox.Literal):
            attributes[s][p].add(_value(o))
        elif isinstance(o, ox.NamedNode) and p in _DURING and o.value in intervals:
            start, end = intervals[o.value]
            if start:
                attributes[s]["from"].add(start)
            if end:
                attributes[s]["to"].add(end)
        elif isinstance(o, ox.NamedNode):
            attributes[s][p].add(("iri", o.value))
            resources_to_label.add(o.value)
    predicates = {p for _, p, _ in edge_sources} | {
        p for a in attributes.values() for p in a if p not in ("from", "to")
    }
    names = labels(store, resources_to_label | predicates | {t for ts in types.values() for t in ts})
    for node in sorted(entities):
        node_types = sorted(types[node] - NOT_ENTITIES)
        data: dict[str, Any] = {
            "label": names.get(node, curie(node)),
            "type": names.get(_most_specific(node_types), curie(_most_specific(node_types))),
            "types": "; ".join(curie(t) for t in node_types),
        }
        for prop, values in sorted(attributes[node].items()):
            key = prop if prop in ("from", "to") else _attribute_key(prop)
            shown = sorted(names.get(v[1], curie(v[1])) if isinstance(v, tuple) else v for v in values)
            data[key] = shown[0] if len(shown) == 1 else "; ".join(str(v) for v in shown)
        graph.add_node(node, **data)
    for (s, p, o), found in sorted(edge_sources.items()):
        graph.add_edge(
            s, o, key=p, predicate=curie(p), label=names.get(p, curie(p)),
            sources="; ".join(sorted(found)),
        )
    return Projection(graph, {p: names.get(p, curie(p)) for p in predicates})


def _most_specific(types: list[str]) -> str:
    """The project's own class where there is one (cskg:Council over org:FormalOrganization)."""
    own = [t for t in types if t.startswith(PREFIXES["cskg"])]
    return (own or types or [""])[0]


def _attribute_key(prop: str) -> str:
    """``cskg:gssCode`` -> ``gssCode``; ``rdfs:label`` -> ``rdfs_label`` (keys are names)."""
    short = curie(prop)
    return short.split(":", 1)[1] if short.startswith("cskg:") else short.replace(":", "_")


def _intervals(quads: Iterable[ox.Quad]) -> dict[str, tuple[str, str]]:
    """Each time:Interval's (start, end) as text at the precision stated."""
    begins: dict[str, str] = {}
    ends: dict[str, str] = {}
    instants: dict[str, str] = {}
    for q in quads:
        p = q.predicate.value
        if p == _BEGIN:
            begins[q.subject.value] = q.object.value
        elif p == _END:
            ends[q.subject.value] = q.object.value
        elif p in _INSTANT_VALUES:
            instants[q.subject.value] = q.object.value
    ids = set(begins) | set(ends)
    return {i: (instants.get(begins.get(i, ""), ""), instants.get(ends.get(i, ""), "")) for i in ids}


# --- questions ---------------------------------------------------------------


@dataclass
class Hop:
    """One step of a path: the statement that links two entities, and who says so."""

    subject: str
    predicate: str
    object: str
    sources: str
    forward: bool


def _hub_weight(graph: nx.Graph) -> Any:
    """Edge cost 1 + mean log-degree of its ends: among equally short links, prefer specific ones."""

    def weight(u: str, v: str, _data: dict[str, Any]) -> float:
        return 1.0 + (math.log(graph.degree(u)) + math.log(graph.degree(v))) / 2

    return weight


def path(proj: Projection, a: str, b: str, fewest_hops: bool = False) -> list[Hop]:
    """The connection from ``a`` to ``b``, each hop with its statement and source.

    By default, among paths it prefers those avoiding hubs (an inspectorate that
    every inspection links to says little about how two councils are connected);
    ``fewest_hops`` takes a path with the fewest steps instead.
    """
    simple = proj.undirected()
    try:
        nodes = nx.shortest_path(simple, a, b, weight=None if fewest_hops else _hub_weight(simple))
    except nx.NetworkXNoPath:
        return []
    hops = []
    for u, v in zip(nodes, nodes[1:]):
        forward = proj.graph.has_edge(u, v)
        s, o = (u, v) if forward else (v, u)
        key, data = sorted(proj.graph.get_edge_data(s, o).items())[0]
        hops.append(Hop(s, data["label"], o, data["sources"], forward))
    return hops


def neighbours(
    proj: Projection, node: str, depth: int = 1, via: str | None = None
) -> list[tuple[str, int, str]]:
    """Entities within ``depth`` steps, as (node, distance, relationship that reached it)."""
    wanted = _predicate_filter(proj, via)
    seen = {node: (0, "")}
    frontier = [node]
    for distance in range(1, depth + 1):
        nxt = []
        for u in frontier:
            steps = [(v, {**d, "label": "-> " + d["label"]}) for _, v, d in proj.graph.out_edges(u, data=True)]
            steps += [(v, {**d, "label": "<- " + d["label"]}) for v, _, d in proj.graph.in_edges(u, data=True)]
            for v, data in sorted(steps, key=lambda t: (t[0], t[1]["label"])):
                if wanted is not None and data["predicate"] not in wanted:
                    continue
                if v not in seen:
                    seen[v] = (distance, data["label"])
                    nxt.append(v)
        frontier = nxt
    del seen[node]
    return sorted(((n, d, rel) for n, (d, rel) in seen.items()),
                  key=lambda t: (t[1], proj.graph.nodes[t[0]]["label"]))


def _predicate_filter(proj: Projection, via: str | None) -> set[str] | None:
    """The predicates (as CURIEs) a ``--via`` name stands for: a CURIE, or a label."""
    if via is None:
        return None
    wanted = normalise(via)
    found = {curie(p) for p, lbl in proj.predicate_labels.items()
             if normalise(lbl) == wanted or curie(p) == via or normalise(curie(p).split(":")[-1]) == wanted}
    if not found:
        options = sorted({lbl for p, lbl in proj.predicate_labels.items()
                          if proj.graph.number_of_edges() and any(
                              d["predicate"] == curie(p) for *_, d in proj.graph.edges(data=True))})
        raise InputError(f"--via {via!r} is no relationship of the graph", "one of: " + ", ".join(options))
    return found


MEASURES = ("degree", "betweenness", "pagerank")


#: Exact betweenness up to this many nodes; beyond, it is estimated from sampled sources.
EXACT_BETWEENNESS_UP_TO = 5000
BETWEENNESS_SAMPLES = 300


@dataclass(frozen=True)
class Estimate:
    """How an estimated measure was made, and how far it may be from the exact one."""

    samples: int
    nodes: int
    error: float  # each normalised score is within this of the exact one ...
    confidence: float  # ... with this probability

    def note(self) -> str:
        return (f"betweenness estimated from {self.samples:,} of {self.nodes:,} source nodes "
                f"(seed 1): each score is within {self.error:.3f} of the exact one with "
                f"probability {self.confidence:.0%} (Hoeffding bound); --samples 0 for exact")


def betweenness_error(nodes: int, samples: int, confidence: float = 0.95) -> float:
    """Hoeffding bound on the error of sampled normalised betweenness, for every node at once."""
    return math.sqrt(math.log(2 * nodes / (1 - confidence)) / (2 * samples))


def centrality(proj: Projection, measure: str = "degree", node_type: str | None = None,
               top: int = 10, samples: int | None = None) -> list[tuple[str, float]]:
    """The ``top`` entities by a networkx centrality measure, optionally of one type."""
    return ranked_centrality(proj, measure, node_type, top, samples)[0]


def ranked_centrality(proj: Projection, measure: str = "degree", node_type: str | None = None,
                      top: int = 10, samples: int | None = None
                      ) -> tuple[list[tuple[str, float]], Estimate | None]:
    """``centrality``, and how the scores were estimated when they were.

    Betweenness is exact up to ``EXACT_BETWEENNESS_UP_TO`` nodes and estimated
    from ``samples`` sampled source nodes beyond (``samples=0``: always exact).
    """
    simple = proj.undirected()
    estimate = None
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        n = simple.number_of_nodes()
        k = samples if samples is not None else (
            0 if n <= EXACT_BETWEENNESS_UP_TO else BETWEENNESS_SAMPLES)
        if 0 < k < n:
            scores = nx.betweenness_centrality(simple, k=k, seed=1)
            estimate = Estimate(k, n, betweenness_error(n, k), 0.95)
        else:
            scores = nx.betweenness_centrality(simple)
    elif measure == "pagerank":
        scores = nx.pagerank(simple)
    else:
        raise InputError(f"unknown measure {measure!r}", "one of: " + ", ".join(MEASURES))
    chosen = _of_type(proj, node_type)
    ranked = sorted(((n, s) for n, s in scores.items() if n in chosen),
                    key=lambda t: (-t[1], proj.graph.nodes[t[0]]["label"], t[0]))
    return ranked[:top], estimate


def _of_type(proj: Projection, node_type: str | None) -> set[str]:
    if node_type is None:
        return set(proj.graph.nodes)
    wanted = normalise(node_type)
    chosen = {n for n, d in proj.graph.nodes(data=True)
              if normalise(d["type"]) == wanted
              or wanted in {normalise(t.split(":")[-1]) for t in d["types"].split("; ")}}
    if not chosen:
        types = sorted({d["type"] for _, d in proj.graph.nodes(data=True)})
        raise InputError(f"no entity of type {node_type!r}", "types: " + ", ".join(types))
    return chosen


def communities(proj: Projection) -> list[list[str]]:
    """Communities by greedy modularity (deterministic), largest first."""
    found = nx.community.greedy_modularity_communities(proj.undirected())
    return _ordered(proj, found)


def components(proj: Projection) -> list[list[str]]:
    """Connected components, largest first."""
    return _ordered(proj, nx.connected_components(proj.undirected()))


def _ordered(proj: Projection, groups: Iterable[Iterable[str]]) -> list[list[str]]:
    label = lambda n: proj.graph.nodes[n]["label"]  # noqa: E731
    # the IRI breaks ties: sets come in a different order in every process
    listed = [sorted(g, key=lambda n: (-proj.graph.degree(n), label(n), n)) for g in groups]
    return sorted(listed, key=lambda g: (-len(g), label(g[0]), g[0]))
