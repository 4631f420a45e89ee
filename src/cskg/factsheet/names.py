"""Names in a fact sheet that point at councils, people and organisations, and the IRIs they get.

A name is found first among the sheet's own entries, then in the graph through
the resolver (councils by name, alias or GSS code; people and organisations by
name, never merged when several match), and otherwise gets a new IRI minted from
its slug. A resolver's error is re-raised with the sheet's file, line and field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NoReturn

from cskg.errors import AmbiguousName, CskgError, InputError, UnknownName
from cskg.factsheet.iris import CSKG, GSS, ID, SDO, slugify
from cskg.factsheet.sheet import Ref, Sheet
from cskg.factsheet.yamltree import Y
from cskg.labels import expand, normalise


def relocate(
    sheet: Sheet, error: CskgError, where: Y | int, field_name: str, name: str
) -> NoReturn:
    """Re-raise a resolver's error with the sheet's file, line and field in front."""
    line = where if isinstance(where, int) else where.line
    prefix = f"{sheet.display}:{line}: {field_name}: "
    located: CskgError
    if isinstance(error, UnknownName):
        located = UnknownName(error.name, error.suggestions)
    elif isinstance(error, AmbiguousName):
        located = AmbiguousName(name, error.candidates)
    else:
        located = InputError(error.message, error.hint)
    located.message = prefix + error.message
    if isinstance(error, UnknownName) and error.suggestions:
        located.message += f"; did you mean: {'; '.join(error.suggestions)}?"
    located.hint = error.hint
    located.args = (located.message,)
    raise located from None


# -- councils -----------------------------------------------------------------


def resolve_council(sheet: Sheet, text: str, node: Y, where: str) -> str:
    """The IRI of the council ``text`` names: a GSS code, or a name the resolver knows."""
    code = text.strip().upper()
    if sheet.resolver is None:
        if GSS.fullmatch(code):
            return f"{ID}council/{code}"
        sheet.fail(
            node,
            f"{where}: {text!r}: without the graph to look names up in, name a council by its GSS code",
            "e.g. council: E08000001 (Bolton); or add the sheet with the project's graph at hand",
        )
    try:
        iri = sheet.resolver.council(code if GSS.fullmatch(code) else text)
    except CskgError as error:
        relocate(sheet, error, node, where, text)
    if not iri.startswith(f"{ID}council/"):
        sheet.fail(node, f"{where}: {text!r} names {iri}, which is not a council")
    return iri


def council_ref(sheet: Sheet, node: Y, where: str) -> Ref:
    """A council reference: a sheet id, a name from councils:, a name/alias/GSS code."""
    text = sheet.scalar_text(node, where)
    ref = sheet.local(text, ["council"])
    if ref is None:
        cached = sheet.council_cache.get(normalise(text))
        if cached is None:
            iri = resolve_council(sheet, text, node, where)
            cached = Ref("council", iri, text, node.line)
            sheet.council_cache[normalise(text)] = cached
        ref = cached
    sheet.entity(ref.iri, ref.line, [CSKG + "Council"])
    return ref


# -- people and organisations --------------------------------------------------


def existing(sheet: Sheet, kind: str, name: str, node: Y, where: str) -> str | None:
    """The one existing person/organisation called ``name``; an error when several are."""
    if sheet.resolver is None:
        return None
    try:
        found = (
            sheet.resolver.people(name) if kind == "person" else sheet.resolver.organisations(name)
        )
    except CskgError as error:
        relocate(sheet, error, node, where, name)
    found = sorted(set(found))
    if len(found) > 1:
        what = "people" if kind == "person" else "organisations"
        sheet.fail(
            node,
            f"{where}: {name!r} matches several existing {what}: " + ", ".join(found),
            "cskg never merges them silently: give this entry an explicit iri: (one of those, "
            f"or a new cskgid:{'person' if kind == 'person' else 'org'}/... IRI for someone else)",
        )
    return found[0] if found else None


def explicit_iri(sheet: Sheet, node: Y, where: str, prefix: str) -> str:
    """An ``iri:`` written in the sheet, as a prefixed name or <https://...>."""
    text = sheet.scalar_text(node, where)
    iri = expand(text)
    if iri is None or not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", iri):
        sheet.fail(
            node,
            f"{where}: {text!r} is not an IRI",
            f"write it as {prefix}... or <https://...>",
        )
    return iri


def slug_or_fail(sheet: Sheet, text: str, node: Y, where: str) -> str:
    slug = slugify(text)
    if not slug:
        sheet.fail(node, f"{where}: {text!r} gives no letters or digits for an IRI")
    return slug


def person_ref(sheet: Sheet, name: str, node: Y, where: str, line: int) -> Ref:
    """An author or another person named in passing: reuse one existing, else mint."""
    ref = sheet.local(name, ["person"])
    if ref is not None:
        return ref
    iri = (
        existing(sheet, "person", name, node, where)
        or f"{ID}person/{slug_or_fail(sheet, name, node, where)}"
    )
    ref = Ref("person", iri, name, line)
    sheet.register(ref, None, [name], None)
    sheet.entity(iri, line, [SDO + "Person"], name)
    return ref


def org_ref(sheet: Sheet, name: str, default_type: str, node: Y, where: str, line: int) -> Ref:
    """A publisher, party or inspectorate named in passing: a sheet entry, one existing, or new."""
    ref = sheet.local(name, ["organisation"])
    if ref is not None:
        return ref
    iri = (
        existing(sheet, "organisation", name, node, where)
        or f"{ID}org/{slug_or_fail(sheet, name, node, where)}"
    )
    ref = Ref("organisation", iri, name, line)
    sheet.register(ref, None, [name], None)
    sheet.entity(iri, line, [default_type], name)
    return ref


def ofsted(sheet: Sheet, line: int, node: Y) -> Ref:
    return org_ref(sheet, "Ofsted", CSKG + "Inspectorate", node, "inspectorate", line)


# -- any of them ----------------------------------------------------------------


def agent(sheet: Sheet, node: Y, where: str, kinds: Sequence[str], hint: str) -> Ref:
    """A reference to an entry of this sheet, or an explicit IRI."""
    text = sheet.scalar_text(node, where)
    ref = sheet.local(text, kinds)
    if ref is not None:
        if ref.kind == "council":
            sheet.entity(ref.iri, ref.line, [CSKG + "Council"])
        return ref
    iri = expand(text) if ":" in text and " " not in text.strip() else None
    if iri is not None and iri.startswith(ID):
        return Ref("iri", iri, text, node.line)
    if "council" in kinds and (sheet.resolver is not None or GSS.fullmatch(text.strip().upper())):
        try:
            return council_ref(sheet, node, where)
        except UnknownName:
            pass
    sheet.not_found(node, where, text, kinds, hint)
