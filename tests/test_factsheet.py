"""YAML fact sheets (cskg.factsheet): the Bolton example reproduces its curated graph,
IRIs follow docs/model.md, every section converts and validates, and mistakes are
reported with the file, the line and close suggestions."""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic

from cskg.addition import Addition, StoreResolver
from cskg.errors import InputError, SyntaxProblem, UnknownName
from cskg.factsheet import load_sheet, slugify
from cskg.project import Project
from cskg.store import GraphStore, build, open_store
from cskg.validation import load_shapes, run_pyshacl

ROOT = Path(__file__).resolve().parents[1]
BOLTON = "2018-06-13-bolton-childrens-services-rated-good"
EXAMPLE = ROOT / "examples" / f"{BOLTON}.yaml"
CURATED = ROOT / "graphs" / f"{BOLTON}.trig"

CSKG = "https://w3id.org/cskg/def#"
ID = "https://w3id.org/cskg/id/"
GRAPH = "https://w3id.org/cskg/graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


# --- fixtures ------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """The project's store built WITHOUT the Bolton article's graph."""
    root = tmp_path_factory.mktemp("factsheet") / "project"
    for part in ("ontology", "shapes", "graphs", "queries"):
        shutil.copytree(ROOT / part, root / part)
    (root / "graphs" / f"{BOLTON}.trig").unlink()
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CSKG_STORE", raising=False)
        mp.delenv("CSKG_HOME", raising=False)
        project = Project(root)
        build(project)
        opened = open_store(project, rebuild=False)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def resolver(store: GraphStore) -> StoreResolver:
    return StoreResolver(store)


@pytest.fixture(scope="module")
def example(resolver: StoreResolver) -> Addition:
    return load_sheet(EXAMPLE, "examples/bolton.yaml", resolver)


def write(tmp_path: Path, text: str, name: str = "sheet.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def triples_graph(quads: list[ox.Quad]) -> Graph:
    """An rdflib Graph of the quads' triples (via N-Triples, so literals compare as parsed)."""
    data = ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES
    )
    graph = Graph()
    graph.parse(data=bytes(data).decode("utf-8"), format="nt")
    return graph


def generated_at(addition: Addition) -> str:
    """The graph's prov:generatedAtTime exactly as written (rdflib would normalise it)."""
    found = [
        q.object.value
        for q in addition.quads
        if q.subject.value == addition.graph
        and q.predicate.value == "http://www.w3.org/ns/prov#generatedAtTime"
    ]
    assert len(found) == 1
    return str(found[0])


def without_provenance(graph: Graph, graph_iri: str) -> Graph:
    """The graph minus the triples about the graph itself and its curation activity."""
    dropped = {URIRef(graph_iri), URIRef(graph_iri + "/curation")}
    out = Graph()
    for s, p, o in graph:
        if s not in dropped:
            out.add((s, p, o))
    return out


SOURCE = """
source:
  title: A test article about children's services
  author: Test Writer
  publisher: Test News
  date: 2018-04-10
"""

