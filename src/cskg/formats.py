"""Output formats: a plain-text table for people, JSON and friends for scripts.

Formats are a registry of small functions keyed by name; the keys feed the
``--format`` choices of the commands.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

Rows = Sequence[Sequence[object]]


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _clip(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def terminal_width() -> int | None:
    """The width a table for people is fitted to: the terminal's (``shutil.get_terminal_size``,
    which honours ``COLUMNS``); no limit when the output is not a terminal and ``COLUMNS`` is
    unset, so a pipe (``| cut``, ``| less -S``, a file) gets whole rows."""
    import os
    import shutil
    import sys

    if os.environ.get("COLUMNS", "").strip().isdigit() or sys.stdout.isatty():
        return max(shutil.get_terminal_size().columns, 20)
    return None


#: The gap between two table columns.
GAP = "  "
#: A column is squeezed no narrower than its heading, its longest word up to MAX_WORD
#: characters (so words are not broken) and MIN_COLUMN, unless all its cells are narrower.
MIN_COLUMN = 8
MAX_WORD = 24


def _wrap(text: str, width: int) -> list[str]:
    """Text wrapped at word boundaries to ``width`` (a word longer than that is broken)."""
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _widths(columns: Sequence[str], cells: list[list[str]], width: int | None) -> list[int] | None:
    """Each column's width so that a row fits ``width``, or None when the columns cannot fit.

    Columns narrower than their share keep their natural width; what room is left goes to
    the wider ones in proportion to how much more they would take.
    """
    natural = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    room = None if width is None else width - len(GAP) * (len(columns) - 1)
    if room is None or sum(natural) <= room:
        return natural
    longest = [max([len(w) for row in cells for w in row[i].split()] + [0]) for i in range(len(columns))]
    least = [min(n, max(len(c), MIN_COLUMN, min(w, MAX_WORD))) for n, c, w in zip(natural, columns, longest)]
    if sum(least) > room:
        return None
    spare, want = room - sum(least), [n - m for n, m in zip(natural, least)]
    widths = [m + spare * w // sum(want) for m, w in zip(least, want)]
    while sum(widths) < room:  # what rounding down left, a character each from the left
        for i, n in enumerate(natural):
            if widths[i] < n and sum(widths) < room:
                widths[i] += 1
    return widths


def table(columns: Sequence[str], rows: Rows, width: int | None = None, max_width: int | None = None) -> str:
    """Columns padded to their widest cell; the last column is not padded.

    With ``width`` the table fits it: long cells wrap at word boundaries within their column
    (a row that wraps has a blank line either side); when the columns cannot fit side by side
    even narrowed, each row is a record of "column: value" lines instead (:func:`records`).
    ``max_width`` clips each cell (with "…") first. The machine formats never clip or wrap.
    """
    cells = [[_clip(_cell(c), max_width) for c in row] for row in rows]
    widths = _widths(columns, cells, width)
    if widths is None:
        return records(columns, rows, width)
    blocks = []
    for row in [list(columns), ["-" * w for w in widths], *cells]:
        wrapped = [_wrap(c, widths[i]) if len(c) > widths[i] else [c] for i, c in enumerate(row)]
        lines = []
        for k in range(max(len(w) for w in wrapped)):
            parts = [w[k] if k < len(w) else "" for w in wrapped]
            padded = [p.ljust(widths[i]) for i, p in enumerate(parts[:-1])] + [parts[-1]]
            lines.append(GAP.join(padded).rstrip())
        blocks.append(lines)
    body = [line for b in blocks[:2] for line in b]
    for i, block in enumerate(blocks[2:]):
        body += ([""] if i and max(len(block), len(blocks[i + 1])) > 1 else []) + block
    return "\n".join(body) + "\n"


def records(columns: Sequence[str], rows: Rows, width: int | None = None) -> str:
    """Each row as a record, one "column: value" line per field (empty fields left out),
    values wrapped to ``width`` under their first line; records separated by a blank line."""
    label = max((len(c) for c in columns), default=0) + 2
    inline = width is None or width - label >= 20
    out: list[str] = []
    for row in rows:
        if out:
            out.append("")
        for column, value in zip(columns, row):
            text = " ".join(_cell(value).split())
            if not text:
                continue
            if inline:
                lines = [text] if width is None else _wrap(text, width - label)
                out.append(f"{column + ':':<{label}}{lines[0]}".rstrip())
                out += [" " * label + line for line in lines[1:]]
            else:
                out.append(f"{column}:")
                out += ["    " + line for line in _wrap(text, max(width - 4, 10))]  # type: ignore[operator]
    return "\n".join(out) + "\n"


def fit_lines(text: str, width: int | None) -> str:
    """Text for people (``cskg show``) with each line wider than ``width`` wrapped at word
    boundaries, its continuation lines hung under where the line's value starts: after a
    key and two spaces ("  2016-12     Tameside …"), else two in from the line's indent."""
    import re
    import textwrap

    if width is None:
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        key = re.match(r"^(\s*\S+\s{2,})\S", line)
        hang = len(key.group(1)) if key else len(line) - len(line.lstrip()) + 2
        hang = hang if hang <= width // 2 else len(line) - len(line.lstrip()) + 2
        out += textwrap.wrap(line, width, subsequent_indent=" " * hang, break_on_hyphens=False,
                             drop_whitespace=True, replace_whitespace=False) or [line]
    return "\n".join(out)


def fitted_table(columns: Sequence[str], rows: Rows) -> str:
    """A table fitted to the terminal (:func:`terminal_width`)."""
    return table(columns, rows, terminal_width())


