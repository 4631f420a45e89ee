"""``cskg import la-lookup``: every council of the local authority lookup, keyed on its GSS code.

One row per local authority: GSS code (``la_code_new``), DfE LA code, Ofsted
URN, ONS name and other names, region, authority type, web domain, population
aged 0-25, and the ten DfE statistical neighbours in the order given. Rows
without a GSS code (historic or merged authorities) cannot be keyed and are
reported and left out.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from cskg.factsheet.iris import ALT_LABEL, CSKG, GSS, ID, SDO, VOCAB
from cskg.labels import normalise as normal_name
from cskg.importing.facts import Facts, council_iri, dataset, iri, text, typed
from cskg.importing.tables import Row, Table, read_table

KIND = "la-lookup"
SLUG = "la-lookup"
COLUMNS = ["urn", "la_code", "la_code_new", "stat_neighbours", "stat_neighbours_la_code",
           "local_authority_ons_name", "also_known_as", "rgn22cd", "rgn22nm", "domain",
           "ons_population_0-25", "ons_la_type"]
AUTHORITY_TYPES = {
    "london borough": "london-borough",
    "metropolitan district": "metropolitan-district",
    "unitary authority": "unitary-authority",
    "county": "county",
}
GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def read(path: Path, display: str) -> Table:
    return read_table(path, display, COLUMNS, "a local authority lookup (la-lookup.csv)")


def build(table: Table, file_name: str) -> Facts:
    facts = Facts(SLUG)
    source = f"{ID}source/{SLUG}"
    facts.describe_graph(source, f"Councils from the local authority lookup {file_name}",
                         f"Import of {file_name} with cskg import la-lookup")
    dataset(facts, source, f"Local authority lookup ({file_name})", file_name)

    table.scan_unused(COLUMNS, "cskg does not import this column")
    regions = _region_names(table)
    councils: dict[str, Row] = {}
    dfe_to_gss: dict[str, str] = {}
    for row in table.rows:
        gss = _gss(table, row)
        if gss is None:
            continue
        if gss in councils:
            table.report(row, "la_code_new", gss, f"GSS code {gss} is also on row "
                         f"{councils[gss].number}", "row skipped")
            continue
        councils[gss] = row
        dfe = _council(table, facts, row, gss, regions)
        if dfe:
            dfe_to_gss[dfe] = gss
    names = {gss: str(row.raw("local_authority_ons_name") or gss).strip() for gss, row in councils.items()}
    for gss, row in councils.items():
        _neighbours(table, facts, row, gss, names, dfe_to_gss)
    return facts


def _gss(table: Table, row: Row) -> str | None:
    name = table.text(row, "local_authority_ons_name", "", required=False) or "?"
    gss = table.text(row, "la_code_new",
                     f"row skipped: {name} (DfE {row.raw('la_code')}) has no GSS code, and councils "
                     "are keyed on their GSS code (a historic or merged authority)")
    if gss is None:
        return None
    if not GSS.match(gss):
        table.report(row, "la_code_new", gss, "not a GSS code (a letter and eight digits)",
                     "row skipped")
        return None
    return gss


def _region_names(table: Table) -> dict[str, str]:
    """Each region code's name: the spelling most rows give it."""
    counts: dict[str, Counter[str]] = {}
    for row in table.rows:
        code, name = row.raw("rgn22cd"), row.raw("rgn22nm")
        if isinstance(code, str) and isinstance(name, str) and GSS.match(code.strip()) and name.strip():
            counts.setdefault(code.strip(), Counter())[name.strip()] += 1
    return {code: names.most_common(1)[0][0] for code, names in counts.items()}


def _region(table: Table, row: Row, regions: dict[str, str]) -> tuple[str, str] | None:
    """The row's region (code, name). A code whose name disagrees with the name most rows
    give that code is reported; the row's own name wins when it names exactly one region."""
    code = table.text(row, "rgn22cd", "no region imported")
    name = table.text(row, "rgn22nm", "no region imported")
    if code is None or name is None:
        return None
    if not GSS.match(code):
        table.report(row, "rgn22cd", code, "not a GSS region code", "no region imported")
        return None
    usual = regions.get(code, name)
    if normal_name(usual) == normal_name(name):
        return code, usual
    named = [c for c, n in regions.items() if normal_name(n) == normal_name(name)]
    if len(named) == 1:
        table.report(row, "rgn22cd", code, f"{code} is {usual!r} on other rows, but this row's "
                     f"rgn22nm is {name!r}", f"imported as {name} ({named[0]}), the region the "
                     "name gives")
        return named[0], regions[named[0]]
    table.report(row, "rgn22cd", code, f"{code} is {usual!r} on other rows, but this row's "
                 f"rgn22nm is {name!r}", "no region imported")
    return None


