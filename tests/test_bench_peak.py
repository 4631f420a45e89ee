"""The benchmark suite's own machinery: each child's peak memory is its own, and a partial run
merges into a saved one (benchmarks/bench_add.py, benchmarks/bench.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench
import bench_add

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="peak RSS semantics are Linux's")

ALLOCATE = "b = bytearray({mb} * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"


def test_peak_is_the_childs_own_not_the_parents() -> None:
    # The parent holds 400 MB while it starts the children: before the launcher, every child
    # reported at least that (ru_maxrss survives fork + exec).
    held = bytearray(400 * 1024 * 1024)
    held[::4096] = b"x" * len(held[::4096])
    true = bench_add.run_child(["/bin/true"], 30)
    big = bench_add.run_child([sys.executable, "-c", ALLOCATE.format(mb=200)], 30)
    del held
    assert true["code"] == 0 and true["peak_mb"] < 50
    assert big["code"] == 0 and 200 <= big["peak_mb"] < 300


def test_run_child_output_exit_code_and_caps(tmp_path: Path) -> None:
    r = bench_add.run_child(["sh", "-c", "pwd; echo err >&2; exit 3"], 30, cwd=tmp_path)
    assert (r["code"], r["stdout"].strip(), r["stderr"].strip()) == (3, str(tmp_path), "err")
    r = bench_add.run_child(["sleep", "30"], 0.5)
    assert r["timed_out"] and r["code"] == -9 and r["wall"] < 5
    with pytest.raises(FileNotFoundError):
        bench_add.run_child([str(tmp_path / "no-such-command")], 30)


def _size(size: int, **figures: object) -> dict:
    return {"size": size, "triples": size + 1, "files": 1, "store_triples": size + 2, "councils": 1,
            "build_note": "cached", "plan": [], **figures}


def _meta(parts: list[str], date: str) -> dict:
    return {"sizes": "10000", "runs": 3, "cap": 120.0, "long": 20.0, "warm": 5, "mem_cap": 14.1, "seed": 1,
            "parts": parts, "date": date, "code": ["abc", "2026-01-01T00:00:00+00:00"], "json_name": "x.json"}


def test_a_command_too_long_to_start_is_a_figure_with_its_error_not_a_crash() -> None:
    """At 5M triples, ``oxigraph load`` of the 60,696 files as given passed the system's
    limit on arguments and stopped the whole run; now that figure says why it is missing."""
    import argparse
    import os

    cmd = ["/bin/true", "x" * 200_000]  # Linux takes no argument over 128 KiB (MAX_ARG_STRLEN)
    a = argparse.Namespace(runs=3, cap=30, mem_cap=1.0, long=20)
    figure = bench.cold(cmd, dict(os.environ), a)
    assert figure["runs"] == [] and bench.median(figure) is None
    assert figure["error"].startswith("could not start: Argument list too long")
    assert bench.cold(["/bin/true"], dict(os.environ), a)["error"] is None


def test_merge_replaces_measured_figures_and_keeps_the_rest() -> None:
    saved = {"meta": _meta(["help", "queries", "baseline"], "2026-01-01 00:00 UTC"), "suite": [
        _size(10, help={"runs": [0.1]}, queries={"q": {"cold": {"runs": [1.0]}, "baseline_cold": {"runs": [9.0]}}},
              baseline_queries={"old": True}),
        _size(100, help={"runs": [0.2]}, queries={"q": {"cold": {"runs": [2.0]}}}, partial=True),
    ]}
    part = {"meta": dict(_meta(["baseline"], "2026-02-01 00:00 UTC"), peak="own", machine=["Machine: x"]),
            "suite": [_size(100, queries={"q": {"baseline_cold": {"runs": [50.0]}}}, baseline_queries={"new": True},
                            baseline_validate={}, baseline_network={}, wall=5.0)]}
    merged = bench.merge_run(saved, part)
    small, large = merged["suite"]
    assert small == saved["suite"][0]  # a size the later run did not measure is untouched
    assert large["help"] == {"runs": [0.2]}
    assert large["queries"]["q"] == {"cold": {"runs": [2.0]}, "baseline_cold": {"runs": [50.0]}}
    assert large["baseline_queries"] == {"new": True} and "wall" not in large
    assert "partial" not in large  # every part of the saved run is there now
    assert large["merged"][0]["run"] == 1
    assert merged["meta"]["merged"][0]["date"] == "2026-02-01 00:00 UTC"
    assert merged["meta"]["merged"][0]["machine"] == ["Machine: x"]
    assert saved["suite"][1].get("partial") and "merged" not in saved["meta"]  # the input is not changed


def test_merge_refuses_a_size_generated_differently() -> None:
    saved = {"meta": _meta(["help"], "d"), "suite": [_size(10, help={})]}
    part = {"meta": _meta(["help"], "e"), "suite": [dict(_size(10, help={}), triples=12345)]}
    with pytest.raises(SystemExit):
        bench.merge_run(saved, part)


def test_baseline_alone_runs_every_baseline() -> None:
    assert bench.baseline_groups({"baseline"}) == {"queries", "validate", "network"}
    assert bench.baseline_groups({"baseline", "queries"}) == {"queries"}
    assert bench.baseline_groups({"queries", "network"}) == set()


def test_rendering_a_merged_file_leaves_the_live_runs_settings_alone() -> None:
    """A run with --merge-into renders RESULTS.md after each size. Rendering set the parts of
    every merged run on the live settings, so the second size measured every part."""
    import argparse

    saved = {"meta": _meta(["help", "queries", "export"], "2026-01-01 00:00 UTC"),
             "suite": [_size(10, help={"runs": [0.1]})]}
    args = argparse.Namespace(parts={"help"}, sizes="10", runs=3, cap=60.0, long=20.0, warm=5, mem_cap=1.0,
                              seed=1, note_1m="", results=Path("RESULTS.md"))
    text = bench.render_saved([saved], args)
    assert "help" in text
    assert args.parts == {"help"} and args.sizes == "10" and args.cap == 60.0


def test_saved_runs_name_the_repositorys_files_relative_to_it(tmp_path: Path) -> None:
    """A saved run is committed beside RESULTS.md: paths inside the repository are written
    relative to it, whatever their nesting; other paths and other values are kept."""
    inside = bench.REPO / "benchmarks" / "data" / "1000000" / "project"
    doc = {"info": {"project": str(inside), "where": inside},
           "plan": [{"file": f"{inside}/q.rq", "runs": [0.5, 1]}],
           "cmd": ("oxigraph", f"--location={inside}"), "other": "/usr/bin/oxigraph", "n": 3}
    saved = tmp_path / "run.json"
    bench.write_json(saved, doc)
    text = saved.read_text()
    assert str(bench.REPO) not in text
    back = json.loads(text)
    assert back["info"] == {"project": "benchmarks/data/1000000/project",
                            "where": "benchmarks/data/1000000/project"}
    assert back["plan"] == [{"file": "benchmarks/data/1000000/project/q.rq", "runs": [0.5, 1]}]
    assert back["cmd"] == ["oxigraph", "--location=benchmarks/data/1000000/project"]
    assert back["other"] == "/usr/bin/oxigraph" and back["n"] == 3


def test_a_capped_baselines_ratio_is_a_lower_bound_rounded_down() -> None:
    capped = {"runs": [], "capped": True}
    assert bench.ratio({"runs": [25.9]}, capped, 120.0) == "cskg is > 4.6 x faster (baseline capped)"
    assert bench.ratio({"runs": [30.4]}, capped, 120.0) == "cskg is > 3.9 x faster (baseline capped)"
    assert bench.ratio({"runs": [0.414]}, capped, 120.0) == "cskg is > 289 x faster (baseline capped)"
    assert bench.ratio({"runs": [2.0]}, {"runs": [5.0]}, 120.0) == "cskg is 2.5 x faster"
    assert bench_add.lower_bound(4.69) == "4.6" and bench_add.lower_bound(131.6) == "131"


def test_add_ratios_against_a_stopped_validation_are_rounded_down() -> None:
    """bench_add's "full / check" when the full validation was stopped at the cap: a lower
    bound too (120 s / 0.26 s = 461.5, and 120 / 25.9 = 4.63 for --dry-run)."""
    m = {"checks": [{"seconds": 0.26, "peak_mb": 1}], "dry_runs": [{"seconds": 25.9, "peak_mb": 1}],
         "fulls": [{"seconds": None, "after": 120.0, "peak_mb": 1}], "cap": 120.0, "mem_cap_mb": 1024}
    summary = bench_add.summarise(m)
    assert summary["ratio"] == "> 461x" and summary["ratio_dry"] == "> 4.6x"
    assert summary["full_text"] == "> 120 (cap)"
