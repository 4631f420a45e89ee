"""``cskg push`` and ``--endpoint`` against real SPARQL servers started on free loopback ports:
Oxigraph (the PyPI package ``oxigraph``) and OpenLink Virtuoso (Debian's
``virtuoso-opensource-7-bin``, pushed to through its Digest-protected Graph Store endpoint).
Every named query answers on each as the embedded store does."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cskg.query import Catalogue
from conftest import ROOT, copy_project, run_cskg
from tools import require_executable

PARAMS = {"author": "Joe Lepper", "council": "Westminster", "entity": "Westminster",
          "grade": "inadequate", "partnership": "tri-borough", "person": "James Thomas",
          "theme": "domestic abuse", "from": "2025-01-01", "to": "2026-05-31",
          "snapshot": "2025-11-10"}
# optional parameters a query needs for an answer to compare: the latest two snapshots
# (April and May 2026) list no change of overall grade, as inspections from April 2026 have none
OPTIONAL_PARAMS = {"snapshot-grade-changes": {"to": "2026-04-06"}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_command() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is not installed: it is in the test extra (pip install oxigraph)")
    return found


@contextmanager
def serving(command: list[str], ready: str, log: Path | None = None) -> Iterator[None]:
    """The server ``command`` running for the block, from when ``ready`` answers; stopped on
    exit whatever happened inside (a failed set-up once left one listening)."""
    # its output is not read, so it must not be a pipe the server could fill
    process = subprocess.Popen(command, cwd=log.parent if log else None,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(ready, timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"{command[0]} stopped: "
                                + (log.read_text(errors="replace")[-2000:] if log else ""))
                time.sleep(0.1)
        else:
            pytest.fail(f"{command[0]} did not answer at {ready} within 30 s")
        yield
    finally:
        process.terminate()
        process.wait(timeout=60)


@contextmanager
def oxigraph_server(db: Path) -> Iterator[int]:
    """``oxigraph serve`` on a free loopback port; its port, once it answers."""
    port = free_port()
    with serving([oxigraph_command(), "serve", "--location", str(db), "--bind", f"127.0.0.1:{port}"],
                 f"http://127.0.0.1:{port}/"):
        yield port


VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {db}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {db}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@contextmanager
def virtuoso_server(db: Path) -> Iterator[int]:
    """Virtuoso (``virtuoso-t``) on free loopback ports, with its default ``dba`` account; its
    HTTP port, once it answers."""
    program = require_executable("virtuoso-t", "virtuoso-opensource-7-bin")
    db.mkdir(parents=True)
    http = free_port()
    (db / "virtuoso.ini").write_text(VIRTUOSO_INI.format(db=db, sql=free_port(), http=http))
    with serving([program, "+foreground", "+configfile", str(db / "virtuoso.ini")],
                 f"http://127.0.0.1:{http}/sparql?query=ASK%7B%7D", log=db / "virtuoso.log"):
        yield http


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real SPARQL server on loopback, holding what ``cskg push`` sent it. Virtuoso takes
    the push on its ``/sparql-auth`` side, which wants HTTP Digest: the user and password
    come from the environment, as a user would give them."""
    base = tmp_path_factory.mktemp(request.param)
    project = copy_project(base / "project", national=True)
    if request.param == "oxigraph":
        serving, path, env = oxigraph_server(base / "db"), "query", {}
    else:
        serving, path = virtuoso_server(base / "db"), "sparql"
        env = {"CSKG_ENDPOINT_USER": "dba", "CSKG_ENDPOINT_PASSWORD": "dba"}
    with serving as port:
        endpoint = f"http://127.0.0.1:{port}/{path}"
        push_to = endpoint if request.param == "oxigraph" else f"{endpoint}-auth"
        pushed = run_cskg(project, "push", "--endpoint", push_to, env=env)
        assert pushed.code == 0, pushed.err
        yield {"endpoint": endpoint, "push_to": push_to, "env": env, "project": project,
               "push": pushed, "port": port, "kind": request.param}


def answer(project: Path, *args: str) -> list[dict[str, str]]:
    run = run_cskg(project, *args, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out) if run.out.strip() else []


def test_push_sends_every_graph(server) -> None:
    files = sorted((server["project"] / "graphs").glob("*.trig"))
    assert f"{len(files) + 2} graphs" in server["push"].out  # the sources and the ontology's two
    for f in files:
        assert f"graphs/{f.name}" in server["push"].out


@pytest.mark.parametrize("name", Catalogue(ROOT / "queries").names())
def test_every_named_query_answers_as_the_embedded_store(server, name: str) -> None:
    assert_answers_as_embedded(server["project"], server["endpoint"], name)


