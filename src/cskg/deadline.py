"""Every command's queries stop after a time limit: ``--timeout SECONDS`` (default 120 s).

pyoxigraph 0.5 has no way to cancel a running query, and a Python thread cannot be
stopped, so the limit is a watchdog thread armed when the command starts. When the limit
passes it prints a plain-English message naming the query that was running and the
limit, removes any temporary file the command registered, and ends the process with exit
code 2 (``os._exit``: the query thread cannot be unwound). That is safe because nothing is
written before the limit can fire: every command that writes (``add``, ``import``,
``remove``, ``build``, ``export -o``, ``query -o``) calls ``disarm()`` just before its first
write, after all its queries and validation have run, and every write goes to a temporary
file renamed into place. The limit bounds the command's querying as a whole, which is what
a user waits for; ``--timeout 0`` (or ``CSKG_TIMEOUT=0``) lifts it, explicitly.

Why 120 s: the slowest read of the benchmark suite at 1M triples (``network communities``,
exports of the whole graph) takes 20-35 s on a 2-core machine, so a real question is never
stopped, and a runaway query (a cartesian product, a path over everything) is stopped in two
minutes instead of running for an hour.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

DEFAULT = 120.0
_lock = threading.Lock()
_state: dict[str, object] = {"timer": None, "what": "the command's queries", "limit": None,
                             "cleanup": [], "ends": None}


def limit_from(option: float | None) -> float | None:
    """The limit in seconds from ``--timeout`` or ``CSKG_TIMEOUT``; None for no limit."""
    if option is None:
        raw = os.environ.get("CSKG_TIMEOUT")
        if raw:
            try:
                option = float(raw)
            except ValueError:
                from cskg.errors import InputError

                raise InputError(f"CSKG_TIMEOUT={raw!r} is not a number of seconds",
                                 "set it to a number, e.g. CSKG_TIMEOUT=300, or 0 for no limit") from None
        else:
            option = DEFAULT
    return None if option <= 0 else option


def arm(seconds: float | None) -> None:
    """Start the watchdog for the rest of the command (no limit when ``seconds`` is None)."""
    disarm()
    if seconds is None:
        return
    timer = threading.Timer(seconds, _expire)
    timer.daemon = True
    with _lock:
        _state["timer"], _state["limit"] = timer, seconds
        _state["ends"] = time.monotonic() + seconds
    timer.start()


def disarm() -> None:
    """Stop the watchdog: the command is about to write, which must not be cut short."""
    with _lock:
        timer = _state["timer"]
        _state["timer"] = None
    if timer is not None:
        timer.cancel()  # type: ignore[attr-defined]


def armed() -> float | None:
    """The limit the watchdog is running with now; None when it is not running."""
    with _lock:
        limit = _state["limit"] if _state["timer"] is not None else None
    return limit if isinstance(limit, float) else None


def remaining() -> float | None:
    """Seconds left before the watchdog fires; None when it is not armed (no limit, or
    disarmed). A command that hands work to another program (``export --format svg`` runs
    Graphviz) disarms the watchdog and gives the program what is left as its own timeout."""
    with _lock:
        if _state["timer"] is None:
            return None
        return max(0.0, float(_state["ends"]) - time.monotonic())  # type: ignore[arg-type]


def limit() -> float | None:
    """The limit the watchdog was armed with (seconds), or None."""
    value = _state["limit"]
    return float(value) if isinstance(value, (int, float)) else None


def running(what: str) -> None:
    """Name what the command is querying now, for the message if the limit passes."""
    _state["what"] = what


def cleanup(path: Path) -> None:
    """A temporary file to remove if the limit passes while it exists."""
    _state["cleanup"].append(path)  # type: ignore[attr-defined]


def _expire() -> None:
    with _lock:
        if _state["timer"] is None:  # disarmed meanwhile
            return
    limit = _state["limit"]
    shown = f"{limit:g} s" if isinstance(limit, float) else f"{limit} s"
    sys.stderr.write(
        f"Error: {_state['what']} ran past the time limit of {shown} and was stopped; nothing "
        "was written.\nHint: give a longer limit with --timeout SECONDS (cskg --timeout 600 "
        "...), or --timeout 0 for none\n")
    sys.stderr.flush()
    for path in _state["cleanup"]:  # type: ignore[attr-defined]
        try:
            Path(path).unlink()
        except OSError:
            pass
    os._exit(2)
