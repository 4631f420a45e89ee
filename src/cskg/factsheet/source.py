"""The ``source:`` of a fact sheet and the provenance of the graph made from it.

The source names the graph (``graph:{slug}``, the slug from its date and title)
and describes itself: kind, title, date, url, authors and publisher. The graph
and its curation activity describe themselves too (docs/model.md, "Named
graphs"), and inferred statements are numbered marks on the graph.
"""

from __future__ import annotations

import datetime as dt
import re

import pyoxigraph as ox

from cskg.factsheet.dates import DateVal
from cskg.factsheet.entry import Entry
from cskg.factsheet.iris import CSKG, DCT, ID, ORG, PROV, RDF, SDO, XSD, slugify
from cskg.factsheet.names import org_ref, person_ref
from cskg.factsheet.sheet import Sheet
from cskg.factsheet.yamltree import Y
from cskg.project import GRAPH_BASE

_EPOCH = "1970-01-01T00:00:00Z"

SOURCE_KINDS = {
    "news article": (CSKG + "NewsArticle", "news article"),
    "article": (CSKG + "NewsArticle", "news article"),
    "news": (CSKG + "NewsArticle", "news article"),
    "report": (CSKG + "Report", "report"),
    "dataset": (CSKG + "Dataset", "dataset"),
}
SOURCE_KEYS = [
    "kind",
    "title",
    "label",
    "author",
    "authors",
    "publisher",
    "date",
    "url",
    "identifier",
    "description",
    "slug",
]
CURATION_KEYS = ["label", "graph label"]


def read_source(sheet: Sheet, top: Entry) -> None:
    """The source, its graph's IRI and the graph's own provenance."""
    node = top.get("source")
    assert node is not None
    src = Entry(sheet, node, "source", SOURCE_KEYS)
    kind_node = src.get("kind")
    source_type, kind_name = (
        sheet.choice(kind_node, SOURCE_KINDS, "source: kind", "kind of source")
        if kind_node is not None
        else SOURCE_KINDS["news article"]
    )
    title = src.text("title")
    date = src.date("date")
    sheet.source_date = date
    explicit_label = src.text("label")

    slug = _slug(sheet, src, title or explicit_label, date)
    sheet.slug = slug
    sheet.graph_iri = GRAPH_BASE + slug
    sheet.source_iri = f"{ID}source/{slug}"
    s = sheet.source_iri
    line = top.key_line("source")

    label = explicit_label or title
    if not label:
        when = f" of {date.human()}" if date else ", undated"
        label = f"[Untitled {kind_name}{when}]"
    sheet.entity(s, line, [source_type], label)
    if title:
        sheet.text_(s, DCT + "title", title)
    if date:
        sheet.dated(s, DCT + "issued", date)
    _details(sheet, src, s)
    sheet.authors = src.texts("author", "authors")
    publisher = src.get("publisher")
    if publisher is not None:
        name = sheet.scalar_text(publisher, "source: publisher")
        default = (
            CSKG + "NewsPublisher"
            if source_type == CSKG + "NewsArticle"
            else ORG + "FormalOrganization"
        )
        sheet.publisher_name = name
        sheet.publisher = (name, default, publisher)

    who = sheet.attribution(date)
    sheet.citation = f"'{title or label}'" + (f" ({who})" if who else "")
    _graph(sheet, top, line, date)


