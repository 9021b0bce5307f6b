"""`paiban fonts`: each family and face of a document, the file it comes from, and the document's
characters it lacks (and which family draws them instead)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from paiban.assets import chart_families, font_book, style_in_families, text_uses
from paiban.fonts.book import FontBook, drawn
from paiban.fonts.face import WEIGHTS
from paiban.spec.loaded import LoadedSpec
from paiban.spec.styles import resolve_styles


def fonts_report(loaded: LoadedSpec) -> list[str]:
    """`paiban fonts`: each family and face, its file, glyphs, and the document's characters it lacks."""
    fonts = font_book(loaded)
    families = {f: None for f in fonts.families}
    styles = {n: style_in_families(s, families) for n, s in resolve_styles(loaded.spec).items()}
    chart_chain = chart_families(loaded, fonts.families)
    usage: dict[tuple[str, str], str] = {}
    styles_of: dict[str, list[str]] = {}
    for use in text_uses(loaded):
        if use.style is None:
            family, bold, name = chart_chain[0], False, "charts"
        else:
            style = styles.get(use.style) or styles["body"]
            family, bold, name = style.font, style.bold or use.bold, use.style
        weight = "bold" if bold and fonts.has_weight(family, "bold") else "regular"
        usage[(family, weight)] = usage.get((family, weight), "") + use.text
        if name not in styles_of.setdefault(family, []):
            styles_of[family].append(name)
    chars = len({ch for text in usage.values() for ch in text if not ch.isspace()})
    head = f"{loaded.source.name}: {len(fonts.families)} font families, {chars:,} distinct characters in the text"
    return [head, *describe(fonts, usage, styles_of, loaded.base_dir)]


def describe(book: FontBook, usage: Mapping[tuple[str, str], str], styles_of: Mapping[str, list[str]],
             base: Path) -> list[str]:
    """Lines for `paiban fonts`: each family and face, its file, glyphs, and what it lacks.

    `usage[(family, weight)]` is the text set in that face (styles whose first family it is);
    `styles_of[family]` the styles that use the family first.
    """

    def shown(p: Path) -> str:
        try:
            return str(p.relative_to(base))
        except ValueError:
            return str(p)

    lines: list[str] = []
    for fam in book.families:
        styles = styles_of.get(fam, [])
        lines.append(f"{fam}  (styles: {', '.join(styles) if styles else 'none'})")
        for weight in WEIGHTS:
            src = book.source(fam, weight)
            if src is None:
                lines.append(f"  {weight:<8} none: bold text uses the regular face (no fake_bold)")
                continue
            if src.fake_bold:
                lines.append(f"  {weight:<8} none: the regular face, stroke-emboldened (fake_bold)")
                continue
            face = book.face(fam, weight)
            where = shown(face.source or face.path)
            if src.lookup:
                where = f"name {src.lookup!r} → {where}"
            if face.source_index or src.name:
                where += f" #{face.source_index}"
            kind = face.outlines + (f", wght {face.instance:g}" if face.instance is not None else "")
            lines.append(f"  {weight:<8} {where}  [{face.family_name}; {kind}; {face.glyph_count:,} glyphs]")
            if face.derived:
                lines.append(f"           converted to TrueType: {shown(face.path)}")
            text = usage.get((fam, weight), "")
            chars = sorted({ch for ch in text if drawn(ch)})
            lacks = [ch for ch in chars if not face.has(ch)]
            if not chars:
                lines.append("           no text of the document is set in it")
                continue
            if not lacks:
                lines.append(f"           has all {len(chars):,} characters its styles use")
                continue
            lines.append(f"           lacks {len(lacks)} of the {len(chars):,} characters its styles use:")
            chain_fams = [f for f in book.families if f != fam]
            for ch in lacks:
                alt = next((f for f in chain_fams if book.face(f, weight).has(ch)), None)
                lines.append(f"             {ch} U+{ord(ch):04X}  " + (f"(drawn from {alt})" if alt else "(no font has it)"))
    return lines
