"""Where a cskg project keeps its files, and which named graph each file is.

A project is a folder with ``ontology/`` and ``graphs/``. It is found from
``$CSKG_HOME`` or by walking up from the working directory. The embedded store
lives in ``<project>/.cskg/store`` unless ``$CSKG_STORE`` names another folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cskg.errors import InputError

GRAPH_BASE = "https://w3id.org/cskg/graph/"
SYSTEM_BASE = "https://w3id.org/cskg/system/"

#: File suffixes cskg reads as RDF, and the format name pyoxigraph knows them by.
RDF_SUFFIXES = {
    ".trig": "trig",
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".jsonld": "jsonld",
}


@dataclass(frozen=True)
class Project:
    """The files of one cskg project."""

    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def graphs_dir(self) -> Path:
        return self.root / "graphs"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def state_dir(self) -> Path:
        return self.root / ".cskg"

    @property
    def store_dir(self) -> Path:
        override = os.environ.get("CSKG_STORE")
        return Path(override) if override else self.state_dir / "store"

    def rel(self, path: Path) -> str:
        """The path as the user sees it: relative to the project root where possible."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def ontology_files(self) -> list[Path]:
        return sorted(self.ontology_dir.glob("*.ttl"))

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes_dir.glob("*.ttl"))

    def graph_files(self) -> list[Path]:
        return sorted(
            p for p in self.graphs_dir.iterdir()
            if p.is_file() and p.suffix in RDF_SUFFIXES and not p.name.startswith(".")
        ) if self.graphs_dir.is_dir() else []

    def source_files(self) -> list[Path]:
        """Every file the store is built from: ontology first, then the graphs."""
        return self.ontology_files() + self.graph_files()

    def graph_iri_for(self, path: Path) -> str:
        """The named graph a file is loaded into (ontology files get a system graph)."""
        if path.parent.resolve() == self.ontology_dir.resolve():
            return f"{SYSTEM_BASE}ontology/{path.stem}"
        return f"{GRAPH_BASE}{path.stem}"


def find_project(start: Path | None = None) -> Project:
    """The project at ``$CSKG_HOME``, or the nearest folder up from ``start`` holding ``ontology/``."""
    home = os.environ.get("CSKG_HOME")
    if home:
        root = Path(home)
        if not (root / "ontology").is_dir():
            raise InputError(f"CSKG_HOME={home} has no ontology/ folder")
        return Project(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "ontology").is_dir() and (folder / "graphs").is_dir():
            return Project(folder)
    raise InputError(
        f"no cskg project here ({here})",
        "run cskg inside a project (a folder with ontology/ and graphs/) or set CSKG_HOME",
    )
