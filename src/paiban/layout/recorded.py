"""Drawing done once in a watch session, its PDF operators added again after: charts, facts boxes.

ReportLab's renderer walks a chart's few hundred shapes and formats every number each time it is
drawn; in a watch session the same drawing (the very object: `charts.cache` keeps it loaded) at
the same scale writes the same operators, and so does a facts box of the same content and size
— but for their texts, whose glyph codes and font resource
names are the document's, given in the order characters are first drawn. So what is kept is the
operators and the texts the drawing set (font, string), in order; drawn again, the texts are asked
of the document in that order (which gives new characters their codes exactly as drawing would:
the renderer's strings do not depend on the answers) and the operators are added when every answer
is what it was. A drawing that set a standard (non-embedded) font or changed the transparency
states is not kept: those are the document's too, and not asked for here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from reportlab.pdfbase import pdfmetrics

from paiban import memo

#: Operators kept in a session, in all (the default briefing's charts write about 20,000).
MEMO_OPERATORS = 400_000


class _Recording:
    __slots__ = ("texts", "answers", "code")

    def __init__(self, texts: list[tuple[str, str]], answers: tuple, code: tuple[str, ...]):
        self.texts, self.answers, self.code = texts, answers, code


def draw_recorded(canv, what: Hashable, draw: Callable[[], None]) -> None:
    """`draw()`, or the operators it added last time. `what` is everything the drawing depends on
    but the canvas (a chart's Drawing object itself and its scale; a facts box's content, style
    and size); the canvas's font state is added here."""
    table = memo.table("drawing operators", MEMO_OPERATORS)
    if table is None or getattr(canv, "dry_run", False):
        draw()
        return
    key = (what, canv._fontname, canv._fontsize, canv._leading)
    rec = table.get(key)
    if rec is not None:
        if _ask(canv._doc, rec.texts) == rec.answers:
            canv._code.extend(rec.code)
            return
        # other codes (an edit before it gave new characters theirs): drawn again; what was asked
        # so far is what drawing asks first, in the same order
    rec = _record(canv, draw)
    if rec is not None:
        table.put(key, rec, max(1, len(rec.code)))


def _ask(doc, texts: list[tuple[str, str]]) -> tuple:
    """The codes and font resource names of `texts`, asked as ReportLab's text objects ask."""
    out = []
    for font_name, text in texts:
        font = pdfmetrics.getFont(font_name)
        pieces = tuple(font.splitString(text, doc))
        names = tuple(font.getSubsetInternalName(sub, doc) for sub in dict.fromkeys(sub for sub, _ in pieces))
        out.append((pieces, names))
    return tuple(out)


def _record(canv, draw: Callable[[], None]) -> _Recording | None:
    texts: list[tuple[str, str]] = []
    fonts: list[str] = []
    draw_string, set_font = canv.drawString, canv.setFont

    def drawn_string(x, y, text, *args, **kwargs):
        texts.append((canv._fontname, text))
        return draw_string(x, y, text, *args, **kwargs)

    def font_set(name, *args, **kwargs):
        fonts.append(name)
        return set_font(name, *args, **kwargs)

    states = _states(canv)
    start = len(canv._code)
    canv.drawString, canv.setFont = drawn_string, font_set
    try:
        draw()
    finally:
        del canv.drawString, canv.setFont
    if _states(canv) != states or not all(pdfmetrics.getFont(f)._dynamicFont for f in (*fonts, *(f for f, _ in texts))):
        return None
    return _Recording(texts, _ask(canv._doc, texts), tuple(canv._code[start:]))


def _states(canv) -> str:
    """The canvas's transparency states (ExtGState), as a value to compare."""
    ext = getattr(canv, "_extgstate", None)
    return repr(sorted(vars(ext).items())) if ext is not None and hasattr(ext, "__dict__") else repr(ext)
