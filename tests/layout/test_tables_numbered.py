"""Tables are numbered 表N on their own counter with the caption above; {tab:ID} and {fig:ID}
cite them as 表N; a figure caption's continuation lines hang under its text."""

from __future__ import annotations

import re

import pymupdf

from tests.support.project import ROOT, run_paiban


def test_tables_are_numbered_on_their_own_counter_and_cited(default_project, tmp_path):
    out = tmp_path / "r.pdf"
    r = run_paiban("build", "report.yaml", "-o", str(out), "-q", "--allow-outside",
                   "--set", "body.2.text=见{tab:dongliang-livestock}和{fig:dongliang-livestock}，另见{fig:education}。",
                   cwd=default_project)
    assert r.returncode == 0, r.stderr
    doc = pymupdf.open(out)
    text = "".join(p.get_text() for p in doc)
    assert "见表1和表1，另见图1。" in re.sub(r"\s", "", text)
    blocks = [(b[1], b[4].strip()) for p in doc for b in p.get_text("blocks")]
    labels = [t for _, t in blocks if t.startswith(("表 ", "图 "))]
    assert any(t.startswith("表 1") for t in labels), labels
    assert not any(t.startswith("图 9") and "畜禽" in t for t in labels)
    # the table's caption sits above the table: its block is higher than the table's header cells
    for page in doc:
        cap = [b for b in page.get_text("blocks") if b[4].startswith("表 1")]
        if cap:
            head = [b for b in page.get_text("blocks") if b[4].startswith("畜禽")]
            assert head and cap[0][1] < head[0][1]


def test_caption_continuation_lines_hang_under_the_text(default_pdf):
    doc = pymupdf.open(default_pdf)
    hung = 0
    for page in doc:
        for b in page.get_text("dict")["blocks"]:
            lines = [(ln["bbox"], "".join(s["text"] for s in ln["spans"])) for ln in b.get("lines", [])]
            for k, (box, t) in enumerate(lines):
                if not re.fullmatch(r"[图表] \d+", t.strip()):
                    continue
                rest = [bx for bx, _ in lines[k + 1:]]
                if len(rest) >= 2 and abs(rest[0][1] - box[1]) < 1:  # the text starts beside the label
                    # every line of the text starts where its first line does, right of the label
                    assert all(abs(bx[0] - rest[0][0]) < 0.5 for bx in rest[1:] if bx[1] > box[1] + 1), lines
                    assert rest[0][0] > box[2]
                    hung += 1
    assert hung >= 1


def test_a_table_too_wide_for_a_column_is_set_across_the_page(tmp_path):
    import shutil

    proj = tmp_path / "p"
    proj.mkdir()
    (proj / "fonts").mkdir()
    for f in ("NotoSerifSC-Regular.ttf", "NotoSansSC-Regular.ttf"):
        shutil.copy(ROOT / "fonts" / f, proj / "fonts" / f)
    (proj / "report.yaml").write_text("""\
document: {title: 测试标题}
page: {columns: 5}
fonts:
  song: {regular: fonts/NotoSerifSC-Regular.ttf}
  hei: {regular: fonts/NotoSansSC-Regular.ttf}
  fallback: [song, hei]
charts: {font: hei}
data:
  wide:
    columns: [乡镇, 党员人数, 党组织数, 集体经济收入, 脱贫人口, 光伏收益]
    rows: [[秀水镇, 1200, 45, 560.5, 320, 80.2], [孙家庄镇, 1105, 41, 512.7, 298, 71.3]]
body:
  - text: 见{tab:wide}。
  - figure: {id: wide, chart: table, data: wide, x: 乡镇, y: [党员人数, 党组织数, 集体经济收入, 脱贫人口, 光伏收益],
             caption: 各乡镇主要指标}
""", encoding="utf-8")
    r = run_paiban("build", "report.yaml", "-q", cwd=proj)
    assert r.returncode == 0, r.stderr
    with pymupdf.open(proj / "build" / "report.pdf") as doc:
        text = "".join(p.get_text() for p in doc)
        head = [b for p in doc for b in p.get_text("blocks") if b[4].startswith("乡镇")]
        width = doc[0].rect.width
    assert "见表1" in re.sub(r"\s", "", text)
    assert head and head[0][2] - head[0][0] > width / 2  # the header row spans far more than a column
    assert "孙家庄镇" in text and "集体经济收入" in text  # no cell broken inside a word
