"""``cskg import`` on the real national data in ../shared/data.

The three files are imported, in order, into a copy of the project that has
only the article graphs. Every expectation is computed here, independently,
from the files themselves (the csv module and openpyxl), never copied from
cskg's output.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, Run, copy_project, national_data, run_cskg

MARKERS = {"none", "nan", "notknown", "inspection_pre_dates_judgement"}
GRADE_SLUG = {"outstanding": "outstanding", "good": "good",
              "requires improvement": "requires-improvement", "inadequate": "inadequate"}
ID = "https://w3id.org/cskg/id/"


# ---------------------------------------------------------------------------- the files, read here


def lookup_rows() -> list[tuple[int, dict[str, str]]]:
    with national_data("la-lookup.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def ilacs_rows() -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    book = openpyxl.load_workbook(national_data("ilacs-overview-2025-03-10.xlsx"), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    header = [str(h) for h in rows[0]]
    return header, [(n, dict(zip(header, r))) for n, r in enumerate(rows[1:], start=2)]


def region_names() -> dict[str, str]:
    """GSS code -> region name (case-folded: the file spells one region two ways), by each
    council's own rgn22nm, the name the row gives."""
    return {r["la_code_new"]: r["rgn22nm"].casefold() for _, r in lookup_rows() if r["la_code_new"]}


def urn_to_gss() -> dict[str, str]:
    return {r["urn"]: r["la_code_new"] for _, r in lookup_rows() if r["la_code_new"]}


def sheet_grades() -> dict[str, tuple[str, str]]:
    """GSS -> (overall grade slug, date key) of each council's row of the spreadsheet."""
    to_gss = urn_to_gss()
    found = {}
    for _, row in ilacs_rows()[1]:
        start, published = row["inspection_start_date"], str(row["publication_date"])
        if start:
            d, m, y = str(start).split("/")
            key = f"{y}-{m}-{d}"
        else:
            d, m, y = published.split("/")
            key = f"20{y}-{m}-{d}"
        found[to_gss[str(row["urn"])]] = (GRADE_SLUG[str(row["overall_effectiveness_grade"])], key)
    return found


# ---------------------------------------------------------------------------- the imported project


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = copy_project(tmp_path_factory.mktemp("national") / "project")
    runs = {
        "la-lookup": run_cskg(root, "import", "la-lookup", str(national_data("la-lookup.csv")),
                              "--format", "json"),
        "ilacs": run_cskg(root, "import", "ilacs",
                          str(national_data("ilacs-overview-2025-03-10.xlsx")), "--format", "json"),
        "report-index": run_cskg(root, "import", "report-index",
                                 str(national_data("inspection-reports-index.csv")), "--format", "json"),
    }
    for kind, run in runs.items():
        assert run.code == 0, (kind, run.out[-3000:], run.err)
    return {"root": root, "runs": runs,
            "reports": {k: json.loads(r.out) for k, r in runs.items()}}


def query(imported: dict[str, object], name: str, *params: str) -> list[dict[str, str]]:
    args = [a for p in params for a in ("--param", p)]
    run = run_cskg(imported["root"], "query", name, *args, "--format", "json")  # type: ignore[arg-type]
    assert run.code == 0, run.err
    return json.loads(run.out) if run.out.strip() else []


def problems(imported: dict[str, object], kind: str) -> dict[tuple[int, str], dict[str, object]]:
    report = imported["reports"][kind]  # type: ignore[index]
    return {(p["row"], p["column"]): p for p in report["data_problems"]}


def graph_text(imported: dict[str, object], name: str) -> str:
    return (imported["root"] / "graphs" / name).read_text()  # type: ignore[operator]


# ---------------------------------------------------------------------------- dirty data


