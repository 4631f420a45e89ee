"""One thing, one node: parts that a source states about a shared parent carry its slug.

A finding of an event, a membership of a partnership, a post holding, a shared
service, a delivery arrangement, a political control: another source may describe
the same parent, so each source mints its own parts (docs/model.md, issue 19).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT, copy_project, run_cskg
from cskg.migrate import main as migrate_main
from cskg.migrate import migrate_text, new_path
from cskg.project import Project
from cskg.query import Catalogue, run_named
from cskg.store import build, open_store
from test_remote import OPTIONAL_PARAMS, PARAMS

ID = "https://w3id.org/cskg/id/"
CSKG = "https://w3id.org/cskg/def#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: The classes of parts: each node of these is stated by one source only.
PART_CLASSES = {
    CSKG + "Finding", CSKG + "Claim", "http://www.w3.org/ns/org#Membership", CSKG + "PostHolding",
    CSKG + "SharedService", CSKG + "DeliveryArrangement", CSKG + "PoliticalControl",
    "http://www.w3.org/2006/time#Interval", "http://www.w3.org/2006/time#Instant",
    CSKG + "InferredStatement",
}


def _source(graph: str) -> str:
    """The source a graph is of: the monthly ILACS snapshots are versions of one dataset."""
    return re.sub(r"ilacs-overview-\d{4}-\d{2}-\d{2}$", "ilacs-overview", graph)


def _stating_sources(files: list[Path]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    store = ox.Store()
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    sources: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for q in store.quads_for_pattern(None, None, None, None):
        sources[q.subject.value].add(_source(q.graph_name.value))
        if q.predicate.value == RDF_TYPE:
            types[q.subject.value].add(q.object.value)
    return sources, types


def test_no_part_of_the_repository_graph_is_stated_by_two_sources() -> None:
    sources, types = _stating_sources(sorted((ROOT / "graphs").glob("*.trig")))
    parts = [s for s, t in types.items() if t & PART_CLASSES]
    assert len(parts) > 100  # the seed articles' findings, memberships, holdings, ...
    shared = {s: sorted(sources[s]) for s in parts if len(sources[s]) > 1}
    assert not shared, shared


def test_the_check_finds_a_part_two_sources_state(tmp_path: Path) -> None:
    """The test above can fail: a second source's old-style finding/1 on an event is caught."""
    old = (ROOT / "tests/data/additions/valid-finding-on-existing-event.trig").read_text()
    event = "cskgid:event\\/E09000006\\/monitoring-visit\\/2018-03"
    clash = re.sub(re.escape(event) + r"\\/finding\\/[^ ]+ a", event + "\\\\/finding\\\\/"
                   "2018-04-10-childrens-centre-support-at-inadequate-council\\\\/1 a", old)
    assert clash != old
    (tmp_path / "clash.trig").write_text(clash)
    files = [*sorted((ROOT / "graphs").glob("20*.trig")), tmp_path / "clash.trig"]
    sources, types = _stating_sources(files)
    shared = [s for s, t in types.items() if t & PART_CLASSES and len(sources[s]) > 1]
    assert shared == [ID + "event/E09000006/monitoring-visit/2018-03/finding/"
                      "2018-04-10-childrens-centre-support-at-inadequate-council/1"]


# --- the migration ---------------------------------------------------------------------

def _old_form(text: str) -> str:
    """A graph file as cskg wrote it before parts carried their source (the slug taken out)."""
    slug = re.search(r"^\s*graph:([a-z0-9-]+)\s*\{", text, re.M)[1]  # type: ignore[index]
    esc = re.escape("\\/" + slug)
    return re.sub(r"(\\/finding)" + esc + r"(\\/\d)", r"\1\2",
                  re.sub(r"((?:member|shares|delivery|control)\\/[A-Za-z0-9-]+|"
                         r"post\\/[a-z-]+\\/[a-z0-9-]+)" + esc + r"(?=[\s;,.\\])", r"\1", text))


