"""Tests for ontology/cskg.ttl, ontology/vocabulary.ttl and cskg.namespaces.

They check that both files parse, that every declared term and concept is labelled
and defined in English, that the ontology and the ``CSKG`` DefinedNamespace agree,
that every concept sits in exactly one of the twelve schemes of docs/model.md with
exactly the slugs listed there, that the grade order is consistent, and that every
term docs/model.md names is declared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from cskg.namespaces import (
    CSKG,
    ONTOLOGY_IRI,
    PREFIXES,
    SCHEME_NAMES,
    SCHEMES,
    VOCAB,
    sparql_prologue,
)

# XSD terms as plain URIRefs: pytest probes module-level objects during collection,
# and rdflib's open XSD DefinedNamespace warns when probed for unknown attributes.
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
XSD_DATE = URIRef(XSD_NS + "date")
XSD_GYEARMONTH = URIRef(XSD_NS + "gYearMonth")
XSD_GYEAR = URIRef(XSD_NS + "gYear")
XSD_INTEGER = URIRef(XSD_NS + "integer")

ROOT = Path(__file__).parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "cskg.ttl"
VOCABULARY_FILE = ROOT / "ontology" / "vocabulary.ttl"
MODEL_DOC = ROOT / "docs" / "model.md"

CSKG_NS = str(CSKG._NS)

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

#: Home namespace documents for reused terms (namespace -> rdfs:isDefinedBy).
HOME_DOCUMENTS = {
    "http://www.w3.org/ns/org#": URIRef("http://www.w3.org/ns/org#"),
    "http://www.w3.org/ns/prov#": URIRef("http://www.w3.org/ns/prov#"),
    "http://www.w3.org/2004/02/skos/core#": URIRef("http://www.w3.org/2004/02/skos/core"),
    "http://purl.org/dc/terms/": URIRef("http://purl.org/dc/terms/"),
    "http://www.w3.org/2006/time#": URIRef("http://www.w3.org/2006/time"),
    "https://schema.org/": URIRef("https://schema.org/"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": URIRef(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    ),
    "http://www.w3.org/2000/01/rdf-schema#": URIRef("http://www.w3.org/2000/01/rdf-schema#"),
}

#: The concept slugs of each scheme, exactly as docs/model.md lists them.
EXPECTED_SLUGS: dict[str, set[str]] = {
    "grade": {"outstanding", "good", "requires-improvement", "inadequate"},
    "area": {
        "overall-effectiveness",
        "impact-of-leaders",
        "help-and-protection",
        "children-in-care-and-care-leavers",
        "children-in-care",
        "care-leavers",
        "leadership-management-and-governance",
        "children-looked-after-and-achieving-permanence",
        "adoption-performance",
        "lscb-review",
    },
    "theme": {
        "domestic-abuse",
        "early-help",
        "quality-of-referrals",
        "caseloads",
        "voice-of-the-child",
        "neglect",
        "assessments",
        "workforce-stability",
        "thresholds",
        "leadership",
        "multi-agency-working",
        "child-exploitation",
        "missing-children",
        "disabled-children",
        "transition-to-adulthood",
        "placement-stability",
        "quality-of-practice",
        "case-recording",
        "childrens-centres",
        "corporate-parenting",
        "management-oversight",
        "delay",
    },
    "service": {
        "childrens-services",
        "early-help",
        "front-door",
        "help-and-protection",
        "children-in-care",
        "care-leavers",
        "adoption-and-fostering",
        "adult-social-care",
        "public-health",
        "back-office-functions",
        "specialist-services",
        "mash",
        "disabled-children",
    },
    "framework": {"sif", "ilacs", "ilacs-2026", "slac"},
    "format": {"standard", "short"},
    "kind": {"strength", "area-for-improvement", "area-for-priority-action"},
    "role": {"director-of-childrens-services", "lead-member-for-childrens-services",
             "his-majestys-inspector"},
    "authority": {"london-borough", "metropolitan-district", "unitary-authority", "county"},
    "tenure": {"interim", "acting"},
    "status": {"being-established", "active", "ended"},
    "sector": {"police", "health", "education"},
}


def _parse(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    return _parse(VOCABULARY_FILE)


@pytest.fixture(scope="module")
def combined(ontology: Graph, vocabulary: Graph) -> Graph:
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    for triple in vocabulary:
        graph.add(triple)
    return graph


def _named_subjects(graph: Graph, rdf_type: URIRef) -> Iterator[URIRef]:
    for subject in graph.subjects(RDF.type, rdf_type):
        if isinstance(subject, URIRef):
            yield subject


def _declared_terms(graph: Graph) -> set[URIRef]:
    terms: set[URIRef] = set()
    for rdf_type in (*TERM_TYPES, RDFS.Datatype):
        terms.update(_named_subjects(graph, rdf_type))
    return terms


def _english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        value
        for value in graph.objects(subject, predicate)
        if isinstance(value, Literal) and value.language == "en" and str(value).strip()
    ]


def _defined_namespace_names() -> set[str]:
    return {name for name in CSKG.__annotations__ if not name.startswith("_")}


# --- parsing -------------------------------------------------------------------


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, VOCABULARY_FILE], ids=lambda p: p.name)
def test_files_parse(path: Path) -> None:
    graph = _parse(path)
    assert len(graph) > 0


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    dcterms = "http://purl.org/dc/terms/"
    for name in ("title", "description", "license"):
        assert ontology.value(ONTOLOGY_IRI, URIRef(dcterms + name)) is not None, name
    comment = " ".join(str(c) for c in ontology.objects(ONTOLOGY_IRI, RDFS.comment))
    assert "docs/model.md" in comment
    assert "https://w3id.org/cskg/id/council/{GSS}" in comment


# --- labels and definitions ------------------------------------------------------


def test_every_term_and_concept_has_english_label_and_definition(combined: Graph) -> None:
    subjects = _declared_terms(combined) | set(_named_subjects(combined, SKOS.Concept))
    assert subjects
    missing = []
    for subject in sorted(subjects):
        if not _english(combined, subject, RDFS.label):
            missing.append(f"{subject}: rdfs:label@en")
        if not _english(combined, subject, SKOS.definition):
            missing.append(f"{subject}: skos:definition@en")
    assert not missing, "\n".join(missing)


def test_every_declared_term_has_is_defined_by(ontology: Graph) -> None:
    problems = []
    for term in sorted(_declared_terms(ontology)):
        defined_by = set(ontology.objects(term, RDFS.isDefinedBy))
        if str(term).startswith(CSKG_NS):
            expected = {ONTOLOGY_IRI}
        else:
            homes = [doc for ns, doc in HOME_DOCUMENTS.items() if str(term).startswith(ns)]
            assert len(homes) == 1, f"{term}: unexpected namespace"
            expected = {homes[0]}
        if defined_by != expected:
            problems.append(f"{term}: rdfs:isDefinedBy {defined_by}, expected {expected}")
    assert not problems, "\n".join(problems)


# --- ontology <-> DefinedNamespace ------------------------------------------------


def test_defined_namespace_terms_are_declared(ontology: Graph) -> None:
    declared = {str(t)[len(CSKG_NS) :] for t in _declared_terms(ontology) if t.startswith(CSKG_NS)}
    missing = _defined_namespace_names() - declared
    assert not missing, f"in CSKG DefinedNamespace but not declared in cskg.ttl: {missing}"


def test_declared_cskg_terms_are_in_defined_namespace(ontology: Graph) -> None:
    names = _defined_namespace_names()
    used = {
        str(node)[len(CSKG_NS) :]
        for triple in ontology
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(CSKG_NS)
    }
    extra = used - names
    assert not extra, f"cskg: terms in cskg.ttl missing from the CSKG DefinedNamespace: {extra}"
    for name in names:
        assert CSKG[name] == URIRef(CSKG_NS + name)


def test_defined_namespace_is_closed() -> None:
    with pytest.raises(AttributeError):
        CSKG.NoSuchTerm  # noqa: B018


def test_no_term_is_both_class_and_property(combined: Graph) -> None:
    classes = set(combined.subjects(RDF.type, OWL.Class)) | set(
        combined.subjects(RDF.type, RDFS.Datatype)
    )
    for property_type in PROPERTY_TYPES:
        both = classes & set(combined.subjects(RDF.type, property_type))
        assert not both, f"typed both class and {property_type}: {both}"
    kinds = {}
    for property_type in PROPERTY_TYPES:
        for prop in _named_subjects(combined, property_type):
            assert prop not in kinds, f"{prop} typed {kinds[prop]} and {property_type}"
            kinds[prop] = property_type


def test_event_subclasses_pairwise_disjoint(ontology: Graph) -> None:
    events = {
        CSKG.FullInspection,
        CSKG.MonitoringVisit,
        CSKG.FocusedVisit,
        CSKG.JointTargetedAreaInspection,
    }
    found = False
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = set(Collection(ontology, ontology.value(axiom, OWL.members)))
        found = found or members == events
    assert found
    for event in events:
        assert (event, RDFS.subClassOf, CSKG.InspectionEvent) in ontology


def test_partial_date_is_union_of_date_types(ontology: Graph) -> None:
    assert (CSKG.PartialDate, RDF.type, RDFS.Datatype) in ontology
    definition = ontology.value(CSKG.PartialDate, OWL.equivalentClass)
    assert isinstance(definition, BNode)
    members = list(Collection(ontology, ontology.value(definition, OWL.unionOf)))
    assert members == [XSD_DATE, XSD_GYEARMONTH, XSD_GYEAR]
    for prop in (
        CSKG.fieldworkStart,
        CSKG.fieldworkEnd,
        CSKG.publicationDate,
        CSKG.reportedDate,
        CSKG.attestedOn,
    ):
        assert ontology.value(prop, RDFS.range) == CSKG.PartialDate, prop


def test_cskg_properties_have_domain_and_type(ontology: Graph) -> None:
    for name in _defined_namespace_names():
        term = CSKG[name]
        if name[0].isupper():
            continue
        types = set(ontology.objects(term, RDF.type))
        assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, name
        assert ontology.value(term, RDFS.domain) is not None, name


# --- model.md coverage ------------------------------------------------------------


def test_every_term_in_model_doc_is_declared(combined: Graph) -> None:
    declared = _declared_terms(combined)
    text = MODEL_DOC.read_text(encoding="utf-8")
    pattern = re.compile(r"\b(cskg|org|prov|skos|dcterms|time|schema|rdf|rdfs):([A-Za-z]\w*)")
    missing = set()
    for prefix, local in pattern.findall(text):
        term = URIRef(PREFIXES[prefix] + local)
        if term not in declared:
            missing.add(f"{prefix}:{local}")
    assert not missing, f"named in docs/model.md but not declared in ontology/: {sorted(missing)}"


def test_vocabulary_predicates_and_classes_are_declared(vocabulary: Graph, ontology: Graph) -> None:
    declared = _declared_terms(ontology)
    skip = {RDF.type, RDF.first, RDF.rest}
    used = {p for p in vocabulary.predicates() if p not in skip}
    used |= {o for o in vocabulary.objects(None, RDF.type) if isinstance(o, URIRef)}
    missing = used - declared
    assert not missing, f"used in vocabulary.ttl but not declared in cskg.ttl: {missing}"


# --- SKOS schemes -----------------------------------------------------------------


def test_twelve_schemes(vocabulary: Graph) -> None:
    schemes = set(_named_subjects(vocabulary, SKOS.ConceptScheme))
    assert schemes == set(SCHEMES.values())
    for name in SCHEME_NAMES:
        assert SCHEMES[name] == URIRef(f"https://w3id.org/cskg/vocab/{name}")
        assert _english(vocabulary, SCHEMES[name], RDFS.label), name
        assert _english(vocabulary, SCHEMES[name], SKOS.definition), name


def test_every_concept_in_exactly_one_scheme(vocabulary: Graph) -> None:
    schemes = set(SCHEMES.values())
    problems = []
    for concept in sorted(_named_subjects(vocabulary, SKOS.Concept)):
        in_schemes = set(vocabulary.objects(concept, SKOS.inScheme))
        if len(in_schemes) != 1 or not in_schemes <= schemes:
            problems.append(f"{concept}: skos:inScheme {in_schemes}")
            continue
        (scheme,) = in_schemes
        if not str(concept).startswith(f"{scheme}/"):
            problems.append(f"{concept}: IRI not under its scheme {scheme}")
        top = set(vocabulary.objects(concept, SKOS.topConceptOf))
        broader = set(vocabulary.objects(concept, SKOS.broader))
        if not top and not broader:
            problems.append(f"{concept}: neither skos:topConceptOf nor skos:broader")
        if top and top != {scheme}:
            problems.append(f"{concept}: skos:topConceptOf {top}, expected {scheme}")
        if top and (scheme, SKOS.hasTopConcept, concept) not in vocabulary:
            problems.append(f"{concept}: missing skos:hasTopConcept from {scheme}")
        for parent in broader:
            if (parent, SKOS.inScheme, scheme) not in vocabulary:
                problems.append(f"{concept}: broader {parent} is not in {scheme}")
    assert not problems, "\n".join(problems)
    for scheme in schemes:
        for top in vocabulary.objects(scheme, SKOS.hasTopConcept):
            assert (top, SKOS.topConceptOf, scheme) in vocabulary, top


def test_concept_slugs_match_model(vocabulary: Graph) -> None:
    for name, expected in EXPECTED_SLUGS.items():
        scheme = SCHEMES[name]
        found = {
            str(concept)[len(str(scheme)) + 1 :]
            for concept in vocabulary.subjects(SKOS.inScheme, scheme)
        }
        assert found == expected, name
    assert set(EXPECTED_SLUGS) == set(SCHEME_NAMES)


def test_concept_labels(vocabulary: Graph) -> None:
    problems = []
    for concept in sorted(_named_subjects(vocabulary, SKOS.Concept)):
        pref = _english(vocabulary, concept, SKOS.prefLabel)
        labels = _english(vocabulary, concept, RDFS.label)
        if len(pref) != 1:
            problems.append(f"{concept}: {len(pref)} English prefLabels")
        elif set(labels) != set(pref):
            problems.append(f"{concept}: rdfs:label {labels} != skos:prefLabel {pref}")
        alts = set(vocabulary.objects(concept, SKOS.altLabel))
        if alts & set(pref):
            problems.append(f"{concept}: prefLabel repeated as altLabel")
    assert not problems, "\n".join(problems)


def test_grade_order_matches_member_list(vocabulary: Graph) -> None:
    order = URIRef("https://w3id.org/cskg/vocab/grade/order")
    assert (order, RDF.type, SKOS.OrderedCollection) in vocabulary
    members = list(Collection(vocabulary, vocabulary.value(order, SKOS.memberList)))
    grade_ns = "https://w3id.org/cskg/vocab/grade/"
    assert members == [
        URIRef(grade_ns + slug)
        for slug in ("outstanding", "good", "requires-improvement", "inadequate")
    ]
    for position, grade in enumerate(members, start=1):
        rank = vocabulary.value(grade, CSKG.gradeOrder)
        assert isinstance(rank, Literal) and rank.datatype == XSD_INTEGER, grade
        assert rank.toPython() == position, grade
        assert vocabulary.value(grade, SKOS.notation) == Literal(str(position)), grade
    grades = set(vocabulary.subjects(SKOS.inScheme, VOCAB["grade"]))
    assert grades == set(members)


def test_requires_improvement_labels(vocabulary: Graph) -> None:
    concept = URIRef("https://w3id.org/cskg/vocab/grade/requires-improvement")
    assert vocabulary.value(concept, SKOS.prefLabel) == Literal("requires improvement", lang="en")
    alts = set(vocabulary.objects(concept, SKOS.altLabel))
    assert Literal("requires improvement to be good", lang="en") in alts
    assert Literal("adequate", lang="en") in alts
    assert _english(vocabulary, concept, SKOS.scopeNote)


def test_authority_notations_are_gss_prefixes(vocabulary: Graph) -> None:
    ns = "https://w3id.org/cskg/vocab/authority/"
    expected = {
        "london-borough": "E09",
        "metropolitan-district": "E08",
        "unitary-authority": "E06",
        "county": "E10",
    }
    for slug, notation in expected.items():
        assert vocabulary.value(URIRef(ns + slug), SKOS.notation) == Literal(notation), slug


def test_area_concepts_have_scope_notes(vocabulary: Graph) -> None:
    for concept in vocabulary.subjects(SKOS.inScheme, VOCAB["area"]):
        assert isinstance(concept, URIRef)
        assert _english(vocabulary, concept, SKOS.scopeNote), concept


# --- namespaces module --------------------------------------------------------------


def test_prefixes_and_prologue() -> None:
    expected_prefixes = {
        "cskg",
        "cskgid",
        "graph",
        *SCHEME_NAMES,
        "org",
        "prov",
        "skos",
        "dcterms",
        "time",
        "schema",
        "rdfs",
        "rdf",
        "owl",
        "xsd",
    }
    assert expected_prefixes <= set(PREFIXES)
    assert PREFIXES["schema"] == "https://schema.org/"
    assert PREFIXES["cskg"] == "https://w3id.org/cskg/def#"
    for name in SCHEME_NAMES:
        assert PREFIXES[name] == f"https://w3id.org/cskg/vocab/{name}/"
    prologue = sparql_prologue()
    for prefix, iri in PREFIXES.items():
        assert f"PREFIX {prefix}: <{iri}>" in prologue
    from rdflib.plugins.sparql import prepareQuery

    prepareQuery(prologue + "SELECT ?c WHERE { ?c a cskg:Council ; cskg:region ?r }")


def test_sparql_over_ontology_and_vocabulary(combined: Graph) -> None:
    query = sparql_prologue() + (
        "SELECT ?g WHERE { ?g skos:inScheme <https://w3id.org/cskg/vocab/grade> ;"
        " cskg:gradeOrder ?o } ORDER BY ?o"
    )
    rows = [str(row[0]).rsplit("/", 1)[1] for row in combined.query(query)]
    assert rows == ["outstanding", "good", "requires-improvement", "inadequate"]


def test_plain_prefixes_are_the_rdflib_namespaces() -> None:
    """cskg.prefixes (strings, for commands that never import rdflib) names the same
    IRIs as cskg.namespaces' rdflib namespaces."""
    from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD

    from cskg import namespaces as ns
    from cskg.prefixes import PREFIXES

    expected = {"cskg": ns.CSKG._NS, "cskgid": ns.ID, "graph": ns.GRAPH, "vocab": ns.VOCAB,
                **{name: ns.VOCAB[name + "/"] for name in ns.SCHEME_NAMES},
                "org": ORG, "prov": PROV, "skos": SKOS, "dcterms": DCTERMS, "time": TIME,
                "schema": SDO, "rdfs": RDFS, "rdf": RDF, "owl": OWL, "xsd": XSD}
    assert PREFIXES == {k: str(v) for k, v in expected.items()}
    assert ns.PREFIXES is PREFIXES
