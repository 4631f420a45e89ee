"""The embedded Oxigraph store, built from the project's files.

The files in ``ontology/`` and ``graphs/`` are the source of truth; the store
in ``.cskg/store`` is a cache of them that every command reads. ``build``
reloads only the files whose content changed, and every file is parsed
before the store is touched, so a syntax error leaves the store as it was; readers
then answer from that store as last built, with a warning (``bring_up_to_date``),
while ``build``, ``validate`` and every writer fail on it.
A manifest beside the store records each file's hash and named graphs; it is
marked incomplete while an update runs, so an interrupted build is redone in
full the next time. A small stamp beside it (one hash of every file's size and
time) lets every command check freshness without reading the whole manifest.
Writers hold an exclusive lock, readers a shared one. A writer killed mid-write can
leave temporary files (each name carries its writer's process id); the next writer
removes those whose process is gone (``remove_leftovers``).

This is the only module that reads graph files or writes the store.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import json
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import pyoxigraph as ox

from cskg import __version__
from cskg.errors import CskgError, InputError, SyntaxProblem
from cskg.project import GRAPH_BASE, RDF_SUFFIXES, Project

MANIFEST_VERSION = 1
T = TypeVar("T")
_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_QUAD_FORMATS = {"trig", "nquads", "jsonld"}


@dataclass
class FileLoad:
    """What one file contributed to the store."""

    path: str
    graphs: list[str]
    triples: int
    reloaded: bool


@dataclass
class BuildReport:
    """What ``build`` did."""

    files: list[FileLoad] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    full: bool = False

    @property
    def changed(self) -> bool:
        return self.full or bool(self.removed) or any(f.reloaded for f in self.files)

    @property
    def triples(self) -> int:
        return sum(f.triples for f in self.files)


# --- parsing -----------------------------------------------------------------

_OX_POSITION = re.compile(
    r"(?:Parser error )?(?:(?:between|at) line (\d+) column (\d+)(?: and line \d+ column \d+)?"
    r"|at line (\d+) between columns (\d+) and \d+): "
)
_OX_TRAILER = re.compile(r" \([^()]*, line \d+\)$")


def syntax_problem(display_path: str, error: SyntaxError) -> SyntaxProblem:
    """Turn pyoxigraph's parse error into ``path:line:col: what``."""
    text = str(error.msg if getattr(error, "msg", None) else error)
    text = _OX_TRAILER.sub("", text)
    match = _OX_POSITION.search(text)
    line = error.lineno
    column = error.offset
    if match:
        line = int(match.group(1) or match.group(3))
        column = int(match.group(2) or match.group(4))
        text = text[match.end():]
    return SyntaxProblem(display_path, line, column, text.strip() or "syntax error")


def rdf_format(path: Path, name: str | None = None) -> str:
    """The format name of a file, from an explicit name or its suffix."""
    if name:
        if name not in _FORMATS:
            raise InputError(f"unknown RDF format {name!r}", "use one of: " + ", ".join(_FORMATS))
        return name
    try:
        return RDF_SUFFIXES[path.suffix]
    except KeyError:
        raise InputError(
            f"{path}: cannot tell the RDF format from the suffix {path.suffix!r}",
            "use one of: " + ", ".join(RDF_SUFFIXES),
        ) from None


def parse_file(
    path: Path, display_path: str, default_graph: str | None, fmt: str | None = None
) -> ox.Store:
    """Parse one file into a fresh in-memory store, with errors naming ``display_path``.

    Triples outside any named graph go to ``default_graph`` when one is given.
    """
    name = rdf_format(path, fmt)
    mem = ox.Store()
    kwargs: dict[str, Any] = {"path": str(path), "format": _FORMATS[name]}
    if default_graph and name not in _QUAD_FORMATS:
        kwargs["to_graph"] = ox.NamedNode(default_graph)
    try:
        mem.load(**kwargs)
    except SyntaxError as error:
        raise syntax_problem(display_path, error) from None
    except OSError as error:
        raise InputError(f"{display_path}: cannot read ({error.strerror or error})") from None
    if default_graph and name in _QUAD_FORMATS:
        loose = list(mem.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        for quad in loose:
            mem.remove(quad)
            mem.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(default_graph)))
    return mem


