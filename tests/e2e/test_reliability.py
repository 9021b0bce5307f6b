"""Bad input never costs the editor a good PDF: each hostile or broken spec is refused at once
with a located one-line message and exit 2, and the PDF already built stays byte-identical.

Also here: files named by the spec stay inside the project (symlinks too), images are checked
before ReportLab sees them, elements that fit no column are named at their spec line (or
scaled, with a warning), and the bugs the fuzz tests found, kept as plain regression tests.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import time
import zlib
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from paiban.cli import main
from paiban.errors import InputError
from paiban.spec.load import load_spec
from tests.support.limits import time_limit
from tests.support.pdfcheck import assert_valid_pdf
from tests.support.project import FONTS, run_paiban

SPEC = """\
document:
  title: 测试标题
fonts:
  song: {regular: fonts/NotoSerifSC-Regular.ttf}
  hei: {regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}
  kai: {regular: fonts/LXGWWenKai-Regular.ttf}
page:
  columns: 2
  margins: 15mm
body:
  - text: |
      这是一段正文。
"""


def make_project(root: Path) -> Path:
    shutil.copytree(FONTS, root / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (root / "data").mkdir()
    (root / "data" / "edu.csv").write_text("类别,场次\n革命传统教育,101\n警示教育,115\n", encoding="utf-8")
    (root / "images").mkdir()
    Image.new("RGB", (40, 30), "#b3120f").save(root / "images" / "photo.png")
    (root / "report.yaml").write_text(SPEC, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project with a good PDF in it, built once."""
    root = make_project(tmp_path_factory.mktemp("built"))
    r = run_paiban("build", "report.yaml", "-o", "out.pdf", cwd=root)
    assert r.returncode == 0, r.stderr
    assert_valid_pdf(root / "out.pdf")
    return root


