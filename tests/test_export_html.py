"""``cskg export --format html``: the page opened in a real browser (Debian's Chromium, driven by
Playwright), offline, with its search, type filter and side panel used as a reader would.

Expected numbers come from the network projection, not from the page. Screenshots go to
``tests/artefacts/``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project, run_cskg
from pyoxigraph import NamedNode
from tools import read_png, require_executable

from cskg import network
from cskg.errors import InputError
from cskg.export import html as html_export
from cskg.export.model import Edge, ExportGraph, Node, from_networkx
from cskg.labels import resolve
from cskg.query import run_named
from cskg.store import GraphStore

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
READY = "body[data-ready=true]"
WESTMINSTER_INSPECTION = "Ofsted inspection of Westminster children's services, 2019"


# ------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def proj(built_store: GraphStore) -> network.Projection:
    return network.project(built_store)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project's whole graph exported by the real command, twice: the same bytes."""
    root = copy_project(tmp_path_factory.mktemp("html") / "project")
    pages = []
    for name in ("graph.html", "again.html"):
        run = run_cskg(root, "export", "--format", "html", "--output", str(root / name))
        assert run.code == 0, run.err
        pages.append((root / name).read_bytes())
    assert pages[0] == pages[1], "the same graph must give the same bytes"
    return root / "graph.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require_executable("chromium", "chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        message = "the Python package 'playwright' is not installed (pip install -e '.[test]')"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=args)
        yield launched
        launched.close()


