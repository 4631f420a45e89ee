"""`cskg remove` withdraws a source only if the rest stands without it; `cskg diff` previews."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run

HEAD = """@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/cskg/id/> .
"""


def source(slug: str, body: str) -> str:
    return HEAD + f"""<https://w3id.org/cskg/graph/{slug}> {{
  <https://w3id.org/cskg/graph/{slug}> a cskg:SourceGraph ; rdfs:label "Facts from {slug}" ;
      prov:wasDerivedFrom id:source\\/{slug} .
  id:source\\/{slug} a cskg:NewsArticle ; rdfs:label "Article {slug}" .
{body}
}}
"""


NEW_COUNCIL = """  id:council\\/E06000099 a cskg:Council ; rdfs:label "Newtown" ; cskg:gssCode "E06000099" ."""
NEWTOWN_INSPECTION = """  id:event\\/E06000099\\/inspection\\/2020 a cskg:FullInspection ;
      rdfs:label "Newtown inspection, 2020" ;
      cskg:inspectedAuthority id:council\\/E06000099 ; cskg:reportedDate "2020"^^xsd:gYear ."""


def graphs(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "graphs").iterdir())}


def test_remove_an_article_others_do_not_need(cskg: Callable[..., Run], project: Path) -> None:
    run = cskg("remove", "graphs/2018-06-13-bolton-childrens-services-rated-good.trig")
    assert run.code == 0, run.out + run.err
    assert run.out.startswith("removed graphs/2018-06-13-bolton-childrens-services-rated-good.trig (")
    assert not (project / "graphs" / "2018-06-13-bolton-childrens-services-rated-good.trig").exists()
    stats = json.loads(cskg("stats", "--format", "json").out)
    assert "graphs/2018-06-13-bolton-childrens-services-rated-good.trig" not in {
        s["file"] for s in stats["sources"]}
    assert cskg("validate").code == 0
    assert cskg("show", "Ann Cunliffe").code == 2  # only that article named her


def test_remove_by_title_or_slug(cskg: Callable[..., Run]) -> None:
    run = cskg("remove", "Council's children's services rated 'good' by Ofsted", "--dry-run")
    assert run.code == 0 and "can be removed" in run.out and "(dry run)" in run.out
    run = cskg("remove", "2018-06-13-bolton-childrens-services-rated-good", "--dry-run")
    assert run.code == 0


def test_removing_what_others_refer_to_is_refused_with_the_referrers(
    cskg: Callable[..., Run], project: Path, tmp_path: Path
) -> None:
    (tmp_path / "2021-01-01-newtown.trig").write_text(source("2021-01-01-newtown", NEW_COUNCIL))
    (tmp_path / "2021-02-01-newtown-inspected.trig").write_text(
        source("2021-02-01-newtown-inspected", NEWTOWN_INSPECTION))
    assert cskg("add", str(tmp_path / "2021-01-01-newtown.trig")).code == 0
    assert cskg("add", str(tmp_path / "2021-02-01-newtown-inspected.trig")).code == 0
    before = graphs(project)
    run = cskg("remove", "2021-01-01-newtown", "--format", "json")
    assert run.code == 1
    body = json.loads(run.out)
    assert body["removed"] is False
    referenced = [p for p in body["problems"] if p["shape"] == "referenced"]
    assert [p["label"] for p in referenced] == ["Newtown"]
    assert "Newtown inspection, 2020 (graphs/2021-02-01-newtown-inspected.trig)" in referenced[0]["message"]
    assert graphs(project) == before
    text = cskg("remove", "2021-01-01-newtown")
    assert text.code == 1 and "refused" in text.out and "nothing was deleted" in text.out
    assert cskg("remove", "2021-02-01-newtown-inspected").code == 0
    assert cskg("remove", "2021-01-01-newtown").code == 0


def test_removing_the_council_reference_is_refused(cskg: Callable[..., Run], project: Path) -> None:
    before = graphs(project)
    run = cskg("remove", "la-lookup-seed-councils")
    assert run.code == 1
    assert "A council must have exactly one GSS code" in run.out
    assert graphs(project) == before


def test_remove_unknown_source_is_an_input_error(cskg: Callable[..., Run]) -> None:
    run = cskg("remove", "graphs/no-such-file.trig")
    assert run.code == 2 and run.err.startswith("Error: ")


def test_diff_shows_new_and_existing_without_writing(
    cskg: Callable[..., Run], project: Path, tmp_path: Path
) -> None:
    body = NEWTOWN_INSPECTION.replace("E06000099", "E08000001").replace("Newtown", "Bolton") + (
        '\n  id:council\\/E08000001 a cskg:Council ; skos:altLabel "Bolton MBC" .')
    path = tmp_path / "2020-05-01-bolton.trig"
    path.write_text(source("2020-05-01-bolton", body))
    before = graphs(project)
    run = cskg("diff", str(path))
    assert run.code == 0, run.err
    assert "Bolton  <cskgid:council/E08000001>  (existing, in " in run.out
    assert "  + alternative label: Bolton MBC" in run.out
    assert "Bolton inspection, 2020  <cskgid:event/E08000001/inspection/2020>  (new)" in run.out
    assert "  = 1 statements already in the graph" in run.out  # Bolton is a council already
    assert graphs(project) == before
    entries = json.loads(cskg("diff", str(path), "--format", "json").out)["entities"]
    bolton = next(e for e in entries if e["iri"].endswith("council/E08000001"))
    assert bolton["new"] is False and ["alternative label", "Bolton MBC"] in bolton["added"]
