"""The benchmark data generator (benchmarks/generate.py) writes projects that pass the shapes.

A small project (~3.3k triples over four years, so that it has eight councils, monitoring
visits and two partnerships) is loaded the way ``cskg build`` loads files (``parse_file``,
one named graph per file, named after it) into an in-memory store, so the test does not
pay the on-disk store's per-file ingest (about 0.1 s a file), and validated with
``validate_store``: about 2.5 s. The benchmark (``make bench``) also stops if a larger
generated graph fails a full validation.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
from pathlib import Path

import pyoxigraph as ox

from cskg.project import Project
from cskg.store import GraphStore, graph_names, parse_file
from cskg.validation import validate_store

ROOT = Path(__file__).resolve().parents[1]


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("cskg_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_project_conforms_and_is_as_reported(tmp_path: Path) -> None:
    gen = _generator()
    summary = gen.generate(3000, seed=1, out=tmp_path / "project", years=range(2016, 2020))
    project = Project(tmp_path / "project")
    graph_files = project.graph_files()
    assert len(graph_files) == summary["files"]
    assert summary["councils"] >= 4 and summary["partnerships"] >= 1
    assert summary["inadequate_at_end"], "the benchmarks need a council whose latest inspection was inadequate"

    mem = ox.Store()
    manifest: dict[str, dict[str, dict[str, list[str]]]] = {"files": {}}
    triples = 0
    for path in project.source_files():
        expected = project.graph_iri_for(path)
        part = parse_file(path, project.rel(path), default_graph=expected)
        assert graph_names(part) == [expected], path.name
        if path in graph_files:
            triples += len(part)
        mem.extend(part.quads_for_pattern(None, None, None, None))
        manifest["files"][project.rel(path)] = {"graphs": [expected]}
    assert triples == summary["triples"]
    assert 2000 <= triples <= 4500

    with open(os.devnull) as no_lock:
        report = validate_store(GraphStore(project, mem, manifest, no_lock))
    violations = [f"{r.label}: {r.message} ({', '.join(r.files)})" for r in report.results
                  if r.severity == "Violation"]
    assert report.conforms, violations[:10]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    gen = _generator()
    first = gen.generate(1500, seed=7, out=tmp_path / "a", years=range(2016, 2020))
    second = gen.generate(1500, seed=7, out=tmp_path / "b", years=range(2016, 2020))
    assert first["triples"] == second["triples"] and first["files"] == second["files"]
    names = sorted(p.name for p in (tmp_path / "a" / "graphs").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b" / "graphs").iterdir())
    for name in names:
        assert (tmp_path / "a" / "graphs" / name).read_bytes() == (tmp_path / "b" / "graphs" / name).read_bytes()


def rows(path: Path) -> dict[str, dict[str, object]]:
    """A snapshot spreadsheet's rows by council (la_code), each by column."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    table = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    header = [str(h) for h in table[0]]
    return {str(r[header.index("la_code")]): dict(zip(header, r)) for r in table[1:]}


def test_generated_snapshots_restate_all_but_a_few_rows_and_never_grade_the_renewed_framework(
        tmp_path: Path) -> None:
    gen = _generator()
    last = sorted((ROOT.parent / "shared" / "data" / "ilacs-snapshots").glob("ilacs-overview-*.xlsx"))[-1]
    written = gen.snapshots(last, 2, tmp_path, seed=3, per_month=4)
    assert [p.name for p in written] == ["ilacs-overview-2026-06-01.xlsx", "ilacs-overview-2026-07-01.xlsx"]

    before, first, second = rows(last), rows(written[0]), rows(written[1])
    assert set(first) == set(before) == set(second)
    assert sum(second[c] != first[c] for c in first) <= 4
    changed = [c for c in before if first[c] != before[c]]
    assert 1 <= len(changed) <= 4  # a council may be drawn twice; every other row is restated
    for council in changed:  # re-inspected in the weeks before 1 June 2026: renewed framework
        start = first[council]["inspection_start_date"]
        assert str(start).endswith("/2026") and str(first[council]["overall_effectiveness_grade"]) == "nan"
        assert first[council]["help_and_protection_grade"] in gen.GRADE_WORDS


def test_generated_snapshots_reinspect_a_council_at_most_once_a_year(tmp_path: Path) -> None:
    """Two inspections of one council a month apart would overlap in their dates, and
    `cskg import` would take the later for the earlier restated (and reject it)."""
    gen = _generator()
    last = sorted((ROOT.parent / "shared" / "data" / "ilacs-snapshots").glob("ilacs-overview-*.xlsx"))[-1]
    written = gen.snapshots(last, 14, tmp_path, seed=1, per_month=6)
    starts: dict[str, list[object]] = {}
    for path in [last, *written]:
        for code, row in rows(path).items():
            starts.setdefault(code, []).append(row["inspection_start_date"])
    months = {code: [i for i in range(1, len(s)) if s[i] != s[i - 1]] for code, s in starts.items()}
    assert sum(len(m) for m in months.values()) == 14 * 6
    assert all(b - a >= 12 for m in months.values() for a, b in itertools.pairwise(m))
    assert any(len(m) == 2 for m in months.values())  # 84 draws from 153: some twice, a year apart
