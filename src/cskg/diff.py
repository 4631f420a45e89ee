"""What an addition would add to the graph, entity by entity, without writing anything."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from cskg.addition import Addition
from cskg.changes import in_store
from cskg.labels import curie, labels
from cskg.store import GraphStore


@dataclass
class EntityDiff:
    """One entity of the addition: new or existing, and its statements by status."""

    iri: str
    label: str
    new: bool
    added: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    stated_in: list[str] = field(default_factory=list)
    #: new, existing (the same identifier), or linked (matched to an existing entity)
    status: str = "new"
    why: str = ""
    written_as: str | None = None


def diff(store: GraphStore, addition: Addition) -> list[EntityDiff]:
    """Each entity of the addition, linked to the graph's (``cskg.matching``), with the
    statements that are new and those already there."""
    return diff_and_problems(store, addition)[0]


def diff_and_problems(store: GraphStore, addition: Addition) -> tuple[list[EntityDiff], list]:  # type: ignore[type-arg]
    """The diff, and the problems matching and conflicts find (what would stop ``cskg add``)."""
    from cskg.matching import conflicts, link

    addition, matching = link(store, addition)
    links = {lk.existing: lk for lk in matching.links}
    entries = _diff(store, addition)
    for e in entries:
        lk = links.get(e.iri)
        if lk is not None and lk.how != "identifier":
            e.status, e.why = "linked", lk.why
            e.written_as = lk.new if lk.new != lk.existing else None
        elif not e.new:
            e.status = "existing"
    return entries, matching.problems + conflicts(store, addition)


def _diff(store: GraphStore, addition: Addition) -> list[EntityDiff]:
    subjects = sorted({q.subject.value for q in addition.quads})
    mentioned = set(subjects) | {q.predicate.value for q in addition.quads} | {
        q.object.value for q in addition.quads if isinstance(q.object, ox.NamedNode)}
    names = labels(store, mentioned)
    mem_labels = {q.subject.value: q.object.value for q in addition.quads
                  if q.predicate.value.endswith("#label") and isinstance(q.object, ox.Literal)}
    found = []
    for iri in subjects:
        node = ox.NamedNode(iri)
        graphs = {q.graph_name.value for q in store.ox.quads_for_pattern(node, None, None, None)
                  if isinstance(q.graph_name, ox.NamedNode)}
        entry = EntityDiff(iri, names.get(iri) or mem_labels.get(iri) or curie(iri), not graphs,
                           stated_in=sorted(store.graph_files.get(g, g) for g in graphs))
        for q in addition.quads:
            if q.subject.value != iri:
                continue
            value = q.object.value if isinstance(q.object, ox.Literal) else names.get(
                q.object.value, curie(q.object.value))
            pair = (names.get(q.predicate.value, curie(q.predicate.value)), value)
            (entry.unchanged if in_store(store, q) else entry.added).append(pair)
        entry.added.sort()
        entry.unchanged.sort()
        found.append(entry)
    return sorted(found, key=lambda e: (not e.new, e.label))


def render(entries: list[EntityDiff], problems: list | None = None) -> str:  # type: ignore[type-arg]
    """The diff for a person: + new statement, = already in the graph."""
    from cskg.matching import files_words

    lines = []
    for e in entries:
        if e.status == "linked":
            status = f"linked: {e.why}; in {files_words(e.stated_in)}"
        else:
            status = "new" if e.new else "existing, in " + files_words(e.stated_in)
        lines.append(f"{e.label}  <{curie(e.iri)}>  ({status})")
        lines += [f"  + {p}: {v}" for p, v in e.added]
        if e.unchanged:
            lines.append(f"  = {len(e.unchanged)} statements already in the graph")
    added = sum(len(e.added) for e in entries)
    same = sum(len(e.unchanged) for e in entries)
    new = sum(1 for e in entries if e.new)
    linked = sum(1 for e in entries if e.status == "linked")
    lines.append(f"\n{added} statements to add ({new} new entities, "
                 f"{len(entries) - new} existing ones, {linked} of them linked by matching); "
                 f"{same} already in the graph.")
    for r in problems or []:
        lines.append(f"\ncskg add would stop here: {r.label} ({', '.join(r.files)})\n  {r.message}")
    return "\n".join(lines) + "\n"
