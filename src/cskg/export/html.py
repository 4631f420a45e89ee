"""One self-contained HTML page that draws the graph with vis-network, and works offline.

The page is ``templates/graph.html`` with three things put in at export time:
the title (HTML-escaped), the graph as sorted JSON in a ``<script
type="application/json">`` block (``<``, ``>`` and ``&`` written as ``\\u003c``
and so on, so no label can end the block), and vis-network's JavaScript, read
from the installed ``pyvis`` package (which ships it) and inlined. The page
loads nothing from anywhere: its Content-Security-Policy forbids it.

In the page: nodes coloured by type (``model.colour``), directed labelled
edges, a search box by name, a filter by type, and a side panel with the
clicked entity's type, IRI, values and relationships with their sources, and a
"Save image" button that downloads the view as drawn (zoom, filter, selection) as
PNG: the canvas copied onto white with ``toDataURL``, made in the page. The
layout is seeded (``randomSeed: 1``) and the physics is switched off once it
has settled, so the drawing holds still. For tests the page sets
``window.cskg`` (``network``, ``nodes``, ``edges``, ``select``, ``search``,
``filter``, ``saveImage``, ``imageURL``, and ``ready``, true once the settled
drawing is on screen) and shows the number of visible nodes in ``#count``.

The same graph always gives the same bytes: no dates, no random ids.
"""

from __future__ import annotations

import html
import json
import math
import re
from importlib import resources
from typing import Any

from cskg.errors import InputError
from cskg.export.model import ExportGraph, colour

#: Where pyvis keeps vis-network's standalone build (DataSet included).
VIS_PACKAGE = "pyvis"
VIS_SCRIPT = ("lib", "vis-9.1.2", "vis-network.min.js")
TEMPLATE = ("templates", "graph.html")
_SLOT = re.compile(r"@@(TITLE|DATA|VIS)@@")


def export(graph: ExportGraph) -> dict[str, bytes]:
    """``{".html": page}`` for the graph."""
    values = {"TITLE": html.escape(graph.title), "DATA": page_data(graph),
              "VIS": _script_safe(vis_network_js())}
    page = _SLOT.sub(lambda m: values[m.group(1)], _template())
    return {".html": page.encode("utf-8")}


def page_data(graph: ExportGraph) -> str:
    """The graph as JSON that is safe inside a ``<script>`` element."""
    counts: dict[str, int] = {}
    for node in graph.nodes:
        counts[node.type] = counts.get(node.type, 0) + 1
    body = {
        "title": graph.title,
        "types": [{"name": t, "colour": colour(t), "count": counts[t]} for t in graph.types],
        "nodes": [{"id": n.id, "label": n.label, "type": n.type, "types": n.types,
                   "colour": colour(n.type),
                   "attributes": {k: _json_value(v) for k, v in n.attributes.items()}}
                  for n in graph.nodes],
        "edges": [{"id": e.id, "source": e.source, "target": e.target, "label": e.label,
                   "predicate": e.predicate, "iri": e.iri, "sources": e.sources}
                  for e in graph.edges],
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)
    # Only inside JSON strings can these occur, where the escapes mean the same characters.
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def vis_network_js() -> str:
    """vis-network's JavaScript, from the installed pyvis package."""
    try:
        root = resources.files(VIS_PACKAGE)
    except ModuleNotFoundError:
        raise InputError(
            f"the HTML export needs the Python package {VIS_PACKAGE!r}, which is not installed "
            "(it ships the vis-network JavaScript that the page inlines)",
            f"install it: pip install {VIS_PACKAGE}",
        ) from None
    script = root
    for part in VIS_SCRIPT:
        script = script / part
    if not script.is_file():
        raise InputError(
            f"the installed {VIS_PACKAGE!r} package has no {'/'.join(VIS_SCRIPT)}, which the HTML "
            "export inlines",
            f"install a pyvis version that ships vis-network 9.1.2: pip install '{VIS_PACKAGE}>=0.3.2'",
        )
    return script.read_text(encoding="utf-8")


def _script_safe(code: str) -> str:
    """JavaScript that cannot end its ``<script>`` element early (``</script`` only occurs
    inside strings or regular expressions, where ``<\\/`` means the same)."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _template() -> str:
    resource = resources.files(__package__ or "cskg.export")
    for part in TEMPLATE:
        resource = resource / part
    if not resource.is_file():
        raise InputError(f"cskg is installed without its HTML template {'/'.join(TEMPLATE)}",
                         "reinstall cskg")
    return resource.read_text(encoding="utf-8")
