"""YAML fact sheets: one source's facts, written by hand, become one named graph.

A fact sheet is a YAML file for people who do not write RDF (docs/factsheet.md
describes the format). ``load_sheet`` reads one and returns an ``Addition``:
the quads of the one named graph ``graph:{slug}``, with IRIs minted by the
rules of docs/model.md, and the line of the sheet each entity came from.

Reading is strict, because a typo must never silently drop a fact: unknown
keys, unknown vocabulary values and unknown names are errors that name the
file, the line and the field, with close suggestions. The result is
deterministic: the same sheet always gives the same quads (no clock time).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pyoxigraph as ox
import yaml

from cskg.addition import Addition, Resolver
from cskg.errors import AmbiguousName, CskgError, InputError, SyntaxProblem, UnknownName
from cskg.labels import expand, normalise
from cskg.namespaces import SCHEME_NAMES
from cskg.project import GRAPH_BASE

__all__ = ["FactSheetVocabulary", "load_sheet", "slugify"]

# --- namespaces (plain strings: this module speaks pyoxigraph) ---------------

CSKG = "https://w3id.org/cskg/def#"
ID = "https://w3id.org/cskg/id/"
VOCAB = "https://w3id.org/cskg/vocab/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
SDO = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

TYPE = RDF + "type"
LABEL = RDFS + "label"
ALT_LABEL = SKOS + "altLabel"

GSS = re.compile(r"^[EWSN][0-9]{8}$")
_DEFAULT_VOCABULARY = Path(__file__).resolve().parents[2] / "ontology" / "vocabulary.ttl"
_EPOCH = "1970-01-01T00:00:00Z"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

#: Event types: the words a sheet may use -> (class, IRI segment).
EVENT_TYPES = {
    "full inspection": (CSKG + "FullInspection", "inspection"),
    "inspection": (CSKG + "FullInspection", "inspection"),
    "monitoring visit": (CSKG + "MonitoringVisit", "monitoring-visit"),
    "focused visit": (CSKG + "FocusedVisit", "focused-visit"),
    "jtai": (CSKG + "JointTargetedAreaInspection", "jtai"),
    "joint targeted area inspection": (CSKG + "JointTargetedAreaInspection", "jtai"),
}
ORG_TYPES = {
    "inspectorate": CSKG + "Inspectorate",
    "charity": CSKG + "Charity",
    "publisher": CSKG + "NewsPublisher",
    "news publisher": CSKG + "NewsPublisher",
    "party": CSKG + "PoliticalParty",
    "political party": CSKG + "PoliticalParty",
    "trust": CSKG + "ChildrensServicesTrust",
    "childrens services trust": CSKG + "ChildrensServicesTrust",
    "organisation": ORG + "Organization",
    "organization": ORG + "Organization",
    "formal organisation": ORG + "FormalOrganization",
    "formal organization": ORG + "FormalOrganization",
}
PARTNERSHIP_TYPES = {
    "partnership": CSKG + "Partnership",
    "mash": CSKG + "MultiAgencySafeguardingHub",
    "multi agency safeguarding hub": CSKG + "MultiAgencySafeguardingHub",
}
SOURCE_KINDS = {
    "news article": (CSKG + "NewsArticle", "news article"),
    "article": (CSKG + "NewsArticle", "news article"),
    "news": (CSKG + "NewsArticle", "news article"),
    "report": (CSKG + "Report", "report"),
    "dataset": (CSKG + "Dataset", "dataset"),
}

# Allowed keys of each kind of entry (keys are compared in lower case, with
# "_" and "-" read as spaces).
TOP_KEYS = [
    "source",
    "curated",
    "curation",
    "councils",
    "events",
    "people",
    "organisations",
    "partnerships",
    "delivery",
    "claims",
    "political control",
]
SOURCE_KEYS = [
    "kind",
    "title",
    "label",
    "author",
    "authors",
    "publisher",
    "date",
    "url",
    "identifier",
    "description",
    "slug",
]
CURATION_KEYS = ["label", "graph label"]
COUNCIL_KEYS = ["id", "council", "name", "names"]
EVENT_KEYS = [
    "id",
    "type",
    "council",
    "key",
    "label",
    "fieldwork",
    "published",
    "reported",
    "framework",
    "format",
    "ordinal",
    "focus",
    "focus text",
    "final visit",
    "follows",
    "judgements",
    "findings",
]
FIELDWORK_KEYS = ["start", "end"]
FINDING_KEYS = [
    "kind",
    "theme",
    "themes",
    "service",
    "quote",
    "quotes",
    "excerpt",
    "excerpts",
    "label",
    "number",
]
JUDGEMENT_KEYS = ["grade", "label", "inferred", "inferred label"]
FOLLOWS_KEYS = ["event", "area"]
PERSON_KEYS = [
    "id",
    "name",
    "iri",
    "label",
    "council",
    "role",
    "title",
    "tenure",
    "from",
    "to",
    "attested",
    "labels",
]
PERSON_LABEL_KEYS = ["post", "holding", "during", "start", "end"]
SPAN_LABEL_KEYS = ["during", "start", "end"]
ORGANISATION_KEYS = ["id", "name", "iri", "label", "names", "type", "sector"]
PARTNERSHIP_KEYS = ["id", "name", "iri", "label", "names", "type", "part of", "members", "shares"]
MEMBER_KEYS = ["council", "organisation", "member", "from", "to", "label", "labels"]
SHARE_KEYS = ["service", "from", "to", "label", "labels"]
DELIVERY_KEYS = [
    "council",
    "delivered by",
    "service",
    "status",
    "from",
    "to",
    "attested",
    "label",
    "labels",
]
CLAIM_KEYS = [
    "by",
    "quote",
    "quotes",
    "excerpt",
    "excerpts",
    "theme",
    "themes",
    "date",
    "label",
    "number",
]
CONTROL_KEYS = ["council", "party", "attested", "key", "label"]
DATE_KEYS = ["value", "inferred", "label"]


# --- public helpers ----------------------------------------------------------


def slugify(text: str) -> str:
    """docs/model.md's slug: lower-case, ASCII-fold, '&' -> 'and', non-[a-z0-9] runs -> '-'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _key(text: str) -> str:
    """How sheet keys are compared: lower case, '_' and '-' as spaces, single spaces."""
    return re.sub(r"[\s_-]+", " ", text.strip().lower())


def _vkey(text: str) -> str:
    """How vocabulary values are compared: case-folded, no apostrophes, '-'/'_' as spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"['\u2018\u2019`]", "", folded).replace("&", " and ")
    return re.sub(r"[\s_-]+", " ", folded).strip()


# --- the vocabulary ----------------------------------------------------------


class FactSheetVocabulary:
    """The SKOS concepts of ontology/vocabulary.ttl, findable by slug, prefLabel or altLabel."""

    def __init__(self, path: Path) -> None:
        from rdflib import Graph, URIRef
        from rdflib.namespace import RDFS as R_RDFS
        from rdflib.namespace import SKOS as R_SKOS

        graph = Graph()
        graph.parse(path, format="turtle")
        self.path = path
        self.pref: dict[str, str] = {}
        self.index: dict[str, dict[str, set[str]]] = {}
        for scheme in SCHEME_NAMES:
            keys: dict[str, set[str]] = {}
            for concept in graph.subjects(R_SKOS.inScheme, URIRef(VOCAB + scheme)):
                iri = str(concept)
                names = [iri.rsplit("/", 1)[-1]]
                for prop in (R_SKOS.prefLabel, R_RDFS.label, R_SKOS.altLabel):
                    names += [str(v) for v in graph.objects(concept, prop)]
                pref = next(
                    iter(sorted(str(v) for v in graph.objects(concept, R_SKOS.prefLabel))), names[0]
                )
                self.pref[iri] = pref
                for name in names:
                    keys.setdefault(_vkey(name), set()).add(iri)
            self.index[scheme] = keys

    def concepts(self, scheme: str) -> list[str]:
        return sorted({c for cs in self.index[scheme].values() for c in cs})

    def lookup(self, scheme: str, text: str) -> set[str]:
        """The concepts ``text`` names in ``scheme`` (a label, slug, ``scheme:slug`` or IRI)."""
        value = text.strip()
        iri = expand(value) if ":" in value else None
        if iri and iri.startswith(f"{VOCAB}{scheme}/"):
            return {iri} if iri in self.pref else set()
        return set(self.index[scheme].get(_vkey(value), set()))

    def suggest(self, scheme: str, text: str) -> list[str]:
        keys = self.index[scheme]
        close = difflib.get_close_matches(_vkey(text), list(keys), n=6, cutoff=0.6)
        words = set(_vkey(text).split())
        close += [k for k in sorted(keys) if words and words & set(k.split()) and k not in close]
        found: list[str] = []
        for key in close:
            for concept in sorted(keys[key]):
                label = self.pref[concept]
                if label not in found:
                    found.append(label)
        return found[:4]


_VOCABULARIES: dict[tuple[str, int], FactSheetVocabulary] = {}


def _vocabulary(path: Path) -> FactSheetVocabulary:
    """The vocabulary file parsed once (again only when it changes)."""
    stamp = (str(path.resolve()), path.stat().st_mtime_ns)
    if stamp not in _VOCABULARIES:
        _VOCABULARIES[stamp] = FactSheetVocabulary(path)
    return _VOCABULARIES[stamp]


def _vocabulary_file(sheet: Path, resolver: Resolver | None) -> Path:
    """The project's ontology/vocabulary.ttl: the resolver's store's, else the sheet's project's."""
    store = getattr(resolver, "store", None)
    project = getattr(store, "project", None)
    if project is not None and (project.root / "ontology" / "vocabulary.ttl").is_file():
        return Path(project.root / "ontology" / "vocabulary.ttl")
    for folder in (sheet.resolve().parent, *sheet.resolve().parents):
        candidate = folder / "ontology" / "vocabulary.ttl"
        if candidate.is_file() and (folder / "graphs").is_dir():
            return candidate
    if not _DEFAULT_VOCABULARY.is_file():
        raise InputError(
            f"{sheet}: cannot find ontology/vocabulary.ttl to read the sheet's values against",
            "read the sheet inside a cskg project (a folder with ontology/ and graphs/)",
        )
    return _DEFAULT_VOCABULARY