def assert_answers_as_embedded(project: Path, endpoint: str, name: str) -> None:
    """The named query, with the parameters above, answers the same through ``endpoint`` as on
    the project's embedded store (rows in any order; CONSTRUCT as the same set of triples)."""
    query = Catalogue(ROOT / "queries").get(name)
    args = []
    for param in query.params:
        if not param.optional:
            args += ["--param", f"{param.name}={PARAMS[param.name]}"]
    for param_name, value in OPTIONAL_PARAMS.get(name, {}).items():
        args += ["--param", f"{param_name}={value}"]
    if query.form == "CONSTRUCT":
        local = run_cskg(project, "query", name, *args, "--format", "ntriples")
        remote = run_cskg(project, "query", name, *args, "--format", "ntriples", "--endpoint", endpoint)
        assert remote.code == 0, remote.err
        assert local.out.strip() and sorted(remote.out.splitlines()) == sorted(local.out.splitlines())
        return
    local = answer(project, "query", name, *args)
    remote = answer(project, "query", name, *args, "--endpoint", endpoint)
    assert local, f"{name} has an answer to compare"
    key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731 - ties may come in any order
    assert sorted(map(_listed_in_any_order, remote), key=key) == \
        sorted(map(_listed_in_any_order, local), key=key)


def _listed_in_any_order(row: dict[str, str]) -> dict[str, str]:
    """The row with each GROUP_CONCAT list ("a; b") sorted: SPARQL leaves the order of its
    values to the engine (Oxigraph keeps the rows' order, Virtuoso sorts DISTINCT ones)."""
    return {k: "; ".join(sorted(v.split("; "))) if isinstance(v, str) else v for k, v in row.items()}


def test_network_and_export_against_the_server(server) -> None:
    for args in (["network", "centrality", "--measure", "degree", "--top", "15"],
                 ["network", "components"],
                 ["network", "path", "Westminster", "Hammersmith and Fulham"]):
        assert answer(server["project"], *args, "--endpoint", server["endpoint"]) == \
            answer(server["project"], *args)
    out = server["project"]
    for where, extra in (("local", []), ("remote", ["--endpoint", server["endpoint"]])):
        run = run_cskg(out, "export", "--format", "graphml", "--around", "Bolton", "--depth", "2",
                       "-o", str(out / f"{where}.graphml"), *extra)
        assert run.code == 0, run.err
    assert (out / "remote.graphml").read_bytes() == (out / "local.graphml").read_bytes()