def parse_quads(
    path: Path, display_path: str, default_graph: str, fmt: str | None = None
) -> list[ox.Quad]:
    """Parse one file into quads exactly as written (a store would normalise some datatypes).

    Triples outside any named graph go to ``default_graph``.
    """
    name = rdf_format(path, fmt)
    try:
        quads = list(ox.parse(path=str(path), format=_FORMATS[name]))
    except SyntaxError as error:
        raise syntax_problem(display_path, error) from None
    except OSError as error:
        raise InputError(f"{display_path}: cannot read ({error.strerror or error})") from None
    graph = ox.NamedNode(default_graph)
    return [
        ox.Quad(q.subject, q.predicate, q.object, graph)
        if isinstance(q, ox.Triple) or isinstance(q.graph_name, ox.DefaultGraph) else q
        for q in quads
    ]


def graph_names(mem: ox.Store) -> list[str]:
    return sorted(g.value for g in mem.named_graphs() if isinstance(g, ox.NamedNode))


# --- manifest and lock -------------------------------------------------------


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest_path(project: Project) -> Path:
    return project.store_dir.parent / (project.store_dir.name + ".manifest.json")


def read_manifest(project: Project) -> dict[str, Any]:
    path = manifest_path(project)
    if not path.exists() or not project.store_dir.exists():
        return {"version": MANIFEST_VERSION, "complete": True, "files": {}}
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"version": MANIFEST_VERSION, "complete": False, "files": {}}
    if data.get("version") != MANIFEST_VERSION:
        return {"version": MANIFEST_VERSION, "complete": False, "files": {}}
    return data


def write_json_atomically(path: Path, data: Any) -> None:
    """Write JSON to a temporary file, fsync it, and rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        # json.dumps, compact: json.dump (and any indent) encode piece by piece in Python,
        # 1-1.6 s a write for the 12k-file manifest of a 1M-triple project
        handle.write(json.dumps(data, sort_keys=True, separators=(",", ":")))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def stamp_path(project: Project) -> Path:
    return project.store_dir.parent / (project.store_dir.name + ".stamp.json")


def write_manifest(project: Project, manifest: dict[str, Any]) -> None:
    """Write the manifest, then the stamp: the little of it that says whether the store is
    fresh (each file's size and time), keyed on the manifest file it was taken from.

    Every command checks freshness before it reads the store; parsing the whole manifest
    for that took 35-40 ms of a cold query at 1M triples (4 MB of JSON for 12k files), and
    the stamp is 200 bytes. The stamp is not synced: if a crash leaves it behind or
    torn, it no longer names the manifest's inode, size and time (every manifest write is
    a new file) and readers fall back to the manifest.
    """
    write_json_atomically(manifest_path(project), manifest)
    write_stamp(project, manifest)


def write_stamp(project: Project, manifest: dict[str, Any]) -> None:
    """Write the stamp of ``manifest``, which is the manifest file on disk or the same with
    mtimes found to differ only in time (the content checked by hash)."""
    stat = manifest_path(project).stat()
    files = manifest["files"]
    stamp = {
        "version": MANIFEST_VERSION,
        "manifest": [stat.st_ino, stat.st_size, stat.st_mtime_ns],
        "fresh": bool(manifest.get("complete")) and not manifest.get("pending"),
        "files": _files_digest((rel, files[rel]["size"], files[rel]["mtime_ns"]) for rel in files),
    }
    target = stamp_path(project)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(stamp), encoding="utf-8")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _files_digest(files: Iterable[tuple[str, int, int]]) -> str:
    """One hash of every file's name, size and time (a stamp of 12k files stays 200 bytes:
    parsing them as JSON cost as much as the manifest saved)."""
    lines = sorted(f"{rel}\0{size}\0{mtime}" for rel, size, mtime in files)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def fresh_by_stamp(project: Project) -> bool:
    """True when the stamp shows every source file as the store was built from it; False
    when it cannot tell (no stamp, one left from another manifest) or something changed,
    and the caller checks with the manifest itself."""
    digest = _stamp_digest(project)
    return digest is not None and _files_match(project, digest)


def _stamp_digest(project: Project) -> str | None:
    """The stamp's hash of the source files, if the stamp belongs to the manifest beside it
    and says the store was complete; None when it cannot tell. Cheap: two small reads."""
    try:
        stamp = json.loads(stamp_path(project).read_bytes())
        stat = manifest_path(project).stat()
    except (OSError, ValueError):
        return None
    if (not isinstance(stamp, dict) or stamp.get("version") != MANIFEST_VERSION
            or stamp.get("manifest") != [stat.st_ino, stat.st_size, stat.st_mtime_ns]
            or stamp.get("fresh") is not True or not project.store_dir.exists()
            or not isinstance(stamp.get("files"), str)):
        return None
    return str(stamp["files"])


def _files_match(project: Project, digest: str) -> bool:
    """Whether every source file's name, size and time hash to ``digest`` (a stat of each
    file: about 70 ms for the 12k files of a 1M-triple project)."""
    try:
        now = [(rel, found.st_size, found.st_mtime_ns)
               for rel, name in project.source_entries() for found in (os.stat(name),)]
    except OSError:  # a file gone while listed
        return False
    return digest == _files_digest(now)


def mark_pending(project: Project, rel: str) -> None:
    """Record that the file ``rel`` is about to be written or removed, so the next build
    reloads (or drops) it whatever its size and time say, even after a crash.

    (Marking the whole store incomplete did the same, but made the build that follows
    every ``cskg add`` a full one: 27 s at 1M triples.)
    """
    manifest = read_manifest(project)
    manifest["pending"] = sorted({*manifest.get("pending", []), rel})
    write_manifest(project, manifest)


@contextmanager
def writer_store(project: Project) -> Iterator[ox.Store]:
    """The store opened read-write by a caller holding the exclusive lock, closed on exit.

    pyoxigraph closes RocksDB only when the Store object is collected, and
    validation leaves reference cycles that keep it alive; collecting here makes
    sure the next process that takes the lock can open the store.
    """
    handle = _open_writable(project.store_dir)
    try:
        yield handle
    finally:
        del handle
        import gc

        gc.collect()


def _open_writable(path: Path, wait: float = 30.0) -> ox.Store:
    """Open the store read-write, waiting while another process's handle is still closing.

    The store lock is released when a writer's block ends, but RocksDB's own lock
    only when Python collects that writer's Store object, a moment later: a writer
    that gets the store lock in between finds RocksDB's lock still held.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            return ox.Store(str(path))
        except OSError as error:
            if "LOCK" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def temporary_dir(project: Project) -> Path:
    """Where writers stage files before renaming them into place (same file system)."""
    path = project.state_dir / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, OSError):  # not a process id at all
        return False
    return True


