"""The text engine's second pass, read back from real PDFs: Latin words never letter-spaced and
broken only at hyphenation points (read back whole), no gap before a closing mark after Latin,
URLs and e-mails broken at their marks, the space at a break kept in the text layer, the Han–Latin
gap bound, one position for every line-final mark, and display text broken between words only."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import jieba
import pymupdf
import pytest
import yaml

from tests.support.project import run_paiban

BODY = 9.5
LATIN = ("盂县与Shanxi Agricultural University合作建设的“数字乡村”平台（Smart Village Platform for Yuxian "
         "Counties）已上线，网址是https://www.yuxian.gov.cn/szxc/index.html?from=report&lang=zh，咨询邮箱为"
         "digital.village_service@yuxian-county.gov.cn。平台覆盖全县1000余个自然村，5G信号覆盖率达98.5%，"
         "年均气温9.8℃。项目采用Internationalization and Telecommunications Infrastructure标准，由Department "
         "of Agricultural Economics负责评估。Extraordinarily comprehensive counterrevolutionary "
         "internationalization requirements were documented by the Organization for Economic Co-operation "
         "and Development.")


def _build(project: Path, tmp: Path, cols: int, *sets: str) -> Path:
    out = tmp / f"r{cols}.pdf"
    r = run_paiban("build", "report.yaml", "-o", str(out), "-q", "--allow-outside", "--set", f"page.columns={cols}",
                   *(a for s in sets for a in ("--set", s)), cwd=project)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def default_pdfs(default_project: Path, default_pdf: Path, tmp_path_factory) -> dict[int, Path]:
    """The default report in 1 to 5 columns; in its own number of columns it is the session's default_pdf."""
    tmp = tmp_path_factory.mktemp("cols")
    own = yaml.safe_load((default_project / "report.yaml").read_text(encoding="utf-8"))["page"]["columns"]
    return {c: default_pdf if c == own else _build(default_project, tmp, c) for c in range(1, 6)}


@pytest.fixture(scope="module")
def latin_pdfs(default_project: Path, tmp_path_factory) -> dict[int, Path]:
    tmp = tmp_path_factory.mktemp("latin")
    return {c: _build(default_project, tmp, c, f"body.2.text={LATIN}") for c in (2, 3, 5)}


def body_lines(pdf: Path) -> list[list[dict]]:
    """Each body line's glyphs (rawdict chars, spaces included), left to right."""
    out = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for b in page.get_text("rawdict")["blocks"]:
                for ln in b.get("lines", []):
                    spans = [s for s in ln["spans"] if abs(s["size"] - BODY) < 0.05 and "Serif" in s["font"]]
                    if spans and len(spans) == len(ln["spans"]):
                        out.append([c for s in spans for c in s["chars"]])
    return out


def _han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def test_latin_words_are_never_letter_spaced_nor_spaced_from_their_closing_mark(latin_pdfs):
    for cols, pdf in latin_pdfs.items():
        checked = 0
        for chars in body_lines(pdf):
            for a, b in pairwise(chars):
                gap = (b["bbox"][0] - a["bbox"][2]) / BODY
                if a["c"].isascii() and a["c"].isalpha() and b["c"].isascii() and b["c"].isalpha():
                    assert abs(gap) < 0.02, (cols, a["c"], b["c"], gap)  # the font's advance, nothing more
                    checked += 1
                if _latin(a["c"]) and b["c"] in "）)”，。":
                    assert gap < 0.02, (cols, a["c"] + b["c"], gap)
        assert checked > 200


def test_hyphenated_words_read_back_whole_and_urls_break_at_their_marks(latin_pdfs):
    for cols, pdf in latin_pdfs.items():
        rows = ["".join(c["c"] for c in chars) for chars in body_lines(pdf)]
        text = ""
        hyphenated = 0
        for row in rows:
            if re.search(r"[A-Za-z]-$", row) and not re.search(r"Co-$", row):
                hyphenated += 1
                row = row[:-1]
            text += row
        flat = re.sub(r"\s+", " ", text)
        for word in ("Agricultural", "Internationalization", "Telecommunications", "Extraordinarily",
                     "counterrevolutionary", "https://www.yuxian.gov.cn/szxc/index.html?from=report&lang=zh",
                     "digital.village_service@yuxian-county.gov.cn"):
            assert word in flat.replace(" ", "") or word in flat, (cols, word)
        if cols == 5:
            assert hyphenated >= 3
        for a, b in pairwise(rows):  # never a break inside a run of letters without a hyphen
            if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
                raise AssertionError(f"{cols} columns: a word broken without a hyphen: {a[-12:]}|{b[:12]}")


