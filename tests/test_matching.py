"""One thing, one node: what a new source says links to the entities already in the graph.

Realistic pairs from the seed articles and the national data, added with the real
``cskg add`` (fact sheets and TriG): each links to the existing node and says which;
several or weak candidates, and facts that conflict between sources, stop the
addition (exit 1) with the candidates or both sources named and nothing written.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import copy_project, run_cskg
from cskg.matching import EventFacts, compare_events, organisation_keys, person_key, span

ID = "https://w3id.org/cskg/id/"
BROMLEY_2016 = "cskgid:event/E09000006/inspection/2016-06"
BROMLEY_MV6 = "cskgid:event/E09000006/monitoring-visit/2018-03"


def graph_bytes(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "graphs").glob("*.trig"))}


def sheet(project: Path, name: str, body: str, title: str = "A second story", day: str = "2023-02-10") -> Path:
    path = project / name
    path.write_text(f"source:\n  title: {title}\n  publisher: Example News\n  date: {day}\n{body}",
                    encoding="utf-8")
    return path


def add(project: Path, path: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_cskg(project, "add", path.name, *extra)


def history(project: Path, council: str) -> list[dict[str, str]]:
    done = run_cskg(project, "query", "council-history", "--param", f"council={council}",
                    "--format", "json")
    assert done.code == 0, done.err
    return json.loads(done.out)


def rejected_and_unchanged(project: Path, path: Path) -> str:
    before = graph_bytes(project)
    done = add(project, path)
    assert done.code == 1, done.out + done.err
    assert "nothing was written" in done.out
    assert graph_bytes(project) == before
    return done.out


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with the national data (every council's latest ILACS inspection)."""
    root = copy_project(tmp_path_factory.mktemp("national") / "project", national=True)
    done = run_cskg(root, "build")
    assert done.code == 0, done.err
    return root


# --- the same event, given another way -------------------------------------------------

BRADFORD = """\
councils:
  - id: bradford
    council: Bradford
    names: [Bradford Council]
events:
  - type: full inspection
    council: bradford
    reported: 2022-11                    # "judged inadequate in November 2022"
    judgements:
      overall effectiveness: inadequate
    findings:
      - kind: area for improvement
        excerpt: Inspectors found that too many children waited too long for help.
"""


def test_a_month_the_source_gives_links_to_the_inspection_the_national_data_dates_by_day(
        national: Path) -> None:
    path = sheet(national, "bradford.yaml", BRADFORD)
    done = add(national, path)
    assert done.code == 0, done.out + done.err
    assert ("linked: event Ofsted ILACS inspection of Bradford children's services, 21 November 2022 "
            "<cskgid:event/E08000032/inspection/2022-11-21>: reported November 2022 falls within its "
            "dates (fieldwork 21 November 2022 to ") in done.out
    assert "; from graphs/ilacs-overview-2025-03-10.trig" in done.out
    written = (national / "graphs" / "2023-02-10-a-second-story.trig").read_text()
    assert "inspection\\/2022-11\\/" not in written and "inspection\\/2022-11 " not in written
    assert "inspection\\/2022-11-21\\/finding\\/2023-02-10-a-second-story\\/1" in written
    events = [r["event"] for r in history(national, "Bradford") if "/inspection/" in r["event"]]
    assert events.count(ID + "event/E08000032/inspection/2022-11-21") == 1
    assert not any(e.endswith("/inspection/2022-11") for e in events)
    run_cskg(national, "remove", "2023-02-10-a-second-story")


def test_day_precision_dates_link_to_an_inspection_an_article_reported_by_month(project: Path) -> None:
    """'Judged inadequate in June 2016' (seed 000) against the same inspection with days."""
    path = sheet(project, "bromley.yaml", """\
events:
  - type: full inspection
    council: Bromley
    fieldwork: {start: 2016-04-11, end: 2016-04-28}
    published: 2016-06-13
    judgements:
      overall effectiveness: inadequate
""", day="2016-06-20")
    done = add(project, path)
    assert done.code == 0, done.out + done.err
    assert f"<{BROMLEY_2016}>: published 13 June 2016 falls within its dates (reported June 2016)" in done.out
    rows = [r for r in history(project, "Bromley") if "/inspection/" in r["event"]]
    assert [r["event"] for r in rows].count(ID + "event/E09000006/inspection/2016-06") == 1
    assert not any("2016-04-11" in r["event"] for r in rows)


