"""Content as a county office has it, built through the command line and read back from the PDF:
a GBK and a UTF-16 CSV, an .xlsx with a sheet and a range, a Markdown article, a Word document
made with python-docx, a Word-style paste, numbers bound to the data, phone photos. Bad files
are refused at their place, exit 2, and the PDF already built stays as it was."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image

from tests.e2e.test_outputs import paiban
from tests.support.project import FONTS, run_paiban

HEAD = """\
document:
  title: 测试标题
fonts:
  song: {regular: fonts/NotoSerifSC-Regular.ttf, bold: fonts/NotoSerifSC-Bold.ttf}
  hei: {regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}
  kai: {regular: fonts/LXGWWenKai-Regular.ttf}
charts: {thousands: 1000}
page: {columns: 2, margins: 15mm}
"""


def project(root: Path, body: str, data: str = "") -> Path:
    if not (root / "fonts").exists():
        shutil.copytree(FONTS, root / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (root / "report.yaml").write_text(HEAD + data + "body:\n" + body, encoding="utf-8")
    return root


def text_of(pdf: Path) -> str:
    with pymupdf.open(pdf) as doc:
        return "".join(page.get_text() for page in doc)


def lines_of(pdf: Path) -> list[str]:
    return [line.strip() for line in text_of(pdf).splitlines() if line.strip()]


def build(root: Path, *args: str) -> tuple[int, str]:
    return paiban(root, "build", "report.yaml", "-o", "out.pdf", *args)


# ---------------------------------------------------------------- data files and bound numbers

DATA = """\
data:
  towns: {file: data/towns.csv, units: {人数: 名}}
"""
BOUND_BODY = """\
  - text: 首批参训党员已达{data:towns/城关镇/人数}，全县合计{sum:towns/人数}，最多{max:towns/人数}，共{count:towns/人数}个镇。
  - figure: {id: towns, chart: line, data: towns}
