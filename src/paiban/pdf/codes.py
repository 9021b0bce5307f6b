"""Glyph codes of the document's fonts, looked up once per character per PDF.

A face paiban embeds (`paiban.pdf.embed.PackedTTFont`) gives each character a two-byte code, the
next one in the order characters are first drawn, in its one font resource. A plain ReportLab
`TTFont` (or a face embedded whole) uses subsets of up to 256 one-byte codes instead:
`TTFont.splitString` gives each new character the next code of the current subset. Either way
the font walks every character in Python each time it is asked. The text-object writer
(`paiban.pdf.text`) knows its glyphs and fonts already, so it asks the font only about
characters it has not seen in this document — in their order of first appearance, so every
character gets exactly the code (and every font the resource name) it would have got from
drawing the text through ReportLab — and reads every other code from a dictionary.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from reportlab.pdfbase import pdfmetrics


class SubsetCodes:
    """The codes of one TrueType font in one document: character → code, where a code is
    a two-byte CID (`wide`) or subset × 256 + byte."""

    __slots__ = ("font", "_doc", "code", "wide", "_names")

    def __init__(self, font, doc) -> None:
        self.font = font
        # weakly: `_docs` holds these under the document as a weak key, and a value that held
        # its key would keep every document of a process alive (a watch session's every build)
        self._doc = weakref.ref(doc)
        self.code: dict[str, int] = {}
        two_byte = getattr(font, "two_byte_codes", None)
        self.wide = bool(two_byte and two_byte())
        self._names: dict[int, str] = {}

    def codes(self, chars: Sequence[str]) -> list[int]:
        """The code of each character, giving new ones theirs as ReportLab would."""
        code = self.code
        got = list(map(code.get, chars))
        if None in got:
            new = [c for c in dict.fromkeys(chars) if c not in code]
            if self.wide:
                code.update(zip(new, self.font.cids("".join(new), self.doc), strict=True))
            else:
                codes = iter(new)
                for subset, data in self.font.splitString("".join(new), self.doc):
                    high = subset << 8
                    for byte in data:
                        code[next(codes)] = high | byte
            got = list(map(code.__getitem__, chars))
        return got

    def subset(self, code: int) -> int:
        """The subset (font resource) a code is drawn with."""
        return 0 if self.wide else code >> 8

    def hex(self, code: int) -> str:
        """A code as the digits of a PDF hex string."""
        return f"{code:04x}" if self.wide else f"{code & 255:02x}"

    @property
    def doc(self):
        """The document these codes are of."""
        return self._doc()

    def name(self, subset: int) -> str:
        """The font resource name of a subset ('/F3+1'); the first call numbers the font in
        the document, so callers ask in the order the text is drawn."""
        name = self._names.get(subset)
        if name is None:
            name = self._names[subset] = self.font.getSubsetInternalName(subset, self.doc)
        return name


#: document → ReportLab font name → its codes; a document's entry goes with the document.
_docs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def subset_codes(doc, rl_name: str) -> SubsetCodes:
    """The codes of the TrueType font registered as `rl_name` in the PDF document `doc`."""
    fonts = _docs.get(doc)
    if fonts is None:
        fonts = _docs[doc] = {}
    sc = fonts.get(rl_name)
    if sc is None:
        sc = fonts[rl_name] = SubsetCodes(pdfmetrics.getFont(rl_name), doc)
    return sc
