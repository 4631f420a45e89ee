"""The named queries of queries/: each one's exact answer on the seed graphs.

The expected answers are read off the graph files in graphs/ (the comments say where),
not copied from the queries' output. A second, extended copy of the project adds one
small graph to exercise what the seed data does not have: three full inspections of one
council (consecutive pairs) and a service one council delivers for another.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cskg
from cskg.errors import InputError
from cskg.project import Project
from cskg.query import Catalogue, Result, run_named
from cskg.store import GraphStore, build, open_store

ID = "https://w3id.org/cskg/id/"
CSKG = "https://w3id.org/cskg/def#"
VOCAB = "https://w3id.org/cskg/vocab/"
GRAPH = "https://w3id.org/cskg/graph/"
ORG = "http://www.w3.org/ns/org#"

BROMLEY = ID + "council/E09000006"
WIRRAL = ID + "council/E08000015"
BCP = ID + "council/E06000058"
TAMESIDE = ID + "council/E08000008"
WORCESTERSHIRE = ID + "council/E10000034"
HF = ID + "council/E09000013"
KC = ID + "council/E09000020"
WESTMINSTER = ID + "council/E09000033"
BOLTON = ID + "council/E08000001"
BRADFORD = ID + "council/E08000032"

TRI = ID + "partnership/tri-borough"
TRI_MASH = ID + "partnership/tri-borough-multi-agency-safeguarding-hub"
BI = ID + "partnership/bi-borough"
BCP_MASH = ID + "partnership/bcp-multi-agency-safeguarding-hub"

SRC_0410 = ID + "source/2018-04-10-childrens-centre-support-at-inadequate-council"
SRC_0514 = ID + "source/2018-05-14-progress-at-two-inadequate-councils"
SRC_0613 = ID + "source/2018-06-13-bolton-childrens-services-rated-good"
SRC_2019 = ID + "source/2019-10-16-former-tri-borough-childrens-services"
SRC_BCP = ID + "source/undated-bcp-front-door-monitoring-visit"
SRC_LOOKUP = ID + "source/la-lookup"


def slug_of(source: str) -> str:
    """A source's slug: the last segment of the parts it states (a finding, a shared service)."""
    return source.rsplit("/", 1)[-1]

FULL = CSKG + "FullInspection"
OVERALL = VOCAB + "area/overall-effectiveness"
HELP = VOCAB + "area/help-and-protection"


def service(slug: str) -> str:
    return f"{VOCAB}service/{slug}"


def grade(slug: str) -> str:
    return f"{VOCAB}grade/{slug}"


def kind(slug: str) -> str:
    return f"{VOCAB}kind/{slug}"


def event(gss: str, path: str) -> str:
    return f"{ID}event/{gss}/{path}"


def rows(result: Result, *columns: str) -> list[tuple[str | None, ...]]:
    """The named columns of every row, as the terms' string values (None when unbound)."""
    index = [result.columns.index(c) for c in columns]
    return [tuple(None if row[i] is None else row[i].value for i in index) for row in result.rows]


def column(result: Result, name: str) -> list[str | None]:
    return [r[0] for r in rows(result, name)]


# --- the catalogue ---------------------------------------------------------------

QUERY_NAMES = [
    "articles-by-author",
    "council-history",
    "council-findings",
    "council-people",
    "councils-sharing",
    "findings-by-theme",
    "grade-changes",
    "inadequate-judgements",
    "monitoring-visits",
    "partnership-members",
    "person-councils",
    "shared-mash",
    "sources-about",
]


def test_the_catalogue_holds_the_named_queries() -> None:
    assert set(QUERY_NAMES) <= set(Catalogue(ROOT / "queries").names())


@pytest.mark.parametrize("name", Catalogue(ROOT / "queries").names())
def test_every_query_has_a_title_a_description_and_described_params(name: str) -> None:
    query = Catalogue(ROOT / "queries").get(name)
    assert query.title, f"{name}: no '# title:'"
    assert query.description, f"{name}: no '# description:'"
    for param in query.params:
        assert param.description, f"{name}: parameter {param.name} has no description"
    assert query.form in ("SELECT", "CONSTRUCT")


def test_cskg_queries_lists_every_query(tmp_path_factory: pytest.TempPathFactory) -> None:
    project = copy_project(tmp_path_factory.mktemp("listing") / "project")
    done = run_cskg(project, "queries")
    assert done.code == 0, done.err
    catalogue = Catalogue(ROOT / "queries")
    listed = done.out.splitlines()
    for query in catalogue.all():
        assert any(line.startswith(query.name) and query.title in line for line in listed), query.name
        for param in query.params:
            assert any(f"--param {param.name}=" in line and param.description in line for line in listed)
    assert f"{len(catalogue.names())} named queries" in done.out


# --- 1. councils-sharing ------------------------------------------------------------

SHARED_COLUMNS = (
    "other", "partnership", "shared", "service", "sharedFrom", "sharedTo",
    "councilFrom", "councilTo", "otherFrom", "otherTo", "source",
)


def tri_borough_rows(other: str) -> list[tuple[str | None, ...]]:
    """The six tri-borough shared services (2019 article), the council and other from 2011."""
    dated = {"adult-social-care", "childrens-services", "public-health"}  # 2011 to 2017
    return [
        (other, TRI, f"{TRI}/shares/{slug}/{slug_of(SRC_2019)}", service(slug),
         "2011" if slug in dated else None, "2017" if slug in dated else None,
         "2011", None, "2011", None, SRC_2019)
        for slug in [  # in the order of their labels "Tri-borough shared ..."
            "adult-social-care", "back-office-functions", "childrens-services",
            "mash", "public-health", "specialist-services",
        ]
    ]


def mash_row(other: str) -> tuple[str | None, ...]:
    return (other, TRI_MASH, TRI_MASH, None, None, None, None, None, None, None, SRC_2019)


