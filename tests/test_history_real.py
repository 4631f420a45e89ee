"""History at real scale: the thirteen real ILACS snapshots, imported in order and out of order.

Every expected value is computed here from the spreadsheets themselves with openpyxl (and the
local authority lookup with the csv module), never copied from cskg's output: each council's
latest grade, each grade change between consecutive snapshots, and the timeline of councils
that were re-inspected. The graph files must not depend on the order of import, importing a
snapshot again must change nothing, and removing one and importing it again must give the same
files back.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import DATA, ROOT, copy_project, national_data, run_cskg

GRADE_SLUG = {"outstanding": "outstanding", "good": "good",
              "requires improvement": "requires-improvement", "inadequate": "inadequate"}
ORDER = {"outstanding": 1, "good": 2, "requires-improvement": 3, "inadequate": 4}
_TIMES = re.compile(r".*(generatedAtTime|endedAtTime).*\n")


def snapshot_files() -> list[Path]:
    """The thirteen snapshots in date order: 2025-03-10 and the twelve of ilacs-snapshots/."""
    first = national_data("ilacs-overview-2025-03-10.xlsx")
    later = sorted((DATA / "ilacs-snapshots").glob("ilacs-overview-*.xlsx"))
    if len(later) != 12:
        pytest.fail(f"expected twelve snapshots in {DATA / 'ilacs-snapshots'}, found {len(later)}")
    return [first, *later]


def as_of(path: Path) -> str:
    return re.search(r"\d{4}-\d{2}-\d{2}", path.name).group(0)  # type: ignore[union-attr]


def _day(value: object, two_digit_year: bool = False) -> str | None:
    """A spreadsheet date (a datetime, or text dd/mm/yyyy or dd/mm/yy) as yyyy-mm-dd."""
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    text = str(value or "").strip()
    found = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text)
    if not found:
        return None
    d, m, y = found.groups()
    return f"{'20' + y if len(y) == 2 else y}-{int(m):02d}-{int(d):02d}"


def urn_to_gss() -> dict[str, str]:
    with national_data("la-lookup.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {r["urn"]: r["la_code_new"] for r in csv.DictReader(handle) if r["la_code_new"]}


def rows_of(path: Path) -> dict[str, tuple[str | None, str]]:
    """GSS -> (overall grade slug or None, date key: fieldwork start, else publication)."""
    to_gss = urn_to_gss()
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    header = [str(h) for h in rows[0]]
    found = {}
    for values in rows[1:]:
        row = dict(zip(header, values))
        key = _day(row["inspection_start_date"]) or _day(row["publication_date"])
        grade = GRADE_SLUG.get(str(row["overall_effectiveness_grade"]).strip().lower())
        found[to_gss[str(row["urn"])]] = (grade, key)
    return found


@pytest.fixture(scope="module")
def sheets() -> dict[str, dict[str, tuple[str | None, str]]]:
    return {as_of(p): rows_of(p) for p in snapshot_files()}


def _base(root: Path) -> None:
    """The national imports as `make import` makes them, up to the first snapshot."""
    for kind, name in (("la-lookup", "la-lookup.csv"), ("ilacs", "ilacs-overview-2025-03-10.xlsx"),
                       ("report-index", "inspection-reports-index.csv")):
        run = run_cskg(root, "import", kind, str(national_data(name)))
        assert run.code == 0, (kind, run.out[-2000:], run.err)


def _import(root: Path, path: Path) -> dict:  # type: ignore[type-arg]
    run = run_cskg(root, "import", "ilacs", str(path), "--format", "json")
    assert run.code == 0, (path.name, run.out[-2000:], run.err)
    return json.loads(run.out)


@pytest.fixture(scope="module")
def forward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("forward") / "project")
    _base(root)
    for path in snapshot_files()[1:]:
        _import(root, path)
    return root


@pytest.fixture(scope="module")
def backward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("backward") / "project")
    _base(root)
    for path in reversed(snapshot_files()[1:]):
        _import(root, path)
    return root


def files(root: Path) -> dict[str, str]:
    """The graph files' text, times aside."""
    return {p.name: _TIMES.sub("", p.read_text()) for p in sorted((root / "graphs").glob("*.trig"))}


