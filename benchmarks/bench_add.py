#!/usr/bin/env python3
"""Benchmark: validating an addition in context, against validating the whole graph.

    python benchmarks/bench_add.py [--sizes 10000,100000,1000000] [--runs 3] [--cap 300]

For each size, in one run:

1. generate a synthetic project (``benchmarks/generate.py``), cached in
   ``benchmarks/data/<size>/project`` and reused while the generator, size and seed
   are unchanged; build its store with ``cskg.store.build`` (cached too);
2. write a valid ~100-triple addition: the next monitoring visit, with eight
   findings, of a synthetic council whose latest inspection was inadequate;
3. time, as the median of ``--runs`` runs, each in a fresh process:
   * **add check**: ``cskg.changes.check_addition`` on the built store, which is
     the validation ``cskg add`` does; timed inside the child around that call only
     (interpreter start, imports, opening the store and reading the addition are
     outside the timer);
   * **add --dry-run**: the whole ``cskg add --dry-run`` command, wall time from
     the parent (interpreter start, imports, lock, store, checks, report);
   * **full validation** (the baseline): ``cskg.validation.validate_store`` on a
     copy of the project to which the addition was really added (``cskg add``),
     timed inside the child like the add check; killed at ``--cap`` seconds, and
     not run at all where a linear extrapolation from a smaller size of the same
     run (or 1.5 ms per triple without one) is already beyond the cap;
4. record the peak resident memory of every child (its own ``ru_maxrss``, reported by the
   small launcher each child is started through: see ``LAUNCHER``) and the time of each phase of ``check_addition`` and
   ``validate_store`` (wall-clock wrappers around their steps);
5. write ``benchmarks/RESULTS.md`` (and the raw figures to
   ``benchmarks/data/last-run.json``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate as gen  # noqa: E402

DEFAULT_SIZES = "10000,100000"
FALLBACK_SECONDS_PER_TRIPLE = 1.5e-3  # full validation, lower bound seen at 3k-10k triples


# --- the addition ------------------------------------------------------------------


def write_addition(summary: dict, folder: Path) -> Path:
    """A valid addition of about 100 triples: the next monitoring visit of a council whose
    latest inspection was inadequate, with eight findings, in its own source graph."""
    target = summary["inadequate_at_end"][0]
    ordinal = target["last_ordinal"] + 1
    when = date(summary["years"][1] + 1, 4, 8)
    name = target["name"]
    issued = date(when.year, 5, 20)
    g = gen.Graph(f"{issued.isoformat()}-{gen.slug(name)}-monitoring-visit-{ordinal}")
    source = gen.ident(f"source/{g.slug}")
    title = f"{name} monitoring visit {ordinal}: progress on help and protection"
    A, c, ns, text = gen.A, gen.c, gen.ns, gen.text
    # The graph describes itself; ``cskg add`` stamps it with prov:wasGeneratedBy (the
    # addition activity), so the input names no curation activity of its own.
    g.entity(g.iri, (A, c("SourceGraph")), (ns(gen.PROV, "wasDerivedFrom"), source),
             (ns(gen.PROV, "generatedAtTime"), gen.GENERATED_AT),
             (gen.LABEL, text(f"Synthetic facts from '{title}'")))
    author, _ = gen.journalist(0)
    g.entity(source, (A, c("NewsArticle")), (gen.LABEL, text(title)), (ns(gen.DCT, "title"), text(title)),
             (ns(gen.DCT, "creator"), author),
             (ns(gen.DCT, "publisher"), gen.ident(f"org/{gen.PUBLISHER}")),
             (ns(gen.DCT, "issued"), gen.day(issued)),
             (ns(gen.SDO, "url"), text(f"https://example.org/synthetic/{g.slug}")))
    council = gen._i(target["council"])
    g.entity(council, (A, c("Council")), (gen.ALT, text(name)))
    event = gen.ident(f"event/{target['gss']}/monitoring-visit/{when.isoformat()}")
    g.entity(event, (A, c("MonitoringVisit")),
             (gen.LABEL, text(f"{name} monitoring visit {ordinal} (April {when.year}, help and protection)")),
             (c("inspectedAuthority"), council), (ns(gen.PROV, "wasAssociatedWith"), gen.ident("org/ofsted")),
             (c("fieldworkStart"), gen.day(when)), (c("fieldworkEnd"), gen.day(date(when.year, 4, 9))),
             (c("publicationDate"), gen.day(date(when.year, 5, 12))),
             (c("visitOrdinal"), gen.typed(str(ordinal), "positiveInteger")),
             (c("focus"), gen.concept("service", "help-and-protection")),
             (c("focusText"), text("help and protection services")),
             (c("followsJudgement"), gen._i(target["judgement"])))
    themes = gen.THEME_SLUGS
    for n in range(1, 9):
        f = gen._i(f"{event.strip('<>')}/finding/{n}")
        theme = themes[(n * 5) % len(themes)]
        strength = n % 3 == 0
        verdict = gen.GOOD[n % 4] if strength else gen.WEAK[n % 4]
        phrase = gen.THEMES[theme]
        g.entity(f, (A, c("Finding")), (gen.LABEL, text(f"{name} monitoring visit {ordinal}: {phrase} {verdict}")),
                 (c("fromEvent"), event),
                 (c("findingKind"), gen.concept("kind", "strength" if strength else "area-for-improvement")),
                 (c("serviceArea"), gen.concept("service", "help-and-protection")),
                 (ns(gen.DCT, "subject"), gen.concept("theme", theme)),
                 (c("quote"), text(f"{phrase[0].upper()}{phrase[1:]} {verdict}.")),
                 (c("excerpt"), text(f"Inspectors said that in {name} {phrase} {verdict}.")))
        if n % 2:
            g.add(f, ns(gen.DCT, "subject"), gen.concept("theme", themes[(n * 7 + 1) % len(themes)]))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.trig"):
        old.unlink()
    g.write(folder)
    return folder / f"{g.slug}.trig"


# --- preparing a size ----------------------------------------------------------------


def _fingerprint(size: int, seed: int) -> dict:
    code = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16]
    return {"target_triples": size, "seed": seed, "generator": code}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refresh_copies(project_dir: Path) -> list[str]:
    """Bring the project's copies of ontology/, shapes/ and queries/ up to date with the
    repository's, so a cached project is always measured against the current shapes (the
    next build reloads a changed ontology file on its own)."""
    refreshed = []
    for part in gen.COPIED:
        if _tree(REPO / part) != _tree(project_dir / part):
            shutil.rmtree(project_dir / part)
            shutil.copytree(REPO / part, project_dir / part)
            refreshed.append(part + "/")
    return refreshed


def prepare(size: int, seed: int, data: Path) -> dict:
    """Generate (or reuse) and build the project of one size and write the addition.
    Returns what the measurements need."""
    from cskg.project import Project
    from cskg.store import build

    folder = data / str(size)
    project_dir = folder / "project"
    key_file = folder / "fingerprint.json"
    fingerprint = _fingerprint(size, seed)
    info: dict = {"size": size, "project": str(project_dir)}
    cached = key_file.exists() and json.loads(key_file.read_text()) == fingerprint and (
        project_dir / "generated.json").exists()
    if cached:
        summary = json.loads((project_dir / "generated.json").read_text())
        info["generation"] = "cached"
    else:
        key_file.unlink(missing_ok=True)
        if project_dir.exists():
            shutil.rmtree(project_dir)
        summary = gen.generate(size, seed, project_dir)
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(json.dumps(fingerprint) + "\n")
        info["generation"] = f"{summary['seconds']:.1f} s"
        print(f"  generated {summary['triples']} triples in {summary['files']} files "
              f"in {summary['seconds']} s", flush=True)
    info.update(triples=summary["triples"], files=summary["files"], councils=summary["councils"])
    refreshed = refresh_copies(project_dir)
    if refreshed:
        print(f"  refreshed from the repository: {', '.join(refreshed)}", flush=True)
    project = Project(project_dir)
    built_file = folder / "build.json"
    # A store built by other code is rebuilt: how the store was written decides how fast it
    # opens (one made file by file had 48,868 small files at 1M and took 6.6 s to open).
    import cskg.store

    builder = hashlib.sha256(Path(cskg.store.__file__).read_bytes()).hexdigest()[:16]
    earlier_builder = json.loads(built_file.read_text()).get("builder") if built_file.exists() else None
    started = time.perf_counter()
    report = build(project, force=earlier_builder != builder)
    info["build_seconds"] = round(time.perf_counter() - started, 2)
    if report.full:
        info["build"] = f"{info['build_seconds']:.1f} s"
        built_file.write_text(json.dumps({"seconds": info["build_seconds"], "builder": builder}) + "\n")
    elif report.changed:
        info["build"] = f"{info['build_seconds']:.1f} s (files changed since the last build)"
    else:
        earlier = json.loads(built_file.read_text())["seconds"] if built_file.exists() else None
        info["build"] = f"cached (first build {earlier:.0f} s)" if earlier else "cached"
    info["store_triples"] = report.triples
    print(f"  store built ({info['build']}): {report.triples} triples incl. ontology", flush=True)

    addition = write_addition(summary, folder / "addition")
    info["addition"] = str(addition)
    info["addition_triples"] = sum(1 for line in addition.read_text().splitlines() if line.endswith(" ."))
    if (folder / "with-addition").exists():  # from an earlier run; remade when the baseline runs
        shutil.rmtree(folder / "with-addition")
    return info


def with_addition(info: dict) -> str:
    """The graph as it is after the addition, for the baseline: a copy of the project (graph
    files hard-linked, store copied) to which ``cskg add`` really adds it."""
    from cskg.changes import add
    from cskg.project import Project

    project = Project(Path(info["project"]))
    with_dir = Path(info["project"]).parent / "with-addition"
    if with_dir.exists():
        shutil.rmtree(with_dir)
    (with_dir / "graphs").mkdir(parents=True)
    for part in gen.COPIED:
        shutil.copytree(project.root / part, with_dir / part)
    for path in project.graph_files():
        os.link(path, with_dir / "graphs" / path.name)
    shutil.copytree(project.store_dir, with_dir / ".cskg" / "store")
    manifest = project.store_dir.parent / (project.store_dir.name + ".manifest.json")
    shutil.copy2(manifest, with_dir / ".cskg" / manifest.name)
    outcome = add(Project(with_dir), [Path(info["addition"])])[0]
    if not outcome.added:
        problems = [f"{r.severity}: {r.label}: {r.message}" for r in outcome.report.results]
        raise SystemExit("the benchmark addition is not valid:\n" + "\n".join(problems))
    return str(with_dir)


# --- child processes -----------------------------------------------------------------


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def total_memory_mb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 16 * 1024


#: The launcher every measured command is started through (``python -I -S -c LAUNCHER FD CMD...``).
#: Peak RSS must be the command's own: on Linux ``ru_maxrss`` survives ``exec`` and starts from
#: the high-water mark of the memory the exec'ing process had (with ``vfork``, which
#: ``subprocess`` uses, that is the *parent's* peak), so a command started straight from this
#: process, which holds the store it built and the results it collected, reported this process's
#: peak (1066 MB for ``cskg --help`` at 1M). The launcher is a fresh interpreter without ``site``
#: (about 9 MB): it ``fork``s and ``exec``s the command, so the command starts from the launcher's
#: few MB of resident pages, waits for it and writes to FD: ``pid N`` when it started, then
#: ``done STATUS MAXRSS_KB SECONDS`` (its wall time, from just before the fork to the end of the
#: wait, so the launcher's own start is not in the figure) or ``error ERRNO TEXT`` when it could
#: not be executed. SIGTERM to the launcher kills the command (SIGKILL); the launcher still
#: reaps it and reports.
LAUNCHER = r"""
import os, signal, sys, time
fd, cmd, pid = int(sys.argv[1]), sys.argv[2:], 0
os.set_inheritable(fd, False)
def stop(_signum, _frame):
    if pid > 0:
        os.kill(pid, signal.SIGKILL)