def test_councils_sharing_with_westminster(built_store: GraphStore) -> None:
    result = run_named(built_store, "councils-sharing", {"council": "Westminster"})
    assert rows(result, *SHARED_COLUMNS) == [
        *tri_borough_rows(HF),
        mash_row(HF),
        (KC, BI, f"{BI}/shares/childrens-services/{slug_of(SRC_2019)}", service("childrens-services"),
         None, None, None, None, None, None, SRC_2019),
        *tri_borough_rows(KC),
        mash_row(KC),
    ]
    assert set(column(result, "council")) == {WESTMINSTER}
    assert set(column(result, "councilLabel")) == {"Westminster"}
    assert column(result, "otherLabel")[:1] == ["Hammersmith and Fulham"]
    assert rows(result, "partnershipLabel", "sharedLabel", "serviceLabel")[6] == (
        "Tri-borough multi-agency safeguarding hub", "Tri-borough multi-agency safeguarding hub", None,
    )
    assert set(column(result, "sourceLabel")) == {
        "Inspectors praise quality of support at former tri-borough children services"
    }


def test_councils_sharing_with_hammersmith_and_fulham_has_no_bi_borough(built_store: GraphStore) -> None:
    result = run_named(built_store, "councils-sharing", {"council": "LBHF"})
    assert rows(result, *SHARED_COLUMNS) == [
        *tri_borough_rows(KC), mash_row(KC), *tri_borough_rows(WESTMINSTER), mash_row(WESTMINSTER),
    ]


@pytest.mark.parametrize("council", ["Bolton", "BCP", "Bromley"])
def test_councils_sharing_nothing(built_store: GraphStore, council: str) -> None:
    # BCP's MASH has police, health and education partners but no other council.
    assert run_named(built_store, "councils-sharing", {"council": council}).rows == []


def test_councils_sharing_needs_a_council(built_store: GraphStore) -> None:
    with pytest.raises(InputError):
        run_named(built_store, "councils-sharing", {})
    with pytest.raises(InputError):
        run_named(built_store, "councils-sharing", {"council": "Joe Lepper"})


# --- 2. partnership-members -------------------------------------------------------------


def test_tri_borough_members(built_store: GraphStore) -> None:
    result = run_named(built_store, "partnership-members", {"partnership": "tri-borough"})
    assert rows(result, "member", "memberLabel", "memberType", "sector", "from", "to", "source") == [
        (HF, "Hammersmith and Fulham", CSKG + "Council", None, "2011", None, SRC_2019),
        (KC, "Kensington and Chelsea", CSKG + "Council", None, "2011", None, SRC_2019),
        (WESTMINSTER, "Westminster", CSKG + "Council", None, "2011", None, SRC_2019),
    ]
    assert set(column(result, "memberTypeLabel")) == {"council"}


def test_bi_borough_members(built_store: GraphStore) -> None:
    result = run_named(built_store, "partnership-members", {"partnership": "bi-borough arrangement"})
    assert rows(result, "partnership", "member", "from", "to") == [
        (BI, KC, None, None), (BI, WESTMINSTER, None, None),
    ]


def test_bcp_mash_members_with_sectors(built_store: GraphStore) -> None:
    result = run_named(built_store, "partnership-members", {"partnership": BCP_MASH})
    assert rows(result, "member", "memberType", "sector", "sectorLabel", "source") == [
        (BCP, CSKG + "Council", None, None, SRC_BCP),
        (ID + "org/bcp-mash-partner-education", ORG + "Organization", VOCAB + "sector/education", "education", SRC_BCP),
        (ID + "org/bcp-mash-partner-health", ORG + "Organization", VOCAB + "sector/health", "health", SRC_BCP),
        (ID + "org/bcp-mash-partner-police", ORG + "Organization", VOCAB + "sector/police", "police", SRC_BCP),
    ]
    assert column(result, "memberLabel")[0] == "Bournemouth, Christchurch and Poole"


# --- 3. inadequate-judgements -------------------------------------------------------------

INADEQUATE = {
    "Bromley": (BROMLEY, event("E09000006", "inspection/2016-06"), "2016-06", SRC_0410),
    "Wirral": (WIRRAL, event("E08000015", "inspection/2016-09"), "2016-09", SRC_0410),
    "Worcestershire": (WORCESTERSHIRE, event("E10000034", "inspection/2016-11"), "2016-11", SRC_0514),
    "Tameside": (TAMESIDE, event("E08000008", "inspection/2016-12"), "2016-12", SRC_0514),
    "BCP": (BCP, event("E06000058", "inspection/2021"), "2021", SRC_BCP),
}


def inadequate(*names: str) -> list[tuple[str | None, ...]]:
    """Every one an overall-effectiveness judgement of a full inspection, by reported date."""
    return [
        (council, ev, FULL, f"{ev}/judgement/overall-effectiveness", OVERALL, date, "reported", source)
        for council, ev, date, source in (INADEQUATE[n] for n in names)
    ]


INADEQUATE_COLUMNS = ("council", "event", "eventType", "judgement", "area", "date", "dateKind", "source")


def test_inadequate_judgements(built_store: GraphStore) -> None:
    result = run_named(built_store, "inadequate-judgements")
    assert rows(result, *INADEQUATE_COLUMNS) == inadequate(
        "Bromley", "Wirral", "Worcestershire", "Tameside", "BCP"
    )
    assert column(result, "councilLabel") == [
        "Bromley", "Wirral", "Worcestershire", "Tameside", "Bournemouth, Christchurch and Poole",
    ]
    assert set(column(result, "eventTypeLabel")) == {"full inspection"}
    assert set(column(result, "areaLabel")) == {"overall effectiveness"}
    assert column(result, "judgementLabel")[0] == "Bromley, June 2016: overall effectiveness inadequate"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2016-09"}, ["Wirral", "Worcestershire", "Tameside", "BCP"]),
        ({"from": "2017"}, ["BCP"]),
        ({"from": "2016-09-15"}, ["Worcestershire", "Tameside", "BCP"]),
        # BCP is dated only "2021": not known to be on or after January 2021.
        ({"from": "2021-01"}, []),
        ({"from": "2021"}, ["BCP"]),
        ({"to": "2016"}, ["Bromley", "Wirral", "Worcestershire", "Tameside"]),
        ({"to": "2016-10"}, ["Bromley", "Wirral"]),
        ({"to": "2016-09"}, ["Bromley", "Wirral"]),
        # "2021" is not known to be on or before June 2021.
        ({"to": "2021-06"}, ["Bromley", "Wirral", "Worcestershire", "Tameside"]),
        ({"to": "2021"}, ["Bromley", "Wirral", "Worcestershire", "Tameside", "BCP"]),
        ({"from": "2016-09", "to": "2016-11"}, ["Wirral", "Worcestershire"]),
    ],
)
def test_inadequate_judgements_between_dates(
    built_store: GraphStore, params: dict[str, str], expected: list[str]
) -> None:
    result = run_named(built_store, "inadequate-judgements", params)
    assert rows(result, *INADEQUATE_COLUMNS) == inadequate(*expected)


