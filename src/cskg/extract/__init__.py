"""Draft a fact sheet from the text of a news article or an Ofsted letter: ``cskg extract``.

``extract(path, store)`` reads the text, finds what it states (the source's own
details, councils by any name the graph knows, inspections and visits with their
kinds, ordinals, focus and dates at the precision written, grades, findings with
their words, people and posts, partnerships, trusts, claims, political control)
and returns a ``Draft``: the YAML of docs/factsheet.md, each entry preceded by the
sentences it came from. Uncertain entries carry ``review:``. Nothing is written
to the graph: a person reads the draft, then runs ``cskg add``.

The draft is linked to the graph before it is shown: read as a fact sheet
against the store, it goes through the matching of ``cskg add``
(``cskg.matching``), and each event, person, partnership or organisation the
graph already holds gets ``same as:`` its identifier, or ``review:`` naming the
candidates when the match is not certain.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cskg.errors import CskgError, InputError
from cskg.extract.draft import Draft, Item
from cskg.extract.knowledge import Knowledge
from cskg.extract.rules import Extractor
from cskg.extract.text import read_text, segment
from cskg.store import GraphStore

__all__ = ["Draft", "Extraction", "extract", "extract_text"]


@dataclass
class Extraction:
    draft: Draft
    yaml: str
    #: what linking found, one line each (``linked: ...``, ``new: ...``)
    links: list[str] = field(default_factory=list)
    #: an error reading the draft as a fact sheet (a bug or an entry to review)
    problem: str | None = None


def knowledge_for(store: GraphStore) -> Knowledge:
    ontology = store.project.ontology_dir
    return Knowledge(store, ontology / "vocabulary.ttl", ontology / "cskg.ttl")


def extract(path: Path, display: str, store: GraphStore, url: str | None = None,
            link: bool = True) -> Extraction:
    """The draft fact sheet of the text in ``path``."""
    return extract_text(read_text(path, display), display, store, url=url, link=link)


def extract_text(text: str, display: str, store: GraphStore, url: str | None = None,
                 link: bool = True, knowledge: Knowledge | None = None) -> Extraction:
    doc = segment(text, display)
    if not doc.sentences:
        raise InputError(f"{display}: holds no sentences to read",
                         "give the plain text of an article, letter or report")
    if url is not None and not url.startswith(("http://", "https://")):
        raise InputError(f"--url {url!r}: not a web address", "give an http:// or https:// address")
    draft = Extractor(doc, knowledge or knowledge_for(store), url).run()
    yaml_text = draft.to_yaml()
    result = Extraction(draft, yaml_text)
    if link and not draft.is_empty():
        _link(result, store)
    return result


def _link(result: Extraction, store: GraphStore) -> None:
    """Read the draft as ``cskg add`` would and mark what the graph already holds."""
    from cskg.addition import StoreResolver
    from cskg.factsheet import load_sheet
    from cskg.matching import link

    draft = result.draft
    unreviewed = draft.to_yaml(reviews=False)  # the sheet it becomes once checked; sets item.line
    by_line = sorted(((item.line, item) for item in draft.items()), key=lambda t: t[0])
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "draft.yaml"
        sheet.write_text(unreviewed, encoding="utf-8")
        try:
            addition = load_sheet(sheet, "draft", StoreResolver(store))
        except CskgError as error:
            result.problem = error.message
            return
    _, matching = link(store, addition)
    for lk in matching.links:
        if lk.how == "identifier":  # the draft names it as the graph does: nothing to mark
            result.links.append(f"existing: {lk.kind} {lk.label} <{_curie(lk.existing)}>")
            continue
        item = _item_at(by_line, addition.lines.get(lk.new, 0))
        if item is not None and "same as" not in item.fields and lk.kind != "council":
            item.fields["same as"] = _curie(lk.existing)
        result.links.append(f"linked: {lk.kind} {lk.label} <{_curie(lk.existing)}>: {lk.why}")
    for problem in matching.problems:
        item = _item_at(by_line, addition.lines.get(str(problem.focus_node), 0))
        if item is not None:
            item.flag(f"the graph may already hold this: {problem.message}")
    result.links += [f"new: {kind} {label}" for label, kind in sorted(matching._new_labels())]
    result.yaml = draft.to_yaml()


def _item_at(by_line: list[tuple[int, Item]], line: int) -> Item | None:
    found = None
    for start, item in by_line:
        if start <= line:
            found = item
    return found if line else None


def _curie(iri: str) -> str:
    from cskg.labels import curie

    return curie(iri)