def test_a_second_source_with_findings_adds_them_to_the_existing_inspection(project: Path) -> None:
    bolton = "2018-06-13-bolton-childrens-services-rated-good"
    path = sheet(project, "bolton.yaml", """\
events:
  - type: full inspection
    council: Bolton
    fieldwork: {start: 2018-04-16, end: 2018-05-04}
    judgements:
      overall effectiveness: good
    findings:
      - kind: strength
        excerpt: Social workers know their children well.
      - kind: area for improvement
        excerpt: Plans for care leavers are not always up to date.
""", day="2018-06-20")
    done = add(project, path)
    assert done.code == 0, done.out + done.err
    assert ("<cskgid:event/E08000001/inspection/2018-04>: fieldwork starts April 2018 in both"
            in done.out)
    written = (project / "graphs" / "2018-06-20-a-second-story.trig").read_text()
    event = "cskgid:event\\/E08000001\\/inspection\\/2018-04"
    assert f"{event}\\/finding\\/2018-06-20-a-second-story\\/1 a cskg:Finding" in written
    assert f"{event}\\/finding\\/2018-06-20-a-second-story\\/2 a cskg:Finding" in written
    # the first article's finding 1 keeps its one excerpt: nothing was merged into it
    shown = run_cskg(project, "show", f"{event.replace(chr(92), '')}/finding/{bolton}/1")
    assert shown.code == 0, shown.err
    assert "Social workers know their children well." not in shown.out
    rows = [r for r in history(project, "Bolton") if "/inspection/2018" in r["event"]]
    assert {r["event"] for r in rows} == {ID + "event/E08000001/inspection/2018-04"}


def test_a_second_report_of_bcps_final_monitoring_visit_links_by_its_ordinal(project: Path) -> None:
    path = sheet(project, "bcp.yaml", """\
councils:
  - id: bcp
    names: [BCP Council]
events:
  - type: monitoring visit
    council: bcp
    ordinal: 6
    final visit: true
    focus: front door
    published: 2023-02
    findings:
      - kind: strength
        quote: considerable progress
""")
    done = add(project, path)
    assert done.code == 0, done.out + done.err
    assert ("linked: event BCP monitoring visit 6 (front door, final) "
            "<cskgid:event/E06000058/monitoring-visit/visit-6>: monitoring visit 6 in both") in done.out
    visits = [r["event"] for r in history(project, "BCP") if "monitoring-visit" in r["event"]]
    assert visits.count(ID + "event/E06000058/monitoring-visit/visit-6") == 1
    assert not any(v.endswith("/2023-02") for v in visits)


def test_a_partnership_under_a_variant_of_its_name_is_the_same_partnership(project: Path) -> None:
    path = sheet(project, "mash.yaml", """\
partnerships:
  - name: Tri-borough MASH
    type: mash
    members: [Westminster, Kensington and Chelsea]
""", day="2019-11-01")
    done = add(project, path)
    assert done.code == 0, done.out + done.err
    assert ("linked: partnership Tri-borough multi-agency safeguarding hub "
            "<cskgid:partnership/tri-borough-multi-agency-safeguarding-hub>: a variant of its name"
            in done.out)
    written = (project / "graphs" / "2019-11-01-a-second-story.trig").read_text()
    assert "partnership\\/tri-borough-mash" not in written


# --- conflicts: both sources named, nothing written -------------------------------------

def test_a_second_grade_for_the_same_judgement_is_a_conflict(project: Path) -> None:
    path = sheet(project, "bolton.yaml", """\
events:
  - type: full inspection
    council: Bolton
    fieldwork: 2018-04
    judgements:
      overall effectiveness: requires improvement
""", day="2018-06-20")
    out = rejected_and_unchanged(project, path)
    assert ("Conflict between sources on the grade: bolton.yaml says requires improvement; "
            "graphs/2018-06-13-bolton-childrens-services-rated-good.trig says good.") in out