def query(root: Path, name: str, *params: str) -> list[dict[str, str]]:
    args = [a for p in params for a in ("--param", p)]
    run = run_cskg(root, "query", name, *args, "--format", "json")
    assert run.code == 0, (name, params, run.err)
    return json.loads(run.out) if run.out.strip() else []


def slug(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1] if iri else None


# ---------------------------------------------------------------------------- the files


def test_order_of_import_does_not_change_the_graph_files(forward: Path, backward: Path) -> None:
    assert files(backward) == files(forward)


def test_the_committed_history_is_what_importing_the_thirteen_makes(forward: Path) -> None:
    made = files(forward)
    committed = {n: t for n, t in files(ROOT).items() if n.startswith("ilacs-overview-")}
    assert committed == {n: t for n, t in made.items() if n.startswith("ilacs-overview-")}
    assert len(committed) == 13


STATED_BY = """
SELECT ?gss (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(DISTINCT ?x) AS ?entries) WHERE {
  ?x cskg:listedInspection ?e ; cskg:listedAuthority ?c .
  ?c cskg:gssCode ?gss .
  GRAPH ?g { ?e a cskg:FullInspection }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/cskg/graph/ilacs-overview-"))
} GROUP BY ?gss ?e
"""


def test_an_unchanged_inspection_is_stated_once(forward: Path, sheets) -> None:
    """A row the same in every snapshot: its inspection is stated by one snapshot graph only,
    and listed by an entry in each of the thirteen."""
    same = {g for g in sheets["2025-03-10"] if len({s[g] for s in sheets.values()}) == 1}
    assert len(same) > 80
    run = run_cskg(forward, "query", "--sparql", STATED_BY, "--format", "json")
    assert run.code == 0, run.err
    rows = {r["gss"]: r for r in json.loads(run.out) if r["gss"] in same}
    assert set(rows) == same
    assert {(int(r["graphs"]), int(r["entries"])) for r in rows.values()} == {(1, 13)}


def test_importing_a_snapshot_again_changes_nothing(forward: Path) -> None:
    before = {p.name: p.read_bytes() for p in (forward / "graphs").glob("*.trig")}
    for path in (snapshot_files()[0], snapshot_files()[6], snapshot_files()[-1]):
        run = run_cskg(forward, "import", "ilacs", str(path))
        assert run.code == 0 and "unchanged" in run.out, run.out[-1000:]
    assert {p.name: p.read_bytes() for p in (forward / "graphs").glob("*.trig")} == before


