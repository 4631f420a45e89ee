"""SHACL core constraints compiled to SPARQL and answered by Oxigraph.

``validate_store`` used to copy the whole store into rdflib and run pySHACL over
it: minutes at a million triples. Here the core shapes (``split`` has already
taken the ``sh:sparql`` constraints out; ``cskg.constraints`` runs those) are
compiled into SPARQL that runs on the store itself, over the union of its named
graphs (ontology included, so ``rdfs:subClassOf*`` counts for ``sh:targetClass``
and ``sh:class``). Only the results come back to Python.

The semantics are pySHACL's, as cskg runs it (``inference="none"``,
``allow_warnings=True``), so that both engines give the same report; a test runs
every shape fixture, the project and a generated project both ways.

* Focus nodes: ``sh:targetClass`` (instances of the class or of a subclass),
  ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``.
* Paths: an IRI, ``sh:inversePath``, ``sh:alternativePath`` and sequences, as
  SPARQL property paths (value nodes are a set: every query is DISTINCT).
* One query per constraint returns the failing (focus node, value node) pairs:
  ``sh:class``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, ``sh:disjoint``,
  ``sh:minCount`` and ``sh:maxCount`` are exact in SPARQL. Where SPARQL and rdflib
  disagree on a literal (``sh:datatype`` of a type other than strings: pySHACL
  fails ill-typed literals as rdflib parses them; ``sh:pattern``: Python's ``re``;
  ``sh:minInclusive`` and the other ranges: rdflib's comparisons), SPARQL picks
  the distinct candidate values and Python decides each one as pySHACL does.
* ``sh:node``, ``sh:or``, ``sh:and`` and ``sh:not`` need the conformance of value
  nodes to nested shapes: for each nested shape, the set of non-conforming nodes
  among the candidates is computed recursively (memoised per shape and candidate
  set), never as one giant query. ``sh:or`` narrows the candidates disjunct by
  disjunct.
* Messages: the shape's ``sh:message`` (the first, sorted, as ``validate`` picks
  it), else the text pySHACL generates.
* Nested shapes with a severity other than sh:Violation are refused: pySHACL, with
  ``allow_warnings``, counts them as conforming, a rule not implemented here.

Speed, at a million triples: the union of the named graphs repeats a statement once
per graph stating it, so focus nodes are made DISTINCT first. An index lookup costs
some fifty times a scanned row, so for a large focus each query first finds what
breaks the constraint anywhere (one scan of the path, filtered, in a subquery) and
only then tests those few rows for membership of the focus (FILTER EXISTS);
``sh:minCount`` and ``sh:hasValue`` anti-join the focus with a scan (MINUS). A focus
of at most ``SMALL`` nodes looks its nodes' values up instead.

Any other SHACL feature raises :class:`UnsupportedShape` rather than giving a
verdict that might be wrong; ``CSKG_SHACL_ENGINE=pyshacl`` validates with pySHACL.
"""

from __future__ import annotations

import datetime
import functools
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from cskg.constraints import to_ox
from cskg.errors import InputError

SH = Namespace("http://www.w3.org/ns/shacl#")

_RDF_TYPE = f"<{RDF.type}>"
_XSD_STRING = URIRef(XSD.string)
_LANG_STRING = URIRef(RDF.langString)

#: Most terms written into one VALUES block.
VALUES_CHUNK = 5000


class UnsupportedShape(InputError):
    """A shape uses a SHACL feature the SPARQL engine does not implement."""

    def __init__(self, shape: Node, what: str) -> None:
        super().__init__(
            f"the SHACL shape {shape} uses {what}, which cskg's SPARQL engine does not implement",
            "validate with pySHACL instead: CSKG_SHACL_ENGINE=pyshacl cskg validate",
        )
        self.shape = shape
        self.what = what


# --- terms ---------------------------------------------------------------------

Term = Any  # ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: Term) -> Node:
    """An Oxigraph term as rdflib reads it from the store's N-Quads dump.

    A simple literal has no datatype in rdflib (Oxigraph gives it xsd:string);
    a typed literal is built from its lexical form, so rdflib normalises and
    checks it exactly as when it parses the dump.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == str(_XSD_STRING):
        return Literal(term.value)
    with _quiet_rdflib():
        return Literal(term.value, datatype=URIRef(datatype))


def _sparql(term: Term) -> str:
    """A term written into a query (never a blank node: SPARQL cannot name one)."""
    assert not isinstance(term, ox.BlankNode)
    return str(term)


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal it builds: expected here."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


# --- pySHACL's value tests, for the literals SPARQL cannot decide alike ----------


def _actual_datatype(value: Literal, datatype: URIRef) -> bool:
    """pySHACL's DatatypeConstraintComponent._assert_actual_datatype."""
    python = value.value
    if datatype in (_XSD_STRING, _LANG_STRING):
        return isinstance(python, (str, bytes))
    checks: dict[URIRef, type | tuple[type, ...]] = {
        XSD.integer: int,
        XSD.float: float,
        XSD.decimal: Decimal,
        XSD.boolean: bool,
        XSD.date: datetime.date,
        XSD.time: datetime.time,
        XSD.dateTime: datetime.datetime,
    }
    wanted = checks.get(datatype)
    return True if wanted is None else isinstance(python, wanted)


def _datatype_fails(datatype: URIRef) -> Callable[[Term], bool]:
    def fails(term: Term) -> bool:
        literal = to_rdflib(term)
        assert isinstance(literal, Literal)
        with _quiet_rdflib():
            if getattr(literal, "ill_typed", None) is True:
                return True
            return not _actual_datatype(literal, datatype)

    return fails


