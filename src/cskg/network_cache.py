"""The network projection's entities and links, kept in a file beside the store.

Reading them out of the store costs about 6 s at a million triples (every term the
store hands back is a look-up in its string table); reading them back from this file
costs a tenth of a second. The file, ``.cskg/store.network.sqlite``, is keyed as the
name index is (``cskg.labels.beside_store``): any change to the store makes it stale,
and the next projection reads the store again and replaces it (``cskg build`` writes it
too, so that the first network command after a build need not). It is written aside and
renamed into place, so a reader finds either a whole file or none; a file that does not
match its checksum, or does not hang together, is read again from the store, not trusted.

What it holds is exactly what the projection reads from the store up front: the
entities with their types, the links, and the labels of the links' properties. Labels
and attributes of entities stay where they were, read from the store when first asked
for. A SPARQL server has no manifest to key the file on, and never uses one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import zlib
from array import array
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cskg.labels import beside_store

#: Bump when the file's layout changes (what the projection means has its own version).
_FORMAT = 1
_COLUMNS = ("nodes", "kinds", "node_kinds", "predicates", "links")
#: An array type of 4-byte unsigned integers (written little-endian).
_U32 = next(code for code in "IL" if array(code).itemsize == 4)


@dataclass(frozen=True)
class Parts:
    """What the projection reads from the store before any question is asked."""

    #: entity IRI -> (the label of its main type, its types as CURIEs), in IRI order
    node_types: dict[str, tuple[str, str]]
    #: every link (subject, property, object) between two entities, sorted
    edges: list[tuple[str, str, str]]
    #: every link property -> its label, in IRI order
    edge_predicates: dict[str, str]


def cached(store: Any, version: int, read: Callable[[], Parts]) -> Parts:
    """The parts as the file beside ``store`` holds them, or ``read()`` (then kept in the file)
    when the file is missing, stale, damaged or not possible (a SPARQL server).

    ``version`` names what ``read`` reads: a file made by another version is stale.
    """
    found = _place(store, version)
    if found is None:
        return read()
    path, key = found
    parts = _load(path, key)
    if parts is None:
        parts = read()
        _save(path, key, parts)
    return parts


def keep(store: Any, version: int, read: Callable[[], Parts]) -> bool:
    """Bring the file beside ``store`` up to date, as ``cached`` would, without waiting for
    a question: ``read()`` only when it is missing, stale or damaged. True when the file now
    holds the parts; False when it cannot be written, or is not possible (a SPARQL server,
    a store with no manifest).
    """
    found = _place(store, version)
    if found is None:
        return False
    path, key = found
    return _load(path, key) is not None or _save(path, key, read())


def _place(store: Any, version: int) -> tuple[Path, str] | None:
    """The file beside ``store`` and the key it must carry (``cskg.labels.beside_store``)."""
    return beside_store(store, "network.sqlite", f"{_FORMAT}.{version}")


def _load(path: Path, key: str) -> Parts | None:
    """The parts in the file, if it holds them for ``key`` whole and unchanged."""
    try:
        with closing(sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True, timeout=60)) as db:
            row = db.execute(f"SELECT key, crc, {', '.join(_COLUMNS)} FROM projection").fetchone()
    except sqlite3.Error:  # no file, or not an SQLite file, or a damaged one
        return None
    if row is None or row[0] != key:
        return None
    blobs = row[2:]
    if not all(isinstance(b, bytes) for b in blobs) or _checksum(blobs) != row[1]:
        return None
    try:
        return _decode(*blobs)
    except (ValueError, TypeError, IndexError):  # json's errors are ValueErrors
        return None


def _save(path: Path, key: str, parts: Parts) -> bool:
    """Write the file aside and rename it into place; where that fails, keep no file (and
    return False)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    blobs = _encode(parts)
    try:
        tmp.unlink(missing_ok=True)
        with closing(sqlite3.connect(tmp, isolation_level=None)) as db:
            db.execute(f"CREATE TABLE projection (key TEXT, crc INTEGER, {', '.join(_COLUMNS)})")
            db.execute(f"INSERT INTO projection VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})",
                       (key, _checksum(blobs), *blobs))
        os.replace(tmp, path)
    except (OSError, sqlite3.Error):
        tmp.unlink(missing_ok=True)
        return False
    return True


def _checksum(blobs: tuple[bytes, ...] | list[bytes]) -> int:
    crc = 0
    for blob in blobs:
        crc = zlib.crc32(blob, crc)
    return crc


# --- the layout: strings as JSON arrays, links and types as arrays of indices ------------


def _encode(parts: Parts) -> list[bytes]:
    nodes = list(parts.node_types)
    index = {node: i for i, node in enumerate(nodes)}
    kinds: dict[tuple[str, str], int] = {}
    node_kinds = array(_U32, (kinds.setdefault(k, len(kinds)) for k in parts.node_types.values()))
    predicate_index = {p: i for i, p in enumerate(parts.edge_predicates)}
    links = array(_U32)
    for s, p, o in parts.edges:
        links.extend((index[s], predicate_index[p], index[o]))
    return [_json(nodes), _json([list(k) for k in kinds]), _bytes(node_kinds),
            _json(list(parts.edge_predicates.items())), _bytes(links)]


def _decode(nodes_blob: bytes, kinds_blob: bytes, node_kinds_blob: bytes,
            predicates_blob: bytes, links_blob: bytes) -> Parts:
    """The parts from the file's columns; ValueError, TypeError or IndexError where they do
    not hang together."""
    nodes: list[str] = json.loads(nodes_blob)
    kinds = [(main, listed) for main, listed in json.loads(kinds_blob)]
    node_kinds, links = _ints(node_kinds_blob), _ints(links_blob)
    predicates = [(p, label) for p, label in json.loads(predicates_blob)]
    if len(node_kinds) != len(nodes) or len(links) % 3:
        raise ValueError("the columns differ in length")
    node_types = dict(zip(nodes, map(kinds.__getitem__, node_kinds)))
    edge_predicates = dict(predicates)
    if len(node_types) != len(nodes) or len(edge_predicates) != len(predicates):
        raise ValueError("a node or property twice")
    iris = list(edge_predicates)
    edges = list(zip(map(nodes.__getitem__, links[0::3]), map(iris.__getitem__, links[1::3]),
                     map(nodes.__getitem__, links[2::3])))
    return Parts(node_types, edges, edge_predicates)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _bytes(ints: array[int]) -> bytes:
    if sys.byteorder == "big":
        ints = array(_U32, ints)
        ints.byteswap()
    return ints.tobytes()


def _ints(blob: bytes) -> array[int]:
    ints = array(_U32)
    ints.frombytes(blob)  # ValueError when the length is not a multiple of 4
    if sys.byteorder == "big":
        ints.byteswap()
    return ints
