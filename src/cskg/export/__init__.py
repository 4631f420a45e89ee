"""``cskg export``: the entity graph (the same projection ``cskg network`` uses), or part of it,
in the formats graph tools open.

``select`` cuts the part (around an entity, a named CONSTRUCT query's result,
or the entities of some classes); each format is a small function over one
``ExportGraph`` in ``EXPORTERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pyoxigraph as ox

from cskg.errors import InputError
from cskg.export import formats
from cskg.export.model import ExportGraph, attribute_types, from_networkx
from cskg.labels import curie, expand, labels, normalise, resolve
from cskg.network import Projection
from cskg.prefixes import PREFIXES
from cskg.store import GraphStore

Exporter = Callable[[ExportGraph], dict[str, bytes]]


def _html(graph: ExportGraph) -> dict[str, bytes]:
    from cskg.export.html import export  # imported when asked: it reads a JavaScript library

    return export(graph)


def _svg(graph: ExportGraph) -> dict[str, bytes]:
    from cskg.export.picture import svg  # imported when asked: it runs Graphviz

    return svg(graph)


def _png(graph: ExportGraph) -> dict[str, bytes]:
    from cskg.export.picture import png

    return png(graph)


def _turtle(graph: ExportGraph) -> dict[str, bytes]:
    data = ox.serialize(graph.triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes(graph))
    return {".ttl": bytes(data)}


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _jsonld(graph: ExportGraph) -> dict[str, bytes]:
    """JSON-LD: one node object per subject, its keys and types compacted with the project's
    prefixes (the only terms of its ``@context``), one node per line, sorted.

    This is JSON-LD's from-RDF algorithm with compact IRIs for keys, types and datatypes;
    node ids stay absolute. rdflib's serializer wrote the same RDF but took over two minutes
    at a million statements.
    """
    import json

    context = _prefixes(graph)
    namespaces = sorted(context.items(), key=lambda kv: -len(kv[1]))
    compacted: dict[str, str] = {}

    def compact(iri: str) -> str:
        if iri not in compacted:
            compacted[iri] = iri
            for prefix, ns in namespaces:
                local = iri[len(ns):]
                if iri.startswith(ns) and local and not local.startswith("//"):
                    compacted[iri] = f"{prefix}:{local}"
                    break
        return compacted[iri]

    def ref(term: ox.NamedNode | ox.BlankNode) -> str:
        return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"

    def value(term: ox.Term) -> object:
        if not isinstance(term, ox.Literal):
            return {"@id": ref(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}

    nodes: dict[str, dict[str, list]] = {}
    for t in graph.triples:
        node = nodes.setdefault(ref(t.subject), {})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(t.object.value))
        else:
            node.setdefault(compact(t.predicate.value), []).append(value(t.object))
    lines = []
    for node_id in sorted(nodes):
        body = {k: v[0] if len(v) == 1 else v for k, v in nodes[node_id].items()}
        body["@id"] = node_id
        lines.append(json.dumps(body, ensure_ascii=False, sort_keys=True))
    head = json.dumps({"@context": context}, indent=1, ensure_ascii=False, sort_keys=True)
    text = head[:-2] + ',\n "@graph": [\n' + ",\n".join(lines) + "\n ]\n}\n"
    return {".jsonld": text.encode()}


def _prefixes(graph: ExportGraph) -> dict[str, str]:
    used = {t.value for tr in graph.triples for t in (tr.subject, tr.predicate, tr.object)
            if isinstance(t, ox.NamedNode)}
    used |= {tr.object.datatype.value for tr in graph.triples
             if isinstance(tr.object, ox.Literal) and tr.object.datatype is not None}
    return {p: ns for p, ns in PREFIXES.items() if any(u.startswith(ns) for u in used)}


@dataclass(frozen=True)
class Format:
    export: Exporter
    description: str
    #: whether it writes the RDF statements (``ExportGraph.triples``), not only nodes and edges
    rdf: bool = False
    #: whether it is a picture (drawn by Graphviz; takes --layout and --max-nodes)
    picture: bool = False


EXPORTERS: dict[str, Format] = {
    "graphml": Format(formats.graphml, "GraphML with typed attributes (Gephi, yEd, Cytoscape)"),
    "gexf": Format(formats.gexf, "GEXF with colours by type (Gephi)"),
    "cytoscape": Format(formats.cytoscape, "Cytoscape.js elements JSON"),
    "dot": Format(formats.dot, "Graphviz DOT with shapes and colours by type"),
    "csv": Format(formats.csv_files, "a nodes CSV and an edges CSV (Gephi, Kumu)"),
    "jsonld": Format(_jsonld, "JSON-LD with a context (RDF tools)", rdf=True),
    "turtle": Format(_turtle, "Turtle (RDF tools)", rdf=True),
    "html": Format(_html, "one self-contained page that draws the graph, offline"),
    "svg": Format(_svg, "an SVG picture drawn by Graphviz (browsers, Inkscape)", picture=True),
    "png": Format(_png, "a PNG picture drawn by Graphviz", picture=True),
}


# --- which part ------------------------------------------------------------------


def select(store: GraphStore, proj: Projection, *, around: str | None = None, depth: int = 1,
           query: str | None = None, params: dict[str, str] | None = None,
           types: list[str] | None = None, statements: bool = True,
           details: bool = True) -> ExportGraph:
    """The whole projection, or the part around an entity, from a named query, or of some types.

    ``statements``: what the data graphs say about its nodes (what the RDF formats write);
    ``details``: the labels, attributes and sources of its nodes and edges (what the others
    write), otherwise only their ids. Each costs seconds at a million statements.
    """
    graph = proj.graph
    if sum(x is not None and x != [] for x in (around, query, types)) > 1:
        raise InputError("choose one of --around, --query and --type")
    if around is not None:
        if depth < 0:
            raise InputError(f"--depth must be 0 or more, not {depth}")
        centre = resolve(store, around)
        if centre not in graph:
            raise InputError(f"{around!r} is not an entity of the graph (it is a value: a concept, "
                             "a region or a time span)")
        keep = nx.ego_graph(proj.undirected(), centre, radius=depth).nodes
        part = graph.subgraph(keep).copy()
        title = f"Around {graph.nodes[centre]['label']} ({depth} step{'s' if depth != 1 else ''})"
    elif query is not None:
        part, title = _from_query(store, proj, query, params or {})
    elif types:
        wanted = {_class(store, t) for t in types}
        keep = [n for n, d in graph.nodes(data=True)
                if wanted & {expand(t) or t for t in d.get("types", "").split("; ")}]
        part = graph.subgraph(keep).copy()
        title = "Entities of type " + ", ".join(sorted(curie(w) for w in wanted))
    else:
        part, title = graph, "cskg graph"
    result = from_networkx(part, title, details=details)
    if details:
        add_latest_grades(store, result)
    if statements:
        result.triples = rdf_statements(store, set(part.nodes), set(graph.nodes))
    return result


#: The council attributes from the named query ``latest-grades``: the overall-effectiveness
#: grade of the council's latest graded full inspection (its label, e.g. "good", and its
#: cskg:gradeOrder, 1 outstanding to 4 inadequate), the inspection's date as the query
#: dates it (fieldwork start, else the reported date, else publication: a year-month stays
#: "2023-06"), and the report's publication date.
GRADE, GRADE_ORDER, GRADE_DATE, GRADE_PUBLISHED = (
    "latestGrade", "latestGradeOrder", "latestGradeInspectionDate", "latestGradePublicationDate")
LATEST_GRADES = "latest-grades"


def latest_grades(store: GraphStore) -> dict[str, dict[str, Any]]:
    """Each graded council's latest-grade attributes, from the named query ``latest-grades``
    (run as ``cskg query latest-grades`` runs it, so "latest" has one definition). Councils
    with no graded inspection are absent. Should sources disagree on the latest inspection's
    grade (two rows), both labels are given, "; "-separated, and no order."""
    from cskg.query import Catalogue, run

    result = run(store, Catalogue(store.project.queries_dir).get(LATEST_GRADES))
    # each row's bound values as text, by column
    rows = [{c: t.value for c, t in zip(result.columns, row, strict=True)
             if isinstance(t, (ox.NamedNode, ox.Literal))} for row in result.rows]
    graded = [r for r in rows if "council" in r and "grade" in r]
    orders: dict[str, int] = {}
    grades = sorted({r["grade"] for r in graded})
    if grades:
        values = " ".join(f"<{g}>" for g in grades)
        for r in store.query(f"SELECT ?g ?o WHERE {{ VALUES ?g {{ {values} }} "
                             "?g cskg:gradeOrder ?o }"):
            try:
                orders[r["g"].value] = int(r["o"].value)
            except ValueError:
                continue
    found: dict[str, list[dict[str, str]]] = {}
    for r in graded:
        found.setdefault(r["council"], []).append(r)
    out: dict[str, dict[str, Any]] = {}
    for council, its in found.items():
        first = its[0]
        attributes: dict[str, Any] = {
            GRADE: "; ".join(sorted({r.get("gradeLabel", r["grade"]) for r in its}))}
        kinds = {r["grade"] for r in its}
        if len(kinds) == 1 and first["grade"] in orders:
            attributes[GRADE_ORDER] = orders[first["grade"]]
        if "date" in first:
            attributes[GRADE_DATE] = first["date"]
        if "publicationDate" in first:
            attributes[GRADE_PUBLISHED] = first["publicationDate"]
        out[council] = attributes
    return out


def add_latest_grades(store: GraphStore, graph: ExportGraph) -> None:
    """Put the latest-grade attributes on the graph's council nodes (``latest_grades``)."""
    if not any("cskg:Council" in n.types.split("; ") for n in graph.nodes):
        return
    grades = latest_grades(store)
    touched = False
    for node in graph.nodes:
        if node.id in grades:
            node.attributes.update(grades[node.id])
            touched = True
    if touched:
        graph.attribute_types = attribute_types(graph.nodes)