@pytest.mark.parametrize(("facts", "why", "conflict"), [
    ("ordinal: 6\n    fieldwork: 2018-02", "monitoring visit 6 in both",
     "on the fieldwork start: bromley.yaml says February 2018; {file} says March 2018."),
    ("ordinal: 7\n    fieldwork: 2018-03\n    focus: early help", None,  # the same IRI: existing
     "on the visit ordinal: bromley.yaml says 7; {file} says 6."),
], ids=["date", "ordinal"])
def test_another_date_or_ordinal_for_the_same_visit_is_a_conflict(
        project: Path, facts: str, why: str | None, conflict: str) -> None:
    path = sheet(project, "bromley.yaml", f"""\
events:
  - type: monitoring visit
    council: Bromley
    {facts}
""", day="2018-04-20")
    out = rejected_and_unchanged(project, path)
    assert why is None or f"<{BROMLEY_MV6}>: {why}" in out
    file = "graphs/2018-04-10-childrens-centre-support-at-inadequate-council.trig"
    assert "Conflict between sources " + conflict.format(file=file) in out


# --- several candidates, or a weak one: stop and say how to choose ----------------------

SECOND_VISIT = """\
events:
  - type: monitoring visit
    council: Bromley
    ordinal: 7
    fieldwork: 2018-06
    follows: cskgid:event/E09000006/inspection/2016-06
"""


def test_several_candidates_stop_and_same_as_or_different_from_decides(project: Path) -> None:
    assert add(project, sheet(project, "seventh.yaml", SECOND_VISIT, "The seventh visit", "2018-07-20")).code == 0
    vague = """\
events:
  - type: monitoring visit
    council: Bromley
    reported: 2018                      # "a monitoring visit in 2018"
{extra}    findings:
      - kind: strength
        excerpt: Inspectors saw progress.
"""
    out = rejected_and_unchanged(project, sheet(project, "vague.yaml", vague.format(extra="")))
    assert "2 existing events could be the event this source describes" in out
    assert f"<{BROMLEY_MV6}>" in out and "<cskgid:event/E09000006/monitoring-visit/2018-06>" in out
    assert "write `same as: IRI` in its entry" in out and "vague.yaml:6" in out

    chosen = sheet(project, "chosen.yaml", vague.format(
        extra="    same as: cskgid:event/E09000006/monitoring-visit/2018-06\n"), "Chosen", "2018-08-01")
    done = add(project, chosen)
    assert done.code == 0, done.out + done.err
    assert ("<cskgid:event/E09000006/monitoring-visit/2018-06>: said to be the same in the source"
            in done.out)

    other = sheet(project, "other.yaml", vague.format(
        extra=f"    different from: [{BROMLEY_MV6}, cskgid:event/E09000006/monitoring-visit/2018-06]\n"),
        "Other", "2018-08-02")
    done = add(project, other)
    assert done.code == 0, done.out + done.err
    assert "new: event" in done.out
    assert "cskgid:event\\/E09000006\\/monitoring-visit\\/2018 a" in (
        project / "graphs" / "2018-08-02-other.trig").read_text()


def test_a_name_known_at_another_council_is_a_weak_match(project: Path) -> None:
    body = """\
people:
  - name: James Thomas
    council: Bolton
    role: director of children's services
{extra}"""
    out = rejected_and_unchanged(project, sheet(project, "thomas.yaml", body.format(extra="")))
    assert "only a weak match with an existing person: James Thomas <cskgid:person/james-thomas>" in out
    assert "known at Tameside, not Bolton" in out

    done = add(project, sheet(project, "same.yaml", body.format(
        extra="    same as: James Thomas\n"), "The same James Thomas", "2023-03-02"))
    assert done.code == 0, done.out + done.err
    assert "linked: person James Thomas <cskgid:person/james-thomas>: said to be the same" in done.out

    done = add(project, sheet(project, "other.yaml", body.format(
        extra="    different from: cskgid:person/james-thomas\n"), "Another James Thomas", "2023-03-01"))
    assert done.code == 0, done.out + done.err
    written = (project / "graphs" / "2023-03-01-another-james-thomas.trig").read_text()
    assert "cskgid:person\\/james-thomas-2 a schema:Person" in written

    # now the name is two people's: same as: must say which
    done = add(project, sheet(project, "which.yaml", body.format(
        extra="    same as: James Thomas\n"), "Which James Thomas", "2023-03-03"))
    assert done.code == 2
    assert "same as: 'James Thomas' names 2 entities" in done.err and "james-thomas-2" in done.err