def _string_of(value: Node) -> str:
    """pySHACL's StringBasedConstraintBase.value_node_to_string."""
    if isinstance(value, Literal):
        if value.value is not None and value.datatype in (None, _LANG_STRING, _XSD_STRING):
            return str(value.value)
        return str(value)
    return str(value)


def _pattern_fails(pattern: Literal, flags: Literal | None) -> Callable[[Term], bool]:
    text = (
        str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    )
    re_flags = 0
    if flags is not None:
        wanted = str(flags.value).lower()
        re_flags |= re.IGNORECASE if "i" in wanted else 0
        re_flags |= re.MULTILINE if "m" in wanted else 0
    matcher = re.compile(text, re_flags)

    def fails(term: Term) -> bool:
        return not matcher.search(_string_of(to_rdflib(term)))

    return fails


def _compare_literal(l1: Literal, l2: Literal) -> int:
    """pySHACL's rdfutil.compare.compare_literal."""
    if l1.eq(l2):
        return 0
    if l1.value.__class__ in (datetime.datetime, datetime.time):
        if l1.value == l2.value:
            return 0
        if l1.value > l2.value:
            return 1
    elif l1 > l2:
        return 1
    return -1


_RANGES: dict[URIRef, Callable[[int], bool]] = {
    SH.minInclusive: lambda c: c >= 0,
    SH.minExclusive: lambda c: c > 0,
    SH.maxInclusive: lambda c: c <= 0,
    SH.maxExclusive: lambda c: c < 0,
}


def _range_fails(parameter: URIRef, bound: Literal) -> Callable[[Term], bool]:
    bound_is_string = isinstance(bound.value, str)
    passes = _RANGES[parameter]

    def fails(term: Term) -> bool:
        value = to_rdflib(term)
        assert isinstance(value, Literal)
        with _quiet_rdflib():
            if bound_is_string != isinstance(value.value, str):
                return True
            try:
                return not passes(_compare_literal(value, bound))
            except (TypeError, NotImplementedError):
                return True

    return fails


# --- the compiled shapes ----------------------------------------------------------

#: Shape predicates that carry no constraint of their own.
_NOT_CONSTRAINTS = {
    SH.path,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.flags,
}
_ONE_VALUE = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
}
_NODE_KINDS = {
    SH.IRI: "!isIRI({v})",
    SH.BlankNode: "!isBlank({v})",
    SH.Literal: "!isLiteral({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})",
    SH.BlankNodeOrLiteral: "isIRI({v})",
    SH.IRIOrLiteral: "isBlank({v})",
}


@dataclass(eq=False)
class Constraint:
    """One constraint of one shape.

    ``kind`` is ``value`` (each value node passes or fails on its own), ``count``
    (``sh:minCount``/``sh:maxCount``), ``has`` (``sh:hasValue``) or ``shapes``
    (``sh:node``/``sh:or``/``sh:and``/``sh:not``). A value constraint fails a value
    where ``fail`` (a SPARQL expression on the value variable) holds, where it is not
    one of the ``instances`` (a group binding a variable to each instance of the
    class, for ``sh:class``), where the focus node has it as a value of ``same_as``
    (``sh:disjoint``), or where ``suspect`` holds and Python's ``decide`` says so.
    """

    component: URIRef
    parameter: URIRef
    argument: Node
    kind: str
    fail: Callable[[str], str] | None = None
    instances: Callable[[str], str] | None = None
    same_as: URIRef | None = None
    suspect: Callable[[str], str] | None = None
    decide: Callable[[Term], bool] | None = None
    shapes: list[Shape] = field(default_factory=list)


@dataclass(eq=False)
class Shape:
    node: Node
    path: Node | None
    sparql_path: str | None
    severity: URIRef
    messages: list[str]
    deactivated: bool
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)


@dataclass(frozen=True)
class CoreResult:
    """One validation result of a core constraint."""

    focus: Term
    path: Node | None
    value: Term | None
    severity: URIRef
    message: str
    shape: Node
    component: URIRef