#: The process id in a temporary file's name: ``NAME.<pid>.tmp`` (as every writer names
#: them), or ``build-<pid>.nq.tmp`` (a build's staging file, as earlier versions named it).
_TEMP_PID = re.compile(r"[.-](\d+)(?:\.nq)?\.tmp$")


def remove_leftovers(project: Project) -> list[str]:
    """Remove the temporary files that writers killed mid-write left, and return their
    names as the user sees them. Call it holding the exclusive lock.

    They are the staged graph files and build staging in ``.cskg/tmp/``, the half-written
    manifest, stamp and files kept beside the store (``.store.*.<pid>.tmp``), and the
    folder a full build was loading (``store.new``) or replacing (``store.old``). A file is
    removed only when the process its name carries is gone, so a live process's file is
    never touched, whatever lock it holds; the folders only a build makes, under the
    exclusive lock this caller holds.
    """
    removed: list[str] = []
    prefix = "." + project.store_dir.name + "."
    for folder, wanted in ((temporary_dir(project), ""), (project.store_dir.parent, prefix)):
        try:
            with os.scandir(folder) as entries:
                names = [e.name for e in entries if e.name.startswith(wanted) and e.is_file()]
        except OSError:
            continue
        for name in names:
            match = _TEMP_PID.search(name)
            if match and not process_alive(int(match.group(1))):
                with suppress(OSError):  # gone meanwhile, or not ours to remove
                    os.unlink(folder / name)
                    removed.append(project.rel(folder / name))
    store = project.store_dir
    for leftover in (store.with_name(store.name + ".new"), store.with_name(store.name + ".old")):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(project.rel(leftover))
    return removed


