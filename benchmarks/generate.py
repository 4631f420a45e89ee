#!/usr/bin/env python3
"""Deterministic synthetic cskg projects for benchmarks.

    python benchmarks/generate.py --triples 100000 --seed 1 --out DIR

writes a complete cskg project in DIR: copies of ontology/, shapes/ and
queries/ from this repository, and graphs/ with generated source graphs in the
project's own ontology that pass the shapes (``cskg validate`` conforms;
warnings allowed). Nothing here uses rdflib or cskg: the TriG is written as
text, one N-Triples-like statement a line inside one named graph a file, so
1M triples take seconds.

What is generated (docs/model.md is the contract):

* ``graphs/synthetic-la-lookup.trig`` - the reference graph: the nine English
  regions, and every synthetic council (IRI ``cskgid:council/E0{6,8,9}{6
  digits}``, never a real code: the digits start at 100000) with its label,
  other names, GSS code, DfE code, Ofsted URN, region, authority type, web
  address and statistical geography; also Ofsted, the publisher, journalists
  and political parties the other graphs point at.
* one graph per council and year (2010-2024), derived from a synthetic
  "year in review" news article: the council's full inspections (framework,
  judgements per area with grades, findings with quotes, excerpts, themes and
  service areas), monitoring visits after an inadequate overall judgement
  (``cskg:followsJudgement``, ordinals rising with their dates, some dated
  only to the month with the inference reified), focused visits and joint
  targeted area inspections, appointments of the director of children's
  services and the lead member (person, post, post holding, interval; the
  predecessor's interval gets its end in the same graph), political control,
  and a children's services trust for some councils judged inadequate twice.
* one graph per block of four councils: a partnership of two or three of
  them (memberships with intervals, shared services with intervals) and a
  multi-agency safeguarding hub under it with police and health members.

The content of council ``i`` depends only on ``--seed`` and ``i``, so a
smaller project is a prefix of a larger one. Councils are added until the
triple count reaches ``--triples``; the real count (statements per named
graph, summed over files, as ``cskg build`` counts them) is printed and saved
in ``DIR/generated.json`` together with what the benchmarks need (councils
whose latest inspection was inadequate, with their last visit).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from calendar import month_name
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COPIED = ("ontology", "shapes", "queries")
YEARS = range(2010, 2025)
GENERATED_AT = '"2026-11-22T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>'

# --- terms --------------------------------------------------------------------

CSKG = "https://w3id.org/cskg/def#"
ID = "https://w3id.org/cskg/id/"
GRAPH = "https://w3id.org/cskg/graph/"
VOCAB = "https://w3id.org/cskg/vocab/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
TIME = "http://www.w3.org/2006/time#"
SDO = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def _i(iri: str) -> str:
    return f"<{iri}>"


A = _i(RDF + "type")
LABEL = _i(RDFS + "label")
ALT = _i(SKOS + "altLabel")


def c(name: str) -> str:
    """A cskg: term."""
    return _i(CSKG + name)


def ns(base: str, name: str) -> str:
    return _i(base + name)


def ident(path: str) -> str:
    """An entity: cskgid:{path}."""
    return _i(ID + path)


def concept(scheme: str, slug: str) -> str:
    return _i(f"{VOCAB}{scheme}/{slug}")


def text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def day(d: date) -> str:
    return typed(d.isoformat(), "date")


def month(d: date) -> str:
    return typed(d.strftime("%Y-%m"), "gYearMonth")


def year_lit(y: int) -> str:
    return typed(str(y), "gYear")


def spoken(d: date) -> str:
    return f"{d.day} {month_name[d.month]} {d.year}"


def slug(value: str) -> str:
    out, dash = [], False
    for ch in value.lower().replace("&", "and"):
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


# --- vocabulary the generator draws on -------------------------------------------

REGIONS = {
    "E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands", "E12000005": "West Midlands", "E12000006": "East of England",
    "E12000007": "London", "E12000008": "South East", "E12000009": "South West",
}
NON_LONDON = [r for r in REGIONS if r != "E12000007"]
KINDS_OF_COUNCIL = [  # GSS prefix, authority type, alternative name
    ("E06", "unitary-authority", "{} Council"),
    ("E08", "metropolitan-district", "Metropolitan Borough of {}"),
    ("E09", "london-borough", "London Borough of {}"),
]
NAME_START = ["Ash", "Brack", "Cold", "Dun", "East", "Fair", "Glen", "Hart", "Ivy", "King",
              "Lang", "Mill", "North", "Oak", "Pen", "Queen", "Red", "South", "Thorn", "Up",
              "Wal", "West", "Whit", "York", "Bram", "Chell", "Dart", "Elm", "Fern", "Gold"]
NAME_END = ["bury", "field", "ford", "ham", "ley", "mouth", "ton", "wick", "worth", "stow",
            "minster", "borough", "cester", "dale", "port", "moor", "wood", "bridge", "combe", "gate"]
NAME_AREA = ["", " Vale", " Heath", " Downs", " Forest", " Marsh", " Cross", " Green", " Hills",
             " Water", " Fields", " Weald", " Coast", " Valley", " Moors", " Wolds"]
FIRST = ["Alex", "Amira", "Ben", "Bridget", "Callum", "Chloe", "Daniel", "Deborah", "Edward",
         "Ellen", "Farid", "Fiona", "George", "Grace", "Harun", "Helen", "Ian", "Imogen", "Jack",
         "Jasmine", "Kevin", "Kirsty", "Liam", "Lucy", "Mark", "Mei", "Nathan", "Nadia", "Oliver",
         "Olivia", "Paul", "Priya", "Quentin", "Rachel", "Rahul", "Rosa", "Simon", "Sarah", "Tom",
         "Tanya", "Umar", "Ursula", "Victor", "Vanessa", "William", "Wendy", "Xavier", "Yasmin",
         "Yusuf", "Zoe", "Aidan", "Bethan", "Conor", "Dilys", "Ewan", "Fatima", "Gareth",
         "Hannah", "Idris", "Joanna"]
SURNAME = ["Adams", "Bailey", "Carter", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal",
           "Jones", "Khan", "Lewis", "Morgan", "Nash", "Owen", "Patel", "Quinn", "Roberts", "Shah",
           "Turner", "Underwood", "Vaughan", "Walker", "Young", "Ahmed", "Brooks", "Clarke",
           "Dixon", "Ellis", "Foster", "Gill", "Harris", "Ingram", "Jackson", "Kaur", "Lloyd",
           "Mills", "Norris", "Osborne", "Price", "Reid", "Singh", "Taylor", "Upton", "Vincent",
           "Wilson", "Yates", "Atkinson", "Barker", "Cole", "Doyle", "Edwards", "Fox", "Gray",
           "Hall", "Irving", "James", "Kelly", "Lambert", "Marsh", "Nolan", "O'Brien", "Parker",
           "Rees", "Stevens", "Thomas", "Usher", "Wood", "Begum", "Chowdhury", "Dunn", "Field",
           "Grant", "Hart", "Jennings", "Knight", "Lowe", "Moss", "Newman", "Pearce"]
PARTIES = ["Labour Party", "Conservative Party", "Liberal Democrats", "Green Party"]
JOURNALISTS = 40
PUBLISHER = "childrens-services-weekly"
THEMES = {
    "domestic-abuse": "the response to domestic abuse",
    "early-help": "early help for families",
    "quality-of-referrals": "the quality of referrals from partner agencies",
    "caseloads": "social workers' caseloads",
    "voice-of-the-child": "how children's wishes and feelings are recorded and acted on",
    "neglect": "the response to chronic neglect",
    "assessments": "the quality of assessments",
    "workforce-stability": "the stability of the social work workforce",
    "thresholds": "the application of thresholds at the front door",
    "leadership": "the grip of senior leaders",
    "multi-agency-working": "joint work with police and health partners",
    "child-exploitation": "the response to children at risk of exploitation",
    "missing-children": "return home interviews for children who go missing",
    "disabled-children": "support for disabled children",
    "transition-to-adulthood": "preparation of young people for adulthood",
    "placement-stability": "the stability of children's placements",
    "quality-of-practice": "the quality of direct work with children",
    "case-recording": "case recording",
    "corporate-parenting": "the corporate parenting board's challenge",
    "management-oversight": "management oversight of casework",
    "delay": "delay in permanence planning",
}
THEME_SLUGS = sorted(THEMES)
SERVICES = ["front-door", "help-and-protection", "children-in-care", "care-leavers",
            "early-help", "adoption-and-fostering", "disabled-children"]
SERVICE_TEXT = {
    "front-door": "the front door and the multi-agency safeguarding hub",
    "help-and-protection": "help and protection services",
    "children-in-care": "services for children in care",
    "care-leavers": "services for care leavers",
    "early-help": "early help services",
    "adoption-and-fostering": "adoption and fostering",
    "disabled-children": "services for disabled children",
}
GOOD = ["is consistently strong", "has improved markedly since the last inspection",
        "is well embedded across teams", "is a clear strength of the service"]
WEAK = ["is not yet consistently good", "remains variable across teams",
        "is too slow to improve", "is not strong enough to ensure that children are safe"]
AREA_TEXT = {
    "overall-effectiveness": "overall effectiveness",
    "impact-of-leaders": "the impact of leaders",
    "help-and-protection": "help and protection",
    "children-in-care-and-care-leavers": "children in care and care leavers",
    "children-in-care": "children in care",
    "care-leavers": "care leavers",
    "leadership-management-and-governance": "leadership, management and governance",
    "children-looked-after-and-achieving-permanence": "children looked after and achieving permanence",
    "adoption-performance": "adoption performance",
}
GRADES = ["outstanding", "good", "requires-improvement", "inadequate"]
GRADE_TEXT = {"outstanding": "outstanding", "good": "good",
              "requires-improvement": "requires improvement", "inadequate": "inadequate"}
ROLES = [  # role slug, display, titles in sources
    ("director-of-childrens-services", "director of children's services",
     ["director of children's services", "director of children's services",
      "executive director of children's services", "corporate director, children and families"]),
    ("lead-member-for-childrens-services", "lead member for children's services",
     ["lead member for children's services", "cabinet member for children and families",
      "portfolio holder for children and young people"]),
]


def framework_of(d: date) -> tuple[str, list[str]]:
    """The inspection framework in force on a date and the areas it judges."""
    if d < date(2013, 11, 1):
        return "slac", ["overall-effectiveness", "children-in-care"]
    if d < date(2018, 1, 1):
        return "sif", ["overall-effectiveness", "help-and-protection",
                       "children-looked-after-and-achieving-permanence", "adoption-performance",
                       "leadership-management-and-governance"]
    if d < date(2023, 1, 1):
        return "ilacs", ["overall-effectiveness", "impact-of-leaders", "help-and-protection",
                         "children-in-care-and-care-leavers"]
    return "ilacs", ["overall-effectiveness", "impact-of-leaders", "help-and-protection",
                     "children-in-care", "care-leavers"]


def council_name(i: int) -> str:
    start, rest = NAME_START[i % len(NAME_START)], i // len(NAME_START)
    end, rest = NAME_END[rest % len(NAME_END)], rest // len(NAME_END)
    area, rest = NAME_AREA[rest % len(NAME_AREA)], rest // len(NAME_AREA)
    return f"{start}{end}{area}" + (f" {rest + 1}" if rest else "")


def person_name(k: int) -> str:
    """A name unique to ``k`` (so people never merge across councils by accident)."""
    first, k = FIRST[k % len(FIRST)], k // len(FIRST)
    initial, k = chr(65 + k % 26), k // 26
    surname, k = SURNAME[k % len(SURNAME)], k // len(SURNAME)
    if k:
        surname = f"{SURNAME[(k - 1) % len(SURNAME)]}-{surname}" + (
            f" {(k - 1) // len(SURNAME) + 2}" if k > len(SURNAME) else "")
    return f"{first} {initial}. {surname}"


def journalist(n: int) -> tuple[str, str]:
    name = f"{FIRST[(n * 7) % len(FIRST)]} {SURNAME[(n * 11 + 3) % len(SURNAME)]}"
    return ident("person/" + slug(name)), name


# --- one named graph ------------------------------------------------------------


class Graph:
    """The statements of one named graph, written as TriG text."""

    def __init__(self, slug_: str) -> None:
        self.slug = slug_
        self.iri = _i(GRAPH + slug_)
        self.lines: list[str] = []

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def entity(self, s: str, *pairs: tuple[str, str]) -> None:
        for p, o in pairs:
            self.lines.append(f"{s} {p} {o} .\n")

    def describe(self, source: str, title: str) -> None:
        """The graph describes itself, as every source graph does."""
        curation = _i(f"{GRAPH}{self.slug}/curation")
        self.entity(self.iri, (A, c("SourceGraph")), (ns(PROV, "wasDerivedFrom"), source),
                    (ns(PROV, "generatedAtTime"), GENERATED_AT),
                    (ns(PROV, "wasGeneratedBy"), curation),
                    (LABEL, text(f"Synthetic facts from '{title}'")))
        self.entity(curation, (A, ns(PROV, "Activity")),
                    (LABEL, text(f"Synthetic generation of '{title}' (cskg benchmarks)")),
                    (ns(PROV, "used"), source))

    def write(self, folder: Path) -> int:
        """Write ``graphs/{slug}.trig``; return its number of distinct statements."""
        lines = list(dict.fromkeys(self.lines))
        with (folder / f"{self.slug}.trig").open("w", encoding="utf-8") as handle:
            handle.write(f"# Synthetic source graph written by benchmarks/generate.py.\n{self.iri} {{\n")
            handle.writelines(lines)
            handle.write("}\n")
        return len(lines)


# --- the history of one council ----------------------------------------------------


class Council:
    def __init__(self, i: int, seed: int, years: range = YEARS) -> None:
        self.i = i
        self.years = years
        self.rng = random.Random(f"cskg-bench:{seed}:council:{i}")
        prefix, self.authority, alt = KINDS_OF_COUNCIL[i % 3]
        self.gss = f"{prefix}{100000 + i:06d}"
        self.name = council_name(i)
        self.alt = alt.format(self.name)
        self.iri = ident(f"council/{self.gss}")
        self.region = "E12000007" if prefix == "E09" else self.rng.choice(NON_LONDON)
        self.slug = slug(self.name)
        self.latest: dict[str, object] | None = None  # for the benchmarks: last inspection if inadequate


def plan(council: Council, force_inadequate_last: bool) -> dict[int, list[tuple]]:
    """Every event of a council's history, grouped by the year of the graph that reports it."""
    rng, years = council.rng, council.years
    by_year: dict[int, list[tuple]] = {y: [] for y in years}
    # Full inspections every two to four years; grades; monitoring visits between an
    # inadequate judgement and the next inspection.
    dates, d = [], date(years[0], rng.randint(2, 11), rng.randint(1, 20))
    while d.year in years:
        dates.append(d)
        d = date(d.year + rng.choice([2, 3, 3, 4]), rng.randint(1, 10), rng.randint(1, 20))
    grades = []
    for n, _ in enumerate(dates):
        after_inadequate = bool(grades) and grades[-1] == "inadequate"
        weights = [2, 28, 55, 15] if after_inadequate else [6, 42, 38, 14]
        grades.append(rng.choices(GRADES, weights)[0])
    if force_inadequate_last:
        grades[-1] = "inadequate"
    inadequate_count = 0
    for n, (when, grade) in enumerate(zip(dates, grades)):
        by_year[when.year].append(("inspection", when, grade))
        if grade != "inadequate":
            continue
        inadequate_count += 1
        if inadequate_count == 2 and rng.random() < 0.6:
            by_year[when.year].append(("trust", when + timedelta(days=120)))
        until = dates[n + 1] if n + 1 < len(dates) else date(years[-1], 12, 31)
        visit, ordinal, visits = when + timedelta(days=rng.randint(100, 150)), 0, []
        while visit < until - timedelta(days=30):
            ordinal += 1
            visits.append(visit)
            visit += timedelta(days=rng.randint(95, 150))
        for k, v in enumerate(visits, 1):
            final = n + 1 < len(dates) and k == len(visits)
            by_year[v.year].append(("visit", v, when, k, final, rng.random() < 0.2))
        if n + 1 == len(dates):
            council.latest = {
                "council": council.iri.strip("<>"), "gss": council.gss, "name": council.name,
                "judgement": f"{ID}event/{council.gss}/inspection/{when.isoformat()}/judgement/overall-effectiveness",
                "inspection_date": when.isoformat(), "last_ordinal": len(visits),
                "last_visit": visits[-1].isoformat() if visits else None,
            }
    # Focused visits and joint targeted area inspections in some other years.
    for y in years:
        if not any(e[0] == "inspection" for e in by_year[y]) and rng.random() < 0.25:
            kind = "focused-visit" if y in (2020, 2021) or rng.random() < 0.5 else "jtai"
            by_year[y].append((kind, date(y, rng.randint(1, 10), rng.randint(1, 28))))
    # Appointments: a director and a lead member, changing every two to five years.
    for r, _ in enumerate(ROLES):
        start, seq = date(years[0] - 1, rng.randint(1, 12), 1), 0
        previous = None
        while True:
            reported = max(start.year, years[0])
            if reported not in years:
                break
            by_year[reported].append(("appointment", r, seq, start, previous))
            previous = (seq, start)
            seq += 1
            start = date(start.year + rng.randint(2, 5), rng.randint(1, 12), 1)
    return by_year


