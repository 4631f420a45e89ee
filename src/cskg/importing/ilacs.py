"""``cskg import ilacs``: each council's latest ILACS full inspection, one snapshot per file.

A snapshot is its own named graph (``ilacs-overview-{as-of date}``), so a
newer snapshot adds to the history instead of overwriting it. An inspection
the graph already knows (same council, and the same report link, fieldwork
start or publication date at the precision known) keeps its IRI, so article
facts and national facts about one inspection meet on one node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cskg.errors import InputError
from cskg.factsheet.iris import CSKG, DCT, ID, ORG, PROV, SDO, SKOS, VOCAB, slugify
from cskg.importing.councils import Council, Councils
from cskg.importing.facts import OFSTED, Facts, dataset, day, report_iri, report_label, text, typed
from cskg.importing.tables import MISSING_MARKERS, Row, Table, read_table
from cskg.labels import normalise
from cskg.matching import EventFacts, compare_events
from cskg.store import GraphStore

KIND = "ilacs"
SERIES = f"{ID}source/ilacs-overview"
COLUMNS = ["urn", "la_code", "local_authority", "inspection_link", "overall_effectiveness_grade",
           "inspection_framework", "inspector_name", "inspection_start_date", "inspection_end_date",
           "publication_date", "impact_of_leaders_grade", "help_and_protection_grade",
           "in_care_grade", "care_leavers_grade"]
GRADES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires-improvement",
    "requires improvement to be good": "requires-improvement",
    "inadequate": "inadequate",
}
GRADE_WORDS = {"outstanding": "outstanding", "good": "good",
               "requires-improvement": "requires improvement", "inadequate": "inadequate"}
#: Before January 2023 ILACS judged children in care and care leavers together.
NOT_YET_JUDGED = "inspection_pre_dates_judgement"
FORMATS = {"standard": "standard", "short": "short"}
HMI_POST = f"{OFSTED}/post/his-majestys-inspector"
HMI = f"{VOCAB}role/his-majestys-inspector"
AREAS = {
    "overall_effectiveness_grade": ("overall-effectiveness", "overall effectiveness"),
    "impact_of_leaders_grade": ("impact-of-leaders", "impact of leaders"),
    "help_and_protection_grade": ("help-and-protection", "help and protection"),
    "in_care_grade": ("children-in-care", "children in care"),
    "care_leavers_grade": ("care-leavers", "care leavers"),
}
COMBINED = ("children-in-care-and-care-leavers", "children in care and care leavers")


@dataclass(frozen=True)
class Inspection:
    """One council's row of a snapshot, as imported."""

    council: Council
    event: str
    key: str
    overall: str | None
    row: int


def snapshot_date(path: Path, as_of: date | None) -> date:
    """The date a snapshot describes: ``--as-of``, else the yyyy-mm-dd in the file name."""
    if as_of is not None:
        return as_of
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
    if found:
        try:
            return date(*(int(g) for g in found.groups()))
        except ValueError:
            pass
    raise InputError(f"{path.name}: no snapshot date: the file name has no yyyy-mm-dd date",
                     "give the date the data describes with --as-of YYYY-MM-DD")


def slug_for(as_of: date) -> str:
    return f"ilacs-overview-{as_of.isoformat()}"


def source_iri(as_of: date) -> str:
    """The snapshot as a source: the dataset of that date."""
    return f"{ID}source/{slug_for(as_of)}"


def read(path: Path, display: str) -> Table:
    return read_table(path, display, COLUMNS, "an ILACS overview spreadsheet")


