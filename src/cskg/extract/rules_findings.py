"""What inspectors found, sentence by sentence, as findings of the event in focus.

A part of ``cskg.extract.rules.Extractor``, which holds the state these rules share."""

from __future__ import annotations

import re
from typing import Any

from cskg.extract.draft import Item
from cskg.extract.patterns import INSPECTORS, ORDINAL, PASSIVE_FINDING, RATING, REPORTING, WEAKNESS
from cskg.extract.text import Sentence


class FindingRules:
    """Findings (a mixin of ``Extractor``)."""

    def _finding(self, sent: Sentence, mentions: list[tuple[int, int, str]],
                 continued: tuple[str, Any] | None) -> tuple[str, Any] | None:
        """A sentence that reports what inspectors found, as a finding of the event in focus.

        Reported ("Inspectors found that ...", "the letter states"), passive ("was found to"),
        a quotation continuing one, or a sentence continuing a finding's paragraph ("They
        found ...", "A panel is in place ...") that nobody else is said to say.
        """
        text = sent.text
        share = self.doc.share(sent)
        inspectors = bool(INSPECTORS.search(text) and REPORTING.search(text)) or \
            bool(PASSIVE_FINDING.search(text))
        if self.opening_person(text) is not None:
            return None  # "Councillor Simon Hackett ... welcomed the report": a person's, not the inspectors'
        if self.doc.kind == "letter":
            # an inspector's letter: every sentence of its body is the inspectorate's own finding,
            # but the ones about the visit itself
            if re.search(r"\b(this letter|carried out this visit|this visit was|areas covered|thank you|"
                         r"I am copying|will be published)\b|^\s*Inspectors (reviewed|considered|evaluated|"
                         r"looked at|met|spoke)\b", text, re.I):
                return None
            inspectors = True
        following = continued is not None and continued[0] == "finding"
        if following and (share > 0.5 or re.match(r"\s*(They|It|The inspectors?)\b[^.]{0,40}\b"
                                                   + REPORTING.pattern, text)):
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
        fields: dict[str, Any] = {"kind": "area for improvement" if WEAKNESS.search(
            re.sub(r"strengths and weaknesses", "", text)) else "strength"}
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
        return bool(re.search(rf"\b(is|was)\s+the\s+{ORDINAL}\s+(monitoring\s+)?visit", text, re.I)
                    or re.search(r"\bhas carried out \w+ monitoring visits\b", text, re.I)
                    or re.search(r"\bcarried out a (monitoring|focused) visit\b", text, re.I)
                    or (RATING.search(text) and self._grades(sent) and self.doc.share(sent) < 0.3
                        and not re.search(r"\b(found|noted|warned|praised)\b", text)))
