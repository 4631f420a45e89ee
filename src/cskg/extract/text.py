"""The text of an article or letter: read, checked, cut into its header and sentences.

Every piece keeps its character offsets into the text as read, so whatever the
extractor quotes is a slice of the text: a quote is verbatim by construction.
Sentences come from spaCy's rule-based sentencizer on a blank English pipeline
(nothing is downloaded). Page furniture (captions, subscription boxes, comment
rules) is left out of the body by its shape, not by a list of sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cskg.errors import InputError
from cskg.factsheet.dates import MONTHS

_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTH = "|".join(MONTHS) + "|" + "|".join(m[:3] for m in MONTHS) + "|Sept"
DATELINE = re.compile(
    rf"^\W*(?:(?:{_WEEKDAYS}),?\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<mo3>\d\d)-(?P<d3>\d\d))\W*$",
    re.I,
)
#: the largest text read: an article or a letter, not a book (every command is bounded)
MAX_BYTES = 2_000_000
BYLINE = re.compile(r"^\s*(?:By\s+)?(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})\s*$")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    #: the sentence's place in the body (0 for the first)
    index: int = 0


@dataclass
class Document:
    """A text cut into its header (title, byline, dateline) and its body's sentences."""

    text: str
    display: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    date_line: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    #: paragraphs as (start, end) offsets, in order
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    #: "article", or "letter" for a letter (an Ofsted letter: "Dear ...", "Yours sincerely")
    kind: str = "article"
    #: a letter's signatory's role as written under the name ("His Majesty's Inspector")
    signed_as: str | None = None
    #: the spans inside quotation marks, found paragraph by paragraph
    quotes: list[tuple[int, int]] = field(default_factory=list)

    def quoted(self, sent: Sentence) -> list[tuple[int, int]]:
        """The quoted parts of a sentence, as offsets into the sentence, trimmed."""
        out = []
        for a, b in self.quotes:
            a, b = max(a, sent.start), min(b, sent.end)
            if b > a:
                a, b = clean_quote(self.text, a, b)
                if b > a:
                    out.append((a - sent.start, b - sent.start))
        return out

    def share(self, sent: Sentence) -> float:
        """How much of a sentence is inside quotation marks (0 to 1)."""
        inside = sum(b - a for a, b in self.quoted(sent))
        return inside / max(1, len(sent.text.strip().strip("\"“”‘’'")))


