"""Shared fixtures: a private copy of the project, and the real cskg command run in it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PROJECT_PARTS = ["ontology", "shapes", "graphs", "queries"]
#: Graph files made by ``cskg import`` from the national data (see ``make import``).
NATIONAL_GRAPHS = ("la-lookup.trig", "ilacs-overview-*.trig", "inspection-reports-index.trig")
DATA = SHARED / "data"


@dataclass
class Run:
    code: int
    out: str
    err: str


def copy_project(target: Path, national: bool = False) -> Path:
    """A copy of the project's data files in ``target``, with no store yet.

    The seed-fact tests pin answers on the article graphs, so the graphs imported
    from the national data are left out unless ``national``.
    """
    for part in PROJECT_PARTS:
        if (ROOT / part).exists():
            ignore = None if national or part != "graphs" else shutil.ignore_patterns(*NATIONAL_GRAPHS)
            shutil.copytree(ROOT / part, target / part, ignore=ignore)
    return target


def national_data(name: str) -> Path:
    """A file of ../shared/data; skips when it is absent, except under CI, where it fails."""
    path = DATA / name
    if not path.is_file():
        message = f"the national data file {path} is not there (it sits beside the project)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project (ontology, shapes, graphs, queries) to change freely."""
    return copy_project(tmp_path / "project")


def run_cskg(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """Run the real ``cskg`` command in a subprocess, in ``cwd``."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CSKG_")}
    full_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "cskg", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cskg(project: Path) -> Callable[..., Run]:
    """``cskg(*args)`` runs the command in the private project copy."""
    return lambda *args, **kw: run_cskg(project, *args, **kw)


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One built copy of the project shared by read-only tests."""
    from cskg.project import Project
    from cskg.store import build, open_store

    root = copy_project(tmp_path_factory.mktemp("shared") / "project")
    project = Project(root)
    build(project)
    store = open_store(project, rebuild=False)
    yield store
    store.close()
