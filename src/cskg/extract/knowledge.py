"""What the extractor knows of the domain, read from the graph and the vocabulary.

Nothing here is a list of councils, grades or themes written into the code:
councils and their names, codes and web addresses come from the store; grades,
judgement areas, themes, services, roles, tenures and sectors from
``ontology/vocabulary.ttl``; event kinds and partnership kinds from the labels
of the ontology's classes; partnerships, organisations, parties and publishers
already described from the store. Only the ways English writes a council's name
("Bolton Council", "London Borough of Bromley", "BCP") are rules here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cskg.store import GraphStore

CSKG = "https://w3id.org/cskg/def#"
VOCAB = "https://w3id.org/cskg/vocab/"
ID = "https://w3id.org/cskg/id/"

#: How a council's base name is written with its kind of authority; {} is the name.
NAME_FORMS = [
    "{}", "{} Council", "{} council", "{} councils", "{} City Council", "{} County Council",
    "{} Borough Council", "{} Metropolitan Borough Council", "{} Metropolitan Council",
    "London Borough of {}", "Royal Borough of {}", "City of {}", "{} City", "{} county council",
    "{} borough council", "{} city council", "the {} council",
]


def fold(text: str) -> str:
    """Compare text without case, accents, curly quotes, '&' or punctuation."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    return re.sub(r"[^a-z0-9']+", " ", text.casefold()).strip()


@dataclass
class Council:
    iri: str
    gss: str
    label: str
    names: set[str] = field(default_factory=set)


@dataclass
class Concept:
    iri: str
    scheme: str
    label: str
    names: list[str]
    note: str = ""


@dataclass
class Known:
    """An entity the graph already holds (a partnership, organisation, party, publisher)."""

    iri: str
    label: str
    names: set[str]
    types: set[str]


class Knowledge:
    """The councils, vocabulary and named entities an extraction can recognise."""

    def __init__(self, store: GraphStore, vocabulary: Path, ontology: Path) -> None:
        self.councils: dict[str, Council] = {}
        self.concepts: dict[str, list[Concept]] = {}
        self.classes: dict[str, list[str]] = {}
        self.known: list[Known] = []
        self._read_councils(store)
        self._read_vocabulary(vocabulary)
        self._read_classes(ontology)
        self._read_known(store)

    # -- councils ---------------------------------------------------------------

    def _read_councils(self, store: GraphStore) -> None:
        rows = store.query(
            "SELECT DISTINCT ?c ?gss ?n ?p WHERE { ?c a cskg:Council ; cskg:gssCode ?gss . "
            "{ ?c rdfs:label ?n BIND('label' AS ?p) } UNION { ?c skos:altLabel ?n BIND('alt' AS ?p) } }"
        )
        for row in rows:
            iri, gss, name = row["c"].value, row["gss"].value, row["n"].value
            council = self.councils.setdefault(iri, Council(iri, gss, name))
            if row["p"].value == "label":
                council.label = name
            council.names.add(name)
        for council in self.councils.values():
            council.names |= set(self._forms(council))

    @staticmethod
    def _bases(name: str) -> list[str]:
        """'Bristol, City of' -> Bristol; 'St. Helens' -> St Helens; 'Bedford Borough' -> Bedford."""
        bases = [name]
        m = re.fullmatch(r"(.+), (City|County) of", name)
        if m:
            bases = [m.group(1), f"{m.group(2)} of {m.group(1)}"]
        out = []
        for base in bases:
            out += [base, base.replace("St. ", "St "), base.replace(" and ", " & ")]
            for word in ("Borough", "City", "County"):
                if base.endswith(" " + word):
                    out.append(base[: -len(word) - 1])
            if base == "Durham":
                out.append("County Durham")
        return list(dict.fromkeys(out))

    def _forms(self, council: Council) -> list[str]:
        forms: list[str] = []
        for name in list(council.names):
            for base in self._bases(name):
                forms += [form.format(base) for form in NAME_FORMS]
                words = [w for w in re.split(r"[\s,]+", base) if w and w[0].isupper()]
                if len(words) >= 3:
                    acronym = "".join(w[0] for w in words)
                    forms += [acronym + " Council", "the " + acronym + " council", acronym]
        return forms

    def council_names(self) -> dict[str, set[str]]:
        """Every name form, and the councils it may stand for (an acronym may be shared)."""
        by_name: dict[str, set[str]] = {}
        for council in self.councils.values():
            for name in council.names:
                by_name.setdefault(name, set()).add(council.iri)
        return by_name

    # -- vocabulary and ontology --------------------------------------------------

    def _read_vocabulary(self, path: Path) -> None:
        from rdflib import Graph, URIRef
        from rdflib.namespace import SKOS

        graph = Graph()
        graph.parse(path, format="turtle")
        for scheme in ("grade", "area", "theme", "service", "role", "kind", "tenure", "status", "sector"):
            concepts = []
            for concept in sorted(graph.subjects(SKOS.inScheme, URIRef(VOCAB + scheme))):
                pref = str(graph.value(concept, SKOS.prefLabel))
                alts = sorted(str(v) for v in graph.objects(concept, SKOS.altLabel))
                note = str(graph.value(concept, SKOS.scopeNote) or "")
                concepts.append(Concept(str(concept), scheme, pref, [pref, *alts], note))
            if scheme == "grade":  # best first, by the scale's notation
                concepts.sort(key=lambda c: str(graph.value(URIRef(c.iri), SKOS.notation) or c.label))
            self.concepts[scheme] = concepts

    def _read_classes(self, path: Path) -> None:
        from rdflib import Graph, URIRef
        from rdflib.namespace import RDFS, SKOS

        graph = Graph()
        graph.parse(path, format="turtle")
        for name in ("FullInspection", "MonitoringVisit", "FocusedVisit", "JointTargetedAreaInspection",
                     "Partnership", "MultiAgencySafeguardingHub", "ChildrensServicesTrust"):
            cls = URIRef(CSKG + name)
            labels = [str(v) for v in graph.objects(cls, RDFS.label)]
            labels += [str(v) for v in graph.objects(cls, SKOS.altLabel)]
            self.classes[name] = labels

    def label_of(self, iri: str) -> str:
        for concepts in self.concepts.values():
            for concept in concepts:
                if concept.iri == iri:
                    return concept.label
        return iri.rsplit("/", 1)[-1]

    def concept(self, scheme: str, slug: str) -> Concept | None:
        return next((c for c in self.concepts.get(scheme, []) if c.iri.endswith("/" + slug)), None)

    # -- named entities the graph holds -----------------------------------------------

    def _read_known(self, store: GraphStore) -> None:
        rows = store.query(
            "SELECT DISTINCT ?s ?t ?n ?l WHERE { VALUES ?t { cskg:Partnership cskg:MultiAgencySafeguardingHub "
            "cskg:Inspectorate cskg:Charity cskg:NewsPublisher cskg:PoliticalParty cskg:ChildrensServicesTrust "
            "org:Organization } ?s a ?t ; rdfs:label|skos:altLabel ?n OPTIONAL { ?s rdfs:label ?l } }"
        )
        by_iri: dict[str, Known] = {}
        for row in rows:
            iri = row["s"].value
            label = row["l"].value if row["l"] is not None else row["n"].value
            known = by_iri.setdefault(iri, Known(iri, label, set(), set()))
            known.names.add(row["n"].value)
            known.types.add(row["t"].value.rsplit("#", 1)[-1])
        self.known = sorted(by_iri.values(), key=lambda k: k.iri)

    def known_of(self, kind: str) -> list[Known]:
        return [k for k in self.known if kind in k.types]
