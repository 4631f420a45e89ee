"""Tables for people fit the terminal: every named query, `cskg validate`, `cskg stats` and
`cskg queries` at 80 and 120 columns, long cells wrapped (never cut), a row too wide shown as a
record; `--columns` and `--full`; `cskg queries NAME`; CSV with labels only, the same from
`cskg serve`."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, Run, copy_project, run_cskg

from cskg.formats import label_columns, table
from cskg.query import Catalogue, NamedQuery

try:
    from wcwidth import wcswidth
except ImportError:  # pragma: no cover - wcwidth comes with the test environment
    wcswidth = None

CATALOGUE = Catalogue(ROOT / "queries")
NAMES = CATALOGUE.names()
#: A parameter's value when its description gives no example ("e.g. ..."), by type.
BY_TYPE = {"council": "Bolton", "date": "2025-11-10", "integer": "10", "string": "Bolton",
           "concept:grade": "good", "concept:theme": "early help", "concept:service": "early help"}
#: An entity parameter's value, by its name, when its description gives no example.
ENTITY_BY_NAME = {"person": "Ann Cunliffe"}


def width(line: str) -> int:
    """The display width of a line: wcwidth's when it knows every character, else its length."""
    measured = wcswidth(line) if wcswidth else -1
    return measured if measured >= 0 else len(line)


def too_wide(text: str, columns: int) -> list[str]:
    return [line for line in text.splitlines() if width(line) > columns]


def params_for(query: NamedQuery) -> list[str]:
    """``--param`` options filling the query's required parameters with sensible values: the
    example its description gives, else a value for its type (or name)."""
    args: list[str] = []
    for param in query.params:
        if param.optional:
            continue
        example = re.search(r'e\.g\. ("[^"]+"|[^\s,;)"]+)', param.description)
        if example:
            value = example.group(1).strip('"')
        elif param.type == "entity":
            value = ENTITY_BY_NAME.get(param.name, "Bolton")
        else:
            value = BY_TYPE.get(param.type, "Bolton")
        args += ["--param", f"{param.name}={value}"]
    return args


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One built project with the national graphs, shared by this module's read-only tests."""
    project = copy_project(tmp_path_factory.mktemp("tables") / "project", national=True)
    built = run_cskg(project, "build")
    assert built.code == 0, built.err
    return project


def at(project: Path, columns: int, *args: str) -> Run:
    return run_cskg(project, *args, env={"COLUMNS": str(columns)})


_answers: dict[str, list[dict[str, str]]] = {}


def answer(project: Path, name: str) -> list[dict[str, str]]:
    """The query's rows as JSON (every column), run once."""
    if name not in _answers:
        run = run_cskg(project, "query", name, *params_for(CATALOGUE.get(name)), "--format", "json")
        assert run.code == 0, run.err
        _answers[name] = json.loads(run.out)
    return _answers[name]


def shown_words(query: NamedQuery, rows: list[dict[str, str]]) -> set[str]:
    """The words of the text values a query's default table shows (IRIs left out, as they are
    shown as a label and a CURIE), short enough never to be broken by wrapping."""
    columns = query.display or list(rows[0])
    words: set[str] = set()
    for row in rows:
        for column in columns:
            value = row.get(f"{column}Label") or row.get(column) or ""
            if not value.startswith(("http://", "https://")):
                words |= {w for w in value.split() if len(w) <= 20}
    return words


# ------------------------------------------------------------------- every named query fits


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_fits_the_terminal(national: Path, name: str, columns: int) -> None:
    query = CATALOGUE.get(name)
    run = at(national, columns, "query", name, *params_for(query), "--format", "table")
    if query.form in ("CONSTRUCT", "DESCRIBE"):
        assert run.code == 2 and f"does not fit a {query.form} query" in run.err
        return
    assert run.code == 0, run.err
    assert too_wide(run.out, columns) == []
    rows = answer(national, name)
    assert bool(run.out) == bool(rows)
    if rows:  # wrapped, not cut: every word of what is shown is there whole
        tokens = set(run.out.split())
        assert shown_words(query, rows) - tokens == set()
        assert "…" not in run.out or any("…" in v for r in rows for v in r.values())


