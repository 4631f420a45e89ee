"""One thing, one node: link what a new source says to the entities the graph already holds.

Before an addition joins the graph (a fact sheet, a Turtle or TriG file), each event,
person, partnership and organisation it would mint is compared with those already in
the graph:

- an **event** with the events of the same council and kind whose dates agree at the
  precision given (a month inside or overlapping a fieldwork interval, a year, a
  publication a few weeks after fieldwork), a monitoring visit's ordinal, the final
  visit;
- a **person** with the people of that name (titles such as "Cllr" or "Dr" aside), and
  the councils each holds a post at;
- a **partnership** or an **organisation** with those of a variant of its names
  ("Tri-borough partnership" ~ "tri-borough", "bi-borough Mash" ~ "Bi-borough
  multi-agency safeguarding hub", "The Sutton Trust" ~ "Sutton Trust", an acronym).

One compatible candidate: the addition is rewritten to state its facts about that
entity (its parts follow: ``{event}/judgement/…``), and the report says which and why.
Several, or a weak one (a publication date that only falls in the weeks after an
inspection's fieldwork, a person known at other councils): nothing is written, and the
report lists the candidates and how to choose. None: new.

A source can say which: ``same as:`` (a sheet) or ``owl:sameAs`` (RDF) links to the
entity named; ``different from:`` / ``owl:differentFrom`` rules a candidate out, and a
new identifier is minted if the one made from the name is that entity's.

Then, on the linked addition, facts that **conflict** with what other sources state
about the same entity are reported, naming both sources: a judgement's grade, an
event's fieldwork or publication date, a visit's ordinal. cskg never picks one.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyoxigraph as ox

from cskg.addition import Addition
from cskg.labels import curie, labels, normalise
from cskg.prefixes import PREFIXES
from cskg.store import GraphStore
from cskg.validation import ValidationResult

CSKG = PREFIXES["cskg"]
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS = PREFIXES["skos"]
ORG = PREFIXES["org"]
OWL = "http://www.w3.org/2002/07/owl#"
SAME_AS, DIFFERENT_FROM = OWL + "sameAs", OWL + "differentFrom"

EVENT_CLASSES = {CSKG + c for c in ("FullInspection", "MonitoringVisit", "FocusedVisit",
                                    "JointTargetedAreaInspection")}
PERSON_CLASSES = {"https://schema.org/Person"}
PARTNERSHIP_CLASSES = {CSKG + "Partnership", CSKG + "MultiAgencySafeguardingHub"}
ORGANISATION_CLASSES = {ORG + "Organization", ORG + "FormalOrganization", CSKG + "Inspectorate",
                        CSKG + "Charity", CSKG + "NewsPublisher", CSKG + "PoliticalParty",
                        CSKG + "ChildrensServicesTrust"}
KINDS = {"event": EVENT_CLASSES, "person": PERSON_CLASSES, "partnership": PARTNERSHIP_CLASSES,
         "organisation": ORGANISATION_CLASSES}
NAME_PROPERTIES = [RDFS_LABEL, SKOS + "altLabel", SKOS + "hiddenLabel"]

DATE_PROPERTIES = {CSKG + "fieldworkStart": "start", CSKG + "fieldworkEnd": "end",
                   CSKG + "publicationDate": "published", CSKG + "reportedDate": "reported"}
#: How long after fieldwork Ofsted may publish its report or letter (usually 5 to 8 weeks).
PUBLICATION_WINDOW = timedelta(days=100)
#: How far apart two sources' dates for one monitoring visit (same ordinal) may be: visits of
#: a series are about three months apart, and a letter is published weeks after its visit.
NEAR = timedelta(days=92)


@dataclass
class Directive:
    """What a source says about an entity's identity: ``same as`` one, ``different from`` others."""

    same_as: str | None = None
    different_from: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class Link:
    """An entity of the addition and the existing entity it is (``how``: identifier, match, same as)."""

    new: str
    existing: str
    kind: str
    label: str
    how: str
    why: str
    files: list[str]