@pytest.fixture(scope="module")
def two_projects(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The repository's graph, and the same graph in the old form; both built."""
    new_root = copy_project(tmp_path_factory.mktemp("new") / "project")
    old_root = copy_project(tmp_path_factory.mktemp("old") / "project")
    changed = 0
    for path in sorted((old_root / "graphs").glob("*.trig")):
        text = path.read_text(encoding="utf-8")
        old = _old_form(text)
        changed += old != text
        path.write_text(old, encoding="utf-8")
    assert changed == 5  # the five seed articles' graphs
    stores = []
    for root in (new_root, old_root):
        project = Project(root)
        build(project)
        stores.append(open_store(project, rebuild=False))
    yield new_root, old_root, stores
    for store in stores:
        store.close()


def test_migrating_the_old_form_gives_the_repository_files(two_projects) -> None:  # type: ignore[no-untyped-def]
    new_root, old_root, _ = two_projects
    for path in sorted((old_root / "graphs").glob("*.trig")):
        assert migrate_text(path.read_text(), path.stem) == (new_root / "graphs" / path.name).read_text()
    # idempotent: the repository's files are already migrated
    for path in sorted((ROOT / "graphs").glob("*.trig")):
        assert migrate_text(path.read_text(), path.stem) == path.read_text()


def test_every_named_query_answers_the_same_after_the_migration(two_projects) -> None:  # type: ignore[no-untyped-def]
    new_root, _, (new, old) = two_projects
    catalogue = Catalogue(new_root / "queries")
    slugs = [p.stem for p in (ROOT / "graphs").glob("20*.trig")] + [
        p.stem for p in (ROOT / "graphs").glob("undated-*.trig")]

    def migrated(term: object) -> object:
        if isinstance(term, ox.NamedNode) and term.value.startswith(ID):
            path = term.value[len(ID):]
            for slug in slugs:  # the old IRI does not say its source: try each
                candidate = ID + new_path(path, slug)
                if candidate != term.value and next(new.ox.quads_for_pattern(
                        ox.NamedNode(candidate), None, None, None), None) is not None:
                    return ox.NamedNode(candidate)
        return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else term

    compared = 0
    for query in catalogue.all():
        params = {p.name: PARAMS[p.name] for p in query.params if not p.optional}
        params.update(OPTIONAL_PARAMS.get(query.name, {}))
        after, before = run_named(new, query.name, params), run_named(old, query.name, params)
        if query.form == "SELECT":
            assert after.columns == before.columns
            want = [[migrated(t) for t in row] for row in before.rows]
            got = [[t.value if t is not None else None for t in row] for row in after.rows]
            want = [[t.value if isinstance(t, ox.NamedNode) else t for t in row] for row in want]
            assert got == want, query.name
            compared += bool(after.rows)
        else:
            assert len(after.triples) == len(before.triples), query.name
    assert compared >= 15


def test_migrate_command_rewrites_old_files_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bcp.trig"
    current = (ROOT / "graphs/undated-bcp-front-door-monitoring-visit.trig").read_text()
    path.write_text(_old_form(current))
    assert migrate_main(["--check", str(path)]) == 1
    assert migrate_main([str(path)]) == 0
    assert path.read_text() == current
    assert migrate_main(["--check", str(path)]) == 0
    assert "0 of 1 files to migrate" in capsys.readouterr().out


# --- two sources on one parent ---------------------------------------------------------

SHEET = """\
source:
  title: {title}
  publisher: Example News
  date: {date}
councils:
  - id: bromley
    names: [Bromley]
  - Wirral
events:
  - type: monitoring visit
    council: bromley
    fieldwork: 2018-03
    ordinal: 6
    focus: early help
    follows: cskgid:event/E09000006/inspection/2016-06
    findings:
      - kind: {kind}
        excerpt: {excerpt}
people:
  - id: dcs
    name: Janet Example
    council: bromley
    role: director of children's services
partnerships:
  - name: Example partnership
    members: [bromley, Wirral]
claims:
  - by: dcs
    quote: {quote}
"""


def test_two_sources_adding_parts_to_the_same_parents_never_share_an_iri(project: Path) -> None:
    first, second = project / "first.yaml", project / "second.yaml"
    first.write_text(SHEET.format(title="One story about Bromley", date="2018-04-20", kind="strength",
                                  excerpt="Early help has improved.", quote="We are proud."))
    second.write_text(SHEET.format(title="Another story about Bromley", date="2018-04-27",
                                   kind="area for improvement",
                                   excerpt="Managers must oversee cases better.", quote="More to do."))
    for sheet in (first, second):
        done = run_cskg(project, "add", sheet.name)
        assert done.code == 0, done.out + done.err
    sources, types = _stating_sources(sorted((project / "graphs").glob("*.trig")))
    visit = ID + "event/E09000006/monitoring-visit/2018-03"
    findings = sorted(s for s, t in types.items() if CSKG + "Finding" in t and s.startswith(visit))
    assert len(findings) == 6 + 2  # the seed article's six and one from each story
    shared = {s: sources[s] for s, t in types.items() if t & PART_CLASSES and len(sources[s]) > 1}
    assert not shared, shared
    # each story's finding is its own node under the one visit, with its own words
    mine = [f for f in findings if "/finding/20" in f and "story" in f]
    assert [f.rsplit("/", 2)[1] for f in mine] == [
        "2018-04-20-one-story-about-bromley", "2018-04-27-another-story-about-bromley"]
