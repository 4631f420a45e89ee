"""A malformed graph file does not stop the reading commands, and the next writer cleans up
what a killed one left.

Reads (query, stats, show, network) answer from the store as last built, with a warning
naming the file and line; build, validate and the writers fail on the file (exit 2). The
real CLI, real files, real Oxigraph.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cskg

BOLTON = "2018-06-13-bolton-childrens-services-rated-good.trig"
ALIAS = "Bolton Resilience Alias"
#: a new name for Bolton, in the file's own graph (the line ends the graph's first statement)
NEW_FACT = f'    cskgid:council\\/E08000001 skos:altLabel "{ALIAS}" .\n'
BAD_LINE = "    this is not turtle ;;\n"
VISIT = ROOT / "tests" / "data" / "additions" / "valid-bromley-visit-7.trig"


def graphs(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "graphs").iterdir())}


def edit_bolton(project: Path, *extra: str) -> int:
    """Put ``extra`` lines into the Bolton graph, just inside its opening brace; the number
    of the first line put in."""
    path = project / "graphs" / BOLTON
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    opening = next(i for i, line in enumerate(lines) if line.rstrip().endswith("{"))
    path.write_text("".join(lines[:opening + 1] + list(extra) + lines[opening + 1:]), encoding="utf-8")
    return opening + 2


def reads(project: Path) -> dict[str, tuple[int, str, str]]:
    """What the reading commands answer: exit code, output and standard error of each."""
    commands = {
        "query": ["query", "statistical-neighbours", "--param", "council=Bolton", "-f", "json"],
        "latest": ["query", "latest-grades", "-f", "csv"],
        "stats": ["stats", "--format", "json"],
        "show": ["show", "Bolton", "--format", "json"],
        "neighbours": ["network", "neighbours", "Bolton", "--format", "json"],
    }
    return {name: (run.code, run.out, run.err)
            for name, args in commands.items() for run in (run_cskg(project, *args),)}


def bolton_statements(project: Path) -> int:
    run = run_cskg(project, "stats", "--format", "json")
    assert run.code == 0, run.err
    return next(s["triples"] for s in json.loads(run.out)["sources"] if s["file"] == f"graphs/{BOLTON}")


def test_a_malformed_graph_file_leaves_reads_answering_from_the_store_as_last_built(
    project: Path,
) -> None:
    assert run_cskg(project, "build").code == 0
    before = reads(project)
    assert all(code == 0 and out and "warning" not in err for code, out, err in before.values())
    statements = bolton_statements(project)

    line = edit_bolton(project, NEW_FACT, BAD_LINE) + 1  # the new fact parses; the next line not
    where = f"graphs/{BOLTON}:{line}:"
    during = reads(project)
    for name, (code, out, err) in during.items():
        assert code == 0, (name, err)
        assert out == before[name][1], f"{name} answers as before the edit"
        assert f"warning: {where}" in err and "store as last built (built 20" in err, (name, err)
        assert "Traceback" not in err
    assert bolton_statements(project) == statements  # the new fact is not in: the store as built

    for command in (["validate"], ["build"], ["build", "--force"]):
        run = run_cskg(project, *command)
        assert run.code == 2, (command, run.out, run.err)
        assert run.err.startswith(f"Error: {where}"), (command, run.err)

    files = graphs(project)
    added = run_cskg(project, "add", str(VISIT))
    assert added.code == 2 and added.err.startswith(f"Error: {where}"), added.err
    assert graphs(project) == files, "a writer that cannot read the graphs writes nothing"
    assert run_cskg(project, "remove", "2019-10-16-former-tri-borough-childrens-services").code == 2
    assert graphs(project) == files
    assert reads(project)["stats"][1] == before["stats"][1], "the store is as it was"

    path = project / "graphs" / BOLTON
    path.write_text(path.read_text(encoding="utf-8").replace(BAD_LINE, ""), encoding="utf-8")
    after = reads(project)
    assert all(code == 0 and "warning" not in err for code, _, err in after.values()), after
    assert after["query"][1] == before["query"][1]
    assert bolton_statements(project) == statements + 1  # from the new content
    shown = run_cskg(project, "show", ALIAS, "--format", "json")
    assert shown.code == 0 and "E08000001" in shown.out and not shown.err, shown.err
    assert run_cskg(project, "validate").code == 0
    assert run_cskg(project, "add", str(VISIT)).code == 0


def test_with_no_store_built_a_read_fails_on_a_malformed_file(project: Path) -> None:
    line = edit_bolton(project, BAD_LINE)
    run = run_cskg(project, "query", "latest-grades", "-f", "csv")
    assert run.code == 2 and not run.out
    assert run.err.startswith(f"Error: graphs/{BOLTON}:{line}:"), run.err
    assert "Traceback" not in run.err


def test_a_store_whose_last_build_was_cut_short_is_no_last_good_store(project: Path) -> None:
    assert run_cskg(project, "build").code == 0
    manifest = project / ".cskg" / "store.manifest.json"
    manifest.write_text(json.dumps(dict(json.loads(manifest.read_text()), complete=False)))
    line = edit_bolton(project, BAD_LINE)
    run = run_cskg(project, "stats")
    assert run.code == 2 and run.err.startswith(f"Error: graphs/{BOLTON}:{line}:"), run.err


def dead_pid() -> int:
    """The id of a process that has ended (a real one, started and waited for)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_next_writer_removes_a_dead_writers_temporary_files_but_not_a_live_ones(
    project: Path,
) -> None:
    assert run_cskg(project, "build").code == 0
    state = project / ".cskg"
    dead = dead_pid()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        # named as the writers name them (cskg.changes.write_graph_file, the full build's
        # staging, write_json_atomically, write_stamp, the files kept beside the store)
        left = [state / "tmp" / f"2019-02-01-letter.trig.{dead}.tmp",
                state / "tmp" / f"build.nq.{dead}.tmp",
                state / "tmp" / f"build-{dead}.nq.tmp",
                state / f".store.manifest.json.{dead}.tmp",
                state / f".store.stamp.json.{dead}.tmp",
                state / f".store.names.sqlite.{dead}.tmp"]
        busy = [state / "tmp" / f"2019-03-01-letter.trig.{live.pid}.tmp",
                state / f".store.network.sqlite.{live.pid}.tmp"]
        for path in left + busy:
            path.write_text("half written")
        (state / "store.new").mkdir()
        (state / "store.new" / "000001.sst").write_text("half loaded")

        assert run_cskg(project, "stats").code == 0  # a reader of a fresh store takes no write lock
        assert all(p.exists() for p in left + busy)
        added = run_cskg(project, "add", str(VISIT))
        assert added.code == 0, added.err
        assert [p.name for p in left if p.exists()] == []
        assert not (state / "store.new").exists()
        assert all(p.exists() for p in busy), "a live process's file is never removed"
    finally:
        live.kill()
        live.wait()
    assert run_cskg(project, "build").code == 0  # its process gone now: the next writer cleans
    assert [p.name for p in busy if p.exists()] == []
    assert list((state / "tmp").iterdir()) == []
