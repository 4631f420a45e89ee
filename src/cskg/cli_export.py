"""``cskg export``: the entity graph in the formats graph tools open (see ``cskg.export``)."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cskg.cli import Endpoint, _project, _reader
from cskg.errors import InputError

FORMAT_NAMES = ["graphml", "gexf", "cytoscape", "dot", "csv", "jsonld", "turtle", "html", "svg",
                "png"]


def export(
    format: Annotated[str, typer.Option(
        "--format", "-f", help="graphml, gexf, cytoscape, dot, csv, jsonld, turtle, html, svg or png (pictures "
        "drawn by Graphviz's dot program).",
        show_default=False)],
    around: Annotated[str | None, typer.Option(
        "--around", help="Only the entities within --depth steps of this one (a name, alias, "
        "code or IRI).", show_default=False)] = None,
    depth: Annotated[int, typer.Option("--depth", help="Steps from --around.")] = 1,
    query: Annotated[str | None, typer.Option(
        "--query", help="Only what a named CONSTRUCT query returns, e.g. partnership-map.",
        show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="A parameter of --query, as name=value (repeatable).",
        show_default=False)] = None,
    type: Annotated[list[str] | None, typer.Option(
        "--type", help="Only entities of this class, e.g. Council or cskg:Partnership "
        "(repeatable).", show_default=False)] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Write to this file (CSV writes FILE.nodes.csv and "
        "FILE.edges.csv); standard output otherwise (for svg and png only when it is not a "
        "terminal).", show_default=False)] = None,
    layout: Annotated[str, typer.Option(
        "--layout", help="svg/png: Graphviz's layout engine: dot (layered), sfdp "
        "(force-directed, fast on big graphs), neato, fdp, circo, twopi, or auto: dot up to "
        "60 nodes and 150 edges, sfdp above.")] = "auto",
    max_nodes: Annotated[int, typer.Option(
        "--max-nodes", help="svg/png: refuse a picture of more nodes than this (unreadable "
        "and slow); 0 for no limit.")] = 500,
    endpoint: Endpoint = None,
) -> None:
    """Export the entity graph (or part of it) for Gephi, Cytoscape, yEd, Graphviz, RDF tools or a
    browser: entities are nodes with their key facts, relationships are edges with their sources.
    Council nodes carry their latest grade and its dates, so a map can be coloured by grade.

    Example: cskg export --format svg --around Bolton -o bolton.svg
    """
    from cskg.export import EXPORTERS, select
    from cskg.network import project

    if format not in EXPORTERS:
        raise InputError(f"unknown export format {format!r}", "use one of: " + ", ".join(EXPORTERS))
    chosen = EXPORTERS[format]
    if chosen.picture:
        from cskg.export import picture

        if layout not in picture.LAYOUTS:
            raise InputError(f"unknown layout {layout!r}", "use one of: " + ", ".join(picture.LAYOUTS))
        if max_nodes < 0:
            raise InputError(f"--max-nodes must be 0 (no limit) or more, not {max_nodes}")
        if output is None and sys.stdout.isatty():
            raise InputError(f"a {format.upper()} picture is not for a terminal",
                             f"write it to a file with --output FILE.{format}, or pipe it "
                             f"(cskg export --format {format} ... > FILE.{format})")
    params = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--param {item!r} is not name=value")
        params[name.strip()] = value
    if params and query is None:
        raise InputError("--param goes with --query")
    from cskg.progress import working

    with _reader(_project(), endpoint) as store, working(f"Exporting the graph as {format}…"):
        graph = select(store, project(store), around=around, depth=depth, query=query,
                       params=params, types=type or None,
                       statements=chosen.rdf, details=not chosen.rdf)
        if chosen.picture:
            files = picture.picture(graph, format, layout=layout, max_nodes=max_nodes)
        else:
            files = chosen.export(graph)
    if not graph.nodes:
        typer.echo("Note: the selection is empty: nothing but the format's frame is exported.",
                   err=True)
    if output is None:
        for i, content in enumerate(files.values()):
            if i:
                sys.stdout.buffer.write(b"\n")
            sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    target = Path(output)
    written = []
    for suffix, content in files.items():
        path = target if len(files) == 1 else _with_suffix(target, suffix)
        _write(path, content)
        written.append(str(path))
    typer.echo(f"wrote {', '.join(written)}: {len(graph.nodes)} nodes, {len(graph.edges)} edges",
               err=True)


def _with_suffix(target: Path, suffix: str) -> Path:
    """``map`` or ``map.csv`` -> ``map.nodes.csv`` for the suffix ``.nodes.csv``."""
    stem = target.name.removesuffix(".csv")
    return target.with_name(stem + suffix)


def _write(path: Path, content: bytes) -> None:
    """Write atomically: a reader never sees half a file."""
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}: no such directory")
    from cskg import deadline

    deadline.disarm()  # every query has run: the write is not cut short
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(content)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