def test_every_defective_cell_of_the_2025_spreadsheet_is_reported(imported) -> None:
    header, rows = ilacs_rows()
    expected = set()
    for number, row in rows:
        for column in header:
            value = row[column]
            if value is None or (isinstance(value, str) and (not value.strip()
                                                             or value.strip().lower() in MARKERS)):
                expected.add((number, column))
    assert expected, "the real spreadsheet has known defects"
    reported = problems(imported, "ilacs")
    assert expected <= set(reported)
    assert set(reported) == expected, "nothing else is reported on the real file"
    for key in expected:
        assert reported[key]["action"], key


NATIONAL_EVENTS = """
SELECT ?gss ?format ?start ?end (GROUP_CONCAT(?pair; separator="; ") AS ?grades) WHERE {
  GRAPH <https://w3id.org/cskg/graph/ilacs-overview-2025-03-10> {
    ?e a cskg:FullInspection ; cskg:inspectedAuthority ?c .
    OPTIONAL { ?e cskg:inspectionFormat ?format } OPTIONAL { ?e cskg:fieldworkStart ?start }
    OPTIONAL { ?e cskg:fieldworkEnd ?end }
    OPTIONAL { ?j cskg:ofEvent ?e ; cskg:judgementArea ?area ; cskg:grade ?grade
               BIND(CONCAT(STRAFTER(STR(?area), "area/"), "=", STRAFTER(STR(?grade), "grade/")) AS ?pair) }
  }
  ?c cskg:gssCode ?gss .
} GROUP BY ?gss ?format ?start ?end
"""


def test_defective_cells_never_become_facts(imported) -> None:
    text = graph_text(imported, "ilacs-overview-2025-03-10.trig")
    for marker in ('"None"', '"nan"', "inspection_pre_dates_judgement", '"none"'):
        assert marker not in text
    run = run_cskg(imported["root"], "query", "--sparql", NATIONAL_EVENTS, "--format", "json")
    events = {e["gss"]: e for e in json.loads(run.out)}
    _, rows = ilacs_rows()
    to_gss = urn_to_gss()
    assert len(events) == len(rows)
    for number, row in rows:
        event = events[to_gss[str(row["urn"])]]
        grades = dict(pair.split("=") for pair in event["grades"].split("; "))
        if row["inspection_framework"] == "None":
            assert event["format"] == "", number
        else:
            assert event["format"].endswith("/" + str(row["inspection_framework"])), number
        if row["inspection_start_date"] is None:
            assert event["start"] == "" and event["end"] == "", number
        leavers = row["care_leavers_grade"]
        if leavers == "inspection_pre_dates_judgement":
            assert "care-leavers" not in grades and "children-in-care" not in grades, number
            assert grades["children-in-care-and-care-leavers"] == GRADE_SLUG[str(row["in_care_grade"])]
        else:
            assert grades["care-leavers"] == GRADE_SLUG[str(leavers)], number
            assert grades["children-in-care"] == GRADE_SLUG[str(row["in_care_grade"])], number
        assert grades["overall-effectiveness"] == GRADE_SLUG[str(row["overall_effectiveness_grade"])]


def test_lead_inspectors_are_people_in_the_hmi_post(imported) -> None:
    _, rows = ilacs_rows()
    named = {str(r["urn"]) for _, r in rows if r["inspector_name"] not in (None, "None")}
    text = graph_text(imported, "ilacs-overview-2025-03-10.trig")
    assert text.count("cskg:leadInspector") == len(named)
    assert text.count("a cskg:PostHolding") == len(named)
    run = run_cskg(imported["root"], "show", "Anna Gravelle")
    assert run.code == 0, run.err
    assert "His Majesty's Inspector" in run.out


def test_lookup_rows_without_a_gss_code_are_reported_and_left_out(imported) -> None:
    reported = problems(imported, "la-lookup")
    for number, row in lookup_rows():
        if not row["la_code_new"]:
            assert (number, "la_code_new") in reported
            assert "row skipped" in reported[(number, "la_code_new")]["action"]
            assert f'"{row["local_authority_ons_name"]}"' not in graph_text(imported, "la-lookup.trig")


