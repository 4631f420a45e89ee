"""``cskg extract``: drafts from short texts written for these tests (not the seed articles).

Each test gives a text one pattern of how articles and letters state facts, runs the real
extractor (spaCy's sentencizer and phrase matchers over the real graph and vocabulary) and
reads the draft back with the real fact-sheet reader: what it finds, at the precision the
text gives, with every quote a slice of the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import copy_project, run_cskg

HEADER = "A story for the test\n\nJane Reporter\nWednesday, March 20, 2024\n\n"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A built copy of the whole project (the national graphs too): all 153 councils' names."""
    from cskg.project import Project
    from cskg.store import build, open_store

    root = copy_project(tmp_path_factory.mktemp("extract") / "project", national=True)
    build(Project(root))
    store = open_store(Project(root), rebuild=False)
    yield store
    store.close()


def draft(store: Any, body: str, header: str = HEADER) -> tuple[dict[str, Any], str, Any]:
    from cskg.extract import extract_text

    text = header + body
    result = extract_text(text, "story.txt", store)
    return yaml.safe_load(result.yaml), text, result


def events(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in data.get("events") or [] if e["type"] == kind]


def all_quotes(data: Any) -> list[str]:
    out: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("quote", "excerpt") and isinstance(value, str):
                out.append(value)
            elif key in ("quotes", "excerpts"):
                out += value
            else:
                out += all_quotes(value)
    elif isinstance(data, list):
        for value in data:
            out += all_quotes(value)
    return out


def test_the_header_gives_the_source_title_author_and_date(national: Any) -> None:
    data, _, _ = draft(national, "Inspectors found that Bolton Council is improving.")
    assert data["source"] == {"kind": "news article", "title": "A story for the test",
                              "author": "Jane Reporter", "date": "2024-03-20"}


def test_an_ordinal_visit_with_its_focus_and_a_month_inferred_from_the_articles_date(national: Any) -> None:
    data, _, _ = draft(national, "Ofsted carried out its third monitoring visit to Dudley Council in "
                       "February, focusing on children in care.\n")
    [visit] = events(data, "monitoring visit")
    assert visit["ordinal"] == 3
    assert visit["focus"] == "children in care"
    assert visit["fieldwork"]["value"] == "2024-02"
    assert "'in February'" in visit["fieldwork"]["inferred"]
    assert data["councils"][0]["council"] == "E08000027"


def test_dates_keep_the_precision_the_text_gives(national: Any) -> None:
    data, _, _ = draft(national, "Sandwell's visit was the fourth since the council was judged inadequate "
                       "in June 2016. It had been rated requires improvement in 2012.\n")
    inspections = {str(e["reported"]): e for e in events(data, "full inspection")}
    assert set(inspections) == {"2016-06", "2012"}
    assert inspections["2016-06"]["judgements"] == {"overall effectiveness": "inadequate"}
    [visit] = events(data, "monitoring visit")
    assert visit["ordinal"] == 4 and visit["follows"] == inspections["2016-06"]["id"]


def test_a_grade_history_gives_the_current_and_the_earlier_inspection(national: Any) -> None:
    data, _, _ = draft(national, "Kirklees Council's children's services have been upgraded to \"good\" by "
                       "Ofsted. The council had previously been rated \"requires improvement\" in 2019.\n")
    grades = {str(e.get("reported", {}).get("value") if isinstance(e.get("reported"), dict) else e.get("reported")):
              e["judgements"] for e in events(data, "full inspection")}
    assert grades["2019"] == {"overall effectiveness": "requires improvement"}
    assert grades["2024"] == {"overall effectiveness": "good"}


def test_areas_are_named_as_the_framework_of_the_year_names_them(national: Any) -> None:
    data, _, _ = draft(national, "In 2016 Croydon was rated \"good\" for children in care and care leavers, "
                       "while its leadership was rated \"outstanding\".\n")
    [inspection] = events(data, "full inspection")
    assert inspection["judgements"] == {"children looked after and achieving permanence": "good",
                                        "care leavers": "good", "leadership": "outstanding"}


def test_an_interim_director_with_the_year_of_appointment(national: Any) -> None:
    data, _, _ = draft(national, "In Rotherham, Ofsted said the appointment of Jane Doe as interim director "
                       "of children's services late last year had given direction.\n")
    [person] = data["people"]
    assert person["name"] == "Jane Doe" and person["tenure"] == "interim"
    assert person["role"] == "Director of Children's Services"
    assert person["from"]["value"] == "2023" and "late last year" in person["from"]["inferred"]
    assert not data.get("claims")  # spoken of, not speaking


