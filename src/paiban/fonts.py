"""Font faces as the text engine, the charts and the PDF writer need them.

One `Face` per font face, registered once with ReportLab so the PDF embeds a subset of it. The
text engine asks a face three things per character: does it have a glyph (`has`), how wide is
it (`advance`), and where is its ink (`ink`, for punctuation compression). Widths come from
ReportLab's own parse of the font, so what we measure is what ReportLab draws.

Editors bring any font file, but ReportLab reads only single static TrueType-outline faces. So
a face that is anything else — CFF or CFF2 outlines (Noto CJK, Source Han as OTF/OTC), a face
inside a TTC/OTC collection, a variable font, a WOFF — is *derived*: the characters the
document uses are drawn out of it through fontTools (cubic outlines turned quadratic with cu2qu,
a variable font read at its weight instance) into a small standalone TrueType file. That costs
about 1.5 s for a big CJK font, so derived files are cached beside the spec, keyed by the
source file's hash and the character set, and reused whenever a cached file already holds every
character asked for. A plain static TTF takes the fast path: ReportLab reads it directly.

A derived face holds only the characters asked for (plus `BASE_CHARS`), so `has()` answers for
the derived file: a character outside the set goes to the next face of the fallback chain.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import paiban.lazy_pil  # noqa: F401 - before ReportLab is first imported: see paiban.lazy_pil

# isort: split
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from paiban.cjk.face import face_for
from paiban.errors import InputError, Location
from paiban.pdf import metrics as fontmetrics
from paiban.pdf.embed import PackedTTFont, ProgramCache
from paiban.store import file_digest, save_cache, write_atomically

WEIGHTS = ("regular", "bold")

# Bump when the derived-font pipeline changes what it writes: old cache files are then ignored.
DERIVE_VERSION = "1"

# Characters every derived face keeps besides the document's, so that text the layout adds
# (page numbers, 图1, brackets, dashes) never falls out of a subset.
BASE_CHARS = "".join(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0x3000, 0x3040)]
    + [chr(c) for c in range(0xFF01, 0xFF5F)]
) + "“”‘’—–…·•‰※×÷±°℃□■○●△▲◆★☆"

# Stroke emboldening (Face.fake_bold): the outline is stroked as well as filled (PDF text render
# mode 2) with a line this fraction of the font size.
FAKE_BOLD_STROKE = 1 / 30

# A character no face has: drawn as a box `PLACEHOLDER_ADVANCE` em wide, in this colour.
PLACEHOLDER_ADVANCE = 1.0
PLACEHOLDER_COLOR = "#d0021b"

_MAX_CACHED_PER_FACE = 4  # derived files kept per (font, face, instance); older ones are pruned


# ---------------------------------------------------------------- what a font file is


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


def _read(f: Any, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise ValueError("the file is truncated")
    return data


def _table_tags(f: Any, offset: int) -> frozenset[str]:
    f.seek(offset + 4)
    (num,) = struct.unpack(">H", _read(f, 2))
    if num > 512:
        raise ValueError(f"a font face with {num} tables")
    f.seek(offset + 12)
    raw = _read(f, 16 * num)
    return frozenset(raw[i:i + 4].decode("latin-1") for i in range(0, len(raw), 16))


def outline_format(tables: frozenset[str]) -> str:
    if "glyf" in tables:
        return "TrueType"
    if "CFF " in tables:
        return "CFF"
    if "CFF2" in tables:
        return "CFF2"
    return "none"


# ---------------------------------------------------------------- the face


@dataclass(eq=False)
class Face:
    """One font face: a TrueType-outline file registered with ReportLab under `rl_name`.

    `path`/`index` is the file ReportLab reads (for a derived face: the cached TrueType file,
    index 0); `source`/`source_index` is the file the editor named. matplotlib and svglib should
    load `path` (a standalone TrueType file) and know the face by `family_name`.
    """

    path: Path
    rl_name: str
    family: str = ""  # the spec's family key (song, hei, kai), "" when loaded directly
    weight: str = "regular"
    index: int = 0
    _tt: TTFont = field(repr=False, default=None)  # type: ignore[assignment]
    _ink: dict[str, tuple[float, float] | None] = field(default_factory=dict, repr=False)
    source: Path | None = None  # the editor's file; None: same as path
    source_index: int = 0
    outlines: str = "TrueType"  # of the source: TrueType, CFF or CFF2
    instance: float | None = None  # wght of a variable font's instance
    glyph_count: int = 0  # glyphs in the source face
    lookup: str | None = None  # the family name this file was found by, None when given as a path
    fake_bold: bool = False  # draw with fill + stroke: a bold stand-in for a family without one

    def __post_init__(self) -> None:
        if self.source is None:
            self.source = self.path
            self.source_index = self.index
        if not self.glyph_count and self._tt is not None:
            self.glyph_count = int(getattr(self._tt.face, "numGlyphs", 0))

    @property
    def derived(self) -> bool:
        """Whether `path` is a converted copy (cached) rather than the editor's file itself."""
        return self.path != self.source

    @cached_property
    def _widths(self) -> dict[int, int]:
        return self._tt.face.charWidths

    @cached_property
    def _default_width(self) -> float:
        return float(self._tt.face.defaultWidth)

    @property
    def ascent(self) -> float:
        return self._tt.face.ascent / 1000.0

    @property
    def descent(self) -> float:
        return self._tt.face.descent / 1000.0

    @property
    def family_name(self) -> str:
        """The font's own family name (name table), which matplotlib knows it by."""
        return self._names[0]

    @property
    def full_name(self) -> str:
        return self._names[1]

    @cached_property
    def _names(self) -> tuple[str, str]:
        from fontTools.ttLib import TTFont as FTFont

        with FTFont(str(self.path), fontNumber=self.index, lazy=True) as ft:
            name = ft["name"]
            fam = name.getBestFamilyName() or self.path.stem
            full = name.getBestFullName() or fam
        return fam, full

    @property
    def chars(self) -> frozenset[int]:
        """Code points this face can draw (of the derived file, for a derived face)."""
        return frozenset(self._widths)

    def has(self, ch: str) -> bool:
        return ord(ch) in self._widths

    def advance(self, ch: str) -> float:
        """Advance width of `ch` in em (1.0 = the font size)."""
        w = self._widths.get(ord(ch))
        return (w if w is not None else self._default_width) / 1000.0

    def stroke_width(self, size: float) -> float:
        """Line width in points to stroke glyphs with (text render mode 2); 0 unless `fake_bold`.

        Drawing code for a fake-bold face: set the stroke colour to the fill colour, the line
        width to this, and text render mode 2 (fill, then stroke) around the face's glyphs.
        """
        return size * FAKE_BOLD_STROKE if self.fake_bold else 0.0

    def emboldened(self) -> Face:
        """This face marked for stroke emboldening (same file and ReportLab font)."""
        return dataclasses.replace(self, weight="bold", fake_bold=True, _ink=self._ink)

    def ink(self, ch: str) -> tuple[float, float] | None:
        """Horizontal extent (x-min, x-max) of the glyph's outline in em; None when it has no ink.

        Needed to compress punctuation correctly: fonts put the ink of ，。“” in different
        halves of the em box, and some (LXGW WenKai's quotes) are not full-width at all.
        """
        if ch not in self._ink:
            self._ink[ch] = self._read_ink(ch)
        return self._ink[ch]

    def _glyf_ink(self, ch: str) -> tuple[float, float] | None | bool:
        """The ink from the glyph's own header (xMin, xMax) in the bytes ReportLab already holds.

        Opening the font again with fontTools to ask would parse its whole cmap: about 0.3 s per
        big CJK face, in every build. False when ReportLab's parse does not have what it takes.
        """
        rl = getattr(self._tt, "face", None)
        data = getattr(rl, "_ttf_data", None)
        table = getattr(rl, "table", {}).get("glyf")
        gid = getattr(rl, "charToGlyph", {}).get(ord(ch))
        pos = getattr(rl, "glyphPos", None)
        if data is None or table is None or pos is None:
            return False
        if gid is None:
            return None  # not in the face's cmap: no glyph, no ink
        if gid + 1 >= len(pos):
            return False
        start, end = pos[gid], pos[gid + 1]
        if end - start < 10:
            return None  # no outline (a space)
        contours, x_min, _, x_max, _ = struct.unpack_from(">hhhhh", data, table["offset"] + start)
        if contours == 0:
            return None
        upem = float(rl.unitsPerEm)
        return x_min / upem, x_max / upem

    @cached_property
    def _ft(self):
        from fontTools.ttLib import TTFont as FTFont

        return FTFont(str(self.path), fontNumber=self.index, lazy=True)

    def _read_ink(self, ch: str) -> tuple[float, float] | None:
        quick = self._glyf_ink(ch)
        if quick is not False:
            return quick
        ft = self._ft
        gname = ft.getBestCmap().get(ord(ch))
        if gname is None:
            return None
        upem = ft["head"].unitsPerEm
        if "glyf" in ft:
            g = ft["glyf"][gname]
            if g.numberOfContours == 0:
                return None
            g.recalcBounds(ft["glyf"])
            if not hasattr(g, "xMin"):
                return None
            return g.xMin / upem, g.xMax / upem
        glyphs = ft.getGlyphSet()
        from fontTools.pens.boundsPen import BoundsPen

        pen = BoundsPen(glyphs)
        glyphs[gname].draw(pen)
        if pen.bounds is None:
            return None
        return pen.bounds[0] / upem, pen.bounds[2] / upem