def test_a_person_with_a_title_is_the_person_without_it(project: Path) -> None:
    done = add(project, sheet(project, "cllr.yaml", """\
people:
  - name: Cllr Ann Cunliffe
    council: Bolton
    role: lead member
""", day="2019-01-10"))
    assert done.code == 0, done.out + done.err
    assert ("linked: person Ann Cunliffe <cskgid:person/ann-cunliffe>: the same name, with a post at "
            "Bolton") in done.out


# --- RDF additions say it with owl:sameAs / owl:differentFrom ----------------------------

TRIG = """\
@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix cskgid: <https://w3id.org/cskg/id/> .
@prefix graph: <https://w3id.org/cskg/graph/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
graph:{slug} {{
  graph:{slug} a cskg:SourceGraph ; prov:wasDerivedFrom cskgid:source\\/{slug} ;
      prov:generatedAtTime "2026-12-06T00:00:00Z"^^xsd:dateTime ; rdfs:label "Facts ({slug})" .
  cskgid:source\\/{slug} a cskg:NewsArticle ; rdfs:label "A story ({slug})" .
  cskgid:event\\/E09000006\\/monitoring-visit\\/spring-2018 a cskg:MonitoringVisit ;
      rdfs:label "Bromley's spring 2018 visit" ;
      cskg:inspectedAuthority cskgid:council\\/E09000006 ;
      cskg:reportedDate "2018"^^xsd:gYear ;
      prov:wasAssociatedWith cskgid:org\\/ofsted {extra} .
}}
"""


def test_trig_additions_link_with_owl_same_as(project: Path) -> None:
    assert add(project, sheet(project, "seventh.yaml", SECOND_VISIT, "The seventh visit", "2018-07-20")).code == 0
    ambiguous = project / "2018-09-01-ambiguous.trig"
    ambiguous.write_text(TRIG.format(slug="2018-09-01-ambiguous", extra=""))
    out = rejected_and_unchanged(project, ambiguous)
    assert "state `owl:sameAs <IRI>` on it" in out
    linked = project / "2018-09-02-linked.trig"
    linked.write_text(TRIG.format(slug="2018-09-02-linked",
                                  extra="; owl:sameAs cskgid:event\\/E09000006\\/monitoring-visit\\/2018-03"))
    done = add(project, linked)
    assert done.code == 0, done.out + done.err
    written = (project / "graphs" / "2018-09-02-linked.trig").read_text()
    assert "spring-2018" not in written and "sameAs" not in written
    assert "monitoring-visit\\/2018-03" in written


# --- cskg diff: linked versus new, for every entity --------------------------------------

def test_diff_says_linked_or_new_for_every_entity(national: Path) -> None:
    path = sheet(national, "bradford-diff.yaml", BRADFORD, "Bradford diff")
    done = run_cskg(national, "diff", path.name)
    assert done.code == 0, done.err
    assert ("Ofsted ILACS inspection of Bradford children's services, 21 November 2022  "
            "<cskgid:event/E08000032/inspection/2022-11-21>  (linked: reported November 2022 falls "
            "within its dates") in done.out
    assert "Example News  <cskgid:org/example-news>  (new)" in done.out
    body = json.loads(run_cskg(national, "diff", path.name, "--format", "json").out)
    statuses = {e["iri"]: e["status"] for e in body["entities"]}
    assert statuses[ID + "event/E08000032/inspection/2022-11-21"] == "linked"
    assert statuses[ID + "org/example-news"] == "new"
    assert statuses[ID + "org/ofsted"] == "existing"
    assert set(statuses.values()) == {"linked", "new", "existing"}
    assert body["problems"] == []


# --- the rules, one by one --------------------------------------------------------------

def facts(**dates: str) -> EventFacts:
    f = EventFacts()
    for key, value in dates.items():
        if key == "ordinal":
            f.ordinals.add(value)
        else:
            f.dates[key].add(value)
    return f


