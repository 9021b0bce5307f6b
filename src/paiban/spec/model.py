"""The typed model of report.yaml.

Every key an editor may write is declared here with its type, default and a description (the
JSON Schema from `paiban schema` is generated from these). Paths are kept as written; the spec
stage resolves them against the spec's folder and checks they exist.
"""

from collections.abc import Iterator
from typing import Annotated, Any, Literal, NamedTuple, Union

from pydantic import ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from paiban.spec.base import Model, empty_dict, empty_list
from paiban.spec.blockbase import BLOCKS, BlockFile, BlockText, BodyBlock, Keeps  # noqa: F401 - re-exported
from paiban.spec.bulletin import Bulletin, ClosingPair, ClosingSpec, RuleSpec
from paiban.spec.charts import ChartTheme, FactsBlock, FigureBlock, TableSpec
from paiban.spec.images import ImageSettings
from paiban.spec.lengths import AbsLength
from paiban.spec.textstyle import Style
from paiban.spec.values import Aspect, PageSize

# ---------------------------------------------------------------- document


class Document(Model):
    title: str = Field(min_length=1, description="The headline, set in the masthead and the PDF title.")
    subtitle: str | None = Field(None, description="The line under the headline (——…巡礼).")
    byline: str | None = Field(None, description="Authors as printed, e.g. '□ 王丑龙 刘娟娟 朱建国'.")
    author: str | None = Field(None, description="Author metadata of the PDF (defaults to the byline).")
    subject: str | None = Field(None, description="Subject metadata of the PDF.")
    keywords: list[str] = Field(default_factory=empty_list, description="Keywords metadata of the PDF.")
    language: str = Field("zh-CN", description="BCP 47 language tag of the text.")
    latin_language: str | None = Field(
        "en", description="Language of the Latin words in the text (en, en-GB, de …): their hyphenation "
        "patterns in justified text; null: never hyphenate.")
    date: str | None = Field(None, description="Issue date, available to headers as {date}; also the PDF's "
                             "creation date when it reads as a date (2026-03-06, 2026年3月6日).")
    name: str | None = Field(None, description="The bulletin's name in its red head (乡村振兴工作简报), or a "
                             "公文's 发文机关标志 text.")
    number: Annotated[int, Field(ge=0)] | str | None = Field(
        None, description="The issue number (12: printed 第12期) or a 公文's 发文字号 (盂政发〔2026〕12号).")
    total_number: Annotated[int, Field(ge=1)] | None = Field(None, description="The running issue number "
                                                                               "(总第N期).")
    office: str | None = Field(None, description="The issuing office, at the left margin under a bulletin's name.")
    classification: str | None = Field(None, description="A line above the name: 内部资料 注意保存, 秘密★1年 ….")


# ---------------------------------------------------------------- page


class Margins(Model):
    top: AbsLength = Field("18mm", description="Top margin.")
    bottom: AbsLength = Field("18mm", description="Bottom margin.")
    inner: AbsLength = Field("18mm", description="Margin at the binding side (left on odd pages).")
    outer: AbsLength = Field("18mm", description="Margin at the outside edge.")


PLACEHOLDERS = ("title", "subtitle", "part", "page", "pages", "date")


