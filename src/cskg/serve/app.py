"""The web application: the SPARQL 1.1 Protocol endpoint and the pages people read.

Starlette answers HTTP (served by uvicorn); every query runs in a worker process
(``worker``) on one generation of the store (``snapshots``), stopped at the time limit and
bounded in size. Pages are rendered from Jinja2 templates on the server and need no
JavaScript, except the network view, which is the HTML export's own page.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import jinja2
import pebble
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from cskg.errors import CskgError
from cskg.labels import curie
from cskg.prefixes import PREFIXES
from cskg.profile import runs
from cskg.serve import worker
from cskg.serve.safety import Refused, check
from cskg.serve.snapshots import Snapshots

_FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
_ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
            "text/xml": "application/sparql-results+xml", "text/plain": "application/n-triples",
            "application/x-turtle": "text/turtle"}
_OFFERED = [*worker.RESULTS_TYPES, *worker.GRAPH_TYPES, "text/html"]
_GSS = re.compile(r"^[EWSN]\d{8}$")


@dataclass(frozen=True)
class Limits:
    """What bounds every query: seconds, bytes of an answer, worker processes, rows a page shows."""

    timeout: float = 30.0
    max_bytes: int = 50_000_000
    workers: int = 2
    max_request: int = 10_000_000
    rows_shown: int = 1000

    def describe(self) -> str:
        return (f"each query stopped after {self.timeout:g} s, answers up to "
                f"{self.max_bytes / 1e6:g} MB, {self.workers} worker process"
                f"{'es' if self.workers != 1 else ''}")


class Stopped(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def negotiate(accept: str, fmt: str | None) -> list[str]:
    """The media types the client takes, best first (``format=`` or ``output=`` first of all)."""
    wanted: list[tuple[float, int, str]] = []
    for order, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        q = 1.0
        for bit in bits[1:]:
            if bit.startswith("q="):
                try:
                    q = float(bit[2:])
                except ValueError:
                    q = 0.0
        media = _ALIASES.get(media, media)
        if media in ("*/*", "application/*", "text/*"):
            continue
        if q > 0:
            wanted.append((-q, order, media))
    ordered = [m for _, _, m in sorted(wanted) if m in _OFFERED]
    if fmt:
        chosen = _FORMAT_NAMES.get(fmt.lower(), fmt.lower())
        ordered.insert(0, chosen)
    return list(dict.fromkeys(ordered))


class Site:
    """The application's state: the project, its limits, the generations and the worker pool."""

    def __init__(self, project: Any, limits: Limits, snapshots: Snapshots, pool: pebble.ProcessPool) -> None:
        self.project = project
        self.root = str(project.root)
        self.limits = limits
        self.snapshots = snapshots
        self.pool = pool
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
            autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
        self.templates.globals.update(href=worker.href, curie=curie, prefixes=PREFIXES, limits=limits,
                                      zip=zip, dict=dict, runs=runs)

    async def run(self, function: Any, *args: Any) -> Any:
        """``function(generation folder, project root, *args)`` in a worker, within the time limit."""
        generation = self.snapshots.current
        future = self.pool.schedule(function, args=(generation.folder, self.root, *args),
                                    timeout=self.limits.timeout)
        try:
            return await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:
            raise Stopped(503, f"the query ran past the server's time limit of {self.limits.timeout:g} s "
                          "and was stopped; ask for less, or start the server with a longer "
                          "--query-timeout") from None
        except pebble.ProcessExpired as error:
            raise Stopped(500, f"the worker answering the query stopped ({error}); try again") from None
        except (CskgError, worker.UserError) as error:
            hint = f"\n{error.hint}" if error.hint else ""
            raise Stopped(400, f"{error.message}{hint}") from None
        except Exception as error:  # noqa: BLE001 - a request fails alone, with what went wrong
            raise Stopped(500, f"{type(error).__name__}: {error}") from None

    def page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        values.setdefault("warning", self.snapshots.warning)
        return HTMLResponse(self.templates.get_template(template).render(**values), status_code=status)

    def error_page(self, status: int, message: str, title: str = "Not found") -> HTMLResponse:
        return self.page("error.html", status=status, title=title, message=message)

    # --- the SPARQL endpoint ----------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        params: dict[str, list[str]] = {k: request.query_params.getlist(k) for k in request.query_params}
        text: str | None = None
        if request.method == "POST":
            size = int(request.headers.get("content-length") or 0)
            if size > self.limits.max_request:
                return PlainTextResponse(f"the request is larger than {self.limits.max_request:,} bytes\n", 413)
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            parts: list[bytes] = []
            received = 0
            async for chunk in request.stream():  # bounded as it arrives, chunked bodies too
                received += len(chunk)
                if received > self.limits.max_request:
                    return PlainTextResponse(f"the request is larger than {self.limits.max_request:,} bytes\n", 413)
                parts.append(chunk)
            body = b"".join(parts)
            if media == "application/sparql-update":
                return _refused(Refused(403, "updates are refused: the endpoint is read-only. Change "
                                             "the graph with `cskg add` in the project."))
            if media == "application/sparql-query":
                text = body.decode("utf-8", errors="replace")
            elif media in ("application/x-www-form-urlencoded", ""):
                for key, values in parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            else:
                return PlainTextResponse(f"unsupported content type {media!r}: send a query as "
                                         "application/sparql-query or a form (query=...)\n", 415)
        if "update" in params:
            return _refused(Refused(403, "updates are refused: the endpoint is read-only. Change the "
                                         "graph with `cskg add` in the project."))
        if text is None:
            found = params.get("query") or []
            text = found[0] if found else None
        fmt = next(iter(params.get("format") or params.get("output") or []), None)
        accept = negotiate(request.headers.get("accept", ""), fmt)
        html = bool(accept) and accept[0] == "text/html"
        if not text or not text.strip():
            if html or not request.headers.get("accept"):
                return self.page("sparql.html", query=_EXAMPLE, result=None, error=None)
            return PlainTextResponse("no query: send query=... (GET or a form POST) or a body of "
                                     "type application/sparql-query\n", 400)
        default_graphs = params.get("default-graph-uri", [])
        named_graphs = params.get("named-graph-uri", [])
        try:
            own_dataset = check(text, set(self.snapshots.current.graphs), default_graphs, named_graphs)
        except Refused as refused:
            if html:
                return self.page("sparql.html", status=refused.status, query=text, result=None, error=refused.message)
            return _refused(refused)
        if html:
            accept = ["application/sparql-results+json", "text/turtle"]
        try:
            status, media, body = await self.run(worker.sparql, text, default_graphs, named_graphs,
                                                 own_dataset, accept, self.limits.max_bytes)
        except Stopped as stopped:
            if html:
                return self.page("sparql.html", status=stopped.status, query=text, result=None, error=stopped.message)
            return PlainTextResponse(stopped.message + "\n", stopped.status)
        if html:
            if status != 200:
                return self.page("sparql.html", status=status, query=text, result=None,
                                 error=body.decode("utf-8", errors="replace"))
            return self.page("sparql.html", query=text, result=_results_table(media, body, self.limits.rows_shown),
                             error=None, downloads=_downloads(text))
        return Response(body, status, media_type=media)

    # --- pages ------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        data = await self.run(worker.home)
        grades = await self.run(worker.named_query, "latest-grades", {}, "table", self.limits.max_bytes,
                                self.limits.rows_shown)
        return self.page("home.html", data=data, grades=grades)

    async def council(self, request: Request) -> Response:
        gss = request.path_params["gss"].upper()
        if not _GSS.match(gss):
            return self.error_page(404, f"{request.path_params['gss']!r} is not a GSS code (E08000001, say)")
        if request.query_params.get("view") == "statements":
            return await self._describe(PREFIXES["cskgid"] + "council/" + gss)
        profile = await self.run(worker.council, gss)
        if profile is None:
            return self.error_page(404, f"no council has the GSS code {gss} in this graph")
        return self.page("council.html", p=profile)

    async def entity(self, request: Request) -> Response:
        path = request.path_params["path"]
        iri = PREFIXES["cskgid"] + path
        if re.fullmatch(r"council/[EWSN]\d{8}", path):
            return RedirectResponse("/" + path, 301)
        return await self._describe(iri)

    async def resource(self, request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        if not iri:
            return self.error_page(400, "give the entity's IRI: /resource?iri=...", "Bad request")
        if worker.href(iri) != "/resource?iri=" + _quote(iri):
            return RedirectResponse(worker.href(iri), 301)
        return await self._describe(iri)

    async def _describe(self, iri: str) -> Response:
        if not _valid_iri(iri):
            return self.error_page(400, f"<{iri}> is not an IRI", "Bad request")
        view = await self.run(worker.entity, iri)
        if view is None:
            return self.error_page(404, f"nothing in the graph is <{iri}>")
        return self.page("entity.html", v=view)

    async def search(self, request: Request) -> Response:
        text = request.query_params.get("q", "").strip()
        hits = await self.run(worker.search, text) if text else []
        return self.page("search.html", q=text, search_text=text, hits=hits)

    async def queries(self, request: Request) -> Response:
        return self.page("queries.html", queries=await self.run(worker.catalogue))

    async def named(self, request: Request) -> Response:
        name = request.path_params["name"]
        catalogue = {q["name"]: q for q in await self.run(worker.catalogue)}
        if name not in catalogue:
            return self.error_page(404, f"no named query {name!r}; the list is at /queries")
        query = catalogue[name]
        fmt = request.query_params.get("format", "")
        given = {p["name"]: request.query_params[p["name"]] for p in query["params"]
                 if request.query_params.get(p["name"], "").strip()}
        ready = all(p["optional"] or p["name"] in given for p in query["params"])
        if fmt in ("csv", "json"):
            answer = await self.run(worker.named_query, name, given, fmt, self.limits.max_bytes, 0)
            if "error" in answer:
                return PlainTextResponse(answer["error"] + "\n", 400)
            media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
            return Response(answer["bytes"], media_type=media, headers={
                "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
        answer = None
        if ready and ("run" in request.query_params or given or not query["params"]):
            answer = await self.run(worker.named_query, name, given, "table", self.limits.max_bytes,
                                    self.limits.rows_shown)
        councils = await self.run(worker.council_names) if any(
            p["type"] in ("council", "entity") for p in query["params"]) else []
        link = urlencode(given)
        return self.page("query.html", q=query, given=given, answer=answer, councils=councils,
                         csv=f"/queries/{name}?{link}&format=csv".replace("?&", "?"),
                         json_link=f"/queries/{name}?{link}&format=json".replace("?&", "?"))

    async def network(self, request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        try:
            depth = int(request.query_params.get("depth", "1"))
        except ValueError:
            return self.error_page(400, "depth is a whole number of steps", "Bad request")
        if not iri or not _valid_iri(iri) or not 0 <= depth <= 3:
            return self.error_page(400, "give an entity (iri=...) and a depth of 0 to 3", "Bad request")
        page = await self.run(worker.network, iri, depth)
        if isinstance(page, str):
            return self.error_page(404, page)
        return HTMLResponse(page)


def _valid_iri(iri: str) -> bool:
    """Whether ``iri`` is an absolute IRI: what pages are asked about reaches queries only as
    one (an IRI cannot close the ``<…>`` it is written in)."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _quote(iri: str) -> str:
    from urllib.parse import quote

    return quote(iri, safe="")


def _refused(refused: Refused) -> Response:
    return PlainTextResponse(refused.message + "\n", refused.status)


_EXAMPLE = """# The project's prefixes (cskg:, cskgid:, grade:, area:, org:, prov:, ...) are declared.
SELECT ?council ?councilLabel ?grade WHERE {
  ?j cskg:ofEvent ?event ; cskg:judgementArea area:overall-effectiveness ; cskg:grade grade:inadequate .
  ?event cskg:inspectedAuthority ?council .
  ?council rdfs:label ?councilLabel .
  BIND(grade:inadequate AS ?grade)
} LIMIT 20"""


def _downloads(text: str) -> dict[str, str]:
    return {name: "/sparql?" + urlencode({"query": text, "format": name}) for name in ("json", "csv", "tsv", "xml")}


def _results_table(media: str, body: bytes, rows_shown: int) -> dict[str, Any]:
    """A SPARQL JSON answer (or a graph's Turtle) as a table for the query page."""
    if not media.startswith("application/sparql-results+json"):
        return {"text": body.decode("utf-8", errors="replace")}
    data = json.loads(body)
    if "boolean" in data:
        return {"columns": ["boolean"], "rows": [[{"text": str(data["boolean"]).lower()}]], "total": 1}
    columns = data["head"]["vars"]
    bindings = data["results"]["bindings"]
    rows = []
    for binding in bindings[:rows_shown]:
        row = []
        for column in columns:
            term = binding.get(column)
            if term is None:
                row.append({"text": ""})
            elif term["type"] == "uri":
                row.append({"text": curie(term["value"]), "href": worker.href(term["value"])})
            else:
                row.append({"text": term["value"]})
        rows.append(row)
    return {"columns": columns, "rows": rows, "total": len(bindings)}


def create_app(site: Site) -> Starlette:
    routes = [
        Route("/", site.home),
        Route("/sparql", site.sparql, methods=["GET", "POST"]),
        Route("/council/{gss}", site.council),
        Route("/id/{path:path}", site.entity),
        Route("/resource", site.resource),
        Route("/search", site.search),
        Route("/queries", site.queries),
        Route("/queries/{name}", site.named),
        Route("/network", site.network),
    ]

    async def stopped(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Stopped)
        titles = {400: "Cannot answer that", 503: "Stopped at the time limit"}
        return site.error_page(exc.status, exc.message, titles.get(exc.status, "Something went wrong"))

    # the graph is public record and the endpoint read-only: a browser client on another page
    # (YASGUI) may ask it, as it may ask any public SPARQL endpoint
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"])]
    return Starlette(routes=routes, exception_handlers={Stopped: stopped}, middleware=middleware)