# A made-up article (for tests only) that uses every section of a fact sheet.
ALL_SECTIONS = """
source:
  kind: news article
  title: Safeguarding hub, trust and monitoring visits in London and the north west
  authors: [Joe Lepper, Jane Reporter]
  publisher: CYP Now
  date: 2019-11-20
  url: https://www.cypnow.co.uk/news/example-article

councils:
  - id: wm
    council: E09000033
    names: [Westminster City Council]
  - id: kc
    names: [Kensington and Chelsea]
  - id: bromley
    names: [London Borough of Bromley, Bromley]
  - Wirral Council

organisations:
  - id: met
    name: Metropolitan Police
    type: organisation
    sector: police
  - id: trust
    name: Bromley Children's Trust
    label: Bromley Children's Trust (being set up)
    type: trust
  - id: sutton
    name: The Sutton Trust
    type: charity

partnerships:
  - id: adoption
    name: Test regional adoption partnership
    members:
      - Wirral Council
      - council: Bolton
        from: 2017-07
    shares:
      - service: adoption and fostering
        from: 2017-07
  - id: hub
    name: Bi-borough multi-agency safeguarding hub
    names: [bi-borough Mash]
    type: mash
    part of: cskgid:partnership/bi-borough
    members:
      - wm
      - council: kc
        from: 2019-04
      - organisation: met
        from: {value: 2019, inferred: "Year inferred from the article's date; it says the police joined 'this year'."}
    shares:
      - front door
      - service: mash
        from: 2019-04
        to: 2019-10-31
        labels: {during: The hub's first months}

delivery:
  - council: bromley
    delivered by: trust
    service: children's services
    status: being established
    from: 2020

events:
  - id: bromley-2016
    type: full inspection
    council: bromley
    reported: 2016-06
    framework: SIF
    judgements:
      overall effectiveness: inadequate
      leadership:
        grade: inadequate
        inferred: The article says leaders were criticised, not how they were graded.
  - id: bromley-mv7
    type: monitoring visit
    council: bromley
    fieldwork: {start: 2018-05-14, end: 2018-05-15}
    published: 2018-06
    ordinal: 7
    focus: help and protection
    focus text: children who need help and protection
    final visit: true
    follows: bromley-2016
    findings:
      - kind: strength
        themes: [management oversight, workforce stability]
        service: help and protection
        excerpt: Managers now oversee casework closely. Staffing is more stable.
        quotes: ["Management oversight is now consistent", "Fewer agency staff"]
  - type: monitoring visit
    council: Wirral
    fieldwork: 2018-06
    ordinal: 6
    focus: front door
    follows: cskgid:event/E08000015/inspection/2016-09
  - type: focused visit
    council: wm
    fieldwork: 2019-02
    focus: care leavers
    focus text: services for care leavers
  - type: jtai
    council: kc
    reported: 2019
    focus: help and protection
    focus text: the multi-agency response to neglect
    findings:
      - kind: area for improvement
        theme: neglect
        excerpt: Partners do not always recognise neglect early enough.
  - type: full inspection
    council: wm
    fieldwork: {start: 2019-09-09, end: 2019-09-20}
    published: 2019-10-25
    framework: ILACS
    format: short
    judgements:
      overall effectiveness: outstanding
      leadership: outstanding

people:
  - id: dcs
    name: Janet Example
    council: bromley
    role: DCS
    title: interim director of children's services
    tenure: interim
    from: {value: 2017, inferred: "The article says she was appointed 'two years ago'."}
    to: 2019-03
  - id: spokes
    name: Sam Spokesperson

claims:
  - by: dcs
    quote: We have turned a corner.
    themes: [leadership]
  - by: sutton
    excerpt: The Sutton Trust said many children's centres have closed.
    theme: children's centres
    date: {value: 2019-11, inferred: "'Earlier this month' in an article of 20 November 2019."}
  - by: spokes
    excerpt: A spokesperson said the hub would open in April.

political control:
  - council: wm
    party: Conservative Party
  - council: Wirral
    party: Labour Party
    attested: 2019-05
"""


@pytest.fixture(scope="module")
def all_sections(resolver: StoreResolver, tmp_path_factory: pytest.TempPathFactory) -> Addition:
    path = write(tmp_path_factory.mktemp("sheets"), ALL_SECTIONS, "all-sections.yaml")
    return load_sheet(path, "all-sections.yaml", resolver)


# --- the example reproduces the curated graph -----------------------------------


def test_example_reproduces_curated_graph(example: Addition) -> None:
    assert example.graph == GRAPH + BOLTON
    curated = Dataset()
    curated.parse(CURATED, format="trig")
    expected = without_provenance(curated.graph(URIRef(example.graph)), example.graph)
    produced = without_provenance(triples_graph(example.quads), example.graph)
    _both, only_sheet, only_curated = graph_diff(produced, expected)
    assert isomorphic(produced, expected), (
        "only from the sheet:\n"
        + "\n".join(map(str, sorted(only_sheet)))
        + "\nonly in the curated file:\n"
        + "\n".join(map(str, sorted(only_curated)))
    )


def test_example_is_one_named_graph_that_describes_itself(example: Addition) -> None:
    assert {q.graph_name.value for q in example.quads} == {example.graph}
    g = triples_graph(example.quads)
    me, source = URIRef(example.graph), URIRef(f"{ID}source/{BOLTON}")
    activity = URIRef(example.graph + "/curation")
    prov = "http://www.w3.org/ns/prov#"
    assert (me, URIRef(RDF_TYPE), URIRef(CSKG + "SourceGraph")) in g
    assert (me, URIRef(prov + "wasDerivedFrom"), source) in g
    assert (me, URIRef(prov + "wasGeneratedBy"), activity) in g
    assert generated_at(example) == "2026-11-22T00:00:00Z"
    assert (activity, URIRef(RDF_TYPE), URIRef(prov + "Activity")) in g
    assert (activity, URIRef(prov + "used"), source) in g
    assert g.value(me, URIRef(RDFS_LABEL)) and g.value(activity, URIRef(RDFS_LABEL))
    assert example.source_text == EXAMPLE.read_text(encoding="utf-8")


