"""An article of a periodical issue: its heading (栏目 band, headline, subtitle, 供稿 line) and
the fence after it that keeps its figures from drifting into the next article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, FrameBreak, PageBreak, Spacer

from paiban.layout.blocks import Bookmark, KickerBand, PartHeading
from paiban.layout.grid import FloatBarrier, RoomFor

if TYPE_CHECKING:
    from paiban.layout.story import StoryBuilder
    from paiban.spec.model import ArticleSpec


def article_key(number: int) -> str:
    """The outline destination of the number-th article (1-based): its bookmark and the 本期要目
    row that links to it."""
    return f"article{number}"


class FloatFence(FloatBarrier):
    """The end of an article: a float of it still waiting is placed before what follows (the
    column ends early when it must), never after the next article has begun
    (`pages.BriefingDoc` reads it)."""


def article_heading(b: StoryBuilder, article: ArticleSpec, number: int) -> list[Flowable]:
    """The flowables that open an article: the break asked for (or a line of air), a conditional
    break so the heading never stands without three lines after it, and the heading block."""
    s = b.styles
    at = b.at
    items: list[Flowable] = [Bookmark(article.title, article_key(number))]
    if article.column:
        k = s["kicker"]
        band = KickerBand(article.column, b.faces(k), k.size, k.color, k.accent, b.grid)
        band.spec_keys = (*at, "column")
        items.append(band)
    b.at = (*at, "title")
    items.append(b.headline(article.title, s["article"]))
    for name, style in (("subtitle", "article_subtitle"), ("byline", "article_byline")):
        text = getattr(article, name)
        if text:
            b.at = (*at, name)
            st = s[style]
            items += [Spacer(0, st.size * 0.3),
                      b.headline(text, st) if name == "subtitle" else b.para(text, st)]
    b.at = at
    block = PartHeading(items, b.grid, article.title)
    _, h = block.wrap(b.column_width, 1e6)
    out: list[Flowable] = []
    if article.break_ != "none":  # a break the spec asks for: its column may end short
        brk = PageBreak() if article.break_ == "page" else FrameBreak()
        brk.explicit = True
        out.append(brk)
    elif number > 1 or b.block_index > 0:
        out.append(b.space(b.pitch))
    out += [RoomFor(h + 3 * b.pitch), block, b.space(b.pitch * 0.5)]
    return out
