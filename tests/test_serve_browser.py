"""The site of ``cskg serve`` in a real browser (Debian's Chromium driven through Playwright), as
a journalist would use it: a council's page, the search box, a named query's form and its CSV,
the network view; the same pages without JavaScript. What each page must show is read from
the store and the named queries, not written here. Screenshots go to ``tests/artefacts/``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project, run_cskg
from test_export_html import ARTEFACTS, browser  # noqa: F401 - the fixture
from test_serve import cskg_server

BOLTON = "https://w3id.org/cskg/id/council/E08000001"
ARTICLE = "2018-06-13-bolton-childrens-services-rated-good"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    project = copy_project(tmp_path_factory.mktemp("site") / "project", national=True)
    assert run_cskg(project, "build").code == 0
    with cskg_server(project) as server:
        server["project"] = project
        yield server


def rows(project: Path, *args: str) -> list[dict[str, str]]:
    run = run_cskg(project, *args, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out) if run.out.strip() else []


def shot(page: Any, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / name), full_page=True)


@pytest.fixture
def page(browser: Any, site: dict[str, Any]) -> Iterator[Any]:  # noqa: F811 - the fixture above
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    opened.on("request", lambda r: requests.append(r.url))
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    assert all(u.startswith((site["base"], "data:", "blob:")) for u in requests), requests
    assert errors == []
    opened.close()


def test_bolton_s_page_shows_the_article_and_the_national_record_with_sources(page: Any, site) -> None:
    project = site["project"]
    page.goto(site["base"] + "council/E08000001")
    assert page.inner_text("h1") == "Bolton"
    history = rows(project, "query", "council-history", "--param", "council=Bolton")
    timeline = page.inner_text("#timeline + p + table")
    for event in history:
        assert event["eventLabel"] in timeline
    assert any(e["date"] == "2018-04" for e in history) and any(e["date"] == "2023-09-11" for e in history)
    latest = rows(project, "query", "latest-grades")
    bolton = next(r for r in latest if r["council"] == BOLTON)
    assert bolton["gradeLabel"] in page.inner_text("#current")
    # every source stating something about Bolton is listed, and a fact's number leads to it
    sources = page.inner_text("ol.sources")
    for source in rows(project, "query", "sources-about", "--param", "entity=Bolton"):
        assert source["sourceLabel"] in sources
    article = next(s for s in rows(project, "query", "sources-about", "--param", "entity=Bolton")
                   if s["graph"].endswith(ARTICLE))
    row_2018 = page.locator("tr.event", has_text="April to May 2018")
    assert "overall effectiveness: good" in row_2018.inner_text()
    cite = row_2018.locator(".cite a").first
    target = cite.get_attribute("href")
    item = page.locator(f"li{target}")
    assert article["sourceLabel"] in item.inner_text() and "CYP Now" in item.inner_text()
    assert "2018-06-13" in item.inner_text()
    cite.click()
    assert page.url.endswith(target)
    # its findings with their quoted words, the people in post and the neighbours
    words = [r["w"] for r in rows(project, "query", "--sparql",
                                  "SELECT ?w WHERE { ?f cskg:fromEvent/cskg:inspectedAuthority ?c . "
                                  "{ ?f cskg:quote ?w } UNION { ?f cskg:excerpt ?w FILTER NOT EXISTS "
                                  f"{{ ?f cskg:quote ?q }} }} VALUES ?c {{ <{BOLTON}> }} }}")]
    shown = " ".join(page.locator("div.finding blockquote").all_inner_texts())
    assert 0 < len(words) <= 12, "Bolton's findings all fit the page's latest twelve"
    assert all(w in shown for w in words)
    for person in rows(project, "query", "council-people", "--param", "council=Bolton"):
        assert person["personLabel"] in page.inner_text("main")
    neighbours = rows(project, "query", "statistical-neighbours", "--param", "council=Bolton")
    table = page.inner_text("#neighbours + table")
    assert [n["neighbourLabel"] for n in neighbours] and all(n["neighbourLabel"] in table for n in neighbours)
    shot(page, "serve-council-bolton.png")


@pytest.mark.parametrize(("text", "name"), [("BCP", "BCP"), ("Wirral Council", "Wirral Council")])
def test_search_finds_a_council_by_another_name(page: Any, site, text: str, name: str) -> None:
    from cskg.labels import resolve
    from cskg.project import Project
    from cskg.store import open_store

    with open_store(Project(site["project"])) as store:
        expected = resolve(store, name)
    gss = expected.rsplit("/", 1)[-1]
    page.goto(site["base"])
    page.fill("header input[type=search]", text)
    page.press("header input[type=search]", "Enter")
    page.wait_for_url("**/search?q=*")
    link = page.locator(f"ul.hits a[href='/council/{gss}']")
    assert link.count() == 1
    shot(page, f"serve-search-{text.replace(' ', '-').lower()}.png")
    link.click()
    page.wait_for_url(f"**/council/{gss}")
    assert "Current grade" in page.inner_text("#current")


def test_a_named_query_form_runs_and_its_csv_downloads(page: Any, site, tmp_path: Path) -> None:
    project = site["project"]
    page.goto(site["base"] + "queries")
    page.click("a[href='/queries/statistical-neighbours']")
    page.fill("#p-council", "Bolton")
    page.click("#run")
    page.wait_for_selector("table.results")
    expected = rows(project, "query", "statistical-neighbours", "--param", "council=Bolton")
    assert page.locator("table.results tbody tr").count() == len(expected) > 0
    first = page.inner_text("table.results tbody tr >> nth=0")
    assert expected[0]["neighbourLabel"] in first
    shot(page, "serve-query-statistical-neighbours.png")
    with page.expect_download() as download:
        page.click("#download-csv")
    saved = tmp_path / "answer.csv"
    download.value.save_as(saved)
    local = run_cskg(project, "query", "statistical-neighbours", "--param", "council=Bolton", "--format", "csv")
    assert saved.read_text(encoding="utf-8") == local.out
    assert next(iter(csv.DictReader(io.StringIO(local.out))))["neighbourLabel"] == expected[0]["neighbourLabel"]


def test_the_pages_need_no_javascript(browser: Any, site) -> None:  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site["base"] + "search?q=tri-borough")
    hits = page.locator("ul.hits a")
    assert hits.count() >= 1
    page.goto(site["base"] + "queries/council-people?council=Westminster")
    assert page.locator("table.results tbody tr").count() == len(
        rows(site["project"], "query", "council-people", "--param", "council=Westminster"))
    page.goto(site["base"] + "sparql")
    page.fill("textarea[name=query]", "SELECT ?l WHERE { <https://w3id.org/cskg/id/council/E08000015> rdfs:label ?l }")
    page.click("#run")
    assert "Wirral" in page.inner_text("table.results")
    page.goto(site["base"] + "sparql?" + "query=SELECT%20*%20WHERE%20%7B%20SERVICE%20%3Chttp%3A%2F%2F127.0.0.1%3A9%2F%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D")
    assert "SERVICE is refused" in page.inner_text(".error")
    context.close()


def test_the_network_view_of_a_council_draws_offline(page: Any, site) -> None:
    page.goto(site["base"] + "council/E08000001")
    page.click("text=network around Bolton")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
    assert int(page.inner_text("#count")) > 10
    shot(page, "serve-network-bolton.png")
