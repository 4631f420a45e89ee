"""An addition: one new named graph read from a file, before it joins the graph.

RDF files (TriG, Turtle, N-Triples, JSON-LD) and YAML fact sheets (see
``cskg.factsheet``) both become an ``Addition``: the quads of exactly one
named graph, plus where in the input each entity was written, so a report
can point a person at the line to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from cskg.errors import InputError
from cskg.project import GRAPH_BASE
from cskg.store import GraphStore, parse_quads, rdf_format

YAML_SUFFIXES = {".yaml", ".yml"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class Addition:
    """The quads of one new named graph and where each entity came from in the input."""

    display: str
    graph: str
    quads: list[ox.Quad]
    lines: dict[str, int] = field(default_factory=dict)
    source_text: str | None = None
    #: what the input says of its entities' identity (``cskg.matching.Directive`` by IRI):
    #: ``same as:`` / ``different from:`` in a fact sheet
    directives: dict[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.graph[len(GRAPH_BASE):]

    def where(self, iri: str) -> str:
        """``file:line`` of an entity in the input, or the file alone."""
        line = self.lines.get(iri)
        return f"{self.display}:{line}" if line else self.display

    def subjects(self) -> set[str]:
        return {q.subject.value for q in self.quads if isinstance(q.subject, ox.NamedNode)}


class Resolver(Protocol):
    """How an input's names meet the graph it joins."""

    def council(self, name: str) -> str:
        """The IRI of the existing council a name, alias or GSS code stands for.

        Raises ``UnknownName`` (with close suggestions) or ``AmbiguousName``.
        """
        ...

    def people(self, name: str) -> list[str]:
        """IRIs of existing people whose label is this name (compared case-insensitively)."""
        ...

    def organisations(self, name: str) -> list[str]:
        """IRIs of existing organisations (not councils) whose label or alias is this name."""
        ...


class StoreResolver:
    """Resolve names against the built store."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def council(self, name: str) -> str:
        from cskg.labels import resolve

        iri = resolve(self.store, name)
        if not self.store.ox.query(
            f"ASK {{ {ox.NamedNode(iri)} a <https://w3id.org/cskg/def#Council> }}",
            use_default_graph_as_union=True,
        ):
            raise InputError(f"{name!r} is not a council (it names {iri})")
        return iri

    def _labelled(self, name: str, types: str) -> list[str]:
        from cskg.labels import normalise

        rows = self.store.query(
            "SELECT DISTINCT ?s ?l WHERE { VALUES ?t { " + types + " } ?s a ?t ; "
            "rdfs:label|skos:altLabel ?l }"
        )
        wanted = normalise(name)
        return sorted({r["s"].value for r in rows if normalise(r["l"].value) == wanted})

    def people(self, name: str) -> list[str]:
        return self._labelled(name, "schema:Person")

    def named(self, name: str, kind: str) -> list[str]:
        """IRIs of existing entities of a kind (event, person, partnership, organisation) so named."""
        from cskg.labels import _named, normalise
        from cskg.matching import KINDS

        classes = KINDS.get(kind, set())
        return [iri for iri in _named(self.store, normalise(name))
                if any(True for q in self.store.ox.quads_for_pattern(
                    ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None, None) if q.object.value in classes)]

    def organisations(self, name: str) -> list[str]:
        return self._labelled(
            name,
            "org:Organization org:FormalOrganization cskg:Inspectorate cskg:Charity "
            "cskg:NewsPublisher cskg:PoliticalParty cskg:ChildrensServicesTrust",
        )


def load(path: Path, display: str, resolver: Resolver | None = None) -> Addition:
    """Read an addition from an RDF file or a YAML fact sheet."""
    if path.suffix in YAML_SUFFIXES:
        from cskg.factsheet import load_sheet

        return load_sheet(path, display, resolver)
    return load_rdf(path, display)


def load_rdf(path: Path, display: str) -> Addition:
    """An RDF file as an addition: a TriG file's one named graph, or triples named after the file."""
    fmt = rdf_format(path)
    graph = GRAPH_BASE + _slug_of(path.stem)
    quads = parse_quads(path, display, default_graph=graph)
    names = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
    if len(names) != 1:
        raise InputError(
            f"{display}: holds {len(names)} named graphs; an addition is exactly one source "
            "in one named graph",
        )
    if not names[0].startswith(GRAPH_BASE) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", names[0][len(GRAPH_BASE):]):
        raise InputError(
            f"{display}: the named graph {names[0]} is not a cskg source graph",
            f"name it {GRAPH_BASE}<slug>, the slug in lower case with hyphens",
        )
    text = path.read_text(encoding="utf-8", errors="replace") if fmt != "jsonld" else None
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    return Addition(display, names[0], quads, _lines_of(text, subjects) if text else {}, text)


def _slug_of(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "addition"


_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z0-9_.-]*):\s*<([^>]*)>", re.I | re.M)
_BASE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.I | re.M)


def _lines_of(text: str, iris: set[str]) -> dict[str, int]:
    """The first line where each IRI is written as the subject of a block (or anywhere)."""
    prefixes = {p: ns for p, ns in _PREFIX.findall(text)}
    base = (_BASE.findall(text) or [None])[-1]
    spellings: dict[str, list[str]] = {}
    for iri in iris:
        forms = [f"<{iri}>"]
        for prefix, ns in prefixes.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                local = iri[len(ns):]
                forms += [f"{prefix}:{local}", f"{prefix}:{local.replace('/', chr(92) + '/')}"]
        if base and iri.startswith(base):
            forms.append(f"<{iri[len(base):]}>")
        spellings[iri] = forms
    found: dict[str, int] = {}
    lines = text.splitlines()
    for iri, forms in spellings.items():
        pattern = re.compile(r"(?:^|[\s;,\[(])(" + "|".join(re.escape(f) for f in forms) + r")(?=$|[\s;,.\])])")
        first_any = None
        for number, line in enumerate(lines, 1):
            stripped = line.split("#", 1)[0] if not line.lstrip().startswith("<") else line
            match = pattern.search(" " + stripped)
            if not match:
                continue
            if first_any is None:
                first_any = number
            if not stripped[: max(match.start(1) - 1, 0)].strip():  # the IRI starts the line
                found[iri] = number
                break
        if iri not in found and first_any is not None:
            found[iri] = first_any
    return found
