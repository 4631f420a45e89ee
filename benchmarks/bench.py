#!/usr/bin/env python3
"""The benchmark suite: every cskg command at each size, side by side with a naive baseline.

    python benchmarks/bench.py [--sizes 10000,100000] [--runs 3] [--cap 300]

For each size, in one run (projects and stores from ``generate.py`` / ``bench_add.py``,
cached in ``benchmarks/data/<size>/``):

* **build**: ``cskg build --force`` into an empty store, against ``oxigraph load`` of the
  same files (the Oxigraph CLI) and rdflib's parse of them into a ``Dataset``;
* **named queries** (every ``queries/*.rq``, parameters bound to real values of the
  generated project): ``cskg query NAME --param ... --format json`` from a cold process,
  ``cskg.query.run_named`` warm in one process, ``oxigraph query`` of the same bound text on
  a copy of the same store, and rdflib (``Dataset(default_union=True)``) on the parsed files;
* **full validation** and the **add check** (``bench_add.py``'s figures, reused), a real
  ``cskg add`` of the ~100-triple addition on a copy of the project, pySHACL on the rdflib
  graph with the addition, and pyrudof on the same shapes and data (when installed);
* **network**: ``cskg network centrality --measure degree|betweenness|pagerank``,
  ``communities`` and ``components`` from cold processes, the projection in process, against
  ``rdflib_to_networkx_multidigraph`` and the same networkx measures on it;
* **exports**: ``cskg export --format F -o FILE`` for every format, against networkx's
  ``write_graphml``/``write_gexf`` on the converted graph;
* ``cskg --help`` from a cold process.

Every figure is the median of ``--runs`` fresh runs (one run only where the first took over
``--long`` seconds, or hit a cap; the tables say so). Each measurement is killed at ``--cap``
seconds (``> cap``) or ``--mem-cap`` GB. Results go to ``benchmarks/RESULTS.md`` (rewritten
after every size), every individual figure to ``benchmarks/data/last-suite.json``.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import signal
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import bench_add as ba  # noqa: E402
import generate as gen  # noqa: E402

PARTS = ("help", "build", "queries", "validate", "add", "network", "export", "baseline", "pyrudof")
MEASURES = ("degree", "betweenness", "pagerank")
EXPORTS = {"graphml": "graphml", "gexf": "gexf", "cytoscape": "cyjs", "dot": "dot", "csv": "csv",
           "jsonld": "jsonld", "turtle": "ttl", "html": "html"}
TARGETS_AT = 1_000_000

# --- running commands ------------------------------------------------------------------------


def run_cmd(cmd: list[str], cap: float, env: dict[str, str] | None = None,
            mem_cap_mb: float | None = None, cwd: Path | None = None) -> dict:
    """``bench_add.run_child``: wall time, exit code, peak RSS, output; killed at ``cap``
    seconds or ``mem_cap_mb`` of resident memory."""
    return ba.run_child(cmd, cap, env=env, mem_cap_mb=mem_cap_mb, cwd=cwd)


def fig(runs: list[float] | None = None, **extra: object) -> dict:
    """One figure: its individual runs and what stopped it, if anything."""
    return {"runs": list(runs or []), "capped": False, "oom": False, "error": None, "peak_mb": 0.0,
            "note": None, **extra}


def median(f: dict | None) -> float | None:
    if not f or f.get("capped") or f.get("oom") or f.get("error") or not f.get("runs"):
        return None
    return statistics.median(f["runs"])


def cold(cmd: list[str], env: dict[str, str], a: argparse.Namespace, runs: int | None = None,
         cwd: Path | None = None, before=None, check=None) -> dict:
    """Wall time of a command from a fresh process, median of the runs; one run only when it
    took over ``--long`` seconds. ``before`` runs untimed before each run; ``check`` looks at
    the result and returns an error text or None."""
    f = fig()
    for _ in range(runs or a.runs):
        if before:
            before()
        try:
            r = run_cmd(cmd, a.cap, env, a.mem_cap * 1024, cwd)
        except OSError as error:  # e.g. `oxigraph load` of 60,696 files at 5M: too many arguments
            f["error"] = f"could not start: {error.strerror} ({len(cmd):,} arguments)"
            break
        f["peak_mb"] = max(f["peak_mb"], r["peak_mb"])
        if r["timed_out"] or r["out_of_memory"]:
            f["capped"], f["oom"], f["after"] = r["timed_out"], r["out_of_memory"], r["wall"]
            break
        problem = (f"exit {r['code']}: {(r['stderr'] or r['stdout']).strip()[-300:]}" if r["code"]
                   else check(r) if check else None)
        if problem:
            f["error"] = problem
            break
        f["runs"].append(r["wall"])
        if r["wall"] > a.long:
            break
    return f


def cskg_env(project: Path, **extra: str) -> dict[str, str]:
    return ba.child_env(CSKG_HOME=str(project), **extra)


def oxigraph_cli() -> str:
    path = Path(sys.executable).parent / "oxigraph"
    return str(path) if path.exists() else "oxigraph"


# --- in-child machinery (the child processes are this script with --child) -------------------


class OpTimeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise OpTimeout()


def timed(cap: float, fn):
    """(seconds, value) of ``fn()``, or (None, None) when it ran past ``cap`` seconds (SIGALRM:
    rdflib, pySHACL and networkx are Python, so the alarm interrupts them)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, cap)
    started = time.perf_counter()
    try:
        value = fn()
        return time.perf_counter() - started, value
    except OpTimeout:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def emit(**record: object) -> None:
    print(json.dumps(record), flush=True)


def rdflib_files(project: Path, extra: list[str]) -> list[tuple[Path, str]]:
    files = [(p, "turtle") for p in sorted((project / "ontology").glob("*.ttl"))]
    files += [(p, "trig") for p in sorted((project / "graphs").glob("*.trig"))]
    return files + [(Path(e), "trig") for e in extra]


def rdflib_load(project: Path, cap: float, extra: list[str] = ()):
    """The naive load: every file parsed into one rdflib Dataset whose default graph is the union."""
    from rdflib import Dataset

    ds = Dataset(default_union=True)

    def load() -> int:
        for path, fmt in rdflib_files(project, list(extra)):
            ds.parse(path, format=fmt)
        return len(ds)

    seconds, _ = timed(cap, load)
    return seconds, ds


def child_warm(project: str, plan_file: str, repeats: str) -> None:
    """cskg warm: open the store once, run each named query once, then ``repeats`` times."""
    from cskg.project import Project
    from cskg.query import run_named
    from cskg.store import open_store

    plan = json.loads(Path(plan_file).read_text())
    store = open_store(Project(Path(project)), rebuild=False)
    for q in plan:
        if q.get("error"):
            continue
        try:
            started = time.perf_counter()
            result = run_named(store, q["name"], q["params"])
            first = time.perf_counter() - started
            warm = []
            for _ in range(int(repeats)):
                started = time.perf_counter()
                run_named(store, q["name"], q["params"])
                warm.append(time.perf_counter() - started)
            emit(op=q["name"], first=first, warm=warm, rows=len(result.rows) + len(result.triples))
        except Exception as error:  # noqa: BLE001 - reported, not raised
            emit(op=q["name"], error=f"{type(error).__name__}: {error}"[:300])
    from cskg.network import project as projection

    runs = []
    for _ in range(3):
        started = time.perf_counter()
        proj = projection(store)
        runs.append(time.perf_counter() - started)
    emit(op="projection", warm=runs, nodes=proj.graph.number_of_nodes(), edges=proj.graph.number_of_edges())
    store.close()


def child_baseline_queries(project: str, plan_file: str, cap: str, long: str, skip: str) -> None:
    """rdflib: imports, parse, then each query once (its first run) and warm repeats."""
    started = time.perf_counter()
    import rdflib  # noqa: F401
    from rdflib.plugins.sparql import prepareQuery  # noqa: F401

    imports = time.perf_counter() - started
    seconds, ds = rdflib_load(Path(project), float(cap))
    emit(op="parse", seconds=seconds, imports=imports, timed_out=seconds is None)
    if seconds is None:
        return
    skipped = set(json.loads(skip))

    def run(text: str) -> int:
        result = ds.query(text)
        return len(result.graph) if result.type == "CONSTRUCT" else len(list(result))

    for q in json.loads(Path(plan_file).read_text()):
        if q["name"] in skipped or q.get("error"):
            continue
        try:
            first, rows = timed(float(cap), lambda: run(q["text"]))
        except Exception as error:  # noqa: BLE001
            emit(op=q["name"], error=f"{type(error).__name__}: {error}"[:300])
            continue
        warm = []
        if first is not None and first <= float(long):
            # three warm repeats, or one per run (so three over the runs) for a slow query
            for _ in range(3 if first <= 10 else 1):
                warm.append(timed(float(cap), lambda: run(q["text"]))[0])
        emit(op=q["name"], seconds=first, timed_out=first is None, warm=warm, rows=rows)