@dataclass
class Matching:
    """What matching found: links, new entities, and the problems that stop the addition."""

    links: list[Link] = field(default_factory=list)
    new: list[tuple[str, str]] = field(default_factory=list)
    problems: list[ValidationResult] = field(default_factory=list)
    #: display labels of the new entities
    new_labels: dict[str, str] = field(default_factory=dict)

    def report_lines(self) -> list[str]:
        lines = [f"linked: {link.kind} {link.label} <{curie(link.existing)}>: {link.why}"
                 + (f"; from {files_words(link.files)}" if link.files else "")
                 for link in self.links if link.how != "identifier"]
        same = sorted(link.label for link in self.links if link.how == "identifier")
        if same:
            lines.append("existing: " + "; ".join(same))
        lines += [f"new: {kind} {label}" for label, kind in
                  sorted((label, kind) for label, kind in self._new_labels())]
        return lines

    def _new_labels(self) -> list[tuple[str, str]]:
        return [(self.new_labels.get(iri, curie(iri)), kind) for iri, kind in self.new]

    def as_dicts(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = [
            {"entity": link.existing, "kind": link.kind, "label": link.label, "status": "linked",
             "how": link.how, "why": link.why, "files": link.files,
             **({"written as": link.new} if link.new != link.existing else {})}
            for link in self.links]
        rows += [{"entity": iri, "kind": kind, "label": self.new_labels.get(iri, curie(iri)),
                  "status": "new"}
                 for iri, kind in self.new]
        return rows


def files_words(files: list[str], limit: int = 3) -> str:
    """Graph files for a person: a dataset's snapshots as one, then the first few."""
    snapshots = [f for f in files if re.search(r"ilacs-overview-\d{4}-\d{2}-\d{2}\.trig$", f)]
    rest = [f for f in files if f not in snapshots]
    if len(snapshots) > 1:
        rest.append(f"graphs/ilacs-overview-*.trig ({len(snapshots)} snapshots, "
                    f"{snapshots[0][-15:-5]} to {snapshots[-1][-15:-5]})")
    else:
        rest += snapshots
    rest.sort()
    return ", ".join(rest[:limit]) + (f" and {len(rest) - limit} more" if len(rest) > limit else "")


# --- dates ------------------------------------------------------------------------------------

def span(lexical: str) -> tuple[date, date] | None:
    """The days a date at its precision covers: '2022' is the year, '2022-11' the month."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", lexical.strip()[:10])
    if m is None:
        return None
    y = int(m[1])
    try:
        if m[3]:
            d = date(y, int(m[2]), int(m[3]))
            return d, d
        if m[2]:
            month = int(m[2])
            return date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1])
        return date(y, 1, 1), date(y, 12, 31)
    except ValueError:
        return None


def agree(a: str, b: str) -> bool:
    """Two dates agree when they are the same at the coarser one's precision."""
    return a.startswith(b) or b.startswith(a)


def human(lexical: str) -> str:
    s = span(lexical)
    if s is None:
        return lexical
    first, _ = s
    return {4: f"{first.year}", 7: f"{first:%B %Y}"}.get(len(lexical), f"{first.day} {first:%B %Y}")


@dataclass
class EventFacts:
    """What is known of an event: its dates by kind, ordinal, focus, final visit, and where."""

    dates: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    ordinals: set[str] = field(default_factory=set)
    focus: set[str] = field(default_factory=set)
    final: bool = False
    follows: set[str] = field(default_factory=set)

    def hull(self, kinds: tuple[str, ...] = ("start", "end", "published", "reported")
             ) -> tuple[date, date] | None:
        spans = [s for k in kinds for v in self.dates.get(k, ()) if (s := span(v))]
        if not spans:
            return None
        return min(s[0] for s in spans), max(s[1] for s in spans)

    def fieldwork_words(self) -> str:
        start, end = sorted(self.dates.get("start", ())), sorted(self.dates.get("end", ()))
        parts = []
        if start:
            parts.append("fieldwork " + (f"{human(start[-1])} to {human(end[-1])}" if end
                                         else f"from {human(start[-1])}"))
        for key, words in (("published", "published"), ("reported", "reported")):
            if self.dates.get(key):
                parts.append(f"{words} {human(sorted(self.dates[key])[-1])}")
        if self.ordinals:
            parts.append("visit " + "/".join(sorted(self.ordinals)))
        return ", ".join(parts)


def _overlap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def compare_events(new: EventFacts, old: EventFacts) -> tuple[str, str]:
    """('strong' | 'weak' | '', why) for whether ``new`` describes the event ``old``."""
    if new.focus and old.focus and not new.focus & old.focus:
        return "", "another focus"
    if new.follows and old.follows and not new.follows & old.follows:
        return "", "follows another judgement"  # another series of monitoring visits
    same_ordinal = bool(new.ordinals & old.ordinals)
    other_ordinal = bool(new.ordinals and old.ordinals and not same_ordinal)
    agreements = [(k, a, b) for k in ("start", "end", "published")
                  for a in new.dates.get(k, ()) for b in old.dates.get(k, ()) if agree(a, b)]
    new_hull, old_hull = new.hull(), old.hull()
    if other_ordinal:
        # fieldwork in the same month (or on the same day) and another ordinal: one visit whose
        # sources disagree on its ordinal (a conflict); else another visit of the series
        same_month = [x for x in agreements if x[0] == "start" and min(len(x[1]), len(x[2])) >= 7]
        return ("strong", f"fieldwork starts {human(same_month[0][1])} in both") if same_month else ("", "")
    if same_ordinal:
        # one visit of a series, unless the dates are months apart (another visit given the same
        # ordinal, which the ordinal checks report; or a later series, restarting at 1)
        near = (new_hull is None or old_hull is None
                or _overlap(new_hull, (old_hull[0] - NEAR, old_hull[1] + NEAR)))
        if near:
            return "strong", f"monitoring visit {sorted(new.ordinals & old.ordinals)[0]} in both"
        return "", ""
    if new_hull is None or old_hull is None:
        if new.final and old.final:
            return "strong", "the final monitoring visit in both"
        return "", ""
    if agreements:
        k, a, b = agreements[0]
        words = {"start": "fieldwork starts", "end": "fieldwork ends", "published": "published"}[k]
        return "strong", f"{words} {human(a if len(a) <= len(b) else b)} in both"
    if _overlap(new_hull, old_hull):
        for key, words in (("reported", "reported"), ("published", "published"),
                           ("start", "fieldwork from"), ("end", "fieldwork to")):
            for value in sorted(new.dates.get(key, ())):
                if _overlap(span(value), old_hull):
                    return "strong", f"{words} {human(value)} falls within its dates"
        return "strong", "its dates overlap"

    # a publication (or a date of unknown meaning) in the weeks after the other's fieldwork
    for later, earlier in ((new, old), (old, new)):
        fieldwork = earlier.hull(("start", "end"))
        after = later.hull(("published", "reported"))
        if fieldwork and after and not earlier.dates.get("published") and _overlap(
                after, (fieldwork[1], fieldwork[1] + PUBLICATION_WINDOW)):
            return "weak", (f"{_dates_words(new)} is only within {PUBLICATION_WINDOW.days} days "
                            f"after {'its' if later is new else 'this'} fieldwork")
    return "", ""


def _dates_words(facts: EventFacts) -> str:
    for key, words in (("start", "fieldwork from"), ("published", "published"), ("reported", "reported"),
                       ("end", "fieldwork to")):
        if facts.dates.get(key):
            return f"{words} {human(sorted(facts.dates[key])[0])}"
    return "its date"


# --- names ------------------------------------------------------------------------------------

_TITLES = re.compile(r"^(?:(?:cllr|councillor|dr|mr|mrs|ms|miss|mx|sir|dame|prof|professor|lord|lady|"
                     r"baroness|baron|rt hon|the rt hon|the hon)\s+)+")
_POST_NOMINALS = re.compile(r"(?:\s+(?:obe|mbe|cbe|dbe|kbe|qc|kc|mp))+$")
_LEGAL = re.compile(r"\s+(?:ltd|limited|plc|cic|llp|inc|cio)$")
_GENERIC = {"the", "partnership", "arrangement", "arrangements"}


def person_key(name: str) -> str:
    """A person's name without titles and honours: 'Cllr Ann Cunliffe' ~ 'Ann Cunliffe'."""
    text = normalise(name)
    text = _TITLES.sub("", text)
    return _POST_NOMINALS.sub("", text).strip()


def organisation_keys(name: str) -> set[str]:
    """The forms an organisation's name is compared in, and its acronym (marked with '#')."""
    text = _LEGAL.sub("", normalise(name)).strip()
    text = text.replace("multi agency safeguarding hub", "mash")
    words = [w for w in text.split() if w not in _GENERIC] or text.split()
    keys = {"".join(words)}
    significant = [w for w in text.split() if w not in {"of", "the", "and", "for", "in", "to", "on"}]
    if len(significant) >= 3:
        keys.add("#" + "".join(w[0] for w in significant))
    elif len(words) == 1 and 2 <= len(words[0]) <= 8:
        keys.add("#" + words[0])
    return keys


def _name_match(new_keys: set[str], old_keys: set[str]) -> str:
    """'strong' for the same name, 'weak' for an acronym of the other's name, else ''."""
    plain_new, plain_old = {k for k in new_keys if k[0] != "#"}, {k for k in old_keys if k[0] != "#"}
    if plain_new & plain_old:
        return "strong"
    acr_new, acr_old = {k for k in new_keys if k[0] == "#"}, {k for k in old_keys if k[0] == "#"}
    return "weak" if acr_new & acr_old else ""


# --- the matcher ------------------------------------------------------------------------------

class _Facts:
    """The addition's statements by subject, and its entities by kind."""

    def __init__(self, addition: Addition) -> None:
        self.by_subject: dict[str, list[ox.Quad]] = defaultdict(list)
        for q in addition.quads:
            self.by_subject[q.subject.value].append(q)

    def values(self, s: str, p: str) -> list[str]:
        return [q.object.value for q in self.by_subject.get(s, ()) if q.predicate.value == p]

    def kind(self, s: str) -> str | None:
        types = set(self.values(s, RDF_TYPE))
        for kind, classes in KINDS.items():
            if types & classes and not (kind == "organisation" and CSKG + "Council" in types):
                return kind
        return None

    def names(self, s: str) -> list[str]:
        return [v for p in NAME_PROPERTIES for v in self.values(s, p)]


class Matcher:
    def __init__(self, store: GraphStore, addition: Addition,
                 directives: dict[str, Directive] | None = None) -> None:
        self.store = store
        self.addition = addition
        self.directives = dict(directives or {})
        self.facts = _Facts(addition)
        self.result = Matching()
        self._names: dict[str, list[tuple[str, str, str]]] = {}
        self._read_rdf_directives()

    # -- directives written as RDF: owl:sameAs / owl:differentFrom on the addition's entities
    def _read_rdf_directives(self) -> None:
        kept = []
        for q in self.addition.quads:
            if q.predicate.value in (SAME_AS, DIFFERENT_FROM) and isinstance(q.object, ox.NamedNode):
                d = self.directives.setdefault(q.subject.value, Directive(
                    line=self.addition.lines.get(q.subject.value)))
                if q.predicate.value == SAME_AS:
                    d.same_as = q.object.value
                else:
                    d.different_from.append(q.object.value)
                continue
            kept.append(q)
        if len(kept) != len(self.addition.quads):
            self.addition = Addition(self.addition.display, self.addition.graph, kept,
                                     dict(self.addition.lines), self.addition.source_text,
                                     directives=self.directives)
            self.facts = _Facts(self.addition)

    # -- what the store knows
    def _exists(self, iri: str) -> bool:
        return next(self.store.ox.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE),
                                                    None, None), None) is not None

    def _types(self, iri: str) -> set[str]:
        return {q.object.value for q in self.store.ox.quads_for_pattern(
            ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None, None)}

    def _files(self, iri: str) -> list[str]:
        graphs = {q.graph_name.value for q in self.store.ox.quads_for_pattern(
            ox.NamedNode(iri), None, None, None) if isinstance(q.graph_name, ox.NamedNode)}
        return sorted({self.store.graph_files.get(g, g) for g in graphs
                       if g in self.store.graph_files})

    def _event_facts_in_store(self, iri: str) -> EventFacts:
        facts = EventFacts()
        for q in self.store.ox.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            _collect(facts, q.predicate.value, q.object.value)
        return facts

    def _event_facts_in_addition(self, iri: str) -> EventFacts:
        facts = EventFacts()
        for q in self.facts.by_subject.get(iri, ()):
            _collect(facts, q.predicate.value, q.object.value)
        return facts

    def _named_entities(self, kind: str) -> list[tuple[str, str, str]]:
        """(iri, name, type) of every existing entity of a kind, with each of its names."""
        if kind not in self._names:
            classes = " ".join(f"<{c}>" for c in sorted(KINDS[kind]))
            rows = self.store.query(
                "SELECT DISTINCT ?s ?l ?t WHERE { VALUES ?t { " + classes + " } ?s a ?t ; "
                "rdfs:label|skos:altLabel|skos:hiddenLabel ?l }")
            self._names[kind] = [(r["s"].value, r["l"].value, r["t"].value) for r in rows
                                 if not (kind == "organisation" and CSKG + "Council" in
                                         self._types(r["s"].value))]
        return self._names[kind]

    def _councils_of_person(self, iri: str, in_addition: bool) -> set[str]:
        holdings = (
            [s for s, qs in self.facts.by_subject.items() if any(
                q.predicate.value == ORG + "member" and q.object.value == iri for q in qs)]
            if in_addition else
            [q.subject.value for q in self.store.ox.quads_for_pattern(
                None, ox.NamedNode(ORG + "member"), ox.NamedNode(iri), None)])
        councils = set()
        for h in holdings:
            values = (self.facts.values(h, ORG + "organization") if in_addition else
                      [q.object.value for q in self.store.ox.quads_for_pattern(
                          ox.NamedNode(h), ox.NamedNode(ORG + "organization"), None, None)])
            councils |= {v for v in values if "/id/council/" in v}
        return councils

    # -- candidates
    def candidates(self, iri: str, kind: str) -> list[tuple[str, str, str]]:
        """(existing IRI, 'strong' | 'weak', why) for an entity of the addition."""
        if kind == "event":
            return self._event_candidates(iri)
        if kind == "person":
            return self._person_candidates(iri)
        return self._organisation_candidates(iri, kind)

    def _event_candidates(self, iri: str) -> list[tuple[str, str, str]]:
        classes = set(self.facts.values(iri, RDF_TYPE)) & EVENT_CLASSES
        councils = self.facts.values(iri, CSKG + "inspectedAuthority")
        if not classes or not councils:
            return []
        new = self._event_facts_in_addition(iri)
        found = []
        seen = set()
        for q in self.store.ox.quads_for_pattern(None, ox.NamedNode(CSKG + "inspectedAuthority"),
                                                 ox.NamedNode(councils[0]), None):
            other = q.subject.value
            if other in seen or other == iri or not self._types(other) & classes:
                continue
            seen.add(other)
            strength, why = compare_events(new, self._event_facts_in_store(other))
            if strength:
                found.append((other, strength, why))
        return found

    def _person_candidates(self, iri: str) -> list[tuple[str, str, str]]:
        keys = {person_key(n) for n in self.facts.names(iri)} - {""}
        hits = sorted({s for s, name, _ in self._named_entities("person")
                       if s != iri and person_key(name) in keys})
        return [self._person_strength(iri, h) for h in hits]

    def _person_strength(self, iri: str, other: str) -> tuple[str, str, str]:
        mine = self._councils_of_person(iri, True)
        theirs = self._councils_of_person(other, False)
        if mine and theirs and not mine & theirs:
            names = labels(self.store, sorted(theirs | mine))
            return (other, "weak", "the same name, but known at "
                    + ", ".join(sorted(names.get(c, curie(c)) for c in theirs))
                    + ", not " + ", ".join(sorted(names.get(c, curie(c)) for c in mine)))
        if mine & theirs:
            names = labels(self.store, sorted(mine & theirs))
            return other, "strong", "the same name, with a post at " + ", ".join(
                sorted(names.get(c, curie(c)) for c in mine & theirs))
        return other, "strong", "the same name"

    def _organisation_candidates(self, iri: str, kind: str) -> list[tuple[str, str, str]]:
        keys: set[str] = set()
        for name in self.facts.names(iri):
            keys |= organisation_keys(name)
        by_iri: dict[str, set[str]] = defaultdict(set)
        for s, name, _ in self._named_entities(kind):
            if s != iri:
                by_iri[s] |= organisation_keys(name)
        found = []
        for other, other_keys in sorted(by_iri.items()):
            strength = _name_match(keys, other_keys)
            if strength:
                found.append((other, strength, "a variant of its name" if strength == "strong"
                              else "an acronym of its name"))
        if kind == "partnership" and not found:
            found = self._partnerships_by_members(iri)
        return found

    def _partnerships_by_members(self, iri: str) -> list[tuple[str, str, str]]:
        """Partnerships of another name with two or more of the same members: a weak match."""
        members = {self.facts.values(m, ORG + "member")[0] for m, qs in self.facts.by_subject.items()
                   if self.facts.values(m, ORG + "organization") == [iri]
                   and self.facts.values(m, ORG + "member")}
        classes = set(self.facts.values(iri, RDF_TYPE)) & PARTNERSHIP_CLASSES
        if len(members) < 2:
            return []
        counts: dict[str, set[str]] = defaultdict(set)
        for member in members:
            for q in self.store.ox.quads_for_pattern(None, ox.NamedNode(ORG + "member"),
                                                     ox.NamedNode(member), None):
                for o in self.store.ox.quads_for_pattern(q.subject, ox.NamedNode(ORG + "organization"),
                                                         None, None):
                    if self._types(o.object.value) & classes:
                        counts[o.object.value].add(member)
        return [(p, "weak", f"{len(shared)} of the same members") for p, shared in sorted(counts.items())
                if len(shared) >= 2 and p != iri]

    # -- the run
    def run(self) -> tuple[Addition, Matching]:
        entities = sorted((s, k) for s in self.facts.by_subject if (k := self.facts.kind(s)))
        mapping: dict[str, str] = {}
        for iri, kind in entities:
            target = self._decide(iri, kind)
            if target and target != iri:
                mapping[iri] = target
        addition = rewrite(self.addition, mapping) if mapping else self.addition
        addition = self._keep_display_labels(addition)
        names = labels(self.store, [iri for iri, _ in self.result.new])
        for q in addition.quads:
            if q.predicate.value == RDFS_LABEL and q.subject.value not in names:
                names[q.subject.value] = q.object.value
        self.result.new_labels = names
        return addition, self.result

    def _keep_display_labels(self, addition: Addition) -> Addition:
        """A linked entity keeps the display label the graph gives it: another label this
        source would state for it is, for a person, partnership or organisation, one of the
        names it goes by (``skos:altLabel``), and for an event (whose labels cskg writes) left out.
        """
        label, alt = ox.NamedNode(RDFS_LABEL), ox.NamedNode(SKOS + "altLabel")
        drop: set[ox.Quad] = set()
        extra: list[ox.Quad] = []
        for lk in self.result.links:
            node = ox.NamedNode(lk.existing)
            known = {q.object.value for q in self.store.ox.quads_for_pattern(node, label, None, None)}
            if not known:
                continue
            for q in addition.quads:
                if q.subject == node and q.predicate == label and q.object.value not in known:
                    drop.add(q)
                    if lk.kind != "event":
                        extra.append(ox.Quad(node, alt, q.object, q.graph_name))
        if not drop:
            return addition
        quads = [q for q in addition.quads if q not in drop]
        quads += [q for q in extra if q not in set(quads)]
        quads.sort(key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
        return Addition(addition.display, addition.graph, quads, dict(addition.lines),
                        addition.source_text, directives=addition.directives)

    def _decide(self, iri: str, kind: str) -> str | None:
        directive = self.directives.get(iri, Directive())
        label = self._label(iri)
        if directive.same_as:
            target = directive.same_as
            if not self._exists(target):
                self._problem(iri, "same-as", f"same as <{curie(target)}>: no entity of the graph "
                              "has that identifier", "give the identifier of an existing entity "
                              "(cskg show NAME prints it) or leave same as: out")
                return None
            if not self._types(target) & KINDS[kind]:
                self._problem(iri, "same-as", f"same as <{curie(target)}>: that is not a {kind}",
                              f"name an existing {kind}")
                return None
            self._link(iri, target, kind, "same as", "said to be the same in the source")
            return target
        different = set(directive.different_from)
        if self._exists(iri):
            if iri in different:
                fresh = self._fresh(iri)
                self.result.new.append((fresh, kind))
                return fresh
            if kind == "person":  # the name's identifier: the same person, if at the same council
                _, strength, why = self._person_strength(iri, iri)
                if strength == "weak":
                    self._ambiguous(iri, kind, label, [(iri, strength, why)])
                    return None
            self._link(iri, iri, kind, "identifier", "the same identifier")
            return iri
        found = [c for c in self.candidates(iri, kind) if c[0] not in different]
        if not found:
            self.result.new.append((iri, kind))
            return iri
        if len(found) == 1 and found[0][1] == "strong":
            self._link(iri, found[0][0], kind, "match", found[0][2])
            return found[0][0]
        self._ambiguous(iri, kind, label, found)
        return None

    def _fresh(self, iri: str) -> str:
        n = 2
        while self._exists(f"{iri}-{n}") or f"{iri}-{n}" in self.facts.by_subject:
            n += 1
        return f"{iri}-{n}"

    def _label(self, iri: str) -> str:
        own = self.facts.values(iri, RDFS_LABEL)
        return own[0] if own else labels(self.store, [iri]).get(iri, curie(iri))

    def _link(self, new: str, existing: str, kind: str, how: str, why: str) -> None:
        label = labels(self.store, [existing]).get(existing) or self._label(new)
        facts = self._event_facts_in_store(existing).fieldwork_words() if kind == "event" else ""
        reason = f"{why} ({facts})" if facts and how == "match" else why
        self.result.links.append(Link(new, existing, kind, label, how, reason, self._files(existing)))

    def _problem(self, iri: str, shape: str, message: str, hint: str) -> None:
        self.result.problems.append(ValidationResult(
            focus_node=iri, label=self._label(iri), path="", value="", severity="Violation",
            message=f"{message}. {hint}.", shape=shape, files=(self.addition.where(iri),)))

    def _ambiguous(self, iri: str, kind: str, label: str, found: list[tuple[str, str, str]]) -> None:
        names = labels(self.store, [c for c, _, _ in found])
        listed = "; ".join(f"{names.get(c, curie(c))} <{curie(c)}> ({strength}: {why}; in "
                           f"{', '.join(self._files(c)) or 'the graph'})" for c, strength, why in found)
        several = len(found) > 1
        sheet = self.addition.display.endswith((".yaml", ".yml"))
        how = ("write `same as: IRI` in its entry to link it to one of them, or `different from: "
               "IRI` (or a list) if it is none of them" if sheet else
               "state `owl:sameAs <IRI>` on it to link it to one of them, or write the existing "
               "IRI itself; `owl:differentFrom <IRI>` if it is none of them")
        what = (f"{len(found)} existing {kind}s could be the {kind} this source describes"
                if several else f"only a weak match with an existing {kind}")
        self.result.problems.append(ValidationResult(
            focus_node=iri, label=label, path="", value="", severity="Violation",
            shape="ambiguous-match" if several else "weak-match",
            message=f"{what}: {listed}. cskg does not guess: {how}.",
            files=(self.addition.where(iri), *sorted({f for c, _, _ in found for f in self._files(c)}))))


def _collect(facts: EventFacts, predicate: str, value: str) -> None:
    if predicate in DATE_PROPERTIES:
        facts.dates[DATE_PROPERTIES[predicate]].add(value)
    elif predicate == CSKG + "visitOrdinal":
        facts.ordinals.add(str(int(value)) if value.isdigit() else value)
    elif predicate == CSKG + "focus":
        facts.focus.add(value)
    elif predicate == CSKG + "finalVisit" and value == "true":
        facts.final = True
    elif predicate == CSKG + "followsJudgement":
        facts.follows.add(value)


def rewrite(addition: Addition, mapping: dict[str, str]) -> Addition:
    """The addition with each mapped IRI, and every IRI below it (``{iri}/…``), replaced."""
    def new(term):  # type: ignore[no-untyped-def]
        if not isinstance(term, ox.NamedNode):
            return term
        return ox.NamedNode(_mapped(term.value, mapping))

    quads = sorted({ox.Quad(new(q.subject), new(q.predicate), new(q.object), q.graph_name)
                    for q in addition.quads}, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
    lines: dict[str, int] = {}
    for iri, line in addition.lines.items():
        lines.setdefault(_mapped(iri, mapping), line)
    directives = {_mapped(iri, mapping): d for iri, d in addition.directives.items()}
    return Addition(addition.display, addition.graph, quads, lines, addition.source_text,
                    directives=directives)


def _mapped(iri: str, mapping: dict[str, str]) -> str:
    if iri in mapping:
        return mapping[iri]
    head = iri
    while "/" in head:
        head = head.rsplit("/", 1)[0]
        if head in mapping:
            return mapping[head] + iri[len(head):]
    return iri


def link(store: GraphStore, addition: Addition) -> tuple[Addition, Matching]:
    """The addition linked to the graph's entities, and what the matching found."""
    return Matcher(store, addition, addition.directives).run()


# --- conflicts --------------------------------------------------------------------------------

_CONFLICTING = {CSKG + "grade": "grade", CSKG + "fieldworkStart": "fieldwork start",
                CSKG + "fieldworkEnd": "fieldwork end", CSKG + "publicationDate": "publication date",
                CSKG + "visitOrdinal": "visit ordinal"}


def conflicts(store: GraphStore, addition: Addition) -> list[ValidationResult]:
    """Facts of the addition that another source states otherwise about the same entity."""
    found = []
    own = ox.NamedNode(addition.graph)
    by_key: dict[tuple[str, str], list[ox.Quad]] = defaultdict(list)
    for q in addition.quads:
        if q.predicate.value in _CONFLICTING:
            by_key[(q.subject.value, q.predicate.value)].append(q)
    names: dict[str, str] = {}
    for (subject, predicate), quads in sorted(by_key.items()):
        theirs: dict[str, set[str]] = defaultdict(set)
        for q in store.ox.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None):
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name != own:
                theirs[_value(q.object)].add(store.graph_files.get(q.graph_name.value, q.graph_name.value))
        for q in quads:
            mine = _value(q.object)
            clash = {v: files for v, files in theirs.items() if not _same(predicate, mine, v)}
            if not clash:
                continue
            if not names:
                names = _vocabulary_names(store)
            what = _CONFLICTING[predicate]
            other = "; ".join(f"{', '.join(sorted(files))} says {names.get(v, human(v) if 'Date' in predicate or 'fieldwork' in predicate else v)}"
                              for v, files in sorted(clash.items()))
            said = names.get(mine, human(mine) if "Date" in predicate or "fieldwork" in predicate else mine)
            found.append(ValidationResult(
                focus_node=subject, label=labels(store, [subject]).get(subject) or curie(subject),
                path=curie(predicate), value=mine, severity="Violation", shape="conflict",
                message=f"Conflict between sources on the {what}: {addition.display} says {said}; "
                        f"{other}. cskg does not choose between sources: check them, then leave "
                        f"the value out of this source if it is wrong, or say `different from:` "
                        f"if it describes another entity.",
                files=(addition.where(subject), *sorted({f for fs in clash.values() for f in fs}))))
    return found


def _value(term: object) -> str:
    value = term.value  # type: ignore[attr-defined]
    return str(int(value)) if isinstance(term, ox.Literal) and value.isdigit() else value


def _same(predicate: str, a: str, b: str) -> bool:
    if predicate in DATE_PROPERTIES:
        return agree(a, b)
    return a == b


def _vocabulary_names(store: GraphStore) -> dict[str, str]:
    rows = store.query("SELECT ?c ?l WHERE { ?c a skos:Concept ; skos:prefLabel ?l }")
    return {r["c"].value: r["l"].value for r in rows}
