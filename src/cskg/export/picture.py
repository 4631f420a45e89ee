"""Pictures of the graph: SVG and PNG drawn by Graphviz from the DOT export.

Graphviz's ``dot`` program lays out and draws the DOT text that ``formats.dot``
writes. Two layouts: ``dot`` (layered, left to right: clear for a small part,
but its crossing reduction grows steeply: 23 nodes and 94 edges take 0.1 s, 147
nodes and 460 edges 2.4 s, 155 nodes and 1,530 edges over two minutes) and
``sfdp`` (force-directed, for anything bigger: the shipped graph's 2,229 nodes
and 5,256 edges in 4 s as SVG). ``auto`` picks ``dot`` up to ``DOT_NODES``
nodes and ``DOT_EDGES`` edges, ``sfdp`` above.

A picture of more than ``MAX_NODES`` nodes is refused unless asked for
(``max_nodes``): it cannot be read, and as PNG it is tens of megabytes. A PNG is
drawn at most ``PNG_INCHES`` inches (at 96 dpi) on its longer side, so its size
is bounded whatever the graph.

Graphviz runs with the time the command's limit (``cskg --timeout``) has left,
as its own timeout; the watchdog is disarmed meanwhile, so that no ``dot``
process outlives the command.
"""

from __future__ import annotations

import shutil
import subprocess

from cskg.errors import InputError
from cskg.export import formats
from cskg.export.model import ExportGraph

LAYOUTS = ("auto", "dot", "sfdp", "neato", "fdp", "circo", "twopi")
DOT_NODES, DOT_EDGES = 60, 150
MAX_NODES = 500
PNG_INCHES = 50
INSTALL = "install Graphviz: apt-get install graphviz / brew install graphviz"


def layout_for(graph: ExportGraph, layout: str = "auto") -> str:
    """The Graphviz layout engine for the graph: ``layout``, or by size when ``auto``."""
    if layout not in LAYOUTS:
        raise InputError(f"unknown layout {layout!r}", "use one of: " + ", ".join(LAYOUTS))
    if layout != "auto":
        return layout
    small = len(graph.nodes) <= DOT_NODES and len(graph.edges) <= DOT_EDGES
    return "dot" if small else "sfdp"


def check_size(graph: ExportGraph, fmt: str, max_nodes: int = MAX_NODES) -> None:
    """Refuse a picture of more than ``max_nodes`` nodes (0: no limit)."""
    if max_nodes < 0:
        raise InputError(f"--max-nodes must be 0 (no limit) or more, not {max_nodes}")
    if max_nodes and len(graph.nodes) > max_nodes:
        raise InputError(
            f"the selection has {len(graph.nodes)} nodes and {len(graph.edges)} edges: a "
            f"{fmt.upper()} picture of more than {max_nodes} nodes cannot be read (and is slow "
            "to lay out)",
            "draw a part, e.g. --around Bolton (a council's neighbourhood), --type Council or "
            f"--query partnership-map; or raise the limit with --max-nodes {len(graph.nodes)} "
            "(0: no limit)")


def render(source: bytes, fmt: str, layout: str) -> bytes:
    """``source`` (DOT) drawn by Graphviz as ``fmt`` (svg or png) with the ``layout`` engine."""
    program = shutil.which("dot")
    if program is None:
        raise InputError(f"the {fmt} export needs Graphviz's dot program, which is not on PATH",
                         INSTALL)
    from cskg import deadline

    seconds = deadline.remaining()
    deadline.disarm()  # dot gets the time that is left as its own timeout, below
    args = [program, f"-K{layout}", f"-T{fmt}"]
    if fmt == "png":
        args.append(f"-Gsize={PNG_INCHES},{PNG_INCHES}")
    try:
        done = subprocess.run(args, input=source, capture_output=True, timeout=seconds,
                              check=False)
    except subprocess.TimeoutExpired:
        limit = deadline.limit() or seconds or 0
        raise InputError(
            f"Graphviz's {layout} layout ran past the time limit of {limit:g} s and was "
            "stopped; nothing was written",
            "draw a smaller part (--around NAME), use --layout sfdp (fast for big graphs), or "
            "give a longer limit: cskg --timeout 600 export ...") from None
    except OSError as error:
        raise InputError(f"could not run Graphviz's dot ({program}): {error}", INSTALL) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip() or "(it said nothing)"
        raise InputError(f"Graphviz's dot failed (exit code {done.returncode}) drawing the "
                         f"{fmt} with the {layout} layout:\n{said}")
    return done.stdout


def picture(graph: ExportGraph, fmt: str, layout: str = "auto",
            max_nodes: int = MAX_NODES) -> dict[str, bytes]:
    """``{".svg": ...}`` or ``{".png": ...}``: the graph's DOT export drawn by Graphviz."""
    check_size(graph, fmt, max_nodes)
    engine = layout_for(graph, layout)
    return {f".{fmt}": render(formats.dot(graph)[".dot"], fmt, engine)}


def svg(graph: ExportGraph) -> dict[str, bytes]:
    return picture(graph, "svg")


def png(graph: ExportGraph) -> dict[str, bytes]:
    return picture(graph, "png")
