"""The red head (报头) of a bulletin (简报, 工作动态), across the top of page 1.

As county offices print it: an optional classification line (内部资料 注意保存) at the left, the
bulletin's name large and red in a display face, centred, the issue line (第12期（总第45期）)
under it, the issuing office at the left margin and the date at the right margin on one line,
and a red rule (thick over thin) across the text block under all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from paiban.cjk.chars import is_han
from paiban.cjk.face import FaceLike
from paiban.layout.textline import TextLine
from paiban.spec.bulletin import HeadRule
from paiban.spec.issue import head_texts

if TYPE_CHECKING:
    from paiban.layout.story import StoryBuilder
    from paiban.spec.styles import TextStyle


class HeadLine:
    """One line of the head: its text in its style's faces, drawn with its own colour and the
    character spacing asked for (字距), scaled down to the measure when it is wider."""

    def __init__(self, text: str, faces: Sequence[FaceLike], style: TextStyle, spacing: float = 0.0):
        self.text, self.faces, self.style, self.spacing = text, faces, style, spacing
        self.size = style.size

    def _gaps(self, size: float) -> list[float]:
        """Space after each character: the 字距 asked for, and a quarter em between Han and Latin
        letters or digits (第 3 期, as the body's paragraphs set them)."""
        spacing = self.spacing * size / self.style.size
        out = []
        for a, b in zip(self.text, self.text[1:], strict=False):
            latin = (a.isascii() and a.isalnum(), b.isascii() and b.isalnum())
            han = (is_han(a), is_han(b))
            out.append(spacing + (0.25 * size if (latin[0] and han[1]) or (han[0] and latin[1]) else 0.0))
        return [*out, 0.0]

    def width(self, size: float | None = None) -> float:
        size = size or self.size
        return TextLine.of(self.text, self.faces, size).width + sum(self._gaps(size))

    def fit(self, measure: float, report: Callable[[str], None] | None) -> None:
        """Shrink to the measure when wider (a name too long for the page), saying so."""
        wide = self.width(self.style.size)
        if wide > measure + 1e-6:
            self.size = self.style.size * measure / wide
            if report is not None:
                report(f"{self.text!r} is {wide:.0f}pt wide at {self.style.size:g}pt, more than the {measure:.0f}pt "
                       f"measure: set at {self.size:.1f}pt (a smaller size or a shorter name avoids this)")
        else:
            self.size = self.style.size

    @property
    def height(self) -> float:
        return self.size * 1.3

    def draw(self, c, x: float, baseline: float, align: str) -> None:
        c.setFillColor(HexColor(self.style.color))
        w = self.width()
        x = {"left": x, "center": x - w / 2, "right": x - w}[align]
        for ch, gap in zip(self.text, self._gaps(self.size), strict=True):
            line = TextLine.of(ch, self.faces, self.size)
            line.draw(c, x, baseline)
            x += line.width + gap


class RedHead(Flowable):
    """The head as one block: its lines from the top, then the rule, then `space_after`."""

    def __init__(self, lines: dict[str, HeadLine], rule: HeadRule, space_after: float,
                 report: Callable[[str], None] | None = None):
        super().__init__()
        self.lines, self.rule, self.space_after, self.report = lines, rule, space_after, report

    def _rule_ink(self) -> float:
        r = self.rule
        if r.style == "none":
            return 0.0
        return r.thickness.pt() + (r.gap.pt() + r.thin.pt() if r.style == "double" else 0.0)

    def _rows(self) -> list[tuple[float, list[tuple[str, str]]]]:
        """(row height, [(line key, align)]) from the top."""
        rows: list[tuple[float, list[tuple[str, str]]]] = []
        ls = self.lines
        if "classification" in ls:
            rows.append((ls["classification"].height * 1.3, [("classification", "left")]))
        if "name" in ls:
            rows.append((ls["name"].height * 1.1, [("name", "center")]))
        if "issue" in ls:
            rows.append((ls["issue"].height * 1.3, [("issue", "center")]))
        info = [(k, a) for k, a in (("office", "left"), ("date", "right")) if k in ls]
        if info:
            rows.append((max(ls[k].height for k, _ in info) * 1.2, info))
        return rows

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        for line in self.lines.values():
            line.fit(aw, self.report)
        if "office" in self.lines and "date" in self.lines and self.report is not None:
            need = self.lines["office"].width() + self.lines["date"].width() + self.lines["date"].size
            if need > aw:
                self.report(f"the office and the date need {need:.0f}pt on one line, more than the {aw:.0f}pt measure")
        rows = sum(h for h, _ in self._rows())
        self.height = rows + 3.0 + self._rule_ink() + self.space_after
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        y = self.height
        for h, row in self._rows():
            for key, align in row:
                line = self.lines[key]
                # the em box centred in the row, its baseline 0.12 em above the box's foot
                baseline = y - (h + line.size) / 2 + 0.12 * line.size
                x = {"left": 0.0, "center": self.width / 2, "right": self.width}[align]
                line.draw(c, x, baseline, align)
            y -= h
        r = self.rule
        if r.style != "none":
            y -= 3.0
            c.setStrokeColor(HexColor(r.color))
            c.setLineWidth(r.thickness.pt())
            c.line(0, y - r.thickness.pt() / 2, self.width, y - r.thickness.pt() / 2)
            if r.style == "double":
                y2 = y - r.thickness.pt() - r.gap.pt() - r.thin.pt() / 2
                c.setLineWidth(r.thin.pt())
                c.line(0, y2, self.width, y2)
        c.restoreState()


def bulletin_head(b: StoryBuilder) -> list[Flowable]:
    """The red head's flowable, from the document's issue fields and the `bulletin:` settings."""
    spec = b.loaded.spec
    settings = spec.bulletin
    lines: dict[str, HeadLine] = {}
    for keys, style_name, text in head_texts(spec):
        style = b.styles[style_name]
        key = keys[-1] if keys[-1] != "number" else "issue"
        spacing = getattr(settings, style_name.split(".")[1]).spacing.pt()
        lines[key] = HeadLine(text, b.faces(style), style, spacing)
    head = RedHead(lines, settings.rule, settings.space_after.pt(), b.reporter(("document", "name")))
    head.spec_keys = ("document", "name")
    return [head]
