"""The graph as a network of entities, for networkx: paths, neighbourhoods, centrality.

The projection is this project's own; the algorithms are networkx's, or igraph's
where networkx is too slow for a large graph (betweenness beyond a few thousand
nodes, PageRank, components), with networkx's definitions and scaling; communities
are networkx's greedy modularity, computed here with the same arithmetic and ties
(``_greedy_modularity``), and so the same partition, several times faster.

Nodes are entities: IRIs typed in a source graph with a class other than the
ones listed in ``NOT_ENTITIES`` (SKOS concepts, time intervals and instants,
regions, inferred-statement marks, the graphs' own descriptions). Edges are the
statements between two entities, one per distinct (subject, property, object),
carrying the property and every source that states it. Literals never become
nodes: they, concept values (a grade, a focus), time spans and regions become
node attributes.

How it is read, and why (the cost of the store, not of networkx, sets the pace):
every term the store hands back is a look-up in the store's string table, a few
microseconds each, and every row a query's filter function (``isIRI``...) looks
at costs one too. So the projection asks for as few terms as it can: the
entities class by class (one term a row), then the links in one query that joins
every statement with the entities at both ends inside the store (three terms a
link), and reads query results as TSV text rather than as Python term objects.
What the network questions do not need is read only when it is first asked for:
a node's label (ranked lists need only the labels they print), its other
attributes (``export`` reads them all) and the sources of a link. Node and edge
attribute dictionaries fill themselves in from the store on first use, so
``proj.graph`` reads like a plain networkx graph whose attributes are all there.
What is read up front (entities, their types, links) is kept in a file beside an
embedded store and read back from it until the store changes (``cskg.network_cache``);
``cskg build`` writes that file too (``keep_projection``).
"""

from __future__ import annotations

import gc
import heapq
import math
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pyoxigraph as ox

from cskg import network_cache
from cskg.errors import InputError
from cskg.labels import LABEL_PROPERTIES, normalise
from cskg.labels import curie as _curie_uncached
from cskg.prefixes import PREFIXES

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
    # a snapshot's record of each row it listed; the inspection's edge to its council stays
    PREFIXES["cskg"] + "SnapshotEntry",
    PREFIXES["prov"] + "Activity",
}
_BEGIN = PREFIXES["time"] + "hasBeginning"
_END = PREFIXES["time"] + "hasEnd"
_DURING = {PREFIXES["org"] + "memberDuring", PREFIXES["cskg"] + "activeDuring"}
_INSTANT_VALUES = {PREFIXES["time"] + n for n in ("inXSDDate", "inXSDgYearMonth", "inXSDgYear")}
_DERIVED_FROM = PREFIXES["prov"] + "wasDerivedFrom"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_LANG_STRING = PREFIXES["rdf"] + "langString"

_CURIES: dict[str, str] = {}


def curie(iri: str) -> str:
    """``cskg.labels.curie``, remembered (it tries every prefix with a regular expression)."""
    found = _CURIES.get(iri)
    if found is None:
        found = _CURIES[iri] = _curie_uncached(iri)
    return found


@contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: building a million containers (which hold no
    cycles) would otherwise trigger full collections over a growing heap, seconds of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- reading query results ---------------------------------------------------------------