class _Compiler:
    def __init__(self, shapes: Graph, subclasses: Callable[[URIRef], list[Term]]) -> None:
        self.g = shapes
        self.subclasses = subclasses
        self.compiled: dict[Node, Shape] = {}
        self.building: set[Node] = set()

    def shape(self, node: Node, nested: bool) -> Shape:
        if node in self.building:
            raise UnsupportedShape(node, "a recursive shape reference")
        done = self.compiled.get(node)
        if done is not None:
            if nested:
                self._check_nested(done)
            return done
        self.building.add(node)
        try:
            shape = self._build(node, nested)
        finally:
            self.building.discard(node)
        self.compiled[node] = shape
        return shape

    def _check_nested(self, shape: Shape) -> None:
        # pySHACL, with allow_warnings, counts a nested shape of severity sh:Warning or
        # sh:Info as conforming: a rule not implemented here.
        if shape.severity != SH.Violation:
            raise UnsupportedShape(
                shape.node, "a severity other than sh:Violation in a nested shape"
            )
        for prop in shape.properties:
            self._check_nested(prop)

    def _one(self, node: Node, parameter: URIRef) -> Node | None:
        values = list(self.g.objects(node, parameter))
        if len(values) > 1:
            raise UnsupportedShape(node, f"more than one {_sh(parameter)}")
        return values[0] if values else None

    def _build(self, node: Node, nested: bool) -> Shape:
        g = self.g
        if (node, RDF.type, RDFS.Class) in g or (
            node,
            RDF.type,
            URIRef("http://www.w3.org/2002/07/owl#Class"),
        ) in g:
            raise UnsupportedShape(node, "implicit class targets (a shape that is also a class)")
        for parameter in set(g.predicates(node, None)):
            if (
                str(parameter).startswith(str(SH))
                and parameter not in _NOT_CONSTRAINTS
                and parameter not in _ONE_VALUE
                and parameter != SH.property
            ):
                raise UnsupportedShape(node, _sh(parameter))
        path = self._one(node, SH.path)
        severity = self._one(node, SH.severity) or SH.Violation
        deactivated = self._one(node, SH.deactivated)
        shape = Shape(
            node=node,
            path=path,
            sparql_path=self._path(node, path) if path is not None else None,
            severity=severity if isinstance(severity, URIRef) else SH.Violation,
            messages=sorted(str(m) for m in g.objects(node, SH.message)),
            deactivated=bool(deactivated.value) if isinstance(deactivated, Literal) else False,
        )
        if not isinstance(severity, URIRef):
            raise UnsupportedShape(node, "a severity that is not an IRI")
        if nested:
            self._check_nested(shape)
        for parameter, component in _ONE_VALUE.items():
            argument = self._one(node, parameter)
            if argument is not None:
                shape.constraints.append(self._constraint(shape, parameter, component, argument))
        for prop in sorted(g.objects(node, SH.property), key=str):
            if path is not None:
                raise UnsupportedShape(node, "sh:property on a property shape")
            child = self.shape(prop, nested)
            if child.path is None:
                raise UnsupportedShape(prop, "an sh:property value without sh:path")
            shape.properties.append(child)
        if path is None and any(c.kind == "count" for c in shape.constraints):
            raise UnsupportedShape(node, "sh:minCount or sh:maxCount on a node shape")
        return shape

    def _path(self, shape: Node, path: Node) -> str:
        g = self.g
        if isinstance(path, URIRef):
            return f"<{path}>"
        if isinstance(path, BNode):
            inverse = g.value(path, SH.inversePath)
            alternatives = g.value(path, SH.alternativePath)
            if inverse is not None:
                return f"^({self._path(shape, inverse)})"
            if alternatives is not None:
                items = list(g.items(alternatives))
                if items:
                    return "(" + "|".join(self._path(shape, i) for i in items) + ")"
            elif (path, RDF.first, None) in g:
                items = list(g.items(path))
                if len(items) >= 2:
                    return "(" + "/".join(self._path(shape, i) for i in items) + ")"
            for kind in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
                if (path, kind, None) in g:
                    raise UnsupportedShape(shape, f"the path {_sh(kind)}")
        raise UnsupportedShape(shape, f"a path this engine cannot read ({path})")

    def _constraint(
        self, shape: Shape, parameter: URIRef, component: URIRef, argument: Node
    ) -> Constraint:
        c = Constraint(component=component, parameter=parameter, argument=argument, kind="value")
        node = shape.node
        if parameter == SH["class"]:
            if not isinstance(argument, URIRef):
                raise UnsupportedShape(node, "an sh:class that is not an IRI")
            classes = " ".join(_sparql(t) for t in self.subclasses(argument))
            c.instances = lambda v: f"{v} {_RDF_TYPE} {v}_class . VALUES {v}_class {{ {classes} }}"
        elif parameter == SH.datatype:
            if argument == RDFS.Literal:
                c.fail = lambda v: f"!isLiteral({v})"
            elif isinstance(argument, URIRef) and argument != RDFS.Datatype:
                # sameTerm, not =: the same for IRIs, and Oxigraph evaluates it faster.
                c.fail = lambda v, d=argument: (
                    f"!(isLiteral({v}) && sameTerm(DATATYPE({v}), <{d}>))"
                )
                if argument not in (_XSD_STRING, _LANG_STRING):
                    c.suspect = lambda v, d=argument: (
                        f"isLiteral({v}) && sameTerm(DATATYPE({v}), <{d}>)"
                    )
                    c.decide = _datatype_fails(argument)
            else:
                raise UnsupportedShape(node, f"sh:datatype {argument}")
        elif parameter == SH.nodeKind:
            if argument not in _NODE_KINDS:
                raise UnsupportedShape(node, f"sh:nodeKind {argument}")
            template = _NODE_KINDS[argument]  # type: ignore[index]
            c.fail = lambda v: template.format(v=v)
        elif parameter == SH["in"]:
            members = [to_ox(m) for m in self.g.items(argument)]
            if any(isinstance(m, ox.BlankNode) for m in members):
                raise UnsupportedShape(node, "a blank node in sh:in")

            def fail_in(v: str) -> str:
                if not members:
                    return "true"
                return "!(" + " || ".join(f"sameTerm({v}, {_sparql(m)})" for m in members) + ")"

            c.fail = fail_in
        elif parameter == SH.hasValue:
            if isinstance(argument, BNode):
                raise UnsupportedShape(node, "a blank node as sh:hasValue")
            c.kind = "has"
        elif parameter == SH.pattern:
            if not isinstance(argument, Literal):
                raise UnsupportedShape(node, "an sh:pattern that is not a literal")
            flags = self._one(node, SH.flags)
            c.fail = lambda v: f"isBlank({v})"
            c.suspect = lambda v: f"!isBlank({v})"
            c.decide = _pattern_fails(argument, flags if isinstance(flags, Literal) else None)
        elif parameter in _RANGES:
            if not isinstance(argument, Literal):
                raise UnsupportedShape(node, f"an {_sh(parameter)} that is not a literal")
            c.fail = lambda v: f"!isLiteral({v})"
            c.suspect = lambda v: f"isLiteral({v})"
            c.decide = _range_fails(parameter, argument)
        elif parameter in (SH.minCount, SH.maxCount):
            if not isinstance(argument, Literal) or not isinstance(argument.value, int):
                raise UnsupportedShape(node, f"an {_sh(parameter)} that is not an integer")
            c.kind = "count"
        elif parameter == SH.disjoint:
            if not isinstance(argument, URIRef):
                raise UnsupportedShape(node, "an sh:disjoint that is not an IRI")
            c.same_as = argument
        elif parameter in (SH.node, SH["not"]):
            c.kind = "shapes"
            c.shapes = [self.shape(argument, nested=True)]
        elif parameter in (SH["or"], SH["and"]):
            c.kind = "shapes"
            c.shapes = [self.shape(member, nested=True) for member in self.g.items(argument)]
            if not c.shapes:
                raise UnsupportedShape(node, f"an empty {_sh(parameter)}")
        return c


