"""An external SPARQL 1.1 server in place of the embedded store: Oxigraph server, Apache Jena
Fuseki, GraphDB, or any server that speaks the standard protocols.

``push`` uploads the graph with the SPARQL 1.1 Graph Store HTTP Protocol: one
``PUT`` per named graph (one per source, plus the ontology), which replaces
what the server held for that graph. ``RemoteStore`` answers queries through
the SPARQL 1.1 Protocol with the same interface as the embedded ``GraphStore``,
so ``cskg query``, ``cskg network`` and ``cskg export`` run against the server
with ``--endpoint``. As in the embedded store, the default graph is the union
of the named graphs: each request names them with ``default-graph-uri`` and
``named-graph-uri``, which every conforming server honours.

Credentials come from the environment, never the command line:
``CSKG_ENDPOINT_TOKEN`` (sent as ``Authorization: Bearer``) or
``CSKG_ENDPOINT_USER`` and ``CSKG_ENDPOINT_PASSWORD`` (HTTP Basic).
"""

from __future__ import annotations

import base64
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from cskg.errors import InputError
from cskg.prefixes import PREFIXES
from cskg.project import GRAPH_BASE, Project

TIMEOUT = 300.0
_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
#: Graph results as Turtle, which every server offers (Oxigraph has no N-Triples results).
_GRAPH_ACCEPT = "text/turtle"
_PREFIX_DECLARATION = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.I | re.M)


def _headers() -> dict[str, str]:
    token = os.environ.get("CSKG_ENDPOINT_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = os.environ.get("CSKG_ENDPOINT_USER")
    if user:
        secret = f"{user}:{os.environ.get('CSKG_ENDPOINT_PASSWORD', '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(secret).decode()}
    return {}


def _request(url: str, *, method: str = "GET", data: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[bytes, str]:
    """The response body and its media type."""
    if not re.match(r"https?://", url):
        raise InputError(f"{url!r} is not an http(s) address of a SPARQL server")
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**_headers(), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return response.read(), kind
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace").strip().splitlines()
        detail = f": {body[0][:300]}" if body else ""
        hint = ("set CSKG_ENDPOINT_TOKEN, or CSKG_ENDPOINT_USER and CSKG_ENDPOINT_PASSWORD"
                if error.code in (401, 403) else None)
        raise InputError(f"{method} {url} failed: HTTP {error.code} {error.reason}{detail}",
                         hint) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"cannot reach the SPARQL server at {url}: {reason}") from None


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol address that goes with a query endpoint, for the usual servers.

    Oxigraph ``…/query`` -> ``…/store``; Fuseki ``…/ds/query`` or ``…/ds/sparql`` -> ``…/ds/data``;
    GraphDB ``…/repositories/NAME`` -> ``…/repositories/NAME/rdf-graphs/service``.
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if re.search(r"/repositories/[^/]+$", path):
        path += "/rdf-graphs/service"
    elif path == "/query":
        path = "/store"
    elif path.endswith(("/query", "/sparql")):
        path = path.rsplit("/", 1)[0] + "/data"
    else:
        raise InputError(f"cannot tell the Graph Store Protocol address of {endpoint}",
                         "give it with --graph-store URL")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@dataclass
class Pushed:
    graph: str
    file: str
    triples: int


def push(store: Any, endpoint: str, graph_store: str | None = None) -> list[Pushed]:
    """PUT every named graph of the embedded store to the server, replacing what it had."""
    target = graph_store or graph_store_url(endpoint)
    done = []
    for graph, rel in sorted(store.graph_files.items()):
        data = bytes(store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)))
        url = f"{target}?{urllib.parse.urlencode({'graph': graph})}"
        _request(url, method="PUT", data=data, headers={"Content-Type": _NTRIPLES})
        done.append(Pushed(graph, rel, data.count(b"\n")))
    return done


class RemoteStore:
    """The embedded store's reading interface, answered by a SPARQL server."""

    def __init__(self, project: Project, endpoint: str) -> None:
        self.project = project
        self.endpoint = endpoint
        self.ox = _RemoteQuads(self)
        graphs = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        self.graphs = sorted(r["g"].value for r in graphs if isinstance(r["g"], ox.NamedNode))
        if not self.graphs:
            raise InputError(f"the SPARQL server at {endpoint} holds no named graphs",
                             f"upload the graph first: cskg push --endpoint {endpoint}")
        #: graph -> where it came from; on a server, the graph IRI itself
        self.graph_files = {g: g for g in self.graphs}

    def data_graphs(self) -> list[str]:
        return [g for g in self.graphs if g.startswith(GRAPH_BASE)]

    def query(self, sparql: str, **kwargs: Any) -> Any:
        """Run SPARQL on the server over the union of its named graphs."""
        kwargs.pop("use_default_graph_as_union", None)  # the server's default graph is the union
        kwargs.pop("prefixes", None)  # declared in the text instead
        substitutions = kwargs.pop("substitutions", None)
        if substitutions:
            from cskg.query import with_values  # pre-bound variables travel as a VALUES block

            sparql = with_values(sparql, {v.value: t for v, t in substitutions.items()})
        if kwargs:
            raise InputError("this operation needs the embedded store, not --endpoint")
        return self._run(_with_prefixes(sparql), union=True)

    def _select(self, sparql: str, union: bool) -> Any:
        return self._run(sparql, union)

    def _run(self, sparql: str, union: bool) -> Any:
        form = [("query", sparql)]
        if union:
            form += [("default-graph-uri", g) for g in self.graphs]
            form += [("named-graph-uri", g) for g in self.graphs]
        construct = _is_graph_query(sparql)
        body, kind = _request(self.endpoint, method="POST",
                              data=urllib.parse.urlencode(form).encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded",
                                       "Accept": _GRAPH_ACCEPT if construct else _JSON})
        if construct:
            fmt = ox.RdfFormat.from_media_type(kind) or ox.RdfFormat.N_TRIPLES
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as error:
            raise InputError(f"the SPARQL server at {self.endpoint} answered with something that "
                             f"is not SPARQL JSON results: {error}") from None

    def close(self) -> None:
        return None

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _RemoteQuads:
    """``store.ox.quads_for_pattern`` and ``dump``, answered by the server."""

    def __init__(self, remote: RemoteStore) -> None:
        self.remote = remote

    def quads_for_pattern(self, s: Any, p: Any, o: Any, g: Any = None) -> Iterator[ox.Quad]:
        terms = {"s": s, "p": p, "o": o, "g": g}
        values = " ".join(f"BIND({t} AS ?{k})" for k, t in terms.items() if t is not None)
        rows = self.remote._run(f"SELECT ?s ?p ?o ?g WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}",
                                union=True)
        for row in rows:
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def query(self, sparql: str, **kwargs: Any) -> Any:
        return self.remote.query(sparql, **kwargs)


def _with_prefixes(sparql: str) -> str:
    """The project's prefixes declared before the query, as the embedded store assumes them."""
    declared = {m.group(1) or "" for m in _PREFIX_DECLARATION.finditer(sparql)}
    lines = [f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared]
    return "".join(lines) + sparql


def _is_graph_query(sparql: str) -> bool:
    """Whether the query is a CONSTRUCT or DESCRIBE (ignoring comments, prefixes and strings)."""
    text = re.sub(r"(PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)", "", sparql, flags=re.I)
    text = re.sub(r"#[^\n]*", "", text)  # after the IRIs, which may hold a '#'
    return bool(re.match(r"\s*(CONSTRUCT|DESCRIBE)\b", text, re.I))
