"""A council's profile: what the graph says about it, one value once, with every source that
states it. The same profile is ``cskg show`` for a council and the council page of ``cskg serve``.

``cskg show --facts`` keeps the listing of every statement (``entities.describe``); this view
reads like a profile instead: the council's identity, its current grade and when, the timeline
of inspections, visits and grades across every source and ILACS snapshot, the latest findings
with their quoted words, the people in post, the partnerships and delivery arrangements it is
in, its statistical neighbours with their grades, and the sources, numbered, that each fact
cites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from cskg.labels import curie, labels
from cskg.store import GraphStore

CSKG = "https://w3id.org/cskg/def#"
OVERALL = "https://w3id.org/cskg/vocab/area/overall-effectiveness"
#: how many findings the profile lists, newest event first (the rest are counted)
FINDINGS_SHOWN = 12
_EVENT_KINDS = {
    CSKG + "FullInspection": "full inspection",
    CSKG + "MonitoringVisit": "monitoring visit",
    CSKG + "FocusedVisit": "focused visit",
    CSKG + "JointTargetedAreaInspection": "joint targeted area inspection",
}
_DATE_PROPERTIES = {
    CSKG + "fieldworkStart": "fieldwork from",
    CSKG + "fieldworkEnd": "fieldwork to",
    CSKG + "reportedDate": "reported",
    CSKG + "publicationDate": "published",
}


@dataclass
class Source:
    """A source a fact cites: its number in the profile, title, publisher, date and address."""

    number: int
    graph: str
    iri: str
    label: str
    kind: str = ""
    publisher: str = ""
    issued: str = ""
    url: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"number": self.number, "graph": self.graph, "source": self.iri, "label": self.label,
                "kind": self.kind, "publisher": self.publisher, "issued": self.issued, "url": self.url}


@dataclass
class Value:
    """One value and the numbers of the sources stating it."""

    text: str
    sources: list[int] = field(default_factory=list)
    iri: str = ""

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"value": self.text, "sources": self.sources}
        if self.iri:
            out["iri"] = self.iri
        return out


@dataclass
class Event:
    """An inspection, visit or JTAI of the council, with its dates and grades by source."""

    iri: str
    label: str
    kind: str
    key: str
    dates: list[tuple[str, Value]] = field(default_factory=list)
    grades: list[tuple[str, Value]] = field(default_factory=list)
    details: list[tuple[str, Value]] = field(default_factory=list)
    snapshots: str = ""
    snapshot_sources: list[int] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)

    @property
    def overall(self) -> str:
        return next((v.text for area, v in self.grades if area == "overall effectiveness"), "")

    def as_dict(self) -> dict[str, object]:
        return {"iri": self.iri, "label": self.label, "kind": self.kind, "date": self.key,
                "dates": [{"date": name, **v.as_dict()} for name, v in self.dates],
                "grades": [{"area": area, **v.as_dict()} for area, v in self.grades],
                "details": [{"detail": name, **v.as_dict()} for name, v in self.details],
                "snapshots": self.snapshots, "snapshot_sources": self.snapshot_sources,
                "sources": self.sources}


@dataclass
class Finding:
    iri: str
    event: str
    event_label: str
    key: str
    kind: str
    themes: list[str]
    words: str
    quoted: bool
    sources: list[int]

    def as_dict(self) -> dict[str, object]:
        return {"iri": self.iri, "event": self.event, "event_label": self.event_label,
                "date": self.key, "kind": self.kind, "themes": self.themes, "words": self.words,
                "quoted": self.quoted, "sources": self.sources}


@dataclass
class Row:
    """A line of a list (a person in post, a partnership, a neighbour), its link and sources."""

    text: str
    iri: str = ""
    detail: str = ""
    sources: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "iri": self.iri, "detail": self.detail, "sources": self.sources}


@dataclass
class CouncilProfile:
    iri: str
    label: str
    identity: list[tuple[str, Value]] = field(default_factory=list)
    current: str = ""
    #: what the graph holds after the current grade with no grade (latest-grades' unknownSince)
    unknown_since: str = ""
    events: list[Event] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    findings_total: int = 0
    people: list[Row] = field(default_factory=list)
    partnerships: list[Row] = field(default_factory=list)
    neighbours: list[Row] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "iri": self.iri, "label": self.label, "current": self.current,
            "unknown_since": self.unknown_since,
            "identity": [{"fact": name, **v.as_dict()} for name, v in self.identity],
            "timeline": [e.as_dict() for e in self.events],
            "findings": [f.as_dict() for f in self.findings], "findings_total": self.findings_total,
            "people": [r.as_dict() for r in self.people],
            "partnerships": [r.as_dict() for r in self.partnerships],
            "neighbours": [r.as_dict() for r in self.neighbours],
            "sources": [s.as_dict() for s in self.sources],
        }


def is_council(store: GraphStore, iri: str) -> bool:
    return bool(store.query(f"ASK {{ <{iri}> a cskg:Council }}"))


class _Sources:
    """Numbers each cited source in the order first cited; the graphs of one source (a dataset
    imported into two graphs) share its number."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.numbers: dict[str, int] = {}
        self.of_graph = {r["g"].value: r["src"].value for r in store.query(
            "SELECT ?g ?src WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?src } }")}

    def cite(self, graph: str) -> int:
        source = self.of_graph.get(graph, graph)
        if source not in self.numbers:
            self.numbers[source] = len(self.numbers) + 1
        return self.numbers[source]

    def listed(self) -> list[Source]:
        if not self.numbers:
            return []
        values = " ".join(f"<{s}>" for s in self.numbers)
        rows = self.store.query(
            "SELECT ?src ?label ?type ?publisher ?issued ?url WHERE { VALUES ?src { " + values + " } "
            "OPTIONAL { ?src rdfs:label ?label } OPTIONAL { ?src a ?type "
            "FILTER(?type IN (cskg:NewsArticle, cskg:Report, cskg:Dataset)) } "
            "OPTIONAL { ?src dcterms:publisher/rdfs:label ?publisher } "
            "OPTIONAL { ?src dcterms:issued ?issued } OPTIONAL { ?src schema:url ?url } }")
        found: dict[str, dict[str, str]] = {}
        for r in rows:
            entry = found.setdefault(r["src"].value, {})
            for key in ("label", "type", "publisher", "issued", "url"):
                if r[key] is not None and key not in entry:
                    entry[key] = r[key].value
        kinds = {CSKG + "NewsArticle": "news article", CSKG + "Report": "Ofsted report",
                 CSKG + "Dataset": "dataset"}
        graph_of = {src: g for g, src in sorted(self.of_graph.items(), reverse=True)}
        out = []
        for source, number in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            entry = found.get(source, {})
            graph = graph_of.get(source, source)
            label = entry.get("label") or self.store.graph_files.get(graph, curie(source))
            out.append(Source(number, graph, source, label, kinds.get(entry.get("type", ""), ""),
                              entry.get("publisher", ""), entry.get("issued", ""), entry.get("url", "")))
        return out