class Opened:
    """A page with every request it made and every script error it raised."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path.as_uri())
        # A selector, not wait_for_function: the page's Content-Security-Policy forbids eval.
        self.page.wait_for_selector(READY, state="attached", timeout=120_000)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def count(self) -> int:
        return int(self.page.inner_text("#count"))

    def drawn(self) -> int:
        """Nodes vis-network draws (its index of visible nodes)."""
        return int(self.js("cskg.network.body.nodeIndices.length"))

    def offline(self) -> None:
        assert self.requests and all(u.startswith(("file://", "data:")) for u in self.requests), (
            self.requests)
        assert not self.errors, self.errors


@pytest.fixture
def page(browser: Any, exported: Path) -> Iterator[Opened]:
    opened = Opened(browser, exported)
    yield opened
    opened.offline()
    opened.page.close()


def screenshot(opened: Opened, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTEFACTS / name))


# ------------------------------------------------------------------------------ in the browser


def test_page_draws_every_entity_offline(page: Opened, proj: network.Projection) -> None:
    expected = proj.graph.number_of_nodes()
    assert expected > 100
    assert page.count() == expected == int(page.page.inner_text("#total"))
    assert page.drawn() == expected
    assert page.js("cskg.edges.length") == proj.graph.number_of_edges()
    assert page.js("cskg.ready") is True
    assert page.js("cskg.network.physics.physicsEnabled") is False, "physics off once settled"
    # Something is drawn: many non-white pixels on the canvas.
    inked = page.js("""() => {
        const c = document.querySelector('#graph canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] + d[i + 1] + d[i + 2] < 600) n++;
        return n; }""")
    assert inked > 5_000
    screenshot(page, "html-export.png")


def test_layout_is_the_same_every_time(browser: Any, exported: Path) -> None:
    """Seeded layout: two openings put every node in the same place."""
    places = []
    for _ in range(2):
        opened = Opened(browser, exported)
        places.append(opened.js("cskg.network.getPositions()"))
        opened.offline()
        opened.page.close()
    assert places[0] == places[1]


def test_search_selects_and_focuses_with_its_facts(page: Opened, proj: network.Projection,
                                                    built_store: GraphStore) -> None:
    westminster = resolve(built_store, "Westminster")
    page.page.fill("#search", "Westminster")
    page.page.press("#search", "Enter")
    assert page.js("cskg.network.getSelectedNodes()") == [westminster]
    # focused: the view is centred on it
    centre = page.js("cskg.network.getViewPosition()")
    place = page.js("id => cskg.network.getPositions([id])[id]", westminster)
    assert abs(centre["x"] - place["x"]) < 1 and abs(centre["y"] - place["y"]) < 1
    facts = proj.graph.nodes[westminster]
    assert page.page.inner_text("#panel-label") == "Westminster"
    assert page.page.inner_text("#panel-type") == facts["type"] == "council"
    assert page.page.inner_text("#panel-iri") == westminster
    rows = dict(page.js("""() => Array.from(document.querySelectorAll('#panel-attributes tr'),
                         r => [r.dataset.key, r.querySelector('td').textContent])"""))
    assert rows["gssCode"] == "E09000033" and rows["region"] == "London"
    # its latest grade, as the named query latest-grades gives it, besides its own facts
    answer = run_named(built_store, "latest-grades")
    (graded,) = [dict(zip(answer.columns, r, strict=True)) for r in answer.rows
                 if r[answer.columns.index("council")] == NamedNode(westminster)]
    assert rows["latestGrade"] == graded["gradeLabel"].value
    assert rows["latestGradeInspectionDate"] == graded["date"].value
    grade_keys = {k for k in rows if k.startswith("latestGrade")}
    assert set(rows) == {k for k in facts if k not in ("label", "type", "types")} | grade_keys
    inspection = next(n for n, d in proj.graph.nodes(data=True)
                      if d["label"] == WESTMINSTER_INSPECTION)
    edge = proj.graph.get_edge_data(inspection, westminster)
    (data,) = edge.values()
    line = page.page.locator("#panel-relations li", has_text=WESTMINSTER_INSPECTION)
    assert line.count() == 1
    text = line.inner_text()
    assert data["label"] == "inspected authority" and data["label"] in text
    assert "Source: " + data["sources"] in text
    relations = proj.graph.in_degree(westminster) + proj.graph.out_degree(westminster)
    assert page.page.locator("#panel-relations li").count() == relations
    screenshot(page, "html-export-westminster.png")


def test_save_image_downloads_the_view_as_png(page: Opened, tmp_path: Path) -> None:
    """The Save image button: a PNG of the drawn canvas, made in the page (no fetch)."""
    size = page.js("(() => { const c = document.querySelector('#graph canvas'); "
                   "return [c.width, c.height]; })()")
    with page.page.expect_download() as info:
        page.page.click("#save-image")
    download = info.value
    assert download.suggested_filename == "cskg-graph.png"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    image = read_png(target.read_bytes())
    assert [image.width, image.height] == size and image.width > 500 and image.height > 300
    assert image.colour_type in (2, 6)
    assert image.inked_rows > image.height // 4, "the drawing, not a blank image"
    # a view of one type only saves that view: a different picture
    page.page.select_option("#type-filter", "council")
    with page.page.expect_download() as again:
        page.page.click("#save-image")
    other = tmp_path / "council.png"
    again.value.save_as(other)
    assert other.read_bytes() != target.read_bytes()
    assert read_png(other.read_bytes()).width == image.width


def test_unknown_name_says_so(page: Opened) -> None:
    page.page.fill("#search", "Atlantis")
    page.page.press("#search", "Enter")
    assert "Atlantis" in page.page.inner_text("#search-status")
    assert page.js("cskg.network.getSelectedNodes()") == []


def test_type_filter_shows_only_that_type(page: Opened, proj: network.Projection) -> None:
    types = Counter(d["type"] for _, d in proj.graph.nodes(data=True))
    options = page.js("Array.from(document.querySelectorAll('#type-filter option'), o => o.value)")
    assert options == [""] + sorted(types)
    for kind in ("council", "membership"):
        page.page.select_option("#type-filter", kind)
        assert page.count() == types[kind] == page.drawn()
        shown = page.js("cskg.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
        assert {proj.graph.nodes[n]["type"] for n in shown} == {kind}
    page.page.select_option("#type-filter", "")
    assert page.count() == proj.graph.number_of_nodes() == page.drawn()
    # the legend filters too
    page.page.click("#legend button[data-type='council']")
    assert page.count() == types["council"]
    assert page.page.input_value("#type-filter") == "council"


def test_clicking_a_node_shows_its_relationships_and_sources(
        page: Opened, proj: network.Projection) -> None:
    member = next(n for n, d in proj.graph.nodes(data=True)
                  if d["label"] == "Westminster in the bi-borough")
    page.js("id => cskg.network.focus(id, {scale: 1.5, animation: false})", member)
    spot = page.js("""id => { const p = cskg.network.canvasToDOM(cskg.network.getPositions([id])[id]);
                     const r = document.getElementById('graph').getBoundingClientRect();
                     return {x: r.left + p.x, y: r.top + p.y}; }""", member)
    page.page.mouse.click(spot["x"], spot["y"])
    assert page.js("cskg.network.getSelectedNodes()") == [member]
    assert page.page.inner_text("#panel-label") == "Westminster in the bi-borough"
    assert page.page.inner_text("#panel-type") == "membership"
    lines = page.page.locator("#panel-relations li")
    expected = sorted(
        (d["label"], proj.graph.nodes[o]["label"], d["sources"])
        for _, o, d in proj.graph.out_edges(member, data=True))
    assert expected and lines.count() == len(expected)
    for i, (label, other, sources) in enumerate(expected):
        text = lines.nth(i).inner_text()
        assert f"{label} \u2192 {other}" in text and f"Source: {sources}" in text
    # following a relationship selects the other end
    page.page.locator("#panel-relations a.other", has_text="Westminster").first.click()
    assert page.page.inner_text("#panel-label") == "Westminster"
    # clicking empty space clears the panel
    corner = page.page.locator("#graph").bounding_box()
    page.js("cskg.network.moveTo({position: {x: 1e6, y: 1e6}, animation: false})")
    page.page.mouse.click(corner["x"] + 5, corner["y"] + 5)
    assert page.page.locator("#panel-label").count() == 0


# ------------------------------------------------------------------------- the page's own text


NASTY = '</script><script>window.pwned = 1</script> "quoted" & <b>bold</b> \u2028'


def nasty_graph() -> ExportGraph:
    a = "https://example.org/a"
    b = "https://example.org/b?x=1&y=</script>"
    nodes = [Node(a, NASTY, "council", "cskg:Council", {"note": "<!-- x -->", "n": 3}),
             Node(b, "B & 'b'", "claim </style>", "cskg:Claim", {})]
    edges = [Edge("e1", a, b, "cskg:x", "https://example.org/x", "says </script>", "<src>")]
    return ExportGraph("A <title> & </script>", nodes, edges, {"n": "int", "note": "string"})


def test_labels_cannot_break_out_of_the_page(browser: Any, tmp_path: Path) -> None:
    content = html_export.export(nasty_graph())[".html"]
    text = content.decode("utf-8")
    block = re.search(r'<script type="application/json" id="cskg-data">(.*?)</script>', text,
                      re.DOTALL)
    assert block is not None and "<" not in block.group(1)
    data = json.loads(block.group(1))
    assert data["nodes"][0]["label"] == NASTY
    assert text.count("</script>") == 3, "only the page's own three scripts end"
    assert "<title>A &lt;title&gt; &amp; &lt;/script&gt;</title>" in text
    path = tmp_path / "nasty.html"
    path.write_bytes(content)
    opened = Opened(browser, path)
    assert opened.js("window.pwned") is None
    assert opened.page.title() == "A <title> & </script>"
    opened.js("id => cskg.select(id, true)", "https://example.org/a")
    assert opened.page.text_content("#panel-label") == NASTY
    assert "says </script>" in opened.page.inner_text("#panel-relations")
    assert "Source: <src>" in opened.page.inner_text("#panel-relations")
    opened.offline()
    opened.page.close()


def test_empty_graph_is_ready_too(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(html_export.export(ExportGraph("Nothing", [], [], {}))[".html"])
    opened = Opened(browser, path)
    assert opened.count() == 0
    opened.offline()
    opened.page.close()


def test_same_graph_same_bytes(proj: network.Projection) -> None:
    first = html_export.export(from_networkx(proj.graph, "cskg graph"))
    second = html_export.export(from_networkx(proj.graph.copy(), "cskg graph"))
    assert list(first) == [".html"] and first == second
    text = first[".html"].decode("utf-8")
    assert "vis-network" in text and "randomSeed: 1" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "nothing fetched"


def test_missing_pyvis_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> Any:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(html_export.resources, "files", missing)
    with pytest.raises(InputError, match="pyvis"):
        html_export.export(nasty_graph())