_ESCAPE = re.compile(r'\\(?:([tbnrf"\'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _ESCAPED[m[1]] if m[1] else chr(int(m[2] or m[3], 16)), text)


def _literal(raw: str) -> tuple[str, str, str | None]:
    """A literal as SPARQL TSV writes it -> (lexical value, datatype IRI, language)."""
    if raw.startswith('"'):
        end = raw.rindex('"')
        value, rest = _unescape(raw[1:end]), raw[end + 1:]
        if not rest:
            return value, _XSD + "string", None
        if rest.startswith("@"):
            return value, _LANG_STRING, rest[1:]
        return value, rest[3:-1], None  # ^^<datatype>
    # the short forms Turtle allows: booleans and numbers
    if raw in ("true", "false"):
        return raw, _XSD + "boolean", None
    if _INTEGER.fullmatch(raw):
        return raw, _XSD + "integer", None
    return raw, _XSD + ("double" if "e" in raw or "E" in raw else "decimal"), None


def _term_value(raw: str) -> str:
    """What ``term.value`` would be for a term as SPARQL TSV writes it."""
    if raw.startswith("<"):
        return raw[1:-1]
    if raw.startswith("_:"):
        return raw[2:]
    return _literal(raw)[0]


def _value(raw: str) -> Any:
    """A literal as a Python value for attributes: numbers and booleans typed, the rest text."""
    value, datatype, _ = _literal(raw)
    datatype = datatype.rsplit("#", 1)[-1]
    if datatype in {"integer", "positiveInteger", "nonNegativeInteger", "int"}:
        return int(value)
    if datatype == "boolean":
        return value == "true"
    if datatype in {"decimal", "double", "float"}:
        return float(value)
    return value


def _iri(term: str) -> str:
    """An IRI as a SPARQL term."""
    return str(ox.NamedNode(term))


#: A subquery's LIMIT (no limit at all in effect) keeps the store from looking each row of a
#: join up in an index: it hashes both sides instead, which is many times faster here.
_NO_LIMIT = 10**15


class _Reader:
    """The store's rows, as text, for the projection now and for what it reads later."""

    def __init__(self, store: Any) -> None:
        self.store = store
        #: a SPARQL server rather than the embedded store (``cskg.remote.RemoteStore``)
        self.remote = bool(getattr(store, "endpoint", None))
        self._excluded = ", ".join(_iri(t) for t in sorted(NOT_ENTITIES))
        self._graphs: tuple[str, bool] | None = None  # read on first use: a projection
        # kept beside the store (``cskg.network_cache``) may need no query naming them

    def _other_graphs(self) -> tuple[str, bool]:
        """The named graphs other than the data graphs, as a SPARQL list, and whether any is blank."""
        if self._graphs is None:
            data_graphs = set(self.store.data_graphs())
            if self.remote:  # the graphs the server was found to hold
                named = [f"<{g}>" for g in self.store.graphs]  # (Virtuoso has no `GRAPH ?g {}`)
            else:
                named = [g for g, in self.rows("SELECT ?g WHERE { GRAPH ?g { } }")]
            others = sorted(g[1:-1] for g in named if g.startswith("<") and g[1:-1] not in data_graphs)
            self._graphs = (", ".join(_iri(g) for g in others), any(not g.startswith("<") for g in named))
        return self._graphs

    def in_data(self, g: str = "g") -> str:
        """A FILTER keeping ``?g`` to the data graphs (by naming the store's few others)."""
        others, blank_graphs = self._other_graphs()
        tests = [f"?{g} NOT IN ({others})"] if others else []
        if blank_graphs:
            tests.append(f"!isBlank(?{g})")
        return f"FILTER({' && '.join(tests)})" if tests else ""

    def entities(self, v: str) -> str:
        """The entities, as a subquery binding ``?v``."""
        return (f"{{ SELECT DISTINCT ?{v} WHERE {{ GRAPH ?{v}_g {{ ?{v} a ?{v}_t }} {self.in_data(v + '_g')} "
                f"FILTER(?{v}_t NOT IN ({self._excluded})) }} }}")

    def statements(self, graph: bool = False) -> str:
        """Every statement of the data graphs, as a subquery binding ?s ?p ?o (and ?g)."""
        return (f"{{ SELECT ?s ?p ?o{' ?g' if graph else ''} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"{self.in_data()} }} LIMIT {_NO_LIMIT} }}")

    def entity_statements(self, graph: bool = False, objects: bool = True) -> str:
        """A SELECT DISTINCT of ?s ?p ?o (and ?g): the data statements about an entity (and,
        with ``objects``, naming one), or more; callers keep only the entities' rows.

        The embedded store joins the statements to the entities (hash joins: fewer rows to
        read at 1M triples). A server is asked for the statements between IRIs instead, as
        every engine plans that well: Virtuoso timed out on the join, and under load some of
        its answers to it missed rows."""
        head = f"SELECT DISTINCT ?s ?p ?o{' ?g' if graph else ''} WHERE"
        if self.remote:
            ends = "isIRI(?s) && isIRI(?o)" if objects else "isIRI(?s)"
            return f"{head} {{ GRAPH ?g {{ ?s ?p ?o }} {self.in_data()} FILTER({ends}) }}"
        joined = f"{self.entities('o')} {self.entities('s')}" if objects else self.entities("s")
        return f"{head} {{ {self.statements(graph)} {joined} }}"

    def rows(self, sparql: str) -> Iterator[list[str]]:
        """Each row's terms as SPARQL TSV writes them (``<iri>``, ``"text"@en``, ``_:b``, ``12``)."""
        result = self.store.query(sparql)
        try:
            data = bytes(result.serialize(format=ox.QueryResultsFormat.TSV))
        except AttributeError:  # not QuerySolutions: write the terms the same way
            for row in result:
                yield [str(t) if t is not None else "" for t in row]
            return
        lines = data.decode().split("\n")
        for line in lines[1:]:
            if line:
                yield line.split("\t")

    # --- names -------------------------------------------------------------------

    def best_labels(self, iris: Iterable[str] | None) -> dict[str, str]:
        """As ``cskg.labels.labels``: the best label of each IRI (of all, for None)."""
        props = ", ".join(_iri(p) for p in LABEL_PROPERTIES)
        rank = {p: i * 2 for i, p in enumerate(LABEL_PROPERTIES)}
        queries: list[tuple[str, str | None]]
        if iris is None:  # one pass over each label property
            queries = [(f"SELECT ?s ?l WHERE {{ ?s {_iri(p)} ?l }}", p) for p in LABEL_PROPERTIES]
        else:
            wanted = sorted({i for i in iris if re.match(r"[a-z][a-z0-9+.-]*:", i)})
            chunks = (" ".join(map(_iri, wanted[i:i + 500])) for i in range(0, len(wanted), 500))
            queries = [(f"SELECT ?s ?l ?p WHERE {{ VALUES ?s {{ {chunk} }} ?s ?p ?l FILTER(?p IN ({props})) }}",
                        None) for chunk in chunks]
        result: dict[str, str] = {}
        best: dict[str, int] = {}
        for sparql, prop in queries:
            for s, lit, *p in self.rows(sparql):
                if not s.startswith("<") or lit.startswith(("<", "_:")):
                    continue
                subject = s[1:-1]
                value, _, language = _literal(lit)
                score = rank[prop or p[0][1:-1]] + (0 if language in (None, "en") else 1)
                known = best.get(subject)
                if known is None or score < known or (score == known and value < result[subject]):
                    best[subject], result[subject] = score, value
        return result

    def source_labels(self, graphs: Iterable[str] | None) -> dict[str, str]:
        """As ``cskg.entities.source_labels``, for some graphs (or all)."""
        pattern = f"GRAPH ?g {{ ?g {_iri(_DERIVED_FROM)} ?src }}"
        if graphs is None:
            sparql = f"SELECT ?g ?src WHERE {{ {pattern} }}"
            wanted = None
        else:
            wanted = sorted(set(graphs))
            sparql = f"SELECT ?g ?src WHERE {{ VALUES ?g {{ {' '.join(map(_iri, wanted))} }} {pattern} }}"
        by_graph = {_term_value(g): _term_value(src) for g, src in self.rows(sparql)} if wanted != [] else {}
        names = self.best_labels(by_graph.values())
        found = {g: names.get(src, curie(src)) for g, src in by_graph.items()}
        for graph, rel in self.store.graph_files.items():
            if wanted is None or graph in wanted:
                found.setdefault(graph, rel)
        return found


