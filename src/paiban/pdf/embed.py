"""Embed each TrueType face once: one font program per face instead of one per 256 characters.

ReportLab's `TTFont` writes a face as simple TrueType fonts of at most 256 one-byte codes each,
and every one of them embeds its own font file with its own head/hhea/maxp/OS2/cmap/name/post
tables, its own `Widths` array of up to 256 numbers and its own font descriptor. For a Chinese
briefing that is 11 font files for 5 faces, and most of their weight beyond the glyph outlines
is repeated overhead.

`PackedTTFont` keeps everything ReportLab does while drawing — `splitString` still hands out
(subset, one-byte codes) pairs, code 32 is still the space in every subset (the text-object
writer `paiban.pdf.text` and PDF word spacing `Tw` rely on both), and `stringWidth` is ReportLab's — and changes
only what is written at save time (`addObjects`):

* one `CIDFontType2` per face, with one font program holding every glyph the document used
  (glyph outlines copied byte for byte, so pages render exactly as before), only the tables a
  CID-keyed TrueType font needs (head, hhea, maxp, hmtx, loca, glyf, and cvt/fpgm/prep when the
  face is hinted: PDF 32000 §9.9 — no cmap, name, OS/2 or post), glyphs in the face's own order
  (similar glyphs stay near each other, which deflate rewards), widths as a compact `W` array;
* per subset, a small `Type0` font whose embedded CMap maps its one-byte codes to CIDs
  256·subset + code, and a `ToUnicode` CMap with the same mapping ReportLab writes (in a
  more compact form), so text extracts exactly as it did. A `CIDToGIDMap` stream takes each
  CID to its glyph.

Codes go to characters in first-drawn order (see `PackedTTFont`), so only glyphs the document
draws are embedded. The default briefing: 481,669 → 409,576 bytes, pages rendering pixel for
pixel the same (poppler, MuPDF) and extracting the same text (MuPDF, poppler, pypdf). The glyph
outlines themselves (≈ 345 KB compressed) are the floor of this route.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from struct import pack, unpack

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    TTFont,
    TTFontMaker,
)

from paiban.store import code_digest, prune, read_regular, save_cache

__all__ = ["PackedTTFont", "cid_widths", "encoding_cmap", "font_program", "to_unicode_cmap"]

# Tables a TrueType font program used as a CIDFontType2 needs (the instructions ones when present).
_COPIED_TABLES = ("cvt ", "fpgm", "prep")

_IDENTITY = {"Registry": "(Adobe)", "Ordering": "(Identity)", "Supplement": 0}


class PackedTTFont(TTFont):
    """A ReportLab TrueType font that embeds one font program per face (see the module doc).

    Drop-in for `TTFont`: construct it the same way, or `adopt` an already parsed `TTFont`
    (sharing its parsed face, so nothing is read twice), and register it with
    `pdfmetrics.registerFont` under the same name.

    Codes go to characters in the order they are first drawn (`asciiReadable` False, unlike
    ReportLab's default): reserving codes 32–126 for ASCII, as ReportLab does, would put every
    ASCII glyph of the face into the PDF whether the text uses it or not (37 KB of the default
    briefing). Code 32 is the space in every subset either way.
    """

    def __init__(self, name: str, filename: str, validate: int = 0, subfontIndex: int = 0,
                 asciiReadable: bool = False, shapable: bool = True):  # TTFont's parameter names
        super().__init__(name, filename, validate=validate, subfontIndex=subfontIndex,
                         asciiReadable=asciiReadable, shapable=shapable)

    #: where compressed font programs are remembered between builds (see ProgramCache), if anywhere
    programs: ProgramCache | None = None

    @classmethod
    def adopt(cls, font: TTFont, *, ascii_readable: bool = False,
              programs: ProgramCache | None = None) -> PackedTTFont:
        """A `PackedTTFont` with `font`'s name and parsed face (metrics shared, no re-parse);
        `ascii_readable` as in the class doc; `programs`: a cache of written font programs."""
        from weakref import WeakKeyDictionary

        packed = cls.__new__(cls)
        packed.__dict__.update(font.__dict__)
        packed.state = WeakKeyDictionary()  # per-document subset state is never shared
        packed._asciiReadable = ascii_readable
        packed.programs = programs
        return packed

    def addObjects(self, doc) -> None:
        """Write this face's fonts into `doc`: called once, at save, for a face that was used."""
        state = self._assignState(doc)
        subsets: list[list[int]] = state.subsets
        if getattr(self.face, "_full_font", None) or any(len(s) > 256 for s in subsets):
            TTFont.addObjects(self, doc)  # ReportLab's whole-font mode: not one-byte subsets
            return
        state.frozen = 1
        face = self.face
        char_to_glyph = face.charToGlyph
        # CID = 256·subset + code; every CID maps to the face's glyph for that code's character.
        cid_glyphs = [char_to_glyph.get(u, 0) for subset in subsets for u in _padded(subset, subsets)]
        used = sorted(set(cid_glyphs))
        name = (face.name + face.subfontNameX).decode("pdfdoc")
        cache = self.programs if doc.compression else None
        hit = cache.get(self.fontName, used) if cache is not None else None
        packed: bytes | None = None  # the program compressed here or by an earlier build
        if hit is not None:  # the same glyphs as an earlier build: its compressed program
            tag, length1, order, packed = hit
            new_gid = {g: i for i, g in enumerate(order)}
        else:
            program, new_gid = font_program(face, used)
            tag, length1 = _subset_tag(self.fontName, program), len(program)
            if cache is not None:
                packed = pdfdoc.PDFZCompress.encode(program)
                cache.put(self.fontName, used, tag, length1, sorted(new_gid, key=new_gid.__getitem__), packed)
        font_file = pdfdoc.PDFStream(content=program if packed is None else packed, filters=_filters(doc))
        font_file.dictionary["Length1"] = length1
        if packed is not None:  # compressed already: the stream is told so and leaves it as it is
            font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])
        base = f"{tag}+{name}"
        flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": flags,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(base),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": doc.Reference(font_file, f"packedFontFile:{self.fontName}"),
        })
        gid_map = pdfdoc.PDFStream(content=b"".join(pack(">H", new_gid[g]) for g in cid_glyphs),
                                   filters=_filters(doc))
        widths = [face.getCharWidth(u) for subset in subsets for u in _padded(subset, subsets)]
        default, w_array = cid_widths(widths)
        cid_font = pdfdoc.PDFDictionary({
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": pdfdoc.PDFName(base),
            "CIDSystemInfo": pdfdoc.PDFDictionary(_IDENTITY),
            "FontDescriptor": doc.Reference(descriptor, f"packedFontDescriptor:{self.fontName}"),
            "DW": default,
            "W": w_array,
            "CIDToGIDMap": doc.Reference(gid_map, f"packedCIDToGIDMap:{self.fontName}"),
        })
        cid_ref = doc.Reference(cid_font, f"packedCIDFont:{self.fontName}")

        font_dict = doc.idToObject["BasicFonts"].dict
        for n, subset in enumerate(subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            cmap_name = f"{tag}-{n}"
            encoding = pdfdoc.PDFStream(content=encoding_cmap(cmap_name, 256 * n, len(subset)),
                                        filters=_filters(doc))
            encoding.dictionary.dict.update({"Type": "/CMap", "CMapName": pdfdoc.PDFName(cmap_name),
                                             "CIDSystemInfo": pdfdoc.PDFDictionary(_IDENTITY)})
            to_unicode = pdfdoc.PDFStream(content=to_unicode_cmap(subset), filters=_filters(doc))
            type0 = pdfdoc.PDFDictionary({
                "Type": "/Font",
                "Subtype": "/Type0",
                "BaseFont": pdfdoc.PDFName(base),
                "Encoding": doc.Reference(encoding, f"packedEncoding:{self.fontName}:{n}"),
                "DescendantFonts": pdfdoc.PDFArray([cid_ref]),
                "ToUnicode": doc.Reference(to_unicode, f"packedToUnicode:{self.fontName}:{n}"),
            })
            font_dict[internal] = doc.Reference(type0, internal)
        del self.state[doc]



MAX_PROGRAM_BYTES = 64 * 1024 * 1024  # a cached program larger than this is not one paiban wrote


class ProgramCache:
    """Compressed font programs remembered between builds, one file per face and glyph set.

    Most of what writing a face costs is compressing its font program (≈ 350 KB of glyph
    outlines for the default briefing, ≈ 20 ms), and a rebuild usually draws the very same glyphs
    again. A file holds the compressed program with what the PDF says of it (subset tag, length,
    glyph order) as a JSON header: no code. Keyed by the face's file (path, size, mtime), its
    ReportLab name and the glyph ids; the newest `keep` files per folder stay.
    """

    MAGIC = b"paiban font program 1\n"

    def __init__(self, folder: Path, source: Path, keep: int = 40) -> None:
        st = source.stat()
        self.folder, self.keep = folder, keep
        self.identity = f"{source}\0{st.st_size}\0{st.st_mtime_ns}\0{code_digest(Path(__file__))}"

    def _path(self, font_name: str, glyphs: Sequence[int]) -> Path:
        h = hashlib.sha256(f"{self.identity}\0{font_name}\0{','.join(map(str, glyphs))}".encode())
        return self.folder / f"{h.hexdigest()[:32]}.bin"

    def get(self, font_name: str, glyphs: Sequence[int]) -> tuple[str, int, list[int], bytes] | None:
        path = self._path(font_name, glyphs)
        try:
            data = read_regular(path, MAX_PROGRAM_BYTES, follow=False)
            if not data.startswith(self.MAGIC):
                return None
            end = data.index(b"\n", len(self.MAGIC))
            head = json.loads(data[len(self.MAGIC):end])
            tag, length1, order = str(head["tag"]), int(head["length1"]), [int(g) for g in head["order"]]
            packed = data[end + 1:]
            if len(packed) != int(head["size"]) or zlib.crc32(packed) != int(head["crc"]):
                return None  # torn or altered: compress again
        except (OSError, ValueError, KeyError, TypeError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used: the newest are the ones kept
        return tag, length1, order, packed

    def put(self, font_name: str, glyphs: Sequence[int], tag: str, length1: int, order: list[int],
            packed: bytes) -> None:
        """Keep a program (atomically; a folder that cannot be written is no error)."""
        head = json.dumps({"tag": tag, "length1": length1, "order": order, "size": len(packed),
                           "crc": zlib.crc32(packed)}, separators=(",", ":"))
        if not save_cache(self._path(font_name, glyphs), self.MAGIC + head.encode("ascii") + b"\n" + packed):
            return
        prune(self.folder, "*.bin", self.keep)


# ---------------------------------------------------------------- the font program


def font_program(face, glyphs: Sequence[int]) -> tuple[bytes, dict[int, int]]:
    """A TrueType font holding `glyphs` of a ReportLab-parsed face (plus the components of
    composite ones), in the face's glyph order, glyph 0 first.

    Returns the font file and the map old glyph id → new glyph id. Outlines are copied byte for
    byte (only composite glyphs' component ids are rewritten); metrics come from the face's
    hmtx. Tables: head, hhea, maxp, hmtx, loca, glyf, and cvt/fpgm/prep when the face has them.
    """
    data_of = face._ttf_data  # the whole file: slicing per glyph, not copying the 4 MB glyf table
    glyf_at = face.table["glyf"]["offset"]
    pos = face.glyphPos

    def glyph_data(g: int) -> bytes:
        return data_of[glyf_at + pos[g]:glyf_at + pos[g + 1]]

    wanted = {0, *glyphs}
    todo = list(wanted)
    while todo:  # composite glyphs draw other glyphs: those come along
        g = todo.pop()
        for component in _components(glyph_data(g)):
            if component not in wanted:
                wanted.add(component)
                todo.append(component)
    order = sorted(wanted)
    new_gid = {g: i for i, g in enumerate(order)}

    out = TTFontMaker()
    for tag in _COPIED_TABLES:
        if tag in face.table:
            out.add(tag, face.get_table(tag))

    pieces: list[bytes] = []
    offsets: list[int] = []
    at = 0
    for g in order:
        offsets.append(at)
        data = glyph_data(g)
        if len(data) > 2 and data[0] & 0x80:
            data = _renumber_components(data, new_gid)
        pieces.append(data)
        at += len(data)
        if at % 4:
            pieces.append(b"\0" * (4 - at % 4))
            at += 4 - at % 4
    offsets.append(at)
    out.add("glyf", b"".join(pieces))
    if at >> 1 > 0xFFFF:
        loc_format, loca = 1, pack(f">{len(offsets)}L", *offsets)
    else:
        loc_format, loca = 0, pack(f">{len(offsets)}H", *(o >> 1 for o in offsets))
    out.add("loca", loca)

    metrics = [face.hmetrics[g] for g in order]
    n_long = len(metrics)  # trailing glyphs with the last advance keep only their lsb
    while n_long > 1 and metrics[n_long - 1][0] == metrics[n_long - 2][0]:
        n_long -= 1
    hmtx = [v for aw, lsb in metrics[:n_long] for v in (aw, lsb)] + [lsb for _, lsb in metrics[n_long:]]
    out.add("hmtx", pack(f">{len(hmtx)}H", *(v & 0xFFFF for v in hmtx)))

    hhea = face.get_table("hhea")
    out.add("hhea", hhea[:34] + pack(">H", n_long) + hhea[36:])
    maxp = face.get_table("maxp")
    out.add("maxp", maxp[:4] + pack(">H", len(order)) + maxp[6:])
    head = face.get_table("head")
    out.add("head", head[:50] + pack(">h", loc_format) + head[52:])
    return out.makeStream(), new_gid


def _components(data: bytes) -> list[int]:
    """Glyph ids a composite glyph's record refers to ([] for a simple or empty glyph)."""
    if len(data) < 10 or not data[0] & 0x80:
        return []
    found = []
    at = 10
    flags = GF_MORE_COMPONENTS
    while flags & GF_MORE_COMPONENTS:
        flags, glyph = unpack(">HH", data[at:at + 4])
        found.append(glyph)
        at += 4 + _component_args(flags)
    return found


def _renumber_components(data: bytes, new_gid: dict[int, int]) -> bytes:
    buf = bytearray(data)
    at = 10
    flags = GF_MORE_COMPONENTS
    while flags & GF_MORE_COMPONENTS:
        flags, glyph = unpack(">HH", buf[at:at + 4])
        buf[at + 2:at + 4] = pack(">H", new_gid[glyph])
        at += 4 + _component_args(flags)
    return bytes(buf)


def _component_args(flags: int) -> int:
    size = 4 if flags & GF_ARG_1_AND_2_ARE_WORDS else 2
    if flags & GF_WE_HAVE_A_SCALE:
        size += 2
    elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
        size += 4
    elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
        size += 8
    return size


# ---------------------------------------------------------------- PDF pieces


def encoding_cmap(name: str, first_cid: int, count: int) -> str:
    """An embedded CMap: one-byte codes 0…count-1 → CIDs first_cid…first_cid+count-1."""
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def",
        f"/CMapName /{name} def",
        "/CMapType 1 def",
        "1 begincodespacerange",
        "<00> <FF>",
        "endcodespacerange",
        "1 begincidrange",
        f"<00> <{count - 1:02X}> {first_cid}",
        "endcidrange",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


def to_unicode_cmap(subset: Sequence[int]) -> str:
    """The ToUnicode CMap of one subset: code i → character subset[i].

    The same mapping ReportLab writes, as one `bfrange` with an array of destinations instead
    of a `bfchar` line per code (PDF 32000 §9.10.3): the codes are implied by position, which
    saves about a third of the compressed stream.
    """
    targets = " ".join(f"<{u:04X}>" if u < 0x10000 else f"<{_utf16(u)}>" for u in subset)
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <FF>",
        "endcodespacerange",
        "1 beginbfrange",
        f"<00> <{len(subset) - 1:02X}> [{targets}]",
        "endbfrange",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


def _utf16(u: int) -> str:
    u -= 0x10000
    return f"{0xD800 + (u >> 10):04X}{0xDC00 + (u & 0x3FF):04X}"


def cid_widths(widths: Sequence[float]) -> tuple[float, pdfdoc.PDFArray]:
    """The commonest width as `DW` and a `W` array for the CIDs (index) whose width differs.

    Runs of three or more equal widths are written `first last w`, the rest `first [w …]`.
    """
    if not widths:
        return 1000, pdfdoc.PDFArray([])
    default = Counter(widths).most_common(1)[0][0]
    items: list = []
    cid, n = 0, len(widths)
    while cid < n:
        if widths[cid] == default:
            cid += 1
            continue
        end = cid
        while end < n and widths[end] != default:
            end += 1
        group: list[float] = []
        k = cid
        while k < end:
            run = k
            while run + 1 < end and widths[run + 1] == widths[k]:
                run += 1
            if run - k >= 2:
                if group:
                    items += [k - len(group), pdfdoc.PDFArrayCompact(group)]
                    group = []
                items += [k, run, widths[k]]
                k = run + 1
            else:
                group.append(widths[k])
                k += 1
        if group:
            items += [end - len(group), pdfdoc.PDFArrayCompact(group)]
        cid = end
    array = pdfdoc.PDFArray(items)
    array.multiline = False
    return default, array


def _padded(subset: list[int], subsets: list[list[int]]) -> list[int]:
    """A subset's characters by code; every subset but the last fills all 256 CIDs of its range."""
    if subset is subsets[-1]:
        return subset
    return subset + [0] * (256 - len(subset))


def _subset_tag(font_name: str, program: bytes) -> str:
    """Six capital letters naming this subset (PDF 32000 §9.6.4), the same for the same glyphs."""
    digest = hashlib.sha1(font_name.encode("utf-8") + program).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _filters(doc) -> list | None:
    return [pdfdoc.PDFZCompress] if doc.compression else None
