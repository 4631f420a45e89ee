"""What the source reports about people and politics: ``claims:`` and ``political control:``.

A claim is a numbered quote or excerpt said by a person, organisation or council
of the sheet; political control says which party ran a council on the date the
source describes (``attested:``, by default the source's date).
"""

from __future__ import annotations

import re

from cskg.factsheet.entry import Entry
from cskg.factsheet.iris import CSKG, DCT, ID
from cskg.factsheet.names import agent, council_ref, org_ref
from cskg.factsheet.quotes import numbered, short, texts_of
from cskg.factsheet.sheet import Sheet

CLAIM_KEYS = [
    "by",
    "quote",
    "quotes",
    "excerpt",
    "excerpts",
    "theme",
    "themes",
    "date",
    "label",
    "number",
]
CONTROL_KEYS = ["council", "party", "attested", "key", "label"]


def read_claims(sheet: Sheet, top: Entry) -> None:
    entries = top.entries("claims", "claims: entry", CLAIM_KEYS)
    for n, claim in numbered(sheet, entries, "claim"):
        by_node = claim.get("by")
        if by_node is None:
            sheet.fail(
                claim.line,
                f"{claim.where}: 'by' is missing (who makes the claim: a person or organisation of this sheet)",
            )
        who = agent(
            sheet,
            by_node,
            f"{claim.where}: by",
            ["person", "organisation", "council"],
            "list the speaker under people: or organisations:",
        )
        c = f"{sheet.source_iri}/claim/{n}"
        sheet.entity(c, claim.line, [CSKG + "Claim"])
        first = texts_of(sheet, claim, c)
        sheet.label(c, claim.text("label") or f"{who.display}: {short(first)}", claim.line)
        sheet.add(c, CSKG + "claimedBy", who.iri)
        for theme in claim.vocabs("theme", "theme", "themes"):
            sheet.add(c, DCT + "subject", theme)
        date = claim.date("date")
        if date:
            sheet.dated(c, CSKG + "reportedDate", date)


def read_political_control(sheet: Sheet, top: Entry) -> None:
    for item in top.entries("political control", "political control: entry", CONTROL_KEYS):
        council_node, party_node = item.get("council"), item.get("party")
        if council_node is None or party_node is None:
            sheet.fail(item.line, f"{item.where}: give the council: and the controlling party:")
        council = council_ref(sheet, council_node, f"{item.where}: council")
        party_name = sheet.scalar_text(party_node, f"{item.where}: party")
        party = sheet.local(party_name, ["organisation"]) or org_ref(
            sheet,
            party_name,
            CSKG + "PoliticalParty",
            party_node,
            f"{item.where}: party",
            party_node.line,
        )
        attested = sheet.attested(item)
        key = item.text("key") or (attested.lexical if attested else None)
        if key is None:
            sheet.fail(
                item.line, f"{item.where}: give attested: (the date the source describes) or a key:"
            )
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
            sheet.fail(
                item.line, f"{item.where}: key {key!r}: use lower-case letters, digits and hyphens"
            )
        gss = council.iri.rsplit("/", 1)[-1]
        pc = f"{ID}council/{gss}/control/{key}/{sheet.slug}"
        short_party = re.sub(r"\s+party$", "", party.display, flags=re.IGNORECASE)
        when = sheet.attribution(attested)
        default = f"{short_party} control of {council.display}" + (f" ({when})" if when else "")
        sheet.entity(pc, item.line, [CSKG + "PoliticalControl"], item.text("label") or default)
        sheet.add(pc, CSKG + "controlledCouncil", council.iri)
        sheet.add(pc, CSKG + "controllingParty", party.iri)
        if attested:
            sheet.dated(pc, CSKG + "attestedOn", attested)