# --- attributes read when first asked for ----------------------------------------------


class _Lazy(dict[Any, Any]):
    """A dict some of whose keys are read from the store when first asked for.

    Reading a key that is there costs what it costs in a dict. Anything that needs
    every key (iteration, ``len``, ``items``, ``copy``, ``==``, ``**``) loads the rest
    first, and so does asking for a key that is not there yet.
    """

    # no __init__ (a Python one would cost a microsecond a node): unset means nothing to load
    __slots__ = ("_id", "_loader")
    _id: Any
    _loader: Any

    def _pending(self) -> Any:
        try:
            return self._loader
        except AttributeError:
            return None

    def _complete(self) -> None:
        loader = self._pending()
        if loader is not None:
            full = loader.full(self._id)
            self._loader = None
            mine = dict(dict.items(self))
            dict.clear(self)
            dict.update(self, full)
            dict.update(self, mine)

    def _fetch(self, key: Any) -> None:
        """Load ``key``, or everything when it is not one the loader can fetch alone."""
        loader = self._pending()
        if loader is None:
            return
        value = loader.one(self._id, key)
        if value is _ALL:
            self._complete()
        elif value is not _NONE:
            self._place(key, value)

    def _place(self, key: Any, value: Any) -> None:
        dict.__setitem__(self, key, value)

    def __missing__(self, key: Any) -> Any:
        self._fetch(key)
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        raise KeyError(key)

    def get(self, key: Any, default: Any = None) -> Any:
        if not dict.__contains__(self, key):
            self._fetch(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        if not dict.__contains__(self, key):
            self._fetch(key)
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[Any]:
        self._complete()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._complete()
        return dict.__len__(self)

    def __reversed__(self) -> Iterator[Any]:
        self._complete()
        return dict.__reversed__(self)

    def __eq__(self, other: object) -> bool:
        self._complete()
        if isinstance(other, _Lazy):
            other._complete()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # a dict is not hashable

    def __repr__(self) -> str:
        self._complete()
        return dict.__repr__(self)

    def __reduce_ex__(self, protocol: Any) -> Any:
        self._complete()
        return (dict, (dict(dict.items(self)),))

    def __or__(self, other: Any) -> Any:
        self._complete()
        return dict(dict.items(self)) | other

    def __ror__(self, other: Any) -> Any:
        self._complete()
        return other | dict(dict.items(self))

    def __ior__(self, other: Any) -> Any:
        dict.update(self, other)
        return self

    def __delitem__(self, key: Any) -> None:
        self._complete()
        dict.__delitem__(self, key)

    def keys(self) -> Any:
        self._complete()
        return dict.keys(self)

    def values(self) -> Any:
        self._complete()
        return dict.values(self)

    def items(self) -> Any:
        self._complete()
        return dict.items(self)

    def copy(self) -> dict[Any, Any]:
        self._complete()
        return dict(dict.items(self))

    def pop(self, key: Any, *default: Any) -> Any:
        self._complete()
        return dict.pop(self, key, *default)

    def popitem(self) -> Any:
        self._complete()
        return dict.popitem(self)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if not dict.__contains__(self, key):
            self._fetch(key)
        return dict.setdefault(self, key, default)

    def clear(self) -> None:
        self._loader = None
        dict.clear(self)


class _NodeData(_Lazy):
    """A node's attributes: its type at once; its label, then the rest, on first use."""

    __slots__ = ()

    def _place(self, key: Any, value: Any) -> None:
        # the label comes first, as the projection has always written it
        rest = list(dict.items(self))
        dict.clear(self)
        dict.__setitem__(self, key, value)
        dict.update(self, rest)

    def _lazy_copy(self) -> _NodeData:
        twin = _NodeData(dict.items(self))
        loader = self._pending()
        if loader is not None:
            twin._loader, twin._id = loader, self._id
        return twin


class _EdgeData(_Lazy):
    """A link's attributes: its property at once; its sources on first use."""

    __slots__ = ()


class EntityGraph(nx.MultiDiGraph):  # type: ignore[misc]
    """The projection's graph: a networkx MultiDiGraph whose attributes load when first read."""

    node_attr_dict_factory = _NodeData
    edge_attr_dict_factory = _EdgeData


class _Undirected(nx.Graph):  # type: ignore[misc]
    node_attr_dict_factory = _NodeData


_ALL = object()  # "load everything": no key of its own
_NONE = object()  # "no such key"
#: Labels read one node at a time before all are read at once.
_SINGLE_LOADS = 64
#: Above this many at once, every label is read in one pass over the label statements.
_MANY_LABELS = 20000


class _Loader:
    """What the projection reads later: labels, the other attributes, the sources of links."""

    def __init__(self, reader: _Reader, types: dict[str, tuple[str, str]],
                 edges: dict[tuple[str, str, str], None], edge_predicates: dict[str, str]) -> None:
        self.reader = reader
        self.types = types  # node -> (type, types)
        self.edges = edges
        self.edge_predicates = edge_predicates  # predicate -> its label
        self.labels: dict[str, str | None] = {}  # None: no label (its CURIE stands in)
        self.all_labels = False
        self.singles = 0
        self._full: dict[str, dict[str, Any]] | None = None
        self._predicate_labels: dict[str, str] | None = None
        self._sources: dict[tuple[str, str, str], str] = {}
        self.all_sources = False
        self.source_singles = 0
        self._graph_sources: dict[str, str] = {}

    # labels ------------------------------------------------------------------------------

    def load_labels(self, nodes: Iterable[str]) -> None:
        """Read the labels of these nodes (all of them, when there are many)."""
        if self.all_labels:
            return
        missing = [n for n in nodes if n not in self.labels]
        if not missing:
            return
        if len(missing) > _MANY_LABELS or len(missing) * 4 > len(self.types):
            names = self.reader.best_labels(None)
            self.labels.update({n: names.get(n) for n in self.types})
            self.all_labels = True
            return
        names = self.reader.best_labels(missing)
        self.labels.update({n: names.get(n) for n in missing})

    def label(self, node: str) -> str:
        if node not in self.labels and not self.all_labels:
            self.singles += 1
            self.load_labels(self.types if self.singles > _SINGLE_LOADS else [node])
        found = self.labels.get(node)
        return found if found is not None else curie(node)

    # sources of links -------------------------------------------------------------------

    def _source_names(self, graphs: Iterable[str] | None) -> dict[str, str]:
        if graphs is None:
            self._graph_sources = self.reader.source_labels(None)
        else:
            missing = {g for g in graphs if g not in self._graph_sources}
            if missing:
                self._graph_sources.update(self.reader.source_labels(missing))
        return self._graph_sources

    def load_sources(self) -> None:
        """Read the sources of every link, in one pass."""
        if self.all_sources:
            return
        found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for s, p, o, g in self.reader.rows(self.reader.entity_statements(graph=True)):
            key = (s[1:-1], p[1:-1], o[1:-1])
            if key in self.edges:
                found[key].add(g[1:-1])
        names = self._source_names(None)
        self._sources = {k: "; ".join(sorted({names.get(g, g) for g in gs})) for k, gs in found.items()}
        self.all_sources = True

    def _one_source(self, s: str, p: str, o: str) -> None:
        sparql = (f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {_iri(s)} {_iri(p)} {_iri(o)} }} "
                  f"{self.reader.in_data()} }}")
        graphs = {_term_value(g) for g, in self.reader.rows(sparql)}
        names = self._source_names(graphs)
        self._sources[(s, p, o)] = "; ".join(sorted({names.get(g, g) for g in graphs}))

    def sources(self, edge: tuple[str, str, str]) -> str:
        if edge not in self._sources and not self.all_sources:
            self.source_singles += 1
            if self.source_singles > _SINGLE_LOADS:
                self.load_sources()
            else:
                self._one_source(*edge)
        return self._sources.get(edge, "")

    # what the lazy dictionaries ask ----------------------------------------------------------

    def one(self, key: Any, name: Any) -> Any:
        if isinstance(key, tuple):  # a link: (s, o, p)
            return self.sources((key[0], key[2], key[1])) if name == "sources" else _ALL
        if name == "label":
            return self.label(key)
        if name in ("type", "types"):
            return _NONE
        return _ALL

    def full(self, key: Any) -> dict[str, Any]:
        if isinstance(key, tuple):
            s, o, p = key
            name = self.edge_predicates.get(p, curie(p))
            return {"predicate": curie(p), "label": name, "sources": self.sources((s, p, o))}
        if self._full is None:
            self._load_attributes()
        assert self._full is not None
        return self._full.get(key) or {"label": self.label(key)}

    # every attribute ----------------------------------------------------------------------

    def predicate_labels(self) -> dict[str, str]:
        if self._predicate_labels is None:
            self._load_attributes()
        assert self._predicate_labels is not None
        return self._predicate_labels

    def _intervals(self) -> dict[str, tuple[str, str]]:
        """Each time:Interval's (start, end) as text at the precision stated."""
        found: dict[str, dict[str, str]] = {}
        for prop in [_BEGIN, _END, *sorted(_INSTANT_VALUES)]:
            key = prop if prop in (_BEGIN, _END) else "instant"
            values = found.setdefault(key, {})
            sparql = f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s {_iri(prop)} ?o }} {self.reader.in_data()} }}"
            for s, o in self.reader.rows(sparql):
                values[_term_value(s)] = _term_value(o)
        begins, ends, instants = found[_BEGIN], found[_END], found["instant"]
        ids = set(begins) | set(ends)
        return {i: (instants.get(begins.get(i, ""), ""), instants.get(ends.get(i, ""), "")) for i in ids}

    def _load_attributes(self) -> None:
        with _no_gc():
            self._read_attributes()

    def _read_attributes(self) -> None:
        intervals = self._intervals()
        entities = self.types
        attributes: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
        resources: set[str] = set()
        for s, p, o in self.reader.rows(self.reader.entity_statements(objects=False)):
            s, p = s[1:-1], p[1:-1]
            if s not in entities or p == RDF_TYPE:
                continue
            if o.startswith(("_:", "<<")):  # blank nodes and quoted triples are neither
                continue
            if o.startswith("<"):
                o = o[1:-1]
                if o in entities:
                    continue
                if p in _DURING and o in intervals:
                    start, end = intervals[o]
                    if start:
                        attributes[s]["from"].add(start)
                    if end:
                        attributes[s]["to"].add(end)
                else:
                    attributes[s][p].add(("iri", o))
                    resources.add(o)
            else:
                attributes[s][p].add(_value(o))
        predicates = {p for a in attributes.values() for p in a if p not in ("from", "to")}
        names = self.reader.best_labels(resources | predicates)
        self.load_labels(entities)
        full: dict[str, dict[str, Any]] = {}
        for node, (kind, kinds) in entities.items():
            data: dict[str, Any] = {"label": self.label(node), "type": kind, "types": kinds}
            for prop, values in sorted(attributes[node].items()) if node in attributes else ():
                key = prop if prop in ("from", "to") else _attribute_key(prop)
                shown = sorted(names.get(v[1], curie(v[1])) if isinstance(v, tuple) else v for v in values)
                data[key] = shown[0] if len(shown) == 1 else "; ".join(str(v) for v in shown)
            full[node] = data
        self._full = full
        labels = dict(self.edge_predicates)
        labels.update({p: names.get(p, curie(p)) for p in predicates if p not in labels})
        self._predicate_labels = labels


