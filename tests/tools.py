"""Helpers for tests that need a program from the system's packages (Chromium, Graphviz)."""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from dataclasses import dataclass

import pytest


def require_executable(name: str, package: str) -> str:
    """The path of the program ``name``; skips the test when it is not installed, naming the
    Debian package that has it, except under CI (``CI=true``), where a missing program fails."""
    path = shutil.which(name)
    if path is not None:
        return path
    message = (f"the program {name!r} is not installed: install the Debian package {package!r} "
               f"(apt-get install {package}; .ci/run does this)")
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class Png:
    """A PNG read with the standard library: its header, and its rows still filtered."""

    width: int
    height: int
    bit_depth: int
    colour_type: int
    rows: list[bytes]  # each row: its filter-type byte, then the filtered pixel bytes

    @property
    def inked_rows(self) -> int:
        """Rows with something drawn on them: a blank row filters to one repeated byte (after
        the first pixel), a drawn one to many different bytes."""
        return sum(len(set(row[9:])) > 4 for row in self.rows)


#: bytes per pixel of 8-bit PNGs by colour type: grey, RGB, palette, grey+alpha, RGBA
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def read_png(data: bytes) -> Png:
    """Check a PNG's signature, chunk CRCs and IHDR, and decompress its image data; fails the
    test on anything malformed (8-bit, non-interlaced images only: what Chromium and Graphviz
    write)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    chunks: list[tuple[bytes, bytes]] = []
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in the {kind!r} chunk"
        chunks.append((kind, body))
        at += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and interlace == 0 and colour in _CHANNELS, (depth, colour, interlace)
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + width * _CHANNELS[colour]
    assert len(raw) == height * stride, "the image data does not fill width x height"
    rows = [raw[i:i + stride] for i in range(0, len(raw), stride)]
    return Png(width, height, depth, colour, rows)
