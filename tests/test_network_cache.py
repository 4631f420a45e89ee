"""The projection kept beside the store: it equals one read from the store, it follows every
change to the store, and a damaged file is read again from the store, never trusted."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_project, run_cskg
from test_remove_diff import NEW_COUNCIL, NEWTOWN_INSPECTION, source  # valid additions

from cskg import network, network_cache
from cskg.project import Project
from cskg.store import GraphStore, build, manifest_path, open_store

NEWTOWN = "https://w3id.org/cskg/id/council/E06000099"
INSPECTION = "https://w3id.org/cskg/id/event/E06000099/inspection/2020"


def cache_file(project: Path) -> Path:
    return project / ".cskg" / "store.network.sqlite"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    project = Project(copy_project(tmp_path / "project"))
    build(project)
    with open_store(project, rebuild=False) as opened:
        yield opened


def test_the_kept_projection_is_the_one_read_from_the_store(store: GraphStore) -> None:
    fresh = network.project(store)  # reads the store, and keeps what it read
    assert cache_file(store.project.root).is_file()
    kept = network.project(store)
    read = network._read_parts(network._Reader(store))
    assert network_cache.cached(store, network.PROJECTION_VERSION, lambda: pytest.fail("read again")) == read
    assert len(read.node_types) > 50 and len(read.edges) > 50
    assert list(kept.graph.nodes) == list(fresh.graph.nodes) == list(read.node_types)
    assert list(kept.graph.edges(keys=True)) == list(fresh.graph.edges(keys=True))
    assert [(s, p, o) for s, o, p in kept.graph.edges(keys=True)] == read.edges
    for node, data in fresh.graph.nodes(data=True):
        assert list(kept.graph.nodes[node].items()) == list(data.items()), node
    for s, o, p, data in fresh.graph.edges(keys=True, data=True):
        assert list(kept.graph[s][o][p].items()) == list(data.items()), (s, p, o)
    assert kept.predicate_labels == fresh.predicate_labels


def test_a_sparql_server_or_a_store_with_no_manifest_keeps_nothing(tmp_path: Path) -> None:
    parts = network_cache.Parts({"https://example.org/a": ("thing", "ex:Thing")}, [], {})
    assert network_cache.cached(object(), 1, lambda: parts) is parts
    project = Project(copy_project(tmp_path / "project"))
    build(project)
    with open_store(project, rebuild=False) as opened:
        manifest_path(project).rename(tmp_path / "manifest.json")
        assert network_cache.cached(opened, 1, lambda: parts) is parts
    assert not cache_file(project.root).exists()


def centrality(project: Path) -> list[dict[str, object]]:
    run = run_cskg(project, "network", "centrality", "--top", "100000", "--format", "json")
    assert run.code == 0 and "Traceback" not in run.err, run.err
    rows: list[dict[str, object]] = json.loads(run.out)
    return rows


def fresh_centrality(project: Path) -> list[dict[str, object]]:
    """The answer with the kept projection, checked against one read from the store."""
    kept = centrality(project)
    assert cache_file(project).is_file()
    cache_file(project).unlink()
    assert centrality(project) == kept
    return kept


def iris(rows: list[dict[str, object]]) -> set[object]:
    return {r["iri"] for r in rows}


def test_the_next_network_command_follows_add_edit_and_remove(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    first = centrality(project)
    assert first == fresh_centrality(project)
    assert NEWTOWN not in iris(first)

    addition = tmp_path / "2021-01-01-newtown.trig"
    addition.write_text(source("2021-01-01-newtown", NEW_COUNCIL + "\n" + NEWTOWN_INSPECTION))
    run = run_cskg(project, "add", str(addition))
    assert run.code == 0, run.out + run.err
    added = centrality(project)
    assert {NEWTOWN, INSPECTION} <= iris(added)
    assert added == fresh_centrality(project)

    # an edit to a graph file, by hand: the inspection goes
    written = project / "graphs" / "2021-01-01-newtown.trig"
    assert written.is_file()
    written.write_text(source("2021-01-01-newtown", NEW_COUNCIL))
    edited = centrality(project)
    assert NEWTOWN in iris(edited) and INSPECTION not in iris(edited)
    assert edited == fresh_centrality(project)

    run = run_cskg(project, "remove", "2021-01-01-newtown")
    assert run.code == 0, run.out + run.err
    assert centrality(project) == first


def damage_by_truncating(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def damage_by_garbage(path: Path) -> None:
    path.write_bytes(b"not a projection at all\n" * 100)


def damage_inside(path: Path) -> None:
    """A well-formed SQLite file whose links are not the ones it was written with."""
    with sqlite3.connect(path) as db:
        (links,) = db.execute("SELECT links FROM projection").fetchone()
        db.execute("UPDATE projection SET links = ?", (bytes([links[0] ^ 1]) + links[1:],))


def damage_to_nonsense(path: Path) -> None:
    """Columns that do not hang together, under a checksum that matches them."""
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT nodes, kinds, node_kinds, predicates FROM projection").fetchone()
        blobs = [*row, b"\xff\xff\xff\x7f" * 3]  # a link to a node that is not there
        db.execute("UPDATE projection SET links = ?, crc = ?", (blobs[-1], network_cache._checksum(blobs)))


@pytest.mark.parametrize("damage", [damage_by_truncating, damage_by_garbage, damage_inside,
                                    damage_to_nonsense])
def test_a_damaged_file_is_read_again_not_trusted(tmp_path: Path, damage: object) -> None:
    project = copy_project(tmp_path / "project")
    first = centrality(project)
    assert callable(damage)
    damage(cache_file(project))
    assert centrality(project) == first
    with sqlite3.connect(cache_file(project)) as db:  # written again, whole
        assert db.execute("SELECT count(*) FROM projection").fetchone() == (1,)
    with open_store(Project(project), rebuild=False) as opened:
        kept = network_cache.cached(opened, network.PROJECTION_VERSION, lambda: pytest.fail("read again"))
        assert kept == network._read_parts(network._Reader(opened))


def kept_state(path: Path) -> tuple[int, int, int]:
    """What changes whenever the file is written again (it is replaced, so a new inode)."""
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def assert_kept_is_read(project: Path) -> None:
    """The file beside the store is current, and holds what a read of the store gives."""
    with open_store(Project(project), rebuild=False) as opened:
        kept = network_cache.cached(opened, network.PROJECTION_VERSION, lambda: pytest.fail("read again"))
        assert kept == network._read_parts(network._Reader(opened))


def network_outputs(project: Path) -> list[str]:
    outputs = []
    for args in (("centrality", "--measure", "degree"), ("centrality", "--top", "100000", "--format", "json"),
                 ("components",)):
        run = run_cskg(project, "network", *args)
        assert run.code == 0 and "Traceback" not in run.err, run.err
        outputs.append(run.out)
    return outputs


def test_build_keeps_the_projection_for_the_first_network_command(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    run = run_cskg(project, "build")  # a plain build leaves the projection to the first network command
    assert run.code == 0 and not cache_file(project).exists(), run.out + run.err
    shutil.rmtree(project / ".cskg")
    run = run_cskg(project, "build", "--network")  # a first build: into a fresh store
    assert run.code == 0 and "Traceback" not in run.err, run.out + run.err
    assert cache_file(project).is_file()
    assert_kept_is_read(project)
    written = kept_state(cache_file(project))
    kept = network_outputs(project)  # the first network commands read the file, not the store
    assert kept_state(cache_file(project)) == written
    cache_file(project).unlink()
    assert network_outputs(project) == kept  # the same bytes as when read from the store

    # a build that changes nothing leaves the store, and so the file, as they were
    written = kept_state(cache_file(project))
    run = run_cskg(project, "build", "--network")
    assert run.code == 0, run.out + run.err
    assert kept_state(cache_file(project)) == written
    assert network_outputs(project) == kept and kept_state(cache_file(project)) == written

    # a build that reloads a changed file, and one that rebuilds the whole store
    graph = project / "graphs" / "2021-01-01-newtown.trig"
    graph.write_text(source("2021-01-01-newtown", NEW_COUNCIL + "\n" + NEWTOWN_INSPECTION))
    for args in (("build", "--network"), ("build", "--force", "--network")):
        run = run_cskg(project, *args)
        assert run.code == 0 and "Traceback" not in run.err, run.out + run.err
        assert_kept_is_read(project)
        written = kept_state(cache_file(project))
        rows = centrality(project)
        assert kept_state(cache_file(project)) == written
        assert {NEWTOWN, INSPECTION} <= iris(rows)
        assert rows == fresh_centrality(project)


def test_a_build_stands_when_the_projection_cannot_be_kept(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    blocker = cache_file(project)
    blocker.mkdir(parents=True)  # a folder where the file goes: it cannot be renamed into place
    (blocker / "in the way").write_text("")
    run = run_cskg(project, "build", "--network")
    assert run.code == 0 and "Traceback" not in run.err, run.out + run.err
    assert "network" in run.err  # said, not hidden
    assert blocker.is_dir() and not list((project / ".cskg").glob(".*.tmp"))
    run = run_cskg(project, "network", "centrality")
    assert run.code == 0 and "Traceback" not in run.err, run.err
    assert run.out.strip()
