"""Paragraph flowables for each text style (interim: ReportLab's Paragraph until the CJK engine lands)."""

from __future__ import annotations

import html
import re

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from paiban.assets import Assets
from paiban.styles import TextStyle

_ALIGN = {"justify": TA_JUSTIFY, "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def make_paragraph_factory(assets: Assets):
    cache: dict[str, ParagraphStyle] = {}

    def para(text: str, style: TextStyle):
        ps = cache.get(style.name)
        if ps is None:
            face = assets.fonts.face(style.font, "bold" if style.bold else "regular")
            ps = ParagraphStyle(style.name, fontName=face.rl_name, fontSize=style.size, leading=style.leading,
                                firstLineIndent=style.indent, alignment=_ALIGN[style.align],
                                textColor=HexColor(style.color), wordWrap="CJK")
            cache[style.name] = ps
        markup = re.sub(r"\*\*(.+?)\*\*", r"\1", html.escape(text, quote=False))
        return Paragraph(markup, ps)

    return para
