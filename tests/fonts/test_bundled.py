"""The fonts in fonts/ are what the build embeds: check they load, cover the text, and stay legal.

They are made by scripts/make_fonts.py; these tests catch a bad regeneration (a face that
ReportLab rejects, a dropped character, a lost licence) without touching the network.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as RLTTFont
from reportlab.pdfgen import canvas

from tests.support.project import ROOT

FONTS = ROOT / "fonts"
TONGYONG = ROOT / "scripts" / "tongyong-guifan-8105.txt"

# file -> (family name matplotlib must read, OS/2 weight class)
FACES = {
    "NotoSerifSC-Regular.ttf": ("Noto Serif SC", 400),
    "NotoSerifSC-Bold.ttf": ("Noto Serif SC", 700),
    "NotoSerifSC-Black.ttf": ("Noto Serif SC", 900),
    "NotoSansSC-Regular.ttf": ("Noto Sans SC", 400),
    "NotoSansSC-Bold.ttf": ("Noto Sans SC", 700),
    "LXGWWenKai-Regular.ttf": ("Paiban Kai", 400),
}

# Sentences of the seed article (山西盂县党建巡礼), chosen to hold its rarer characters and all of
# its punctuation: ，、。；：？“”‘’《》（）——……％~/+.,: and digits.
ARTICLE_SAMPLE = (
    "山西省阳泉市盂县县委高擎习近平新时代中国特色社会主义思想伟大旗帜，全面落实新时代党的建设总要求"
    "和组织路线，守初心固根本，明导向立标尺。盂县县委常委会以《关于在全县“不忘初心、牢记使命”主题"
    "教育中上下联动抓整治整改的工作方案》为基础，专题研究“1+4”主题教育方案，实现了918个基层党组织"
    "共11,407名党员的学习教育全覆盖；将原来31个党（工）委调整为23个。2019年创建了特色农产品优质品牌"
    "——元吉老醋坊。小广场让村民有了健身娱乐的地方……镇党委书记李佩斯强调:“推行‘党建+’工作模式，"
    "就是要把党的建设融入经济社会各项工作中。”村“两委”主干“一肩挑”比例提高10％；每个村也分别投入"
    "1.3万元~2万元资金。太原市场上10元/斤的核桃，老百姓通过电商卖到14元/斤。支部班子如果是一盘散沙，"
    "怎么领导村民致富奔小康？”镇党委副书记、镇长王暾明说道。潜移默化，咬耳朵、扯袖子，硕果累累。"
)


def font_path(name: str) -> Path:
    path = FONTS / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: run scripts/make_fonts.py")
    return path


def tongyong_chars() -> list[str]:
    return [
        line.split("\t", 1)[0] for line in TONGYONG.read_text("utf-8").splitlines() if line and line[0] != "#"
    ]


def test_tongyong_list_has_8105_distinct_han_characters() -> None:
    chars = tongyong_chars()
    assert len(chars) == 8105
    assert len(set(chars)) == 8105
    # CJK Unified Ideographs, Extension A, or the supplementary planes (Extensions B-H).
    assert all(
        "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or 0x20000 <= ord(c) <= 0x323AF for c in chars
    )
    # Level 1 starts 一乙二十丁厂七卜八人 and the table ends with 蠼 (No. 8105).
    assert "".join(chars[:10]) == "一乙二十丁厂七卜八人"
    assert chars[-1] == "蠼"


@pytest.mark.parametrize("name", FACES)
def test_face_covers_gb2312_tongyong_and_article(name: str) -> None:
    cmap = TTFont(font_path(name), lazy=True).getBestCmap()
    gb2312_hanzi = [
        bytes((lead, trail)).decode("gb2312")
        for lead in range(0xB0, 0xF8)
        for trail in range(0xA1, 0xFF)
        if not (lead == 0xD7 and trail > 0xF9)
    ]
    assert len(gb2312_hanzi) == 6763
    missing = [c for c in gb2312_hanzi + tongyong_chars() + list(ARTICLE_SAMPLE) if ord(c) not in cmap]
    assert missing == []


@pytest.mark.parametrize("name", FACES)
def test_face_is_small_glyf_font_with_vertical_metrics(name: str) -> None:
    font = TTFont(font_path(name), lazy=True)
    assert "glyf" in font and "CFF " not in font  # ReportLab reads TrueType outlines only
    assert {"vhea", "vmtx", "OS/2", "post", "name"} <= set(font.keys())
    assert "fpgm" not in font and "prep" not in font  # hinting dropped
    assert font["OS/2"].usWeightClass == FACES[name][1]
    assert font["OS/2"].fsType == 0  # installable embedding: the PDF may carry the subset
    assert font_path(name).stat().st_size < 5_000_000
    gsub_features = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
    assert "vert" in gsub_features


def test_reportlab_embeds_every_face_and_text_reads_back(tmp_path: Path) -> None:
    pdf = tmp_path / "faces.pdf"
    page = canvas.Canvas(str(pdf), pagesize=(1200, 120 * len(FACES)))
    lines = [ARTICLE_SAMPLE[i : i + 60] for i in range(0, 180, 60)]
    y = 120 * len(FACES) - 30
    for i, name in enumerate(FACES):
        alias = f"bundled-{i}"
        pdfmetrics.registerFont(RLTTFont(alias, str(font_path(name))))
        assert pdfmetrics.stringWidth("一", alias, 10) == pytest.approx(10)  # CJK glyphs are 1 em
        page.setFont(alias, 16)
        for line in lines:
            page.drawString(20, y, line)
            y -= 24
        y -= 48
    page.save()

    with pymupdf.open(pdf) as doc:
        text = doc[0].get_text()
        # (ReportLab also lists its default Helvetica, never drawn; only the TrueType subsets count.)
        embedded = {f[3].split("+", 1)[-1] for f in doc[0].get_fonts() if f[2] in ("TrueType", "Type0")}
    assert text.count(lines[0]) == len(FACES)
    assert text.count(lines[2]) == len(FACES)
    assert embedded == {
        "NotoSerifSC-Regular",
        "NotoSerifSC-Bold",
        "NotoSerifSC-Black",
        "NotoSansSC-Regular",
        "NotoSansSC-Bold",
        "PaibanKai-Regular",
    }


def test_matplotlib_reads_each_family_name() -> None:
    from matplotlib import font_manager

    for name, (family, weight) in FACES.items():
        path = str(font_path(name))
        font_manager.fontManager.addfont(path)
        assert font_manager.FontProperties(fname=path).get_name() == family
        entry = next(e for e in font_manager.fontManager.ttflist if e.fname == path)
        assert entry.weight == weight


def test_licences_ship_and_kai_avoids_reserved_names() -> None:
    noto = (FONTS / "OFL-Noto.txt").read_text("utf-8")
    kai = (FONTS / "OFL-LXGWWenKai.txt").read_text("utf-8")
    for text in (noto, kai):
        assert "SIL OPEN FONT LICENSE Version 1.1" in text
    assert "Adobe" in noto and "Google" in noto
    assert "LXGW" in kai and "Klee" in kai
    readme = (FONTS / "README.md").read_text("utf-8")
    assert all(name in readme for name in FACES)

    for name in FACES:
        names = TTFont(font_path(name), lazy=True)["name"]
        assert "Open Font License" in (names.getDebugName(13) or "")
        assert names.getDebugName(0)  # copyright notice kept
    # Debian's copyright file reserves "霞鹜" and "LXGW": a subset must not be called by them.
    kai_names = TTFont(font_path("LXGWWenKai-Regular.ttf"), lazy=True)["name"]
    for record in kai_names.names:
        if record.nameID in (1, 4, 6, 16, 17, 18, 21, 22):
            value = record.toUnicode()
            assert "LXGW" not in value.upper() and "霞鹜" not in value, value
