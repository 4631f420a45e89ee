"""The real workload's shape: ILACS snapshot after snapshot, and several sources restating the
same inspections. Every named query, cold, at 1, 13 and 60 snapshots of the 153 real councils,
and the import of one more snapshot; figures into RESULTS.md (its "History" section).

    .venv/bin/python benchmarks/bench_history.py [--runs 3] [--snapshots 1,13,60] [--cap 60]

The projects (cached in benchmarks/data/history/, rebuilt when the repository's graphs or the
generator change):

- **1**: the repository's graphs with only the first snapshot (2025-03-10);
- **13**: the repository's graphs as committed: the thirteen real snapshots, March 2025 to
  May 2026 (imported from ../shared/data/ by `make import`);
- **60**: those thirteen and 47 synthetic monthly snapshots after them (``generate.snapshots``:
  each month a few councils re-inspected; from April 2026 with no overall grade, as under the
  renewed framework), each imported with the real `cskg import ilacs`.

Each project also holds ``generate.restating_articles``: three synthetic news articles for each
of 60 councils, each restating the council's latest inspection and its grade as of March 2025
(the same inspection node, as the national data), so every such fact is stated by up to five
sources. Ratios compare figures of one run only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

DATA = REPO.parent / "shared" / "data"
FIRST = "ilacs-overview-2025-03-10.trig"
#: Real values of the real graph for each parameter name (README examples).
VALUES = {
    "council": "Bolton", "region": "London", "partnership": "tri-borough", "grade": "inadequate",
    "theme": "domestic abuse", "focus": "early help", "service": "early help",
    "person": "Joe Lepper", "author": "Joe Lepper", "entity": "Bolton",
    "snapshot": "2025-11-10", "asof": "2026-05-04",
}
DATES = {"from": "2025-03-10", "to": "2026-05-04"}
BEGIN, END = "<!-- history: written by bench_history.py -->", "<!-- /history -->"


def cskg(project: Path, *args: str, cap: float = 600) -> tuple[int, float, str]:
    """Exit code, wall time and output (standard error first) of a cskg command in ``project``."""
    started = time.perf_counter()
    done = subprocess.run([str(REPO / ".venv" / "bin" / "cskg"), *args], cwd=project,
                          capture_output=True, text=True, timeout=cap + 30,
                          env={"PATH": "/usr/bin:/bin", "CSKG_TIMEOUT": str(cap)})
    return done.returncode, time.perf_counter() - started, done.stderr + done.stdout


def fingerprint() -> str:
    import hashlib

    h = hashlib.sha256()
    for path in sorted((REPO / "graphs").glob("*.trig")) + [HERE / "generate.py"]:
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


def prepare(n: int, data: Path) -> Path:
    """The project with ``n`` snapshots (cached)."""
    root = data / f"{n}" / "project"
    stamp = root.parent / "fingerprint"
    if stamp.exists() and stamp.read_text() == fingerprint():
        shutil.rmtree(root / "queries")  # the queries measured are always the repository's
        shutil.copytree(REPO / "queries", root / "queries")
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for part in ("ontology", "shapes", "queries", "graphs"):
        shutil.copytree(REPO / part, root / part)
    if n == 1:
        for path in (root / "graphs").glob("ilacs-overview-*.trig"):
            if path.name != FIRST:
                path.unlink()
    generate.restating_articles(root / "graphs", councils=60, per_council=3)
    code, _, out = cskg(root, "build")
    assert code == 0, out
    if n > 13:
        last = sorted((DATA / "ilacs-snapshots").glob("ilacs-overview-*.xlsx"))[-1]
        folder = root.parent / "snapshots"
        folder.mkdir(exist_ok=True)
        for path in generate.snapshots(last, n - 13, folder, seed=1):
            code, took, out = cskg(root, "import", "ilacs", str(path))
            assert code == 0, out
            print(f"  imported {path.name} in {took:.1f} s", file=sys.stderr)
    stamp.write_text(fingerprint())
    return root


def query_args(project: Path) -> list[tuple[str, list[str]]]:
    from cskg.query import Catalogue

    plan = []
    for q in Catalogue(project / "queries").all():
        args = []
        for p in q.params:
            value = DATES.get(p.name) if p.type == "date" and p.name in DATES else VALUES.get(p.name)
            if value is not None and (not p.optional or p.name in ("from", "to", "region")):
                if q.name == "snapshot-grade-changes":
                    continue  # its defaults: the two latest snapshots
                args += ["--param", f"{p.name}={value}"]
        args += ["--format", "ntriples" if q.form == "CONSTRUCT" else "json"]
        plan.append((q.name, args))
    return plan


def measure(project: Path, runs: int, cap: float) -> dict[str, dict]:
    found = {}
    for name, args in query_args(project):
        cskg(project, "query", name, *args, cap=cap)  # warm the page cache
        times, error = [], None
        for _ in range(runs):
            code, took, out = cskg(project, "query", name, *args, cap=cap)
            if code:
                error = out.strip()[:300]
                break
            times.append(took)
        found[name] = {"runs": times, "median": statistics.median(times) if times else None,
                       "error": error, "args": args}
        print(f"  {name}: {found[name]['median']}", file=sys.stderr)
    return found


def import_one_more(project: Path, data: Path, runs: int) -> dict:
    """`cskg import ilacs` of the next month's snapshot on a fresh copy, validation included."""
    last = sorted((DATA / "ilacs-snapshots").glob("ilacs-overview-*.xlsx"))[-1]
    folder = data / "next"
    folder.mkdir(parents=True, exist_ok=True)
    path = generate.snapshots(last, 1, folder, seed=7)[0]
    times = []
    for _ in range(runs):
        copy = data / "import-copy"
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(project, copy)
        code, took, out = cskg(copy, "import", "ilacs", str(path))
        assert code == 0, out
        times.append(took)
    return {"runs": times, "median": statistics.median(times), "file": path.name}


