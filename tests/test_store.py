"""The embedded store: built from files, incremental, and untouched by bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cskg.errors import InputError, SyntaxProblem
from cskg.project import Project
from cskg.store import build, is_stale, open_store

ONTOLOGY = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Thing rdfs:label "thing"@en .
"""


def graph_file(slug: str, body: str) -> str:
    return (
        "@prefix ex: <http://example.org/> .\n"
        f"<https://w3id.org/cskg/graph/{slug}> {{\n{body}\n}}\n"
    )


def make_project(root: Path, graphs: dict[str, str]) -> Project:
    (root / "ontology").mkdir(parents=True)
    (root / "graphs").mkdir()
    (root / "ontology" / "mini.ttl").write_text(ONTOLOGY)
    for name, text in graphs.items():
        (root / "graphs" / name).write_text(text)
    return Project(root)


def count(project: Project) -> int:
    with open_store(project, rebuild=False) as store:
        return len(list(store.ox.quads_for_pattern(None, None, None, None)))


def test_build_loads_each_file_into_its_named_graph(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.trig": graph_file("a", "ex:x ex:p ex:y ."),
                                      "b.ttl": "@prefix ex: <http://example.org/> .\nex:z ex:p ex:w ."})
    report = build(project)
    assert [(f.path, f.triples) for f in report.files] == [
        ("ontology/mini.ttl", 1), ("graphs/a.trig", 1), ("graphs/b.ttl", 1)
    ] or sorted((f.path, f.triples) for f in report.files) == [
        ("graphs/a.trig", 1), ("graphs/b.ttl", 1), ("ontology/mini.ttl", 1)
    ]
    with open_store(project, rebuild=False) as store:
        assert store.data_graphs() == [
            "https://w3id.org/cskg/graph/a", "https://w3id.org/cskg/graph/b"
        ]
        assert store.graph_files["https://w3id.org/cskg/graph/b"] == "graphs/b.ttl"


def test_rebuild_reloads_only_changed_files(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.trig": graph_file("a", "ex:x ex:p ex:y ."),
                                      "b.trig": graph_file("b", "ex:z ex:p ex:w .")})
    build(project)
    assert not is_stale(project)
    assert not build(project).changed
    (tmp_path / "graphs" / "b.trig").write_text(graph_file("b", "ex:z ex:p ex:w , ex:v ."))
    assert is_stale(project)
    report = build(project)
    assert {f.path for f in report.files if f.reloaded} == {"graphs/b.trig"}
    assert count(project) == 4
    (tmp_path / "graphs" / "a.trig").unlink()
    report = build(project)
    assert report.removed == ["graphs/a.trig"]
    assert count(project) == 3


def test_syntax_error_names_file_line_and_column_and_changes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.trig": graph_file("a", "ex:x ex:p ex:y .")})
    build(project)
    manifest = (project.store_dir.parent / "store.manifest.json").read_text()
    bad = graph_file("b", "ex:x ex:p ex:y .\nex:x ex:p ex:y ex:z .")
    (tmp_path / "graphs" / "b.trig").write_text(bad)
    with pytest.raises(SyntaxProblem) as caught:
        build(project)
    assert str(caught.value).startswith("graphs/b.trig:4:")
    assert (caught.value.line, caught.value.column) == (4, 16)
    assert (project.store_dir.parent / "store.manifest.json").read_text() == manifest
    assert count(project) == 2