def test_the_space_at_a_break_between_latin_words_stays_in_the_text_layer(latin_pdfs):
    with pymupdf.open(latin_pdfs[3]) as doc:
        text = "".join(p.get_text() for p in doc)
    assert "Organizationfor" not in text.replace("\n", "") and "Programfor" not in text
    assert re.search(r"[a-z] \n[a-z]", text)


def test_han_latin_gap_stays_near_a_quarter_em_when_han_gaps_are_tight(default_pdfs):
    for cols, pdf in default_pdfs.items():
        seen = 0
        for chars in body_lines(pdf):
            vis = [c for c in chars if not c["c"].isspace()]
            pairs = list(pairwise(vis))
            han = [(b["bbox"][0] - a["bbox"][2]) / BODY for a, b in pairs if _han(a["c"]) and _han(b["c"])]
            mixed = [(b["bbox"][0] - a["bbox"][2]) / BODY for a, b in pairs
                     if (_han(a["c"]) and _latin(b["c"])) or (_latin(a["c"]) and _han(b["c"]))]
            if han and mixed and max(han) < 0.05:
                seen += 1
                assert max(mixed) <= 0.30 + 0.01, (cols, "".join(c["c"] for c in vis), max(mixed))
        assert seen > 10, cols


def test_every_line_final_mark_sits_at_one_position_against_the_measure(default_pdfs):
    for cols, pdf in default_pdfs.items():
        with pymupdf.open(pdf) as doc:
            offsets = []
            for page in doc:
                lines = []
                for b in page.get_text("rawdict")["blocks"]:
                    for ln in b.get("lines", []):
                        chars = [c for s in ln["spans"] if abs(s["size"] - BODY) < 0.05 and "Serif" in s["font"]
                                 for c in s["chars"] if not c["c"].isspace()]
                        if len(chars) > 4:
                            lines.append(chars)
                # the right edge of each column: where the lines ending in a Han character end
                rights = Counter(round(ch[-1]["bbox"][2]) for ch in lines if _han(ch[-1]["c"]))
                edges = [max(ch[-1]["bbox"][2] for ch in lines if round(ch[-1]["bbox"][2]) == x)
                         for x, n in rights.items() if n >= 3]
                lefts = Counter(round(ch[0]["bbox"][0]) for ch in lines)
                for k, ch in enumerate(lines):
                    last = ch[-1]
                    if last["c"] not in "。，、；：”》":
                        continue
                    # a line followed by an indented one (or by none) ends its paragraph: not justified
                    nxt = [o for o in lines[k + 1:] if 0 < o[0]["bbox"][1] - ch[0]["bbox"][1] < 2 * BODY
                           and abs(o[-1]["bbox"][2] - last["bbox"][2]) < BODY * 1.5]
                    if not nxt or round(nxt[0][0]["bbox"][0]) not in lefts or \
                            lefts[round(nxt[0][0]["bbox"][0])] < 3 or \
                            any(abs(nxt[0][0]["bbox"][0] - (x + 2 * BODY)) < 1 for x in lefts):
                        continue
                    near = [x for x in edges if abs(last["bbox"][0] + BODY / 2 - x) < BODY * 0.8]
                    if near:
                        offsets.append((last["bbox"][0] - near[0]) / BODY)
        assert len(offsets) > 5, cols
        # every mark's box starts half an em before the edge: ink flush, blank half past it
        assert max(offsets) - min(offsets) < 0.12, (cols, sorted(offsets)[:3], sorted(offsets)[-3:])


def test_display_text_is_never_broken_inside_a_word(default_pdfs):
    for cols, pdf in default_pdfs.items():
        with pymupdf.open(pdf) as doc:
            for page in doc:
                for b in page.get_text("dict")["blocks"]:
                    rows = []
                    for ln in b.get("lines", []):
                        spans = [s for s in ln["spans"] if s["text"].strip()]
                        if not spans or ("Serif" in spans[0]["font"] and abs(spans[0]["size"] - BODY) < 0.6):
                            continue
                        rows.append("".join(s["text"] for s in spans).strip())
                    for a, c in pairwise(rows):
                        if not (a and c and _han(a[-1]) and _han(c[0])):
                            continue
                        joined, cut, at = a[-6:] + c[:6], len(a[-6:]), 0
                        for w in jieba.cut(joined):
                            assert not (at < cut < at + len(w) and len(w) >= 2 and _han(w[0])), (cols, a, c)
                            at += len(w)
