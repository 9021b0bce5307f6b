"""Decoding a data or text file in the encoding the editor's program saved it in.

Excel and WPS on Chinese Windows save CSV as GBK (code page 936); newer ones as UTF-8 with a
BOM; "Unicode text" is UTF-16. Guessing with a statistical detector is unreliable on a short
CSV of digits and a few names, so the order is fixed and predictable: a BOM says what it is;
UTF-16 without a BOM shows itself by NUL bytes in every other position; then strict UTF-8 (which
almost never decodes text in another encoding by accident); then GB18030, the superset of GBK
and GB2312. `encoding:` in the spec forces one, and `validate` reports the one used.
"""

from __future__ import annotations

import codecs

#: How the spec's `encoding:` may name an encoding (and what `validate` reports).
NAMES = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gbk", "gb2312": "gbk",
         "cp936": "gbk", "gb18030": "gb18030", "utf-16": "utf-16", "utf-16le": "utf-16-le",
         "utf-16-le": "utf-16-le", "utf-16be": "utf-16-be", "utf-16-be": "utf-16-be", "big5": "big5"}


class Undecodable(ValueError):
    """The bytes are not text in the encoding tried; `line` is where decoding stopped."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message, self.line = message, line


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16-LE/BE text without a BOM. UTF-8 and GBK text never holds a NUL byte; UTF-16 text
    of a CSV does, and its line breaks, commas, tabs and digits say which way round: 0A 00 in
    little-endian, 00 0A in big-endian (a Chinese character's own NUL, as in 一 U+4E00, falls on
    either side and is outvoted)."""
    if len(raw) < 2 or len(raw) % 2 or b"\x00" not in raw:
        return None
    head = raw[:8192]
    pairs = list(zip(head[0::2], head[1::2], strict=False))
    ascii_ = set(b"\n\r\t,;0123456789. ")
    le = sum(1 for a, b in pairs if b == 0 and a in ascii_)
    be = sum(1 for a, b in pairs if a == 0 and b in ascii_)
    if le > be:
        return "utf-16-le"
    if be > le:
        return "utf-16-be"
    return None


def decode(raw: bytes, forced: str | None = None) -> tuple[str, str]:
    """The text of `raw` and the name of the encoding it was read in; raises Undecodable."""
    if forced:
        name = NAMES.get(forced.lower().replace("_", "-"), forced.lower())
        try:
            codecs.lookup(name)
        except LookupError:
            raise Undecodable(f"unknown encoding {forced!r}; expected one of utf-8, gbk, gb18030, utf-16, big5",
                              1) from None
        if name == "utf-8" and raw.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        return _strict(raw, name, forced), name
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw, "utf-8-sig", "UTF-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", "UTF-16"), "utf-16"
    wide = _utf16_without_bom(raw)
    if wide:
        try:
            return raw.decode(wide), wide
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Undecodable(f"neither UTF-8, UTF-16 nor GBK/GB18030 text (byte {exc.start}); save the file as "
                          "UTF-8, or name its encoding with encoding:", line) from None
    # GBK is GB18030's two-byte part: name the file as editors know it when that is all it uses
    try:
        raw.decode("gbk")
        return text, "gbk"
    except UnicodeDecodeError:
        return text, "gb18030"


def _strict(raw: bytes, name: str, shown: str) -> str:
    try:
        return raw.decode(name)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Undecodable(f"not {shown} text (byte {exc.start}); save the file as UTF-8, or name its encoding "
                          "with encoding:", line) from None