def as_json(columns: Sequence[str], rows: Rows) -> str:
    return json.dumps([dict(zip(columns, row)) for row in rows], indent=2, ensure_ascii=False) + "\n"


def as_jsonl(columns: Sequence[str], rows: Rows) -> str:
    return "".join(json.dumps(dict(zip(columns, r)), ensure_ascii=False) + "\n" for r in rows)


def _delimited(delimiter: str) -> Callable[[Sequence[str], Rows], str]:
    def render(columns: Sequence[str], rows: Rows) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(c) for c in row] for row in rows])
        return out.getvalue()

    return render


#: Tabular formats, by name.
TABULAR: dict[str, Callable[[Sequence[str], Rows], str]] = {
    "table": fitted_table,
    "csv": _delimited(","),
    "tsv": _delimited("\t"),
    "json": as_json,
    "jsonl": as_jsonl,
}


# --- query results -----------------------------------------------------------

#: Formats for SELECT and ASK answers.
SELECT_FORMATS = ["table", "csv", "tsv", "json", "jsonl", "sparql-json", "sparql-xml", "xlsx"]
#: Formats for CONSTRUCT and DESCRIBE answers, with the pyoxigraph format each maps to.
GRAPH_FORMATS = {"turtle": "TURTLE", "trig": "TRIG", "jsonld": "JSON_LD", "ntriples": "N_TRIPLES"}


def term_value(term: object) -> str:
    """A term's plain value: an IRI's text or a literal's lexical form; '' when unbound."""
    return "" if term is None else str(getattr(term, "value", term))


def label_columns(columns: Sequence[str]) -> tuple[list[int], dict[int, int]]:
    """The columns a person reads: the indexes kept, and for each kept column with a
    ``<col>Label`` companion, the companion's index (shown in its place, not beside it)."""
    index = {c: i for i, c in enumerate(columns)}
    companion = {i: index[f"{c}Label"] for i, c in enumerate(columns) if f"{c}Label" in index}
    hidden = set(companion.values())
    return [i for i in range(len(columns)) if i not in hidden], companion


def labels_only(columns: Sequence[str], rows: Rows, iris: bool = False) -> tuple[list[str], list[list[object]]]:
    """The columns and rows of CSV, TSV and xlsx for people: an IRI column ``x`` with a
    companion ``xLabel`` is left out (``iris`` keeps it), and where ``xLabel`` is unbound it
    holds ``x``'s value, as the table shows. Both ``cskg query`` and ``cskg serve`` use it, so
    their CSV is the same."""
    if iris:
        return list(columns), [list(row) for row in rows]
    index = {c: i for i, c in enumerate(columns)}
    dropped = {index[c]: index[f"{c}Label"] for c in columns if f"{c}Label" in index}
    keep = [i for i in range(len(columns)) if i not in dropped]
    fallback = {label: iri for iri, label in dropped.items()}
    shown = [[row[i] if row[i] is not None or i not in fallback else row[fallback[i]] for i in keep]
             for row in rows]
    return [columns[i] for i in keep], shown


def select_rows(
    columns: Sequence[str],
    rows: Rows,
    names: dict[str, str] | None,
    curie: Callable[[str], str],
    max_text: int | None = None,
) -> tuple[list[str], list[list[str]]]:
    """Columns and rows for a person to read.

    An IRI column with a ``<col>Label`` companion shows that label under its own
    name (the companion column goes); any other IRI shows its label beside it.
    With ``max_text``, long text is clipped to that many characters; an IRI never is.
    """
    keep, companion = label_columns(columns)
    shown = []
    for row in rows:
        out = []
        for i in keep:
            term = row[i]
            if i in companion and row[companion[i]] is not None:
                out.append(_clip(term_value(row[companion[i]]), max_text))
                continue
            text = term_value(term)
            if term is not None and type(term).__name__ == "NamedNode":
                label = (names or {}).get(text)
                text = f"{_clip(label, max_text)} <{curie(text)}>" if label else curie(text)
            else:
                text = _clip(text, max_text)
            out.append(text)
        shown.append(out)
    return [columns[i] for i in keep], shown


def graph_bytes(triples: Sequence[object], name: str, prefixes: dict[str, str]) -> bytes:
    """CONSTRUCT/DESCRIBE triples serialised by Oxigraph in the named format."""
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, GRAPH_FORMATS[name])
    used = {t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object)}  # type: ignore[attr-defined]
    wanted = {p: ns for p, ns in prefixes.items() if any(u.startswith(ns) for u in used)}
    kwargs = {"prefixes": wanted} if name in ("turtle", "trig") else {}
    return bytes(ox.serialize(triples, format=fmt, **kwargs))


_INTEGERS = {"http://www.w3.org/2001/XMLSchema#" + t for t in (
    "integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


def xlsx_bytes(result: object, iris: bool = False) -> bytes:
    """A SELECT or ASK answer as an Excel workbook (openpyxl): the columns and values of the CSV
    (:func:`labels_only`, unless ``iris``), a header row in bold, whole numbers as numbers."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    sheet.title = "answer"
    if getattr(result, "form", "") == "ASK":
        sheet.append(["boolean"])
        sheet.append([str(getattr(result, "boolean", "")).lower()])
    else:
        columns, rows = labels_only(getattr(result, "columns", []), getattr(result, "rows", []), iris)
        sheet.append(columns)
        for row in rows:
            cells: list[object] = []
            for term in row:
                text = term_value(term)
                datatype = getattr(getattr(term, "datatype", None), "value", "")
                cells.append(int(text) if datatype in _INTEGERS and text.lstrip("-").isdigit() else text)
            sheet.append(cells)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