def _rows(store: GraphStore, sparql: str, council: str) -> list[dict[str, Any]]:
    from cskg.query import with_values

    answer = store.query(with_values(sparql, {"council": ox.NamedNode(council)}))
    names = [v.value for v in answer.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in answer]


def _add(values: dict[tuple[str, str], Value], order: list[tuple[str, str]], name: str, text: str,
         number: int, iri: str = "") -> None:
    key = (name, text)
    if key not in values:
        values[key] = Value(text, [], iri)
        order.append(key)
    if number not in values[key].sources:
        values[key].sources.append(number)
        values[key].sources.sort()


def council_profile(store: GraphStore, iri: str) -> CouncilProfile:
    """Everything the profile shows about the council ``iri``."""
    from cskg.entities import describe

    cite = _Sources(store)
    view = describe(store, iri)
    profile = CouncilProfile(iri, view.label)
    _identity(store, profile, cite)
    _timeline(store, profile, cite)
    _findings(store, profile, cite)
    _people(store, profile, cite)
    _partnerships(store, profile, cite)
    _neighbours(store, profile, cite)
    graded = [e for e in profile.events if e.kind == "full inspection" and e.overall]
    if graded:
        latest = graded[-1]
        profile.current = f"{latest.overall} ({latest.label})"
        profile.unknown_since = _unknown_since(store, iri)
    profile.sources = cite.listed()
    return profile


