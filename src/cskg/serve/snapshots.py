"""The consistent stores a server answers from, one generation after another.

A reader of the embedded store holds the shared store lock for as long as it is open, so a
server that kept the store open would keep ``cskg add`` waiting for as long as it served.
Instead the server takes the lock only to copy the store: Oxigraph's ``backup`` makes a
RocksDB checkpoint (hard links, a few milliseconds whatever the size), which stays as it was
when taken, beside a copy of the manifest it was built from. Every query is answered from
one generation, so from a store that does not change under it; the workers open a
generation read-only, each in its own process.

A watcher looks at the store's manifest and stamp once a second. When a writer has changed
the store (``cskg add``, ``cskg build``), or the graph files changed with no build yet (then
it builds, as every command that reads does), it takes a new generation; requests already
running finish on the old one, which is removed once no request can still be using it (a
query runs for at most the time limit). A graph file that fails to build leaves the server
answering from the last good generation, with a warning: the store's own rule for every
reader (``cskg.store.bring_up_to_date``).
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cskg.errors import CskgError
from cskg.project import Project
from cskg.store import (
    KeptStore,
    bring_up_to_date,
    fresh_by_stamp,
    graph_names,
    is_stale,
    locked,
    manifest_path,
    open_store,
    process_alive,
)


@dataclass(frozen=True)
class Generation:
    """One copy of the store: its number, folder and the named graphs it holds."""

    number: int
    folder: str
    graphs: frozenset[str]

    @property
    def store(self) -> str:
        return str(Path(self.folder) / "store")


class Snapshots:
    """The current generation, and the watcher that takes the next."""

    def __init__(self, project: Project, keep_for: float, interval: float = 1.0) -> None:
        self.project = project
        self.keep_for = keep_for
        self.interval = interval
        self.root = project.state_dir / "serve" / str(os.getpid())
        self._lock = threading.Lock()
        self._retired: list[tuple[float, Generation]] = []
        self._seen: tuple[int, int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.warning = ""
        self._clean_dead()
        with open_store(self.project) as store:  # built if missing or stale, as any reader would
            kept = store.kept
        self.current = self._take(1)
        if kept is not None:
            self.warning = self._behind(kept.problem)

    def _clean_dead(self) -> None:
        """Remove the generations a server that died left behind (its process is gone)."""
        parent = self.project.state_dir / "serve"
        if not parent.is_dir():
            return
        for folder in parent.iterdir():
            if folder.name.isdigit() and not process_alive(int(folder.name)):
                shutil.rmtree(folder, ignore_errors=True)

    def _manifest_id(self) -> tuple[int, int, int] | None:
        try:
            stat = manifest_path(self.project).stat()
        except OSError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def _take(self, number: int) -> Generation:
        folder = self.root / f"gen-{number}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with locked(self.project, exclusive=False):
            self._seen = self._manifest_id()
            source = ox.Store.read_only(str(self.project.store_dir))
            try:
                source.backup(str(folder / "store"))
            finally:
                del source
            shutil.copyfile(manifest_path(self.project), folder / "store.manifest.json")
        copy = ox.Store.read_only(str(folder / "store"))  # its graphs, as the checkpoint holds them
        try:
            graphs = frozenset(graph_names(copy))
        finally:
            del copy
        (folder / "store.lock").touch()
        return Generation(number, str(folder), graphs)

    def changed(self) -> bool:
        """Whether the store, or the files it is built from, changed since the last generation."""
        if self._manifest_id() != self._seen:
            return True
        return not fresh_by_stamp(self.project) and is_stale(self.project)

    def refresh(self) -> bool:
        """Take a new generation if the store changed; True when one was taken."""
        if not self.changed():
            return False
        problem: CskgError | OSError | None = None
        try:
            kept: KeptStore | None = bring_up_to_date(self.project)  # the files changed, no build
            if kept is not None:
                problem = kept.problem
            # the store as last built: a new generation only if a writer changed it meanwhile
            taken = None if kept is not None and self._manifest_id() == self._seen \
                else self._take(self.current.number + 1)
        except (CskgError, OSError) as error:
            problem, taken = error, None
        if problem is not None:
            message = self._behind(problem, taken)
            if message != self.warning:
                sys.stderr.write(message + "\n")
                self.warning = message
        if taken is None:
            self._seen = self._manifest_id()
            return False
        if problem is None:
            self.warning = ""
        with self._lock:
            self._retired.append((time.monotonic(), self.current))
            self.current = taken
        self._drop_retired()
        return True

    def _behind(self, problem: CskgError | OSError, taken: Generation | None = None) -> str:
        number = (taken or self.current).number
        return f"warning: the store could not be brought up to date ({problem}); still " \
               f"answering from generation {number}"

    def _drop_retired(self) -> None:
        now = time.monotonic()
        with self._lock:
            gone = [g for at, g in self._retired if now - at > self.keep_for]
            self._retired = [(at, g) for at, g in self._retired if now - at <= self.keep_for]
        for generation in gone:
            shutil.rmtree(generation.folder, ignore_errors=True)

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
                self._drop_retired()
            except Exception as error:  # noqa: BLE001 - the watcher outlives one bad look at the store
                sys.stderr.write(f"warning: watching the store failed: {error}\n")

    def start(self) -> None:
        self._thread = threading.Thread(target=self._watch, name="cskg-serve-watch", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)