def test_a_graph_file_holds_one_named_graph_named_after_it(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.trig": graph_file("other", "ex:x ex:p ex:y .")})
    with pytest.raises(InputError, match="graphs/a.trig: holds the named graph"):
        build(project)


def test_interrupted_build_is_redone_in_full(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.trig": graph_file("a", "ex:x ex:p ex:y .")})
    build(project)
    manifest = project.store_dir.parent / "store.manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(dict(data, complete=False)))
    assert is_stale(project)
    report = build(project)
    assert report.full and count(project) == 2


def test_source_files_skip_hidden_folders_and_other_suffixes(tmp_path: Path) -> None:
    """The fast listing the staleness check uses names exactly the files a build reads."""
    project = make_project(tmp_path, {"b.trig": graph_file("b", "ex:b ex:p 1 ."),
                                      "a.ttl": graph_file("a", "ex:a ex:p 1 .")})
    graphs = tmp_path / "graphs"
    (graphs / ".hidden.trig").write_text(graph_file("hidden", "ex:h ex:p 1 ."))
    (graphs / "notes.txt").write_text("not RDF")
    (graphs / "folder.trig").mkdir()
    (graphs / "linked.trig").symlink_to(graphs / "b.trig")
    listed = [project.rel(p) for p in project.source_files()]
    assert listed == ["ontology/mini.ttl", "graphs/a.ttl", "graphs/b.trig", "graphs/linked.trig"]
    assert project.source_entries() == [(rel, str(tmp_path / rel)) for rel in listed]


def test_a_file_marked_pending_is_reloaded_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    """What ``cskg add`` and ``cskg remove`` record before touching a file: the next build
    reloads that file alone (not the whole store), whatever its size and time say."""
    import os

    from cskg.store import mark_pending

    project = make_project(tmp_path, {"a.trig": graph_file("a", "ex:x ex:p ex:y ."),
                                      "b.trig": graph_file("b", "ex:x ex:p ex:z .")})
    build(project)
    path = tmp_path / "graphs" / "a.trig"
    stat = path.stat()
    mark_pending(project, "graphs/a.trig")
    path.write_text(graph_file("a", "ex:x ex:p ex:w ."))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and same time
    assert is_stale(project)
    report = build(project)
    assert not report.full
    assert [f.path for f in report.files if f.reloaded] == ["graphs/a.trig"]
    assert not is_stale(project)
    with open_store(project, rebuild=False) as store:
        objects = {q.object.value for q in store.ox.quads_for_pattern(None, None, None, None)
                   if q.predicate.value == "http://example.org/p"}
    assert objects == {"http://example.org/w", "http://example.org/z"}


def test_every_command_checks_freshness_on_the_stamp_and_falls_back_to_the_manifest(
    tmp_path: Path,
) -> None:
    """The stamp (one hash of every file's size and time, keyed on the manifest file) says
    when nothing changed; when a file changed, or the stamp belongs to another manifest
    (a crash between the two writes), the manifest decides, as it always did."""
    import os

    from cskg.store import fresh_by_stamp, manifest_path, stamp_path, write_json_atomically

    project = make_project(tmp_path, {"a.trig": graph_file("a", "ex:x ex:p ex:y ."),
                                      "b.trig": graph_file("b", "ex:x ex:p ex:z .")})
    build(project)
    assert fresh_by_stamp(project)
    assert len(stamp_path(project).read_bytes()) < 300  # not a copy of the manifest

    # a file rewritten with the same size: its time differs, so the stamp no longer holds
    path = tmp_path / "graphs" / "a.trig"
    path.write_text(graph_file("a", "ex:x ex:p ex:w ."))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert not fresh_by_stamp(project)
    with open_store(project) as store:  # rebuilt before reading
        assert store.ox.query("ASK { GRAPH ?g { ?s ?p <http://example.org/w> } }",
                              use_default_graph_as_union=False)
    assert fresh_by_stamp(project)

    # a new file and a removed file
    (tmp_path / "graphs" / "c.trig").write_text(graph_file("c", "ex:c ex:p ex:d ."))
    assert not fresh_by_stamp(project)
    build(project)
    assert fresh_by_stamp(project)
    (tmp_path / "graphs" / "c.trig").unlink()
    assert not fresh_by_stamp(project)
    build(project)

    # the manifest rewritten without its stamp, as after a crash between the two writes
    manifest = json.loads(manifest_path(project).read_text())
    write_json_atomically(manifest_path(project), dict(manifest, complete=False))
    assert not fresh_by_stamp(project)
    with open_store(project) as store:  # the manifest says incomplete: a full build first
        assert len(list(store.ox.quads_for_pattern(None, None, None, None))) == 3
    assert fresh_by_stamp(project)

    # a torn stamp is ignored
    stamp_path(project).write_text('{"version": 1, "manif')
    assert not fresh_by_stamp(project)


def test_a_fresh_store_without_a_stamp_gets_one_from_its_first_reader(tmp_path: Path) -> None:
    """A store built before stamps, or files touched without a change: the manifest's hashes
    show it fresh, nothing is rebuilt, and the reader writes the stamp for the next one."""
    import os

    from cskg.store import fresh_by_stamp, manifest_path, stamp_path

    project = make_project(tmp_path, {"a.trig": graph_file("a", "ex:x ex:p ex:y .")})
    build(project)
    stamp_path(project).unlink()
    manifest = manifest_path(project).read_bytes()
    with open_store(project):
        pass
    assert fresh_by_stamp(project)
    assert manifest_path(project).read_bytes() == manifest

    path = tmp_path / "graphs" / "a.trig"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched
    assert not fresh_by_stamp(project)
    with open_store(project):
        pass
    assert manifest_path(project).read_bytes() == manifest  # no build ran
    assert fresh_by_stamp(project)


def test_a_read_checked_beside_its_work_answers_from_the_files_as_they_are_now(
    tmp_path: Path,
) -> None:
    """``read_checked`` runs the work while the files are checked. Fresh: one run, its answer.
    A file changed since the build: the answer (or the error) from the old store is dropped,
    the store is brought up to date and the work runs again. No stamp: as ``open_store``."""
    import os

    from cskg.store import fresh_by_stamp, read_checked, stamp_path

    project = make_project(tmp_path, {"a.trig": graph_file("a", "ex:x ex:p ex:y .")})
    build(project)
    ask_w = "ASK { GRAPH ?g { ?s ?p <http://example.org/w> } }"
    runs: list[bool] = []

    def has_w(store):  # type: ignore[no-untyped-def]
        runs.append(bool(store.query(ask_w)))
        return runs[-1]

    assert read_checked(project, has_w) is False and runs == [False]

    path = tmp_path / "graphs" / "a.trig"
    path.write_text(graph_file("a", "ex:x ex:p ex:w ."))  # same size: only the time tells
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    runs.clear()
    assert read_checked(project, has_w) is True
    assert runs == [False, True]  # asked the old store, then the rebuilt one
    assert fresh_by_stamp(project)

    def needs_z(store):  # type: ignore[no-untyped-def]
        runs.append(bool(store.query("ASK { ?s ?p <http://example.org/z> }")))
        if not runs[-1]:
            raise InputError("no ex:z in the graph")
        return "found"

    runs.clear()
    with pytest.raises(InputError, match="no ex:z"):  # fresh: the error stands
        read_checked(project, needs_z)
    assert runs == [False]

    (tmp_path / "graphs" / "b.trig").write_text(graph_file("b", "ex:y ex:p ex:z ."))
    runs.clear()
    assert read_checked(project, needs_z) == "found"  # the error came from a stale store
    assert runs == [False, True]

    stamp_path(project).unlink()  # cannot tell: checked first, then one run
    runs.clear()
    assert read_checked(project, needs_z) == "found" and runs == [True]
