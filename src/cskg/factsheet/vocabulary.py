"""The controlled values a fact sheet may use: the SKOS concepts of ontology/vocabulary.ttl.

A sheet names a concept by its slug, prefLabel or altLabel, compared by
``vocab_key`` (case-folded, without apostrophes, '-' and '_' as spaces); a value
that names none gets close suggestions. The vocabulary file is the project's
(found from the resolver's store or the sheet's folder) and is parsed once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path

from cskg.addition import Resolver
from cskg.errors import InputError
from cskg.factsheet.iris import VOCAB
from cskg.labels import expand
from cskg.namespaces import SCHEME_NAMES

_DEFAULT_VOCABULARY = Path(__file__).resolve().parents[3] / "ontology" / "vocabulary.ttl"


def vocab_key(text: str) -> str:
    """How vocabulary values are compared: case-folded, no apostrophes, '-'/'_' as spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"['\u2018\u2019`]", "", folded).replace("&", " and ")
    return re.sub(r"[\s_-]+", " ", folded).strip()


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
                    keys.setdefault(vocab_key(name), set()).add(iri)
            self.index[scheme] = keys

    def concepts(self, scheme: str) -> list[str]:
        return sorted({c for cs in self.index[scheme].values() for c in cs})

    def lookup(self, scheme: str, text: str) -> set[str]:
        """The concepts ``text`` names in ``scheme`` (a label, slug, ``scheme:slug`` or IRI)."""
        value = text.strip()
        iri = expand(value) if ":" in value else None
        if iri and iri.startswith(f"{VOCAB}{scheme}/"):
            return {iri} if iri in self.pref else set()
        return set(self.index[scheme].get(vocab_key(value), set()))

    def suggest(self, scheme: str, text: str) -> list[str]:
        keys = self.index[scheme]
        close = difflib.get_close_matches(vocab_key(text), list(keys), n=6, cutoff=0.6)
        words = set(vocab_key(text).split())
        close += [k for k in sorted(keys) if words and words & set(k.split()) and k not in close]
        found: list[str] = []
        for key in close:
            for concept in sorted(keys[key]):
                label = self.pref[concept]
                if label not in found:
                    found.append(label)
        return found[:4]


_VOCABULARIES: dict[tuple[str, int], FactSheetVocabulary] = {}


def load_vocabulary(path: Path) -> FactSheetVocabulary:
    """The vocabulary file parsed once (again only when it changes)."""
    stamp = (str(path.resolve()), path.stat().st_mtime_ns)
    if stamp not in _VOCABULARIES:
        _VOCABULARIES[stamp] = FactSheetVocabulary(path)
    return _VOCABULARIES[stamp]


def vocabulary_file(sheet: Path, resolver: Resolver | None) -> Path:
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