def _unknown_since(store: GraphStore, iri: str) -> str:
    """What the graph holds after the council's latest grade whose grade it does not know, as
    the named query latest-grades says (its rule, not a second one)."""
    from cskg.query import run_named

    result = run_named(store, "latest-grades", {"council": iri})
    at = result.columns.index("unknownSince")
    found = {term.value for row in result.rows if (term := row[at]) is not None}
    return "; ".join(sorted(found))


_IDENTITY = """
SELECT ?p ?o ?g WHERE {
  VALUES ?p { skos:altLabel cskg:gssCode cskg:dfeLaCode cskg:ofstedUrn cskg:region
              cskg:authorityType schema:url cskg:populationAged0to25 }
  GRAPH ?g { ?council ?p ?o }
}"""
_IDENTITY_NAMES = {
    "http://www.w3.org/2004/02/skos/core#altLabel": "also named",
    CSKG + "gssCode": "GSS code", CSKG + "dfeLaCode": "DfE LA code", CSKG + "ofstedUrn": "Ofsted URN",
    CSKG + "region": "region", CSKG + "authorityType": "authority type", "https://schema.org/url": "website",
    CSKG + "populationAged0to25": "population aged 0 to 25",
}


def _identity(store: GraphStore, profile: CouncilProfile, cite: _Sources) -> None:
    rows = _rows(store, _IDENTITY, profile.iri)
    names = labels(store, {r["o"] for r in rows})
    values: dict[tuple[str, str], Value] = {}
    order: list[tuple[str, str]] = []
    for r in sorted(rows, key=lambda r: list(_IDENTITY_NAMES).index(r["p"])):
        name = _IDENTITY_NAMES[r["p"]]
        if name == "also named" and r["o"] == profile.label:
            continue
        linked = r["p"] in (CSKG + "region", CSKG + "authorityType")
        text = names.get(r["o"], r["o"]) if linked else r["o"]
        _add(values, order, name, text, cite.cite(r["g"]), r["o"] if r["p"] == CSKG + "region" else "")
    profile.identity = [(name, values[(name, text)]) for name, text in order]


_EVENTS = """
SELECT ?event ?type ?p ?o ?g WHERE {
  ?event cskg:inspectedAuthority ?council ; a ?type .
  VALUES ?type { cskg:FullInspection cskg:MonitoringVisit cskg:FocusedVisit cskg:JointTargetedAreaInspection }
  GRAPH ?g {
    { ?event cskg:inspectedAuthority ?council BIND(cskg:inspectedAuthority AS ?p) BIND(?council AS ?o) }
    UNION { VALUES ?p { cskg:fieldworkStart cskg:fieldworkEnd cskg:reportedDate cskg:publicationDate
                        cskg:visitOrdinal cskg:focusText cskg:focus cskg:finalVisit cskg:framework
                        cskg:inspectionFormat } ?event ?p ?o }
  }
}"""
_JUDGEMENTS = """
SELECT ?event ?area ?grade ?g WHERE {
  ?event cskg:inspectedAuthority ?council .
  GRAPH ?g { ?j cskg:ofEvent ?event ; cskg:judgementArea ?area ; cskg:grade ?grade }
}"""
_SNAPSHOTS = """
SELECT DISTINCT ?event ?snap ?asOf ?g WHERE {
  GRAPH ?g { ?entry cskg:listedAuthority ?council ; cskg:listedInspection ?event ; cskg:inSnapshot ?snap }
  ?snap cskg:asOf ?asOf .
}"""
_DETAILS = {CSKG + "visitOrdinal": "visit number", CSKG + "focusText": "focus (as written)",
            CSKG + "focus": "focus", CSKG + "finalVisit": "final visit", CSKG + "framework": "framework",
            CSKG + "inspectionFormat": "format"}


