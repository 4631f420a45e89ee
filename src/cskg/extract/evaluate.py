"""How good are the drafts? ``python -m cskg.extract.evaluate`` (``make eval``).

For each seed article, a copy of the project is built without the article's own
curated graph; the article is extracted against it, and the draft, read as the
fact sheet it is (entries marked for review left out), is compared with the
curated graph category by category:

- councils: the councils named (GSS codes);
- events: inspections and visits, matched by council, kind, ordinal and the dates
  stated (each with its property and precision: a year is not a month);
- grades: (matched event, judgement area, grade);
- findings: a finding matches one of the same event whose quoted or excerpted
  words overlap it (most of the shorter one's words);
- people with posts: (name, role, council) of each post holding;
- partnerships: memberships and shared services of partnerships and hubs, and
  delivery by trusts;
- claims: who said it and the words.

Precision is the share of the draft's statements that the curated graph holds,
recall the share of the curated graph's the draft holds; "unsupported" counts the
draft's statements the curated graph does not hold, and "not verbatim" its quotes
and excerpts that are not exact substrings of the text (it must be 0). Each
draft is also run through ``cskg add --dry-run`` against the copy, as written
(where it may fail only on review marks) and with the marked entries left out.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from cskg.extract.knowledge import fold

C = "https://w3id.org/cskg/def#"
ORG = "http://www.w3.org/ns/org#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
CATEGORIES = ["councils", "events", "grades", "findings", "people", "partnerships", "claims"]
EVENT_CLASSES = ["FullInspection", "MonitoringVisit", "FocusedVisit", "JointTargetedAreaInspection"]
DATES = ["fieldworkStart", "fieldworkEnd", "publicationDate", "reportedDate"]


@dataclass
class Score:
    tp_draft: int = 0
    draft: int = 0
    tp_curated: int = 0
    curated: int = 0
    missed: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp_draft / self.draft if self.draft else None

    @property
    def recall(self) -> float | None:
        return self.tp_curated / self.curated if self.curated else None

    def add(self, other: Score) -> None:
        self.tp_draft += other.tp_draft
        self.draft += other.draft
        self.tp_curated += other.tp_curated
        self.curated += other.curated


@dataclass
class ArticleResult:
    name: str
    scores: dict[str, Score]
    not_verbatim: list[str]
    dry_run: str
    dry_run_unreviewed: str
    reviews: int


# -- reading a graph's facts --------------------------------------------------------------------


class Facts:
    """One source graph's statements, in the terms the categories compare."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.store = ox.Store()
        self.store.extend([ox.Quad(q.subject, q.predicate, q.object) for q in quads])

    def rows(self, query: str) -> list[tuple[str, ...]]:
        prefixes = ("PREFIX cskg: <https://w3id.org/cskg/def#> PREFIX org: <http://www.w3.org/ns/org#> "
                    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")
        out = []
        for solution in self.store.query(prefixes + query):  # type: ignore[union-attr]
            out.append(tuple(t.value if t is not None else "" for t in solution))
        return out

    def gss(self, iri: str) -> str:
        return iri.rsplit("/", 1)[-1] if "/council/" in iri else iri

    def councils(self) -> set[str]:
        return {self.gss(r[0]) for r in self.rows("SELECT ?c WHERE { ?c a cskg:Council }")}

    def events(self) -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        classes = " ".join(f"cskg:{c}" for c in EVENT_CLASSES)
        for e, cls, council in self.rows(f"SELECT ?e ?t ?c WHERE {{ VALUES ?t {{ {classes} }} ?e a ?t ; "
                                         "cskg:inspectedAuthority ?c }"):
            dates = {(p, v) for p, v in self.rows(
                f"SELECT ?p ?v WHERE {{ <{e}> ?p ?v FILTER(?p IN ({', '.join('cskg:' + d for d in DATES)})) }}")}
            ordinal = next((r[0] for r in self.rows(f"SELECT ?o WHERE {{ <{e}> cskg:visitOrdinal ?o }}")), None)
            out[e] = {"kind": cls.rsplit("#", 1)[-1], "council": self.gss(council),
                      "dates": {(p.rsplit("#", 1)[-1], v) for p, v in dates}, "ordinal": ordinal}
        return out

    def judgements(self) -> set[tuple[str, str, str]]:
        return set(self.rows("SELECT ?e ?a ?g WHERE { ?j cskg:ofEvent ?e ; cskg:judgementArea ?a ; cskg:grade ?g }"))

    def texts(self, cls: str, link: str) -> list[tuple[str, str, set[str]]]:
        rows = self.rows(f"SELECT ?x ?owner ?t WHERE {{ ?x a cskg:{cls} ; cskg:{link} ?owner . "
                         "{ ?x cskg:quote ?t } UNION { ?x cskg:excerpt ?t } }")
        by: dict[str, tuple[str, set[str]]] = {}
        for x, owner, t in rows:
            by.setdefault(x, (owner, set()))[1].add(t)
        return [(x, owner, texts) for x, (owner, texts) in sorted(by.items())]

    def label(self, iri: str) -> str:
        return next((r[0] for r in self.rows(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}")), iri)

    def posts(self) -> set[tuple[str, str, str]]:
        rows = self.rows("SELECT ?p ?r ?c WHERE { ?h a cskg:PostHolding ; org:member ?p ; org:role ?r ; "
                         "org:organization ?c }")
        return {(_person(self.label(p)), r, self.gss(c)) for p, r, c in rows}

    def partnership_key(self, iri: str) -> str:
        if self.rows(f"SELECT ?x WHERE {{ <{iri}> a cskg:MultiAgencySafeguardingHub BIND(1 AS ?x) }}"):
            return "mash"
        words = [w for w in fold(self.label(iri)).split() if w not in ("the", "arrangement", "partnership")]
        return " ".join(words)

    def member_key(self, iri: str) -> str:
        if "/council/" in iri:
            return self.gss(iri)
        sector = next((r[0] for r in self.rows(f"SELECT ?s WHERE {{ <{iri}> cskg:sector ?s }}")), None)
        return sector.rsplit("/", 1)[-1] if sector else fold(self.label(iri))

    def partnerships(self) -> set[tuple[str, ...]]:
        out: set[tuple[str, ...]] = set()
        for p, m in self.rows("SELECT ?p ?m WHERE { ?x a org:Membership ; org:organization ?p ; org:member ?m }"):
            out.add(("member", self.partnership_key(p), self.member_key(m)))
        for p, s in self.rows("SELECT ?p ?s WHERE { ?x a cskg:SharedService ; cskg:sharedBy ?p ; cskg:service ?s }"):
            out.add(("shares", self.partnership_key(p), s.rsplit("/", 1)[-1]))
        for c, s in self.rows("SELECT ?c ?s WHERE { ?x a cskg:DeliveryArrangement ; cskg:deliveredFor ?c ; "
                              "cskg:service ?s }"):
            out.add(("delivery", self.gss(c), s.rsplit("/", 1)[-1]))
        return out

    def claimant(self, iri: str) -> str:
        if "/council/" in iri:
            return self.gss(iri)
        return _person(self.label(iri))


def _person(name: str) -> str:
    from cskg.matching import person_key

    return person_key(name)


# -- comparing --------------------------------------------------------------------------------


def _overlap(a: set[str], b: set[str]) -> bool:
    """Do two findings' words overlap: one text inside another, or most of the shorter's words."""
    for x in a:
        for y in b:
            fx, fy = fold(x), fold(y)
            if not fx or not fy:
                continue
            if fx in fy or fy in fx:
                return True
            wx, wy = set(fx.split()), set(fy.split())
            if len(wx & wy) >= 0.6 * min(len(wx), len(wy)) and min(len(wx), len(wy)) >= 4:
                return True
    return False


def _set_score(draft: set[object], curated: set[object]) -> Score:
    return Score(len(draft & curated), len(draft), len(draft & curated), len(curated),
                 sorted(map(str, curated - draft)), sorted(map(str, draft - curated)))


def _match_events(d: dict[str, dict[str, object]], c: dict[str, dict[str, object]]) -> dict[str, str]:
    """Draft event -> curated event: the same council and kind, ordinal and dates."""
    pairs: dict[str, str] = {}
    used: set[str] = set()
    for strict in (True, False):
        for de, dv in sorted(d.items()):
            if de in pairs:
                continue
            for ce, cv in sorted(c.items()):
                if ce in used or dv["council"] != cv["council"] or dv["kind"] != cv["kind"]:
                    continue
                if dv["ordinal"] and cv["ordinal"] and dv["ordinal"] != cv["ordinal"]:
                    continue
                same = dv["dates"] == cv["dates"] and dv["ordinal"] == cv["ordinal"]
                if strict and not same:
                    continue
                if not strict and not (set(dv["dates"]) & set(cv["dates"])  # type: ignore[arg-type]
                                       or (dv["ordinal"] and dv["ordinal"] == cv["ordinal"])):
                    continue
                pairs[de] = ce
                used.add(ce)
                break
    return pairs


def compare(draft: Facts, curated: Facts) -> dict[str, Score]:
    scores: dict[str, Score] = {"councils": _set_score(draft.councils(), curated.councils())}  # type: ignore[arg-type]
    de, ce = draft.events(), curated.events()
    pairs = _match_events(de, ce)
    exact = {d for d, c in pairs.items() if de[d]["dates"] == ce[c]["dates"] and de[d]["ordinal"] == ce[c]["ordinal"]}
    scores["events"] = Score(len(exact), len(de), len(exact), len(ce),
                             sorted(str(ce[c]) for c in ce if c not in {pairs[d] for d in exact}),
                             sorted(str(de[d]) for d in de if d not in exact))
    mapped = {(pairs.get(e, e), a, g) for e, a, g in draft.judgements()}
    scores["grades"] = _set_score(mapped, curated.judgements())  # type: ignore[arg-type]
    df, cf = draft.texts("Finding", "fromEvent"), curated.texts("Finding", "fromEvent")
    scores["findings"] = _fuzzy(df, cf, lambda o: pairs.get(o, o), lambda o: o)
    scores["people"] = _set_score(draft.posts(), curated.posts())  # type: ignore[arg-type]
    scores["partnerships"] = _set_score(draft.partnerships(), curated.partnerships())  # type: ignore[arg-type]
    dc, cc = draft.texts("Claim", "claimedBy"), curated.texts("Claim", "claimedBy")
    scores["claims"] = _fuzzy(dc, cc, draft.claimant, curated.claimant)
    return scores


def _fuzzy(draft: list[tuple[str, str, set[str]]], curated: list[tuple[str, str, set[str]]],
           owner_d: object, owner_c: object) -> Score:
    od = [(owner_d(o), t) for _, o, t in draft]  # type: ignore[operator]
    oc = [(owner_c(o), t) for _, o, t in curated]  # type: ignore[operator]
    found_d = [any(o == p and _overlap(t, u) for p, u in oc) for o, t in od]
    found_c = [any(o == p and _overlap(t, u) for p, u in od) for o, t in oc]
    return Score(sum(found_d), len(od), sum(found_c), len(oc),
                 [" | ".join(sorted(t))[:100] for (o, t), f in zip(oc, found_c, strict=True) if not f],
                 [" | ".join(sorted(t))[:100] for (o, t), f in zip(od, found_d, strict=True) if not f])


# -- one article ----------------------------------------------------------------------------


def _copy_project(root: Path, into: Path, leave_out: Path) -> Path:
    for part in ("ontology", "shapes", "queries"):
        shutil.copytree(root / part, into / part)
    (into / "graphs").mkdir()
    for f in sorted((root / "graphs").glob("*")):
        if f.resolve() != leave_out.resolve() and f.is_file():
            shutil.copy2(f, into / "graphs" / f.name)
    for f in ("pyproject.toml",):
        if (root / f).exists():
            shutil.copy2(root / f, into / f)
    return into


def curated_graph(root: Path, seed: Path) -> Path | None:
    """The graph file whose source is this seed (its identifier is seed:<file stem>)."""
    for f in sorted((root / "graphs").glob("*.trig")):
        if f"seed:{seed.stem}" in f.read_text(encoding="utf-8"):
            return f
    return None


def strip_reviews(text: str) -> str:
    """The draft without the entries marked for review (the sheet that passes unedited)."""
    data = yaml.safe_load(text)

    def clean(node: object) -> object:
        if isinstance(node, dict):
            return {k: clean(v) for k, v in node.items()}
        if isinstance(node, list):
            return [clean(v) for v in node if not (isinstance(v, dict) and "review" in v)]
        return node

    data = clean(data)
    removed = {v.get("id") for v in _entries(yaml.safe_load(text)) if "review" in v and v.get("id")}
    for section in ("events",):
        for ev in data.get(section) or []:
            if ev.get("follows") in removed:
                ev.pop("follows")
    return yaml.safe_dump({k: v for k, v in data.items() if v not in (None, [])}, sort_keys=False,
                          allow_unicode=True)


def _entries(data: object) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    if isinstance(data, dict):
        for v in data.values():
            out += _entries(v)
    elif isinstance(data, list):
        for v in data:
            if isinstance(v, dict):
                out.append(v)
            out += _entries(v)
    return out


def evaluate_article(root: Path, seed: Path) -> ArticleResult:
    from cskg.addition import StoreResolver
    from cskg.changes import add
    from cskg.errors import CskgError
    from cskg.extract import extract
    from cskg.factsheet import load_sheet
    from cskg.matching import link
    from cskg.project import Project
    from cskg.store import build, open_store

    graph_file = curated_graph(root, seed)
    if graph_file is None:
        raise SystemExit(f"no curated graph in {root / 'graphs'} names seed:{seed.stem}")
    with tempfile.TemporaryDirectory() as tmp:
        project = Project(_copy_project(root, Path(tmp) / "project", graph_file))
        build(project)
        with open_store(project) as store:
            result = extract(seed, seed.name, store)
        text = seed.read_text(encoding="utf-8")
        draft_file = Path(tmp) / f"{seed.stem}.yaml"
        draft_file.write_text(result.yaml, encoding="utf-8")
        checked = Path(tmp) / f"{seed.stem}-checked.yaml"
        checked.write_text(strip_reviews(result.yaml), encoding="utf-8")
        verdicts = []
        for f in (draft_file, checked):
            try:
                outcome = add(project, [f], dry_run=True)[0]
                verdicts.append("passes" if outcome.report.conforms else
                                f"fails: {outcome.report.count('Violation')} violations")
            except CskgError as error:
                verdicts.append("refused: review marks" if "marked for review" in error.message
                                else f"fails: {error.message[:120]}")
        with open_store(project) as store:
            try:
                addition = load_sheet(checked, checked.name, StoreResolver(store))
                addition, _ = link(store, addition)
                quads = addition.quads
            except CskgError as error:
                print(f"{seed.name}: the draft does not read: {error.message}", file=sys.stderr)
                quads = []
        curated = Facts(q for q in ox.parse(path=str(graph_file), format=ox.RdfFormat.TRIG))
        scores = compare(Facts(quads), curated)
        not_verbatim = [t for t in _draft_texts(result.yaml) if " ".join(t.split()) not in " ".join(text.split())]
        return ArticleResult(seed.stem, scores, not_verbatim, verdicts[0], verdicts[1],
                             len(result.draft.reviews()))


def _draft_texts(text: str) -> list[str]:
    out = []
    for entry in _entries(yaml.safe_load(text)):
        for key in ("quote", "excerpt"):
            if isinstance(entry.get(key), str):
                out.append(entry[key])
        for key in ("quotes", "excerpts"):
            out += [t for t in entry.get(key) or [] if isinstance(t, str)]
    return out


# -- the report -------------------------------------------------------------------------------


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def table(results: list[ArticleResult]) -> str:
    total = {c: Score() for c in CATEGORIES}
    for r in results:
        for c in CATEGORIES:
            total[c].add(r.scores[c])
    lines = ["| category | precision | recall | draft statements | curated statements | unsupported |",
             "|---|---:|---:|---:|---:|---:|"]
    for c in CATEGORIES:
        s = total[c]
        lines.append(f"| {c} | {_f(s.precision)} | {_f(s.recall)} | {s.draft} | {s.curated} | "
                     f"{s.draft - s.tp_draft} |")
    lines += ["", "| article | councils P/R | events P/R | grades P/R | findings P/R | people P/R | "
              "partnerships P/R | claims P/R | unsupported | not verbatim | to review | dry run as drafted | "
              "without review entries |", "|---|" + "---|" * 12]
    for r in results:
        cells = [f"{_f(r.scores[c].precision)}/{_f(r.scores[c].recall)}" for c in CATEGORIES]
        unsupported = sum(r.scores[c].draft - r.scores[c].tp_draft for c in CATEGORIES)
        lines.append(f"| {r.name} | " + " | ".join(cells) +
                     f" | {unsupported} | {len(r.not_verbatim)} | {r.reviews} | {r.dry_run} | {r.dry_run_unreviewed} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", nargs="*", help="article texts (default: ../shared/seeds/*.txt)")
    parser.add_argument("--root", default=".", help="the project (default: here)")
    parser.add_argument("--readme", help="write the table into this README between the eval markers")
    parser.add_argument("--details", action="store_true", help="list what each draft missed and added")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    seeds = [Path(s) for s in args.seeds] or sorted((root.parent / "shared" / "seeds").glob("*.txt"))
    if not seeds:
        print("no seed articles found (give their paths)", file=sys.stderr)
        return 2
    results = [evaluate_article(root, s) for s in seeds]
    out = table(results)
    print(out)
    if args.details:
        for r in results:
            for c in CATEGORIES:
                s = r.scores[c]
                for m in s.missed:
                    print(f"{r.name} {c} missed: {m}")
                for u in s.unsupported:
                    print(f"{r.name} {c} unsupported: {u}")
            for t in r.not_verbatim:
                print(f"{r.name} NOT VERBATIM: {t}")
    if args.readme:
        readme = Path(args.readme)
        body = readme.read_text(encoding="utf-8")
        new = re.sub(r"(<!-- eval:start -->\n).*?(\n<!-- eval:end -->)", lambda m: m.group(1) + out + m.group(2),
                     body, flags=re.S)
        readme.write_text(new, encoding="utf-8")
    bad = sum(len(r.not_verbatim) for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
