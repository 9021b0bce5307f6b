"""The 公文 (GB/T 9704-2012) preset: its settings (`gongwen:`), its body blocks and the values the
standard fixes.

`page.masthead: gongwen` sets what GB/T 9704-2012 fixes (§5.2): A4, a 版心 of 156 mm × 225 mm
with a 37 mm 天头 and a 28 mm 订口 — which the standard glosses as 左白边, the left margin, so the
text block stands at 28 mm from the left edge on every page, not mirrored — one column, body in
3号 (16 pt) 仿宋 on a grid of 22 lines by 28 characters that fills the 版心. A key the spec
gives itself (page.size, page.margins, page.columns, a style's key) wins over the preset.
"""

from collections.abc import Iterator
from typing import Annotated

from pydantic import Field

from paiban.spec.base import Model, empty_list
from paiban.spec.blockbase import BlockText, BodyBlock, Keeps
from paiban.spec.lengths import AbsLength
from paiban.spec.values import Color

MM = 72 / 25.4
#: §5.2.1–5.2.2: A4, 版心 156 × 225 mm, 天头 37 mm, 订口 (左白边) 28 mm.
PAGE_MM = (210.0, 297.0)
BLOCK_MM = (156.0, 225.0)
TOP_MM = 37.0
LEFT_MM = 28.0

#: The styles the preset sets (the spec's `styles:` overrides any key of them). Sizes: 3号 16 pt,
#: 2号 22 pt, 4号 14 pt (§5.2.3, §7.2.1, §7.5).
STYLES: dict[str, dict] = {
    "body": dict(font="fangsong", size="16pt", indent="2em", align="justify", color="#000000"),
    "title": dict(font="display", bold=False, size="22pt", indent="0pt", align="center", color="#000000"),
    "gw_name": dict(font="display", size="42pt", indent="0pt", align="center", color="#e60012"),
    "gw_number": dict(font="fangsong", size="16pt", indent="0pt", align="center", color="#000000"),
    "heading1": dict(font="hei", size="16pt", indent="2em", align="justify", color="#000000"),
    "heading2": dict(font="kai", size="16pt", indent="2em", align="justify", color="#000000"),
    "heading3": dict(font="fangsong", bold=True, size="16pt", indent="2em", align="justify", color="#000000"),
    "heading4": dict(font="fangsong", size="16pt", indent="2em", align="justify", color="#000000"),
    "addressee": dict(font="fangsong", size="16pt", indent="0pt", align="left", color="#000000"),
    "signature": dict(font="fangsong", size="16pt", indent="0pt", align="right", color="#000000"),
    "page_number": dict(font="song", size="14pt", indent="0pt", align="center", color="#000000"),
    "closing": dict(font="fangsong", size="14pt", indent="0pt", align="left", color="#000000"),
}
#: Numbering of the four heading levels (§7.3.3 结构层次序数): 一、 （一） 1. （1）.
HEADING_STYLES = ("heading1", "heading2", "heading3", "heading4")


def grid_pitch(lines: int, size: float = 16.0, height: float = BLOCK_MM[1] * MM) -> float:
    """Line pitch (pt) of the body grid: `lines` lines fill the 版心's height (§5.2.2 撑满版心), the
    first line's em box at its top edge and the last one's at its bottom edge."""
    return (height - size) / (lines - 1)


def cell_pitch(chars: int, size: float = 16.0, width: float = BLOCK_MM[0] * MM) -> float:
    """Character pitch (pt) of the grid: `chars` em boxes fill the 版心's width, the first at its
    left edge and the last at its right (28 × 16 pt is 158 mm, so the boxes overlap by 0.2 pt)."""
    return (width - size) / (chars - 1)


class Gongwen(Model):
    """Settings of the 公文 preset (`page.masthead: gongwen`); every one has the standard's value."""

    lines: Annotated[int, Field(ge=10, le=40)] = Field(
        22, description="Body lines per page (GB/T 9704 §5.2.2: 22); they fill the 版心's height.")
    chars: Annotated[int, Field(ge=10, le=40)] = Field(
        28, description="Character cells per body line (§5.2.2: 28); they fill the 版心's width.")
    name_top: AbsLength = Field(
        "35mm", description="From the top of the 版心 to the top of the 发文机关标志 (§7.2.1: 35 mm for "
        "下行文; 80 mm for 上行文).")
    name_color: Color = Field("#e60012", description="Colour of the 发文机关标志 and the separator rule (红色).")
    rule_thickness: AbsLength = Field("0.5mm", description="Thickness of the red separator rule under the 发文字号.")
    rule_gap: AbsLength = Field("4mm", description="From the 发文字号 down to the red separator rule (§7.2.4: 4 mm).")
    signature_offset: Annotated[int, Field(ge=0, le=10)] = Field(
        4, description="Character cells between the signature's (and the date's) right end and the "
        "right edge of the text block (§7.3.5.1: 右空四字).")
    closing_even_page: bool = Field(
        True, description="Put the 版记 (a closing block) on an even page, the back of the last sheet: on the "
        "next page when it comes out on an odd one, after a blank page when it stood alone (those two pages "
        "then carry no number, §7.5).")
    page_numbers: bool = Field(True, description="Page numbers '— 1 —' in 4号 宋体 7 mm under the 版心, right on "
                                                 "odd pages and left on even pages, one character in (§7.5).")


class HeadingSpec(Keeps):
    text: str = Field(min_length=1, description="The heading's words, without its number.")
    level: Annotated[int, Field(ge=1, le=4)] = Field(
        1, description="1: 一、 (黑体), 2: （一） (楷体), 3: 1. (仿宋 bold), 4: （1） (仿宋); numbered "
        "automatically, each level restarting under its parent.")


class SignatureSpec(Keeps):
    office: str | None = Field(None, description="The issuing office (发文机关署名).")
    date: str = Field(min_length=1, description="成文日期 in Arabic numerals, e.g. 2026年12月7日.")


class HeadingBlock(BodyBlock):
    kind = "heading"
    named = "this heading"
    heading: str | HeadingSpec

    @property
    def spec(self) -> HeadingSpec:
        return HeadingSpec(text=self.heading) if isinstance(self.heading, str) else self.heading

    def texts(self) -> Iterator[BlockText]:
        keys: tuple[str | int, ...] = () if isinstance(self.heading, str) else ("text",)
        yield BlockText(HEADING_STYLES[self.spec.level - 1], "一二三四五六七八九十（）、.0123456789", keys)
        yield BlockText(HEADING_STYLES[self.spec.level - 1], self.spec.text, keys)


class AddresseeBlock(BodyBlock):
    kind = "addressee"
    named = "the 主送机关 line"
    addressee: str = Field(min_length=1)

    def texts(self) -> Iterator[BlockText]:
        yield BlockText("addressee", self.addressee)


class AttachmentsBlock(BodyBlock):
    kind = "attachments"
    named = "the 附件说明"
    attachments: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=empty_list, min_length=1)

    def texts(self) -> Iterator[BlockText]:
        yield BlockText("body", "附件：0123456789.")
        for i, name in enumerate(self.attachments):
            yield BlockText("body", name, (i,))


class SignatureBlock(BodyBlock):
    kind = "signature"
    named = "the signature"
    signature: SignatureSpec

    def texts(self) -> Iterator[BlockText]:
        if self.signature.office:
            yield BlockText("signature", self.signature.office, ("office",))
        yield BlockText("signature", self.signature.date, ("date",))



