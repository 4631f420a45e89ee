"""The ``councils:`` and ``events:`` of a fact sheet: the councils it names, and Ofsted's events.

Councils are named as the source writes them and resolved to the graph's
councils. Events (full inspections, monitoring, focused visits, JTAIs) are read
in two passes: first their IRIs, ``cskgid:event/{GSS}/{kind}/{key}``, so that a
monitoring visit can name the inspection it ``follows:``; then their facts, with
the judgements and findings of cskg.factsheet.judgements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from cskg.factsheet.dates import DateVal, ends_before, human_span
from cskg.factsheet.entry import Entry
from cskg.factsheet.iris import ALT_LABEL, CSKG, ID, PROV, XSD
from cskg.factsheet.judgements import read_findings, read_follows, read_judgements
from cskg.factsheet.names import council_ref, ofsted, resolve_council
from cskg.factsheet.sheet import DATE_KEYS, Ref, Sheet
from cskg.factsheet.yamltree import Y

#: Event types: the words a sheet may use -> (class, IRI segment).
EVENT_TYPES = {
    "full inspection": (CSKG + "FullInspection", "inspection"),
    "inspection": (CSKG + "FullInspection", "inspection"),
    "monitoring visit": (CSKG + "MonitoringVisit", "monitoring-visit"),
    "focused visit": (CSKG + "FocusedVisit", "focused-visit"),
    "jtai": (CSKG + "JointTargetedAreaInspection", "jtai"),
    "joint targeted area inspection": (CSKG + "JointTargetedAreaInspection", "jtai"),
}
COUNCIL_KEYS = ["id", "council", "name", "names"]
EVENT_KEYS = [
    "id",
    "type",
    "council",
    "key",
    "label",
    "fieldwork",
    "published",
    "reported",
    "framework",
    "format",
    "ordinal",
    "focus",
    "focus text",
    "final visit",
    "follows",
    "judgements",
    "findings",
    "same as",
    "different from",
]
FIELDWORK_KEYS = ["start", "end"]


def read_councils(sheet: Sheet, top: Entry) -> None:
    value = top.get("councils")
    if value is None:
        return
    if not value.is_list:
        sheet.fail(value, "councils: expected a list of councils, each starting '- '")
    for n, item in enumerate(value.value, 1):
        where = f"councils: entry {n}"
        if item.is_scalar:
            names = [(sheet.scalar_text(item, where), item)]
            ref_node, ref_text, local_id, id_node = item, names[0][0], None, None
        else:
            entry = Entry(sheet, item, where, COUNCIL_KEYS)
            names = entry.texts("name", "names")
            ref_node = entry.get("council") or (names[0][1] if names else None)
            if ref_node is None:
                sheet.fail(
                    item, f"{where}: give the council's name(s) as the source writes them (names:)"
                )
            ref_text = sheet.scalar_text(ref_node, f"{where}: council")
            local_id, id_node = entry.text("id"), entry.get("id")
        iri = resolve_council(sheet, ref_text, ref_node, f"{where}: council")
        display = names[0][0] if names else ref_text
        known = next((r for r in sheet.by_name["council"].values() if r.iri == iri), None)
        ref = known or Ref("council", iri, display, item.line)
        sheet.register(ref, local_id, [display, ref_text, *(t for t, _ in names)], id_node)
        sheet.entity(iri, item.line, [CSKG + "Council"])
        for text, _ in names:
            sheet.text_(iri, ALT_LABEL, text)


@dataclass
class Event:
    entry: Entry
    ref: Ref
    kind: str
    cls: str
    council: Ref
    start: DateVal | None
    end: DateVal | None
    published: DateVal | None
    reported: DateVal | None
    framework: str | None
    judgements: dict[str, tuple[str, int]] = field(default_factory=dict)


def name_events(sheet: Sheet, top: Entry) -> list[Event]:
    """First pass over events: their IRIs (for follows: and collisions)."""
    events: list[Event] = []
    counts: dict[str, int] = {}
    for ev in top.entries("events", "events: entry", EVENT_KEYS):
        type_node = ev.get("type")
        if type_node is None:
            sheet.fail(
                ev.line,
                f"{ev.where}: give its type: full inspection, monitoring visit, focused visit or JTAI",
            )
        cls, segment = sheet.choice(type_node, EVENT_TYPES, f"{ev.where}: type", "type of event")
        _check_event_keys(sheet, ev, segment)
        council_node = ev.get("council")
        if council_node is None:
            sheet.fail(
                ev.line, f"{ev.where}: give the inspected council: (a name, alias, GSS code or id)"
            )
        council = council_ref(sheet, council_node, f"{ev.where}: council")
        start, end = _fieldwork(sheet, ev)
        published, reported = ev.date("published"), ev.date("reported")
        key = _event_key(sheet, ev, start or published or reported)
        gss = council.iri.rsplit("/", 1)[-1]
        base = f"{ID}event/{gss}/{segment}/{key}"
        counts[base] = counts.get(base, 0) + 1
        iri = base if counts[base] == 1 else f"{base}-{counts[base]}"
        while iri in sheet.event_iris:  # a -2 that an explicit key already took
            counts[base] += 1
            iri = f"{base}-{counts[base]}"
        same, different = sheet.identity(ev, "event")
        if same is not None:  # this is an event the graph holds: its facts are stated about it
            iri = same
        sheet.directive(iri, same, different, ev.line)
        sheet.event_iris.add(iri)
        ref = Ref("event", iri, key, ev.line)
        sheet.register(ref, ev.text("id"), [], ev.get("id"))
        framework = ev.vocab("framework", "framework")
        events.append(
            Event(ev, ref, segment, cls, council, start, end, published, reported, framework)
        )
    return events


def _fieldwork(sheet: Sheet, ev: Entry) -> tuple[DateVal | None, DateVal | None]:
    """fieldwork: as one date, or as start: and end:."""
    start = end = None
    fieldwork = ev.get("fieldwork")
    if fieldwork is not None:
        if fieldwork.is_map and not set(fieldwork.value) <= set(DATE_KEYS):
            fw = Entry(sheet, fieldwork, f"{ev.where}: fieldwork", FIELDWORK_KEYS)
            start, end = fw.date("start"), fw.date("end")
        else:
            start = sheet.date(fieldwork, f"{ev.where}: fieldwork")
    return start, end


def _event_key(sheet: Sheet, ev: Entry, first: DateVal | None) -> str:
    """The last segment of the event's IRI: key:, else its first date, else visit-{ordinal}."""
    ordinal = ev.positive("ordinal")
    key = ev.text("key")
    if key is not None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
            sheet.fail(
                ev.get("key") or ev.line,
                f"{ev.where}: key {key!r}: use lower-case letters, digits and hyphens",
            )
    else:
        if first is not None:
            key = first.lexical
        elif ordinal is not None:
            key = f"visit-{ordinal}"
        else:
            sheet.fail(
                ev.line,
                f"{ev.where}: the event needs a date (fieldwork:, published: or reported:), an ordinal: or a key:",
                "its IRI is made from the first of these (docs/model.md)",
            )
    return key