signal.signal(signal.SIGTERM, stop)
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    except OSError as error:
        os.write(fd, f"error {error.errno} {error.strerror}\n".encode())
    os._exit(127)
os.write(fd, f"pid {pid}\n".encode())
_pid, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
os.write(fd, f"done {status} {usage.ru_maxrss} {seconds!r}\n".encode())
"""


def run_child(cmd: list[str], cap: float, env: dict[str, str] | None = None,
              mem_cap_mb: float | None = None, cwd: Path | None = None) -> dict:
    """Run a command; its wall time, exit code, peak RSS (MB) and output. It is killed when it
    runs longer than ``cap`` seconds (``timed_out``) or its resident set grows beyond
    ``mem_cap_mb`` (``out_of_memory``), so a run away validation cannot take the machine down.

    The command is started through ``LAUNCHER`` so that its peak RSS is its own, not this
    process's; the wall time is the launcher's, around the command alone."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        read_end, write_end = os.pipe()
        try:
            launcher = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER, str(write_end), *cmd],
                                        stdout=out, stderr=err, env=env, cwd=cwd or HERE, pass_fds=(write_end,))
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)
        box: dict = {}

        def reap() -> None:
            with os.fdopen(read_end, "rb") as reports:
                for line in reports:
                    kind, _, rest = line.decode().strip().partition(" ")
                    box[kind] = rest
            box["wait"] = os.wait4(launcher.pid, 0)
            box["end"] = time.perf_counter()

        reaper = threading.Thread(target=reap)
        reaper.start()
        timed_out = out_of_memory = False
        while reaper.is_alive():
            reaper.join(0.25)
            if not reaper.is_alive():
                break
            if time.perf_counter() - started > cap:
                timed_out = True
            elif mem_cap_mb is not None and "pid" in box and _rss_mb(int(box["pid"])) > mem_cap_mb:
                out_of_memory = True
            if (timed_out or out_of_memory) and "pid" in box:  # (the pid comes within milliseconds)
                os.kill(launcher.pid, signal.SIGTERM)  # the launcher this function started, by its pid:
                reaper.join()                          # it kills the command and reports
        _pid, launcher_status, _usage = box["wait"]
        launcher.returncode = os.waitstatus_to_exitcode(launcher_status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        if "error" in box:
            number, _, text = box["error"].partition(" ")
            raise OSError(int(number), text, cmd[0])
        if "done" not in box:
            raise RuntimeError(f"the launcher of {cmd[0]} did not report (exit {launcher.returncode}):\n"
                               f"{stderr[-2000:]}")
        status, maxrss_kb, seconds = box["done"].split()
        return {
            "wall": float(seconds), "code": os.waitstatus_to_exitcode(int(status)), "timed_out": timed_out,
            "out_of_memory": out_of_memory, "peak_mb": int(maxrss_kb) / 1024,
            "stdout": stdout, "stderr": stderr,
        }


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSKG_")}
    env.update(extra)
    return env


def cskg_command() -> list[str]:
    script = Path(sys.executable).parent / "cskg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cskg"]


