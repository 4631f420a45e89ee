"""Labels for display, and names typed by users resolved to entities.

Names resolve case-insensitively over labels, alternative names, titles and
codes (GSS, DfE LA code, Ofsted URN); "&" and "and" are the same, and so is
punctuation. A miss suggests the closest names.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

import pyoxigraph as ox

from cskg.errors import AmbiguousName, UnknownName
from cskg.prefixes import PREFIXES
from cskg.store import GraphStore

#: Label properties, best first.
LABEL_PROPERTIES = [
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/2004/02/skos/core#altLabel",
]
_CODE_PROPERTIES = ["gssCode", "dfeLaCode", "ofstedUrn"]
HIDDEN_LABEL = "http://www.w3.org/2004/02/skos/core#hiddenLabel"


def curie(iri: str) -> str:
    """``cskg:Council`` for a known namespace, else the IRI itself."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace):]
            if re.fullmatch(r"[A-Za-z0-9_.\-/]*", local) and not local.endswith("."):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def expand(name: str) -> str | None:
    """The IRI a ``prefix:local`` or ``<iri>`` or ``http(s)://`` string stands for, if any."""
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"https?://", text):
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and " " not in local:
        return PREFIXES[prefix] + local
    return None


def normalise(name: str) -> str:
    """The form names are compared in: case-folded, ASCII, '&' as 'and', no punctuation."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return re.sub(r"^the ", "", text.strip())


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return term.value


def labels(store: GraphStore, iris: Iterable[str]) -> dict[str, str]:
    """The best display label of each IRI that has one."""
    wanted = sorted({i for i in iris if re.match(r"[a-z][a-z0-9+.-]*:", i)})
    result: dict[str, str] = {}
    rank: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        values = " ".join(str(ox.NamedNode(i)) for i in chunk)
        props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        rows = store.query(
            f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {props} }} ?s ?p ?l }}"
        )
        for row in rows:
            subject, prop, literal = row["s"].value, row["p"].value, row["l"]
            score = LABEL_PROPERTIES.index(prop) * 2 + (0 if literal.language in (None, "en") else 1)
            if subject not in rank or score < rank[subject] or (
                score == rank[subject] and literal.value < result[subject]
            ):
                rank[subject], result[subject] = score, literal.value
    return result


def label_or_curie(store: GraphStore, iri: str) -> str:
    return labels(store, [iri]).get(iri, curie(iri))


def _name_index(store: GraphStore) -> list[tuple[str, str, str]]:
    """Every (normalised name, name, entity IRI) pair in the store.

    Hidden labels (names a source writes, such as a spreadsheet's lower-case
    "bournemouth, christchurch & poole") resolve too, though they are never shown.
    """
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES + [HIDDEN_LABEL])
    codes = " ".join(f"<{PREFIXES['cskg']}{c}>" for c in _CODE_PROPERTIES)
    rows = store.query(
        f"SELECT DISTINCT ?s ?l WHERE {{ {{ VALUES ?p {{ {props} }} ?s ?p ?l }} "
        f"UNION {{ VALUES ?p {{ {codes} }} ?s ?p ?l }} FILTER(isIRI(?s)) }}"
    )
    return [(normalise(r["l"].value), r["l"].value, r["s"].value) for r in rows]


def _cached_index(store: GraphStore) -> list[tuple[str, str, str]]:
    """The name index, built once per open store (a reader's store does not change)."""
    cached = getattr(store, "_cskg_name_index", None)
    if cached is None:
        cached = _name_index(store)
        try:
            store._cskg_name_index = cached  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return cached


def resolve(store: GraphStore, name: str) -> str:
    """The IRI of the one entity ``name`` names; raises with suggestions or candidates."""
    iri = expand(name)
    if iri is not None:
        node = ox.NamedNode(iri)
        if next(iter(store.ox.quads_for_pattern(node, None, None, None)), None) is not None:
            return iri
        if next(iter(store.ox.quads_for_pattern(None, None, node, None)), None) is not None:
            return iri
    index = _cached_index(store)
    wanted = normalise(name)
    hits = sorted({s for norm, _, s in index if norm == wanted})
    if len(hits) == 1:
        return hits[0]
    if hits:
        names = labels(store, hits)
        raise AmbiguousName(name, [f"{names.get(h, curie(h))} <{h}>" for h in hits])
    raise UnknownName(name, suggest(index, wanted))


def suggest(index: list[tuple[str, str, str]], wanted: str, limit: int = 5) -> list[str]:
    """Names close to ``wanted``: close spellings first, then names that contain it."""
    by_norm: dict[str, str] = {}
    for norm, original, _ in sorted(index, key=lambda t: (len(t[1]), t[1])):
        by_norm.setdefault(norm, original)
    close = difflib.get_close_matches(wanted, list(by_norm), n=limit, cutoff=0.6)
    words = set(wanted.split())
    containing = [n for n in sorted(by_norm) if words and words <= set(n.split()) and n not in close]
    return [by_norm[n] for n in (close + containing)[:limit]]