def test_a_region_code_that_contradicts_its_name_is_reported(imported) -> None:
    usual: dict[str, Counter[str]] = defaultdict(Counter)
    for _, row in lookup_rows():
        usual[row["rgn22cd"]][row["rgn22nm"].lower()] += 1
    odd = [(n, r) for n, r in lookup_rows()
           if r["la_code_new"] and usual[r["rgn22cd"]].most_common(1)[0][0] != r["rgn22nm"].lower()]
    assert odd, "the real lookup has such rows"
    reported = problems(imported, "la-lookup")
    for number, row in odd:
        assert (number, "rgn22cd") in reported
        shown = run_cskg(imported["root"], "show", row["la_code_new"])
        assert row["rgn22nm"] in shown.out


# ---------------------------------------------------------------------------- one council, one node


def test_153_councils_one_node_per_gss_code(imported) -> None:
    codes = {r["la_code_new"] for _, r in lookup_rows() if r["la_code_new"]}
    rows = query(imported, "latest-grades")
    assert len(rows) == len(codes) == 153
    assert {r["gss"] for r in rows} == codes
    assert len({r["council"] for r in rows}) == 153


def test_spreadsheet_and_lookup_names_resolve_to_one_council(imported) -> None:
    from cskg.labels import resolve
    from cskg.project import Project
    from cskg.store import open_store

    to_gss = urn_to_gss()
    with open_store(Project(imported["root"])) as store:
        for _, row in ilacs_rows()[1]:
            assert resolve(store, str(row["local_authority"])) == f"{ID}council/{to_gss[str(row['urn'])]}"
        for _, row in lookup_rows():
            if row["la_code_new"]:
                name = row["local_authority_ons_name"]
                assert resolve(store, name.upper()) == f"{ID}council/{row['la_code_new']}", name


def test_stats_counts_153_councils_each_with_a_latest_inspection(imported) -> None:
    run = run_cskg(imported["root"], "stats")
    assert "153 councils: 153 with a full inspection, 153 with a latest overall grade" in run.out


def test_show_bolton_has_article_and_national_facts(imported) -> None:
    run = run_cskg(imported["root"], "show", "Bolton", "--facts")
    assert run.code == 0, run.err
    for file in ("graphs/2018-06-13-bolton-childrens-services-rated-good.trig", "graphs/la-lookup.trig",
                 "graphs/ilacs-overview-2025-03-10.trig", "graphs/inspection-reports-index.trig"):
        assert file in run.out, file
    history = query(imported, "council-history", "council=Bolton")
    dates = [h["date"] for h in history if h["eventType"].endswith("FullInspection")]
    assert "2018-04" in dates and "2023-09-11" in dates


# ---------------------------------------------------------------------------- re-import and history


def test_reimport_changes_nothing(imported) -> None:
    root = imported["root"]
    before = {p.name: p.read_bytes() for p in (root / "graphs").glob("*.trig")}
    for kind, name in (("la-lookup", "la-lookup.csv"), ("ilacs", "ilacs-overview-2025-03-10.xlsx"),
                       ("report-index", "inspection-reports-index.csv")):
        run = run_cskg(root, "import", kind, str(national_data(name)))
        assert run.code == 0, run.err
        assert "unchanged" in run.out and "nothing was written" in run.out
    assert {p.name: p.read_bytes() for p in (root / "graphs").glob("*.trig")} == before


def test_committed_national_graphs_are_what_the_import_makes(imported) -> None:
    """The graph files in the repository say what importing the files says (times aside)."""
    for name in ("la-lookup.trig", "ilacs-overview-2025-03-10.trig", "inspection-reports-index.trig"):
        committed, made = ROOT / "graphs" / name, imported["root"] / "graphs" / name
        assert committed.is_file(), f"{name} is committed"
        strip = re.compile(r'.*(generatedAtTime|endedAtTime).*\n')
        assert strip.sub("", committed.read_text()) == strip.sub("", made.read_text())


