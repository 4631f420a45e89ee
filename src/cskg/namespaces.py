"""Namespaces of the cskg knowledge graph.

``CSKG`` is a closed :class:`rdflib.namespace.DefinedNamespace` for the project's own
classes and properties (``https://w3id.org/cskg/def#``), kept in step with
``ontology/cskg.ttl`` by ``tests/test_ontology.py``: asking it for an undeclared term
raises ``AttributeError``.

``ID``, ``GRAPH`` and ``VOCAB`` are open namespaces for entities, named graphs and
SKOS vocabularies; ``GRADE``, ``AREA``, ... are one namespace per concept scheme
(``https://w3id.org/cskg/vocab/<scheme>/``), and ``SCHEMES`` maps each scheme name
to its scheme IRI (``https://w3id.org/cskg/vocab/<scheme>``). The reused vocabularies
(ORG, PROV, SKOS, DCTERMS, TIME, SDO = schema.org over https, RDF, RDFS, OWL, XSD)
are re-exported from :mod:`rdflib.namespace`.

``PREFIXES`` maps prefix to namespace IRI for all of them; ``sparql_prologue()``
renders it as SPARQL ``PREFIX`` lines. See docs/model.md for the IRI scheme.

This module imports only rdflib (never pyoxigraph).
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
    Namespace,
)

__all__ = [
    "CSKG",
    "ID",
    "CSKGID",
    "GRAPH",
    "VOCAB",
    "GRADE",
    "AREA",
    "THEME",
    "SERVICE",
    "FRAMEWORK",
    "FORMAT",
    "KIND",
    "ROLE",
    "AUTHORITY",
    "TENURE",
    "STATUS",
    "SECTOR",
    "SCHEME_NAMES",
    "SCHEMES",
    "ONTOLOGY_IRI",
    "ORG",
    "PROV",
    "SKOS",
    "DCTERMS",
    "TIME",
    "SDO",
    "RDF",
    "RDFS",
    "OWL",
    "XSD",
    "PREFIXES",
    "sparql_prologue",
]

#: IRI of the OWL ontology in ontology/cskg.ttl.
ONTOLOGY_IRI = URIRef("https://w3id.org/cskg/def")


class CSKG(DefinedNamespace):
    """The cskg ontology: every class, datatype and property of ontology/cskg.ttl."""

    _NS = Namespace("https://w3id.org/cskg/def#")
    _fail = True

    # Datatypes
    PartialDate: URIRef  # union of xsd:date, xsd:gYearMonth, xsd:gYear

    # Classes
    Council: URIRef
    Region: URIRef
    DeliveryArrangement: URIRef
    ChildrensServicesTrust: URIRef
    InspectionEvent: URIRef
    FullInspection: URIRef
    MonitoringVisit: URIRef
    FocusedVisit: URIRef
    JointTargetedAreaInspection: URIRef
    Judgement: URIRef
    Finding: URIRef
    Claim: URIRef
    PostHolding: URIRef
    Partnership: URIRef
    MultiAgencySafeguardingHub: URIRef
    SharedService: URIRef
    Inspectorate: URIRef
    Charity: URIRef
    NewsPublisher: URIRef
    PoliticalParty: URIRef
    PoliticalControl: URIRef
    NewsArticle: URIRef
    Dataset: URIRef
    Report: URIRef
    SourceGraph: URIRef
    SnapshotEntry: URIRef
    InferredStatement: URIRef
    StatisticalNeighbour: URIRef

    # Councils and regions
    gssCode: URIRef
    dfeLaCode: URIRef
    ofstedUrn: URIRef
    region: URIRef
    authorityType: URIRef
    statisticalGeography: URIRef
    statisticalNeighbour: URIRef
    neighbourOf: URIRef
    neighbour: URIRef
    neighbourRank: URIRef
    populationAged0to25: URIRef

    # National data: snapshots, lead inspectors, reports
    asOf: URIRef
    inSnapshot: URIRef
    listedAuthority: URIRef
    listedInspection: URIRef
    listedGrade: URIRef
    entryDigest: URIRef
    leadInspector: URIRef
    duringEvent: URIRef
    reportsOn: URIRef

    # Who delivers, shared services, time spans
    deliveredFor: URIRef
    deliveredBy: URIRef
    service: URIRef
    status: URIRef
    activeDuring: URIRef
    attestedOn: URIRef
    sharedBy: URIRef
    sector: URIRef

    # Inspection events
    inspectedAuthority: URIRef
    fieldworkStart: URIRef
    fieldworkEnd: URIRef
    publicationDate: URIRef
    reportedDate: URIRef
    framework: URIRef
    inspectionFormat: URIRef
    visitOrdinal: URIRef
    focus: URIRef
    focusText: URIRef
    followsJudgement: URIRef
    finalVisit: URIRef

    # Judgements, findings, claims
    ofEvent: URIRef
    judgementArea: URIRef
    grade: URIRef
    gradeOrder: URIRef
    fromEvent: URIRef
    findingKind: URIRef
    serviceArea: URIRef
    quote: URIRef
    excerpt: URIRef
    claimedBy: URIRef

    # Posts
    post: URIRef
    titleInSource: URIRef
    tenure: URIRef

    # Political control
    controlledCouncil: URIRef
    controllingParty: URIRef

    # Inference
    inferenceNote: URIRef


#: Entities: councils, events, people, organisations, sources, ...
ID = Namespace("https://w3id.org/cskg/id/")
#: Alias of :data:`ID`, matching the ``cskgid:`` prefix.
CSKGID = ID
#: Named graphs, one per source.
GRAPH = Namespace("https://w3id.org/cskg/graph/")
#: Root of the SKOS vocabularies; ``VOCAB[name]`` is a scheme IRI.
VOCAB = Namespace("https://w3id.org/cskg/vocab/")

GRADE = Namespace("https://w3id.org/cskg/vocab/grade/")
AREA = Namespace("https://w3id.org/cskg/vocab/area/")
THEME = Namespace("https://w3id.org/cskg/vocab/theme/")
SERVICE = Namespace("https://w3id.org/cskg/vocab/service/")
FRAMEWORK = Namespace("https://w3id.org/cskg/vocab/framework/")
FORMAT = Namespace("https://w3id.org/cskg/vocab/format/")
KIND = Namespace("https://w3id.org/cskg/vocab/kind/")
ROLE = Namespace("https://w3id.org/cskg/vocab/role/")
AUTHORITY = Namespace("https://w3id.org/cskg/vocab/authority/")
TENURE = Namespace("https://w3id.org/cskg/vocab/tenure/")
STATUS = Namespace("https://w3id.org/cskg/vocab/status/")
SECTOR = Namespace("https://w3id.org/cskg/vocab/sector/")

#: The twelve concept-scheme names, in the order of docs/model.md.
SCHEME_NAMES: tuple[str, ...] = (
    "grade",
    "area",
    "theme",
    "service",
    "framework",
    "format",
    "kind",
    "role",
    "authority",
    "tenure",
    "status",
    "sector",
)

#: Scheme name -> concept-scheme IRI (``https://w3id.org/cskg/vocab/<scheme>``).
SCHEMES: dict[str, URIRef] = {name: VOCAB[name] for name in SCHEME_NAMES}

#: Prefix -> namespace IRI (the same IRIs as above, as strings; see cskg.prefixes).
from cskg.prefixes import PREFIXES, sparql_prologue  # noqa: E402
