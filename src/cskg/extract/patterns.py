"""The patterns the extraction rules share: how texts write ordinals, ratings, reports,
speech and weaknesses; the events and people a text is read into; small helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cskg.extract.dates import DateMention
from cskg.extract.draft import Item
from cskg.extract.knowledge import fold

ORDINALS = {w: n for n, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
CARDINALS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
ORDINAL = r"(?P<ord>" + "|".join(list(ORDINALS)[1:]) + r"|\d{1,2}(?:st|nd|rd|th))"
RATING = re.compile(r"\b(rated|rating|judged|judgement|judgment|graded|grade|upgraded|downgraded|"
                     r"retained|remains?|continues? to be|found to be|deemed)\b", re.I)
INSPECTORS = re.compile(r"\b(inspectors?|ofsted|the inspectorate|inspection team|the letter|a letter|"
                         r"the report|its report|their report|report|letter|HMI)\b", re.I)
REPORTING = re.compile(r"\b(found|find|finds|said|says|say|praised|praises|noted|notes|highlighted|"
                        r"welcomed|warned|states?|stated|adds?|added|recognised|recognized|concluded|"
                        r"identified|reported|reports|observed|judged|deemed|saw|want|wants|"
                        r"concerned|criticised|described|underlined)\b", re.I)
PASSIVE_FINDING = re.compile(r"\b(was|were|is|are)(?: also| not| now)? (found|deemed|judged|seen|highlighted|noted)\b", re.I)
WEAKNESS = re.compile(
    r"\b(however|improvement|improve|improved support|concern|concerned|not always|not yet|delays?|"
    r"lack|lacked|lacking|poor|inconsistent|variable|remain high|warned|needs? to|should|misses|"
    r"too slow|too late|not soon enough|did not|does not|do not|weak|weaknesses|insufficient|"
    r"critical|more to do|not all|continue to experience|want to see)\b", re.I)
SPEECH = re.compile(r"\b(said|says|say|added|adds|told|commented|explained|claimed|claims|"
                     r"recognised|believes|insisted|stressed|described)\b", re.I)
PERSON_NAME = r"(?:(?:Councillor|Cllr\.?|Dr\.?|Sir|Dame|Professor|Prof\.?)\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+){1,2}"


@dataclass
class Event:
    council: str
    kind: str = "monitoring visit"
    historical: bool = False
    ordinal: int | None = None
    final: bool = False
    focus: str | None = None
    focus_text: str | None = None
    start: DateMention | None = None
    end: DateMention | None = None
    reported: DateMention | None = None
    published: DateMention | None = None
    judgements: dict[str, Any] = field(default_factory=dict)
    follows: Event | None = None
    findings: list[Item] = field(default_factory=list)
    item: Item = field(default_factory=lambda: Item({}))
    handle: str = ""
    #: the text says the grade was kept ("has retained its good rating")
    retained: bool = False

    def date_key(self) -> str | None:
        for d in (self.start, self.reported):
            if d:
                return d.lexical
        return None


@dataclass
class Person:
    name: str
    item: Item
    council: str | None = None
    handle: str = ""


def clauses(text: str) -> list[tuple[int, int]]:
    """A sentence cut where a clause turns: ', while', '; ', ', but', ', whereas'."""
    cuts = [0] + [m.start() for m in re.finditer(
        r",\s+(?:while|whereas|but|although)\b|;\s|\.\s|,\s+(?=(?:Ofsted|[Ii]nspectors|[Tt]he (?:report|letter))\b)",
        text)] + [len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def in_force(note: str, year: int) -> bool:
    """Does a vocabulary scope note ("SIF, November 2013 to 2018", "ILACS, from January 2023")
    put the concept in force in a year? Without years in the note, yes."""
    spans = [(int(a), int(b)) for a, b in re.findall(r"(\d{4})\s*(?:-|to)\s*(?:[A-Z][a-z]+\s+)?(\d{4})", note)]
    spans += [(int(a), 9999) for a in re.findall(r"\bfrom\s+(?:[A-Z][a-z]+\s+)?(\d{4})", note)]
    return not spans or any(a <= year <= b for a, b in spans)


def area_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("’", "'"))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60].rstrip("-") or "x"