class RunningLine(Model):
    """A running header or footer; text templates may use {title}, {part}, {page}, {pages}, {date}."""

    left: str = Field("", description="Text at the left edge.")
    center: str = Field("", description="Text in the middle.")
    right: str = Field("", description="Text at the right edge.")
    first_page: bool | None = Field(None, description="Show it on the first page too "
                                                      "(default: footer yes, header no).")

    @field_validator("left", "center", "right")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        import string

        try:
            names = [f for _, f, _, _ in string.Formatter().parse(v) if f is not None]
        except ValueError as exc:
            raise ValueError(f"bad template {v!r}: {exc}; write {{{{ and }}}} for literal braces") from None
        for name in names:
            if name not in PLACEHOLDERS:
                raise ValueError(f"unknown placeholder {{{name}}} in {v!r}; expected one of "
                                 + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
        return v


class Page(Model):
    size: PageSize = Field("A4", description="A3, A4, A5, B5, Letter, or 'WIDTH x HEIGHT'.")
    orientation: Literal["portrait", "landscape"] = Field("portrait", description="portrait or landscape.")
    margins: AbsLength | Margins = Field("18mm", description="One length for all four, or top/bottom/inner/outer.")
    columns: Annotated[int, Field(ge=1, le=6)] = Field(3, description="Text columns, 1 to 6.")
    gutter: AbsLength = Field("5mm", description="Space between columns.")
    column_rule: bool = Field(False, description="Draw a hairline between columns.")
    header: RunningLine | None = Field(None, description="Running header on pages after the first.")
    footer: RunningLine | None = Field(None, description="Running footer.")
    bleed: AbsLength = Field("0mm", description="Bleed around the trim box; crop marks are drawn when > 0.")
    baseline_grid: bool = Field(True, description="Keep body lines of neighbouring columns on shared baselines.")
    masthead: Literal["feature", "bulletin", "gongwen"] = Field(
        "feature", description="What page 1 opens with: feature (the headline, subtitle and byline of one "
        "article), bulletin (a red head: name, issue number, office and date, red rule; see bulletin:) or "
        "gongwen (a GB/T 9704-2012 公文: its 版头, and paper, margins, one column, the 22 × 28 grid and the "
        "styles unless the spec gives them; see gongwen:).")
    lead: Literal["column", "across"] = Field(
        "column", description="Where a lead that opens the body goes: the first column, or across the "
                              "columns under the masthead (in a measure of at most 40 characters).")

    @field_validator("columns", mode="before")
    @classmethod
    def _int_columns(cls, v: Any) -> Any:
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"expected an integer from 1 to 6, got {v!r}")
        if not 1 <= v <= 6:
            raise ValueError(f"expected an integer from 1 to 6, got {v!r}")
        return v

    def margin_box(self) -> Margins:
        if isinstance(self.margins, Margins):
            return self.margins
        m = str(self.margins)
        return Margins(top=m, bottom=m, inner=m, outer=m)


# ---------------------------------------------------------------- fonts


class FaceRef(Model):
    """A font face given in full: a file (TTF, OTF, TTC, OTC) or a family name to look up."""

    path: str | None = Field(None, description="Font file, relative to report.yaml.")
    name: str | None = Field(None, description="Installed family name to look up instead of a path, "
                                               "or the face's name inside a TTC/OTC collection.")
    index: Annotated[int, Field(ge=0, le=255)] | None = Field(None, description=(
        "Face index inside a TTC/OTC. Without index or name, a collection gives the face for "
        "document.language (SC for zh-CN, TC for zh-TW, HK, JP for ja, KR for ko), and a note says which."))
    weight: Annotated[int, Field(ge=1, le=1000)] | None = Field(
        None, description="Instance weight of a variable font (100–900).")

    @model_validator(mode="after")
    def _path_or_name(self) -> "FaceRef":
        if not self.path and not self.name:
            raise ValueError("expected a font file (path:) or a family name (name:)")
        return self


FaceValue = str | FaceRef


class Family(Model):
    regular: FaceValue = Field(description="The regular face: a path, or {path, index, name, weight}.")
    bold: FaceValue | None = Field(None, description="The bold face; without one, bold text warns "
                                                     "(and is stroke-emboldened when fake_bold is true).")
    fake_bold: bool = Field(False, description="Embolden the regular face by stroking when there is no bold.")


