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
from typing import Any

from cskg.extract.draft import Draft, Item
from cskg.extract.knowledge import Knowledge, fold
from cskg.extract.patterns import Event, Person, slug
from cskg.extract.rules_events import EventRules
from cskg.extract.rules_findings import FindingRules
from cskg.extract.rules_partnerships import PartnershipRules
from cskg.extract.rules_people import PeopleRules
from cskg.extract.text import Document


class Extractor(EventRules, FindingRules, PeopleRules, PartnershipRules):
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
            self._speaker_without_post(sent)
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
            item = Item({"id": self.unique(slug(council.label)), "council": council.gss, "names": []})
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