def _sh(term: Node) -> str:
    text = str(term)
    return "sh:" + text[len(str(SH)) :] if text.startswith(str(SH)) else text


# --- candidate focus nodes as SPARQL ------------------------------------------------


#: Up to this many focus nodes, queries look each one's values up in the indexes; beyond,
#: they scan the path once and hash-join (a lookup costs some fifty times a scanned row).
SMALL = 2000


class Focus:
    """A set of nodes, as a SPARQL group that binds a variable to each of them once.

    ``pattern(var, where)`` writes the group; ``where`` is a FILTER on ``var`` alone,
    applied as early as the group allows. ``only``, when set, must filter the nodes
    the group binds (a set holding blank nodes, or too many nodes to write out, runs
    as its wider group instead). ``small``: few enough nodes to look values up.
    """

    only: frozenset[Term] | None = None
    small = False

    def pattern(self, var: str, where: str = "") -> str:
        raise NotImplementedError

    def member(self, var: str) -> str:
        """A group that matches when ``var``, already bound, is one of the nodes (for
        FILTER EXISTS: a few index lookups for one node)."""
        raise NotImplementedError

    @property
    def key(self) -> tuple[Any, ...]:
        return ("pattern", self.pattern("?f"))

    def keep(self, node: Term) -> bool:
        return self.only is None or node in self.only


class TargetFocus(Focus):
    """The focus nodes of a shape's targets."""

    def __init__(self, branches: list[Callable[[str], str]]) -> None:
        self.branches = branches

    def pattern(self, var: str, where: str = "") -> str:
        # DISTINCT first: the union of the named graphs repeats a statement once per graph
        # stating it (a council is typed in every article that names it), and joins would
        # multiply those repeats.
        if not self.branches:
            return f"{{ SELECT {var} WHERE {{ FILTER(false) }} }}"
        union = " UNION ".join("{ " + b(var) + " }" for b in self.branches)
        return f"{{ SELECT DISTINCT {var} WHERE {{ {union} {where} }} }}"

    def member(self, var: str) -> str:
        if not self.branches:
            return "FILTER(false)"
        return " UNION ".join("{ " + b(var) + " }" for b in self.branches)


class ValuesFocus(Focus):
    """The value nodes of a path from the nodes of another focus."""

    def __init__(self, parent: Focus, path: str) -> None:
        self.parent = parent
        self.path = path
        self.small = parent.small

    def pattern(self, var: str, where: str = "") -> str:
        # A parent filtered in Python gives a superset of its values: harmless, since
        # conformance is decided node by node and results are joined back to its nodes.
        up = var + "u"
        if self.parent.small:
            return f"{{ SELECT DISTINCT {var} WHERE {{ {self.parent.pattern(up)} {up} {self.path} {var} . {where} }} }}"
        scan = f"{{ SELECT DISTINCT {up} {var} WHERE {{ {up} {self.path} {var} . {where} }} }}"
        return f"{{ SELECT DISTINCT {var} WHERE {{ {self.parent.pattern(up)} {scan} }} }}"

    def member(self, var: str) -> str:
        up = var + "u"
        return f"{up} {self.path} {var} . {self.parent.member(up)}"


class SetFocus(Focus):
    """Explicit nodes: a VALUES block, or ``wider`` filtered to them in Python when they hold
    blank nodes or are too many to write out."""

    def __init__(self, nodes: Iterable[Term], wider: Focus) -> None:
        self.nodes = frozenset(nodes)
        self.wider = wider
        self.writable = len(self.nodes) <= SMALL and not any(
            isinstance(n, ox.BlankNode) for n in self.nodes
        )
        self.only = None if self.writable else self.nodes
        self.small = self.writable

    def pattern(self, var: str, where: str = "") -> str:
        if self.writable:
            return f"{{ VALUES {var} {{ {' '.join(_sparql(n) for n in self.nodes)} }} {where} }}"
        return self.wider.pattern(var, where)

    def member(self, var: str) -> str:
        if self.writable:
            return f"VALUES {var} {{ {' '.join(_sparql(n) for n in self.nodes)} }}"
        return self.wider.member(var)

    @property
    def key(self) -> tuple[Any, ...]:
        return ("set", self.nodes)


# --- the engine -----------------------------------------------------------------------


