"""Loading a face: the file sniffed, converted when ReportLab cannot read it as it is, parsed by
ReportLab (or read back from the metrics cache), and registered with ReportLab once.

Each face is loaded once per process (per file, face, instance and character set, and the file's
size and mtime, so `paiban watch` re-reads a font that changed), under a ReportLab name of its own
and a PostScript name no other registered font with other data has.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from paiban.errors import InputError, Location
from paiban.fonts.convert import BASE_CHARS, derive
from paiban.fonts.face import Face
from paiban.fonts.names import index_by_name
from paiban.fonts.sniff import sniff
from paiban.pdf import metrics
from paiban.pdf.embed import PackedTTFont, ProgramCache

_registered: dict[tuple, Face] = {}


def _rl_name_for(path: Path, index: int, suffix: str = "") -> str:
    """A ReportLab font name for a face, from its file name, that no registered font has."""
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
              lookup: str | None = None, allow_outside: bool = False) -> Face:
    """Load a font face and register it with ReportLab (once per file, face, instance, characters).

    Any TrueType/OpenType file or collection works. A face that is not a single static
    TrueType-outline font is derived (see paiban.fonts.convert) holding `chars` (None: every
    character of the font), cached in `cache_dir`. `name` picks a face of a collection by its
    name; `instance` is the wght of a variable font's instance (default 400, 700 for bold).
    A `cache_dir` that cannot be written is an error unless `allow_outside` (then the temp folder).
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
        index = index_by_name(path, info, name, where)
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
        tt = reportlab_font(rl_name, path, where, subfont=index, cache_dir=cache_dir)
        face = Face(path=path, rl_name=rl_name, family=family, weight=weight, index=index, _tt=tt,
                    lookup=lookup)
    else:
        derived = derive(path, index, info, chars=charset, instance=instance, bold=weight == "bold",
                         cache_dir=cache_dir, where=where, allow_outside=allow_outside)
        suffix = f"-w{round(derived.instance)}" if derived.instance is not None else ""
        rl_name = _rl_name_for(path, index, suffix)
        tt = reportlab_font(rl_name, derived.path, where, shown=path.name, cache_dir=cache_dir)
        face = Face(path=derived.path, rl_name=rl_name, family=family, weight=weight, index=0, _tt=tt,
                    source=path, source_index=index, outlines=derived.outlines, instance=derived.instance,
                    glyph_count=derived.glyph_count, lookup=lookup)
    _own_face_name(tt)
    pdfmetrics.registerFont(tt)
    _registered[key] = face
    return face


def font_damage(tt: TTFont) -> str | None:
    """What is wrong with a parsed face that ReportLab accepted but paiban cannot set text in:
    an em outside 16–16384 units, fewer than two glyphs, characters mapped to glyphs past the
    last one (maxp.numGlyphs cut short), glyph offsets past the end of the file."""
    face = tt.face
    upem, glyphs = face.unitsPerEm, face.numGlyphs
    if not 16 <= upem <= 16384:
        return f"head.unitsPerEm is {upem}; expected 16 to 16384"
    if glyphs < 2:
        return f"maxp.numGlyphs is {glyphs}; a font has at least .notdef and one glyph"
    highest = max(face.charToGlyph.values(), default=0)
    if highest >= glyphs:
        return f"maxp.numGlyphs is {glyphs}, but its cmap maps characters to glyph {highest}"
    positions = face.glyphPos
    if len(positions) < glyphs + 1 or (positions and max(positions) > len(face._ttf_data)):
        return "its glyph offsets (loca) point past the end of the file"
    return None


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


def reportlab_font(rl_name: str, path: Path, where: Location | None, *, subfont: int = 0,
                   shown: str | None = None, cache_dir: Path | None = None) -> TTFont:
    """ReportLab's parse of a TrueType font; for a big file, from the metrics cache when there
    (paiban.pdf.metrics: a warm build reads each bundled face in about 2 ms, not 30), written
    into the PDF once per face (paiban.pdf.embed), not once per 256 glyphs."""
    # the face's compressed font program, too, is kept for the next build with the same glyphs
    programs = ProgramCache(cache_dir / "programs", path) if cache_dir is not None else None
    cacheable = cache_dir is not None and subfont == 0 and path.stat().st_size >= metrics.MIN_BYTES
    if cacheable:
        tt = metrics.load(rl_name, path, cache_dir)
        if tt is not None:
            return PackedTTFont.adopt(tt, programs=programs)
    try:
        tt = TTFont(rl_name, str(path), subfontIndex=subfont)
    except (TTFError, OSError, ValueError, KeyError, IndexError, struct.error) as exc:
        raise InputError(f"cannot use font {shown or path.name}: {exc}", where) from None
    except ArithmeticError:  # ReportLab divides by head.unitsPerEm
        raise InputError(f"cannot use font {shown or path.name}: head.unitsPerEm is 0; "
                         "expected 16 to 16384 (the font is damaged)", where) from None
    damage = font_damage(tt)
    if damage:
        raise InputError(f"cannot use font {shown or path.name}: {damage} (the font is damaged)", where)
    if cacheable and metrics.store(tt, path, cache_dir):
        # the cached face maps the file instead of holding a copy of it and every table as
        # Python objects: about 30 MB less for the five bundled faces of a first build
        tt = metrics.load(rl_name, path, cache_dir) or tt
    return PackedTTFont.adopt(tt, programs=programs)
