"""``cskg schema``: the classes and properties with counts each way, and the prefixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from conftest import ROOT, copy_project, run_cskg
from rdflib.namespace import OWL, RDF

from cskg.prefixes import PREFIXES


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("schema") / "project", national=True)
    assert run_cskg(root, "build").code == 0
    return root


def count(project: Path, sparql: str) -> int:
    done = run_cskg(project, "query", "--sparql", sparql, "--format", "json")
    assert done.code == 0, done.err
    return int(json.loads(done.out)[0]["n"])


def test_counts_each_thing_once_and_each_statement_per_source(project: Path) -> None:
    done = run_cskg(project, "schema", "--format", "json")
    assert done.code == 0, done.err
    body = json.loads(done.out)
    classes = {t["name"]: t for t in body["classes"]}
    properties = {t["name"]: t for t in body["properties"]}
    for name in ("cskg:Council", "cskg:Report", "schema:Person"):
        distinct = count(project, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {name} }}")
        stated = count(project, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?x a {name} }} }}")
        assert (classes[name]["distinct"], classes[name]["statements"]) == (distinct, stated)
    # a council is named by several sources: counted once as an entity, more often as statements
    assert classes["cskg:Council"]["distinct"] == 153 < classes["cskg:Council"]["statements"]
    subjects = count(project, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x cskg:gssCode ?o }")
    assert properties["cskg:gssCode"]["distinct"] == subjects
    assert body["prefixes"] == PREFIXES


def test_lists_every_class_the_ontology_declares(project: Path) -> None:
    ontology = rdflib.Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        ontology.parse(path)
    declared = {str(c) for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)}
    assert declared
    body = json.loads(run_cskg(project, "schema", "--format", "json").out)
    assert declared <= {t["iri"] for t in body["classes"]}


def test_the_table_names_the_prefixes_and_how_to_count(project: Path) -> None:
    done = run_cskg(project, "schema")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    for prefix, iri in PREFIXES.items():
        assert any(line.split() == [f"{prefix}:", iri] for line in lines), prefix
    listed = json.loads(run_cskg(project, "schema", "--format", "json").out)["classes"]
    stated = next(t["statements"] for t in listed if t["name"] == "cskg:Council")
    council = next(line for line in lines if line.startswith("cskg:Council "))
    assert council.split()[-3:-1] == ["153", str(stated)]
    assert "COUNT(DISTINCT ?x)" in done.out
