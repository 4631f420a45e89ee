"""The facts of seed articles 003 and 004 and of the seed councils' reference graph.

Each article's named graph must state what the article states; the expectations below
are written out by hand from the article text, as (subject, predicate, object) triples.
The reference graph graph:la-lookup-seed-councils is checked value by value against the
published la-lookup.csv, which lives beside the project in ../shared/data (the test is
skipped when that file is absent).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS, TIME, XSD

GRAPHS = Path(__file__).parents[1] / "graphs"
SHARED = Path(__file__).parents[2] / "shared"
LA_LOOKUP = SHARED / "data" / "la-lookup.csv"
SEEDS = SHARED / "seeds"

CSKG = Namespace("https://w3id.org/cskg/def#")
ID = Namespace("https://w3id.org/cskg/id/")
GRAPH = Namespace("https://w3id.org/cskg/graph/")
SDO = Namespace("https://schema.org/")
GRADE = Namespace("https://w3id.org/cskg/vocab/grade/")
AREA = Namespace("https://w3id.org/cskg/vocab/area/")
SERVICE = Namespace("https://w3id.org/cskg/vocab/service/")
ROLE = Namespace("https://w3id.org/cskg/vocab/role/")
AUTHORITY = Namespace("https://w3id.org/cskg/vocab/authority/")

TRI = "2019-10-16-former-tri-borough-childrens-services"
BOLTON = "2018-06-13-bolton-childrens-services-rated-good"
LOOKUP = "la-lookup-seed-councils"

HF, KC, WM, BOL = "E09000013", "E09000020", "E09000033", "E08000001"

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def load(slug: str) -> Graph:
    """The named graph graph:{slug} from graphs/{slug}.trig."""
    ds = Dataset()
    ds.parse(GRAPHS / f"{slug}.trig", format="trig")
    return ds.graph(GRAPH[slug])


def named_graphs(slug: str) -> set[str]:
    ds = Dataset()
    ds.parse(GRAPHS / f"{slug}.trig", format="trig")
    return {str(g.identifier) for g in ds.graphs() if len(g)}


def year(y: str) -> Literal:
    return Literal(y, datatype=XSD.gYear)


def council(gss: str) -> URIRef:
    return ID[f"council/{gss}"]


def event(gss: str, key: str) -> URIRef:
    return ID[f"event/{gss}/inspection/{key}"]


def inspection(gss: str, key: str, date_property: URIRef, date: Literal) -> list[Triple]:
    ev = event(gss, key)
    return [
        (ev, RDF.type, CSKG.FullInspection),
        (ev, CSKG.inspectedAuthority, council(gss)),
        (ev, date_property, date),
        (ev, PROV.wasAssociatedWith, ID["org/ofsted"]),
    ]


def judgement(gss: str, key: str, area: str, grade: str) -> list[Triple]:
    j = URIRef(f"{event(gss, key)}/judgement/{area}")
    return [
        (j, RDF.type, CSKG.Judgement),
        (j, CSKG.ofEvent, event(gss, key)),
        (j, CSKG.judgementArea, AREA[area]),
        (j, CSKG.grade, GRADE[grade]),
    ]


def membership(partnership: str, gss: str, start_year: str | None, slug: str = TRI) -> list[Triple]:
    p = ID[f"partnership/{partnership}"]
    m = URIRef(f"{p}/member/{gss}/{slug}")
    out: list[Triple] = [
        (m, RDF.type, ORG.Membership),
        (m, ORG.organization, p),
        (m, ORG.member, council(gss)),
    ]
    if start_year is not None:
        during = URIRef(f"{m}/during")
        out += [
            (m, ORG.memberDuring, during),
            (during, TIME.hasBeginning, URIRef(f"{during}/start")),
            (URIRef(f"{during}/start"), TIME.inXSDgYear, year(start_year)),
        ]
    return out


def shared_service(partnership: str, service: str, start: str | None, end: str | None) -> list[Triple]:
    p = ID[f"partnership/{partnership}"]
    s = URIRef(f"{p}/shares/{service}/{TRI}")
    out: list[Triple] = [
        (s, RDF.type, CSKG.SharedService),
        (s, CSKG.sharedBy, p),
        (s, CSKG.service, SERVICE[service]),
    ]
    during = URIRef(f"{s}/during")
    if start is not None:
        out += [
            (s, CSKG.activeDuring, during),
            (during, TIME.hasBeginning, URIRef(f"{during}/start")),
            (URIRef(f"{during}/start"), TIME.inXSDgYear, year(start)),
        ]
    if end is not None:
        out += [
            (during, TIME.hasEnd, URIRef(f"{during}/end")),
            (URIRef(f"{during}/end"), TIME.inXSDgYear, year(end)),
        ]
    return out


def post_holding(gss: str, person: str, name: str, title: str, attested: str, slug: str = TRI
                 ) -> list[Triple]:
    post = ID[f"council/{gss}/post/lead-member-for-childrens-services"]
    holding = URIRef(f"{post}/{person}/{slug}")
    return [
        (ID[f"person/{person}"], RDF.type, SDO.Person),
        (ID[f"person/{person}"], RDFS.label, Literal(name)),
        (post, RDF.type, ORG.Post),
        (post, ORG.postIn, council(gss)),
        (post, ORG.role, ROLE["lead-member-for-childrens-services"]),
        (holding, RDF.type, CSKG.PostHolding),
        (holding, ORG.member, ID[f"person/{person}"]),
        (holding, ORG.organization, council(gss)),
        (holding, ORG.role, ROLE["lead-member-for-childrens-services"]),
        (holding, CSKG.post, post),
        (holding, CSKG.titleInSource, Literal(title)),
        (holding, CSKG.attestedOn, Literal(attested, datatype=XSD.date)),
    ]


def article(slug: str, title: str, issued: str, seed: str) -> list[Triple]:
    src = ID[f"source/{slug}"]
    return [
        (GRAPH[slug], RDF.type, CSKG.SourceGraph),
        (GRAPH[slug], PROV.wasDerivedFrom, src),
        (src, RDF.type, CSKG.NewsArticle),
        (src, DCTERMS.title, Literal(title)),
        (src, DCTERMS.creator, ID["person/joe-lepper"]),
        (src, DCTERMS.publisher, ID["org/cyp-now"]),
        (src, DCTERMS.issued, Literal(issued, datatype=XSD.date)),
        (src, DCTERMS.identifier, Literal(f"seed:{seed}")),
        (ID["person/joe-lepper"], RDF.type, SDO.Person),
        (ID["org/cyp-now"], RDF.type, CSKG.NewsPublisher),
        (ID["org/ofsted"], RDF.type, CSKG.Inspectorate),
    ]


# --- seed 003: the former tri-borough councils (16 October 2019) -------------------------

TRI_FACTS: list[Triple] = [
    *article(TRI, "Inspectors praise quality of support at former tri-borough children services",
             "2019-10-16", "003_30c3f522f41d54ac"),
    # "Hammersmith and Fulham, Kensington and Chelsea, and Westminster councils"
    (council(HF), RDF.type, CSKG.Council),
    (council(KC), RDF.type, CSKG.Council),
    (council(WM), RDF.type, CSKG.Council),
    (council(HF), SKOS.altLabel, Literal("Hammersmith and Fulham")),
    (council(HF), SKOS.altLabel, Literal("Hammersmith & Fulham")),
    (council(KC), SKOS.altLabel, Literal("Kensington and Chelsea")),
    (council(WM), SKOS.altLabel, Literal("Westminster")),
    # "... had formed a tri-borough arrangement involving joint provision of children's
    #  services, adult social care and public health in 2011." / "ended two years ago"
    (ID["partnership/tri-borough"], RDF.type, CSKG.Partnership),
    *membership("tri-borough", HF, "2011"),
    *membership("tri-borough", KC, "2011"),
    *membership("tri-borough", WM, "2011"),
    *shared_service("tri-borough", "childrens-services", "2011", "2017"),
    *shared_service("tri-borough", "adult-social-care", "2011", "2017"),
    *shared_service("tri-borough", "public-health", "2011", "2017"),
    # "has only stayed in place for some back office functions and specialist services,
    #  including the multi-agency safeguarding hub (Mash)"
    *shared_service("tri-borough", "back-office-functions", None, None),
    *shared_service("tri-borough", "specialist-services", None, None),
    (ID["partnership/tri-borough-multi-agency-safeguarding-hub"], RDF.type,
     CSKG.MultiAgencySafeguardingHub),
    (ID["partnership/tri-borough-multi-agency-safeguarding-hub"], ORG.subOrganizationOf,
     ID["partnership/tri-borough"]),
    *membership("tri-borough-multi-agency-safeguarding-hub", HF, None),
    *membership("tri-borough-multi-agency-safeguarding-hub", KC, None),
    *membership("tri-borough-multi-agency-safeguarding-hub", WM, None),
    # "... instead form a bi-borough arrangement for children's services"
    (ID["partnership/bi-borough"], RDF.type, CSKG.Partnership),
    *membership("bi-borough", KC, None),
    *membership("bi-borough", WM, None),
    *shared_service("bi-borough", "childrens-services", None, None),
    # "Conservative-controlled Kensington and Chelsea and Westminster councils ...
    #  Labour-controlled Hammersmith & Fulham"
    (ID[f"council/{KC}/control/2019-10-16/{TRI}"], CSKG.controlledCouncil, council(KC)),
    (ID[f"council/{KC}/control/2019-10-16/{TRI}"], CSKG.controllingParty, ID["org/conservative-party"]),
    (ID[f"council/{WM}/control/2019-10-16/{TRI}"], CSKG.controlledCouncil, council(WM)),
    (ID[f"council/{WM}/control/2019-10-16/{TRI}"], CSKG.controllingParty, ID["org/conservative-party"]),
    (ID[f"council/{HF}/control/2019-10-16/{TRI}"], CSKG.controlledCouncil, council(HF)),
    (ID[f"council/{HF}/control/2019-10-16/{TRI}"], CSKG.controllingParty, ID["org/labour-party"]),
    (ID["org/conservative-party"], RDF.type, CSKG.PoliticalParty),
    (ID["org/labour-party"], RDF.type, CSKG.PoliticalParty),
    # 2019: H&F "retained its "good" rating ... for leadership, child protection,
    # supporting those in care and leaving care, as well as for overall effectiveness."
    *inspection(HF, "2019", CSKG.reportedDate, year("2019")),
    *judgement(HF, "2019", "overall-effectiveness", "good"),
    *judgement(HF, "2019", "impact-of-leaders", "good"),
    *judgement(HF, "2019", "help-and-protection", "good"),
    *judgement(HF, "2019", "children-in-care-and-care-leavers", "good"),
    # 2019: K&C and Westminster "continue to be rated "outstanding" ... all areas"
    *[t for gss in (KC, WM) for t in inspection(gss, "2019", CSKG.reportedDate, year("2019"))],
    *[
        t
        for gss in (KC, WM)
        for area in ("overall-effectiveness", "impact-of-leaders", "help-and-protection",
                     "children-in-care-and-care-leavers")
        for t in judgement(gss, "2019", area, "outstanding")
    ],
    # 2016, H&F: "good" for child protection, children in care and care leavers;
    # leadership and adoption "outstanding"
    *inspection(HF, "2016", CSKG.reportedDate, year("2016")),
    *judgement(HF, "2016", "overall-effectiveness", "good"),
    *judgement(HF, "2016", "help-and-protection", "good"),
    *judgement(HF, "2016", "children-looked-after-and-achieving-permanence", "good"),
    *judgement(HF, "2016", "care-leavers", "good"),
    *judgement(HF, "2016", "leadership-management-and-governance", "outstanding"),
    *judgement(HF, "2016", "adoption-performance", "outstanding"),
    # 2016, K&C: highest rating for looked after children, adoption, care leavers,
    # leadership; child protection "good"
    *inspection(KC, "2016", CSKG.reportedDate, year("2016")),
    *judgement(KC, "2016", "overall-effectiveness", "outstanding"),
    *judgement(KC, "2016", "children-looked-after-and-achieving-permanence", "outstanding"),
    *judgement(KC, "2016", "adoption-performance", "outstanding"),
    *judgement(KC, "2016", "care-leavers", "outstanding"),
    *judgement(KC, "2016", "leadership-management-and-governance", "outstanding"),
    *judgement(KC, "2016", "help-and-protection", "good"),
    # 2016, Westminster: "outstanding" for looked-after children, adoption, leadership;
    # child protection and care leaver support "good"
    *inspection(WM, "2016", CSKG.reportedDate, year("2016")),
    *judgement(WM, "2016", "overall-effectiveness", "outstanding"),
    *judgement(WM, "2016", "children-looked-after-and-achieving-permanence", "outstanding"),
    *judgement(WM, "2016", "adoption-performance", "outstanding"),
    *judgement(WM, "2016", "leadership-management-and-governance", "outstanding"),
    *judgement(WM, "2016", "help-and-protection", "good"),
    *judgement(WM, "2016", "care-leavers", "good"),
    # people
    *post_holding(KC, "david-lindsey", "David Lindsey",
                  "lead member for families and children's services", "2019-10-16"),
    *post_holding(WM, "heather-acton", "Heather Acton",
                  "cabinet member for family services", "2019-10-16"),
]

# --- seed 004: Bolton (13 June 2018) ------------------------------------------------------

BOLTON_FACTS: list[Triple] = [
    *article(BOLTON, "Council's children's services rated 'good' by Ofsted", "2018-06-13",
             "004_0e97c534bd8062a5"),
    (council(BOL), RDF.type, CSKG.Council),
    (council(BOL), SKOS.altLabel, Literal("Bolton Council")),
    # "upgraded to "good" overall after the visit ... in April and May this year"
    *inspection(BOL, "2018-04", CSKG.fieldworkStart, Literal("2018-04", datatype=XSD.gYearMonth)),
    (event(BOL, "2018-04"), CSKG.fieldworkEnd, Literal("2018-05", datatype=XSD.gYearMonth)),
    *judgement(BOL, "2018-04", "overall-effectiveness", "good"),
    # "The department overall, as well as its leadership and child protection work, had
    #  previously been rated as "requires improvement"" ; "in 2014"
    *inspection(BOL, "2014", CSKG.reportedDate, year("2014")),
    *judgement(BOL, "2014", "overall-effectiveness", "requires-improvement"),
    *judgement(BOL, "2014", "leadership-management-and-governance", "requires-improvement"),
    *judgement(BOL, "2014", "help-and-protection", "requires-improvement"),
    # "Ann Cunliffe, the council's lead member for education, schools, safeguarding and
    #  looked-after children"
    *post_holding(BOL, "ann-cunliffe", "Ann Cunliffe",
                  "lead member for education, schools, safeguarding and looked-after children",
                  "2018-06-13", BOLTON),
]

# Statements the articles leave to the reader's inference, reified as cskg:InferredStatement.
INFERRED: dict[str, list[Triple]] = {
    TRI: [
        (ID[f"partnership/tri-borough/shares/{s}/{TRI}/during/end"], TIME.inXSDgYear, year("2017"))
        for s in ("childrens-services", "adult-social-care", "public-health")
    ]
    + [(event(g, "2019"), CSKG.reportedDate, year("2019")) for g in (HF, KC, WM)]
    + [
        (URIRef(f"{event(HF, '2016')}/judgement/overall-effectiveness"), CSKG.grade, GRADE.good),
        (URIRef(f"{event(KC, '2016')}/judgement/overall-effectiveness"), CSKG.grade,
         GRADE.outstanding),
        (URIRef(f"{event(WM, '2016')}/judgement/overall-effectiveness"), CSKG.grade,
         GRADE.outstanding),
    ],
    BOLTON: [
        (event(BOL, "2018-04"), CSKG.fieldworkStart, Literal("2018-04", datatype=XSD.gYearMonth)),
        (event(BOL, "2018-04"), CSKG.fieldworkEnd, Literal("2018-05", datatype=XSD.gYearMonth)),
    ],
}

SEED_FILES = {TRI: "003_30c3f522f41d54ac.txt", BOLTON: "004_0e97c534bd8062a5.txt"}


def _short(term: object) -> str:
    return str(term).rsplit("/id/", 1)[-1].rsplit("#", 1)[-1]


def _id(t: Triple) -> str:
    """A readable pytest id for one expected triple."""
    s, p, o = t
    return f"{_short(s)} {_short(p)} {_short(o)}"


@pytest.mark.parametrize("slug", [TRI, BOLTON, LOOKUP])
def test_file_holds_exactly_its_own_named_graph(slug: str) -> None:
    assert named_graphs(slug) == {str(GRAPH[slug])}


@pytest.mark.parametrize("fact", TRI_FACTS, ids=_id)
def test_tri_borough_article_fact(fact: Triple) -> None:
    assert fact in _graph(TRI)


@pytest.mark.parametrize("fact", BOLTON_FACTS, ids=_id)
def test_bolton_article_fact(fact: Triple) -> None:
    assert fact in _graph(BOLTON)


@pytest.mark.parametrize("slug", [TRI, BOLTON])
def test_inferred_statements_are_reified(slug: str) -> None:
    g = _graph(slug)
    reified = {
        (g.value(n, RDF.subject), g.value(n, RDF.predicate), g.value(n, RDF.object))
        for n in g.subjects(RDF.type, CSKG.InferredStatement)
    }
    for fact in INFERRED[slug]:
        assert fact in g, _id(fact)
        assert fact in reified, _id(fact)
    for n in g.subjects(RDF.type, CSKG.InferredStatement):
        assert g.value(n, CSKG.inferenceNote) is not None
        assert str(n).startswith(f"{GRAPH[slug]}/inferred/")


@pytest.mark.parametrize("slug", [TRI, BOLTON])
def test_article_graphs_leave_council_names_to_the_reference_graph(slug: str) -> None:
    g = _graph(slug)
    for c in g.subjects(RDF.type, CSKG.Council):
        assert (c, RDFS.label, None) not in g
        assert (c, CSKG.gssCode, None) not in g


@pytest.mark.parametrize("slug", [TRI, BOLTON])
def test_quotes_and_excerpts_are_verbatim(slug: str) -> None:
    seed = SEEDS / SEED_FILES[slug]
    if not seed.exists():
        pytest.skip(f"seed text not found at {seed}")
    text = _norm(seed.read_text(encoding="utf-8"))
    g = _graph(slug)
    for prop in (CSKG.quote, CSKG.excerpt):
        for s, o in g.subject_objects(prop):
            assert _norm(str(o)) in text, f"{s}: {o}"


# --- the reference graph against la-lookup.csv --------------------------------------------

SEED_COUNCILS = [
    "E09000006", "E08000015", "E06000058", "E08000008", "E10000034",
    HF, KC, WM, BOL,
]
AUTHORITY_TYPES = {
    "London Borough": "london-borough",
    "Metropolitan District": "metropolitan-district",
    "Unitary Authority": "unitary-authority",
    "County": "county",
}
# Names users type that the CSV does not list (kept as skos:altLabel, not facts).
COMMON_NAMES = {
    KC: {"RBKC", "Royal Borough of Kensington and Chelsea"},
    HF: {"LBHF", "Hammersmith & Fulham", "London Borough of Hammersmith & Fulham"},
    WM: {"Westminster City Council", "City of Westminster"},
    "E08000015": {"Wirral Council", "Metropolitan Borough of Wirral"},
    "E09000006": {"London Borough of Bromley"},
    BOL: {"Bolton Council"},
    "E08000008": {"Tameside Council"},
    "E10000034": {"Worcestershire County Council"},
    "E06000058": {"BCP Council"},
}


@pytest.fixture(scope="module")
def lookup_rows() -> dict[str, dict[str, str]]:
    if not LA_LOOKUP.exists():
        pytest.skip(f"la-lookup.csv not found at {LA_LOOKUP} (it lives in ../shared/data)")
    with LA_LOOKUP.open(encoding="utf-8-sig", newline="") as f:
        return {row["la_code_new"]: row for row in csv.DictReader(f)}


def _one(g: Graph, s: URIRef, p: URIRef) -> object:
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s} {p}: {values}"
    return values[0]


@pytest.mark.parametrize("gss", SEED_COUNCILS)
def test_reference_graph_matches_la_lookup(gss: str, lookup_rows: dict[str, dict[str, str]]) -> None:
    row = lookup_rows[gss]
    g = _graph(LOOKUP)
    c = council(gss)
    assert (c, RDF.type, CSKG.Council) in g
    assert _one(g, c, RDFS.label) == Literal(row["local_authority_ons_name"])
    assert _one(g, c, CSKG.gssCode) == Literal(row["la_code_new"])
    assert _one(g, c, CSKG.dfeLaCode) == Literal(row["la_code"])
    assert _one(g, c, CSKG.ofstedUrn) == Literal(row["urn"])
    region = ID[f"region/{row['rgn22cd']}"]
    assert _one(g, c, CSKG.region) == region
    assert (region, RDF.type, CSKG.Region) in g
    assert _one(g, region, RDFS.label) == Literal(row["rgn22nm"])
    assert _one(g, region, CSKG.gssCode) == Literal(row["rgn22cd"])
    assert _one(g, c, CSKG.authorityType) == AUTHORITY[AUTHORITY_TYPES[row["ons_la_type"]]]
    assert _one(g, c, SDO.url) == Literal(f"https://{row['domain']}/", datatype=XSD.anyURI)
    assert _one(g, c, CSKG.statisticalGeography) == URIRef(
        f"http://statistics.data.gov.uk/id/statistical-geography/{gss}"
    )
    alt = {str(a) for a in g.objects(c, SKOS.altLabel)}
    assert COMMON_NAMES[gss] <= alt
    # also_known_as is "[name, name]" and a name may itself hold ", ", so check that the
    # altLabels taken from it rebuild the cell exactly, in some order.
    cell = row["also_known_as"].strip()
    if cell:
        from_csv = alt - COMMON_NAMES[gss]
        rest = cell.removeprefix("[").removesuffix("]")
        for name in sorted(from_csv, key=len, reverse=True):
            assert name in rest, f"altLabel {name!r} is not in also_known_as {cell!r}"
            rest = rest.replace(name, "", 1)
        assert re.fullmatch(r"(, )*", rest), f"also_known_as {cell!r} not covered by {alt}"
    else:
        assert alt == COMMON_NAMES[gss]


def test_reference_graph_holds_only_the_nine_councils() -> None:
    g = _graph(LOOKUP)
    assert set(g.subjects(RDF.type, CSKG.Council)) == {council(x) for x in SEED_COUNCILS}
    assert (ID["source/la-lookup"], RDF.type, CSKG.Dataset) in g
    assert (ID["source/la-lookup"], DCTERMS.publisher, ID["org/data-to-insight"]) in g
    assert (GRAPH[LOOKUP], PROV.wasDerivedFrom, ID["source/la-lookup"]) in g


_CACHE: dict[str, Graph] = {}


def _graph(slug: str) -> Graph:
    if slug not in _CACHE:
        _CACHE[slug] = load(slug)
    return _CACHE[slug]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()
