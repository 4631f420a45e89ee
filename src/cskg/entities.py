"""What the graph says about one entity (``show``) and what it holds (``stats``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cskg.labels import curie, labels
from cskg.project import GRAPH_BASE
from cskg.store import GraphStore

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
NAME_PROPERTIES = {RDFS_LABEL, "http://www.w3.org/2004/02/skos/core#altLabel"}


@dataclass
class Fact:
    """One statement about an entity, with where it comes from."""

    predicate: str
    predicate_label: str
    value: str
    value_label: str
    is_iri: bool
    datatype: str
    source: str
    file: str

    def as_dict(self) -> dict[str, object]:
        return {
            "property": curie(self.predicate),
            "property_label": self.predicate_label,
            "value": self.value,
            "value_label": self.value_label,
            "datatype": curie(self.datatype) if self.datatype else None,
            "source": self.source,
            "file": self.file,
        }


@dataclass
class EntityView:
    """Every fact about an entity, outgoing and incoming."""

    iri: str
    label: str
    types: list[str]
    facts: list[Fact] = field(default_factory=list)
    referenced_by: list[Fact] = field(default_factory=list)
    #: the other names sources give it (labels and alternative names), with the files stating each
    names: list[tuple[str, list[str]]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "iri": self.iri,
            "label": self.label,
            "names": [{"name": n, "files": files} for n, files in self.names],
            "types": self.types,
            "facts": [f.as_dict() for f in self.facts],
            "referenced_by": [f.as_dict() for f in self.referenced_by],
        }


def source_labels(store: GraphStore) -> dict[str, str]:
    """Each named graph's source label (for system graphs, its file)."""
    rows = store.query(
        "SELECT ?g ?src WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?src } }"
    )
    by_graph = {r["g"].value: r["src"].value for r in rows}
    names = labels(store, by_graph.values())
    found = {g: names.get(src, curie(src)) for g, src in by_graph.items()}
    for graph, rel in store.graph_files.items():
        found.setdefault(graph, rel)
    return found


def describe(store: GraphStore, iri: str) -> EntityView:
    """Every statement with ``iri`` as subject or object, each with its source."""
    out = list(store.query(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }}"))
    inc = list(store.query(f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} }}"))
    mentioned = {iri} | {r["p"].value for r in out + inc}
    mentioned |= {r["o"].value for r in out if r["o"].__class__.__name__ == "NamedNode"}
    mentioned |= {r["s"].value for r in inc}
    names = labels(store, mentioned)
    sources = source_labels(store)

    def fact(pred: str, term: object, graph: str) -> Fact:
        is_iri = term.__class__.__name__ == "NamedNode"
        value = getattr(term, "value", str(term))
        datatype = getattr(term, "datatype", None)
        return Fact(
            predicate=pred,
            predicate_label=names.get(pred, curie(pred)),
            value=value,
            value_label=names.get(value, curie(value)) if is_iri else value,
            is_iri=is_iri,
            datatype=datatype.value if datatype is not None else "",
            source=sources.get(graph, graph),
            file=store.graph_files.get(graph, ""),
        )

    view = EntityView(iri, names.get(iri, curie(iri)), [])
    for r in out:
        f = fact(r["p"].value, r["o"], r["g"].value)
        if f.predicate == RDF_TYPE:
            if f.value_label not in view.types:
                view.types.append(f.value_label)
        view.facts.append(f)
    for r in inc:
        view.referenced_by.append(fact(r["p"].value, r["s"], r["g"].value))
    view.label, view.names = _display_name(view.facts, view.label)
    view.facts.sort(key=lambda f: (f.predicate != RDF_TYPE, f.predicate_label, f.value_label, f.file))
    view.referenced_by.sort(key=lambda f: (f.predicate_label, f.value_label, f.file))
    view.types.sort()
    return view


