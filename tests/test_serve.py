"""``cskg serve`` as a real server on a free loopback port: the SPARQL 1.1 Protocol answered as
``cskg query`` answers, for real clients (``cskg --endpoint``, SPARQLWrapper, rdflib); what it
refuses (updates, SERVICE, graphs from outside the store) with the store unchanged and no
request sent; the time and size limits; eight clients at once; and a change made by
``cskg add`` while it serves. The pages in a browser are in ``test_serve_browser.py``."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import ROOT, copy_project, run_cskg
from test_remote import assert_answers_as_embedded

from cskg.query import Catalogue
from cskg.serve.safety import Refused, check

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@contextmanager
def cskg_server(project: Path, *options: str) -> Iterator[dict[str, Any]]:
    """``cskg serve --port 0`` in ``project``; its address (read from the start-up line)."""
    process = subprocess.Popen([sys.executable, "-m", "cskg", "serve", "--port", "0", "--quiet", *options],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        if not line.startswith("cskg serve: http://"):
            process.kill()
            pytest.fail(f"cskg serve did not start: {line}{process.stderr.read()}")  # type: ignore[union-attr]
        base = line.split()[2]
        yield {"base": base, "endpoint": base + "sparql", "line": line, "process": process}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = 60) -> tuple[int, str, bytes]:
    """(status, content type, body) of one request, errors included."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def ask(endpoint: str, query: str, accept: str = "application/sparql-results+json",
        method: str = "GET", extra: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    fields = {"query": query, **(extra or {})}
    if method == "GET":
        return request(endpoint + "?" + urllib.parse.urlencode(fields), headers={"Accept": accept})
    return request(endpoint, data=urllib.parse.urlencode(fields).encode(),
                   headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})


def count(endpoint: str) -> int:
    status, _, body = ask(endpoint, COUNT_ALL)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    project = copy_project(tmp_path_factory.mktemp("serve") / "project", national=True)
    built = run_cskg(project, "build")
    assert built.code == 0, built.err
    with cskg_server(project) as server:
        server["project"] = project
        yield server


# ------------------------------------------------------------------------------- the protocol


def test_the_start_up_line_names_the_address_and_the_limits(served) -> None:
    line = served["line"]
    assert served["base"].startswith("http://127.0.0.1:"), "loopback unless told otherwise"
    assert "read-only" in line and "stopped after 30 s" in line and "up to 50 MB" in line
    assert "SERVICE" in line


@pytest.mark.parametrize("name", Catalogue(ROOT / "queries").names())
def test_every_named_query_answers_through_the_endpoint_as_cskg_query(served, name: str) -> None:
    assert_answers_as_embedded(served["project"], served["endpoint"], name)


def test_sparqlwrapper_and_rdflib_get_the_embedded_answers(served) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import JSON, SPARQLWrapper

    from cskg.project import Project
    from cskg.store import open_store

    query = ("SELECT ?gss ?l WHERE { ?c a cskg:Council ; cskg:gssCode ?gss ; rdfs:label ?l } "
             "ORDER BY ?gss ?l")
    with open_store(Project(served["project"])) as store:
        expected = sorted({(r["gss"].value, r["l"].value) for r in store.query(query)})
    assert len({g for g, _ in expected}) == 153
    client = SPARQLWrapper(served["endpoint"])
    client.setQuery("PREFIX cskg: <https://w3id.org/cskg/def#> "
                    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + query)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert sorted({(r["gss"]["value"], r["l"]["value"]) for r in rows}) == expected
    graph = Graph(SPARQLStore(served["endpoint"], returnFormat="xml"))
    got = sorted({(str(r.gss), str(r.l)) for r in graph.query(
        "PREFIX cskg: <https://w3id.org/cskg/def#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        + query)})
    assert got == expected


@pytest.mark.parametrize(("accept", "media", "first"), [
    ("application/sparql-results+json", "application/sparql-results+json", b"{"),
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<?xml"),
    ("text/csv", "text/csv", b"l\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?l\n"),
    ("text/html;q=0.5, text/csv", "text/csv", b"l\r\n"),
])
def test_select_answers_in_each_results_format(served, accept: str, media: str, first: bytes) -> None:
    status, got, body = ask(served["endpoint"], "SELECT ?l WHERE { <https://w3id.org/cskg/id/council/E08000001> "
                            "rdfs:label ?l }", accept, method="POST")
    assert status == 200, body
    assert got.startswith(media)
    assert body.startswith(first) and b"Bolton" in body


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                            ("application/ld+json", "json-ld")])
def test_graph_answers_in_each_rdf_format(served, accept: str, fmt: str) -> None:
    from rdflib import Graph

    query = "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a cskg:Council ; rdfs:label ?l }"
    status, media, body = ask(served["endpoint"], query, accept)
    assert status == 200 and media.startswith(accept), body[:200]
    graph = Graph().parse(data=body, format=fmt)
    local = run_cskg(served["project"], "query", "--sparql", query, "--format", "ntriples")
    assert local.code == 0, local.err
    assert len(graph) == len(set(local.out.splitlines()))
    assert len({s for s in graph.subjects()}) == 153


def test_a_syntax_error_is_a_400_naming_line_and_column(served) -> None:
    status, _, body = ask(served["endpoint"], "SELECT ?x WHERE {\n  ?x ?y \n}")
    assert status == 400
    assert b"2:" in body or b"3:" in body


# -------------------------------------------------------------------------------- what it refuses


class _Listener(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Listener.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[]}}')

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    _Listener.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()


