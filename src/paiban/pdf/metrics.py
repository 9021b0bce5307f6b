"""ReportLab's parse of a TrueType face, kept between builds so a warm build does not parse again.

ReportLab parses a whole font (cmap, hmtx, loca) every time a process registers it: about 30 ms
for each bundled 4 MB face, 0.4 s for a full-size one. What it keeps is plain numbers, so it is
stored beside the converted fonts: the big tables as binary arrays, the rest as JSON. No pickle
and no marshal of code objects: a cache folder travels with a project and must never be able to
run code. Keyed by file, size, mtime, ReportLab's version and this format; anything unexpected
and the font is simply parsed again.

Reading it back is shaped by what a build needs, measured on the five bundled faces:

- `charToGlyph` and `charWidths` are rebuilt as dicts at once: the coverage check, the text
  engine and ReportLab's `splitString` look characters up in them thousands of times.
- `glyphPos` stays a typed array and `hmetrics` becomes a view of pairs over one: ReportLab's
  subsetter only indexes them (for the few hundred glyphs a document uses), so building 10,000
  tuples per face (and feeding the garbage collector) bought nothing.
- `glyphToChar` (only ReportLab's HarfBuzz shaping reads it) is built on first use.
- The font file itself is memory-mapped, not read: ReportLab slices it (`get_table`,
  `read_ushort`) only to write the subset, and reading 3–4.6 MB per face whole into fresh
  memory cost more than the rest of the load (see map_file for the one hazard).

`comparable()` is the check that keeps this honest: a cache file is written only if what it
reads back equals ReportLab's own parse, attribute for attribute.
"""

from __future__ import annotations

import glob
import hashlib
import json
import math
import mmap
import operator
import re
import struct
import sys
from array import array
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, overload

from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from paiban.store import note_ignored, read_regular, save_cache

MIN_BYTES = 512 * 1024  # smaller files are parsed: too quick to be worth a cache file
KEEP_PER_NAME = 4  # cache files kept per font file name (see _prune)
FORMAT = "2"
MAGIC = b"PBRLM2\n"

_LAZY = ("glyphToChar",)  # built on first use (see CachedFace)
_NOT_STORED = frozenset({"_ttf_data", "_pdfScale"})  # the file itself; a lambda rebuilt from unitsPerEm