# --- the YAML tree, with line numbers ------------------------------------------


@dataclass
class Y:
    """A YAML node: its value (dict of Y, list of Y, or a scalar), where it starts, its text."""

    value: Any
    line: int
    col: int
    text: str | None = None
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_scalar(self) -> bool:
        return not self.is_map and not self.is_list

    @property
    def is_null(self) -> bool:
        return self.value is None and self.is_scalar


def _parse_yaml(text: str, display: str) -> Y:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(f"{display}: the fact sheet is empty", "start it with a source: block")
        return _tree(loader, node, display)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "YAML syntax error"
        if error.context and error.problem:
            problem = f"{problem} ({error.context})"
        raise SyntaxProblem(
            display, mark.line + 1 if mark else None, mark.column + 1 if mark else None, problem
        ) from None
    except yaml.YAMLError as error:
        raise InputError(f"{display}: not YAML: {error}") from None
    finally:
        loader.dispose()


def _tree(loader: yaml.SafeLoader, node: yaml.Node, display: str) -> Y:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        values: dict[str, Y] = {}
        keys: dict[str, tuple[str, int]] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(f"{display}:{key_line}: a key must be a plain word or phrase")
            raw = str(key_node.value)
            key = _key(raw)
            if key in values:
                raise InputError(
                    f"{display}:{key_line}: the key {raw!r} is given twice in one entry "
                    f"(first on line {keys[key][1]})",
                    "YAML keeps only the last one; merge the two or start a new list entry with '- '",
                )
            values[key] = _tree(loader, value_node, display)
            keys[key] = (raw, key_line)
        return Y(values, line, col, keys=keys)
    if isinstance(node, yaml.SequenceNode):
        return Y([_tree(loader, item, display) for item in node.value], line, col)
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError):
        value = node.value  # e.g. 2018-02-30: not a date, kept as text to be reported
    if node.tag == "tag:yaml.org,2002:null" or value is None:
        return Y(None, line, col, text=None)
    return Y(value, line, col, text=str(node.value))


# --- values read from the sheet -----------------------------------------------


@dataclass
class DateVal:
    """A date at the precision written, and why it was inferred (if it was)."""

    lexical: str
    precision: str  # "day", "month" or "year"
    line: int
    col: int
    inferred: str | None = None
    inferred_label: str | None = None

    @property
    def datatype(self) -> str:
        return XSD + {"day": "date", "month": "gYearMonth", "year": "gYear"}[self.precision]

    @property
    def time_property(self) -> str:
        return (
            TIME
            + {"day": "inXSDDate", "month": "inXSDgYearMonth", "year": "inXSDgYear"}[self.precision]
        )

    def literal(self) -> ox.Literal:
        return ox.Literal(self.lexical, datatype=ox.NamedNode(self.datatype))

    @property
    def year(self) -> int:
        return int(self.lexical[:4])

    def human(self) -> str:
        return human_date(self.lexical)


def human_date(lexical: str) -> str:
    """'13 June 2018', 'June 2018' or '2018'."""
    parts = lexical.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return lexical


def human_span(start: str | None, end: str | None) -> str:
    """'April to May 2018', '10 to 14 April 2018', '2011 to 2017', 'June 2018'."""
    if start and end and start != end:
        a, b = human_date(start), human_date(end)
        if len(start) > 4 and start[:4] == end[:4]:
            a = a[: -len(start[:4]) - 1]
            if len(start) == len(end) == 10 and start[:7] == end[:7]:
                a = str(int(start[8:]))
        return f"{a} to {b}"
    one = start or end
    return human_date(one) if one else ""


def _date_from_text(text: str) -> tuple[str, str] | None:
    text = text.strip()
    if re.fullmatch(r"[0-9]{4}", text):
        return text, "year"
    match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", text)
    if match:
        month = int(match.group(2))
        return (f"{match.group(1)}-{month:02d}", "month") if 1 <= month <= 12 else None
    match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
    if match:
        try:
            day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
        return day.isoformat(), "day"
    return None


def _short(text: str, limit: int = 90) -> str:
    """The first sentence of ``text``, cut at a word boundary near ``limit`` characters."""
    text = " ".join(text.split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


def _sentence_case(text: str) -> str:
    lowered = text[:1].upper() + text[1:].lower()
    return lowered


@dataclass
class Ref:
    """Something a sheet entry can point at: a council, person, organisation, partnership, event."""

    kind: str
    iri: str
    display: str
    line: int
    data: dict[str, Any] = field(default_factory=dict)


# --- reading one sheet --------------------------------------------------------


class Entry:
    """One mapping of the sheet, with its allowed keys checked and typed getters."""

    def __init__(self, sheet: _Sheet, node: Y, where: str, allowed: Sequence[str]) -> None:
        if not node.is_map:
            sheet.fail(node, f"{where}: expected 'key: value' lines here, found {_found(node)}")
        self.sheet = sheet
        self.node = node
        self.where = where
        for key, (raw, key_line) in node.keys.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
                guess = f"; did you mean {close[0]!r}?" if close else ""
                sheet.fail(
                    key_line,
                    f"{where}: unknown key {raw!r}{guess}",
                    "allowed keys here: " + ", ".join(allowed),
                )

    @property
    def line(self) -> int:
        return self.node.line

    def get(self, key: str) -> Y | None:
        value = self.node.value.get(key)
        return None if value is None or value.is_null else value

    def key_line(self, key: str) -> int:
        return self.node.keys.get(key, ("", self.line))[1]

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.get(key)
        if value is None:
            if required:
                self.sheet.fail(self.line, f"{self.where}: {key!r} is missing")
            return None
        return self.sheet.scalar_text(value, f"{self.where}: {key}")

    def texts(self, *keys: str) -> list[tuple[str, Y]]:
        """Every text under any of ``keys``, each a single text or a list of texts."""
        found: list[tuple[str, Y]] = []
        for key in keys:
            value = self.get(key)
            if value is None:
                continue
            items = value.value if value.is_list else [value]
            for item in items:
                if item.is_null:
                    continue
                found.append((self.sheet.scalar_text(item, f"{self.where}: {key}"), item))
        return found

    def date(self, key: str) -> DateVal | None:
        value = self.get(key)
        return None if value is None else self.sheet.date(value, f"{self.where}: {key}")

    def vocab(self, key: str, scheme: str) -> str | None:
        value = self.get(key)
        if value is None:
            return None
        return self.sheet.concept(value, scheme, f"{self.where}: {key}")

    def vocabs(self, scheme: str, *keys: str) -> list[str]:
        found: list[str] = []
        for text, node in self.texts(*keys):
            concept = self.sheet.concept(node, scheme, f"{self.where}: {keys[-1]}", text)
            if concept not in found:
                found.append(concept)
        return found

    def boolean(self, key: str) -> bool | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value.value, bool):
            return value.value
        self.sheet.fail(value, f"{self.where}: {key}: write true or false, not {value.text!r}")

    def positive(self, key: str) -> int | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value.value, int) and not isinstance(value.value, bool) and value.value > 0:
            return int(value.value)
        if isinstance(value.value, str) and re.fullmatch(r"[1-9][0-9]*", value.value.strip()):
            return int(value.value)
        self.sheet.fail(
            value, f"{self.where}: {key}: write a whole number from 1, not {value.text!r}"
        )

    def entries(self, key: str, where: str, allowed: Sequence[str]) -> list[Entry]:
        value = self.get(key)
        if value is None:
            return []
        if not value.is_list:
            self.sheet.fail(
                value, f"{self.where}: {key}: expected a list of entries, each starting '- '"
            )
        return [
            Entry(self.sheet, item, f"{where} {n}", allowed)
            for n, item in enumerate(value.value, 1)
        ]

    def labels(self, allowed: Sequence[str]) -> dict[str, str]:
        value = self.get("labels")
        if value is None:
            return {}
        sub = Entry(self.sheet, value, f"{self.where}: labels", allowed)
        return {k: sub.text(k) or "" for k in allowed if sub.has(k)}