"""


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_csv_saved_by_excel_on_chinese_windows_binds_numbers_that_follow_the_data(tmp_path: Path,
                                                                                     encoding: str) -> None:
    root = project(tmp_path, BOUND_BODY, DATA)
    csv = root / "data" / "towns.csv"
    csv.parent.mkdir()
    csv.write_bytes("地区,人数,,\r\n城关镇,4210,,\r\n南娄镇,—,,\r\n北关镇,1000余,,\r\n".encode(encoding))
    status, err = build(root)
    assert status == 0, err
    text = text_of(root / "out.pdf").replace("\n", "").replace(" ", "")
    assert "已达4,210名" in text and "合计约5,210名" in text and "最多4,210名" in text and "共2个镇" in text
    status, out = run_paiban("validate", "report.yaml", cwd=root).returncode, run_paiban(
        "validate", "report.yaml", cwd=root).stdout
    assert status == 0 and f"data/towns.csv: read as {encoding}, 3 rows × 2 columns" in out
    # the data changes: the chart and the sentence change in the same build
    csv.write_bytes("地区,人数\r\n城关镇,5321\r\n南娄镇,12\r\n北关镇,7\r\n".encode(encoding))
    status, err = build(root)
    assert status == 0, err
    text = text_of(root / "out.pdf").replace("\n", "").replace(" ", "")
    assert "已达5,321名" in text and "合计5,340名" in text and "4,210" not in text


def test_a_bound_number_naming_what_is_not_there_is_located_with_a_near_name(tmp_path: Path) -> None:
    root = project(tmp_path, "  - text: 共{data:towns/城关/人数}人，{sum:towns/人头}。\n", DATA)
    (root / "data").mkdir()
    (root / "data" / "towns.csv").write_text("地区,人数\n城关镇,4210\n", encoding="utf-8")
    status, err = build(root)
    assert status == 2
    assert ("report.yaml:12:12: table 'towns' has no row '城关' (in its first column, '地区') in "
            "{data:towns/城关/人数}; did you mean '城关镇'?") in err
    assert "table 'towns' has no column '人头' in {sum:towns/人头}; did you mean '人数'?" in err
    assert not (root / "out.pdf").exists()


def test_a_dash_is_a_gap_in_a_line_chart_and_a_located_error_in_a_bar_chart(tmp_path: Path) -> None:
    root = project(tmp_path, "  - figure: {id: towns, chart: bar, data: towns}\n", DATA)
    (root / "data").mkdir()
    (root / "data" / "towns.csv").write_text("地区,人数\n城关镇,4210\n南娄镇,－\n", encoding="utf-8")
    status, err = build(root)
    assert status == 2 and "data/towns.csv:3" in err and "'人数' is empty in this row" in err


def workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "封面"
    book.active["A1"] = "2024年统计"
    sheet = book.create_sheet("党员")
    sheet["A1"] = "党员统计表（单位：名）"
    for r, row in enumerate([["地区", "人数", "备注"], ["城关镇", 4210, "—"], ["南娄镇", 388.0, None]], start=3):
        for c, value in enumerate(row, start=2):
            sheet.cell(row=r, column=c, value=value)
    sheet["F20"] = "制表：组织部"  # outside the range
    book.save(path)


def test_an_xlsx_sheet_and_range_are_read_and_bad_workbooks_are_refused_in_place(tmp_path: Path) -> None:
    data = "data:\n  towns: {file: data/towns.xlsx, sheet: 党员, range: B3:C5, units: {人数: 名}}\n"
    root = project(tmp_path, BOUND_BODY, data)
    (root / "data").mkdir()
    workbook(root / "data" / "towns.xlsx")
    status, err = build(root)
    assert status == 0, err
    text = text_of(root / "out.pdf").replace("\n", "").replace(" ", "")
    assert "已达4,210名" in text and "合计4,598名" in text
    good = (root / "out.pdf").read_bytes()
    spec = root / "report.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("sheet: 党员", "sheet: 党员们"), encoding="utf-8")
    status, err = build(root)
    assert status == 2
    assert ("report.yaml:10:41: data.towns.sheet: no sheet '党员们' in the workbook; its sheets: 封面, 党员; "
            "did you mean '党员'?") in err
    spec.write_text(spec.read_text(encoding="utf-8").replace("sheet: 党员们", "sheet: 党员"), encoding="utf-8")
    book = root / "data" / "towns.xlsx"
    book.write_bytes(book.read_bytes()[: book.stat().st_size // 2])  # truncated
    status, err = build(root)
    assert status == 2 and "report.yaml:10:" in err and "cannot read the workbook" in err
    assert (root / "out.pdf").read_bytes() == good


# ---------------------------------------------------------------- text files and pastes

def test_a_markdown_article_sets_its_paragraphs_headings_and_lists(tmp_path: Path) -> None:
    root = project(tmp_path, "  - text: {file: articles/a.md}\n")
    (root / "articles").mkdir()
    (root / "articles" / "a.md").write_text(
        "## 基本情况\n\n全县党员教育**成效明显**，\n详见[网站](https://example.com)。\n\n"
        "1. 第一项工作。\n2. 第二项工作。\n\n第二段落。\n", encoding="utf-8")
    status, err = build(root)
    assert status == 0, err
    lines = lines_of(root / "out.pdf")
    assert lines[1:] == ["基本情况", "全县党员教育成效明显，详见网站。", "1. 第一项工作。", "2. 第二项工作。", "第二段落。"]
    with pymupdf.open(root / "out.pdf") as doc:
        assert [link["uri"] for link in doc[0].get_links()] == ["https://example.com"]
    # a problem in the article is told at its line and column in the article
    (root / "articles" / "a.md").write_text("第一段。\n\n第二段有**粗体**和{sum:towns/人数}。\n", encoding="utf-8")
    good = (root / "out.pdf").read_bytes()
    status, err = build(root)
    assert status == 2 and err.startswith("articles/a.md:3:12: unknown table 'towns' in {sum:towns/人数}"), err
    assert (root / "out.pdf").read_bytes() == good


def word_document(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("一、基本情况", level=1)
    p = document.add_paragraph("\u3000\u3000全县共有")
    p.add_run("党员4210名").bold = True
    p.add_run("，其中")
    p.add_run("女党员").italic = True
    p.add_run("占三成。")
    document.add_paragraph("")
    document.add_paragraph("第二段。")
    document.save(str(path))


def test_a_word_document_is_set_and_imported_as_markdown(tmp_path: Path) -> None:
    root = project(tmp_path, "  - text: {file: a.docx}\n")
    word_document(root / "a.docx")
    status, err = build(root)
    assert status == 0, err
    assert [line.replace(" ", "") for line in lines_of(root / "out.pdf")[1:]] == [
        "一、基本情况", "全县共有党员4210名，其中女党员占三成。", "第二段。"]
    with pymupdf.open(root / "out.pdf") as doc:
        fonts = {span["font"] for block in doc[0].get_text("dict")["blocks"] for line in block.get("lines", [])
                 for span in line["spans"] if "4210" in span["text"]}
    assert any("Bold" in f for f in fonts), fonts
    r = run_paiban("import", "a.docx", cwd=root)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "  - text: {file: a.md}\n"
    assert (root / "a.md").read_text(encoding="utf-8") == (
        "## 一、基本情况\n\n全县共有**党员4210名**，其中*女党员*占三成。\n\n第二段。\n")


def test_a_docx_that_is_not_a_word_document_is_refused_where_the_spec_names_it(tmp_path: Path) -> None:
    root = project(tmp_path, "  - text: 正文。\n")
    assert build(root)[0] == 0
    good = (root / "out.pdf").read_bytes()
    with zipfile.ZipFile(root / "a.docx", "w") as z:
        z.writestr("hello.txt", "not word")
    project(root, "  - text: {file: a.docx}\n")
    status, err = build(root)
    assert status == 2 and err.startswith("report.yaml:10:18: body[0].text.file: not a Word document (.docx)"), err
    assert (root / "out.pdf").read_bytes() == good


def test_a_word_style_paste_keeps_its_paragraphs_and_loses_its_stray_spaces(tmp_path: Path) -> None:
    body = ("  - text: |\n      \u3000\u3000第一段写完了。\n      \u3000\u3000第二段 也写完了。\n"
            "  - text: {file: pdf.txt}\n")
    root = project(tmp_path, body)
    (root / "pdf.txt").write_text("县委组织部坚持把党员教育培训作为\n基础工程，成效明显。\n新段落。\n", encoding="gbk")
    status, err = build(root, "--set", "page.columns=1")
    assert status == 0, err
    assert lines_of(root / "out.pdf")[1:] == ["第一段写完了。", "第二段也写完了。",
                                             "县委组织部坚持把党员教育培训作为基础工程，成效明显。", "新段落。"]
    assert "report.yaml:12:12: warning: body[0].text: a half-width space between two Chinese characters removed" in err


# ---------------------------------------------------------------- photos

def photo(path: Path, size: tuple[int, int], **save) -> None:
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    rng = np.random.default_rng(7)
    pixels = np.stack([(x * 255 // w), (y * 255 // h), ((x + y) * 127 // (w + h))], axis=-1)
    pixels = (pixels + rng.integers(0, 24, pixels.shape)).clip(0, 255).astype("uint8")
    Image.fromarray(pixels).save(path, **save)


def embedded(pdf: Path) -> list[tuple[int, int, float, float]]:
    """(width px, height px, drawn width pt, drawn height pt) of each image, in page order."""
    with pymupdf.open(pdf) as doc:
        return [(i["width"], i["height"], i["bbox"][2] - i["bbox"][0], i["bbox"][3] - i["bbox"][1])
                for page in doc for i in page.get_image_info()]


def test_photos_are_upright_downsampled_cropped_and_a_small_one_warned(tmp_path: Path) -> None:
    body = ("  - image: {file: big1.jpg, caption: 一}\n  - image: {file: big2.jpg, caption: 二, aspect: '1:1'}\n")
    root = project(tmp_path, body)
    photo(root / "big1.jpg", (4000, 3000), quality=92)
    photo(root / "big2.jpg", (4000, 3000), quality=92)
    status, err = build(root)
    assert status == 0, err
    assert (root / "out.pdf").stat().st_size < 1.5 * 1024 * 1024
    images = embedded(root / "out.pdf")
    assert len(images) == 2
    for w, h, dw, dh in images:
        assert w / (dw / 72) <= 1.1 * 300 and h / (dh / 72) <= 1.1 * 300
    assert images[1][0] == images[1][1]  # cropped to 1:1: the pixels, not only the box
    # a phone photo held upright, stored sideways (Orientation 6), and one too small to print
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = Image.new("RGB", (400, 300), "red")
    stored.paste((0, 0, 255), (0, 0, 200, 300))  # left half blue: after turning, the top half
    stored.save(root / "phone.jpg", exif=exif, quality=95)
    project(root, "  - image: {file: phone.jpg, caption: 手机}\n")
    status, err = build(root)
    assert status == 0, err
    assert "report.yaml:10:19: warning: body[0].image.file: image 'phone.jpg' gives" in err
    assert "less than images.min_dpi 150" in err
    ((w, h, dw, dh),) = embedded(root / "out.pdf")
    assert (w, h) == (300, 400) and dh > dw
    with pymupdf.open(root / "out.pdf") as doc:
        xref = doc[0].get_images()[0][0]
        pix = pymupdf.Pixmap(doc, xref)
        top, bottom = pix.pixel(150, 50), pix.pixel(150, 350)
    assert top[2] > 200 > top[0] and bottom[0] > 200 > bottom[2]
    good = (root / "out.pdf").read_bytes()
    status, err = build(root, "--strict")
    assert status == 2 and "(an error under --strict)" in err
    assert (root / "out.pdf").read_bytes() == good


def test_png_transparency_and_cmyk_jpeg_are_kept_and_webp_is_read(tmp_path: Path) -> None:
    root = project(tmp_path, "  - image: {file: logo.png}\n  - image: {file: print.jpg}\n"
                             "  - image: {file: web.webp}\n")
    logo = Image.new("RGBA", (3000, 1500), (200, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (500, 500, 2500, 1000))
    logo.save(root / "logo.png")
    logo.paste((0, 90, 0, 255), (500, 500, 2500, 1000))
    logo.save(root / "web.webp")  # other pixels: ReportLab embeds an image drawn twice once
    Image.new("CMYK", (3000, 2000), (0, 100, 200, 0)).save(root / "print.jpg", quality=90)
    status, err = build(root)
    assert status == 0, err
    with pymupdf.open(root / "out.pdf") as doc:
        infos = [i for page in doc for i in page.get_images(full=True)]
        smasks = [i[1] for i in infos]
        spaces = [i[5] for i in infos]
    assert len(infos) == 3 and sum(1 for m in smasks if m) == 2, infos  # PNG and WebP keep their alpha
    assert "DeviceCMYK" in spaces, infos
    images = embedded(root / "out.pdf")
    assert all(w / (dw / 72) <= 1.1 * 300 for w, _, dw, _ in images), images
