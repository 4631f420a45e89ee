"""What runs in a worker process: every query, for the endpoint and for the pages.

Queries run in worker processes (a pool of them, ``pebble``), not in the web server's
threads, because pyoxigraph cannot cancel a query and a thread cannot be stopped: a query
past the time limit is stopped by ending its process, which the pool replaces. Each worker
opens the generation a task names read-only (``snapshots``), and keeps it open for the tasks
that follow until a newer one is named.

Every function here takes plain values and returns plain values (they cross a process
boundary), and reads only.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from cskg.errors import CskgError
from cskg.labels import curie, labels
from cskg.prefixes import PREFIXES
from cskg.project import Project
from cskg.store import GraphStore

ID = PREFIXES["cskgid"]
T = TypeVar("T")
_open: dict[str, Any] = {"folder": None, "store": None}

#: media type -> pyoxigraph format, for SELECT/ASK answers and for graph answers
RESULTS_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


class TooLarge(Exception):
    pass


class UserError(Exception):
    """A ``CskgError`` raised in a worker, as the web server gets it (message, hint): cskg's own
    errors take other arguments than their message, so they do not cross a process boundary."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.message = message
        self.hint = hint


def task(function: Callable[..., T]) -> Callable[..., T]:
    """A function the web server runs in a worker: cskg's errors come back as ``UserError``."""

    @functools.wraps(function)
    def run(*args: Any) -> T:
        try:
            return function(*args)
        except CskgError as error:
            raise UserError(error.message, error.hint or "") from None

    return run


class Bounded:
    """A file-like sink that stops a serialisation once it passes ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.parts)


def store(folder: str, root: str) -> GraphStore:
    """The generation in ``folder`` opened read-only, the same one as the last task's if it can."""
    if _open["folder"] != folder:
        if _open["store"] is not None:
            _open["store"].close()
            _open["store"] = None
        os.environ["CSKG_STORE"] = str(Path(folder) / "store")  # the name index and network cache
        handle = ox.Store.read_only(str(Path(folder) / "store"))  # live beside the generation
        lock = open(Path(folder) / "store.lock", "a")  # noqa: SIM115 - closed with the view
        _open["store"] = GraphStore(Project(Path(root)), handle, None, lock)
        _open["folder"] = folder
    found: GraphStore = _open["store"]
    return found


def _too_large(limit: int) -> tuple[int, str, bytes]:
    return (413, "text/plain; charset=utf-8",
            f"the answer is larger than the server's limit of {limit:,} bytes; ask for less "
            "(LIMIT, fewer columns) or start the server with a larger --max-result-mb\n".encode())


@task
def sparql(folder: str, root: str, text: str, default_graphs: list[str], named_graphs: list[str],
           own_dataset: bool, accept: list[str], limit: int) -> tuple[int, str, bytes]:
    """Run a SPARQL query as the protocol asks: (HTTP status, media type, body). The default
    graph is the union of every graph, unless the request names graphs (the protocol's
    ``default-graph-uri``, which wins) or the query does (``FROM``)."""
    from cskg.query import query_syntax_error

    graph_store = store(folder, root)
    kwargs: dict[str, Any] = {}
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    elif not own_dataset:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        answer = graph_store.ox.query(text, prefixes=PREFIXES, **kwargs)
        sink = Bounded(limit)
        if isinstance(answer, ox.QueryTriples):
            media = next((m for m in accept if m in GRAPH_TYPES), "text/turtle")
            extra: dict[str, Any] = {"prefixes": PREFIXES} if media in ("text/turtle", "application/trig") else {}
            ox.serialize(answer, sink, GRAPH_TYPES[media], **extra)  # type: ignore[arg-type] # a file-like sink
        else:
            media = next((m for m in accept if m in RESULTS_TYPES), "application/sparql-results+json")
            answer.serialize(sink, RESULTS_TYPES[media])  # type: ignore[arg-type] # a file-like sink
    except TooLarge:
        return _too_large(limit)
    except SyntaxError as error:
        return 400, "text/plain; charset=utf-8", (str(query_syntax_error(text, "the query", str(error))) + "\n").encode()
    except (OSError, RuntimeError, ValueError) as error:
        return 500, "text/plain; charset=utf-8", f"the query failed: {error}\n".encode()
    charset = "; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else ""
    return 200, media + charset, sink.value()


# --- pages -----------------------------------------------------------------------------------


