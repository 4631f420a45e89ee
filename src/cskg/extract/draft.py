"""A draft fact sheet: the entries an extraction found, each with the sentences it came from.

``Draft.to_yaml`` writes the fact-sheet format of docs/factsheet.md. Every entry
is preceded by the sentences it rests on, as comments, and an uncertain entry
carries ``review:`` with the reason: ``cskg add`` refuses a sheet while any
``review:`` is left in it, so nothing uncertain reaches the graph unread.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

import yaml

SECTIONS = ["councils", "organisations", "partnerships", "delivery", "events", "people", "claims",
            "political control"]


@dataclass
class Item:
    """One entry of a section: its fields, the sentences it rests on, why it needs a look."""

    fields: dict[str, Any]
    evidence: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    #: the line the entry starts on in the written YAML (set by ``to_yaml``)
    line: int = 0

    def cite(self, sentence: str) -> None:
        sentence = " ".join(sentence.split())
        if sentence and sentence not in self.evidence:
            self.evidence.append(sentence)

    def flag(self, why: str) -> None:
        if why not in self.review:
            self.review.append(why)


@dataclass
class Draft:
    source: dict[str, Any]
    source_evidence: list[str] = field(default_factory=list)
    sections: dict[str, list[Item]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    notes: list[str] = field(default_factory=list)
    display: str = ""

    def items(self) -> list[Item]:
        return [item for section in SECTIONS for item in self.sections[section]]

    def reviews(self) -> list[Item]:
        return [item for item in self.items() if item.review]

    def is_empty(self) -> bool:
        return not any(self.sections[s] for s in SECTIONS)

    def to_yaml(self, reviews: bool = True) -> str:
        out: list[str] = []

        def emit(text: str) -> None:
            out.extend(text.rstrip("\n").split("\n"))

        emit(f"# Draft fact sheet extracted by `cskg extract` from {self.display}.")
        emit("# Check every entry against the text: each is preceded by the sentences it comes from.")
        emit("# Entries with `review:` need a decision; `cskg add` refuses the sheet until every")
        emit("# `review:` line is gone (delete the entry, or correct it and delete the line).")
        for note in self.notes:
            emit(_comment(note))
        out.append("")
        for sentence in self.source_evidence:
            emit(_comment(f"\"{sentence}\""))
        emit(_dump({"source": self.source}))
        for section in SECTIONS:
            items = self.sections[section]
            if not items:
                continue
            out.append("")
            out.append(f"{section}:")
            for item in items:
                _item(out, item, "  ", reviews)
        return "\n".join(out) + "\n"


def _item(out: list[str], item: Item, indent: str, reviews: bool) -> None:
    """An entry as a list item: its sentences as comments, its fields, its nested entries."""
    for sentence in item.evidence:
        out.extend(_comment(f"\"{sentence}\"", indent=indent).split("\n"))
    fields: dict[str, Any] = {}
    if item.review and reviews:
        fields["review"] = "; ".join(item.review)
    nested = {k: v for k, v in item.fields.items() if isinstance(v, list) and v and isinstance(v[0], Item)}
    fields.update({k: v for k, v in item.fields.items() if k not in nested})
    item.line = len(out) + 1
    out.extend(textwrap.indent(_dump([fields]), indent).rstrip("\n").split("\n"))
    for key, children in nested.items():
        out.append(f"{indent}  {key}:")
        for child in children:
            _item(out, child, indent + "    ", reviews)


def _comment(text: str, indent: str = "") -> str:
    lines = textwrap.wrap(text, width=96 - len(indent), break_long_words=False, break_on_hyphens=False)
    return "\n".join(f"{indent}# {line}" for line in lines or [""])


class _Dumper(yaml.SafeDumper):
    pass


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    """Short lists of words on one line (names: [Bolton, Bolton Council]); entries as blocks."""
    flow = all(isinstance(v, str) and len(v) < 60 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(list, _list)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
