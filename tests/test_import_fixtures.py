"""``cskg import`` on small files written here in the published formats: bad input, dirty cells,
``--strict``, and what never becomes a fact."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from conftest import Run, run_cskg

LOOKUP_HEADER = ["urn", "la_code", "la_code_new", "stat_neighbours", "stat_neighbours_la_code",
                 "stat_neighbours_previous", "local_authority_ons_name", "also_known_as",
                 "region_code", "region_name", "domain", "ofsted_ilacs_scrape_la_name", "rgn22cd",
                 "rgn22nm", "ons_population_0-25", "ons_la_type"]
ILACS_HEADER = ["urn", "la_code", "region_code", "local_authority", "inspection_link",
                "overall_effectiveness_grade", "inspection_framework", "inspector_name",
                "inspection_start_date", "inspection_end_date", "publication_date",
                "impact_of_leaders_grade", "help_and_protection_grade", "in_care_grade",
                "care_leavers_grade"]


def council(urn: str, dfe: str, gss: str, name: str, neighbours: list[str], **extra: str) -> dict:
    row = {"urn": urn, "la_code": dfe, "la_code_new": gss, "stat_neighbours": "",
           "stat_neighbours_la_code": ", ".join(neighbours), "stat_neighbours_previous": "",
           "local_authority_ons_name": name, "also_known_as": "", "region_code": "NW",
           "region_name": "North West", "domain": f"{name.lower().replace(' ', '')}.gov.uk",
           "ofsted_ilacs_scrape_la_name": dfe, "rgn22cd": "E12000002", "rgn22nm": "North West",
           "ons_population_0-25": "50000", "ons_la_type": "Metropolitan District"}
    row.update(extra)
    return row


GOOD_LOOKUP = [
    council("90001", "901", "E08000901", "Northtown", ["E08000902", "E08000903"]),
    council("90002", "902", "E08000902", "Southtown", ["E08000901", "E08000903"],
            also_known_as="[Southtown Council, South Town]"),
    council("90003", "903", "E08000903", "Easttown", ["E08000901", "E08000902"]),
]


def write_csv(path: Path, header: list[str], rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[dict]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h) for h in header])
    book.save(path)
    return path


def inspection(urn: str, dfe: str, name: str, **extra: object) -> dict:
    row = {"urn": urn, "la_code": dfe, "region_code": "NW", "local_authority": name.lower(),
           "inspection_link": f"https://files.ofsted.gov.uk/v1/file/{urn}",
           "overall_effectiveness_grade": "good", "inspection_framework": "short",
           "inspector_name": "jo bloggs", "inspection_start_date": "11/09/2023",
           "inspection_end_date": "15/09/2023", "publication_date": "27/10/23",
           "impact_of_leaders_grade": "good", "help_and_protection_grade": "good",
           "in_care_grade": "good", "care_leavers_grade": "good"}
    row.update(extra)
    return row


def imported(cskg, kind: str, path: Path, *args: str) -> tuple[Run, dict]:
    run = cskg("import", kind, str(path), *args, "--format", "json")
    return run, (json.loads(run.out) if run.out.startswith("{") else {})


@pytest.fixture
def with_lookup(cskg, tmp_path: Path):  # type: ignore[no-untyped-def]
    run, report = imported(cskg, "la-lookup", write_csv(tmp_path / "la-lookup.csv", LOOKUP_HEADER,
                                                       GOOD_LOOKUP))
    assert run.code == 0 and report["status"] == "imported", run.out + run.err
    return cskg


# ---------------------------------------------------------------------------- unreadable input


def test_a_missing_file_is_a_usage_error(cskg) -> None:
    run = cskg("import", "la-lookup", "no-such-file.csv")
    assert run.code == 2
    assert "Error: no-such-file.csv: no such file" in run.err
    assert "Traceback" not in run.err


def test_a_file_of_the_wrong_kind_names_its_missing_columns(cskg, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "other.csv", ["a", "b"], [{"a": 1, "b": 2}])
    run = cskg("import", "la-lookup", str(path))
    assert run.code == 2
    assert f"{path}:1: missing columns urn, la_code, la_code_new" in run.err
    assert "Hint: the header row has: a, b" in run.err


def test_text_that_is_not_utf8_names_the_line(cskg, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "la-lookup.csv", LOOKUP_HEADER, GOOD_LOOKUP)
    path.write_bytes(path.read_bytes() + b"90004,904,E08000904,,,,Caf\xe9town\n")
    run = cskg("import", "la-lookup", str(path))
    assert run.code == 2
    assert f"{path}:5: not UTF-8 text" in run.err


def test_a_spreadsheet_that_is_not_a_workbook(with_lookup, tmp_path: Path) -> None:
    path = tmp_path / "ilacs-overview-2025-03-10.xlsx"
    path.write_text("urn,la_code\n1,2\n")
    run = with_lookup("import", "ilacs", str(path))
    assert run.code == 2 and "not an Excel .xlsx workbook" in run.err


def test_a_snapshot_needs_its_date(with_lookup, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ilacs.xlsx", ILACS_HEADER, [inspection("90001", "901", "Northtown")])
    run = with_lookup("import", "ilacs", str(path))
    assert run.code == 2
    assert "no snapshot date" in run.err and "--as-of" in run.err
    run, report = imported(with_lookup, "ilacs", path, "--as-of", "2025-06-30")
    assert run.code == 0 and report["file"] == "graphs/ilacs-overview-2025-06-30.trig"


def test_national_inspections_need_the_councils_first(cskg, project: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ilacs-overview-2025-03-10.xlsx", ILACS_HEADER,
                      [inspection("90001", "901", "Northtown")])
    run = cskg("import", "ilacs", str(path))  # the article councils are there, none with this URN
    assert run.code == 2
    assert f"{path}: no row could be imported (row 2: no council in the graph has Ofsted URN 90001" \
        in run.err
    assert "Hint: import the local authority lookup first" in run.err
    assert not (project / "graphs" / "ilacs-overview-2025-03-10.trig").exists()


# ---------------------------------------------------------------------------- dirty cells


def test_dirty_lookup_cells_are_reported_and_the_rest_imported(cskg, project: Path,
                                                                tmp_path: Path) -> None:
    rows = GOOD_LOOKUP + [
        council("90004", "904", "", "Oldtown", []),
        council("90005", "905", "E0800090X", "Badcode", []),
        council("90006", "906", "E08000906", "Westtown", ["E08000901", "E08000999", "E08000906"],
                **{"ons_population_0-25": "nan", "domain": "None", "ons_la_type": "Parish"}),
    ]
    path = write_csv(tmp_path / "la-lookup.csv", LOOKUP_HEADER, rows)
    run, report = imported(cskg, "la-lookup", path)
    assert run.code == 0, run.err
    found = {(p["row"], p["column"]): p for p in report["data_problems"]}
    assert set(found) == {(5, "la_code_new"), (6, "la_code_new"), (7, "ons_population_0-25"),
                          (7, "domain"), (7, "ons_la_type"), (7, "stat_neighbours_la_code")}
    assert "row skipped" in found[(5, "la_code_new")]["action"]
    assert found[(7, "ons_population_0-25")]["value"] == "nan"
    text = (project / "graphs" / "la-lookup.trig").read_text()
    assert "Oldtown" not in text and "Badcode" not in text
    assert '"nan"' not in text and '"None"' not in text and "Parish" not in text
    assert "council\\/E08000906 a cskg:Council" in text
    assert text.count("cskg:neighbourOf cskgid:council\\/E08000906") == 1  # only the known neighbour
    show = cskg("show", "South Town")
    assert "Southtown" in show.out


def test_strict_rejects_the_whole_file_and_writes_nothing(cskg, project: Path,
                                                          tmp_path: Path) -> None:
    rows = GOOD_LOOKUP + [council("90006", "906", "E08000906", "Westtown", ["E08000901"],
                                  **{"ons_population_0-25": "nan"})]
    path = write_csv(tmp_path / "la-lookup.csv", LOOKUP_HEADER, rows)
    before = sorted(p.name for p in (project / "graphs").iterdir())
    run = cskg("import", "la-lookup", str(path), "--strict")
    assert run.code == 1
    assert "rejected (--strict): 1 defective cell; nothing was written" in run.out
    assert "la-lookup.csv:5  ons_population_0-25 'nan'" in run.out
    assert sorted(p.name for p in (project / "graphs").iterdir()) == before
    assert "Westtown" not in cskg("stats").out


def test_dirty_ilacs_cells(with_lookup, project: Path, tmp_path: Path) -> None:
    rows = [
        inspection("90001", "901", "Northtown", inspection_framework="None", inspector_name="None",
                   care_leavers_grade="inspection_pre_dates_judgement"),
        inspection("90002", "902", "Southtown", inspection_start_date=None, inspection_end_date=None,
                   overall_effectiveness_grade="very good"),
        inspection("90003", "903", "Easttown", inspection_end_date="01/09/2023"),
        inspection("99999", "999", "Nowhere"),
    ]
    path = write_xlsx(tmp_path / "ilacs-overview-2025-03-10.xlsx", ILACS_HEADER, rows)
    run, report = imported(with_lookup, "ilacs", path)
    assert run.code == 0, run.err
    found = {(p["row"], p["column"]): p["action"] for p in report["data_problems"]}
    assert set(found) == {
        (2, "inspection_framework"), (2, "inspector_name"), (2, "care_leavers_grade"),
        (3, "overall_effectiveness_grade"), (3, "inspection_start_date"), (3, "inspection_end_date"),
        (4, "inspection_end_date"), (5, "urn")}
    text = (project / "graphs" / "ilacs-overview-2025-03-10.trig").read_text()
    history = json.loads(with_lookup("query", "council-history", "-p", "council=northtown",
                                     "-f", "json").out)
    assert history[0]["format"] == ""
    assert "children in care and care leavers: good" in history[0]["grades"].lower()
    assert "care leavers: good" not in history[0]["grades"].lower().replace(
        "children in care and care leavers: good", "")
    south = json.loads(with_lookup("query", "council-history", "-p", "council=Southtown",
                                   "-f", "json").out)
    assert south[0]["fieldworkStart"] == "" and south[0]["publicationDate"] == "2023-10-27"
    assert "overall effectiveness" not in south[0]["grades"].lower()
    east = json.loads(with_lookup("query", "council-history", "-p", "council=Easttown",
                                  "-f", "json").out)
    assert east[0]["fieldworkStart"] == "2023-09-11" and east[0]["fieldworkEnd"] == ""
    assert "Nowhere" not in text and '"None"' not in text


def test_a_ragged_csv_row_is_reported_and_skipped(cskg, project: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "la-lookup.csv", LOOKUP_HEADER, GOOD_LOOKUP)
    with path.open("a") as handle:
        handle.write("90007,907,E08000907,too,few\n")
    run, report = imported(cskg, "la-lookup", path)
    assert run.code == 0
    assert report["data_problems"] == [{
        "file": str(path), "row": 5, "column": "(row)", "value": "5 fields",
        "problem": "the row has 5 fields where the header has 16", "action": "row skipped"}]


def test_a_report_link_that_is_not_a_web_address_is_not_imported(with_lookup, project: Path,
                                                                  tmp_path: Path) -> None:
    rows = [inspection("90001", "901", "Northtown", inspection_link="ftp://files/1")]
    path = write_xlsx(tmp_path / "ilacs-overview-2025-03-10.xlsx", ILACS_HEADER, rows)
    run, report = imported(with_lookup, "ilacs", path)
    assert run.code == 0
    assert [(p["row"], p["column"]) for p in report["data_problems"]] == [(2, "inspection_link")]
    assert "ftp://" not in (project / "graphs" / "ilacs-overview-2025-03-10.trig").read_text()


def test_reimporting_a_fixture_changes_nothing_and_a_change_replaces_the_graph(
        cskg, project: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "la-lookup.csv", LOOKUP_HEADER, GOOD_LOOKUP)
    assert imported(cskg, "la-lookup", path)[1]["status"] == "imported"
    first = (project / "graphs" / "la-lookup.trig").read_bytes()
    run, report = imported(cskg, "la-lookup", path)
    assert report["status"] == "unchanged"
    assert (project / "graphs" / "la-lookup.trig").read_bytes() == first
    changed = [dict(r) for r in GOOD_LOOKUP]
    changed[0]["ons_population_0-25"] = "50001"
    run, report = imported(cskg, "la-lookup", write_csv(path, LOOKUP_HEADER, changed))
    assert report["status"] == "imported" and (report["added"], report["removed"]) == (1, 1)
    assert '"50001"' in (project / "graphs" / "la-lookup.trig").read_text()
