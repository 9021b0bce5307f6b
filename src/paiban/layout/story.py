"""The story: spec blocks → ReportLab flowables, in reading order.

Each block kind has one method here, found through `BLOCK_FLOWABLES` (kind → method); each
flowable made for a block carries the block's key path (`spec_keys`), so that the page layout
can name the block and its spec line when it cannot place it.

The masthead (title, subtitle, byline, lead) is built separately: it spans all columns of the
first page, so the page templates need its height before the columns can be placed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, FrameBreak, PageBreak, Spacer

from paiban.assets import Assets
from paiban.cjk.display import use_words
from paiban.errors import BuildError, Diagnostics, InputError, dotted
from paiban.inputs.located import HEADING
from paiban.layout.article import FloatFence, article_heading, article_key
from paiban.layout.blocks import Bookmark, ImagePlaceholder, KickerBand, Measure, PartHeading, Rule, part_key
from paiban.layout.closing import closing_flowables, rule_flowables
from paiban.layout.figures import Caption, contents_flowables, facts_flowables, figure_flowables
from paiban.layout.grid import FloatBarrier, FloatBlock, GridGroup, GridSpace, RoomFor, Snap, Tied
from paiban.layout.headline import Headline, Segmenter
from paiban.layout.paragraph import CJKParagraph
from paiban.layout.redhead import bulletin_head
from paiban.spec.loaded import LoadedSpec
from paiban.spec.model import BlockAt
from paiban.spec.styles import TextStyle

_REF = re.compile(r"\{(fig|tab):([A-Za-z0-9][A-Za-z0-9_.-]*)\}")

ParagraphFactory = Callable[..., Flowable]  # (text, style, report=None): layout.text


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a text block: separated by blank lines, each one's lines joined."""
    from paiban.cjk.normalize import split_paragraphs

    return split_paragraphs(text)


def keyed(flowables: list[Flowable], keys: tuple) -> list[Flowable]:
    """Remember which spec key made each flowable, so that a layout failure can name the block
    and its line instead of a ReportLab object address (the page layout gives the pieces of a
    split flowable the keys of the flowable they came from)."""
    for f in flowables:
        if getattr(f, "spec_keys", None) is None:
            f.spec_keys = keys
    return flowables


def explicit(brk: Flowable) -> Flowable:
    """A break the spec asks for (`break:`, a part's `break`): the column it ends may end short,
    which the page make-up does not count as a hole (`pages.BriefingDoc`)."""
    brk.explicit = True
    return brk


@dataclass
class Story:
    masthead: list[Flowable]
    flow: list[Flowable]
    parts: list[str] = field(default_factory=list)


