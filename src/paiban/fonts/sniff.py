"""What a font file is, from its first bytes: its container and each face's table tags.

Deciding whether ReportLab can read a face as it is, or it must be converted, and reporting a
file that is no font at all, need only the header and the table directories: a few hundred
bytes, read without parsing the font.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


@dataclass(frozen=True)
class FontFile:
    """What the first bytes of a font file say: its container and each face's tables."""

    kind: str  # "sfnt" (TTF/OTF), "collection" (TTC/OTC), "woff", "woff2"
    tables: tuple[frozenset[str], ...]  # per face; empty for WOFF until fontTools opens it

    @property
    def faces(self) -> int:
        return len(self.tables)


def sniff(path: Path) -> FontFile:
    """Read the container header and table directories (a few hundred bytes, no parsing).

    Raises ValueError when the file is not a font.
    """
    with open(path, "rb") as f:
        head = f.read(12)
        tag = head[:4]
        if tag == b"ttcf" and len(head) == 12:
            (n,) = struct.unpack(">I", head[8:12])
            if not 0 < n <= 1024:
                raise ValueError(f"a font collection with {n} faces")
            offsets = struct.unpack(f">{n}I", _read(f, 4 * n))
            return FontFile("collection", tuple(_table_tags(f, off) for off in offsets))
        if tag in (b"\0\1\0\0", b"true", b"OTTO"):
            return FontFile("sfnt", (_table_tags(f, 0),))
        if tag == b"wOFF":
            return FontFile("woff", (frozenset(),))
        if tag == b"wOF2":
            return FontFile("woff2", (frozenset(),))
    what = {b"%PDF": "a PDF", b"\x89PNG": "a PNG image", b"PK\x03\x04": "a ZIP archive"}.get(tag)
    raise ValueError(f"not a font file ({what or 'unknown format'}); "
                     "expected TrueType or OpenType: .ttf, .otf, .ttc, .otc")


def _read(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise ValueError("the file is truncated")
    return data


def _table_tags(f: BinaryIO, offset: int) -> frozenset[str]:
    f.seek(offset + 4)
    (num,) = struct.unpack(">H", _read(f, 2))
    if num > 512:
        raise ValueError(f"a font face with {num} tables")
    f.seek(offset + 12)
    raw = _read(f, 16 * num)
    return frozenset(raw[i:i + 4].decode("latin-1") for i in range(0, len(raw), 16))


def outline_format(tables: frozenset[str]) -> str:
    """The outlines a face's tables hold: TrueType (glyf), CFF, CFF2, or none (bitmaps only)."""
    if "glyf" in tables:
        return "TrueType"
    if "CFF " in tables:
        return "CFF"
    if "CFF2" in tables:
        return "CFF2"
    return "none"