def test_inadequate_judgements_rejects_a_non_date(built_store: GraphStore) -> None:
    with pytest.raises(InputError):
        run_named(built_store, "inadequate-judgements", {"from": "June 2016"})


# --- 4. council-history -------------------------------------------------------------------

HISTORY_COLUMNS = (
    "event", "eventType", "date", "fieldworkStart", "fieldworkEnd", "publicationDate",
    "reportedDate", "framework", "format", "visitOrdinal", "focus", "focusText", "grades",
)


def test_westminster_history(built_store: GraphStore) -> None:
    result = run_named(built_store, "council-history", {"council": "E09000033"})
    nothing = (None, None, None, None, None)  # framework, format, visitOrdinal, focus, focusText
    assert rows(result, *HISTORY_COLUMNS) == [
        (event("E09000033", "inspection/2016"), FULL, "2016", None, None, None, "2016", *nothing,
         "overall effectiveness: outstanding; adoption performance: outstanding; care leavers: good; "
         "children looked after and achieving permanence: outstanding; "
         "children who need help and protection: good; "
         "leadership, management and governance: outstanding"),
        (event("E09000033", "inspection/2019"), FULL, "2019", None, None, None, "2019", *nothing,
         "overall effectiveness: outstanding; children in care and care leavers: outstanding; "
         "children who need help and protection: outstanding; "
         "impact of leaders on social work practice: outstanding"),
    ]
    assert column(result, "eventTypeLabel") == ["full inspection", "full inspection"]
    assert column(result, "eventLabel") == [
        "Ofsted inspection of Westminster children's services, 2016",
        "Ofsted inspection of Westminster children's services, 2019",
    ]


def test_bromley_history(built_store: GraphStore) -> None:
    result = run_named(built_store, "council-history", {"council": "London Borough of Bromley"})
    assert rows(result, *HISTORY_COLUMNS) == [
        (event("E09000006", "inspection/2016-06"), FULL, "2016-06", None, None, None, "2016-06",
         None, None, None, None, None, "overall effectiveness: inadequate"),
        (event("E09000006", "monitoring-visit/2018-03"), CSKG + "MonitoringVisit", "2018-03", "2018-03",
         None, None, None, None, None, "6", service("early-help"),
         "progress to improve early help for children and families", None),
    ]
    assert column(result, "focusLabel") == [None, "early help"]


def test_tameside_history_puts_the_undated_visit_last(built_store: GraphStore) -> None:
    result = run_named(built_store, "council-history", {"council": "Tameside"})
    assert rows(result, "event", "date", "visitOrdinal", "focus", "focusText", "grades") == [
        (event("E08000008", "inspection/2016-12"), "2016-12", None, None, None,
         "overall effectiveness: inadequate"),
        (event("E08000008", "monitoring-visit/visit-5"), None, "5", service("early-help"),
         "early help provision", None),
    ]


def test_bolton_history_with_fieldwork_dates(built_store: GraphStore) -> None:
    result = run_named(built_store, "council-history", {"council": "Bolton Council"})
    assert rows(result, "event", "date", "fieldworkStart", "fieldworkEnd", "reportedDate", "grades") == [
        (event("E08000001", "inspection/2014"), "2014", None, None, "2014",
         "overall effectiveness: requires improvement; "
         "children who need help and protection: requires improvement; "
         "leadership, management and governance: requires improvement"),
        (event("E08000001", "inspection/2018-04"), "2018-04", "2018-04", "2018-05", None,
         "overall effectiveness: good"),
    ]


# --- 5. grade-changes ----------------------------------------------------------------------

CHANGE_COLUMNS = ("council", "area", "earlier", "earlierDate", "earlierGrade", "later", "laterDate",
                  "laterGrade", "change")


def tri_change(council: str, gss: str, area: str, before: str, after: str, change: str) -> tuple[str, ...]:
    return (council, area, event(gss, "inspection/2016"), "2016", grade(before),
            event(gss, "inspection/2019"), "2019", grade(after), change)


BOLTON_CHANGE = (BOLTON, OVERALL, event("E08000001", "inspection/2014"), "2014", grade("requires-improvement"),
                 event("E08000001", "inspection/2018-04"), "2018-04", grade("good"), "improved")


def test_grade_changes_of_every_council(built_store: GraphStore) -> None:
    result = run_named(built_store, "grade-changes")
    # Areas graded in both: overall effectiveness, and help and protection in the
    # tri-borough councils (2016 SIF areas otherwise differ from the 2019 ILACS ones).
    assert rows(result, *CHANGE_COLUMNS) == [
        BOLTON_CHANGE,
        tri_change(HF, "E09000013", OVERALL, "good", "good", "unchanged"),
        tri_change(HF, "E09000013", HELP, "good", "good", "unchanged"),
        tri_change(KC, "E09000020", OVERALL, "outstanding", "outstanding", "unchanged"),
        tri_change(KC, "E09000020", HELP, "good", "outstanding", "improved"),
        tri_change(WESTMINSTER, "E09000033", OVERALL, "outstanding", "outstanding", "unchanged"),
        tri_change(WESTMINSTER, "E09000033", HELP, "good", "outstanding", "improved"),
    ]
    assert rows(result, "areaLabel", "earlierGradeLabel", "laterGradeLabel")[0] == (
        "overall effectiveness", "requires improvement", "good",
    )


def test_grade_changes_of_one_council(built_store: GraphStore) -> None:
    assert rows(run_named(built_store, "grade-changes", {"council": "Bolton"}), *CHANGE_COLUMNS) == [
        BOLTON_CHANGE
    ]
    # Bromley has one full inspection: nothing to compare.
    assert run_named(built_store, "grade-changes", {"council": "Bromley"}).rows == []


# --- 6. monitoring-visits -------------------------------------------------------------------

VISIT_COLUMNS = ("council", "visit", "visitOrdinal", "date", "visitFocus", "focusText", "judgement", "finalVisit")
BCP_FRONT_DOOR = "the council’s ‘front door’ service"