def writer_view(project: Project, store: ox.Store) -> GraphStore:
    """A read view over a writer's own open store (the writer holds the exclusive lock)."""
    handle = _lock_file(project).open("a")  # not locked: the writer's lock protects the store
    return GraphStore(project, store, read_manifest(project), handle)


def _lock_file(project: Project) -> Path:
    path = project.store_dir.parent / (project.store_dir.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def locked(project: Project, exclusive: bool) -> Iterator[None]:
    """Hold the project's store lock: exclusive to write, shared to read."""
    handle: IO[str] = _lock_file(project).open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


# --- build -------------------------------------------------------------------


def _stale_files(project: Project, manifest: dict[str, Any]) -> tuple[dict[str, Path], list[str]]:
    """Files whose content differs from the manifest, and manifest entries now gone."""
    known: dict[str, Any] = manifest["files"] if manifest.get("complete") else {}
    current = dict(project.source_entries())
    pending = set(manifest.get("pending", ()))
    changed: dict[str, Path] = {}
    for rel, name in current.items():
        entry = known.get(rel)
        if rel in pending:
            entry = None
        stat = os.stat(name)
        if entry and entry["size"] == stat.st_size and entry["mtime_ns"] == stat.st_mtime_ns:
            continue
        path = Path(name)
        if entry and _same_content(path, entry["sha256"]):
            entry["mtime_ns"] = stat.st_mtime_ns
            continue
        changed[rel] = path
    removed = sorted(set(known) - set(current))
    return changed, removed


def _same_content(path: Path, sha256: str) -> bool:
    """Whether the file hashes to ``sha256``; a file that cannot be read does not (it is
    then parsed, and the parse names it and says why)."""
    try:
        return _digest(path) == sha256
    except OSError:
        return False


def is_stale(project: Project) -> bool:
    """True when the store is missing or any source file changed since the last build."""
    return _stale(project, read_manifest(project))


def _stale(project: Project, manifest: dict[str, Any]) -> bool:
    if not project.store_dir.exists() or not manifest.get("complete"):
        return True
    changed, removed = _stale_files(project, manifest)
    return bool(changed or removed)


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())


@dataclass(frozen=True)
class KeptStore:
    """The store as last built, kept answering because a source file could not be built."""

    problem: CskgError
    #: when that build finished (``None`` for a store built before builds were timed)
    built: str | None

    def warning(self) -> str:
        when = f" (built {self.built})" if self.built else ""
        return (f"warning: {self.problem.message}; the answers come from the store as last "
                f"built{when}, without this file's changes (`cskg build` fails until it is fixed)")


def bring_up_to_date(project: Project) -> KeptStore | None:
    """Build the store, as every reader does when the files changed since the last build.

    When a source file cannot be read, does not parse or breaks the one-file-one-graph
    rule, the build writes nothing (every changed file is parsed before the store is
    touched), so the store as last built still stands: if there is one, complete with its
    manifest, it is kept and the problem returned, for the reader to warn about and answer
    from. With no such store (never built, or a build cut short) the error is raised.
    ``build``, ``validate`` and the writers do not come here: they fail on such a file.
    """
    from cskg import deadline

    limit = deadline.armed()
    try:
        build(project)
    except CskgError as error:
        if limit is not None:  # the build disarmed it, and wrote nothing: the reads to come
            deadline.arm(limit)  # are bounded as if it had not run
        with locked(project, exclusive=False):
            manifest = read_manifest(project)
            if not (manifest_path(project).exists() and manifest.get("complete")
                    and project.store_dir.exists()):
                raise
        built = manifest.get("built")
        return KeptStore(error, built if isinstance(built, str) else None)
    return None


_warned: set[str] = set()


def warn_kept(kept: KeptStore) -> None:
    """Say on standard error, once a process, that answers come from the store as last built."""
    message = kept.warning()
    if message not in _warned:
        _warned.add(message)
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def build(project: Project, force: bool = False) -> BuildReport:
    """Bring the store up to date with the project's files; reload only what changed."""
    with locked(project, exclusive=True):
        return build_holding_lock(project, force)