class Fonts(Model):
    """Font families by key (song, hei, kai, …) plus two settings."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, Family] = Field(init=False)  # type: ignore[assignment]

    missing: Literal["error", "warn"] = Field(
        "error", description="A character no font has: an error, or a warning and a visible placeholder.")
    fallback: list[str] = Field(default_factory=lambda: ["song", "hei", "kai"],
                                description="Families tried in order for a character a style's font lacks.")
    system_fallback: bool = Field(
        True, description="A character no configured font has is drawn from an installed font that has it "
        "(found with fontconfig), with a warning naming the font file; false: never.")

    @property
    def families(self) -> dict[str, Family]:
        return dict(self.__pydantic_extra__ or {})


# ---------------------------------------------------------------- styles


# Punctuation and Style are in spec/textstyle.py (imported above).


# ---------------------------------------------------------------- body blocks


class TextSpec(Keeps):
    text: str | None = Field(None, description="Paragraphs separated by a blank line; markup **bold**, *emphasis*, "
                                               "[link](url); numbers bound to data: {data:TABLE/ROW/COLUMN}, "
                                               "{sum:TABLE/COLUMN} (and max, min, count).")
    file: str | None = Field(None, pattern=r"(?i)\.(md|markdown|txt|docx)$",
                             description="Read the text from a file instead, relative to report.yaml: Markdown "
                                         "(.md), Word (.docx) or plain text (.txt); its headings become subheads.")
    paragraphs: Literal["detect", "blank-line", "line"] = Field(
        "detect", description="Where paragraphs end in pasted or plain text: blank-line, line (every line is one: "
                              "Word's paste), or detect (blank lines if any; else lines that end sentences are "
                              "paragraphs, and other lines are a PDF's hard wraps, joined).")
    encoding: str | None = Field(None, description="The encoding of a .txt/.md file when detection is not wanted: "
                                                   "utf-8, gbk, gb18030, utf-16.")
    style: str = Field("body", description="Style name for these paragraphs.")
    keep: Literal["together"] | None = Field(None, description="together: never split these paragraphs across "
                                                               "columns (they must fit one column).")


    @model_validator(mode="after")
    def _text_or_file(self) -> "TextSpec":
        if (self.text is None) == (self.file is None):
            raise ValueError("expected text: (the paragraphs) or file: (a .md, .docx or .txt file), one of them")
        return self


class CreditSpec(Keeps):
    text: str = Field(description="The credit or closing line, e.g. （本文配图由……提供）.")


class PartSpec(Model):
    title: str = Field(min_length=1, description="The part's headline.")
    kicker: str | None = Field(None, description="The place name or label above the headline.")
    span: Literal["column", "page"] = Field("column", description="Set in one column or across all.")
    break_: Literal["none", "column", "page"] = Field("none", alias="break",
                                                       description="Start the part in a new column or page.")


class ImageSpec(Model):
    file: str | None = Field(None, description="Image file (JPEG, PNG, WebP, GIF, TIFF); turned upright by its EXIF "
                                               "orientation; without one a marked placeholder is drawn.")
    caption: str | None = Field(None, description="Caption, set in Kai under the image as 图N …")
    aspect: Aspect | None = Field(None, description="Width:height: the photo is cropped to it (centred); default "
                                                           "from the file, or 4:3 for a placeholder.")
    width: Literal["column", "page"] = Field("column", description="One column wide, or across the page.")
    placement: Literal["here", "top", "bottom"] = Field(
        "here", description="here (else the top of the next column), top or bottom of a column or page.")
    id: str | None = Field(None, description="A name to cite its number in text as {fig:ID}.")


class QuoteSpec(Keeps):
    text: str = Field(description="The quoted words, set large in the quote style between rules.")
    source: str | None = Field(None, description="Who said it, set after a dash.")


class ContentsSpec(Model):
    title: str = "目录"


class LeadBlock(BodyBlock):
    kind = "lead"
    named = "the lead"
    lead: str

    def texts(self) -> Iterator[BlockText]:
        yield BlockText("lead", self.lead, markup=True)


class TextBlock(BodyBlock):
    kind = "text"
    named = "this paragraph"
    text: str | TextSpec

    def texts(self) -> Iterator[BlockText]:
        if isinstance(self.text, str):
            yield BlockText("body", self.text, markup=True)
        elif self.text.text is not None:  # a file's text, once the spec stage has read it
            yield BlockText(self.text.style, self.text.text, ("text",), markup=True)

    def files(self) -> Iterator[BlockFile]:
        if not isinstance(self.text, str) and self.text.file:
            yield BlockFile(self.text.file, ("file",), "text file")

    def style_names(self) -> Iterator[tuple[str, tuple[str | int, ...]]]:
        if not isinstance(self.text, str):
            yield self.text.style, ("style",)


class PartBlock(BodyBlock):
    kind = "part"
    named = "this part heading"
    part: PartSpec

    def texts(self) -> Iterator[BlockText]:
        yield BlockText("headline", self.part.title, ("title",))
        if self.part.kicker:
            yield BlockText("kicker", self.part.kicker, ("kicker",))


class SubheadBlock(BodyBlock):
    kind = "subhead"
    named = "this subheading"
    subhead: str

    def texts(self) -> Iterator[BlockText]:
        yield BlockText("subhead", self.subhead)


def _captions(value: Any, fields: tuple[str, ...]) -> Iterator[BlockText]:
    """A figure's own lines (caption, title, source), set in the caption style."""
    for name in fields:
        text = getattr(value, name)
        if text is not None:
            yield BlockText("caption", text, (name,))