def followed(gss: str, key: str) -> str:
    return event(gss, f"inspection/{key}/judgement/overall-effectiveness")


VISITS = {
    "BCP 1": (BCP, event("E06000058", "monitoring-visit/2022-06"), "1", "2022-06", service("front-door"),
              BCP_FRONT_DOOR, followed("E06000058", "2021"), None),
    "BCP 6": (BCP, event("E06000058", "monitoring-visit/visit-6"), "6", None, service("front-door"),
              BCP_FRONT_DOOR, followed("E06000058", "2021"), "true"),
    "Bromley 6": (BROMLEY, event("E09000006", "monitoring-visit/2018-03"), "6", "2018-03", service("early-help"),
                  "progress to improve early help for children and families", followed("E09000006", "2016-06"), None),
    "Tameside 5": (TAMESIDE, event("E08000008", "monitoring-visit/visit-5"), "5", None, service("early-help"),
                   "early help provision", followed("E08000008", "2016-12"), None),
    "Wirral 5": (WIRRAL, event("E08000015", "monitoring-visit/2018-03"), "5", "2018-03", service("front-door"),
                 "progress in improving the council's initial response to child protection and children in need concerns",
                 followed("E08000015", "2016-09"), None),
    "Worcestershire": (WORCESTERSHIRE, event("E10000034", "monitoring-visit/visit-children-in-care"), None, None,
                       service("children-in-care"), "services for children in care",
                       followed("E10000034", "2016-11"), None),
}


def test_monitoring_visits(built_store: GraphStore) -> None:
    result = run_named(built_store, "monitoring-visits")
    assert rows(result, *VISIT_COLUMNS) == [
        VISITS[v] for v in ["BCP 1", "BCP 6", "Bromley 6", "Tameside 5", "Wirral 5", "Worcestershire"]
    ]
    assert column(result, "visitFocusLabel") == [
        "front door", "front door", "early help", "early help", "front door", "children in care",
    ]
    assert column(result, "judgementLabel")[2] == "Bromley, June 2016: overall effectiveness inadequate"


def test_monitoring_visits_on_early_help(built_store: GraphStore) -> None:
    result = run_named(built_store, "monitoring-visits", {"focus": "early help"})
    assert rows(result, *VISIT_COLUMNS) == [VISITS["Bromley 6"], VISITS["Tameside 5"]]


def test_monitoring_visits_by_focus_and_council(built_store: GraphStore) -> None:
    result = run_named(built_store, "monitoring-visits", {"focus": "front-door", "council": "BCP"})
    assert rows(result, *VISIT_COLUMNS) == [VISITS["BCP 1"], VISITS["BCP 6"]]
    result = run_named(built_store, "monitoring-visits", {"council": "Wirral"})
    assert rows(result, *VISIT_COLUMNS) == [VISITS["Wirral 5"]]
    assert run_named(built_store, "monitoring-visits", {"council": "Bolton"}).rows == []
    assert run_named(built_store, "monitoring-visits", {"focus": "early help", "council": "Wirral"}).rows == []


def test_monitoring_visits_focus_is_a_service_area(built_store: GraphStore) -> None:
    with pytest.raises(InputError):
        run_named(built_store, "monitoring-visits", {"focus": "caseloads"})  # a theme


# --- 7. council-people / 8. person-councils ----------------------------------------------------

PEOPLE_COLUMNS = ("council", "person", "role", "titleInSource", "tenure", "from", "to", "attestedOn", "source")
DCS = VOCAB + "role/director-of-childrens-services"
LEAD = VOCAB + "role/lead-member-for-childrens-services"
JAMES_THOMAS = (TAMESIDE, ID + "person/james-thomas", DCS, "interim director of children's services",
                VOCAB + "tenure/interim", "2017", None, "2018-05-14", SRC_0514)


def test_council_people_of_bcp(built_store: GraphStore) -> None:
    result = run_named(built_store, "council-people", {"council": "BCP"})
    assert rows(result, *PEOPLE_COLUMNS) == [
        (BCP, ID + "person/cathi-hadley", DCS, "director of children’s services",
         None, None, None, None, SRC_BCP),
        (BCP, ID + "person/richard-burton", LEAD, "portfolio holder for children and young people",
         None, None, None, None, SRC_BCP),
    ]
    assert column(result, "personLabel") == ["Cathi Hadley", "Richard Burton"]


def test_council_people_of_tameside(built_store: GraphStore) -> None:
    result = run_named(built_store, "council-people", {"council": "Tameside"})
    assert rows(result, *PEOPLE_COLUMNS) == [JAMES_THOMAS]
    assert column(result, "tenureLabel") == ["interim"]
    assert column(result, "holdingLabel") == ["James Thomas, interim director of children's services, Tameside"]


def test_council_people_of_bromley_is_empty(built_store: GraphStore) -> None:
    assert run_named(built_store, "council-people", {"council": "Bromley"}).rows == []


def test_person_councils(built_store: GraphStore) -> None:
    result = run_named(built_store, "person-councils", {"person": "James Thomas"})
    assert rows(result, *PEOPLE_COLUMNS) == [JAMES_THOMAS]
    assert column(result, "councilLabel") == ["Tameside"]
    result = run_named(built_store, "person-councils", {"person": "Heather Acton"})
    assert rows(result, *PEOPLE_COLUMNS) == [
        (WESTMINSTER, ID + "person/heather-acton", LEAD, "cabinet member for family services",
         None, None, None, "2019-10-16", SRC_2019),
    ]
    result = run_named(built_store, "person-councils", {"person": "David Lindsey"})
    assert rows(result, "council", "titleInSource") == [
        (KC, "lead member for families and children's services")
    ]


# --- 9. findings-by-theme --------------------------------------------------------------------


def finding(gss: str, path: str, n: int, kind_slug: str, source: str) -> tuple[str, ...]:
    ev = event(gss, path)
    return (ev, f"{ev}/finding/{slug_of(source)}/{n}", kind(kind_slug), source)


FINDING_COLUMNS = ("event", "finding", "kind", "source")


