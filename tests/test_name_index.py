"""The name index kept beside the store: names resolve through it, it follows every change
to the graph files, and brought up to date file by file it equals one made from scratch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import copy_project, run_cskg

PERSON = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
<https://w3id.org/cskg/graph/{slug}> {{
  <https://w3id.org/cskg/id/person/{slug}> a schema:Person ; rdfs:label "{name}" .
}}
"""


def index_rows(project: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(project / ".cskg" / "store.names.sqlite") as db:
        return sorted(db.execute("SELECT norm, name, iri, graph FROM names"))


def test_names_follow_each_change_and_match_an_index_made_afresh(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert run_cskg(project, "show", "Westminster").code == 0
    first = index_rows(project)
    assert any(name == "Westminster" for _, name, _, _ in first)

    path = project / "graphs" / "zz-test-person.trig"
    path.write_text(PERSON.format(slug="zz-test-person", name="Zoë Unusualname"))
    run = run_cskg(project, "show", "zoe unusualname")
    assert run.code == 0, run.err
    assert "person/zz-test-person" in run.out

    path.write_text(PERSON.format(slug="zz-test-person", name="Yannick Othername"))
    assert run_cskg(project, "show", "Yannick Othername").code == 0
    gone = run_cskg(project, "show", "Zoë Unusualname")
    assert gone.code == 2 and "Unusualname" in gone.err

    updated = index_rows(project)
    (project / ".cskg" / "store.names.sqlite").unlink()
    assert run_cskg(project, "show", "Westminster").code == 0
    assert index_rows(project) == updated  # file by file == made afresh

    path.unlink()
    assert run_cskg(project, "show", "Yannick Othername").code == 2
    assert index_rows(project) == first