def read_text(path: Path, display: str) -> str:
    """The file as text, or a clear error: missing, binary, not UTF-8, empty."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{display}: cannot read ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{display}: is {len(data) // 1_000_000} MB; an article or letter is under "
                         f"{MAX_BYTES // 1_000_000} MB", "extract one article or letter at a time")
    if b"\x00" in data[:4096]:
        raise InputError(f"{display}: is a binary file, not text",
                         "save the article or letter as plain text (.txt) first")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{display}:{line}: is not UTF-8 text (byte {error.start})",
                         "save the text as UTF-8") from None
    if not text.strip():
        raise InputError(f"{display}: is empty", "give the plain text of an article, letter or report")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=1)
def pipeline() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        start = pos + len(line) - len(line.lstrip())
        end = pos + len(line.rstrip())
        if end > start:
            spans.append((start, end))
        pos += len(line) + 1
    return spans


def _is_furniture(line: str, seen: set[str]) -> bool:
    """A caption, a menu or subscription line, a repeated line, a comment box."""
    words = line.split()
    if line in seen:
        return True
    if re.search(r"\bPicture:\s*\S+", line) or line.lstrip().startswith(("•", "·", "- ", "* ")):
        return True
    if len(words) < 6 and not re.search(r"[.!?\"”’']\s*$", line):
        return True
    return bool(re.match(r"^(Comments?|Subscribe|Read the rules|Report this comment|From £)", line))


def segment(text: str, display: str) -> Document:
    """The header and the body sentences of a text."""
    doc = Document(text, display)
    lines = _lines(text)
    body_from = 0
    body_to = len(lines)
    dear = next((i for i, (a, b) in enumerate(lines[:25]) if re.match(r"Dear\s+\S", text[a:b])), None)
    if dear is not None:
        body_from, body_to = _letter(doc, lines, dear)
        lines = lines[:body_to]
    # The header: a title line without a final full stop, a byline and a dateline, in any order.
    for i, (start, end) in enumerate(lines[:6] if dear is None else []):
        line = text[start:end]
        date = DATELINE.match(line.replace("|", " "))
        if date and doc.date is None:
            doc.date, doc.date_line, body_from = _iso(date), line, i + 1
            continue
        byline = BYLINE.match(line)
        if byline and not doc.authors and i <= 3:
            doc.authors, body_from = [byline.group("name")], i + 1
            continue
        if i == 0 and len(line.split()) <= 20 and not re.search(r"[.!?]\s*$", line):
            doc.title, body_from = line.strip(), 1
            continue
        break
    seen: set[str] = set()
    nlp = pipeline()
    index = 0
    for start, end in lines[body_from:]:
        line = text[start:end]
        if _is_furniture(line, seen):
            seen.add(line)
            continue
        seen.add(line)
        doc.paragraphs.append((start, end))
        doc.quotes += quotations(line, start)
        for sent in nlp(line).sents:
            s, e = start + sent.start_char, start + sent.end_char
            piece = text[s:e]
            if piece.strip():
                doc.sentences.append(Sentence(s, e, piece, len(doc.paragraphs) - 1, index))
                index += 1
    return doc


def _letter(doc: Document, lines: list[tuple[int, int]], dear: int) -> tuple[int, int]:
    """A letter: its date above the greeting, its subject line below it, its signatory at the
    end. The body is what lies between the subject and the signing off."""
    text = doc.text
    doc.kind = "letter"
    for start, end in lines[:dear]:
        date = DATELINE.match(text[start:end])
        if date:
            doc.date, doc.date_line = _iso(date), text[start:end]
    body_from = dear + 1
    if body_from < len(lines):
        start, end = lines[body_from]
        subject = text[start:end]
        if len(subject.split()) <= 15 and not re.search(r"[.!?]\s*$", subject):
            doc.title, body_from = subject.strip(), body_from + 1
    body_to = len(lines)
    for i in range(body_from, len(lines)):
        start, end = lines[i]
        if re.match(r"(Yours\s+(sincerely|faithfully)|Kind regards|Best wishes)\b", text[start:end], re.I):
            body_to = i
            after = [text[a:b] for a, b in lines[i + 1:i + 3]]
            if after and BYLINE.match(after[0]):
                doc.authors = [BYLINE.match(after[0]).group("name")]  # type: ignore[union-attr]
                doc.signed_as = after[1].strip() if len(after) > 1 else None
            break
    return body_from, body_to


def _iso(m: re.Match[str]) -> str:
    if m.group("y3"):
        return f"{m.group('y3')}-{m.group('mo3')}-{m.group('d3')}"
    day = m.group("d1") or m.group("d2")
    month = m.group("m1") or m.group("m2")
    year = m.group("y1") or m.group("y2")
    number = next(i for i, name in enumerate(MONTHS, 1) if name.lower().startswith(month.lower()[:3]))
    return f"{year}-{number:02d}-{int(day):02d}"


# -- quotations ---------------------------------------------------------------------

_OPEN_DOUBLE, _CLOSE_DOUBLE = "“", "”"


def quotations(text: str, start: int = 0) -> list[tuple[int, int]]:
    """The spans (offsets into ``text``, shifted by ``start``) inside quotation marks.

    Double quotes pair up; a single quote opens at the start of a word and closes at the
    end of one, so the apostrophes of "children's" and "Bolton’s" are not quotes. A
    quotation still open at the end is taken to run to the end (a quote continued in
    the next paragraph, as newspapers write them).
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in '"“':
            close = text.find(_CLOSE_DOUBLE if c == "“" else '"', i + 1)
            if c == "“" and close < 0:
                close = text.find('"', i + 1)
            if close < 0:
                close = n
            if close > i + 1:
                spans.append((start + i + 1, start + close))
            i = close + 1
            continue
        if c in "'‘" and (i == 0 or not text[i - 1].isalnum()) and i + 1 < n and text[i + 1].isalnum():
            j = i + 1
            while j < n:
                if text[j] in "'’" and (j + 1 == n or not text[j + 1].isalnum()) and text[j - 1] != " ":
                    break
                j += 1
            if j < n or c == "‘":
                spans.append((start + i + 1, start + min(j, n)))
                i = j + 1
                continue
        i += 1
    return [(a, b) for a, b in spans if b > a]


def clean_quote(text: str, a: int, b: int) -> tuple[int, int]:
    """Trim spaces and a trailing comma from a quotation's span."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:"):
        b -= 1
    return a, b
