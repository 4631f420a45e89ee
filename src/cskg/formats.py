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


def table(columns: Sequence[str], rows: Rows) -> str:
    """Columns padded to their widest cell; the last column is not padded."""
    cells = [[_cell(c) for c in row] for row in rows]
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