def test_example_lines_point_at_the_entries(example: Addition) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert example.subjects() <= set(example.lines)
    event = f"{ID}event/E08000001/inspection/2018-04"
    assert "id: inspection-2018" in lines[example.lines[event] - 1]
    assert "id: inspection-2014" in lines[example.lines[f"{ID}event/E08000001/inspection/2014"] - 1]
    assert (
        "leadership:"
        in lines[
            example.lines[
                f"{ID}event/E08000001/inspection/2014/judgement/leadership-management-and-governance"
            ]
            - 1
        ]
    )
    finding3 = lines[example.lines[f"{event}/finding/{BOLTON}/3"] - 1]
    assert finding3.strip().startswith("- kind:")
    assert "Strategy meetings" in "\n".join(lines[example.lines[f"{event}/finding/{BOLTON}/3"] - 1 :][:5])
    assert "name: Ann Cunliffe" in "\n".join(
        lines[example.lines[f"{ID}person/ann-cunliffe"] - 1 :][:2]
    )
    claim2 = example.lines[f"{ID}source/{BOLTON}/claim/2"]
    assert lines[claim2 - 1].strip() == "- by: ann-cunliffe"
    assert example.where(f"{ID}person/ann-cunliffe").startswith("examples/bolton.yaml:")


def test_loading_is_deterministic(resolver: StoreResolver, tmp_path: Path) -> None:
    first = load_sheet(EXAMPLE, "a.yaml", resolver)
    second = load_sheet(EXAMPLE, "a.yaml", resolver)
    assert sorted(map(str, first.quads)) == sorted(map(str, second.quads))
    assert first.quads == second.quads
    assert first.lines == second.lines
    sheet = write(tmp_path, ALL_SECTIONS)
    assert (
        load_sheet(sheet, "s.yaml", resolver).quads == load_sheet(sheet, "s.yaml", resolver).quads
    )


# --- IRIs follow docs/model.md ---------------------------------------------------

_GSS = r"[EWSN][0-9]{8}"
_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_KEY = r"[0-9]{4}(?:-[0-9]{2}){0,2}"
_EVENT = rf"event/{_GSS}/(?:inspection|monitoring-visit|focused-visit|jtai)/(?:{_KEY}|visit-[0-9]+|{_SLUG})(?:-[0-9]+)?"
_PARTNERSHIP = rf"partnership/{_SLUG}"
_ENTITY = [
    rf"council/{_GSS}",
    _EVENT,
    rf"{_EVENT}/judgement/{_SLUG}",
    rf"{_EVENT}/finding/{_SLUG}/[1-9][0-9]*",
    rf"person/{_SLUG}",
    rf"council/{_GSS}/post/{_SLUG}",
    rf"council/{_GSS}/post/{_SLUG}/{_SLUG}/{_SLUG}",
    _PARTNERSHIP,
    rf"{_PARTNERSHIP}/member/(?:{_GSS}|{_SLUG})/{_SLUG}",
    rf"{_PARTNERSHIP}/shares/{_SLUG}/{_SLUG}",
    rf"council/{_GSS}/delivery/{_SLUG}/{_SLUG}",
    rf"org/{_SLUG}",
    rf"source/{_SLUG}",
    rf"source/{_SLUG}/claim/[1-9][0-9]*",
    rf"council/{_GSS}/control/{_SLUG}/{_SLUG}",
]
_INTERVAL_OWNERS = [
    rf"council/{_GSS}/post/{_SLUG}/{_SLUG}/{_SLUG}",
    rf"{_PARTNERSHIP}/member/(?:{_GSS}|{_SLUG})/{_SLUG}",
    rf"{_PARTNERSHIP}/shares/{_SLUG}/{_SLUG}",
    rf"council/{_GSS}/delivery/{_SLUG}/{_SLUG}",
]


def _follows_model(iri: str, graph: str) -> bool:
    slug = graph[len(GRAPH) :]
    if iri in (graph, graph + "/curation") or re.fullmatch(
        re.escape(graph) + r"/inferred/[1-9][0-9]*", iri
    ):
        return re.fullmatch(_SLUG, slug) is not None
    if not iri.startswith(ID):
        return False
    local = iri[len(ID) :]
    patterns = _ENTITY + [rf"(?:{o})/during(?:/start|/end)?" for o in _INTERVAL_OWNERS]
    return any(re.fullmatch(p, local) for p in patterns)