def _check_event_keys(sheet: Sheet, ev: Entry, kind: str) -> None:
    """Keys that belong to another kind of event are mistakes, not facts to drop."""
    if kind == "inspection":
        for key in ("ordinal", "focus", "focus text", "final visit", "follows"):
            if ev.has(key):
                sheet.fail(
                    ev.key_line(key),
                    f"{ev.where}: {key}: is for monitoring visits (focus also for focused visits and JTAIs), not full inspections",
                )
        return
    for key in ("judgements", "framework", "format"):
        if ev.has(key):
            sheet.fail(
                ev.key_line(key),
                f"{ev.where}: {key}: only full inspections are graded and have a framework or format",
            )
    if kind != "monitoring-visit":
        for key in ("ordinal", "final visit", "follows"):
            if ev.has(key):
                sheet.fail(ev.key_line(key), f"{ev.where}: {key}: is for monitoring visits")


def read_events(sheet: Sheet, events: list[Event]) -> None:
    """Second pass over events: their facts, judgements and findings, then what they follow."""
    by_iri = {e.ref.iri: e for e in events}
    pending: list[tuple[Event, Y]] = []
    for event in events:
        _event(sheet, event)
        read_judgements(sheet, event)
        read_findings(sheet, event)
        follows = event.entry.get("follows")
        if follows is not None:
            pending.append((event, follows))
    for event, follows in pending:
        judgement = read_follows(sheet, event, follows, by_iri)
        sheet.add(event.ref.iri, CSKG + "followsJudgement", judgement)