def _council(table: Table, facts: Facts, row: Row, gss: str, regions: dict[str, str]) -> str | None:
    """The council's own facts; returns its DfE LA code if it has a valid one."""
    n = row.number
    c = council_iri(gss)
    name = table.text(row, "local_authority_ons_name", "council imported without a name")
    facts.node(c, CSKG + "Council", name, n)
    facts.add(c, CSKG + "gssCode", text(gss), n)
    facts.add(c, CSKG + "statisticalGeography", iri(GEOGRAPHY + gss), n)
    for alias in also_known_as(table.text(row, "also_known_as", "", required=False), name):
        facts.add(c, ALT_LABEL, text(alias), n)

    dfe = table.text(row, "la_code", "no DfE LA code imported")
    if dfe is not None and not re.fullmatch(r"[0-9]{3}", dfe):
        table.report(row, "la_code", dfe, "not a DfE LA code (three digits)", "not imported")
        dfe = None
    if dfe:
        facts.add(c, CSKG + "dfeLaCode", text(dfe), n)
    urn = table.text(row, "urn", "no Ofsted URN imported")
    if urn is not None and not urn.isdigit():
        table.report(row, "urn", urn, "not an Ofsted URN (digits)", "not imported")
        urn = None
    if urn:
        facts.add(c, CSKG + "ofstedUrn", text(urn), n)

    found = _region(table, row, regions)
    if found:
        region_code, region_name = found
        region = f"{ID}region/{region_code}"
        facts.node(region, CSKG + "Region", region_name)
        facts.add(region, CSKG + "gssCode", text(region_code))
        facts.add(c, CSKG + "region", region, n)

    kind = table.text(row, "ons_la_type", "no authority type imported")
    if kind is not None:
        concept = AUTHORITY_TYPES.get(normal_name(kind))
        if concept is None:
            table.report(row, "ons_la_type", kind, "not an authority type (London Borough, "
                         "Metropolitan District, Unitary Authority or County)", "not imported")
        else:
            facts.add(c, CSKG + "authorityType", f"{VOCAB}authority/{concept}", n)

    domain = table.text(row, "domain", "no web address imported")
    if domain is not None:
        host = re.sub(r"^https?://", "", domain.strip().lower()).rstrip("/")
        if _HOST.match(host):
            facts.add(c, SDO + "url", typed(f"https://{host}/", "anyURI"), n)
        else:
            table.report(row, "domain", domain, "not a web domain", "no web address imported")

    population = table.text(row, "ons_population_0-25", "no population imported")
    if population is not None:
        try:
            value = int(float(population))
            if value < 0 or value != float(population):
                raise ValueError
            facts.add(c, CSKG + "populationAged0to25", typed(value, "nonNegativeInteger"), n)
        except ValueError:
            table.report(row, "ons_population_0-25", population, "not a whole number of people",
                         "no population imported")
    return dfe


def _neighbours(table: Table, facts: Facts, row: Row, gss: str, known: dict[str, str],
                dfe_to_gss: dict[str, str]) -> None:
    """The DfE statistical neighbours, ranked as listed; the DfE-code list must agree."""
    action = "no statistical neighbours imported"
    by_gss = _codes(table.text(row, "stat_neighbours_la_code", action))
    by_dfe = _codes(table.text(row, "stat_neighbours", action, required=False))
    if by_dfe and len(by_dfe) == len(by_gss):
        for rank, (code, dfe) in enumerate(zip(by_gss, by_dfe), start=1):
            if dfe in dfe_to_gss and dfe_to_gss[dfe] != code:
                table.report(row, "stat_neighbours", dfe,
                             f"neighbour {rank} is DfE {dfe} ({dfe_to_gss[dfe]}) here but {code} in "
                             "stat_neighbours_la_code", "the GSS code is imported")
    c = council_iri(gss)
    for rank, code in enumerate(by_gss, start=1):
        if not GSS.match(code) or code not in known or code == gss:
            problem = ("not a GSS code" if not GSS.match(code) else
                       "the council itself" if code == gss else "no council in the file has this GSS code")
            table.report(row, "stat_neighbours_la_code", code, f"neighbour {rank}: {problem}",
                         "that neighbour not imported")
            continue
        link = f"{c}/statistical-neighbour/{rank}"
        facts.node(link, CSKG + "StatisticalNeighbour",
                   f"{known[gss]}'s statistical neighbour {rank}: {known[code]}", row.number)
        facts.add(link, CSKG + "neighbourOf", c)
        facts.add(link, CSKG + "neighbour", council_iri(code))
        facts.add(link, CSKG + "neighbourRank", typed(rank, "positiveInteger"))
        facts.add(c, CSKG + "statisticalNeighbour", council_iri(code))


def _codes(cell: str | None) -> list[str]:
    if not cell:
        return []
    return [c.strip() for c in cell.strip("[]").split(",") if c.strip()]


def also_known_as(cell: str | None, name: str | None) -> list[str]:
    """The names in a ``[BCP, Bournemouth, Christchurch & Poole]`` list.

    Commas separate the names but also occur inside them; pieces are joined
    back when together they spell the council's own name.
    """
    if not cell:
        return []
    pieces = [p.strip() for p in cell.strip().strip("[]").split(",")]
    own = normal_name(name or "")
    names: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            joined = ", ".join(pieces[i:j])
            if j - i == 1 or normal_name(joined) == own:
                names.append(joined)
                i = j
                break
    return [n.strip("'\" ") for n in names if n.strip("'\" ")]