def _timeline(store: GraphStore, profile: CouncilProfile, cite: _Sources) -> None:
    rows = _rows(store, _EVENTS, profile.iri)
    judged = _rows(store, _JUDGEMENTS, profile.iri)
    iris = {r["event"] for r in rows} | {r["o"] for r in rows if r["p"] in (CSKG + "focus", CSKG + "framework", CSKG + "inspectionFormat")}
    iris |= {r["area"] for r in judged} | {r["grade"] for r in judged}
    names = labels(store, iris)
    events: dict[str, Event] = {}
    dated: dict[str, dict[tuple[str, str], Value]] = {}
    orders: dict[str, list[tuple[str, str]]] = {}
    kinds: dict[str, str] = {}
    for r in rows:
        kinds[r["event"]] = _EVENT_KINDS[r["type"]] if r["event"] not in kinds or r["type"] != CSKG + "FullInspection" else kinds[r["event"]]
    for r in rows:
        event = events.setdefault(r["event"], Event(r["event"], names.get(r["event"], curie(r["event"])), kinds[r["event"]], ""))
        number = cite.cite(r["g"])
        if number not in event.sources:
            event.sources.append(number)
        if r["p"] == CSKG + "inspectedAuthority":
            continue
        values = dated.setdefault(r["event"], {})
        order = orders.setdefault(r["event"], [])
        name = _DATE_PROPERTIES.get(r["p"]) or _DETAILS[r["p"]]
        text = names.get(r["o"], r["o"]) if r["p"] in (CSKG + "focus", CSKG + "framework", CSKG + "inspectionFormat") else r["o"]
        _add(values, order, name, text, number)
    grades: dict[str, dict[tuple[str, str], Value]] = {}
    grade_order: dict[str, list[tuple[str, str]]] = {}
    for r in judged:
        if r["event"] not in events:
            continue
        area = names.get(r["area"], curie(r["area"]))
        _add(grades.setdefault(r["event"], {}), grade_order.setdefault(r["event"], []), area,
             names.get(r["grade"], curie(r["grade"])), cite.cite(r["g"]), r["grade"])
    listed: dict[str, list[tuple[str, str]]] = {}
    for r in sorted(_rows(store, _SNAPSHOTS, profile.iri), key=lambda r: r["asOf"]):
        listed.setdefault(r["event"], []).append((r["asOf"], r["g"]))
    for iri, event in events.items():
        values, order = dated.get(iri, {}), orders.get(iri, [])
        event.dates = [(n, values[(n, t)]) for n, t in order if n in _DATE_PROPERTIES.values()]
        event.dates.sort(key=lambda d: list(_DATE_PROPERTIES.values()).index(d[0]))
        event.details = [(n, values[(n, t)]) for n, t in order if n not in _DATE_PROPERTIES.values()]
        got = [(n, grades[iri][(n, t)]) for n, t in grade_order.get(iri, [])]
        event.grades = sorted(got, key=lambda g: (g[0] != "overall effectiveness", g[0]))
        first = {n: v.text for n, v in event.dates}
        event.key = (first.get("fieldwork from") or first.get("reported") or first.get("published") or "")
        event.sources.sort()
        snaps = listed.get(iri, [])
        if snaps:
            n = len({d for d, _ in snaps})
            event.snapshots = (f"listed as the latest inspection by {n} ILACS snapshot{'s' if n != 1 else ''}"
                               + (f", {snaps[0][0]} to {snaps[-1][0]}" if n > 1 else f", {snaps[0][0]}"))
            event.snapshot_sources = sorted({cite.cite(g) for _, g in snaps})
    _reports(store, profile, cite, events)
    profile.events = sorted(events.values(), key=lambda e: (e.key == "", e.key, e.label))