def test_findings_on_early_help(built_store: GraphStore) -> None:
    result = run_named(built_store, "findings-by-theme", {"theme": "early help"})
    bromley = ("E09000006", "monitoring-visit/2018-03")
    hf = ("E09000013", "inspection/2019")
    tameside = ("E08000008", "monitoring-visit/visit-5")
    assert rows(result, *FINDING_COLUMNS) == [
        finding(*bromley, 1, "strength", SRC_0410),
        finding(*bromley, 2, "strength", SRC_0410),
        finding(*bromley, 3, "strength", SRC_0410),
        finding(*bromley, 4, "strength", SRC_0410),
        finding(*bromley, 6, "area-for-improvement", SRC_0410),
        finding(*hf, 6, "strength", SRC_2019),
        finding(*hf, 7, "area-for-improvement", SRC_2019),
        finding(*tameside, 1, "strength", SRC_0514),
        finding(*tameside, 2, "strength", SRC_0514),
        finding(*tameside, 3, "strength", SRC_0514),
    ]
    assert column(result, "councilLabel") == ["Bromley"] * 5 + ["Hammersmith and Fulham"] * 2 + ["Tameside"] * 3
    assert set(column(result, "themeLabel")) == {"early help"}
    assert column(result, "kindLabel")[4] == "area for improvement"
    # H&F finding 7 has one quote and one excerpt; Tameside finding 1 only an excerpt.
    assert rows(result, "quotes", "excerpts")[6] == (
        "in some delays", 'it said it was concerned "in some delays" in providing help',
    )
    assert rows(result, "quotes", "excerpts")[7] == (
        None, "Ofsted inspectors found that Tameside Council has made progress on early help services.",
    )


def test_findings_on_a_theme_for_one_council(built_store: GraphStore) -> None:
    result = run_named(built_store, "findings-by-theme", {"theme": "early-help", "council": "Tameside"})
    assert column(result, "finding") == [
        event("E08000008", f"monitoring-visit/visit-5/finding/{slug_of(SRC_0514)}/{n}") for n in (1, 2, 3)
    ]
    # Several quotes or excerpts of one finding share its row, joined by " | " in alphabetical order.
    assert rows(result, "quotes", "excerpts")[1] == (
        "strategic direction and focus",
        "A monitoring visit focusing on early help provision in Tameside said the appointment of a new "
        "interim director of children's services had helped drive progress, with children starting to "
        "experience better outcomes. | In Tameside, Ofsted said the appointment of James Thomas as interim "
        "director of children's services (DCS) late last year had provided \"strategic direction and focus\" "
        "for early help services at the local authority.",
    )


def solutions(store: GraphStore, sparql: str) -> list[tuple[str, ...]]:
    """The rows of a plain SPARQL query (the project's prefixes predeclared), as string values."""
    from cskg.prefixes import sparql_prologue

    return [tuple(t.value for t in row) for row in store.query(sparql_prologue() + sparql)]


def test_a_councils_findings_on_every_theme(built_store: GraphStore) -> None:
    """council-findings lists, with no theme given, each (finding, source) that findings-by-theme
    gives for some theme, with all those themes on its row, and the findings with no theme."""
    themes = [r[0] for r in solutions(built_store,
        "SELECT DISTINCT ?l WHERE { ?f a cskg:Finding ; dcterms:subject ?t . ?t rdfs:label ?l }")]
    assert len(themes) > 3
    for council in ("Tameside", "Hammersmith and Fulham", "Bromley"):
        by_theme: dict[tuple[str | None, ...], set[str]] = {}
        for theme in themes:
            for key in rows(run_named(built_store, "findings-by-theme", {"theme": theme, "council": council}),
                            "finding", "source"):
                by_theme.setdefault(key, set()).add(theme)
        result = run_named(built_store, "council-findings", {"council": council})
        listed = {(f, s): set((t or "").split("; ")) - {""} for f, s, t in rows(result, "finding", "source", "themes")}
        assert {k: v for k, v in listed.items() if v} == by_theme, council
        unthemed = {r[0] for r in solutions(built_store,
            "SELECT ?f WHERE { ?f a cskg:Finding FILTER NOT EXISTS { ?f dcterms:subject ?t } }")}
        assert {k[0] for k, v in listed.items() if not v} <= unthemed
        assert len(set(column(result, "council"))) == 1


def test_one_events_findings(built_store: GraphStore) -> None:
    visit = event("E08000008", "monitoring-visit/visit-5")
    for given in (visit, "Tameside monitoring visit 5 (early help)"):
        result = run_named(built_store, "council-findings", {"event": given})
        assert set(column(result, "event")) == {visit}
        assert column(result, "finding") == [f"{visit}/finding/{slug_of(SRC_0514)}/{n}" for n in range(1, 9)]
    everything = run_named(built_store, "council-findings")
    assert len(everything.rows) == len(solutions(built_store,
        "SELECT DISTINCT ?f ?g WHERE { GRAPH ?g { ?f cskg:fromEvent ?e } ?f a cskg:Finding }"))


def test_findings_on_childrens_centres(built_store: GraphStore) -> None:
    result = run_named(built_store, "findings-by-theme", {"theme": "children's centres"})
    ev = event("E09000006", "monitoring-visit/2018-03")
    assert rows(result, "finding", "quotes") == [
        (f"{ev}/finding/{slug_of(SRC_0410)}/1",
         "Integrated multi-agency early intervention services, based in localities around children's "
         "centres, offer parents a wide range of accessible services | These include an early intervention "
         "programme to support children who have witnessed domestic violence, early parent education "
         "classes and a ‘parenting plus' programme."),
        (f"{ev}/finding/{slug_of(SRC_0410)}/4",
         "A small number of cases are held by family support officers, who offer additional support to "
         "parents to access help offered at the centres. | Parents highly regard this ‘light touch' "
         "support, which offers advice, guidance and practical help on a range of issues, including "
         "benefit applications and budget management."),
        (f"{ev}/finding/{slug_of(SRC_0410)}/5",
         "Children's centre workers demonstrate an appropriate understanding and response to risk. Timely "
         "and effective communication with children's social workers takes place should risks escalate."),
    ]


def test_findings_on_caseloads(built_store: GraphStore) -> None:
    result = run_named(built_store, "findings-by-theme", {"theme": "caseloads"})
    assert rows(result, "council", "finding", "kind", "quotes", "excerpts", "sourceLabel") == [
        (HF, event("E09000013", f"inspection/2019/finding/{slug_of(SRC_2019)}/5"), kind("area-for-improvement"),
         "caseloads remain high", None,
         "Inspectors praise quality of support at former tri-borough children services"),
    ]
    assert run_named(built_store, "findings-by-theme", {"theme": "caseloads", "council": "Bolton"}).rows == []


