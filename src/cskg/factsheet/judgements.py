"""What an event found: its ``judgements:``, its ``findings:``, and the judgement it ``follows:``.

A judgement grades one area of a full inspection ("leadership" means the SIF or
the ILACS area by the event's era); a finding is a numbered strength or area for
improvement quoting the report; a monitoring visit follows an inadequate
judgement, of an event in this sheet or named by IRI.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

import pyoxigraph as ox

from cskg.factsheet.entry import Entry
from cskg.factsheet.iris import CSKG, DCT, ID, VOCAB
from cskg.factsheet.quotes import numbered, short, texts_of
from cskg.factsheet.sheet import Sheet
from cskg.factsheet.vocabulary import vocab_key
from cskg.factsheet.yamltree import Y
from cskg.labels import expand

if TYPE_CHECKING:
    from cskg.factsheet.events import Event

JUDGEMENT_KEYS = ["grade", "label", "inferred", "inferred label"]
FOLLOWS_KEYS = ["event", "area"]
FINDING_KEYS = [
    "kind",
    "theme",
    "themes",
    "service",
    "quote",
    "quotes",
    "excerpt",
    "excerpts",
    "label",
    "number",
]


def _area(sheet: Sheet, event: Event, text: str, node: Y, where: str) -> str:
    """A judgement area; "leadership" names the SIF or the ILACS area by the event's era."""
    if vocab_key(text) in ("leadership", "leaders"):
        framework = event.framework.rsplit("/", 1)[-1] if event.framework else None
        dates = [d for d in (event.start, event.published, event.reported) if d]
        if framework in ("sif", "slac") or (framework is None and dates and dates[0].year <= 2017):
            return VOCAB + "area/leadership-management-and-governance"
        if framework == "ilacs" or (framework is None and dates):
            return VOCAB + "area/impact-of-leaders"
        sheet.fail(
            node,
            f"{where}: 'leadership' names a different area in SIF (2013-2017) and ILACS (2018-) reports",
            "give the event a date or framework:, or write 'leadership, management and governance' (SIF) "
            "or 'impact of leaders' (ILACS)",
        )
    return sheet.concept(node, "area", where, text)


def read_judgements(sheet: Sheet, event: Event) -> None:
    value = event.entry.get("judgements")
    if value is None:
        return
    where = f"{event.entry.where}: judgements"
    if not value.is_map:
        sheet.fail(
            value, f"{where}: expected 'area: grade' lines, e.g. overall effectiveness: good"
        )
    for key, grade_node in value.value.items():
        raw, key_line = value.keys[key]
        _judgement(sheet, event, where, raw, key_line, grade_node)


def _judgement(
    sheet: Sheet, event: Event, where: str, raw: str, key_line: int, grade_node: Y
) -> None:
    """One 'area: grade' line (the grade maybe a mapping with a label or why it was inferred)."""
    e = event.ref.iri
    year = next((d.lexical[:4] for d in (event.start, event.published, event.reported) if d), None)
    key_node = Y(raw, key_line, 1, text=raw)
    area = _area(sheet, event, raw, key_node, where)
    label = inferred = inferred_label = None
    if grade_node.is_map:
        sub = Entry(sheet, grade_node, f"{where}: {raw}", JUDGEMENT_KEYS)
        gnode = sub.get("grade")
        if gnode is None:
            sheet.fail(grade_node, f"{where}: {raw}: 'grade' is missing")
        label, inferred, inferred_label = (
            sub.text("label"),
            sub.text("inferred"),
            sub.text("inferred label"),
        )
    else:
        gnode = grade_node
    if gnode.is_null:
        sheet.fail(
            key_line,
            f"{where}: {raw}: give a grade (outstanding, good, requires improvement, inadequate)",
        )
    grade = sheet.concept(gnode, "grade", f"{where}: {raw}")
    slug = area.rsplit("/", 1)[-1]
    if slug in event.judgements:
        sheet.fail(
            key_line,
            f"{where}: {raw}: a second judgement of {sheet.vocabulary.pref[area]} (line {event.judgements[slug][1]})",
        )
    event.judgements[slug] = (grade, key_line)
    j = f"{e}/judgement/{slug}"
    head = f"{event.council.display} {year}" if year else event.council.display
    sheet.entity(
        j,
        key_line,
        [CSKG + "Judgement"],
        label or f"{head}: {raw} {sheet.vocabulary.pref[grade]}",
    )
    sheet.add(j, CSKG + "ofEvent", e)
    sheet.add(j, CSKG + "judgementArea", area)
    sheet.add(j, CSKG + "grade", grade)
    if inferred:
        sheet.inferences.append(
            (
                gnode.line,
                gnode.col,
                j,
                CSKG + "grade",
                ox.NamedNode(grade),
                inferred,
                inferred_label,
            )
        )