class FigureBodyBlock(BodyBlock):
    kind = "figure"
    named = "this figure"
    charted = True
    figure: FigureBlock

    def texts(self) -> Iterator[BlockText]:
        yield from _captions(self.figure, ("caption", "source"))
        for name in ("note", "center"):
            text = getattr(self.figure, name)
            if text:
                yield BlockText(None, text, (name,))

    def files(self) -> Iterator[BlockFile]:
        data = self.figure.data  # a table of its own, not a name from data:
        if not isinstance(data, str) and data.file:
            yield BlockFile(data.file, ("data", "file"), "data file")

    def cited_id(self) -> str | None:
        return self.figure.id

    def numbered(self) -> bool:
        return True


class FactsBodyBlock(BodyBlock):
    kind = "facts"
    named = "this facts box"
    charted = True
    facts: FactsBlock

    def texts(self) -> Iterator[BlockText]:
        yield from _captions(self.facts, ("caption", "title", "source"))
        for j, item in enumerate(self.facts.items):
            for name in ("value", "unit", "label"):
                text = getattr(item, name)
                if text not in ("", None):
                    yield BlockText(None, str(text), ("items", j, name))

    def cited_id(self) -> str | None:
        return self.facts.id

    def numbered(self) -> bool:
        return bool(self.facts.caption)


class ImageBlock(BodyBlock):
    kind = "image"
    named = "this image"
    image: ImageSpec

    def texts(self) -> Iterator[BlockText]:
        yield from _captions(self.image, ("caption",))

    def files(self) -> Iterator[BlockFile]:
        if self.image.file:
            yield BlockFile(self.image.file, ("file",), "image")

    def cited_id(self) -> str | None:
        return self.image.id

    def numbered(self) -> bool:
        return True


class QuoteBlock(BodyBlock):
    kind = "quote"
    named = "this quote"
    quote: QuoteSpec

    def texts(self) -> Iterator[BlockText]:
        yield BlockText("quote", self.quote.text, ("text",))
        if self.quote.source:
            yield BlockText("credit", self.quote.source, ("source",))


class CreditBlock(BodyBlock):
    kind = "credit"
    named = "this credit line"
    credit: str | CreditSpec

    def texts(self) -> Iterator[BlockText]:
        if isinstance(self.credit, str):
            yield BlockText("credit", self.credit)
        else:
            yield BlockText("credit", self.credit.text, ("text",))


class ContentsBlock(BodyBlock):
    kind = "contents"
    named = "the contents block"
    contents: ContentsSpec


class BreakBlock(BodyBlock):
    kind = "break"
    break_: Literal["column", "page"] = Field(alias="break")


class ArticleBlock(BodyBlock):
    kind = "article"
    named = "this article"
    article: "ArticleSpec"  # defined below: it holds blocks, this among them

    def texts(self) -> Iterator[BlockText]:
        a = self.article
        yield BlockText("article", a.title, ("title",))
        for name, style in (("column", "kicker"), ("subtitle", "article_subtitle"), ("byline", "article_byline"),
                            ("source", "credit")):
            if getattr(a, name):
                yield BlockText(style, getattr(a, name), (name,))


class RuleBlock(BodyBlock):
    kind = "rule"
    named = "this rule"
    rule: RuleSpec | None

    @property
    def spec(self) -> RuleSpec:
        """The rule as written, or every default for a bare `- rule:`."""
        return self.rule or RuleSpec()


class ClosingBlock(BodyBlock):
    kind = "closing"
    named = "the end matter"
    closing: ClosingSpec

    def texts(self) -> Iterator[BlockText]:
        style = self.closing.style
        for j, line in enumerate(self.closing.lines):
            if isinstance(line, ClosingPair):
                for side in ("left", "right"):
                    if getattr(line, side):
                        yield BlockText(style, getattr(line, side), ("lines", j, side))
            else:
                yield BlockText(style, line, ("lines", j))
        if self.closing.copies:
            yield BlockText(style, self.closing.copies, ("copies",))

    def style_names(self) -> Iterator[tuple[str, tuple[str | int, ...]]]:
        yield self.closing.style, ("style",)


# The 公文 blocks (heading, addressee, attachments, signature) register here, after the model's own:
# BLOCKS keeps the order "expected a block with one key: …" lists them in.
from paiban.spec.gongwen import Gongwen  # noqa: E402


