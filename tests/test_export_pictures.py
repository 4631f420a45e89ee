"""``cskg export --format svg/png`` (Graphviz's real ``dot`` program) and the latest grade on
council nodes in GraphML, GEXF, CSV and Cytoscape JSON.

Pictures are read back by independent readers (the standard library's XML parser, a PNG
reader on ``struct``/``zlib``); grades are checked against what ``cskg query latest-grades``
answers, never against written-in values.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from conftest import Run, copy_project, run_cskg
from tools import read_png, require_executable

from cskg.errors import InputError
from cskg.export import picture
from cskg.export.model import Edge, ExportGraph, Node
from cskg.store import GraphStore

SVG = "{http://www.w3.org/2000/svg}"


def export(cskg: Callable[..., Run], project: Path, fmt: str, *args: str,
           name: str = "out") -> Path:
    target = project / f"{name}.{fmt}"
    run = cskg("export", "--format", fmt, *args, "--output", str(target))
    assert run.code == 0, run.err
    return target


def graphml_of(cskg: Callable[..., Run], project: Path, *args: str) -> nx.MultiDiGraph:
    return nx.read_graphml(export(cskg, project, "graphml", *args, name="same"),
                           force_multigraph=True)


def cskg_bytes(project: Path, *args: str, env: dict[str, str] | None = None,
               **kw: object) -> subprocess.CompletedProcess[bytes]:
    """The real command, its standard output kept as bytes (pictures are binary)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CSKG_")}
    full_env.update(env or {})
    streams = kw or {"capture_output": True}
    return subprocess.run([sys.executable, "-m", "cskg", *args], cwd=project, env=full_env,
                          timeout=300, check=False, **streams)  # type: ignore[call-overload]


# ------------------------------------------------------------------------------ SVG and PNG


def test_svg_of_a_councils_neighbourhood(cskg, project: Path) -> None:
    require_executable("dot", "graphviz")
    path = export(cskg, project, "svg", "--around", "Bolton")
    root = ET.parse(path).getroot()  # well-formed XML, or this raises
    assert root.tag == SVG + "svg"
    texts = {"".join(t.itertext()) for t in root.iter(SVG + "text")}
    expected = graphml_of(cskg, project, "--around", "Bolton")
    groups = [g for g in root.iter(SVG + "g") if g.get("class") == "node"]
    assert len(groups) == expected.number_of_nodes()
    assert len([g for g in root.iter(SVG + "g") if g.get("class") == "edge"]) == \
        expected.number_of_edges()
    councils = {d["label"] for _, d in expected.nodes(data=True) if d["type"] == "council"}
    assert "Bolton" in councils and councils <= texts
    # the node ids (IRIs) are the SVG's titles: every exported entity is drawn
    titles = {"".join(t.itertext()) for g in groups for t in g.iter(SVG + "title")}
    assert titles == set(expected.nodes)


def test_png_of_a_councils_neighbourhood(cskg, project: Path) -> None:
    require_executable("dot", "graphviz")
    image = read_png(export(cskg, project, "png", "--around", "Bolton").read_bytes())
    assert image.width > 400 and image.height > 100
    assert max(image.width, image.height) <= picture.PNG_INCHES * 96, "bounded in size"
    assert image.inked_rows > image.height // 4, "something is drawn across the image"


def test_svg_to_a_pipe_is_the_file(project: Path) -> None:
    require_executable("dot", "graphviz")
    target = project / "b.svg"
    written = cskg_bytes(project, "export", "-f", "svg", "--around", "Bolton", "-o", str(target))
    piped = cskg_bytes(project, "export", "-f", "svg", "--around", "Bolton")
    assert written.returncode == piped.returncode == 0, piped.stderr
    assert piped.stdout == target.read_bytes()
    png = cskg_bytes(project, "export", "-f", "png", "--query", "partnership-map")
    assert png.returncode == 0 and read_png(png.stdout).width > 100


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_same_part_draws_to_the_same_bytes(cskg, project: Path, fmt: str) -> None:
    require_executable("dot", "graphviz")
    first = export(cskg, project, fmt, "--around", "Westminster", "--depth", "2", name="a")
    second = export(cskg, project, fmt, "--around", "Westminster", "--depth", "2", name="b")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_not_onto_a_terminal(project: Path, fmt: str) -> None:
    leader, follower = pty.openpty()
    try:
        done = cskg_bytes(project, "export", "-f", fmt, "--around", "Bolton", stdout=follower,
                          stderr=subprocess.PIPE)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "not for a terminal" in err and "--output" in err and "Traceback" not in err


