"""``cskg show`` for a council: its profile (the same as its page in ``cskg serve``), each value
once with the numbers of the sources stating it, on the repository's graph with the national
data. What it must show is read from the named queries and the store, not written here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project, run_cskg

WIRRAL = "https://w3id.org/cskg/id/council/E08000015"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("profile") / "project", national=True)
    assert run_cskg(project, "build").code == 0
    return project


def rows(project: Path, *args: str) -> list[dict[str, Any]]:
    run = run_cskg(project, *args, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out) if run.out.strip() else []


def test_a_council_s_profile_states_each_value_once_with_its_sources(national: Path) -> None:
    run = run_cskg(national, "show", "Wirral Council")
    assert run.code == 0, run.err
    text = run.out
    assert text.startswith(f"Wirral  <{WIRRAL}>\n")
    facts = rows(national, "show", "Wirral", "--facts")
    dfe = {f["value"] for f in facts["facts"] if f["property"] == "cskg:dfeLaCode"}  # type: ignore[index]
    assert len([f for f in facts["facts"] if f["property"] == "cskg:dfeLaCode"]) > 1, "stated by two graphs"  # type: ignore[index]
    lines = [line for line in text.splitlines() if line.strip().startswith("DfE LA code:")]
    assert len(lines) == 1 and dfe == {lines[0].split(":")[1].split("[")[0].strip()}
    for event in rows(national, "query", "council-history", "--param", "council=Wirral"):
        assert event["eventLabel"] in text
    latest = next(r for r in rows(national, "query", "latest-grades") if r["council"] == WIRRAL)
    assert f"Current grade: {latest['gradeLabel']}" in text
    sources = text[text.index("\nSources\n"):]
    for source in rows(national, "query", "sources-about", "--param", "entity=Wirral"):
        assert source["sourceLabel"] in sources


def test_every_cited_number_is_a_listed_source(national: Path) -> None:
    profile = rows(national, "show", "Bolton")
    numbers = {s["number"] for s in profile["sources"]}  # type: ignore[index]
    assert numbers == set(range(1, len(numbers) + 1))
    cited: set[int] = set()
    for event in profile["timeline"]:  # type: ignore[index]
        cited |= set(event["sources"]) | set(event["snapshot_sources"])
        for part in event["dates"] + event["grades"] + event["details"]:
            assert part["sources"], part
            cited |= set(part["sources"])
    for section in ("identity", "findings", "people", "partnerships", "neighbours"):
        for item in profile[section]:  # type: ignore[index]
            assert item["sources"], (section, item)
            cited |= set(item["sources"])
    assert cited == numbers


def test_a_report_no_graded_inspection_explains_stays_in_the_timeline(national: Path) -> None:
    """Tameside: the graph holds a 2019 report with no inspection linked to it, between the
    2016 and 2023 graded inspections; the profile lists it rather than hiding it."""
    reports = rows(national, "query", "--sparql",
                   "SELECT ?r ?l WHERE { ?r a cskg:Report ; schema:about ?c ; rdfs:label ?l "
                   "FILTER NOT EXISTS { ?r cskg:reportsOn ?e } VALUES ?c { "
                   "<https://w3id.org/cskg/id/council/E08000008> } }")
    assert reports
    profile = rows(national, "show", "Tameside")
    listed = {e["label"]: e["kind"] for e in profile["timeline"]}  # type: ignore[index]
    for report in reports:
        assert listed[report["l"]] == "report with no inspection linked in the graph"


def test_facts_keeps_the_statement_listing_and_other_entities_are_unchanged(national: Path) -> None:
    listing = run_cskg(national, "show", "Bolton", "--facts")
    assert "[graphs/la-lookup.trig]" in listing.out
    person = run_cskg(national, "show", "Ann Cunliffe")
    assert person.code == 0 and "Referenced by:" in person.out


def test_the_current_grade_says_what_came_since_with_no_grade(tmp_path: Path) -> None:
    """A report on Bolton of June 2025 linked to no inspection, after its latest grade (September
    2023): the profile says so under the current grade, as latest-grades' unknownSince does."""
    from test_named_queries import BETWEEN, BETWEEN_SLUG, _report

    project = copy_project(tmp_path / "project", national=True)
    text = BETWEEN.replace(BETWEEN_SLUG, "2025-07-01-test-later-report")
    start, end = text.index("  # Bolton is graded"), text.rindex("}")
    (project / "graphs" / "2025-07-01-test-later-report.trig").write_text(
        text[:start] + _report("later", "2025-06-02") + "\n" + text[end:], encoding="utf-8")
    assert run_cskg(project, "build").code == 0
    (latest,) = rows(project, "query", "latest-grades", "--param", "council=Bolton")
    assert latest["unknownSince"] == "report published 2025-06-02"
    shown = run_cskg(project, "show", "Bolton")
    assert "  since then the graph holds, with no grade known: report published 2025-06-02\n" in shown.out
    profile = json.loads(run_cskg(project, "show", "Bolton", "--format", "json").out)
    assert profile["unknown_since"] == latest["unknownSince"]
    assert json.loads(run_cskg(project, "show", "Tameside", "--format", "json").out)["unknown_since"] == ""
    # and the council's page in cskg serve, which renders the same profile
    from test_serve import cskg_server, request

    with cskg_server(project) as server:
        status, _, body = request(server["base"] + "council/E08000001")
        assert status == 200
        assert "with no grade known: report published 2025-06-02" in body.decode()
        assert 'id="unknown-since"' not in request(server["base"] + "council/E08000008")[2].decode()
