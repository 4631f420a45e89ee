"""Who runs children's services with whom: ``partnerships:`` and ``delivery:`` of a fact sheet.

A partnership (or MASH) has members (councils, organisations, partnerships) and
shared services, each over an optional time span; a delivery arrangement says
who delivers a council's service (a trust, say), with a status and time span.
"""

from __future__ import annotations

from cskg.factsheet.entry import Entry
from cskg.factsheet.iris import ALT_LABEL, CSKG, ID, ORG
from cskg.factsheet.names import agent, council_ref, explicit_iri, slug_or_fail
from cskg.factsheet.sheet import Ref, Sheet
from cskg.factsheet.yamltree import Y

PARTNERSHIP_TYPES = {
    "partnership": CSKG + "Partnership",
    "mash": CSKG + "MultiAgencySafeguardingHub",
    "multi agency safeguarding hub": CSKG + "MultiAgencySafeguardingHub",
}
PARTNERSHIP_KEYS = ["id", "name", "iri", "label", "names", "type", "part of", "members", "shares",
                    "same as", "different from"]
MEMBER_KEYS = ["council", "organisation", "member", "from", "to", "label", "labels"]
SHARE_KEYS = ["service", "from", "to", "label", "labels"]
DELIVERY_KEYS = [
    "council",
    "delivered by",
    "service",
    "status",
    "from",
    "to",
    "attested",
    "label",
    "labels",
]
SPAN_LABEL_KEYS = ["during", "start", "end"]


def _span(sheet: Sheet, owner: str, prop: str, entry: Entry, label: str) -> None:
    """``owner``'s time span from the entry's from:, to: and labels:."""
    sheet.span(
        owner,
        prop,
        entry.date("from"),
        entry.date("to"),
        label,
        entry.labels(SPAN_LABEL_KEYS),
        entry.line,
    )


def name_partnerships(sheet: Sheet, top: Entry) -> None:
    """First pass over partnerships: their IRIs and names, for other entries to point at."""
    for part in top.entries("partnerships", "partnerships: entry", PARTNERSHIP_KEYS):
        name = part.text("name")
        iri_node = part.get("iri")
        if name is None:
            sheet.fail(part.line, f"{part.where}: give the partnership's name:")
        same, different = sheet.identity(part, "partnership")
        if same is not None:
            iri = same
        elif iri_node is not None:
            iri = explicit_iri(sheet, iri_node, f"{part.where}: iri", "cskgid:partnership/")
        else:
            iri = f"{ID}partnership/{slug_or_fail(sheet, name, part.node, part.where)}"
        sheet.directive(iri, same, different, part.line)
        label = part.text("label") or name
        ref = Ref("partnership", iri, label, part.line)
        alt = [t for t, _ in part.texts("names")]
        sheet.register(ref, part.text("id"), [name, label, *alt], part.get("id"))
        sheet.partnership_refs.append(ref)


def read_partnerships(sheet: Sheet, top: Entry) -> None:
    """Second pass over partnerships: their type, parent, members and shared services."""
    entries = top.entries("partnerships", "partnerships: entry", PARTNERSHIP_KEYS)
    for part, ref in zip(entries, sheet.partnership_refs, strict=True):
        p = ref.iri
        type_node = part.get("type")
        cls = (
            sheet.choice(type_node, PARTNERSHIP_TYPES, f"{part.where}: type", "type of partnership")
            if type_node is not None
            else CSKG + "Partnership"
        )
        sheet.entity(p, part.line, [cls], ref.display)
        for alias, _ in part.texts("names"):
            sheet.text_(p, ALT_LABEL, alias)
        parent = part.get("part of")
        if parent is not None:
            up = agent(
                sheet,
                parent,
                f"{part.where}: part of",
                ["partnership"],
                "list the partnership it runs under in partnerships:",
            )
            sheet.add(p, ORG + "subOrganizationOf", up.iri)
        members = part.get("members")
        if members is not None:
            if not members.is_list:
                sheet.fail(members, f"{part.where}: members: expected a list, each starting '- '")
            for n, item in enumerate(members.value, 1):
                _member(sheet, ref, item, f"{part.where}: member {n}")
        shares = part.get("shares")
        if shares is not None:
            if not shares.is_list:
                sheet.fail(shares, f"{part.where}: shares: expected a list, each starting '- '")
            for n, item in enumerate(shares.value, 1):
                _share(sheet, ref, item, f"{part.where}: shared service {n}")


