"""One entry of a fact sheet: a mapping whose keys are checked, read through typed getters.

``Entry`` refuses keys it does not allow (suggesting the close one) and reads its
values as text, dates, vocabulary concepts, booleans, whole numbers, nested
entries and ``labels:``; every mistake names the sheet's line and the field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cskg.factsheet.dates import DateVal
from cskg.factsheet.yamltree import Y, describe

if TYPE_CHECKING:
    from cskg.factsheet.sheet import Sheet


class Entry:
    """One mapping of the sheet, with its allowed keys checked and typed getters."""

    def __init__(self, sheet: Sheet, node: Y, where: str, allowed: Sequence[str]) -> None:
        if not node.is_map:
            sheet.fail(node, f"{where}: expected 'key: value' lines here, found {describe(node)}")
        self.sheet = sheet
        self.node = node
        self.where = where
        for key, (raw, key_line) in node.keys.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
                guess = f"; did you mean {close[0]!r}?" if close else ""
                sheet.fail(
                    key_line,
                    f"{where}: unknown key {raw!r}{guess}",
                    "allowed keys here: " + ", ".join(allowed),
                )

    @property
    def line(self) -> int:
        return self.node.line

    def get(self, key: str) -> Y | None:
        value = self.node.value.get(key)
        return None if value is None or value.is_null else value

    def key_line(self, key: str) -> int:
        return self.node.keys.get(key, ("", self.line))[1]

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.get(key)
        if value is None:
            if required:
                self.sheet.fail(self.line, f"{self.where}: {key!r} is missing")
            return None
        return self.sheet.scalar_text(value, f"{self.where}: {key}")

    def texts(self, *keys: str) -> list[tuple[str, Y]]:
        """Every text under any of ``keys``, each a single text or a list of texts."""
        found: list[tuple[str, Y]] = []
        for key in keys:
            value = self.get(key)
            if value is None:
                continue
            items = value.value if value.is_list else [value]
            for item in items:
                if item.is_null:
                    continue
                found.append((self.sheet.scalar_text(item, f"{self.where}: {key}"), item))
        return found

    def date(self, key: str) -> DateVal | None:
        value = self.get(key)
        return None if value is None else self.sheet.date(value, f"{self.where}: {key}")

    def vocab(self, key: str, scheme: str) -> str | None:
        value = self.get(key)
        if value is None:
            return None
        return self.sheet.concept(value, scheme, f"{self.where}: {key}")

    def vocabs(self, scheme: str, *keys: str) -> list[str]:
        found: list[str] = []
        for text, node in self.texts(*keys):
            concept = self.sheet.concept(node, scheme, f"{self.where}: {keys[-1]}", text)
            if concept not in found:
                found.append(concept)
        return found

    def boolean(self, key: str) -> bool | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value.value, bool):
            return value.value
        self.sheet.fail(value, f"{self.where}: {key}: write true or false, not {value.text!r}")

    def positive(self, key: str) -> int | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value.value, int) and not isinstance(value.value, bool) and value.value > 0:
            return int(value.value)
        if isinstance(value.value, str) and re.fullmatch(r"[1-9][0-9]*", value.value.strip()):
            return int(value.value)
        self.sheet.fail(
            value, f"{self.where}: {key}: write a whole number from 1, not {value.text!r}"
        )

    def entries(self, key: str, where: str, allowed: Sequence[str]) -> list[Entry]:
        value = self.get(key)
        if value is None:
            return []
        if not value.is_list:
            self.sheet.fail(
                value, f"{self.where}: {key}: expected a list of entries, each starting '- '"
            )
        return [
            Entry(self.sheet, item, f"{where} {n}", allowed)
            for n, item in enumerate(value.value, 1)
        ]

    def labels(self, allowed: Sequence[str]) -> dict[str, str]:
        value = self.get("labels")
        if value is None:
            return {}
        sub = Entry(self.sheet, value, f"{self.where}: labels", allowed)
        return {k: sub.text(k) or "" for k in allowed if sub.has(k)}
