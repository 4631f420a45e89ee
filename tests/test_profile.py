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