def build(table: Table, file_name: str, as_of: date, store: GraphStore
          ) -> tuple[Facts, list[Inspection]]:
    slug = slug_for(as_of)
    facts = Facts(slug)
    source = source_iri(as_of)
    when = f"{as_of.day} {as_of:%B %Y}"
    facts.describe_graph(source, f"ILACS inspections from the overview as of {when} ({file_name})",
                         f"Import of {file_name} with cskg import ilacs")
    dataset(facts, source, f"ILACS overview as of {when} ({file_name})", file_name)
    facts.add(source, CSKG + "asOf", day(as_of))
    facts.add(source, DCT + "isVersionOf", SERIES)
    facts.node(SERIES, CSKG + "Dataset", "ILACS overview: each council's latest ILACS inspection")
    facts.node(OFSTED, CSKG + "Inspectorate", "Ofsted")

    councils = Councils.of(store)
    if not councils:
        raise InputError("no council in the graph has an Ofsted URN or DfE LA code",
                         "import the local authority lookup first: cskg import la-lookup FILE.csv")
    table.scan_unused(COLUMNS, "cskg does not import this column (regions and statistical "
                      "neighbours come from the local authority lookup)")
    known = _known_inspections(store)
    imported: list[Inspection] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        council = _council(table, row, councils)
        if council is None:
            continue
        if council.iri in seen:
            table.report(row, "urn", row.raw("urn"), f"{council.label} is also on row "
                         f"{seen[council.iri]}", "row skipped")
            continue
        seen[council.iri] = row.number
        found = _inspection(table, facts, row, council, known)
        if found is not None:
            imported.append(found)
    if table.rows and not imported:
        first = table.problems[-1] if table.problems else None
        raise InputError(f"{table.display}: no row could be imported"
                         + (f" (row {first.row}: {first.problem})" if first else ""),
                         "import the local authority lookup first: cskg import la-lookup FILE.csv")
    return facts, imported


def _council(table: Table, row: Row, councils: Councils) -> Council | None:
    urn = table.text(row, "urn", "row skipped: no council to attach it to", required=False)
    dfe = table.text(row, "la_code", "row skipped: no council to attach it to", required=False)
    by_urn = councils.by_urn.get(urn or "")
    by_dfe = councils.by_dfe.get(dfe or "")
    if by_urn and by_dfe and by_urn.iri != by_dfe.iri:
        table.report(row, "la_code", dfe, f"URN {urn} is {by_urn.label} but DfE code {dfe} is "
                     f"{by_dfe.label}", "row skipped")
        return None
    council = by_urn or by_dfe
    if council is None:
        table.report(row, "urn", urn, f"no council in the graph has Ofsted URN {urn} or DfE LA "
                     f"code {dfe}", "row skipped (import the local authority lookup first)")
    return council


