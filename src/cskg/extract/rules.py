"""The rules that read facts out of sentences, and the draft they build.

Read the text once, sentence by sentence, keeping the councils in focus (the
last ones named), the events each council's sentences describe, and the last
person spoken of. Each rule is a pattern of how such texts state a fact:
"the sixth visit since ... judged inadequate in June 2016", "previously rated
requires improvement in 2014", "James Thomas as interim director of children's
services", "a partnership between the authority and ... the police, health and
education", "'...,' said Ann Cunliffe". What a rule is unsure of is kept and
flagged for review, not dropped and not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cskg.extract.dates import DateMention, find_dates, value
from cskg.extract.draft import Draft, Item
from cskg.extract.knowledge import Knowledge, fold
from cskg.extract.text import Document, Sentence
from cskg.factsheet.dates import human_date

ORDINALS = {w: n for n, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
CARDINALS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_ORD = r"(?P<ord>" + "|".join(list(ORDINALS)[1:]) + r"|\d{1,2}(?:st|nd|rd|th))"
_RATING = re.compile(r"\b(rated|rating|judged|judgement|judgment|graded|grade|upgraded|downgraded|"
                     r"retained|remains?|continues? to be|found to be|deemed)\b", re.I)
_PAST = re.compile(r"\b(previously|previous|last|since|had been|had previously|was|were|after|"
                   r"before|earlier|under)\b", re.I)
_INSPECTORS = re.compile(r"\b(inspectors?|ofsted|the inspectorate|inspection team|the letter|a letter|"
                         r"the report|its report|their report|report|letter|HMI)\b", re.I)
_REPORTING = re.compile(r"\b(found|find|finds|said|says|say|praised|praises|noted|notes|highlighted|"
                        r"welcomed|warned|states?|stated|adds?|added|recognised|recognized|concluded|"
                        r"identified|reported|reports|observed|judged|deemed|saw|want|wants|"
                        r"concerned|criticised|described|underlined)\b", re.I)
_PASSIVE_FINDING = re.compile(r"\b(was|were|is|are)(?: also| not| now)? (found|deemed|judged|seen|highlighted|noted)\b", re.I)
_WEAKNESS = re.compile(
    r"\b(however|improvement|improve|improved support|concern|concerned|not always|not yet|delays?|"
    r"lack|lacked|lacking|poor|inconsistent|variable|remain high|warned|needs? to|should|misses|"
    r"too slow|too late|not soon enough|did not|does not|do not|weak|weaknesses|insufficient|"
    r"critical|more to do|not all|continue to experience|want to see)\b", re.I)
_SPEECH = re.compile(r"\b(said|says|say|added|adds|told|commented|explained|claimed|claims|"
                     r"recognised|believes|insisted|stressed|described)\b", re.I)
_NAME = r"(?:(?:Councillor|Cllr\.?|Dr\.?|Sir|Dame|Professor|Prof\.?)\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+){1,2}"
_PRONOUNS = {"he", "she"}


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


class Extractor:
    """One text's extraction: call ``run`` for the draft."""

    def __init__(self, doc: Document, knowledge: Knowledge, url: str | None = None) -> None:
        self.doc = doc
        self.k = knowledge
        self.url = url
        self.article = doc.date
        self.councils: dict[str, Item] = {}
        self.council_names: dict[str, list[str]] = {}
        self.events: list[Event] = []
        self.people: list[Person] = []
        self.orgs: dict[str, Item] = {}
        self.partnerships: dict[str, Item] = {}
        self.claims: list[Item] = []
        self.delivery: list[Item] = []
        self.control: list[Item] = []
        self.focus: list[str] = []
        self.speaker: Person | None = None
        self.last_finding: tuple[Item, int, int] | None = None
        self.used_ids: set[str] = set()
        #: the last sentence that gave grades, and the (event, grade) it gave
        self.last_graded: tuple[int, list[tuple[Event, str]]] | None = None
        self._sentence_index = 0
        self._build_matchers()

    # -- matchers over the knowledge ---------------------------------------------------

    def _build_matchers(self) -> None:
        from spacy.matcher import PhraseMatcher

        from cskg.extract.text import pipeline

        nlp = pipeline()
        self.nlp = nlp
        self.council_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.by_name = self.k.council_names()
        for name, iris in sorted(self.by_name.items()):
            if len(iris) == 1:
                self.council_matcher.add(next(iter(iris)), [nlp.make_doc(name)])
        self.vocab_matchers: dict[str, Any] = {}
        self.concept_of: dict[str, str] = {}
        for scheme, concepts in self.k.concepts.items():
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            for concept in concepts:
                names = [n for n in concept.names if len(n) > 2 or scheme == "role"]
                names += [n[:-1] for n in names if n.endswith("s") and len(n.split()) > 1]  # care leaver services
                names += [n.replace(" ", "-", 1) for n in names if len(n.split()) > 2]  # looked-after children
                matcher.add(concept.iri, [nlp.make_doc(n) for n in names] +
                            [nlp.make_doc(n.replace("’", "'")) for n in names if "’" in n] +
                            [nlp.make_doc(n.replace("'", "’")) for n in names if "'" in n])
            self.vocab_matchers[scheme] = matcher

    def council_mentions(self, text: str) -> list[tuple[int, int, str]]:
        doc = self.nlp.make_doc(text)
        spans = []
        for match_id, s, e in self.council_matcher(doc):
            spans.append((s, e, self.nlp.vocab.strings[match_id]))
        spans.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        out, last_end = [], -1
        for s, e, iri in spans:
            if s < last_end:
                continue
            after = doc[e] if e < len(doc) else None
            before = doc[s - 1] if s > 0 else None
            # "The Sutton Trust", "Greater Manchester Police": a place inside another name
            if after is not None and after.is_title and after.text not in ("Council", "Councils") \
                    and not after.is_sent_start and (s == 0 or doc[s - 1].text != "and"):
                if after.text not in ("The", "Ofsted", "Inspectors", "A", "In", "It", "This"):
                    continue
            if before is not None and before.is_title and before.i > 0 and before.text not in (
                    "In", "At", "For", "And", "But", "Meanwhile", "While", "Councillor") and \
                    not self._is_connector(before.text):
                continue
            if s == 0 and e - s == 1 and doc[s].text.endswith("ing") and after is not None and after.is_lower:
                continue
            out.append((doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), iri))
            last_end = e
        return out

    @staticmethod
    def _is_connector(word: str) -> bool:
        return word in {"Since", "Under", "From", "Of", "On", "By", "As", "After", "Before", "Both", "With"}

    def concepts(self, scheme: str, text: str) -> list[tuple[int, int, str]]:
        doc = self.nlp.make_doc(text)
        found = []
        for match_id, s, e in self.vocab_matchers[scheme](doc):
            found.append((doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), self.nlp.vocab.strings[match_id]))
        found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        out, last = [], -1
        for a, b, iri in found:
            if a >= last:
                out.append((a, b, iri))
                last = b
        return out

    # -- the run -------------------------------------------------------------------------

    def run(self) -> Draft:
        draft = Draft(self._source(), display=self.doc.display)
        if self.doc.title:
            draft.source_evidence.append(self.doc.title)
        open_quote_owner: tuple[str, Any] | None = None
        last_paragraph = -1
        for sent in self.doc.sentences:
            text = sent.text
            self._sentence_index = sent.index
            new_paragraph = sent.paragraph != last_paragraph
            last_paragraph = sent.paragraph
            mentions = self.council_mentions(text)
            for a, b, iri in mentions:
                self._council(iri, text[a:b], text)
            if mentions:
                self.focus = list(dict.fromkeys(iri for _, _, iri in mentions))
            elif not self.focus and self.councils:
                self.focus = [next(iter(self.councils))]
            starts_quoted = text.lstrip()[:1] in "\"“‘'"
            continued = open_quote_owner if (starts_quoted and new_paragraph) or not new_paragraph else None
            self._political_control(sent)
            self._partnerships(sent, mentions)
            self._delivery(sent)
            self._people(sent, mentions)
            self._inspectors(sent)
            self._events(sent, mentions)
            owner = self._claim(sent, mentions, continued if not new_paragraph or starts_quoted else None)
            if owner is None:
                owner = self._finding(sent, mentions, continued)
            open_quote_owner = owner
        self._assemble(draft)
        return draft

    # -- source ------------------------------------------------------------------------------

    def _source(self) -> dict[str, Any]:
        doc = self.doc
        source: dict[str, Any] = {"kind": "news article"}
        if doc.kind == "letter":
            source["kind"] = "report"
        if doc.title:
            source["title"] = doc.title
        if len(doc.authors) == 1:
            source["author"] = doc.authors[0]
        elif doc.authors:
            source["authors"] = doc.authors
        publisher = self._publisher()
        if publisher:
            source["publisher"] = publisher
        if doc.date:
            source["date"] = doc.date
        if self.url:
            source["url"] = self.url
        if not doc.title:
            first = doc.sentences[0].text if doc.sentences else "the text"
            source["label"] = f"[Untitled article: {' '.join(first.split()[:8])} ...]"
        return source

    def _publisher(self) -> str | None:
        """A news publisher the graph knows, named in the text or at the URL's host; for an
        inspector's letter, the inspectorate."""
        if self.doc.kind == "letter":
            signed = self.doc.signed_as or ""
            for known in self.k.known_of("Inspectorate"):
                role = next((c for c in self.k.concepts.get("role", []) if any(
                    fold(n) == fold(signed) or fold(n) + "s" == fold(signed) for n in c.names)), None)
                if role is not None or any(n in self.doc.text for n in known.names):
                    return known.label
        host = re.sub(r"^www\.", "", re.sub(r"^https?://([^/]+).*$", r"\1", self.url or "")).lower()
        for known in self.k.known_of("NewsPublisher"):
            for name in known.names:
                if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", self.doc.text):
                    return known.label
                if host and fold(name).replace(" ", "") in host.replace(".", "").replace("-", ""):
                    return known.label
        return None

    # -- councils ---------------------------------------------------------------------------

    def _council(self, iri: str, surface: str, sentence: str) -> None:
        surface = re.sub(r"^the\s+", "", surface)
        surface = re.sub(r"\s+councils$", "", surface)
        item = self.councils.get(iri)
        if item is None:
            council = self.k.councils[iri]
            item = Item({"id": self.unique(_slug(council.label)), "council": council.gss, "names": []})
            self.councils[iri] = item
        if surface not in item.fields["names"]:
            item.fields["names"].append(surface)
            item.cite(sentence)

    def unique(self, wanted: str) -> str:
        """A handle no other entry of the draft uses."""
        handle, n = wanted, 1
        while handle in self.used_ids:
            n += 1
            handle = f"{wanted}-{n}"
        self.used_ids.add(handle)
        return handle

    def handle(self, iri: str) -> str:
        return self.councils[iri].fields["id"]

    # -- events ------------------------------------------------------------------------------

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
        for ca, cb in _clauses(text):
            clause = text[ca:cb]
            cgrades = [g for g in grades if ca <= g[0] < cb]
            if not cgrades or not (_RATING.search(clause) or re.search(r"\b(upgraded|now|highest|lowest)\b", clause)
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
                if _in_force(c.note, year) and framework in c.note and "LSCB" not in c.note]

    def _year_of(self, ev: Event) -> int | None:
        for d in (ev.start, ev.reported):
            if d:
                return int(d.lexical[:4])
        return int(self.article[:4]) if self.article and not ev.historical else None

    def _is_past(self, d: DateMention, clause: str) -> bool:
        """A date before the text's own: the article's year, or the past tense of an undated text."""
        if self.article:
            return d.lexical[:4] < self.article[:4]
        return bool(re.search(r"\b(previously|last|since|had been|was|were)\b", clause, re.I)) and \
            not re.search(r"\b(now|has been|have been)\b", clause, re.I)

    def _areas(self, clause: str, ev: Event) -> list[str]:
        """The judgement areas a clause names, as the framework of the event's year names them."""
        year = self._year_of(ev)
        out: list[str] = []
        labels = {c.label: c for c in self.k.concepts["area"]}
        for _, _, iri in self.concepts("area", clause):
            concept = next(c for c in self.k.concepts["area"] if c.iri == iri)
            parts = concept.label.split(" and ")
            if year and not _in_force(concept.note, year) and len(parts) == 2 and all(p in labels for p in parts):
                # 'children in care and care leavers' in a SIF report: two judgements
                out += [self._in_era(labels[p], year) for p in parts]
            else:
                out.append(self._in_era(concept, year))
        if re.search(r"\bleadership\b", clause, re.I):
            out.append("leadership")
        if year and year >= 2018 and re.search(r"\bin care\b", clause) and \
                re.search(r"\bleav(ing|ers?) care\b|\bcare leavers?\b", clause):
            combined = [c for c in self.k.concepts["area"] if _in_force(c.note, year)
                        and "care leavers" in c.label and "children in care" in c.label]
            if combined:
                out = [o for o in out if o not in ("care leavers", "children in care")] + [combined[0].label]
        if re.search(r"\boverall\b", clause, re.I):
            out.append("overall effectiveness")
        return list(dict.fromkeys(out))

    def _in_era(self, concept: Any, year: int | None) -> str:
        """An area as the framework of the year names it: 'children in care' in a 2016 (SIF)
        report is the SIF area of looked-after children (the concept whose names say so)."""
        if year is None or _in_force(concept.note, year):
            return concept.label
        if "in care" in concept.label:
            for other in self.k.concepts["area"]:
                if _in_force(other.note, year) and any("looked after" in fold(n) for n in other.names):
                    return other.label
        return concept.label

    def _event_mention(self, sent: Sentence, councils: list[str], dates: list[DateMention],
                       kind: str | None, historical: list[Event]) -> None:
        text = sent.text
        low = text.lower()
        ordinal = None
        m = re.search(rf"\b(?:the\s+)?{_ORD}\s+(?:and\s+final\s+)?(?:monitoring\s+|focused\s+)?visit", low)
        if m:
            word = m.group("ord")
            ordinal = ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        again = re.search(rf"\bvisit\w*\b.*\b(?:for\s+)?the\s+{_ORD}\s+(?:time|since|such|of|in)\b", low)
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
        if kind is None:
            return
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
        m = re.search(r"\b(?:focus(?:ing|ed|sed)?\s+on|assessing|looking at|revisiting|into)\s+(?P<what>[^,.;:\"“”]+)",
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

    # -- findings -----------------------------------------------------------------------------

    def _finding(self, sent: Sentence, mentions: list[tuple[int, int, str]],
                 continued: tuple[str, Any] | None) -> tuple[str, Any] | None:
        """A sentence that reports what inspectors found, as a finding of the event in focus.

        Reported ("Inspectors found that ...", "the letter states"), passive ("was found to"),
        a quotation continuing one, or a sentence continuing a finding's paragraph ("They
        found ...", "A panel is in place ...") that nobody else is said to say.
        """
        text = sent.text
        share = self.doc.share(sent)
        inspectors = bool(_INSPECTORS.search(text) and _REPORTING.search(text)) or \
            bool(_PASSIVE_FINDING.search(text))
        if self.doc.kind == "letter":
            # an inspector's letter: every sentence of its body is the inspectorate's own finding,
            # but the ones about the visit itself
            if re.search(r"\b(this letter|carried out this visit|this visit was|areas covered|thank you|"
                         r"I am copying|will be published)\b", text, re.I):
                return None
            inspectors = True
        following = continued is not None and continued[0] == "finding"
        if following and (share > 0.5 or re.match(r"\s*(They|It|The inspectors?)\b[^.]{0,40}\b"
                                                   + _REPORTING.pattern, text)):
            event = continued[1]
        elif inspectors and not re.search(r"\b(councils|boroughs|authorities|each of|all three|both)\b", text) \
                and not re.search(r"\b(report|letter)\b[^.]{0,30}\b(can be read|is available|was published)\b", text):
            councils = self._subjects(text, mentions) or self.focus[:1]
            if len(councils) != 1:
                return None
            event = self.current(councils[0])
        elif following and self.last_finding is not None and self.last_finding[1] == sent.paragraph:
            # the rest of a finding's paragraph: the same finding, its excerpt one verbatim slice
            item, _, first = self.last_finding
            item.fields["excerpt"] = self.doc.text[first:sent.end].strip()
            item.cite(text)
            return continued
        else:
            return None
        if event.kind in ("unknown", "monitoring visit", "focused visit"):
            self._focus(event, text)
        if self._is_event_statement(sent):
            return ("finding", event)
        quotes = [text[a:b] for a, b in self.doc.quoted(sent)]
        quotes = [q for q in quotes if len(q.split()) >= 1]
        fields: dict[str, Any] = {"kind": "area for improvement" if _WEAKNESS.search(text) else "strength"}
        themes = list(dict.fromkeys(self.k.label_of(i) for _, _, i in self.concepts("theme", text)))
        if themes:
            fields["themes"] = themes[:4]
        services = [self.k.label_of(i) for _, _, i in self.concepts("service", text)]
        if services and services[0] != "children's services":
            fields["service"] = services[0]
        if not (share > 0.8 and len(quotes) == 1):
            fields["excerpt"] = text.strip()
        if len(quotes) == 1:
            fields["quote"] = quotes[0]
        elif quotes:
            fields["quotes"] = quotes
        item = Item(fields)
        item.cite(text)
        event.findings.append(item)
        self.last_finding = (item, sent.paragraph, sent.start + len(text) - len(text.lstrip()))
        return ("finding", event)

    def _is_event_statement(self, sent: Sentence) -> bool:
        """'This is the sixth visit since ...', 'The visit was the fifth ...': about the event, not a finding."""
        text = sent.text
        return bool(re.search(rf"\b(is|was)\s+the\s+{_ORD}\s+(monitoring\s+)?visit", text, re.I)
                    or re.search(r"\bhas carried out \w+ monitoring visits\b", text, re.I)
                    or re.search(r"\bcarried out a (monitoring|focused) visit\b", text, re.I)
                    or (_RATING.search(text) and self._grades(sent) and self.doc.share(sent) < 0.3
                        and not re.search(r"\b(found|noted|warned|praised)\b", text)))

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

    # -- people ---------------------------------------------------------------------------------

    def _role_phrase(self) -> str:
        names = sorted({n for c in self.k.concepts.get("role", []) for n in c.names} | {"DCS"}, key=len, reverse=True)
        names = [re.escape(n).replace("'", "['’]").replace("’", "['’]").replace("['['’]]", "['’]") for n in names]
        tenures = sorted({n for c in self.k.concepts.get("tenure", []) for n in c.names}, key=len, reverse=True)
        ten = "|".join(re.escape(t) for t in tenures)
        return (rf"(?P<title>(?:(?:new|newly appointed|former|permanent)\s+)?(?:(?P<tenure>{ten})\s+)?"
                rf"(?P<role>{'|'.join(names)})(?:\s+\(DCS\))?(?:\s+for\s+[a-z][a-z ,'’-]*?[a-z](?=\s*(?:\.|;|$|,\s*(?:said|says|told|added|has|had|is|was|who)\b|\s+(?:said|says|has|had|is|was)\b|,?\s+[A-Z])))?)")

    def _people(self, sent: Sentence, mentions: list[tuple[int, int, str]]) -> None:
        text = sent.text
        role = self._role_phrase()
        council_names = "|".join(re.escape(text[a:b]) for a, b, _ in mentions) or "(?!x)x"
        patterns = [
            rf"(?P<name>{_NAME}),\s+(?:(?:the|its)\s+(?:council|authority)['’]s\s+|(?P<c1>{council_names})['’]s\s+)?{role}",
            rf"(?:(?P<c2>{council_names})['’]s|[Tt]he\s+council['’]s)\s+{role},?\s+(?P<name>{_NAME})",
            rf"\bappointment\s+of\s+(?P<name>{_NAME})\s+as\s+(?:the\s+)?(?:council['’]s\s+)?{role}",
            rf"(?P<name>{_NAME})\s+(?:was|has been|had been|is)\s+(?:appointed|named)\s+(?:as\s+)?(?:the\s+)?(?:new\s+)?{role}",
            rf"\b{role},?\s+(?P<name>{_NAME})(?=,?\s+(?:said|says|told|added))",
        ]
        for pattern in patterns:
            for m in re.finditer(pattern, text):
                name = re.sub(r"^(?:Councillor|Cllr\.?|Dr\.?|Sir|Dame|Professor|Prof\.?)\s+", "", m.group("name"))
                if self._not_a_person(name):
                    continue
                council = None
                for g in ("c1", "c2"):
                    if g in m.re.groupindex and m.group(g):
                        council = next((iri for a, b, iri in mentions if text[a:b] == m.group(g)), None)
                if council is None:
                    subjects = self._subjects(text, mentions) or self.focus
                    council = subjects[0] if len(subjects) == 1 else None
                self._person(name, m.group("title"), m.group("tenure"), m.group("role"), council, sent)

    def _inspectors(self, sent: Sentence) -> None:
        """His Majesty's Inspectors named in a letter: people, whose role no council post holds
        (a fact sheet cannot say who inspected; the sentence says it in the draft)."""
        roles = [n for c in self.k.concepts.get("role", []) if "inspector" in c.label.lower() for n in c.names]
        signed = self.doc.signed_as or ""
        names: list[str] = []
        for role in sorted(roles, key=len, reverse=True):
            pattern = re.escape(role).replace("'", "['’]") + r"s?\s+(?P<names>" + _NAME + r"(?:(?:,\s*|\s+and\s+)" + _NAME + ")*)"
            for m in re.finditer(pattern, sent.text):
                names += re.split(r",\s*|\s+and\s+", m.group("names"))
        for name in dict.fromkeys(names):
            if not self._not_a_person(name) and self.find_person(name) is None:
                handle = self.unique(_slug(name))
                item = Item({"id": handle, "name": name})
                item.cite(sent.text)
                self.people.append(Person(name, item, None, handle))
        if signed and any(fold(signed).startswith(fold(r)) for r in roles):
            for author in self.doc.authors:
                person = self.find_person(author)
                if person is not None:
                    person.item.cite(f"{author}, {signed} (signing the letter)")

    def _not_a_person(self, name: str) -> bool:
        folded = fold(name)
        if any(folded == fold(n) for n in self.by_name):
            return True
        if any(folded == fold(n) for k in self.k.known for n in k.names):
            return True
        return bool(re.match(r"(The|This|That|These|In|Ofsted|Inspectors?|Children|Council)\b", name))

    def _person(self, name: str, title: str, tenure: str | None, role: str, council: str | None,
                sent: Sentence) -> Person:
        person = self.find_person(name)
        if person is None:
            handle = self.unique(_slug(name))
            item = Item({"id": handle, "name": name})
            person = Person(name, item, council, handle)
            self.people.append(person)
        item = person.item
        item.cite(sent.text)
        role_concept = next((c for c in self.k.concepts["role"] if any(fold(n) == fold(role) for n in c.names)), None)
        if role.upper() == "DCS":
            role_concept = self.k.concept("role", "director-of-childrens-services")
        if "role" not in item.fields and role_concept is not None:
            if council is not None:
                item.fields["council"] = self.handle(council)
            else:
                item.flag("the text does not say which council the post is at: add council:")
            item.fields["role"] = role_concept.label
            title = re.sub(r"^(?:new|newly appointed)\s+", "", title.strip())
            title = re.sub(r"\s*\(DCS\)$", "", title)
            if fold(title) != fold(role_concept.label):
                item.fields["title"] = title
            if tenure:
                item.fields["tenure"] = tenure.lower()
            if re.search(r"\bformer\b", title, re.I):
                item.flag("a former post-holder: give the dates the post was held (to:), or leave the post out")
            when = [d for d in find_dates(sent.text, self.article)
                    if re.search(r"\b(appoint|joined|since|took up|started)", sent.text, re.I)]
            if when:
                item.fields["from"] = value(when[0], label=None)
        self.speaker = person
        return person

    def find_person(self, name: str) -> Person | None:
        key = fold(name)
        for p in self.people:
            full = fold(p.name)
            if key == full or (" " not in key and key in full.split()):
                return p
        return None

    # -- claims --------------------------------------------------------------------------------

    def _claim(self, sent: Sentence, mentions: list[tuple[int, int, str]],
               continued: tuple[str, Any] | None) -> tuple[str, Any] | None:
        text = sent.text
        share = self.doc.share(sent)
        who: tuple[str, Any] | None = None
        if _SPEECH.search(text):
            who = self._speaker_of(text, mentions)
        if who is None and continued and continued[0] == "claim" and share > 0.5:
            who = ("claim", continued[1])
        if who is None:
            return None
        quotes = [text[a:b] for a, b in self.doc.quoted(sent)]
        quotes = [q for q in quotes if len(q.split()) >= 2 or share < 0.5]
        by = who[1]
        fields: dict[str, Any] = {"by": by}
        if share > 0.6 and quotes:
            fields["quote" if len(quotes) == 1 else "quotes"] = quotes[0] if len(quotes) == 1 else quotes
        else:
            fields["excerpt"] = text.strip()
            if quotes:
                fields["quote" if len(quotes) == 1 else "quotes"] = quotes[0] if len(quotes) == 1 else quotes
        item = Item(fields)
        item.cite(text)
        self.claims.append(item)
        return ("claim", by)

    def _speaker_of(self, text: str, mentions: list[tuple[int, int, str]]) -> tuple[str, str] | None:
        verbs = r"(?:said|says|added|adds|told|commented|explained|claimed|claims|recognised|insisted|stressed)"
        opening = text.lstrip(" \"“‘'")
        for person in self.people:
            parts = [person.name] + [w for w in person.name.split() if len(w) > 2]
            if any(opening.startswith(p + " ") or opening.startswith(p + ",") for p in parts) and \
                    re.search(rf"\b{verbs}\b", text):
                self.speaker = person
                return ("claim", person.handle)  # "Cathi added that ...": the sentence's subject speaks
        if re.search(rf"\b(Ofsted|[Ii]nspectors|[Tt]he (?:letter|report|inspectorate))\s+(?:also\s+)?{verbs}\b", text):
            return None  # what inspectors said is a finding
        for person in self.people:
            if re.search(rf"\b(?:of|by|with|to|as)\s+{re.escape(person.name)}\b", text):
                continue  # "the appointment of Jane Doe": spoken of, not speaking
            names = [re.escape(person.name)] + [re.escape(w) for w in person.name.split() if len(w) > 2]
            for n in names:
                if re.search(rf"\b{n}\b(?:[^.\"“”]{{0,120}}?)\b{verbs}\b|\b{verbs},?\s+(?:[A-Z][a-z]+\s+)?{n}\b",
                             text):
                    self.speaker = person
                    return ("claim", person.handle)
        if self.speaker and re.search(rf"(?:^|[\s,“\"])(?:he|she|He|She)\s+{verbs}\b", text):
            return ("claim", self.speaker.handle)
        for a, b, iri in mentions:
            subject = not text[:a].strip(" \"“”‘’'") or text[:a].rstrip().endswith((",\"", ",”", "”", "\""))
            if subject and re.match(rf"\s*(?:Council\s+)?(?:has\s+)?{verbs}\b", text[b:]):
                return ("claim", self.handle(iri))
        for known_name, handle in self._organisations_in(text):
            if re.search(rf"{re.escape(known_name)}\s*(?:has\s+)?{verbs}\b", text):
                return ("claim", handle)
        return None

    def _organisations_in(self, text: str) -> list[tuple[str, str]]:
        """Organisations named in a sentence: known to the graph, or introduced as a charity etc."""
        found = []
        for known in self.k.known:
            if known.types & {"Inspectorate", "NewsPublisher", "PoliticalParty"}:
                continue
            for name in sorted(known.names, key=len, reverse=True):
                if len(name) > 3 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                    found.append((name, self._org(known.label, known.types, text, iri=known.iri)))
                    break
        for m in re.finditer(rf"\b(?P<kind>charity|think tank|organisation|association|union|foundation)\s+"
                             rf"(?P<name>(?:The\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){{0,4}})", text):
            name = m.group("name")
            found.append((name, self._org(name, {"Charity" if m.group("kind") == "charity" else "organisation"}, text)))
        return found

    def _org(self, name: str, types: set[str], sentence: str, iri: str | None = None) -> str:
        key = _slug(re.sub(r"^The\s+", "", name))
        item = self.orgs.get(key)
        if item is None:
            kind = "charity" if "Charity" in types else "trust" if "ChildrensServicesTrust" in types else "organisation"
            item = Item({"id": self.unique(key), "name": name, "type": kind})
            self.orgs[key] = item
        item.cite(sentence)
        return item.fields["id"]

    # -- partnerships, delivery, politics --------------------------------------------------

    def _partnerships(self, sent: Sentence, mentions: list[tuple[int, int, str]]) -> None:
        text = sent.text
        low = text.lower()
        hub_words = [w.lower() for w in self.k.classes.get("MultiAgencySafeguardingHub", [])]
        found: list[tuple[str, str, str]] = []  # (key, name, type)
        for m in re.finditer(r"\b(?P<n>tri|bi|two|three|four)-borough\b", low):
            name = f"{m.group('n').capitalize()}-borough"
            found.append((name.lower(), name, "partnership"))
        generic = {fold(w) for w in hub_words + self.k.classes.get("Partnership", [])} | {"mash"}
        for known in self.k.known_of("Partnership") + self.k.known_of("MultiAgencySafeguardingHub"):
            for n in known.names:
                if fold(n) in generic:
                    continue  # "multi-agency safeguarding hub" names no hub in particular
                if len(n) > 5 and re.search(rf"(?<!\w){re.escape(n.lower())}(?!\w)", low) and \
                        not any(fold(n) in fold(f[1]) or fold(f[1]) in fold(n) for f in found):
                    found.append((fold(known.label), known.label, "mash" if "MultiAgencySafeguardingHub" in known.types else "partnership"))
        hub = any(re.search(rf"\b{re.escape(fold(w))}\b", fold(text)) for w in hub_words) or \
            re.search(r"\bmash\b", low)
        if hub:
            m = re.search(r"multi[- ]agency safeguarding hub(?:\s*\((?P<abbr>mash)\))?|\bmash\b", low)
            written = text[m.start():m.end()] if m else "multi-agency safeguarding hub"
            found.append(("mash", written, "mash"))
        if not found:
            return
        # "... announced they intended to sever ties with Hammersmith & Fulham and instead form a
        # bi-borough": a council the others leave is not a member
        leaving = re.search(r"\b(sever(ed)? ties with|split from|break away from|left|leave|leaving|without)\b", text)
        named = [iri for a, _, iri in mentions if not (leaving and a > leaving.start())]
        councils = named or ([self.focus[0]] if len(self.focus) == 1 else self.focus)
        councils = list(dict.fromkeys(councils))
        several = len({k for k, _, _ in found}) > 1
        dates = find_dates(text, self.article)
        for key, name, ptype in found:
            if ptype == "mash" and key == "mash":
                parent = next((k for k in self.partnerships if k != "mash"), None)
                key = f"{parent}-mash" if parent and re.search(r"\b(tri|bi)-borough\b", low) else \
                    next((k for k in self.partnerships if k.endswith("mash")), "mash")
            item = self.partnerships.get(key)
            if item is None:
                label = name if ptype == "partnership" else None
                if ptype == "mash":
                    owner = key[:-5] if key.endswith("-mash") and key != "mash" else None
                    parent_item = self.partnerships.get(owner) if owner else None
                    label = (f"{parent_item.fields['name']} multi-agency safeguarding hub" if parent_item else
                             f"{self.k.councils[councils[0]].label} multi-agency safeguarding hub" if len(councils) == 1
                             else "Multi-agency safeguarding hub")
                item = Item({"id": self.unique(_slug(label or key)), "name": label, "type": ptype})
                if ptype == "mash" and fold(name) not in generic and fold(name) != fold(label or ""):
                    item.fields["names"] = [name]
                    owner = key[:-5] if key.endswith("-mash") else None
                    if owner and owner in self.partnerships:
                        item.fields["part of"] = self.partnerships[owner].fields["id"]
                item.fields["members"] = []
                self.partnerships[key] = item
            item.cite(text)
            # in a sentence naming a partnership and its hub, the services are the partnership's
            self._members(item, councils, text, dates, ptype, shares=not (several and ptype == "mash"))

    def _members(self, item: Item, councils: list[str], text: str, dates: list[DateMention], ptype: str,
                 shares: bool = True) -> None:
        members = item.fields["members"]
        start = next((d for d in dates if re.search(r"\b(formed|set up|established|created|launched|since)\b", text, re.I)), None)
        for council in councils:
            handle = self.handle(council)
            if handle in [m if isinstance(m, str) else m.get("council") for m in members]:
                continue
            if start:
                members.append({"council": handle, "from": value(start)})
            else:
                members.append(handle)
        # "a partnership between the authority and other agencies, including the police, health and education"
        if re.search(r"\b(partnership|agencies|partners)\b", text, re.I):
            for a, b, iri in self.concepts("sector", text):
                sector = self.k.label_of(iri)
                council = councils[0] if councils else None
                key = f"{item.fields['id']}-partner-{_slug(sector)}"
                if key not in self.orgs:
                    self.orgs[key] = Item({"id": self.unique(key), "name": f"{item.fields['name']} partner: {sector}",
                                           "type": "organisation", "sector": sector})
                    self.orgs[key].cite(text)
                    members.append({"organisation": self.orgs[key].fields["id"]})
        services = [self.k.label_of(i) for _, _, i in self.concepts("service", text)]
        if ptype == "mash":
            services = [s for s in services if fold(s) not in ("mash", "multi agency safeguarding hub")]
        if services and shares and re.search(r"\b(joint|shared?|sharing|provision|arrangement|in place|hub|for)\b", text, re.I):
            shares = item.fields.setdefault("shares", [])
            for service in services:
                if service not in [s if isinstance(s, str) else s.get("service") for s in shares]:
                    shares.append(service)

    def _delivery(self, sent: Sentence) -> None:
        text = sent.text
        m = re.search(r"\b(?P<what>(?:an?\s+)?(?:independent\s+|new\s+|children['’]s\s+services\s+)?trust|company)\b"
                      r"[^.]{0,40}?\b(?:to\s+)?(?:run|running|deliver|delivering|take over|runs|run by)\b", text, re.I) \
            or re.search(r"\b(?:run|delivered|provided|managed)\s+by\s+(?:an?|the)\s+(?:independent\s+|new\s+)?"
                         r"(?:children['’]s\s+services\s+)?(?P<what>trust|company)\b", text, re.I)
        if not m:
            return
        councils = self._subjects(text, self.council_mentions(text)) or self.focus[:1]
        if len(councils) != 1:
            return
        council = councils[0]
        status = "being established" if re.search(r"\b(establishing|set up|setting up|being established|will|plans?|"
                                                   r"process of)\b", text, re.I) else "active"
        services = [self.k.label_of(i) for _, _, i in self.concepts("service", text)]
        label = f"Independent trust for {self.k.councils[council].label}'s children's services (unnamed in the source)"
        key = self._org(label, {"ChildrensServicesTrust"}, text)
        self.orgs[key].fields["type"] = "trust"
        item = Item({"council": self.handle(council), "delivered by": key,
                     "service": services[0] if services else "children's services", "status": status})
        item.cite(text)
        self.delivery.append(item)

    def _political_control(self, sent: Sentence) -> None:
        text = sent.text
        for m in re.finditer(r"\b(?P<party>[A-Z][a-z]+(?: [A-Z][a-z]+)?)-(?:controlled|led|run)\s+(?P<rest>[^.;]+)", text):
            rest = m.group("rest")
            nxt = re.search(r"\b[A-Z][a-z]+-(?:controlled|led|run)\b", rest)
            if nxt:
                rest = rest[: nxt.start()]
            party = m.group("party")
            known = next((k.label for k in self.k.known_of("PoliticalParty") if fold(party) in fold(k.label)), None)
            for a, b, iri in self.council_mentions(rest):
                item = Item({"council": self.handle(iri) if iri in self.councils else self.k.councils[iri].gss,
                             "party": known or f"{party} Party"})
                item.cite(text)
                if iri not in self.councils:
                    self._council(iri, rest[a:b], text)
                    item.fields["council"] = self.handle(iri)
                self.control.append(item)

    # -- helpers --------------------------------------------------------------------------------

    def _subjects(self, text: str, mentions: list[tuple[int, int, str]]) -> list[str]:
        """The councils a sentence is about: those it names, else the ones in focus."""
        named = list(dict.fromkeys(iri for _, _, iri in mentions))
        if named:
            return named
        if re.search(r"\b(the council|the authority|the local authority|the department|the borough|its|their)\b",
                     text, re.I) or len(self.focus) == 1:
            return self.focus[:1] if len(self.focus) == 1 else []
        return []

    # -- the draft ------------------------------------------------------------------------------

    def _assemble(self, draft: Draft) -> None:
        draft.sections["councils"] = list(self.councils.values())
        draft.sections["organisations"] = list(self.orgs.values())
        for item in self.partnerships.values():
            if not item.fields.get("members"):
                item.fields.pop("members", None)
                item.flag("the text names no members")
            if not item.fields.get("name"):
                item.fields.pop("name", None)
        draft.sections["partnerships"] = list(self.partnerships.values())
        draft.sections["delivery"] = self.delivery
        draft.sections["events"] = self._event_items()
        draft.sections["people"] = [p.item for p in self.people]
        draft.sections["claims"] = self.claims
        draft.sections["political control"] = self.control
        if not self.councils:
            draft.notes.append("The text names no council the graph knows: nothing to add but the source. "
                               "Add councils: by hand if the text does name one.")

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
            if ev.reported:
                f["reported"] = value(ev.reported)
            if not ev.start and not ev.reported and ev.kind == "full inspection" and self.article and not ev.historical:
                f["reported"] = {"value": self.article[:4], "inferred":
                                 f"Year inferred from the article's date ({human_date(self.article)}); the article reports "
                                 "the inspection's outcome without dating it."}
            if ev.ordinal:
                f["ordinal"] = ev.ordinal
            if not (ev.ordinal or "fieldwork" in f or "reported" in f):
                # undated and unnumbered: its focus tells it apart ("visit-children-in-care")
                f["key"] = f"visit-{_slug(ev.focus)}" if ev.focus and ev.kind != "full inspection" else "undated"
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


def _clauses(text: str) -> list[tuple[int, int]]:
    """A sentence cut where a clause turns: ', while', '; ', ', but', ', whereas'."""
    cuts = [0] + [m.start() for m in re.finditer(
        r",\s+(?:while|whereas|but|although)\b|;\s|\.\s|,\s+(?=(?:Ofsted|[Ii]nspectors|[Tt]he (?:report|letter))\b)",
        text)] + [len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _in_force(note: str, year: int) -> bool:
    """Does a vocabulary scope note ("SIF, November 2013 to 2018", "ILACS, from January 2023")
    put the concept in force in a year? Without years in the note, yes."""
    spans = [(int(a), int(b)) for a, b in re.findall(r"(\d{4})\s*(?:-|to)\s*(?:[A-Z][a-z]+\s+)?(\d{4})", note)]
    spans += [(int(a), 9999) for a in re.findall(r"\bfrom\s+(?:[A-Z][a-z]+\s+)?(\d{4})", note)]
    return not spans or any(a <= year <= b for a, b in spans)


def _area_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("’", "'"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60].rstrip("-") or "x"
