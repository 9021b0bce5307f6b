"""Text styles: the built-in defaults of a Chinese feature page, merged with the editor's.

The defaults follow clreq's conventions for print: Song (宋体) for body text, Hei (黑体) for
headings, Kai (楷体) for the lead, byline and captions; body set on a 2-em indent and justified.
An editor's `styles:` entry overrides only the keys it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from paiban.spec.lengths import Length, parse_length

if TYPE_CHECKING:
    from paiban.spec.model import Spec

DEFAULTS: dict[str, dict] = {
    "body": dict(font="song", size="9.5pt", leading=1.7, indent="2em", align="justify", color="#1a1a1a",
                 space_before="0pt", space_after="0pt", emphasis="dots", accent="#b3120f"),
    "lead": dict(font="kai", size="11pt", leading=1.7, indent="2em", align="justify", color="#1a1a1a",
                 space_after="0pt"),
    "title": dict(font="hei", bold=True, size="30pt", leading=1.25, indent="0pt", align="center",
                  color="#b3120f"),
    "subtitle": dict(font="hei", size="15pt", leading=1.4, indent="0pt", align="center", color="#222222"),
    "byline": dict(font="kai", size="11pt", leading=1.5, indent="0pt", align="center", color="#333333"),
    "kicker": dict(font="hei", bold=True, size="10.5pt", leading=1.6, indent="0pt", align="left",
                   color="#ffffff", accent="#b3120f"),
    "headline": dict(font="hei", bold=True, size="14pt", leading=1.4, indent="0pt", align="left",
                     color="#1a1a1a", accent="#b3120f"),
    "subhead": dict(font="hei", bold=True, size="10pt", leading=1.7, indent="0pt", align="left",
                    color="#1a1a1a"),
    # ragged right: a caption breaks between words only, and a justified short line would be letter-spaced
    "caption": dict(font="kai", size="8.5pt", leading=1.5, indent="0pt", align="left", color="#333333"),
    "source": dict(font="kai", size="7.5pt", leading=1.5, indent="0pt", align="left", color="#666666"),
    "credit": dict(font="kai", size="8.5pt", leading=1.7, indent="0pt", align="right", color="#444444"),
    "quote": dict(font="kai", size="12pt", leading=1.6, indent="0pt", align="justify", color="#b3120f"),
    # an article of a periodical issue: its headline, subtitle and byline (供稿, 来源)
    "article": dict(font="hei", bold=True, size="16pt", leading=1.4, indent="0pt", align="center",
                    color="#1a1a1a"),
    "article_subtitle": dict(font="kai", size="11pt", leading=1.5, indent="0pt", align="center",
                             color="#333333"),
    "article_byline": dict(font="kai", size="9.5pt", leading=1.7, indent="0pt", align="center", color="#444444"),
    # the end matter (报尾, 版记): lines of a closing block, ragged right, their labels hanging
    "closing": dict(font="song", size="9.5pt", leading=1.7, indent="0pt", align="left", color="#1a1a1a"),
    "header": dict(font="hei", size="7.5pt", leading=1.3, indent="0pt", align="left", color="#666666"),
    "footer": dict(font="hei", size="7.5pt", leading=1.3, indent="0pt", align="center", color="#666666"),
}
_BASE = dict(font="song", bold=False, size="9.5pt", leading=1.7, indent="0pt", align="justify",
             color="#1a1a1a", space_before="0pt", space_after="0pt", fallback=None, emphasis="dots",
             accent="#b3120f", punctuation={"line_end": "half", "line_start": "full"})
#: Display styles whose lines start flush even when they open with a bracket or quote: a headline
#: line starting with a full-width “ looks indented.
_OPEN_HALF = ("title", "subtitle", "kicker", "headline", "subhead", "article", "article_subtitle")
#: Display styles: read at a glance, so their lines break between words only.
DISPLAY = ("title", "subtitle", "byline", "kicker", "headline", "subhead", "caption", "source", "credit",
           "header", "footer", "article", "article_subtitle", "article_byline")


@dataclass(frozen=True)
class TextStyle:
    """A style with every value known and every length in points."""

    name: str
    font: str
    bold: bool
    size: float
    leading: float
    indent: float
    align: str
    color: str
    space_before: float
    space_after: float
    fallback: tuple[str, ...]
    emphasis: str
    accent: str
    line_end: str = "half"  # where a mark ending a line sits: half, full, hang
    line_start: str = "full"  # an opening mark starting a line: full or half width
    whole_words: bool = False  # display text: lines break between words only (paiban.cjk.display)


def _pt(value: object, size: float) -> float:
    if isinstance(value, Length):
        return value.pt(em=size)
    return parse_length(value).pt(em=size)


def preset_styles(spec: Spec) -> dict[str, dict]:
    """What the page's masthead kind sets on top of the defaults (the 公文 preset's faces and
    sizes, its body leading the grid pitch); the spec's `styles:` still wins."""
    if spec.page.masthead != "gongwen":
        return {}
    from paiban.spec.geometry import geometry
    from paiban.spec.gongwen import STYLES, grid_pitch

    body = spec.styles.get("body")
    size = _pt(body.size, 16.0) if body is not None and body.size is not None else 16.0
    pitch = f"{grid_pitch(spec.gongwen.lines, size, geometry(spec.page).text_height):.4f}pt"
    return {name: {**keys, "leading": pitch} for name, keys in STYLES.items()}


