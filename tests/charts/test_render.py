"""Every chart kind, from inline and from CSV data, into a real PDF read back with PyMuPDF:
labels searchable, no raster image, only the document's embedded fonts, text placed right."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pymupdf
import pytest

from paiban.charts import load_tables, prepare_charts
from paiban.charts.svg import strings
from paiban.fonts.book import FontBook
from paiban.spec.charts import ChartTheme, FigureBlock, TableSpec
from tests.support.project import FONTS
from tests.support.proof import write_proof

COLUMN, PAGE = 155.0, 480.0

TABLES = {
    "edu": (["类别", "场次"], [["革命传统教育", 101], ["形势政策教育", 99], ["先进典型教育", 132], ["警示教育", 115]],
            {"场次": "场"}),
    "fund": (["项目", "金额"], [["整合财政资金", 2307.02], ["发放“两委”主干报酬", "近2000"], ["“三基建设”投入", "400余"],
                              ["党建工作经费", 169]], {"金额": "万元"}),
    "vill": (["年份", "甲村", "乙村"], [["2018", 12, 8], ["2019", 15, "11余"], ["2020", 18, 14]],
             {"甲村": "万元", "乙村": "万元"}),
    "crop": (["基地", "面积"], [["粮食基地", "2万"], ["核桃基地", "2万"], ["小杂粮基地", 6000], ["水稻基地", 700]],
             {"面积": "亩"}),
    "live": (["畜禽", "存栏", "单位"], [["肉牛", 379, "头"], ["猪", 5100, "头"], ["羊", "6500多", "只"], ["鸡", "10,200", "只"]],
             {}),
}

FIGURES = [
    FigureBlock(id="bar", chart="bar", data="edu", highlight="先进典型教育"),
    FigureBlock(id="hbar", chart="hbar", data="fund", width="page"),
    FigureBlock(id="grouped", chart="grouped", data="vill"),
    FigureBlock(id="stacked", chart="stacked", data="vill"),
    FigureBlock(id="line", chart="line", data="vill", y="甲村"),
    FigureBlock(id="pie", chart="pie", data="crop", highlight="核桃基地"),
    FigureBlock(id="donut", chart="donut", data="crop", center="种植业“2267”"),
    FigureBlock(id="table", chart="table", data="live", unit_column="单位"),
]

# What a reader must find in the PDF's text for each chart (value labels keep the article's hedges).
EXPECTED = {
    "bar": ["132场", "警示教育", "101场"],
    "hbar": ["整合财政资金", "近2000", "400余", "2307.02"],
    "grouped": ["甲村", "乙村", "11余", "2019"],
    "stacked": ["甲村", "乙村", "2020", "15"],
    "line": ["2018", "12万元", "18万元"],
    "pie": ["粮食基地", "2万亩", "700亩"],
    "donut": ["种植业", "“2267”", "6000亩"],
    "table": ["畜禽", "存栏", "6500多只", "10,200只", "379头"],
}


def fontbook() -> FontBook:
    return FontBook({"hei": {"regular": (FONTS / "NotoSansSC-Regular.ttf", 0), "bold": (FONTS / "NotoSansSC-Bold.ttf", 0)},
                     "song": {"regular": (FONTS / "NotoSerifSC-Regular.ttf", 0)},
                     "kai": {"regular": (FONTS / "LXGWWenKai-Regular.ttf", 0)}})


def table_specs(tmp: Path, source: str) -> dict[str, TableSpec]:
    specs = {}
    for name, (cols, rows, units) in TABLES.items():
        if source == "inline":
            specs[name] = TableSpec(columns=cols, rows=rows, units=units)
        else:
            path = tmp / "data" / f"{name}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows([cols, *rows])
            specs[name] = TableSpec(file=f"data/{name}.csv", units=units)
    return specs


@pytest.fixture(scope="module", params=["inline", "csv"])
def proof(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    fonts = fontbook()
    specs = table_specs(tmp, request.param)
    if request.param == "inline":  # the table written inside the figure block itself
        figures, tables = [f.model_copy(update={"data": specs[f.data]}) for f in FIGURES], {}
    else:  # a CSV file named in data:
        figures, tables = FIGURES, load_tables(specs, tmp)
    result = prepare_charts(figures, tables, ChartTheme(), fonts, tmp / "figures",
                            widths={"column": COLUMN, "page": PAGE})
    pdfs = {}
    for fig in FIGURES:  # one PDF per chart, so each chart's text is checked on its own
        pdfs[fig.id] = write_proof(tmp / f"{fig.id}.pdf", [(fig.id, result[fig.id].drawing)], fonts.face("hei"),
                                   PAGE)
    return result, pdfs, fonts


@pytest.mark.parametrize("fig", FIGURES, ids=[f.id for f in FIGURES])
def test_each_kind_renders_searchable_vector_text(proof, fig):
    result, pdfs, fonts = proof
    out = result[fig.id]
    assert out.redrawn and out.svg.is_file()
    assert out.width == pytest.approx(PAGE if fig.width == "page" else COLUMN)
    with pymupdf.open(pdfs[fig.id]) as doc:
        # labels keep a quarter em between Han and digits, which extracts as a space
        text = re.sub(r"\s+", "", "".join(page.get_text() for page in doc))
        for label in EXPECTED[fig.id]:
            assert label in text, f"{label!r} not in the PDF text of {fig.id}: {text!r}"
        for page in doc:
            assert page.get_images() == [], "a chart must not be a raster image"
            assert page.get_drawings(), "a chart is drawn with vector paths"
            for xref, ext, ftype, basefont, _name, _enc in page.get_fonts():
                assert ext != "n/a", f"font {basefont} is not embedded"
                assert "Helvetica" not in basefont
                assert "NotoSansSC" in basefont, f"unexpected font {basefont} (xref {xref}, {ftype})"


def test_chart_strings_use_only_the_documents_faces(proof):
    result, _pdfs, fonts = proof
    allowed = {fonts.face("hei").rl_name, fonts.face("hei", "bold").rl_name}
    for out in result.charts.values():
        names = {s.fontName for s in strings(out.drawing)}
        assert names and names <= allowed, (out.id, names)


def test_cjk_labels_are_centred_on_their_bars(proof):
    """svglib anchors text with ReportLab's widths; matplotlib placed it with the same font's:
    a centred CJK label must sit over the middle of its bar, not start there."""
    _result, pdfs, _fonts = proof
    with pymupdf.open(pdfs["bar"]) as doc:
        page = doc[0]
        red = [d["rect"] for d in page.get_drawings()
               if d.get("fill") and abs(d["fill"][0] - 0xb3 / 255) < 0.02 and d["fill"][1] < 0.1]
        assert len(red) == 1, "one highlighted bar"
        bar = red[0]
        digits = page.search_for("132")[0]
        unit = min((r for r in page.search_for("场") if abs(r.y0 - digits.y0) < 1 and r.x0 >= digits.x1),
                   key=lambda r: r.x0 - digits.x1)
        label = digits | unit  # "132 场": a quarter em between the number and its unit
        assert abs((label.x0 + label.x1) / 2 - (bar.x0 + bar.x1) / 2) < 1.0
        assert label.y1 <= bar.y0 + 1.0  # above the bar


def test_side_names_of_hbars_are_right_aligned(tmp_path):
    """text-anchor: end with CJK names: their right edges line up at the bars' start."""
    fonts = fontbook()
    tables = load_tables({"edu": TableSpec(columns=TABLES["edu"][0], rows=TABLES["edu"][1], units={"场次": "场"})},
                         tmp_path)
    res = prepare_charts([FigureBlock(id="h", chart="hbar", data="edu")], tables, ChartTheme(), fonts,
                         tmp_path / "figures", widths=COLUMN)
    pdf = write_proof(tmp_path / "h.pdf", [("h", res["h"].drawing)], fonts.face("hei"), COLUMN)
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        rights = [page.search_for(name)[0].x1 for name in ("革命传统教育", "形势政策教育", "警示教育")]
        bars = sorted({round(d["rect"].x0, 1) for d in page.get_drawings() if d.get("fill")
                       and d["fill"][0] > 0.6 and d["fill"][1] < 0.1})  # the red bars, not the panel
    assert max(rights) - min(rights) < 0.6
    assert 0 < bars[0] - max(rights) < 8