def child_baseline_validate(project: str, addition: str, cap: str) -> None:
    """pySHACL on the rdflib graph (the project's files and the addition), as a naive tool does."""
    started = time.perf_counter()
    import pyshacl
    from rdflib import Graph

    imports = time.perf_counter() - started
    seconds, ds = rdflib_load(Path(project), float(cap), [addition])
    emit(op="parse", seconds=seconds, imports=imports, timed_out=seconds is None)
    if seconds is None:
        return
    shapes = Graph()
    for path in sorted((Path(project) / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")

    def validate():
        return pyshacl.validate(ds, shacl_graph=shapes, inference="none", advanced=True,
                                allow_warnings=True, abort_on_first=False, inplace=True)

    seconds, out = timed(float(cap), validate)
    if seconds is None:
        emit(op="pyshacl", seconds=None, timed_out=True)
        return
    from rdflib.namespace import SH

    report = out[1]
    severities = [str(s).rsplit("#", 1)[-1] for s in report.objects(None, SH.resultSeverity)]
    emit(op="pyshacl", seconds=seconds, conforms=bool(out[0]),
         violations=severities.count("Violation"), warnings=severities.count("Warning"))


def child_baseline_network(project: str, cap: str, skip: str, scratch: str) -> None:
    """rdflib's networkx converter, then the networkx measures and writers on its graph."""
    started = time.perf_counter()
    import networkx as nx
    from rdflib import Graph
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    imports = time.perf_counter() - started
    limit = float(cap)
    seconds, ds = rdflib_load(Path(project), limit)
    emit(op="parse", seconds=seconds, imports=imports, timed_out=seconds is None)
    if seconds is None:
        return

    def convert():
        union = Graph()
        union += ds.triples((None, None, None))  # the union graph: the converter reads triples
        return rdflib_to_networkx_multidigraph(union)

    seconds, mdg = timed(limit, convert)
    emit(op="projection", seconds=seconds, timed_out=seconds is None,
         nodes=mdg.number_of_nodes() if mdg else None, edges=mdg.number_of_edges() if mdg else None)
    if mdg is None:
        return
    simple = nx.Graph()
    simple.add_nodes_from(mdg.nodes())
    simple.add_edges_from((u, v) for u, v in mdg.edges())
    skipped = set(json.loads(skip))
    ops = {
        "centrality degree": lambda: nx.degree_centrality(simple),
        "centrality betweenness": lambda: nx.betweenness_centrality(simple),
        "centrality pagerank": lambda: nx.pagerank(simple),
        "communities": lambda: list(nx.community.greedy_modularity_communities(simple)),
        "components": lambda: list(nx.connected_components(simple)),
        "export graphml": lambda: nx.write_graphml(mdg, str(Path(scratch) / "baseline.graphml")),
        "export gexf": lambda: nx.write_gexf(mdg, str(Path(scratch) / "baseline.gexf")),
    }
    for name, fn in ops.items():
        if name in skipped:
            continue
        try:
            seconds, _ = timed(limit, fn)
            emit(op=name, seconds=seconds, timed_out=seconds is None)
        except Exception as error:  # noqa: BLE001 - a failing writer is a finding
            emit(op=name, error=f"{type(error).__name__}: {error}"[:300])


def child_pyrudof(data_file: str, shapes_file: str, cap: str) -> None:
    """pyrudof's native SHACL engine on the union graph (N-Triples) and the same shapes."""
    started = time.perf_counter()
    import pyrudof

    imports = time.perf_counter() - started
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    seconds, _ = timed(float(cap), lambda: rudof.read_data(Path(data_file), format=pyrudof.RDFFormat.NTriples))
    emit(op="parse", seconds=seconds, imports=imports, timed_out=seconds is None)
    rudof.read_shacl(Path(shapes_file))
    started = time.perf_counter()
    report = rudof.validate_shacl()
    seconds = time.perf_counter() - started
    violations = list(report.violations) if hasattr(report, "violations") else []
    emit(op="validate", seconds=seconds, conforms=bool(report.conforms), results=len(report),
         violations=len(violations))


CHILDREN = {"warm": child_warm, "baseline-queries": child_baseline_queries,
            "baseline-validate": child_baseline_validate, "baseline-network": child_baseline_network,
            "pyrudof": child_pyrudof}


def child_cmd(kind: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", kind, *args]


def records(result: dict) -> list[dict]:
    out = []
    for line in result["stdout"].splitlines():
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return out


def multi(kind: str, args: list[str], a: argparse.Namespace, ops: int, skip_at: int | None = None) -> dict:
    """Run a many-operation child ``--runs`` times: its records by operation, over the runs.
    Operations that took over ``--long`` s (or hit the cap) in a run are skipped in the next
    ones (so they have one run); when the parse did, there is only one run at all.
    ``skip_at`` is the index in ``args`` of the JSON list of operations to skip."""
    by_op: dict[str, list[dict]] = {}
    skip: set[str] = set()
    runs_info = []
    for _ in range(a.runs):
        if skip_at is not None:
            args[skip_at] = json.dumps(sorted(skip))
        r = run_cmd(child_cmd(kind, *args), a.cap * ops + 120, ba.child_env(), a.mem_cap * 1024)
        recs = records(r)
        runs_info.append({"wall": r["wall"], "peak_mb": r["peak_mb"], "timed_out": r["timed_out"],
                          "out_of_memory": r["out_of_memory"], "code": r["code"],
                          "stderr": r["stderr"][-1500:] if r["code"] else ""})
        for rec in recs:
            by_op.setdefault(rec["op"], []).append(rec)
            if rec.get("timed_out") or rec.get("error") or (rec.get("seconds") or 0) > a.long:
                skip.add(rec["op"])
        if r["timed_out"] or r["out_of_memory"] or r["code"] or "parse" in skip or skip_at is None and skip:
            break
    return {"ops": by_op, "runs": runs_info, "peak_mb": max((x["peak_mb"] for x in runs_info), default=0)}


def op_fig(m: dict, op: str, add: tuple[str, ...] = (), key: str = "seconds") -> dict:
    """A figure from a many-operation child: ``op``'s seconds, plus the named other operations'
    seconds of the same run (e.g. imports + parse + query for a cold baseline query)."""
    f = fig(peak_mb=m["peak_mb"])
    recs = m["ops"].get(op, [])
    if not recs:
        last = m["runs"][-1] if m["runs"] else {}
        if last.get("out_of_memory"):
            f["oom"] = True
        elif last.get("timed_out"):
            f["capped"] = True
        else:
            f["error"] = "not run" + (f" (child exit {last.get('code')})" if last.get("code") else "")
        return f
    parses = m["ops"].get("parse", [])
    for n, rec in enumerate(recs):
        if rec.get("error"):
            f["error"] = rec["error"]
            return f
        if rec.get("timed_out") or rec.get(key) is None:
            f["capped"] = True
            return f
        extra = 0.0
        for name in add:
            if name == "imports":
                extra += parses[n]["imports"] if n < len(parses) else parses[0]["imports"]
            else:
                source = m["ops"].get(name, [])
                extra += (source[n] if n < len(source) else source[0])["seconds"]
        f["runs"].append(rec[key] + extra)
    return f


# --- preparing a size --------------------------------------------------------------------------


def pick_values(project: Path, summary: dict) -> dict[str, str]:
    """Real values from the generated project for the queries' parameters."""
    import pyoxigraph as ox

    from cskg.namespaces import sparql_prologue

    store = ox.Store.read_only(str(project / ".cskg" / "store"))
    target = summary["inadequate_at_end"][0]

    def first(where: str) -> str:
        rows = list(store.query(sparql_prologue() + f"SELECT ?l WHERE {{ {where} }} ORDER BY ?l LIMIT 1",
                                use_default_graph_as_union=True))
        return rows[0]["l"].value if rows else ""

    council = f"<{target['council']}>"
    values = {
        "council": target["name"],
        "region": first(f"{council} cskg:region/rdfs:label ?l"),
        "partnership": first(f"?m org:organization ?p ; org:member {council} . ?p a cskg:Partnership ; rdfs:label ?l"),
        "person": first(f"?h a cskg:PostHolding ; org:organization {council} ; org:member/rdfs:label ?l"),
        "author": first("?a a cskg:NewsArticle ; dcterms:creator/rdfs:label ?l"),
        "grade": "inadequate", "theme": "early-help", "service": "help-and-protection",
        "from": "2015", "to": "2020",
    }
    del store
    return values


def value_for(param, values: dict[str, str]) -> str | None:
    if param.name == "snapshot":
        return "2025-03-10"  # a required date; the generated projects list no snapshots
    if "snapshot" in param.description:
        return None  # the generated projects have no ILACS snapshots: left at its default
    if param.type == "council":
        return values["council"]
    if param.type.startswith("concept:"):
        return values.get(param.type.split(":", 1)[1])
    if param.type == "date":
        return values.get(param.name)
    if param.type == "entity":
        return values.get(param.name, values["council"])
    return None


def query_plan(info: dict, folder: Path) -> list[dict]:
    """Every named query with its parameters, and the bound text (``with_values`` after
    ``bind``, as ``cskg.query.run`` does) with the PREFIX lines for Oxigraph and rdflib."""
    from cskg.namespaces import sparql_prologue
    from cskg.project import Project
    from cskg.query import Catalogue, bind, with_values
    from cskg.store import open_store

    project = Path(info["project"])
    summary = json.loads((project / "generated.json").read_text())
    values = pick_values(project, summary)
    plan = []
    folder.mkdir(parents=True, exist_ok=True)
    with open_store(Project(project), rebuild=False) as store:
        for q in Catalogue(project / "queries").all():
            params = {p.name: v for p in q.params if (v := value_for(p, values)) is not None}
            entry = {"name": q.name, "form": q.form, "params": params}
            try:
                text = sparql_prologue() + with_values(q.text, bind(store, q, params))
                path = folder / f"{q.name}.rq"
                path.write_text(text)
                entry.update(text=text, file=str(path))
            except Exception as error:  # noqa: BLE001
                entry["error"] = f"{type(error).__name__}: {error}"
            plan.append(entry)
    (folder / "plan.json").write_text(json.dumps(plan, indent=1))
    return plan


def copy_project(project: Path, target: Path) -> None:
    """A copy of the project with its store (graph files hard-linked), as ``cskg add`` needs."""
    if target.exists():
        shutil.rmtree(target)
    (target / "graphs").mkdir(parents=True)
    for part in gen.COPIED:
        shutil.copytree(project / part, target / part)
    for path in (project / "graphs").iterdir():
        os.link(path, target / "graphs" / path.name)
    shutil.copytree(project / ".cskg" / "store", target / ".cskg" / "store")
    shutil.copy2(project / ".cskg" / "store.manifest.json", target / ".cskg" / "store.manifest.json")


def union_ntriples(project: Path, addition: Path, target: Path) -> Path:
    """The union graph of the store and the addition as N-Triples (for pyrudof)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(project / ".cskg" / "store"))
    seen: set[str] = set()
    extra = ox.Store()
    extra.load(path=str(addition), format=ox.RdfFormat.TRIG)
    with target.open("w", encoding="utf-8") as out:
        for source in (store, extra):
            for q in source.quads_for_pattern(None, None, None, None):
                line = f"{q.subject} {q.predicate} {q.object} .\n"
                if line not in seen:
                    seen.add(line)
                    out.write(line)
    return target


# --- measuring a size -------------------------------------------------------------------------


def baseline_groups(parts: set[str]) -> set[str]:
    """Which naive-baseline processes run: rdflib queries ("queries", with the parts queries),
    pySHACL ("validate": validate or add) and networkx ("network": network or export), each with
    its cskg part; ``baseline`` with none of those parts runs all three (``--parts baseline``:
    the baseline alone, to complete a saved run with ``--merge-into``)."""
    if "baseline" not in parts:
        return set()
    groups = {group for group, wanted in (("queries", {"queries"}), ("validate", {"validate", "add"}),
                                          ("network", {"network", "export"})) if parts & wanted}
    return groups or {"queries", "validate", "network"}


def measure(info: dict, a: argparse.Namespace, add_section: list[dict], checkpoint=lambda m: None) -> dict:
    project = Path(info["project"])
    scratch = project.parent / "bench"
    scratch.mkdir(exist_ok=True)
    cskg = ba.cskg_command()
    env = cskg_env(project)
    m: dict = {"size": info["size"], "triples": info["triples"], "files": info["files"],
               "store_triples": info["store_triples"], "councils": info["councils"],
               "build_note": info["build"]}
    say = lambda text: print(f"  {text}", flush=True)  # noqa: E731
    plan = query_plan(info, scratch / "queries")
    m["plan"] = [{k: v for k, v in q.items() if k != "text"} for q in plan]
    groups = baseline_groups(a.parts)

    if "help" in a.parts:
        m["help"] = cold(cskg + ["--help"], env, a, runs=max(a.runs, 5))
        m["help_baseline"] = cold([sys.executable, "-c", "import rdflib, pyshacl, networkx"], env, a,
                                  runs=max(a.runs, 5))
        say(f"--help {median(m['help'])}")

    if "build" in a.parts:
        build_store = scratch / "build-store" / "store"

        def fresh_build() -> None:
            if build_store.parent.exists():
                shutil.rmtree(build_store.parent)
            build_store.parent.mkdir(parents=True)

        m["build"] = cold(cskg + ["build", "--force"], cskg_env(project, CSKG_STORE=str(build_store)), a,
                          before=fresh_build)
        say(f"cskg build {median(m['build'])}")
        ox_dir = scratch / "oxigraph-load"
        files = [str(p.relative_to(project)) for p, _ in rdflib_files(project, [])]

        def fresh_ox() -> None:
            if ox_dir.exists():
                shutil.rmtree(ox_dir)

        m["oxigraph_load"] = cold([oxigraph_cli(), "load", "--location", str(ox_dir), "--file", *files],
                                  ba.child_env(), a, cwd=project, before=fresh_ox)
        # the same statements as one TriG file (the generated files use no prefixes, so they
        # concatenate): what `oxigraph load` costs without a transaction per file
        one = scratch / "all-graphs.trig"
        with one.open("wb") as out:
            for path in sorted((project / "graphs").glob("*.trig")):
                out.write(path.read_bytes())
        onto = [str(p.relative_to(project)) for p in sorted((project / "ontology").glob("*.ttl"))]
        m["oxigraph_load_one"] = cold([oxigraph_cli(), "load", "--location", str(ox_dir), "--file", str(one),
                                       *onto], ba.child_env(), a, cwd=project, before=fresh_ox)
        one.unlink()
        fresh_ox()
        fresh_build()
        say(f"oxigraph load {median(m['oxigraph_load'])}, as one file {median(m['oxigraph_load_one'])}")

    if "queries" in a.parts:
        ox_store = scratch / "oxigraph-query-store"
        if ox_store.exists():
            shutil.rmtree(ox_store)
        shutil.copytree(project / ".cskg" / "store", ox_store)
        m["queries"] = {}
        for q in plan:
            if q.get("error"):
                m["queries"][q["name"]] = {"error": q["error"]}
                continue
            fmt = "json" if q["form"] in ("SELECT", "ASK") else "ntriples"
            args = [f"--param={k}={v}" for k, v in sorted(q["params"].items())]
            entry = {"cold": cold(cskg + ["query", q["name"], *args, "--format", fmt], env, a)}
            entry["oxigraph"] = cold([oxigraph_cli(), "query", "--location", str(ox_store), "--query-file",
                                      q["file"], "--union-default-graph", "--results-format",
                                      "json" if fmt == "json" else "nt"], ba.child_env(), a)
            m["queries"][q["name"]] = entry
            say(f"query {q['name']}: cold {median(entry['cold'])}, oxigraph {median(entry['oxigraph'])}")
        shutil.rmtree(ox_store)
        warm = run_cmd(child_cmd("warm", str(project), str(scratch / "queries" / "plan.json"), str(a.warm)),
                       a.cap * (len(plan) + 1), env, a.mem_cap * 1024)
        for rec in records(warm):
            if rec["op"] == "projection":
                m["projection_warm"] = fig(rec["warm"], peak_mb=warm["peak_mb"], nodes=rec["nodes"],
                                           edges=rec["edges"])
            elif rec["op"] in m["queries"]:
                m["queries"][rec["op"]]["warm"] = (fig(rec["warm"], peak_mb=warm["peak_mb"], first=rec["first"],
                                                       rows=rec["rows"]) if not rec.get("error")
                                                   else fig(error=rec["error"]))
        if warm["code"] or warm["timed_out"]:
            m["warm_problem"] = f"exit {warm['code']}, timed out {warm['timed_out']}: {warm['stderr'][-500:]}"
    checkpoint(m)
    if "validate" in a.parts or "add" in a.parts:
        # bench_add.py's figures: add check, add --dry-run and the full validation (validate_store)
        rate = None
        if add_section:
            last = add_section[-1]
            full = [r["seconds"] for r in last["fulls"] if r["seconds"] is not None]
            if full:
                rate = statistics.median(full) / last["store_triples"]
            elif last["fulls"]:
                rate = (last["fulls"][-1].get("after") or a.cap) / last["store_triples"]
        say("bench_add.py: add check, add --dry-run, full validation...")
        m["add_bench"] = ba.measure(info, a.runs, a.cap, rate, a.no_skip, a.mem_cap * 1024)
        add_section.append(m["add_bench"])

    if "add" in a.parts:
        copy = scratch / "add-copy"
        m["add"] = cold(cskg + ["add", info["addition"]], cskg_env(copy), a,
                        before=lambda: copy_project(project, copy),
                        check=lambda r: None if "added" in r["stdout"].lower() else
                        f"not added: {r['stdout'][-300:]}")
        if copy.exists():
            shutil.rmtree(copy)
        say(f"cskg add {median(m['add'])}")

    checkpoint(m)
    if "network" in a.parts:
        m["network"] = {}
        for measure_ in MEASURES:
            m["network"][f"centrality {measure_}"] = cold(
                cskg + ["network", "centrality", "--measure", measure_, "--format", "json"], env, a)
            say(f"network centrality {measure_} {median(m['network'][f'centrality {measure_}'])}")
        for cmd in ("communities", "components"):
            m["network"][cmd] = cold(cskg + ["network", cmd], env, a)
            say(f"network {cmd} {median(m['network'][cmd])}")

    checkpoint(m)
    if "export" in a.parts:
        m["export"] = {}
        out_dir = scratch / "exports"
        out_dir.mkdir(exist_ok=True)
        for fmt, ext in EXPORTS.items():
            target = out_dir / f"graph.{ext}"
            m["export"][fmt] = cold(cskg + ["export", "--format", fmt, "-o", str(target)], env, a)
            size = sum(p.stat().st_size for p in out_dir.glob("graph*")) if out_dir.exists() else 0
            m["export"][fmt]["bytes"] = size
            for p in out_dir.glob("graph*"):
                p.unlink()
            say(f"export {fmt} {median(m['export'][fmt])}")

    checkpoint(m)
    if "pyrudof" in a.parts:
        try:
            import pyrudof  # noqa: F401

            say("pyrudof...")
            data = union_ntriples(project, Path(info["addition"]), scratch / "union.nt")
            shapes = scratch / "shapes.ttl"
            shapes.write_text("\n".join(p.read_text() for p in sorted((project / "shapes").glob("*.ttl"))))
            m["pyrudof"] = multi("pyrudof", [str(data), str(shapes), str(a.cap)], a, ops=2)
            data.unlink()
        except ImportError:
            m["pyrudof"] = None

    checkpoint(m)
    if "queries" in groups:
        say("baseline queries (rdflib)...")
        bq = multi("baseline-queries", [str(project), str(scratch / "queries" / "plan.json"), str(a.cap),
                                        str(a.long), "[]"], a, ops=len(plan) + 1, skip_at=4)
        m["baseline_queries"] = bq
        m["baseline_load"] = op_fig(bq, "parse")
        queries = m.setdefault("queries", {})  # with --parts baseline alone: the baseline figures only
        for q in plan:
            if not q.get("error"):
                e = queries.setdefault(q["name"], {})
                e["baseline_cold"] = op_fig(bq, q["name"], add=("imports", "parse"))
                recs = bq["ops"].get(q["name"], [])
                warm_runs = [w for rec in recs for w in rec.get("warm") or [] if w is not None]
                e["baseline_warm"] = fig(warm_runs, peak_mb=bq["peak_mb"]) if warm_runs else op_fig(bq, q["name"])
                e["baseline_rows"] = recs[0].get("rows") if recs else None

    checkpoint(m)
    if "validate" in groups:
        say("baseline validation (pySHACL)...")
        bv = multi("baseline-validate", [str(project), info["addition"], str(a.cap)], a, ops=2)
        m["baseline_validate"] = bv
    checkpoint(m)
    if "network" in groups:
        say("baseline network (rdflib converter + networkx)...")
        out_dir = scratch / "exports"
        out_dir.mkdir(exist_ok=True)
        m["baseline_network"] = multi("baseline-network", [str(project), str(a.cap), "[]", str(out_dir)], a,
                                      ops=9, skip_at=2)
        for p in out_dir.glob("baseline*"):
            p.unlink()
    return m


# --- reporting ------------------------------------------------------------------------------------


def secs(f: dict | None, cap: float) -> str:
    if f is None:
        return "-"
    if f.get("capped"):
        return f"> {cap:.0f} (cap)"
    if f.get("oom"):
        return f"killed at the memory cap after {f.get('after', 0):.0f} s"
    if f.get("skipped"):
        return "not run"
    if f.get("error"):
        return "failed"
    if not f.get("runs"):
        return "-"
    value = statistics.median(f["runs"])
    text = f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 10 else f"{value:.1f}"
    n = len(f["runs"])
    return text + (f" ({n} run{'s' if n > 1 else ''})" if n < 3 else "")


def ratio(ours: dict | None, theirs: dict | None, cap: float, what: str = "baseline") -> str:
    """"cskg is N x faster/slower than <what>"."""
    a, b = median(ours), median(theirs)
    if a is None:
        return "-"
    if theirs is not None and theirs.get("capped") and a:
        return f"cskg is > {ba.lower_bound(cap / a)} x faster ({what} capped)"
    if b is None or a == 0:
        return "-"
    if a <= b:
        return f"cskg is {b / a:.1f} x faster"
    return f"cskg is {a / b:.1f} x slower"


def with_note(r: str, note: str) -> str:
    return r if r == "-" else f"{r} {note}"


def peak(f: dict | None) -> str:
    return f"{f['peak_mb']:.0f}" if f and f.get("peak_mb") else "-"


def baseline_validate_figs(m: dict) -> tuple[dict | None, dict | None]:
    """pySHACL alone, and the naive add (imports + parse of everything + pySHACL)."""
    bv = m.get("baseline_validate")
    if not bv:
        return None, None
    return op_fig(bv, "pyshacl"), op_fig(bv, "pyshacl", add=("imports", "parse"))


def full_validation_fig(m: dict) -> dict | None:
    ab = m.get("add_bench")
    if not ab:
        return None
    f = fig(peak_mb=max((r["peak_mb"] for r in ab["fulls"]), default=0))
    if ab["full_skipped"]:
        f["skipped"] = True
        return f
    for r in ab["fulls"]:
        if r["seconds"] is None:
            f["capped"] = bool(r.get("timed_out"))
            f["oom"] = bool(r.get("out_of_memory"))
            f["after"] = r.get("after")
            return f
        f["runs"].append(r["seconds"])
    return f


def target_rows(m: dict, a: argparse.Namespace) -> list[str]:
    cap = a.cap
    rows = []

    def row(name: str, figure: str, met: bool | None, base: str) -> None:
        verdict = "—" if met is None else "**met**" if met else "**missed**"
        rows.append(f"| {name} | {figure} | {verdict} | {base} |")

    qs = {n: e for n, e in (m.get("queries") or {}).items() if "cold" in e}
    if qs:
        worst = max(qs, key=lambda n: median(qs[n]["cold"]) or float("inf"))
        values = [median(e["cold"]) for e in qs.values()]
        under = sum(1 for v in values if v is not None and v < 1)
        ok = all(v is not None and v < 1 for v in values)
        row("any named query, cold process, < 1 s",
            f"slowest {worst}: {secs(qs[worst]['cold'], cap)} s; {under} of {len(values)} under 1 s",
            ok, with_note(ratio(qs[worst]["cold"], qs[worst].get("baseline_cold"), cap), "(that query)"))
        ratios = {n: (median(e["cold"]) or float("inf")) / (median(e["oxigraph"]) or float("nan"))
                  for n, e in qs.items() if median(e.get("oxigraph"))}
        if ratios:
            worst_r = max(ratios, key=ratios.get)
            within = sum(1 for r in ratios.values() if r <= 2)
            row("any named query within 2x of `oxigraph query` on the same store",
                f"worst {worst_r}: {ratios[worst_r]:.1f}x ({secs(qs[worst_r]['cold'], cap)} vs "
                f"{secs(qs[worst_r]['oxigraph'], cap)} s); {within} of {len(ratios)} within 2x",
                all(r <= 2 for r in ratios.values()), "-")
    if m.get("build"):
        b, o = median(m["build"]), median(m.get("oxigraph_load"))
        one = median(m.get("oxigraph_load_one"))
        reference = secs(m.get("oxigraph_load"), cap) + (" s" if o else "")  # "> 120 (cap)", "failed"
        row("`cskg build` within 2x of `oxigraph load`",
            f"{secs(m['build'], cap)} s vs {reference}"
            + (f" ({b / o:.1f}x)" if b and o else "")
            + (f"; `oxigraph load` of the same statements as one file: {secs(m['oxigraph_load_one'], cap)} s"
               + (f" (cskg {b / one:.1f}x that)" if b and one else "")
               if m.get("oxigraph_load_one") else ""),
            (b / o <= 2) if b and o else False if m["build"].get("capped") else None,
            with_note(ratio(m["build"], m.get("baseline_load"), cap), "(rdflib parse)"))
    if m.get("add"):
        v = median(m["add"])
        _, naive_add = baseline_validate_figs(m)
        row("`cskg add` of a 100-triple addition < 2 s", f"{secs(m['add'], cap)} s",
            v is not None and v < 2, with_note(ratio(m["add"], naive_add, cap), "(parse + pySHACL)"))
    full = full_validation_fig(m)
    if full:
        v = median(full)
        pyshacl_fig, _ = baseline_validate_figs(m)
        rud = op_fig(m["pyrudof"], "validate") if m.get("pyrudof") else None
        extra = f"; pyrudof {secs(rud, cap)} s" if rud else ""
        row("full validation < 60 s", ("not run in this run (estimated beyond the cap)" if full.get("skipped")
                                       else f"{secs(full, cap)} s") + extra,
            (v < 60) if v is not None else False if (full.get("capped") or full.get("oom")) else None,
            with_note(ratio(full, pyshacl_fig, cap), "(pySHACL)"))
    if m.get("network"):
        cents = {k: v for k, v in m["network"].items() if k.startswith("centrality")}
        worst = max(cents, key=lambda k: median(cents[k]) or float("inf"))
        ok = all(median(v) is not None and median(v) < 10 for v in cents.values())
        base = op_fig(m["baseline_network"], worst, add=("imports", "parse", "projection")) \
            if m.get("baseline_network") else None
        row("`cskg network centrality` < 10 s (each measure)",
            "; ".join(f"{k.split()[1]} {secs(v, cap)} s" for k, v in cents.items()), ok,
            with_note(ratio(cents[worst], base, cap), f"({worst.split()[1]})"))
    if m.get("help"):
        v = median(m["help"])
        row("`cskg --help` < 0.3 s", f"{secs(m['help'], cap)} s", v is not None and v < 0.3,
            with_note(ratio(m["help"], m.get("help_baseline"), cap), "(importing rdflib, pySHACL, networkx)"))
    return rows


def slowest(m: dict, a: argparse.Namespace, n: int = 8) -> list[str]:
    figures: list[tuple[float, str, str]] = []

    def add(name: str, f: dict | None) -> None:
        if not f:
            return
        v = median(f)
        if f.get("capped"):
            v = a.cap + 1
        if v is not None:
            figures.append((v, name, secs(f, a.cap)))

    add("cskg build", m.get("build"))
    add("cskg add", m.get("add"))
    add("full validation (validate_store)", full_validation_fig(m))
    for name, e in (m.get("queries") or {}).items():
        add(f"cskg query {name} (cold)", e.get("cold"))
    for name, f in (m.get("network") or {}).items():
        add(f"cskg network {name}", f)
    for name, f in (m.get("export") or {}).items():
        add(f"cskg export --format {name}", f)
    figures.sort(reverse=True)
    return [f"{i}. {name}: {text} s" for i, (_, name, text) in enumerate(figures[:n], 1)]


def render(suite: list[dict], add_section: list[dict], a: argparse.Namespace) -> str:
    from importlib.metadata import PackageNotFoundError, version

    cap = a.cap
    L = ["# Benchmark results", "",
         "Written by `benchmarks/bench.py` (`make bench`); what each figure means is in "
         "[`benchmarks/README.md`](README.md). Every individual figure of this run is in "
         f"`{a.json_name}`.", ""]
    L += [line if not line.startswith("- Date:") or not getattr(a, "date", None) else f"- Date: {a.date}"
          for line in ba.machine(a.code_at_start)]

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    for n, rm in enumerate(getattr(a, "runs_meta", []) or [], 1):
        L.append(f"- Run {n} ({rm['sizes']}): {rm['date']}, code snapshot sha256 {rm['code'][0]}…, "
                 f"figures in `{rm['json_name']}`")
    merged_runs = getattr(a, "merged_meta", []) or []
    for n, rm in enumerate(merged_runs, 1):
        options = (f"--sizes {rm['sizes']} --parts {','.join(p for p in PARTS if p in rm['parts'])} "
                   f"--runs {rm['runs']} --cap {rm['cap']:.0f} --long {rm['long']:.0f} --mem-cap {rm['mem_cap']:g}")
        L.append(f"- Later run {n}, merged into this file (`{options}`): {rm['date']}, code snapshot sha256 "
                 f"{rm['code'][0]}… (newest modified {rm['code'][1][:16].replace('T', ' ')} UTC), its own figures in "
                 f"`{rm['json_name']}`" + "".join(f"; {line}" for line in rm.get("machine") or []))
    L += [f"- Also: networkx {v('networkx')}, `oxigraph` CLI {v('oxigraph')}, pyrudof {v('pyrudof')}",
          f"- Command: `python benchmarks/bench.py --sizes {a.sizes} --runs {a.runs} --cap {cap:.0f} "
          f"--long {a.long:.0f} --mem-cap {a.mem_cap:g} --seed {a.seed}"
          + (f" --parts {','.join(p for p in PARTS if p in a.parts)}" if set(PARTS) - set(a.parts) else "") + "`", "",
          f"Figures are seconds, the median of {a.runs} runs (each cold figure a fresh process), except "
          f"where a figure says \"(1 run)\": a measurement whose first run took over {a.long:.0f} s, or hit "
          f"a cap, is not repeated. `> {cap:.0f} (cap)` means killed at the time cap. **Ratios compare "
          "figures measured in the same run** and read \"cskg is N x faster/slower than the baseline\". "
          "The baseline is naive: rdflib parses the graph files into a `Dataset(default_union=True)`, "
          "queries run on it with rdflib, validation is pySHACL on it, the network is "
          "`rdflib_to_networkx_multidigraph` + networkx.", ""]
    if merged_runs and getattr(a, "base_peak", None) != "own" and any(r.get("peak") == "own" for r in merged_runs):
        L += [("Peak MB: the figures of the first run were measured before the benchmark started each child "
               "through a small launcher, so each of them is at least the benchmark process's own peak at that "
               "moment (the smallest figures of a size repeat one value); the peaks of the later runs' figures "
               "are each child's own."), ""]
    if "baseline" not in a.parts:
        L += ["**The naive baseline was not run in this run** (`--parts` without `baseline`): the "
              "\"vs baseline\" columns are empty; the Oxigraph reference figures are measured.", ""]
    measured_sizes = [m["triples"] for m in suite]
    if not any(m["triples"] >= TARGETS_AT * 0.9 for m in suite):
        L += [f"**The targets are set at 1M triples; this run measured {', '.join(f'{t:,}' for t in measured_sizes)}.** "
              + (a.note_1m or "The 1M size was not run (see below)."), ""]
    elif a.note_1m:
        L += [a.note_1m, ""]
    for m in suite:
        L += [f"## {m['triples']:,} triples ({m['files']:,} graph files, {m['councils']} councils; "
              f"the store holds {m['store_triples']:,} with the ontology)", "",
              *(["**This size was stopped before all its measurements were made; what is below is what was "
                 "measured.**", ""] if m.get("partial") else []),
              *([f"Figures from run {m.get('run_number', 1)}, except these, measured in a later run of the same "
                 f"size (ratios between them compare different runs): {'; '.join(m['filled'])}.", ""]
                if m.get("filled") else []),
              *([("Merged from a later run (see the runs above; ratios between these figures and the others of "
                  "this size compare different runs): ")
                 + "; ".join(f"later run {x['run']} ({merged_runs[x['run'] - 1]['date']}): {', '.join(x['figures'])}"
                             for x in m["merged"]) + ".", ""]
                if m.get("merged") and merged_runs else []),
              "### Targets", "",
              "| target (set for 1M triples on 2 cores) | reached | | vs baseline, same run |",
              "|---|---|---|---|"]
        L += target_rows(m, a)
        L += ["", "Slowest cskg operations at this size (where the speed work should look first):", ""]
        L += slowest(m, a) + [""]
        L += ["### Build, validation, add, help", "",
              "| operation | cskg (s) | peak MB | reference (s) | baseline (s) | baseline peak MB | cskg vs baseline |",
              "|---|---:|---:|---|---:|---:|---|"]
        if m.get("build"):
            L.append(f"| build the store from the files (`cskg build --force`; ref. `oxigraph load`; "
                     f"baseline rdflib parse) | {secs(m['build'], cap)} | {peak(m['build'])} | "
                     f"{secs(m.get('oxigraph_load'), cap)} | {secs(m.get('baseline_load'), cap)} | "
                     f"{peak(m.get('baseline_load'))}{'†' if m.get('baseline_load') else ''} | "
                     f"{ratio(m['build'], m.get('baseline_load'), cap)} |")
            L.append(f"| the same, reference `oxigraph load` of the graph files concatenated into one TriG file | "
                     f"- | - | {secs(m.get('oxigraph_load_one'), cap)} | - | - | - |")
        full = full_validation_fig(m)
        pyshacl_fig, naive_add = baseline_validate_figs(m)
        rud = op_fig(m["pyrudof"], "validate") if m.get("pyrudof") else None
        if full:
            L.append(f"| full validation (`validate_store`, what `cskg validate` does; ref. pyrudof; baseline "
                     f"pySHACL alone) | {secs(full, cap)} | {peak(full)} | {secs(rud, cap) if rud else '-'} | "
                     f"{secs(pyshacl_fig, cap)} | {peak(pyshacl_fig)} | {ratio(full, pyshacl_fig, cap)} |")
        ab = m.get("add_bench")
        if ab:
            s = ba.summarise(ab)
            L.append(f"| add check (`check_addition` in process, bench_add.py) | {s['check']:.2f} | - | - | - | - | - |")
            L.append(f"| `cskg add --dry-run` (bench_add.py) | {s['dry']:.2f} | - | - | - | - | - |")
        if m.get("add"):
            L.append(f"| `cskg add` of the addition, really added (baseline: imports + parse + pySHACL of "
                     f"everything) | {secs(m['add'], cap)} | {peak(m['add'])} | - | {secs(naive_add, cap)} | "
                     f"{peak(naive_add)} | {ratio(m['add'], naive_add, cap)} |")
        if m.get("help"):
            L.append(f"| `cskg --help` (baseline: `python -c 'import rdflib, pyshacl, networkx'`) | "
                     f"{secs(m['help'], cap)} | {peak(m['help'])} | - | {secs(m.get('help_baseline'), cap)} | "
                     f"{peak(m.get('help_baseline'))} | {ratio(m['help'], m.get('help_baseline'), cap)} |")
        notes = []
        if m.get("baseline_load"):
            notes.append("† The baseline load is timed inside the rdflib process that then runs every named query; "
                         "its peak is that whole process's (the queries' intermediate results included).")
        bv = m.get("baseline_validate")
        if bv and bv["ops"].get("pyshacl"):
            r0 = bv["ops"]["pyshacl"][0]
            if r0.get("seconds") is not None:
                notes.append(f"pySHACL (baseline) on the graph with the addition: conforms {r0.get('conforms')}, "
                             f"{r0.get('violations')} violations, {r0.get('warnings')} warnings.")
        if m.get("pyrudof") and m["pyrudof"]["ops"].get("validate"):
            r0 = m["pyrudof"]["ops"]["validate"][0]
            pr = op_fig(m["pyrudof"], "parse")
            notes.append(f"pyrudof (native engine; data read {secs(pr, cap)} s, outside its figure): conforms "
                         f"{r0.get('conforms')}, {r0.get('results')} results.")
        elif "pyrudof" in m and m["pyrudof"] is None:
            notes.append("pyrudof is not installed: not measured.")
        if ab and ab.get("full_skipped"):
            notes.append(f"Full validation: {ab['full_skipped']}.")
        if notes:
            L += [""] + [f"- {n}" for n in notes]
        if m.get("queries"):
            L += ["", "### Named queries", "",
                  "Cold: `cskg query NAME --param ... --format json` (N-Triples for CONSTRUCT) as a fresh process; "
                  "`oxigraph query` of the same bound text on a copy of the same store (`--union-default-graph`); "
                  f"warm: `run_named` in one process after a first run (median of {a.warm}). Baseline cold = "
                  "rdflib's imports + parse of every file + the query's first run in that process; baseline warm = "
                  "the query again in the same process. Rows: cskg / rdflib.", "",
                  "| query | parameters | rows | cold (s) | `oxigraph query` (s) | cold / oxigraph | warm (s) "
                  "| baseline cold (s) | baseline warm (s) | cold vs baseline | warm vs baseline |",
                  "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|"]
            for name, e in m["queries"].items():
                params = next((q["params"] for q in m["plan"] if q["name"] == name), {})
                ptext = ", ".join(f"{k}={v}" for k, v in params.items()) or "-"
                if "cold" not in e and "error" in e:
                    L.append(f"| {name} | {ptext} | - | failed: {e.get('error', '')[:80]} | | | | | | | |")
                    continue
                c, o = median(e.get("cold")), median(e.get("oxigraph"))  # no cold: a baseline-only run
                rows = f"{e.get('warm', {}).get('rows', '-')} / {e.get('baseline_rows') if e.get('baseline_rows') is not None else '-'}"
                L.append(f"| {name} | {ptext} | {rows} | {secs(e.get('cold'), cap)} | {secs(e.get('oxigraph'), cap)} | "
                         f"{(f'{c / o:.1f}x' if c and o else '-')} | {secs(e.get('warm'), cap)} | "
                         f"{secs(e.get('baseline_cold'), cap)} | {secs(e.get('baseline_warm'), cap)} | "
                         f"{ratio(e.get('cold'), e.get('baseline_cold'), cap)} | "
                         f"{ratio(e.get('warm'), e.get('baseline_warm'), cap)} |")
            errors = [f"{n}: {e['cold']['error']}" for n, e in m["queries"].items()
                      if "cold" in e and e["cold"].get("error")]
            if errors:
                L += [""] + [f"- failed: {x}" for x in errors]
        bn = m.get("baseline_network")
        if m.get("network") or m.get("export"):
            pw = m.get("projection_warm")
            L += ["", "### Network and exports", "",
                  "cskg: each command from a fresh process (store opened, projection made, measure or writer run). "
                  "Baseline: imports + parse + `rdflib_to_networkx_multidigraph` (literals become nodes) + the same "
                  "networkx call, one process; `n/a` where the baseline has no such writer.", ""]
            if pw:
                base_proj = op_fig(bn, "projection") if bn else None
                nodes = bn["ops"]["projection"][0].get("nodes") if bn and bn["ops"].get("projection") else "-"
                edges = bn["ops"]["projection"][0].get("edges") if bn and bn["ops"].get("projection") else "-"
                L += [f"Projection alone, in process: cskg `network.project` {secs(pw, cap)} s "
                      f"({pw['nodes']:,} nodes, {pw['edges']:,} edges); rdflib converter {secs(base_proj, cap)} s "
                      f"({nodes} nodes, {edges} edges): {ratio(pw, base_proj, cap)}.", ""]
            L += ["| command | cskg (s) | peak MB | baseline (s) | cskg vs baseline |", "|---|---:|---:|---:|---|"]
            for name, f in (m.get("network") or {}).items():
                base = op_fig(bn, name, add=("imports", "parse", "projection")) if bn else None
                L.append(f"| `cskg network {name}` | {secs(f, cap)} | {peak(f)} | {secs(base, cap)} | "
                         f"{ratio(f, base, cap)} |")
            for fmt, f in (m.get("export") or {}).items():
                base = op_fig(bn, f"export {fmt}", add=("imports", "parse", "projection")) \
                    if bn and fmt in ("graphml", "gexf") else None
                btext = secs(base, cap) if base else "n/a"
                if base and base.get("error"):
                    btext = f"failed: {base['error'][:120]}"
                L.append(f"| `cskg export --format {fmt}` ({f.get('bytes', 0) / 1e6:.1f} MB) | {secs(f, cap)} | "
                         f"{peak(f)} | {btext} | {ratio(f, base, cap) if base else '-'} |")
            if bn:
                L += ["", f"Baseline network process peak: {bn['peak_mb']:.0f} MB."]
        L.append("")
    if add_section:
        args = argparse.Namespace(sizes=a.sizes, runs=a.runs, cap=a.cap, mem_cap=a.mem_cap, seed=a.seed,
                                  code_at_start=a.code_at_start)
        text = ba.render(add_section, args)
        body = text.split("\n", 1)[1]
        body = "\n".join("#" + line if line.startswith("#") else line for line in body.splitlines())
        machine = ("- Date:", "- Code measured:", "- Machine:", "- Python ", "- Command:")
        kept = [line for line in body.splitlines() if not line.startswith(machine)]
        L += ["## Adding vs validating the whole graph (bench_add.py, same run)", ""] + kept[1:]
    return "\n".join(L).rstrip() + "\n"


# --- saved runs: re-rendering and merging -------------------------------------------------------

#: What a key of a size entry holds, for RESULTS.md's note on figures merged from a later run.
FIGURE_NAMES = {
    "help": "`cskg --help`", "help_baseline": "the `--help` baseline", "build": "`cskg build`",
    "oxigraph_load": "`oxigraph load`", "oxigraph_load_one": "`oxigraph load` of one file",
    "projection_warm": "the projection in process", "warm_problem": "the warm-query process's problem",
    "add_bench": "the add check, add --dry-run and full validation (bench_add.py)", "add": "`cskg add`",
    "pyrudof": "pyrudof", "baseline_queries": "the rdflib baseline process (load, every query)",
    "baseline_load": "the rdflib load", "baseline_validate": "the pySHACL baseline",
    "baseline_network": "the networkx baseline (projection, measures, writers)",
}
QUERY_FIGURES = {"cold": "cold", "oxigraph": "`oxigraph query`", "warm": "warm", "baseline_cold": "baseline cold",
                 "baseline_warm": "baseline warm", "baseline_rows": "baseline rows", "error": "error"}
#: Keys of a size entry that describe it (or a rendering of it) rather than hold figures.
NOT_FIGURES = {"size", "triples", "files", "store_triples", "councils", "build_note", "plan", "partial", "wall",
               "run_meta", "run_number", "filled", "merged"}


def display_name(path: Path) -> str:
    path = path.resolve()
    return f"benchmarks/data/{path.name}" if path.parent == (HERE / "data").resolve() else str(path)


def merge_size(old: dict, new: dict) -> list[str]:
    """Put the figures of ``new`` (one size measured by a later run) into ``old`` (the same size of
    a saved run), in place: each figure ``new`` holds replaces ``old``'s; inside ``queries`` that
    is per query and per figure (the baseline's cold figure of a query leaves its cskg figures),
    inside ``network`` and ``export`` per command. Everything else of ``old`` is kept. Returns
    what was replaced, in words."""
    done = []
    for key, value in new.items():
        if key in NOT_FIGURES:
            continue
        if key == "queries":
            figures: set[str] = set()
            for name, entry in value.items():
                old.setdefault("queries", {}).setdefault(name, {}).update(entry)
                figures |= set(entry)
            words = [QUERY_FIGURES.get(f, f) for f in QUERY_FIGURES if f in figures]
            words += sorted(f for f in figures if f not in QUERY_FIGURES)
            done.append(f"named queries ({', '.join(words)}) of {len(value)} queries")
        elif key in ("network", "export") and isinstance(value, dict):
            old.setdefault(key, {}).update(value)
            done.append(f"`cskg {key}` " + ", ".join(value))
        else:
            old[key] = value
            done.append(FIGURE_NAMES.get(key, key))
    return done


def parts_missing(m: dict, parts: set[str]) -> list[str]:
    """The parts of ``parts`` whose figures a size entry lacks."""
    need = {"help": ["help"], "build": ["build"], "queries": ["queries"], "validate": ["add_bench"],
            "add": ["add_bench", "add"], "network": ["network"], "export": ["export"], "pyrudof": ["pyrudof"]}
    missing = [p for p in PARTS if p in parts and any(k not in m for k in need.get(p, []))]
    keys = {"queries": "baseline_queries", "validate": "baseline_validate", "network": "baseline_network"}
    if any(keys[g] not in m for g in baseline_groups(parts)):
        missing.append("baseline")
    return missing


def merge_run(target: dict, part: dict) -> dict:
    """A copy of the saved run ``target`` with the sizes of the later run ``part`` merged in
    (``merge_size``). The later run is recorded in ``meta["merged"]`` (its date, code, machine,
    options) and each size it changed says which figures came from it; a size ``target`` lacks is
    added whole. A size marked stopped (``partial``) loses the mark once it holds every part."""
    target = json.loads(json.dumps(target))
    pm = part["meta"]
    record = {k: pm.get(k) for k in ("date", "code", "machine", "sizes", "parts", "runs", "cap", "long", "warm",
                                     "mem_cap", "seed", "json_name", "peak")}
    merged = target["meta"].setdefault("merged", [])
    merged.append(record)
    number = len(merged)
    parts = set(target["meta"]["parts"]) | set(pm["parts"])
    for new in part["suite"]:
        old = next((m for m in target["suite"] if m["size"] == new["size"]), None)
        if old is None:
            old = {k: v for k, v in new.items() if k != "partial"}
            if new.get("partial"):
                old["partial"] = True
            target["suite"].append(old)
            target["suite"].sort(key=lambda m: m["size"])
            old["merged"] = [{"run": number, "figures": ["every figure of this size"]}]
            continue
        if old["triples"] != new["triples"]:
            raise SystemExit(f"size {new['size']}: the saved run measured {old['triples']:,} triples, this one "
                             f"{new['triples']:,} (the generator changed?): not merged")
        figures = merge_size(old, new)
        if figures:
            old.setdefault("merged", []).append({"run": number, "figures": figures})
        if old.get("partial") and not new.get("partial") and not parts_missing(old, parts):
            old.pop("partial")
    target["meta"]["parts"] = sorted(parts)
    return target


def write_json(path: Path, doc: dict) -> None:
    """Write ``doc`` to ``path`` whole or not at all (a run stopped while writing keeps the old file),
    with the paths inside the repository relative to it: a saved run is committed beside RESULTS.md,
    and the machine's own folders mean nothing in another clone."""
    inside = str(REPO) + os.sep

    def relative(value: object) -> object:
        if isinstance(value, dict):
            return {k: relative(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [relative(v) for v in value]
        if isinstance(value, Path):
            value = str(value)
        if isinstance(value, str):
            return value.replace(inside, "")
        return value

    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(relative(doc), indent=1, default=str) + "\n")
    os.replace(tmp, path)


def render_saved(saved: list[dict], args: argparse.Namespace) -> str:
    """RESULTS.md from saved runs (``--rerender``): one run, or several whose sizes are put
    together (a later run of a size fills in the figures the earlier one lacks).

    It sets what it renders on a copy of ``args``: a run with --merge-into renders after each
    size, and the live run's own settings (its parts, for one) must stay as they were."""
    args = copy.copy(args)
    meta = dict(saved[0]["meta"])
    if len(saved) > 1:  # one report from several runs: each size says which run it is from
        meta["sizes"] = ",".join(s["meta"]["sizes"] for s in saved)
        meta["json_name"] = ", ".join(f"`{s['meta']['json_name']}`" for s in saved).strip("`")
        args.runs_meta = [s["meta"] for s in saved]
    suite: list[dict] = []
    for n, sv in enumerate(saved, 1):
        for m in sv["suite"]:
            m = dict(m, run_meta=sv["meta"], run_number=n)
            same = next((x for x in suite if x["triples"] == m["triples"]), None)
            if same is None:
                suite.append(m)
                continue
            # a later run of the same size fills in what the earlier one lacks (the full
            # validation it skipped, for instance); RESULTS.md says which figures came from it
            filled = []
            for key, value in m.items():
                if key in ("run_meta", "run_number", "plan", "partial"):
                    continue
                if key == "add_bench" and same.get("add_bench", {}).get("full_skipped") \
                        and not value.get("full_skipped"):
                    same[key] = value
                    filled.append("the add check, add --dry-run and full validation (bench_add.py)")
                elif key not in same:
                    same[key] = value
                    filled.append(key)
            same.setdefault("filled", []).append(f"run {n}: " + ", ".join(filled))
    for key in ("sizes", "runs", "cap", "long", "warm", "mem_cap", "seed"):
        setattr(args, key, meta[key])
    args.parts = set().union(*(set(s["meta"]["parts"]) for s in saved))
    args.code_at_start = (meta["code"][0], datetime.fromisoformat(meta["code"][1]))
    args.date = meta.get("date")
    args.json_name = meta.get("json_name", "benchmarks/data/last-suite.json")
    args.merged_meta = [m for s in saved for m in s["meta"].get("merged", [])] if len(saved) == 1 else []
    args.base_peak = meta.get("peak")
    if not args.note_1m:
        args.note_1m = meta.get("note_1m", "")
    return render(suite, [m["add_bench"] for m in suite if m.get("add_bench")], args)


# --- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        CHILDREN[argv[1]](*argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES") or ba.DEFAULT_SIZES,
                        help="target triple counts, comma-separated; 10k, 1M work too (default $BENCH_SIZES "
                             "or %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds before a measurement is killed")
    parser.add_argument("--long", type=float, default=60.0,
                        help="a measurement whose first run takes longer is not repeated (default 60 s)")
    parser.add_argument("--warm", type=int, default=5, help="warm repeats of each query in process")
    parser.add_argument("--mem-cap", type=float, default=round(ba.total_memory_mb() * 0.6 / 1024, 1),
                        help="GB of resident memory before a run is killed (default 60%% of RAM: %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help="what to measure, comma-separated (default all): " + ", ".join(PARTS))
    parser.add_argument("--no-skip", action="store_true",
                        help="run the full validation even where bench_add.py estimates it beyond the cap")
    parser.add_argument("--note-1m", default=os.environ.get("BENCH_NOTE_1M", ""),
                        help="a sentence for RESULTS.md about the 1M size")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--json", type=Path, default=None,
                        help="where every individual figure goes (default DATA/last-suite.json)")
    parser.add_argument("--rerender", type=Path, default=None,
                        help="measure nothing: write --results again from a saved --json file "
                             "(with a new --note-1m, for instance); with --merge-into, merge the saved file "
                             "into that one first")
    parser.add_argument("--merge-into", type=Path, default=None, metavar="FILE",
                        help="merge what this run measures into FILE, a saved --json of an earlier run "
                             "(each figure measured replaces that size's same figure, everything else is "
                             "kept; the later run's date, code and machine are recorded), then write "
                             "--results from FILE. This run's own figures go to --json (default "
                             "DATA/last-part.json). E.g. --sizes 1M --parts baseline --merge-into "
                             "benchmarks/data/last-suite.json")
    args = parser.parse_args(argv)
    target = None
    if args.merge_into:
        if not args.merge_into.is_file():
            parser.error(f"--merge-into: no such file: {args.merge_into}")
        target = json.loads(args.merge_into.read_text())
        if args.json and args.json.resolve() == args.merge_into.resolve():
            parser.error("--json and --merge-into name the same file: this run's own figures need their own file")

    def merge_and_render(parts: list[dict]) -> None:
        """Merge saved runs into --merge-into (kept as FILE.before-merge the first time), write
        it and --results from it."""
        merged = target
        for part in parts:
            merged = merge_run(merged, part)
        merged["meta"]["json_name"] = display_name(args.merge_into)
        if args.note_1m:
            merged["meta"]["note_1m"] = args.note_1m
        backup = args.merge_into.with_name(args.merge_into.name + ".before-merge")
        if not getattr(args, "backed_up", False):
            shutil.copy2(args.merge_into, backup)
            args.backed_up = True
        write_json(args.merge_into, merged)
        args.results.write_text(render_saved([merged], args))
        print(f"merged into {args.merge_into} (as it was before: {backup}); wrote {args.results}", flush=True)

    if args.rerender:
        files = [Path(f) for f in str(args.rerender).split(",")]
        saved = [json.loads(f.read_text()) for f in files]
        if target is not None:
            for f, part in zip(files, saved):
                part["meta"]["json_name"] = display_name(f)  # where its figures are now
            merge_and_render(saved)
            return 0
        args.results.write_text(render_saved(saved, args))
        print(f"wrote {args.results} from {args.rerender}")
        return 0
    args.parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    unknown = args.parts - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    args.data.mkdir(parents=True, exist_ok=True)
    live = ba.snapshot_code(args.data.resolve())
    args.code_at_start = ba.code_fingerprint()
    if Path(__import__("cskg").__file__).parent == live:
        raise SystemExit("could not import the snapshot of cskg")
    suite: list[dict] = []
    add_section: list[dict] = []
    sizes = sorted(ba.parse_sizes(args.sizes))
    if target is not None:
        # bench_add.py extrapolates the full validation from the size below: take it from the file
        add_section += [m["add_bench"] for m in target["suite"] if m.get("add_bench") and m["size"] < sizes[0]][-1:]
    json_file = args.json or args.data / ("last-part.json" if target is not None else "last-suite.json")
    args.json_name = display_name(json_file) if target is not None else \
        json_file.name if json_file.parent != HERE / "data" else f"benchmarks/data/{json_file.name}"
    args.date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = {"sizes": args.sizes, "runs": args.runs, "cap": args.cap, "long": args.long, "warm": args.warm,
            "mem_cap": args.mem_cap, "seed": args.seed, "parts": sorted(args.parts), "date": args.date,
            "code": [args.code_at_start[0], args.code_at_start[1].isoformat()], "json_name": args.json_name,
            "machine": [line[2:] for line in ba.machine(args.code_at_start)
                        if line.startswith(("- Machine:", "- Python "))],
            # peaks are each child's own (bench_add.LAUNCHER); runs without this key had the bench's in them
            "peak": "own"}
    if args.note_1m:
        meta["note_1m"] = args.note_1m
    if target is not None:
        differ = [f"--{k.replace('_', '-')} {meta[k]:g} (the file's {target['meta'][k]:g})"
                  for k in ("runs", "cap", "long", "mem_cap") if target["meta"].get(k) != meta[k]]
        if differ:
            print("note: merged figures are measured with " + ", ".join(differ)
                  + "; RESULTS.md states the file's values and lists this run's", flush=True)
    for size in sizes:
        print(f"size {size}:", flush=True)
        started = time.perf_counter()
        info = ba.prepare(size, args.seed, args.data.resolve())
        def checkpoint(partial: dict) -> None:
            """Save what is measured so far: a run stopped mid-size keeps it (with --merge-into in
            this run's own --json only, to merge later with --rerender)."""
            partial["partial"] = True
            now = [*suite, partial]
            write_json(json_file, {"meta": meta, "suite": now})
            if target is None:
                args.results.write_text(render(now, [x["add_bench"] for x in now if x.get("add_bench")], args))

        m = measure(info, args, add_section, checkpoint)
        m.pop("partial", None)
        m["wall"] = time.perf_counter() - started
        print(f"  size {size} measured in {m['wall'] / 60:.1f} min", flush=True)
        suite.append(m)
        write_json(json_file, {"meta": meta, "suite": suite})
        if target is not None:
            merge_and_render([{"meta": meta, "suite": suite}])
        else:
            args.results.write_text(render(suite, add_section, args))
    print(args.results.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