def _member(sheet: Sheet, ref: Ref, item: Y, where: str) -> None:
    """One member of a partnership: a name, or an entry with its time span."""
    if item.is_scalar:
        member = agent(
            sheet,
            item,
            where,
            ["council", "organisation", "partnership"],
            "list it under councils: or organisations:",
        )
        entry = None
    else:
        entry = Entry(sheet, item, where, MEMBER_KEYS)
        given = [k for k in ("council", "organisation", "member") if entry.has(k)]
        if len(given) != 1:
            sheet.fail(item, f"{where}: give exactly one of council:, organisation: or member:")
        key = given[0]
        kinds = {
            "council": ["council"],
            "organisation": ["organisation"],
            "member": ["council", "organisation", "partnership"],
        }[key]
        target = entry.get(key)
        assert target is not None
        member = agent(
            sheet,
            target,
            f"{where}: {key}",
            kinds,
            "list it under councils: or organisations:",
        )
    m = f"{ref.iri}/member/{member.iri.rstrip('/').rsplit('/', 1)[-1]}/{sheet.slug}"
    default = f"{member.display} in {ref.display}"
    label = (entry.text("label") if entry else None) or default
    sheet.entity(m, item.line, [ORG + "Membership"], label)
    sheet.add(m, ORG + "organization", ref.iri)
    sheet.add(m, ORG + "member", member.iri)
    if entry is not None:
        _span(sheet, m, ORG + "memberDuring", entry, label)


def _share(sheet: Sheet, ref: Ref, item: Y, where: str) -> None:
    """One service a partnership shares: a service, or an entry with its time span."""
    if item.is_scalar:
        service = sheet.concept(item, "service", where)
        entry = None
    else:
        entry = Entry(sheet, item, where, SHARE_KEYS)
        service_node = entry.get("service")
        if service_node is None:
            sheet.fail(item, f"{where}: 'service' is missing")
        service = sheet.concept(service_node, "service", f"{where}: service")
    sv = f"{ref.iri}/shares/{service.rsplit('/', 1)[-1]}/{sheet.slug}"
    label = (
        entry.text("label") if entry else None
    ) or f"{ref.display} shared {sheet.vocabulary.pref[service]}"
    sheet.entity(sv, item.line, [CSKG + "SharedService"], label)
    sheet.add(sv, CSKG + "sharedBy", ref.iri)
    sheet.add(sv, CSKG + "service", service)
    if entry is not None:
        _span(sheet, sv, CSKG + "activeDuring", entry, label)


def read_delivery(sheet: Sheet, top: Entry) -> None:
    for item in top.entries("delivery", "delivery: entry", DELIVERY_KEYS):
        council_node, by_node, service_node = (
            item.get("council"),
            item.get("delivered by"),
            item.get("service"),
        )
        for key, node in (
            ("council", council_node),
            ("delivered by", by_node),
            ("service", service_node),
        ):
            if node is None:
                sheet.fail(item.line, f"{item.where}: {key!r} is missing")
        assert council_node is not None and by_node is not None and service_node is not None
        council = council_ref(sheet, council_node, f"{item.where}: council")
        provider = agent(
            sheet,
            by_node,
            f"{item.where}: delivered by",
            ["organisation", "council", "partnership"],
            "list the provider under organisations: (type: trust for a children's services trust)",
        )
        service = sheet.concept(service_node, "service", f"{item.where}: service")
        status = item.vocab("status", "status")
        gss = council.iri.rsplit("/", 1)[-1]
        d = f"{ID}council/{gss}/delivery/{service.rsplit('/', 1)[-1]}/{sheet.slug}"
        default = (
            f"{council.display}'s {sheet.vocabulary.pref[service]} delivered by {provider.display}"
        )
        if status:
            default += f" ({sheet.vocabulary.pref[status]})"
        label = item.text("label") or default
        sheet.entity(d, item.line, [CSKG + "DeliveryArrangement"], label)
        sheet.add(d, CSKG + "deliveredFor", council.iri)
        sheet.add(d, CSKG + "deliveredBy", provider.iri)
        sheet.add(d, CSKG + "service", service)
        if status:
            sheet.add(d, CSKG + "status", status)
        attested = sheet.attested(item)
        if attested:
            sheet.dated(d, CSKG + "attestedOn", attested)
        _span(sheet, d, CSKG + "activeDuring", item, label)