def test_a_council_whose_services_a_trust_runs(national: Any) -> None:
    data, _, _ = draft(national, "Sunderland, which is in the process of establishing an independent trust "
                       "to run children's services, was visited in May.\n")
    [delivery] = data["delivery"]
    assert delivery["status"] == "being established" and delivery["service"] == "children's services"
    trust = next(o for o in data["organisations"] if o["id"] == delivery["delivered by"])
    assert trust["type"] == "trust"


def test_a_mash_with_police_and_health_members(national: Any) -> None:
    data, _, _ = draft(national, "Leeds City Council's multi-agency safeguarding hub is a partnership "
                       "between the council and other agencies, including the police and health.\n")
    [hub] = data["partnerships"]
    assert hub["type"] == "mash" and "leeds" in hub["members"]
    sectors = {o["sector"] for o in data["organisations"] if o.get("sector")}
    assert sectors == {"police", "health"}
    assert len([m for m in hub["members"] if isinstance(m, dict)]) == 2


@pytest.mark.parametrize(("written", "gss"), [
    ("Wirral Council", "E08000015"), ("BCP Council", "E06000058"), ("Kensington and Chelsea", "E09000020"),
    ("London Borough of Bromley", "E09000006"), ("Hammersmith & Fulham", "E09000013"),
    ("Durham County Council", "E06000047"),
])
def test_a_council_by_a_variant_of_its_name(national: Any, written: str, gss: str) -> None:
    data, _, _ = draft(national, f"Inspectors found that {written} has improved its front door.\n")
    [council] = data["councils"]
    assert council["council"] == gss and written in council["names"]


def test_a_place_inside_an_organisations_name_is_not_a_council(national: Any) -> None:
    data, _, _ = draft(national, "Research by education charity The Sutton Trust claimed that many "
                       "children's centres have closed.\n")
    assert not data.get("councils")
    [org] = data["organisations"]
    assert org == {"id": "sutton-trust", "name": "The Sutton Trust", "type": "charity"}
    [claim] = data["claims"]
    assert claim["by"] == "sutton-trust" and claim["excerpt"].startswith("Research by")


def test_a_councillors_quote_is_a_claim_and_every_quote_is_verbatim(national: Any) -> None:
    data, text, _ = draft(national, "Inspectors found that Bury has made progress.\n\n"
                          "\u201cWe are proud of our staff,\u201d said Councillor Ann Example, Bury's cabinet member "
                          "for children. \u201cThere is more to do.\u201d\n")
    [person] = data["people"]
    assert person["title"] == "cabinet member for children" and person["council"] == "bury"
    claims = [c.get("quote") for c in data["claims"]]
    assert claims == ["We are proud of our staff", "There is more to do."]
    assert all(q in text for q in all_quotes(data))


def test_the_draft_links_to_a_visit_the_graph_already_holds(national: Any) -> None:
    data, _, result = draft(national, "Ofsted's sixth monitoring visit to BCP Council took place in "
                            "November 2023.\n")
    [visit] = events(data, "monitoring visit")
    assert visit["fieldwork"] == "2023-11" and visit["ordinal"] == 6
    assert visit["same as"] == "cskgid:event/E06000058/monitoring-visit/visit-6"
    assert any(line.startswith("linked: event") for line in result.links)


def test_an_inspection_drafted_as_the_graph_names_it_is_reported_as_existing(national: Any) -> None:
    _, _, result = draft(national, "Tameside's visit was the fifth monitoring visit since the council was "
                         "judged inadequate in December 2016.\n", header="")
    assert "existing: event" in "\n".join(result.links)
    assert "cskgid:event/E08000008/inspection/2016-12" in "\n".join(result.links)


# -- the command: output, review marks, bad input ------------------------------------------------


def test_a_draft_passes_cskg_add_dry_run_and_writes_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "story.txt").write_text(HEADER + "Ofsted carried out its third monitoring visit to Bolton "
                                       "Council in February, since it was judged inadequate in May 2023. "
                                       "Inspectors found that \"leaders know their services well\".\n",
                                       encoding="utf-8")
    before = sorted(p.name for p in (project / "graphs").iterdir())
    done = run_cskg(project, "extract", "story.txt", "-o", "story.yaml")
    assert done.code == 0, done.err
    assert "1 entries drafted" not in done.err and "written to story.yaml" in done.err
    checked = run_cskg(project, "add", "--dry-run", "story.yaml")
    assert checked.code == 0, checked.err + checked.out
    assert sorted(p.name for p in (project / "graphs").iterdir()) == before
    again = run_cskg(project, "extract", "story.txt", "-o", "story.yaml")
    assert again.code == 2 and "--force" in again.err


