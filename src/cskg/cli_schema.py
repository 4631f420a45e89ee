"""``cskg schema``: the classes, properties and predeclared prefixes, with counts."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cskg.cli import Endpoint, TextOrJson, _project, _reader

NOTE = ("Statements are per source: the default graph holds a fact once for each source that "
        "states it. Count entities once with COUNT(DISTINCT ?x), e.g. in cskg query --sparql:\n"
        "  SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a cskg:Council }")


def schema(
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.table,
    endpoint: Endpoint = None,
) -> None:
    """List the classes and properties in the graph, with counts, and the SPARQL prefixes
    every query has predeclared.

    "entities" (for a class) and "subjects" (for a property) count each thing once;
    "statements" count it once per source that states it, as the default graph does.

    Example: cskg schema | less
    """
    from cskg.formats import fit_lines, table, terminal_width
    from cskg.schema import schema as compute

    with _reader(_project(), endpoint) as store:  # type: ignore[no-untyped-call]
        found = compute(store)
    if format is TextOrJson.json:
        body = {
            "prefixes": found.prefixes,
            "classes": [vars(t) for t in found.classes],
            "properties": [vars(t) for t in found.properties],
        }
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    width = terminal_width()
    lines = ["Prefixes predeclared in every query (cskg query, cskg serve):",
             table(["prefix", "namespace"], [[f"{p}:", iri] for p, iri in found.prefixes.items()], width),
             ("Counted in the sources' graphs (the ontology and vocabularies declare terms; "
              "their own statements are not counted)."), "",
             f"Classes ({len(found.classes)}):",
             table(["class", "label", "entities", "statements", "sources"],
                   [[t.name, t.label, t.distinct, t.statements, t.graphs] for t in found.classes], width),
             f"Properties ({len(found.properties)}):",
             table(["property", "label", "subjects", "statements", "sources"],
                   [[t.name, t.label, t.distinct, t.statements, t.graphs] for t in found.properties], width),
             NOTE]
    typer.echo(fit_lines("\n".join(lines), width))
