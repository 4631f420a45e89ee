"""An external SPARQL 1.1 server in place of the embedded store: Oxigraph server, Apache Jena
Fuseki, GraphDB, OpenLink Virtuoso, or any server that speaks the standard protocols.

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
``CSKG_ENDPOINT_USER`` and ``CSKG_ENDPOINT_PASSWORD`` (HTTP Basic, or Digest when the
server asks for it, as Virtuoso's ``…-auth`` endpoints do).
"""

from __future__ import annotations

import base64
import http.client
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
from cskg.project import GRAPH_BASE, SYSTEM_BASE, Project

TIMEOUT = 300.0
# Virtuoso sends back a header for each default-graph-uri and named-graph-uri of a request,
# two per source graph; http.client refuses a response with more than 100 headers
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 100_000)  # type: ignore[attr-defined]
_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
#: Graph results as Turtle, which every server offers (Oxigraph has no N-Triples results).
_GRAPH_ACCEPT = "text/turtle"
_PREFIX_DECLARATION = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.I | re.M)


def _credentials() -> tuple[str, str] | None:
    user = os.environ.get("CSKG_ENDPOINT_USER")
    return (user, os.environ.get("CSKG_ENDPOINT_PASSWORD", "")) if user else None


def _headers() -> dict[str, str]:
    token = os.environ.get("CSKG_ENDPOINT_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    credentials = _credentials()
    if credentials:
        secret = ":".join(credentials).encode()
        return {"Authorization": "Basic " + base64.b64encode(secret).decode()}
    return {}


class _SigningDigest(urllib.request.HTTPDigestAuthHandler):
    """HTTP Digest that, once challenged, signs every later request up front. Python's own
    handler sends each request unsigned first and waits to be refused, and a server that
    refuses an upload before reading it (Virtuoso does) closes the connection under it:
    the client sees a broken pipe, not the challenge."""

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self._challenge: dict[str, str] | None = None

    def http_error_auth_reqed(self, auth_header: str, host: str, req: Any, headers: Any) -> Any:
        found = headers.get(auth_header, "") or ""
        if found.lower().startswith("digest "):
            self._challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(found[7:]))
        return super().http_error_auth_reqed(auth_header, host, req, headers)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self._challenge and not req.has_header("Authorization"):
            signed = self.get_authorization(req, self._challenge)
            if signed:
                req.add_unredirected_header("Authorization", f"Digest {signed}")
        return req

    https_request = http_request


#: per server, the Digest handler once it has asked for Digest, so later requests go signed
_digest: dict[str, Any] = {}
#: the servers already asked, before a first upload, whether they take the credentials
_probed: set[str] = set()


def _open(request: urllib.request.Request, url: str) -> Any:
    """The response. A user and password go as HTTP Basic; if the server refuses them, the
    request goes again without, for a Digest challenge to answer (Virtuoso's ``…-auth``
    endpoints want Digest, and refuse Basic without saying so). Before the first upload to
    a server, a ``HEAD`` finds out which it wants, so no large body is sent only to be refused.
    """
    site = urllib.parse.urlsplit(url).netloc
    credentials = None if os.environ.get("CSKG_ENDPOINT_TOKEN") else _credentials()
    if credentials and request.data and site not in _probed:
        _probed.add(site)
        try:
            _open(urllib.request.Request(url, method="HEAD", headers=_headers()), url).close()
        except urllib.error.HTTPError as error:
            if error.code == 401:  # refused whichever way: said now, before any upload
                raise
            error.close()  # 404, 405, 501...: the credentials passed
    if site not in _digest:
        try:
            return urllib.request.urlopen(request, timeout=TIMEOUT)
        except urllib.error.HTTPError as error:
            if error.code != 401 or not credentials:
                raise
            error.close()
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, f"http://{site}/", *credentials)
        passwords.add_password(None, f"https://{site}/", *credentials)
        _digest[site] = urllib.request.build_opener(_SigningDigest(passwords))
    request.remove_header("Authorization")
    return _digest[site].open(request, timeout=TIMEOUT)


def _request(url: str, *, method: str = "GET", data: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[bytes, str]:
    """The response body and its media type."""
    if not re.match(r"https?://", url):
        raise InputError(f"{url!r} is not an http(s) address of a SPARQL server")
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**_headers(), **(headers or {})})
    try:
        with _open(request, url) as response:
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return response.read(), kind
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace").strip().splitlines()
        detail = f": {body[0][:300]}" if body else ""
        given = os.environ.get("CSKG_ENDPOINT_TOKEN") or _credentials()
        hint = None if error.code not in (401, 403) else (
            "the server refused the credentials given in CSKG_ENDPOINT_TOKEN, or "
            "CSKG_ENDPOINT_USER and CSKG_ENDPOINT_PASSWORD" if given else
            "set CSKG_ENDPOINT_TOKEN, or CSKG_ENDPOINT_USER and CSKG_ENDPOINT_PASSWORD")
        raise InputError(f"{method} {url} failed: HTTP {error.code} {error.reason}{detail}",
                         hint) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"cannot reach the SPARQL server at {url}: {reason}") from None


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol address that goes with a query endpoint, for the usual servers.

    Oxigraph ``…/query`` -> ``…/store``; Fuseki ``…/ds/query`` or ``…/ds/sparql`` -> ``…/ds/data``;
    GraphDB ``…/repositories/NAME`` -> ``…/repositories/NAME/rdf-graphs/service``; Virtuoso
    ``…/sparql`` (at the root) -> ``…/sparql-graph-crud`` and ``…/sparql-auth`` ->
    ``…/sparql-graph-crud-auth``.
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if re.search(r"/repositories/[^/]+$", path):
        path += "/rdf-graphs/service"
    elif path == "/query":
        path = "/store"
    elif path in ("/sparql", "/sparql-auth"):
        path = path.replace("/sparql", "/sparql-graph-crud")
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


