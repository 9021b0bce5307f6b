"""Property test: random Chinese/Latin/number text at random measures, set and read back from a PDF.

For every paragraph hypothesis makes up:
  * no line starts with a closing/stop mark or ends with an opening mark (read from the PDF);
  * every line but the last fills the measure exactly (±0.1 pt);
  * the PDF's text equals the input, character for character, white space removed.
"""

from __future__ import annotations

import io
import re
import warnings

import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

from paiban.cjk import CJKLayoutWarning
from paiban.fonts.load import load_face
from paiban.layout.paragraph import CJKParagraph, ParaStyle
from tests.support.project import FONTS

SIZE = 9.5
NO_START = set("、，。．：；？！）》」』】〕〗〉”’…—%‰℃")
NO_END = set("（《「『【〔〖〈“‘")

HAN = "党建乡村振兴盂县组织干部工作发展基层群众经济文化教育产业项目资金服务村民集体主题学习制度"
CLOSING = "，。、；：？！）》」』”’"
OPENING = "（《「『“‘"

han = st.text(alphabet=HAN, min_size=1, max_size=14)
closing_run = st.text(alphabet=CLOSING, min_size=1, max_size=3)
opening = st.sampled_from(list(OPENING))
number = st.one_of(
    st.integers(0, 99999).map(str),
    st.integers(1000, 999999).map(lambda n: f"{n:,}"),
    st.tuples(st.integers(0, 9999), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]:02d}"),
    st.integers(0, 100).map(lambda n: f"{n}%"),
    st.integers(0, 100).map(lambda n: f"{n}％"),
    st.integers(1, 40).map(lambda n: f"-{n}℃"),
    st.integers(1, 9).map(lambda n: f"±0.{n}"),
    st.tuples(st.integers(1, 9), st.integers(2, 9)).map(lambda t: f"{t[0]}/{t[1]}"),
    st.tuples(st.integers(1, 9), st.integers(1, 9)).map(lambda t: f"{t[0]}:{t[1]}"),
)
latin = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzGDPABC", min_size=1, max_size=6),
                 min_size=1, max_size=3).map(" ".join)
pairs = st.sampled_from(["——", "……"])


@st.composite
def piece(draw):
    """A Han stretch, optionally followed by closing marks, dashes, or an opened quote."""
    out = draw(han)
    kind = draw(st.integers(0, 6))
    if kind == 0:
        out += draw(closing_run)
    elif kind == 1:
        out += draw(pairs)
    elif kind == 2:
        out = draw(opening) + out + draw(closing_run)
    elif kind == 3:
        out += draw(number)
    elif kind == 4:
        out += draw(st.sampled_from(["", " "])) + draw(latin) + draw(st.sampled_from(["", " "]))
    return out


# Words and numbers stay shorter than 8 em minus the 2-em indent and one Han character, so that
# every paragraph has a layout in which no line is a lone glyph that cannot be justified.
paragraphs = st.lists(piece(), min_size=1, max_size=25).map("".join)


@pytest.fixture(scope="module")
def faces():
    return {"serif": load_face(FONTS / "NotoSerifSC-Regular.ttf"), "kai": load_face(FONTS / "LXGWWenKai-Regular.ttf")}


def set_and_read(text: str, face, measure_em: float):
    style = ParaStyle(faces=(face,), size=SIZE, leading=16.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CJKLayoutWarning)  # nothing in these texts needs a rule broken
        para = CJKParagraph(text, style)
        width = measure_em * SIZE
        _, height = para.wrap(width, 1e6)
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(width + 20, height + 20), initialFontName=face.rl_name)
    para.drawOn(canv, 10, 10)
    canv.showPage()
    canv.save()
    return para, width, pymupdf.open(stream=buf.getvalue(), filetype="pdf")


def pdf_rows(page):
    rows: dict[float, list] = {}
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for c in span["chars"]:
                    if not c["c"].isspace():
                        rows.setdefault(round(c["origin"][1], 2), []).append(c)
    # by the centre of each glyph's box: a compressed opening bracket's origin may sit left of the
    # narrow letter before it, its ink (in its right half) never does
    return ["".join(c["c"] for c in sorted(chars, key=lambda c: c["bbox"][0] + c["bbox"][2]))
            for _, chars in sorted(rows.items())]


def check(text: str, face, measure_em: float) -> None:
    para, width, pdf = set_and_read(text, face, measure_em)
    placed = para.placed_lines(width)
    prep = para._prep if hasattr(para, "_prep") else None
    for pl in placed[:-1]:
        if prep is not None and not any(prep.gap_class[pl.line.start:pl.line.end - 1]):
            # no justification point (a long Latin word alone): short, never letter-spaced
            assert pl.width * SIZE <= width + 0.1 and all(g == 0 for g in pl.gaps), pl
        else:
            assert abs(pl.width * SIZE - width) <= 0.1, pl
    rows = pdf_rows(pdf[0])
    assert len(rows) == len(placed)
    for row in rows[1:]:
        assert row[0] not in NO_START, rows
    for row in rows:
        assert row[-1] not in NO_END, rows
    # a hyphen drawn at a hyphenation point is not in the text: read back without it
    read = "".join(row[:-1] if pl.hyphen else row for row, pl in zip(rows, placed, strict=True))
    assert read == re.sub(r"\s+", "", text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=paragraphs, measure=st.floats(8.0, 40.0), which=st.sampled_from(["serif", "kai"]))
def test_random_paragraphs_obey_the_rules(faces, text, measure, which):
    check(text, faces[which], measure)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(text=paragraphs, measure=st.floats(8.0, 40.0), which=st.sampled_from(["serif", "kai"]))
def test_random_paragraphs_obey_the_rules_long_run(faces, text, measure, which):
    check(text, faces[which], measure)
