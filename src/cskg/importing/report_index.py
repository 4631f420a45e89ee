"""``cskg import report-index``: the published children's services inspection reports per council.

Each row is a report: the council (by Ofsted URN), its title and the date in
its file name, which is the publication date. A report is linked to the
inspection it reports when exactly one full inspection of that council in the
graph was published on that day (or in that month or year, where the graph
knows only the month or year).
"""

from __future__ import annotations

import re

from cskg.factsheet.iris import CSKG, DCT, ID, SDO, SKOS
from cskg.importing.councils import Councils
from cskg.importing.facts import OFSTED, Facts, dataset, day, report_iri, report_label, text
from cskg.importing.tables import Table, read_table
from cskg.store import GraphStore
from cskg.errors import InputError

KIND = "report-index"
SLUG = "inspection-reports-index"
COLUMNS = ["urn", "local_authority", "report_title", "date_in_report_name"]
#: What file names leave at the end of a title: ",  pdf", " as pdf".
_FILE_ARTEFACT = re.compile(r"(?:\s*,\s*|\s+as\s+)pdf\s*$", re.IGNORECASE)


def read(path, display: str) -> Table:  # type: ignore[no-untyped-def]
    return read_table(path, display, COLUMNS, "an inspection report index")


def build(table: Table, file_name: str, store: GraphStore) -> tuple[Facts, int, int]:
    """The reports, and how many rows were imported and how many linked to an inspection."""
    facts = Facts(SLUG)
    source = f"{ID}source/{SLUG}"
    facts.describe_graph(source, f"Published children's services inspection reports ({file_name})",
                         f"Import of {file_name} with cskg import report-index")
    dataset(facts, source, f"Children's services inspection reports index ({file_name})", file_name)
    facts.node(OFSTED, CSKG + "Inspectorate", "Ofsted")
    councils = Councils.of(store)
    if not councils:
        raise InputError("no council in the graph has an Ofsted URN",
                         "import the local authority lookup first: cskg import la-lookup FILE.csv")
    table.scan_unused(COLUMNS, "cskg does not import this column")
    published = _publications(store)
    seen: dict[str, int] = {}
    imported = linked = 0
    for row in table.rows:
        urn = table.text(row, "urn", "row skipped")
        if urn is None:
            continue
        council = councils.by_urn.get(urn)
        if council is None:
            table.report(row, "urn", urn, f"no council in the graph has Ofsted URN {urn}",
                         "row skipped (import the local authority lookup first)")
            continue
        when = table.date(row, "date_in_report_name", "row skipped")
        if when is None:
            continue
        report = report_iri(council.gss, when)
        if report in seen:
            table.report(row, "date_in_report_name", when.isoformat(), f"the same report as row "
                         f"{seen[report]} (same council and date)", "row skipped")
            continue
        seen[report] = row.number
        title = table.text(row, "report_title", "report imported without a title")
        if title:
            clean = _FILE_ARTEFACT.sub("", title).strip()
            if clean != title:
                table.report(row, "report_title", title, "a file-name ending in the title",
                             f"imported as {clean!r}")
            facts.add(report, DCT + "title", text(clean))
        written = table.text(row, "local_authority", "", required=False)
        if written:
            facts.add(council.iri, SKOS + "hiddenLabel", text(written), row.number)
        facts.node(report, CSKG + "Report", report_label(council.label, when), row.number)
        facts.add(report, DCT + "issued", day(when))
        facts.add(report, DCT + "publisher", OFSTED)
        facts.add(report, SDO + "about", council.iri)
        imported += 1
        events = [e for e, d in published.get(council.iri, []) if when.isoformat().startswith(d)]
        if len(set(events)) == 1:
            facts.add(report, CSKG + "reportsOn", events[0])
            linked += 1
        elif len(set(events)) > 1:
            table.report(row, "date_in_report_name", when.isoformat(),
                         f"{len(set(events))} inspections of {council.label} were published then",
                         "report not linked to an inspection")
    return facts, imported, linked


def _publications(store: GraphStore) -> dict[str, list[tuple[str, str]]]:
    """Full inspections with a publication date, per council."""
    rows = store.query(
        "SELECT DISTINCT ?e ?c ?d WHERE { ?e a cskg:FullInspection ; cskg:inspectedAuthority ?c ; "
        "cskg:publicationDate ?d }"
    )
    found: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        found.setdefault(r["c"].value, []).append((r["e"].value, r["d"].value))
    return found
