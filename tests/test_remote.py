"""``cskg push`` and ``--endpoint`` against a real Oxigraph server (the PyPI package ``oxigraph``)
started on a free loopback port: every named query answers as the embedded store does."""

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

PARAMS = {"author": "Joe Lepper", "council": "Westminster", "entity": "Westminster",
          "grade": "inadequate", "partnership": "tri-borough", "person": "James Thomas",
          "theme": "domestic abuse"}


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
def oxigraph_server(db: Path) -> Iterator[int]:
    """``oxigraph serve`` on a free loopback port, answering once this yields the port; stopped
    on exit, whatever happened inside (a failed set-up once left one listening)."""
    port = free_port()
    # stderr is not read, so it must not be a pipe the server could fill
    process = subprocess.Popen([oxigraph_command(), "serve", "--location", str(db),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real Oxigraph server on loopback, holding what ``cskg push`` sent it."""
    base = tmp_path_factory.mktemp("oxigraph")
    with oxigraph_server(base / "db") as port:
        endpoint = f"http://127.0.0.1:{port}/query"
        project = copy_project(base / "project", national=True)
        pushed = run_cskg(project, "push", "--endpoint", endpoint)
        assert pushed.code == 0, pushed.err
        yield {"endpoint": endpoint, "project": project, "push": pushed, "port": port}


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
    query = Catalogue(ROOT / "queries").get(name)
    args = []
    for param in query.params:
        if not param.optional:
            args += ["--param", f"{param.name}={PARAMS[param.name]}"]
    if query.form == "CONSTRUCT":
        local = run_cskg(server["project"], "query", name, *args, "--format", "ntriples")
        remote = run_cskg(server["project"], "query", name, *args, "--format", "ntriples",
                          "--endpoint", server["endpoint"])
        assert remote.code == 0, remote.err
        assert sorted(remote.out.splitlines()) == sorted(local.out.splitlines())
        return
    local = answer(server["project"], "query", name, *args)
    remote = answer(server["project"], "query", name, *args, "--endpoint", server["endpoint"])
    # one snapshot is committed, so there is nothing yet to compare between snapshots
    assert local or name == "snapshot-grade-changes", f"{name} has an answer to compare"
    key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731 - ties may come in any order
    assert sorted(remote, key=key) == sorted(local, key=key)


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
    assert run_cskg(project, "push", "--endpoint", server["endpoint"]).code == 0
    query = ("SELECT ?l WHERE { GRAPH <https://w3id.org/cskg/graph/2018-06-13-bolton-childrens-"
             "services-rated-good> { ?c cskg:gssCode|skos:altLabel ?l } }")
    names = {r["l"] for r in answer(project, "query", "--sparql", query, "--endpoint",
                                    server["endpoint"])}
    assert "Bolton MBC" in names and "Bolton Council" not in names
    # put it back for the other tests
    assert run_cskg(server["project"], "push", "--endpoint", server["endpoint"]).code == 0


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
        body = {"head": {"vars": ["g"]}, "results": {"bindings": [
            {"g": {"type": "uri", "value": "https://w3id.org/cskg/graph/x"}}]}}
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
        assert json.loads(allowed.out) == [{"g": "https://w3id.org/cskg/graph/x"}]
        assert "Bearer s3cret" in _Guarded.seen
    finally:
        httpd.shutdown()
    help_text = run_cskg(project, "push", "--help").out
    assert "--token" not in help_text and "--password" not in help_text


def test_an_unreachable_server_is_an_input_error(project: Path) -> None:
    run = run_cskg(project, "query", "latest-grades", "--endpoint",
                   f"http://127.0.0.1:{free_port()}/query")
    assert run.code == 2 and "cannot reach the SPARQL server" in run.err
    assert "Traceback" not in run.err


def test_an_empty_server_says_push_first(tmp_path: Path, project: Path) -> None:
    with oxigraph_server(tmp_path / "db") as port:
        run = run_cskg(project, "network", "components", "--endpoint",
                       f"http://127.0.0.1:{port}/query")
    assert run.code == 2 and "holds no named graphs" in run.err and "cskg push" in run.err