def _known_inspections(store: GraphStore) -> dict[str, list[tuple[str, dict[str, set[str]]]]]:
    """Full inspections already in the graph, per council: their dates and report links."""
    rows = store.query(
        "SELECT DISTINCT ?e ?c ?p ?v WHERE { ?e a cskg:FullInspection ; cskg:inspectedAuthority ?c . "
        "{ VALUES ?p { cskg:fieldworkStart cskg:publicationDate cskg:reportedDate } ?e ?p ?v } "
        "UNION { ?r cskg:reportsOn ?e ; schema:url ?v BIND(schema:url AS ?p) } }"
    )
    events: dict[str, dict[str, set[str]]] = {}
    council_of: dict[str, str] = {}
    for r in rows:
        e = r["e"].value
        council_of[e] = r["c"].value
        events.setdefault(e, {}).setdefault(r["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
                                            set()).add(r["v"].value)
    known: dict[str, list[tuple[str, dict[str, set[str]]]]] = {}
    for e, facts in sorted(events.items()):
        known.setdefault(council_of[e], []).append((e, facts))
    return known


def _same(known: dict[str, set[str]], prop: str, value: str | None) -> bool:
    """Whether a known date agrees with ``value`` at the precision it has (2023-09 ~ 2023-09-11)."""
    if value is None:
        return False
    return any(value.startswith(v) or v.startswith(value) for v in known.get(prop, ()))


def _match(candidates: list[tuple[str, dict[str, set[str]]]], url: str | None, start: str | None,
           published: str | None, end: str | None = None) -> str | None:
    """The one known inspection this row describes, if exactly one matches.

    By its report's address or a date that agrees at the precision known; else by the
    rules of ``cskg add`` (``cskg.matching``): one inspection an article dated otherwise
    ("judged inadequate in November 2022", a reported date inside this row's dates).
    """
    for prop, value in (("url", url), ("fieldworkStart", start), ("publicationDate", published)):
        hits = [e for e, facts in candidates if _same(facts, prop, value)
                and (prop != "url" or value in facts.get("url", ()))]
        if len(hits) == 1:
            return hits[0]
    row = EventFacts()
    for key, value in (("start", start), ("end", end), ("published", published)):
        if value:
            row.dates[key].add(value)
    found = []
    for e, facts in candidates:
        known = EventFacts()
        for prop, key in (("fieldworkStart", "start"), ("publicationDate", "published"),
                          ("reportedDate", "reported")):
            known.dates[key] |= facts.get(prop, set())
        strength = compare_events(row, known)[0]
        if strength:
            found.append((strength, e))
    return found[0][1] if len(found) == 1 and found[0][0] == "strong" else None


def _inspection(table: Table, facts: Facts, row: Row, council: Council,
                known: dict[str, list[tuple[str, dict[str, set[str]]]]]) -> Inspection | None:
    n = row.number
    c = council.iri
    written = table.text(row, "local_authority", "", required=False)
    if written:
        facts.add(c, SKOS + "hiddenLabel", text(written), n)
    start = table.date(row, "inspection_start_date", "no fieldwork start date imported")
    end = table.date(row, "inspection_end_date", "no fieldwork end date imported")
    published = table.date(row, "publication_date", "no publication date imported")
    if start and end and end < start:
        table.report(row, "inspection_end_date", end.isoformat(), "before the start date",
                     "no fieldwork end date imported")
        end = None
    first = start or end
    if published and first and published < first:
        table.report(row, "publication_date", published.isoformat(), "before the fieldwork",
                     "no publication date imported")
        published = None
    if not (start or end or published):
        table.report(row, "inspection_start_date", None, "the inspection has no date at all",
                     "row skipped")
        return None
    url = table.text(row, "inspection_link", "no report link imported", required=False)
    if url and not re.match(r"^https?://\S+$", url):
        table.report(row, "inspection_link", url, "not a web address", "no report link imported")
        url = None

    key = (start or published or end).isoformat()  # type: ignore[union-attr]
    event = _match(known.get(c, []), url, start and start.isoformat(),
                   published and published.isoformat(), end and end.isoformat()
                   ) or f"{ID}event/{council.gss}/inspection/{key}"
    when = (f"{start.day} {start:%B %Y}" if start else
            f"published {published.day} {published:%B %Y}" if published else f"{end:%B %Y}")
    facts.node(event, CSKG + "FullInspection",
               f"Ofsted ILACS inspection of {council.label} children's services, {when}", n)
    facts.add(event, CSKG + "inspectedAuthority", c, n)
    renewed = _renewed(row, start or published)
    facts.add(event, CSKG + "framework", f"{VOCAB}framework/{'ilacs-2026' if renewed else 'ilacs'}")
    facts.add(event, PROV + "wasAssociatedWith", OFSTED)
    if start:
        facts.add(event, CSKG + "fieldworkStart", day(start))
    if end:
        facts.add(event, CSKG + "fieldworkEnd", day(end))
    if published:
        facts.add(event, CSKG + "publicationDate", day(published))
    shape = table.text(row, "inspection_framework", "inspection format (standard or short) not "
                       "imported")
    if shape is not None:
        if normalise(shape) in FORMATS:
            facts.add(event, CSKG + "inspectionFormat", f"{VOCAB}format/{FORMATS[normalise(shape)]}")
        else:
            table.report(row, "inspection_framework", shape, "not an inspection format (standard "
                         "or short)", "not imported")
    overall = _judgements(table, facts, row, council, event, key[:4], renewed)
    _lead_inspector(table, facts, row, council, event, when, published)
    if published:
        _report(facts, council, event, published, url, n)
    elif url:
        table.report(row, "inspection_link", url, "a report link without a publication date",
                     "no report imported")
    return Inspection(council, event, key, overall, n)


#: ILACS gives no overall effectiveness judgement from April 2026 (domain-notes, section 1).
RENEWED_FROM = date(2026, 4, 1)


def _renewed(row: Row, first: date | None) -> bool:
    """Whether the row is an inspection under the renewed framework: dated from April 2026
    with no overall grade. Such an inspection has no overall grade to report missing."""
    value = row.raw("overall_effectiveness_grade")
    empty = value is None or (isinstance(value, float) and value != value) or (
        isinstance(value, str) and (not value.strip() or normalise(value) in MISSING_MARKERS))
    return empty and first is not None and first >= RENEWED_FROM


def _judgements(table: Table, facts: Facts, row: Row, council: Council, event: str,
                year: str, renewed: bool = False) -> str | None:
    leavers = row.raw("care_leavers_grade")
    combined = isinstance(leavers, str) and leavers.strip() == NOT_YET_JUDGED
    overall = None
    for column, (area, words) in AREAS.items():
        if column == "care_leavers_grade" and combined:
            table.report(row, column, NOT_YET_JUDGED, "marker: ILACS judged care leavers "
                         "separately only from January 2023", "no care-leavers judgement; the "
                         "children in care grade is the combined judgement")
            continue
        if column == "in_care_grade" and combined:
            area, words = COMBINED
        if column == "overall_effectiveness_grade" and renewed:
            continue  # none to give: never inferred, never reported as missing
        action = f"no {words} judgement imported"
        if column == "overall_effectiveness_grade":
            action += " (inspections from April 2026 have no overall grade)"
        value = table.text(row, column, action)
        if value is None:
            continue
        grade = GRADES.get(normalise(value))
        if grade is None:
            table.report(row, column, value, "not a grade (outstanding, good, requires "
                         "improvement, inadequate)", f"no {words} judgement imported")
            continue
        judgement = f"{event}/judgement/{area}"
        facts.node(judgement, CSKG + "Judgement",
                   f"{council.label} {year}: {words} {GRADE_WORDS[grade]}", row.number)
        facts.add(judgement, CSKG + "ofEvent", event)
        facts.add(judgement, CSKG + "judgementArea", f"{VOCAB}area/{area}")
        facts.add(judgement, CSKG + "grade", f"{VOCAB}grade/{grade}")
        if area == "overall-effectiveness":
            overall = grade
    return overall


def _lead_inspector(table: Table, facts: Facts, row: Row, council: Council, event: str, when: str,
                    published: date | None) -> None:
    name = table.text(row, "inspector_name", "no lead inspector imported")
    if name is None:
        return
    display = person_name(name)
    person = f"{ID}person/{slugify(name)}"
    facts.node(person, SDO + "Person", display, row.number)
    if display != name:
        facts.add(person, SKOS + "hiddenLabel", text(name))
    facts.add(event, CSKG + "leadInspector", person)
    facts.node(HMI_POST, ORG + "Post", "His Majesty's Inspector, Ofsted")
    facts.add(HMI_POST, ORG + "postIn", OFSTED)
    facts.add(HMI_POST, ORG + "role", HMI)
    holding = f"{event}/lead-inspector"
    facts.node(holding, CSKG + "PostHolding",
               f"{display}, His Majesty's Inspector, lead inspector of {council.label}, {when}",
               row.number)
    facts.add(holding, ORG + "member", person)
    facts.add(holding, ORG + "organization", OFSTED)
    facts.add(holding, ORG + "role", HMI)
    facts.add(holding, CSKG + "post", HMI_POST)
    facts.add(holding, CSKG + "duringEvent", event)
    if published:
        facts.add(holding, CSKG + "attestedOn", day(published))


def _report(facts: Facts, council: Council, event: str, published: date, url: str | None,
            row: int) -> None:
    report = report_iri(council.gss, published)
    facts.node(report, CSKG + "Report", report_label(council.label, published), row)
    facts.add(report, DCT + "issued", day(published))
    facts.add(report, DCT + "publisher", OFSTED)
    facts.add(report, SDO + "about", council.iri)
    facts.add(report, CSKG + "reportsOn", event)
    if url:
        facts.add(report, SDO + "url", typed(url, "anyURI"))


def person_name(written: str) -> str:
    """A lower-case name as a name is written: "máire o'neill-smith" -> "Máire O'Neill-Smith".

    Names already in mixed case are kept as written.
    """
    if written != written.lower():
        return written
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[0].upper() + m.group(0)[1:], written)
