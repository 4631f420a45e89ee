"""Labels for display, and names typed by users resolved to entities.

Names resolve case-insensitively over labels, alternative names, titles and
codes (GSS, DfE LA code, Ofsted URN); "&" and "and" are the same, and so is
punctuation. A miss suggests the closest names.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

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


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(name: str) -> str:
    """The form names are compared in: case-folded, ASCII, '&' as 'and', no punctuation."""
    text = name if name.isascii() else (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
    text = _NOT_WORD.sub(" ", text.casefold().replace("&", " and ")).strip()
    return text[4:] if text.startswith("the ") else text


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
        props = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        # a FILTER, not a second VALUES block: Oxigraph joined two VALUES blocks before the
        # pattern, 4.4 s per 500 IRIs at 1M triples against 0.02 s this way
        rows = store.query(
            f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?l FILTER(?p IN ({props})) }}"
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


def _name_query(graphs: Iterable[str] | None = None) -> str:
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES + [HIDDEN_LABEL])
    codes = " ".join(f"<{PREFIXES['cskg']}{c}>" for c in _CODE_PROPERTIES)
    where = (f"{{ VALUES ?p {{ {props} }} ?s ?p ?l }} "
             f"UNION {{ VALUES ?p {{ {codes} }} ?s ?p ?l }} FILTER(isIRI(?s))")
    if graphs is None:
        return f"SELECT DISTINCT ?s ?l WHERE {{ {where} }}"
    values = " ".join(f"<{g}>" for g in graphs)
    return f"SELECT DISTINCT ?s ?l ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ {where} }} }}"


def _name_index(store: GraphStore) -> list[tuple[str, str, str]]:
    """Every (normalised name, name, entity IRI) pair in the store.

    Hidden labels (names a source writes, such as a spreadsheet's lower-case
    "bournemouth, christchurch & poole") resolve too, though they are never shown.
    """
    return [(normalise(r["l"].value), r["l"].value, r["s"].value)
            for r in store.query(_name_query())]


#: Bump when what the name index holds, or how names are normalised, changes.
_INDEX_VERSION = 3


def beside_store(store: object, suffix: str, version: int | str) -> tuple[Path, str] | None:
    """A file kept beside the embedded store for what is derived from it, and the key
    naming the state of the store it must have been derived from; None for a SPARQL
    server or a store with no manifest on disk (nothing of ours to key it on).

    The key is ``version`` (bump it when what the file holds changes) and the store
    manifest's inode, time and size: every change to the store rewrites the manifest
    atomically, so as a new inode, and readers hold the store lock meanwhile.
    """
    from cskg.store import manifest_path

    if not isinstance(store, GraphStore):
        return None
    manifest_file = manifest_path(store.project)
    try:
        stat = manifest_file.stat()
    except OSError:
        return None
    key = f"{version} {stat.st_ino} {stat.st_mtime_ns} {stat.st_size}"
    return manifest_file.with_name(f"{store.project.store_dir.name}.{suffix}"), key


def _index_file(store: GraphStore) -> Path | None:
    """The name index as an SQLite file beside the embedded store, brought up to date
    with the store when it is behind; None for a SPARQL server (nothing of ours to key
    it on) or where the file cannot be written.

    Building the index reads and normalises every label: 9-12 s for the 165k labels of
    a 1M-triple graph, which every command naming an entity would pay; looking a name
    up in the file takes a millisecond. Each row keeps its named graph, so after a
    change only the changed files' graphs are read again. The file is keyed as
    ``beside_store`` keys it.
    """
    from cskg.store import read_manifest

    found_file = beside_store(store, "names.sqlite", _INDEX_VERSION)
    if found_file is None:
        return None
    path, key = found_file
    known: dict[str, tuple[str, list[str]]] | None = None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)) as db:
            found = db.execute("SELECT key FROM meta").fetchone()
            if found == (key,):
                return path
            if found and found[0].split()[0] == str(_INDEX_VERSION):
                known = {rel: (sha, json.loads(graphs))
                         for rel, sha, graphs in db.execute("SELECT rel, sha, graphs FROM files")}
    except sqlite3.Error:
        pass
    current = {rel: (e["sha256"], e["graphs"]) for rel, e in read_manifest(store.project)["files"].items()}
    # a new file is made aside and renamed into place; an existing one is updated in one
    # SQLite transaction (readers wait for it), re-reading its key once it is locked
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    target = tmp if known is None else path
    try:
        tmp.unlink(missing_ok=True)
        with closing(sqlite3.connect(target, timeout=60, isolation_level=None)) as db:
            db.execute("BEGIN IMMEDIATE")
            if known is not None:
                found = db.execute("SELECT key FROM meta").fetchone()
                if found == (key,):
                    db.execute("COMMIT")
                    return path
                known = {rel: (sha, json.loads(graphs))
                         for rel, sha, graphs in db.execute("SELECT rel, sha, graphs FROM files")}
            else:
                db.execute("CREATE TABLE meta (key TEXT)")
                db.execute("INSERT INTO meta VALUES ('')")
                db.execute("CREATE TABLE files (rel TEXT PRIMARY KEY, sha TEXT, graphs TEXT)")
                db.execute("CREATE TABLE names (norm TEXT, name TEXT, iri TEXT, graph TEXT)")
                db.execute("CREATE INDEX by_norm ON names (norm)")
                db.execute("CREATE INDEX by_graph ON names (graph)")
                known = {}
            gone = [g for rel, (sha, graphs) in known.items() if current.get(rel, ("",))[0] != sha
                    for g in graphs]
            fresh = [g for rel, (sha, graphs) in current.items() if known.get(rel, ("",))[0] != sha
                     for g in graphs]
            db.executemany("DELETE FROM names WHERE graph = ?", [(g,) for g in gone])
            for start in range(0, len(fresh), 2000):
                rows = store.query(_name_query(fresh[start:start + 2000]))
                db.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", (
                    (normalise(r["l"].value), r["l"].value, r["s"].value, r["g"].value)
                    for r in rows))
            db.execute("DELETE FROM files")
            db.executemany("INSERT INTO files VALUES (?, ?, ?)",
                           [(rel, sha, json.dumps(graphs)) for rel, (sha, graphs) in current.items()])
            db.execute("UPDATE meta SET key = ?", (key,))
            db.execute("COMMIT")
        if target is tmp:
            os.replace(tmp, path)
    except (OSError, sqlite3.Error):
        tmp.unlink(missing_ok=True)
        return None
    return path


def _named(store: GraphStore, wanted: str) -> list[str]:
    """The entities one of whose names normalises to ``wanted``."""
    path = _index_file(store)
    if path is None:
        return sorted({s for norm, _, s in _cached_index(store) if norm == wanted})
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)) as db:
        return [r[0] for r in db.execute(
            "SELECT DISTINCT iri FROM names WHERE norm = ? ORDER BY iri", (wanted,))]


def _cached_index(store: GraphStore) -> list[tuple[str, str, str]]:
    """The whole name index, built once per open store (a reader's store does not change)."""
    cached = getattr(store, "_cskg_name_index", None)
    if cached is None:
        path = _index_file(store)
        if path is not None:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)) as db:
                cached = [tuple(r) for r in db.execute("SELECT norm, name, iri FROM names")]
        else:
            cached = _name_index(store)
        try:
            store._cskg_name_index = cached  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return cached  # type: ignore[return-value]


