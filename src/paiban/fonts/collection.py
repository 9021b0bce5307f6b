"""The face of a font collection (.ttc/.otc) that suits the document's language.

A CJK collection holds one face per region: Noto Serif CJK and Source Han carry JP, KR, SC, TC
and HK faces of one design, and the first face (index 0) is usually the Japanese one. Given
without `index:` or `name:`, face 0 would silently set a zh-CN document with Japanese glyph
shapes (different 骨, 直, 写, punctuation centred instead of in the corner). So the face is chosen
by `document.language`, from what each face says of itself, strongest evidence first:

1. its names (family, typographic family, PostScript), where the region is a word of its own:
   "Noto Serif CJK SC", "Source Han Sans K", "Source Han Sans HC", "NotoSerifCJKsc-Regular";
2. the name table's languages: a family name written for zh-CN (Windows language 0x0804),
   zh-TW, zh-HK, ja or ko that the other faces lack (思源宋体 beside 源ノ明朝);
3. OS/2 code page ranges naming one CJK code page only (936 simplified, 950 traditional,
   932 Japanese, 949 Korean).

A region with no face of its own falls back on the nearest (HK → TC, TC → HK); when no face
speaks of any region (SimSun and NSimSun, say), face 0 is kept. Which face was taken, and why,
is said as a note, so the editor can pin it with `index:` or `name:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paiban.errors import Diagnostics, Location
from paiban.fonts.names import names_of
from paiban.fonts.sniff import sniff

# A region's words in face names, its Windows name-table language IDs, its OS/2 code page bit.
REGIONS: dict[str, tuple[frozenset[str], frozenset[int], int]] = {
    "SC": (frozenset({"SC", "CN", "GB", "HANS", "SIMPLIFIED"}), frozenset({0x0804, 0x1004}), 18),
    "TC": (frozenset({"TC", "TW", "HANT", "TRADITIONAL"}), frozenset({0x0404}), 20),
    "HK": (frozenset({"HK", "HC", "HKSCS"}), frozenset({0x0C04, 0x1404}), 20),  # HC: Source Han's HK
    "JP": (frozenset({"JP", "J", "JA", "JAPANESE"}), frozenset({0x0411}), 17),
    "KR": (frozenset({"KR", "K", "KO", "KOREAN"}), frozenset({0x0412}), 19),
}
FALLBACK = {"HK": ("HK", "TC"), "TC": ("TC", "HK")}
CJK_CODE_PAGES = (17, 18, 19, 20, 21)  # 932, 936, 949, 950, 1361 (Johab)


def region_of(language: str) -> str | None:
    """The CJK region a BCP 47 tag asks for: zh-CN, zh-Hans, zh-SG, zh → SC; zh-TW, zh-Hant → TC;
    zh-HK, zh-MO → HK; ja → JP; ko → KR; None for any other language."""
    parts = [p.lower() for p in re.split(r"[-_]", language.strip()) if p]
    if not parts:
        return None
    lang, rest = parts[0], parts[1:]
    if lang == "ja":
        return "JP"
    if lang == "ko":
        return "KR"
    if lang not in ("zh", "cmn", "yue"):
        return None
    if "hant" in rest:
        return "HK" if {"hk", "mo"} & set(rest) else "TC"
    if "hans" in rest:
        return "SC"
    if {"hk", "mo"} & set(rest):
        return "HK"
    if "tw" in rest:
        return "TC"
    return "SC"


@dataclass(frozen=True)
class FaceFacts:
    """What one face of a collection says of its region."""

    index: int
    name: str  # its full name, as the note shows it
    words: frozenset[str]  # region words found in its names
    name_languages: frozenset[int]  # Windows language IDs of its family-name records
    code_pages: frozenset[int]  # the CJK code page bits its OS/2 table sets


def _words(names: list[str]) -> set[str]:
    """Region words of a face's names: "Noto Serif CJK SC" → {SC}; "NotoSerifCJKsc-Regular" →
    {SC} (the PostScript form: a lower-case region after "CJK", or a capital one before the dash)."""
    found: set[str] = set()
    every = {w for words, _, _ in REGIONS.values() for w in words}
    for name in names:
        for word in re.split(r"[\s_\-]+", name):
            if word.upper() in every and (len(word) > 1 or word.isupper()):
                found.add(word.upper())
        head = name.split("-")[0]
        m = re.search(r"CJK(sc|tc|hk|jp|kr)$", head) or re.search(r"[a-z](SC|TC|HK|HC|JP|KR|K|J)$", head)
        if m:
            found.add(m.group(1).upper())
    return found


def facts_of(font: Any, index: int) -> FaceFacts:
    names = names_of(font)
    full = font["name"].getBestFullName() or (names[0] if names else f"face {index}")
    langs = frozenset(rec.langID for rec in font["name"].names if rec.platformID == 3 and rec.nameID in (1, 16))
    pages: frozenset[int] = frozenset()
    os2 = font.get("OS/2") if "OS/2" in font else None
    if os2 is not None and getattr(os2, "ulCodePageRange1", None) is not None:
        pages = frozenset(bit for bit in CJK_CODE_PAGES if os2.ulCodePageRange1 >> bit & 1)
    return FaceFacts(index, full, frozenset(_words(names)), langs, pages)


def _score(face: FaceFacts, region: str, others: list[FaceFacts]) -> tuple[int, str]:
    """How strongly `face` claims `region` (0: not at all) and the evidence, for the note."""
    words, langs, page = REGIONS[region]
    if face.words & words:
        return 3, "its name"
    if face.name_languages & langs and not any(o.name_languages & langs for o in others):
        return 2, "its name table's language"
    if face.code_pages == {page} and not any(o.code_pages == {page} for o in others):
        return 1, "its code page"
    return 0, ""


def choose(faces: list[FaceFacts], language: str) -> tuple[FaceFacts, str]:
    """The face for `language` and why: a sentence for the note."""
    region = region_of(language)
    if region is not None:
        for want in FALLBACK.get(region, (region,)):
            scored = [(_score(f, want, [o for o in faces if o is not f]), f) for f in faces]
            best = max(s[0] for s, _ in scored)
            if best > 0:
                (_, why), face = next((s, f) for s, f in scored if s[0] == best)
                near = "" if want == region else f" (no {region} face; {want} is the nearest)"
                return face, f"the {want} face by {why}, for document.language {language}{near}"
    first = faces[0]
    if region is None:
        return first, f"the first face: document.language {language} names no CJK region"
    return first, f"the first face: none names a region ({region} wanted for document.language {language})"


def face_for_language(path: Path, count: int, language: str) -> tuple[int, str]:
    """(index, the note's words) for a collection of `count` faces given without index or name."""
    from fontTools.ttLib import TTFont as FTFont

    faces = []
    for i in range(count):
        with FTFont(str(path), fontNumber=i, lazy=True) as ft:
            faces.append(facts_of(ft, i))
    face, why = choose(faces, language)
    return face.index, f"face {face.index} of {count}, {face.name}: {why}"


def collection_face(path: Path, language: str, at: Location | None, keypath: str | None,
                    diagnostics: Diagnostics | None) -> int:
    """0, unless `path` is a collection: then its face for `language`, said in a note."""
    try:
        info = sniff(path)
        if info.faces < 2:
            return 0
        index, why = face_for_language(path, info.faces, language)
    except Exception:  # noqa: BLE001 - an unreadable font is reported when it is loaded
        return 0
    if diagnostics is not None:
        diagnostics.note(f"{path.name} is a font collection; took {why} (index: or name: picks another)",
                         at, keypath)
    return index
