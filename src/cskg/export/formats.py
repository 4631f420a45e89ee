"""The exporters: small functions from one ``ExportGraph`` to the bytes of a file format.

Each returns ``{suffix: bytes}`` (two files for CSV). Nothing here depends on
the time or on hash order, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import networkx as nx

from cskg.export.model import ExportGraph, colour, typed


def _networkx(graph: ExportGraph, viz: bool = False) -> nx.MultiDiGraph:
    """A networkx graph with each attribute converted to its key's single type."""
    out = nx.MultiDiGraph(name=graph.title)
    for node in graph.nodes:
        data: dict[str, Any] = {"label": node.label, "type": node.type, "types": node.types}
        for key, value in node.attributes.items():
            data[key] = typed(value, graph.attribute_types[key])
        if viz:
            red, green, blue = (int(colour(node.type)[i:i + 2], 16) for i in (1, 3, 5))
            data["viz"] = {"color": {"r": red, "g": green, "b": blue, "a": 1.0}}
        out.add_node(node.id, **data)
    for edge in graph.edges:
        # the key is the edge id in both GraphML and GEXF
        out.add_edge(edge.source, edge.target, key=edge.id, label=edge.label,
                     predicate=edge.predicate, sources=edge.sources)
    return out


def graphml(graph: ExportGraph) -> dict[str, bytes]:
    """GraphML with typed attribute keys (Gephi, yEd, Cytoscape desktop)."""
    # Key ids stay networkx's d0, d1, ...: named ids would repeat ("label" for nodes and edges).
    text = "\n".join(nx.generate_graphml(_networkx(graph)))
    return {".graphml": ("<?xml version='1.0' encoding='utf-8'?>\n" + text + "\n").encode()}


def gexf(graph: ExportGraph) -> dict[str, bytes]:
    """GEXF 1.2 with a colour per node type (Gephi)."""
    text = "\n".join(nx.generate_gexf(_networkx(graph, viz=True), version="1.2draft"))
    # The writer stamps today's date; a file that changes every day is not reproducible.
    text = re.sub(r' lastmodifieddate="[0-9-]+"', "", text)
    return {".gexf": (text + "\n").encode()}


def cytoscape(graph: ExportGraph) -> dict[str, bytes]:
    """Cytoscape.js ``elements`` JSON (also opened by Cytoscape desktop)."""
    nodes = [{"data": {"id": n.id, "label": n.label, "type": n.type, "types": n.types,
                       "colour": colour(n.type), **n.attributes}} for n in graph.nodes]
    edges = [{"data": {"id": e.id, "source": e.source, "target": e.target, "label": e.label,
                       "predicate": e.predicate, "sources": e.sources}} for e in graph.edges]
    body = {"data": {"name": graph.title}, "elements": {"nodes": nodes, "edges": edges}}
    return {".cyjs": (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode()}


#: Graphviz node shapes by type; others are ellipses.
SHAPES = {"council": "box", "partnership": "hexagon", "multi-agency safeguarding hub": "hexagon",
          "person": "oval", "judgement": "note", "finding": "note", "membership": "point",
          "full inspection": "ellipse", "monitoring visit": "ellipse", "report": "tab",
          "news article": "tab", "dataset": "cylinder", "post holding": "plain"}


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(graph: ExportGraph) -> dict[str, bytes]:
    """Graphviz DOT: shapes and colours by type, labels on nodes and edges."""
    lines = [f"digraph {_dot_string(graph.title)} {{",
             '  graph [rankdir=LR, overlap=false, fontname="Helvetica"];',
             '  node [style=filled, fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=8, color="#666666"];']
    for n in graph.nodes:
        shape = SHAPES.get(n.type, "ellipse")
        label = n.label if shape != "point" else ""
        lines.append(f"  {_dot_string(n.id)} [label={_dot_string(label)}, "
                     f"tooltip={_dot_string(n.label + ' (' + n.type + ')')}, shape={shape}, "
                     f"fillcolor={_dot_string(colour(n.type))}];")
    for e in graph.edges:
        lines.append(f"  {_dot_string(e.source)} -> {_dot_string(e.target)} "
                     f"[label={_dot_string(e.label)}, tooltip={_dot_string(e.sources)}];")
    lines.append("}")
    return {".dot": ("\n".join(lines) + "\n").encode()}


def csv_files(graph: ExportGraph) -> dict[str, bytes]:
    """A nodes file and an edges file: Gephi's Id/Label/Source/Target/Type columns, and
    Kumu's ID/Label/Type for elements and From/To for connections."""
    keys = list(graph.attribute_types)
    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(["Id", "Label", "Type", "Types", *keys])
    for n in graph.nodes:
        writer.writerow([n.id, n.label, n.type, n.types,
                         *(typed(n.attributes[k], graph.attribute_types[k]) if k in n.attributes
                           else "" for k in keys)])
    edges = io.StringIO()
    writer = csv.writer(edges, lineterminator="\n")
    writer.writerow(["Id", "Source", "Target", "From", "To", "Type", "Label", "Predicate",
                     "Sources"])
    for e in graph.edges:
        writer.writerow([e.id, e.source, e.target, e.source, e.target, "Directed", e.label,
                         e.predicate, e.sources])
    return {".nodes.csv": nodes.getvalue().encode(), ".edges.csv": edges.getvalue().encode()}