_REPORTS = """
SELECT ?report ?event ?issued ?url ?g WHERE {
  GRAPH ?g { ?report a cskg:Report ; schema:about ?council .
    OPTIONAL { ?report cskg:reportsOn ?event } OPTIONAL { ?report dcterms:issued ?issued }
    OPTIONAL { ?report schema:url ?url } }
}"""


def _reports(store: GraphStore, profile: CouncilProfile, cite: _Sources, events: dict[str, Event]) -> None:
    """Each published report on its event; a report linked to no event of the graph is an entry
    of its own, so the timeline never hides that something happened between two inspections."""
    rows = _rows(store, _REPORTS, profile.iri)
    names = labels(store, {r["report"] for r in rows})
    linked = {r["report"] for r in rows if r["event"] in events}
    for r in rows:
        number = cite.cite(r["g"])
        label = names.get(r["report"], curie(r["report"]))
        if r["event"] in events:
            event = events[r["event"]]
            values = {(n, v.text): v for n, v in event.details}
            order = [(n, v.text) for n, v in event.details]
            _add(values, order, "report", label, number, r["report"])
            event.details = [(n, values[(n, t)]) for n, t in order]
            if number not in event.sources:
                event.sources.append(number)
                event.sources.sort()
        elif r["report"] not in linked:
            entry = events.setdefault(r["report"], Event(
                r["report"], label, "report with no inspection linked in the graph", r["issued"] or ""))
            if r["issued"] and not entry.dates:
                entry.dates.append(("published", Value(r["issued"], [number])))
            if number not in entry.sources:
                entry.sources.append(number)
                entry.sources.sort()


_FINDINGS = """
SELECT ?f ?event ?kind ?theme ?quote ?excerpt ?g WHERE {
  ?event cskg:inspectedAuthority ?council .
  GRAPH ?g { ?f cskg:fromEvent ?event .
    OPTIONAL { ?f cskg:findingKind ?kind } OPTIONAL { ?f dcterms:subject ?theme }
    OPTIONAL { ?f cskg:quote ?quote } OPTIONAL { ?f cskg:excerpt ?excerpt } }
}"""


def _findings(store: GraphStore, profile: CouncilProfile, cite: _Sources) -> None:
    rows = _rows(store, _FINDINGS, profile.iri)
    names = labels(store, {r["kind"] for r in rows if r["kind"]} | {r["theme"] for r in rows if r["theme"]})
    keys = {e.iri: (e.key, e.label) for e in profile.events}
    found: dict[str, Finding] = {}
    for r in rows:
        key, label = keys.get(r["event"], ("", curie(r["event"])))
        words, quoted = (r["quote"], True) if r["quote"] else (r["excerpt"] or "", False)
        finding = found.setdefault(r["f"], Finding(r["f"], r["event"], label, key,
                                                   names.get(r["kind"], "") if r["kind"] else "",
                                                   [], words, quoted, []))
        if r["theme"]:
            theme = names.get(r["theme"], curie(r["theme"]))
            if theme not in finding.themes:
                finding.themes.append(theme)
        number = cite.cite(r["g"])
        if number not in finding.sources:
            finding.sources.append(number)
    ordered = sorted(found.values(), key=lambda f: (f.key == "", f.key, _number(f.iri)))
    latest = sorted(ordered, key=lambda f: f.key, reverse=True)  # stable: newest events first
    profile.findings_total = len(ordered)
    profile.findings = latest[:FINDINGS_SHOWN]
    for f in profile.findings:
        f.themes.sort()


def _number(iri: str) -> int:
    tail = iri.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


