"""`paiban build` and `paiban fonts` with fonts an editor brings: a CFF OTF, a TTC face by name,
a variable font, a font missing characters, a family without bold, a family found by name.

Each test writes a small project, runs the real command line, and reads the PDF back.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from tests.support.fontmaker import (
    COMMON,
    NOWHERE,
    RARE,
    build_otf,
    build_ttf,
    build_variable,
    save,
    save_collection,
)
from tests.support.project import ROOT, run_paiban

SPEC = """\
document:
  title: 测试标题
fonts:
  song: {{regular: fonts/song.otf}}
  hei: {{regular: fonts/hei.ttf}}
  kai: {{regular: {{path: fonts/kai.ttc, name: Paiban Test Kai B}}}}
  fallback: [song, hei, kai]
{extra}body:
  - text: |
      这是正文段落，{body}一二三。

      第二段落：ABC 123（测试）。
"""


@pytest.fixture(scope="module")
def font_files(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fontfiles")
    save(build_otf(COMMON), d / "song.otf")
    save(build_ttf(COMMON + RARE), d / "hei.ttf")
    save_collection([build_ttf(COMMON, "Paiban Test Kai A"), build_ttf(COMMON, "Paiban Test Kai B")], d / "kai.ttc")
    save(build_variable(COMMON), d / "vf.ttf")
    return d


def project(tmp_path: Path, font_files: Path, *, body: str = "", extra: str = "", spec: str | None = None) -> Path:
    shutil.copytree(font_files, tmp_path / "fonts")
    (tmp_path / "report.yaml").write_text(spec or SPEC.format(body=body, extra=extra), encoding="utf-8")
    return tmp_path


def build(proj: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    if env is None:
        return run_paiban("build", "report.yaml", *args, cwd=proj)
    full = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1", **env)
    return subprocess.run([sys.executable, "-m", "paiban", "build", "report.yaml", *args], cwd=proj, env=full,
                          capture_output=True, text=True, timeout=300)


def pdf_fonts(pdf: Path) -> dict[str, tuple[str, str]]:
    """basefont (subset tag removed) -> (file type, PDF font type), over all pages."""
    out: dict[str, tuple[str, str]] = {}
    with pymupdf.open(pdf) as doc:
        for pno in range(doc.page_count):
            for _xref, ext, ftype, basefont, *_ in doc.get_page_fonts(pno, full=True):
                assert "+" in basefont, f"{basefont} is not a subset"
                out[basefont.split("+", 1)[1]] = (ext, ftype)
    return out


def char_fonts(pdf: Path) -> dict[str, set[str]]:
    """character -> the fonts PyMuPDF says it is drawn in."""
    out: dict[str, set[str]] = {}
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        for c in span["chars"]:
                            out.setdefault(c["c"], set()).add(span["font"])
    return out


def text_of(pdf: Path) -> str:
    with pymupdf.open(pdf) as doc:
        return "".join(page.get_text() for page in doc).replace("\n", "")


def test_cff_font_builds_reads_back_and_falls_back_per_character(tmp_path: Path, font_files: Path) -> None:
    proj = project(tmp_path, font_files, body=RARE)
    r = build(proj)
    assert r.returncode == 0, r.stderr
    pdf = proj / "build" / "report.pdf"
    text = text_of(pdf)
    assert text.startswith("测试标题")
    assert f"这是正文段落，{RARE}一二三。" in text
    assert "第二段落：ABC 123（测试）。" in text
    fonts = pdf_fonts(pdf)
    assert "PaibanTestSong-Regular" in fonts  # the CFF font, embedded as converted TrueType
    assert all(ftype == "Type0" and ext == "ttf" for ext, ftype in fonts.values())  # CIDFontType2
    assert not any("Helvetica" in name for name in fonts)
    drawn = char_fonts(pdf)
    assert drawn[RARE] == {"PaibanTestHei-Regular"}  # song lacks it: the next family draws it
    assert drawn["段"] == {"PaibanTestSong-Regular"}
    cached = list((proj / ".paiban-cache" / "fonts").glob("song-*.ttf"))
    assert len(cached) == 1
    inode, before = cached[0].stat().st_ino, pdf.read_bytes()
    again = build(proj)
    assert again.returncode == 0, again.stderr
    assert cached[0].stat().st_ino == inode  # served from the cache, not converted again
    assert pdf.read_bytes() == before  # and the same PDF, byte for byte


def test_a_font_cache_that_cannot_be_written_is_a_located_error_unless_allow_outside(
        tmp_path: Path, font_files: Path) -> None:
    """A face that needs converting goes to the project's cache; when that cannot be written, the
    temp folder outside the project is used only with --allow-outside. The temp folder is this
    test's own (TMPDIR), not the machine's, which other runs of the suite share."""
    proj = project(tmp_path / "project", font_files)
    temp = tmp_path / "temp"
    temp.mkdir()
    (proj / ".paiban-cache").mkdir()
    (proj / ".paiban-cache" / "fonts").write_text("a file where the font cache should be", encoding="utf-8")
    r = build(proj, env={"TMPDIR": str(temp)})
    assert r.returncode == 2, r.stderr
    line, = r.stderr.splitlines()
    assert line.startswith("report.yaml:4:19: font song.otf needs converting, and its cache "
                           f"folder {proj / '.paiban-cache' / 'fonts'} cannot be written ("), line
    assert line.endswith(f", or pass --allow-outside to convert into {temp / f'paiban-fonts-{os.getuid()}'}"), line
    assert not (proj / "build").exists()
    r = build(proj, "--allow-outside", env={"TMPDIR": str(temp)})
    assert r.returncode == 0, r.stderr
    assert "PaibanTestSong-Regular" in pdf_fonts(proj / "build" / "report.pdf")
    assert list((temp / f"paiban-fonts-{os.getuid()}").glob("song-*.ttf"))  # converted there


def test_missing_character_is_an_error_at_each_place(tmp_path: Path, font_files: Path) -> None:
    spec = SPEC.format(body=NOWHERE, extra="").replace("title: 测试标题", f"title: 测试{NOWHERE}标题")
    spec = spec.replace("第二段落：", f"第二段落{NOWHERE}：")
    proj = project(tmp_path, font_files, spec=spec)
    lines = spec.splitlines()
    places = [(n + 1, line.index(NOWHERE) + 1) for n, line in enumerate(lines) if NOWHERE in line]
    assert len(places) == 3
    r = build(proj)
    assert r.returncode == 2, r.stderr
    first = r.stderr.strip().splitlines()[0]
    (l1, c1), (l2, c2), (l3, c3) = places
    assert first == (f"report.yaml:{l1}:{c1}: no font has '{NOWHERE}' (U+946B); tried hei, song, kai for style "
                     f"'title'; song, hei, kai for style 'body'; written at report.yaml:{l1}:{c1}, {l2}:{c2}, "
                     f"{l3}:{c3}")
    assert not (proj / "build" / "report.pdf").exists()


def test_missing_character_with_warn_draws_a_placeholder(tmp_path: Path, font_files: Path) -> None:
    spec = SPEC.format(body=NOWHERE, extra="").replace("  fallback:", "  missing: warn\n  fallback:")
    proj = project(tmp_path, font_files, spec=spec)
    r = build(proj)
    assert r.returncode == 0, r.stderr
    assert f"warning: no font has '{NOWHERE}' (U+946B)" in r.stderr and "placeholder" in r.stderr
    pdf = proj / "build" / "report.pdf"
    assert "这是正文段落，" in text_of(pdf)
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        red_boxes = [d for d in page.get_drawings() if d.get("color") and d["color"][0] > 0.7 > d["color"][1]]
        shown = "U+946B" in page.get_text() or bool(red_boxes)
    assert shown, "the placeholder is neither the [U+946B] text nor a red box"


def test_bold_without_a_bold_face_warns_at_the_style(tmp_path: Path, font_files: Path) -> None:
    extra = "styles:\n  title: {font: kai,\n          bold: true}\n"
    proj = project(tmp_path, font_files, extra=extra)
    r = build(proj)
    assert r.returncode == 0, r.stderr
    line = next(n + 1 for n, t in enumerate((proj / "report.yaml").read_text("utf-8").splitlines())
                if "bold: true" in t)
    assert (f"report.yaml:{line}:17: warning: style 'title' asks for bold, but font family 'kai' has no bold "
            "face") in r.stderr
    strict = build(proj, "--strict")
    assert strict.returncode == 2


def test_fake_bold_strokes_and_says_so(tmp_path: Path, font_files: Path) -> None:
    extra = "styles:\n  title: {font: kai, bold: true}\n"
    spec = SPEC.format(body="", extra=extra).replace(
        "kai: {regular: {path: fonts/kai.ttc, name: Paiban Test Kai B}}",
        "kai: {regular: {path: fonts/kai.ttc, name: Paiban Test Kai B}, fake_bold: true}")
    proj = project(tmp_path, font_files, spec=spec)
    r = build(proj)
    assert r.returncode == 0, r.stderr
    assert ("warning: style 'title' asks for bold, but font family 'kai' has no bold face; its regular face is "
            "emboldened by stroking (fonts.kai.fake_bold)") in r.stderr
    with pymupdf.open(proj / "build" / "report.pdf") as doc:
        content = doc[0].read_contents()
    assert b"2 Tr" in content


def test_variable_font_gives_regular_and_bold_instances(tmp_path: Path, font_files: Path) -> None:
    spec = SPEC.format(body="", extra="").replace("hei: {regular: fonts/hei.ttf}", "hei: {regular: fonts/vf.ttf}")
    proj = project(tmp_path, font_files, spec=spec)
    r = build(proj)
    assert r.returncode == 0, r.stderr
    assert "bold" not in r.stderr  # the title's bold is the wght 700 instance
    fonts = pdf_fonts(proj / "build" / "report.pdf")
    assert "PaibanTestVF-Regular-W700" in fonts  # title: hei, bold
    listing = run_paiban("fonts", "report.yaml", cwd=proj)
    assert listing.returncode == 0, listing.stderr
    assert "TrueType, wght 700" in listing.stdout and "TrueType, wght 400" in listing.stdout


def test_fonts_command_lists_files_glyphs_and_what_each_face_lacks(tmp_path: Path, font_files: Path) -> None:
    proj = project(tmp_path, font_files, body=RARE + NOWHERE)
    r = run_paiban("fonts", "report.yaml", cwd=proj)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    song = out.index("song  (styles: body)")
    glyphs = len(set(COMMON)) + 2  # .notdef and space
    assert out[song + 1] == f"  regular  fonts/song.otf  [Paiban Test Song; CFF; {glyphs} glyphs]"
    assert out[song + 2].startswith("           converted to TrueType: .paiban-cache/fonts/song-")
    assert out[song + 3].startswith("           lacks 2 of the ")
    assert f"             {RARE} U+9F98  (drawn from hei)" in out
    assert f"             {NOWHERE} U+946B  (no font has it)" in out
    assert "  regular  fonts/kai.ttc #1  [Paiban Test Kai B; TrueType; " in r.stdout


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig's fc-list")
def test_family_found_by_name_says_which_file(tmp_path: Path, font_files: Path) -> None:
    installed = tmp_path / "installed"
    found = save(build_otf(COMMON, "Paiban Installed Song"), installed / "installed-song.otf")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"<?xml version='1.0'?><fontconfig><dir>{installed}</dir><cachedir>{tmp_path / 'fc'}"
                    "</cachedir></fontconfig>", encoding="utf-8")
    spec = SPEC.format(body="", extra="").replace("song: {regular: fonts/song.otf}",
                                                  "song: {regular: {name: Paiban Installed Song}}")
    proj = project(tmp_path / "p", font_files, spec=spec)
    r = build(proj, env={"FONTCONFIG_FILE": str(conf)})
    assert r.returncode == 0, r.stderr
    assert (f"report.yaml:4:19: warning: fonts.song.regular: font 'Paiban Installed Song' found by name: {found}"
            in r.stderr)
    assert "PaibanInstalledSong-Regular" in pdf_fonts(proj / "build" / "report.pdf")
    spec = spec.replace("Paiban Installed Song", "Paiban Not Installed")
    (proj / "report.yaml").write_text(spec, encoding="utf-8")
    r = build(proj, env={"FONTCONFIG_FILE": str(conf)})
    assert r.returncode == 2
    assert r.stderr.startswith("report.yaml:4:26: fonts.song.regular.name: no installed font is named "
                               "'Paiban Not Installed'")


def test_a_file_that_is_no_font_or_lacks_the_face_is_refused_at_its_key(tmp_path: Path, font_files: Path) -> None:
    proj = project(tmp_path, font_files)
    (proj / "fonts" / "notes.ttf").write_text("not a font", encoding="utf-8")
    spec = (proj / "report.yaml").read_text("utf-8")
    (proj / "report.yaml").write_text(spec.replace("fonts/hei.ttf", "fonts/notes.ttf"), encoding="utf-8")
    r = build(proj)
    assert r.returncode == 2
    assert r.stderr.startswith("report.yaml:5:18: fonts.hei.regular: font file 'fonts/notes.ttf': not a font file")
    (proj / "report.yaml").write_text(spec.replace("name: Paiban Test Kai B", "index: 5"), encoding="utf-8")
    r = build(proj)
    assert r.returncode == 2
    assert r.stderr.startswith("report.yaml:6:47: fonts.kai.regular.index: 'fonts/kai.ttc' has 2 faces "
                               "(index 0–1), not index 5")


def test_default_briefing_embeds_subsets_and_no_helvetica(default_pdf: Path) -> None:
    fonts = pdf_fonts(default_pdf)  # asserts every font is a subset
    assert fonts and all(ftype == "Type0" and ext == "ttf" for ext, ftype in fonts.values())
    assert not any("Helvetica" in name for name in fonts)


def test_chart_label_no_font_has_is_located_in_the_data_file(tmp_path: Path, font_files: Path) -> None:
    extra = "charts: {font: hei, fallback: [song]}\ndata:\n  counts: {file: data/counts.csv}\n"
    spec = SPEC.format(body="", extra=extra) + ("  - figure: {id: counts, chart: bar, data: counts, x: 标题, y: 正文,\n"
                                                "              caption: 测试}\n")
    proj = project(tmp_path, font_files, spec=spec)
    (proj / "data").mkdir()
    (proj / "data" / "counts.csv").write_text(f"标题,正文\n一,3\n二{NOWHERE},5\n三,7\n", encoding="utf-8")
    r = build(proj)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(f"data/counts.csv:3: no font has '{NOWHERE}' (U+946B); tried hei, song for charts; "
                               "written at data/counts.csv:3")