def _found(node: Y) -> str:
    if node.is_list:
        return "a list"
    if node.is_map:
        return "a mapping"
    return f"{node.text!r}"


class _Sheet:
    """The state of one conversion."""

    def __init__(
        self, display: str, resolver: Resolver | None, vocabulary: FactSheetVocabulary
    ) -> None:
        self.display = display
        self.resolver = resolver
        self.vocabulary = vocabulary
        self.triples: set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = set()
        self.lines: dict[str, int] = {}
        self.labels: dict[str, tuple[str, int]] = {}
        self.ids: dict[str, Ref] = {}
        self.by_name: dict[str, dict[str, Ref]] = {
            "council": {},
            "person": {},
            "organisation": {},
            "partnership": {},
            "event": {},
        }
        self.council_cache: dict[str, Ref] = {}
        self.inferences: list[
            tuple[int, int, str, str, ox.NamedNode | ox.Literal, str, str | None]
        ] = []
        self.event_iris: set[str] = set()
        self.source_date: DateVal | None = None
        self.source_iri = ""
        self.graph_iri = ""
        self.citation = ""
        self.publisher_name: str | None = None
        self.publisher: tuple[str, str, Y] | None = None
        self.authors: list[tuple[str, Y]] = []
        self.people_refs: list[Ref] = []
        self.partnership_refs: list[Ref] = []

    # -- errors -----------------------------------------------------------

    def fail(self, where: Y | int, message: str, hint: str | None = None) -> NoReturn:
        line = where if isinstance(where, int) else where.line
        raise InputError(f"{self.display}:{line}: {message}", hint)

    def relocate(self, error: CskgError, where: Y | int, field_name: str, name: str) -> NoReturn:
        """Re-raise a resolver's error with the sheet's file, line and field in front."""
        line = where if isinstance(where, int) else where.line
        prefix = f"{self.display}:{line}: {field_name}: "
        located: CskgError
        if isinstance(error, UnknownName):
            located = UnknownName(error.name, error.suggestions)
        elif isinstance(error, AmbiguousName):
            located = AmbiguousName(name, error.candidates)
        else:
            located = InputError(error.message, error.hint)
        located.message = prefix + error.message
        if isinstance(error, UnknownName) and error.suggestions:
            located.message += f"; did you mean: {'; '.join(error.suggestions)}?"
        located.hint = error.hint
        located.args = (located.message,)
        raise located from None

    # -- triples ----------------------------------------------------------

    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
        self.triples.add((ox.NamedNode(s), ox.NamedNode(p), obj))

    def text_(self, s: str, p: str, text: str) -> None:
        self.add(s, p, ox.Literal(text))

    def entity(
        self, iri: str, line: int, types: Iterable[str] = (), label: str | None = None
    ) -> None:
        self.lines.setdefault(iri, line)
        for t in types:
            self.add(iri, TYPE, t)
        if label is not None:
            self.label(iri, label, line)

    def label(self, iri: str, label: str, line: int) -> None:
        label = " ".join(label.split())
        if not label:
            self.fail(line, f"an empty label for {iri}")
        known = self.labels.get(iri)
        if known is not None and known[0] != label:
            self.fail(
                line,
                f"{iri} would get two labels: {known[0]!r} (line {known[1]}) and {label!r}",
                "give both entries the same label:, or leave it out of one of them",
            )
        self.labels[iri] = (label, line)
        self.text_(iri, LABEL, label)

    def dated(self, s: str, p: str, value: DateVal) -> None:
        self.add(s, p, value.literal())
        if value.inferred:
            self.inferences.append(
                (value.line, value.col, s, p, value.literal(), value.inferred, value.inferred_label)
            )

    # -- scalar values ----------------------------------------------------

    def scalar_text(self, node: Y, where: str) -> str:
        if not node.is_scalar or node.text is None:
            self.fail(node, f"{where}: expected text, found {_found(node)}")
        text = node.text.strip()
        if not text:
            self.fail(node, f"{where}: is empty")
        return text

    def date(self, node: Y, where: str) -> DateVal:
        inferred = inferred_label = None
        if node.is_map:
            sub = Entry(self, node, where, DATE_KEYS)
            value = sub.get("value")
            if value is None:
                self.fail(
                    node, f"{where}: 'value' is missing (the date itself, e.g. value: 2018-03)"
                )
            inferred = sub.text("inferred", required=True)
            inferred_label = sub.text("label")
            node = value
        if isinstance(node.value, dt.datetime) or not node.is_scalar:
            self.fail(node, f"{where}: expected a date, found {_found(node)}")
        text = node.value.isoformat() if isinstance(node.value, dt.date) else str(node.text)
        parsed = _date_from_text(text)
        if parsed is None:
            self.fail(
                node,
                f"{where}: {text!r} is not a date",
                "write a year (2018), a month (2018-04) or a day (2018-04-10), at the precision the source gives",
            )
        return DateVal(parsed[0], parsed[1], node.line, node.col, inferred, inferred_label)

    def concept(self, node: Y, scheme: str, where: str, text: str | None = None) -> str:
        value = text if text is not None else self.scalar_text(node, where)
        found = self.vocabulary.lookup(scheme, value)
        if len(found) == 1:
            return next(iter(found))
        if found:
            options = "; ".join(self.vocabulary.pref[c] for c in sorted(found))
            self.fail(node, f"{where}: {value!r} is ambiguous among {scheme} values: {options}")
        self.unknown_value(node, where, value, scheme)

    def unknown_value(self, node: Y, where: str, value: str, scheme: str) -> NoReturn:
        suggestions = self.vocabulary.suggest(scheme, value)
        guess = f"; did you mean: {'; '.join(suggestions)}?" if suggestions else ""
        allowed = "; ".join(
            sorted(
                {self.vocabulary.pref[c] for c in self.vocabulary.concepts(scheme)}, key=str.lower
            )
        )
        self.fail(
            node, f"{where}: {value!r} is not a known {scheme}{guess}", f"known values: {allowed}"
        )

    def choice(self, node: Y, options: dict[str, Any], where: str, what: str) -> Any:
        value = self.scalar_text(node, where)
        key = _vkey(value)
        if key in options:
            return options[key]
        close = difflib.get_close_matches(key, list(options), n=3, cutoff=0.5)
        guess = f"; did you mean: {'; '.join(close)}?" if close else ""
        self.fail(
            node,
            f"{where}: {value!r} is not a known {what}{guess}",
            "use one of: " + "; ".join(options),
        )

    # -- local ids and names ------------------------------------------------

    def register(
        self, ref: Ref, local_id: str | None, names: Iterable[str], id_node: Y | None
    ) -> None:
        if local_id is not None:
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", local_id):
                self.fail(
                    id_node or ref.line,
                    f"id {local_id!r}: use letters, digits, '-', '_' or '.' (no spaces)",
                )
            if local_id in self.ids and self.ids[local_id].iri != ref.iri:
                self.fail(
                    id_node or ref.line,
                    f"id {local_id!r} is already used on line {self.ids[local_id].line}",
                )
            self.ids.setdefault(local_id, ref)
        for name in names:
            self.by_name[ref.kind].setdefault(normalise(name), ref)

    def local(self, text: str, kinds: Sequence[str]) -> Ref | None:
        """The sheet entry ``text`` names: an id, else a name of an entry of one of ``kinds``."""
        ref = self.ids.get(text.strip())
        if ref is not None and ref.kind in kinds:
            return ref
        for kind in kinds:
            ref = self.by_name[kind].get(normalise(text))
            if ref is not None:
                return ref
        return None

    def local_names(self, kinds: Sequence[str]) -> list[str]:
        names = [i for i, r in self.ids.items() if r.kind in kinds]
        for kind in kinds:
            names += [r.display for r in self.by_name[kind].values()]
        return sorted(set(names))

    def not_found(
        self, node: Y, where: str, text: str, kinds: Sequence[str], hint: str
    ) -> NoReturn:
        close = difflib.get_close_matches(text, self.local_names(kinds), n=3, cutoff=0.6)
        guess = f"; did you mean: {'; '.join(close)}?" if close else ""
        self.fail(
            node, f"{where}: {text!r} names no {' or '.join(kinds)} in this sheet{guess}", hint
        )

    # -- councils ---------------------------------------------------------

    def resolve_council(self, text: str, node: Y, where: str) -> str:
        code = text.strip().upper()
        if self.resolver is None:
            if GSS.fullmatch(code):
                return f"{ID}council/{code}"
            self.fail(
                node,
                f"{where}: {text!r}: without the graph to look names up in, name a council by its GSS code",
                "e.g. council: E08000001 (Bolton); or add the sheet with the project's graph at hand",
            )
        try:
            iri = self.resolver.council(code if GSS.fullmatch(code) else text)
        except CskgError as error:
            self.relocate(error, node, where, text)
        if not iri.startswith(f"{ID}council/"):
            self.fail(node, f"{where}: {text!r} names {iri}, which is not a council")
        return iri

    def council(self, node: Y, where: str) -> Ref:
        """A council reference: a sheet id, a name from councils:, a name/alias/GSS code."""
        text = self.scalar_text(node, where)
        ref = self.local(text, ["council"])
        if ref is None:
            cached = self.council_cache.get(normalise(text))
            if cached is None:
                iri = self.resolve_council(text, node, where)
                cached = Ref("council", iri, text, node.line)
                self.council_cache[normalise(text)] = cached
            ref = cached
        self.entity(ref.iri, ref.line, [CSKG + "Council"])
        return ref

    # -- people and organisations ------------------------------------------

    def existing(self, kind: str, name: str, node: Y, where: str) -> str | None:
        """The one existing person/organisation called ``name``; an error when several are."""
        if self.resolver is None:
            return None
        try:
            found = (
                self.resolver.people(name)
                if kind == "person"
                else self.resolver.organisations(name)
            )
        except CskgError as error:
            self.relocate(error, node, where, name)
        found = sorted(set(found))
        if len(found) > 1:
            what = "people" if kind == "person" else "organisations"
            self.fail(
                node,
                f"{where}: {name!r} matches several existing {what}: " + ", ".join(found),
                "cskg never merges them silently: give this entry an explicit iri: (one of those, "
                f"or a new cskgid:{'person' if kind == 'person' else 'org'}/... IRI for someone else)",
            )
        return found[0] if found else None

    def explicit_iri(self, node: Y, where: str, prefix: str) -> str:
        text = self.scalar_text(node, where)
        iri = expand(text)
        if iri is None or not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", iri):
            self.fail(
                node,
                f"{where}: {text!r} is not an IRI",
                f"write it as {prefix}... or <https://...>",
            )
        return iri

    def person_ref(self, name: str, node: Y, where: str, line: int) -> Ref:
        """An author or another person named in passing: reuse one existing, else mint."""
        ref = self.local(name, ["person"])
        if ref is not None:
            return ref
        iri = (
            self.existing("person", name, node, where)
            or f"{ID}person/{self.slug_or_fail(name, node, where)}"
        )
        ref = Ref("person", iri, name, line)
        self.register(ref, None, [name], None)
        self.entity(iri, line, [SDO + "Person"], name)
        return ref

    def org_ref(self, name: str, default_type: str, node: Y, where: str, line: int) -> Ref:
        """A publisher, party or inspectorate named in passing: a sheet entry, one existing, or new."""
        ref = self.local(name, ["organisation"])
        if ref is not None:
            return ref
        iri = (
            self.existing("organisation", name, node, where)
            or f"{ID}org/{self.slug_or_fail(name, node, where)}"
        )
        ref = Ref("organisation", iri, name, line)
        self.register(ref, None, [name], None)
        self.entity(iri, line, [default_type], name)
        return ref

    def ofsted(self, line: int, node: Y) -> Ref:
        return self.org_ref("Ofsted", CSKG + "Inspectorate", node, "inspectorate", line)

    def slug_or_fail(self, text: str, node: Y, where: str) -> str:
        slug = slugify(text)
        if not slug:
            self.fail(node, f"{where}: {text!r} gives no letters or digits for an IRI")
        return slug

    # -- time spans -------------------------------------------------------

    def span(
        self,
        owner: str,
        prop: str,
        start: DateVal | None,
        end: DateVal | None,
        owner_label: str,
        labels: dict[str, str],
        line: int,
    ) -> None:
        if start is None and end is None:
            for which in ("during", "start", "end"):
                if which in labels:
                    self.fail(line, f"labels: {which}: there is no from:/to: date to label")
            return
        if (
            start
            and end
            and not (start.lexical.startswith(end.lexical) or end.lexical.startswith(start.lexical))
        ) and end.lexical < start.lexical:
            self.fail(end.line, f"to: {end.lexical} is before from: {start.lexical}")
        during = owner + "/during"
        self.add(owner, prop, during)
        if start and end:
            text = f"{human_span(start.lexical, end.lexical)} ({owner_label})"
        elif start:
            text = f"From {start.human()} ({owner_label})"
        else:
            assert end is not None
            text = f"Until {end.human()} ({owner_label})"
        self.entity(during, line, [TIME + "Interval"], labels.get("during") or text)
        for which, value, link in (
            ("start", start, TIME + "hasBeginning"),
            ("end", end, TIME + "hasEnd"),
        ):
            if value is None:
                if which in labels:
                    self.fail(
                        line,
                        f"labels: {which}: there is no {'from' if which == 'start' else 'to'}: date",
                    )
                continue
            instant = f"{during}/{which}"
            self.add(during, link, instant)
            self.entity(instant, value.line, [TIME + "Instant"], labels.get(which) or value.human())
            self.dated(instant, value.time_property, value)

    def attested(self, entry: Entry) -> DateVal | None:
        """``attested:`` as written; the source's date when left out; none when written as null."""
        if "attested" in entry.node.value:
            return entry.date("attested")
        return self.source_date_plain()

    def source_date_plain(self) -> DateVal | None:
        if self.source_date is None:
            return None
        d = self.source_date
        return DateVal(d.lexical, d.precision, d.line, d.col)


