"""Every command's queries are bounded: past ``--timeout`` the command stops with a message
naming the query and the limit, exit 2, no traceback and nothing written."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import Run, copy_project, run_cskg

#: A query with no useful answer that runs for minutes on the repository's graph.
PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def timed(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[Run, float]:
    started = time.monotonic()
    run = run_cskg(root, *args, env=env)
    return run, time.monotonic() - started


def stopped(run: Run, what: str, limit: str) -> None:
    assert run.code == 2, (run.code, run.out[-500:], run.err)
    assert f"{what} ran past the time limit of {limit} and was stopped; nothing was written" in run.err
    assert "--timeout SECONDS" in run.err
    assert "Traceback" not in run.err + run.out


def test_an_adhoc_query_stops_within_the_limit_plus_a_second(project: Path) -> None:
    assert run_cskg(project, "build").code == 0
    run, took = timed(project, "--timeout", "1", "query", "--sparql", PRODUCT)
    stopped(run, "the --sparql query", "1 s")
    assert took < 1 + 1, took


def test_a_named_query_is_named_and_the_environment_sets_the_limit(project: Path) -> None:
    (project / "queries" / "everything-thrice.rq").write_text(
        "# title: Every triple with every other, twice over\n"
        "# description: A query that never finishes in time, for this test.\n" + PRODUCT + "\n")
    assert run_cskg(project, "build").code == 0
    run, took = timed(project, "query", "everything-thrice", env={"CSKG_TIMEOUT": "1.5"})
    stopped(run, 'the named query "everything-thrice"', "1.5 s")
    assert took < 1.5 + 1, took
    bad = run_cskg(project, "query", "latest-grades", env={"CSKG_TIMEOUT": "soon"})
    assert bad.code == 2 and "CSKG_TIMEOUT='soon' is not a number of seconds" in bad.err


def test_a_query_file_and_an_output_file(project: Path, tmp_path: Path) -> None:
    query = tmp_path / "product.rq"
    query.write_text(PRODUCT)
    out = tmp_path / "answer.json"
    assert run_cskg(project, "build").code == 0
    run, _ = timed(project, "--timeout", "1", "query", "--file", str(query), "-o", str(out))
    stopped(run, f"the query in {query}", "1 s")
    assert not out.exists()


def test_show_network_and_export_are_bounded_and_export_writes_nothing(project: Path,
                                                                        tmp_path: Path) -> None:
    assert run_cskg(project, "build").code == 0
    for args, what in ((("show", "Bolton"), "the queries of cskg show"),
                       (("network", "centrality", "--measure", "betweenness"), "the queries of cskg network")):
        run, took = timed(project, "--timeout", "0.001", *args)
        stopped(run, what, "0.001 s")
        assert took < 0.001 + 1, (args, took)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "graph.graphml"
    run, _ = timed(project, "--timeout", "0.001", "export", "--format", "graphml", "-o", str(target))
    stopped(run, "the queries of cskg export", "0.001 s")
    assert list(folder.iterdir()) == []  # neither the file nor a temporary one


def test_within_the_limit_and_with_no_limit_the_answer_comes(project: Path) -> None:
    assert run_cskg(project, "build").code == 0
    for args in ((), ("--timeout", "0"), ("--timeout", "60")):
        run = run_cskg(project, *args, "query", "latest-grades", "--format", "json")
        assert run.code == 0 and run.out.startswith("["), (args, run.err)


def test_a_writer_is_not_cut_short_once_it_writes(tmp_path: Path) -> None:
    """`build` writes the store from its start: the limit does not stop it half-way."""
    root = copy_project(tmp_path / "project", national=True)
    run = run_cskg(root, "--timeout", "0.05", "build")
    assert run.code == 0, run.err
    assert run_cskg(root, "query", "latest-grades", "--format", "json").code == 0
