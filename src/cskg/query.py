"""Named, parameterised SPARQL queries: the catalogue in ``queries/`` and how to run one.

A named query is a ``queries/<name>.rq`` file whose comment header declares it::

    # title: Councils sharing an arrangement with a council
    # description: Every partnership the council is in, with its other members.
    # param: council (council) -- a council's name, alias or GSS code
    # param: since (date, optional) -- only arrangements active on or after this date
    # display: other partnership sharedFrom sharedTo

``# display:`` names the columns a table shows by default (``cskg query --full`` shows
all, ``--columns`` others); a column ``x`` with a companion ``xLabel`` shows the label.

Parameter types: ``council``, ``entity`` (any named entity), ``concept:<scheme>``
(a SKOS concept by label, e.g. ``concept:theme``), ``date`` (a day, month or year),
``string``, ``integer``, ``iri``. A parameter is optional when its type says
``optional`` or it has ``default=<value>``.

Values are resolved to RDF terms and bound with a ``VALUES`` block built from
those terms at the top of the query's first WHERE group, so FILTERs see them; user
text is never pasted into query text.

Where that block lands matters to the engine, not to the answer. Oxigraph does not
push a binding into a subquery, so a query that aggregates an ordered inner query
(to list values in a fixed order with GROUP_CONCAT) writes its outer group without
the ``WHERE`` keyword and its inner query as ``SELECT * WHERE {...}``: the
parameters are then bound inside the inner query, which projects them, and narrow
its search. ``queries/council-history.rq`` is the example.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cskg.errors import InputError
from cskg.labels import normalise, resolve
from cskg.prefixes import PREFIXES
from cskg.store import GraphStore

XSD = "http://www.w3.org/2001/XMLSchema#"
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*(?:--|—|:)?\s*(?P<doc>.*)$"
)


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    description: str
    optional: bool = False
    default: str | None = None


@dataclass
class NamedQuery:
    """One query of the catalogue: its text and what its header declares."""

    name: str
    path: Path | None
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    #: The columns a table shows by default (``# display:``); empty for all of them.
    display: list[str] = field(default_factory=list)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE."""
        body = _strip_comments_and_strings(self.text)
        body = re.sub(r"(?is)\b(PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", " ", body)
        match = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body)
        return match.group(1).upper() if match else "SELECT"


def parse_header(name: str, text: str, path: Path | None = None) -> NamedQuery:
    """Read the ``# title:`` / ``# description:`` / ``# param:`` / ``# display:`` header of a query."""
    query = NamedQuery(name=name, path=path, text=text)
    where = str(path) if path else name
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        key, _, value = stripped.lstrip("#").strip().partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "title":
            query.title = value
        elif key == "description":
            query.description = (query.description + " " + value).strip()
        elif key == "param":
            query.params.append(_parse_param(value, f"{where}:{number}"))
        elif key == "display":
            query.display += [c.lstrip("?") for c in re.split(r"[\s,]+", value) if c]
    return query


def _parse_param(text: str, where: str) -> Param:
    match = _PARAM.match(text)
    if not match:
        raise InputError(
            f"{where}: cannot read the parameter declaration {text!r}",
            "write: # param: NAME (TYPE[, optional][, default=VALUE]) -- DESCRIPTION",
        )
    parts = [p.strip() for p in match.group("spec").split(",") if p.strip()]
    kind = parts[0] if parts else "string"
    optional = "optional" in parts[1:]
    default = next((p.split("=", 1)[1].strip() for p in parts[1:] if p.startswith("default=")), None)
    if not (kind in _SIMPLE_TYPES or kind.startswith("concept:")):
        raise InputError(f"{where}: unknown parameter type {kind!r}", "types: " + ", ".join(_TYPES_DOC))
    return Param(match.group("name"), kind, match.group("doc").strip(), optional or default is not None, default)