def test_dot_missing_is_a_clear_error(project: Path, tmp_path: Path) -> None:
    """A PATH with no Graphviz on it: a real environment, as on a machine without it."""
    empty = tmp_path / "bin"
    empty.mkdir()
    target = project / "x.svg"
    for fmt in ("svg", "png"):
        done = cskg_bytes(project, "export", "-f", fmt, "--around", "Bolton", "-o", str(target),
                          env={"PATH": str(empty)})
        err = done.stderr.decode()
        assert done.returncode == 2, err
        assert "needs Graphviz's dot program, which is not on PATH" in err
        assert "apt-get install graphviz" in err and "brew install graphviz" in err
        assert "Traceback" not in err and not target.exists()


def test_dot_failing_shows_what_it_said() -> None:
    require_executable("dot", "graphviz")
    with pytest.raises(InputError) as raised:
        picture.render(b"digraph { a -> }\n", "svg", "dot")
    message = raised.value.message
    assert "Graphviz's dot failed (exit code" in message and "syntax error" in message


def test_too_big_a_picture_is_refused_with_a_way_out(cskg, project: Path) -> None:
    require_executable("dot", "graphviz")
    size = graphml_of(cskg, project, "--around", "Bolton").number_of_nodes()
    run = cskg("export", "-f", "png", "--around", "Bolton", "--max-nodes", str(size - 1),
               "-o", str(project / "x.png"))
    assert run.code == 2 and "Traceback" not in run.err
    assert f"the selection has {size} nodes" in run.err
    assert "--around" in run.err and f"--max-nodes {size}" in run.err
    assert not (project / "x.png").exists()
    assert cskg("export", "-f", "png", "--around", "Bolton", "--max-nodes", str(size),
                "-o", str(project / "x.png")).code == 0
    whole = graphml_of(cskg, project).number_of_nodes()
    if whole > picture.MAX_NODES:  # the default limit holds
        assert cskg("export", "-f", "svg", "-o", str(project / "y.svg")).code == 2


@pytest.mark.parametrize("args,message", [
    (["--layout", "spring"], "unknown layout 'spring'"),
    (["--max-nodes", "-1"], "--max-nodes must be 0"),
])
def test_bad_picture_options(cskg, args: list[str], message: str) -> None:
    run = cskg("export", "-f", "svg", "--around", "Bolton", *args, "-o", "x.svg")
    assert run.code == 2 and message in run.err and "Traceback" not in run.err


def test_auto_layout_is_dot_for_a_small_part_and_sfdp_above() -> None:
    def graph(n: int, m: int) -> ExportGraph:
        nodes = [Node(f"n{i}", f"n{i}", "council", "cskg:Council") for i in range(n)]
        edges = [Edge(f"e{i}", f"n{i % n}", f"n{(i + 1) % n}", "p", "p", "p", "") for i in range(m)]
        return ExportGraph("t", nodes, edges, {})

    assert picture.layout_for(graph(picture.DOT_NODES, picture.DOT_EDGES)) == "dot"
    assert picture.layout_for(graph(picture.DOT_NODES + 1, 10)) == "sfdp"
    assert picture.layout_for(graph(10, picture.DOT_EDGES + 1)) == "sfdp"
    assert picture.layout_for(graph(500, 10), "dot") == "dot"


def test_a_slow_layout_stops_at_the_time_limit(tmp_path: Path) -> None:
    """dot's layered layout of every council and its statistical neighbours (155 nodes, 1,530
    edges) takes minutes: the command's --timeout stops it, with nothing written."""
    require_executable("dot", "graphviz")
    root = copy_project(tmp_path / "project", national=True)
    assert run_cskg(root, "build").code == 0
    started = time.monotonic()
    run = run_cskg(root, "--timeout", "6", "export", "-f", "svg", "--type", "Council",
                   "--layout", "dot", "-o", str(root / "councils.svg"))
    assert run.code == 2, run.err
    assert "Graphviz's dot layout ran past the time limit of 6 s" in run.err
    assert "--layout sfdp" in run.err and not (root / "councils.svg").exists()
    assert time.monotonic() - started < 60
    # the same part with the force-directed layout is quick
    assert run_cskg(root, "--timeout", "60", "export", "-f", "svg", "--type", "Council",
                    "-o", str(root / "councils.svg")).code == 0


# ------------------------------------------------------------------------ grades on councils


#: Every council of the seed graphs has a graded inspection: one more that has none.
UNGRADED = """@prefix cskg: <https://w3id.org/cskg/def#> .
@prefix cskgid: <https://w3id.org/cskg/id/> .
@prefix graph: <https://w3id.org/cskg/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
graph:test-ungraded {
    graph:test-ungraded a cskg:SourceGraph ; rdfs:label "A council never inspected (test)" .
    cskgid:council\\/E99999999 a cskg:Council ; rdfs:label "Testshire" ;
        cskg:gssCode "E99999999" .
}
"""
TESTSHIRE = "https://w3id.org/cskg/id/council/E99999999"


@pytest.fixture
def latest(cskg, project: Path) -> dict[str, dict[str, str]]:
    """``cskg query latest-grades`` as the user runs it, by council IRI, in the project with
    one ungraded council added."""
    (project / "graphs" / "test-ungraded.trig").write_text(UNGRADED, encoding="utf-8")
    run = cskg("query", "latest-grades", "--format", "json")
    assert run.code == 0, run.err
    return {r["council"]: r for r in json.loads(run.out)}


