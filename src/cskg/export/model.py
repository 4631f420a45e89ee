"""The graph every exporter writes: the network projection (``cskg.network.project``), or a part
of it, as plain sorted records, so the same graph always gives the same bytes.

Nodes are entities (literals, concepts, time spans and regions are attributes,
never nodes); a node's id is its IRI, unique and stable. Edges are
relationships between entities, each with a readable label and its sources.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

#: Attribute value types, in the names GraphML uses.
STRING, INT, DOUBLE, BOOLEAN = "string", "int", "double", "boolean"


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    type: str  # the label of its most specific class, e.g. "council"
    types: str  # every class as CURIEs, "; "-separated
    attributes: dict[str, Any] = field(default_factory=dict)  # key attributes: gssCode, grade, ...


@dataclass(frozen=True)
class Edge:
    id: str  # stable: "e1", "e2", ... in the sorted order
    source: str
    target: str
    predicate: str  # CURIE, e.g. "cskg:inspectedAuthority"
    iri: str  # the predicate's IRI
    label: str  # readable, e.g. "inspected authority"
    sources: str  # the sources that state it, "; "-separated


@dataclass
class ExportGraph:
    """Sorted nodes and edges, with the type of every attribute key."""

    title: str
    nodes: list[Node]
    edges: list[Edge]
    attribute_types: dict[str, str]
    #: the RDF statements about the nodes (for the RDF formats), sorted
    triples: list[Any] = field(default_factory=list)

    @property
    def types(self) -> list[str]:
        """The node types present, sorted: colours and shapes are assigned in this order."""
        return sorted({n.type for n in self.nodes})


RESERVED = {"label", "type", "types"}


def from_networkx(graph: nx.MultiDiGraph, title: str, details: bool = True) -> ExportGraph:
    """The projection (or a subgraph of it) as an ``ExportGraph``; without ``details``, only
    the ids of its nodes and edges (what the RDF formats need: reading every attribute of a
    million-statement store takes seconds)."""
    nodes = []
    for node_id in sorted(graph.nodes):
        if not details:
            nodes.append(Node(node_id, node_id, "", "", {}))
            continue
        data = graph.nodes[node_id]
        attributes = {k: v for k, v in sorted(data.items()) if k not in RESERVED and v is not None}
        nodes.append(Node(node_id, str(data.get("label", node_id)), str(data.get("type", "")),
                          str(data.get("types", "")), attributes))
    if not details:
        links = sorted(graph.edges(keys=True))
        edges = [Edge(f"e{i}", u, v, k, k, k, "") for i, (u, v, k) in enumerate(links, start=1)]
        return ExportGraph(title, nodes, edges, {})
    triples = sorted((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True))
    edges = [Edge(f"e{i}", u, v, d.get("predicate", k), k, d.get("label", k), d.get("sources", ""))
             for i, (u, v, k, d) in enumerate(triples, start=1)]
    return ExportGraph(title, nodes, edges, attribute_types(nodes))


def attribute_types(nodes: list[Node]) -> dict[str, str]:
    """Each attribute key's type: int, double or boolean when every value is one, else string."""
    seen: dict[str, set[str]] = {}
    for node in nodes:
        for key, value in node.attributes.items():
            seen.setdefault(key, set()).add(_kind(value))
    types = {}
    for key, kinds in sorted(seen.items()):
        if kinds == {INT}:
            types[key] = INT
        elif kinds <= {INT, DOUBLE}:
            types[key] = DOUBLE
        elif kinds == {BOOLEAN}:
            types[key] = BOOLEAN
        else:
            types[key] = STRING
    return types


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return DOUBLE
    return STRING


def typed(value: Any, kind: str) -> Any:
    """A value as its key's type (a key typed string turns every value to text)."""
    if kind == STRING:
        return str(value).lower() if isinstance(value, bool) else str(value)
    if kind == DOUBLE:
        return float(value)
    return value


#: Colours by node type (a colour-blind-safe palette); other types take one by a stable hash.
TYPE_COLOURS = {
    "council": "#4477AA", "full inspection": "#EE6677", "monitoring visit": "#CCBB44",
    "focused visit": "#EE8866", "joint targeted area inspection": "#EE8866",
    "judgement": "#AA3377", "finding": "#228833", "claim": "#88CCAA", "person": "#66CCEE",
    "post holding": "#99DDFF", "post": "#99DDFF", "partnership": "#44BB99",
    "multi-agency safeguarding hub": "#117733", "membership": "#BBBBBB", "shared service": "#DDCC77",
    "report": "#DDDDDD", "news article": "#DDDDDD", "dataset": "#DDDDDD", "inspectorate": "#332288",
}
PALETTE = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB",
           "#EE8866", "#44BB99", "#99DDFF", "#FFAABB", "#77AADD", "#EEDD88", "#332288"]


def colour(node_type: str) -> str:
    """A node type's colour, the same in every export and every subgraph."""
    if node_type in TYPE_COLOURS:
        return TYPE_COLOURS[node_type]
    digest = hashlib.sha1(node_type.encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def colours(graph: ExportGraph) -> dict[str, str]:
    return {t: colour(t) for t in graph.types}