@pytest.mark.parametrize("which", ["example", "all_sections"])
def test_every_iri_follows_the_model(which: str, request: pytest.FixtureRequest) -> None:
    addition: Addition = request.getfixturevalue(which)
    g = triples_graph(addition.quads)
    minted = {str(s) for s in g.subjects()} | {
        str(o) for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(ID)
    }
    bad = sorted(i for i in minted if not _follows_model(i, addition.graph))
    assert not bad, bad
    assert addition.subjects() <= set(addition.lines), "every entity has a line"
    cskg = lambda name: URIRef(CSKG + name)
    for event in g.subjects(cskg("inspectedAuthority"), None):
        council = str(g.value(event, cskg("inspectedAuthority")))
        gss = council.rsplit("/", 1)[-1]
        assert council == f"{ID}council/{gss}" and re.fullmatch(_GSS, gss)
        kind = {
            "FullInspection": "inspection",
            "MonitoringVisit": "monitoring-visit",
            "FocusedVisit": "focused-visit",
            "JointTargetedAreaInspection": "jtai",
        }
        types = [str(t)[len(CSKG) :] for t in g.objects(event, URIRef(RDF_TYPE))]
        dates = [
            g.value(event, cskg(p)) for p in ("fieldworkStart", "publicationDate", "reportedDate")
        ]
        first = next((str(d) for d in dates if d is not None), None)
        ordinal = g.value(event, cskg("visitOrdinal"))
        key = first or f"visit-{ordinal}"
        assert str(event) == f"{ID}event/{gss}/{kind[types[0]]}/{key}"
    for judgement in g.subjects(cskg("ofEvent"), None):
        area = str(g.value(judgement, cskg("judgementArea"))).rsplit("/", 1)[-1]
        assert str(judgement) == f"{g.value(judgement, cskg('ofEvent'))}/judgement/{area}"
    for person in g.subjects(URIRef(RDF_TYPE), URIRef("https://schema.org/Person")):
        assert str(person) == f"{ID}person/{slugify(str(g.value(person, URIRef(RDFS_LABEL))))}"
    for holding in g.subjects(URIRef(RDF_TYPE), cskg("PostHolding")):
        post = g.value(holding, cskg("post"))
        person = str(g.value(holding, URIRef("http://www.w3.org/ns/org#member"))).rsplit("/", 1)[-1]
        assert str(holding) == f"{post}/{person}/{addition.slug}"
    # Parts this source states about parents other sources also describe carry its slug.
    for finding in g.subjects(cskg("fromEvent"), None):
        event = g.value(finding, cskg("fromEvent"))
        assert re.fullmatch(re.escape(f"{event}/finding/{addition.slug}/") + "[1-9][0-9]*", str(finding))
    for part in g.subjects(URIRef("http://www.w3.org/ns/org#organization"), None):
        if (part, URIRef(RDF_TYPE), URIRef("http://www.w3.org/ns/org#Membership")) in g:
            assert str(part).endswith("/" + addition.slug)


def test_slug_and_generated_time_follow_the_model(tmp_path: Path) -> None:
    dated = load_sheet(write(tmp_path, SOURCE), "s.yaml", None)
    assert dated.graph == GRAPH + "2018-04-10-a-test-article-about-children-s-services"
    assert generated_at(dated) == "2018-04-10T00:00:00Z"
    undated = load_sheet(
        write(
            tmp_path,
            'source:\n  title: "Ofsted’s letter & the council\'s reply to it today"\n',
            "u.yaml",
        ),
        "u.yaml",
        None,
    )
    assert undated.graph == GRAPH + "undated-ofsteds-letter-and-the-council-s-reply"
    assert generated_at(undated) == "1970-01-01T00:00:00Z"
    slugged = load_sheet(
        write(
            tmp_path, SOURCE + "  slug: My Own Slug\ncurated: 2024-05-06T07:08:09+01:00\n", "c.yaml"
        ),
        "c.yaml",
        None,
    )
    assert slugged.graph == GRAPH + "2018-04-10-my-own-slug"
    assert generated_at(slugged) == "2024-05-06T06:08:09Z"


# --- names ---------------------------------------------------------------------


def test_unknown_council_raises_unknown_name_with_suggestions(
    resolver: StoreResolver, tmp_path: Path
) -> None:
    path = write(tmp_path, SOURCE + "councils:\n  - names: [Boltn]\n")
    with pytest.raises(UnknownName) as caught:
        load_sheet(path, "sheet.yaml", resolver)
    assert "Bolton" in caught.value.suggestions
    assert caught.value.message.startswith("sheet.yaml:7:")
    assert "Boltn" in caught.value.message


def test_councils_resolve_by_name_alias_or_code(resolver: StoreResolver, tmp_path: Path) -> None:
    text = (
        SOURCE
        + """
councils:
  - names: [London Borough of Bromley]
  - council: E08000015
    names: [the Wirral]
  - RBKC
"""
    )
    g = triples_graph(load_sheet(write(tmp_path, text), "s.yaml", resolver).quads)
    councils = {str(s) for s in g.subjects(URIRef(RDF_TYPE), URIRef(CSKG + "Council"))}
    assert councils == {
        f"{ID}council/E09000006",
        f"{ID}council/E08000015",
        f"{ID}council/E09000020",
    }
    alt = URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
    assert {str(o) for o in g.objects(URIRef(f"{ID}council/E08000015"), alt)} == {"the Wirral"}
    assert {str(o) for o in g.objects(URIRef(f"{ID}council/E09000020"), alt)} == {"RBKC"}


