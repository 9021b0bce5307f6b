"""The editor's commands through the real command line (`python -m paiban` in a subprocess):
validate, schema, init, preview, build's output modes, and --set on each, with their exact
messages and exit statuses (0 success, 1 build failure, 2 bad input)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pymupdf
import pytest
import yaml

from tests.support.project import FONTS, ROOT, run_paiban

SPEC = """\
document:
  title: 测试标题
fonts:
  song: {regular: fonts/NotoSerifSC-Regular.ttf, bold: fonts/NotoSerifSC-Bold.ttf}
  hei: {regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}
  kai: {regular: fonts/LXGWWenKai-Regular.ttf}
page:
  columns: 2
  margins: 15mm
body:
  - part: {title: 第一部分}
  - text: |
      这是一段正文。
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(FONTS, tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (tmp_path / "report.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.rglob("*")}


def no_ansi(*texts: str) -> None:
    for text in texts:
        assert "\x1b[" not in text, "colour codes in output that is not a terminal"


# ------------------------------------------------------------------ validate


def test_validate_accepts_the_default_report_and_writes_nothing(tmp_path: Path) -> None:
    shutil.copy(ROOT / "report.yaml", tmp_path / "report.yaml")
    for folder in ("fonts", "data"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, tmp_path / folder)
    before = snapshot(tmp_path)
    r = run_paiban("validate", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "report.yaml: ok"
    # no PDF, no chart drawn, nothing of the project touched; only the font stage's metrics
    # cache (.paiban-cache/fonts, a speed-up shared with build) may appear
    after = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(".paiban-cache")}
    assert after == before
    no_ansi(r.stdout, r.stderr)


def test_validate_reports_every_problem_like_a_compiler(project: Path) -> None:
    spec = project / "report.yaml"
    spec.write_text(SPEC.replace("  columns: 2", "  colums: 2").replace("15mm", "5 parsecs")
                    .replace("{title: 第一部分}", "{title: 第一部分, kiker: 秀水镇}"), encoding="utf-8")
    before = snapshot(project)
    r = run_paiban("validate", cwd=project)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        "report.yaml:8:3: error: page: unknown key 'colums' (did you mean 'columns'?)",
        " 8 |   colums: 2",
        "   |   ^",
        "report.yaml:9:12: error: page.margins: expected a length such as 5mm, 12pt or 2em, got '5 parsecs'",
        " 9 |   margins: 5 parsecs",
        "   |            ^",
        # the caret counts 标题 as four terminal cells
        "report.yaml:11:25: error: body[0].part: unknown key 'kiker' (did you mean 'kicker'?)",
        " 11 |   - part: {title: 第一部分, kiker: 秀水镇}",
        "    |                             ^",
        "report.yaml: 3 errors",
    ]
    assert snapshot(project) == before


def test_build_keeps_its_one_line_form_for_the_same_problem(project: Path) -> None:
    (project / "report.yaml").write_text(SPEC.replace("columns: 2", "columns: three"), encoding="utf-8")
    r = run_paiban("build", cwd=project)
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["report.yaml:8:12: page.columns: expected an integer from 1 to 6, got 'three'"]


def test_validate_checks_font_coverage(project: Path) -> None:
    spec = project / "report.yaml"
    spec.write_text(SPEC.replace("这是一段正文。", "这是一段正文𠀀。"), encoding="utf-8")
    r = run_paiban("validate", cwd=project)
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 1
    assert errors[0].startswith("report.yaml:13:13: error: no font has '𠀀' (U+20000); tried song")
    assert lines[-1].startswith("report.yaml: 1 error")
    # the same character is only a warning when the spec allows placeholders: valid, exit 0
    spec.write_text(SPEC.replace("这是一段正文。", "这是一段正文𠀀。").replace(
        "fonts:\n", "fonts:\n  missing: warn\n"), encoding="utf-8")
    r = run_paiban("validate", cwd=project)
    assert r.returncode == 0, r.stderr
    warnings = [line for line in r.stderr.splitlines() if ": warning: " in line]
    assert any(w.startswith("report.yaml:14:13: warning: no font has '𠀀' (U+20000)") for w in warnings)
    assert r.stdout.strip() == f"report.yaml: ok ({len(warnings)} warning{'s' if len(warnings) > 1 else ''})"


def test_validate_reports_missing_data_and_font_files(project: Path) -> None:
    spec = project / "report.yaml"
    spec.write_text(SPEC.replace("fonts/LXGWWenKai-Regular.ttf", "fonts/nope.ttf")
                    + "data:\n  t: {file: data/missing.csv}\n", encoding="utf-8")
    r = run_paiban("validate", cwd=project)
    assert r.returncode == 2
    errors = [line for line in r.stderr.splitlines() if ": error: " in line]
    assert errors[0].startswith("report.yaml:6:18: error: fonts.kai.regular: font file not found: 'fonts/nope.ttf'")
    assert errors[1].startswith("report.yaml:15:13: error: data.t.file: data file not found: 'data/missing.csv'")
    assert r.stderr.splitlines()[-1] == "report.yaml: 2 errors"


def test_set_overrides_on_validate(project: Path) -> None:
    r = run_paiban("validate", "--set", "page.columns=three", cwd=project)
    assert r.returncode == 2
    assert r.stderr.splitlines()[0] == ("--set page.columns=three: error: page.columns: "
                                        "expected an integer from 1 to 6, got 'three'")
    r = run_paiban("validate", "--set", "page.columns=4", cwd=project)
    assert r.returncode == 0, r.stderr
    r = run_paiban("validate", "--set", "page.columns", cwd=project)
    assert r.returncode == 2
    assert "expected KEY.PATH=VALUE" in r.stderr


# ------------------------------------------------------------------ build output


def test_set_overrides_on_build_and_plain_quiet_verbose_output(project: Path) -> None:
    out = project / "out.pdf"
    r = run_paiban("build", "-o", str(out), "--set", "page.size=A5", "--set", "document.title=另一个标题",
                   "-v", cwd=project)
    assert r.returncode == 0, r.stderr
    no_ansi(r.stdout, r.stderr)
    assert r.stdout.splitlines()[-1].startswith(f"{out}: 1 pages, ")
    stages = [line.split()[0] for line in r.stderr.splitlines() if line.startswith("  ")]
    assert stages == ["load", "prepare", "layout+write"]
    with pymupdf.open(out) as doc:
        assert doc.metadata["title"] == "另一个标题"
        assert doc[0].rect.width == pytest.approx(419.53, abs=0.5)  # A5
    r = run_paiban("build", "-o", str(out), "-q", cwd=project)
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""


def test_a_build_that_cannot_write_exits_1(project: Path) -> None:
    (project / "blocker").write_text("a file where a folder should be", encoding="utf-8")
    r = run_paiban("build", "-o", str(project / "blocker" / "out.pdf"), cwd=project)
    assert r.returncode == 1
    assert r.stderr.startswith("cannot write ")
    assert "Traceback" not in r.stderr


# ------------------------------------------------------------------ schema


def test_committed_schema_is_the_generated_one(tmp_path: Path) -> None:
    r = run_paiban("schema")
    assert r.returncode == 0, r.stderr
    committed = (ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8")
    assert r.stdout == committed, "docs/report.schema.json is stale: run `paiban schema --force -o docs/report.schema.json`"
    out = tmp_path / "s.json"
    r = run_paiban("schema", "-o", str(out))
    assert r.returncode == 0 and out.read_text(encoding="utf-8") == committed
    assert (ROOT / "report.yaml").read_text(encoding="utf-8").splitlines()[0] == \
        "# yaml-language-server: $schema=./docs/report.schema.json"


def test_schema_accepts_real_specs_and_catches_a_typo() -> None:
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    check = jsonschema.Draft202012Validator(schema)
    for path in (ROOT / "report.yaml", *sorted((ROOT / "src" / "paiban" / "templates").glob("*/report.yaml"))):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert [e.message for e in check.iter_errors(data)] == [], path
    data = yaml.safe_load((ROOT / "report.yaml").read_text(encoding="utf-8"))
    data["page"]["colums"] = data["page"].pop("columns")
    assert any("colums" in e.message for e in check.iter_errors(data))
    props = schema["$defs"]["Page"]["properties"]
    assert props["columns"]["description"] == "Text columns, 1 to 6."


# ------------------------------------------------------------------ init


def test_init_makes_a_project_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "新简报"
    r = run_paiban("init", str(target))
    assert r.returncode == 0, r.stderr
    assert "paiban watch" in r.stdout
    spec = target / "report.yaml"
    first = spec.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./report.schema.json"
    assert (target / "report.schema.json").read_text(encoding="utf-8") == \
        (ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8")
    for face in ("NotoSerifSC-Regular.ttf", "NotoSansSC-Bold.ttf", "LXGWWenKai-Regular.ttf"):
        assert (target / "fonts" / face).read_bytes() == (FONTS / face).read_bytes()
    assert (target / "fonts" / "OFL-Noto.txt").is_file()
    assert "report.yaml" in (target / "README.md").read_text(encoding="utf-8")
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    assert sum(1 for b in data["body"] if "part" in b) == 2
    figures = [b["figure"] for b in data["body"] if "figure" in b]
    assert len(figures) == 1 and data["data"][figures[0]["data"]]["file"].startswith("data/")

    r = run_paiban("validate", cwd=target)
    assert r.returncode == 0, r.stderr
    assert not (target / "figures").exists() and not (target / "build").exists()  # no chart drawn
    r = run_paiban("build", cwd=target)
    assert r.returncode == 0, r.stderr
    assert "charts redrawn 1/1 (readers)" in r.stdout
    with pymupdf.open(target / "build" / "report.pdf") as doc:
        text = "".join(page.get_text() for page in doc).replace("\n", "")
    assert data["document"]["title"] in text
    assert "从一个书架开始" in text and "下一步怎么走" in text
    assert "四季度" in text  # the chart's category labels are text in the PDF


def test_validate_checks_chart_data_without_drawing(tmp_path: Path) -> None:
    target = tmp_path / "p"
    assert run_paiban("init", str(target), "-q").returncode == 0
    spec, csv = target / "report.yaml", target / "data" / "readers.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("415", "四百"), encoding="utf-8")
    r = run_paiban("validate", cwd=target)
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert lines[0].startswith("data/readers.csv:3: error: data.readers: '借阅人次' is '四百', not a number")
    assert lines[1] == " 3 | 二季度,四百"  # the CSV line quoted; no column, so no caret
    assert lines[2] == "report.yaml: 1 error"
    csv.write_text(csv.read_text(encoding="utf-8").replace("四百", "415"), encoding="utf-8")
    spec.write_text(spec.read_text(encoding="utf-8").replace("y: 借阅人次", "y: 借阅次数"), encoding="utf-8")
    r = run_paiban("validate", cwd=target)
    assert r.returncode == 2
    line = next(x for x in r.stderr.splitlines() if ": error: " in x)
    assert line.startswith("report.yaml:")
    assert "body[3].figure.y: column '借阅次数' is not in data/readers.csv (its columns: 季度, 借阅人次)" in line
    assert not (target / "figures").exists()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "p"
    target.mkdir()
    (target / "report.yaml").write_text("mine", encoding="utf-8")
    r = run_paiban("init", str(target))
    assert r.returncode == 2
    assert r.stderr.strip() == f"{target}: already has report.yaml; choose a new folder (nothing was written)"
    assert [p.name for p in target.iterdir()] == ["report.yaml"]
    assert (target / "report.yaml").read_text(encoding="utf-8") == "mine"


# ------------------------------------------------------------------ preview


def test_preview_writes_the_chosen_pages(project: Path) -> None:
    out = project / "png"
    r = run_paiban("preview", "--pages", "1", "--dpi", "50", "-o", str(out), "--set", "page.size=A5",
                   cwd=project)
    assert r.returncode == 0, r.stderr
    assert [p.name for p in out.iterdir()] == ["report-1.png"]
    png = out / "report-1.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pix = pymupdf.Pixmap(str(png))
    assert (pix.width, pix.height) == (292, 414)  # A5 at 50 dpi, rounded up
    assert r.stdout.splitlines()[-1] == f"{png} (292×414 px)"
    # the page is not blank: some pixels are ink
    samples = pix.samples
    assert min(samples) < 100


def test_preview_renders_every_page_by_default_and_drops_stale_ones(project: Path) -> None:
    out = project / "png"
    out.mkdir()
    (out / "report-7.png").write_bytes(b"from a longer version")
    (out / "other-7.png").write_bytes(b"not ours")
    r = run_paiban("preview", "--dpi", "30", "-o", str(out), cwd=project)
    assert r.returncode == 0, r.stderr
    with pymupdf.open(project / "build" / "report.pdf") as doc:
        count = doc.page_count
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["other-7.png"] + [f"report-{n}.png" for n in range(1, count + 1)])


@pytest.mark.parametrize("args,message", [
    (["--pages", "x"], "--pages 'x': expected page numbers such as 1, 1-2 or 2-, separated by commas"),
    (["--pages", "0"], "--pages '0': '0' is not a page range (pages count from 1)"),
    (["--pages", "2-3"], "--pages '2-3': the PDF has 1 page"),
    (["--dpi", "5"], "--dpi 5: expected a resolution from 20 to 600"),
])
def test_preview_refuses_bad_options(project: Path, args: list[str], message: str) -> None:
    r = run_paiban("preview", *args, "-o", str(project / "png"), cwd=project)
    assert r.returncode == 2
    assert r.stderr.strip() == message
    assert not (project / "png").exists() or not list((project / "png").iterdir())


def test_an_over_long_run_is_a_located_warning_and_an_error_under_strict(project: Path) -> None:
    """Text the rules cannot set (a run longer than the column) is set anyway, and the editor is
    told where it is in the spec — like any other warning, not as a Python warning."""
    spec = project / "report.yaml"
    run = "https://example.com/" + "a" * 200
    spec.write_text(SPEC.replace("这是一段正文。", f"这是一段正文，网址{run}。"), encoding="utf-8")
    out = project / "build" / "report.pdf"
    r = run_paiban("build", cwd=project)
    assert r.returncode == 0, r.stderr
    line = f"report.yaml:12:11: warning: body[1].text: “{'a' * 20}…” (offset"
    assert [ln for ln in r.stderr.splitlines() if ln.startswith(line)], r.stderr
    assert "is longer than the line" in r.stderr
    assert "CJKLayoutWarning" not in r.stderr and "paragraph.py" not in r.stderr
    assert r.stderr.count("is longer than the line") == 1  # once, however often it was laid out
    with pymupdf.open(out) as doc:
        assert run[:40] in "".join(page.get_text() for page in doc).replace("\n", "")
    out.unlink()
    r = run_paiban("build", "--strict", cwd=project)
    assert r.returncode == 2 and "(an error under --strict)" in r.stderr, r.stderr
    assert not out.exists()


def test_init_templates_and_an_unknown_one(tmp_path: Path) -> None:
    r = run_paiban("init", str(tmp_path / "jb"), "--template", "bulletin")
    assert r.returncode == 0, r.stderr
    assert "from the bulletin template" in r.stdout and "data/walnut_income.csv" in r.stdout
    data = yaml.safe_load((tmp_path / "jb" / "report.yaml").read_text(encoding="utf-8"))
    assert data["page"]["masthead"] == "bulletin"
    assert sum(1 for b in data["body"] if "article" in b) == 3
    fonts = sorted(p.name for p in (tmp_path / "jb" / "fonts").iterdir())
    assert "OFL-Noto.txt" in fonts and "NotoSerifSC-Bold.ttf" in fonts
    r = run_paiban("init", str(tmp_path / "x"), "--template", "bulletn")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1].startswith(
        "--template: unknown template 'bulletn' (did you mean 'bulletin'?); templates: bulletin, feature")
    assert not (tmp_path / "x").exists()
