"""Static TrueType subsets derived from faces ReportLab cannot read, and the cache of them.

ReportLab reads only single static TrueType-outline faces. A face with CFF or CFF2 outlines, a
face inside a TTC/OTC collection, a variable font or a WOFF is converted: the characters the
document uses are drawn out of it through fontTools (cubic outlines turned quadratic with cu2qu,
a variable font read at its weight instance) into a small standalone TrueType file. That costs
about 1.5 s for a big CJK font, so each derived file is kept in the font cache folder with a
.json beside it saying what it holds, keyed by the source file's digest, the face, the instance
and the character set, and a cached file that holds every character asked for is reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paiban.errors import InputError, Location
from paiban.fonts.sniff import FontFile, outline_format
from paiban.store import file_digest, prune, read_regular, save_cache, write_atomically

# Bump when the derived-font pipeline changes what it writes: old cache files are then ignored.
DERIVE_VERSION = "1"

# Characters every derived face keeps besides the document's, so that text the layout adds
# (page numbers, 图1, brackets, dashes) never falls out of a subset.
BASE_CHARS = "".join(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0x3000, 0x3040)]
    + [chr(c) for c in range(0xFF01, 0xFF5F)]
) + "“”‘’—–…·•‰※×÷±°℃□■○●△▲◆★☆"

_MAX_CACHED_PER_FACE = 4  # derived files kept per (font, face, instance); older ones are pruned


@dataclass(frozen=True)
class Derived:
    """A derived file and what the face it came from was: its outlines, instance and glyph count."""

    path: Path
    outlines: str
    instance: float | None
    glyph_count: int


def default_cache_dir() -> Path:
    """Where converted fonts go when the project's cache folder cannot be written: the temp folder."""
    return Path(tempfile.gettempdir()) / f"paiban-fonts-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def _writable(d: Path) -> OSError | None:
    """None when a file can be created in `d` (made if need be; tried with an empty probe file)."""
    try:
        d.mkdir(parents=True, exist_ok=True)
        probe = d / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return None
    except OSError as exc:
        return exc


def _usable_dir(cache_dir: Path | None, *, allow_outside: bool = False, path: Path | None = None,
                where: Location | None = None) -> Path:
    """`cache_dir` (the project's font cache) when a file can be created in it; else the temp folder
    `default_cache_dir()` only with `allow_outside` (a project build must write nothing outside
    its folder: a read-only project is a located error naming the way out). Without a
    `cache_dir` (a caller outside any project) the temp folder is the place."""
    tried: list[str] = []
    if cache_dir is not None:
        problem = _writable(cache_dir)
        if problem is None:
            return cache_dir
        if not allow_outside:
            shown = path.name if path is not None else "a font"
            raise InputError(f"font {shown} needs converting, and its cache folder {cache_dir} cannot be written "
                             f"({problem.strerror or problem}); make it writable, or pass --allow-outside to "
                             f"convert into {default_cache_dir()}", where)
        tried.append(str(cache_dir))
    if _writable(default_cache_dir()) is None:
        return default_cache_dir()
    tried.append(str(default_cache_dir()))
    raise InputError(f"no writable folder for converted fonts (tried {' and '.join(tried)})", where)


def _variation_axes(path: Path, index: int) -> dict[str, tuple[float, float, float]]:
    from fontTools.ttLib import TTFont as FTFont

    with FTFont(str(path), fontNumber=index, lazy=True) as ft:
        if "fvar" not in ft:
            return {}
        return {a.axisTag: (a.minValue, a.defaultValue, a.maxValue) for a in ft["fvar"].axes}


def derive(path: Path, index: int, info: FontFile, *, chars: frozenset[str] | None, instance: float | None,
           bold: bool = False, cache_dir: Path | None = None, where: Location | None = None,
           allow_outside: bool = False) -> Derived:
    """A standalone static TrueType file with the face's glyphs for `chars`, from the cache if there.

    The cache key is the source file's hash, the face, the instance and the character set;
    a cached file made for a superset of `chars` is reused too, so deleting text costs nothing.
    When `cache_dir` cannot be written the temp folder is used only with `allow_outside`.
    """
    if info.kind == "woff2":  # before fontTools opens it: it would print its own line first
        try:
            import brotli  # noqa: F401
        except ImportError:
            raise InputError(f"font {path.name} is WOFF2, which needs the brotli package; "
                             "use the font's TTF or OTF instead", where) from None
    folder = _usable_dir(cache_dir, allow_outside=allow_outside, path=path, where=where)
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
        meta = json.loads(read_regular(path, 16 * 1024 * 1024, follow=False))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(meta, dict) or meta.get("version") != DERIVE_VERSION:
        return None
    glyphs = meta.get("glyphs")
    if (not isinstance(meta.get("outlines"), str) or not isinstance(glyphs, int) or isinstance(glyphs, bool)
            or not 0 < glyphs <= 65536 or not isinstance(meta.get("chars", ""), str)):
        return None  # hand-edited or from another version: convert again
    ttf = path.with_suffix(".ttf")
    if ttf.is_symlink() or not ttf.is_file():
        return None  # a link in the cache is not a font paiban made (it could lead anywhere)
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
    for old in prune(folder, f"{prefix}*.ttf", _MAX_CACHED_PER_FACE):
        try:
            meta = old.with_suffix(".json")
            if meta.is_file() and not meta.is_symlink():
                meta.unlink()
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