def test_without_a_resolver_only_gss_codes_name_councils(tmp_path: Path) -> None:
    ok = load_sheet(
        write(tmp_path, SOURCE + "councils:\n  - council: E08000001\n    names: [Bolton]\n"),
        "a.yaml",
        None,
    )
    assert f"{ID}council/E08000001" in ok.subjects()
    with pytest.raises(InputError, match=r"b\.yaml:7: .*GSS code"):
        load_sheet(
            write(tmp_path, SOURCE + "councils:\n  - names: [Bolton]\n", "b.yaml"), "b.yaml", None
        )


@pytest.fixture
def two_john_smiths(tmp_path: Path) -> Iterator[StoreResolver]:
    """A tiny store whose only graph holds two different people both labelled "John Smith"."""
    root = tmp_path / "tiny"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "graphs").mkdir()
    (root / "graphs" / "two-john-smiths.trig").write_text(
        textwrap.dedent("""
        @prefix graph: <https://w3id.org/cskg/graph/> .
        @prefix cskgid: <https://w3id.org/cskg/id/> .
        @prefix schema: <https://schema.org/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        graph:two-john-smiths {
            cskgid:person\\/john-smith a schema:Person ; rdfs:label "John Smith" .
            cskgid:person\\/john-smith-2 a schema:Person ; rdfs:label "John Smith" .
            cskgid:person\\/jo-bloggs a schema:Person ; rdfs:label "Jo Bloggs" .
        }
    """),
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CSKG_STORE", raising=False)
        project = Project(root)
        build(project)
        tiny = open_store(project, rebuild=False)
    yield StoreResolver(tiny)
    tiny.close()


def test_a_name_matching_two_existing_people_is_flagged(
    two_john_smiths: StoreResolver, tmp_path: Path
) -> None:
    path = write(tmp_path, SOURCE + "people:\n  - name: John Smith\n")
    with pytest.raises(InputError) as caught:
        load_sheet(path, "sheet.yaml", two_john_smiths)
    message = caught.value.message
    assert message.startswith("sheet.yaml:7:")
    assert "several existing people" in message
    assert f"{ID}person/john-smith" in message and f"{ID}person/john-smith-2" in message
    assert "iri:" in (caught.value.hint or "")
    # The same name as an author is flagged too: never merged silently.
    with pytest.raises(InputError, match="several existing people"):
        load_sheet(
            write(tmp_path, SOURCE.replace("Test Writer", "John Smith"), "a.yaml"),
            "a.yaml",
            two_john_smiths,
        )
    # An explicit iri: settles it; one match is reused; no match mints a new IRI.
    chosen = write(
        tmp_path,
        SOURCE + "people:\n  - name: John Smith\n    iri: cskgid:person/john-smith-2\n"
        "  - name: jo bloggs\n  - name: Ann New\n",
        "b.yaml",
    )
    subjects = load_sheet(chosen, "b.yaml", two_john_smiths).subjects()
    assert {f"{ID}person/john-smith-2", f"{ID}person/jo-bloggs", f"{ID}person/ann-new"} <= subjects
    assert f"{ID}person/john-smith" not in subjects


def test_known_organisations_are_reused(example: Addition, all_sections: Addition) -> None:
    assert f"{ID}org/ofsted" in example.subjects() and f"{ID}org/cyp-now" in example.subjects()
    assert f"{ID}person/joe-lepper" in example.subjects()
    # "The Sutton Trust" is the existing cskgid:org/sutton-trust, not a new org/the-sutton-trust.
    assert f"{ID}org/sutton-trust" in all_sections.subjects()
    assert f"{ID}org/the-sutton-trust" not in all_sections.subjects()
    assert f"{ID}org/conservative-party" in all_sections.subjects()


# --- mistakes name the file, the line and the field --------------------------------


@pytest.mark.parametrize(
    ("body", "line", "field", "suggestion"),
    [
        (
            (
                "events:\n  - type: full inspection\n    council: E08000001\n    reported: 2018\n"
                "    judgements:\n      overall effectiveness: goood\n"
            ),
            11,
            "judgements",
            "good",
        ),
        (
            (
                "events:\n  - type: full inspection\n    council: E08000001\n    reported: 2018\n"
                "    judgements:\n      overal effectivness: good\n"
            ),
            11,
            "judgements",
            "overall effectiveness",
        ),
        (
            (
                "events:\n  - type: monitoring visit\n    council: E08000001\n    reported: 2018\n"
                "    findings:\n      - kind: strength\n        themes: [leadership, domestik abuse]\n"
                "        excerpt: Words.\n"
            ),
            12,
            "themes",
            "domestic abuse",
        ),
        (
            (
                "events:\n  - type: monitoring visit\n    council: E08000001\n    reported: 2018\n"
                "    findings:\n      - kind: strenght\n        excerpt: Words.\n"
            ),
            11,
            "kind",
            "strength",
        ),
        (
            "events:\n  - type: monitoring vist\n    council: E08000001\n",
            7,
            "type",
            "monitoring visit",
        ),
        (
            "people:\n  - name: A Person\n    council: E08000001\n    role: lead membr\n",
            9,
            "role",
            "lead member",
        ),
    ],
)
def test_an_unknown_value_names_file_line_field_and_suggests(
    tmp_path: Path, body: str, line: int, field: str, suggestion: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_sheet(write(tmp_path, SOURCE + body), "sheet.yaml", None)
    message = caught.value.message
    assert message.startswith(f"sheet.yaml:{line}: "), message
    assert field in message
    assert "did you mean" in message and suggestion in message.lower()


def test_a_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "source:\n  title: A title\n date: 2018\n")
    with pytest.raises(SyntaxProblem) as caught:
        load_sheet(path, "broken.yaml", None)
    assert (caught.value.line, caught.value.column) == (3, 2)
    assert re.match(r"broken\.yaml:3:2: \S", caught.value.message)
    with pytest.raises(InputError, match=r"^quote\.yaml:3:1: "):
        load_sheet(
            write(tmp_path, 'source:\n  title: "unclosed\n', "quote.yaml"), "quote.yaml", None
        )


def test_an_unknown_key_names_its_line_and_the_allowed_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path, SOURCE + "people:\n  - name: A Person\n    councl: E08000001\n    role: DCS\n"
    )
    with pytest.raises(InputError) as caught:
        load_sheet(path, "sheet.yaml", None)
    assert caught.value.message.startswith("sheet.yaml:8: ")
    assert "'councl'" in caught.value.message and "'council'" in caught.value.message
    assert "council" in (caught.value.hint or "") and "tenure" in (caught.value.hint or "")
    with pytest.raises(InputError, match=r"^t\.yaml:6: .*unknown key 'finding'"):
        load_sheet(write(tmp_path, SOURCE + "finding: []\n", "t.yaml"), "t.yaml", None)