def build_holding_lock(
    project: Project, force: bool = False, store: ox.Store | None = None
) -> BuildReport:
    """``build`` for a caller that already holds the exclusive store lock.

    ``store`` is the caller's own read-write handle, if it has one open (RocksDB
    allows one per process).
    """
    from cskg import deadline

    deadline.disarm()  # the store is being written: a build is never cut short
    started = time.perf_counter()
    remove_leftovers(project)
    manifest = read_manifest(project)
    full = force or not manifest.get("complete") or not project.store_dir.exists()
    if full:
        manifest = {"version": MANIFEST_VERSION, "complete": True, "files": {}}
    times = {rel: entry["mtime_ns"] for rel, entry in manifest["files"].items()}
    changed, removed = _stale_files(project, manifest)
    pending = manifest.pop("pending", None)  # in ``changed`` or ``removed`` now; written with them
    report = BuildReport(full=full, removed=removed)
    if full and store is None:
        _build_fresh(project, manifest, changed)
    elif changed or removed or full:
        _apply(project, manifest, _parse_all(project, changed, manifest), removed, full, store)
    elif (pending is not None or not manifest_path(project).exists()
          or any(e["mtime_ns"] != times[rel] for rel, e in manifest["files"].items())):
        # only when there is something to record: a new manifest makes the files kept
        # beside the store (``cskg.labels.beside_store``) stale, though the store is not
        write_manifest(project, manifest)  # refreshed mtimes
    for rel in sorted(manifest["files"]):
        entry = manifest["files"][rel]
        report.files.append(FileLoad(rel, entry["graphs"], entry["triples"], rel in changed))
    report.seconds = time.perf_counter() - started
    return report


def _parse_all(
    project: Project, changed: dict[str, Path], manifest: dict[str, Any]
) -> dict[str, ox.Store]:
    """Parse every changed file, checking that each graph file is one named graph."""
    parsed: dict[str, ox.Store] = {}
    owner = {g: rel for rel, e in manifest["files"].items() if rel not in changed for g in e["graphs"]}
    for rel, path in changed.items():
        expected = project.graph_iri_for(path)
        mem = parse_file(path, rel, default_graph=expected)
        names = graph_names(mem)
        if path.parent.resolve() == project.graphs_dir.resolve():
            if names != [expected]:
                raise InputError(
                    f"{rel}: holds the named graph(s) {', '.join(names) or 'none'}; "
                    f"a graph file holds exactly one, named {expected}",
                    "one file = one source = one named graph, named after the file",
                )
        for name in names:
            if name in owner:
                raise InputError(f"{rel}: the named graph {name} is also in {owner[name]}")
            owner[name] = rel
        parsed[rel] = mem
    return parsed


def _apply(
    project: Project,
    manifest: dict[str, Any],
    parsed: dict[str, ox.Store],
    removed: list[str],
    full: bool,
    open_store: ox.Store | None = None,
) -> None:
    """Write parsed files into the store, with the manifest marked incomplete meanwhile."""
    manifest["complete"] = False
    write_manifest(project, manifest)
    if open_store is not None:
        _write(project, manifest, parsed, removed, full, open_store)
    else:
        project.store_dir.mkdir(parents=True, exist_ok=True)
        with writer_store(project) as store:
            _write(project, manifest, parsed, removed, full, store)
    manifest["complete"] = True
    manifest["cskg_version"] = __version__
    manifest["built"] = _now()
    write_manifest(project, manifest)