def test_body_text_and_charts_share_one_font_subset(tmp_path):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    fonts = fontbook()
    tables = load_tables({"edu": TableSpec(columns=TABLES["edu"][0], rows=TABLES["edu"][1])}, tmp_path)
    res = prepare_charts([FigureBlock(id="b", chart="bar", data="edu")], tables, ChartTheme(), fonts,
                         tmp_path / "figures", widths=COLUMN)
    body = Paragraph("正文与图表同用一个字体子集：革命传统教育。",
                     ParagraphStyle("b", fontName=fonts.face("hei").rl_name, fontSize=9.5, leading=16))
    pdf = write_proof(tmp_path / "s.pdf", [("text", body), ("chart", res["b"].drawing)], fonts.face("hei"), COLUMN)
    with pymupdf.open(pdf) as doc:
        fonts_used = [f[3] for f in doc[0].get_fonts()]
    assert sum("NotoSansSC-Regular" in f for f in fonts_used) == 1, fonts_used


def test_height_snaps_to_the_line_pitch(tmp_path):
    fonts = fontbook()
    tables = load_tables({"edu": TableSpec(columns=TABLES["edu"][0], rows=TABLES["edu"][1])}, tmp_path)
    figs = [FigureBlock(id="p", chart="hbar", data="edu"), FigureBlock(id="h", chart="bar", data="edu", height="80pt")]
    res = prepare_charts(figs, tables, ChartTheme(), fonts, tmp_path / "figures", widths=COLUMN, pitch=16.15)
    assert res["p"].height / 16.15 == pytest.approx(round(res["p"].height / 16.15), abs=1e-4)
    assert res["h"].height == pytest.approx(16.15 * 5)  # 80pt, rounded up to whole lines


@pytest.mark.parametrize("fig", FIGURES, ids=[f.id for f in FIGURES])
def test_no_label_straddles_the_figures_edge(proof, fig):
    """Labels lie wholly inside the chart (its panel) or wholly outside: never half across an edge,
    which is what a reader — and the project's PDF checker — would see as text over a figure."""
    _result, pdfs, _fonts = proof
    with pymupdf.open(pdfs[fig.id]) as doc:
        page = doc[0]
        clusters = [r for r in page.cluster_drawings() if r.width > 40 and r.height > 40]
        assert clusters
        lines = [pymupdf.Rect(ln["bbox"]) for b in page.get_text("dict")["blocks"] for ln in b.get("lines", [])]
        for box in lines:
            for cl in clusters:
                inter = box & cl
                share = 0.0 if inter.is_empty else inter.get_area() / (box.get_area() or 1)
                assert not 0.15 < share < 0.85, (fig.id, box, cl)