def test_other_mistakes_are_reported_not_dropped(tmp_path: Path) -> None:
    event = "events:\n  - type: full inspection\n    council: E08000001\n"
    cases = {
        event + "    reported: April 2018\n": r":9: .*reported: 'April 2018' is not a date",
        event + "    reported: 2018-13\n": r":9: .*not a date",
        event: r":7: .*needs a date",
        event + "    reported: 2018\n    ordinal: 2\n": r":10: .*ordinal",
        "events:\n  - type: monitoring visit\n    council: E08000001\n    ordinal: 1\n"
        "    findings:\n      - kind: strength\n": r":11: .*quote: or an excerpt:",
        "claims:\n  - by: Nobody Here\n    quote: Hello.\n": r":7: .*'Nobody Here' names no person",
        "  date: 2019\n": r":6: the key 'date' is given twice",
        event
        + "    reported: 2016\n    judgements: {overall effectiveness: good}\n  - type: monitoring visit\n"
        "    council: E08000001\n    ordinal: 1\n    follows: inspection-x\n": r":14: .*follows: 'inspection-x'",
    }
    for n, (body, pattern) in enumerate(cases.items()):
        path = write(tmp_path, SOURCE + body, f"case{n}.yaml")
        with pytest.raises(InputError, match=rf"^case{n}\.yaml{pattern}"):
            load_sheet(path, f"case{n}.yaml", None)


def test_follows_must_point_at_an_inadequate_judgement(tmp_path: Path) -> None:
    body = """
events:
  - id: earlier
    type: full inspection
    council: E08000001
    reported: 2016
    judgements:
      overall effectiveness: good
  - type: monitoring visit
    council: E08000001
    ordinal: 1
    follows: earlier
"""
    with pytest.raises(
        InputError,
        match=r"sheet\.yaml:17: .*good; a monitoring visit follows an inadequate judgement",
    ):
        load_sheet(write(tmp_path, SOURCE + body), "sheet.yaml", None)
    added = load_sheet(
        write(tmp_path, SOURCE + body.replace(": good", ": inadequate"), "ok.yaml"), "ok.yaml", None
    )
    g = triples_graph(added.quads)
    visit = URIRef(f"{ID}event/E08000001/monitoring-visit/visit-1")
    assert str(g.value(visit, URIRef(CSKG + "followsJudgement"))) == (
        f"{ID}event/E08000001/inspection/2016/judgement/overall-effectiveness"
    )


