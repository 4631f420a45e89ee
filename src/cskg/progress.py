"""A spinner on the terminal while a command works: ``with working("…"):``.

Shown on stderr only when stderr is a terminal, and only once the work has taken
``after`` seconds, so quick commands, pipes, scripts and tests see nothing. The line is
removed when the work ends; the answer goes to stdout as before.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.status import Status

#: seconds of work before the spinner appears (CSKG_PROGRESS_AFTER sets another)
AFTER = 0.5


@contextmanager
def working(message: str, after: float | None = None) -> Iterator[None]:
    if after is None:
        try:
            after = float(os.environ.get("CSKG_PROGRESS_AFTER", AFTER))
        except ValueError:
            after = AFTER
    if sys.stderr is None or not sys.stderr.isatty():
        yield
        return
    # rich is imported only once the spinner is due: its import is a quarter of a quick
    # command's start-up (measured by benchmarks/bench_history.py: about 25 ms a query)
    status: Status | None = None
    lock = threading.Lock()
    done = threading.Event()

    def show() -> None:
        nonlocal status
        from rich.console import Console

        with lock:
            if not done.is_set():
                status = Console(stderr=True).status(message, spinner="dots")
                status.start()

    # due at once (CSKG_PROGRESS_AFTER=0): shown before the work starts, not raced with it
    timer = None if after <= 0 else threading.Timer(after, show)
    if timer is None:
        show()
    else:
        timer.daemon = True
        timer.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            if timer is not None:
                timer.cancel()
            if status is not None:
                status.stop()