@dataclass
class PushReport:
    pushed: list[Pushed]
    #: cskg graphs the server held that the project no longer has, deleted from it
    removed: list[str]


def push(store: Any, endpoint: str, graph_store: str | None = None) -> PushReport:
    """PUT every named graph of the embedded store to the server, replacing what it had;
    DELETE the cskg graphs it holds that the project no longer has (a source removed since
    the last push), so that it answers as the embedded store does; then check that the
    server holds every graph whole."""
    target = graph_store or graph_store_url(endpoint)
    done = []
    for graph, rel in sorted(store.graph_files.items()):
        data = bytes(store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)))
        url = f"{target}?{urllib.parse.urlencode({'graph': graph})}"
        _request(url, method="PUT", data=data, headers={"Content-Type": _NTRIPLES})
        done.append(Pushed(graph, rel, data.count(b"\n")))
    held = _graph_counts(endpoint)
    removed = sorted(set(held) - {d.graph for d in done})
    for graph in removed:
        _request(f"{target}?{urllib.parse.urlencode({'graph': graph})}", method="DELETE")
    for d in done:  # an upload the server took but did not keep whole is an error
        if held.get(d.graph, 0) != d.triples:
            raise InputError(f"the server at {endpoint} holds {held.get(d.graph, 0)} statements in "
                             f"{d.graph} after the upload of {d.triples} from {d.file}",
                             "push again; if it persists, the server dropped or merged statements")
    return PushReport(done, removed)


def _graph_counts(endpoint: str) -> dict[str, int]:
    """cskg's named graphs on the server (those under its graph and system addresses), with
    how many statements each holds. Only these: a server may hold other graphs (Virtuoso
    keeps its own beside the data), which would join every answer. Asked with GROUP BY and
    the addresses in the query: Virtuoso took 10 s to list every graph, and timed out on a
    DISTINCT list of 140, but counts these at once."""
    sparql = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
              f'FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}") || STRSTARTS(STR(?g), "{SYSTEM_BASE}")) }} '
              "GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) if r["n"] is not None else 0 for r in _ask(endpoint, sparql)
            if isinstance(r["g"], ox.NamedNode) and r["g"].value.startswith((GRAPH_BASE, SYSTEM_BASE))}


def _ask(endpoint: str, sparql: str, graphs: list[str] | None = None) -> Any:
    """The server's answer to a query, through the SPARQL Protocol: solutions, or for a
    CONSTRUCT or DESCRIBE a list of triples. With ``graphs``, their union is the default graph."""
    form = [("query", sparql)]
    form += [("default-graph-uri", g) for g in graphs or []]
    form += [("named-graph-uri", g) for g in graphs or []]
    construct = _is_graph_query(sparql)
    body, kind = _request(endpoint, method="POST", data=urllib.parse.urlencode(form).encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded",
                                   "Accept": _GRAPH_ACCEPT if construct else _JSON})
    try:
        if construct:
            fmt = ox.RdfFormat.from_media_type(kind) or ox.RdfFormat.N_TRIPLES
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
        usable = _usable_terms(body)
        answer = ox.parse_query_results(usable, format=ox.QueryResultsFormat.JSON)
        if isinstance(answer, ox.QueryBoolean):  # an ASK
            return answer
        # solutions are parsed as they are read, so a fault after the first row would be
        # raised wherever the caller reads it, without saying it is the server's: read them
        # once here (keeping nothing), then hand over a fresh parse
        for _ in answer:
            pass
        return ox.parse_query_results(usable, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        expected = "RDF" if construct else "SPARQL JSON results"
        raise InputError(f"the SPARQL server at {endpoint} answered with something that "
                         f"is not {expected}: {error}",
                         "is the URL the server's SPARQL query endpoint (e.g. …/query, …/sparql)?") from None


class RemoteStore:
    """The embedded store's reading interface, answered by a SPARQL server."""

    def __init__(self, project: Project, endpoint: str) -> None:
        self.project = project
        self.endpoint = endpoint
        self.ox = _RemoteQuads(self)
        self.graphs = sorted(_graph_counts(endpoint))
        if not self.graphs:
            raise InputError(f"the SPARQL server at {endpoint} holds no named graphs from cskg",
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
        return self._run(_with_prefixes(sparql))

    def _run(self, sparql: str) -> Any:
        return _ask(self.endpoint, sparql, self.graphs)

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
        rows = self.remote._run(f"SELECT ?s ?p ?o ?g WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}")
        for row in rows:
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def query(self, sparql: str, **kwargs: Any) -> Any:
        return self.remote.query(sparql, **kwargs)


_BLANK_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEANS = {"1": "true", "0": "false"}


def _usable_terms(body: bytes) -> bytes:
    """The JSON results with every blank node named as RDF allows, one name per server id
    (Virtuoso names them ``nodeID://b10092``, which no RDF syntax accepts), and booleans in
    their canonical form (Virtuoso writes true as ``"1"^^xsd:boolean``: the same value)."""
    if b'"bnode"' not in body and _XSD_BOOLEAN.encode() not in body:
        return body
    import json

    parsed = json.loads(body)
    changed = False
    for row in parsed.get("results", {}).get("bindings", []):
        for term in row.values():
            value = term.get("value", "")
            if term.get("type") == "bnode" and not _BLANK_ID.fullmatch(value):
                term["value"] = "x" + value.encode().hex()  # one-to-one, always valid
                changed = True
            elif term.get("datatype") == _XSD_BOOLEAN and value in _CANONICAL_BOOLEANS:
                term["value"] = _CANONICAL_BOOLEANS[value]
                changed = True
    return json.dumps(parsed).encode() if changed else body


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