# --- inferred statements ----------------------------------------------------------


def test_a_date_with_inferred_yields_an_inferred_statement(tmp_path: Path) -> None:
    body = """
events:
  - type: monitoring visit
    council: E09000006
    ordinal: 6
    fieldwork:
      value: 2018-03
      inferred: "Year inferred from the article's date (10 April 2018); the article says 'in March'."
"""
    added = load_sheet(write(tmp_path, SOURCE + body), "sheet.yaml", None)
    g = triples_graph(added.quads)
    visit = URIRef(f"{ID}event/E09000006/monitoring-visit/2018-03")
    mark = URIRef(added.graph + "/inferred/1")
    assert (mark, URIRef(RDF_TYPE), URIRef(CSKG + "InferredStatement")) in g
    assert g.value(mark, URIRef(RDF_NS + "subject")) == visit
    assert g.value(mark, URIRef(RDF_NS + "predicate")) == URIRef(CSKG + "fieldworkStart")
    obj = g.value(mark, URIRef(RDF_NS + "object"))
    assert (str(obj), str(obj.datatype)) == (
        "2018-03",
        "http://www.w3.org/2001/XMLSchema#gYearMonth",
    )
    assert (visit, URIRef(CSKG + "fieldworkStart"), obj) in g  # the statement itself is made too
    assert "in March" in str(g.value(mark, URIRef(CSKG + "inferenceNote")))
    assert added.lines[str(mark)] == 12  # the line of its value:


def test_inferred_statements_are_numbered_in_sheet_order(all_sections: Addition) -> None:
    g = triples_graph(all_sections.quads)
    marks = sorted(
        (int(str(m).rsplit("/", 1)[-1]), m)
        for m in g.subjects(URIRef(RDF_TYPE), URIRef(CSKG + "InferredStatement"))
    )
    predicates = [
        str(g.value(m, URIRef(RDF_NS + "predicate"))).rsplit("#", 1)[-1] for _, m in marks
    ]
    assert predicates == ["inXSDgYear", "grade", "inXSDgYear", "reportedDate"]
    assert [all_sections.lines[str(m)] for _, m in marks] == sorted(
        all_sections.lines[str(m)] for _, m in marks
    )


# --- every section converts, and the result passes SHACL -----------------------------