def test_removing_a_snapshot_and_importing_it_again_gives_the_same_files(
        forward: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(forward, root, ignore=shutil.ignore_patterns(".cskg"))
    before = files(root)
    middle = snapshot_files()[5]
    run = run_cskg(root, "remove", f"ilacs-overview-{as_of(middle)}", "--format", "json")
    assert run.code == 0, run.out + run.err
    report = json.loads(run.out)
    assert report["removed"] and report["rewritten"] == [f"graphs/ilacs-overview-{as_of(snapshot_files()[6])}.trig"]
    assert not (root / "graphs" / f"ilacs-overview-{as_of(middle)}.trig").exists()
    # every row it alone stated is stated by the next snapshot now: the latest grades stand
    def grades(where: Path) -> list[tuple[str, str, str]]:
        return [(r["gss"], r.get("grade", ""), r["date"]) for r in query(where, "latest-grades")]
    assert grades(root) == grades(forward)
    run = run_cskg(root, "query", "--sparql", STATED_BY, "--format", "json")
    assert run.code == 0 and {int(r["graphs"]) for r in json.loads(run.out)} == {1}
    _import(root, middle)
    assert files(root) == before


# ---------------------------------------------------------------------------- the answers


def test_latest_grades_are_each_councils_last_row(forward: Path, backward: Path, sheets) -> None:
    last = sheets[max(sheets)]
    expected = {g: (grade, key) for g, (grade, key) in last.items() if grade}
    for root in (forward, backward):
        got = {r["gss"]: (slug(r.get("grade")), r["date"]) for r in query(root, "latest-grades")}
        assert got == expected


def test_grade_changes_between_consecutive_snapshots(forward: Path, backward: Path, sheets) -> None:
    dates = sorted(sheets)
    changed_somewhere = 0
    for earlier, later in zip(dates, dates[1:]):
        expected = {}
        for g, (grade, _) in sheets[later].items():
            before = sheets[earlier].get(g, (None, None))[0]
            if grade and before and grade != before:
                expected[g] = (before, grade, "improved" if ORDER[grade] < ORDER[before] else "declined")
        changed_somewhere += len(expected)
        for root in (forward, backward):
            rows = query(root, "snapshot-grade-changes", f"from={earlier}", f"to={later}")
            got = {r["gss"]: (slug(r["earlierGrade"]), slug(r["laterGrade"]), r["change"]) for r in rows}
            assert got == expected, (earlier, later)
    assert changed_somewhere >= 5


def test_timelines_of_reinspected_councils(forward: Path, sheets) -> None:
    """Each inspection a council's rows listed, with its grade and the snapshots listing it."""
    listed: dict[str, dict[str, list[str]]] = {}
    grade_of: dict[tuple[str, str], str | None] = {}
    for when in sorted(sheets):
        for g, (grade, key) in sheets[when].items():
            listed.setdefault(g, {}).setdefault(key, []).append(when)
            grade_of[(g, key)] = grade
    moved = sorted(g for g, keys in listed.items() if len(keys) > 1)
    assert len(moved) >= 5
    for gss in moved[:8]:
        rows = query(forward, "grade-timeline", f"council={gss}")
        national = {r["date"]: r for r in rows if r.get("firstSnapshot")}
        assert set(national) == set(listed[gss]), gss
        for key, whens in listed[gss].items():
            row = national[key]
            assert slug(row.get("grade")) == grade_of[(gss, key)], (gss, key)
            assert (row["firstSnapshot"], row["lastSnapshot"], int(row["snapshots"])) == (
                whens[0], whens[-1], len(whens)), (gss, key)


# ---------------------------------------------------------------------------- history queries


def rows_by_council(sheets) -> dict[str, dict[str, str | None]]:  # type: ignore[no-untyped-def]
    """GSS -> {date key: overall grade} over every snapshot's rows."""
    found: dict[str, dict[str, str | None]] = {}
    for when in sorted(sheets):
        for g, (grade, key) in sheets[when].items():
            found.setdefault(g, {})[key] = grade
    return found


def latest_as_at(inspections: dict[str, str | None], when: str) -> tuple[str, str] | None:
    graded = sorted((k, g) for k, g in inspections.items() if g and k <= when)
    return graded[-1] if graded else None


def test_snapshot_view_is_what_that_spreadsheet_said(forward: Path, sheets) -> None:
    for when in ("2025-03-10", "2025-11-10", "2026-05-04"):
        rows = query(forward, "snapshot-view", f"snapshot={when}")
        got = {r["gss"]: (slug(r.get("grade")), r.get("fieldworkStart") or r.get("publicationDate"))
               for r in rows}
        assert got == sheets[when], when
        assert all(r["statedBy"].startswith("ILACS overview as of") for r in rows)


def test_grade_changed_between_two_dates(forward: Path, sheets) -> None:
    history = rows_by_council(sheets)
    for start, end in (("2025-03-10", "2026-05-04"), ("2025-06-01", "2025-12-31")):
        expected = {}
        for g, inspections in history.items():
            a, b = latest_as_at(inspections, start), latest_as_at(inspections, end)
            if a and b and a[1] != b[1]:
                expected[g] = (a[1], a[0], b[1], b[0])
        rows = query(forward, "grade-changed-between", f"from={start}", f"to={end}")
        got = {r["gss"]: (slug(r["earlierGrade"]), r["earlierDate"], slug(r["laterGrade"]), r["laterDate"])
               for r in rows}
        assert got == expected, (start, end)
        assert expected


def test_councils_reinspected_in_a_period(forward: Path, sheets) -> None:
    history = rows_by_council(sheets)
    start, end = "2025-04-01", "2026-03-31"
    expected = set()
    for g, inspections in history.items():
        keys = sorted(inspections)
        for i, key in enumerate(keys):
            if start <= key <= end and i > 0:
                expected.add((g, key, keys[i - 1], inspections[keys[i - 1]]))
    rows = query(forward, "reinspected", f"from={start}", f"to={end}")
    got = {(r["gss"], r["date"], r["previousDate"], slug(r.get("previousGrade"))) for r in rows}
    assert got == expected and len(expected) >= 5


def test_time_since_each_councils_last_inspection(forward: Path, sheets) -> None:
    last = sheets["2026-05-04"]
    rows = {r["gss"]: r for r in query(forward, "time-since-inspection", "asof=2026-05-04")}
    assert set(rows) == set(last)
    for g, (_, key) in last.items():
        y, m, d = (int(x) for x in key.split("-"))
        assert rows[g]["date"] == key
        assert int(rows[g]["months"]) == (2026 - y) * 12 + 5 - m, g
        assert int(rows[g]["days"]) == (date(2026, 5, 4) - date(y, m, d)).days, g


def test_an_undated_graded_inspection_hides_no_dated_record(forward: Path, tmp_path: Path) -> None:
    """Wokingham "previously judged good", with no date: its dated record still stands."""
    root = tmp_path / "project"
    shutil.copytree(forward, root, ignore=shutil.ignore_patterns(".cskg"))
    before = {r["gss"]: r for r in query(root, "latest-grades")}["E06000041"]
    trig = tmp_path / "undated-wokingham.trig"
    trig.write_text(UNDATED)
    run = run_cskg(root, "add", str(trig))
    assert run.code == 0, run.out + run.err
    after = {r["gss"]: r for r in query(root, "latest-grades")}["E06000041"]
    assert (after["grade"], after["date"]) == (before["grade"], before["date"])
    good = {r["gss"] for r in query(root, "councils-by-grade", "grade=" + slug(before["grade"]))}
    assert "E06000041" in good
    timeline = query(root, "grade-timeline", "council=Wokingham")
    assert timeline[-1]["note"] == "undated: the source gives no date"
    assert slug(timeline[-1]["grade"]) == "good" and not timeline[-1].get("date")


UNDATED = """
@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix cskgid: <https://w3id.org/cskg/id/> .
@prefix graph: <https://w3id.org/cskg/graph/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
graph:undated-wokingham {
  graph:undated-wokingham a cskg:SourceGraph ; rdfs:label "Facts from 'Wokingham previously judged good'" ;
    prov:wasDerivedFrom cskgid:source\\/undated-wokingham ;
    prov:wasGeneratedBy graph:undated-wokingham\\/curation .
  graph:undated-wokingham\\/curation a prov:Activity ; rdfs:label "Manual curation" ;
    prov:used cskgid:source\\/undated-wokingham .
  cskgid:source\\/undated-wokingham a cskg:NewsArticle ; rdfs:label "Wokingham previously judged good" ;
    dcterms:title "Wokingham previously judged good" .
  cskgid:event\\/E06000041\\/inspection\\/previous a cskg:FullInspection ;
    rdfs:label "Ofsted inspection of Wokingham children's services (undated)" ;
    cskg:inspectedAuthority cskgid:council\\/E06000041 .
  cskgid:event\\/E06000041\\/inspection\\/previous\\/judgement\\/overall-effectiveness a cskg:Judgement ;
    rdfs:label "Wokingham: overall effectiveness good" ;
    cskg:ofEvent cskgid:event\\/E06000041\\/inspection\\/previous ;
    cskg:judgementArea <https://w3id.org/cskg/vocab/area/overall-effectiveness> ;
    cskg:grade <https://w3id.org/cskg/vocab/grade/good> .
}
"""