def statements(project: Path) -> int:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(project / ".cskg" / "store"))
    n = sum(1 for q in store.quads_for_pattern(None, None, None, None)
            if q.graph_name.value.startswith("https://w3id.org/cskg/graph/"))
    del store
    return n


def render(results: dict, meta: dict) -> str:
    sizes = sorted(results["queries"], key=int)
    base = results["queries"][sizes[0]]
    lines = [BEGIN, "", "## History: snapshot after snapshot (bench_history.py)", "",
             f"Measured {meta['date']} on {meta['machine']}, {meta['runs']} cold runs per figure "
             "(fresh `cskg query` processes, median), the three projects in one run. Real councils "
             "(153): 1 = the first snapshot only, 13 = the thirteen real snapshots, 60 = those and "
             "47 synthetic ones; each with 180 synthetic articles restating 60 councils' "
             "inspections. Statements: " + ", ".join(
                 f"{s} snapshots {meta['statements'][s]:,}" for s in sizes) + ".", "",
             "| query | " + " | ".join(f"{s} snapshots (s)" for s in sizes) + " | "
             + " | ".join(f"{s} / 1" for s in sizes[1:]) + " |",
             "|---|" + "---:|" * (2 * len(sizes) - 1)]
    worst = {s: 0.0 for s in sizes[1:]}
    slowest = {s: 0.0 for s in sizes}
    for name in sorted(base):
        row = [name]
        for s in sizes:
            f = results["queries"][s][name]
            row.append(f"{f['median']:.2f}" if f["median"] is not None else f"error: {f['error']}")
            if f["median"] is not None:
                slowest[s] = max(slowest[s], f["median"])
        for s in sizes[1:]:
            a, b = base[name]["median"], results["queries"][s][name]["median"]
            if a and b:
                row.append(f"{b / a:.2f}x")
                worst[s] = max(worst[s], b / a)
            else:
                row.append("-")
        lines.append("| " + " | ".join(row) + " |")
    imp = results["import"]
    lines += ["", f"Import of one more snapshot (`cskg import ilacs {imp['file']}` on a copy of the "
              f"13-snapshot project, validation included): {imp['median']:.2f} s (runs: "
              + ", ".join(f"{t:.2f}" for t in imp["runs"]) + ").", "", "| target | reached | status |",
              "|---|---|---|"]
    for s in sizes:
        lines.append(f"| every named query under 1 s cold at {s} snapshots | slowest {slowest[s]:.2f} s | "
                     f"{'met' if slowest[s] < 1 else 'missed'} |")
    if "13" in worst:
        lines.append(f"| at 13 snapshots within 1.5x of 1 snapshot | worst {worst['13']:.2f}x | "
                     f"{'met' if worst['13'] <= 1.5 else 'missed'} |")
    lines.append(f"| import of one more snapshot under 5 s | {imp['median']:.2f} s | "
                 f"{'met' if imp['median'] < 5 else 'missed'} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_section(results_md: Path, section: str) -> None:
    text = results_md.read_text() if results_md.exists() else ""
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    results_md.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds before a query is stopped")
    parser.add_argument("--snapshots", default="1,13,60")
    parser.add_argument("--data", type=Path, default=HERE / "data" / "history")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--json", type=Path, default=HERE / "RESULTS-history.json")
    a = parser.parse_args(argv)
    import platform

    results: dict = {"queries": {}, "import": None}
    meta = {"date": date.today().isoformat(), "runs": a.runs, "statements": {},
            "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores"}
    for n in (int(x) for x in a.snapshots.split(",")):
        print(f"{n} snapshots: preparing", file=sys.stderr)
        project = prepare(n, a.data)
        meta["statements"][str(n)] = statements(project)
        results["queries"][str(n)] = measure(project, a.runs, a.cap)
        if n == 13:
            results["import"] = import_one_more(project, a.data, a.runs)
    if results["import"] is None:
        results["import"] = import_one_more(prepare(13, a.data), a.data, a.runs)
    a.json.write_text(json.dumps({"meta": meta, **results}, indent=1))
    write_section(a.results, render(results, meta))
    print(f"wrote {a.results} and {a.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