def block_kind(value: Any) -> str | None:
    """The discriminator of a body block: its single key."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key in BLOCKS:
            return key
        return None
    if isinstance(value, BodyBlock):
        return value.kind
    return None


Block = Annotated[
    Union[tuple(Annotated[cls, Tag(kind)] for kind, cls in BLOCKS.items())],  # noqa: UP007 - built from a table
    Discriminator(block_kind, custom_error_type="block_kind",
                  custom_error_message="expected a block with one key: " + ", ".join(BLOCKS)),
]


class ArticleSpec(Model):
    """One article of a periodical issue: its heading, then its own blocks (parts, paragraphs,
    figures, boxes …), which stay within it: its floats are placed before the next article."""

    column: str | None = Field(None, description="The column name (栏目) in a kicker band above the title, "
                                                 "e.g. 工作动态, 基层经验.")
    title: str = Field(min_length=1, description="The article's headline; in the contents and the outline.")
    subtitle: str | None = Field(None, description="A line under the title (——…).")
    byline: str | None = Field(None, description="Who wrote or sent it, under the title: 县委组织部供稿, □ 王丑龙.")
    source: str | None = Field(None, description="A line at the article's end, at the right: （来源：盂县融媒体中心）.")
    break_: Literal["none", "column", "page"] = Field("none", alias="break",
                                                       description="Start the article in a new column or page.")
    body: list[Block] = Field(min_length=1, description="The article's blocks, in reading order.")

    @field_validator("body")
    @classmethod
    def _flat(cls, v: list[BodyBlock]) -> list[BodyBlock]:
        for block in v:
            if block.kind in ("article", "contents"):
                raise ValueError(f"an article holds no {block.kind} block; put it in the top-level body")
        return v


ArticleBlock.model_rebuild()


class BlockAt(NamedTuple):
    """A body block with where it stands: its number in reading order (body[index] for a block
    of the top-level body), its kind, the value under its key, the key path of that value (what
    messages and flowables are located by), and the body index of the article it is in."""

    index: int
    kind: str
    value: Any
    keys: tuple[str | int, ...]
    block: BodyBlock
    article: int | None = None


# ---------------------------------------------------------------- the whole spec


class Links(Model):
    schemes: list[Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*$")]] = Field(
        default_factory=lambda: ["http", "https", "mailto"],
        description="URL schemes a [link](url) may use; any other (javascript:, file:, a bare path) is "
                    "refused, as a PDF viewer would open it.")


class Spec(Model):
    # The factories of page and charts are lambdas, not the classes: pydantic inspects a
    # factory's signature, and a model class's signature is built from all its fields.
    document: Document
    output: str | None = Field(None, description="Where the PDF goes, relative to report.yaml "
                                                 "(default build/<spec name>.pdf).")
    page: Page = Field(default_factory=lambda: Page())
    fonts: Fonts
    styles: dict[str, Style] = Field(default_factory=empty_dict, description="Text styles by name; see the README.")
    charts: ChartTheme = Field(default_factory=lambda: ChartTheme(), description="The charts' theme.")
    data: dict[str, TableSpec] = Field(default_factory=empty_dict, description="Named data tables: a CSV/JSON file or inline rows.")
    links: Links = Field(default_factory=lambda: Links(), description="What [link](url) may point to.")
    images: ImageSettings = Field(default_factory=lambda: ImageSettings(),
                                  description="How photos are prepared: dpi, min_dpi, JPEG quality.")
    bulletin: Bulletin = Field(default_factory=lambda: Bulletin(), description="The red head of a bulletin "
                               "(page.masthead: bulletin).")
    gongwen: Gongwen = Field(default_factory=lambda: Gongwen(), description="The 公文 preset's settings "
                             "(page.masthead: gongwen).")
    body: list[Block] = Field(min_length=1, description="The article, in reading order.")

    def blocks(self) -> Iterator[BlockAt]:
        """The body's blocks in reading order, each with its index, kind, value and key path: an
        article, then the blocks in it (their index numbers every block in reading order, so a
        body without articles has index i for body[i])."""
        n = 0
        for i, block in enumerate(self.body):
            keys = ("body", i, block.kind)
            yield BlockAt(n, block.kind, block.value, keys, block)
            n += 1
            if isinstance(block, ArticleBlock):
                for j, inner in enumerate(block.article.body):
                    yield BlockAt(n, inner.kind, inner.value, (*keys, "body", j, inner.kind), inner, i)
                    n += 1
