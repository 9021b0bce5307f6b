"""The facts box: native ReportLab text (searchable, in Hei), hedges kept, sized to its frame."""

from __future__ import annotations

import pymupdf
import pytest
from pydantic import ValidationError

from paiban.fonts.book import FontBook
from paiban.layout.facts import FactsBox, value_text
from paiban.spec.charts import ChartTheme, FactItem, FactsBlock
from tests.support.project import FONTS
from tests.support.proof import write_proof

BLOCK = FactsBlock(title="数说盂县", columns=2, source="据本文报道", caption="主题教育与干部工作", items=[
    {"value": "918", "unit": "个", "label": "基层党组织学习教育全覆盖"},
    {"value": "11,407", "unit": "名", "label": "党员学习教育全覆盖"},
    {"value": "1000余", "unit": "条", "label": "整改问题"},
    {"value": 124, "unit": "人", "label": "提拔干部"},
    {"value": 349, "label": "贫困人口返岗就业", "approx": True},
])


def fontbook() -> FontBook:
    return FontBook({"hei": {"regular": (FONTS / "NotoSansSC-Regular.ttf", 0),
                             "bold": (FONTS / "NotoSansSC-Bold.ttf", 0)}})


def test_values_are_printed_as_the_article_writes_them():
    assert [value_text(i) for i in BLOCK.items] == ["918", "11,407", "1000余", "124", "约349"]
    assert value_text(FactItem(value="6500多", label="羊", approx=True)) == "6500多"
    assert value_text(FactItem(value="80%", label="x")) == "80%"


def test_the_box_is_searchable_text_in_the_documents_faces(tmp_path):
    fonts = fontbook()
    box = FactsBox(BLOCK, ChartTheme(), fonts)
    pdf = write_proof(tmp_path / "f.pdf", [("facts", box)], fonts.face("hei"), 155.0)
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        text = page.get_text().replace(" ", "")  # a quarter em between Han and digits
        for s in ("数说盂县", "918", "11,407", "1000余", "约349", "提拔干部", "来源：据本文报道", "主题教育与干部工作"):
            assert s in text, s
        assert page.get_images() == []
        fonts_used = {f[3].split("+")[-1] for f in page.get_fonts()}
        assert fonts_used == {"NotoSansSC-Regular", "NotoSansSC-Bold"}
        assert all(f[1] != "n/a" for f in page.get_fonts())
        # the big number is set larger than its label, and bold
        spans = [s for b in page.get_text("dict")["blocks"] for ln in b.get("lines", []) for s in ln["spans"]]
        number = next(s for s in spans if s["text"] == "11,407")
        label = next(s for s in spans if s["text"].startswith("党员"))
        assert number["size"] > label["size"] * 1.6
        assert "Bold" in number["font"]


@pytest.mark.parametrize("width", [155.0, 320.0, 480.0])
def test_the_box_fills_its_frame_and_snaps_to_the_pitch(width):
    box = FactsBox(BLOCK, ChartTheme(), fontbook(), pitch=16.15)
    w, h = box.wrap(width, 800)
    assert w == width
    assert h / 16.15 == pytest.approx(round(h / 16.15), abs=1e-6)
    assert box.split(width, 10) == []


def test_numbers_fit_their_cards_by_shrinking_or_using_fewer_columns():
    fonts = fontbook()
    box = FactsBox(BLOCK.model_copy(update={"columns": 4}), ChartTheme(), fonts)
    box.wrap(155.0, 800)
    assert box.cols < 4
    st = box.style
    for card in box.cards:
        used = st.width(card.value, box.number_size, True) + (st.width(card.unit, box.unit_size) if card.unit else 0)
        assert used <= box.card_w
    wide = FactsBox(BLOCK.model_copy(update={"columns": 4}), ChartTheme(), fonts)
    wide.wrap(480.0, 800)
    assert wide.cols == 4 and wide.number_size == pytest.approx(17.0)


def test_facts_blocks_refuse_empty_or_bad_items():
    with pytest.raises(ValidationError):
        FactsBlock(items=[])
    with pytest.raises(ValidationError):
        FactsBlock(items=[{"value": "", "label": "x"}])
    with pytest.raises(ValidationError):
        FactsBlock(items=[{"value": 1, "label": "x", "colour": "red"}])


def test_the_layouts_entry_point_leaves_caption_and_source_to_the_caller(tmp_path):
    from types import SimpleNamespace

    from paiban.layout.facts import facts_flowable

    fonts = fontbook()
    box = facts_flowable(BLOCK, SimpleNamespace(fonts=fonts), 16.15, ChartTheme(number_size="14pt"))
    pdf = write_proof(tmp_path / "f.pdf", [("facts", box)], fonts.face("hei"), 155.0)
    with pymupdf.open(pdf) as doc:
        text = doc[0].get_text()
    assert "11,407" in text and "数说盂县" in text
    assert "来源" not in text and "主题教育与干部工作" not in text
    assert box.number_size <= 14.0
