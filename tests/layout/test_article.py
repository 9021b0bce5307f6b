"""Articles of an issue, read back from the PDF: each article's heading (栏目 band, title,
byline), its parts one outline level under it, its figures placed before the next article
begins, its source line; 本期要目 rows linking to each article's page at its heading."""

from __future__ import annotations

import shutil

import pymupdf
import pytest

from paiban.build import build
from tests.support.project import FONTS

SPEC = """\
document:
  title: 乡村振兴工作简报
  name: 乡村振兴工作简报
  number: 3
page: {columns: 2, masthead: bulletin}
fonts:
  song: {regular: fonts/NotoSerifSC-Regular.ttf, bold: fonts/NotoSerifSC-Bold.ttf}
  hei: {regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}
  kai: {regular: fonts/LXGWWenKai-Regular.ttf}
body:
  - contents: {title: 本期要目}
  - article:
      column: 工作动态
      title: 县委召开乡村振兴工作推进会
      byline: 县委农办供稿
      body:
        - text: 3月5日，县委召开全县乡村振兴工作推进会。这是一段正文，用来检查文章的排版。
        - part: {title: 一、总结去年工作}
        - text: 这是一段正文，用来检查文章的排版。这是一段正文，用来检查文章的排版。
        - image: {caption: 会议现场, aspect: "4:3", placement: top}
        - text: 这是一段正文，用来检查文章的排版。
  - article:
      column: 基层经验
      title: 西潘乡发展核桃产业的做法
      subtitle: ——小核桃撑起致富梦
      source: （来源：盂县融媒体中心）
      body:
        - text: 这是一段正文，用来检查文章的排版。这是一段正文，用来检查文章的排版。
  - article:
      title: 东梁乡召开党建工作会
      break: page
      body:
        - text: 第三篇文章另起一页。
"""


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> pymupdf.Document:
    root = tmp_path_factory.mktemp("article")
    shutil.copytree(FONTS, root / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (root / "report.yaml").write_text(SPEC, encoding="utf-8")
    build(root / "report.yaml", root / "out.pdf")
    return pymupdf.open(root / "out.pdf")


def where(doc: pymupdf.Document, text: str) -> tuple[int, pymupdf.Rect]:
    hits = [(i, r) for i, page in enumerate(doc) for r in page.search_for(text)]
    assert len(hits) >= 1, text
    return hits[-1]  # the article's own heading, not its 本期要目 row


def test_the_outline_holds_each_article_with_its_parts_under_it(doc) -> None:
    assert doc.get_toc() == [[1, "县委召开乡村振兴工作推进会", 1], [2, "一、总结去年工作", 1],
                             [1, "西潘乡发展核桃产业的做法", 1], [1, "东梁乡召开党建工作会", 2]]


def test_the_contents_rows_link_to_each_article_at_its_heading(doc) -> None:
    links = [ln for ln in doc[0].get_links() if ln["kind"] == pymupdf.LINK_GOTO]
    assert len(links) == 3
    links.sort(key=lambda ln: ln["from"].y0)
    for link, title in zip(links, ["县委召开乡村振兴工作推进会", "西潘乡发展核桃产业的做法", "东梁乡召开党建工作会"],
                           strict=True):
        page, rect = where(doc, title)
        assert link["page"] == page, title
        top = doc[page].rect.height - link["to"].y if link["to"].y > 0 else None  # PDF space → page space
        assert top is None or abs(link["to"].y - rect.y0) < 40 or abs(top - rect.y0) < 40, (title, link, rect)


def test_an_articles_figure_is_placed_before_the_next_article_begins(doc) -> None:
    page, caption = where(doc, "会议现场")
    page2, heading = where(doc, "西潘乡发展核桃产业的做法")
    assert page == page2 == 0
    # the image asks for a column's top: it waits for the second column, and the next article
    # waits for it there (its first column ends early), never starting above it in the first
    half = doc[0].rect.width / 2
    assert caption.x0 > half and heading.x0 > half
    assert caption.y1 < heading.y0


def test_heading_parts_are_in_order_with_the_source_line_at_the_right(doc) -> None:
    page, band = where(doc, "基层经验")
    _, title = where(doc, "西潘乡发展核桃产业的做法")
    _, sub = where(doc, "小核桃撑起致富梦")
    _, source = where(doc, "盂县融媒体中心")
    assert band.y1 <= title.y0 < title.y1 <= sub.y0 < source.y0
    page_width = doc[0].rect.width
    assert source.x1 > page_width - 18 * 72 / 25.4 - 12  # set flush right in its column
    assert where(doc, "第三篇文章另起一页")[0] == 1


def test_an_articles_text_file_and_photo_are_inputs_of_the_build(tmp_path) -> None:
    """The files an article's own blocks read are the build's inputs, as a top-level block's
    are: watched, never an output, and a missing one a located error at its key."""
    from paiban.errors import InputError
    from paiban.spec.load import load_spec

    shutil.copytree(FONTS, tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (tmp_path / "a.md").write_text("第一段，来自文件。\n\n第二段，也来自文件。\n", encoding="utf-8")
    spec = SPEC.replace("        - text: 第三篇文章另起一页。\n",
                        "        - text: {file: a.md}\n        - image: {file: photo.jpg, caption: 现场}\n")
    (tmp_path / "report.yaml").write_text(spec, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        build(tmp_path / "report.yaml", tmp_path / "out.pdf")
    assert "photo.jpg" in str(refused.value) and "body[3].article.body[1].image.file" in str(refused.value)
    from PIL import Image

    Image.new("RGB", (800, 600), "#88aa88").save(tmp_path / "photo.jpg")
    files, _ = load_spec(tmp_path / "report.yaml").input_files()
    assert {tmp_path / "a.md", tmp_path / "photo.jpg"} <= {f.resolve() for f in files} | set(files)
    build(tmp_path / "report.yaml", tmp_path / "out.pdf")
    text = "".join(page.get_text() for page in pymupdf.open(tmp_path / "out.pdf"))
    assert "第一段，来自文件。" in text and "第二段，也来自文件。" in text
