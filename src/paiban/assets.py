"""The prepare stage: fonts loaded and checked, styles resolved, data read, charts drawn.

Everything the layout needs that can fail on the editor's input fails here, before a page is
laid out, so a missing glyph or a broken CSV is reported with its location and no PDF is begun.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paiban.errors import Diagnostics, InputError, Location, Problem
from paiban.fonts import FontBook
from paiban.spec import LoadedSpec
from paiban.styles import TextStyle, resolve_styles


@dataclass
class Assets:
    fonts: FontBook
    styles: dict[str, TextStyle]
    tables: dict[str, Any] = field(default_factory=dict)
    charts: dict[str, Any] = field(default_factory=dict)
    charts_drawn: list[str] = field(default_factory=list)
    charts_cached: list[str] = field(default_factory=list)


def font_families(loaded: LoadedSpec) -> tuple[dict[str, dict[str, tuple[Path, int]]], dict[str, Location]]:
    families: dict[str, dict[str, tuple[Path, int]]] = {}
    where: dict[str, Location] = {}
    for fam, family in loaded.spec.fonts.families.items():
        faces: dict[str, tuple[Path, int]] = {}
        for weight in ("regular", "bold"):
            face = getattr(family, weight)
            if face is None:
                continue
            keys: list[Any] = ["fonts", fam, weight]
            if isinstance(face, str):
                path, index = loaded.resolve(face, keys, what="font file"), 0
            else:
                path = loaded.resolve(face.path or "", [*keys, "path"], what="font file")
                index = face.index or 0
            faces[weight] = (path, index)
            where[f"{fam}.{weight}"] = loaded.where(keys)
        families[fam] = faces
    return families, where


def texts_by_style(loaded: LoadedSpec) -> Iterator[tuple[str, str, Location]]:
    """(style name, text, where) for every piece of text the document sets."""
    spec = loaded.spec
    doc = spec.document
    for key, style in (("title", "title"), ("subtitle", "subtitle"), ("byline", "byline")):
        value = getattr(doc, key)
        if value:
            yield style, value, loaded.where(["document", key])
    for i, block in enumerate(spec.body):
        kind = next(iter(type(block).model_fields))
        value = getattr(block, kind)
        at = loaded.where(["body", i, kind])
        if kind == "lead":
            yield "lead", value, at
        elif kind == "text":
            yield ("body", value, at) if isinstance(value, str) else (value.style, value.text, at)
        elif kind == "part":
            yield "headline", value.title, at
            if value.kicker:
                yield "kicker", value.kicker, at
        elif kind == "subhead":
            yield "subhead", value, at
        elif kind == "credit":
            yield "credit", value, at
        elif kind == "quote":
            yield "quote", value.text + (value.source or ""), at
        elif kind in ("image", "figure", "facts"):
            for attr in ("caption", "title", "source"):
                text = getattr(value, attr, None)
                if isinstance(text, str):
                    yield "caption", text, at


def check_coverage(loaded: LoadedSpec, fonts: FontBook, styles: dict[str, TextStyle],
                   diagnostics: Diagnostics) -> None:
    """Every character must have a glyph in its style's font or a fallback: never a silent blank."""
    problems: list[Problem] = []
    for style_name, text, where in texts_by_style(loaded):
        style = styles.get(style_name) or styles["body"]
        weight = "bold" if style.bold else "regular"
        missing = fonts.missing(text, style.fallback, weight)
        for ch in sorted(missing):
            msg = (f"no font has {ch!r} (U+{ord(ch):04X}); tried {', '.join(style.fallback)} "
                   f"for style '{style_name}'")
            if loaded.spec.fonts.missing == "warn":
                diagnostics.warn(msg + "; a placeholder box is drawn", where)
            else:
                problems.append(Problem(msg, where))
    if problems:
        raise InputError(problems[0].message, problems[0].location, problems=problems)


def prepare(loaded: LoadedSpec, diagnostics: Diagnostics, *, force_charts: bool = False,
            progress: Callable[[str], None] | None = None) -> Assets:
    families, where = font_families(loaded)
    fonts = FontBook(families, where)
    styles = resolve_styles(loaded.spec)
    for name, style in styles.items():
        for fam in style.fallback:
            if fam not in families and name in loaded.spec.styles:
                raise InputError(f"unknown font family {fam!r}", loaded.where(["styles", name]), f"styles.{name}")
    # Built-in styles may name families the editor's fonts: lacks; fall back to what exists.
    styles = {n: _available(s, families) for n, s in styles.items()}
    check_coverage(loaded, fonts, styles, diagnostics)
    return Assets(fonts=fonts, styles=styles)


def _available(style: TextStyle, families: dict) -> TextStyle:
    from dataclasses import replace

    chain = tuple(f for f in style.fallback if f in families) or (next(iter(families)),)
    return replace(style, font=chain[0], fallback=chain)