class Projection:
    """A networkx MultiDiGraph of entities, and the labels used to write about it."""

    def __init__(self, graph: nx.MultiDiGraph, predicate_labels: dict[str, str] | None = None,
                 loader: _Loader | None = None) -> None:
        self.graph = graph
        self._predicate_labels = predicate_labels
        self._loader = loader

    @property
    def predicate_labels(self) -> dict[str, str]:
        """The label of every property the graph uses, as a link or as an attribute."""
        if self._predicate_labels is None:
            self._predicate_labels = self._loader.predicate_labels() if self._loader else {}
        return self._predicate_labels

    def undirected(self) -> nx.Graph:
        """One undirected edge per connected pair (for paths, centrality, communities)."""
        simple = _Undirected()
        simple.add_nodes_from(self.graph)
        for node, data in self.graph.nodes(data=True):
            if isinstance(data, _NodeData):
                simple._node[node] = data._lazy_copy()
            else:
                simple._node[node].update(data)
        simple.add_edges_from(self.graph.edges())
        return simple

    def with_labels(self, nodes: Iterable[str]) -> None:
        """Read the labels of these nodes now, together (each read alone is a query)."""
        if self._loader is not None:
            self._loader.load_labels(nodes)


def project(store: Any) -> Projection:
    """Project the store's source graphs into networkx (see the module docstring)."""
    with _no_gc():
        return _project(store)