# --- the sections --------------------------------------------------------------


def load_sheet(path: Path, display: str, resolver: Resolver | None) -> Addition:
    """Read a YAML fact sheet into the quads of one named graph (see docs/factsheet.md)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{display}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise InputError(f"{display}: is not UTF-8 text") from None
    root = _parse_yaml(text, display)
    sheet = _Sheet(display, resolver, _vocabulary(_vocabulary_file(path, resolver)))
    top = Entry(sheet, root, "the fact sheet", TOP_KEYS)
    if not top.has("source"):
        sheet.fail(
            root,
            "the fact sheet has no source: block",
            "every fact sheet describes exactly one source",
        )

    _source(sheet, top)
    _organisations(sheet, top)
    _councils(sheet, top)
    _people_names(sheet, top)
    _source_agents(sheet)
    _partnership_names(sheet, top)
    events = _event_names(sheet, top)
    _events(sheet, events)
    _people(sheet, top)
    _partnerships(sheet, top)
    _delivery(sheet, top)
    _claims(sheet, top)
    _political_control(sheet, top)
    _inferences(sheet)

    graph = ox.NamedNode(sheet.graph_iri)
    ordered = sorted(sheet.triples, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    quads = [ox.Quad(s, p, o, graph) for s, p, o in ordered]
    return Addition(
        display=display,
        graph=sheet.graph_iri,
        quads=quads,
        lines=dict(sheet.lines),
        source_text=text,
    )


def _source(sheet: _Sheet, top: Entry) -> None:
    node = top.get("source")
    assert node is not None
    src = Entry(sheet, node, "source", SOURCE_KEYS)
    kind_node = src.get("kind")
    source_type, kind_name = (
        sheet.choice(kind_node, SOURCE_KINDS, "source: kind", "kind of source")
        if kind_node is not None
        else SOURCE_KINDS["news article"]
    )
    title = src.text("title")
    date = src.date("date")
    sheet.source_date = date
    explicit_label = src.text("label")

    slug_text = src.text("slug")
    prefix = date.lexical if date else "undated"
    if slug_text:
        slug = slugify(slug_text)
        if not re.match(r"^([0-9]{4}(-[0-9]{2}){0,2}|undated)-", slug):
            slug = f"{prefix}-{slug}"
    else:
        words = title or explicit_label
        if not words:
            sheet.fail(src.line, "source: give a title:, or a slug: to name the graph by")
        slug = f"{prefix}-{slugify(' '.join(words.split()[:6]))}".rstrip("-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        sheet.fail(src.line, f"source: slug {slug!r} is not lower-case letters, digits and hyphens")
    sheet.graph_iri = GRAPH_BASE + slug
    sheet.source_iri = f"{ID}source/{slug}"
    s = sheet.source_iri
    line = top.key_line("source")

    label = explicit_label or title
    if not label:
        when = f" of {date.human()}" if date else ", undated"
        label = f"[Untitled {kind_name}{when}]"
    sheet.entity(s, line, [source_type], label)
    if title:
        sheet.text_(s, DCT + "title", title)
    if date:
        sheet.dated(s, DCT + "issued", date)
    url = src.text("url")
    if url:
        if not re.fullmatch(r"https?://\S+", url):
            sheet.fail(
                src.get("url") or src.line, f"source: url: {url!r} is not an http(s) address"
            )
        sheet.add(s, SDO + "url", ox.Literal(url, datatype=ox.NamedNode(XSD + "anyURI")))
    identifier = src.text("identifier")
    if identifier:
        sheet.text_(s, DCT + "identifier", identifier)
    description = src.text("description")
    if description:
        sheet.text_(s, DCT + "description", description)
    sheet.authors = src.texts("author", "authors")
    publisher = src.get("publisher")
    if publisher is not None:
        name = sheet.scalar_text(publisher, "source: publisher")
        default = (
            CSKG + "NewsPublisher"
            if source_type == CSKG + "NewsArticle"
            else ORG + "FormalOrganization"
        )
        sheet.publisher_name = name
        sheet.publisher = (name, default, publisher)

    # The graph and its curation describe themselves (docs/model.md, "Named graphs").
    who = ", ".join(x for x in (sheet.publisher_name, date.human() if date else None) if x)
    sheet.citation = f"'{title or label}'" + (f" ({who})" if who else "")
    curated = top.get("curated")
    generated = _curated_time(sheet, curated, date)
    curation = top.get("curation")
    cur = Entry(sheet, curation, "curation", CURATION_KEYS) if curation is not None else None
    g, activity = sheet.graph_iri, sheet.graph_iri + "/curation"
    sheet.entity(
        g,
        line,
        [CSKG + "SourceGraph"],
        (cur.text("graph label") if cur else None) or f"Facts from {sheet.citation}",
    )
    sheet.add(g, PROV + "wasDerivedFrom", s)
    sheet.add(
        g, PROV + "generatedAtTime", ox.Literal(generated, datatype=ox.NamedNode(XSD + "dateTime"))
    )
    sheet.add(g, PROV + "wasGeneratedBy", activity)
    sheet.entity(
        activity,
        line,
        [PROV + "Activity"],
        (cur.text("label") if cur else None) or f"Curation of {sheet.citation} from a fact sheet",
    )
    sheet.add(activity, PROV + "used", s)


def _curated_time(sheet: _Sheet, node: Y | None, date: DateVal | None) -> str:
    """The graph's prov:generatedAtTime: curated: as given, else the source date at midnight UTC."""
    if node is None:
        if date is None:
            return _EPOCH
        year, month, day = (date.lexical.split("-") + ["01", "01"])[:3]
        return f"{year}-{month}-{day}T00:00:00Z"
    value = node.value
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        try:
            moment = dt.datetime.fromisoformat(str(node.text).strip())
        except ValueError:
            sheet.fail(
                node,
                f"curated: {node.text!r} is not a date and time",
                "write e.g. curated: 2026-11-22T09:30:00Z",
            )
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _organisations(sheet: _Sheet, top: Entry) -> None:
    for org in top.entries("organisations", "organisations: entry", ORGANISATION_KEYS):
        name = org.text("name")
        iri_node = org.get("iri")
        if name is None and iri_node is None:
            sheet.fail(org.line, f"{org.where}: give the organisation's name:")
        where = f"{org.where}"
        type_node = org.get("type")
        org_type = (
            sheet.choice(type_node, ORG_TYPES, f"{where}: type", "type of organisation")
            if type_node is not None
            else ORG + "Organization"
        )
        if iri_node is not None:
            iri = sheet.explicit_iri(iri_node, f"{where}: iri", "cskgid:org/")
        else:
            assert name is not None
            iri = (
                sheet.existing("organisation", name, org.get("name") or org.node, f"{where}: name")
                or f"{ID}org/{sheet.slug_or_fail(name, org.node, where)}"
            )
        label = org.text("label") or name
        assert label is not None
        ref = Ref("organisation", iri, name or label, org.line)
        alt = [t for t, _ in org.texts("names")]
        local_id = org.text("id")
        sheet.register(ref, local_id, [n for n in (name, label, *alt) if n], org.get("id"))
        sheet.entity(iri, org.line, [org_type], label)
        for alias in alt:
            sheet.text_(iri, ALT_LABEL, alias)
        sector = org.vocab("sector", "sector")
        if sector:
            sheet.add(iri, CSKG + "sector", sector)