def _build_fresh(project: Project, manifest: dict[str, Any], files: dict[str, Path]) -> None:
    """A full build: every file streamed into one N-Quads staging file, bulk-loaded into a
    new store folder that then replaces the store.

    Loading file by file cost 1 ms of store set-up a file (12 s for the 12k files of a
    1M-triple project) and feeding quads through Python to ``bulk_extend`` 17 s more;
    Oxigraph's own bulk loader reads the staging file in parallel. A fresh folder also
    matters: clearing a RocksDB store only writes deletions over its old files (a
    rebuilt 1M-triple store kept 48,889 files and took 6.6 s to open on every command;
    a fresh one has about 30 and opens in 0.06 s).
    """
    target = project.store_dir
    fresh = target.with_name(target.name + ".new")
    old = target.with_name(target.name + ".old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    fresh.parent.mkdir(parents=True, exist_ok=True)
    staging = temporary_dir(project) / f"build.nq.{os.getpid()}.tmp"
    try:
        entries: dict[str, dict[str, Any]] = {}
        with staging.open("wb") as out:
            ox.serialize(_stream_files(project, files, entries), out, ox.RdfFormat.N_QUADS)
        handle = ox.Store(str(fresh))
        try:
            handle.bulk_load(path=str(staging), format=ox.RdfFormat.N_QUADS)
            handle.flush()
        finally:
            del handle
            gc.collect()  # RocksDB closes when the Store is collected
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    finally:
        staging.unlink(missing_ok=True)
    # Only now is the manifest marked incomplete: until the swap the store and its manifest
    # are the last good build, which readers keep answering from when a file fails to parse.
    manifest["complete"] = False
    write_manifest(project, manifest)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    manifest["files"] = entries
    manifest["complete"] = True
    manifest["cskg_version"] = __version__
    manifest["built"] = _now()
    write_manifest(project, manifest)


def _stream_files(
    project: Project, files: dict[str, Path], entries: dict[str, dict[str, Any]]
) -> Iterator[ox.Quad]:
    """Every quad of ``files`` in turn, with each file's checks as ``_parse_all`` makes them;
    ``entries`` receives each file's manifest entry once it is read."""
    owner: dict[str, str] = {}
    for rel, path in files.items():
        expected = project.graph_iri_for(path)
        name = rdf_format(path)
        default = ox.NamedNode(expected)
        seen: set[ox.Quad] = set()
        graphs: set[str] = set()
        try:
            for q in ox.parse(path=str(path), format=_FORMATS[name]):
                if isinstance(q, ox.Triple) or isinstance(q.graph_name, ox.DefaultGraph):
                    q = ox.Quad(q.subject, q.predicate, q.object, default)
                if q in seen:
                    continue
                seen.add(q)
                graphs.add(q.graph_name.value)
                yield q
        except SyntaxError as error:
            raise syntax_problem(rel, error) from None
        except OSError as error:
            raise InputError(f"{rel}: cannot read ({error.strerror or error})") from None
        names = sorted(graphs)
        if rel.startswith("graphs/") and names != [expected]:
            raise InputError(
                f"{rel}: holds the named graph(s) {', '.join(names) or 'none'}; "
                f"a graph file holds exactly one, named {expected}",
                "one file = one source = one named graph, named after the file",
            )
        for graph in names:
            if graph in owner:
                raise InputError(f"{rel}: the named graph {graph} is also in {owner[graph]}")
            owner[graph] = rel
        stat = os.stat(path)
        entries[rel] = {"sha256": _digest(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                        "graphs": names, "triples": len(seen)}


def _write(
    project: Project,
    manifest: dict[str, Any],
    parsed: dict[str, ox.Store],
    removed: list[str],
    full: bool,
    store: ox.Store,
) -> None:
    if full:
        store.clear()
    for rel in [*removed, *parsed]:
        for graph in manifest["files"].pop(rel, {}).get("graphs", []):
            store.remove_graph(ox.NamedNode(graph))
    # One bulk load for every changed file: each bulk call writes new files on disk,
    # so a call per graph file made a build of a thousand small files slow.
    store.bulk_extend(
        quad for mem in parsed.values() for quad in mem.quads_for_pattern(None, None, None, None)
    )
    for rel, mem in parsed.items():
        path = project.root / rel
        stat = path.stat()
        manifest["files"][rel] = {
            "sha256": _digest(path),
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "graphs": graph_names(mem),
            "triples": len(mem),
        }
    store.flush()


# --- reading -----------------------------------------------------------------


class GraphStore:
    """A read view of the built store, with the map from named graphs to files.

    It holds the shared store lock for as long as it is open, so no writer
    changes the store under a reader.
    """

    def __init__(
        self, project: Project, store: ox.Store, manifest: dict[str, Any] | None, lock: IO[str]
    ) -> None:
        self.project = project
        self.ox = store
        self._manifest = manifest
        self._graph_files: dict[str, str] | None = None
        self._lock = lock
        #: set when a source file could not be built, and this is the store as last built
        self.kept: KeptStore | None = None

    @property
    def graph_files(self) -> dict[str, str]:
        """Each named graph's file, from the manifest (read when first asked for, under the
        lock this view holds: a query that never asks does without the 4 MB of JSON)."""
        if self._graph_files is None:
            manifest = self._manifest if self._manifest is not None else read_manifest(self.project)
            self._graph_files = {g: rel for rel, e in manifest["files"].items() for g in e["graphs"]}
            self._manifest = None
        return self._graph_files

    def close(self) -> None:
        """Release the store and its lock."""
        if not self._lock.closed:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def data_graphs(self) -> list[str]:
        """Named graphs that hold facts (one per source), in file order."""
        return sorted(g for g in self.graph_files if g.startswith(GRAPH_BASE))

    def query(self, sparql: str, **kwargs: Any) -> Any:
        """Run SPARQL over the union of all graphs (``GRAPH`` still reaches each one)."""
        from cskg.prefixes import PREFIXES

        return self.ox.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True, **kwargs)

    def dump_nquads(self) -> bytes:
        return bytes(self.ox.dump(format=ox.RdfFormat.N_QUADS))


def open_store(project: Project, rebuild: bool = True, keep_last_good: bool = True) -> GraphStore:
    """Open the store for reading, building it first when it is missing or stale.

    When that build fails on a source file, the store as last built is opened, and a
    warning says so (``bring_up_to_date``); with ``keep_last_good=False`` (``validate``)
    the error is raised.

    Freshness is checked on the stamp (``fresh_by_stamp``), and only when it cannot tell
    on the manifest, under the shared lock; the view reads the manifest (4 MB of JSON for
    the 12k files of a 1M-triple project) only if it is asked which file holds a graph.
    """
    handle = _lock_file(project).open("a")
    fcntl.flock(handle, fcntl.LOCK_SH)
    manifest: dict[str, Any] | None = None
    kept: KeptStore | None = None
    if rebuild and not fresh_by_stamp(project):
        manifest = read_manifest(project)
        if _stale(project, manifest):
            fcntl.flock(handle, fcntl.LOCK_UN)
            try:
                if keep_last_good:
                    kept = bring_up_to_date(project)
                else:
                    build(project)
            except BaseException:
                handle.close()
                raise
            fcntl.flock(handle, fcntl.LOCK_SH)
            manifest = None
        elif manifest_path(project).exists():
            # fresh, but no stamp says so (a store built before stamps, or files touched
            # without a change): write one for the next command. Readers who race here
            # write the same stamp, and no writer runs while this lock is held.
            with suppress(OSError):
                write_stamp(project, manifest)
    try:
        store = ox.Store.read_only(str(project.store_dir))
    except OSError as error:
        handle.close()
        raise InputError(f"cannot open the store at {project.store_dir}: {error}") from None
    view = GraphStore(project, store, manifest, handle)
    if kept is not None:
        view.kept = kept
        warn_kept(kept)
    return view


def read_checked(project: Project, work: Callable[[GraphStore], T]) -> T:
    """``work(store)`` on the store opened for reading, as ``open_store`` would give it, with
    the freshness check run beside the work instead of before it.

    When the stamp belongs to the manifest, the store is opened at once and the stat of
    every source file runs in a thread while ``work`` runs (Oxigraph lets go of the GIL as
    it evaluates), so a read pays for the slower of the two, not for both: at 1M triples
    the check is about 70 ms of a 0.2 s query. If the check finds a file changed, the
    answer is dropped and ``work`` runs again on the store ``open_store`` brings up to
    date (as it does when the stamp cannot tell); so ``work`` must only read, and must not
    print. An error ``work`` raises counts only if the store was fresh (a name not found
    may be one that a changed file adds).
    """
    if _stamp_digest(project) is None:  # no store yet, or a stamp that cannot tell
        with open_store(project) as store:
            return work(store)
    outcome: list[bool] = []
    with open_store(project, rebuild=False) as store:
        # read again under the shared lock open_store takes: no writer runs while the stamp
        # is read and the files are checked
        digest = _stamp_digest(project)
        if digest is not None:
            checker = threading.Thread(target=lambda: outcome.append(_files_match(project, digest)))
            checker.start()
            try:
                answer = work(store)
            except Exception:
                checker.join()
                if outcome == [True]:
                    raise
            else:
                checker.join()
                if outcome == [True]:
                    return answer
    del store  # the read-only handle, before a build opens the store to write
    with open_store(project) as store:  # stale: brought up to date, then asked again
        return work(store)