def placeholder_text(ch: str) -> str:
    """The text stand-in for a character no font has, for text-only paths: [U+9F98]."""
    return f"[U+{ord(ch):04X}]"


def draw_placeholder(canvas: Any, ch: str, x: float, baseline: float, size: float, face: Face,
                     color: str = PLACEHOLDER_COLOR) -> float:
    """Draw the visible stand-in for `ch` (a character no face has): a box with its code point.

    For the text engine under `fonts.missing: warn`; the box is `PLACEHOLDER_ADVANCE` em wide
    and sits on the baseline like a Han character. Returns the advance in points.
    """
    from reportlab.lib.colors import HexColor

    advance = size * PLACEHOLDER_ADVANCE
    pad = size * 0.08
    top = baseline + size * face.ascent * 0.92 if face.ascent > 0 else baseline + size * 0.8
    bottom = baseline + size * min(face.descent, 0.0) * 0.8
    canvas.saveState()
    canvas.setStrokeColor(HexColor(color))
    canvas.setFillColor(HexColor(color))
    canvas.setLineWidth(max(size / 24, 0.3))
    canvas.rect(x + pad, bottom, advance - 2 * pad, top - bottom, stroke=1, fill=0)
    code = f"{ord(ch):04X}"
    rows = [code[: len(code) // 2], code[len(code) // 2:]]
    if all(face.has(c) for c in code):
        fs = min((top - bottom) / 2.6, (advance - 3 * pad) / max(1e-6, max(
            sum(face.advance(c) for c in r) for r in rows)))
        canvas.setFont(face.rl_name, fs)
        mid = x + advance / 2
        centre = (top + bottom) / 2
        canvas.drawCentredString(mid, centre + fs * 0.15, rows[0])
        canvas.drawCentredString(mid, centre - fs * 0.85, rows[1])
    canvas.restoreState()
    return advance


# ---------------------------------------------------------------- loading


@dataclass(frozen=True)
class FaceSource:
    """Where a face comes from, as the spec gives it (paths already resolved)."""

    path: Path
    index: int = 0
    name: str | None = None  # the face's name inside a collection (or checked in a single file)
    instance: float | None = None  # wght instance of a variable font
    lookup: str | None = None  # family name the file was found by (not written as a path)
    fake_bold: bool = False  # the family's regular face standing in for bold, stroked
    where: Location | None = None


_registered: dict[tuple, Face] = {}


def _rl_name_for(path: Path, index: int, suffix: str = "") -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-") or "font"
    name = f"pb-{stem}" + (f"-{index}" if index else "") + suffix
    taken = {f.rl_name for f in _registered.values()}
    base, n = name, 1
    while name in taken or name in pdfmetrics._fonts:
        n += 1
        name = f"{base}-{n}"
    return name


def load_face(path: str | Path, index: int = 0, *, family: str = "", weight: str = "regular",
              where: Location | None = None, name: str | None = None, instance: float | None = None,
              chars: Iterable[str] | None = None, cache_dir: Path | None = None,
              lookup: str | None = None) -> Face:
    """Load a font face and register it with ReportLab (once per file, face, instance, characters).

    Any TrueType/OpenType file or collection works. A face that is not a single static
    TrueType-outline font is derived (see the module doc) holding `chars` (None: every
    character of the font), cached in `cache_dir`. `name` picks a face of a collection by its
    name; `instance` is the wght of a variable font's instance (default 400, 700 for bold).
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise InputError(f"font file not found: {path}", where)
    try:
        info = sniff(path)
        stat = path.stat()
    except (ValueError, OSError) as exc:
        raise InputError(f"cannot use font {path.name}: {exc}", where) from None
    if name:
        index = _index_by_name(path, info, name, where)
    if not 0 <= index < info.faces:
        raise InputError(f"font {path.name} has {info.faces} face{'s' if info.faces > 1 else ''} "
                         f"(index 0–{info.faces - 1}), not index {index}", where)
    tables = info.tables[index]
    fast = info.kind == "sfnt" and "glyf" in tables and "fvar" not in tables
    if fast:
        key: tuple = (str(path), index, stat.st_size, stat.st_mtime_ns)
    else:
        charset = None if chars is None else frozenset(chars) | frozenset(BASE_CHARS)
        # a variable face's default instance depends on the weight asked for (400 or 700)
        by_weight = weight if instance is None and ("fvar" in tables or not tables) else ""
        key = (str(path), index, stat.st_size, stat.st_mtime_ns, instance, by_weight, charset)
    face = _registered.get(key)
    if face is not None:
        if family and not face.family:
            face.family, face.weight = family, weight
        return face
    if fast:
        rl_name = _rl_name_for(path, index)
        tt = _rl_font(rl_name, path, where, subfont=index, cache_dir=cache_dir)
        face = Face(path=path, rl_name=rl_name, family=family, weight=weight, index=index, _tt=tt,
                    lookup=lookup)
    else:
        derived = derive(path, index, info, chars=charset, instance=instance, bold=weight == "bold",
                         cache_dir=cache_dir, where=where)
        suffix = f"-w{round(derived.instance)}" if derived.instance is not None else ""
        rl_name = _rl_name_for(path, index, suffix)
        tt = _rl_font(rl_name, derived.path, where, shown=path.name, cache_dir=cache_dir)
        face = Face(path=derived.path, rl_name=rl_name, family=family, weight=weight, index=0, _tt=tt,
                    source=path, source_index=index, outlines=derived.outlines, instance=derived.instance,
                    glyph_count=derived.glyph_count, lookup=lookup)
    _own_face_name(tt)
    pdfmetrics.registerFont(tt)
    _registered[key] = face
    return face


def _own_face_name(tt: TTFont) -> None:
    """Give `tt` a PostScript name no other registered font with *other* data has.

    ReportLab keeps one font per PostScript name: registering a second, different file under
    the same name silently binds the new ReportLab name to the *first* font's glyphs, so text
    measured with one face is drawn from another (a face derived again with more characters in
    a watch session; two versions of one font). Only such a collision renames (name-2, name-3 …,
    as the PDF's font name); a copy of the same file keeps ReportLab's sharing, and a build
    with distinct fonts is unchanged.
    """
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    taken = pdfmetrics._dynFaceNames
    name = tt.face.name
    other = taken.get(name, tt)
    if other is tt or _same_data(getattr(other, "face", None), tt.face):
        return
    n = 2
    while (candidate := TTFNameBytes(b"%s-%d" % (bytes(name), n))) in taken:
        n += 1
    tt.face.name = candidate


def _same_data(a: Any, b: Any) -> bool:
    """Whether two ReportLab faces hold the same font file's bytes (and face of it)."""
    da, db = getattr(a, "_ttf_data", None), getattr(b, "_ttf_data", None)
    if da is None or db is None or len(da) != len(db):
        return False
    if getattr(a, "subfontNameX", b"") != getattr(b, "subfontNameX", b""):
        return False
    return memoryview(da) == memoryview(db)


def _rl_font(rl_name: str, path: Path, where: Location | None, *, subfont: int = 0,
             shown: str | None = None, cache_dir: Path | None = None) -> TTFont:
    """ReportLab's parse of a TrueType font; for a big file, from the metrics cache when there
    (paiban.pdf.metrics: a warm build reads each bundled face in about 2 ms, not 30), written
    into the PDF once per face (paiban.pdf.embed), not once per 256 glyphs."""
    # the face's compressed font program, too, is kept for the next build with the same glyphs
    programs = ProgramCache(cache_dir / "programs", path) if cache_dir is not None else None
    cacheable = cache_dir is not None and subfont == 0 and path.stat().st_size >= fontmetrics.MIN_BYTES
    if cacheable:
        tt = fontmetrics.load(rl_name, path, cache_dir)
        if tt is not None:
            return PackedTTFont.adopt(tt, programs=programs)
    try:
        tt = TTFont(rl_name, str(path), subfontIndex=subfont)
    except (TTFError, OSError, ValueError, KeyError, struct.error) as exc:
        raise InputError(f"cannot use font {shown or path.name}: {exc}", where) from None
    if cacheable and fontmetrics.store(tt, path, cache_dir):
        # the cached face maps the file instead of holding a copy of it and every table as
        # Python objects: about 30 MB less for the five bundled faces of a first build
        tt = fontmetrics.load(rl_name, path, cache_dir) or tt
    return PackedTTFont.adopt(tt, programs=programs)


def _names_of(font: Any) -> list[str]:
    """The names a face answers to: family, typographic family, full and PostScript name."""
    table = font["name"]
    out: list[str] = []
    for name_id in (16, 1, 4, 6, 21):
        for rec in table.names:
            if rec.nameID == name_id:
                try:
                    value = rec.toUnicode()
                except UnicodeDecodeError:
                    continue
                if value and value not in out:
                    out.append(value)
    return out


def _norm(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name).casefold()


def _index_by_name(path: Path, info: FontFile, name: str, where: Location | None) -> int:
    """The face of a file whose family, full or PostScript name is `name` (spaces, case ignored)."""
    from fontTools.ttLib import TTFont as FTFont

    want = _norm(name)
    seen: list[str] = []
    for i in range(info.faces):
        try:
            with FTFont(str(path), fontNumber=i, lazy=True) as ft:
                names = _names_of(ft)
                full = ft["name"].getBestFullName()
        except Exception as exc:  # fontTools raises many kinds on a damaged file
            raise InputError(f"cannot read font {path.name}: {exc}", where) from None
        if any(_norm(n) == want for n in names):
            return i
        seen.append(full or (names[0] if names else f"face {i}"))
    raise InputError(f"font {path.name} has no face named {name!r}; its faces: "
                     + ", ".join(f"{i}: {n}" for i, n in enumerate(seen)), where)


# ---------------------------------------------------------------- derived faces (cached)


@dataclass(frozen=True)
class Derived:
    path: Path
    outlines: str
    instance: float | None
    glyph_count: int


def default_cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"paiban-fonts-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def _usable_dir(cache_dir: Path | None) -> Path:
    for d in ([cache_dir] if cache_dir is not None else []) + [default_cache_dir()]:
        try:
            d.mkdir(parents=True, exist_ok=True)
            probe = d / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
            return d
        except OSError:
            continue
    raise InputError(f"no writable folder for converted fonts (tried {cache_dir} and {default_cache_dir()})")


def _variation_axes(path: Path, index: int) -> dict[str, tuple[float, float, float]]:
    from fontTools.ttLib import TTFont as FTFont

    with FTFont(str(path), fontNumber=index, lazy=True) as ft:
        if "fvar" not in ft:
            return {}
        return {a.axisTag: (a.minValue, a.defaultValue, a.maxValue) for a in ft["fvar"].axes}


def derive(path: Path, index: int, info: FontFile, *, chars: frozenset[str] | None, instance: float | None,
           bold: bool = False, cache_dir: Path | None = None, where: Location | None = None) -> Derived:
    """A standalone static TrueType file with the face's glyphs for `chars`, from the cache if there.

    The cache key is the source file's hash, the face, the instance and the character set;
    a cached file made for a superset of `chars` is reused too, so deleting text costs nothing.
    """
    folder = _usable_dir(cache_dir)
    tables = info.tables[index]
    axes: dict[str, tuple[float, float, float]] = {}
    if "fvar" in tables or info.kind in ("woff", "woff2"):
        try:
            axes = _variation_axes(path, index)
        except Exception as exc:  # noqa: BLE001 - fontTools' errors on a broken file vary
            raise InputError(f"cannot read font {path.name}: {exc}", where) from None
    if "wght" in axes:
        lo, default, hi = axes["wght"]
        want = instance if instance is not None else (700.0 if bold else 400.0)
        wght: float | None = float(min(max(want, lo), hi))
    else:
        wght = None
    digest = file_digest(path, folder)  # remembered in folder/sources.json
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-")[:40] or "font"
    prefix = f"{stem}-{digest[:12]}-{index}-{'d' if wght is None else f'w{wght:g}'}-"
    wanted = "" if chars is None else "".join(sorted(chars))
    set_key = hashlib.sha256(f"{DERIVE_VERSION}|{wanted if chars is not None else '*all*'}".encode()).hexdigest()
    target = folder / f"{prefix}{set_key[:12]}.ttf"
    meta_path = target.with_suffix(".json")
    meta = _read_meta(meta_path)
    if meta is None or not target.is_file():
        target, meta = _cached_superset(folder, prefix, chars) or (target, None)
    if meta is None:
        meta = _convert(path, index, wght, chars, target, where)
        # without its .json the file is not reused: the next build converts the face again
        save_cache(target.with_suffix(".json"), json.dumps(meta, ensure_ascii=False))
        _prune(folder, prefix)
    else:
        try:
            os.utime(target)  # most recently used: kept by _prune
        except OSError:
            pass
    return Derived(path=target, outlines=str(meta["outlines"]), instance=wght, glyph_count=int(meta["glyphs"]))


def _read_meta(path: Path) -> dict | None:
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("version") != DERIVE_VERSION:
        return None
    return meta


def _cached_superset(folder: Path, prefix: str, chars: frozenset[str] | None) -> tuple[Path, dict] | None:
    for meta_path in sorted(folder.glob(f"{prefix}*.json"), key=_mtime, reverse=True):
        meta = _read_meta(meta_path)
        ttf = meta_path.with_suffix(".ttf")
        if meta is None or not ttf.is_file():
            continue
        if meta.get("all") or (chars is not None and chars <= set(meta.get("chars", ""))):
            return ttf, meta
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another build meanwhile
        return 0.0


def _prune(folder: Path, prefix: str) -> None:
    files = sorted(folder.glob(f"{prefix}*.ttf"), key=_mtime, reverse=True)
    for old in files[_MAX_CACHED_PER_FACE:]:
        for p in (old, old.with_suffix(".json")):
            try:
                p.unlink()
            except OSError:
                pass


def _convert(path: Path, index: int, wght: float | None, chars: frozenset[str] | None, target: Path,
             where: Location | None) -> dict:
    """Draw the wanted glyphs out of the source face into a new static TrueType font at `target`."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import OPTIMIZE_FONT_SPEED
    from fontTools.ttLib import TTFont as FTFont

    try:
        src = FTFont(str(path), fontNumber=index, lazy=True)
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"cannot read font {path.name}: {exc}", where) from None
    if src.flavor == "woff2":
        try:
            import brotli  # noqa: F401
        except ImportError:
            raise InputError(f"font {path.name} is WOFF2, which needs the brotli package; "
                             "use the font's TTF or OTF instead", where) from None
    try:
        tags = set(src.keys())
        outlines = outline_format(frozenset(tags))
        if outlines == "none":
            raise InputError(f"font {path.name} has no outlines (a bitmap or colour-only font); "
                             "expected TrueType or CFF outlines", where)
        cmap = src.getBestCmap() or {}
        if chars is None:
            wanted = dict(cmap)
        else:
            wanted = {ord(ch): cmap[ord(ch)] for ch in chars if ord(ch) in cmap}
        source_order = src.getGlyphOrder()
        notdef = source_order[0]
        order = [notdef] + sorted(set(wanted.values()) - {notdef}, key=src.getGlyphID)
        location = {"wght": wght} if wght is not None else None
        glyphset = src.getGlyphSet(location=location, normalized=False)
        cubic = outlines != "TrueType"
        glyphs, widths = {}, {}
        for gname in order:
            pen = TTGlyphPen(None)
            glyphset[gname].draw(Cu2QuPen(pen, 1.0, reverse_direction=True) if cubic else pen)
            glyphs[gname] = pen.glyph()
            widths[gname] = max(0, round(glyphset[gname].width))

        fb = FontBuilder(src["head"].unitsPerEm, isTTF=True)
        fb.font.cfg[OPTIMIZE_FONT_SPEED] = True
        fb.setupGlyphOrder(order)
        fb.setupCharacterMap(wanted)
        fb.setupGlyf(glyphs)
        glyf = fb.font["glyf"]
        fb.setupHorizontalMetrics({g: (widths[g], getattr(glyf[g], "xMin", 0)) for g in order})
        hhea = src["hhea"]
        fb.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
        post = src["post"]
        fb.setupPost(keepGlyphNames=False, italicAngle=post.italicAngle, underlinePosition=post.underlinePosition,
                     underlineThickness=post.underlineThickness, isFixedPitch=post.isFixedPitch)
        head, src_head = fb.font["head"], src["head"]
        for attr in ("fontRevision", "created", "modified", "macStyle", "flags", "lowestRecPPEM"):
            setattr(head, attr, getattr(src_head, attr))  # the same source gives the same bytes
        fb.font["name"] = src["name"]
        if "OS/2" in src:
            os2 = src["OS/2"]
            if wght is not None:
                os2.usWeightClass = int(round(wght))
            fb.font["OS/2"] = os2
        else:
            fb.setupOS2()
        if wght is not None:
            _rename_instance(fb.font["name"], wght)
        data = _to_bytes(fb.font)
        glyph_count = len(source_order)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - fontTools raises many kinds on odd fonts
        raise InputError(f"cannot convert font {path.name} to TrueType outlines: {type(exc).__name__}: {exc}",
                         where) from None
    finally:
        src.close()
    # Not a cache write that may fail quietly: this build reads the face from `target`. (The
    # folder was found writable by _usable_dir; a full disk now is an error of the build.)
    write_atomically(target, data, mode=0o644)
    return {"version": DERIVE_VERSION, "source": str(path), "index": index, "instance": wght,
            "outlines": outlines, "glyphs": glyph_count, "all": chars is None,
            "chars": "" if chars is None else "".join(sorted(chars))}


def _to_bytes(font: Any) -> bytes:
    import io

    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _rename_instance(name_table: Any, wght: float) -> None:
    """Give an instance its own PostScript name: two instances of one variable font embedded in
    one PDF must not share a font name (viewers may confuse them)."""
    for rec in list(name_table.names):
        if rec.nameID == 6:
            try:
                ps = rec.toUnicode()
            except UnicodeDecodeError:
                continue
            name_table.setName(f"{ps}-W{round(wght)}"[:63], 6, rec.platformID, rec.platEncID, rec.langID)


# ---------------------------------------------------------------- finding installed fonts by name


@dataclass(frozen=True)
class Installed:
    path: Path
    index: int
    family: str
    style: str
    how: str  # "fontconfig" or "matplotlib"


# fontconfig's weight scale: 80 regular, 200 bold (see FcWeightFromOpenType)
_FC_REGULAR, _FC_BOLD = 80, 200


def _fc_weight(opentype: float) -> float:
    points = [(100, 0), (200, 40), (300, 50), (350, 55), (380, 75), (400, 80), (500, 100), (600, 180),
              (700, 200), (800, 205), (900, 210), (1000, 215)]
    for (a, fa), (b, fb) in zip(points, points[1:], strict=False):
        if a <= opentype <= b:
            return fa + (fb - fa) * (opentype - a) / (b - a)
    return 0 if opentype < 100 else 215


def find_installed(name: str, *, bold: bool = False, weight: float | None = None) -> Installed | None:
    """The installed face of family `name` closest to the weight asked for (fontconfig, else matplotlib)."""
    target = _fc_weight(weight) if weight is not None else (_FC_BOLD if bold else _FC_REGULAR)
    found = _find_fontconfig(name, target)
    if found is None and shutil.which("fc-list") is None:
        found = _find_matplotlib(name, weight if weight is not None else (700 if bold else 400))
    return found


def _find_fontconfig(name: str, target: float) -> Installed | None:
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    pattern = re.sub(r"([\\\-:,])", r"\\\1", name)
    fmt = "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\t%{weight}\t%{slant}\n"
    try:
        out = subprocess.run([exe, "--format", fmt, pattern], capture_output=True, text=True, timeout=30,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    best: tuple[tuple, Installed] | None = None
    seen: set[tuple[str, int]] = set()
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 6 or not parts[0]:
            continue
        file, idx, fam, style, w, slant = parts
        try:
            index = int(idx) & 0xFFFF  # upper bits: a named instance of a variable font
            w_val = float(w.strip("[]").split()[0]) if w else _FC_REGULAR
            slant_val = int(slant or 0)
        except ValueError:
            continue
        if (file, index) in seen:
            continue
        seen.add((file, index))
        score = (abs(w_val - target), slant_val != 0, len(style))
        cand = Installed(Path(file), index, fam, style, "fontconfig")
        if best is None or score < best[0]:
            best = (score, cand)
    return best[1] if best else None


def _find_matplotlib(name: str, weight: float) -> Installed | None:
    from matplotlib import font_manager

    want = _norm(name)
    best: tuple[tuple, Installed] | None = None
    for entry in font_manager.fontManager.ttflist:
        if _norm(entry.name) != want:
            continue
        w = entry.weight if isinstance(entry.weight, int | float) else 400
        score = (abs(float(w) - weight), entry.style != "normal")
        cand = Installed(Path(entry.fname), int(getattr(entry, "index", 0) or 0), entry.name, entry.style,
                         "matplotlib")
        if best is None or score < best[0]:
            best = (score, cand)
    return best[1] if best else None


# ---------------------------------------------------------------- the document's families


class FontBook:
    """The document's font families (song, hei, kai …), each with a regular and maybe a bold face.

    `families` maps a family key to {weight: FaceSource} (or the older (path, index) pair) as
    resolved by the prepare stage. Faces are loaded on first use so a family the document never
    uses costs nothing. `chars` are the characters the document may draw: a derived face holds
    those (plus BASE_CHARS); None means every character of the font. `cache_dir` holds derived
    faces between builds.
    """

    def __init__(self, families: Mapping[str, Mapping[str, FaceSource | tuple[Path, int]]],
                 where: Mapping[str, Location] | None = None, *, chars: Iterable[str] | None = None,
                 cache_dir: Path | None = None):
        self._where = dict(where or {})
        self._families: dict[str, dict[str, FaceSource]] = {}
        for fam, faces in families.items():
            self._families[fam] = {}
            for weight, src in faces.items():
                if not isinstance(src, FaceSource):
                    path, index = src
                    src = FaceSource(Path(path), index)
                if src.where is None and f"{fam}.{weight}" in self._where:
                    src = dataclasses.replace(src, where=self._where[f"{fam}.{weight}"])
                self._families[fam][weight] = src
        self.chars: frozenset[str] | None = None if chars is None else frozenset(chars)
        self.cache_dir = cache_dir
        self._faces: dict[tuple[str, str], Face] = {}
        # per fallback chain: characters known to be drawable by it (or to need no glyph)
        self._covered: dict[tuple[Face, ...], set[str]] = {}

    @property
    def families(self) -> list[str]:
        return list(self._families)

    def has_weight(self, family: str, weight: str) -> bool:
        return weight in self._families.get(family, {})

    def bold_kind(self, family: str) -> str:
        """'real' (a bold face), 'fake' (regular, stroke-emboldened) or 'none' (regular as it is)."""
        src = self._families.get(family, {}).get("bold")
        if src is None:
            return "none"
        return "fake" if src.fake_bold else "real"

    def source(self, family: str, weight: str = "regular") -> FaceSource | None:
        return self._families.get(family, {}).get(weight)

    def face(self, family: str, weight: str = "regular") -> Face:
        key = (family, weight)
        face = self._faces.get(key)
        if face is None:
            faces = self._families.get(family)
            if faces is None:
                raise InputError(f"unknown font family {family!r}; the spec's fonts: defines "
                                 f"{', '.join(self._families) or 'none'}")
            if weight not in faces:
                weight = "regular"
            src = faces[weight]
            if src.fake_bold:  # the regular face itself, marked for stroking
                face = self.face(family, "regular").emboldened()
            else:
                face = load_face(src.path, src.index, family=family, weight=weight, where=src.where,
                                 name=src.name, instance=src.instance, chars=self.chars, cache_dir=self.cache_dir,
                                 lookup=src.lookup)
            self._faces[key] = face
        return face

    def chain(self, families: Sequence[str], weight: str = "regular") -> tuple[Face, ...]:
        """Faces to try in order for each character: the style's family, then its fallbacks."""
        out: list[Face] = []
        for fam in families:
            f = self.face(fam, weight)
            if f not in out:
                out.append(f)
        return tuple(out)

    def missing(self, text: Iterable[str], families: Sequence[str], weight: str = "regular") -> set[str]:
        """Characters of `text` that no face of the chain can draw (whitespace excluded).

        The coverage check asks this for every piece of text of the document (a few hundred, mostly
        the same characters again): each character is looked up once per chain.
        """
        chain = self.chain(families, weight)
        covered = self._covered.setdefault(chain, set())
        out: set[str] = set()
        for ch in set(text).difference(covered):
            if drawn(ch) and face_for(ch, chain) is None:
                out.add(ch)
            else:
                covered.add(ch)
        return out


def drawn(ch: str) -> bool:
    """Whether a character needs a glyph: not whitespace, not an invisible format character."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")
