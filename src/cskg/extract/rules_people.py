"""People and their posts, inspectors, organisations, and what each is said to have said.

A part of ``cskg.extract.rules.Extractor``, which holds the state these rules share."""

from __future__ import annotations

import re
from typing import Any

from cskg.extract.dates import find_dates, value
from cskg.extract.draft import Item
from cskg.extract.knowledge import fold
from cskg.extract.patterns import PERSON_NAME, SPEECH, Person, slug
from cskg.extract.text import Sentence


class PeopleRules:
    """People, organisations and claims (a mixin of ``Extractor``)."""

    def _role_phrase(self) -> str:
        names = sorted({n for c in self.k.concepts.get("role", []) for n in c.names} | {"DCS"}, key=len, reverse=True)
        names = [re.escape(n).replace("'", "['’]").replace("’", "['’]").replace("['['’]]", "['’]") for n in names]
        tenures = sorted({n for c in self.k.concepts.get("tenure", []) for n in c.names}, key=len, reverse=True)
        ten = "|".join(re.escape(t) for t in tenures)
        # "for education, schools, safeguarding and looked-after children": lower-case words, a comma
        # going on only to more of them (not to "said", "welcomed the report", "who ...")
        words = r"[a-z][a-z'’-]*(?:\s+(?!said\b|says\b|has\b|had\b|is\b|was\b)[a-z][a-z'’-]*)*"
        verb = r"(?:\w+ed|said|says|added|told|who|has|had|is|was|and\s+\w+ed)\b"
        return (rf"(?P<title>(?:(?:new|newly appointed|former|permanent|executive|corporate)\s+)?"
                rf"(?:(?P<tenure>{ten})\s+)?(?P<role>{'|'.join(names)})(?:\s+\(DCS\))?"
                rf"(?:\s+for\s+{words}(?:,\s+(?!{verb}){words})*)?)")

    def _people(self, sent: Sentence, mentions: list[tuple[int, int, str]]) -> None:
        text = sent.text
        role = self._role_phrase()
        council_names = "|".join(re.escape(text[a:b]) for a, b, _ in mentions) or "(?!x)x"
        patterns = [
            rf"(?P<name>{PERSON_NAME}),\s+(?:(?:the|its)\s+(?:council|authority)['’]s\s+|(?P<c1>{council_names})['’]s\s+)?{role}",
            rf"(?:(?P<c2>{council_names})['’]s|[Tt]he\s+council['’]s)\s+{role},?\s+(?P<name>{PERSON_NAME})",
            rf"\bappointment\s+of\s+(?P<name>{PERSON_NAME})\s+as\s+(?:the\s+)?(?:council['’]s\s+)?{role}",
            rf"(?P<name>{PERSON_NAME})\s+(?:was|has been|had been|is)\s+(?:appointed|named)\s+(?:as\s+)?(?:the\s+)?(?:new\s+)?{role}",
            rf"\b{role},?\s+(?P<name>{PERSON_NAME})(?=,?\s+(?:said|says|told|added))",
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
            pattern = re.escape(role).replace("'", "['’]") + r"s?\s+(?P<names>" + PERSON_NAME + r"(?:(?:,\s*|\s+and\s+)" + PERSON_NAME + ")*)"
            for m in re.finditer(pattern, sent.text):
                names += re.split(r",\s*|\s+and\s+", m.group("names"))
        for name in dict.fromkeys(names):
            if not self._not_a_person(name) and self.find_person(name) is None:
                handle = self.unique(slug(name))
                item = Item({"id": handle, "name": name})
                item.cite(sent.text)
                self.people.append(Person(name, item, None, handle))
        if signed and any(fold(signed).startswith(fold(r)) for r in roles):
            for author in self.doc.authors:
                person = self.find_person(author)
                if person is not None:
                    person.item.cite(f"{author}, {signed} (signing the letter)")

    def _speaker_without_post(self, sent: Sentence) -> None:
        """"Michael Jarrett, the trust's acting chief executive, said ...": a person who speaks,
        whose post no council holds (the sentence keeps the title)."""
        for m in re.finditer(rf"(?P<name>{PERSON_NAME}),\s+(?:the\s+)?[^,\"“”]{{3,80}},\s+(?:said|says|added|told)\b",
                             sent.text):
            name = re.sub(r"^(?:Councillor|Cllr\.?|Dr\.?|Sir|Dame|Professor|Prof\.?)\s+", "", m.group("name"))
            if not self._not_a_person(name) and self.find_person(name) is None:
                handle = self.unique(slug(name))
                item = Item({"id": handle, "name": name})
                item.cite(sent.text)
                self.people.append(Person(name, item, None, handle))

    def opening_person(self, text: str) -> Person | None:
        """The person a sentence starts with ("Cathi added ...", "Councillor Simon Hackett, ...")."""
        opening = re.sub(r"^(?:Councillor|Cllr\.?|Dr\.?|Sir|Dame|Professor|Prof\.?)\s+", "", text.lstrip(" \"“‘'"))
        for person in self.people:
            parts = [person.name] + [w for w in person.name.split() if len(w) > 2]
            if any(opening.startswith(p + " ") or opening.startswith(p + ",") for p in parts):
                return person
        return None

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
            handle = self.unique(slug(name))
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

    def _claim(self, sent: Sentence, mentions: list[tuple[int, int, str]],
               continued: tuple[str, Any] | None) -> tuple[str, Any] | None:
        text = sent.text
        share = self.doc.share(sent)
        who: tuple[str, Any] | None = None
        if SPEECH.search(text):
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
        person = self.opening_person(text)
        if person is not None and re.search(rf"\b{verbs}\b", text):
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
        for m in re.finditer(r"\b(?P<kind>charity|think tank|organisation|association|union|foundation)\s+"
                             r"(?P<name>(?:The\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,4})", text):
            name = m.group("name")
            found.append((name, self._org(name, {"Charity" if m.group("kind") == "charity" else "organisation"}, text)))
        return found

    def _org(self, name: str, types: set[str], sentence: str, iri: str | None = None) -> str:
        key = slug(re.sub(r"^The\s+", "", name))
        item = self.orgs.get(key)
        if item is None:
            kind = "charity" if "Charity" in types else "trust" if "ChildrensServicesTrust" in types else "organisation"
            item = Item({"id": self.unique(key), "name": name, "type": kind})
            self.orgs[key] = item
        item.cite(sentence)
        return item.fields["id"]