class Engine:
    """Compiles a shapes graph and validates an Oxigraph store against it."""

    def __init__(
        self, store: ox.Store, shapes: Graph, union: bool = True,
        only: Iterable[Term] | None = None,
    ) -> None:
        """``only``: validate just these nodes, each against the shapes that target it
        (as ``validation.narrow_targets`` does for pySHACL)."""
        self.store = store
        self.union = union
        self.shapes_graph = shapes
        self._subclasses: dict[URIRef, list[Term]] = {}
        self._memo: dict[tuple[Any, ...], frozenset[Term]] = {}
        self.queries = 0
        _refuse_global(shapes)
        compiler = _Compiler(shapes, self.subclasses)
        targeted = {s for p in _TARGETS for s in shapes.subjects(p, None)}
        self.top: list[tuple[Shape, Focus]] = []
        for node in sorted(targeted, key=str):
            shape = compiler.shape(node, nested=False)
            focus: Focus = self._targets(node)
            if only is not None:
                rows = self.select(f"SELECT DISTINCT ?this WHERE {{ {focus.pattern('?this')} }}")
                focus = SetFocus({r["this"] for r in rows} & set(only), focus)
            elif not shape.deactivated:
                rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {focus.pattern('?this')} }}")
                focus.small = int(rows[0]["n"].value) <= SMALL
            self.top.append((shape, focus))

    # queries

    def select(self, text: str) -> list[dict[str, Term]]:
        self.queries += 1
        answer = self.store.query(text, use_default_graph_as_union=self.union)
        assert isinstance(answer, ox.QuerySolutions)
        names = [v.value for v in answer.variables]
        return [{n: row[n] for n in names} for row in answer]

    def subclasses(self, cls: URIRef) -> list[Term]:
        if cls not in self._subclasses:
            rows = self.select(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}")
            found = {
                r["c"] for r in rows if r["c"] is not None and not isinstance(r["c"], ox.BlankNode)
            }
            found.add(ox.NamedNode(str(cls)))
            self._subclasses[cls] = sorted(found, key=str)
        return self._subclasses[cls]

    def _targets(self, node: Node) -> TargetFocus:
        g = self.shapes_graph
        branches: list[Callable[[str], str]] = []
        classes = sorted(
            {t for c in g.objects(node, SH.targetClass) for t in self._class_terms(node, c)},
            key=str,
        )
        if classes:
            written = " ".join(_sparql(c) for c in classes)
            branches.append(lambda v: f"{v} {_RDF_TYPE} {v}_type . VALUES {v}_type {{ {written} }}")
        nodes = sorted(g.objects(node, SH.targetNode), key=str)
        if nodes:
            if any(isinstance(n, BNode) for n in nodes):
                raise UnsupportedShape(node, "a blank node as sh:targetNode")
            listed = " ".join(_sparql(to_ox(n)) for n in nodes)
            branches.append(lambda v: f"VALUES {v} {{ {listed} }}")
        for prop in sorted(g.objects(node, SH.targetSubjectsOf), key=str):
            branches.append(functools.partial(_subject_of, str(prop)))
        for prop in sorted(g.objects(node, SH.targetObjectsOf), key=str):
            branches.append(functools.partial(_object_of, str(prop)))
        return TargetFocus(branches)

    def _class_terms(self, shape: Node, cls: Node) -> list[Term]:
        if not isinstance(cls, URIRef):
            raise UnsupportedShape(shape, "an sh:targetClass that is not an IRI")
        return self.subclasses(cls)

    # validation

    def run(self) -> list[CoreResult]:
        results: list[CoreResult] = []
        for shape, focus in self.top:
            if shape.deactivated:
                continue
            results += self._results(shape, focus)
            for prop in shape.properties:
                if not prop.deactivated:
                    results += self._results(prop, focus)
        return results

    def _results(self, shape: Shape, focus: Focus) -> list[CoreResult]:
        found = []
        for c in shape.constraints:
            for this, value in self.violations(shape, c, focus):
                found.append(
                    CoreResult(
                        focus=this,
                        path=shape.path,
                        value=value,
                        severity=shape.severity,
                        message=shape.messages[0]
                        if shape.messages
                        else generic_message(self, shape, c, this, value),
                        shape=shape.node,
                        component=c.component,
                    )
                )
        return found

    # Most constraints hold for nearly every node, so for a focus of many nodes each query
    # first finds what breaks the constraint anywhere (a scan of the path, filtered) and
    # then keeps the rows whose focus node is in the focus (FILTER EXISTS: index lookups for
    # those few rows only). Only sh:minCount and sh:hasValue must list the focus nodes;
    # they anti-join them with a scan (MINUS). A small focus (SMALL nodes at most) looks
    # its nodes' values up instead: an index lookup costs some fifty times a scanned row.

    def violations(
        self, shape: Shape, c: Constraint, focus: Focus
    ) -> list[tuple[Term, Term | None]]:
        """The (focus node, value node) pairs that break ``c`` of ``shape`` (value None when
        pySHACL reports none: cardinality and sh:hasValue)."""
        path = shape.sparql_path
        if path is None:  # a node shape: the value node is the focus node
            rows = [(n, n) for n in self._failing_nodes(c, focus)]
            if c.kind == "has":
                rows = [(n, None) for n, _ in rows]
            return sorted(rows, key=lambda p: str(p[0]))
        if c.kind == "count":
            pairs = {(n, None) for n in self._count_violations(c, focus, path)}
        elif c.kind == "has":
            has = _sparql(to_ox(c.argument))
            f = focus.pattern("?this")
            if focus.small:
                query = f"SELECT DISTINCT ?this WHERE {{ {f} FILTER NOT EXISTS {{ ?this {path} {has} }} }}"
            else:
                query = f"SELECT DISTINCT ?this WHERE {{ {f} MINUS {{ SELECT DISTINCT ?this WHERE {{ ?this {path} {has} }} }} }}"
            pairs = {(r["this"], None) for r in self.select(query)}
        elif c.kind == "value":
            pairs = self._value_violations(c, focus, path)
        else:
            bad = set(self.nonconforming_values(c, ValuesFocus(focus, path)))
            pairs = self._pairs_with_values(focus, path, bad)
        return sorted((p for p in pairs if focus.keep(p[0])), key=lambda p: (str(p[0]), str(p[1])))

    def _count_violations(self, c: Constraint, focus: Focus, path: str) -> set[Term]:
        n = int(c.argument.value)  # type: ignore[attr-defined]
        f = focus.pattern("?this")
        if c.parameter == SH.minCount and n == 1:
            if focus.small:
                query = f"SELECT DISTINCT ?this WHERE {{ {f} FILTER NOT EXISTS {{ ?this {path} ?value }} }}"
            else:
                query = f"SELECT DISTINCT ?this WHERE {{ {f} MINUS {{ SELECT DISTINCT ?this WHERE {{ ?this {path} ?value }} }} }}"
        elif c.parameter == SH.minCount:
            counts = f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ ?this {path} ?value }} GROUP BY ?this"
            if focus.small:
                counts = (
                    f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {f} ?this {path} ?value }} "
                    f"GROUP BY ?this"
                )
            query = f"SELECT DISTINCT ?this WHERE {{ {f} OPTIONAL {{ {counts} }} FILTER(!BOUND(?n) || ?n < {n}) }}"
        elif focus.small:
            query = (
                f"SELECT ?this WHERE {{ {f} ?this {path} ?value }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
            )
        else:
            counts = f"SELECT ?this WHERE {{ ?this {path} ?value }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
            query = f"SELECT DISTINCT ?this WHERE {{ {{ {counts} }} FILTER EXISTS {{ {focus.member('?this')} }} }}"
        return {r["this"] for r in self.select(query)}

    def _value_violations(
        self, c: Constraint, focus: Focus, path: str
    ) -> set[tuple[Term, Term | None]]:
        """The (focus, value) pairs failing a value constraint ``c`` (focus filtered by ``keep``
        only by the caller)."""
        query = None
        if focus.small:
            values = f"{focus.pattern('?this')} ?this {path} ?value ."
            if c.fail is not None:
                query = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER({c.fail('?value')}) }}"
                )
            elif c.instances is not None:
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER NOT EXISTS {{ {c.instances('?value')} }} }}"
            elif c.same_as is not None:
                query = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this <{c.same_as}> ?value }}"
                )
        else:
            # (The broken rows come from a subquery: Oxigraph would test membership first.)
            member = f"FILTER EXISTS {{ {focus.member('?this')} }}"
            if c.fail is not None:
                broken = f"SELECT ?this ?value WHERE {{ ?this {path} ?value . FILTER({c.fail('?value')}) }}"
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {{ {broken} }} {member} }}"
            elif c.instances is not None:
                broken = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ ?this {path} ?value "
                    f"MINUS {{ SELECT DISTINCT ?value WHERE {{ {c.instances('?value')} }} }} }}"
                )
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {{ {broken} }} {member} }}"
            elif c.same_as is not None:
                broken = f"SELECT ?this ?value WHERE {{ ?this {path} ?value . ?this <{c.same_as}> ?value }}"
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {{ {broken} }} {member} }}"
        pairs: set[tuple[Term, Term | None]] = set()
        if query is not None:
            pairs = {(r["this"], r["value"]) for r in self.select(query)}
        if c.suspect is not None and c.decide is not None:
            if focus.small:
                query = (
                    f"SELECT DISTINCT ?value WHERE {{ {focus.pattern('?this')} ?this {path} ?value . "
                    f"FILTER({c.suspect('?value')}) }}"
                )
            else:  # every value of the path: deciding a few more than needed costs less than joining
                query = f"SELECT DISTINCT ?value WHERE {{ ?this {path} ?value . FILTER({c.suspect('?value')}) }}"
            bad = {r["value"] for r in self.select(query) if c.decide(r["value"])}
            pairs |= self._pairs_with_values(focus, path, bad)
        return pairs

    def _pairs_with_values(
        self, focus: Focus, path: str, bad: set[Term]
    ) -> set[tuple[Term, Term | None]]:
        """The (focus, value) pairs whose value is one of ``bad``."""
        pairs: set[tuple[Term, Term | None]] = set()
        if not bad:
            return pairs
        member = f"FILTER EXISTS {{ {focus.member('?this')} }}"
        writable = sorted((b for b in bad if not isinstance(b, ox.BlankNode)), key=str)
        for start in range(0, len(writable), VALUES_CHUNK):
            chunk = " ".join(_sparql(b) for b in writable[start : start + VALUES_CHUNK])
            found = (
                f"SELECT ?this ?value WHERE {{ VALUES ?value {{ {chunk} }} ?this {path} ?value }}"
            )
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {{ {found} }} {member} }}"
            pairs |= {(r["this"], r["value"]) for r in self.select(query)}
        if len(writable) < len(bad):
            found = f"SELECT ?this ?value WHERE {{ ?this {path} ?value . FILTER(isBlank(?value)) }}"
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {{ {found} }} {member} }}"
            pairs |= {(r["this"], r["value"]) for r in self.select(query) if r["value"] in bad}
        return pairs

    def _failing_nodes(self, c: Constraint, focus: Focus) -> set[Term]:
        """The nodes of ``focus`` that break a node-level constraint ``c`` (value node = focus node)."""
        if c.kind == "value" and isinstance(focus, ValuesFocus) and not focus.small:
            # A value node of (parent, path) breaking c: c as a value constraint of that path.
            pairs = self._value_violations(c, focus.parent, focus.path)
            return {value for this, value in pairs if value is not None and focus.parent.keep(this)}
        f = focus.pattern("?this")
        found = set()
        if c.kind == "has":
            query = f"SELECT DISTINCT ?this WHERE {{ {f} FILTER(!sameTerm(?this, {_sparql(to_ox(c.argument))})) }}"
            found = {r["this"] for r in self.select(query)}
        elif c.kind == "value":
            query = None
            if c.fail is not None:
                query = f"SELECT DISTINCT ?this WHERE {{ {focus.pattern('?this', 'FILTER(' + c.fail('?this') + ')')} }}"
            elif c.instances is not None:
                if focus.small:
                    query = f"SELECT DISTINCT ?this WHERE {{ {f} FILTER NOT EXISTS {{ {c.instances('?this')} }} }}"
                else:
                    query = f"SELECT DISTINCT ?this WHERE {{ {f} MINUS {{ SELECT DISTINCT ?this WHERE {{ {c.instances('?this')} }} }} }}"
            elif c.same_as is not None:
                query = f"SELECT DISTINCT ?this WHERE {{ {f} ?this <{c.same_as}> ?this }}"
            if query is not None:
                found = {r["this"] for r in self.select(query)}
            if c.suspect is not None and c.decide is not None:
                query = f"SELECT DISTINCT ?this WHERE {{ {focus.pattern('?this', 'FILTER(' + c.suspect('?this') + ')')} }}"
                found |= {r["this"] for r in self.select(query) if c.decide(r["this"])}
        else:
            found = set(self.nonconforming_values(c, focus))
        return {n for n in found if focus.keep(n)}

    # nested shapes

    def nonconforming_values(self, c: Constraint, focus: Focus) -> frozenset[Term]:
        """The nodes of ``focus`` that break the shape-based constraint ``c``."""
        if c.parameter == SH.node:
            return self.nonconforming(c.shapes[0], focus)
        if c.parameter == SH["and"]:
            return frozenset().union(*(self.nonconforming(s, focus) for s in c.shapes))
        if c.parameter == SH["not"]:
            return self.members(focus) - self.nonconforming(c.shapes[0], focus)
        # sh:or: a node breaks it when it breaks every disjunct; each disjunct after the
        # first is evaluated only on the nodes that broke all the ones before.
        remaining: Focus = focus
        bad: frozenset[Term] = frozenset()
        for shape in c.shapes:
            bad = self.nonconforming(shape, remaining)
            if not bad:
                return bad
            remaining = SetFocus(bad, focus)
        return bad

    def nonconforming(self, shape: Shape, focus: Focus) -> frozenset[Term]:
        """The nodes of ``focus`` that do not conform to ``shape`` (memoised)."""
        key = (id(shape), focus.key)
        if key in self._memo:
            return self._memo[key]
        bad: set[Term] = set()
        if not shape.deactivated:
            for c in shape.constraints:
                bad |= {this for this, _ in self.violations(shape, c, focus)}
            for prop in shape.properties:
                bad |= self.nonconforming(prop, focus)
        result = frozenset(n for n in bad if focus.keep(n))
        self._memo[key] = result
        return result

    def members(self, focus: Focus) -> frozenset[Term]:
        if isinstance(focus, SetFocus):
            return focus.nodes
        rows = self.select(f"SELECT DISTINCT ?this WHERE {{ {focus.pattern('?this')} }}")
        return frozenset(r["this"] for r in rows if focus.keep(r["this"]))