# ---------------------------------------------------------------------------- the named queries


def test_latest_grades_match_the_spreadsheet(imported) -> None:
    expected = sheet_grades()
    rows = query(imported, "latest-grades")
    got = {r["gss"]: (r["grade"].rsplit("/", 1)[-1], r["date"]) for r in rows}
    assert got == expected


def test_councils_by_grade_and_region(imported) -> None:
    regions, grades = region_names(), sheet_grades()
    for grade, region in (("inadequate", "North West"), ("outstanding", "London"), ("good", "South West")):
        expected = {g for g, (slug, _) in grades.items()
                    if slug == GRADE_SLUG[grade] and regions[g] == region.casefold()}
        rows = query(imported, "councils-by-grade", f"grade={grade}", f"region={region}")
        assert {r["gss"] for r in rows} == expected, (grade, region)
    everywhere = query(imported, "councils-by-grade", "grade=requires improvement")
    assert len(everywhere) == sum(1 for s, _ in grades.values() if s == "requires-improvement")


def test_grade_distribution_per_region(imported) -> None:
    regions, grades = region_names(), sheet_grades()
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    for gss, (slug, _) in grades.items():
        expected[regions[gss]][slug] += 1
    rows = query(imported, "grade-distribution")
    assert {r["regionLabel"].casefold() for r in rows} == set(expected)
    for r in rows:
        counts = expected[r["regionLabel"].casefold()]
        assert int(r["outstandingCount"]) == counts["outstanding"]
        assert int(r["goodCount"]) == counts["good"]
        assert int(r["requiresImprovementCount"]) == counts["requires-improvement"]
        assert int(r["inadequateCount"]) == counts["inadequate"]
        assert int(r["noGradeCount"]) == 0
        assert int(r["councils"]) == sum(counts.values())


def test_statistical_neighbours_in_order_with_their_grades(imported) -> None:
    grades = sheet_grades()
    for _, row in lookup_rows():
        if row["local_authority_ons_name"] not in ("Bolton", "Westminster", "Devon"):
            continue
        neighbours = [c.strip() for c in row["stat_neighbours_la_code"].split(",")]
        rows = query(imported, "statistical-neighbours", f"council={row['la_code_new']}")
        assert [r["gss"] for r in rows] == neighbours
        assert [int(r["rank"]) for r in rows] == list(range(1, 11))
        assert [r["grade"].rsplit("/", 1)[-1] for r in rows] == [grades[n][0] for n in neighbours]


def test_inadequate_councils_among_good_neighbours(imported) -> None:
    grades = sheet_grades()
    names = {r["la_code_new"]: r["local_authority_ons_name"] for _, r in lookup_rows()}
    expected = {}
    for _, row in lookup_rows():
        gss = row["la_code_new"]
        if not gss or grades[gss][0] != "inadequate":
            continue
        neighbours = [c.strip() for c in row["stat_neighbours_la_code"].split(",")]
        strong = [n for n in neighbours if grades[n][0] in ("good", "outstanding")]
        if 2 * len(strong) > len(neighbours):
            expected[gss] = (len(strong), len(neighbours), frozenset(names[n] for n in strong))
    assert expected, "the 2025 data has such councils"
    rows = query(imported, "inadequate-among-good-neighbours")
    assert {r["gss"]: (int(r["goodOrOutstanding"]), int(r["neighbours"]),
                       frozenset(r["goodOrOutstandingNeighbours"].split("; "))) for r in rows} == expected