def _event(sheet: Sheet, event: Event) -> None:
    ev, e = event.entry, event.ref.iri
    line = ev.line
    inspectorate = ofsted(sheet, line, ev.node)
    focus = ev.vocab("focus", "service")
    focus_text = ev.text("focus text")
    ordinal = ev.positive("ordinal")
    final = ev.boolean("final visit")
    default = _default_label(sheet, event, focus, ordinal)
    sheet.entity(e, line, [event.cls], ev.text("label") or default)
    sheet.add(e, CSKG + "inspectedAuthority", event.council.iri)
    sheet.add(e, PROV + "wasAssociatedWith", inspectorate.iri)
    for prop, value in (
        ("fieldworkStart", event.start),
        ("fieldworkEnd", event.end),
        ("publicationDate", event.published),
        ("reportedDate", event.reported),
    ):
        if value is not None:
            sheet.dated(e, CSKG + prop, value)
    if event.start and event.end and ends_before(event.start, event.end):
        sheet.fail(
            event.end.line,
            f"{ev.where}: fieldwork ends ({event.end.lexical}) before it starts ({event.start.lexical})",
        )
    if event.framework:
        sheet.add(e, CSKG + "framework", event.framework)
    fmt = ev.vocab("format", "format")
    if fmt:
        sheet.add(e, CSKG + "inspectionFormat", fmt)
    if ordinal is not None:
        sheet.add(
            e,
            CSKG + "visitOrdinal",
            ox.Literal(str(ordinal), datatype=ox.NamedNode(XSD + "positiveInteger")),
        )
    if focus:
        sheet.add(e, CSKG + "focus", focus)
    if focus_text:
        sheet.text_(e, CSKG + "focusText", focus_text)
    if final is not None:
        sheet.add(
            e,
            CSKG + "finalVisit",
            ox.Literal("true" if final else "false", datatype=ox.NamedNode(XSD + "boolean")),
        )


def _default_label(sheet: Sheet, event: Event, focus: str | None, ordinal: int | None) -> str:
    """'Ofsted inspection of Bolton children's services, April to May 2018' and the like."""
    council_name = event.council.display
    when = (
        human_span(event.start.lexical, event.end.lexical if event.end else None)
        if event.start
        else ""
    )
    if not when:
        first = event.published or event.reported
        when = first.human() if first else ""
    focus_label = sheet.vocabulary.pref[focus] if focus else None
    if event.kind == "inspection":
        return f"Ofsted inspection of {council_name} children's services" + (
            f", {when}" if when else ""
        )
    parts = ", ".join(p for p in (when, focus_label) if p)
    base = {
        "monitoring-visit": f"{council_name} monitoring visit" + (f" {ordinal}" if ordinal else ""),
        "focused-visit": f"Ofsted focused visit to {council_name}",
        "jtai": f"Joint targeted area inspection in {council_name}",
    }[event.kind]
    return base + (f" ({parts})" if parts else "")
