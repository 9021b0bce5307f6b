"""Cross-checks of a valid spec that the model cannot make alone: files exist inside the project
and are what they claim to be, names refer to defined families, styles and ids, and the page
leaves room for text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paiban.errors import InputError, Problem, dotted
from paiban.spec.geometry import geometry
from paiban.spec.loaded import LoadedSpec
from paiban.spec.model import Margins
from paiban.spec.styles import DEFAULTS, HEAD_TEXTS

#: Blocks only a 公文 sets, and the blocks a 公文 can set (its body is text on the character grid).
GONGWEN_ONLY = ("heading", "addressee", "attachments", "signature")
GONGWEN_KINDS = ("text", *GONGWEN_ONLY, "break", "closing", "rule")


def check_masthead_blocks(loaded: LoadedSpec) -> list[Problem]:
    """Blocks the page's kind can set: 公文 blocks need `page.masthead: gongwen`, and a 公文 body
    holds no figures, images or boxes; the preset's faces must be defined in fonts:."""
    spec = loaded.spec
    problems: list[Problem] = []
    gongwen = spec.page.masthead == "gongwen"
    for at in spec.blocks():
        keys = list(at.keys[:2])
        if gongwen and at.kind not in GONGWEN_KINDS:
            problems.append(Problem(f"a 公文 (page.masthead: gongwen) sets text on its character grid: a {at.kind} "
                                    "block has no place in it (README: 公文 lists the blocks it takes)",
                                    loaded.where(keys), dotted(keys)))
        elif gongwen and at.kind == "closing" and at.value.copies:
            keys = [*keys, "closing", "copies"]
            problems.append(Problem("a 公文's 版记 has no copies line (GB/T 9704-2012 prints no 印发份数); "
                                    "leave copies out", loaded.where(keys), dotted(keys)))
        elif not gongwen and at.kind in GONGWEN_ONLY:
            problems.append(Problem(f"a {at.kind} block is set only in a 公文; add page.masthead: gongwen "
                                    f"(the page is {spec.page.masthead})", loaded.where(keys), dotted(keys)))
    if gongwen and spec.page.columns != 1 and "columns" in spec.page.model_fields_set:
        problems.append(Problem(f"a 公文 is set in one column on its character grid, not {spec.page.columns}; "
                                "leave page.columns out", loaded.where(["page", "columns"]), "page.columns"))
    if gongwen:
        from paiban.spec.gongwen import STYLES

        families = spec.fonts.families
        for name, keys in STYLES.items():
            given = spec.styles.get(name)
            font = given.font if given is not None and given.font else keys["font"]
            if font not in families and families:
                problems.append(Problem(
                    f"the gongwen preset sets style {name} in font family {font!r}, which fonts: does not define "
                    f"(it defines {', '.join(families)}); add {font}: {{regular: …}} or set styles.{name}.font",
                    loaded.where(["fonts"], at_key=True), "fonts"))
                break
    return problems


def check_references(loaded: LoadedSpec) -> list[Problem]:
    """Cross-checks pydantic cannot do alone: files exist, names refer to defined things."""
    spec = loaded.spec
    problems: list[Problem] = []

    def check(fn, *args, **kw) -> None:
        try:
            fn(*args, **kw)
        except InputError as exc:
            problems.extend(exc.problems)

    problems.extend(check_page_room(loaded))
    problems.extend(check_masthead_blocks(loaded))
    families = spec.fonts.families
    if not families:
        problems.append(Problem("expected at least one font family, e.g. song: {regular: fonts/…ttf}",
                                loaded.where(["fonts"]), "fonts"))
    for fam, family in families.items():
        for weight in ("regular", "bold"):
            face = getattr(family, weight)
            if face is None:
                continue
            relpath = face if isinstance(face, str) else face.path
            keys = ["fonts", fam, weight] + ([] if isinstance(face, str) else ["path"])
            if relpath:
                check(_check_font_file, loaded, relpath, keys, None if isinstance(face, str) else face.index)
    for i, name in enumerate(spec.fonts.fallback):
        if name not in families:
            problems.append(Problem(f"unknown font family {name!r}; fonts: defines {', '.join(families)}",
                                    loaded.where(["fonts", "fallback", i]), f"fonts.fallback[{i}]"))
    for sname, style in spec.styles.items():
        for key, names in (("font", [style.font] if style.font else []), ("fallback", style.fallback or [])):
            for j, name in enumerate(names):
                if name not in families:
                    keys = ["styles", sname, key] + ([j] if key == "fallback" else [])
                    problems.append(Problem(f"unknown font family {name!r}; fonts: defines {', '.join(families)}",
                                            loaded.where(keys), dotted(keys)))
    for key in HEAD_TEXTS if spec.page.masthead == "bulletin" else ():
        name = getattr(spec.bulletin, key).font
        if name not in families:
            keys = ["bulletin", key, "font"]
            problems.append(Problem(f"unknown font family {name!r}; fonts: defines {', '.join(families)}",
                                    loaded.where(keys), dotted(keys)))
    if spec.output:  # the spec may not write outside its project (-o on the command line may)
        check(loaded.resolve, spec.output, ["output"], must_exist=False, what="output file")
    for name, table in spec.data.items():
        relpath = getattr(table, "file", None)
        if relpath:
            check(loaded.resolve, relpath, ["data", name, "file"], what="data file")
    ids: dict[str, str] = {}
    for at in spec.blocks():
        for file in at.block.files():
            check(loaded.resolve, file.path, [*at.keys, *file.keys], what=file.what)
        bid = at.block.cited_id()
        if bid:
            keys = [*at.keys, "id"]
            if bid in ids:
                problems.append(Problem(f"duplicate id {bid!r} (also {ids[bid]})",
                                        loaded.where(keys), dotted(keys)))
            ids[bid] = dotted(at.keys[:-1])  # body[3], or body[2].article.body[1]
        for style_name, below in at.block.style_names():
            if style_name and style_name not in spec.styles and style_name not in DEFAULTS:
                keys = [*at.keys, *below]
                problems.append(Problem(f"unknown style {style_name!r}", loaded.where(keys), dotted(keys)))
    return problems


