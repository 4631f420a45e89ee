"""A spinner on the terminal while a command works: ``with working("…"):``.

Shown on stderr only when stderr is a terminal, and only once the work has taken
``after`` seconds, so quick commands, pipes, scripts and tests see nothing. The line is
removed when the work ends; the answer goes to stdout as before.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: seconds of work before the spinner appears (CSKG_PROGRESS_AFTER sets another)
AFTER = 0.5


@contextmanager
def working(message: str, after: float | None = None) -> Iterator[None]:
    from rich.console import Console

    if after is None:
        try:
            after = float(os.environ.get("CSKG_PROGRESS_AFTER", AFTER))
        except ValueError:
            after = AFTER

    console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    status = console.status(message, spinner="dots")
    lock = threading.Lock()
    shown = False

    def show() -> None:
        nonlocal shown
        with lock:
            if not done.is_set():
                status.start()
                shown = True

    done = threading.Event()
    timer = threading.Timer(after, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            timer.cancel()
            if shown:
                status.stop()