def council_graphs(council: Council, force_inadequate_last: bool) -> list[Graph]:
    rng = council.rng
    graphs = []
    party = rng.randrange(len(PARTIES))
    for y, events in plan(council, force_inadequate_last).items():
        issued = date(y + 1, 3, 31)
        title = f"{council.name} children's services: {y} in review"
        g = Graph(f"{issued.isoformat()}-{council.slug}-childrens-services-{y}-in-review")
        source = ident(f"source/{g.slug}")
        g.describe(source, title)
        author, _ = journalist(rng.randrange(JOURNALISTS))
        g.entity(source, (A, c("NewsArticle")), (LABEL, text(title)), (ns(DCT, "title"), text(title)),
                 (ns(DCT, "creator"), author), (ns(DCT, "publisher"), ident(f"org/{PUBLISHER}")),
                 (ns(DCT, "issued"), day(issued)),
                 (ns(DCT, "identifier"), text(f"synthetic:{g.slug}")),
                 (ns(SDO, "url"), text(f"https://example.org/synthetic/{g.slug}")))
        g.entity(council.iri, (A, c("Council")), (ALT, text(council.name)))
        if rng.random() < 0.1:
            party = rng.randrange(len(PARTIES))
        control = ident(f"council/{council.gss}/control/{issued.isoformat()}/{g.slug}")
        g.entity(control, (A, c("PoliticalControl")), (c("controlledCouncil"), council.iri),
                 (c("controllingParty"), ident("org/" + slug(PARTIES[party]))),
                 (c("attestedOn"), day(issued)),
                 (LABEL, text(f"{PARTIES[party].replace(' Party', '')} control of {council.name} ({y})")))
        inferred = 0
        for event in sorted(events, key=lambda e: (e[0], str(e[1]))):
            kind = event[0]
            if kind == "inspection":
                inspection(g, council, event[1], event[2])
            elif kind == "visit":
                inferred += visit(g, council, *event[1:], inferred)
            elif kind in ("focused-visit", "jtai"):
                other_visit(g, council, kind, event[1])
            elif kind == "appointment":
                appointment(g, council, *event[1:], issued)
            elif kind == "trust":
                trust(g, council, event[1], issued)
        graphs.append(g)
    return graphs


