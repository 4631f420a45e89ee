"""``cskg serve``: the read-only SPARQL endpoint and the site (``cskg.serve``)."""

import os
from typing import Annotated

import typer

from cskg.cli import _project
from cskg.errors import InputError


def serve(
    port: Annotated[int, typer.Option("--port", "-p", help="The port to listen on (0: a free one, "
                                      "named in the start-up line).")] = 8000,
    bind: Annotated[str, typer.Option("--bind", help="The address to listen on. The default is "
                                      "loopback; 0.0.0.0 opens the graph to the network.")] = "127.0.0.1",
    query_timeout: Annotated[float, typer.Option("--query-timeout", metavar="SECONDS",
                                                 help="Stop any query (and any page) after this "
                                                 "many seconds.")] = 30.0,
    max_result_mb: Annotated[float, typer.Option("--max-result-mb", metavar="MB",
                                                 help="Refuse an answer larger than this.")] = 50.0,
    workers: Annotated[int | None, typer.Option("--workers", help="Worker processes answering "
                                                "queries (default: the number of CPUs, at least 2).",
                                                show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No line per request.")] = False,
) -> None:
    """Serve the graph over HTTP: a SPARQL 1.1 endpoint at /sparql and pages to read.

    Safe by default: loopback only, read-only (updates, SERVICE and graphs from outside the
    store are refused), every query stopped at --query-timeout and every answer bounded by
    --max-result-mb. The server answers from a consistent copy of the store and picks up
    `cskg add` made in another terminal.

    Example: cskg serve --port 8000, then open http://127.0.0.1:8000/council/E08000001
    """
    from cskg import deadline
    from cskg.serve import Limits
    from cskg.serve import serve as run

    deadline.disarm()  # a server runs until stopped; each of its queries has its own limit
    if query_timeout <= 0:
        raise InputError("--query-timeout must be more than 0 seconds: a server bounds every query")
    if max_result_mb <= 0:
        raise InputError("--max-result-mb must be more than 0")
    if not 0 <= port <= 65535:
        raise InputError(f"--port {port} is not a port (0 to 65535)")
    count = workers if workers is not None else max(2, os.cpu_count() or 2)
    if count < 1:
        raise InputError("--workers must be at least 1")
    limits = Limits(timeout=query_timeout, max_bytes=int(max_result_mb * 1_000_000), workers=count)
    run(_project(), bind=bind, port=port, limits=limits, quiet=quiet)  # type: ignore[no-untyped-call]
