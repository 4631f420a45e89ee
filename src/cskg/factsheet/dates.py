"""Dates in a fact sheet: kept at the precision written, typed as XSD literals, said in words.

A sheet's date is a year (2018), a month (2018-04) or a day (2018-04-10), and it
stays that precise in the graph (xsd:gYear, xsd:gYearMonth, xsd:date). Default
labels say dates the way reports do: '13 June 2018', 'April to May 2018'.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pyoxigraph as ox

from cskg.factsheet.iris import TIME, XSD

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


def date_from_text(text: str) -> tuple[str, str] | None:
    """The lexical form and precision of a year, month or day; None for anything else."""
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


def ends_before(start: DateVal, end: DateVal) -> bool:
    """Whether ``end`` is before ``start`` (never when one contains the other: 2018, 2018-04)."""
    a, b = start.lexical, end.lexical
    return not (a.startswith(b) or b.startswith(a)) and b < a