@pytest.mark.parametrize(("new", "old", "strength"), [
    (facts(reported="2022-11"), facts(start="2022-10-31", end="2022-11-11"), "strong"),  # month overlaps
    (facts(reported="2017"), facts(start="2016-11-07", end="2016-11-18", published="2017-01-13"), "strong"),
    (facts(published="2016-12-20"), facts(start="2016-10-31", end="2016-11-11"), "weak"),  # weeks after
    (facts(published="2017-06-20"), facts(start="2016-10-31", end="2016-11-11"), ""),  # too late
    (facts(start="2018-06-11"), facts(start="2018-03-05", end="2018-03-06"), ""),  # another visit
    (facts(ordinal="6"), facts(ordinal="6", start="2018-03"), "strong"),
    (facts(ordinal="1", start="2022-06"), facts(ordinal="1", start="2017-05"), ""),  # a later series
    (facts(ordinal="7", start="2018-03"), facts(ordinal="6", start="2018-03"), "strong"),  # a conflict
    (facts(ordinal="7", start="2018-06"), facts(ordinal="6", start="2018-03"), ""),
    (facts(), facts(start="2018-03"), ""),
])
def test_when_two_descriptions_are_one_event(new: EventFacts, old: EventFacts, strength: str) -> None:
    assert compare_events(new, old)[0] == strength


