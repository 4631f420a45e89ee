"""The repository's own data is under test: it parses, it is declared, it conforms, it is sourced."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cskg.namespaces import CSKG, PREFIXES
from cskg.store import GraphStore
from cskg.validation import validate_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
DECLARATIONS = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                OWL.AnnotationProperty, RDF.Property}
VOCAB = PREFIXES["cskgid"].replace("/id/", "/vocab/")


def ontology() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def graph_files() -> list[Path]:
    return sorted((ROOT / "graphs").glob("*.trig"))


def load(path: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(path, format="trig")
    return dataset


def test_every_project_file_parses() -> None:
    import pyoxigraph as ox

    for path in sorted((ROOT / "ontology").glob("*.ttl")) + sorted((ROOT / "shapes").glob("*.ttl")):
        Graph().parse(path, format="turtle")
    for path in graph_files():
        assert len(load(path)) == 0 or True  # parses; contents are checked below
    for path in sorted((ROOT / "queries").rglob("*.rq")):
        ox.Store().query(path.read_text(encoding="utf-8"), prefixes=PREFIXES)


@pytest.mark.parametrize("path", graph_files(), ids=lambda p: p.name)
def test_every_term_used_in_a_graph_is_declared_in_the_ontology(path: Path) -> None:
    onto = ontology()
    declared = {s for s, o in onto.subject_objects(RDF.type) if o in DECLARATIONS}
    concepts = set(onto.subjects(RDF.type, URIRef(PREFIXES["skos"] + "Concept")))
    dataset = load(path)
    used_properties = {p for _, p, _, _ in dataset.quads() if p != RDF.type}
    used_classes = {o for _, _, o, _ in dataset.quads((None, RDF.type, None, None))}
    assert sorted(used_properties - declared) == []
    assert sorted(used_classes - declared) == []
    used_concepts = {o for _, _, o, _ in dataset.quads() if str(o).startswith(VOCAB)}
    assert sorted(used_concepts - concepts) == []


@pytest.mark.parametrize("path", graph_files(), ids=lambda p: p.name)
def test_each_graph_file_is_one_named_graph_describing_its_source(path: Path) -> None:
    dataset = load(path)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)} - {
        "urn:x-rdflib:default"
    }
    assert names == {PREFIXES["graph"] + path.stem}
    graph = dataset.graph(URIRef(PREFIXES["graph"] + path.stem))
    me = URIRef(PREFIXES["graph"] + path.stem)
    assert (me, RDF.type, CSKG.SourceGraph) in graph
    source = graph.value(me, URIRef(PREFIXES["prov"] + "wasDerivedFrom"))
    assert source is not None and graph.value(source, RDFS.label) is not None


def test_the_whole_graph_conforms_to_the_shapes_and_checks(built_store: GraphStore) -> None:
    report = validate_store(built_store)
    violations = [r for r in report.results if r.severity == "Violation"]
    assert violations == []


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace(
        "\u201d", '"'
    )
    return re.sub(r"\s+", " ", text).strip()


def _seed_text(identifier: str) -> str | None:
    path = SEEDS / (identifier.removeprefix("seed:") + ".txt")
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must have ../shared beside the project")
        return None
    return _normal(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", graph_files(), ids=lambda p: p.name)
def test_every_quote_and_excerpt_is_verbatim_in_its_seed_article(path: Path) -> None:
    dataset = load(path)
    identifiers = [str(o) for _, _, o, _ in dataset.quads(
        (None, URIRef(PREFIXES["dcterms"] + "identifier"), None, None)) if str(o).startswith("seed:")]
    if not identifiers:
        pytest.skip(f"{path.name} is not taken from a seed article")
    text = _seed_text(identifiers[0])
    if text is None:
        pytest.skip("../shared/seeds is not beside the project")
    words = [o for _, p, o, _ in dataset.quads() if p in (CSKG.quote, CSKG.excerpt)]
    assert words, f"{path.name} quotes nothing from its article"
    missing = [str(w) for w in words if isinstance(w, Literal) and _normal(str(w)) not in text]
    assert missing == []


@pytest.mark.parametrize("path", graph_files(), ids=lambda p: p.name)
def test_council_iris_are_keyed_on_gss_codes(path: Path) -> None:
    dataset = load(path)
    for council, _, _, _ in dataset.quads((None, RDF.type, CSKG.Council, None)):
        assert re.fullmatch(PREFIXES["cskgid"] + r"council/[EWSN]\d{8}", str(council)), council