class Catalogue:
    """The named queries of a project (``queries/*.rq``, not the checks)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.rq"))

    def all(self) -> list[NamedQuery]:
        return [self.get(name) for name in self.names()]

    def get(self, name: str) -> NamedQuery:
        path = self.folder / f"{name}.rq"
        if not path.is_file():
            close = difflib.get_close_matches(name, self.names(), n=5, cutoff=0.5)
            close += [n for n in self.names() if name in n and n not in close]
            hint = ("did you mean: " + ", ".join(close[:5])) if close else (
                "the named queries: " + ", ".join(self.names()))
            raise InputError(f"no named query {name!r}", hint)
        return parse_header(name, path.read_text(encoding="utf-8"), path)


# --- binding parameters ------------------------------------------------------

_SIMPLE_TYPES = {"council", "entity", "date", "string", "integer", "iri"}
_TYPES_DOC = ["council", "entity", "concept:<scheme>", "date", "string", "integer", "iri"]
_DATE_FORMS = [
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "date"),
    (re.compile(r"^\d{4}-\d{2}$"), "gYearMonth"),
    (re.compile(r"^\d{4}$"), "gYear"),
]


def bind(store: GraphStore, query: NamedQuery, given: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Resolve the given parameter values (and defaults) to RDF terms, checking each."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown and query.params:
        raise InputError(
            f"{query.name} has no parameter {unknown[0]!r}",
            "its parameters: " + ", ".join(f"{p.name} ({p.type})" for p in query.params),
        )
    terms: dict[str, ox.NamedNode | ox.Literal] = {}
    for name in unknown:  # ad hoc query: bind as given, literal or IRI
        terms[name] = _adhoc_term(given[name])
    for param in query.params:
        raw = given.get(param.name, param.default)
        if raw is None:
            if not param.optional:
                raise InputError(
                    f"{query.name} needs --param {param.name}=… ({param.type}): {param.description}"
                )
            continue
        terms[param.name] = to_term(store, param, raw)
    return terms


def _adhoc_term(raw: str) -> ox.NamedNode | ox.Literal:
    from cskg.labels import expand

    iri = expand(raw)
    return ox.NamedNode(iri) if iri else ox.Literal(raw)


def to_term(store: GraphStore, param: Param, raw: str) -> ox.NamedNode | ox.Literal:
    """One parameter value as an RDF term, or an error naming the parameter."""
    kind = param.type
    problem = f"--param {param.name}={raw!r}"
    if kind == "date":
        for pattern, datatype in _DATE_FORMS:
            if pattern.match(raw):
                literal = ox.Literal(raw, datatype=ox.NamedNode(XSD + datatype))
                return literal
        raise InputError(
            f"{problem} is not a date ({param.description})",
            "write a day 2018-04-10, a month 2018-04 or a year 2018",
        )
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", raw):
            raise InputError(f"{problem} is not a whole number ({param.description})")
        return ox.Literal(raw, datatype=ox.NamedNode(XSD + "integer"))
    if kind == "string":
        return ox.Literal(raw)
    if kind == "iri":
        from cskg.labels import expand

        iri = expand(raw)
        if not iri:
            raise InputError(f"{problem} is not an IRI ({param.description})")
        return ox.NamedNode(iri)
    if kind.startswith("concept:"):
        return ox.NamedNode(resolve_concept(store, kind.split(":", 1)[1], raw, problem))
    iri = resolve(store, raw)
    if kind == "council":
        council = PREFIXES["cskg"] + "Council"
        if not store.ox.query(f"ASK {{ <{iri}> a <{council}> }}", use_default_graph_as_union=True):
            raise InputError(f"{problem} is not a council ({param.description})")
    return ox.NamedNode(iri)


def resolve_concept(store: GraphStore, scheme: str, raw: str, problem: str) -> str:
    """A concept of one SKOS scheme by its slug, label or alternative label."""
    scheme_iri = PREFIXES["vocab"] + scheme
    rows = store.query(
        "SELECT ?c ?l ?scheme WHERE { ?c skos:inScheme ?scheme ; skos:prefLabel|skos:altLabel ?l }",
        substitutions={ox.Variable("scheme"): ox.NamedNode(scheme_iri)},
    )
    options: dict[str, str] = {}
    for row in rows:
        iri = row["c"].value
        options[normalise(row["l"].value)] = iri
        options[normalise(iri.rsplit("/", 1)[-1])] = iri
    wanted = normalise(raw)
    if wanted in options:
        return options[wanted]
    if not options:
        raise InputError(f"{problem}: there is no concept scheme {scheme!r}")
    close = difflib.get_close_matches(wanted, list(options), n=5, cutoff=0.5)
    raise InputError(
        f"{problem} is not a {scheme}",
        "did you mean: " + ", ".join(close) if close else "one of: " + ", ".join(sorted(options)),
    )


_COUNT_ALL = re.compile(r"(?<![\w:?$])COUNT\s*\((?!\s*DISTINCT(?![\w:-]))", re.IGNORECASE)
_GRAPH = re.compile(r"(?<![\w:?$])GRAPH(?![\w:-])", re.IGNORECASE)

#: what ``cskg query`` says of a query of the user's own that counts without DISTINCT
COUNT_NOTE = ("note: the default graph holds a fact once for each source that states it, so "
              "COUNT(?x) counts a thing as often as sources name it; COUNT(DISTINCT ?x) counts it "
              "once (`cskg schema` gives both counts of every class and property)")


def counts_per_source(text: str) -> bool:
    """Whether the query counts without DISTINCT over the union of the sources' graphs (no
    GRAPH pattern): the count is then of statements, one per source, not of things."""
    blank = _strip_comments_and_strings(text)
    return bool(_COUNT_ALL.search(blank)) and not _GRAPH.search(blank)


def _strip_comments_and_strings(text: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length)."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + len(quote))
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            j = i + re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]).end()  # type: ignore[union-attr]
        else:
            i += 1
            continue
        for k in range(i, j):
            if out[k] != "\n":
                out[k] = " "
        i = j
    return "".join(out)


def where_position(text: str) -> int:
    """Index just after the ``{`` that opens the query's WHERE group."""
    body = _strip_comments_and_strings(text)
    match = re.search(r"(?i)\bWHERE\s*\{", body)
    if match:
        return match.end()
    brace = body.find("{")
    if brace < 0:
        raise InputError("the query has no WHERE group to bind parameters in")
    return brace + 1


def with_values(text: str, terms: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with ``VALUES (?a ?b) { (term term) }`` at the top of its WHERE group."""
    if not terms:
        return text
    names = sorted(terms)
    block = " VALUES ({}) {{ ({}) }} ".format(
        " ".join(f"?{n}" for n in names), " ".join(str(terms[n]) for n in names)
    )
    at = where_position(text)
    return text[:at] + block + text[at:]


_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def check_syntax(text: str, where: str) -> None:
    """Parse the query; a syntax error names line, column and shows the offending text."""
    try:
        ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as error:
        raise query_syntax_error(text, where, str(error)) from None


def query_syntax_error(text: str, where: str, message: str) -> InputError:
    match = _ERROR_AT.search(message)
    if not match:
        return InputError(f"{where}: {message}")
    line, column, what = int(match.group(1)), int(match.group(2)), match.group(3).strip()
    lines = text.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    caret = " " * max(column - 1, 0) + "^"
    return InputError(f"{where}:{line}:{column}: {what}\n  {shown}\n  {caret}")


@dataclass
class Result:
    """A query's answer: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    form: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[ox.NamedNode | ox.BlankNode | ox.Literal | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    serialized: bytes | None = None

    @property
    def empty(self) -> bool:
        return not self.rows and not self.triples and self.boolean is None


_RESULTS_FORMATS = {"sparql-json": ox.QueryResultsFormat.JSON, "sparql-xml": ox.QueryResultsFormat.XML}


def run(
    store: GraphStore,
    query: NamedQuery,
    params: dict[str, str] | None = None,
    results_format: str | None = None,
) -> Result:
    """Bind the parameters and run the query on the store.

    With ``results_format`` (``sparql-json`` or ``sparql-xml``) a SELECT or ASK
    answer comes back already serialised by Oxigraph in ``Result.serialized``.
    """
    where = str(store.project.rel(query.path)) if query.path else query.name
    check_syntax(query.text, where)
    terms = bind(store, query, params or {})
    text = with_values(query.text, terms)
    try:
        answer = store.query(text)
    except SyntaxError as error:
        raise query_syntax_error(text, where, str(error)) from None
    except (OSError, RuntimeError, ValueError) as error:
        raise InputError(f"{where}: the query failed: {error}") from None
    form = query.form
    if results_format in _RESULTS_FORMATS and form in ("SELECT", "ASK"):
        return Result(form, serialized=bytes(answer.serialize(format=_RESULTS_FORMATS[results_format])))
    if isinstance(answer, (bool, ox.QueryBoolean)):
        return Result("ASK", boolean=bool(answer))
    if form in ("CONSTRUCT", "DESCRIBE"):
        return Result(form, triples=list(answer))
    columns = [v.value for v in answer.variables]
    rows = [[solution[c] for c in columns] for solution in answer]
    return Result("SELECT", columns=columns, rows=rows)


def run_named(
    store: GraphStore, name: str, params: dict[str, str] | None = None, results_format: str | None = None
) -> Result:
    """Run ``queries/<name>.rq`` with its parameters bound as RDF terms."""
    return run(store, Catalogue(store.project.queries_dir).get(name), params, results_format)