@pytest.mark.parametrize("form", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "# a comment\nSELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE<{url}>{{ ?s ?q ?r }} }} }} LIMIT 1",
])
def test_service_is_refused_and_the_listener_sees_no_request(served, listener: str, form: str) -> None:
    status, _, body = ask(served["endpoint"], form.format(url=listener), method="POST")
    assert status == 403
    assert b"SERVICE is refused" in body
    time.sleep(0.3)
    assert _Listener.seen == []


def test_service_words_that_are_not_the_keyword_are_answered(served) -> None:
    query = ('SELECT ?f WHERE { ?f cskg:focus service:front-door . BIND("SERVICE <http://x/>" AS ?s) '
             "# SERVICE <http://127.0.0.1:1/>\n }")
    status, _, body = ask(served["endpoint"], query)
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"], "the visits focused on the front door"


@pytest.mark.parametrize(("how", "text"), [
    ("query", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"),
    ("query", "SELECT * FROM NAMED <http://127.0.0.1:9/graph> WHERE { GRAPH ?g { ?s ?p ?o } }"),
    ("query", "PREFIX x: <file:///etc/> SELECT * FROM x:passwd WHERE { ?s ?p ?o }"),
    ("query", "LOAD <{listener}>"),
    ("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
    ("query", "DROP ALL"),
    ("update", "INSERT DATA { GRAPH <https://w3id.org/cskg/graph/x> { <urn:a> <urn:b> <urn:c> } }"),
    ("update", "LOAD <{listener}> INTO GRAPH <urn:g>"),
    ("update", "DROP ALL"),
    ("update-body", "CLEAR ALL"),
    ("default-graph-uri", "file:///etc/passwd"),
    ("named-graph-uri", "http://127.0.0.1:9/graph"),
])
def test_writes_and_outside_graphs_are_refused_and_the_store_is_unchanged(
        served, listener: str, how: str, text: str) -> None:
    endpoint = served["endpoint"]
    before = count(endpoint)
    files = {p.name: p.read_bytes() for p in (served["project"] / "graphs").iterdir()}
    text = text.replace("{listener}", listener)
    if how == "query":
        status, _, body = ask(endpoint, text, method="POST")
    elif how == "update":
        status, _, body = request(endpoint, data=urllib.parse.urlencode({"update": text}).encode(),
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    elif how == "update-body":
        status, _, body = request(endpoint, data=text.encode(),
                                  headers={"Content-Type": "application/sparql-update"})
    else:
        status, _, body = ask(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", extra={how: text})
    assert status == 403, body
    message = body.decode()
    assert "read-only" in message or "not a graph of this store" in message, message
    assert count(endpoint) == before
    assert {p.name: p.read_bytes() for p in (served["project"] / "graphs").iterdir()} == files
    assert _Listener.seen == []


def test_the_store_s_own_graphs_can_be_named(served) -> None:
    graph = "https://w3id.org/cskg/graph/2018-06-13-bolton-childrens-services-rated-good"
    status, _, body = ask(served["endpoint"], f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert status == 200, body
    from_clause = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    status, _, body = ask(served["endpoint"], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                          extra={"default-graph-uri": graph})
    assert status == 200, body
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == from_clause > 50


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s service:x ?o }", "SELECT ?service WHERE { ?service ?p ?o }",
    'SELECT * WHERE { ?s rdfs:label "LOAD <http://x/> INSERT DATA" }', "ASK { ?s ?p ?o } # DROP ALL",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
])
def test_the_check_leaves_names_strings_and_comments_alone(text: str) -> None:
    check(text, set(), [], [])


@pytest.mark.parametrize("text", ["SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
                                  "DELETE WHERE { ?s ?p ?o }", "SELECT * FROM <http://x/> { ?s ?p ?o }",
                                  r"SELECT * FROM <http://\u0078/> { ?s ?p ?o }"])
def test_the_check_refuses(text: str) -> None:
    with pytest.raises(Refused):
        check(text, {"http://y/"}, [], [])


# ------------------------------------------------------------------------------------- the limits


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_runaway_query_stops_at_the_time_limit_and_the_server_goes_on(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    with cskg_server(project, "--query-timeout", "2", "--workers", "1") as server:
        started = time.monotonic()
        status, _, body = ask(server["endpoint"], RUNAWAY)
        took = time.monotonic() - started
        assert status == 503, body
        assert b"time limit of 2 s" in body and b"stopped" in body
        assert 1.5 < took < 15
        assert count(server["endpoint"]) > 1000, "the worker is replaced; the next query is answered"


def test_an_answer_over_the_size_limit_is_refused_with_a_reason(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    with cskg_server(project, "--max-result-mb", "0.05") as server:
        status, _, body = ask(server["endpoint"], "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert status == 413
        assert b"larger than the server's limit of 50,000 bytes" in body
        assert count(server["endpoint"]) > 1000


def test_eight_clients_for_thirty_seconds_get_correct_answers(served) -> None:
    endpoint, base = served["endpoint"], served["base"]
    checks = [
        (f"{endpoint}?" + urllib.parse.urlencode({"query": COUNT_ALL}), None),
        (f"{endpoint}?" + urllib.parse.urlencode({"query": "SELECT ?l WHERE { ?c cskg:gssCode 'E08000015' ; "
                                                  "rdfs:label ?l } ORDER BY ?l"}), None),
        (base + "council/E08000001", None),
        (base + "search?q=BCP", None),
        (base + "queries/statistical-neighbours?council=Bolton&format=csv", None),
    ]
    expected = [request(url, headers={"Accept": "application/sparql-results+json"})[2] for url, _ in checks]
    assert all(expected)
    failures: list[str] = []
    done = [0]
    stop = time.monotonic() + 30

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            url = checks[i % len(checks)][0]
            status, _, body = request(url, headers={"Accept": "application/sparql-results+json"})
            if status != 200 or body != expected[i % len(checks)]:
                failures.append(f"{url}: {status} {body[:200]!r}")
            done[0] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert done[0] > 8 * 5


# ------------------------------------------------------------------------------ the store changes


SHEET = """\
source:
  kind: news article
  title: "Ofsted finds Bolton's care leavers well supported"
  publisher: Example News
  date: 2024-02-01
councils:
  - id: bolton
    names: [Bolton]
events:
  - id: visit-2024
    type: focused visit
    council: bolton
    fieldwork:
      start: 2024-01
    focus: care leavers
"""


def test_a_change_made_while_serving_is_picked_up(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert run_cskg(project, "build").code == 0
    query = ("SELECT ?v WHERE { ?v a cskg:FocusedVisit ; cskg:inspectedAuthority "
             "<https://w3id.org/cskg/id/council/E08000001> }")
    with cskg_server(project) as server:
        status, _, body = ask(server["endpoint"], query)
        assert status == 200 and json.loads(body)["results"]["bindings"] == []
        sheet = tmp_path / "sheet.yaml"
        sheet.write_text(SHEET)
        added = run_cskg(project, "add", str(sheet))
        assert added.code == 0, added.out + added.err
        deadline = time.monotonic() + 20
        rows: list[Any] = []
        while time.monotonic() < deadline and not rows:
            status, _, body = ask(server["endpoint"], query)
            assert status == 200, body
            rows = json.loads(body)["results"]["bindings"]
            time.sleep(0.2)
        assert rows, "the added visit is answered within 20 s"
        status, _, page = request(server["base"] + "council/E08000001")
        assert b"Ofsted finds Bolton" in page


def test_a_browser_client_on_another_page_may_ask(served) -> None:
    status, _, _ = ask(served["endpoint"], "ASK {}")
    req = urllib.request.Request(served["endpoint"] + "?query=ASK%7B%7D", headers={"Origin": "http://example.org"})
    with urllib.request.urlopen(req, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = urllib.request.Request(served["endpoint"], method="OPTIONS", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    with urllib.request.urlopen(preflight, timeout=30) as response:
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert status == 200


def test_a_malformed_graph_file_leaves_the_last_good_store_answering(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert run_cskg(project, "build").code == 0
    with cskg_server(project) as server:
        before = count(server["endpoint"])
        (project / "graphs" / "broken.trig").write_text("graph:broken { this is not trig }\n")
        deadline = time.monotonic() + 20
        warned = b""
        while time.monotonic() < deadline and b"could not be brought up to date" not in warned:
            time.sleep(0.3)
            warned = request(server["base"] + "search?q=Bolton")[2]
        assert b"broken.trig" in warned, "the pages say why the store is behind"
        assert count(server["endpoint"]) == before
        (project / "graphs" / "broken.trig").unlink()


@pytest.mark.parametrize("path", [
    "resource?iri=" + urllib.parse.quote("http://a/x> ?p ?o } } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o", safe=""),
    "id/" + urllib.parse.quote("x> ?p ?o } } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o"),
    "network?iri=" + urllib.parse.quote("http://a/x y", safe=""),
])
def test_a_page_asked_about_something_that_is_not_an_iri_is_a_400(served, path: str) -> None:
    status, _, body = request(served["base"] + path)
    assert status == 400, body[:300]
    assert b"not an IRI" in body or b"give an entity" in body


def test_a_request_over_ten_megabytes_is_refused_before_it_is_read(served) -> None:
    import http.client

    host, port = served["base"].removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.putrequest("POST", "/sparql")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", "10000001")
    connection.endheaders()  # no body sent: the answer comes from the length alone
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 413 and b"larger than 10,000,000 bytes" in body
    assert count(served["endpoint"]) > 1000


def test_a_port_in_use_is_an_input_error(served) -> None:
    port = served["base"].rstrip("/").rsplit(":", 1)[1]
    run = run_cskg(served["project"], "serve", "--port", port)
    assert run.code == 2
    assert run.err.startswith(f"Error: cannot listen on 127.0.0.1:{port}")