_PEOPLE = """
SELECT ?person ?role ?title ?tenure ?from ?to ?attested ?g WHERE {
  GRAPH ?g { ?h a cskg:PostHolding ; org:organization ?council ; org:member ?person ; org:role ?role .
    OPTIONAL { ?h cskg:titleInSource ?title } OPTIONAL { ?h cskg:tenure ?tenure }
    OPTIONAL { ?h cskg:attestedOn ?attested }
    OPTIONAL { ?h org:memberDuring/time:hasBeginning/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?from }
    OPTIONAL { ?h org:memberDuring/time:hasEnd/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?to } }
}"""


def _people(store: GraphStore, profile: CouncilProfile, cite: _Sources) -> None:
    rows = _rows(store, _PEOPLE, profile.iri)
    names = labels(store, {r["person"] for r in rows} | {r["role"] for r in rows} | {r["tenure"] for r in rows if r["tenure"]})
    merged: dict[tuple[str, str], Row] = {}
    for r in sorted(rows, key=lambda r: (r["attested"] or r["from"] or "", r["person"])):
        tenure = names.get(r["tenure"], "") + " " if r["tenure"] else ""
        role = tenure + (r["title"] or names.get(r["role"], curie(r["role"])))
        when = []
        if r["from"] or r["to"]:
            when.append(f"{r['from'] or '?'} to {r['to'] or ''}".strip())
        if r["attested"]:
            when.append(f"in post on {r['attested']}")
        key = (r["person"], role)
        row = merged.setdefault(key, Row(f"{names.get(r['person'], curie(r['person']))}, {role}", r["person"], "; ".join(when)))
        number = cite.cite(r["g"])
        if number not in row.sources:
            row.sources.append(number)
    profile.people = list(merged.values())


_PARTNERSHIPS = """
SELECT ?org ?type ?from ?to ?g WHERE {
  GRAPH ?g { ?m org:member ?council ; org:organization ?org .
    FILTER NOT EXISTS { ?m a cskg:PostHolding }
    OPTIONAL { ?m org:memberDuring/time:hasBeginning/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?from }
    OPTIONAL { ?m org:memberDuring/time:hasEnd/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?to } }
  OPTIONAL { ?org a ?type FILTER(?type IN (cskg:MultiAgencySafeguardingHub, cskg:Partnership)) }
}"""
_DELIVERY = """
SELECT ?by ?service ?status ?from ?to ?g WHERE {
  GRAPH ?g { ?d cskg:deliveredFor ?council ; cskg:deliveredBy ?by .
    OPTIONAL { ?d cskg:service ?service } OPTIONAL { ?d cskg:status ?status }
    OPTIONAL { ?d cskg:activeDuring/time:hasBeginning/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?from }
    OPTIONAL { ?d cskg:activeDuring/time:hasEnd/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?to } }
}"""


def _span(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else ""


def _partnerships(store: GraphStore, profile: CouncilProfile, cite: _Sources) -> None:
    rows = _rows(store, _PARTNERSHIPS, profile.iri)
    delivered = _rows(store, _DELIVERY, profile.iri)
    names = labels(store, {r["org"] for r in rows} | {r["by"] for r in delivered}
                   | {r[k] for r in delivered for k in ("service", "status") if r[k]})
    merged: dict[tuple[str, str], Row] = {}
    for r in rows:
        kind = "MASH" if r["type"] == CSKG + "MultiAgencySafeguardingHub" else "member"
        row = merged.setdefault((r["org"], "member"), Row(names.get(r["org"], curie(r["org"])), r["org"], kind))
        span = _span(r["from"], r["to"])
        if span and span not in row.detail:
            row.detail = f"{row.detail}, {span}" if row.detail else span
        number = cite.cite(r["g"])
        if number not in row.sources:
            row.sources.append(number)
    for r in delivered:
        what = names.get(r["service"], "services") if r["service"] else "services"
        text = f"{what} delivered by {names.get(r['by'], curie(r['by']))}"
        row = merged.setdefault((r["by"], text), Row(text, r["by"], ""))
        detail = ", ".join(x for x in (names.get(r["status"], "") if r["status"] else "", _span(r["from"], r["to"])) if x)
        if detail and detail not in row.detail:
            row.detail = f"{row.detail}, {detail}" if row.detail else detail
        number = cite.cite(r["g"])
        if number not in row.sources:
            row.sources.append(number)
    profile.partnerships = sorted(merged.values(), key=lambda r: r.text)


def _neighbours(store: GraphStore, profile: CouncilProfile, cite: _Sources) -> None:
    from cskg.query import Catalogue, run

    catalogue = Catalogue(store.project.queries_dir)
    if "statistical-neighbours" not in catalogue.names():
        return
    result = run(store, catalogue.get("statistical-neighbours"), {"council": profile.iri})
    graphs = _rows(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?council cskg:statisticalNeighbour ?n } }",
                   profile.iri)
    numbers = sorted(cite.cite(r["g"]) for r in graphs)
    columns = result.columns
    for values in result.rows:
        row = {c: (v.value if v is not None else "") for c, v in zip(columns, values, strict=True)}
        grade = row.get("gradeLabel") or "no grade in the graph"
        when = f" ({row['date']})" if row.get("date") else ""
        profile.neighbours.append(Row(f"{row['rank']}. {row['neighbourLabel']}", row["neighbour"],
                                      f"{grade}{when}", numbers))


