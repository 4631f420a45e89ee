"""The facts seeds 000, 001 and 002 state are in their named graphs, quoted verbatim.

Each expectation is a (subject, predicate, object) triple that must be in the article's own
named graph; the lists follow the articles sentence by sentence.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import Node

GRAPHS = Path(__file__).parents[1] / "graphs"
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"

CSKG = Namespace("https://w3id.org/cskg/def#")
ID = Namespace("https://w3id.org/cskg/id/")
GRAPH = Namespace("https://w3id.org/cskg/graph/")
SCHEMA = Namespace("https://schema.org/")
VOCAB = "https://w3id.org/cskg/vocab/"
GRADE, AREA, THEME, SERVICE, KIND, ROLE, TENURE, STATUS, SECTOR = (
    Namespace(f"{VOCAB}{scheme}/")
    for scheme in (
        "grade", "area", "theme", "service", "kind", "role", "tenure", "status", "sector"
    )
)

Triple = tuple[Node, Node, Node]


def ym(value: str) -> Literal:
    return Literal(value, datatype=XSD.gYearMonth)


def year(value: str) -> Literal:
    return Literal(value, datatype=XSD.gYear)


def day(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def ordinal(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.positiveInteger)


def inadequate(event: URIRef, council: URIRef, reported: Literal) -> list[Triple]:
    """An earlier full inspection, its reported date and its inadequate overall judgement."""
    judgement = URIRef(f"{event}/judgement/overall-effectiveness")
    return [
        (event, RDF.type, CSKG.FullInspection),
        (event, CSKG.inspectedAuthority, council),
        (event, CSKG.reportedDate, reported),
        (judgement, RDF.type, CSKG.Judgement),
        (judgement, CSKG.ofEvent, event),
        (judgement, CSKG.judgementArea, AREA["overall-effectiveness"]),
        (judgement, CSKG.grade, GRADE.inadequate),
    ]


def post_holding(gss: str, role: str, person: str, name: str, title: str, slug: str
                 ) -> list[Triple]:
    """A person holding a council post, with the title as the article writes it."""
    council = ID[f"council/{gss}"]
    post = ID[f"council/{gss}/post/{role}"]
    holding = ID[f"council/{gss}/post/{role}/{person}/{slug}"]  # the source's holding
    return [
        (ID[f"person/{person}"], RDF.type, SCHEMA.Person),
        (ID[f"person/{person}"], RDFS.label, Literal(name)),
        (post, RDF.type, ORG.Post),
        (post, ORG.postIn, council),
        (post, ORG.role, ROLE[role]),
        (holding, RDF.type, CSKG.PostHolding),
        (holding, ORG.member, ID[f"person/{person}"]),
        (holding, ORG.organization, council),
        (holding, ORG.role, ROLE[role]),
        (holding, CSKG.post, post),
        (holding, CSKG.titleInSource, Literal(title)),
    ]


# --------------------------------------------------------------------------- seed 000

S000 = "2018-04-10-childrens-centre-support-at-inadequate-council"
BROMLEY, WIRRAL = ID["council/E09000006"], ID["council/E08000015"]
BROMLEY_MV = ID["event/E09000006/monitoring-visit/2018-03"]
BROMLEY_INSP = ID["event/E09000006/inspection/2016-06"]
WIRRAL_MV = ID["event/E08000015/monitoring-visit/2018-03"]
WIRRAL_INSP = ID["event/E08000015/inspection/2016-09"]
SUTTON_CLAIM = ID[f"source/{S000}/claim/1"]

FACTS_000: list[Triple] = [
    (ID[f"source/{S000}"], RDF.type, CSKG.NewsArticle),
    (ID[f"source/{S000}"], DCTERMS.title,
     Literal("Inspectors praise children's centre support at 'inadequate' council")),
    (ID[f"source/{S000}"], DCTERMS.creator, ID["person/joe-lepper"]),
    (ID[f"source/{S000}"], DCTERMS.publisher, ID["org/cyp-now"]),
    (ID[f"source/{S000}"], DCTERMS.issued, day("2018-04-10")),
    (ID[f"source/{S000}"], DCTERMS.identifier, Literal("seed:000_37a6102dc40b1b8f")),
    (ID["person/joe-lepper"], RDFS.label, Literal("Joe Lepper")),
    (ID["org/cyp-now"], RDF.type, CSKG.NewsPublisher),
    (ID["org/ofsted"], RDF.type, CSKG.Inspectorate),
    # Bromley
    (BROMLEY, RDF.type, CSKG.Council),
    (BROMLEY, SKOS.altLabel, Literal("London Borough of Bromley")),
    *inadequate(BROMLEY_INSP, BROMLEY, ym("2016-06")),
    (BROMLEY_MV, RDF.type, CSKG.MonitoringVisit),
    (BROMLEY_MV, CSKG.inspectedAuthority, BROMLEY),
    (BROMLEY_MV, CSKG.fieldworkStart, ym("2018-03")),
    (BROMLEY_MV, CSKG.visitOrdinal, ordinal(6)),
    (BROMLEY_MV, CSKG.focus, SERVICE["early-help"]),
    (BROMLEY_MV, CSKG.focusText,
     Literal("progress to improve early help for children and families")),
    (BROMLEY_MV, CSKG.followsJudgement, URIRef(f"{BROMLEY_INSP}/judgement/overall-effectiveness")),
    (BROMLEY_MV, PROV.wasAssociatedWith, ID["org/ofsted"]),
    (GRAPH[f"{S000}/inferred/1"], RDF.subject, BROMLEY_MV),
    (GRAPH[f"{S000}/inferred/1"], RDF.predicate, CSKG.fieldworkStart),
    (URIRef(f"{BROMLEY_MV}/finding/{S000}/1"), CSKG.findingKind, KIND.strength),
    (URIRef(f"{BROMLEY_MV}/finding/{S000}/1"), DCTERMS.subject, THEME["childrens-centres"]),
    (URIRef(f"{BROMLEY_MV}/finding/{S000}/2"), CSKG.findingKind, KIND.strength),
    (URIRef(f"{BROMLEY_MV}/finding/{S000}/6"), CSKG.findingKind, KIND["area-for-improvement"]),
    (URIRef(f"{BROMLEY_MV}/finding/{S000}/6"), DCTERMS.subject, THEME["voice-of-the-child"]),
    # the Sutton Trust
    (ID["org/sutton-trust"], RDF.type, CSKG.Charity),
    (SUTTON_CLAIM, RDF.type, CSKG.Claim),
    (SUTTON_CLAIM, CSKG.claimedBy, ID["org/sutton-trust"]),
    (SUTTON_CLAIM, DCTERMS.subject, THEME["childrens-centres"]),
    (SUTTON_CLAIM, CSKG.reportedDate, ym("2018-04")),
    (GRAPH[f"{S000}/inferred/2"], RDF.subject, SUTTON_CLAIM),
    # Wirral
    (WIRRAL, RDF.type, CSKG.Council),
    (WIRRAL, SKOS.altLabel, Literal("Wirral council")),
    (WIRRAL, SKOS.altLabel, Literal("Wirral Council")),
    *inadequate(WIRRAL_INSP, WIRRAL, ym("2016-09")),
    (WIRRAL_MV, RDF.type, CSKG.MonitoringVisit),
    (WIRRAL_MV, CSKG.inspectedAuthority, WIRRAL),
    (WIRRAL_MV, CSKG.fieldworkStart, ym("2018-03")),
    (WIRRAL_MV, CSKG.visitOrdinal, ordinal(5)),
    (WIRRAL_MV, CSKG.focus, SERVICE["front-door"]),
    (WIRRAL_MV, CSKG.followsJudgement, URIRef(f"{WIRRAL_INSP}/judgement/overall-effectiveness")),
    (GRAPH[f"{S000}/inferred/3"], RDF.subject, WIRRAL_MV),
    (URIRef(f"{WIRRAL_MV}/finding/{S000}/1"), CSKG.findingKind, KIND.strength),
    (URIRef(f"{WIRRAL_MV}/finding/{S000}/2"), DCTERMS.subject, THEME["domestic-abuse"]),
    (URIRef(f"{WIRRAL_MV}/finding/{S000}/3"), DCTERMS.subject, THEME.assessments),
]

# --------------------------------------------------------------------------- seed 001

S001 = "undated-bcp-front-door-monitoring-visit"
BCP = ID["council/E06000058"]
BCP_INSP = ID["event/E06000058/inspection/2021"]
BCP_MV1 = ID["event/E06000058/monitoring-visit/2022-06"]
BCP_MV6 = ID["event/E06000058/monitoring-visit/visit-6"]
MASH = ID["partnership/bcp-multi-agency-safeguarding-hub"]

FACTS_001: list[Triple] = [
    (ID[f"source/{S001}"], RDF.type, CSKG.NewsArticle),
    (ID[f"source/{S001}"], DCTERMS.identifier, Literal("seed:001_596591e3e71dd367")),
    (BCP, RDF.type, CSKG.Council),
    (BCP, SKOS.altLabel, Literal("BCP Council")),
    *inadequate(BCP_INSP, BCP, year("2021")),
    (BCP_INSP, PROV.wasAssociatedWith, ID["org/ofsted"]),
    (BCP_MV1, RDF.type, CSKG.MonitoringVisit),
    (BCP_MV1, CSKG.fieldworkStart, ym("2022-06")),
    (BCP_MV1, CSKG.visitOrdinal, ordinal(1)),
    (BCP_MV1, CSKG.focus, SERVICE["front-door"]),
    (BCP_MV6, RDF.type, CSKG.MonitoringVisit),
    (BCP_MV6, CSKG.inspectedAuthority, BCP),
    (BCP_MV6, CSKG.visitOrdinal, ordinal(6)),
    (BCP_MV6, CSKG.focus, SERVICE["front-door"]),
    (BCP_MV6, CSKG.focusText, Literal("the council’s ‘front door’ service")),
    (BCP_MV6, CSKG.finalVisit, Literal(True)),
    (BCP_MV6, CSKG.followsJudgement, URIRef(f"{BCP_INSP}/judgement/overall-effectiveness")),
    (URIRef(f"{BCP_MV6}/finding/{S001}/5"), DCTERMS.subject, THEME["quality-of-referrals"]),
    (URIRef(f"{BCP_MV6}/finding/{S001}/6"), CSKG.findingKind, KIND["area-for-improvement"]),
    (URIRef(f"{BCP_MV6}/finding/{S001}/6"), CSKG.quote, Literal("critical")),
    (URIRef(f"{BCP_MV6}/finding/{S001}/7"), DCTERMS.subject, THEME["workforce-stability"]),
    # the MASH and its members
    (MASH, RDF.type, CSKG.MultiAgencySafeguardingHub),
    (URIRef(f"{MASH}/member/E06000058/{S001}"), ORG.organization, MASH),
    (URIRef(f"{MASH}/member/E06000058/{S001}"), ORG.member, BCP),
    *(
        triple
        for sector in ("police", "health", "education")
        for triple in (
            (URIRef(f"{MASH}/member/bcp-mash-partner-{sector}/{S001}"), ORG.organization, MASH),
            (URIRef(f"{MASH}/member/bcp-mash-partner-{sector}/{S001}"), ORG.member,
             ID[f"org/bcp-mash-partner-{sector}"]),
            (ID[f"org/bcp-mash-partner-{sector}"], RDF.type, ORG.Organization),
            (ID[f"org/bcp-mash-partner-{sector}"], CSKG.sector, SECTOR[sector]),
        )
    ),
    # people and posts
    *post_holding("E06000058", "director-of-childrens-services", "cathi-hadley", "Cathi Hadley",
                  "director of children’s services", S001),
    *post_holding("E06000058", "lead-member-for-childrens-services", "richard-burton",
                  "Richard Burton", "portfolio holder for children and young people", S001),
    (ID[f"source/{S001}/claim/1"], CSKG.claimedBy, ID["person/cathi-hadley"]),
    (ID[f"source/{S001}/claim/5"], CSKG.claimedBy, ID["person/richard-burton"]),
]

# --------------------------------------------------------------------------- seed 002

S002 = "2018-05-14-progress-at-two-inadequate-councils"
TAMESIDE, WORCS = ID["council/E08000008"], ID["council/E10000034"]
TAMESIDE_INSP = ID["event/E08000008/inspection/2016-12"]
TAMESIDE_MV = ID["event/E08000008/monitoring-visit/visit-5"]
WORCS_INSP = ID["event/E10000034/inspection/2016-11"]
WORCS_MV = ID["event/E10000034/monitoring-visit/visit-children-in-care"]
THOMAS = ID[f"council/E08000008/post/director-of-childrens-services/james-thomas/{S002}"]
WORCS_DELIVERY = ID[f"council/E10000034/delivery/childrens-services/{S002}"]
WORCS_TRUST = ID["org/worcestershire-independent-childrens-services-trust"]

FACTS_002: list[Triple] = [
    (ID[f"source/{S002}"], DCTERMS.title,
     Literal("Inspectors praise progress at two 'inadequate' councils")),
    (ID[f"source/{S002}"], DCTERMS.creator, ID["person/neil-puffett"]),
    (ID[f"source/{S002}"], DCTERMS.issued, day("2018-05-14")),
    (ID[f"source/{S002}"], DCTERMS.identifier, Literal("seed:002_caef01f1ead83dd8")),
    # Tameside
    (TAMESIDE, RDF.type, CSKG.Council),
    (TAMESIDE, SKOS.altLabel, Literal("Tameside Council")),
    *inadequate(TAMESIDE_INSP, TAMESIDE, ym("2016-12")),
    (TAMESIDE_MV, RDF.type, CSKG.MonitoringVisit),
    (TAMESIDE_MV, CSKG.inspectedAuthority, TAMESIDE),
    (TAMESIDE_MV, CSKG.visitOrdinal, ordinal(5)),
    (TAMESIDE_MV, CSKG.focus, SERVICE["early-help"]),
    (TAMESIDE_MV, CSKG.focusText, Literal("early help provision")),
    (TAMESIDE_MV, CSKG.followsJudgement,
     URIRef(f"{TAMESIDE_INSP}/judgement/overall-effectiveness")),
    (URIRef(f"{TAMESIDE_MV}/finding/{S002}/2"), DCTERMS.subject, THEME.leadership),
    (URIRef(f"{TAMESIDE_MV}/finding/{S002}/5"), DCTERMS.subject, THEME["workforce-stability"]),
    (URIRef(f"{TAMESIDE_MV}/finding/{S002}/7"), CSKG.findingKind, KIND["area-for-improvement"]),
    (URIRef(f"{TAMESIDE_MV}/finding/{S002}/8"), DCTERMS.subject, THEME["voice-of-the-child"]),
    *post_holding("E08000008", "director-of-childrens-services", "james-thomas", "James Thomas",
                  "interim director of children's services", S002),
    (THOMAS, CSKG.tenure, TENURE.interim),
    (THOMAS, CSKG.attestedOn, day("2018-05-14")),
    (THOMAS, ORG.memberDuring, URIRef(f"{THOMAS}/during")),
    (URIRef(f"{THOMAS}/during"), TIME.hasBeginning, URIRef(f"{THOMAS}/during/start")),
    (URIRef(f"{THOMAS}/during/start"), TIME.inXSDgYear, year("2017")),
    (GRAPH[f"{S002}/inferred/1"], RDF.subject, URIRef(f"{THOMAS}/during/start")),
    (GRAPH[f"{S002}/inferred/1"], RDF.predicate, TIME.inXSDgYear),
    # Worcestershire
    (WORCS, RDF.type, CSKG.Council),
    (WORCS, SKOS.altLabel, Literal("Worcestershire")),
    *inadequate(WORCS_INSP, WORCS, ym("2016-11")),
    (WORCS_DELIVERY, RDF.type, CSKG.DeliveryArrangement),
    (WORCS_DELIVERY, CSKG.deliveredFor, WORCS),
    (WORCS_DELIVERY, CSKG.deliveredBy, WORCS_TRUST),
    (WORCS_DELIVERY, CSKG.service, SERVICE["childrens-services"]),
    (WORCS_DELIVERY, CSKG.status, STATUS["being-established"]),
    (WORCS_DELIVERY, CSKG.attestedOn, day("2018-05-14")),
    (WORCS_TRUST, RDF.type, CSKG.ChildrensServicesTrust),
    (WORCS_MV, RDF.type, CSKG.MonitoringVisit),
    (WORCS_MV, CSKG.inspectedAuthority, WORCS),
    (WORCS_MV, CSKG.focus, SERVICE["children-in-care"]),
    (WORCS_MV, CSKG.focusText, Literal("services for children in care")),
    (WORCS_MV, CSKG.followsJudgement, URIRef(f"{WORCS_INSP}/judgement/overall-effectiveness")),
    (URIRef(f"{WORCS_MV}/finding/{S002}/5"), DCTERMS.subject, THEME["placement-stability"]),
]

ARTICLES = {
    S000: ("000_37a6102dc40b1b8f", FACTS_000),
    S001: ("001_596591e3e71dd367", FACTS_001),
    S002: ("002_caef01f1ead83dd8", FACTS_002),
}


@cache
def dataset(slug: str) -> Dataset:
    ds = Dataset()
    ds.parse(GRAPHS / f"{slug}.trig", format="trig")
    return ds


def named_graphs(slug: str) -> set[Node]:
    return {g for _, _, _, g in dataset(slug).quads((None, None, None, None)) if g is not None}


@pytest.mark.parametrize("slug", ARTICLES)
def test_file_holds_exactly_its_own_named_graph(slug: str) -> None:
    assert named_graphs(slug) == {GRAPH[slug]}


@pytest.mark.parametrize(
    ("slug", "triple"),
    [(slug, triple) for slug, (_, facts) in ARTICLES.items() for triple in facts],
    ids=lambda v: v if isinstance(v, str) else " ".join(t.n3() for t in v)[-90:],
)
def test_article_fact_is_in_its_graph(slug: str, triple: Triple) -> None:
    assert triple in dataset(slug).graph(GRAPH[slug])


@pytest.mark.parametrize("slug", ARTICLES)
def test_graph_describes_itself_and_its_source(slug: str) -> None:
    graph = dataset(slug).graph(GRAPH[slug])
    source = ID[f"source/{slug}"]
    assert (GRAPH[slug], RDF.type, CSKG.SourceGraph) in graph
    assert (GRAPH[slug], PROV.wasDerivedFrom, source) in graph
    assert (GRAPH[slug], PROV.wasGeneratedBy, GRAPH[f"{slug}/curation"]) in graph
    assert (source, DCTERMS.identifier, Literal(f"seed:{ARTICLES[slug][0]}")) in graph
    assert graph.value(source, RDFS.label) is not None


def test_untitled_undated_article_has_no_title_date_or_publisher() -> None:
    graph = dataset(S001).graph(GRAPH[S001])
    source = ID[f"source/{S001}"]
    for absent in (DCTERMS.title, DCTERMS.issued, DCTERMS.publisher, DCTERMS.creator):
        assert graph.value(source, absent) is None


def test_undated_visits_carry_no_date() -> None:
    dates = (CSKG.fieldworkStart, CSKG.fieldworkEnd, CSKG.publicationDate, CSKG.reportedDate)
    for slug, visit in ((S001, BCP_MV6), (S002, TAMESIDE_MV), (S002, WORCS_MV)):
        graph = dataset(slug).graph(GRAPH[slug])
        assert all(graph.value(visit, p) is None for p in dates), visit
    assert dataset(S002).graph(GRAPH[S002]).value(WORCS_MV, CSKG.visitOrdinal) is None


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not available")
@pytest.mark.parametrize("slug", ARTICLES)
def test_quotes_and_excerpts_are_verbatim(slug: str) -> None:
    seed = _normalise((SEEDS / f"{ARTICLES[slug][0]}.txt").read_text(encoding="utf-8"))
    graph = dataset(slug).graph(GRAPH[slug])
    texts = [str(o) for p in (CSKG.quote, CSKG.excerpt) for o in graph.objects(None, p)]
    assert texts
    assert [t for t in texts if _normalise(t) not in seed] == []