#: Bump when what ``_read_parts`` reads changes (which nodes, their types, which links,
#: how they are written): it names the parts kept beside the store (``cskg.network_cache``).
PROJECTION_VERSION = 1


def _project(store: Any) -> Projection:
    reader = _Reader(store)
    return _build(reader, network_cache.cached(store, PROJECTION_VERSION, lambda: _read_parts(reader)))


def keep_projection(store: Any) -> bool:
    """Read what the projection reads up front into the file beside the store now, unless
    the file holds it already: ``cskg build`` does, so that the first network command after
    it need not read the store. True when the file holds it (``network_cache.keep``)."""
    with _no_gc():
        return network_cache.keep(store, PROJECTION_VERSION, lambda: _read_parts(_Reader(store)))


def _read_parts(reader: _Reader) -> network_cache.Parts:
    """The entities, their types and the links between them, read from the store."""
    data = reader.in_data()
    # the entities, class by class (a class is one term; its members one a row)
    classes = [t for t, in reader.rows(f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ ?s a ?t }} {data} }}")]
    types: dict[str, set[str]] = defaultdict(set)
    blank = set()  # blank classes cannot be named in a query: read together, if there are any
    for raw in classes:
        if _term_value(raw) in NOT_ENTITIES:
            continue
        if raw.startswith("_:"):
            blank.add(raw)
            continue
        for s, in reader.rows(f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a {raw} }} {data} }}"):
            if s.startswith("<"):
                types[s[1:-1]].add(_term_value(raw))
    if blank:
        for s, t in reader.rows(f"SELECT ?s ?t WHERE {{ GRAPH ?g {{ ?s a ?t }} {data} FILTER(isBlank(?t)) }}"):
            if s.startswith("<") and t in blank:
                types[s[1:-1]].add(_term_value(t))
    # the links: statements whose both ends are entities
    edges: dict[tuple[str, str, str], None] = {}
    for s, p, o in reader.rows(reader.entity_statements()):
        if s.startswith("<") and o.startswith("<") and p != f"<{RDF_TYPE}>":
            s, o = s[1:-1], o[1:-1]
            if s in types and o in types:
                edges[(s, p[1:-1], o)] = None
    predicates = {p for _, p, _ in edges}
    all_types = {t for ts in types.values() for t in ts}
    names = reader.best_labels(predicates | all_types)
    described: dict[frozenset[str], tuple[str, str]] = {}
    node_types: dict[str, tuple[str, str]] = {}
    for node in sorted(types):
        key = frozenset(types[node])
        if key not in described:
            listed = sorted(key)
            main = _most_specific(listed)
            described[key] = (names.get(main, curie(main)), "; ".join(curie(t) for t in listed))
        node_types[node] = described[key]
    edge_predicates = {p: names.get(p, curie(p)) for p in sorted(predicates)}
    return network_cache.Parts(node_types, sorted(edges), edge_predicates)