def findings(g: Graph, council: Council, event: str, prefix: str, count: int, weak: bool) -> None:
    rng = council.rng
    for n in range(1, count + 1):
        f = _i(f"{event.strip('<>')}/finding/{g.slug}/{n}")  # each source its own
        themes = rng.sample(THEME_SLUGS, rng.choice([1, 1, 2]))
        service = rng.choice(SERVICES)
        strength = rng.random() > (0.7 if weak else 0.35)
        kind = "strength" if strength else (
            "area-for-priority-action" if weak and rng.random() < 0.4 else "area-for-improvement")
        phrase = THEMES[themes[0]]
        verdict = rng.choice(GOOD if strength else WEAK)
        g.entity(f, (A, c("Finding")), (LABEL, text(f"{prefix}: {phrase} {verdict}")),
                 (c("fromEvent"), event), (c("findingKind"), concept("kind", kind)),
                 (c("serviceArea"), concept("service", service)))
        for t in themes:
            g.add(f, ns(DCT, "subject"), concept("theme", t))
        sentence = f"{phrase[0].upper()}{phrase[1:]} {verdict} in {SERVICE_TEXT[service]}."
        quoted = rng.random() < 0.8
        if quoted:
            g.add(f, c("quote"), text(sentence))
        if not quoted or rng.random() < 0.4:  # at least one of quote and excerpt
            g.add(f, c("excerpt"), text(f"Inspectors said that in {council.name} "
                                       f"{phrase} {verdict}."))