def _source_agents(sheet: _Sheet) -> None:
    """The source's authors and publisher: entries of this sheet, existing ones, or new."""
    for name, node in sheet.authors:
        person = sheet.person_ref(name, node, "source: author", node.line)
        sheet.add(sheet.source_iri, DCT + "creator", person.iri)
    if sheet.publisher is not None:
        name, default, node = sheet.publisher
        ref = sheet.org_ref(name, default, node, "source: publisher", node.line)
        sheet.add(sheet.source_iri, DCT + "publisher", ref.iri)


def _councils(sheet: _Sheet, top: Entry) -> None:
    value = top.get("councils")
    if value is None:
        return
    if not value.is_list:
        sheet.fail(value, "councils: expected a list of councils, each starting '- '")
    for n, item in enumerate(value.value, 1):
        where = f"councils: entry {n}"
        if item.is_scalar:
            names = [(sheet.scalar_text(item, where), item)]
            ref_node, ref_text, local_id, id_node = item, names[0][0], None, None
        else:
            entry = Entry(sheet, item, where, COUNCIL_KEYS)
            names = entry.texts("name", "names")
            ref_node = entry.get("council") or (names[0][1] if names else None)
            if ref_node is None:
                sheet.fail(
                    item, f"{where}: give the council's name(s) as the source writes them (names:)"
                )
            ref_text = sheet.scalar_text(ref_node, f"{where}: council")
            local_id, id_node = entry.text("id"), entry.get("id")
        iri = sheet.resolve_council(ref_text, ref_node, f"{where}: council")
        display = names[0][0] if names else ref_text
        known = next((r for r in sheet.by_name["council"].values() if r.iri == iri), None)
        ref = known or Ref("council", iri, display, item.line)
        sheet.register(ref, local_id, [display, ref_text, *(t for t, _ in names)], id_node)
        sheet.entity(iri, item.line, [CSKG + "Council"])
        for text, _ in names:
            sheet.text_(iri, ALT_LABEL, text)


def _people_names(sheet: _Sheet, top: Entry) -> None:
    for person in top.entries("people", "people: entry", PERSON_KEYS):
        name = person.text("name")
        iri_node = person.get("iri")
        if name is None:
            sheet.fail(
                person.line, f"{person.where}: give the person's name: as the source writes it"
            )
        known = sheet.local(name, ["person"]) if iri_node is None else None
        if known is not None:
            ref = known
        else:
            if iri_node is not None:
                iri = sheet.explicit_iri(iri_node, f"{person.where}: iri", "cskgid:person/")
            else:
                iri = (
                    sheet.existing(
                        "person", name, person.get("name") or person.node, f"{person.where}: name"
                    )
                    or f"{ID}person/{sheet.slug_or_fail(name, person.node, person.where)}"
                )
            ref = Ref("person", iri, name, person.line)
        sheet.register(ref, person.text("id"), [name], person.get("id"))
        sheet.entity(ref.iri, person.line, [SDO + "Person"], person.text("label") or name)
        sheet.people_refs.append(ref)


def _partnership_names(sheet: _Sheet, top: Entry) -> None:
    for part in top.entries("partnerships", "partnerships: entry", PARTNERSHIP_KEYS):
        name = part.text("name")
        iri_node = part.get("iri")
        if name is None:
            sheet.fail(part.line, f"{part.where}: give the partnership's name:")
        if iri_node is not None:
            iri = sheet.explicit_iri(iri_node, f"{part.where}: iri", "cskgid:partnership/")
        else:
            iri = f"{ID}partnership/{sheet.slug_or_fail(name, part.node, part.where)}"
        label = part.text("label") or name
        ref = Ref("partnership", iri, label, part.line)
        alt = [t for t, _ in part.texts("names")]
        sheet.register(ref, part.text("id"), [name, label, *alt], part.get("id"))
        sheet.partnership_refs.append(ref)


@dataclass
class _Event:
    entry: Entry
    ref: Ref
    kind: str
    cls: str
    council: Ref
    start: DateVal | None
    end: DateVal | None
    published: DateVal | None
    reported: DateVal | None
    framework: str | None
    judgements: dict[str, tuple[str, int]] = field(default_factory=dict)