def test_most_named_queries_answer_with_the_values_the_tests_give(national: Path) -> None:
    """The values params_for chooses are sensible: nearly every query answers with rows."""
    selects = [n for n in NAMES if CATALOGUE.get(n).form == "SELECT"]
    empty = [n for n in selects if not answer(national, n)]
    assert len(empty) <= 2, empty


def test_display_columns_are_columns_of_the_answer(national: Path) -> None:
    for name in NAMES:
        query = CATALOGUE.get(name)
        rows = answer(national, name) if query.display else []
        if rows:
            assert set(query.display) <= set(rows[0]), name


@pytest.mark.parametrize("args", [["validate"], ["stats"], ["queries"], ["queries", "council-history"],
                                  ["schema"]])
def test_the_other_tables_fit_80_columns(national: Path, args: list[str]) -> None:
    run = at(national, 80, *args)
    assert run.code in (0, 1), run.err
    assert run.out and too_wide(run.out, 80) == []


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("name", ["Tameside", "Bolton", "tri-borough"])
def test_show_fits_the_terminal_and_loses_no_word(national: Path, name: str, columns: int) -> None:
    """A council's profile (or another entity's statements) wraps its long lines, hung under
    where their value starts; the words are those of the unwrapped text, in order."""
    wrapped = at(national, columns, "show", name)
    assert wrapped.code == 0, wrapped.err
    assert too_wide(wrapped.out, columns) == []
    whole = run_cskg(national, "show", name)  # piped, COLUMNS unset: not narrowed
    assert wrapped.out.split() == whole.out.split()
    assert columns > 80 or any(width(line) > columns for line in whole.out.splitlines())


