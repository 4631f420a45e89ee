"""Inspections and visits: their kind, ordinal, focus and dates, the grades given, and what
follows what ("the sixth visit since ... judged inadequate in June 2016").

A part of ``cskg.extract.rules.Extractor``, which holds the state these rules share."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from cskg.extract.dates import DateMention, find_dates, value
from cskg.extract.draft import Item
from cskg.extract.knowledge import fold
from cskg.extract.patterns import (
    CARDINALS,
    ORDINAL,
    ORDINALS,
    RATING,
    Event,
    clauses,
    in_force,
    slug,
)
from cskg.extract.text import Sentence
from cskg.factsheet.dates import human_date


class EventRules:
    """Events and their grades (a mixin of ``Extractor``)."""

    def current(self, council: str, kind: str | None = None, create: bool = True) -> Event | None:
        """The event this text reports for a council (not one it recalls), made on first need."""
        for ev in self.events:
            if ev.council == council and not ev.historical and (kind is None or ev.kind == kind
                                                                 or ev.kind == "unknown"):
                if kind and ev.kind == "unknown":
                    ev.kind = kind
                return ev
        if not create:
            return None
        ev = Event(council, kind or "unknown")
        self.events.append(ev)
        return ev

    def historical(self, council: str, when: DateMention | None, kind: str = "full inspection") -> Event:
        for ev in self.events:
            if ev.council == council and ev.historical and ev.kind == kind and when and ev.reported \
                    and ev.reported.lexical[:4] == when.lexical[:4]:
                return ev
        ev = Event(council, kind, historical=True, reported=when)
        self.events.append(ev)
        return ev

    def _event_kind(self, text: str) -> str | None:
        low = text.lower()
        for cls, kind in (("MonitoringVisit", "monitoring visit"), ("FocusedVisit", "focused visit"),
                          ("JointTargetedAreaInspection", "joint targeted area inspection")):
            if any(label.lower() in low for label in self.k.classes.get(cls, [])):
                return kind
        if re.search(r"\bJTAI\b", text):
            return "joint targeted area inspection"
        if re.search(r"\b(full |graded |standard |short )?inspections?\b", low):
            return "full inspection"
        return None

    def _events(self, sent: Sentence, mentions: list[tuple[int, int, str]]) -> None:
        text = sent.text
        if not self._grades(sent):
            # "The rating was for leadership, child protection ... as well as for overall effectiveness."
            if self.last_graded and sent.index - self.last_graded[0] <= 2 and \
                    re.match(r"\s*(The|This|That|Its|Their) (rating|ratings|judgement|judgment|grades?)\b", text):
                for ev, grade in self.last_graded[1]:
                    areas = self._all_areas(ev) if re.search(r"\ball (areas|judgements|judgments)\b", text) else \
                        self._areas(text, ev)
                    for area in areas:
                        ev.judgements.setdefault(area, grade)
                    ev.item.cite(text)
        councils = self._subjects(text, mentions)
        if not councils:
            return
        dates = find_dates(text, self.article)
        kind = self._event_kind(text)
        grades = self._grades(sent)
        historical_events: list[Event] = []
        sentence_past = [d for d in dates if self._is_past(d, text)]
        # 1. grades: each clause with a rating word and a grade
        for ca, cb in clauses(text):
            clause = text[ca:cb]
            cgrades = [g for g in grades if ca <= g[0] < cb]
            if not cgrades or not (RATING.search(clause) or re.search(r"\b(upgraded|now|highest|lowest)\b", clause)
                                   or re.search(r"\b(rated|judged)\b", text[:cb])):
                continue
            past = [d for d in dates if ca <= d.start < cb and self._is_past(d, clause)] or sentence_past
            for council in councils:
                ev = self._graded_event(council, clause, past, sent, kind)
                if ev is None:
                    continue
                if ev.historical:
                    historical_events.append(ev)
                self._grade(ev, clause, cgrades)
                ev.item.cite(text)
        # "according to an Ofsted report published on 14 March 2023": the reported event's publication
        published = [d for d in dates if re.search(
            r"\b(report|letter|findings)\b[^.]{0,40}\b(published|released)\b(?:\s+\w+){0,2}\s*$", text[:d.start])]
        if published and not kind and len(councils) == 1:
            ev = self.current(councils[0])
            ev.published = ev.published or published[0]
            ev.item.cite(text)
        # 2. an event the sentence speaks of
        if kind or re.search(r"\bvisit(ed)?\b", text, re.I):
            self._event_mention(sent, councils, dates, kind, historical_events)

    def _graded_event(self, council: str, clause: str, past: list[DateMention], sent: Sentence,
                      kind: str | None) -> Event | None:
        """The inspection a grade belongs to: one dated in the past, the one just spoken of
        ("Its child protection ... was rated good" after "In 2016 Westminster was rated ..."),
        or the one the text reports."""
        if past:
            return self.historical(council, past[-1])
        if re.search(r"\b(previously|had previously|last visit|last inspection|previous)\b", clause, re.I):
            return self.historical(council, None)
        last = self.last_graded
        earlier = [ev for ev, _ in last[1] if ev.historical and ev.council == council] if last else []
        if last and earlier and last[0] >= sent.index - 1 \
                and not re.search(r"\b(now|continues?|retained|remains?|currently)\b", clause, re.I):
            return earlier[0]
        ev = self.current(council, "full inspection" if kind in (None, "full inspection") else kind)
        if ev.kind == "unknown":
            ev.kind = "full inspection"
        if ev.kind != "full inspection":
            return None  # a visit is not graded
        if re.search(r"\b(retained|continues? to be|remains?|still)\b", clause, re.I):
            ev.retained = True
        return ev

    def _grade(self, ev: Event, clause: str, cgrades: list[tuple[int, int, str]]) -> None:
        """Give the areas a clause names their grade, or overall effectiveness when it names none."""
        for _, _, grade_iri in cgrades:
            grade = self.k.label_of(grade_iri)
            areas = self._all_areas(ev) if re.search(r"\ball (areas|judgements|judgments)\b", clause) else \
                self._areas(clause, ev)
            for area in areas or ["overall effectiveness"]:
                ev.judgements.setdefault(area, grade)
            if self.last_graded is None or self.last_graded[0] != self._sentence_index:
                self.last_graded = (self._sentence_index, [])
            self.last_graded[1].append((ev, grade))

    def _all_areas(self, ev: Event) -> list[str]:
        """'All areas': the judgements in force in the event's year (the vocabulary's scope notes)."""
        year = self._year_of(ev)
        if year is None:
            return []
        framework = "ILACS" if year >= 2018 else "SIF"  # the scope notes name the frameworks
        return [c.label for c in self.k.concepts["area"]
                if in_force(c.note, year) and framework in c.note and "LSCB" not in c.note]

    def _year_of(self, ev: Event) -> int | None:
        for d in (ev.start, ev.reported):
            if d:
                return int(d.lexical[:4])
        return int(self.article[:4]) if self.article and not ev.historical else None

    def _is_past(self, d: DateMention, clause: str) -> bool:
        """Is a date that of an earlier event than the one the text reports? When the text says so
        ("previously", "last", "since", "had been"), or the date is over a year before the
        article's; never the days a visit "took place" or inspectors "visited". Without an
        article date, the past tense says so."""
        before = clause[:max(0, clause.find(d.phrase))] if d.phrase in clause else clause
        if re.search(r"(?<!was )(?<!were )(?<!been )\b(visited|took place|carried out|between|inspected|fieldwork)\b"
                     r"[^.,;]*$", before, re.I):
            return False
        cue = re.search(r"\b(previously|previous|last|since|had been|had|earlier|before|former)\b", clause, re.I)
        if self.article:
            if d.lexical >= self.article[:len(d.lexical)]:
                return False
            return bool(cue) or (date.fromisoformat(self.article) - _period_end(d.lexical)).days > 365
        return bool(cue or re.search(r"\b(was|were)\b", clause, re.I)) and \
            not re.search(r"\b(now|has been|have been)\b", clause, re.I)

    def _areas(self, clause: str, ev: Event) -> list[str]:
        """The judgement areas a clause names, as the framework of the event's year names them."""
        year = self._year_of(ev)
        out: list[str] = []
        labels = {c.label: c for c in self.k.concepts["area"]}
        for _, _, iri in self.concepts("area", clause):
            concept = next(c for c in self.k.concepts["area"] if c.iri == iri)
            parts = concept.label.split(" and ")
            if year and not in_force(concept.note, year) and len(parts) == 2 and all(p in labels for p in parts):
                # 'children in care and care leavers' in a SIF report: two judgements
                out += [self._in_era(labels[p], year) for p in parts]
            else:
                out.append(self._in_era(concept, year))
        if re.search(r"\bleadership\b", clause, re.I):
            out.append("leadership")
        if year and year >= 2018 and re.search(r"\bin care\b", clause) and \
                re.search(r"\bleav(ing|ers?) care\b|\bcare leavers?\b", clause):
            combined = [c for c in self.k.concepts["area"] if in_force(c.note, year)
                        and "care leavers" in c.label and "children in care" in c.label]
            if combined:
                out = [o for o in out if o not in ("care leavers", "children in care")] + [combined[0].label]
        if re.search(r"\boverall\b", clause, re.I):
            out.append("overall effectiveness")
        return list(dict.fromkeys(out))

    def _in_era(self, concept: Any, year: int | None) -> str:
        """An area as the framework of the year names it: 'children in care' in a 2016 (SIF)
        report is the SIF area of looked-after children (the concept whose names say so)."""
        if year is None or in_force(concept.note, year):
            return concept.label
        if "in care" in concept.label:
            for other in self.k.concepts["area"]:
                if in_force(other.note, year) and any("looked after" in fold(n) for n in other.names):
                    return other.label
        return concept.label

    def _event_mention(self, sent: Sentence, councils: list[str], dates: list[DateMention],
                       kind: str | None, historical: list[Event]) -> None:
        text = sent.text
        low = text.lower()
        ordinal = None
        m = re.search(rf"\b(?:the\s+)?{ORDINAL}\s+(?:and\s+final\s+)?(?:monitoring\s+|focused\s+)?visit", low)
        if m:
            word = m.group("ord")
            ordinal = ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        again = re.search(rf"\bvisit\w*\b.*\b(?:for\s+)?the\s+{ORDINAL}\s+(?:time|since|such|of|in)\b", low)
        if again and not m:
            word = again.group("ord")
            ordinal = ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        count = re.search(r"\b(?P<n>\w+)\s+(?:monitoring\s+)?visits\b.*\b(most recent|latest|last)\b", low)
        if count and not ordinal and count.group("n") in CARDINALS:
            ordinal = CARDINALS[count.group("n")]
        if kind in (None, "full inspection") and ordinal:
            kind = "monitoring visit"
        whole = " ".join(text.split())
        if kind is None:
            # "upgraded to good after the visit ... which took place in April and May": the
            # visit is the graded inspection this sentence reports
            graded = [ev for ev in self.events if ev.council in councils and not ev.historical
                      and ev.kind == "full inspection" and whole in ev.item.evidence]
            if graded:
                kind = "full inspection"
            elif historical:
                return  # "after Ofsted's last visit four years ago": the inspection recalled
        if kind is None:
            kind = "monitoring visit" if re.search(r"\bvisit", low) else None
        if kind is None or kind == "full inspection" and any(h.kind == kind for h in historical) \
                and not re.search(r"\bsince\b", low):
            return  # "rated good at its last full inspection in 2022": the inspection recalled
        # "in June 2022 in the first visit": a date and an ordinal of an earlier visit
        since = re.search(r"\bsince\b", low)
        own_dates = [d for d in dates if not (since and d.start > since.start())
                     and not any(ev.reported is d for ev in historical)]
        for council in councils:
            if re.search(r"\b(first|last|previous) (full )?(inspection|report)\b.*\bsince\b|\bsince (their|its) last\b", low) \
                    and not ordinal:
                # "the first full inspection since their last report in 2016"
                when = next((d for d in dates if self._is_past(d, text)), None)
                if when is not None:
                    self.historical(council, when).item.cite(text)
                ev = self.current(council, "full inspection")
                ev.item.cite(text)
                continue
            past_visit = ordinal is not None and any(self._is_past(d, text) for d in own_dates) \
                and re.search(r"\b(was|were|had)\b", low)
            ev = None
            if past_visit:
                ev = Event(council, "monitoring visit", historical=True, ordinal=ordinal)
                self.events.append(ev)
            else:
                ev = self.current(council, kind)
                if ordinal and ev.ordinal is None:
                    ev.ordinal = ordinal
            ev.item.cite(text)
            if ev.kind == "unknown":
                ev.kind = kind
            for d in own_dates:
                if ev.historical and ev.kind == "full inspection":
                    continue
                if re.search(r"\b(published|publication|released)\b(?:\s+\w+){0,2}\s*$", text[:d.start]):
                    ev.published = ev.published or d  # "a report published on 14 March 2023"
                    continue
                if d.until:
                    ev.start = ev.start or d
                    ev.end = ev.end or DateMention(d.until, d.precision, d.start, d.end, d.phrase, d.inferred)
                elif ev.start is None:
                    ev.start = d
            if re.search(r"\bfinal (monitoring )?visit\b|no further (monitoring )?visits", low) and not past_visit:
                ev.final = True
            self._focus(ev, text)
            for hist in historical:
                if hist.council == council and hist is not ev and not ev.historical and ev.kind != "full inspection" \
                        and self._inadequate(hist):
                    ev.follows = hist

    def _inadequate(self, ev: Event) -> bool:
        """Is the event's overall grade the worst on the scale (what a monitoring visit follows)?"""
        grades = self.k.concepts.get("grade", [])
        overall = ev.judgements.get("overall effectiveness")
        return bool(grades) and overall is not None and fold(str(overall)) == fold(grades[-1].label)

    def _focus(self, ev: Event, text: str) -> None:
        m = re.search(r"\b(?:focus(?:ing|ed|sed)?\s+on|assessing|look(?:ing|ed)? at|examin(?:ing|ed)|revisiting|into)"
                      r"\s+(?P<what>[^,.;:\"“”]+)",
                      text, re.I)
        if not m or ev.focus:
            return
        what = m.group("what")
        services = self.concepts("service", what)
        if services:
            a, b, iri = services[0]
            ev.focus = self.k.label_of(iri)
            phrase = what.strip()
            phrase = re.split(r"\s+(?:in|at|for the|said|has|had|is|was|with)\s+(?=[A-Z])|\s+said\b", phrase)[0]
            ev.focus_text = phrase.strip(" ’'‘")
            ev.item.cite(text)

    def _grades(self, sent: Sentence) -> list[tuple[int, int, str]]:
        """Grades a sentence gives: not a grade word inside a quotation ("are now good"),
        unless the quotation is the grade itself ("inadequate")."""
        quoted = self.doc.quoted(sent)
        out = []
        grades = self.k.concepts.get("grade", [])
        for m in re.finditer(r"\b(highest|top|best|lowest|worst) (possible )?(rating|grade|judgement|judgment)\b",
                             sent.text, re.I):
            if grades:
                best = m.group(1).lower() in ("highest", "top", "best")
                out.append((m.start(), m.end(), (grades[0] if best else grades[-1]).iri))
        for a, b, iri in self.concepts("grade", sent.text):
            inside = [q for q in quoted if q[0] <= a and b <= q[1]]
            if inside and not any(fold(sent.text[q[0]:q[1]]) == fold(sent.text[a:b]) for q in inside):
                continue
            out.append((a, b, iri))
        return out

    def _kept_grades(self) -> None:
        """'Has retained its good rating', 'continue to be rated outstanding': the inspection
        before had the same overall grade. Stated as an inference, on the earlier inspection the
        text names."""
        for ev in self.events:
            overall = ev.judgements.get("overall effectiveness")
            if not ev.retained or overall is None:
                continue
            earlier = [e for e in self.events if e.council == ev.council and e.historical
                       and e.kind == "full inspection"]
            if len(earlier) == 1 and "overall effectiveness" not in earlier[0].judgements:
                name = self.k.councils[ev.council].label
                earlier[0].judgements["overall effectiveness"] = {
                    "grade": overall, "inferred": f"The text gives no overall grade for this inspection; it "
                    f"says {name} kept its '{overall}' grade, from which this grade is inferred."}

    def _followed(self) -> None:
        """A monitoring visit follows the inadequate judgement the text gives its council, when
        the text gives one such judgement (the sentence saying so may come after the visit's)."""
        for ev in self.events:
            if ev.kind == "monitoring visit" and ev.follows is None:
                earlier = [e for e in self.events if e.council == ev.council and e.historical
                           and e.kind == "full inspection" and self._inadequate(e)]
                if len(earlier) == 1:
                    ev.follows = earlier[0]

    def _event_items(self) -> list[Item]:
        self._kept_grades()
        for ev in self.events:
            if ev.kind == "unknown" and any(e.council == ev.council and e.historical and self._inadequate(e)
                                            for e in self.events):
                # findings after an inadequate judgement, of an event the text does not name:
                # the monitoring visits that follow such a judgement
                ev.kind = "monitoring visit"
        self._followed()
        items = []
        used: dict[str, int] = {}
        events = [e for e in self.events if e.kind != "unknown" or e.findings]
        events.sort(key=lambda e: (e.historical, ))
        for ev in events:
            council = self.handle(ev.council)
            handle = f"{council}-{ev.kind.split()[0]}" + (f"-{ev.ordinal}" if ev.ordinal else "") + \
                (f"-{ev.date_key()}" if ev.date_key() else "")
            used[handle] = used.get(handle, 0) + 1
            ev.handle = handle if used[handle] == 1 else f"{handle}-{used[handle]}"
        for ev in events:
            item = ev.item
            f = item.fields
            f["id"] = ev.handle
            if ev.kind == "unknown" and any(e.council == ev.council and e.historical and self._inadequate(e)
                                            for e in events):
                # findings after an inadequate judgement, of an event the text does not name:
                # the monitoring visits that follow such a judgement
                ev.kind = "monitoring visit"
                f["type"] = ev.kind
            elif ev.kind == "unknown":
                f["type"] = "monitoring visit"
                item.flag("the text does not say what kind of inspection or visit this is: set type:")
            else:
                f["type"] = ev.kind
            f["council"] = self.handle(ev.council)
            if ev.start:
                if ev.end and ev.end.lexical != ev.start.lexical:
                    f["fieldwork"] = {"start": value(ev.start), "end": value(ev.end)}
                else:
                    f["fieldwork"] = value(ev.start)
            if ev.published:
                f["published"] = value(ev.published)
            if ev.reported:
                f["reported"] = value(ev.reported)
            if not ev.start and not ev.reported and not ev.published and ev.kind == "full inspection" \
                    and self.article and not ev.historical:
                f["reported"] = {"value": self.article[:4], "inferred":
                                 f"Year inferred from the article's date ({human_date(self.article)}); the article reports "
                                 "the inspection's outcome without dating it."}
            if ev.ordinal:
                f["ordinal"] = ev.ordinal
            if not (ev.ordinal or "fieldwork" in f or "reported" in f):
                # undated and unnumbered: its focus tells it apart ("visit-children-in-care")
                f["key"] = f"visit-{slug(ev.focus)}" if ev.focus and ev.kind != "full inspection" else "undated"
                if f["key"] == "undated":
                    item.flag("the text gives no date, ordinal or focus for this event: give one, or key:")
            if ev.focus and ev.kind != "full inspection":
                f["focus"] = ev.focus
                if ev.focus_text and fold(ev.focus_text) != fold(ev.focus):
                    f["focus text"] = ev.focus_text
            if ev.final:
                f["final visit"] = True
            if ev.follows is not None and ev.follows in events:
                f["follows"] = ev.follows.handle
            elif ev.kind == "monitoring visit":
                item.flag("a monitoring visit follows an inadequate judgement, and the text gives none: "
                          "add follows: (the judgement's inspection, e.g. cskgid:event/...), unless the graph "
                          "holds it")
            if ev.judgements:
                f["judgements"] = dict(ev.judgements)
            if ev.findings:
                f["findings"] = [fi.fields for fi in ev.findings]
                for fi in ev.findings:
                    for s in fi.evidence:
                        item.cite(s)
            if ev.kind == "full inspection" and not ev.historical and not ev.judgements and not ev.start and \
                    not ev.findings:
                item.flag("an inspection the text only mentions: keep it if the text reports it")
            items.append(item)
        return items


def _period_end(lexical: str) -> date:
    """The last day of a year, month or day as written."""
    parts = [int(p) for p in lexical.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], parts[1], parts[2])