# --- 10. sources-about ------------------------------------------------------------------------


def test_sources_about_westminster(built_store: GraphStore) -> None:
    result = run_named(built_store, "sources-about", {"entity": "City of Westminster"})
    # Reference graph: a, label, 2 altLabels, gssCode, dfeLaCode, ofstedUrn, region, authorityType,
    # url, statisticalGeography (11). 2019 article: a, altLabel; object of political control,
    # 3 memberships (tri-borough, its MASH, bi-borough), 2 inspections, a post, a post holding (10).
    assert rows(result, "source", "graph", "statements") == [
        (SRC_LOOKUP, GRAPH + "la-lookup-seed-councils", "11"),
        (SRC_2019, GRAPH + "2019-10-16-former-tri-borough-childrens-services", "10"),
    ]
    assert column(result, "sourceLabel") == [
        "Local authority lookup (la-lookup.csv)",
        "Inspectors praise quality of support at former tri-borough children services",
    ]


def test_sources_about_joe_lepper(built_store: GraphStore) -> None:
    result = run_named(built_store, "sources-about", {"entity": "Joe Lepper"})
    # Each of his three articles: the person's type and label, and dcterms:creator.
    assert rows(result, "source", "statements") == [(SRC_0613, "3"), (SRC_0410, "3"), (SRC_2019, "3")]


# --- 11. articles-by-author --------------------------------------------------------------------


def test_articles_by_joe_lepper(built_store: GraphStore) -> None:
    result = run_named(built_store, "articles-by-author", {"author": "Joe Lepper"})
    cyp = ID + "org/cyp-now"
    assert rows(result, "article", "title", "date", "publisher", "publisherLabel") == [
        (SRC_0410, "Inspectors praise children's centre support at 'inadequate' council", "2018-04-10", cyp, "CYP Now"),
        (SRC_0613, "Council's children's services rated 'good' by Ofsted", "2018-06-13", cyp, "CYP Now"),
        (SRC_2019, "Inspectors praise quality of support at former tri-borough children services",
         "2019-10-16", cyp, "CYP Now"),
    ]


def test_articles_by_neil_puffett_have_no_publisher(built_store: GraphStore) -> None:
    result = run_named(built_store, "articles-by-author", {"author": "Neil Puffett"})
    assert rows(result, "article", "title", "date", "publisher") == [
        (SRC_0514, "Inspectors praise progress at two 'inadequate' councils", "2018-05-14", None),
    ]


# --- 12. shared-mash -----------------------------------------------------------------------------


def test_shared_mash(built_store: GraphStore) -> None:
    result = run_named(built_store, "shared-mash")
    assert rows(result, "mash", "partnership", "council", "from", "to", "source") == [
        (TRI_MASH, TRI, HF, None, None, SRC_2019),
        (TRI_MASH, TRI, KC, None, None, SRC_2019),
        (TRI_MASH, TRI, WESTMINSTER, None, None, SRC_2019),
    ]
    assert set(column(result, "mashLabel")) == {"Tri-borough multi-agency safeguarding hub"}


# --- the extended project: data the seed graphs do not have ---------------------------------------

EXTRA_SLUG = "2020-01-01-test-extra-facts"
EXTRA_SOURCE = ID + "source/" + EXTRA_SLUG
EXTRA = f"""@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix cskgid: <https://w3id.org/cskg/id/> .
@prefix graph: <https://w3id.org/cskg/graph/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
graph:{EXTRA_SLUG} {{
  graph:{EXTRA_SLUG} a cskg:SourceGraph ; prov:wasDerivedFrom <{EXTRA_SOURCE}> ;
      rdfs:label "Facts made up for the tests" .
  <{EXTRA_SOURCE}> a cskg:Report ; rdfs:label "Test facts" .

  # A third Bolton inspection between 2014 and April 2018.
  <{event("E08000001", "inspection/2016")}> a cskg:FullInspection ;
      rdfs:label "Bolton inspection 2016 (test)" ;
      cskg:inspectedAuthority <{BOLTON}> ;
      cskg:reportedDate "2016"^^xsd:gYear .
  <{event("E08000001", "inspection/2016")}/judgement/overall-effectiveness> a cskg:Judgement ;
      rdfs:label "Bolton 2016: overall effectiveness inadequate (test)" ;
      cskg:ofEvent <{event("E08000001", "inspection/2016")}> ;
      cskg:judgementArea <{OVERALL}> ;
      cskg:grade <{grade("inadequate")}> .
  <{event("E08000001", "inspection/2016")}/judgement/help-and-protection> a cskg:Judgement ;
      rdfs:label "Bolton 2016: help and protection requires improvement (test)" ;
      cskg:ofEvent <{event("E08000001", "inspection/2016")}> ;
      cskg:judgementArea <{HELP}> ;
      cskg:grade <{grade("requires-improvement")}> .

  # Tameside delivers Bolton's adoption and fostering from 2019.
  <{BOLTON}/delivery/adoption-and-fostering> a cskg:DeliveryArrangement ;
      rdfs:label "Bolton's adoption and fostering delivered by Tameside (test)" ;
      cskg:deliveredFor <{BOLTON}> ;
      cskg:deliveredBy <{TAMESIDE}> ;
      cskg:service <{service("adoption-and-fostering")}> ;
      cskg:activeDuring <{BOLTON}/delivery/adoption-and-fostering/during> .
  <{BOLTON}/delivery/adoption-and-fostering/during> a time:Interval ;
      time:hasBeginning <{BOLTON}/delivery/adoption-and-fostering/during/start> .
  <{BOLTON}/delivery/adoption-and-fostering/during/start> a time:Instant ;
      time:inXSDgYear "2019"^^xsd:gYear .
}}
"""


def store_with(tmp_path_factory: pytest.TempPathFactory, slug: str, text: str,
               national: bool = False):  # type: ignore[no-untyped-def]
    """A built copy of the project with one more graph file, ``graphs/{slug}.trig``."""
    root = copy_project(tmp_path_factory.mktemp(slug) / "project", national=national)
    (root / "graphs" / f"{slug}.trig").write_text(text, encoding="utf-8")
    project = Project(root)
    build(project)
    store = open_store(project, rebuild=False)
    yield store
    store.close()


