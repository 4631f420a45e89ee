"""The ``organisations:`` and ``people:`` of a fact sheet, and the council posts people hold.

Organisations and people are named first (so other entries can point at them),
reusing the one existing entity of that name or minting a new IRI. A person with
a ``council:`` and ``role:`` holds that council's post: an org:Post and a
cskg:PostHolding with its tenure and time span.
"""

from __future__ import annotations

from cskg.factsheet.entry import Entry
from cskg.factsheet.iris import ALT_LABEL, CSKG, ID, ORG, SDO
from cskg.factsheet.names import council_ref, existing, explicit_iri, slug_or_fail
from cskg.factsheet.sheet import Ref, Sheet
from cskg.factsheet.yamltree import Y

ORG_TYPES = {
    "inspectorate": CSKG + "Inspectorate",
    "charity": CSKG + "Charity",
    "publisher": CSKG + "NewsPublisher",
    "news publisher": CSKG + "NewsPublisher",
    "party": CSKG + "PoliticalParty",
    "political party": CSKG + "PoliticalParty",
    "trust": CSKG + "ChildrensServicesTrust",
    "childrens services trust": CSKG + "ChildrensServicesTrust",
    "organisation": ORG + "Organization",
    "organization": ORG + "Organization",
    "formal organisation": ORG + "FormalOrganization",
    "formal organization": ORG + "FormalOrganization",
}
ORGANISATION_KEYS = ["id", "name", "iri", "label", "names", "type", "sector", "same as",
                     "different from"]
PERSON_KEYS = [
    "id",
    "name",
    "iri",
    "label",
    "council",
    "role",
    "title",
    "tenure",
    "from",
    "to",
    "attested",
    "labels",
    "same as",
    "different from",
]
PERSON_LABEL_KEYS = ["post", "holding", "during", "start", "end"]


def read_organisations(sheet: Sheet, top: Entry) -> None:
    for org in top.entries("organisations", "organisations: entry", ORGANISATION_KEYS):
        name = org.text("name")
        iri_node = org.get("iri")
        if name is None and iri_node is None:
            sheet.fail(org.line, f"{org.where}: give the organisation's name:")
        where = f"{org.where}"
        type_node = org.get("type")
        org_type = (
            sheet.choice(type_node, ORG_TYPES, f"{where}: type", "type of organisation")
            if type_node is not None
            else ORG + "Organization"
        )
        same, different = sheet.identity(org, "organisation")
        if same is not None:
            iri = same
        elif iri_node is not None:
            iri = explicit_iri(sheet, iri_node, f"{where}: iri", "cskgid:org/")
        else:
            assert name is not None
            iri = (
                existing(sheet, "organisation", name, org.get("name") or org.node, f"{where}: name")
                or f"{ID}org/{slug_or_fail(sheet, name, org.node, where)}"
            )
        sheet.directive(iri, same, different, org.line)
        label = org.text("label") or name
        assert label is not None
        ref = Ref("organisation", iri, name or label, org.line)
        alt = [t for t, _ in org.texts("names")]
        local_id = org.text("id")
        sheet.register(ref, local_id, [n for n in (name, label, *alt) if n], org.get("id"))
        sheet.entity(iri, org.line, [org_type], label)
        for alias in alt:
            sheet.text_(iri, ALT_LABEL, alias)
        sector = org.vocab("sector", "sector")
        if sector:
            sheet.add(iri, CSKG + "sector", sector)