def test_every_section_converts(all_sections: Addition) -> None:
    g = triples_graph(all_sections.quads)
    types = {str(o).removeprefix(CSKG) for o in g.objects(None, URIRef(RDF_TYPE))}
    assert {
        "NewsArticle",
        "SourceGraph",
        "Council",
        "FullInspection",
        "MonitoringVisit",
        "FocusedVisit",
        "JointTargetedAreaInspection",
        "Judgement",
        "Finding",
        "Claim",
        "PostHolding",
        "Partnership",
        "MultiAgencySafeguardingHub",
        "SharedService",
        "DeliveryArrangement",
        "ChildrensServicesTrust",
        "Charity",
        "PoliticalParty",
        "PoliticalControl",
        "InferredStatement",
        "NewsPublisher",
        "Inspectorate",
        "http://www.w3.org/ns/org#Membership",
        "http://www.w3.org/ns/org#Post",
        "http://www.w3.org/ns/org#Organization",
        "http://www.w3.org/2006/time#Interval",
        "http://www.w3.org/2006/time#Instant",
        "https://schema.org/Person",
    } <= types
    visit = URIRef(f"{ID}event/E09000006/monitoring-visit/2018-05-14")
    c = lambda n: URIRef(CSKG + n)
    assert str(g.value(visit, c("followsJudgement"))).endswith(
        "/inspection/2016-06/judgement/overall-effectiveness"
    )
    assert (
        str(g.value(visit, c("visitOrdinal"))) == "7"
        and str(g.value(visit, c("finalVisit"))) == "true"
    )
    typed = {
        q.predicate.value.rsplit("#", 1)[-1]: q.object.datatype.value
        for q in all_sections.quads
        if q.subject.value == str(visit) and isinstance(q.object, ox.Literal)
    }
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert typed["visitOrdinal"] == xsd + "positiveInteger"
    assert typed["finalVisit"] == xsd + "boolean"
    assert (typed["fieldworkStart"], typed["publicationDate"]) == (xsd + "date", xsd + "gYearMonth")
    wirral = URIRef(f"{ID}event/E08000015/monitoring-visit/2018-06")
    assert (
        str(g.value(wirral, c("followsJudgement")))
        == f"{ID}event/E08000015/inspection/2016-09/judgement/overall-effectiveness"
    )
    hub = URIRef(f"{ID}partnership/bi-borough-multi-agency-safeguarding-hub")
    assert (
        str(g.value(hub, URIRef("http://www.w3.org/ns/org#subOrganizationOf")))
        == f"{ID}partnership/bi-borough"
    )
    police = URIRef(f"{ID}org/metropolitan-police")
    assert str(g.value(police, c("sector"))) == "https://w3id.org/cskg/vocab/sector/police"
    assert (
        URIRef(f"{hub}/member/metropolitan-police/{all_sections.slug}"),
        URIRef("http://www.w3.org/ns/org#member"),
        police,
    ) in g
    holding = URIRef(f"{ID}council/E09000006/post/director-of-childrens-services/janet-example/{all_sections.slug}")
    assert str(g.value(holding, c("tenure"))) == "https://w3id.org/cskg/vocab/tenure/interim"
    assert str(g.value(holding, c("attestedOn"))) == "2019-11-20"  # the source's date by default
    end = URIRef(f"{holding}/during/end")
    assert str(g.value(end, URIRef("http://www.w3.org/2006/time#inXSDgYearMonth"))) == "2019-03"
    delivery = URIRef(f"{ID}council/E09000006/delivery/childrens-services/{all_sections.slug}")
    assert str(g.value(delivery, c("deliveredBy"))) == f"{ID}org/bromley-children-s-trust"
    control = URIRef(f"{ID}council/E08000015/control/2019-05/{all_sections.slug}")
    assert str(g.value(control, c("controllingParty"))) == f"{ID}org/labour-party"
    assert (
        str(g.value(URIRef(f"{hub}/shares/mash/{all_sections.slug}/during"), URIRef(RDFS_LABEL)))
        == "The hub's first months"
    )
    judgement = URIRef(f"{ID}event/E09000033/inspection/2019-09-09/judgement/impact-of-leaders")
    assert (judgement, c("grade"), URIRef("https://w3id.org/cskg/vocab/grade/outstanding")) in g
    source = URIRef(f"{ID}source/{all_sections.slug}")
    url = g.value(source, URIRef("https://schema.org/url"))
    assert str(url.datatype) == "http://www.w3.org/2001/XMLSchema#anyURI"
    assert len(list(g.objects(source, URIRef("http://purl.org/dc/terms/creator")))) == 2


@pytest.mark.parametrize("which", ["example", "all_sections"])
def test_the_result_passes_shacl(
    which: str, request: pytest.FixtureRequest, store: GraphStore
) -> None:
    addition: Addition = request.getfixturevalue(which)
    conforms, report = shacl(store, addition)
    assert conforms, report.serialize(format="turtle")


def shacl(store: GraphStore, addition: Addition) -> tuple[bool, Graph]:
    """SHACL over union(ontology, vocabulary, the store's quads, the new quads)."""
    root = store.project.root
    data = Dataset()
    data.parse(data=store.dump_nquads(), format="nquads")  # ontology, vocabulary and every graph
    union = Graph()
    for s, p, o, _g in data.quads((None, None, None, None)):
        union.add((s, p, o))
    for path in sorted((root / "ontology").glob("*.ttl")):
        union.parse(path, format="turtle")
    union += triples_graph(addition.quads)
    shapes = load_shapes(sorted((root / "shapes").glob("*.ttl")))
    return run_pyshacl(union, shapes)


def test_the_documented_example_converts_and_passes_shacl(
    resolver: StoreResolver, store: GraphStore, tmp_path: Path
) -> None:
    """docs/factsheet.md's complete example is a working sheet."""
    doc = (ROOT / "docs" / "factsheet.md").read_text(encoding="utf-8")
    section = doc.split("## A complete example", 1)[1]
    text = section.split("```yaml\n", 1)[1].split("\n```", 1)[0] + "\n"
    path = tmp_path / "documented.yaml"
    path.write_text(text, encoding="utf-8")
    addition = load_sheet(path, "documented.yaml", resolver)
    kinds = {q.object.value for q in addition.quads if q.predicate.value == RDF_TYPE}
    for name in (
        "MonitoringVisit",
        "MultiAgencySafeguardingHub",
        "DeliveryArrangement",
        "Claim",
        "PoliticalControl",
        "PostHolding",
        "InferredStatement",
        "Judgement",
        "Finding",
    ):
        assert CSKG + name in kinds
    conforms, report = shacl(store, addition)
    assert conforms, report.serialize(format="turtle")