def _check_font_file(loaded: LoadedSpec, relpath: str, keys: list[Any], index: int | None) -> None:
    """The file exists inside the project, is a TrueType/OpenType font, and has the face asked for."""
    path = loaded.resolve(relpath, keys, what="font file")
    shown = repr(relpath) if len(relpath) <= 120 else repr(f"{relpath[:80]}…{relpath[-30:]}")
    try:
        faces = font_face_count(path)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InputError(f"font file {shown}: {why}", loaded.where(keys), dotted(keys)) from None
    if index is not None and index >= faces:
        at = [*keys[:-1], "index"]
        raise InputError(f"{shown} has {faces} face{'s' if faces > 1 else ''} (index 0–{faces - 1}), "
                         f"not index {index}", loaded.where(at), dotted(at))


def font_face_count(path: Path) -> int:
    """Faces in a font file by its first bytes: 1 for TTF/OTF/WOFF, n for a TTC/OTC collection."""
    with open(path, "rb") as f:
        head = f.read(12)
    tag = head[:4]
    if tag in (b"\0\1\0\0", b"true", b"OTTO", b"wOFF", b"wOF2"):
        return 1
    if tag == b"ttcf" and len(head) == 12:
        return max(1, int.from_bytes(head[8:12], "big"))
    raise ValueError("not a font file; expected TrueType or OpenType (.ttf, .otf, .ttc, .otc)")


MIN_COLUMN_PT = 28.35  # 1 cm: narrower, no line of text fits and the layout cannot finish
MIN_TEXT_HEIGHT_PT = 56.7  # 2 cm


def check_page_room(loaded: LoadedSpec) -> list[Problem]:
    """Margins, gutters and columns must leave room for text on the page.

    Each value may be valid alone (margins: 140mm) and the page still have no room (A4 is
    210mm wide); caught here, at the key to change, instead of as a layout failure later.
    """
    page = loaded.spec.page
    geo = geometry(page)
    w, h = geo.width, geo.height
    margins = ["page", "margins"]
    side = (lambda k: [*margins, k]) if isinstance(page.margins, Margins) else (lambda k: margins)
    text_w, text_h = geo.text_width, geo.text_height
    mm = 25.4 / 72
    if text_w < MIN_COLUMN_PT:
        keys = side("inner")
        return [Problem(f"the margins leave {text_w * mm:.0f}mm of the page's {w * mm:.0f}mm width for text; "
                        f"expected at least {MIN_COLUMN_PT * mm:.0f}mm", loaded.where(keys), dotted(keys))]
    if text_h < MIN_TEXT_HEIGHT_PT:
        keys = side("top")
        return [Problem(f"the margins leave {text_h * mm:.0f}mm of the page's {h * mm:.0f}mm height for text; "
                        f"expected at least {MIN_TEXT_HEIGHT_PT * mm:.0f}mm", loaded.where(keys), dotted(keys))]
    column = geo.column_width
    if column < MIN_COLUMN_PT:
        keys = ["page", "gutter"] if page.columns > 1 and page.gutter.pt() * (page.columns - 1) > text_w / 2 \
            else ["page", "columns"]
        return [Problem(f"{page.columns} columns with {page.gutter} gutters leave {max(column, 0) * mm:.1f}mm "
                        f"per column in {text_w * mm:.0f}mm of text width; expected at least "
                        f"{MIN_COLUMN_PT * mm:.0f}mm", loaded.where(keys), dotted(keys))]
    return []

