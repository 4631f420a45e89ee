"""Entries that quote the source, findings and claims: their numbers, words and default labels.

Both are numbered in sheet order unless given a ``number:`` (never twice), carry
the source's words as ``quote:``/``excerpt:`` texts, and are labelled by default
with the first sentence of those words, cut short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cskg.factsheet.entry import Entry
from cskg.factsheet.iris import CSKG
from cskg.factsheet.sheet import Sheet


def numbered(sheet: Sheet, entries: list[Entry], what: str) -> Iterator[tuple[int, Entry]]:
    """Each entry with its number: its ``number:``, else one more than the entry before."""
    used: dict[int, int] = {}
    n = 0
    for entry in entries:
        explicit = entry.positive("number")
        n = explicit if explicit is not None else n + 1
        if n in used:
            sheet.fail(
                entry.line, f"{entry.where}: {what} number {n} is already used on line {used[n]}"
            )
        used[n] = entry.line
        yield n, entry


def texts_of(sheet: Sheet, entry: Entry, iri: str) -> str:
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


def short(text: str, limit: int = 90) -> str:
    """The first sentence of ``text``, cut at a word boundary near ``limit`` characters."""
    text = " ".join(text.split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"