def test_without_a_terminal_or_columns_a_table_is_not_narrowed(national: Path) -> None:
    """Piped with COLUMNS unset: whole rows, for `| cut` or `| less -S`."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS" and not k.startswith("CSKG_")}
    done = subprocess.run([sys.executable, "-m", "cskg", "query", "council-history", "--param",
                           "council=Bolton", "--format", "table", "--full"],
                          cwd=national, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) > 200
    grades = [r["grades"] for r in answer(national, "council-history")]
    assert all(any(g in line for line in lines) for g in grades)


def test_grade_changes_for_tameside_exactly_at_80_and_120_columns(national: Path) -> None:
    """The shipped national graphs: Tameside inadequate in December 2016 and December 2023, a
    report of July 2019 between them linked to no inspection (the README's example)."""
    narrow = at(national, 80, "query", "grade-changes", "--param", "council=Tameside", "--format", "table")
    assert narrow.code == 0, narrow.err
    assert narrow.out == (
        "council:      Tameside\n"
        "area:         overall effectiveness\n"
        "earlierDate:  2016-12\n"
        "earlierGrade: inadequate\n"
        "laterDate:    2023-12-04\n"
        "laterGrade:   inadequate\n"
        "change:       unknown in between\n"
        "between:      report published 2019-07-01\n"
    )
    wide = at(national, 120, "query", "grade-changes", "--param", "council=Tameside", "--format", "table")
    assert wide.code == 0, wide.err
    assert wide.out == (
        "council   area                 earlierDate  earlierGrade  laterDate   laterGrade  "
        "change           between\n"
        "--------  -------------------  -----------  ------------  ----------  ----------  "
        "---------------  ---------------------\n"
        "Tameside  overall              2016-12      inadequate    2023-12-04  inadequate  "
        "unknown in       report published\n"
        "          effectiveness                                                           "
        "between          2019-07-01\n"
    )
    assert narrow.err == wide.err == "(2 more columns: --full shows them, --columns chooses)\n"


# ------------------------------------------------------------------ the table function itself


def test_a_long_cell_wraps_at_words_within_its_column() -> None:
    text = table(["area", "grades"],
                 [["Bolton", "care leavers: good; children in care: requires improvement"],
                  ["Wirral", "good"]], width=30)
    assert text == (
        "area    grades\n"
        "------  ----------------------\n"
        "Bolton  care leavers: good;\n"
        "        children in care:\n"
        "        requires improvement\n"
        "\n"
        "Wirral  good\n"
    )


def test_rows_that_do_not_wrap_are_not_spaced_and_a_wide_enough_table_is_unchanged() -> None:
    rows = [["Bolton", "good"], ["Wirral", "inadequate"]]
    expected = "council  grade\n-------  ----------\nBolton   good\nWirral   inadequate\n"
    assert table(["council", "grade"], rows, width=40) == expected
    assert table(["council", "grade"], rows) == expected


def test_columns_that_cannot_fit_become_records() -> None:
    text = table(["council", "inspectionDate", "overallGrade", "careLeavers"],
                 [["Bolton", "2023-09-11", "good", "good"],
                  ["Tameside", "", "inadequate", "requires improvement in every area"]], width=40)
    assert text == (
        "council:        Bolton\n"
        "inspectionDate: 2023-09-11\n"
        "overallGrade:   good\n"
        "careLeavers:    good\n"
        "\n"
        "council:        Tameside\n"
        "overallGrade:   inadequate\n"
        "careLeavers:    requires improvement in\n"
        "                every area\n"
    )


# ------------------------------------------------------------------------- --columns, --full


def test_columns_chooses_the_columns_and_their_order(national: Path) -> None:
    run = at(national, 80, "query", "statistical-neighbours", "--param", "council=Bolton",
             "--columns", "grade,neighbour", "--format", "table")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    rows = answer(national, "statistical-neighbours")
    assert lines[0].split() == ["grade", "neighbour"]
    assert len(lines) == 2 + len(rows)
    for line, row in zip(lines[2:], rows):
        assert line.startswith(row["gradeLabel"]) and line.rstrip().endswith(row["neighbourLabel"])


def test_an_unknown_column_is_named_with_the_columns_there_are(national: Path) -> None:
    run = at(national, 80, "query", "statistical-neighbours", "--param", "council=Bolton",
             "--columns", "neighbour,colour", "--format", "table")
    assert run.code == 2
    assert "no column 'colour'" in run.err
    assert all(c in run.err for c in answer(national, "statistical-neighbours")[0])
    run = at(national, 80, "query", "statistical-neighbours", "--param", "council=Bolton",
             "--columns", "grade", "--format", "csv")
    assert run.code == 2 and "--format table" in run.err


def test_full_shows_every_column(national: Path) -> None:
    query = CATALOGUE.get("council-history")
    assert query.display
    default = at(national, 80, "query", "council-history", "--param", "council=Bolton", "--format", "table")
    full = at(national, 80, "query", "council-history", "--param", "council=Bolton", "--format",
              "table", "--full")
    assert default.code == full.code == 0
    assert "--full" in default.err and full.err == ""
    rows = answer(national, "council-history")
    keep, _ = label_columns(list(rows[0]))
    names = [list(rows[0])[i] for i in keep]
    filled = {c for c in names if any(r.get(f"{c}Label") or r.get(c) for r in rows)}
    hidden = filled - set(query.display)
    assert hidden, "the display choice hides some columns"
    shown = set(re.findall(r"^(\w+):", full.out, re.MULTILINE)) or set(full.out.splitlines()[0].split())
    assert filled <= shown
    assert not hidden & set(re.findall(r"^(\w+):", default.out, re.MULTILINE) or default.out.splitlines()[0].split())
    assert too_wide(full.out, 80) == []


def test_a_column_empty_in_every_row_is_left_out_unless_asked_for(national: Path) -> None:
    """statistical-neighbours shows every column by default, but unknownSince is empty for
    Bolton's neighbours in the shipped graph: the default table leaves it out (and counts it
    among the columns --full shows); --full and --columns show it."""
    args = ("query", "statistical-neighbours", "--param", "council=Bolton", "--format", "table")
    assert not any(r.get("unknownSince") for r in answer(national, "statistical-neighbours"))
    default = at(national, 200, *args)
    full = at(national, 200, *args, "--full")
    chosen = at(national, 200, *args, "--columns", "neighbour,unknownSince")
    assert default.code == full.code == chosen.code == 0
    assert "unknownSince" not in default.out.splitlines()[0].split()
    assert "unknownSince" in full.out.splitlines()[0].split()
    assert chosen.out.splitlines()[0].split() == ["neighbour", "unknownSince"]
    assert "more column" in default.err and "more column" not in chosen.err
    # one column of two empty: left out; both empty: both shown, rather than a table of nothing
    one = at(national, 80, "query", "--sparql", "SELECT ?x ?b WHERE { VALUES ?x { 1 2 } }", "--format", "table")
    both = at(national, 80, "query", "--sparql", "SELECT ?a ?b WHERE { VALUES ?x { 1 2 } }", "--format", "table")
    assert (one.code, one.out.split()) == (0, ["x", "-", "1", "2"]) and "1 more column" in one.err
    assert (both.code, both.out.split()) == (0, ["a", "b", "-", "-"])


# ---------------------------------------------------------------------------- cskg queries


def test_queries_wraps_at_word_boundaries(national: Path) -> None:
    run = at(national, 80, "queries")
    assert run.code == 0 and too_wide(run.out, 80) == []
    tokens = set(run.out.split())
    for query in CATALOGUE.all():
        assert set(query.description.split()) <= tokens, query.name


def test_queries_name_shows_one_query_in_full_and_its_example_runs(national: Path) -> None:
    query = CATALOGUE.get("grade-changed-between")
    run = at(national, 80, "queries", query.name)
    assert run.code == 0, run.err
    flat = " ".join(run.out.split())
    assert query.title in flat and query.description in flat
    for param in query.params:
        assert f"--param {param.name}=… ({param.type}" in flat and param.description in flat
    assert "(date, optional)" not in flat and "(entity, optional)" in flat
    assert "Table columns: " + " ".join(query.display) in flat
    example = run.out.split("Example:\n", 1)[1].strip()
    assert example.startswith("cskg query grade-changed-between --param from=")
    ran = run_cskg(national, *example.split()[1:], "--format", "json")
    assert ran.code == 0 and json.loads(ran.out), ran.err


def test_queries_with_an_unknown_name_lists_the_close_ones(national: Path) -> None:
    run = at(national, 80, "queries", "council-histry")
    assert run.code == 2 and "council-history" in run.err
    run = at(national, 80, "queries", "zzz")
    assert run.code == 2 and all(n in run.err for n in NAMES)


# ------------------------------------------------------------------------ CSV with labels only


@pytest.fixture(scope="module")
def served(national: Path) -> Iterator[str]:
    from test_serve import cskg_server

    with cskg_server(national) as server:
        yield server["base"]


@pytest.mark.parametrize("name", ["council-history", "statistical-neighbours", "grade-timeline"])
def test_serve_csv_is_the_labels_only_csv_of_cskg_query(national: Path, served: str, name: str) -> None:
    from urllib.parse import urlencode

    from test_serve import request

    args = params_for(CATALOGUE.get(name))
    local = run_cskg(national, "query", name, *args, "--format", "csv")
    assert local.code == 0, local.err
    query = urlencode([tuple(a.split("=", 1)) for a in args[1::2]] + [("format", "csv")])
    status, _, body = request(f"{served}queries/{name}?{query}")
    assert status == 200 and body.decode("utf-8") == local.out
    header = next(csv.reader(io.StringIO(local.out)))
    assert not any(f"{c}Label" in header for c in header)
