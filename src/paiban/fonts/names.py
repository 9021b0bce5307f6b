"""A face's names, and which face of a file answers to a name.

Editors name faces as they see them in their font menus: a family, full or PostScript name,
written with any spacing and case. The same comparison serves a face inside a collection
(`index_by_name`) and an installed font looked up by family (`paiban.fonts.installed`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from paiban.errors import InputError, Location
from paiban.fonts.sniff import FontFile


def names_of(font: Any) -> list[str]:
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


def name_key(name: str) -> str:
    """A font name as compared: without spaces, hyphens and underscores, case folded."""
    return re.sub(r"[\s_-]+", "", name).casefold()


def index_by_name(path: Path, info: FontFile, name: str, where: Location | None) -> int:
    """The face of a file whose family, full or PostScript name is `name` (spaces, case ignored)."""
    from fontTools.ttLib import TTFont as FTFont

    want = name_key(name)
    seen: list[str] = []
    for i in range(info.faces):
        try:
            with FTFont(str(path), fontNumber=i, lazy=True) as ft:
                names = names_of(ft)
                full = ft["name"].getBestFullName()
        except Exception as exc:  # fontTools raises many kinds on a damaged file
            raise InputError(f"cannot read font {path.name}: {exc}", where) from None
        if any(name_key(n) == want for n in names):
            return i
        seen.append(full or (names[0] if names else f"face {i}"))
    raise InputError(f"font {path.name} has no face named {name!r}; its faces: "
                     + ", ".join(f"{i}: {n}" for i, n in enumerate(seen)), where)
