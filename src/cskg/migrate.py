"""Migrate graph files to part IRIs that carry their source (cskg 0.x before issue 19).

Parts that one source states about a parent other sources also describe — a
finding of an event, a membership of a partnership, a post holding, a shared
service, a delivery arrangement, a political control — used to be numbered or
keyed within the parent alone (``{event}/finding/1``), so a second source's
``finding/1`` became the same node as the first's. They now carry the slug of
the source that states them (docs/model.md):

==================  ======================================  =============================================
part                before                                  after
==================  ======================================  =============================================
finding             ``{event}/finding/{n}``                 ``{event}/finding/{slug}/{n}``
membership          ``{partnership}/member/{m}``            ``{partnership}/member/{m}/{slug}``
shared service      ``{partnership}/shares/{service}``      ``{partnership}/shares/{service}/{slug}``
post holding        ``council/{GSS}/post/{role}/{person}``  ``council/{GSS}/post/{role}/{person}/{slug}``
delivery            ``council/{GSS}/delivery/{service}``    ``council/{GSS}/delivery/{service}/{slug}``
political control   ``council/{GSS}/control/{key}``         ``council/{GSS}/control/{key}/{slug}``
==================  ======================================  =============================================

A part's ``/during`` interval and its instants follow it. The rewrite is made on the
file's text, so comments and layout are kept; it is idempotent. Run it as
``python -m cskg.migrate graphs/*.trig`` (``--check`` reports without writing).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ID = "https://w3id.org/cskg/id/"

#: One part IRI's path (below cskgid:), old form: (head, key) -> the new path is head/key/slug.
_PARTS = [
    re.compile(r"^(?P<head>event/[^/]+/[^/]+/[^/]+/finding)/(?P<key>\d+)(?P<rest>(?:/during(?:/start|/end)?)?)$"),
    re.compile(r"^(?P<head>partnership/[^/]+/(?:member|shares)/[^/]+)(?P<key>)(?P<rest>(?:/during(?:/start|/end)?)?)$"),
    re.compile(r"^(?P<head>council/[^/]+/(?:delivery|control)/[^/]+)(?P<key>)(?P<rest>(?:/during(?:/start|/end)?)?)$"),
    re.compile(r"^(?P<head>council/[^/]+/post/[^/]+/(?!during$)[^/]+)(?P<key>)(?P<rest>(?:/during(?:/start|/end)?)?)$"),
]

#: A cskgid: prefixed name (with Turtle's "\/" escapes) or a full IRI in angle brackets.
_PREFIXED = re.compile(r"cskgid:((?:[A-Za-z0-9_.-]|\\/)+?)(?=[\s;,)\]]|\.\s|\.$|$)", re.M)
_FULL = re.compile(r"<" + re.escape(ID) + r"([^>]+)>")
_GRAPH = re.compile(r"^\s*graph:([a-z0-9][a-z0-9-]*)\s*\{", re.M)


def new_path(path: str, slug: str) -> str:
    """The path of a part IRI in the new form (unchanged if it is not an old-form part)."""
    for pattern in _PARTS:
        m = pattern.match(path)
        if m is None:
            continue
        if m["key"]:
            return f"{m['head']}/{slug}/{m['key']}{m['rest']}"
        return f"{m['head']}/{slug}{m['rest']}"
    return path


def migrate_text(text: str, slug: str) -> str:
    """A TriG/Turtle text with every old-form part IRI rewritten for the source ``slug``."""
    def prefixed(m: re.Match[str]) -> str:
        path = m[1].replace("\\/", "/")
        new = new_path(path, slug)
        return m[0] if new == path else "cskgid:" + new.replace("/", "\\/")

    def full(m: re.Match[str]) -> str:
        return f"<{ID}{new_path(m[1], slug)}>"

    return _FULL.sub(full, _PREFIXED.sub(prefixed, text))


def slug_of(text: str, path: Path) -> str:
    """The source slug of a one-graph TriG file: its graph's name, else the file's name."""
    names = set(_GRAPH.findall(text))
    return names.pop() if len(names) == 1 else path.stem


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    files = [Path(a) for a in args if a != "--check"]
    if not files:
        print("usage: python -m cskg.migrate [--check] GRAPH.trig ...", file=sys.stderr)
        return 2
    changed = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        new = migrate_text(text, slug_of(text, path))
        if new != text:
            changed += 1
            print(f"{path}: {'would be ' if check else ''}migrated")
            if not check:
                tmp = path.with_suffix(path.suffix + ".migrating")
                tmp.write_text(new, encoding="utf-8")
                tmp.replace(path)
    print(f"{changed} of {len(files)} files {'to migrate' if check else 'migrated'}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