def event_core(g: Graph, council: Council, e: str, cls: str, label: str) -> None:
    g.entity(e, (A, c(cls)), (LABEL, text(label)), (c("inspectedAuthority"), council.iri),
             (ns(PROV, "wasAssociatedWith"), ident("org/ofsted")))


def inspection(g: Graph, council: Council, when: date, grade: str) -> None:
    rng = council.rng
    e = ident(f"event/{council.gss}/inspection/{when.isoformat()}")
    framework, areas = framework_of(when)
    when_text = f"{month_name[when.month]} {when.year}"
    event_core(g, council, e, "FullInspection",
               f"{council.name} children's services inspection ({when_text}, {GRADE_TEXT[grade]})")
    end = when + timedelta(days=rng.choice([4, 11, 14]))
    g.entity(e, (c("fieldworkStart"), day(when)), (c("fieldworkEnd"), day(end)),
             (c("publicationDate"), day(end + timedelta(days=rng.randint(30, 50)))),
             (c("framework"), concept("framework", framework)))
    if framework == "ilacs":
        g.add(e, c("inspectionFormat"), concept("format", "short" if grade in ("good", "outstanding")
                                                 and rng.random() < 0.5 else "standard"))
    worst = GRADES.index(grade)
    for area in areas:
        area_grade = grade if area == "overall-effectiveness" else GRADES[
            max(0, worst - rng.choice([0, 0, 1]))]
        j = _i(f"{e.strip('<>')}/judgement/{area}")
        g.entity(j, (A, c("Judgement")),
                 (LABEL, text(f"{council.name}, {when_text}: {AREA_TEXT[area]} {GRADE_TEXT[area_grade]}")),
                 (c("ofEvent"), e), (c("judgementArea"), concept("area", area)),
                 (c("grade"), concept("grade", area_grade)))
    findings(g, council, e, f"{council.name} inspection {when_text}", rng.randint(4, 7),
             grade in ("inadequate", "requires-improvement"))


