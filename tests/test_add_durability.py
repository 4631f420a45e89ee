"""`cskg add` is atomic, durable and serialised: kills, Ctrl-C and concurrent runs lose nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset

from conftest import run_cskg

VISIT = """@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/cskg/graph/{slug}> {{
  <https://w3id.org/cskg/graph/{slug}> a cskg:SourceGraph ; rdfs:label "Facts from {slug}" ;
      prov:wasDerivedFrom <https://w3id.org/cskg/id/source/{slug}> .
  <https://w3id.org/cskg/id/source/{slug}> a cskg:NewsArticle ; rdfs:label "Letter {slug}" ;
      dcterms:issued "{date}"^^xsd:date .
  <https://w3id.org/cskg/id/event/E09000006/monitoring-visit/{month}> a cskg:MonitoringVisit ;
      rdfs:label "Bromley monitoring visit {ordinal}" ;
      cskg:inspectedAuthority <https://w3id.org/cskg/id/council/E09000006> ;
      cskg:fieldworkStart "{month}"^^xsd:gYearMonth ;
      cskg:visitOrdinal {ordinal} ;
      cskg:followsJudgement <https://w3id.org/cskg/id/event/E09000006/inspection/2016-06/judgement/overall-effectiveness> .
}}
"""


def write_visit(folder: Path, slug: str, month: str, ordinal: int) -> Path:
    path = folder / f"{slug}.trig"
    path.write_text(VISIT.format(slug=slug, month=month, ordinal=ordinal, date=month + "-28"))
    return path


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "graphs").iterdir())}


def assert_store_matches_files(project: Path) -> None:
    """The store (rebuilt if it must be) holds exactly the graph files' statements."""
    stats = run_cskg(project, "stats", "--format", "json")
    assert stats.code == 0, stats.err
    in_store = {s["file"]: s["triples"] for s in json.loads(stats.out)["sources"]}
    in_files = {}
    for path in sorted((project / "graphs").glob("*.trig")):
        dataset = Dataset()
        dataset.parse(path, format="trig")
        in_files[f"graphs/{path.name}"] = len(dataset)
    assert in_store == in_files


def leftovers(project: Path) -> list[str]:
    """Temporary files and folders a writer makes, in .cskg/tmp and beside the store."""
    state = project / ".cskg"
    found = [p for p in (state / "tmp").glob("*")] if (state / "tmp").exists() else []
    found += [p for p in state.glob(".store.*.tmp")]
    found += [p for p in (state / "store.new", state / "store.old") if p.exists()]
    return sorted(str(p.relative_to(project)) for p in found)


def add_in_background(project: Path, addition: Path, pause_at: str, pause_file: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSKG_")}
    env.update(CSKG_PAUSE_AT=pause_at, CSKG_PAUSE_FILE=str(pause_file))
    # SIGINT back to its default in the child: a suite started in the background by a
    # non-interactive shell inherits SIGINT ignored, and Python then never raises Ctrl-C
    return subprocess.Popen([sys.executable, "-m", "cskg", "add", str(addition)], cwd=project,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the add never reached its pause point"
        time.sleep(0.05)


@pytest.mark.parametrize("point,lands", [
    ("before-write", False),       # validated, nothing written yet
    ("after-temp-write", False),   # the temporary file is written and fsynced, not renamed
    ("after-rename", True),        # the file is in graphs/, the store not yet updated
    ("after-store", True),         # everything done
])
def test_a_kill_at_any_point_leaves_files_and_store_consistent(
    project: Path, tmp_path: Path, point: str, lands: bool
) -> None:
    assert run_cskg(project, "build").code == 0
    before = snapshot(project)
    addition = write_visit(tmp_path, "2019-02-01-letter", "2019-01", 7)
    pause = tmp_path / "paused"
    process = add_in_background(project, addition, point, pause)
    wait_for(pause, process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    after = snapshot(project)
    if lands:
        assert set(after) == set(before) | {"2019-02-01-letter.trig"}
        assert all(after[n] == b for n, b in before.items())
    else:
        assert after == before
    if point == "after-temp-write":  # what the kill left behind
        assert leftovers(project) == [f".cskg/tmp/2019-02-01-letter.trig.{process.pid}.tmp"]
    follow = write_visit(tmp_path, "2019-06-01-follow", "2019-05", 8 if lands else 7)
    added = run_cskg(project, "add", str(follow))  # the next writer
    assert added.code == 0, added.err
    assert leftovers(project) == []  # it cleaned up what the killed one left
    assert_store_matches_files(project)
    assert run_cskg(project, "validate").code == 0


def test_kills_at_moments_spread_over_an_add_leave_nothing_the_next_writer_does_not_clean(
    project: Path, tmp_path: Path
) -> None:
    """Kills as users made them (at any moment, not at a pause point), each followed by a
    ``cskg build``: the files stay whole, the store matches them and no temporary file is
    left."""
    assert run_cskg(project, "build").code == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSKG_")}
    started = time.monotonic()
    first = write_visit(tmp_path, "2019-02-01-letter", "2019-01", 7)
    assert run_cskg(project, "add", str(first)).code == 0
    took = time.monotonic() - started  # an uninterrupted add, on this machine
    landed = 7
    for k in range(1, 11):
        month = f"2019-{k + 2:02d}"
        addition = write_visit(tmp_path, f"{month}-15-letter", month, landed + 1)
        process = subprocess.Popen([sys.executable, "-m", "cskg", "add", str(addition)],
                                   cwd=project, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(took * k / 8)  # the last ones after the add would have ended
        process.kill()
        process.wait(timeout=60)
        target = project / "graphs" / addition.name
        if target.exists():  # whole, or not there at all
            assert target.read_bytes().startswith(b"# Added by cskg") and target.read_text().endswith("}\n")
            landed += 1
        built = run_cskg(project, "build")
        assert built.code == 0, (k, built.err)
        assert leftovers(project) == [], f"kill {k} of 10 ({took * k / 8:.2f} s into the add)"
    assert_store_matches_files(project)
    assert run_cskg(project, "validate").code == 0


def test_ctrl_c_during_the_write_changes_nothing(project: Path, tmp_path: Path) -> None:
    assert run_cskg(project, "build").code == 0
    before = snapshot(project)
    stats_before = run_cskg(project, "stats", "--format", "json").out
    addition = write_visit(tmp_path, "2019-02-01-letter", "2019-01", 7)
    pause = tmp_path / "paused"
    process = add_in_background(project, addition, "after-temp-write", pause)
    wait_for(pause, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in err
    assert snapshot(project) == before
    assert run_cskg(project, "stats", "--format", "json").out == stats_before


def test_concurrent_adds_are_serialised_and_both_land(project: Path, tmp_path: Path) -> None:
    assert run_cskg(project, "build").code == 0
    first = write_visit(tmp_path, "2019-02-01-first", "2019-01", 7)
    second = write_visit(tmp_path, "2019-05-01-second", "2019-04", 8)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSKG_")}
    runs = [subprocess.Popen([sys.executable, "-m", "cskg", "add", str(p)], cwd=project, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for p in (first, second)]
    results = [r.communicate(timeout=300) + (r.returncode,) for r in runs]
    assert [code for _, _, code in results] == [0, 0], results
    names = {p.name for p in (project / "graphs").glob("*.trig")}
    assert {"2019-02-01-first.trig", "2019-05-01-second.trig"} <= names
    assert_store_matches_files(project)
    visits = run_cskg(project, "query", "monitoring-visits", "--param", "council=Bromley")
    assert sorted(r["visitOrdinal"] for r in json.loads(visits.out)) == ["6", "7", "8"]