def _slug(sheet: Sheet, src: Entry, words: str | None, date: DateVal | None) -> str:
    """The graph's slug: slug: (dated unless it is), else the date and the title's first words."""
    slug_text = src.text("slug")
    prefix = date.lexical if date else "undated"
    if slug_text:
        slug = slugify(slug_text)
        if not re.match(r"^([0-9]{4}(-[0-9]{2}){0,2}|undated)-", slug):
            slug = f"{prefix}-{slug}"
    else:
        if not words:
            sheet.fail(src.line, "source: give a title:, or a slug: to name the graph by")
        slug = f"{prefix}-{slugify(' '.join(words.split()[:6]))}".rstrip("-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        sheet.fail(src.line, f"source: slug {slug!r} is not lower-case letters, digits and hyphens")
    return slug


def _details(sheet: Sheet, src: Entry, s: str) -> None:
    """The source's url, identifier and description, when given."""
    url = src.text("url")
    if url:
        if not re.fullmatch(r"https?://\S+", url):
            sheet.fail(
                src.get("url") or src.line, f"source: url: {url!r} is not an http(s) address"
            )
        sheet.add(s, SDO + "url", ox.Literal(url, datatype=ox.NamedNode(XSD + "anyURI")))
    identifier = src.text("identifier")
    if identifier:
        sheet.text_(s, DCT + "identifier", identifier)
    description = src.text("description")
    if description:
        sheet.text_(s, DCT + "description", description)


def _graph(sheet: Sheet, top: Entry, line: int, date: DateVal | None) -> None:
    """The graph and its curation describe themselves (docs/model.md, "Named graphs")."""
    s = sheet.source_iri
    curated = top.get("curated")
    generated = _curated_time(sheet, curated, date)
    curation = top.get("curation")
    cur = Entry(sheet, curation, "curation", CURATION_KEYS) if curation is not None else None
    g, activity = sheet.graph_iri, sheet.graph_iri + "/curation"
    sheet.entity(
        g,
        line,
        [CSKG + "SourceGraph"],
        (cur.text("graph label") if cur else None) or f"Facts from {sheet.citation}",
    )
    sheet.add(g, PROV + "wasDerivedFrom", s)
    sheet.add(
        g, PROV + "generatedAtTime", ox.Literal(generated, datatype=ox.NamedNode(XSD + "dateTime"))
    )
    sheet.add(g, PROV + "wasGeneratedBy", activity)
    sheet.entity(
        activity,
        line,
        [PROV + "Activity"],
        (cur.text("label") if cur else None) or f"Curation of {sheet.citation} from a fact sheet",
    )
    sheet.add(activity, PROV + "used", s)


def _curated_time(sheet: Sheet, node: Y | None, date: DateVal | None) -> str:
    """The graph's prov:generatedAtTime: curated: as given, else the source date at midnight UTC."""
    if node is None:
        if date is None:
            return _EPOCH
        year, month, day = (date.lexical.split("-") + ["01", "01"])[:3]
        return f"{year}-{month}-{day}T00:00:00Z"
    value = node.value
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        try:
            moment = dt.datetime.fromisoformat(str(node.text).strip())
        except ValueError:
            sheet.fail(
                node,
                f"curated: {node.text!r} is not a date and time",
                "write e.g. curated: 2026-11-22T09:30:00Z",
            )
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def link_source_agents(sheet: Sheet) -> None:
    """The source's authors and publisher: entries of this sheet, existing ones, or new."""
    for name, node in sheet.authors:
        person = person_ref(sheet, name, node, "source: author", node.line)
        sheet.add(sheet.source_iri, DCT + "creator", person.iri)
    if sheet.publisher is not None:
        name, default, node = sheet.publisher
        ref = org_ref(sheet, name, default, node, "source: publisher", node.line)
        sheet.add(sheet.source_iri, DCT + "publisher", ref.iri)


def number_inferences(sheet: Sheet) -> None:
    """Number the inferred statements in the order the sheet gives them."""
    for n, (line, _col, s, p, o, note, label) in enumerate(
        sorted(sheet.inferences, key=lambda i: (i[0], i[1])), 1
    ):
        mark = f"{sheet.graph_iri}/inferred/{n}"
        sheet.entity(mark, line, [CSKG + "InferredStatement"])
        sheet.add(mark, RDF + "subject", s)
        sheet.add(mark, RDF + "predicate", p)
        sheet.add(mark, RDF + "object", o if isinstance(o, ox.Literal) else o.value)
        sheet.text_(mark, CSKG + "inferenceNote", note)
        if label:
            sheet.label(mark, label, line)