@pytest.fixture()
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project (fonts hard-linked when the file system allows)."""
    root = tmp_path / "project"

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(built, root, copy_function=link, ignore=shutil.ignore_patterns(".paiban-cache"))
    return root


def stray_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".segments.")]


def with_line(spec: str, old: str, new: str) -> str:
    assert old in spec, old
    return spec.replace(old, new, 1)


def wide_alias() -> str:
    """Few aliases, each of one huge node: caught by the expanded size, not the alias count."""
    big = "[" + ", ".join("1" for _ in range(40_000)) + "]"
    return SPEC + f"big: &big {big}\nmore: [*big, *big, *big, *big]\n"


# A hostile spec too big to keep as a file in tests/spec/bad_specs/ (where the other by-hand cases
# of the issue are, run by test_bad_specs.py): (name, spec text, start of the message).
REFUSED = [
    ("many aliases of a huge node", wide_alias(), r"report\.yaml:\d+:\d+: aliases \(\*name\) expand"),
]


@pytest.mark.parametrize("name,text,message", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_at_once_and_the_pdf_stays_byte_identical(project: Path, name: str, text: str, message: str) -> None:
    before = (project / "out.pdf").read_bytes()
    (project / "report.yaml").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    r = run_paiban("build", "report.yaml", "-o", "out.pdf", cwd=project, timeout=60)
    took = time.perf_counter() - started
    print(f"{name}: exit {r.returncode} in {took:.2f} s")  # measured, not asserted (timings are noisy)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    first = r.stderr.strip().splitlines()[0]
    assert re.match(message, first), first
    assert (project / "out.pdf").read_bytes() == before
    assert not stray_files(project)
    assert not (project.parent / "elsewhere.pdf").exists()


def test_invalid_utf8_and_huge_files_are_refused(project: Path) -> None:
    spec = project / "report.yaml"
    spec.write_bytes(SPEC.encode().replace("测试标题".encode(), b"\xe6\xb5\x8b\xff\xfe"))
    with pytest.raises(InputError, match=r"invalid UTF-8 byte 0xff") as exc:
        load_spec(spec)
    assert (exc.value.location.line, exc.value.location.column) == (2, 13)
    with spec.open("ab") as f:
        f.truncate(9 * 1024 * 1024)  # sparse: no 9 MiB written
    with pytest.raises(InputError, match=r"a spec may be at most 8 MiB"):
        load_spec(spec)


# ------------------------------------------------------------------ paths stay in the project

OUTSIDE = "outside"


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """Files beside, not inside, the project: a font, a data table, an image."""
    out = tmp_path / OUTSIDE
    out.mkdir()
    shutil.copy(FONTS / "LXGWWenKai-Regular.ttf", out / "font.ttf")
    (out / "edu.csv").write_text("类别,场次\n甲,1\n", encoding="utf-8")
    Image.new("RGB", (40, 30), "#5b6770").save(out / "photo.png")
    return out


def spec_naming(kind: str, path: str) -> str:
    if kind == "font":
        return with_line(SPEC, "fonts/LXGWWenKai-Regular.ttf", path)
    if kind == "data":
        return SPEC + f"data:\n  edu: {{file: {path}}}\n"
    if kind == "figure data":
        return SPEC + f"  - figure: {{id: edu, chart: bar, data: {{file: {path}}}}}\n"
    return SPEC + f"  - image: {{file: {path}}}\n"


KINDS = {"font": ("font.ttf", "fonts.kai.regular", "font file"), "data": ("edu.csv", "data.edu.file", "data file"),
         "figure data": ("edu.csv", "body[1].figure.data.file", "data file"),
         "image": ("photo.png", "body[1].image.file", "image")}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("how", ["relative", "symlink", "linked folder"])
def test_files_outside_the_project_are_refused_unless_allowed(project: Path, outside: Path, kind: str,
                                                              how: str) -> None:
    name, keypath, what = KINDS[kind]
    if how == "relative":
        path = f"../{OUTSIDE}/{name}"
    elif how == "symlink":  # a link inside the project that leads out of it
        (project / "link").mkdir()
        (project / "link" / name).symlink_to(outside / name)
        path = f"link/{name}"
    else:
        (project / "shared").symlink_to(outside, target_is_directory=True)
        path = f"shared/{name}"
    spec = project / "report.yaml"
    spec.write_text(spec_naming(kind, path), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_spec(spec)
    problem = exc.value.problems[0]
    assert problem.path == keypath
    assert problem.message.startswith(f"{what} '{path}' is outside the project folder")
    assert "--allow-outside" in problem.message
    assert problem.location is not None and problem.location.line is not None
    loaded = load_spec(spec, allow_outside=True)  # the editor's explicit choice
    assert loaded.base_dir == project.resolve()


def test_a_symlink_that_stays_inside_is_fine(project: Path) -> None:
    (project / "alias.png").symlink_to(project / "images" / "photo.png")
    (project / "report.yaml").write_text(spec_naming("image", "alias.png"), encoding="utf-8")
    load_spec(project / "report.yaml")


def test_allow_outside_builds_with_an_outside_font(project: Path, outside: Path) -> None:
    (project / "report.yaml").write_text(spec_naming("font", f"../{OUTSIDE}/font.ttf"), encoding="utf-8")
    assert run_paiban("build", "report.yaml", "-o", "out.pdf", cwd=project).returncode == 2
    r = run_paiban("build", "report.yaml", "-o", "out.pdf", "--allow-outside", cwd=project)
    assert r.returncode == 0, r.stderr
    assert_valid_pdf(project / "out.pdf")


# ------------------------------------------------------------------ in-process builds

def build_in_process(project: Path, text: str) -> tuple[int, str]:
    """`paiban build` through the CLI's main() in this process: (exit status, stderr)."""
    (project / "report.yaml").write_text(text, encoding="utf-8")
    err = io.StringIO()
    with time_limit(120), redirect_stderr(err), redirect_stdout(io.StringIO()):
        status = main(["build", str(project / "report.yaml"), "-o", str(project / "out.pdf")])
    return status, err.getvalue()


# Python warnings printed by the warnings module (the CJK engine's CJKLayoutWarning, for one):
# not paiban's messages; left out when looking for the error line.
PY_WARNING = re.compile(r"^\S+\.py:\d+: \w*Warning: |^  ")


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if line.strip() and ": warning: " not in line and not PY_WARNING.match(line)]