def visit(g: Graph, council: Council, when: date, judged: date, ordinal: int, final: bool,
          month_only: bool, inferred: int) -> int:
    """A monitoring visit; returns the number of inferred statements it added (0 or 1)."""
    rng = council.rng
    key = when.strftime("%Y-%m") if month_only else when.isoformat()
    e = ident(f"event/{council.gss}/monitoring-visit/{key}")
    service = rng.choice(SERVICES[:5])
    event_core(g, council, e, "MonitoringVisit",
               f"{council.name} monitoring visit {ordinal} ({month_name[when.month]} {when.year}, "
               f"{SERVICE_TEXT[service]})")
    judgement = ident(f"event/{council.gss}/inspection/{judged.isoformat()}/judgement/overall-effectiveness")
    start = month(when) if month_only else day(when)
    g.entity(e, (c("fieldworkStart"), start),
             (c("visitOrdinal"), typed(str(ordinal), "positiveInteger")),
             (c("focus"), concept("service", service)), (c("focusText"), text(SERVICE_TEXT[service])),
             (c("followsJudgement"), judgement))
    if not month_only:
        g.entity(e, (c("fieldworkEnd"), day(when + timedelta(days=1))),
                 (c("publicationDate"), day(when + timedelta(days=rng.randint(20, 35)))))
    if final:
        g.add(e, c("finalVisit"), typed("true", "boolean"))
    findings(g, council, e, f"{council.name} monitoring visit {ordinal}", rng.randint(2, 4), True)
    if not month_only:
        return 0
    mark = _i(f"{GRAPH}{g.slug}/inferred/{inferred + 1}")
    g.entity(mark, (A, c("InferredStatement")), (ns(RDF, "subject"), e),
             (ns(RDF, "predicate"), c("fieldworkStart")), (ns(RDF, "object"), start),
             (c("inferenceNote"), text(f"Year inferred from the review's date; it says the visit "
                                       f"was 'in {month_name[when.month]}'.")))
    return 1


def other_visit(g: Graph, council: Council, kind: str, when: date) -> None:
    rng = council.rng
    e = ident(f"event/{council.gss}/{kind}/{when.isoformat()}")
    service = rng.choice(SERVICES)
    name = "focused visit" if kind == "focused-visit" else "joint targeted area inspection"
    event_core(g, council, e, "FocusedVisit" if kind == "focused-visit" else "JointTargetedAreaInspection",
               f"{council.name} {name} ({month_name[when.month]} {when.year})")
    g.entity(e, (c("fieldworkStart"), day(when)),
             (c("publicationDate"), day(when + timedelta(days=rng.randint(25, 40)))),
             (c("focus"), concept("service", service)), (c("focusText"), text(SERVICE_TEXT[service])))
    findings(g, council, e, f"{council.name} {name} {when.year}", rng.randint(2, 3), False)


def appointment(g: Graph, council: Council, r: int, seq: int, start: date,
                previous: tuple[int, date] | None, issued: date) -> None:
    rng = council.rng
    role, display, titles = ROLES[r]
    name = person_name(council.i * 40 + r * 20 + seq)
    person = ident("person/" + slug(name))
    post_path = f"council/{council.gss}/post/{role}"
    post = ident(post_path)
    holding_path = f"{post_path}/{slug(name)}"
    holding = ident(holding_path)
    interim = rng.random() < 0.2
    title = ("interim " if interim and r == 0 else "") + rng.choice(titles)
    g.entity(person, (A, ns(SDO, "Person")), (LABEL, text(name)))
    g.entity(post, (A, ns(ORG, "Post")), (LABEL, text(f"{display[0].upper()}{display[1:]}, {council.name}")),
             (ns(ORG, "postIn"), council.iri), (ns(ORG, "role"), concept("role", role)))
    during = ident(holding_path + "/during")
    begin = ident(holding_path + "/during/start")
    g.entity(holding, (A, c("PostHolding")), (LABEL, text(f"{name}, {title}, {council.name}")),
             (ns(ORG, "member"), person), (ns(ORG, "organization"), council.iri),
             (ns(ORG, "role"), concept("role", role)), (c("post"), post),
             (c("titleInSource"), text(title)), (c("attestedOn"), day(issued)),
             (ns(ORG, "memberDuring"), during))
    if interim and r == 0:
        g.add(holding, c("tenure"), concept("tenure", "interim"))
    g.entity(during, (A, ns(TIME, "Interval")), (LABEL, text(f"{name}'s time as {title}, {council.name}")),
             (ns(TIME, "hasBeginning"), begin))
    exact = start.year >= council.years[0]
    g.entity(begin, (A, ns(TIME, "Instant")), (LABEL, text(f"{name} took up the post")),
             (ns(TIME, "inXSDgYearMonth"), month(start)) if exact else
             (ns(TIME, "inXSDgYear"), year_lit(start.year)))
    if previous is not None:
        old = person_name(council.i * 40 + r * 20 + previous[0])
        old_during = f"{post_path}/{slug(old)}/during"
        end = ident(old_during + "/end")
        g.add(ident(old_during), ns(TIME, "hasEnd"), end)
        g.entity(end, (A, ns(TIME, "Instant")), (LABEL, text(f"{old} left the post")),
                 (ns(TIME, "inXSDgYearMonth"), month(start)))


