"""Dates as texts write them, at the precision they give, and the ones worked out.

"10 April 2018" is a day, "June 2016" a month, "in 2014" a year. "In March", "this
year", "late last year", "two years ago" and "earlier this month" are resolved
against the article's own date, and say so: each carries the note a fact sheet's
``inferred:`` needs. Without an article date such a phrase is not resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cskg.factsheet.dates import MONTHS, human_date

_NUMBERS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_M = "|".join(MONTHS)
_MONTH_NO = {m.lower(): i for i, m in enumerate(MONTHS, 1)}
_YEAR = r"(?:19[89]\d|20[0-4]\d)"

PATTERNS = [
    ("days", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:and|to|-|–|until)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?"
                        rf"\s+(?P<m>{_M}),?\s+(?P<y>{_YEAR})\b")),
    ("day", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_M}),?\s+(?P<y>{_YEAR})\b")),
    ("day", re.compile(rf"\b(?P<m>{_M})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,\s+(?P<y>{_YEAR})\b")),
    ("months", re.compile(rf"\b(?P<m>{_M})\s+and\s+(?P<m2>{_M})(?:\s+(?P<y>{_YEAR})|\s+(?P<this>this year|last year))?")),
    ("month", re.compile(rf"\b(?P<m>{_M})\s+(?:of\s+)?(?P<y>{_YEAR})\b")),
    ("month", re.compile(rf"\b(?P<m>{_M})\s+(?P<this>this year|last year)\b")),
    ("year", re.compile(rf"\b(?:in|since|from|until|to|of|after|before|during|by)\s+(?P<y>{_YEAR})\b")),
    ("year", re.compile(rf"(?<![\d-])(?P<y>{_YEAR})(?![\d-])")),
    ("ago", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\s+ago\b", re.I)),
    ("relative", re.compile(r"\b(?P<rel>late last year|early last year|last year|this year|earlier this year|"
                            r"earlier this month|this month|last month)\b", re.I)),
    ("bare-month", re.compile(rf"\b(?:in|since|during|from|until|by|early|late|mid-)\s*(?P<m>{_M})\b(?!\s+(?:\d|and))")),
]


@dataclass
class DateMention:
    lexical: str
    precision: str
    start: int
    end: int
    phrase: str
    inferred: str | None = None
    #: a second month ("April and May"): the end of a span
    until: str | None = None


def find_dates(text: str, article: str | None) -> list[DateMention]:
    """The dates a sentence gives, longest first where two overlap, in text order."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            mention = _mention(kind, m, article)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _note(article: str, phrase: str, what: str) -> str:
    return f"{what} inferred from the article's date ({human_date(article)}); the text says '{phrase}'."


def _mention(kind: str, m: re.Match[str], article: str | None) -> DateMention | None:
    phrase = m.group(0)
    span = (m.start(), m.end())
    if kind == "days":  # "on 6 and 7 March 2024": the first and the last day
        month = _MONTH_NO[m["m"].lower()]
        return DateMention(f"{m['y']}-{month:02d}-{int(m['d']):02d}", "day", *span, phrase,
                           until=f"{m['y']}-{month:02d}-{int(m['d2']):02d}")
    if kind == "day":
        return DateMention(f"{m['y']}-{_MONTH_NO[m['m'].lower()]:02d}-{int(m['d']):02d}", "day", *span, phrase)
    if kind in ("month", "months"):
        year = m["y"] if "y" in m.re.groupindex else None
        this = m["this"] if "this" in m.re.groupindex else None
        note = None
        if not year:
            if not article or not this:
                return None if kind == "month" else _months_without_year(m, article)
            year = str(int(article[:4]) - (1 if this.lower() == "last year" else 0))
            note = _note(article, phrase, "Year")
        first = f"{year}-{_MONTH_NO[m['m'].lower()]:02d}"
        until = f"{year}-{_MONTH_NO[m['m2'].lower()]:02d}" if kind == "months" else None
        return DateMention(first, "month", *span, phrase, note, until)
    if kind == "year":
        return DateMention(m["y"], "year", *span, phrase)
    if not article:
        return None
    year = int(article[:4])
    if kind == "ago":
        n = m["n"].lower()
        back = int(n) if n.isdigit() else _NUMBERS[n]
        return DateMention(str(year - back), "year", *span, phrase, _note(article, phrase, "Year"))
    if kind == "relative":
        rel = m["rel"].lower()
        if "month" in rel:
            month = int(article[5:7]) - (1 if rel == "last month" else 0)
            y = year - (1 if month == 0 else 0)
            month = month or 12
            return DateMention(f"{y}-{month:02d}", "month", *span, phrase, _note(article, phrase, "Month and year"))
        y = year - (1 if "last" in rel else 0)
        return DateMention(str(y), "year", *span, phrase, _note(article, phrase, "Year"))
    if kind == "bare-month":
        month = _MONTH_NO[m["m"].lower()]
        if len(article) < 7:
            return None
        y = year if month <= int(article[5:7]) else year - 1
        return DateMention(f"{y}-{month:02d}", "month", *span, phrase, _note(article, phrase, "Year"))
    return None


def _months_without_year(m: re.Match[str], article: str | None) -> DateMention | None:
    """'in April and May' with no year: the latest such months not after the article."""
    if not article or len(article) < 7:
        return None
    first, second = _MONTH_NO[m["m"].lower()], _MONTH_NO[m["m2"].lower()]
    year = int(article[:4]) if second <= int(article[5:7]) else int(article[:4]) - 1
    return DateMention(f"{year}-{first:02d}", "month", m.start(), m.end(), m.group(0),
                       _note(article, m.group(0), "Year"), f"{year}-{second:02d}")


def value(mention: DateMention, lexical: str | None = None, label: str | None = None) -> object:
    """A fact sheet's date value: the lexical form, or a mapping with its inference note."""
    lexical = lexical or mention.lexical
    if mention.inferred:
        out: dict[str, str] = {"value": lexical, "inferred": mention.inferred}
        if label:
            out["label"] = label
        return out
    return lexical