def assert_refused(project: Path, status: int, stderr: str, message: str, before: bytes) -> None:
    assert status == 2, stderr
    errors = error_lines(stderr)
    assert re.match(message, errors[0]), errors[0]
    assert (project / "out.pdf").read_bytes() == before
    assert not stray_files(project)


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels in a few bytes (as a decompression bomb does)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def broken_images(images: Path) -> dict[str, tuple[str, str]]:
    """name → (file, start of the expected message)."""
    good = (images / "photo.png").read_bytes()
    Image.new("RGB", (40, 30), "#5b6770").save(images / "photo.jpg")
    (images / "truncated.png").write_bytes(good[: len(good) // 2])
    (images / "truncated.jpg").write_bytes((images / "photo.jpg").read_bytes()[:300])
    (images / "bomb.png").write_bytes(png_header(30_000, 30_000))  # twice Pillow's limit and more
    (images / "warned.png").write_bytes(png_header(10_000, 10_000))  # over the limit, under twice it
    (images / "text.png").write_text("not an image", encoding="utf-8")
    Image.new("RGB", (16, 16)).save(images / "icon.ico")
    return {
        "truncated png": ("truncated.png", r"cannot read image 'images/truncated\.png': .*expected an undamaged"),
        "truncated jpeg": ("truncated.jpg", r"cannot read image 'images/truncated\.jpg': .*expected an undamaged"),
        "decompression bomb": ("bomb.png", r"image 'images/bomb\.png' is too large to decode safely"),
        "just over the limit": ("warned.png", r"image 'images/warned\.png' is too large to decode safely"),
        "not an image": ("text.png", r"cannot read image 'images/text\.png': cannot identify image file"),
        "unsupported format": ("icon.ico", r"image 'images/icon\.ico' is ICO; expected a PNG or JPEG file"),
    }


def test_broken_unsupported_and_bomb_images_are_refused_at_their_line(project: Path) -> None:
    cases = broken_images(project / "images")
    before = (project / "out.pdf").read_bytes()
    for _name, (file, message) in cases.items():
        status, stderr = build_in_process(project, SPEC + f"  - image: {{file: images/{file}, caption: 图}}\n")
        assert "DecompressionBombWarning" not in stderr
        assert_refused(project, status, stderr, r".*report\.yaml:13:19: body\[1\]\.image\.file: " + message, before)


# ------------------------------------------------------------------ elements that fit no column

TOO_BIG = [
    ("3,000-character headline", SPEC + "  - part: {title: " + "标题很长" * 750 + "}\n",
     r".*report\.yaml:13:11: body\[1\]\.part: this part heading is \d+pt tall, more than fits in an empty column"),
    ("table taller than a page", SPEC + "  - figure:\n      id: big\n      chart: table\n      data:\n"
     "        columns: [类别, 数]\n        rows:\n" + "".join(f"        - [第{i}项, {i}]\n" for i in range(150)),
     r".*report\.yaml:14:7: body\[1\]\.figure: this figure is \d+pt tall, more than fits in an empty column"),
    ("facts box taller than a page", SPEC + "  - facts: {title: 数说, columns: 1, items: ["
     + ", ".join(f"{{value: {i}, unit: 名, label: {'党员' * 40}}}" for i in range(24)) + "]}\n",
     r".*report\.yaml:13:12: body\[1\]\.facts: this facts box is \d+pt tall"),
    ("title set larger than the page", SPEC + "styles: {title: {size: 400pt}}\n",
     r".*report\.yaml:2:10: document\.title: the title is \d+pt tall, more than fits in an empty column"),
    ("body set larger than a column", SPEC + "styles: {body: {size: 900pt}}\n",
     r".*report\.yaml:13:16: styles\.body: text in style 'body' is \d+pt tall"),
    ("a character no font has, found while measuring", SPEC + "  - facts: {items: [{value: \"1\\x7f\", label: 党员}]}\n",
     r".*report\.yaml:13:12: body\[1\]\.facts: no chart font has '\\x7f'"),
]


@pytest.mark.parametrize("name,text,message", TOO_BIG, ids=[t[0] for t in TOO_BIG])
def test_an_element_that_fits_no_column_is_named_at_its_line(project: Path, name: str, text: str,
                                                            message: str) -> None:
    before = (project / "out.pdf").read_bytes()
    status, stderr = build_in_process(project, text)
    assert_refused(project, status, stderr, message, before)
    assert "LayoutError" not in stderr and "0x7f" not in stderr.replace("\\x7f", "")


def test_a_long_url_in_a_2cm_column_breaks_anywhere(project: Path) -> None:
    url = "https://example.com/" + "abcdefghij" * 18
    spec = with_line(SPEC, "columns: 2", "columns: 6\n  gutter: 12mm") + f"  - text: 网址{url}结束。\n"
    status, stderr = build_in_process(project, spec)
    assert status == 0, stderr
    assert_valid_pdf(project / "out.pdf")
    with pymupdf.open(project / "out.pdf") as doc:
        page = doc[0]
        text = "".join(page.get_text().split())
        column = 20 / 25.4 * 72
        lines = [line for b in page.get_text("dict")["blocks"] for line in b.get("lines", [])
                 if "abcd" in "".join(s["text"] for s in line["spans"])]
    assert url in text
    assert lines and all(line["bbox"][2] - line["bbox"][0] <= column + 0.5 for line in lines)


def test_an_image_10_m_tall_is_scaled_to_a_column_with_a_warning(project: Path) -> None:
    Image.new("RGB", (10, 10_000), "#b3120f").save(project / "images" / "tall.png")
    spec = SPEC + "  - image: {file: images/tall.png, caption: 很高的图}\n  - text: 后文。\n"
    status, stderr = build_in_process(project, spec)
    assert status == 0, stderr
    assert re.search(r"report\.yaml:13:19: warning: body\[1\]\.image\.file: image 'images/tall\.png' "
                     r"\(10×10000 px\) would be \d+mm tall, more than a column holds; scaled down to \d+mm", stderr)
    assert_valid_pdf(project / "out.pdf")
    with pymupdf.open(project / "out.pdf") as doc:
        images = [(page.number, page.get_image_rects(xref)[0]) for page in doc for xref, *_ in page.get_images()]
        text = "".join(page.get_text() for page in doc)
        page_height = doc[0].rect.height
    assert "图1" in re.sub(r"\s", "", text) and "后文" in text  # the caption: 图 1, then its text
    assert len(images) == 1  # placed, not silently dropped
    _, rect = images[0]
    assert 0 < rect.y0 < rect.y1 < page_height  # inside the page


def test_a_float_that_fits_no_remaining_column_goes_to_the_next_page(project: Path) -> None:
    """Regression: a figure waiting for a column when the text ran out was silently left out."""
    Image.new("RGB", (300, 400), "#5b6770").save(project / "images" / "portrait.png")
    spec = with_line(SPEC, "columns: 2", "columns: 1") + "  - text: 正文。\n" * 3
    spec += "  - image: {file: images/portrait.png, caption: 竖图}\n"
    status, stderr = build_in_process(project, spec)
    assert status == 0, stderr
    assert_valid_pdf(project / "out.pdf")
    with pymupdf.open(project / "out.pdf") as doc:
        assert sum(len(page.get_images()) for page in doc) == 1
        assert "竖图" in "".join(page.get_text() for page in doc)


# ------------------------------------------------------------------ found by the fuzz tests

def refused(project: Path, text: str) -> InputError:
    (project / "report.yaml").write_text(text, encoding="utf-8")
    with time_limit(60), pytest.raises(InputError) as exc:
        load_spec(project / "report.yaml")
    return exc.value


def test_regression_messages_stay_on_one_line_whatever_the_key(project: Path) -> None:
    exc = refused(project, SPEC + "? '\n\n  '\n: null\nstyles: {\"a\\nb\": 1}\n")
    lines = [str(p) for p in exc.problems]
    assert all("\n" not in line for line in lines), lines
    assert any("unknown key '\\n'" in line for line in lines), lines
    assert any("styles.'a\\nb': expected a mapping of keys, got 1" in line for line in lines), lines
    exc = refused(project, with_line(SPEC, "  - text: |\n      这是一段正文。\n", '  - "\\n": 1\n'))
    assert str(exc).endswith("report.yaml:11:5: body[0]: unknown block '\\n'; expected a block with one key: "
                             "lead, text, part, subhead, figure, facts, image, quote, credit, contents, break, article, rule, closing, "
                             "heading, addressee, attachments, signature"), str(exc)


def test_regression_a_path_too_long_for_the_file_system(project: Path) -> None:
    exc = refused(project, with_line(SPEC, "fonts/LXGWWenKai-Regular.ttf", "长" * 3000 + ".ttf"))
    assert re.search(r"report\.yaml:6:18: fonts\.kai\.regular: cannot use font file '长+…长+\.ttf': "
                     r"File name too long", str(exc)), str(exc)


def test_regression_a_3000_character_headline_does_not_hang(project: Path) -> None:
    from paiban.layout.headline import balanced_lines

    text = "独木不成林百树绿成荫" * 300
    with time_limit(30):
        lines = balanced_lines(text, 150.0, lambda s: 14.0 * len(s), lambda s: [s[i:i + 2] for i in range(0, len(s), 2)])
    assert "".join(lines) == text and all(len(line) * 14.0 <= 150.0 for line in lines)


def test_the_pdf_gets_ordinary_permissions_not_the_temp_files(project: Path) -> None:
    """Regression: the PDF kept mkstemp's private mode 0600 (unreadable to a colleague)."""
    out = project / "out.pdf"
    out.unlink()
    status, stderr = build_in_process(project, SPEC)
    assert status == 0, stderr
    assert_valid_pdf(out)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    out.chmod(0o640)  # an existing PDF keeps the mode the editor gave it
    status, stderr = build_in_process(project, SPEC)
    assert status == 0, stderr
    assert out.stat().st_mode & 0o777 == 0o640


def test_regression_not_a_number_is_not_a_length(project: Path) -> None:
    """.nan passed every bound check of a length, then failed as 'nanpt' while styles were resolved."""
    exc = refused(project, with_line(SPEC, "margins: 15mm", "margins: .nan") + "styles: {body: {size: .nan}}\n")
    lines = [str(p) for p in exc.problems]
    assert any(line.endswith("report.yaml:9:12: page.margins: expected a length such as 5mm, 12pt or 2em, got nan")
               for line in lines), lines
    assert any("styles.body.size: expected a length" in line for line in lines), lines
    exc = refused(project, with_line(SPEC, "margins: 15mm", f"margins: {10**400}"))
    assert "page.margins: expected a length" in str(exc)


def test_regression_a_control_character_in_an_id_stays_on_the_error_line(project: Path) -> None:
    spec = SPEC + '  - image: {file: images/photo.png, id: "photo\\f"}\n  - text: 见{fig:photo}。\n'
    status, stderr = build_in_process(project, spec)
    assert status == 2
    errors = error_lines(stderr)
    assert len(errors) == 1, errors
    assert re.match(r".*report\.yaml:14:5: body\[2\]: unknown figure 'photo' in \{fig:photo\}; "
                    r"figure ids: photo\\x0c$", errors[0]), errors


def test_a_too_tall_piece_of_a_split_paragraph_is_named_at_its_block(project: Path) -> None:
    """A layout failure on the second half of a paragraph split across columns names the block
    it came from, at its spec line: the page layout gives the pieces their parent's keys."""
    from reportlab.platypus import Flowable
    from reportlab.platypus.doctemplate import LayoutError

    from paiban.layout.pages import BriefingDoc, PlacementError, make_templates
    from paiban.layout.render import placement_error
    from paiban.spec.geometry import Geometry

    class Lines(Flowable):
        """Lines of the given heights; splits after the lines that fit."""

        def __init__(self, heights: list[float]):
            super().__init__()
            self.heights = heights

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.width, self.height = aw, sum(self.heights)
            return self.width, self.height

        def split(self, aw: float, ah: float) -> list[Flowable]:
            fit = next((n for n in range(len(self.heights), 0, -1) if sum(self.heights[:n]) <= ah), 0)
            if fit in (0, len(self.heights)):
                return []
            return [Lines(self.heights[:fit]), Lines(self.heights[fit:])]

        def draw(self) -> None:
            pass

    geo = Geometry(width=595, height=842, top=50, bottom=50, inner=50, outer=50, columns=2, gutter=10)
    doc = BriefingDoc(str(project / "split.pdf"), pagesize=(geo.width, geo.height),
                      pageTemplates=make_templates(geo, 100.0), allowSplitting=1, pitch=10.0, balance=False)
    paragraph = Lines([10.0] * 5 + [1000.0])  # the last line is taller than any column
    paragraph.spec_keys = ("body", 0, "text")
    with pytest.raises(PlacementError) as raised:
        doc.build([paragraph])
    piece = raised.value.flowable
    assert piece is not paragraph and piece.heights == [1000.0]
    assert piece.spec_keys == ("body", 0, "text")
    assert isinstance(raised.value.error, LayoutError)

    loaded = load_spec(project / "report.yaml")
    problem = placement_error(loaded, raised.value)
    # the room named is a full column's (742pt): page 1's, under the masthead (642pt), is not
    # where the layout gives up on a block any more (issue 14: it goes on to a full column)
    assert re.match(r".*report\.yaml:11:11: body\[0\]\.text: this paragraph is 1000pt tall, more than fits "
                    r"in an empty column \(742pt\); shorten it or make it smaller$", str(problem)), str(problem)


def test_regression_a_tiny_length_reads_back(project: Path) -> None:
    """1.2e-154 was accepted as a margin, then written '1.21299e-154pt', which no parser read."""
    (project / "report.yaml").write_text(with_line(SPEC, "margins: 15mm", "margins: 1.2e-154")
                                         + "styles: {body: {indent: 3.5e-7}}\n", encoding="utf-8")
    loaded = load_spec(project / "report.yaml")
    from paiban.spec.styles import resolve_styles

    assert loaded.spec.page.margin_box().top.pt() == 0.0
    assert resolve_styles(loaded.spec)["body"].size > 0