def test_report_index_links_reports_to_the_inspections_they_report(imported) -> None:
    to_gss = urn_to_gss()
    published = {}
    for _, row in ilacs_rows()[1]:
        d, m, y = str(row["publication_date"]).split("/")
        published[(to_gss[str(row["urn"])], f"20{y}-{m}-{d}")] = row
    with national_data("inspection-reports-index.csv").open(encoding="utf-8-sig") as handle:
        index = list(csv.DictReader(handle))
    report = imported["reports"]["report-index"]
    matched = sum(1 for r in index if (to_gss[r["urn"]], r["date_in_report_name"]) in published)
    assert f"{len(index)} reports; " in report["summary"][0]
    linked = int(re.search(r"(\d+) linked", report["summary"][0]).group(1))
    assert linked >= matched
    text = graph_text(imported, "inspection-reports-index.trig")
    assert text.count("a cskg:Report") == len(index)
    artefacts = [n for n, r in enumerate(index, start=2) if r["report_title"].endswith("pdf")]
    reported = problems(imported, "report-index")
    assert artefacts and all((n, "report_title") in reported for n in artefacts)
    assert "pdf" not in re.findall(r'dcterms:title "([^"]*)"', text).__str__()


# ---------------------------------------------------------------------------- a newer snapshot

NEWER = {  # council (URN's row name) -> (start, end, publication, overall grade, format)
    "barnsley": ("13/01/2025", "24/01/2025", "07/03/25", "requires improvement", "standard"),
    "bury": ("03/02/2025", "14/02/2025", "28/03/25", "good", "standard"),
    "devon": ("10/02/2025", "21/02/2025", "04/04/25", "inadequate", "standard"),
}


def write_newer_snapshot(path: Path) -> None:
    """The 2025-03-10 spreadsheet with three councils re-inspected since, as a newer file would be."""
    header, rows = ilacs_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for _, row in rows:
        values = dict(row)
        if values["local_authority"] in NEWER:
            start, end, published, grade, shape = NEWER[str(values["local_authority"])]
            values.update(inspection_start_date=start, inspection_end_date=end,
                          publication_date=published, overall_effectiveness_grade=grade,
                          inspection_framework=shape, inspection_link=None,
                          care_leavers_grade=grade, in_care_grade=grade)
        sheet.append([values[h] for h in header])
    book.save(path)