def trust(g: Graph, council: Council, when: date, issued: date) -> None:
    org = ident(f"org/{council.slug}-childrens-services-trust")
    path = f"council/{council.gss}/delivery/childrens-services/{g.slug}"
    arrangement = ident(path)
    during = ident(path + "/during")
    begin = ident(path + "/during/start")
    g.entity(org, (A, c("ChildrensServicesTrust")), (LABEL, text(f"{council.name} Children's Services Trust")))
    g.entity(arrangement, (A, c("DeliveryArrangement")),
             (LABEL, text(f"{council.name}'s children's services run by a trust")),
             (c("deliveredFor"), council.iri), (c("deliveredBy"), org),
             (c("service"), concept("service", "childrens-services")),
             (c("status"), concept("status", "active" if when < issued else "being-established")),
             (c("activeDuring"), during), (c("attestedOn"), day(issued)))
    g.entity(during, (A, ns(TIME, "Interval")), (ns(TIME, "hasBeginning"), begin))
    g.entity(begin, (A, ns(TIME, "Instant")), (ns(TIME, "inXSDgYearMonth"), month(when)))


# --- partnerships of councils ------------------------------------------------------


def partnership_graph(block: int, members: list[Council], seed: int) -> Graph:
    rng = random.Random(f"cskg-bench:{seed}:partnership:{block}")
    members = members[: rng.choice([2, 3])]
    names = [m.name for m in members]
    joined = " and ".join(names) if len(names) == 2 else f"{names[0]}, {names[1]} and {names[2]}"
    label = f"{'Bi' if len(members) == 2 else 'Tri'}-borough partnership of {joined}"
    p_slug = slug(f"{'-'.join(names)} partnership")
    p = ident(f"partnership/{p_slug}")
    start = date(rng.randint(2010, 2016), rng.randint(1, 12), 1)
    issued = start + timedelta(days=rng.randint(10, 60))
    title = f"{joined} agree to share children's services"
    g = Graph(f"{issued.isoformat()}-{slug(title)}")
    source = ident(f"source/{g.slug}")
    g.describe(source, title)
    author, _ = journalist(rng.randrange(JOURNALISTS))
    g.entity(source, (A, c("NewsArticle")), (LABEL, text(title)), (ns(DCT, "title"), text(title)),
             (ns(DCT, "creator"), author), (ns(DCT, "publisher"), ident(f"org/{PUBLISHER}")),
             (ns(DCT, "issued"), day(issued)), (ns(DCT, "identifier"), text(f"synthetic:{g.slug}")))
    g.entity(p, (A, c("Partnership")), (LABEL, text(label)), (ALT, text(f"{names[0]}-led partnership")))

    def interval(path: str, begin: date, end: date | None, what: str) -> str:
        during = ident(path + "/during")
        g.entity(during, (A, ns(TIME, "Interval")), (LABEL, text(what)),
                 (ns(TIME, "hasBeginning"), ident(path + "/during/start")))
        g.entity(ident(path + "/during/start"), (A, ns(TIME, "Instant")),
                 (ns(TIME, "inXSDgYear"), year_lit(begin.year)))
        if end is not None:
            g.add(during, ns(TIME, "hasEnd"), ident(path + "/during/end"))
            g.entity(ident(path + "/during/end"), (A, ns(TIME, "Instant")),
                     (ns(TIME, "inXSDgYear"), year_lit(end.year)))
        return during

    def member(of: str, of_path: str, who: str, key: str, name: str, of_name: str) -> None:
        path = f"{of_path}/member/{key}/{g.slug}"
        m = ident(path)
        g.entity(m, (A, ns(ORG, "Membership")), (LABEL, text(f"{name} in the {of_name}")),
                 (ns(ORG, "organization"), of), (ns(ORG, "member"), who),
                 (ns(ORG, "memberDuring"), interval(path, start, None, f"From {start.year} ({name})")))

    for m in members:
        g.entity(m.iri, (A, c("Council")), (ALT, text(m.name)))
        member(p, f"partnership/{p_slug}", m.iri, m.gss, m.name, "partnership")
    ended = date(start.year + rng.randint(3, 8), 1, 1)
    for service in rng.sample(["childrens-services", "adult-social-care", "public-health",
                               "back-office-functions", "specialist-services"], 3):
        path = f"partnership/{p_slug}/shares/{service}/{g.slug}"
        s = ident(path)
        g.entity(s, (A, c("SharedService")), (LABEL, text(f"Shared {service.replace('-', ' ')}")),
                 (c("sharedBy"), p), (c("service"), concept("service", service)),
                 (c("activeDuring"), interval(path, start, ended if rng.random() < 0.4 else None,
                                              f"Sharing of {service.replace('-', ' ')}")))
    mash_path = f"partnership/{p_slug}-mash"
    mash = ident(mash_path)
    g.entity(mash, (A, c("MultiAgencySafeguardingHub")), (LABEL, text(f"{names[0]} and partners MASH")),
             (ns(ORG, "subOrganizationOf"), p))
    for m in members:
        member(mash, mash_path, m.iri, m.gss, m.name, "MASH")
    for sector, what in (("police", "Police"), ("health", "Integrated Care Board")):
        org_slug = slug(f"{names[0]} {what}")
        org = ident(f"org/{org_slug}")
        g.entity(org, (A, ns(ORG, "Organization")), (LABEL, text(f"{names[0]} {what}")),
                 (c("sector"), concept("sector", sector)))
        member(mash, mash_path, org, org_slug, f"{names[0]} {what}", "MASH")
    g.add(ident(f"partnership/{p_slug}/shares/mash"), A, c("SharedService"))
    g.entity(ident(f"partnership/{p_slug}/shares/mash"), (LABEL, text("Shared MASH")),
             (c("sharedBy"), p), (c("service"), concept("service", "mash")))
    return g