def _subject_of(prop: str, v: str) -> str:
    return f"{v} <{prop}> {v}_object"


def _object_of(prop: str, v: str) -> str:
    return f"{v}_subject <{prop}> {v}"


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _refuse_global(shapes: Graph) -> None:
    """Features of the shapes graph as a whole that the engine does not implement."""
    for predicate, what in (
        (SH.target, "sh:target (SPARQL-based targets)"),
        (SH.rule, "sh:rule (SHACL rules)"),
        (SH.parameter, "sh:parameter (custom constraint components)"),
    ):
        for subject in shapes.subjects(predicate, None):
            raise UnsupportedShape(subject, what)
    for subject in shapes.subjects(RDF.type, SH.ConstraintComponent):
        raise UnsupportedShape(subject, "a custom constraint component")
    owl_class = URIRef("http://www.w3.org/2002/07/owl#Class")
    for kind in (SH.NodeShape, SH.PropertyShape):
        for subject in shapes.subjects(RDF.type, kind):
            if (subject, RDF.type, RDFS.Class) in shapes or (
                subject,
                RDF.type,
                owl_class,
            ) in shapes:
                raise UnsupportedShape(
                    subject, "implicit class targets (a shape that is also a class)"
                )


def validate_core(
    store: ox.Store, shapes: Graph, union: bool = True, only: Iterable[Term] | None = None
) -> list[CoreResult]:
    """Every result of the core constraints of ``shapes`` on ``store`` (``union``: over the
    union of its named graphs; ``only``: for these nodes alone). Raises
    :class:`UnsupportedShape` on a feature it lacks."""
    return Engine(store, shapes, union, only).run()