def test_dates_cover_the_days_of_their_precision() -> None:
    assert span("2016") == (date(2016, 1, 1), date(2016, 12, 31))
    assert span("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert span("2022-10-31") == (date(2022, 10, 31), date(2022, 10, 31))


def test_name_variants() -> None:
    assert person_key("Cllr Ann Cunliffe") == person_key("Ann Cunliffe") == "ann cunliffe"
    assert person_key("Dr Jane Smith OBE") == "jane smith"
    assert organisation_keys("The Sutton Trust") & organisation_keys("Sutton Trust")
    assert organisation_keys("Tri-borough partnership") & organisation_keys("tri-borough")
    assert organisation_keys("bi-borough Mash") & organisation_keys("Bi-borough multi-agency safeguarding hub")
    assert "#nspcc" in organisation_keys("National Society for the Prevention of Cruelty to Children")
    assert "#nspcc" in organisation_keys("NSPCC")
    assert not organisation_keys("Tri-borough") & organisation_keys("Tri-borough MASH")


# --- cskg show: one display label, the other names by source ----------------------------

def test_show_picks_one_label_and_lists_the_names_each_source_uses(project: Path) -> None:
    done = add(project, sheet(project, "cllr.yaml", """\
people:
  - name: Cllr Ann Cunliffe
    council: Bolton
    role: lead member
""", day="2019-01-10"))
    assert done.code == 0, done.out + done.err
    # two older graph files (hand-written, not added) label Joe Lepper otherwise
    for n, label in ((1, "Joseph Lepper"), (2, "J. Lepper")):
        slug = f"2019-02-0{n}-legacy-{n}"
        (project / "graphs" / f"{slug}.trig").write_text(TRIG.split("  cskgid:event")[0].format(
            slug=slug, extra="") + f'  cskgid:person\\/joe-lepper rdfs:label "{label}" .\n}}\n')
    shown = run_cskg(project, "show", "Ann Cunliffe", "--format", "json")
    assert shown.code == 0, shown.err
    view = json.loads(shown.out)
    assert view["label"] == "Ann Cunliffe"
    assert view["names"] == [{"name": "Cllr Ann Cunliffe", "files": ["graphs/2019-01-10-a-second-story.trig"]}]
    text = run_cskg(project, "show", "cskgid:person/joe-lepper").out
    assert text.startswith("Joe Lepper  <https://w3id.org/cskg/id/person/joe-lepper>\n")  # 3 sources
    assert "also named:\n    J. Lepper    [graphs/2019-02-02-legacy-2.trig]\n" in text
    assert "    Joseph Lepper    [graphs/2019-02-01-legacy-1.trig]\n" in text


# --- imports link too -------------------------------------------------------------------

def test_an_import_links_its_row_to_the_inspection_an_article_reported_by_month(tmp_path: Path) -> None:
    """The article first ('judged inadequate in November 2022'), then the national data."""
    from conftest import national_data

    root = copy_project(tmp_path / "project")
    done = run_cskg(root, "import", "la-lookup", str(national_data("la-lookup.csv")))
    assert done.code == 0, done.err
    assert add(root, sheet(root, "bradford.yaml", BRADFORD)).code == 0
    article_event = ID + "event/E08000032/inspection/2022-11"
    done = run_cskg(root, "import", "ilacs", str(national_data("ilacs-overview-2025-03-10.xlsx")))
    assert done.code == 0, done.out + done.err
    written = (root / "graphs" / "ilacs-overview-2025-03-10.trig").read_text()
    assert "cskgid:event\\/E08000032\\/inspection\\/2022-11 a cskg:FullInspection" in written
    assert "E08000032\\/inspection\\/2022-11-21" not in written
    events = [r["event"] for r in history(root, "Bradford") if "/inspection/" in r["event"]]
    assert events == [article_event]


def test_an_acronym_of_an_organisations_name_is_a_weak_match(project: Path) -> None:
    first = sheet(project, "nspcc.yaml", """\
organisations:
  - name: National Society for the Prevention of Cruelty to Children
    type: charity
claims:
  - by: National Society for the Prevention of Cruelty to Children
    quote: Children need help sooner.
""", "A charity speaks", "2019-03-01")
    assert add(project, first).code == 0
    body = """\
organisations:
  - name: NSPCC
    type: charity
{extra}claims:
  - by: NSPCC
    quote: Early help matters.
"""
    out = rejected_and_unchanged(project, sheet(project, "acronym.yaml", body.format(extra="")))
    assert ("only a weak match with an existing organisation: National Society for the Prevention of "
            "Cruelty to Children <cskgid:org/national-society-for-the-prevention-of-cruelty-to-children> "
            "(weak: an acronym of its name") in out
    done = add(project, sheet(project, "acronym-same.yaml", body.format(
        extra="    same as: cskgid:org/national-society-for-the-prevention-of-cruelty-to-children\n"),
        "The charity again", "2019-04-01"))
    assert done.code == 0, done.out + done.err


def test_a_partnership_of_another_name_with_the_same_members_is_a_weak_match(project: Path) -> None:
    body = """\
partnerships:
  - name: West London children's partnership
{extra}    members: [Hammersmith and Fulham, Kensington and Chelsea, Westminster]
"""
    out = rejected_and_unchanged(project, sheet(project, "west.yaml", body.format(extra=""), day="2019-11-01"))
    assert "2 existing partnerships could be the partnership this source describes" in out
    assert "<cskgid:partnership/tri-borough> (weak: 3 of the same members" in out
    done = add(project, sheet(project, "west-new.yaml", body.format(
        extra="    different from: [cskgid:partnership/tri-borough, cskgid:partnership/bi-borough]\n"),
        day="2019-11-02"))
    assert done.code == 0, done.out + done.err
    assert "new: partnership West London children's partnership" in done.out


def test_judged_inadequate_in_june_2016_links_to_the_report_with_days(project: Path) -> None:
    """The issue's pair: a report gives the days, a later article only 'June 2016'."""
    report = sheet(project, "report.yaml", """\
  kind: report
events:
  - type: full inspection
    council: Bolton
    fieldwork: {start: 2016-05-03, end: 2016-05-26}
    published: 2016-06-29
    framework: SIF
    judgements:
      overall effectiveness: inadequate
""", "\"Inspection of services for children in need of help and protection: Bolton\"", "2016-06-29")
    done = add(project, report)
    assert done.code == 0, done.out + done.err
    article = sheet(project, "article.yaml", """\
events:
  - type: full inspection
    council: Bolton
    reported: 2016-06                    # "judged inadequate in June 2016"
    judgements:
      overall effectiveness: inadequate
""", "Bolton's long road to good", "2018-07-01")
    done = add(project, article)
    assert done.code == 0, done.out + done.err
    assert ("<cskgid:event/E08000001/inspection/2016-05-03>: reported June 2016 falls within its dates "
            "(fieldwork 3 May 2016 to 26 May 2016, published 29 June 2016)") in done.out
    events = [r["event"] for r in history(project, "Bolton") if "/inspection/2016" in r["event"]]
    assert events == [ID + "event/E08000001/inspection/2016-05-03"]


def test_a_publication_only_weeks_after_fieldwork_is_a_weak_match(project: Path) -> None:
    out = rejected_and_unchanged(project, sheet(project, "late.yaml", """\
events:
  - type: full inspection
    council: Bolton
    published: 2018-08                   # Bolton's April to May 2018 inspection has no publication date
""", day="2018-09-01"))
    assert ("only a weak match with an existing event: Ofsted inspection of Bolton children's services, "
            "April to May 2018 <cskgid:event/E08000001/inspection/2018-04> (weak: published August 2018 "
            "is only within 100 days after its fieldwork") in out
