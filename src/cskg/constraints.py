"""SHACL's SPARQL-based constraints, evaluated by Oxigraph instead of pySHACL.

pySHACL hands each SPARQL constraint to rdflib, whose parser alone costs about
0.2 s a query per process and whose engine is slow on joins; Oxigraph parses
and answers the same SELECT in milliseconds. The semantics are SHACL's
(section 5 of the spec): for each focus node a shape targets, the constraint's
SELECT runs with ``$this`` pre-bound (Oxigraph's ``substitutions``, which
replace the variable throughout the query), every solution is a result, and ``{?var}`` / ``{$this}`` in
``sh:message`` are replaced by the solution's values. A test compares the
results with pySHACL's on every shape fixture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from cskg.prefixes import PREFIXES

SH = Namespace("http://www.w3.org/ns/shacl#")
_THIS = ox.Variable("this")


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint of one shape."""

    shape: Node
    node: Node
    select: str
    message: str
    severity: str
    prefixes: tuple[tuple[str, str], ...]


def split(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """The shapes without their SPARQL constraints, and those constraints."""
    constraints = []
    for shape, node in shapes.subject_objects(SH.sparql):
        declared = [
            (str(shapes.value(d, SH.prefix)), str(shapes.value(d, SH.namespace)))
            for holder in shapes.objects(node, SH.prefixes)
            for d in shapes.objects(holder, SH.declare)
        ]
        severity = shapes.value(node, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
        constraints.append(SparqlConstraint(
            shape=shape, node=node, select=str(shapes.value(node, SH.select)),
            message=str(shapes.value(node, SH.message) or ""),
            severity=str(severity).rsplit("#", 1)[-1], prefixes=tuple(sorted(declared)),
        ))
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core, sorted(constraints, key=lambda c: str(c.node))


def targets(shapes: Graph, shape: Node, data: Graph) -> set[Node]:
    """The focus nodes a shape targets in ``data`` (SHACL instance semantics for classes)."""
    found: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            found |= set(data.subjects(RDF.type, sub))
    found |= set(shapes.objects(shape, SH.targetNode))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        found |= set(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        found |= set(data.objects(None, prop))
    return found


@dataclass(frozen=True)
class SparqlResult:
    """One solution of a SPARQL constraint: a validation result."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str
    shape: Node
    constraint: Node


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term (from the shapes graph) as Oxigraph's."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.BlankNode(str(term))


def _to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value if term.datatype is not None else None
        return Literal(term.value, datatype=URIRef(datatype) if datatype else None)
    from rdflib import BNode

    return BNode(getattr(term, "value", str(term)))


def _message(template: str, row: dict[str, object]) -> str:
    text = template
    for name, term in row.items():
        if term is not None:
            value = getattr(term, "value", str(term))
            text = text.replace("{?" + name + "}", value).replace("{$" + name + "}", value)
    return text


#: From this many focus nodes on, a constraint runs once over the whole graph, not once a node.
WHOLE_GRAPH_FROM = 32


def evaluate(
    constraints: Iterable[SparqlConstraint],
    shapes: Graph,
    data: Graph,
    store: ox.Store,
    focus: set[Node] | None = None,
    union: bool = False,
    whole_graph_from: int = WHOLE_GRAPH_FROM,
) -> list[SparqlResult]:
    """Run each constraint for the nodes its shape targets (only those in ``focus``, if given).

    ``data`` is the rdflib view used to find targets; ``store`` holds the same
    statements for Oxigraph (``union``: query the union of its named graphs).
    For a few nodes the query runs once a node with ``$this`` pre-bound; for
    ``whole_graph_from`` nodes or more, a query that binds ``$this`` first
    (``binds_this_first``) runs once with ``$this`` free, and the solutions for
    the targeted nodes are kept: the same results (a test runs every fixture
    both ways) for one query instead of thousands.
    """
    results = []
    for constraint in constraints:
        nodes = targets(shapes, constraint.shape, data)
        if focus is not None:
            nodes &= focus
        if not nodes:
            continue
        prefixes = dict(PREFIXES)
        prefixes.update(constraint.prefixes)
        text = constraint.select
        if len(nodes) >= whole_graph_from and binds_this_first(text):
            answer = store.query(text, prefixes=prefixes, use_default_graph_as_union=union)
            wanted = {to_ox(n) for n in nodes}
            results += [r for r in _results(constraint, answer, wanted)]
            continue
        for node in sorted(nodes, key=str):
            # Oxigraph's substitutions replace ?this everywhere in the query, which is
            # exactly SHACL's pre-binding (a VALUES block would not reach inside
            # UNION branches, and one in every group made cross products).
            answer = store.query(text, prefixes=prefixes, use_default_graph_as_union=union,
                                 substitutions={_THIS: to_ox(node)})
            results += _results(constraint, answer)
    return results


def binds_this_first(select: str) -> bool:
    """Whether the query's WHERE group opens with a triple pattern on ``$this``.

    Then ``$this`` is bound before anything else in the group, so running the
    query once with ``$this`` free gives each node's pre-bound solutions. A
    query that uses ``$this`` first inside a UNION branch or a FILTER NOT EXISTS
    needs SHACL's pre-binding and runs once a node.
    """
    where = re.search(r"\bWHERE\s*\{\s*", select, re.IGNORECASE)
    return bool(where) and bool(re.match(r"[$?]this\b", select[where.end():]))


def _results(constraint: SparqlConstraint, answer: ox.QuerySolutions,
             wanted: set[object] | None = None) -> list[SparqlResult]:
    """Each solution with a focus node (one of ``wanted``, if given) is a result, its message
    filled from the solution."""
    columns = [v.value for v in answer.variables]
    results = []
    for solution in answer:
        row = {c: solution[c] for c in columns}
        this = row.get("this")
        if this is None or (wanted is not None and this not in wanted):
            continue
        results.append(SparqlResult(
            focus=_to_rdflib(this),
            path=_to_rdflib(row["path"]) if row.get("path") is not None else None,
            value=_to_rdflib(row["value"]) if row.get("value") is not None else None,
            message=_message(constraint.message, row),
            severity=constraint.severity,
            shape=constraint.shape,
            constraint=constraint.node,
        ))
    return results