def resolve_styles(spec: Spec) -> dict[str, TextStyle]:
    """Every style the document may use, defaults merged with the spec's `styles:`."""
    preset = preset_styles(spec)
    names = list(DEFAULTS) + [n for n in preset if n not in DEFAULTS]
    names += [n for n in spec.styles if n not in names]
    out: dict[str, TextStyle] = {}
    for name in names:
        merged = dict(_BASE)
        merged.update(DEFAULTS.get(name, DEFAULTS["body"]))
        merged.update(preset.get(name, {}))
        punct = dict(_BASE["punctuation"], line_start="half" if name in _OPEN_HALF else "full")
        given = spec.styles.get(name)
        if given is not None:
            mine = given.model_dump(exclude_none=True)
            punct.update(mine.pop("punctuation", {}))
            merged.update(mine)
        size = _pt(merged["size"], 10.0)
        leading = merged["leading"]
        leading_pt = leading * size if isinstance(leading, int | float) else _pt(leading, size)
        fallback = merged["fallback"] or list(spec.fonts.fallback)
        out[name] = TextStyle(
            name=name, font=merged["font"], bold=bool(merged["bold"]), size=size, leading=leading_pt,
            indent=_pt(merged["indent"], size), align=merged["align"], color=merged["color"],
            space_before=_pt(merged["space_before"], size), space_after=_pt(merged["space_after"], size),
            fallback=tuple(f for f in [merged["font"], *fallback] if f), emphasis=merged["emphasis"],
            accent=merged["accent"], line_end=punct["line_end"], line_start=punct["line_start"],
            whole_words=name in DISPLAY)
    out.update(head_styles(spec))
    return out


#: The texts of a bulletin's red head, each a style made from the `bulletin:` section (not
#: written in `styles:`): the coverage check and the fallback chain read them as any style.
HEAD_TEXTS = ("name", "issue", "info", "classification")


def head_styles(spec: Spec) -> dict[str, TextStyle]:
    out: dict[str, TextStyle] = {}
    for key in HEAD_TEXTS:
        text = getattr(spec.bulletin, key)
        size = text.size.pt()
        out[f"bulletin.{key}"] = TextStyle(
            name=f"bulletin.{key}", font=text.font, bold=text.bold, size=size, leading=size * 1.3, indent=0.0,
            align="center", color=text.color, space_before=0.0, space_after=0.0,
            fallback=tuple(f for f in [text.font, *spec.fonts.fallback] if f), emphasis="dots",
            accent=text.color, whole_words=True)
    return out