def name_people(sheet: Sheet, top: Entry) -> None:
    """First pass over people: their IRIs and names, for other entries to point at."""
    for person in top.entries("people", "people: entry", PERSON_KEYS):
        name = person.text("name")
        iri_node = person.get("iri")
        if name is None:
            sheet.fail(
                person.line, f"{person.where}: give the person's name: as the source writes it"
            )
        same, different = sheet.identity(person, "person")
        known = sheet.local(name, ["person"]) if iri_node is None and same is None else None
        if known is not None:
            ref = known
        else:
            if same is not None:
                iri = same
            elif iri_node is not None:
                iri = explicit_iri(sheet, iri_node, f"{person.where}: iri", "cskgid:person/")
            else:
                iri = (
                    existing(
                        sheet,
                        "person",
                        name,
                        person.get("name") or person.node,
                        f"{person.where}: name",
                    )
                    or f"{ID}person/{slug_or_fail(sheet, name, person.node, person.where)}"
                )
            ref = Ref("person", iri, name, person.line)
        sheet.directive(ref.iri, same, different, person.line)
        sheet.register(ref, person.text("id"), [name], person.get("id"))
        sheet.entity(ref.iri, person.line, [SDO + "Person"], person.text("label") or name)
        sheet.people_refs.append(ref)


def read_people(sheet: Sheet, top: Entry) -> None:
    """Second pass over people: the posts they hold."""
    for person, ref in zip(
        top.entries("people", "people: entry", PERSON_KEYS), sheet.people_refs, strict=True
    ):
        council_node, role = person.get("council"), person.vocab("role", "role")
        post_keys = ("title", "tenure", "from", "to", "attested", "labels")
        if role is None and council_node is None:
            for key in post_keys:
                if key in person.node.value:
                    sheet.fail(
                        person.key_line(key),
                        f"{person.where}: {key}: belongs to a post; give the council: and role: too",
                    )
            continue
        if role is None or council_node is None:
            missing = "role:" if role is None else "council:"
            sheet.fail(
                person.line,
                f"{person.where}: a post needs both council: and role: ({missing} is missing)",
            )
        _post_holding(sheet, person, ref, council_node, role)


def _post_holding(sheet: Sheet, person: Entry, ref: Ref, council_node: Y, role: str) -> None:
    """The council's post for ``role``, and ``ref``'s holding of it."""
    council = council_ref(sheet, council_node, f"{person.where}: council")
    gss = council.iri.rsplit("/", 1)[-1]
    labels = person.labels(PERSON_LABEL_KEYS)
    role_label = sheet.vocabulary.pref[role]
    post = f"{ID}council/{gss}/post/{role.rsplit('/', 1)[-1]}"
    sheet.entity(
        post,
        person.line,
        [ORG + "Post"],
        labels.get("post") or f"{_sentence_case(role_label)}, {council.display}",
    )
    sheet.add(post, ORG + "postIn", council.iri)
    sheet.add(post, ORG + "role", role)
    holding = f"{post}/{ref.iri.rstrip('/').rsplit('/', 1)[-1]}/{sheet.slug}"
    title = person.text("title")
    tenure = person.vocab("tenure", "tenure")
    if title:
        as_held = title
    else:
        as_held = (sheet.vocabulary.pref[tenure] + " " if tenure else "") + role_label.lower()
    holding_label = labels.get("holding") or f"{ref.display}, {as_held}, {council.display}"
    sheet.entity(holding, person.line, [CSKG + "PostHolding"], holding_label)
    sheet.add(holding, ORG + "member", ref.iri)
    sheet.add(holding, ORG + "organization", council.iri)
    sheet.add(holding, ORG + "role", role)
    sheet.add(holding, CSKG + "post", post)
    if title:
        sheet.text_(holding, CSKG + "titleInSource", title)
    if tenure:
        sheet.add(holding, CSKG + "tenure", tenure)
    attested = sheet.attested(person)
    if attested:
        sheet.dated(holding, CSKG + "attestedOn", attested)
    owner = f"{ref.display}'s time as {as_held}, {council.display}"
    sheet.span(
        holding,
        ORG + "memberDuring",
        person.date("from"),
        person.date("to"),
        owner,
        labels,
        person.line,
    )


def _sentence_case(text: str) -> str:
    lowered = text[:1].upper() + text[1:].lower()
    return lowered
