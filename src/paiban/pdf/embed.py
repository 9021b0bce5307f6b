"""Embed each TrueType face once: one font program and one font resource per face.

ReportLab's `TTFont` writes a face as simple TrueType fonts of at most 256 one-byte codes each,
and every one of them embeds its own font file with its own head/hhea/maxp/OS2/cmap/name/post
tables, its own `Widths` array of up to 256 numbers and its own font descriptor. For a Chinese
briefing that is 11 font files for 5 faces, and most of their weight beyond the glyph outlines
is repeated overhead.

`PackedTTFont` keeps what ReportLab does while drawing — `splitString` hands out (subset, codes)
pairs that ReportLab's text objects write, `getSubsetInternalName` names the font resource, and
`stringWidth` is ReportLab's — but its codes are two-byte CIDs, one per character in the order
characters are first drawn (CID 0 is .notdef, for a character the face lacks), all in subset 0:

* one `Type0` font per face with the predefined `Identity-H` encoding (code = CID: no embedded
  CMap) and one `ToUnicode` CMap, so a face is one font resource however many characters it
  draws (ReportLab's 256-code subsets made the body face change resource every few characters:
  3,700 `Tf` operators in the five pages of the default briefing);
* one `CIDFontType2` per face, with one font program holding every glyph the document used
  (glyph outlines copied byte for byte, so pages render exactly as before), only the tables a
  CID-keyed TrueType font needs (head, hhea, maxp, hmtx, loca, glyf, and cvt/fpgm/prep when the
  face is hinted: PDF 32000 §9.9 — no cmap, name, OS/2 or post), glyphs in the face's own order
  (similar glyphs stay near each other, which deflate rewards: 7 KB less than drawn order),
  widths as a compact `W` array and a `CIDToGIDMap` stream taking each CID to its glyph.

Word spacing (`Tw`) applies only to the one-byte code 32 (PDF 32000 §9.3.3), so it has no
effect on text in these fonts; paiban never sets it (justification is the text-object writer's
`Tc` and TJ numbers, `paiban.pdf.text`). A face ReportLab embeds whole (`_full_font`: a face
that forbids subsetting) keeps ReportLab's own one-byte subsets.

Only glyphs the document draws are embedded. The default briefing: 481,669 → 409,576 bytes
with one program per face, 411,407 → 403,200 with one font resource per face (10 Type0 fonts
and their encoding CMaps and ToUnicode streams → 5, no Identity-H CMap embedded, 3,759 → 327
`Tf` operators); pages render pixel for pixel the same (poppler, MuPDF) and extract the same
text (MuPDF, poppler). The glyph outlines themselves (≈ 345 KB compressed) are the floor.
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

__all__ = ["PackedTTFont", "cid_widths", "font_program", "to_unicode_cmap"]

# Tables a TrueType font program used as a CIDFontType2 needs (the instructions ones when present).
_COPIED_TABLES = ("cvt ", "fpgm", "prep")

_IDENTITY = {"Registry": "(Adobe)", "Ordering": "(Identity)", "Supplement": 0}


class PackedTTFont(TTFont):
    """A ReportLab TrueType font that embeds one font program and one Type0 font per face, with
    two-byte codes (see the module doc).

    Drop-in for `TTFont` (word spacing aside): construct it the same way, or `adopt` an already
    parsed `TTFont` (sharing its parsed face, so nothing is read twice), and register it with
    `pdfmetrics.registerFont` under the same name.
    """

    def __init__(self, name: str, filename: str, validate: int = 0, subfontIndex: int = 0,
                 asciiReadable: bool = False, shapable: bool = True):  # TTFont's parameter names
        super().__init__(name, filename, validate=validate, subfontIndex=subfontIndex,
                         asciiReadable=asciiReadable, shapable=shapable)

    #: where compressed font programs are remembered between builds (see ProgramCache), if anywhere
    programs: ProgramCache | None = None

    @classmethod
    def adopt(cls, font: TTFont, *, programs: ProgramCache | None = None) -> PackedTTFont:
        """A `PackedTTFont` with `font`'s name and parsed face (metrics shared, no re-parse);
        `programs`: a cache of written font programs."""
        from weakref import WeakKeyDictionary

        packed = cls.__new__(cls)
        packed.__dict__.update(font.__dict__)
        packed.state = WeakKeyDictionary()  # per-document state is never shared
        packed._asciiReadable = False
        packed.programs = programs
        return packed

    def two_byte_codes(self) -> bool:
        """Whether this font's codes are two-byte CIDs (all but a face embedded whole)."""
        return not getattr(self.face, "_full_font", None)

    def cids(self, text: str, doc) -> list[int]:
        """The CID of each character of `text` in `doc`, giving a character met for the first
        time the next one (a no-break space is the space, as in ReportLab; a character the face
        lacks is CID 0, .notdef)."""
        state = self._assignState(doc)
        assigned: dict[int, int] | None = getattr(state, "cids", None)
        if assigned is None:
            assigned = state.cids = {0: 0}
            state.cid_chars = [0]  # CID → character
        out = []
        char_to_glyph = self.face.charToGlyph
        for code in map(ord, text):
            if code == 0xA0:
                code = 32
            cid = assigned.get(code)
            if cid is None:
                if code not in char_to_glyph:
                    cid = 0
                else:
                    if state.frozen:
                        raise pdfdoc.PDFError(f"Font {self.fontName} is already frozen, cannot add new "
                                              f"character U+{code:04X}")
                    chars = state.cid_chars
                    cid = assigned[code] = len(chars)
                    if cid > 0xFFFF:
                        raise pdfdoc.PDFError(f"Font {self.fontName} draws more than 65,535 characters")
                    chars.append(code)
            out.append(cid)
        return out

    def splitString(self, text, doc, encoding="utf-8"):
        """ReportLab's text objects write what this returns: [(0, the two-byte CIDs)]."""
        if not self.two_byte_codes():
            return super().splitString(text, doc, encoding)
        if isinstance(text, bytes):
            text = text.decode(encoding)
        cids = self.cids(text, doc)
        return [(0, pack(f">{len(cids)}H", *cids))] if cids else []

    def getSubsetInternalName(self, subset, doc):
        """The face's one font resource ('/F3+0'); the first call numbers the font in `doc`."""
        if not self.two_byte_codes():
            return super().getSubsetInternalName(subset, doc)
        state = self._assignState(doc)
        if state.internalName is None:
            state.internalName = state.namePrefix + repr(len(doc.fontMapping) + 1)
            doc.fontMapping[self.fontName] = "/" + state.internalName
            doc.delayedFonts.append(self)
        return f"/{state.internalName}+0"

    def addObjects(self, doc) -> None:
        """Write this face's font into `doc`: called once, at save, for a face that was used."""
        if not self.two_byte_codes():
            TTFont.addObjects(self, doc)  # ReportLab's whole-font mode
            return
        state = self._assignState(doc)
        state.frozen = 1
        chars: list[int] = getattr(state, "cid_chars", None) or [0]
        face = self.face
        char_to_glyph = face.charToGlyph
        cid_glyphs = [char_to_glyph.get(u, 0) for u in chars]  # CID → the face's glyph
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
            if doc.compression:
                packed = deflate(program)
            if cache is not None and packed is not None:
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
        default, w_array = cid_widths([face.getCharWidth(u) for u in chars])
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
        to_unicode = pdfdoc.PDFStream(content=to_unicode_cmap(chars), filters=_filters(doc))
        internal = self.getSubsetInternalName(0, doc)[1:]
        type0 = pdfdoc.PDFDictionary({
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": pdfdoc.PDFName(base),
            "Encoding": "/Identity-H",
            "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font, f"packedCIDFont:{self.fontName}")]),
            "ToUnicode": doc.Reference(to_unicode, f"packedToUnicode:{self.fontName}"),
        })
        doc.idToObject["BasicFonts"].dict[internal] = doc.Reference(type0, internal)
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