# --- messages pySHACL generates when a shape has no sh:message --------------------------


def generic_message(
    engine: Engine, shape: Shape, c: Constraint, focus: Term, value: Term | None
) -> str:
    """pySHACL's own message for a result of a shape without ``sh:message``."""
    from pyshacl.rdfutil.stringify import stringify_node

    sg = engine.shapes_graph
    data = _description_graph(engine.store, [t for t in (focus, value) if t is not None])

    def shown(term: Term | None) -> str:
        return stringify_node(data, to_rdflib(term)) if term is not None else "None"

    def shape_text(node: Node) -> str:
        return stringify_node(sg, node)

    p = c.parameter
    path = stringify_node(sg, shape.path) if shape.path is not None else None
    if p == SH.minCount or p == SH.maxCount:
        word = "Less" if p == SH.minCount else "More"
        n = str(c.argument.value)  # type: ignore[attr-defined]
        return (
            f"{word} than {n} values on {shown(focus)}->{path}"
            if path
            else f"{word} than {n} values on {shown(focus)}"
        )
    if p == SH["class"]:
        return f"Value does not have class {shape_text(c.argument)}"
    if p == SH.datatype:
        return f"Value is not Literal with datatype {shape_text(c.argument)}"
    if p == SH.nodeKind:
        return f"Value is not of Node Kind {shape_text(c.argument)}"
    if p == SH["in"]:
        members: set[Node] = set()  # pySHACL keeps them in a set, and lists them in its order
        for item in sg.items(c.argument):
            members.add(item)
        return f"Value {shown(value)} not in list {[shape_text(v) for v in members]}"
    if p == SH.hasValue:
        if path:
            return f"Node {shown(focus)}->{path} does not contain a value in the set: {[shape_text(c.argument)]}"
        return (
            f"Node {shown(focus)} value is not a in the set of values: {[shape_text(c.argument)]}"
        )
    if p == SH.pattern:
        return f"Value does not match pattern '{c.argument.value}'"  # type: ignore[attr-defined]
    if p in _RANGES:
        mark = {
            SH.minInclusive: ">=",
            SH.minExclusive: ">",
            SH.maxInclusive: "<=",
            SH.maxExclusive: "<",
        }[p]
        return f"Value is not {mark} {shape_text(c.argument)}"
    if p == SH.disjoint:
        return f"Value of {shown(focus)}->{shape_text(c.argument)} == {shown(value)}"
    if p == SH.node:
        return f"Value does not conform to Shape {shape_text(c.argument)}. See details for more information."
    if p == SH["not"]:
        return f"Node {shown(value)} must not conform to shape {shape_text(c.argument)}"
    listed = " , ".join(shape_text(m) for m in sg.items(c.argument))
    verb = "one or more shapes" if p == SH["or"] else "all shapes"
    return f"Node {shown(value)} must conform to {verb} in {listed}"