def _class(store: GraphStore, name: str) -> str:
    """A class named by CURIE, IRI, local name or label ("Council", "council", "cskg:Council")."""
    iri = expand(name)
    rows = store.query("SELECT DISTINCT ?c WHERE { ?c a owl:Class }")
    classes = [r["c"].value for r in rows if isinstance(r["c"], ox.NamedNode)]
    if iri in classes:
        return iri
    names = labels(store, classes)
    hits = [c for c in classes if normalise(name) in (normalise(names.get(c, "")),
                                                       normalise(c.rsplit("#", 1)[-1].rsplit("/", 1)[-1]))]
    own = [c for c in hits if c.startswith(PREFIXES["cskg"])]
    if len(own or hits) == 1:
        return (own or hits)[0]
    raise InputError(f"no class is called {name!r}" if not hits else
                     f"{name!r} names {len(hits)} classes: " + ", ".join(curie(h) for h in hits),
                     "name a class by CURIE, e.g. cskg:Council or cskg:Partnership")


def _from_query(store: GraphStore, proj: Projection, name: str,
                params: dict[str, str]) -> tuple[nx.MultiDiGraph, str]:
    """The entities and links a named CONSTRUCT (or DESCRIBE) query returns."""
    from cskg.query import Catalogue, run

    entry = Catalogue(store.project.queries_dir).get(name)
    result = run(store, entry, params)
    if result.form not in ("CONSTRUCT", "DESCRIBE"):
        raise InputError(f"query {name!r} is a {result.form} query; --query needs a "
                         "CONSTRUCT or DESCRIBE query, whose triples are the graph to export")
    graph = proj.graph
    part = nx.MultiDiGraph()
    for triple in result.triples:
        s, o = triple.subject.value, triple.object.value
        for node in (s, o):
            if node in graph and node not in part:
                part.add_node(node, **graph.nodes[node])
        if s in graph and o in graph and isinstance(triple.object, ox.NamedNode):
            p = triple.predicate.value
            data = graph.get_edge_data(s, o, key=p)
            if data is None:
                data = {"predicate": curie(p), "label": proj.predicate_labels.get(p, curie(p)),
                        "sources": f"query {name}"}
            part.add_edge(s, o, key=p, **data)
    return part, entry.title


def rdf_statements(store: GraphStore, nodes: set[str], entities: set[str]) -> list[ox.Triple]:
    """What the data graphs say about the nodes, with the values they point at (time spans and
    their instants) but not other entities, except those in the part."""
    data_graphs = {ox.NamedNode(g) for g in store.data_graphs()}
    excluded = entities - nodes
    values = PREFIXES["cskgid"]
    found: set[ox.Triple] = set()
    frontier = set(nodes)
    seen = set(frontier)
    while frontier:
        following = set()
        for subject in frontier:
            for q in store.ox.quads_for_pattern(ox.NamedNode(subject), None, None, None):
                if q.graph_name not in data_graphs:
                    continue
                o = q.object
                if type(o) is ox.NamedNode:
                    iri = o.value
                    if iri in excluded:
                        continue
                    if iri not in seen and iri not in entities and iri.startswith(values):
                        following.add(iri)
                        seen.add(iri)
                found.add(q.triple)
        frontier = following
    return sorted(found, key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