def test_an_entry_marked_for_review_stops_cskg_add_with_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "story.txt").write_text(HEADER + "Inspectors found that Bolton is doing well.\n",
                                       encoding="utf-8")
    done = run_cskg(project, "extract", "story.txt", "-o", "story.yaml")
    assert done.code == 0 and "marked for review" in done.err
    lines = (project / "story.yaml").read_text(encoding="utf-8").split("\n")
    line = next(i for i, t in enumerate(lines, 1) if t.strip().startswith("- review:") or
                t.strip().startswith("review:"))
    refused = run_cskg(project, "add", "--dry-run", "story.yaml")
    assert refused.code == 2
    assert f"story.yaml:{line}: marked for review" in refused.err and "Traceback" not in refused.err


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"), (b"   \n\n", "is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b"caf\xe9 au lait\n", "not UTF-8"),
])
def test_bad_input_is_refused_with_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    project = copy_project(tmp_path / "p")
    (project / "in.txt").write_bytes(content)
    done = run_cskg(project, "extract", "in.txt")
    assert done.code == 2 and message in done.err and "in.txt" in done.err
    assert "Traceback" not in done.err


def test_a_text_naming_no_council_gives_a_draft_that_says_why(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "in.txt").write_text("Weather today\n\nIt will rain in the afternoon across the country.\n",
                                    encoding="utf-8")
    done = run_cskg(project, "extract", "in.txt")
    assert done.code == 0
    assert "names no council" in done.out and "names no council" in done.err
    assert set(yaml.safe_load(done.out)) == {"source"}


LETTER = """12 April 2024

Ms Jane Smith
Director of Children's Services
Dudley Metropolitan Borough Council

Dear Jane

Monitoring visit to Dudley children's services

This letter summarises the findings of the monitoring visit to Dudley children's services on 6 and 7 March 2024. This visit was the fourth monitoring visit since the local authority was judged inadequate in June 2022. His Majesty's Inspectors Anne Example and Bob Sample carried out this visit.

Areas covered by the visit

Inspectors reviewed the progress made in the quality of practice for children in care.

Headline findings

Leaders have a clear understanding of the strengths and weaknesses of services for children in care. Social workers know their children well.

However, too many children experience changes of social worker.

Yours sincerely

Anne Example
His Majesty's Inspector
"""


def test_an_ofsted_letter_its_visit_days_findings_and_inspectors(national: Any) -> None:
    data, text, _ = draft(national, LETTER, header="")
    assert data["source"] == {"kind": "report", "title": "Monitoring visit to Dudley children's services",
                              "author": "Anne Example", "publisher": "Ofsted", "date": "2024-04-12"}
    [visit] = events(data, "monitoring visit")
    assert visit["fieldwork"] == {"start": "2024-03-06", "end": "2024-03-07"}
    assert visit["ordinal"] == 4 and visit["follows"] == "dudley-full-2022-06"
    kinds = [(f["kind"], f["excerpt"][:20]) for f in visit["findings"]]
    assert kinds == [("strength", "Leaders have a clear"), ("strength", "Social workers know "),
                     ("area for improvement", "However, too many ch")]
    assert {p["name"] for p in data["people"]} == {"Anne Example", "Bob Sample"}
    assert all(q in text for q in all_quotes(data))


# -- the evaluation -----------------------------------------------------------------------------


def test_the_evaluation_scores_a_curated_graph_against_itself_as_perfect_and_notices_a_loss() -> None:
    import pyoxigraph as ox
    from conftest import ROOT

    from cskg.extract.evaluate import CATEGORIES, Facts, compare

    path = ROOT / "graphs" / "2019-10-16-former-tri-borough-childrens-services.trig"
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
    same = compare(Facts(quads), Facts(quads))
    assert all(same[c].precision == 1 and same[c].recall == 1 for c in CATEGORIES if same[c].curated)
    fewer = [q for q in quads if not q.subject.value.endswith("/judgement/overall-effectiveness")]
    lost = compare(Facts(fewer), Facts(quads))
    assert lost["grades"].precision == 1 and lost["grades"].recall < 1
    assert lost["grades"].curated - lost["grades"].tp_curated == 6  # three councils, two inspections each