def _event_names(sheet: _Sheet, top: Entry) -> list[_Event]:
    """First pass over events: their IRIs (for follows: and collisions)."""
    events: list[_Event] = []
    counts: dict[str, int] = {}
    for ev in top.entries("events", "events: entry", EVENT_KEYS):
        type_node = ev.get("type")
        if type_node is None:
            sheet.fail(
                ev.line,
                f"{ev.where}: give its type: full inspection, monitoring visit, focused visit or JTAI",
            )
        cls, segment = sheet.choice(type_node, EVENT_TYPES, f"{ev.where}: type", "type of event")
        _check_event_keys(sheet, ev, segment)
        council_node = ev.get("council")
        if council_node is None:
            sheet.fail(
                ev.line, f"{ev.where}: give the inspected council: (a name, alias, GSS code or id)"
            )
        council = sheet.council(council_node, f"{ev.where}: council")
        start = end = None
        fieldwork = ev.get("fieldwork")
        if fieldwork is not None:
            if fieldwork.is_map and not set(fieldwork.value) <= set(DATE_KEYS):
                fw = Entry(sheet, fieldwork, f"{ev.where}: fieldwork", FIELDWORK_KEYS)
                start, end = fw.date("start"), fw.date("end")
            else:
                start = sheet.date(fieldwork, f"{ev.where}: fieldwork")
        published, reported = ev.date("published"), ev.date("reported")
        ordinal = ev.positive("ordinal")
        key = ev.text("key")
        if key is not None:
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
                sheet.fail(
                    ev.get("key") or ev.line,
                    f"{ev.where}: key {key!r}: use lower-case letters, digits and hyphens",
                )
        else:
            first = start or published or reported
            if first is not None:
                key = first.lexical
            elif ordinal is not None:
                key = f"visit-{ordinal}"
            else:
                sheet.fail(
                    ev.line,
                    f"{ev.where}: the event needs a date (fieldwork:, published: or reported:), an ordinal: or a key:",
                    "its IRI is made from the first of these (docs/model.md)",
                )
        gss = council.iri.rsplit("/", 1)[-1]
        base = f"{ID}event/{gss}/{segment}/{key}"
        counts[base] = counts.get(base, 0) + 1
        iri = base if counts[base] == 1 else f"{base}-{counts[base]}"
        while iri in sheet.event_iris:  # a -2 that an explicit key already took
            counts[base] += 1
            iri = f"{base}-{counts[base]}"
        sheet.event_iris.add(iri)
        ref = Ref("event", iri, key, ev.line)
        sheet.register(ref, ev.text("id"), [], ev.get("id"))
        framework = ev.vocab("framework", "framework")
        events.append(
            _Event(ev, ref, segment, cls, council, start, end, published, reported, framework)
        )
    return events


def _check_event_keys(sheet: _Sheet, ev: Entry, kind: str) -> None:
    """Keys that belong to another kind of event are mistakes, not facts to drop."""
    if kind == "inspection":
        for key in ("ordinal", "focus", "focus text", "final visit", "follows"):
            if ev.has(key):
                sheet.fail(
                    ev.key_line(key),
                    f"{ev.where}: {key}: is for monitoring visits (focus also for focused visits and JTAIs), not full inspections",
                )
        return
    for key in ("judgements", "framework", "format"):
        if ev.has(key):
            sheet.fail(
                ev.key_line(key),
                f"{ev.where}: {key}: only full inspections are graded and have a framework or format",
            )
    if kind != "monitoring-visit":
        for key in ("ordinal", "final visit", "follows"):
            if ev.has(key):
                sheet.fail(ev.key_line(key), f"{ev.where}: {key}: is for monitoring visits")


def _events(sheet: _Sheet, events: list[_Event]) -> None:
    by_iri = {e.ref.iri: e for e in events}
    pending: list[tuple[_Event, Y]] = []
    for event in events:
        ev, e = event.entry, event.ref.iri
        line = ev.line
        ofsted = sheet.ofsted(line, ev.node)
        council_name = event.council.display
        focus = ev.vocab("focus", "service")
        focus_text = ev.text("focus text")
        ordinal = ev.positive("ordinal")
        final = ev.boolean("final visit")
        when = (
            human_span(event.start.lexical, event.end.lexical if event.end else None)
            if event.start
            else ""
        )
        if not when:
            first = event.published or event.reported
            when = first.human() if first else ""
        focus_label = sheet.vocabulary.pref[focus] if focus else None
        if event.kind == "inspection":
            default = f"Ofsted inspection of {council_name} children's services" + (
                f", {when}" if when else ""
            )
        else:
            parts = ", ".join(p for p in (when, focus_label) if p)
            base = {
                "monitoring-visit": f"{council_name} monitoring visit"
                + (f" {ordinal}" if ordinal else ""),
                "focused-visit": f"Ofsted focused visit to {council_name}",
                "jtai": f"Joint targeted area inspection in {council_name}",
            }[event.kind]
            default = base + (f" ({parts})" if parts else "")
        sheet.entity(e, line, [event.cls], ev.text("label") or default)
        sheet.add(e, CSKG + "inspectedAuthority", event.council.iri)
        sheet.add(e, PROV + "wasAssociatedWith", ofsted.iri)
        for prop, value in (
            ("fieldworkStart", event.start),
            ("fieldworkEnd", event.end),
            ("publicationDate", event.published),
            ("reportedDate", event.reported),
        ):
            if value is not None:
                sheet.dated(e, CSKG + prop, value)
        if (
            event.start
            and event.end
            and not (
                event.start.lexical.startswith(event.end.lexical)
                or event.end.lexical.startswith(event.start.lexical)
            )
            and event.end.lexical < event.start.lexical
        ):
            sheet.fail(
                event.end.line,
                f"{ev.where}: fieldwork ends ({event.end.lexical}) before it starts ({event.start.lexical})",
            )
        if event.framework:
            sheet.add(e, CSKG + "framework", event.framework)
        fmt = ev.vocab("format", "format")
        if fmt:
            sheet.add(e, CSKG + "inspectionFormat", fmt)
        if ordinal is not None:
            sheet.add(
                e,
                CSKG + "visitOrdinal",
                ox.Literal(str(ordinal), datatype=ox.NamedNode(XSD + "positiveInteger")),
            )
        if focus:
            sheet.add(e, CSKG + "focus", focus)
        if focus_text:
            sheet.text_(e, CSKG + "focusText", focus_text)
        if final is not None:
            sheet.add(
                e,
                CSKG + "finalVisit",
                ox.Literal("true" if final else "false", datatype=ox.NamedNode(XSD + "boolean")),
            )
        _judgements(sheet, event)
        _findings(sheet, event)
        follows = ev.get("follows")
        if follows is not None:
            pending.append((event, follows))
    for event, follows in pending:
        judgement = _follows(sheet, event, follows, by_iri)
        sheet.add(event.ref.iri, CSKG + "followsJudgement", judgement)


def _area(sheet: _Sheet, event: _Event, text: str, node: Y, where: str) -> str:
    """A judgement area; "leadership" names the SIF or the ILACS area by the event's era."""
    if _vkey(text) in ("leadership", "leaders"):
        framework = event.framework.rsplit("/", 1)[-1] if event.framework else None
        dates = [d for d in (event.start, event.published, event.reported) if d]
        if framework in ("sif", "slac") or (framework is None and dates and dates[0].year <= 2017):
            return VOCAB + "area/leadership-management-and-governance"
        if framework == "ilacs" or (framework is None and dates):
            return VOCAB + "area/impact-of-leaders"
        sheet.fail(
            node,
            f"{where}: 'leadership' names a different area in SIF (2013-2017) and ILACS (2018-) reports",
            "give the event a date or framework:, or write 'leadership, management and governance' (SIF) "
            "or 'impact of leaders' (ILACS)",
        )
    return sheet.concept(node, "area", where, text)


def _judgements(sheet: _Sheet, event: _Event) -> None:
    value = event.entry.get("judgements")
    if value is None:
        return
    where = f"{event.entry.where}: judgements"
    if not value.is_map:
        sheet.fail(
            value, f"{where}: expected 'area: grade' lines, e.g. overall effectiveness: good"
        )
    e = event.ref.iri
    year = next((d.lexical[:4] for d in (event.start, event.published, event.reported) if d), None)
    for key, grade_node in value.value.items():
        raw, key_line = value.keys[key]
        key_node = Y(raw, key_line, 1, text=raw)
        area = _area(sheet, event, raw, key_node, where)
        label = inferred = inferred_label = None
        if grade_node.is_map:
            sub = Entry(sheet, grade_node, f"{where}: {raw}", JUDGEMENT_KEYS)
            gnode = sub.get("grade")
            if gnode is None:
                sheet.fail(grade_node, f"{where}: {raw}: 'grade' is missing")
            label, inferred, inferred_label = (
                sub.text("label"),
                sub.text("inferred"),
                sub.text("inferred label"),
            )
        else:
            gnode = grade_node
        if gnode.is_null:
            sheet.fail(
                key_line,
                f"{where}: {raw}: give a grade (outstanding, good, requires improvement, inadequate)",
            )
        grade = sheet.concept(gnode, "grade", f"{where}: {raw}")
        slug = area.rsplit("/", 1)[-1]
        if slug in event.judgements:
            sheet.fail(
                key_line,
                f"{where}: {raw}: a second judgement of {sheet.vocabulary.pref[area]} (line {event.judgements[slug][1]})",
            )
        event.judgements[slug] = (grade, key_line)
        j = f"{e}/judgement/{slug}"
        head = f"{event.council.display} {year}" if year else event.council.display
        sheet.entity(
            j,
            key_line,
            [CSKG + "Judgement"],
            label or f"{head}: {raw} {sheet.vocabulary.pref[grade]}",
        )
        sheet.add(j, CSKG + "ofEvent", e)
        sheet.add(j, CSKG + "judgementArea", area)
        sheet.add(j, CSKG + "grade", grade)
        if inferred:
            sheet.inferences.append(
                (
                    gnode.line,
                    gnode.col,
                    j,
                    CSKG + "grade",
                    ox.NamedNode(grade),
                    inferred,
                    inferred_label,
                )
            )