def read_findings(sheet: Sheet, event: Event) -> None:
    e = event.ref.iri
    entries = event.entry.entries("findings", f"{event.entry.where}: finding", FINDING_KEYS)
    for n, finding in numbered(sheet, entries, "finding"):
        f = f"{e}/finding/{sheet.slug}/{n}"
        kind_node = finding.get("kind")
        if kind_node is None:
            sheet.fail(
                finding.line,
                f"{finding.where}: give its kind: strength, area for improvement or area for priority action",
            )
        kind = sheet.concept(kind_node, "kind", f"{finding.where}: kind")
        sheet.entity(f, finding.line, [CSKG + "Finding"])
        first = texts_of(sheet, finding, f)
        sheet.label(
            f, finding.text("label") or f"{event.council.display}: {short(first)}", finding.line
        )
        sheet.add(f, CSKG + "fromEvent", e)
        sheet.add(f, CSKG + "findingKind", kind)
        for theme in finding.vocabs("theme", "theme", "themes"):
            sheet.add(f, DCT + "subject", theme)
        service = finding.vocab("service", "service")
        if service:
            sheet.add(f, CSKG + "serviceArea", service)


def read_follows(sheet: Sheet, event: Event, node: Y, by_iri: dict[str, Event]) -> str:
    """The IRI of the judgement a monitoring visit follows."""
    where = f"{event.entry.where}: follows"
    area_text: str | None = None
    area_node: Y | None = None
    if node.is_map:
        sub = Entry(sheet, node, where, FOLLOWS_KEYS)
        target = sub.get("event")
        if target is None:
            sheet.fail(
                node, f"{where}: 'event' is missing (an event id of this sheet or an event IRI)"
            )
        area_text, area_node = sub.text("area"), sub.get("area")
        node = target
    text = sheet.scalar_text(node, where)
    ref = sheet.local(text, ["event"])
    if ref is not None:
        followed = by_iri[ref.iri]
        return _followed_judgement(sheet, event, followed, node, text, where, area_text, area_node)
    iri = expand(text)
    if iri is None or not iri.startswith(f"{ID}event/"):
        close = difflib.get_close_matches(
            text, [i for i, r in sheet.ids.items() if r.kind == "event"], n=3, cutoff=0.5
        )
        guess = f"; did you mean: {'; '.join(close)}?" if close else ""
        sheet.fail(
            node,
            f"{where}: {text!r} is neither the id of an event in this sheet nor an event IRI{guess}",
            "write the id: of the inadequate inspection, or an IRI like cskgid:event/E09000006/inspection/2016-06",
        )
    if "/judgement/" in iri:
        return iri
    slug = "overall-effectiveness"
    if area_text and area_node:
        slug = sheet.concept(area_node, "area", f"{where}: area").rsplit("/", 1)[-1]
    return f"{iri}/judgement/{slug}"


def _followed_judgement(
    sheet: Sheet,
    event: Event,
    followed: Event,
    node: Y,
    text: str,
    where: str,
    area_text: str | None,
    area_node: Y | None,
) -> str:
    """The inadequate judgement (of the area given, else overall) of an inspection of this sheet."""
    if followed.council.iri != event.council.iri:
        sheet.fail(
            node,
            f"{where}: {text!r} is an inspection of {followed.council.display}, not of {event.council.display}",
        )
    if followed.kind != "inspection":
        sheet.fail(
            node,
            f"{where}: {text!r} is not a full inspection, so it has no judgement to follow",
        )
    area = (
        _area(sheet, followed, area_text, area_node, f"{where}: area")
        if area_text and area_node
        else VOCAB + "area/overall-effectiveness"
    )
    slug = area.rsplit("/", 1)[-1]
    if slug not in followed.judgements:
        sheet.fail(
            node,
            f"{where}: the event {text!r} has no judgement of {sheet.vocabulary.pref[area]} in this sheet",
            "add it under that event's judgements:",
        )
    grade, _ = followed.judgements[slug]
    if not grade.endswith("/inadequate"):
        sheet.fail(
            node,
            f"{where}: the {sheet.vocabulary.pref[area]} judgement of {text!r} is {sheet.vocabulary.pref[grade]}; a monitoring visit follows an inadequate judgement",
        )
    return f"{followed.ref.iri}/judgement/{slug}"