@pytest.fixture(scope="module")
def extended_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    yield from store_with(tmp_path_factory, EXTRA_SLUG, EXTRA)


def test_grade_changes_pair_only_consecutive_inspections(extended_store: GraphStore) -> None:
    result = run_named(extended_store, "grade-changes", {"council": "Bolton"})
    e2014, e2016, e2018 = (event("E08000001", f"inspection/{k}") for k in ("2014", "2016", "2018-04"))
    assert rows(result, *CHANGE_COLUMNS) == [
        (BOLTON, OVERALL, e2014, "2014", grade("requires-improvement"), e2016, "2016", grade("inadequate"),
         "declined"),
        (BOLTON, HELP, e2014, "2014", grade("requires-improvement"), e2016, "2016",
         grade("requires-improvement"), "unchanged"),
        (BOLTON, OVERALL, e2016, "2016", grade("inadequate"), e2018, "2018-04", grade("good"), "improved"),
    ]


def test_councils_sharing_a_delivery_arrangement(extended_store: GraphStore) -> None:
    arrangement = BOLTON + "/delivery/adoption-and-fostering"
    expected_row = (arrangement, arrangement, service("adoption-and-fostering"), "2019", None, EXTRA_SOURCE)
    for council, other in [("Bolton", TAMESIDE), ("Tameside", BOLTON)]:
        result = run_named(extended_store, "councils-sharing", {"council": council})
        assert rows(result, "other", "partnership", "shared", "service", "sharedFrom", "sharedTo", "source") == [
            (other, *expected_row)
        ]
        assert column(result, "serviceLabel") == ["adoption and fostering"]


def test_extended_data_leaves_the_inadequate_list_dated(extended_store: GraphStore) -> None:
    result = run_named(extended_store, "inadequate-judgements", {"from": "2016", "to": "2016"})
    assert column(result, "event") == [
        event("E08000001", "inspection/2016"),  # "2016" sorts before "2016-06"
        *(INADEQUATE[n][1] for n in ("Bromley", "Wirral", "Worcestershire", "Tameside")),
    ]


def test_parameters_are_bound_in_the_first_where_group() -> None:
    """The VALUES block goes into the first WHERE group: the outer one of an ordinary query,
    the inner one of a query that aggregates an inner `SELECT * WHERE` (written without an
    outer WHERE), where Oxigraph can use it (it does not push bindings into a subquery)."""
    import pyoxigraph as ox

    from cskg.query import with_values

    council = ox.NamedNode("https://w3id.org/cskg/id/council/E09000033")
    catalogue = Catalogue(ROOT / "queries")
    inner = with_values(catalogue.get("council-history").text, {"council": council})
    block = f"VALUES (?council) {{ ({council}) }}"
    assert inner.index("SELECT * WHERE {") < inner.index(block)
    assert inner.index(block) < inner.index("?event cskg:inspectedAuthority ?council")
    outer = with_values(catalogue.get("grade-changes").text, {"council": council})
    assert outer.index(block) < outer.index("SELECT", outer.index("WHERE {"))
    # sources-about counts inside a subquery and labels only the sources found: the entity
    # is bound inside, before the statements are matched
    about = with_values(catalogue.get("sources-about").text, {"entity": council})
    block = f"VALUES (?entity) {{ ({council}) }}"
    assert about.index("SELECT ?entity ?source ?graph (COUNT(*)") < about.index(block)
    assert about.index(block) < about.index("GRAPH ?graph")


# --- grade-changes: what lies between two graded inspections with no grade ----------------------

BETWEEN_SLUG = "2020-02-02-test-between-facts"
BETWEEN_SOURCE = ID + "source/" + BETWEEN_SLUG


def _report(key: str, issued: str, extra: str = "", council: tuple[str, str] = (BOLTON, "Bolton")) -> str:
    return f"""
  <{ID}source/test-report-{key}> a cskg:Report ;
      rdfs:label "Ofsted report on {council[1]} children's services, published {issued} (test)" ;
      dcterms:title "children's services inspection" ; dcterms:publisher <{ID}org/ofsted> ;
      dcterms:issued "{issued}"^^xsd:date ; schema:about <{council[0]}> {extra}."""


BETWEEN = f"""@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix graph: <https://w3id.org/cskg/graph/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
graph:{BETWEEN_SLUG} {{
  graph:{BETWEEN_SLUG} a cskg:SourceGraph ; prov:wasDerivedFrom <{BETWEEN_SOURCE}> ;
      rdfs:label "Facts made up for the tests" .
  <{BETWEEN_SOURCE}> a cskg:Report ; rdfs:label "Test facts" .
  # Bolton is graded in 2014 and in April 2018 (the seed graphs). Between them:
  # within three months of December 2014 (a year-only date counts as its December): 2014's own
  {_report("own", "2015-03-02")}
  # six months on, linked to no inspection: between, grade unknown
  {_report("between", "2015-06-01")}
  # linked to an inspection: that inspection's report, not an unknown
  {_report("linked", "2016-05-01", f"; cskg:reportsOn <{event('E08000001', 'inspection/2014')}> ")}
  # after the later inspection's date: its own report
  {_report("after", "2018-06-12")}
  # and ten months after it: something since the latest grade, grade unknown
  {_report("since", "2019-02-01")}
  # a full inspection with no grade in the graph
  <{event("E08000001", "inspection/2017-02")}> a cskg:FullInspection ;
      rdfs:label "Bolton inspection, February 2017 (test)" ;
      cskg:inspectedAuthority <{BOLTON}> ;
      cskg:fieldworkStart "2017-02"^^xsd:gYearMonth .
}}
"""


@pytest.fixture(scope="module")
def between_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    yield from store_with(tmp_path_factory, BETWEEN_SLUG, BETWEEN)


def test_grade_changes_say_what_lies_between_with_no_grade(between_store: GraphStore,
                                                           built_store: GraphStore) -> None:
    before = run_named(built_store, "grade-changes", {"council": "Bolton"})
    assert rows(before, "change", "between") == [("improved", None)]
    result = run_named(between_store, "grade-changes", {"council": "Bolton"})
    # the pair is the same (an ungraded inspection does not break it), but "improved" would
    # hide that the graph does not know what happened in 2015 and 2017
    assert rows(result, *CHANGE_COLUMNS[:-1]) == [BOLTON_CHANGE[:-1]]
    ((change, between),) = rows(result, "change", "between")
    assert change == "unknown in between"
    assert sorted(between.split("; ")) == [  # type: ignore[union-attr]
        "inspection with no grade, dated 2017-02", "report published 2015-06-01"]