def _texts_of(sheet: _Sheet, entry: Entry, iri: str) -> str:
    """Write quote(s) and excerpt(s); return the first text, for a default label."""
    excerpts = entry.texts("excerpt", "excerpts")
    quotes = entry.texts("quote", "quotes")
    if not excerpts and not quotes:
        sheet.fail(
            entry.line, f"{entry.where}: give the source's words: a quote: or an excerpt: (or both)"
        )
    for text, _ in excerpts:
        sheet.text_(iri, CSKG + "excerpt", text)
    for text, _ in quotes:
        sheet.text_(iri, CSKG + "quote", text)
    return (excerpts or quotes)[0][0]


def _findings(sheet: _Sheet, event: _Event) -> None:
    e = event.ref.iri
    used: dict[int, int] = {}
    n = 0
    for finding in event.entry.entries("findings", f"{event.entry.where}: finding", FINDING_KEYS):
        explicit = finding.positive("number")
        n = explicit if explicit is not None else n + 1
        if n in used:
            sheet.fail(
                finding.line,
                f"{finding.where}: finding number {n} is already used on line {used[n]}",
            )
        used[n] = finding.line
        f = f"{e}/finding/{n}"
        kind_node = finding.get("kind")
        if kind_node is None:
            sheet.fail(
                finding.line,
                f"{finding.where}: give its kind: strength, area for improvement or area for priority action",
            )
        kind = sheet.concept(kind_node, "kind", f"{finding.where}: kind")
        sheet.entity(f, finding.line, [CSKG + "Finding"])
        first = _texts_of(sheet, finding, f)
        sheet.label(
            f, finding.text("label") or f"{event.council.display}: {_short(first)}", finding.line
        )
        sheet.add(f, CSKG + "fromEvent", e)
        sheet.add(f, CSKG + "findingKind", kind)
        for theme in finding.vocabs("theme", "theme", "themes"):
            sheet.add(f, DCT + "subject", theme)
        service = finding.vocab("service", "service")
        if service:
            sheet.add(f, CSKG + "serviceArea", service)


def _follows(sheet: _Sheet, event: _Event, node: Y, by_iri: dict[str, _Event]) -> str:
    where = f"{event.entry.where}: follows"
    area_text: str | None = None
    area_node: Y | None = None
    if node.is_map:
        sub = Entry(sheet, node, where, FOLLOWS_KEYS)
        target = sub.get("event")
        if target is None:
            sheet.fail(
                node, f"{where}: 'event' is missing (an event id of this sheet or an event IRI)"
            )
        area_text, area_node = sub.text("area"), sub.get("area")
        node = target
    text = sheet.scalar_text(node, where)
    ref = sheet.local(text, ["event"])
    if ref is not None:
        followed = by_iri[ref.iri]
        if followed.council.iri != event.council.iri:
            sheet.fail(
                node,
                f"{where}: {text!r} is an inspection of {followed.council.display}, not of {event.council.display}",
            )
        if followed.kind != "inspection":
            sheet.fail(
                node,
                f"{where}: {text!r} is not a full inspection, so it has no judgement to follow",
            )
        area = (
            _area(sheet, followed, area_text, area_node, f"{where}: area")
            if area_text and area_node
            else VOCAB + "area/overall-effectiveness"
        )
        slug = area.rsplit("/", 1)[-1]
        if slug not in followed.judgements:
            sheet.fail(
                node,
                f"{where}: the event {text!r} has no judgement of {sheet.vocabulary.pref[area]} in this sheet",
                "add it under that event's judgements:",
            )
        grade, _ = followed.judgements[slug]
        if not grade.endswith("/inadequate"):
            sheet.fail(
                node,
                f"{where}: the {sheet.vocabulary.pref[area]} judgement of {text!r} is {sheet.vocabulary.pref[grade]}; a monitoring visit follows an inadequate judgement",
            )
        return f"{ref.iri}/judgement/{slug}"
    iri = expand(text)
    if iri is None or not iri.startswith(f"{ID}event/"):
        close = difflib.get_close_matches(
            text, [i for i, r in sheet.ids.items() if r.kind == "event"], n=3, cutoff=0.5
        )
        guess = f"; did you mean: {'; '.join(close)}?" if close else ""
        sheet.fail(
            node,
            f"{where}: {text!r} is neither the id of an event in this sheet nor an event IRI{guess}",
            "write the id: of the inadequate inspection, or an IRI like cskgid:event/E09000006/inspection/2016-06",
        )
    if "/judgement/" in iri:
        return iri
    slug = "overall-effectiveness"
    if area_text and area_node:
        slug = sheet.concept(area_node, "area", f"{where}: area").rsplit("/", 1)[-1]
    return f"{iri}/judgement/{slug}"


def _people(sheet: _Sheet, top: Entry) -> None:
    for person, ref in zip(
        top.entries("people", "people: entry", PERSON_KEYS), sheet.people_refs, strict=True
    ):
        council_node, role = person.get("council"), person.vocab("role", "role")
        post_keys = ("title", "tenure", "from", "to", "attested", "labels")
        if role is None and council_node is None:
            for key in post_keys:
                if key in person.node.value:
                    sheet.fail(
                        person.key_line(key),
                        f"{person.where}: {key}: belongs to a post; give the council: and role: too",
                    )
            continue
        if role is None or council_node is None:
            missing = "role:" if role is None else "council:"
            sheet.fail(
                person.line,
                f"{person.where}: a post needs both council: and role: ({missing} is missing)",
            )
        council = sheet.council(council_node, f"{person.where}: council")
        gss = council.iri.rsplit("/", 1)[-1]
        labels = person.labels(PERSON_LABEL_KEYS)
        role_label = sheet.vocabulary.pref[role]
        post = f"{ID}council/{gss}/post/{role.rsplit('/', 1)[-1]}"
        sheet.entity(
            post,
            person.line,
            [ORG + "Post"],
            labels.get("post") or f"{_sentence_case(role_label)}, {council.display}",
        )
        sheet.add(post, ORG + "postIn", council.iri)
        sheet.add(post, ORG + "role", role)
        holding = f"{post}/{ref.iri.rstrip('/').rsplit('/', 1)[-1]}"
        title = person.text("title")
        tenure = person.vocab("tenure", "tenure")
        if title:
            as_held = title
        else:
            as_held = (sheet.vocabulary.pref[tenure] + " " if tenure else "") + role_label.lower()
        holding_label = labels.get("holding") or f"{ref.display}, {as_held}, {council.display}"
        sheet.entity(holding, person.line, [CSKG + "PostHolding"], holding_label)
        sheet.add(holding, ORG + "member", ref.iri)
        sheet.add(holding, ORG + "organization", council.iri)
        sheet.add(holding, ORG + "role", role)
        sheet.add(holding, CSKG + "post", post)
        if title:
            sheet.text_(holding, CSKG + "titleInSource", title)
        if tenure:
            sheet.add(holding, CSKG + "tenure", tenure)
        attested = sheet.attested(person)
        if attested:
            sheet.dated(holding, CSKG + "attestedOn", attested)
        owner = f"{ref.display}'s time as {as_held}, {council.display}"
        sheet.span(
            holding,
            ORG + "memberDuring",
            person.date("from"),
            person.date("to"),
            owner,
            labels,
            person.line,
        )


def _agent(sheet: _Sheet, node: Y, where: str, kinds: Sequence[str], hint: str) -> Ref:
    """A reference to an entry of this sheet, or an explicit IRI."""
    text = sheet.scalar_text(node, where)
    ref = sheet.local(text, kinds)
    if ref is not None:
        if ref.kind == "council":
            sheet.entity(ref.iri, ref.line, [CSKG + "Council"])
        return ref
    iri = expand(text) if ":" in text and " " not in text.strip() else None
    if iri is not None and iri.startswith(ID):
        return Ref("iri", iri, text, node.line)
    if "council" in kinds and (sheet.resolver is not None or GSS.fullmatch(text.strip().upper())):
        try:
            return sheet.council(node, where)
        except UnknownName:
            pass
    sheet.not_found(node, where, text, kinds, hint)