def _last_json(result: dict) -> dict:
    for line in reversed(result["stdout"].splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"child failed (exit {result['code']}):\n{result['stderr'][-3000:]}")


class Phases:
    """Wall-clock accumulators wrapped around named functions of cskg's modules.

    A function that does not exist (the code under test moves) is skipped."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, list] = {}

    def wrap(self, module_name: str, name: str, key: str, record: bool = False) -> None:
        import importlib

        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return
        inner = getattr(module, name, None)
        if inner is None:
            return
        def timed(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                result = inner(*args, **kwargs)
            finally:
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - started
            if record:
                self.calls.setdefault(key, []).append([len(part) for part in result])
            return result

        setattr(module, name, timed)


#: Steps of check_addition: (module, function, step). Order is the report's order.
CHECK_STEPS = [
    ("cskg.changes", "duplicates", "duplicate checks"),
    ("cskg.changes", "unknown_councils", "unknown councils"),
    ("cskg.changes", "changed_nodes", "changed nodes"),
    ("cskg.changes", "neighbourhood", "neighbourhood gathering (Oxigraph)"),
    ("cskg.changes", "_system_graph", "ontology into rdflib"),
    ("cskg.changes", "_to_rdflib", "neighbourhood into rdflib"),
    ("cskg.changes", "load_shapes", "shapes into rdflib"),
    ("cskg.validation", "narrow_targets", "narrowing shape targets to the focus"),
    ("cskg.validation", "run_pyshacl", "pySHACL"),
    ("cskg.constraints", "split", "SPARQL-based constraints (Oxigraph)"),
    ("cskg.constraints", "evaluate", "SPARQL-based constraints (Oxigraph)"),
    ("cskg.changes", "validate", "validate"),
    ("cskg.changes", "_provenance", "provenance"),
    ("cskg.changes", "_graph_checks", "SPARQL checks on the addition"),
]
#: Steps of validate_store.
FULL_STEPS = [
    ("cskg.validation", "load_shapes", "shapes into rdflib"),
    ("cskg.validation", "store_dataset", "store into an rdflib Dataset"),
    ("cskg.validation", "union_and_provenance", "union graph and provenance"),
    ("cskg.validation", "narrow_targets", "narrowing shape targets to the focus"),
    ("cskg.validation", "run_pyshacl", "pySHACL"),
    ("cskg.constraints", "split", "SPARQL-based constraints (Oxigraph)"),
    ("cskg.constraints", "evaluate", "SPARQL-based constraints (Oxigraph)"),
    ("cskg.validation", "validate", "validate"),
    ("cskg.validation", "run_checks", "SPARQL checks (queries/checks)"),
]
#: Steps timed inside ``validate``; the rest of it is reported as "rest of validate".
INSIDE_VALIDATE = {"narrowing shape targets to the focus", "pySHACL", "SPARQL-based constraints (Oxigraph)"}
REST_OF_VALIDATE = "rest of validate (reading pySHACL's report, copying data to Oxigraph)"


def step_seconds(phases: dict[str, float], total: float, steps: list[tuple[str, str, str]]) -> dict[str, float]:
    """Per-step seconds of one run, in report order, with the untimed rest as "other"."""
    p = dict(phases)
    out: dict[str, float] = {}
    inside = sum(v for k, v in p.items() if k in INSIDE_VALIDATE)
    for _module, _name, step in steps:
        if step in p and step not in out and step != "validate":
            out[step] = p[step]
        if step == "validate" and "validate" in p:
            out[REST_OF_VALIDATE] = p["validate"] - inside
    out["other"] = total - sum(out.values())
    return out


def child_check(project_dir: str, addition_path: str) -> None:
    import pyshacl  # noqa: F401  (imported outside the timer, as for the full validation)

    phases = Phases()
    for module, name, step in CHECK_STEPS:
        phases.wrap(module, name, step, record=name == "neighbourhood")
    import cskg.changes as changes
    from cskg.addition import load_rdf
    from cskg.project import Project
    from cskg.store import open_store

    store = open_store(Project(Path(project_dir)), rebuild=False)
    addition = load_rdf(Path(addition_path), addition_path)
    started = time.perf_counter()
    report = changes.check_addition(store, addition)
    seconds = time.perf_counter() - started
    store.close()
    print(json.dumps({
        "seconds": seconds, "conforms": report.conforms,
        "violations": report.count("Violation"), "warnings": report.count("Warning"),
        "problems": [f"{r.label}: {r.message}" for r in report.results][:10],
        "steps": step_seconds(phases.seconds, seconds, CHECK_STEPS),
        "neighbourhoods": phases.calls.get("neighbourhood gathering (Oxigraph)", []),
        "cskg": changes.__file__,
    }))


def child_validate(project_dir: str) -> None:
    import pyshacl  # noqa: F401

    phases = Phases()
    for module, name, step in FULL_STEPS:
        phases.wrap(module, name, step)
    import cskg.validation as validation
    from cskg.project import Project
    from cskg.store import open_store

    store = open_store(Project(Path(project_dir)), rebuild=False)
    started = time.perf_counter()
    report = validation.validate_store(store)
    seconds = time.perf_counter() - started
    store.close()
    print(json.dumps({
        "seconds": seconds, "conforms": report.conforms,
        "violations": report.count("Violation"), "warnings": report.count("Warning"),
        "problems": [f"{r.label}: {r.message}" for r in report.results if r.severity == "Violation"][:10],
        "steps": step_seconds(phases.seconds, seconds, FULL_STEPS),
        "cskg": validation.__file__,
    }))


# --- measuring a size --------------------------------------------------------------------


def measure(info: dict, runs: int, cap: float, full_rate: float | None, no_skip: bool,
            mem_cap_mb: float) -> dict:
    me = [sys.executable, str(Path(__file__).resolve())]
    project_dir = info["project"]
    checks, dry_runs, fulls = [], [], []
    for run in range(runs):
        result = run_child(me + ["--child", "check", project_dir, info["addition"]], cap, child_env(),
                           mem_cap_mb)
        data = _last_json(result)
        if not data["cskg"].startswith(os.environ["PYTHONPATH"].split(os.pathsep)[0]):
            raise SystemExit(f"the child imported {data['cskg']}, not the snapshot of cskg")
        if not data["conforms"]:
            raise SystemExit("the addition does not pass check_addition:\n" + "\n".join(data["problems"]))
        data["peak_mb"] = result["peak_mb"]
        checks.append(data)
        result = run_child(cskg_command() + ["add", "--dry-run", info["addition"]], cap,
                           child_env(CSKG_HOME=project_dir), mem_cap_mb)
        if result["code"] != 0 or "valid; would be added" not in result["stdout"]:
            raise SystemExit(f"cskg add --dry-run failed (exit {result['code']}):\n"
                             f"{result['stdout'][-2000:]}\n{result['stderr'][-2000:]}")
        dry_runs.append({"seconds": result["wall"], "peak_mb": result["peak_mb"]})
        print(f"  run {run + 1}: add check {data['seconds']:.2f} s, "
              f"add --dry-run {result['wall']:.2f} s", flush=True)
    rate = full_rate if full_rate is not None else FALLBACK_SECONDS_PER_TRIPLE
    estimate = rate * info["store_triples"]
    skipped = None
    if estimate > cap and not no_skip:
        basis = ("the rate measured at a smaller size in this run" if full_rate is not None
                 else f"{FALLBACK_SECONDS_PER_TRIPLE * 1000:.1f} ms per triple, the rate seen at 3k-10k triples")
        skipped = (f"not run: at {rate * 1000:.2f} ms per triple ({basis}; whole-graph validation "
                   f"grows at least linearly with the graph) it would take at least {estimate:.0f} s, "
                   f"beyond the {cap:.0f} s cap")
        print(f"  full validation {skipped}", flush=True)
    else:
        info["with_addition"] = with_addition(info)
        for run in range(runs):
            result = run_child(me + ["--child", "validate", info["with_addition"]], cap, child_env(),
                               mem_cap_mb)
            if result["timed_out"] or result["out_of_memory"]:
                fulls.append({"seconds": None, "timed_out": result["timed_out"],
                              "out_of_memory": result["out_of_memory"], "after": result["wall"],
                              "peak_mb": result["peak_mb"]})
                why = (f"> {cap:.0f} s" if result["timed_out"] else
                       f"over {mem_cap_mb:.0f} MB after {result['wall']:.0f} s")
                print(f"  full validation run {run + 1}: {why} (killed)", flush=True)
                break
            data = _last_json(result)
            if not data["conforms"]:
                raise SystemExit("the graph with the addition does not conform:\n" + "\n".join(data["problems"]))
            data["peak_mb"] = result["peak_mb"]
            fulls.append(data)
            print(f"  full validation run {run + 1}: {data['seconds']:.2f} s", flush=True)
    return {**info, "runs": runs, "cap": cap, "mem_cap_mb": mem_cap_mb, "checks": checks, "dry_runs": dry_runs,
            "fulls": fulls, "full_skipped": skipped}


# --- reporting ------------------------------------------------------------------------------


def lower_bound(ratio: float) -> str:
    """A ratio known only to be at least this (the slower side was stopped at a cap), shown
    rounded down, never up: "4.6" for 4.69 (one decimal below 10), "131" for 131.6."""
    return f"{int(ratio * 10) / 10:.1f}" if ratio < 10 else f"{int(ratio)}"


def _median(values: list[float]) -> float:
    return statistics.median(values)


def summarise(m: dict) -> dict:
    check = _median([r["seconds"] for r in m["checks"]])
    dry = _median([r["seconds"] for r in m["dry_runs"]])
    full: float | None = None
    full_text = "not run"
    killed = m["fulls"][-1] if m["fulls"] and m["fulls"][-1]["seconds"] is None else None
    if killed and killed.get("out_of_memory"):
        full_text = f"killed at {m['mem_cap_mb'] / 1024:.1f} GB after {killed['after']:.0f} s"
    elif killed:
        full_text = f"> {m['cap']:.0f} (cap)"
    elif m["fulls"]:
        full = _median([r["seconds"] for r in m["fulls"]])
        full_text = f"{full:.2f}"

    def times(ratio: float) -> str:
        return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:.0f}x"

    at_least = (killed.get("after") or m["cap"]) if killed else None
    ratio = times(full / check) if full else (f"> {lower_bound(at_least / check)}x" if killed else "-")
    ratio_dry = times(full / dry) if full else (f"> {lower_bound(at_least / dry)}x" if killed else "-")
    peak = [max(r["peak_mb"] for r in m["checks"]), max(r["peak_mb"] for r in m["dry_runs"])]
    peak_full = f"{max(r['peak_mb'] for r in m['fulls']):.0f}" if m["fulls"] else "-"
    return {"check": check, "dry": dry, "full": full, "full_text": full_text, "ratio": ratio,
            "ratio_dry": ratio_dry, "peak": f"{peak[0]:.0f} / {peak[1]:.0f} / {peak_full}"}


def snapshot_code(data: Path) -> Path:
    """Copy the cskg package to ``data/code/cskg`` and make this process and every child import
    that copy, so that edits to ``src/cskg`` during a long run do not mix two versions."""
    import importlib.util

    spec = importlib.util.find_spec("cskg")
    if spec is None or spec.origin is None:
        raise SystemExit("cskg is not installed: run `make install`")
    live = Path(spec.origin).parent
    target = data / "code"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(live, target / "cskg", ignore=shutil.ignore_patterns("__pycache__"))
    # Byte-compile the copy, as pip does for an installed package: where PYTHONDONTWRITEBYTECODE
    # is set (CI images often set it), every cold `cskg` would otherwise compile its own
    # sources again (about 0.1 s of each cold query on this machine).
    import compileall

    if not compileall.compile_dir(str(target / "cskg"), quiet=1):
        raise SystemExit(f"could not byte-compile {target / 'cskg'}")
    sys.path.insert(0, str(target))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH")]))
    return live


def code_fingerprint(package: Path | None = None) -> tuple[str, datetime]:
    """A hash of the cskg sources (of ``package``, else the one imported) and when the newest
    of them was modified."""
    if package is None:
        import cskg

        package = Path(cskg.__file__).parent
    sources = sorted(package.rglob("*.py"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]
    return digest, datetime.fromtimestamp(max(p.stat().st_mtime for p in sources), timezone.utc)


def machine(code_at_start: tuple[str, datetime]) -> list[str]:
    from importlib.metadata import version

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        memory = "unknown"
    digest, newest = code_at_start
    return [
        f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Code measured: a snapshot of `src/cskg` taken at the start of the run, sha256 {digest}… "
        f"of its `.py` files (newest modified {newest.strftime('%Y-%m-%d %H:%M UTC')})",
        f"- Machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))})"
        + (f", {cpu}" if cpu else "") + f"; memory {memory}; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; rdflib {version('rdflib')}, pySHACL {version('pyshacl')}, "
        f"pyoxigraph {version('pyoxigraph')}, cskg {version('cskg')}",
    ]


def render(measured: list[dict], args: argparse.Namespace) -> str:
    lines = ["# Benchmark results: validating an addition vs validating the whole graph", "",
             "Written by `benchmarks/bench_add.py` (see `benchmarks/README.md` for what each figure means). "
             "Re-run with `make bench` or `BENCH_SIZES=10000,100000,1000000 make bench`.", ""]
    lines += machine(args.code_at_start)
    lines += [f"- Command: `python benchmarks/bench_add.py --sizes {args.sizes} --runs {args.runs} "
              f"--cap {args.cap:.0f} --mem-cap {args.mem_cap:g} --seed {args.seed}`", ""]
    lines += [
        f"Every figure is the median of {args.runs} runs, each in a fresh process. *add check* and "
        "*full validation* are timed inside the child around `check_addition` and `validate_store` "
        "only (imports, opening the store and reading the addition excluded); *add --dry-run* is the "
        "wall time of the whole command. **Ratios compare figures measured in the same run** (same "
        "machine, same moment), never figures from different runs. Peak MB is the largest resident "
        "set of the child processes (add check / add --dry-run / full validation).", "",
        "| size (triples) | graph files | add check (s) | add --dry-run (s) | full validation (s) "
        "| full / add check | full / add --dry-run | peak MB (check / dry-run / full) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in measured:
        s = summarise(m)
        lines.append(f"| {m['triples']:,} | {m['files']:,} | {s['check']:.2f} | {s['dry']:.2f} | "
                     f"{s['full_text']} | {s['ratio']} | {s['ratio_dry']} | {s['peak']} |")
    extra = measured[0]["store_triples"] - measured[0]["triples"] if measured else 0
    lines += ["", "Triples are the generated graph files' statements; the store also holds the "
              f"ontology and vocabulary ({extra:,} triples).", ""]
    notes = [f"- {m['triples']:,} triples: full validation {m['full_skipped']}." for m in measured
             if m["full_skipped"]]
    if notes:
        lines += ["Where the baseline was not run:", "", *notes, ""]
    lines += ["## Set-up and individual runs", "",
              "| size | councils | generation | store build | addition (triples) | neighbourhood: focus nodes / triples "
              "| add check runs (s) | dry-run runs (s) | full validation runs (s) |",
              "|---:|---:|---|---|---:|---|---|---|---|"]
    for m in measured:
        hood = m["checks"][0]["neighbourhoods"]
        hood_text = f"{hood[0][0]} / {hood[1][1]}" if len(hood) >= 2 else "-"
        fulls = ", ".join(
            "killed at the time cap" if r.get("timed_out") else
            f"killed at the memory cap after {r['after']:.0f} s" if r.get("out_of_memory") else
            f"{r['seconds']:.2f}" for r in m["fulls"]) or "-"
        check_runs = ", ".join(f"{r['seconds']:.2f}" for r in m["checks"])
        dry_runs = ", ".join(f"{r['seconds']:.2f}" for r in m["dry_runs"])
        lines.append(f"| {m['triples']:,} | {m['councils']:,} | {m['generation']} | {m['build']} | "
                     f"{m['addition_triples']} (+7 stamped) | {hood_text} | {check_runs} | "
                     f"{dry_runs} | {fulls} |")
    lines += ["", "## Where `check_addition` spends its time", "",
              "Median seconds per step over the runs: wall-clock wrappers around the functions "
              "`check_addition` calls (`cskg.changes`, `cskg.validation`, `cskg.constraints`); "
              "*other* is the untimed rest.", ""]
    lines += _step_table(measured, "checks")
    full_measured = [m for m in measured if m["fulls"] and m["fulls"][-1]["seconds"] is not None]
    if full_measured:
        lines += ["", "## Where the full validation spends its time", "",
                  "Median seconds per step of `validate_store`, measured the same way.", ""]
        lines += _step_table(full_measured, "fulls")
    return "\n".join(lines) + "\n"


# --- main --------------------------------------------------------------------------------------


def _step_table(measured: list[dict], key: str) -> list[str]:
    steps: list[str] = []
    for m in measured:
        for r in m[key]:
            steps += [step for step in r["steps"] if step not in steps and step != "other"]
    steps.append("other")
    lines = ["| step | " + " | ".join(f"{m['triples']:,}" for m in measured) + " |",
             "|---|" + "---:|" * len(measured)]
    for step in steps:
        row = []
        for m in measured:
            values = [r["steps"][step] for r in m[key] if step in r["steps"]]
            row.append(f"{_median(values):.3f}" if values else "-")
        lines.append(f"| {step} | " + " | ".join(row) + " |")
    totals = [f"**{_median([r['seconds'] for r in m[key]]):.3f}**" for m in measured]
    lines.append("| **total** | " + " | ".join(totals) + " |")
    return lines


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        factor = {"k": 1_000, "m": 1_000_000}.get(part[-1].lower(), 1)
        sizes.append(int(float(part[:-1] if factor > 1 else part) * factor))
    return sizes


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        if argv[1] == "check":
            child_check(argv[2], argv[3])
        else:
            child_validate(argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES") or DEFAULT_SIZES,
                        help="target triple counts, comma-separated; 10k and 1M work too "
                             "(default: $BENCH_SIZES or %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds before a run is killed")
    parser.add_argument("--mem-cap", type=float, default=round(total_memory_mb() * 0.6 / 1024, 1),
                        help="GB of resident memory before a run is killed (default 60%% of RAM: %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=HERE / "data",
                        help="where generated projects and stores are cached (default benchmarks/data)")
    parser.add_argument("--no-skip", action="store_true",
                        help="run the full validation even where the estimate is beyond the cap")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--prepare-only", action="store_true",
                        help="generate and build the cached projects, measure nothing")
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes)
    args.data.mkdir(parents=True, exist_ok=True)
    live = snapshot_code(args.data.resolve())
    args.code_at_start = code_fingerprint()
    if Path(__import__("cskg").__file__).parent == live:
        raise SystemExit("could not import the snapshot of cskg")
    measured: list[dict] = []
    full_rate: float | None = None
    for size in sorted(sizes):
        print(f"size {size}:", flush=True)
        info = prepare(size, args.seed, args.data.resolve())
        if args.prepare_only:
            continue
        m = measure(info, args.runs, args.cap, full_rate, args.no_skip, args.mem_cap * 1024)
        if m["fulls"] and m["fulls"][-1]["seconds"] is not None:
            full_rate = _median([r["seconds"] for r in m["fulls"]]) / m["store_triples"]
        elif m["fulls"]:
            full_rate = (m["fulls"][-1].get("after") or args.cap) / m["store_triples"]
        measured.append(m)
        args.data.mkdir(parents=True, exist_ok=True)
        (args.data / "last-run.json").write_text(json.dumps(measured, indent=1) + "\n")
        args.results.write_text(render(measured, args))
    if measured:
        print(render(measured, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
