"""`cskg query`: formats, files, ad hoc SPARQL, and every error it can report."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import Run

VISITS = ["query", "monitoring-visits", "--param", "focus=early help"]


def test_default_format_when_piped_is_json(cskg: Callable[..., Run]) -> None:
    run = cskg(*VISITS)
    assert run.code == 0, run.err
    rows = json.loads(run.out)
    assert {r["councilLabel"] for r in rows} == {"Bromley", "Tameside"}


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_formats(cskg: Callable[..., Run], fmt: str) -> None:
    run = cskg(*VISITS, "--format", fmt)
    reader = csv.DictReader(io.StringIO(run.out), delimiter="," if fmt == "csv" else "\t")
    assert {r["councilLabel"] for r in reader} == {"Bromley", "Tameside"}


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_formats_give_labels_only_unless_iris(cskg: Callable[..., Run], fmt: str) -> None:
    """For people: a column x is left out when the answer has xLabel (as in the table);
    --iris keeps every column, as JSON does."""
    every = json.loads(cskg(*VISITS, "--format", "json").out)
    columns = list(every[0])
    assert "council" in columns and "councilLabel" in columns
    delimiter = "," if fmt == "csv" else "\t"
    plain = list(csv.DictReader(io.StringIO(cskg(*VISITS, "--format", fmt).out), delimiter=delimiter))
    assert list(plain[0]) == [c for c in columns if f"{c}Label" not in columns]
    assert [r["councilLabel"] for r in plain] == [r["councilLabel"] for r in every]
    full = list(csv.DictReader(io.StringIO(cskg(*VISITS, "--format", fmt, "--iris").out), delimiter=delimiter))
    assert full == [{k: str(v) for k, v in r.items()} for r in every]


def test_iris_is_for_the_delimited_formats_and_xlsx(cskg: Callable[..., Run]) -> None:
    run = cskg(*VISITS, "--format", "json", "--iris")
    assert run.code == 2 and "--iris" in run.err


def test_jsonl_has_one_object_per_line(cskg: Callable[..., Run]) -> None:
    lines = cskg(*VISITS, "--format", "jsonl").out.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["visit"] for line in lines)


def test_sparql_results_formats_are_standard(cskg: Callable[..., Run]) -> None:
    body = json.loads(cskg(*VISITS, "--format", "sparql-json").out)
    assert len(body["results"]["bindings"]) == 2 and "visit" in body["head"]["vars"]
    assert body["results"]["bindings"][0]["visit"]["type"] == "uri"
    root = ET.fromstring(cskg(*VISITS, "--format", "sparql-xml").out)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(root.findall(f"{ns}results/{ns}result")) == 2


def test_table_puts_labels_beside_iris(cskg: Callable[..., Run]) -> None:
    run = cskg("query", "--sparql", "SELECT ?c WHERE { ?c a cskg:Council } ORDER BY ?c LIMIT 1",
               "--format", "table")
    assert run.out.splitlines()[2] == "Bournemouth, Christchurch and Poole <cskgid:council/E06000058>"


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("trig", "trig"),
                                        ("jsonld", "json-ld"), ("ntriples", "nt")])
def test_construct_formats_parse_back(cskg: Callable[..., Run], fmt: str, parser: str) -> None:
    query = "CONSTRUCT { ?c a cskg:Council } WHERE { ?c a cskg:Council }"
    run = cskg("query", "--sparql", query, "--format", fmt)
    assert run.code == 0, run.err
    assert len(set(Graph().parse(data=run.out, format=parser))) == 9


def test_query_from_a_file_to_an_output_file(cskg: Callable[..., Run], project: Path) -> None:
    (project / "mine.rq").write_text(
        "# title: Councils in a region\n# param: region (entity) -- a region\n"
        "SELECT ?c WHERE { ?c cskg:region ?region } ORDER BY ?c\n"
    )
    run = cskg("query", "--file", "mine.rq", "--param", "region=North West",
               "--format", "csv", "--output", "out.csv")
    assert run.code == 0 and run.out == ""
    assert (project / "out.csv").read_text().splitlines() == [
        "c",
        "https://w3id.org/cskg/id/council/E08000001",
        "https://w3id.org/cskg/id/council/E08000008",
        "https://w3id.org/cskg/id/council/E08000015",
    ]


def test_ask(cskg: Callable[..., Run]) -> None:
    run = cskg("query", "--sparql", "ASK { ?c cskg:gssCode 'E08000001' }")
    assert json.loads(run.out) == {"boolean": True}


def test_syntax_error_names_line_and_column_and_shows_the_text(cskg: Callable[..., Run]) -> None:
    run = cskg("query", "--sparql", "SELECT ?c WHERE {\n  ?c a cskg:Council\n  FILTR(?c) }")
    assert run.code == 2
    first, shown, caret = run.err.splitlines()[:3]
    assert first.startswith("Error: --sparql:3:")
    assert shown.strip() == "FILTR(?c) }"
    assert caret.strip() == "^"


def test_unknown_query_lists_close_names(cskg: Callable[..., Run]) -> None:
    run = cskg("query", "monitoring-visit")
    assert run.code == 2
    assert run.err.splitlines() == [
        "Error: no named query 'monitoring-visit'", "Hint: did you mean: monitoring-visits"
    ]


def test_missing_parameter_names_it_and_its_description(cskg: Callable[..., Run]) -> None:
    run = cskg("query", "council-history")
    assert run.code == 2
    assert run.err.startswith("Error: council-history needs --param council=… (council): ")
    assert "GSS code" in run.err


def test_ill_typed_parameters_are_named(cskg: Callable[..., Run]) -> None:
    run = cskg("query", "inadequate-judgements", "--param", "from=June 2016")
    assert run.code == 2 and "--param from='June 2016' is not a date" in run.err
    run = cskg("query", "monitoring-visits", "--param", "focus=early halp")
    assert run.code == 2 and "is not a service" in run.err and "early help" in run.err
    run = cskg("query", "council-history", "--param", "council=Ofsted")
    assert run.code == 2 and "is not a council" in run.err
    run = cskg("query", "council-history", "--param", "colour=red")
    assert run.code == 2 and "has no parameter 'colour'" in run.err


def test_empty_result_says_so_and_exits_0(cskg: Callable[..., Run]) -> None:
    run = cskg("query", "council-people", "--param", "council=Bromley", "--format", "csv")
    assert run.code == 0
    assert run.err.strip() == "No results."


def test_wrong_format_for_the_query_form(cskg: Callable[..., Run]) -> None:
    run = cskg(*VISITS, "--format", "turtle")
    assert run.code == 2 and "does not fit a SELECT query" in run.err


def test_parameters_are_bound_as_terms_not_pasted(cskg: Callable[..., Run]) -> None:
    hostile = 'x" } UNION { ?c ?p ?o } #'
    run = cskg("query", "--sparql", "SELECT ?c WHERE { ?c rdfs:label ?name }",
               "--param", f"name={hostile}")
    assert run.code == 0 and json.loads(run.out) == []


def test_a_query_answers_from_graph_files_edited_since_the_last_build(
    cskg: Callable[..., Run], project: Path
) -> None:
    """The files are checked while the query runs; a file added or edited by hand since the
    last build is loaded, and the query answers from it, not from the store as it was."""
    ask = "SELECT ?note WHERE { <http://example.org/x> <http://example.org/note> ?note }"
    assert json.loads(cskg("query", "--sparql", ask).out) == []  # builds the store
    path = project / "graphs" / "zz-by-hand.trig"

    def write(note: str) -> None:
        path.write_text(f'<https://w3id.org/cskg/graph/zz-by-hand> {{ <http://example.org/x> '
                        f'<http://example.org/note> "{note}" . }}\n', encoding="utf-8")

    write("added by hand")
    run = cskg("query", "--sparql", ask)
    assert run.code == 0, run.err
    assert json.loads(run.out) == [{"note": "added by hand"}]
    write("edited by hand")
    assert json.loads(cskg("query", "--sparql", ask).out) == [{"note": "edited by hand"}]


@pytest.mark.parametrize("args", [VISITS, ["query", "council-history", "--param", "council=Bolton"],
                                  ["query", "--sparql", "ASK { ?s a cskg:Council }"]])
def test_xlsx_opens_with_openpyxl_with_the_rows_of_the_csv(cskg: Callable[..., Run], project: Path,
                                                           args: list[str]) -> None:
    from openpyxl import load_workbook

    target = project / "answer.xlsx"
    run = cskg(*args, "--format", "xlsx", "--output", str(target))
    assert run.code == 0, run.err
    sheet = load_workbook(target).active
    cells = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    expected = list(csv.reader(io.StringIO(cskg(*args, "--format", "csv").out)))
    assert len(expected) > 1 and cells == expected
    assert cskg(*args, "--format", "xlsx", "--output", str(target), "--iris").code == 0
    sheet = load_workbook(target).active
    cells = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == list(csv.reader(io.StringIO(cskg(*args, "--format", "csv", "--iris").out)))


def test_xlsx_needs_an_output_file_and_bom_is_for_delimited_text(cskg: Callable[..., Run]) -> None:
    run = cskg(*VISITS, "--format", "xlsx")
    assert run.code == 2 and "--output" in run.err
    run = cskg(*VISITS, "--format", "json", "--bom")
    assert run.code == 2 and "--bom" in run.err


def test_bom_starts_csv_for_excel(cskg: Callable[..., Run], project: Path) -> None:
    target = project / "answer.csv"
    assert cskg(*VISITS, "--format", "csv", "--bom", "--output", str(target)).code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8") == cskg(*VISITS, "--format", "csv").out


def test_counting_without_distinct_over_every_source_gets_a_note(cskg) -> None:  # type: ignore[no-untyped-def]
    """The default graph holds a fact once per source: COUNT(?c) of councils counts a council
    for each source naming it. Such a query of one's own gets a note on stderr (the answer is
    unchanged); COUNT(DISTINCT ...), a GRAPH pattern or a named query gets none."""
    plain = cskg("query", "--sparql", "SELECT (COUNT(?c) AS ?n) WHERE { ?c a cskg:Council }", "--format", "csv")
    distinct = cskg("query", "--sparql", "SELECT (count( DISTINCT ?c) AS ?n) WHERE { ?c a cskg:Council }",
                    "--format", "csv")
    assert plain.code == distinct.code == 0
    assert int(plain.out.split()[1]) > int(distinct.out.split()[1])
    assert "COUNT(DISTINCT ?x) counts it once" in plain.err and distinct.err == ""
    for quiet in ('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a cskg:Council } }',
                  'SELECT ?c WHERE { ?c rdfs:label "COUNT(?c)" }',  # in a string: not a count
                  '# COUNT(?c)\nSELECT ?c WHERE { ?c a cskg:Council } LIMIT 1'):
        assert "COUNT(DISTINCT" not in cskg("query", "--sparql", quiet, "--format", "csv").err, quiet
    assert cskg("query", "grade-distribution", "--format", "csv").err == ""