def grade_order(store: GraphStore, grade: str) -> int:
    (row,) = store.query(f"SELECT ?o WHERE {{ <{grade}> cskg:gradeOrder ?o }}")
    return int(row["o"].value)


def expected_attributes(row: dict[str, str], store: GraphStore) -> dict[str, object]:
    out: dict[str, object] = {"latestGrade": row["gradeLabel"],
                              "latestGradeOrder": grade_order(store, row["grade"]),
                              "latestGradeInspectionDate": row["date"]}
    if row["publicationDate"]:
        out["latestGradePublicationDate"] = row["publicationDate"]
    return out


KEYS = ("latestGrade", "latestGradeOrder", "latestGradeInspectionDate",
        "latestGradePublicationDate")


def test_council_nodes_carry_their_latest_grade(cskg, project: Path, latest,
                                                built_store: GraphStore) -> None:
    bolton = next(iri for iri, r in latest.items() if r["councilLabel"] == "Bolton")
    assert latest[bolton]["grade"], "Bolton is graded in the seed graphs"
    graded = {iri: expected_attributes(r, built_store) for iri, r in latest.items() if r["grade"]}
    # the date keeps the precision the data has (a year-month stays a year-month)
    assert graded[bolton]["latestGradeInspectionDate"] == latest[bolton]["date"]

    graph = graphml_of(cskg, project, "--type", "Council")
    gexf = nx.read_gexf(export(cskg, project, "gexf", "--type", "Council"))
    cyto = json.loads(export(cskg, project, "cytoscape", "--type", "Council").read_bytes())
    cyto_nodes = {n["data"]["id"]: n["data"] for n in cyto["elements"]["nodes"]}
    export(cskg, project, "csv", "--type", "Council")
    with (project / "out.nodes.csv").open(newline="") as f:
        csv_nodes = {r["Id"]: r for r in csv.DictReader(f)}
    councils = set(graph.nodes)
    assert bolton in councils and set(graded) <= councils
    assert TESTSHIRE in councils and TESTSHIRE in latest and TESTSHIRE not in graded
    for iri in councils:
        want = graded.get(iri, {})
        for name, attributes in (("graphml", graph.nodes[iri]), ("gexf", gexf.nodes[iri]),
                                 ("cytoscape", cyto_nodes[iri])):
            got = {k: attributes[k] for k in KEYS if k in attributes}
            assert got == want, (name, iri)
        row = csv_nodes[iri]
        assert {k: row[k] for k in KEYS if row.get(k)} == {k: str(v) for k, v in want.items()}
    # GraphML and GEXF declare the keys with types Gephi ranks and partitions by
    assert isinstance(graph.nodes[bolton]["latestGradeOrder"], int)
    text = (project / "out.gexf").read_text()
    assert 'title="latestGrade" type="string"' in text
    assert 'title="latestGradeOrder" type="long"' in text


def test_grades_follow_the_selection(cskg, project: Path, latest,
                                     built_store: GraphStore) -> None:
    """A council's neighbourhood carries the same grade; a part with no council, none."""
    bolton = next(iri for iri, r in latest.items() if r["councilLabel"] == "Bolton")
    cyto = json.loads(export(cskg, project, "cytoscape", "--around", "Bolton").read_bytes())
    (data,) = [n["data"] for n in cyto["elements"]["nodes"] if n["data"]["id"] == bolton]
    assert {k: data[k] for k in KEYS if k in data} == expected_attributes(latest[bolton],
                                                                          built_store)
    others = [n["data"] for n in cyto["elements"]["nodes"] if n["data"]["type"] != "council"]
    assert others and not any(k in d for d in others for k in KEYS)


def test_grades_with_the_national_data(tmp_path: Path, built_store: GraphStore) -> None:
    """With every council's national inspection data: the grade, the inspection's and the
    report's publication dates of each council match the named query's answer."""
    root = copy_project(tmp_path / "project", national=True)
    run = run_cskg(root, "query", "latest-grades", "--format", "json")
    assert run.code == 0, run.err
    rows = {r["council"]: r for r in json.loads(run.out)}
    graph = nx.read_gexf(io.BytesIO(cskg_bytes(root, "export", "-f", "gexf", "--around",
                                               "Bolton").stdout))
    councils = [n for n, d in graph.nodes(data=True) if d["type"] == "council"]
    assert len(councils) > 5, "Bolton and its statistical neighbours"
    published = 0
    for iri in councils:
        want = expected_attributes(rows[iri], built_store) if rows[iri]["grade"] else {}
        assert {k: graph.nodes[iri][k] for k in KEYS if k in graph.nodes[iri]} == want, iri
        published += "latestGradePublicationDate" in want
    assert published == len(councils), "the national data dates every report"
