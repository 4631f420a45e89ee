"""YAML fact sheets: one source's facts, written by hand, become one named graph.

A fact sheet is a YAML file for people who do not write RDF (docs/factsheet.md
describes the format). ``load_sheet`` reads one and returns an ``Addition``:
the quads of the one named graph ``graph:{slug}``, with IRIs minted by the
rules of docs/model.md, and the line of the sheet each entity came from.

Reading is strict, because a typo must never silently drop a fact: unknown
keys, unknown vocabulary values and unknown names are errors that name the
file, the line and the field, with close suggestions. The result is
deterministic: the same sheet always gives the same quads (no clock time).

The package is cut by concept: ``yamltree`` (YAML with line numbers),
``vocabulary`` (controlled values), ``iris`` and ``dates`` (the terms written),
``entry`` and ``sheet`` (reading entries, the conversion's state), ``names``
(councils, people and organisations named), ``quotes``, and one module per
family of sections: ``source``, ``events`` and ``judgements``, ``people``,
``partnerships`` and ``claims``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from cskg.addition import Addition, Resolver
from cskg.errors import InputError
from cskg.factsheet.claims import read_claims, read_political_control
from cskg.factsheet.entry import Entry
from cskg.factsheet.events import name_events, read_councils, read_events
from cskg.factsheet.iris import slugify
from cskg.factsheet.partnerships import name_partnerships, read_delivery, read_partnerships
from cskg.factsheet.people import name_people, read_organisations, read_people
from cskg.factsheet.sheet import Sheet
from cskg.factsheet.source import link_source_agents, number_inferences, read_source
from cskg.factsheet.vocabulary import FactSheetVocabulary, load_vocabulary, vocabulary_file
from cskg.factsheet.yamltree import Y, parse_yaml

__all__ = ["FactSheetVocabulary", "load_sheet", "slugify"]

#: The sections of a sheet (keys are compared in lower case, "_" and "-" read as spaces).
TOP_KEYS = [
    "source",
    "curated",
    "curation",
    "councils",
    "events",
    "people",
    "organisations",
    "partnerships",
    "delivery",
    "claims",
    "political control",
]


def load_sheet(path: Path, display: str, resolver: Resolver | None) -> Addition:
    """Read a YAML fact sheet into the quads of one named graph (see docs/factsheet.md)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{display}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise InputError(f"{display}: is not UTF-8 text") from None
    root = parse_yaml(text, display)
    _refuse_reviews(root, display)
    sheet = Sheet(display, resolver, load_vocabulary(vocabulary_file(path, resolver)))
    top = Entry(sheet, root, "the fact sheet", TOP_KEYS)
    if not top.has("source"):
        sheet.fail(
            root,
            "the fact sheet has no source: block",
            "every fact sheet describes exactly one source",
        )

    # Entries are named before they are read, so one can point at another further down.
    read_source(sheet, top)
    read_organisations(sheet, top)
    read_councils(sheet, top)
    name_people(sheet, top)
    link_source_agents(sheet)
    name_partnerships(sheet, top)
    events = name_events(sheet, top)
    read_events(sheet, events)
    read_people(sheet, top)
    read_partnerships(sheet, top)
    read_delivery(sheet, top)
    read_claims(sheet, top)
    read_political_control(sheet, top)
    number_inferences(sheet)

    graph = ox.NamedNode(sheet.graph_iri)
    ordered = sorted(sheet.triples, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    quads = [ox.Quad(s, p, o, graph) for s, p, o in ordered]
    return Addition(
        display=display,
        graph=sheet.graph_iri,
        quads=quads,
        lines=dict(sheet.lines),
        source_text=text,
        directives=dict(sheet.directives),
    )


def _refuse_reviews(root: Y, display: str) -> None:
    """A draft's ``review:`` marks are questions for a person: none may reach the graph."""
    marks: list[tuple[int, str]] = []

    def walk(node: Y) -> None:
        if node.is_map:
            for key, child in node.value.items():
                if key == "review":
                    marks.append((child.line, str(child.text or "")))
                walk(child)
        elif node.is_list:
            for child in node.value:
                walk(child)

    walk(root)
    if marks:
        first = marks[0]
        more = "".join(f"; line {line}: {why}" for line, why in marks[1:4])
        raise InputError(
            f"{display}:{first[0]}: marked for review: {first[1]}"
            + (f" ({len(marks)} entries marked{more}{'; ...' if len(marks) > 4 else ''})" if len(marks) > 1 else ""),
            "check each entry marked review: against the text, correct or delete it, then delete "
            "its review: line",
        )