def test_push_replaces_what_the_server_had_for_a_source(server, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    bolton = project / "graphs" / "2018-06-13-bolton-childrens-services-rated-good.trig"
    text = bolton.read_text()
    assert 'skos:altLabel "Bolton", "Bolton Council"' in text
    bolton.write_text(text.replace('skos:altLabel "Bolton", "Bolton Council"',
                                   'skos:altLabel "Bolton", "Bolton MBC"', 1))
    pushed = run_cskg(project, "push", "--endpoint", server["push_to"], env=server["env"])
    assert pushed.code == 0, pushed.err
    query = ("SELECT ?l WHERE { GRAPH <https://w3id.org/cskg/graph/2018-06-13-bolton-childrens-"
             "services-rated-good> { ?c cskg:gssCode|skos:altLabel ?l } }")
    names = {r["l"] for r in answer(project, "query", "--sparql", query, "--endpoint",
                                    server["endpoint"])}
    assert "Bolton MBC" in names and "Bolton Council" not in names
    # this copy has no national graphs: the server's are deleted, as the project no longer has them
    national = sorted({p.name for p in (server["project"] / "graphs").glob("*.trig")}
                      - {p.name for p in (project / "graphs").glob("*.trig")})
    assert national
    for name in national:
        assert f"removed  https://w3id.org/cskg/graph/{Path(name).stem} " in pushed.out
    held = {r["g"] for r in answer(project, "query", "--sparql", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                   "--endpoint", server["endpoint"])}
    assert held == {f"https://w3id.org/cskg/graph/{p.stem}" for p in (project / "graphs").glob("*.trig")} | \
        {"https://w3id.org/cskg/system/ontology/cskg", "https://w3id.org/cskg/system/ontology/vocabulary"}
    # put it back for the other tests
    again = run_cskg(server["project"], "push", "--endpoint", server["push_to"], env=server["env"])
    assert again.code == 0, again.err


# ---------------------------------------------------------------------------- credentials and errors


class _Guarded(BaseHTTPRequestHandler):
    """A SPARQL endpoint that wants a bearer token, and knows one named graph."""

    seen: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server interface
        self.seen.append(self.headers.get("Authorization", ""))
        if self.headers.get("Authorization") != "Bearer s3cret":
            self.send_response(401)
            self.end_headers()
            self.wfile.write(b"token needed")
            return
        body = {"head": {"vars": ["g", "n"]}, "results": {"bindings": [
            {"g": {"type": "uri", "value": "https://w3id.org/cskg/graph/x"},
             "n": {"type": "literal", "value": "1",
                   "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args: object) -> None:
        return None


def test_credentials_come_from_the_environment(project: Path) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Guarded)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    try:
        refused = run_cskg(project, "query", "--sparql", "SELECT ?g WHERE { GRAPH ?g {} }",
                           "--endpoint", endpoint, "--format", "json")
        assert refused.code == 2
        assert "HTTP 401" in refused.err and "CSKG_ENDPOINT_TOKEN" in refused.err
        allowed = run_cskg(project, "query", "--sparql", "SELECT ?g WHERE { GRAPH ?g {} }",
                           "--endpoint", endpoint, "--format", "json",
                           env={"CSKG_ENDPOINT_TOKEN": "s3cret"})
        assert allowed.code == 0, allowed.err
        assert json.loads(allowed.out) == [{"g": "https://w3id.org/cskg/graph/x", "n": "1"}]
        assert "Bearer s3cret" in _Guarded.seen
    finally:
        httpd.shutdown()
    help_text = run_cskg(project, "push", "--help").out
    assert "--token" not in help_text and "--password" not in help_text


class _Wrong(BaseHTTPRequestHandler):
    """Answers that are not what a SPARQL endpoint sends: a web page (the URL of a server's
    front page, say), results that break after their first row, and a graph that does not parse."""

    ROW = {"g": {"type": "uri", "value": "https://w3id.org/cskg/graph/x"}}
    ANSWERS = {
        "/page": ("text/html", b"<html><body>Welcome</body></html>"),
        "/broken": ("application/sparql-results+json",
                    json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": [ROW, ROW]}})
                    .encode()[:-30]),
        "/graph": ("text/turtle", b"<https://w3id.org/cskg/id/x> <https://w3id.org/cskg/def#p> ."),
    }

    def do_POST(self) -> None:
        kind, body = self.ANSWERS[self.path]
        if self.path == "/graph" and "sparql-results" in self.headers.get("Accept", ""):
            # cskg first asks which graphs the server holds: that answer is right
            kind, body = "application/sparql-results+json", json.dumps(
                {"head": {"vars": ["g", "n"]}, "results": {"bindings": [
                    {**self.ROW, "n": {"type": "literal", "value": "1",
                                       "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.mark.parametrize(("path", "form", "expected"), [
    ("/page", "SELECT ?g WHERE { GRAPH ?g {} }", "is not SPARQL JSON results"),
    ("/broken", "SELECT ?g WHERE { GRAPH ?g {} }", "is not SPARQL JSON results"),
    ("/graph", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "is not RDF"),
])
def test_an_answer_that_is_not_sparql_is_an_input_error(project: Path, path: str, form: str,
                                                         expected: str) -> None:
    """Whatever part of the answer is wrong, the error names the server and what it should have
    sent, exits 2, and shows no traceback."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Wrong)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{httpd.server_address[1]}{path}"
    try:
        run = run_cskg(project, "query", "--sparql", form, "--endpoint", endpoint,
                       "--format", "ntriples" if form.startswith("CONSTRUCT") else "json")
    finally:
        httpd.shutdown()
    assert run.code == 2, run.err
    assert f"the SPARQL server at {endpoint} answered with something that {expected}" in run.err
    assert "SPARQL query endpoint" in run.err and "Traceback" not in run.err


def test_an_unreachable_server_is_an_input_error(project: Path) -> None:
    run = run_cskg(project, "query", "latest-grades", "--endpoint",
                   f"http://127.0.0.1:{free_port()}/query")
    assert run.code == 2 and "cannot reach the SPARQL server" in run.err
    assert "Traceback" not in run.err


def test_an_empty_server_says_push_first(tmp_path: Path, project: Path) -> None:
    with oxigraph_server(tmp_path / "db") as port:
        run = run_cskg(project, "network", "components", "--endpoint",
                       f"http://127.0.0.1:{port}/query")
    assert run.code == 2 and "holds no named graphs from cskg" in run.err and "cskg push" in run.err


@pytest.mark.parametrize("server", ["virtuoso"], indirect=True)
def test_a_server_that_wants_digest_refuses_without_the_right_password(server) -> None:
    """Virtuoso's ``…-auth`` side refuses Basic without a challenge, then challenges for Digest:
    no credentials and a wrong password are both refused, with the hint, and nothing changes."""
    before = answer(server["project"], "query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                    "--endpoint", server["endpoint"])
    for env, hint in (({}, "set CSKG_ENDPOINT_TOKEN"),
                      ({"CSKG_ENDPOINT_USER": "dba", "CSKG_ENDPOINT_PASSWORD": "not-it"},
                       "the server refused the credentials")):
        refused = run_cskg(server["project"], "push", "--endpoint", server["push_to"], env=env)
        assert refused.code == 2, refused.out
        assert "HTTP 401" in refused.err and hint in refused.err and "CSKG_ENDPOINT_USER" in refused.err
        assert "Traceback" not in refused.err and "not-it" not in refused.err
    assert answer(server["project"], "query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                  "--endpoint", server["endpoint"]) == before