# --- the terminal view -------------------------------------------------------------------------


def runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive source numbers as (first, last) runs: [3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _cited(numbers: list[int]) -> str:
    if not numbers:
        return ""
    parts = [f"{a}" if a == b else f"{a}, {b}" if b == a + 1 else f"{a}-{b}" for a, b in runs(numbers)]
    return " [" + ", ".join(parts) + "]"


def render_profile(profile: CouncilProfile) -> str:
    """The profile as text, every fact followed by the numbers of its sources."""
    out = [f"{profile.label}  <{profile.iri}>", ""]
    for name, value in profile.identity:
        out.append(f"  {name}: {value.text}{_cited(value.sources)}")
    out += ["", f"Current grade: {profile.current or 'no graded inspection in the graph'}"]
    if profile.unknown_since:
        out.append(f"  since then the graph holds, with no grade known: {profile.unknown_since}")
    out.append("")
    out.append("Timeline (inspections, visits and grades, from every source and snapshot)")
    if not profile.events:
        out.append("  none in the graph")
    for event in profile.events:
        out.append(f"  {event.key or 'undated':<10}  {event.label} ({event.kind}){_cited(event.sources)}")
        for name, value in event.dates + event.details:
            out.append(f"              {name}: {value.text}{_cited(value.sources)}")
        for area, value in event.grades:
            out.append(f"              {area}: {value.text}{_cited(value.sources)}")
        if event.snapshots:
            out.append(f"              {event.snapshots}{_cited(event.snapshot_sources)}")
    out += ["", f"Latest findings ({len(profile.findings)} of {profile.findings_total})"]
    if not profile.findings:
        out.append("  none in the graph")
    for f in profile.findings:
        words = f"\u201c{f.words}\u201d" if f.quoted else f.words
        tags = ", ".join(x for x in [f.kind, *f.themes] if x)
        out.append(f"  {f.key or 'undated'}  {words}{_cited(f.sources)}")
        if tags:
            out.append(f"              {tags}")
    for title, rows in (("People in post", profile.people),
                        ("Partnerships and shared services", profile.partnerships),
                        ("Statistical neighbours and their latest grades", profile.neighbours)):
        out += ["", title]
        if not rows:
            out.append("  none in the graph")
        for row in rows:
            detail = f" ({row.detail})" if row.detail else ""
            out.append(f"  {row.text}{detail}{_cited(row.sources)}")
    out += ["", "Sources"]
    for s in profile.sources:
        bits = ", ".join(x for x in (s.kind, s.publisher, s.issued) if x)
        out.append(f"  [{s.number}] {s.label}" + (f" ({bits})" if bits else ""))
        if s.url:
            out.append(f"      {s.url}")
    return "\n".join(out) + "\n"
