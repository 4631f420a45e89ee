"""``cskg serve``: a read-only SPARQL endpoint and a browsable site of the embedded store.

Safe by default: it binds to loopback, refuses updates, ``SERVICE`` and graphs from outside
the store (``safety``), stops every query at a time limit and bounds every answer's size
(``app.Limits``), and answers from a consistent copy of the store that follows ``cskg add``
(``snapshots``). Queries run in worker processes (``worker``) so that one past the limit can
be stopped.
"""

from __future__ import annotations

import multiprocessing
import socket
import sys
from typing import Any

from cskg.errors import InputError
from cskg.serve.app import Limits

__all__ = ["Limits", "serve"]
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _listen(bind: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((bind, port))
    except OSError as error:
        sock.close()
        raise InputError(f"cannot listen on {bind}:{port}: {error.strerror or error}",
                         "choose another --port (0 picks a free one)") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(project: Any, bind: str = "127.0.0.1", port: int = 8000, limits: Limits | None = None,
          quiet: bool = False) -> None:
    """Serve until interrupted."""
    import pebble
    import uvicorn

    from cskg.serve.app import Site, create_app
    from cskg.serve.snapshots import Snapshots

    limits = limits or Limits()
    sock = _listen(bind, port)
    snapshots = Snapshots(project, keep_for=limits.timeout + 10)
    pool = pebble.ProcessPool(max_workers=limits.workers, context=multiprocessing.get_context("spawn"))
    try:
        snapshots.start()
        site = Site(project, limits, snapshots, pool)
        host, real_port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        address = f"http://{shown}:{real_port}/"
        sys.stdout.write(
            f"cskg serve: {address} (SPARQL endpoint {address}sparql), read-only; {limits.describe()}; "
            "updates, SERVICE and graphs from outside the store refused. Ctrl-C stops it.\n")
        if bind not in _LOOPBACK:
            sys.stdout.write(f"warning: listening on {bind}, not loopback: anyone who can reach this "
                             "machine on that address can read the whole graph\n")
        sys.stdout.flush()
        config = uvicorn.Config(create_app(site), log_level="warning" if quiet else "info",
                                access_log=not quiet, lifespan="off")
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        pool.stop()  # type: ignore[no-untyped-call]
        pool.join(timeout=5)
        snapshots.close()
        sock.close()
