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


def table(columns: Sequence[str], rows: Rows, max_width: int | None = None) -> str:
    """Columns padded to their widest cell; the last column is not padded.

    ``max_width`` clips long cells (with "…") so a row fits a terminal; the
    machine formats never clip.
    """
    cells = [[_clip(_cell(c), max_width) for c in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))
    lines = []
    for row in [list(columns), ["-" * w for w in widths], *cells]:
        padded = [c.ljust(widths[i]) for i, c in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines) + "\n"


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
    "table": table,
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


def select_rows(
    columns: Sequence[str],
    rows: Rows,
    names: dict[str, str] | None,
    curie: Callable[[str], str],
    max_text: int = 60,
) -> tuple[list[str], list[list[str]]]:
    """Columns and rows for a person to read.

    An IRI column with a ``<col>Label`` companion shows that label under its own
    name (the companion column goes); any other IRI shows its label beside it.
    Long text is clipped to ``max_text`` characters; an IRI never is.
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


def xlsx_bytes(result: object) -> bytes:
    """A SELECT or ASK answer as an Excel workbook (openpyxl): the columns and values of the CSV,
    a header row in bold, whole numbers as numbers."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    sheet.title = "answer"
    if getattr(result, "form", "") == "ASK":
        sheet.append(["boolean"])
        sheet.append([str(getattr(result, "boolean", "")).lower()])
    else:
        sheet.append(list(getattr(result, "columns", [])))
        for row in getattr(result, "rows", []):
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