def _display_name(facts: list[Fact], default: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """One display label for an entity several sources name, and the other names by source.

    The label most sources state wins (ties: the one the rest of cskg shows, the
    alphabetically first); every other label or alternative name is listed with the
    files that use it.
    """
    by_name: dict[str, set[str]] = {}
    as_label: dict[str, set[str]] = {}
    for f in facts:
        if f.predicate in NAME_PROPERTIES:
            by_name.setdefault(f.value, set()).add(f.file)
            if f.predicate == RDFS_LABEL:
                as_label.setdefault(f.value, set()).add(f.file)
    if as_label:
        default = max(sorted(as_label), key=lambda n: (len(as_label[n]), n == default))
    others = [(n, sorted(files)) for n, files in sorted(by_name.items()) if n != default]
    return default, others


def render_view(view: EntityView) -> str:
    """The view as text: facts grouped by relationship, each with its source file."""
    lines = [f"{view.label}  <{view.iri}>"]
    if view.types:
        lines.append("a " + ", ".join(view.types))
    if view.names:
        lines.append("also named:")
        lines += [f"    {name}    [{', '.join(files)}]" for name, files in view.names]
    for title, facts in (("", view.facts), ("Referenced by", view.referenced_by)):
        if title and facts:
            lines += ["", f"{title}:"]
        current = None
        for f in facts:
            if f.predicate == RDF_TYPE and not title:
                continue
            if not title and f.predicate in NAME_PROPERTIES:
                continue  # the display label and "also named" above
            if f.predicate_label != current:
                current = f.predicate_label
                lines.append(f"  {current}" + (" (of)" if title else ""))
            lines.append(f"    {f.value_label}    [{f.file}]")
    return "\n".join(lines) + "\n"


@dataclass
class Stats:
    """Counts of the data graphs: by class and by source."""

    graphs: int
    triples: int
    by_class: list[tuple[str, str, int]]
    by_source: list[tuple[str, str, int, int]]
    councils: int = 0
    inspected: int = 0
    graded: int = 0
    #: councils with no full inspection, or none with an overall grade: (label, why)
    lacking: list[tuple[str, str]] = field(default_factory=list)


def stats(store: GraphStore) -> Stats:
    """Entities per class and statements per source, over the data graphs only."""
    base = GRAPH_BASE
    class_rows = store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } "
        f'FILTER(STRSTARTS(STR(?g), "{base}")) }} GROUP BY ?c'
    )
    by_class_raw = [(r["c"].value, int(r["n"].value)) for r in class_rows]
    graph_rows = store.query(
        "SELECT ?g (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?e) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{base}")) }} GROUP BY ?g'
    )
    graph_raw = [(r["g"].value, int(r["n"].value), int(r["e"].value)) for r in graph_rows]
    names = labels(store, [c for c, _ in by_class_raw])
    sources = source_labels(store)
    by_class = sorted(
        ((names.get(c, curie(c)), curie(c), n) for c, n in by_class_raw), key=lambda t: (-t[2], t[0])
    )
    by_source = sorted(
        (store.graph_files.get(g, g), sources.get(g, g), n, e) for g, n, e in graph_raw
    )
    result = Stats(len(graph_raw), sum(n for _, n, _ in graph_raw), by_class, by_source)
    _council_coverage(store, result)
    return result


def _council_coverage(store: GraphStore, result: Stats) -> None:
    """How many councils have a full inspection, and one with an overall grade; which do not."""
    rows = store.query(
        "SELECT ?c (MIN(?l) AS ?label) (COUNT(DISTINCT ?e) AS ?inspections) (COUNT(DISTINCT ?j) AS ?graded) "
        "WHERE { ?c a cskg:Council . OPTIONAL { ?c rdfs:label|skos:altLabel ?l } "
        "OPTIONAL { ?e a cskg:FullInspection ; cskg:inspectedAuthority ?c . OPTIONAL { ?j cskg:ofEvent ?e ; "
        "cskg:judgementArea <https://w3id.org/cskg/vocab/area/overall-effectiveness> } } } GROUP BY ?c"
    )
    for r in rows:
        result.councils += 1
        label = r["label"].value if r["label"] is not None else curie(r["c"].value)
        if int(r["inspections"].value):
            result.inspected += 1
        else:
            result.lacking.append((label, "no full inspection in the graph"))
            continue
        if int(r["graded"].value):
            result.graded += 1
        else:
            result.lacking.append((label, "no full inspection with an overall grade"))
    result.lacking.sort()