def test_a_newer_snapshot_adds_history_and_reports_the_changes(imported, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "project"
    for part in ("ontology", "shapes", "graphs", "queries"):
        shutil.copytree(imported["root"] / part, root / part)
    earlier = (root / "graphs" / "ilacs-overview-2025-03-10.trig").read_bytes()
    newer = tmp_path / "ilacs-overview-2025-09-01.xlsx"
    write_newer_snapshot(newer)
    grades = sheet_grades()
    to_gss = urn_to_gss()
    gss = {str(r["local_authority"]): to_gss[str(r["urn"])] for _, r in ilacs_rows()[1]}

    run = run_cskg(root, "import", "ilacs", str(newer), "--format", "json")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert report["status"] == "imported"
    assert report["file"] == "graphs/ilacs-overview-2025-09-01.trig"
    names = {g: r["councilLabel"] for r in query(imported, "latest-grades") for g in [r["gss"]]}
    expected = []
    for council, (start, _, _, grade, _) in sorted(NEWER.items(), key=lambda t: names[gss[t[0]]]):
        d, m, y = start.split("/")
        key = f"{y}-{m}-{d}"
        expected.append({"council": names[gss[council]], "change": "new inspection",
                         "detail": f"{key}: {grade}"})
        before_grade, before_key = grades[gss[council]]
        if GRADE_SLUG[grade] != before_grade:
            expected.append({"council": names[gss[council]], "change": "grade change",
                             "detail": f"{before_grade.replace('-', ' ')} ({before_key}) -> {grade} ({key})"})
    assert report["changes"] == expected

    # History: the earlier snapshot is kept, byte for byte, and both inspections are in the graph.
    assert (root / "graphs" / "ilacs-overview-2025-03-10.trig").read_bytes() == earlier
    history = query({"root": root}, "council-history", "council=Barnsley")
    dates = {h["fieldworkStart"] for h in history}
    assert {"2023-09-11", "2025-01-13"} <= dates
    latest = {r["gss"]: r for r in query({"root": root}, "latest-grades")}
    assert latest[gss["barnsley"]]["grade"].endswith("/requires-improvement")
    changed = query({"root": root}, "snapshot-grade-changes")
    order = {"outstanding": 1, "good": 2, "requires-improvement": 3, "inadequate": 4}
    assert {r["gss"]: r["change"] for r in changed} == {
        gss[c]: "improved" if order[GRADE_SLUG[g]] < order[grades[gss[c]][0]] else "declined"
        for c, (_, _, _, g, _) in NEWER.items() if GRADE_SLUG[g] != grades[gss[c]][0]}
    explicit = query({"root": root}, "snapshot-grade-changes", "from=2025-03-10", "to=2025-09-01")
    assert explicit == changed

    again = run_cskg(root, "import", "ilacs", str(newer))
    assert again.code == 0 and "unchanged" in again.out


def test_a_renewed_framework_inspection_has_no_overall_grade(imported, tmp_path: Path) -> None:
    """A row dated from April 2026 with `nan` overall and graded sub-judgements: the renewed
    framework, no overall grade given or reported missing, and not a council's latest grade."""
    import shutil

    root = tmp_path / "project"
    for part in ("ontology", "shapes", "graphs", "queries"):
        shutil.copytree(imported["root"] / part, root / part)
    header, rows = ilacs_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    renewed_row = None
    for n, (_, row) in enumerate(rows, start=2):
        values = dict(row)
        if values["local_authority"] == "bury":
            values.update(inspection_start_date="11/05/2026", inspection_end_date="22/05/2026",
                          publication_date="30/06/26", overall_effectiveness_grade="nan",
                          inspection_link=None, impact_of_leaders_grade="good",
                          help_and_protection_grade="good", in_care_grade="outstanding",
                          care_leavers_grade="good")
            renewed_row = n
        sheet.append([values[h] for h in header])
    path = tmp_path / "ilacs-overview-2026-07-06.xlsx"
    book.save(path)
    bury = urn_to_gss()[str(next(r["urn"] for _, r in rows if r["local_authority"] == "bury"))]
    before = {r["gss"]: r for r in query({"root": root}, "latest-grades")}[bury]

    run = run_cskg(root, "import", "ilacs", str(path), "--format", "json")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert not [p for p in report["data_problems"] if p["row"] == renewed_row
                and p["column"] == "overall_effectiveness_grade"]
    text = (root / "graphs" / "ilacs-overview-2026-07-06.trig").read_text()
    event = f"cskgid:event\\/{bury}\\/inspection\\/2026-05-11"
    assert f"{event} a cskg:FullInspection" in text
    assert "framework:ilacs-2026" in text
    assert f"{event}\\/judgement\\/overall-effectiveness" not in text
    assert f"{event}\\/judgement\\/help-and-protection" in text
    entry = text[text.index(f"entry\\/{bury} a cskg:SnapshotEntry"):].split(" .\n", 1)[0]
    assert "cskg:listedInspection" in entry and "cskg:listedGrade" not in entry
    # the council's latest overall grade is still its last graded inspection: never "ungraded"
    after = {r["gss"]: r for r in query({"root": root}, "latest-grades")}[bury]
    assert (after["grade"], after["date"]) == (before["grade"], before["date"])
    assert after["laterUngradedInspection"] == "2026-05-11" and not before.get("laterUngradedInspection")
    timeline = query({"root": root}, "grade-timeline", f"council={bury}")
    last = timeline[-1]
    assert (last["date"], last.get("grade", ""), last["note"]) == (
        "2026-05-11", "", "no overall grade (renewed framework)")
    assert run_cskg(root, "validate").code == 0