def _build(reader: _Reader, parts: network_cache.Parts) -> Projection:
    """The projection of these parts, the rest of it read from the store when first asked for."""
    node_types, edge_predicates = parts.node_types, parts.edge_predicates
    loader = _Loader(reader, node_types, dict.fromkeys(parts.edges), edge_predicates)
    # networkx's own structures, filled as add_node and add_edge fill them (a call each is
    # seconds at a million statements): nodes in IRI order, links in (s, p, o) order
    graph = EntityGraph()
    node_data, succ, pred = graph._node, graph._succ, graph._pred
    for node, kind in node_types.items():
        attrs = node_data[node] = _NodeData(zip(("type", "types"), kind))
        attrs._loader, attrs._id = loader, node
        succ[node] = {}
        pred[node] = {}
    shown = {p: curie(p) for p in edge_predicates}
    for s, p, o in parts.edges:
        keys = succ[s].get(o)
        if keys is None:
            keys = succ[s][o] = pred[o][s] = {}
        link = keys[p] = _EdgeData(predicate=shown[p], label=edge_predicates[p])
        link._loader, link._id = loader, (s, o, p)
    return Projection(graph, None, loader)


def _most_specific(types: list[str]) -> str:
    """The project's own class where there is one (cskg:Council over org:FormalOrganization)."""
    own = [t for t in types if t.startswith(PREFIXES["cskg"])]
    return (own or types or [""])[0]


def _attribute_key(prop: str) -> str:
    """``cskg:gssCode`` -> ``gssCode``; ``rdfs:label`` -> ``rdfs_label`` (keys are names)."""
    short = curie(prop)
    return short.split(":", 1)[1] if short.startswith("cskg:") else short.replace(":", "_")


def _labels(proj: Projection, nodes: Iterable[str]) -> dict[str, str]:
    """The labels of these nodes, read together."""
    nodes = list(nodes)
    proj.with_labels(nodes)
    graph_nodes = proj.graph.nodes
    return {n: graph_nodes[n]["label"] for n in nodes}


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
        nodes = []
    proj.with_labels([a, b, *nodes])
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
            steps = [(v, "-> " + d["label"], d["predicate"]) for _, v, d in proj.graph.out_edges(u, data=True)]
            steps += [(v, "<- " + d["label"], d["predicate"]) for v, _, d in proj.graph.in_edges(u, data=True)]
            for v, label, predicate in sorted(steps, key=lambda t: (t[0], t[1])):
                if wanted is not None and predicate not in wanted:
                    continue
                if v not in seen:
                    seen[v] = (distance, label)
                    nxt.append(v)
        frontier = nxt
    del seen[node]
    names = _labels(proj, seen)
    return sorted(((n, d, rel) for n, (d, rel) in seen.items()), key=lambda t: (t[1], names[t[0]]))


def _predicate_filter(proj: Projection, via: str | None) -> set[str] | None:
    """The predicates (as CURIEs) a ``--via`` name stands for: a CURIE, or a label."""
    if via is None:
        return None
    wanted = normalise(via)

    def matching(labels: dict[str, str]) -> set[str]:
        return {curie(p) for p, lbl in labels.items()
                if normalise(lbl) == wanted or curie(p) == via or normalise(curie(p).split(":")[-1]) == wanted}

    # the links' own properties first: the attributes' (read from the store) only when none matches
    loader = proj._loader
    found = matching(loader.edge_predicates) if loader is not None else set()
    if not found:
        found = matching(proj.predicate_labels)
    if not found:
        used = {d for *_, d in proj.graph.edges(data="predicate")}
        options = sorted({lbl for p, lbl in proj.predicate_labels.items() if curie(p) in used})
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
    """Hoeffding bound on the error of sampled normalised betweenness, for every node at once.

    The estimate is networkx's: a node's score is the mean, over the sampled sources
    other than itself, of the share of shortest paths from the source through it (each
    in [0, 1]); sources are drawn without replacement, for which Hoeffding's bound holds
    too. A sampled node has one source fewer to average over, so the bound is taken over
    ``samples - 1``; a union bound over the ``nodes`` nodes makes it hold for all at once.
    """
    if samples < 2:
        return math.inf
    return math.sqrt(math.log(2 * nodes / (1 - confidence)) / (2 * (samples - 1)))


def centrality(proj: Projection, measure: str = "degree", node_type: str | None = None,
               top: int = 10, samples: int | None = None) -> list[tuple[str, float]]:
    """The ``top`` entities by a networkx centrality measure, optionally of one type."""
    return ranked_centrality(proj, measure, node_type, top, samples)[0]


