"""What a read-only endpoint refuses before a query reaches the engine.

Oxigraph evaluates ``SERVICE`` by fetching the address it names (a server-side request
forgery, if a server let it), treats ``FROM`` and ``FROM NAMED`` as a choice among the
store's graphs, and runs updates (``LOAD`` fetches too) when asked through its update call.
The endpoint only ever calls the query side, but refuses all of these with a message that
says why, so that a client learns what it asked for instead of getting an empty answer:

- an update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``,
  ``MOVE``, ``COPY``, ``WITH``): the endpoint is read-only;
- ``SERVICE``: the server never fetches from another address;
- ``FROM``/``FROM NAMED`` (and the protocol's ``default-graph-uri``/``named-graph-uri``)
  naming anything that is not one of the store's graphs.

The check reads the query's keywords with its comments, strings and IRIs blanked out (the
same lexer the named queries use): a keyword inside a string or an IRI is not a keyword, and
a prefixed name (``service:front-door``) or a variable (``?service``) is not one either.
Oxigraph does not decode ``\\u`` escapes in keywords, so an escaped ``SERVICE`` is a syntax
error there, not a way round this check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cskg.prefixes import PREFIXES
from cskg.query import _strip_comments_and_strings

_UPDATE = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def _keyword(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w:?$.-]){word}(?![\w:-])", re.IGNORECASE)


_UPDATE_WORDS = [(w, _keyword(w)) for w in _UPDATE]
_SERVICE = _keyword("SERVICE")
_FROM = _keyword("FROM")
_NAMED = re.compile(r"\s*(?:NAMED(?![\w:-]))?\s*", re.IGNORECASE)
_PREFIX_DECL = re.compile(r"(?<![\w:?$.-])PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_PNAME = re.compile(r"([A-Za-z][\w.-]*)?:([\w.%-]*)")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass
class Refused(Exception):
    """A query the endpoint will not run: the HTTP status and what to tell the client."""

    status: int
    message: str

    def __str__(self) -> str:
        return self.message


def _unescape(iri: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


def check(text: str, graphs: set[str], default_graphs: list[str], named_graphs: list[str]) -> bool:
    """Raise ``Refused`` for anything but a read-only query over the store's own graphs; True
    when the query names its own dataset (``FROM``, ``FROM NAMED``), which then replaces the
    default one (the union of every graph)."""
    blank = _strip_comments_and_strings(text)
    for word, pattern in _UPDATE_WORDS:
        if pattern.search(blank):
            raise Refused(403, f"this is an update ({word}): the endpoint is read-only. Change the "
                          "graph with `cskg add` in the project, and the server picks the change up.")
    if _SERVICE.search(blank):
        raise Refused(403, "SERVICE is refused: it would make this server send a request to another "
                      "address. Ask that endpoint yourself, or add its facts with `cskg add`.")
    prefixes = dict(PREFIXES)
    for match in _PREFIX_DECL.finditer(text):
        prefixes[match.group(1) or ""] = match.group(2)
    named: list[str] = []
    for match in _FROM.finditer(blank):
        named_word = _NAMED.match(text, match.end())  # it matches the empty string too
        at = named_word.end() if named_word else match.end()
        if text.startswith("<", at):
            end = text.find(">", at)
            iri = _unescape(text[at + 1:end]) if end > 0 else text[at:]
        else:
            pname = _PNAME.match(text, at)
            if not pname:
                continue  # not a dataset clause Oxigraph will parse either
            base = prefixes.get(pname.group(1) or "")
            iri = base + pname.group(2) if base is not None else pname.group(0)
        named.append(iri)
    for iri in [*named, *default_graphs, *named_graphs]:
        if iri not in graphs:
            raise Refused(403, f"the dataset names <{iri}>, which is not a graph of this store: the "
                          "server never loads or fetches graphs. Name one of its graphs (listed by "
                          "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }), or leave FROM out to query them all.")
    return bool(named)
