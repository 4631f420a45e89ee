"""What the graph holds, for someone about to write SPARQL: ``cskg schema``.

Classes and properties with two counts each, because the store keeps one copy of a fact
per source that states it (one named graph per source) and the default graph is their
union: ``COUNT(?c)`` over ``?c a cskg:Council`` counts a council once per source that
names it (171), ``COUNT(DISTINCT ?c)`` once (153). The prefixes are the ones every query
of ``cskg query`` and ``cskg serve`` has predeclared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cskg.labels import curie
from cskg.prefixes import PREFIXES, sparql_prologue
from cskg.project import SYSTEM_BASE
from cskg.store import GraphStore

_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) (COUNT(*) AS ?statements) (COUNT(DISTINCT ?g) AS ?graphs)
WHERE { GRAPH ?g { ?s a ?class } FILTER(!STRSTARTS(STR(?g), ?system)) }
GROUP BY ?class
"""
_PROPERTIES = """
SELECT ?property (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(*) AS ?statements) (COUNT(DISTINCT ?g) AS ?graphs)
WHERE { GRAPH ?g { ?s ?property ?o } FILTER(!STRSTARTS(STR(?g), ?system)) }
GROUP BY ?property
"""
# the ontology's own terms (in the system graphs, whose statements are not counted as facts), with their labels, so that a class no fact uses yet is listed
_DECLARED = """
SELECT ?term ?kind (MIN(?label0) AS ?label) WHERE {
  GRAPH ?g { ?term a ?kind }
  FILTER(STRSTARTS(STR(?g), ?system))
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty rdf:Property }
  FILTER(isIRI(?term))
  OPTIONAL { ?term rdfs:label ?label0 }
} GROUP BY ?term ?kind
"""
_LABELS = """
SELECT ?term (MIN(?label0) AS ?label) WHERE { ?term rdfs:label ?label0 FILTER(isIRI(?term)) } GROUP BY ?term
"""


@dataclass
class Term:
    iri: str
    name: str  # the prefixed name
    label: str | None
    distinct: int  # entities (classes) or subjects (properties), each counted once
    statements: int  # statements, one per source that states each
    graphs: int


@dataclass
class Schema:
    classes: list[Term] = field(default_factory=list)
    properties: list[Term] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)


def schema(store: GraphStore) -> Schema:
    """The classes and properties the facts use, or the ontology declares, with their counts."""
    prologue = sparql_prologue()

    def solutions(text: str) -> list[list[object]]:
        # the project's own constant, not user input: written into the text as a literal
        result = store.query(prologue + text.replace("?system", '"' + SYSTEM_BASE + '"'))
        return [[None if t is None else t.value for t in row] for row in result]

    labels = {iri: label for iri, label in solutions(_LABELS)}
    declared = solutions(_DECLARED)
    classes = {str(iri): (0, 0, 0) for iri, kind, _ in declared if str(kind).endswith("#Class")}
    properties = {str(iri): (0, 0, 0) for iri, kind, _ in declared if not str(kind).endswith("#Class")}
    for iri, *counts in solutions(_CLASSES):
        classes[str(iri)] = tuple(int(str(n)) for n in counts)  # type: ignore[assignment]
    for iri, *counts in solutions(_PROPERTIES):
        properties[str(iri)] = tuple(int(str(n)) for n in counts)  # type: ignore[assignment]

    def terms(found: dict[str, tuple[int, int, int]]) -> list[Term]:
        listed = [Term(iri, curie(iri), labels.get(iri), *found[iri]) for iri in found]  # type: ignore[arg-type]
        return sorted(listed, key=lambda t: (-t.distinct, t.name))

    return Schema(terms(classes), terms(properties), dict(PREFIXES))