class _Simple:
    """The undirected simple graph (``Projection.undirected``) as integers, for igraph."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.nodes = list(graph)
        index = {n: i for i, n in enumerate(self.nodes)}
        self.pairs: list[tuple[int, int]] = []
        self.degree = [0] * len(self.nodes)
        with _no_gc():
            for i, (succ, pred) in enumerate(zip(graph._succ.values(), graph._pred.values())):
                for node in succ.keys() | pred.keys():  # each pair once, from its lower end
                    j = index[node]
                    if i <= j:
                        self.pairs.append((i, j))
                        self.degree[i] += 1
                        self.degree[j] += 1  # a loop counts twice, as in networkx

    def igraph(self, directed: bool = False) -> Any:
        import igraph  # type: ignore[import-untyped]

        edges = self.pairs
        if directed:  # each edge both ways, a loop once: networkx's to_directed()
            edges = edges + [(j, i) for i, j in edges if i != j]
        return igraph.Graph(n=len(self.nodes), edges=edges, directed=directed)


def _betweenness(proj: Projection, samples: int | None, exact_up_to: int | None = None
                 ) -> tuple[dict[str, float], Estimate | None]:
    """Normalised betweenness, exact or estimated from sampled sources as networkx does.

    networkx computes it up to ``EXACT_BETWEENNESS_UP_TO`` nodes; beyond, igraph computes
    the same sums (the dependencies of every node on the sources' shortest paths) and they
    are scaled as networkx scales them, sampling the same sources with the same seed.
    """
    graph = proj.graph
    n = graph.number_of_nodes()
    limit = EXACT_BETWEENNESS_UP_TO if exact_up_to is None else exact_up_to
    k = samples if samples is not None else (0 if n <= limit else BETWEENNESS_SAMPLES)
    sampled = 0 < k < n
    if n <= limit:
        simple = proj.undirected()
        if sampled:
            return (nx.betweenness_centrality(simple, k=k, seed=1),
                    Estimate(k, n, betweenness_error(n, k), 0.95))
        return nx.betweenness_centrality(simple), None
    net = _Simple(graph)
    if n <= 2:  # no path has a node between its ends; networkx leaves the zeros unscaled
        return dict.fromkeys(net.nodes, 0.0), Estimate(k, n, betweenness_error(n, k), 0.95) if sampled else None
    g = net.igraph()
    if not sampled:
        raw = g.betweenness(directed=False)
        scale = 2 / ((n - 1) * (n - 2))  # igraph counts each pair once; networkx both ways
        return {node: b * scale for node, b in zip(net.nodes, raw)}, None
    chosen = random.Random(1).sample(net.nodes, k)  # networkx's sample for seed=1
    index = {node: i for i, node in enumerate(net.nodes)}
    sources = [index[s] for s in chosen]
    raw = g.betweenness(directed=False, sources=sources)
    # networkx: a sampled node averages over the other k - 1 sources, any other node over k
    as_source, as_other = 2 / ((k - 1) * (n - 2)) if k > 1 else math.nan, 2 / (k * (n - 2))
    in_sample = set(sources)
    scores = {node: b * (as_source if i in in_sample else as_other)
              for i, (node, b) in enumerate(zip(net.nodes, raw))}
    return scores, Estimate(k, n, betweenness_error(n, k), 0.95)


def ranked_centrality(proj: Projection, measure: str = "degree", node_type: str | None = None,
                      top: int = 10, samples: int | None = None, *, exact_up_to: int | None = None
                      ) -> tuple[list[tuple[str, float]], Estimate | None]:
    """``centrality``, and how the scores were estimated when they were.

    Degree is networkx's ``degree_centrality`` of the undirected graph, PageRank its
    ``pagerank`` (damping 0.85) computed by igraph. Betweenness is exact up to
    ``EXACT_BETWEENNESS_UP_TO`` (or ``exact_up_to``) nodes and estimated from ``samples``
    sampled source nodes beyond (``samples=0``: always exact).
    """
    if measure not in MEASURES:
        raise InputError(f"unknown measure {measure!r}", "one of: " + ", ".join(MEASURES))
    chosen = _of_type(proj, node_type)
    estimate = None
    n = proj.graph.number_of_nodes()
    scores: dict[str, float]
    if measure == "degree":
        net = _Simple(proj.graph)
        if n <= 1:
            scores = {node: 1.0 for node in net.nodes}
        else:
            s = 1.0 / (n - 1.0)
            scores = {node: d * s for node, d in zip(net.nodes, net.degree)}
    elif measure == "betweenness":
        scores, estimate = _betweenness(proj, samples, exact_up_to)
    else:
        net = _Simple(proj.graph)
        ranks = net.igraph(directed=True).pagerank(damping=0.85, directed=True) if n else []
        scores = dict(zip(net.nodes, ranks))
    return _top(proj, [(n, s) for n, s in scores.items() if chosen is None or n in chosen], top), estimate


def _top(proj: Projection, scored: list[tuple[str, float]], top: int) -> list[tuple[str, float]]:
    """The ``top`` highest scores, ties by label then IRI, reading only the labels that count."""
    if top <= 0:
        return []
    if len(scored) > top:
        cut = heapq.nlargest(top, (s for _, s in scored))[-1]
        scored = [t for t in scored if t[1] >= cut or t[1] != t[1]]  # NaN sorts as it did before
    names = _labels(proj, (n for n, _ in scored))
    return sorted(scored, key=lambda t: (-t[1], names[t[0]], t[0]))[:top]


def _of_type(proj: Projection, node_type: str | None) -> set[str] | None:
    """The nodes of a type (its label or a class name), or None for all."""
    if node_type is None:
        return None
    wanted = normalise(node_type)
    matches: dict[tuple[str, str], bool] = {}
    chosen = set()
    for n, d in proj.graph.nodes(data=True):
        key = (d["type"], d["types"])
        hit = matches.get(key)
        if hit is None:
            hit = matches[key] = (normalise(d["type"]) == wanted or wanted in {
                normalise(t.split(":")[-1]) for t in d["types"].split("; ")})
        if hit:
            chosen.add(n)
    if not chosen:
        types = sorted({d for _, d in proj.graph.nodes(data="type")})
        raise InputError(f"no entity of type {node_type!r}", "types: " + ", ".join(types))
    return chosen


def communities(proj: Projection) -> list[list[str]]:
    """Communities by greedy modularity (deterministic), largest first.

    The partition networkx's ``greedy_modularity_communities`` finds (Clauset-Newman-Moore,
    ties between equal gains to the pair of lowest nodes), computed by ``_greedy_modularity``.
    """
    net = _Simple(proj.graph)
    # number the nodes in the order of their names, which networkx's ties follow
    order = sorted(range(len(net.nodes)), key=net.nodes.__getitem__)
    rank = [0] * len(order)
    for r, i in enumerate(order):
        rank[i] = r
    pairs = sorted((min(rank[i], rank[j]), max(rank[i], rank[j])) for i, j in net.pairs)
    groups = _greedy_modularity(len(order), pairs, [net.degree[i] for i in order])
    return _ordered(proj, ([net.nodes[order[r]] for r in g] for g in groups))


def components(proj: Projection) -> list[list[str]]:
    """Connected components, largest first."""
    net = _Simple(proj.graph)
    if not net.nodes:
        return []
    membership = net.igraph().connected_components().membership
    groups: dict[int, list[str]] = defaultdict(list)
    for node, group in zip(net.nodes, membership):
        groups[group].append(node)
    return _ordered(proj, groups.values())


def _ordered(proj: Projection, groups: Iterable[Iterable[str]]) -> list[list[str]]:
    groups = [list(g) for g in groups]
    label = _labels(proj, (n for g in groups for n in g))
    degree = _multi_degree(proj.graph)
    # the IRI breaks ties: sets come in a different order in every process
    listed = [sorted(g, key=lambda n: (-degree[n], label[n], n)) for g in groups]
    return sorted(listed, key=lambda g: (-len(g), label[g[0]], g[0]))


def _multi_degree(graph: nx.MultiDiGraph) -> dict[str, int]:
    """``graph.degree``: every link in or out, each property apart, a loop twice."""
    degree = dict.fromkeys(graph, 0)
    for u, v in graph.edges():
        degree[u] += 1
        degree[v] += 1
    return degree


def _greedy_modularity(n: int, pairs: list[tuple[int, int]], degree: list[int]) -> list[list[int]]:
    """networkx's ``greedy_modularity_communities`` (resolution 1, no weights), faster.

    Nodes are 0..n-1 in the order of their names, so ties break as networkx breaks them:
    among the merges of largest gain, the one whose (row, column) pair is smallest, the
    row merging into the column. Each gain is computed with the same floating-point
    operations as networkx's (``x + x`` is its ``a[u] * b[w] + a[w] * b[u]`` when a is b).
    networkx keeps a heap per row and a heap of the rows' maxima; here one heap holds a
    (-gain, row, column) entry per pair, the row the lower of the two (the one networkx's
    tie-break takes). A merge lowers the gain of every pair of the merged community with a
    neighbour of one side only; those pairs keep their entry, which then overstates the
    gain, and an entry found to overstate it when it comes up goes back in with the gain
    of the moment. Every pair always has an entry at least as high as its gain, so the
    entry that comes up with its gain exact is the best merge, ties broken as networkx's.
    """
    with _no_gc():
        return _cnm(n, pairs, degree)


def _cnm(n: int, pairs: list[tuple[int, int]], degree: list[int]) -> list[list[int]]:
    m = len(pairs)  # a loop is an edge too
    if m == 0:
        return [[i] for i in range(n)]
    q0 = 1 / m
    a = [d * q0 * 0.5 for d in degree]
    dq: list[dict[int, float]] = [{} for _ in range(n)]
    heap = []
    for u, v in pairs:
        if u != v:
            x = a[u] * a[v]
            gain = q0 * 1.0 - (x + x)
            dq[u][v] = dq[v][u] = gain
            heap.append((-gain, u, v))
    heapq.heapify(heap)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    rows = sum(1 for row in dq if row)  # networkx's heap of row maxima holds one per row
    push, pop = heapq.heappush, heapq.heappop
    while len(members) > 1 and rows > 1:
        while True:
            negdq, u, v = pop(heap)
            current = dq[u].get(v)
            if current is None:  # no longer a pair
                continue
            if current == -negdq:
                break
            if current < -negdq:  # lowered since: its turn comes later
                push(heap, (-current, u, v))
        if negdq > 0:  # the best merge would lower modularity
            break
        du, dv = dq[u], dq[v]
        au, av = a[u], a[v]
        members[v].extend(members.pop(u))
        for w, gain in dv.items():  # neighbours of v alone: lower gains, entries kept
            if w != u and w not in du:
                x = au * a[w]
                dv[w] = dq[w][v] = gain - (x + x)
        for w, gain in du.items():  # neighbours of u, now of v
            row = dq[w]
            del row[u]
            if w == v:
                continue
            if w in dv:
                gain = dv[w] + gain
            else:
                x = av * a[w]
                gain = gain - (x + x)
            dv[w] = row[v] = gain
            push(heap, (-gain, v, w) if v < w else (-gain, w, v))
        du.clear()
        rows -= 1 if dv else 2  # u's row is gone; v's too when u was its only neighbour
        a[v] += au
        a[u] = 0
    return sorted(members.values(), key=len, reverse=True)