# --- the reference graph ---------------------------------------------------------


def reference_graph(councils: list[Council]) -> Graph:
    g = Graph("synthetic-la-lookup")
    source = ident("source/synthetic-la-lookup")
    title = "Synthetic local authority lookup (cskg benchmarks)"
    g.describe(source, title)
    maker = ident("org/cskg-benchmarks")
    g.entity(source, (A, c("Dataset")), (LABEL, text(title)), (ns(DCT, "title"), text(title)),
             (ns(DCT, "publisher"), maker), (ns(DCT, "identifier"), text("synthetic-la-lookup")))
    g.entity(maker, (A, ns(ORG, "FormalOrganization")), (LABEL, text("cskg benchmark generator")))
    g.entity(ident("org/ofsted"), (A, c("Inspectorate")), (LABEL, text("Ofsted")))
    g.entity(ident(f"org/{PUBLISHER}"), (A, c("NewsPublisher")),
             (LABEL, text("Children's Services Weekly (synthetic)")))
    for party in PARTIES:
        g.entity(ident("org/" + slug(party)), (A, c("PoliticalParty")), (LABEL, text(party)))
    for n in range(JOURNALISTS):
        person, name = journalist(n)
        g.entity(person, (A, ns(SDO, "Person")), (LABEL, text(name)))
    used = {m.region for m in councils}
    for code in sorted(used):
        g.entity(ident(f"region/{code}"), (A, c("Region")), (LABEL, text(REGIONS[code])),
                 (c("gssCode"), text(code)))
    for m in councils:
        g.entity(m.iri, (A, c("Council")), (LABEL, text(m.name)), (ALT, text(m.alt)),
                 (c("gssCode"), text(m.gss)), (c("dfeLaCode"), text(f"{300 + m.i % 700:03d}")),
                 (c("ofstedUrn"), text(str(2600000 + m.i))), (c("region"), ident(f"region/{m.region}")),
                 (c("authorityType"), concept("authority", m.authority)),
                 (ns(SDO, "url"), typed(f"https://{m.slug}.gov.uk/", "anyURI")),
                 (c("statisticalGeography"),
                  _i(f"http://statistics.data.gov.uk/id/statistical-geography/{m.gss}")))
    return g


# --- the project ----------------------------------------------------------------------

REFERENCE_PER_COUNCIL = 11
PARTNERSHIP_BLOCK = 4


