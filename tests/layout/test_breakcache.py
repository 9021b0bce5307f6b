"""Line breaks remembered between builds: the same lines, the same PDF, and nothing stale.

Real fonts, real ReportLab documents read back with PyMuPDF."""

from __future__ import annotations

import io
import json
import warnings

import pymupdf
import pytest
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from paiban.cjk import CJKLayoutWarning
from paiban.fonts.load import load_face
from paiban.layout.breakcache import FILE_NAME, BreakCache, break_key, remembered
from paiban.layout.paragraph import CJKParagraph, ParaStyle
from tests.support.project import FONTS

TEXTS = [
    "坚守初心，践行使命。盂县县委常委会以《关于在全县“不忘初心、牢记使命”主题教育中上下联动抓整治整改的"
    "工作方案》为基础，坚持目标导向、问题导向、效果导向，专题研究“1+4”主题教育方案，成立了14个巡回指导组。",
    "实行周碰头、月小结、专题汇报、定期分析研判等制度，建立起横向到边、纵向到底的指导体系，共投入资金1,234.5万元。",
    "详见https://www.example.gov.cn/zhengce/2023/jiedu/averylongpathnamethatcannotfitanywhere/index.html一文。",
]


@pytest.fixture(scope="module")
def style():
    return ParaStyle(faces=(load_face(FONTS / "NotoSerifSC-Regular.ttf"),), size=9.5, leading=16.0)


def _pdf(style: ParaStyle, width: float = 150) -> bytes:
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=(2 * width + 60, 500), invariant=1,
                          initialFontName=style.faces[0].rl_name)
    doc.addPageTemplates([PageTemplate("p", frames=[
        Frame(20 + i * (width + 20), 20, width, 460, id=f"f{i}", leftPadding=0, rightPadding=0,
              topPadding=0, bottomPadding=0) for i in range(2)])])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CJKLayoutWarning)
        doc.build([CJKParagraph(t, style) for t in TEXTS * 3])
    return buf.getvalue()


def test_a_warm_build_sets_the_same_pdf_without_breaking_again(style, tmp_path) -> None:
    path = tmp_path / FILE_NAME
    cold = _pdf(style)  # no cache at all
    with remembered(path) as cache:
        first = _pdf(style)
        cache.save()
    assert path.is_file()
    written = path.stat().st_mtime_ns
    with remembered(path) as cache:
        warm = _pdf(style)
        cache.save()  # every paragraph was found: nothing new to write
    assert first == cold and warm == cold
    assert path.stat().st_mtime_ns == written
    assert not cache._dirty


@pytest.mark.filterwarnings("ignore::paiban.cjk.CJKLayoutWarning")
def test_the_remembered_lines_are_the_broken_ones(style, tmp_path) -> None:
    path = tmp_path / FILE_NAME
    plain = [CJKParagraph(t, style).lines(140) for t in TEXTS]
    with remembered(path) as cache:
        for t in TEXTS:
            CJKParagraph(t, style).lines(140)
        cache.save()
    with remembered(path):
        again = [CJKParagraph(t, style).lines(140) for t in TEXTS]
    assert again == plain
    assert len(json.loads(path.read_text(encoding="utf-8"))) == len(TEXTS)


def test_a_changed_glyph_width_or_option_is_a_new_key(style) -> None:
    p = CJKParagraph(TEXTS[0], style)._prep
    q = CJKParagraph(TEXTS[0].replace("初心", "初衷"), style)._prep
    kai = ParaStyle(faces=(load_face(FONTS / "LXGWWenKai-Regular.ttf"),), size=9.5, leading=16.0)
    r = CJKParagraph(TEXTS[0], kai)._prep
    base = break_key(p, 15.0, 0, p.n, 2.0, True, False)
    assert base == break_key(CJKParagraph(TEXTS[0], style)._prep, 15.0, 0, p.n, 2.0, True, False)
    others = {break_key(q, 15.0, 0, q.n, 2.0, True, False), break_key(r, 15.0, 0, r.n, 2.0, True, False),
              break_key(p, 15.5, 0, p.n, 2.0, True, False), break_key(p, 15.0, 10, p.n, 0.0, True, False),
              break_key(p, 15.0, 0, p.n, 2.0, False, False), break_key(p, 15.0, 0, p.n, 2.0, True, True)}
    assert base not in others and len(others) == 6


def test_warnings_come_back_with_remembered_lines(style, tmp_path) -> None:
    path = tmp_path / FILE_NAME
    url = TEXTS[2]
    for _ in range(2):  # broken, then found in the cache
        with remembered(path) as cache, pytest.warns(CJKLayoutWarning, match="longer than the line"):
            para = CJKParagraph(url, style)
            para.lines(60)
            cache.save()
        assert any("longer than the line" in d for d in para.diagnostics)


@pytest.mark.filterwarnings("ignore::paiban.cjk.CJKLayoutWarning")
def test_an_unreadable_or_foreign_cache_is_ignored(style, tmp_path) -> None:
    path = tmp_path / FILE_NAME
    plain = CJKParagraph(TEXTS[1], style).lines(140)
    path.write_text("{not json", encoding="utf-8")
    with remembered(path) as cache:
        assert CJKParagraph(TEXTS[1], style).lines(140) == plain
        cache.save()
    key = next(iter(json.loads(path.read_text(encoding="utf-8"))))
    path.write_text(json.dumps({key: ["not", "lines"]}), encoding="utf-8")
    with remembered(path):
        assert CJKParagraph(TEXTS[1], style).lines(140) == plain
    assert BreakCache(tmp_path / "missing" / FILE_NAME).get(key) is None


def test_a_cache_file_of_another_shape_is_ignored(tmp_path) -> None:
    path = tmp_path / FILE_NAME
    for content in ("[1, 2]", '"lines"', json.dumps({"k": 5, "j": [1, 2, 3]}), json.dumps({"k": [5, []]})):
        path.write_text(content, encoding="utf-8")
        assert BreakCache(path).get("k") is None and BreakCache(path).get("j") is None


def test_outside_a_build_nothing_is_cached(style, tmp_path) -> None:
    CJKParagraph(TEXTS[0], style).lines(140)
    assert not any(tmp_path.iterdir())
    page = pymupdf.open(stream=_pdf(style), filetype="pdf")[0]
    assert "坚守初心" in page.get_text()


def test_two_documents_share_the_cache_up_to_its_size(style, tmp_path, monkeypatch) -> None:
    """Another spec in the folder keeps its entries; beyond MAX_ENTRIES the least recently used go."""
    import paiban.layout.breakcache as breakcache

    path = tmp_path / FILE_NAME
    for texts in (TEXTS[:1], TEXTS[1:2]):  # two "documents", built one after the other
        with remembered(path) as cache:
            for t in texts:
                CJKParagraph(t, style).lines(140)
            cache.save()
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 2
    monkeypatch.setattr(breakcache, "MAX_ENTRIES", 2)
    with remembered(path) as cache:
        CJKParagraph(TEXTS[0], style).lines(140)  # used again: now the most recent
        CJKParagraph(TEXTS[0], style).lines(120)  # new
        cache.save()
    with remembered(path) as cache:
        CJKParagraph(TEXTS[0], style).lines(140)
        CJKParagraph(TEXTS[0], style).lines(120)
        cache.save()
        assert not cache._dirty  # both found: the entry of TEXTS[1] was the one dropped
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 2