def test_latest_grades_say_what_came_since_with_no_grade(between_store: GraphStore,
                                                         built_store: GraphStore) -> None:
    def bolton(store: GraphStore) -> tuple[str | None, ...]:
        result = run_named(store, "latest-grades")
        (row,) = [r for r in rows(result, "council", "date", "gradeLabel", "unknownSince") if r[0] == BOLTON]
        return row[1:]

    assert bolton(built_store) == ("2018-04", "good", None)
    # the report of June 2018 is the April inspection's own; February 2019's is not
    assert bolton(between_store) == ("2018-04", "good", "report published 2019-02-01")


LATER_SLUG = "2025-07-01-test-later-report"


@pytest.fixture(scope="module")
def national_with_later_report(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The shipped graphs, national data included, and two more Ofsted reports linked to no
    inspection: on Bolton (good), of June 2025, after its latest graded inspection (September
    2023), and on Bradford (inadequate), of June 2023, after its November 2022 inspection."""
    text = BETWEEN.replace(BETWEEN_SLUG, LATER_SLUG)
    start, end = text.index("  # Bolton is graded"), text.rindex("}")
    text = (text[:start] + _report("later", "2025-06-02")
            + _report("bradford", "2023-06-05", council=(BRADFORD, "Bradford")) + "\n" + text[end:])
    yield from store_with(tmp_path_factory, LATER_SLUG, text, national=True)


def test_every_latest_grade_says_what_came_since(national_with_later_report: GraphStore) -> None:
    store = national_with_later_report
    since = "report published 2025-06-02"
    latest = {r[0]: r[1:] for r in rows(run_named(store, "latest-grades"), "council", "unknownSince", "date")}
    assert latest[BOLTON] == (since, "2023-09-11")
    assert latest[BRADFORD] == ("report published 2023-06-05", "2022-11-21")
    assert sum(1 for v in latest.values() if v[0]) == 2  # only theirs
    by_grade = rows(run_named(store, "councils-by-grade", {"grade": "good"}), "council", "unknownSince")
    assert (BOLTON, since) in by_grade and all(s is None for c, s in by_grade if c != BOLTON)
    (council,) = solutions(store, f"SELECT ?c WHERE {{ ?l cskg:neighbourOf ?c ; cskg:neighbour <{BOLTON}> }} "
                                  "ORDER BY STR(?c) LIMIT 1")
    neighbours = rows(run_named(store, "statistical-neighbours", {"council": council[0]}),
                      "neighbour", "unknownSince")
    assert (BOLTON, since) in neighbours
    assert all(s is None for c, s in neighbours if c not in (BOLTON, BRADFORD))


def test_counts_and_comparisons_of_latest_grades_say_what_came_since(
        national_with_later_report: GraphStore) -> None:
    """grade-distribution counts the councils whose latest grade is followed by something with
    no grade; inadequate-among-good-neighbours names it for the council and for its good
    neighbours (Bolton is one of Bradford's)."""
    store = national_with_later_report
    columns = ("regionLabel", "goodCount", "unknownSinceCount", "councils")
    counts = {r[0]: r[1:] for r in rows(run_named(store, "grade-distribution"), *columns)}
    assert {k: v[1] for k, v in counts.items() if v[1] != "0"} == {"North West": "1",
                                                                  "Yorkshire and the Humber": "1"}
    assert sum(int(v[2]) for v in counts.values()) == 153  # type: ignore[arg-type]

    columns = ("council", "goodOrOutstandingNeighbours", "unknownSince", "goodOrOutstandingUnknownSince")
    found = {r[0]: r[1:] for r in rows(run_named(store, "inadequate-among-good-neighbours"), *columns)}
    assert found[BRADFORD][1:] == ("report published 2023-06-05", "Bolton: report published 2025-06-02")
    assert [c for c, v in found.items() if v[1]] == [BRADFORD]
    # every council with Bolton among its good neighbours says so, and no other does
    with_bolton = [c for c, v in found.items() if "Bolton" in v[0].split("; ")]  # type: ignore[union-attr]
    assert len(with_bolton) >= 2
    assert [c for c, v in found.items() if v[2]] == with_bolton


def test_grade_changed_between_lists_what_it_does_not_know(between_store: GraphStore,
                                                           built_store: GraphStore) -> None:
    columns = ("council", "earlierDate", "laterDate", "change", "between")
    # April 2018 is Bolton's latest grade as at both dates: nothing changed that the graph knows of
    assert [r for r in rows(run_named(built_store, "grade-changed-between",
                                      {"from": "2018-05-01", "to": "2019-06-01"}), *columns)
            if r[0] == BOLTON] == []
    # ... but the made-up report of February 2019 is not that inspection's own: unknown
    same = rows(run_named(between_store, "grade-changed-between", {"from": "2018-05-01", "to": "2019-06-01"}),
                *columns)
    assert [r for r in same if r[0] == BOLTON] == [
        (BOLTON, "2018-04", "2018-04", "unknown in between", "report published 2019-02-01")]
    # two graded inspections: what lies between them, not what comes after the later one
    ((*_, change, between),) = [r for r in rows(run_named(
        between_store, "grade-changed-between", {"from": "2015-01-01", "to": "2019-01-01"}), *columns)
        if r[0] == BOLTON]
    assert change == "unknown in between"
    assert sorted(between.split("; ")) == [  # type: ignore[union-attr]
        "inspection with no grade, dated 2017-02", "report published 2015-06-01"]


def test_reinspected_names_a_report_between_with_no_inspection(national_with_later_report: GraphStore) -> None:
    """Tameside, re-inspected in December 2023 after December 2016: the report index holds a
    report of July 2019 linked to no inspection; Bolton's June 2018 report is its April 2018
    inspection's own."""
    result = run_named(national_with_later_report, "reinspected", {"from": "2023-09-01", "to": "2023-12-31"})
    found = {r[0]: r[1:] for r in rows(result, "council", "previousDate", "between")}
    assert found[TAMESIDE] == ("2016-12", "report published 2019-07-01")
    assert found[BOLTON] == ("2018-04", None)