class StoryBuilder:
    """Builds the flowables of the masthead and of every body block, with what they share:
    the resolved styles, the body's pitch and grid, figure numbers and warnings at spec keys."""

    def __init__(self, loaded: LoadedSpec, assets: Assets, para: ParagraphFactory, diagnostics: Diagnostics,
                 column_width: float, text_width: float, *, measuring: bool = False,
                 segmenter: Segmenter | None = None):
        """`measuring`: for `paiban validate`, which measures blocks without drawing charts.
        `segmenter`: the build's one table of word boundaries (read from disk once a build)."""
        self.loaded, self.assets, self._make = loaded, assets, para
        self.measuring = measuring
        self.diagnostics = diagnostics
        self.column_width, self.text_width = column_width, text_width
        self.styles = assets.styles
        self.pitch = self.styles["body"].leading
        # what blocks snap to: the body's pitch, or nothing when page.baseline_grid is off
        self.grid = self.pitch if loaded.spec.page.baseline_grid else 0.0
        self.segmenter = segmenter if segmenter is not None else Segmenter(loaded.cache_dir)
        use_words(self.segmenter.words)  # display text of this build: words from the disk cache
        self.numbers_by_index: dict[int, str] = {}  # block index → 图N / 表N
        self.numbers: dict[str, str] = {}  # figure id → 图N / 表N
        self.block_index = 0
        self.articles: list[str] = []  # article titles so far
        self.article_parts: int | None = None  # inside an article: its parts are one level down
        self.at: tuple = ("document",)  # the spec key the text being set comes from
        self._told: set[tuple[tuple, str]] = set()

    def para(self, text: str, style: TextStyle) -> Flowable:
        """A paragraph whose layout problems are told as warnings at the spec key it came from."""
        return self._make(text, style, self.reporter(self.at))

    def reporter(self, at: tuple) -> Callable[[str], None]:
        def report(message: str) -> None:
            if (at, message) not in self._told:  # once, however often the paragraph is laid out
                self._told.add((at, message))
                self.diagnostics.warn(message, self.loaded.where(list(at)), dotted(at))

        return report

    def face(self, style: TextStyle):
        return self.assets.fonts.face(style.font, "bold" if style.bold else "regular")

    def faces(self, style: TextStyle) -> tuple:
        """The style's face and its fallbacks, for text drawn as a single line."""
        return self.assets.fonts.chain(style.fallback, "bold" if style.bold else "regular")

    def headline(self, text: str, style: TextStyle) -> Flowable:
        report = self.reporter(self.at)  # lines are set at layout time, after building
        return Headline(text, self.faces(style), style.size, lambda line: self._make(line, style, report),
                        self.segmenter)

    def space(self, pt: float) -> GridSpace:
        return GridSpace(pt / self.pitch, self.pitch)

    def set(self, text: str, style: TextStyle) -> Flowable:
        """A paragraph in the column: body-pitch styles sit on the grid already, others snap to it."""
        p = self.para(text, style)
        if not self.grid or abs(style.leading - self.pitch) < 1e-6:
            return p
        return Snap(p, self.grid)

    # ------------------------------------------------------------ masthead

    def masthead(self) -> list[Flowable]:
        """What opens page 1, as `page.masthead` asks (`MASTHEADS`), then a lead set across."""
        out = MASTHEADS[self.loaded.spec.page.masthead](self)
        lead = self.lead_across()
        if lead is not None:
            style = self.styles["lead"]
            self.at = ("body", 0, "lead")
            paras = [self.para(p, style) for p in paragraphs(lead)]
            out += keyed([Measure(paras, 40 * style.size), Spacer(0, self.styles["body"].leading)], self.at)
        return out

    def feature_masthead(self) -> list[Flowable]:
        """A feature's masthead: its headline, subtitle and byline, centred, over a rule."""
        doc = self.loaded.spec.document
        s = self.styles
        self.at = ("document", "title")
        # title and subtitle break between words into balanced lines, as headlines do
        out: list[Flowable] = keyed([self.headline(doc.title, s["title"])], self.at)
        if doc.subtitle:
            self.at = ("document", "subtitle")
            out += keyed([Spacer(0, s["subtitle"].size * 0.3), self.headline(doc.subtitle, s["subtitle"])], self.at)
        if doc.byline:
            self.at = ("document", "byline")
            out += keyed([Spacer(0, s["byline"].size * 0.4), self.para(doc.byline, s["byline"])], self.at)
        out += keyed([Rule(s["title"].color, 1.2, s["body"].leading)], ("styles", "body"))  # a body line high
        return out

    def lead_across(self) -> str | None:
        """The opening lead, when page.lead puts it across the columns under the masthead."""
        first = self.loaded.spec.body[0]
        if self.loaded.spec.page.lead == "across" and first.kind == "lead" and first.value:
            return first.value
        return None

    # ------------------------------------------------------------ body

    def number_figures(self) -> dict[str, str]:
        """Numbers in reading order, each counter on its own: 表N for tables (`chart: table`), 图N
        for every other figure and image and for facts boxes with a caption; id → label."""
        numbers: dict[str, str] = {}
        counters: dict[str, int] = {}
        for at in self.loaded.spec.blocks():
            if at.block.numbered():
                kind = "表" if at.kind == "figure" and getattr(at.value, "chart", None) == "table" else "图"
                counters[kind] = counters.get(kind, 0) + 1
                label = f"{kind}{counters[kind]}"
                self.numbers_by_index[at.index] = label
                cited = at.block.cited_id()
                if cited:
                    numbers[cited] = label
        return numbers

    def build(self) -> Story:
        """The masthead and the body's flowables, in reading order."""
        self.numbers = self.number_figures()
        flow: list[Flowable] = []
        parts: list[str] = []
        self.flow_of([at for at in self.loaded.spec.blocks() if at.article is None], flow, parts)
        return Story(masthead=self.masthead(), flow=flow, parts=parts)

    def flow_of(self, blocks: list[BlockAt], flow: list[Flowable], parts: list[str]) -> None:
        """The flowables of `blocks` in order, appended to `flow`, with their keeps."""
        tie_next = False
        for at in blocks:
            self.block_index = at.index
            self.at = at.keys
            made = keyed(BLOCK_FLOWABLES[at.kind](self, at.value, at.index, parts), at.keys)
            if getattr(at.value, "keep_with_previous", False) or tie_next or (at.kind == "credit" and _after_text(flow)):
                made = _tie(flow, made)
            tie_next = bool(getattr(at.value, "keep_with_next", False))
            flow.extend(made)

    def refs(self, text: str) -> str:
        """`{fig:ID}` and `{tab:ID}` in text become the label that figure or table got (图N, 表N)."""

        def sub(m: re.Match) -> str:
            label = self.numbers.get(m.group(2))
            if label is None:
                at = list(self.at[:-1])  # the block: body[i], or body[i].article.body[j]
                raise InputError(f"unknown figure {m.group(2)!r} in {m.group(0)}; figure ids: "
                                 f"{', '.join(self.numbers) or 'none'}", self.loaded.where(at), dotted(at))
            return label

        from paiban.charts.bound import fill  # {data:…}: from this build's tables (checked by prepare)

        return fill(_REF.sub(sub, text), self.assets.tables, self.loaded.spec.charts.thousands)

    def _text_paras(self, text: str, style: TextStyle, *, headings: bool = False) -> list[Flowable]:
        out: list[Flowable] = []
        for p in paragraphs(self.refs(text)):
            if headings and p.startswith(HEADING):  # a file's heading (## in Markdown, a Word heading)
                out.extend(self._subhead(p[len(HEADING):], self.block_index, []))
                continue
            if style.space_before:
                out.append(self.space(style.space_before))
            out.append(self.set(p, style))
            if style.space_after:
                out.append(self.space(style.space_after))
        return out

    def _lead(self, text: str, i: int, parts: list[str]) -> list[Flowable]:
        if i == 0 and self.lead_across() is not None:
            return []  # set in the masthead
        return self._text_paras(text, self.styles["lead"]) + [self.space(self.pitch)]

    def _text(self, value, i: int, parts: list[str]) -> list[Flowable]:
        if isinstance(value, str):
            return self._text_paras(value, self.styles["body"])
        paras = self._text_paras(value.text or "", self.styles.get(value.style, self.styles["body"]),
                                 headings=value.file is not None)
        if value.keep == "together":  # one block that never splits (`fit.fit_problems` checks it fits)
            return [GridGroup(paras, self.grid, name="kept paragraphs")]
        return paras

    def _part(self, part, i: int, parts: list[str]) -> list[Flowable]:
        parts.append(part.title)
        s = self.styles
        head: list[Flowable] = [Bookmark(part.title, part_key(len(parts)), level=int(self.article_parts is not None))]
        if part.kicker:
            k = s["kicker"]
            head.append(KickerBand(part.kicker, self.faces(k), k.size, k.color, k.accent, self.grid))
        head.append(self.headline(part.title, s["headline"]))
        block = PartHeading(head, self.grid, part.title)
        _, h = block.wrap(self.column_width, 1e6)
        out: list[Flowable] = [FloatBarrier()]
        if part.break_ == "page":
            out.append(explicit(PageBreak()))
        elif part.break_ == "column":
            out.append(explicit(FrameBreak()))
        else:
            out.append(self.space(self.pitch))
        # never stranded: the heading goes with at least three lines of what follows
        out.append(RoomFor(h + 3 * self.pitch))
        out.append(block)
        return out

    def _subhead(self, text: str, i: int, parts: list[str]) -> list[Flowable]:
        block = GridGroup([self.para(text, self.styles["subhead"])], self.grid, name="subhead")
        _, h = block.wrap(self.column_width, 1e6)
        return [RoomFor(h + 3 * self.pitch), block]

    def _credit(self, credit, i: int, parts: list[str]) -> list[Flowable]:
        text = credit if isinstance(credit, str) else credit.text
        return [GridGroup([self.para(text, self.styles["credit"])], self.grid, name="credit")]

    def _quote(self, quote, i: int, parts: list[str]) -> list[Flowable]:
        s = self.styles["quote"]
        items: list[Flowable] = [Rule(s.color, 1.0, self.pitch * 0.5), self.para(quote.text, s)]
        if quote.source:
            items.append(self.para("—— " + quote.source, self.styles["credit"]))
        items.append(Rule(s.color, 1.0, self.pitch * 0.5))
        # text in the reading order, never a float: kept whole where it stands
        return [GridGroup(items, self.grid, name="quote")]

    def caption(self, text: str | None) -> tuple[str, Flowable | None]:
        """The block's label (图N, 表N; "" when unnumbered) and its caption: the label, then the
        text with its continuation lines hanging under the text, not under the label."""
        label = self.numbers_by_index.get(self.block_index, "")
        if not text:
            return label, None
        cs = self.styles["caption"]
        shown = f"{label[0]} {label[1:]}"  # 图 1: a thin space between the word and the number
        return label, Caption(self.para(shown, cs), self.para(text, cs), self.faces(cs), cs.size)

    def _image(self, image, i: int, parts: list[str]) -> list[Flowable]:
        number, cap = self.caption(image.caption)
        cs = self.styles["caption"]
        if image.file is None:
            self.diagnostics.warn(f"image block has no file; drawing a placeholder for {number}",
                                  self.loaded.where(list(self.at)), dotted(self.at))
            box: Flowable = ImagePlaceholder(image.aspect or 4 / 3, "图片待补", self.face(cs), cs.size, self.grid,
                                             max_crop=self.loaded.spec.images.crop)
        else:
            from paiban.layout.images import image_flowable

            box = image_flowable(self.loaded, image, self.at, self.grid, self.diagnostics, measuring=self.measuring)
        return [self.float([box], cap, image.placement, number, wide=image.width == "page")]

    def float(self, content: list[Flowable], caption: Flowable | None, placement: str, name: str,
              *, wide: bool = False, caption_above: bool = False) -> FloatBlock:
        """A figure block: content, its caption (under a figure, over a table), and half a line of
        air, floated as asked."""
        items = list(content)
        if caption is not None and caption_above:
            items[:0] = [caption, Spacer(0, self.styles["caption"].size * 0.4)]
        elif caption is not None:
            items += [Spacer(0, self.styles["caption"].size * 0.4), caption]
        items.append(Spacer(0, self.pitch * 0.5))
        return FloatBlock(items, self.grid, placement, name=name, wide=wide)

    def _figure(self, figure, i: int, parts: list[str]) -> list[Flowable]:
        chart = self.assets.charts.get(figure.id) if self.assets.charts else None
        if chart is None and self.measuring:
            return [self.measured_figure(figure)]
        if chart is None:
            raise BuildError(f"chart {figure.id!r} was not prepared", self.loaded.where(list(self.at)))
        return figure_flowables(self, figure, chart)

    def measured_figure(self, figure) -> FloatBlock:
        """A figure's float for `paiban validate`, which draws no chart: its drawing as a blank of
        the height the spec gives (`height:`, or `aspect:` of the width); a chart sized from its
        data is not measured without drawing it (0 high here)."""
        width = self.text_width if figure.width == "page" else self.column_width
        h = figure.height.pt() if figure.height is not None else width * figure.aspect if figure.aspect else 0.0
        number, cap = self.caption(figure.caption)
        return self.float([Spacer(width, h)], cap, figure.placement, f"图{number}", wide=figure.width == "page")

    def _facts(self, facts, i: int, parts: list[str]) -> list[Flowable]:
        return facts_flowables(self, facts, self.assets, self.loaded.spec.charts)

    def _contents(self, contents, i: int, parts: list[str]) -> list[Flowable]:
        """本期要目 of an issue (its articles), else the contents of one article (its parts)."""
        blocks = list(self.loaded.spec.blocks())
        articles = [at.value.title for at in blocks if at.kind == "article"]
        if articles:
            entries = [(title, article_key(n)) for n, title in enumerate(articles, start=1)]
        else:
            titles = [at.value.title for at in blocks if at.kind == "part"]
            entries = [(title, part_key(n)) for n, title in enumerate(titles, start=1)]
        return contents_flowables(self, contents, entries)

    def _article(self, article, i: int, parts: list[str]) -> list[Flowable]:
        """The article's heading, its blocks, its source line; its floats placed before the next
        article starts (`grid.FloatFence`)."""
        at = self.at
        out = article_heading(self, article, len(self.articles) + 1)
        self.articles.append(article.title)
        self.article_parts = 0
        self.flow_of([b for b in self.loaded.spec.blocks() if b.article == at[1]], out, parts)
        if article.source:
            self.at = (*at, "source")
            out += keyed([GridGroup([self.para(article.source, self.styles["credit"])], self.grid, name="source")],
                         self.at)
        self.article_parts = None
        self.at = at
        return [*out, FloatFence()]

    def _break(self, kind: str, i: int, parts: list[str]) -> list[Flowable]:
        return [explicit(PageBreak() if kind == "page" else FrameBreak())]

    def _rule(self, rule, i: int, parts: list[str]) -> list[Flowable]:
        return rule_flowables(self, rule)

    def _closing(self, closing, i: int, parts: list[str]) -> list[Flowable]:
        return closing_flowables(self, closing)