def _description_graph(store: ox.Store, terms: list[Term]) -> Graph:
    """An rdflib graph that pySHACL's stringify_node can describe ``terms`` from: blank nodes
    are written out from their own statements (recursively through blank nodes)."""
    graph = Graph()
    todo = [t for t in terms if isinstance(t, ox.BlankNode)]
    seen: set[Term] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in store.quads_for_pattern(node, None, None, None):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
            if isinstance(quad.object, ox.BlankNode):
                todo.append(quad.object)
    return graph


# --- labels and files of result nodes, read from the store ---------------------------


def best_label(store: ox.Store, node: Term, label_properties: Iterable[str]) -> str | None:
    """``validation.best_label`` on the store: the first label property with values, English
    or untagged first, then in string order."""
    if isinstance(node, ox.Literal):
        return None
    for prop in label_properties:
        values = {
            to_rdflib(q.object)
            for q in store.quads_for_pattern(node, ox.NamedNode(prop), None, None)
        }
        if values:
            first = min(
                values, key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v))
            )
            return str(first)
    return None


def files_stating(
    store: ox.Store, node: Term, path: Node | None, graph_files: dict[str, str]
) -> tuple[str, ...]:
    """The files whose graphs state (node, path), else any statement about node
    (``validation._where`` on ``union_and_provenance``, read from the store)."""
    if isinstance(node, ox.Literal):
        return ()

    def files(predicate: Term | None) -> tuple[str, ...]:
        found = set()
        for quad in store.quads_for_pattern(node, predicate, None, None):
            graph = quad.graph_name
            rel = graph_files.get(graph.value) if isinstance(graph, ox.NamedNode) else None
            if rel:
                found.add(rel)
        return tuple(sorted(found))

    if isinstance(path, URIRef):
        stated = files(ox.NamedNode(str(path)))
        if stated:
            return stated
    return files(None)


def targeting_graph(store: ox.Store, shapes: Graph, shape_nodes: Iterable[Node]) -> Graph:
    """What ``cskg.constraints.targets`` reads to find the focus nodes of ``shape_nodes``:
    every rdfs:subClassOf statement, the rdf:type statements of instances of their target
    classes (and subclasses), and the statements of their sh:targetSubjectsOf /
    sh:targetObjectsOf properties. Nothing else of the store is copied."""
    graph = Graph()
    sub = ox.NamedNode(str(RDFS.subClassOf))
    for quad in store.quads_for_pattern(None, sub, None, None):
        graph.add((to_rdflib(quad.subject), RDFS.subClassOf, to_rdflib(quad.object)))
    nodes = set(shape_nodes)
    classes: set[Node] = set()
    for shape in nodes:
        for cls in shapes.objects(shape, SH.targetClass):
            classes |= {c for c in graph.transitive_subjects(RDFS.subClassOf, cls) if c is not None}
    rdf_type = ox.NamedNode(str(RDF.type))
    for cls in sorted(classes, key=str):
        if isinstance(cls, URIRef):
            for quad in store.quads_for_pattern(None, rdf_type, ox.NamedNode(str(cls)), None):
                graph.add((to_rdflib(quad.subject), RDF.type, cls))
    for predicate in (SH.targetSubjectsOf, SH.targetObjectsOf):
        for prop in {p for s in nodes for p in shapes.objects(s, predicate)}:
            if isinstance(prop, URIRef):
                for quad in store.quads_for_pattern(None, ox.NamedNode(str(prop)), None, None):
                    graph.add((to_rdflib(quad.subject), prop, to_rdflib(quad.object)))
    return graph