class Pairs(Sequence):
    """A read-only list of (advance, lsb) pairs over one flat array: ReportLab's `hmetrics`.

    Indexing gives the same tuples ReportLab's own list holds; nothing else is asked of it (its
    subsetter reads `hmetrics[glyph]` for each glyph it writes).
    """

    __slots__ = ("_flat", "_tail_at", "_tail_aw")

    def __init__(self, flat: array, tail_at: int | None = None, tail_aw: float | None = None) -> None:
        self._flat = flat
        # from `tail_at` on, the advance is `tail_aw` (see _hmetrics_tail), not the array's
        self._tail_at = len(flat) // 2 if tail_at is None or tail_aw is None else tail_at
        self._tail_aw = tail_aw

    def __len__(self) -> int:
        return len(self._flat) // 2

    @overload
    def __getitem__(self, i: int) -> tuple[int | float, int]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[int | float, int]]: ...

    def __getitem__(self, i: int | slice) -> tuple[int | float, int] | list[tuple[int | float, int]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError("hmetrics index out of range")
        if i < 0:
            i += n
        if i >= self._tail_at:
            return self._tail_aw, self._flat[2 * i + 1]
        return self._flat[2 * i], self._flat[2 * i + 1]

    def __iter__(self) -> Iterator[tuple[int | float, int]]:
        return (self[i] for i in range(len(self)))


class CachedFace(TTFontFace):
    """A TTFontFace rebuilt from the cache instead of parsed (see the module doc), holding the
    font file mapped rather than read.

    `glyphToChar` is made on first use from the pairs kept in `_pb_glyph_to_char`, exactly as
    ReportLab's parse builds it (glyph order of the cmap, every code of a glyph in a list).
    """

    _pb_glyph_to_char: tuple[array, array]

    def __deepcopy__(self, memo: dict) -> CachedFace:
        """The face itself: its metrics never change, and the mapped file cannot be copied
        (ReportLab deep-copies flowables when it splits some containers)."""
        return self

    @cached_property
    def glyphToChar(self) -> dict[int, list[int]]:  # noqa: N802 - ReportLab's name
        glyphs, codes = self.__dict__.pop("_pb_glyph_to_char")
        out: dict[int, list[int]] = {}
        for glyph, code in zip(glyphs.tolist(), codes.tolist(), strict=True):
            out.setdefault(glyph, []).append(code)
        return out


def cache_path(path: Path, cache_dir: Path) -> Path:
    """The cache file for a font file as it is now (size and mtime are part of the name)."""
    import reportlab

    st = path.stat()
    key = f"{path}|{st.st_size}|{st.st_mtime_ns}|{reportlab.Version}|{FORMAT}|{sys.byteorder}"
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-")[:40] or "font"
    return cache_dir / "metrics" / f"{stem}-{hashlib.sha1(key.encode()).hexdigest()[:16]}.bin"


def map_file(path: Path) -> mmap.mmap:
    """The font file mapped read-only instead of copied whole into memory on every build.

    ReportLab only slices it (`get_table`, `read_ushort`, our glyph-ink reads), and only when it
    writes a subset; a slice of a map is plain bytes. The one hazard: a font file truncated in
    place (not replaced) while a build has it mapped makes reading past its new end fail hard
    (SIGBUS). Tools that write files anew (editors, git, os.replace) leave the mapping intact.
    """
    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def load(rl_name: str, path: Path, cache_dir: Path) -> TTFont | None:
    """ReportLab's font for `path` from the cache; None when there is no usable cache file."""
    try:
        data = read_regular(cache_path(path, cache_dir), MAX_CACHE_BYTES, follow=False)
        if not data.startswith(MAGIC):
            return None
        ttf_data = map_file(path)
        tt = decode(data, rl_name, ttf_data)
        if tt is None or not plausible(tt.face, len(ttf_data)):
            note_ignored(cache_path(path, cache_dir), "metrics that no font has")
            return None
        tt.face.filename = str(path)  # the file read, whatever the cache says
        return tt
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a hand-edited or torn cache file is a miss, never an error
        note_ignored(cache_path(path, cache_dir), type(exc).__name__)
        return None


MAX_CACHE_BYTES = 256 * 1024 * 1024


def plausible(face: Any, file_size: int) -> bool:
    """Whether a face read from a cache file holds what ReportLab's parse of a font file would:
    a sane em, glyph count and vertical metrics, glyph ids inside the font and glyph offsets in
    order inside the file. The cache is keyed by the font file, but a file in it can be edited
    by hand (unitsPerEm 0 divided by zero; a glyph id past the end indexed out of range)."""

    def number(v: Any) -> bool:
        return type(v) in (int, float) and math.isfinite(v)

    upem, glyphs = face.unitsPerEm, face.numGlyphs
    if type(upem) is not int or not 16 <= upem <= 16384 or type(glyphs) is not int or not 1 <= glyphs <= 65535:
        return False
    if not all(number(getattr(face, k)) for k in ("ascent", "descent", "capHeight", "stemV", "italicAngle",
                                                 "defaultWidth", "flags")):
        return False
    if not (isinstance(face.bbox, list | tuple) and len(face.bbox) == 4 and all(number(v) for v in face.bbox)):
        return False
    # The per-entry checks below run over every glyph and character of five faces in each build:
    # written with map() over C functions, not a Python-level generator (≈ 15 ms a build).
    pos = face.glyphPos
    if len(pos) != glyphs + 1 or not all(map(operator.le, pos, pos[1:])) or (pos and pos[-1] > file_size):
        return False
    glyph_ids = face.charToGlyph.values()
    if glyph_ids and max(glyph_ids) >= glyphs:
        return False
    widths = face.charWidths.values()
    if len(face.hmetrics) < 1 or not set(map(type, widths)) <= {int, float} or not all(map(math.isfinite, widths)):
        return False
    return True


def store(tt: TTFont, path: Path, cache_dir: Path) -> bool:
    """Keep ReportLab's parse of `path` for later builds, if it reads back exactly as parsed.

    Returns whether a cache file was written (a folder that cannot be written is no error).
    """
    data = encode(tt)
    if data is None:
        return False
    try:
        back = decode(data, tt.fontName, tt.face._ttf_data)
        if back is None or comparable(back) != comparable(tt):
            return False
        target = cache_path(path, cache_dir)
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return False
    if not save_cache(target, data):
        return False
    _prune(target)
    return True


def _prune(target: Path) -> None:
    """Keep the newest few cache files of a font name: older ones are for a font file since
    changed (or an older format) and would otherwise pile up."""
    stem = target.name.rsplit("-", 1)[0]
    files = []
    for p in target.parent.glob(f"{glob.escape(stem)}-*.bin"):
        if p.name.rsplit("-", 1)[0] != stem:  # another font whose name starts the same
            continue
        try:
            files.append((p.stat().st_mtime_ns, p))
        except OSError:  # removed meanwhile by another build
            continue
    files.sort(reverse=True)
    for _, old in files[KEEP_PER_NAME:]:
        if old != target:
            try:
                old.unlink()
            except OSError:  # gone already, or not ours to remove
                pass


# ---------------------------------------------------------------- the file format


def _small(value: Any) -> Any:
    """JSON for the small attributes: names as bytes, tuples, the table directory."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, TTFNameBytes):
        return {"N": value.decode("latin-1")}
    if isinstance(value, bytes):
        return {"B": value.decode("latin-1")}
    if isinstance(value, tuple):
        return {"T": [_small(v) for v in value]}
    if isinstance(value, list):
        return [_small(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"D": {k: _small(v) for k, v in value.items()}}
    raise TypeError(type(value).__name__)


def _unsmall(value: Any) -> Any:
    if isinstance(value, list):
        return [_unsmall(v) for v in value]
    if isinstance(value, dict):
        ((tag, v),) = value.items()
        if tag == "N":
            return TTFNameBytes(v.encode("latin-1"))
        if tag == "B":
            return v.encode("latin-1")
        if tag == "T":
            return tuple(_unsmall(x) for x in v)
        return {k: _unsmall(x) for k, x in v.items()}
    return value


def _number_code(values: Any) -> str:
    """'i' for ints, 'd' for floats (ReportLab scales widths by 1000/unitsPerEm when that is not
    1000); a mix is not expected, and not stored."""
    kinds = {type(v) for v in values}
    if kinds <= {int}:
        return "i"
    if kinds == {float}:
        return "d"
    raise TypeError(f"widths of types {sorted(k.__name__ for k in kinds)}")


def _hmetrics_tail(pairs: list[tuple[Any, Any]]) -> tuple[int, float | None]:
    """Where ReportLab's hmetrics turn into (scaled advance, lsb) pairs, and that advance.

    ReportLab keeps (advance, lsb) as read for the first numberOfHMetrics glyphs, then repeats
    the last advance *scaled* (a float unless unitsPerEm is 1000) for the glyphs after them.
    """
    at = next((i for i, (aw, _) in enumerate(pairs) if type(aw) is not int), len(pairs))
    tail = pairs[at:]
    aw = tail[0][0] if tail else None
    if tail and (type(aw) is not float or any(a != aw or type(a) is not float for a, _ in tail)):
        raise TypeError("hmetrics not as ReportLab makes them")
    if any(type(lsb) is not int for _, lsb in pairs):
        raise TypeError("hmetrics not as ReportLab makes them")
    return at, aw


def encode(tt: TTFont) -> bytes | None:
    """The cache file's bytes for ReportLab's parse `tt`; None when it holds something unexpected."""
    face = vars(tt.face)
    small: dict[str, Any] = {}
    blobs: list[tuple[str, str, bytes, int]] = []
    tail: list[Any] = [0, None]

    def add(name: str, typecode: str, values: Any) -> None:
        arr = array(typecode, values)
        blobs.append((name, typecode, arr.tobytes(), len(arr)))

    try:
        for name, value in face.items():
            if name in _NOT_STORED or name == "tables":  # tables: the directory's dicts again, in file order
                continue
            if name == "glyphToChar":  # not quite the inverse of charToGlyph: kept as pairs
                pairs = [(g, c) for g, codes in value.items() for c in codes]
                add(name + ".k", "I", [g for g, _ in pairs])
                add(name + ".v", "I", [c for _, c in pairs])
            elif name == "charToGlyph":
                add(name + ".k", "I", value.keys())
                add(name + ".v", "I", value.values())
            elif name == "charWidths":
                add(name + ".k", "I", value.keys())
                add(name + ".v", _number_code(value.values()), value.values())
            elif name == "hmetrics":
                at, aw = _hmetrics_tail(value)
                tail = [at, aw]
                add(name, "i", [x for i, (a, lsb) in enumerate(value) for x in ((a if i < at else 0), lsb)])
            elif name == "glyphPos":
                add(name, "I", value)
            else:
                small[name] = _small(value)
        outer = {k: _small(v) for k, v in vars(tt).items() if k not in ("fontName", "face", "encoding", "state")}
    except (TypeError, OverflowError):
        return None
    header = json.dumps({"face": small, "font": outer, "arrays": [[n, t, c] for n, t, _, c in blobs],
                         "tables": [t["tag"] for t in face.get("tables", [])], "hmetrics_tail": tail}).encode("utf-8")
    return b"".join([MAGIC, struct.pack("<I", len(header)), header, *(b for _, _, b, _ in blobs)])


_TYPECODES = {"charToGlyph.k": "I", "charToGlyph.v": "I", "charWidths.k": "I", "charWidths.v": "id",
              "glyphToChar.k": "I", "glyphToChar.v": "I", "hmetrics": "i", "glyphPos": "I"}


def decode(data: bytes, rl_name: str, ttf_data: Any) -> TTFont | None:
    """A registered-ready TTFont named `rl_name` from a cache file's bytes and the font's data."""
    from weakref import WeakKeyDictionary

    if not data.startswith(MAGIC):
        return None
    view = memoryview(data)
    pos = len(MAGIC)
    (hlen,) = struct.unpack_from("<I", data, pos)
    pos += 4
    header = json.loads(bytes(view[pos:pos + hlen]).decode("utf-8"))
    pos += hlen
    arrays: dict[str, array] = {}
    for name, typecode, count in header["arrays"]:
        if typecode not in _TYPECODES[name] or len(typecode) != 1:
            return None
        arr = array(typecode)
        size = arr.itemsize * count
        if pos + size > len(data):
            return None
        arr.frombytes(view[pos:pos + size])
        pos += size
        arrays[name] = arr
    if pos != len(data) or set(arrays) != set(_TYPECODES):
        return None
    if len(arrays["hmetrics"]) % 2 or len(arrays["glyphToChar.k"]) != len(arrays["glyphToChar.v"]):
        return None
    attrs = {k: _unsmall(v) for k, v in header["face"].items()}
    for name in ("charToGlyph", "charWidths"):
        attrs[name] = dict(zip(arrays[name + ".k"].tolist(), arrays[name + ".v"].tolist(), strict=True))
    tail_at, tail_aw = header["hmetrics_tail"]
    attrs["hmetrics"] = Pairs(arrays["hmetrics"], int(tail_at), None if tail_aw is None else float(tail_aw))
    attrs["glyphPos"] = arrays["glyphPos"]
    attrs["_pb_glyph_to_char"] = (arrays["glyphToChar.k"], arrays["glyphToChar.v"])
    attrs["tables"] = [attrs["table"][tag] for tag in header["tables"]]  # the same dicts, as parsed
    upem = attrs["unitsPerEm"]
    if upem == 1000:  # as ReportLab's extractInfo makes it
        attrs["_pdfScale"] = lambda x: x
    else:
        mult = 1000 / upem
        attrs["_pdfScale"] = lambda x: x * mult
    attrs["_ttf_data"] = ttf_data
    face = CachedFace.__new__(CachedFace)
    face.__dict__.update(attrs)
    tt = TTFont.__new__(TTFont)
    tt.__dict__.update({k: _unsmall(v) for k, v in header["font"].items()})
    tt.fontName, tt.face, tt.encoding, tt.state = rl_name, face, TTEncoding(), WeakKeyDictionary()
    return tt


_SCALARS = frozenset({bool, int, float, str, type(None)})


def comparable(tt: TTFont) -> tuple[Any, Any]:
    """Everything ReportLab reads of a font as plain values with their types and order: equal for
    a parse and its cache only if ReportLab would see no difference (1000 and 1000.0 differ).

    Run once per cache file written, so it has to be quick on ten-thousand-entry tables too.
    """

    def typed(value: Any) -> Any:
        kind = type(value)
        if kind in _SCALARS:
            return kind, value
        if isinstance(value, bytes | mmap.mmap):
            return (kind if isinstance(value, bytes) else bytes), value[:]
        if isinstance(value, dict):
            return dict, typed(list(value)), typed(list(value.values()))
        if isinstance(value, tuple | list | array | Pairs):  # the arrays stand in for lists: indexed alike
            outer = tuple if kind is tuple else list
            items = list(value)
            kinds = list(map(type, items))
            if set(kinds) <= _SCALARS:
                return outer, items, kinds
            if set(kinds) <= {tuple, list}:  # hmetrics' pairs, glyphToChar's lists: flattened
                flat = [x for item in items for x in item]
                flat_kinds = list(map(type, flat))
                if set(flat_kinds) <= _SCALARS:
                    return outer, kinds, list(map(len, items)), flat, flat_kinds
            return outer, [typed(v) for v in items]
        raise TypeError(f"unexpected {kind.__name__} in a font")

    names = [k for k in vars(tt.face) if k != "_pdfScale" and not k.startswith("_pb_")]
    names += [k for k in _LAZY if k not in names]
    face = [(k, typed(getattr(tt.face, k))) for k in sorted(names)]
    face.append(("_pdfScale", typed(tt.face._pdfScale(1234))))
    # (`programs`: where paiban.pdf.embed keeps written font programs, not something ReportLab reads)
    font = [(k, typed(v)) for k, v in sorted(vars(tt).items())
            if k not in ("face", "encoding", "state", "programs")]
    return face, font
