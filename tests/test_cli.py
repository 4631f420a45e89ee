"""The cskg command, run for real in a subprocess on a private copy of the project."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer
from typer.core import TyperGroup, TyperOption
from rdflib import Graph

from cskg import __version__
from cskg.cli import app
from conftest import Run, run_cskg

BROKEN_JUDGEMENT = """@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/cskg/graph/broken> {
  <https://w3id.org/cskg/graph/broken> a cskg:SourceGraph ;
      rdfs:label "Facts from a broken note" ;
      prov:wasDerivedFrom <https://w3id.org/cskg/id/source/broken> .
  <https://w3id.org/cskg/id/source/broken> a cskg:NewsArticle ; rdfs:label "A broken note" ;
      <http://purl.org/dc/terms/issued> "2020-01-01"^^xsd:date .
  <https://w3id.org/cskg/id/event/E08000001/inspection/2020> a cskg:FullInspection ;
      rdfs:label "Bolton inspection 2020" ;
      cskg:inspectedAuthority <https://w3id.org/cskg/id/council/E08000001> ;
      cskg:reportedDate "2020"^^xsd:gYear .
  <https://w3id.org/cskg/id/event/E08000001/inspection/2020/judgement/overall-effectiveness>
      a cskg:Judgement ; rdfs:label "Bolton 2020: overall effectiveness superb" ;
      cskg:ofEvent <https://w3id.org/cskg/id/event/E08000001/inspection/2020> ;
      cskg:judgementArea <https://w3id.org/cskg/vocab/area/overall-effectiveness> ;
      cskg:grade <https://w3id.org/cskg/vocab/grade/superb> .
}
"""


def test_version(cskg: Callable[..., Run]) -> None:
    run = cskg("--version")
    assert (run.code, run.out) == (0, f"cskg {__version__}\n")


def test_usage_errors_exit_2(cskg: Callable[..., Run]) -> None:
    run = cskg("stats", "--format", "yaml")
    assert run.code == 2 and "yaml" in run.err
    assert cskg("no-such-command").code == 2


def test_every_command_and_option_has_help() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    for name, command in group.commands.items():
        assert command.help, f"cskg {name} has no help text"
        for param in command.params:
            if isinstance(param, TyperOption):
                assert param.help, f"cskg {name} {param.opts[0]} has no help text"


def test_build_prints_what_it_loaded(cskg: Callable[..., Run], project: Path) -> None:
    run = cskg("build")
    assert run.code == 0, run.err
    graphs = sorted(p.name for p in (project / "graphs").glob("*.trig"))
    for name in graphs:
        assert f"loaded" in run.out and f"graphs/{name}" in run.out
    last = run.out.strip().splitlines()[-1]
    assert f"{len(graphs)} source graphs" in last and "triples in" in last
    again = cskg("build")
    assert "loaded " not in again.out and "unchanged" in again.out


def test_syntax_error_in_a_graph_file_names_the_place_and_changes_nothing(
    cskg: Callable[..., Run], project: Path
) -> None:
    cskg("build")
    before = cskg("stats", "--format", "json").out
    files_before = {p.name: p.read_bytes() for p in (project / "graphs").iterdir()}
    bad = project / "graphs" / "2099-01-01-broken.trig"
    bad.write_text('@prefix ex: <http://example.org/> .\n<https://w3id.org/cskg/graph/2099-01-01-broken> {\n  ex:a ex:b "open .\n}\n')
    run = cskg("build")
    assert run.code == 2
    assert run.err.startswith("Error: graphs/2099-01-01-broken.trig:3:")
    assert "Traceback" not in run.err
    read = cskg("stats", "--format", "json")  # a reader answers from the store as last built
    assert read.code == 0 and read.out == before
    assert read.err.startswith("warning: graphs/2099-01-01-broken.trig:3:")
    bad.unlink()
    assert {p.name: p.read_bytes() for p in (project / "graphs").iterdir()} == files_before
    assert cskg("stats", "--format", "json").out == before


def test_debug_shows_the_traceback(cskg: Callable[..., Run], project: Path) -> None:
    (project / "graphs" / "x.trig").write_text("not rdf at all")
    run = cskg("--debug", "build")
    assert run.code == 2 and "Traceback" in run.err and "Error: graphs/x.trig:1:" in run.err


def test_show_unknown_name_suggests_close_names(cskg: Callable[..., Run]) -> None:
    run = cskg("show", "Westminstr")
    assert run.code == 2
    assert run.err.splitlines()[0] == "Error: no entity is called 'Westminstr'"
    assert "did you mean:" in run.err and "Westminster" in run.err


def test_show_resolves_aliases_and_codes_to_one_council(cskg: Callable[..., Run]) -> None:
    for name in ["Westminster", "westminster city council", "E09000033", "City of Westminster"]:
        run = cskg("show", name, "--format", "json")
        assert run.code == 0, (name, run.err)
        assert json.loads(run.out)["iri"] == "https://w3id.org/cskg/id/council/E09000033"


def test_show_lists_facts_with_their_sources(cskg: Callable[..., Run]) -> None:
    run = cskg("show", "Bolton", "--facts", "--format", "json")
    view = json.loads(run.out)
    files = {f["file"] for f in view["facts"] + view["referenced_by"]}
    assert "graphs/la-lookup-seed-councils.trig" in files
    assert "graphs/2018-06-13-bolton-childrens-services-rated-good.trig" in files
    gss = [f for f in view["facts"] if f["property"] == "cskg:gssCode"]
    assert [(f["value"], f["source"]) for f in gss] == [
        ("E08000001", "Local authority lookup (la-lookup.csv)")
    ]
    text = cskg("show", "Bolton", "--facts").out
    assert text.startswith("Bolton  <https://w3id.org/cskg/id/council/E08000001>\n")
    assert "[graphs/2018-06-13-bolton-childrens-services-rated-good.trig]" in text


def test_stats_counts_by_class_and_source(cskg: Callable[..., Run], project: Path) -> None:
    body = json.loads(cskg("stats", "--format", "json").out)
    classes = {c["class"]: c["count"] for c in body["classes"]}
    assert classes["cskg:Council"] == 9
    assert {s["file"] for s in body["sources"]} == {
        f"graphs/{p.name}" for p in (project / "graphs").glob("*.trig")
    }
    assert body["triples"] == sum(s["triples"] for s in body["sources"])


def test_validate_passes_on_the_project(cskg: Callable[..., Run]) -> None:
    run = cskg("validate")
    assert run.code == 0, run.out
    assert "The graph conforms: 0 violations" in run.out


def test_validate_reports_a_violation_with_its_file_and_exits_1(
    cskg: Callable[..., Run], project: Path
) -> None:
    (project / "graphs" / "broken.trig").write_text(BROKEN_JUDGEMENT)
    run = cskg("validate", "--format", "json")
    assert run.code == 1
    body = json.loads(run.out)
    assert body["conforms"] is False
    hits = [r for r in body["results"] if r["path"] == "cskg:grade"]
    assert hits and hits[0]["label"] == "Bolton 2020: overall effectiveness superb"
    assert hits[0]["files"] == ["graphs/broken.trig"]
    table = cskg("validate")
    assert table.code == 1 and "graphs/broken.trig" in table.out
    assert "Bolton 2020: overall effectiveness superb" in table.out
    turtle = cskg("validate", "--format", "turtle")
    assert turtle.code == 1 and len(Graph().parse(data=turtle.out, format="turtle")) > 0


def test_every_command_shows_an_example_in_its_help(tmp_path: Path) -> None:
    """Each command and subcommand's --help ends with a command line to copy."""
    import typer.main

    from cskg.cli import app

    def leaves(command, path):  # type: ignore[no-untyped-def]
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            yield path
            return
        for name, sub in subcommands.items():
            yield from leaves(sub, [*path, name])

    commands = list(leaves(typer.main.get_command(app), []))
    assert len(commands) > 20
    missing = []
    for path in commands:
        done = run_cskg(tmp_path, *path, "--help", env={"COLUMNS": "200"})
        assert done.code == 0, (path, done.err)
        if "Example: cskg " + path[0] not in done.out:
            missing.append(" ".join(path))
    assert missing == []
