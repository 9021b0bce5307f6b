"""Paragraph flowables for each text style: paiban's CJK engine, configured from the styles.

Every piece of text on the page — body, lead, headlines, captions, credits — is set by
`CJKParagraph`, so the clreq rules (line-start and line-end prohibitions, justification,
punctuation compression, Han–Latin spacing) and per-character font fallback hold everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from paiban.assets import Assets
from paiban.layout.paragraph import CJKParagraph, ParaStyle
from paiban.spec.styles import TextStyle


def para_style(assets: Assets, style: TextStyle) -> ParaStyle:
    """The engine's style for a resolved text style: face chains, sizes, colours."""
    fonts = assets.fonts
    faces = fonts.chain(style.fallback, "bold" if style.bold else "regular")
    # **bold** needs a real bold face; without one the engine strokes the regular glyphs.
    bold: tuple = ()
    if fonts.bold_kind(style.font) == "real":
        bold = tuple(fonts.face(fam, "bold") for fam in style.fallback if fonts.bold_kind(fam) == "real")
    return ParaStyle(faces=faces, bold_faces=bold, size=style.size, leading=style.leading,
                     first_indent=style.indent, align=style.align, color=style.color,
                     emphasis=style.emphasis, emphasis_color=style.accent, link_color=style.accent,
                     line_end=style.line_end, open_at_line_start=style.line_start,
                     hyphenate=assets.latin_language, whole_words=style.whole_words)


def make_paragraph_factory(assets: Assets) -> Callable[..., Flowable]:
    """`para(text, style, report=None)`: a paragraph in a text style; `report` as CJKParagraph's."""
    cache: dict[str, ParaStyle] = {}

    def para(text: str, style: TextStyle, report: Callable[[str], None] | None = None) -> Flowable:
        ps = cache.get(style.name)
        if ps is None:
            ps = cache[style.name] = para_style(assets, style)
        return CJKParagraph(text, ps, report=report)

    return para
