"""The PDF file's own structure, compressed: object streams and a cross-reference stream (PDF 1.5).

ReportLab writes every object as plain text and a classic cross-reference table of 20 bytes per
object. Every object that is not a stream — pages, fonts, font descriptors, the outline, the
catalog, annotations — is a short dictionary, and in a Chinese briefing they are similar to one
another: deflated together in object streams (PDF 32000 §7.5.7, at most `PER_STREAM` objects
each, as qpdf writes them) and indexed by a deflated cross-reference stream with the PNG "Up"
predictor (§7.5.8), they take about a quarter of the room. Streams (page contents, font programs,
CMaps) stay as they are: they are compressed already and may not go in an object stream.

`CompactDocument.format` is ReportLab's `PDFDocument.format` with that one change at the end: the
objects are formatted the same way, in the same order, and the pages read, render and extract
exactly as before. The pieces (`pack_objects`, `xref_stream`) take objects as they come, so a
writer that writes pages as they are finished can pack each finished batch. An encrypted or
signed document keeps ReportLab's layout.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

from reportlab.pdfbase import pdfdoc

__all__ = ["PER_STREAM", "CompactDocument", "pack_objects", "xref_stream"]

#: objects per object stream: a reader that wants one object inflates at most this many
PER_STREAM = 100


class CompactDocument(pdfdoc.PDFDocument):
    """A ReportLab document written with object streams and a cross-reference stream."""

    def format(self) -> bytes:
        if self.encrypt.info() or getattr(self, "_digiSigs", None):
            return super().format()  # strings encrypted per object, byte ranges signed: ReportLab's
        self.encrypt.prepare(self)
        catalog, info = self.Catalog, self.info
        self.Reference(catalog)
        self.Reference(info)
        self._pdfVersion = max(tuple(self._pdfVersion), (1, 5))
        number_to_id, id_to_object, id_to_offset = self.numberToId, self.idToObject, self.idToOffset
        out = self.__accum__ = pdfdoc.PDFFile(self._pdfVersion)
        offsets: dict[int, int] = {}  # object number → where a stream object starts
        packed: list[tuple[int, bytes]] = []  # (object number, its body) of every other object
        number = 0
        while True:  # objects may be added while others are formatted (as in ReportLab)
            number += 1
            if number not in number_to_id:
                break
            oid = number_to_id[number]
            whole = pdfdoc.PDFIndirectObject(oid, id_to_object[oid]).format(self)
            head = b"%d 0 obj\n" % number
            body = whole[len(head):-len(b"endobj\n")]
            if body.rstrip().endswith(b"endstream"):
                offsets[number] = id_to_offset[oid] = out.add(whole)
            else:
                packed.append((number, body))
        del self.__accum__
        count = number - 1
        if count != len(number_to_id):
            raise ValueError(f"counter {count} doesn't match number to id dictionary {len(number_to_id)}")

        in_stream: dict[int, tuple[int, int]] = {}  # object number → (its object stream, index)
        next_number = count + 1
        for first in range(0, len(packed), PER_STREAM):
            batch = packed[first:first + PER_STREAM]
            offsets[next_number] = out.add(pack_objects(next_number, batch))
            in_stream.update({n: (next_number, i) for i, (n, _) in enumerate(batch)})
            next_number += 1
        root, info_ref = (self.Reference(x).format(self).decode("latin-1") for x in (catalog, info))
        ident = re.findall(rb"<([0-9A-Fa-f]*)>", self.ID())[:2]
        trailer = f"/Root {root} /Info {info_ref} /ID [<{ident[0].decode()}> <{ident[1].decode()}>]"
        xref_at = out.offset
        out.add(xref_stream(next_number, offsets, in_stream, xref_at, trailer))
        out.add(b"startxref\n%d\n%%%%EOF\n" % xref_at)
        return out.format(self)


def pack_objects(number: int, objects: Sequence[tuple[int, bytes]]) -> bytes:
    """Object `number`: an object stream holding `objects` ((object number, body) pairs, bodies
    as they would stand between `obj` and `endobj`), deflated."""
    index: list[bytes] = []
    bodies: list[bytes] = []
    at = 0
    for n, body in objects:
        index.append(b"%d %d" % (n, at))
        body = body.strip() + b"\n"
        bodies.append(body)
        at += len(body)
    head = b" ".join(index) + b"\n"
    data = zlib.compress(head + b"".join(bodies), 9)
    return (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (number, len(objects), len(head), len(data)) + data + b"\nendstream\nendobj\n")


def xref_stream(number: int, offsets: dict[int, int], in_stream: dict[int, tuple[int, int]], at: int,
                trailer: str) -> bytes:
    """Object `number`, starting at byte `at`: the cross-reference stream for objects 0…number —
    `offsets` of objects written as they are, `in_stream` of those packed in object streams
    (its number, the index in it) — with `trailer` (Root, Info, ID) in its dictionary."""
    offsets = {**offsets, number: at}
    size = number + 1
    width = max(1, (max(offsets.values()).bit_length() + 7) // 8)
    rows = [b"\x00" + (0).to_bytes(width, "big") + b"\xff\xff"]  # object 0: the head of the free list
    for n in range(1, size):
        if n in offsets:
            rows.append(b"\x01" + offsets[n].to_bytes(width, "big") + b"\x00\x00")
        else:
            stream, index = in_stream[n]
            rows.append(b"\x02" + stream.to_bytes(width, "big") + index.to_bytes(2, "big"))
    columns = 1 + width + 2
    predicted = bytearray()
    previous = bytes(columns)
    for row in rows:  # PNG "Up": each byte less the one above it, which turns offsets into small steps
        predicted.append(2)
        predicted += bytes((b - a) & 0xFF for a, b in zip(previous, row, strict=True))
        previous = row
    data = zlib.compress(bytes(predicted), 9)
    return (f"{number} 0 obj\n<< /Type /XRef /Size {size} /W [1 {width} 2] {trailer} /Filter /FlateDecode "
            f"/DecodeParms << /Columns {columns} /Predictor 12 >> /Length {len(data)} >>\nstream\n"
            ).encode("latin-1") + data + b"\nendstream\nendobj\n"