def generate(target: int, seed: int, out: Path, repo: Path = REPO,
             years: range = YEARS) -> dict[str, object]:
    """Write a project of about ``target`` triples to ``out``; return what was written."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()) and not (out / "generated.json").exists():
        raise SystemExit(f"{out} is not empty and was not written by generate.py; not touching it")
    for part in (*COPIED, "graphs", ".cskg"):
        if (out / part).exists():
            shutil.rmtree(out / part)
    for part in COPIED:
        shutil.copytree(repo / part, out / part)
    graphs_dir = out / "graphs"
    graphs_dir.mkdir()
    councils: list[Council] = []
    triples = files = 0
    reference_estimate = 50 + 3 * 9
    while not councils or triples + reference_estimate < target:
        council = Council(len(councils), seed, years)
        for g in council_graphs(council, force_inadequate_last=council.i == 0):
            triples += g.write(graphs_dir)
            files += 1
        councils.append(council)
        reference_estimate += REFERENCE_PER_COUNCIL
        if len(councils) % PARTNERSHIP_BLOCK == 0:
            block = len(councils) // PARTNERSHIP_BLOCK - 1
            triples += partnership_graph(block, councils[-PARTNERSHIP_BLOCK:], seed).write(graphs_dir)
            files += 1
    triples += reference_graph(councils).write(graphs_dir)
    files += 1
    summary = {
        "target_triples": target, "seed": seed, "triples": triples, "files": files,
        "councils": len(councils), "years": [years[0], years[-1]],
        "partnerships": len(councils) // PARTNERSHIP_BLOCK,
        "seconds": round(time.perf_counter() - started, 2),
        "inadequate_at_end": [m.latest for m in councils if m.latest],
    }
    (out / "generated.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="target number of triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="project folder to write")
    parser.add_argument("--years", default=f"{YEARS[0]}-{YEARS[-1]}",
                        help="first-last year of each council's history (default %(default)s)")
    args = parser.parse_args(argv)
    first, _, last = args.years.partition("-")
    summary = generate(args.triples, args.seed, args.out, years=range(int(first), int(last or first) + 1))
    print(f"{summary['triples']} triples in {summary['files']} graph files "
          f"({summary['councils']} councils, {summary['partnerships']} partnerships) "
          f"-> {args.out} in {summary['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# --- the history shape: snapshot after snapshot, several sources per inspection ---------

GRADE_WORDS = ["outstanding", "good", "requires improvement", "inadequate"]
#: From April 2026 ILACS gives no overall effectiveness grade.
RENEWED_FROM = date(2026, 4, 1)


def snapshots(last: Path, count: int, out: Path, seed: int = 1, per_month: int = 3) -> list[Path]:
    """``count`` monthly ILACS overview spreadsheets after ``last`` (a real one, whose header and
    rows they copy): each lists every council's latest inspection as of the first of its month,
    so most rows restate the month before; each month ``per_month`` councils are re-inspected
    (fieldwork about six weeks before, published five days before), with no overall grade
    from April 2026 on (the renewed framework) and graded sub-judgements; a council re-inspected
    is not picked again for a year (two inspections of one council a month apart would have
    overlapping dates, which `cskg import` takes for one inspection restated, and rejects for
    the dates that disagree). Deterministic."""
    import openpyxl

    book = openpyxl.load_workbook(last, read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    header, body = [str(h) for h in rows[0]], rows[1:]
    col = {h: i for i, h in enumerate(header)}
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", last.name)
    y, m = int(found.group(1)), int(found.group(2))  # type: ignore[union-attr]
    rng = random.Random(seed)
    written = []
    last_picked: dict[int, int] = {}  # row number: the month it was re-inspected
    for month in range(count):
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        as_of = date(y, m, 1)
        free = [i for i in range(len(body)) if month - last_picked.get(i, -12) >= 12]
        for i in rng.sample(free, per_month):
            last_picked[i] = month
            row = body[i]
            start = as_of - timedelta(days=42 + rng.randrange(7))
            grade = rng.choice(GRADE_WORDS)
            row[col["inspection_start_date"]] = f"{start:%d/%m/%Y}"
            row[col["inspection_end_date"]] = f"{start + timedelta(days=11):%d/%m/%Y}"
            row[col["publication_date"]] = f"{as_of - timedelta(days=5):%d/%m/%y}"
            row[col["overall_effectiveness_grade"]] = "nan" if start >= RENEWED_FROM else grade
            row[col["inspection_link"]] = None
            for area in ("impact_of_leaders_grade", "help_and_protection_grade", "in_care_grade",
                         "care_leavers_grade"):
                row[col[area]] = rng.choice(GRADE_WORDS)
        sheet_book = openpyxl.Workbook()
        sheet = sheet_book.active
        sheet.append(header)
        for row in body:
            sheet.append(row)
        path = out / f"ilacs-overview-{as_of.isoformat()}.xlsx"
        sheet_book.save(path)
        written.append(path)
    return written


def restating_articles(graphs: Path, councils: int = 60, per_council: int = 3,
                       first: str = "ilacs-overview-2025-03-10.trig") -> list[Path]:
    """Synthetic news articles that restate what the first ILACS snapshot says of the first
    ``councils`` councils' latest inspections (the same inspection and judgement nodes, the
    same date and grade), ``per_council`` articles each: the shape of many sources describing
    one inspection."""
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(graphs / first), format=ox.RdfFormat.TRIG))
    cskg = "https://w3id.org/cskg/def#"
    listed = sorted({(q.object.value, q.subject.value) for q in quads
                     if q.predicate.value == cskg + "listedAuthority"})
    inspection = {q.subject.value: q.object.value for q in quads
                  if q.predicate.value == cskg + "listedInspection"}
    start = {q.subject.value: q.object for q in quads if q.predicate.value == cskg + "fieldworkStart"}
    grade: dict[str, str] = {}
    for q in quads:
        if q.predicate.value == cskg + "grade" and q.subject.value.endswith("/judgement/overall-effectiveness"):
            grade[q.subject.value.rsplit("/judgement/", 1)[0]] = q.object.value
    written = []
    N, L = ox.NamedNode, ox.Literal
    for council, entry in listed[:councils]:
        event = inspection[entry]
        if event not in start or not grade.get(event):
            continue
        gss = council.rsplit("/", 1)[-1]
        for k in range(per_council):
            name = f"synthetic-restatement-{gss.lower()}-{k + 1}"
            g, src = N(GRAPH + name), N(f"{ID}source/{name}")
            e, j = N(event), N(event + "/judgement/overall-effectiveness")
            title = L(f"Synthetic article {k + 1} restating the latest inspection of {gss}")
            triples = [
                (g, N(RDF + "type"), N(CSKG + "SourceGraph")), (g, N(RDFS + "label"), title),
                (g, N(PROV + "wasDerivedFrom"), src), (g, N(PROV + "wasGeneratedBy"), N(g.value + "/curation")),
                (N(g.value + "/curation"), N(RDF + "type"), N(PROV + "Activity")),
                (N(g.value + "/curation"), N(RDFS + "label"), L("Synthetic restatement")),
                (N(g.value + "/curation"), N(PROV + "used"), src),
                (src, N(RDF + "type"), N(CSKG + "NewsArticle")), (src, N(RDFS + "label"), title),
                (src, N(DCT + "title"), title),
                (e, N(RDF + "type"), N(CSKG + "FullInspection")), (e, N(CSKG + "inspectedAuthority"), N(council)),
                (e, N(CSKG + "fieldworkStart"), start[event]),
                (j, N(RDF + "type"), N(CSKG + "Judgement")), (j, N(CSKG + "ofEvent"), e),
                (j, N(CSKG + "judgementArea"), N(VOCAB + "area/overall-effectiveness")),
                (j, N(CSKG + "grade"), N(grade[event])),
            ]
            path = graphs / f"{name}.trig"
            path.write_bytes(ox.serialize([ox.Quad(*t, g) for t in triples], format=ox.RdfFormat.TRIG))
            written.append(path)
    return written
