"""Partnerships and hubs with their members and shared services, trusts that run a
council's services, and political control.

A part of ``cskg.extract.rules.Extractor``, which holds the state these rules share."""

from __future__ import annotations

import re

from cskg.extract.dates import DateMention, find_dates, value
from cskg.extract.draft import Item
from cskg.extract.knowledge import fold
from cskg.extract.patterns import slug
from cskg.extract.text import Sentence


class PartnershipRules:
    """Partnerships, delivery and political control (a mixin of ``Extractor``)."""

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
                item = Item({"id": self.unique(slug(label or key)), "name": label, "type": ptype})
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
                key = f"{item.fields['id']}-partner-{slug(sector)}"
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
        named = re.search(r"\b(?P<name>(?:[A-Z][\w'’]*\s+){1,4}(?:Trust|Company|Ltd))\b", text)
        if named:  # "Sandwell Children's Trust has run children's services ..."
            label = named.group("name")
        else:
            label = f"Independent trust for {self.k.councils[council].label}'s children's services (unnamed in the source)"
        key = self._org(label, {"ChildrensServicesTrust"}, text)
        self.orgs[key].fields["type"] = "trust"
        item = Item({"council": self.handle(council), "delivered by": key,
                     "service": services[0] if services else "children's services", "status": status})
        since = next((d for d in find_dates(text, self.article)
                      if re.match(r"(since|from)\b", d.phrase) or re.search(r"\b(since|from)\s*$", text[:d.start])),
                     None)
        if since is not None and status == "active":
            item.fields["from"] = value(since)
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