def _partnerships(sheet: _Sheet, top: Entry) -> None:
    entries = top.entries("partnerships", "partnerships: entry", PARTNERSHIP_KEYS)
    for part, ref in zip(entries, sheet.partnership_refs, strict=True):
        p = ref.iri
        type_node = part.get("type")
        cls = (
            sheet.choice(type_node, PARTNERSHIP_TYPES, f"{part.where}: type", "type of partnership")
            if type_node is not None
            else CSKG + "Partnership"
        )
        sheet.entity(p, part.line, [cls], ref.display)
        for alias, _ in part.texts("names"):
            sheet.text_(p, ALT_LABEL, alias)
        parent = part.get("part of")
        if parent is not None:
            up = _agent(
                sheet,
                parent,
                f"{part.where}: part of",
                ["partnership"],
                "list the partnership it runs under in partnerships:",
            )
            sheet.add(p, ORG + "subOrganizationOf", up.iri)
        members = part.get("members")
        if members is not None:
            if not members.is_list:
                sheet.fail(members, f"{part.where}: members: expected a list, each starting '- '")
            for n, item in enumerate(members.value, 1):
                where = f"{part.where}: member {n}"
                if item.is_scalar:
                    member = _agent(
                        sheet,
                        item,
                        where,
                        ["council", "organisation", "partnership"],
                        "list it under councils: or organisations:",
                    )
                    entry = None
                else:
                    entry = Entry(sheet, item, where, MEMBER_KEYS)
                    given = [k for k in ("council", "organisation", "member") if entry.has(k)]
                    if len(given) != 1:
                        sheet.fail(
                            item, f"{where}: give exactly one of council:, organisation: or member:"
                        )
                    key = given[0]
                    kinds = {
                        "council": ["council"],
                        "organisation": ["organisation"],
                        "member": ["council", "organisation", "partnership"],
                    }[key]
                    target = entry.get(key)
                    assert target is not None
                    member = _agent(
                        sheet,
                        target,
                        f"{where}: {key}",
                        kinds,
                        "list it under councils: or organisations:",
                    )
                m = f"{p}/member/{member.iri.rstrip('/').rsplit('/', 1)[-1]}"
                default = f"{member.display} in {ref.display}"
                label = (entry.text("label") if entry else None) or default
                sheet.entity(m, item.line, [ORG + "Membership"], label)
                sheet.add(m, ORG + "organization", p)
                sheet.add(m, ORG + "member", member.iri)
                if entry is not None:
                    sheet.span(
                        m,
                        ORG + "memberDuring",
                        entry.date("from"),
                        entry.date("to"),
                        label,
                        entry.labels(SPAN_LABEL_KEYS),
                        item.line,
                    )
        shares = part.get("shares")
        if shares is not None:
            if not shares.is_list:
                sheet.fail(shares, f"{part.where}: shares: expected a list, each starting '- '")
            for n, item in enumerate(shares.value, 1):
                where = f"{part.where}: shared service {n}"
                if item.is_scalar:
                    service = sheet.concept(item, "service", where)
                    entry = None
                else:
                    entry = Entry(sheet, item, where, SHARE_KEYS)
                    service_node = entry.get("service")
                    if service_node is None:
                        sheet.fail(item, f"{where}: 'service' is missing")
                    service = sheet.concept(service_node, "service", f"{where}: service")
                sv = f"{p}/shares/{service.rsplit('/', 1)[-1]}"
                label = (
                    entry.text("label") if entry else None
                ) or f"{ref.display} shared {sheet.vocabulary.pref[service]}"
                sheet.entity(sv, item.line, [CSKG + "SharedService"], label)
                sheet.add(sv, CSKG + "sharedBy", p)
                sheet.add(sv, CSKG + "service", service)
                if entry is not None:
                    sheet.span(
                        sv,
                        CSKG + "activeDuring",
                        entry.date("from"),
                        entry.date("to"),
                        label,
                        entry.labels(SPAN_LABEL_KEYS),
                        item.line,
                    )


def _delivery(sheet: _Sheet, top: Entry) -> None:
    for item in top.entries("delivery", "delivery: entry", DELIVERY_KEYS):
        council_node, by_node, service_node = (
            item.get("council"),
            item.get("delivered by"),
            item.get("service"),
        )
        for key, node in (
            ("council", council_node),
            ("delivered by", by_node),
            ("service", service_node),
        ):
            if node is None:
                sheet.fail(item.line, f"{item.where}: {key!r} is missing")
        assert council_node is not None and by_node is not None and service_node is not None
        council = sheet.council(council_node, f"{item.where}: council")
        provider = _agent(
            sheet,
            by_node,
            f"{item.where}: delivered by",
            ["organisation", "council", "partnership"],
            "list the provider under organisations: (type: trust for a children's services trust)",
        )
        service = sheet.concept(service_node, "service", f"{item.where}: service")
        status = item.vocab("status", "status")
        gss = council.iri.rsplit("/", 1)[-1]
        d = f"{ID}council/{gss}/delivery/{service.rsplit('/', 1)[-1]}"
        default = (
            f"{council.display}'s {sheet.vocabulary.pref[service]} delivered by {provider.display}"
        )
        if status:
            default += f" ({sheet.vocabulary.pref[status]})"
        label = item.text("label") or default
        sheet.entity(d, item.line, [CSKG + "DeliveryArrangement"], label)
        sheet.add(d, CSKG + "deliveredFor", council.iri)
        sheet.add(d, CSKG + "deliveredBy", provider.iri)
        sheet.add(d, CSKG + "service", service)
        if status:
            sheet.add(d, CSKG + "status", status)
        attested = sheet.attested(item)
        if attested:
            sheet.dated(d, CSKG + "attestedOn", attested)
        sheet.span(
            d,
            CSKG + "activeDuring",
            item.date("from"),
            item.date("to"),
            label,
            item.labels(SPAN_LABEL_KEYS),
            item.line,
        )


def _claims(sheet: _Sheet, top: Entry) -> None:
    used: dict[int, int] = {}
    n = 0
    for claim in top.entries("claims", "claims: entry", CLAIM_KEYS):
        explicit = claim.positive("number")
        n = explicit if explicit is not None else n + 1
        if n in used:
            sheet.fail(
                claim.line, f"{claim.where}: claim number {n} is already used on line {used[n]}"
            )
        used[n] = claim.line
        by_node = claim.get("by")
        if by_node is None:
            sheet.fail(
                claim.line,
                f"{claim.where}: 'by' is missing (who makes the claim: a person or organisation of this sheet)",
            )
        who = _agent(
            sheet,
            by_node,
            f"{claim.where}: by",
            ["person", "organisation", "council"],
            "list the speaker under people: or organisations:",
        )
        c = f"{sheet.source_iri}/claim/{n}"
        sheet.entity(c, claim.line, [CSKG + "Claim"])
        first = _texts_of(sheet, claim, c)
        sheet.label(c, claim.text("label") or f"{who.display}: {_short(first)}", claim.line)
        sheet.add(c, CSKG + "claimedBy", who.iri)
        for theme in claim.vocabs("theme", "theme", "themes"):
            sheet.add(c, DCT + "subject", theme)
        date = claim.date("date")
        if date:
            sheet.dated(c, CSKG + "reportedDate", date)


def _political_control(sheet: _Sheet, top: Entry) -> None:
    for item in top.entries("political control", "political control: entry", CONTROL_KEYS):
        council_node, party_node = item.get("council"), item.get("party")
        if council_node is None or party_node is None:
            sheet.fail(item.line, f"{item.where}: give the council: and the controlling party:")
        council = sheet.council(council_node, f"{item.where}: council")
        party_name = sheet.scalar_text(party_node, f"{item.where}: party")
        party = sheet.local(party_name, ["organisation"]) or sheet.org_ref(
            party_name, CSKG + "PoliticalParty", party_node, f"{item.where}: party", party_node.line
        )
        attested = sheet.attested(item)
        key = item.text("key") or (attested.lexical if attested else None)
        if key is None:
            sheet.fail(
                item.line, f"{item.where}: give attested: (the date the source describes) or a key:"
            )
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
            sheet.fail(
                item.line, f"{item.where}: key {key!r}: use lower-case letters, digits and hyphens"
            )
        gss = council.iri.rsplit("/", 1)[-1]
        pc = f"{ID}council/{gss}/control/{key}"
        short = re.sub(r"\s+party$", "", party.display, flags=re.IGNORECASE)
        when = ", ".join(
            x for x in (sheet.publisher_name, attested.human() if attested else None) if x
        )
        default = f"{short} control of {council.display}" + (f" ({when})" if when else "")
        sheet.entity(pc, item.line, [CSKG + "PoliticalControl"], item.text("label") or default)
        sheet.add(pc, CSKG + "controlledCouncil", council.iri)
        sheet.add(pc, CSKG + "controllingParty", party.iri)
        if attested:
            sheet.dated(pc, CSKG + "attestedOn", attested)


def _inferences(sheet: _Sheet) -> None:
    """Number the inferred statements in the order the sheet gives them."""
    for n, (line, _col, s, p, o, note, label) in enumerate(
        sorted(sheet.inferences, key=lambda i: (i[0], i[1])), 1
    ):
        mark = f"{sheet.graph_iri}/inferred/{n}"
        sheet.entity(mark, line, [CSKG + "InferredStatement"])
        sheet.add(mark, RDF + "subject", s)
        sheet.add(mark, RDF + "predicate", p)
        sheet.add(mark, RDF + "object", o if isinstance(o, ox.Literal) else o.value)
        sheet.text_(mark, CSKG + "inferenceNote", note)
        if label:
            sheet.label(mark, label, line)