def resolve(store: GraphStore, name: str) -> str:
    """The IRI of the one entity ``name`` names; raises with suggestions or candidates."""
    iri = expand(name)
    if iri is not None:
        node = ox.NamedNode(iri)
        if next(iter(store.ox.quads_for_pattern(node, None, None, None)), None) is not None:
            return iri
        if next(iter(store.ox.quads_for_pattern(None, None, node, None)), None) is not None:
            return iri
    wanted = normalise(name)
    hits = _named(store, wanted)
    if len(hits) == 1:
        return hits[0]
    if hits:
        names = labels(store, hits)
        raise AmbiguousName(name, [f"{names.get(h, curie(h))} <{h}>" for h in hits])
    raise UnknownName(name, suggest(_cached_index(store), wanted))


def suggest(index: list[tuple[str, str, str]], wanted: str, limit: int = 5) -> list[str]:
    """Names close to ``wanted``: close spellings first, then names that contain it."""
    by_norm: dict[str, str] = {}
    for norm, original, _ in sorted(index, key=lambda t: (len(t[1]), t[1])):
        by_norm.setdefault(norm, original)
    close = difflib.get_close_matches(wanted, list(by_norm), n=limit, cutoff=0.6)
    words = set(wanted.split())
    containing = [n for n in sorted(by_norm) if words and words <= set(n.split()) and n not in close]
    return [by_norm[n] for n in (close + containing)[:limit]]