def test_the_seed_drafts_meet_the_issues_bar() -> None:
    """The five seed articles against a project built without their own graphs (make eval)."""
    from conftest import ROOT, SHARED

    from cskg.extract.evaluate import evaluate_article

    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if len(seeds) != 5:
        pytest.skip(f"the five seed articles are not in {SHARED / 'seeds'}")
    results = [evaluate_article(ROOT, seed) for seed in seeds]
    total: dict[str, list[int]] = {}
    for r in results:
        assert not r.not_verbatim, r.not_verbatim
        assert r.dry_run_unreviewed == "passes" and r.dry_run in ("passes", "refused: review marks")
        for c, s in r.scores.items():
            t = total.setdefault(c, [0, 0, 0, 0])
            t[0] += s.tp_draft; t[1] += s.draft; t[2] += s.tp_curated; t[3] += s.curated  # noqa: E702
    for c in ("councils", "events", "grades", "people"):
        assert total[c][0] / total[c][1] >= 0.9 and total[c][2] / total[c][3] >= 0.8, (c, total[c])
    for c in ("findings", "partnerships"):
        assert total[c][0] / total[c][1] >= 0.6 and total[c][2] / total[c][3] >= 0.6, (c, total[c])


def test_a_publication_date_and_fieldwork_days_are_each_the_date_they_are(national: Any) -> None:
    data, _, _ = draft(national, "Children's services in Sandwell are improving, according to an Ofsted report "
                       "published on 14 March 2023. Inspectors visited the council between 16 and 27 January "
                       "2023 and judged its services as \"requires improvement to be good\" overall.\n")
    [inspection] = events(data, "full inspection")
    assert inspection["published"] == "2023-03-14"
    assert inspection["fieldwork"] == {"start": "2023-01-16", "end": "2023-01-27"}
    assert inspection["judgements"] == {"overall effectiveness": "requires improvement"}


def test_a_named_trust_that_runs_a_councils_services_since_a_year(national: Any) -> None:
    data, _, _ = draft(national, "Sandwell Children's Trust has run children's services on behalf of "
                       "Sandwell Council since 2018.\n")
    [delivery] = data["delivery"]
    assert delivery == {"council": "sandwell", "delivered by": "sandwell-children-s-trust",
                        "service": "children's services", "status": "active", "from": "2018"}
    assert data["organisations"] == [{"id": "sandwell-children-s-trust", "name": "Sandwell Children's Trust",
                                      "type": "trust"}]


def test_what_a_councillor_welcomes_is_neither_a_finding_nor_part_of_the_title(national: Any) -> None:
    data, _, _ = draft(national, "Inspectors found that Sandwell has improved. Councillor Simon Hackett, cabinet "
                       "member for children and education, welcomed the report. Michael Jarrett, the trust's "
                       "chief executive, said staff had worked hard.\n")
    people = {p["name"]: p for p in data["people"]}
    assert people["Simon Hackett"]["title"] == "cabinet member for children and education"
    assert people["Michael Jarrett"] == {"id": "michael-jarrett", "name": "Michael Jarrett"}
    [inspection] = data["events"]
    assert [f["excerpt"] for f in inspection["findings"]] == ["Inspectors found that Sandwell has improved."]
    assert [c["by"] for c in data["claims"]] == ["michael-jarrett"]


def test_an_inspection_recalled_is_not_a_new_one(national: Any) -> None:
    data, _, _ = draft(national, "A focused visit by Ofsted to Norfolk County Council in October looked at the "
                       "front door. Norfolk was rated good at its last full inspection in 2022.\n")
    assert [e["type"] for e in data["events"]] == ["focused visit", "full inspection"]
    [earlier] = events(data, "full inspection")
    assert earlier["reported"] == "2022" and earlier["same as"] == "cskgid:event/E10000020/inspection/2022-11-07"
    [visit] = events(data, "focused visit")
    assert visit["fieldwork"]["value"] == "2023-10" and visit["focus"] == "front door"


def test_the_url_is_the_sources_and_names_its_publisher(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "in.txt").write_text(HEADER + "Inspectors found that Bolton is improving.\n", encoding="utf-8")
    done = run_cskg(project, "extract", "in.txt", "--url", "https://www.cypnow.co.uk/news/article/x")
    assert done.code == 0, done.err
    source = yaml.safe_load(done.out)["source"]
    assert source["url"] == "https://www.cypnow.co.uk/news/article/x" and source["publisher"] == "CYP Now"
    bad = run_cskg(project, "extract", "in.txt", "--url", "cypnow")
    assert bad.code == 2 and "not a web address" in bad.err


def test_a_text_too_large_for_an_article_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "big.txt").write_text("Inspectors found that Bolton is improving.\n" * 60_000, encoding="utf-8")
    done = run_cskg(project, "extract", "big.txt")
    assert done.code == 2 and "big.txt: is 2 MB" in done.err