def to_unicode_cmap(chars: Sequence[int]) -> str:
    """The ToUnicode CMap of a face: two-byte code (CID) i → character chars[i].

    One `bfrange` per 256 codes (a range may differ only in its last byte) with an array of
    destinations instead of a `bfchar` line per code (PDF 32000 §9.10.3): the codes are implied
    by position, which saves about a third of the compressed stream.
    """
    ranges = []
    for first in range(0, len(chars), 256):
        block = chars[first:first + 256]
        targets = " ".join(f"<{u:04X}>" if u < 0x10000 else f"<{_utf16(u)}>" for u in block)
        ranges.append(f"<{first:04X}> <{first + len(block) - 1:04X}> [{targets}]")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
        f"{len(ranges)} beginbfrange",
        *ranges,
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


def deflate(data: bytes) -> bytes:
    """A font program deflated as tightly as zlib can (level 9, the largest window and memory):
    0.7 KB less than ReportLab's default level over the default briefing's five programs, for
    5 ms more — once per glyph set, as `ProgramCache` keeps the result."""
    z = zlib.compressobj(9, zlib.DEFLATED, 15, 9)
    return z.compress(data) + z.flush()


def _subset_tag(font_name: str, program: bytes) -> str:
    """Six capital letters naming this subset (PDF 32000 §9.6.4), the same for the same glyphs."""
    digest = hashlib.sha1(font_name.encode("utf-8") + program).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _filters(doc) -> list | None:
    return [pdfdoc.PDFZCompress] if doc.compression else None