def _after_text(flow: list[Flowable]) -> bool:
    """The story so far ends with a paragraph: a credit after it closes it, as a signature does,
    and never opens a column alone (it is tied to the paragraph's last lines). After a float
    or a heading (or a break) it keeps its own place: tying it would stop a figure from floating."""
    last = next((f for f in reversed(flow) if not isinstance(f, (GridSpace, Spacer))), None)
    return isinstance(last, CJKParagraph)


def _tie(flow: list[Flowable], made: list[Flowable]) -> list[Flowable]:
    """Keep a block with the end of the one before it: a block kept whole after a paragraph is
    tied to the paragraph's last lines (`grid.Tied`); otherwise ReportLab's keepWithNext holds
    the previous block's last flowable (and the spaces after it) with this block's first."""
    last = next((i for i in range(len(flow) - 1, -1, -1) if not isinstance(flow[i], (GridSpace, Spacer))), None)
    if last is not None and made and isinstance(made[0], GridGroup) and hasattr(flow[last], "split") \
            and not isinstance(flow[last], GridGroup):
        spaces = flow[last + 1:]
        del flow[last + 1:]
        head = flow.pop()
        group = made[0] if not spaces else GridGroup([*spaces, made[0]], made[0].pitch, name=made[0].name)
        group.spec_keys = getattr(made[0], "spec_keys", None)
        return [Tied(head, group), *made[1:]]
    for f in reversed(flow):
        f.keepWithNext = True
        if not isinstance(f, (GridSpace, Spacer)):
            break
    return made


#: What opens page 1 for each `page.masthead`: the 公文 版头 is drawn as a feature's masthead
#: until its own routine is added here.
MASTHEADS: dict[str, Callable[[StoryBuilder], list[Flowable]]] = {
    "feature": StoryBuilder.feature_masthead, "bulletin": bulletin_head, "gongwen": StoryBuilder.feature_masthead,
}

BlockMethod = Callable[[StoryBuilder, Any, int, list[str]], list[Flowable]]

#: The flowables of each block kind: (builder, the block's value, its index, part titles so far).
BLOCK_FLOWABLES: dict[str, BlockMethod] = {
    "lead": StoryBuilder._lead, "text": StoryBuilder._text, "part": StoryBuilder._part,
    "subhead": StoryBuilder._subhead, "figure": StoryBuilder._figure, "facts": StoryBuilder._facts,
    "image": StoryBuilder._image, "quote": StoryBuilder._quote, "credit": StoryBuilder._credit,
    "contents": StoryBuilder._contents, "break": StoryBuilder._break, "article": StoryBuilder._article,
    "rule": StoryBuilder._rule, "closing": StoryBuilder._closing,
}
