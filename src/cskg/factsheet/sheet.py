"""The state of one sheet's conversion: its triples, its local names, and its checks.

``Sheet`` collects the triples of the one named graph and the line each entity
came from; it reads scalar values (text, dates, vocabulary concepts, choices)
strictly, keeps the sheet's own ids and names (``Ref``) so entries can point at
each other, and writes time spans. Every error it raises names the file and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import pyoxigraph as ox

from cskg.addition import Resolver
from cskg.errors import InputError
from cskg.factsheet.dates import DateVal, date_from_text, ends_before, human_span
from cskg.factsheet.entry import Entry
from cskg.factsheet.iris import LABEL, TIME, TYPE
from cskg.factsheet.vocabulary import FactSheetVocabulary, vocab_key
from cskg.factsheet.yamltree import Y, describe
from cskg.labels import normalise

#: The keys of a date written as a mapping: value: 2018-03, inferred: why.
DATE_KEYS = ["value", "inferred", "label"]


@dataclass
class Ref:
    """Something a sheet entry can point at: a council, person, organisation, partnership, event."""

    kind: str
    iri: str
    display: str
    line: int


class Sheet:
    """The state of one conversion."""

    def __init__(
        self, display: str, resolver: Resolver | None, vocabulary: FactSheetVocabulary
    ) -> None:
        self.display = display
        self.resolver = resolver
        self.vocabulary = vocabulary
        self.triples: set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = set()
        self.lines: dict[str, int] = {}
        self.labels: dict[str, tuple[str, int]] = {}
        self.ids: dict[str, Ref] = {}
        self.by_name: dict[str, dict[str, Ref]] = {
            "council": {},
            "person": {},
            "organisation": {},
            "partnership": {},
            "event": {},
        }
        self.council_cache: dict[str, Ref] = {}
        self.inferences: list[
            tuple[int, int, str, str, ox.NamedNode | ox.Literal, str, str | None]
        ] = []
        self.event_iris: set[str] = set()
        self.source_date: DateVal | None = None
        self.source_iri = ""
        self.graph_iri = ""
        #: The source's slug: the last segment of the IRI of every part this source states
        #: about a parent that other sources can also describe (a finding of an event, a
        #: membership of a partnership), so that two sources never mint the same part.
        self.slug = ""
        self.citation = ""
        self.publisher_name: str | None = None
        self.publisher: tuple[str, str, Y] | None = None
        self.authors: list[tuple[str, Y]] = []
        self.people_refs: list[Ref] = []
        self.partnership_refs: list[Ref] = []
        #: ``same as:`` / ``different from:`` by the IRI of the entry they are written on
        self.directives: dict[str, Any] = {}

    # -- errors -----------------------------------------------------------

    def fail(self, where: Y | int, message: str, hint: str | None = None) -> NoReturn:
        line = where if isinstance(where, int) else where.line
        raise InputError(f"{self.display}:{line}: {message}", hint)

    # -- triples ----------------------------------------------------------

    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
        self.triples.add((ox.NamedNode(s), ox.NamedNode(p), obj))

    def text_(self, s: str, p: str, text: str) -> None:
        self.add(s, p, ox.Literal(text))

    def entity(
        self, iri: str, line: int, types: Iterable[str] = (), label: str | None = None
    ) -> None:
        self.lines.setdefault(iri, line)
        for t in types:
            self.add(iri, TYPE, t)
        if label is not None:
            self.label(iri, label, line)

    def label(self, iri: str, label: str, line: int) -> None:
        label = " ".join(label.split())
        if not label:
            self.fail(line, f"an empty label for {iri}")
        known = self.labels.get(iri)
        if known is not None and known[0] != label:
            self.fail(
                line,
                f"{iri} would get two labels: {known[0]!r} (line {known[1]}) and {label!r}",
                "give both entries the same label:, or leave it out of one of them",
            )
        self.labels[iri] = (label, line)
        self.text_(iri, LABEL, label)

    def dated(self, s: str, p: str, value: DateVal) -> None:
        self.add(s, p, value.literal())
        if value.inferred:
            self.inferences.append(
                (value.line, value.col, s, p, value.literal(), value.inferred, value.inferred_label)
            )

    # -- scalar values ----------------------------------------------------

    def scalar_text(self, node: Y, where: str) -> str:
        if not node.is_scalar or node.text is None:
            self.fail(node, f"{where}: expected text, found {describe(node)}")
        text = node.text.strip()
        if not text:
            self.fail(node, f"{where}: is empty")
        return text

    def date(self, node: Y, where: str) -> DateVal:
        inferred = inferred_label = None
        if node.is_map:
            sub = Entry(self, node, where, DATE_KEYS)
            value = sub.get("value")
            if value is None:
                self.fail(
                    node, f"{where}: 'value' is missing (the date itself, e.g. value: 2018-03)"
                )
            inferred = sub.text("inferred", required=True)
            inferred_label = sub.text("label")
            node = value
        if isinstance(node.value, dt.datetime) or not node.is_scalar:
            self.fail(node, f"{where}: expected a date, found {describe(node)}")
        text = node.value.isoformat() if isinstance(node.value, dt.date) else str(node.text)
        parsed = date_from_text(text)
        if parsed is None:
            self.fail(
                node,
                f"{where}: {text!r} is not a date",
                "write a year (2018), a month (2018-04) or a day (2018-04-10), at the precision the source gives",
            )
        return DateVal(parsed[0], parsed[1], node.line, node.col, inferred, inferred_label)

    def concept(self, node: Y, scheme: str, where: str, text: str | None = None) -> str:
        value = text if text is not None else self.scalar_text(node, where)
        found = self.vocabulary.lookup(scheme, value)
        if len(found) == 1:
            return next(iter(found))
        if found:
            options = "; ".join(self.vocabulary.pref[c] for c in sorted(found))
            self.fail(node, f"{where}: {value!r} is ambiguous among {scheme} values: {options}")
        self.unknown_value(node, where, value, scheme)

    def unknown_value(self, node: Y, where: str, value: str, scheme: str) -> NoReturn:
        suggestions = self.vocabulary.suggest(scheme, value)
        guess = f"; did you mean: {'; '.join(suggestions)}?" if suggestions else ""
        allowed = "; ".join(
            sorted(
                {self.vocabulary.pref[c] for c in self.vocabulary.concepts(scheme)}, key=str.lower
            )
        )
        self.fail(
            node, f"{where}: {value!r} is not a known {scheme}{guess}", f"known values: {allowed}"
        )

    def choice(self, node: Y, options: dict[str, Any], where: str, what: str) -> Any:
        value = self.scalar_text(node, where)
        key = vocab_key(value)
        if key in options:
            return options[key]
        close = difflib.get_close_matches(key, list(options), n=3, cutoff=0.5)
        guess = f"; did you mean: {'; '.join(close)}?" if close else ""
        self.fail(
            node,
            f"{where}: {value!r} is not a known {what}{guess}",
            "use one of: " + "; ".join(options),
        )

    # -- identity: same as / different from ---------------------------------

    def identity(self, entry: Entry, kind: str) -> tuple[str | None, list[str]]:
        """The entity an entry says it is (``same as:``) and those it says it is not."""
        same = entry.get("same as")
        same_iri = self._identified(same, f"{entry.where}: same as", kind) if same is not None else None
        different = [self._identified(node, f"{entry.where}: different from", kind)
                     for _, node in entry.texts("different from")]
        if same_iri is not None and same_iri in different:
            self.fail(same, f"{entry.where}: same as: and different from: name the same entity")
        return same_iri, different

    def directive(self, iri: str, same: str | None, different: list[str], line: int) -> None:
        from cskg.matching import Directive

        if same is not None or different:
            self.directives[iri] = Directive(same, different, line)

    def _identified(self, node: Y, where: str, kind: str) -> str:
        """An entity written as its IRI (cskgid:..., <https://...>) or as a name the graph knows."""
        from cskg.labels import expand

        text = self.scalar_text(node, where)
        iri = expand(text) if " " not in text.strip() else None
        if iri is not None:
            return iri
        if self.resolver is None:
            self.fail(node, f"{where}: {text!r}: without the graph, give the {kind}'s identifier",
                      "e.g. cskgid:event/E08000001/inspection/2018-04 (cskg show NAME prints it)")
        named = getattr(self.resolver, "named", None)
        hits = named(text, kind) if named is not None else []
        if len(hits) == 1:
            return hits[0]
        if not hits:
            self.fail(node, f"{where}: no {kind} in the graph is called {text!r}",
                      "give its identifier instead (cskg show NAME prints it)")
        self.fail(node, f"{where}: {text!r} names {len(hits)} entities: " + ", ".join(hits),
                  "give the identifier of the one you mean")

    # -- local ids and names ------------------------------------------------

    def register(
        self, ref: Ref, local_id: str | None, names: Iterable[str], id_node: Y | None
    ) -> None:
        if local_id is not None:
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", local_id):
                self.fail(
                    id_node or ref.line,
                    f"id {local_id!r}: use letters, digits, '-', '_' or '.' (no spaces)",
                )
            if local_id in self.ids and self.ids[local_id].iri != ref.iri:
                self.fail(
                    id_node or ref.line,
                    f"id {local_id!r} is already used on line {self.ids[local_id].line}",
                )
            self.ids.setdefault(local_id, ref)
        for name in names:
            self.by_name[ref.kind].setdefault(normalise(name), ref)

    def local(self, text: str, kinds: Sequence[str]) -> Ref | None:
        """The sheet entry ``text`` names: an id, else a name of an entry of one of ``kinds``."""
        ref = self.ids.get(text.strip())
        if ref is not None and ref.kind in kinds:
            return ref
        for kind in kinds:
            ref = self.by_name[kind].get(normalise(text))
            if ref is not None:
                return ref
        return None

    def local_names(self, kinds: Sequence[str]) -> list[str]:
        names = [i for i, r in self.ids.items() if r.kind in kinds]
        for kind in kinds:
            names += [r.display for r in self.by_name[kind].values()]
        return sorted(set(names))

    def not_found(
        self, node: Y, where: str, text: str, kinds: Sequence[str], hint: str
    ) -> NoReturn:
        close = difflib.get_close_matches(text, self.local_names(kinds), n=3, cutoff=0.6)
        guess = f"; did you mean: {'; '.join(close)}?" if close else ""
        self.fail(
            node, f"{where}: {text!r} names no {' or '.join(kinds)} in this sheet{guess}", hint
        )

    # -- time ---------------------------------------------------------------

    def span(
        self,
        owner: str,
        prop: str,
        start: DateVal | None,
        end: DateVal | None,
        owner_label: str,
        labels: dict[str, str],
        line: int,
    ) -> None:
        if start is None and end is None:
            for which in ("during", "start", "end"):
                if which in labels:
                    self.fail(line, f"labels: {which}: there is no from:/to: date to label")
            return
        if start and end and ends_before(start, end):
            self.fail(end.line, f"to: {end.lexical} is before from: {start.lexical}")
        during = owner + "/during"
        self.add(owner, prop, during)
        if start and end:
            text = f"{human_span(start.lexical, end.lexical)} ({owner_label})"
        elif start:
            text = f"From {start.human()} ({owner_label})"
        else:
            assert end is not None
            text = f"Until {end.human()} ({owner_label})"
        self.entity(during, line, [TIME + "Interval"], labels.get("during") or text)
        for which, value, link in (
            ("start", start, TIME + "hasBeginning"),
            ("end", end, TIME + "hasEnd"),
        ):
            if value is None:
                if which in labels:
                    self.fail(
                        line,
                        f"labels: {which}: there is no {'from' if which == 'start' else 'to'}: date",
                    )
                continue
            instant = f"{during}/{which}"
            self.add(during, link, instant)
            self.entity(instant, value.line, [TIME + "Instant"], labels.get(which) or value.human())
            self.dated(instant, value.time_property, value)

    def attested(self, entry: Entry) -> DateVal | None:
        """``attested:`` as written; the source's date when left out; none when written as null."""
        if "attested" in entry.node.value:
            return entry.date("attested")
        return self.source_date_plain()

    def source_date_plain(self) -> DateVal | None:
        if self.source_date is None:
            return None
        d = self.source_date
        return DateVal(d.lexical, d.precision, d.line, d.col)

    def attribution(self, date: DateVal | None) -> str:
        """Publisher and date in words, 'Bolton News, 13 June 2018' (either may be missing)."""
        return ", ".join(x for x in (self.publisher_name, date.human() if date else None) if x)