def href(iri: str) -> str:
    """The site's address for an entity: councils by GSS code, the project's own entities by
    their path, anything else by its IRI."""
    from urllib.parse import quote

    if iri.startswith(ID + "council/") and iri.count("/") == ID.count("/") + 1:
        return "/council/" + iri[len(ID + "council/"):]
    if iri.startswith(ID):
        return "/id/" + iri[len(ID):]
    return "/resource?iri=" + quote(iri, safe="")


def _cell(term: Any, names: dict[str, str]) -> dict[str, str]:
    if term is None:
        return {"text": ""}
    if isinstance(term, ox.NamedNode):
        return {"text": names.get(term.value) or curie(term.value), "href": href(term.value), "iri": term.value}
    return {"text": term.value}


@task
def council(folder: str, root: str, gss: str) -> dict[str, Any] | None:
    from cskg.profile import council_profile, is_council

    graph_store = store(folder, root)
    iri = ID + "council/" + gss
    if not is_council(graph_store, iri):
        return None
    return council_profile(graph_store, iri).as_dict()


@task
def entity(folder: str, root: str, iri: str) -> dict[str, Any] | None:
    from cskg.entities import describe

    graph_store = store(folder, root)
    node = ox.NamedNode(iri)
    if next(iter(graph_store.ox.quads_for_pattern(node, None, None, None)), None) is None and \
            next(iter(graph_store.ox.quads_for_pattern(None, None, node, None)), None) is None:
        return None
    view = describe(graph_store, iri).as_dict()
    graphs = _rows(graph_store, "SELECT ?g ?src WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?src } }")
    view["source_of_file"] = {graph_store.graph_files.get(g, ""): src for g, src in graphs}
    statements = []
    if iri.startswith(ID + "source/"):  # a source: what its graphs state
        for g, src in graphs:
            if src == iri:
                statements.append({"graph": g, "file": graph_store.graph_files.get(g, ""),
                                   "count": int(next(iter(graph_store.query(
                                       f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")))["n"].value)})
    view["graphs"] = statements
    view["council"] = bool(graph_store.query(f"ASK {{ <{iri}> a cskg:Council }}"))
    return view


def _rows(graph_store: GraphStore, sparql: str) -> list[tuple[str, str]]:
    return [(r[0].value, r[1].value) for r in graph_store.query(sparql)]


@task
def search(folder: str, root: str, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Entities one of whose names (labels, other names, hidden names, codes) matches: exact
    matches first, then names starting with the words, then names containing them."""
    from cskg.labels import _cached_index, normalise

    graph_store = store(folder, root)
    wanted = normalise(text)
    if not wanted:
        return []
    ranked: dict[str, tuple[int, str]] = {}
    for norm, name, iri in _cached_index(graph_store):
        rank = 0 if norm == wanted else 1 if norm.startswith(wanted) else 2 if wanted in norm else None
        if rank is not None and (iri not in ranked or rank < ranked[iri][0]):
            ranked[iri] = (rank, name)
    order = sorted(ranked, key=lambda i: (ranked[i][0], ranked[i][1].lower()))[:limit]
    names = labels(graph_store, order)
    types: dict[str, list[str]] = {}
    if order:
        values = " ".join(f"<{i}>" for i in order)
        for row in graph_store.query(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}"):
            types.setdefault(row["s"].value, []).append(row["t"].value)
    type_names = labels(graph_store, {t for ts in types.values() for t in ts})
    own = PREFIXES["cskg"]
    out = []
    for iri in order:
        kinds = sorted({type_names.get(t, curie(t)) for t in types.get(iri, []) if t.startswith(own)})
        out.append({"iri": iri, "href": href(iri), "label": names.get(iri, curie(iri)),
                    "matched": ranked[iri][1], "types": kinds})
    return out


@task
def catalogue(folder: str, root: str) -> list[dict[str, Any]]:
    """The named queries with their parameters, and for each parameter what a form offers."""
    from cskg.query import Catalogue

    graph_store = store(folder, root)
    out = []
    for query in Catalogue(graph_store.project.queries_dir).all():
        params = []
        for p in query.params:
            options: list[str] = []
            if p.type.startswith("concept:"):
                scheme = PREFIXES["vocab"] + p.type.split(":", 1)[1]
                options = sorted({r["l"].value for r in graph_store.query(
                    f"SELECT ?l WHERE {{ ?c skos:inScheme <{scheme}> ; skos:prefLabel ?l }}")})
            params.append({"name": p.name, "type": p.type, "description": p.description,
                           "optional": p.optional, "default": p.default, "options": options})
        out.append({"name": query.name, "title": query.title, "description": query.description,
                    "params": params, "form": query.form})
    return out


@task
def council_names(folder: str, root: str) -> list[str]:
    graph_store = store(folder, root)
    return sorted({r["l"].value for r in graph_store.query(
        "SELECT ?l WHERE { ?c a cskg:Council ; rdfs:label ?l }")})


@task
def named_query(folder: str, root: str, name: str, params: dict[str, str], fmt: str,
                limit: int, max_rows: int) -> dict[str, Any]:
    """A named query's answer: as a table for the page (at most ``max_rows`` rows shown), or as
    the bytes ``cskg query --format csv|json`` writes (CSV with labels only, as there)."""
    from cskg.formats import TABULAR, graph_bytes, label_columns, labels_only, term_value
    from cskg.query import run_named

    graph_store = store(folder, root)
    try:
        result = run_named(graph_store, name, params)
    except CskgError as error:
        return {"error": str(error), "hint": getattr(error, "hint", "") or ""}
    if fmt in ("csv", "json"):
        if result.form in ("CONSTRUCT", "DESCRIBE"):
            body = graph_bytes(result.triples, "ntriples" if fmt == "csv" else "jsonld", PREFIXES)
        elif result.form == "ASK":
            body = (TABULAR[fmt](["boolean"], [[str(result.boolean).lower()]]) if fmt == "csv"
                    else json.dumps({"boolean": result.boolean}) + "\n").encode()
        else:
            heads, kept = (labels_only(result.columns, result.rows) if fmt == "csv"
                           else (list(result.columns), result.rows))
            body = TABULAR[fmt](heads, [[term_value(t) for t in row] for row in kept]).encode()
        if len(body) > limit:
            return {"error": f"the answer is larger than the server's limit of {limit:,} bytes"}
        return {"bytes": body}
    rows: list[list[Any]]
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        rows = [[t.subject, t.predicate, t.object] for t in result.triples]
        columns = ["subject", "predicate", "object"]
    elif result.form == "ASK":
        rows, columns = [[ox.Literal(str(result.boolean).lower())]], ["boolean"]
    else:
        rows, columns = result.rows, result.columns
    shown = rows[:max_rows]
    names = labels(graph_store, {t.value for row in shown for t in row if isinstance(t, ox.NamedNode)})
    keep, companion = label_columns(columns)
    table = []
    for row in shown:
        cells = []
        for i in keep:
            cell = _cell(row[i], names)
            label = row[companion[i]] if i in companion else None
            if label is not None and "href" in cell:
                cell["text"] = label.value
            cells.append(cell)
        table.append(cells)
    return {"columns": [columns[i] for i in keep], "rows": table, "total": len(rows)}


@task
def network(folder: str, root: str, iri: str, depth: int) -> bytes | str:
    """The interactive network page (the HTML export) of an entity's neighbourhood."""
    from cskg import network as net
    from cskg.export import html as html_export
    from cskg.export import select

    graph_store = store(folder, root)
    try:
        part = select(graph_store, net.project(graph_store), around=iri, depth=depth, statements=False)
    except CskgError as error:
        return str(error)
    return html_export.export(part)[".html"]


@task
def home(folder: str, root: str) -> dict[str, Any]:
    graph_store = store(folder, root)
    counts = {r["k"].value: int(r["n"].value) for r in graph_store.query(
        "SELECT ?k (COUNT(DISTINCT ?x) AS ?n) WHERE { VALUES (?t ?k) { (cskg:Council 'councils') "
        "(cskg:FullInspection 'inspections and visits') (cskg:MonitoringVisit 'inspections and visits') "
        "(cskg:FocusedVisit 'inspections and visits') (cskg:JointTargetedAreaInspection 'inspections and visits') "
        "(cskg:Finding 'findings') (schema:Person 'people') (cskg:Partnership 'partnerships') } "
        "?x a ?t } GROUP BY ?k")}
    sources = [{"iri": r["src"].value, "href": href(r["src"].value), "label": r["l"].value,
                "issued": r["d"].value if r["d"] is not None else ""}
               for r in graph_store.query(
                   "SELECT ?src (MIN(?label) AS ?l) (MIN(STR(?issued)) AS ?d) WHERE { GRAPH ?g { "
                   "?g prov:wasDerivedFrom ?src } ?src rdfs:label ?label OPTIONAL { ?src dcterms:issued ?issued } "
                   "FILTER NOT EXISTS { ?src a cskg:Dataset } } GROUP BY ?src ORDER BY DESC(?d) LIMIT 20")]
    return {"counts": counts, "sources": sources, "graphs": len(graph_store.data_graphs())}
