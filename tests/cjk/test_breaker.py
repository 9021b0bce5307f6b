"""The line breaker and justifier on hand-made cases, one rule at a time, with real fonts."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from paiban.charts.text import tokens
from paiban.cjk import CJKLayoutWarning, break_lines, display, parse_markup, place_line, prepare
from paiban.cjk.chars import Cls, no_break_after, no_break_before
from paiban.cjk.items import STRETCH_CHAR, STRETCH_NONE, STRETCH_SPACE, Spacing
from tests.support.project import DATA

ARTICLE = DATA / "article_paragraphs.txt"

NO_START = set("、，。．：；？！）》」』】〕〗〉”’…—%‰℃")
NO_END = set("（《「『【〔〖〈“‘")
EPS = 1e-6


def article_paragraphs() -> list[str]:
    return [b for b in ARTICLE.read_text(encoding="utf-8").split("\n\n") if b and not b.startswith("## ")]


def layout(text, face, measure, indent=0.0, faces=None):
    prep = prepare(parse_markup(text), faces or [face])
    lines = break_lines(prep, measure, indent=indent)
    return prep, lines, [place_line(prep, ln, measure) for ln in lines]


def texts(prep, lines):
    return [prep.line_text(ln.start, ln.end) for ln in lines]


def measures(lo=8.0, hi=16.0, step=0.25):
    m = lo
    while m <= hi + 1e-9:
        yield m
        m += step


PUNCTUATED = ("他说：“我们今天去北京。”她回答：“好的——明天见……”然后（大家）都笑了，《红楼梦》、《西游记》"
              "和《水浒传》都读过吗？读过！“两委”主干“一肩挑”比例提高10％；村“两委”成员（含支部）共37户。")


# -- prohibitions -------------------------------------------------------------------------------

@pytest.mark.parametrize("face_name", ["serif", "kai"])
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(face_name, request):
    face = request.getfixturevalue(face_name)
    for m in measures():
        prep, lines, _ = layout(PUNCTUATED, face, m, indent=2.0)
        got = texts(prep, lines)
        for t in got[1:]:
            assert t[0] not in NO_START, (m, got)
        for t in got:
            assert t[-1] not in NO_END, (m, got)


def test_middle_dots_and_small_kana_never_start_a_line_nor_middle_dots_end_one(serif):
    """The one prohibition table (cjk.chars) covers the katakana middle dot ・ and the small kana,
    which lie in the kana block but are not Han-like for line breaking (clreq, jlreq)."""
    assert all(no_break_before(ch) and no_break_after(ch) for ch in "·・")
    assert all(no_break_before(ch) and not no_break_after(ch) for ch in "ーっ々")
    text = "安娜・卡列尼娜与列夫·托尔斯泰，安娜・卡列尼娜与列夫·托尔斯泰，あっちのエーテル。"
    for m in measures(3.0, 12.0, 0.25):
        prep, lines, _ = layout(text, serif, m)
        got = texts(prep, lines)
        for t in got[1:]:
            assert t[0] not in "·・っー", (m, got)
        for t in got[:-1]:
            assert t[-1] not in "·・", (m, got)
    assert display.break_points("列夫·托尔斯泰", lambda t: ["列夫", "·", "托尔斯泰"]) == []
    assert tokens("列夫·托尔斯泰（俄）") == ["列夫·托尔斯泰", "（俄）"]  # words whole, · glued


def test_dashes_and_ellipses_are_never_split_and_never_start_a_line(serif):
    text = "品牌——元吉老醋坊，建草料场……今年6月上旬——陆续投入资金……养羊场终于建成——首批买回……"
    for m in measures(8.0, 14.0, 0.125):
        prep, lines, _ = layout(text, serif, m)
        got = texts(prep, lines)
        for t in got[1:]:
            assert t[0] not in "—…", (m, got)
        assert "".join(got) == prep.text


@pytest.mark.parametrize("token", ["11,407", "2307.02", "73%", "±0.5", "-5℃", "1/4", "3:2", "GDP", "5G",
                                   "COVID-19", "Typesetting"])
def test_numbers_words_and_abbreviations_stay_whole(serif, token):
    text = f"这一段文字里的{token}不能拆开，前后都是中文字符以便换行位置落在它的周围{token}再来一次。"
    for m in measures(8.0, 12.0, 0.125):
        prep, lines, _ = layout(text, serif, m)
        joined = "\n".join(texts(prep, lines))
        assert joined.count(token) == 2, (m, joined)


def test_joiners_never_start_or_end_a_line(serif):
    text = "通过“村集体+贫困户合作社+农户（贫困户）”“政府+银行+龙头企业+贫困户”模式，卖到14元/斤，老百姓通过电商卖到10元/斤。"
    for m in measures(8.0, 14.0, 0.125):
        prep, lines, _ = layout(text, serif, m)
        for t in texts(prep, lines):
            assert t[0] not in "+/" and t[-1] not in "+/", (m, texts(prep, lines))


def test_url_breaks_only_after_slash_or_before_url_marks(serif):
    url = "https://www.example.com/path/to/some/long/resource?query=1&page=2"
    text = f"请访问{url}获取更多信息。"
    seen_inside = False
    for m in measures(8.0, 14.0, 0.5):
        prep, lines, placed = layout(text, serif, m)
        got = texts(prep, lines)
        assert "".join(got) == prep.text
        for a, b in pairwise(got):
            if url.find(a[-1:] + b[:1]) >= 0 and (a[-1] in url and b[0] in url):
                # a break inside the URL: after a slash, or before one of . @ _ - ? & = (Chicago)
                seen_inside = True
                assert a[-1] == "/" or b[0] in ".@_-?&=", (m, got)
                assert not a.endswith(("https:", "https:/")), (m, got)
        for pl in placed[:-1]:
            n = pl.line.end - pl.line.start
            if any(prep.gap_class[pl.line.start:pl.line.end - 1]):
                assert pl.width == pytest.approx(m, abs=EPS)
            else:  # a piece of the URL alone on its line: short, never letter-spaced
                assert pl.width <= m + EPS and all(g == 0 for g in pl.gaps), (m, n, got)
    assert seen_inside


def test_email_breaks_before_at_and_dot_never_inside_letters(serif):
    email = "digital.village_service@yuxian-county.gov.cn"
    text = f"咨询邮箱为{email}，欢迎来信。"
    for m in measures(6.0, 12.0, 0.5):
        prep, lines, placed = layout(text, serif, m)
        got = texts(prep, lines)
        for a, b in pairwise(got):
            if a[-1].isalpha() and b[0].isalpha() and a[-1].isascii() and b[0].isascii():
                raise AssertionError(f"broken inside a run of letters at {m} em: {got}")
            if a[-1] in email and b[0] in email and (a[-1] + b[0]) in email:
                assert b[0] in ".@_-", (m, got)


def test_a_run_longer_than_the_line_breaks_anywhere_with_a_warning(serif):
    run = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 2
    prep = prepare(parse_markup(f"超长串{run}后面是中文。"), [serif])
    notes: list[str] = []
    with pytest.warns(CJKLayoutWarning, match="longer than the line"):
        lines = break_lines(prep, 10.0, diagnostics=notes)
    assert notes and f"“{run[:20]}…” (offset 3)" in notes[0]  # named by its start, not quoted whole
    assert "".join(texts(prep, lines)) == prep.text
    for ln in lines[:-1]:
        pl = place_line(prep, ln, 10.0)
        assert pl.width <= 10.0 + EPS  # never overflows
        assert all(g <= prep.gap_width[ln.start + k] + EPS for k, g in enumerate(pl.gaps)
                   if prep.gap_class[ln.start + k] == STRETCH_NONE)  # nor letter-spaced


# -- justification -----------------------------------------------------------------------------

@pytest.mark.parametrize("measure", [8.5, 12.3, 16.3, 25.0, 40.0])
def test_every_line_but_the_last_fills_the_measure(serif, measure):
    for para in article_paragraphs():
        prep, lines, placed = layout(para, serif, measure, indent=2.0)
        assert lines[-1].last and not any(ln.last for ln in lines[:-1])
        for pl in placed[:-1]:
            assert pl.width == pytest.approx(measure, abs=EPS), prep.line_text(pl.line.start, pl.line.end)
        assert placed[-1].width <= measure + EPS


def _gaps(prep, pl):
    s, e = pl.line.start, pl.line.end
    return [(k, pl.x[k + 1 - s] - pl.x[k - s] - prep.box_width[k]) for k in range(s, e - 1)]


def test_slack_is_spread_evenly_over_every_justification_point(serif):
    checked = 0
    for para in article_paragraphs()[:12]:
        prep, lines, placed = layout(para, serif, 16.3, indent=2.0)
        for pl in placed[:-1]:
            gaps = _gaps(prep, pl)
            char_gaps = [g - prep.gap_width[k] for k, g in gaps if prep.gap_class[k] == STRETCH_CHAR
                         and prep.gap_shrink[k] == 0]
            space_gaps = [g for k, g in gaps if prep.gap_class[k] == STRETCH_SPACE]
            space_extra = [g - prep.gap_width[k] for k, g in gaps if prep.gap_class[k] == STRETCH_SPACE]
            if pl.char_space > 0:
                # digits inside a number, letters inside a word and a compressed pair of marks
                # keep their natural gap when the line stretches
                tight = [(k, g) for k, g in gaps if prep.gap_class[k] == STRETCH_NONE]
                assert all(abs(g - prep.gap_width[k]) < EPS for k, g in tight)
                assert all(abs(g) < EPS for k, g in tight if prep.token[k] >= 0 and prep.token[k] == prep.token[k + 1])
                # every justification point took the same share: a Han–Latin gap no more than the others
                assert max(char_gaps + space_extra) - min(char_gaps + space_extra) < EPS
                checked += 1
                if char_gaps and max(char_gaps) < 0.05:
                    assert all(g <= 0.30 + EPS for g in space_gaps)
            for g in space_gaps:
                assert g >= 0.125 - EPS  # never below an eighth
    assert checked > 20


def test_last_line_is_never_a_lone_character(serif):
    text = "早在2018年，禅房村人均收入就突破18,000元，在全县名列前茅。着眼于创建乡村旅游示范点。"
    for m in measures(8.0, 20.0, 0.125):
        prep, lines, _ = layout(text, serif, m, indent=2.0)
        if len(lines) > 1:
            last = texts(prep, lines)[-1]
            assert len(re.sub(r"[，。、；：？！”）》]", "", last)) >= 2, (m, texts(prep, lines))


def test_pull_back_or_push_forward_is_decided_by_evenness(serif):
    # Ten characters fill 10 em exactly; a comma follows and may not start a line.
    # Nothing on the line can shrink, so the comma cannot be pulled back: a character is pushed.
    prep, lines, _ = layout("一二三四五六七八九十，一二三四五六七八九十。", serif, 10.0)
    first = texts(prep, lines)[0]
    assert first == "一二三四五六七八九"
    # Same, but the line carries four commas that can each give up to half an em: pulling the
    # comma back costs each of them an eighth of an em, far more even than stretching 9 gaps.
    prep, lines, placed = layout("一，二，三，四，五六，七八九十一二三四五。", serif, 10.0)
    assert texts(prep, lines)[0] == "一，二，三，四，五六，"
    assert placed[0].end_hang == pytest.approx(0.5, abs=EPS)
    assert placed[0].width == pytest.approx(10.0, abs=EPS)


# -- punctuation compression -------------------------------------------------------------------

@pytest.mark.parametrize("face_name", ["serif", "kai"])
@pytest.mark.parametrize("pair", ["。”", "，“", "）、", "》，", "”——", "（“", "”。"])
def test_two_adjacent_marks_occupy_at_most_one_and_a_half_em(face_name, pair, request):
    face = request.getfixturevalue(face_name)
    text = f"文字{pair}文字"
    prep, lines, placed = layout(text, face, 40.0)
    pl = placed[0]
    i = prep.chars.index(pair[0])
    j = i + 1
    span = pl.x[j] + prep.box_width[j] - pl.x[i]
    assert span <= 1.5 + EPS
    # and the ink of the two marks does not collide
    ink_i = prep.face[i].ink(prep.chars[i])
    ink_j = prep.face[j].ink(prep.chars[j])
    right_i = pl.x[i] + prep.origin_offset[i] + ink_i[1] * prep.horizontal_scale[i]
    left_j = pl.x[j] + prep.origin_offset[j] + ink_j[0] * prep.horizontal_scale[j]
    assert right_i <= left_j + 0.02


@pytest.mark.parametrize("policy", ["half", "full", "hang"])
def test_a_mark_at_the_line_end_sits_as_the_policy_says_on_every_line(serif, policy):
    text = "一二三四五六七八九，十一二三四五六七八。一二三四五六七八九、十一二三四五六七八；一二三四五六七。"
    prep = prepare(parse_markup(text), [serif], spacing=Spacing(line_end=policy))
    for m in (9.6, 10.0, 10.5, 11.0):
        lines = break_lines(prep, m)
        for ln in lines[:-1]:
            pl = place_line(prep, ln, m)
            k = ln.end - 1
            if prep.chars[k] in "，、。；":
                half = prep.right_blank[k]
                want = {"half": half, "full": 0.0, "hang": 1.0 if prep.chars[k] in "，、。" else half}[policy]
                assert pl.end_hang == pytest.approx(want, abs=0.02), (m, prep.line_text(ln.start, ln.end))
                ink_right = pl.x[-1] + prep.face[k].ink(prep.chars[k])[1]
                if policy == "half":
                    assert ink_right <= m + EPS  # the ink flush inside, only the blank half past the edge
            assert pl.width == pytest.approx(m, abs=EPS)


def test_compression_side_is_read_from_the_glyph_outline(serif, kai):
    for face in (serif, kai):
        prep = prepare(parse_markup("他说“好”，（对）《书》。"), [face])
        side = {c: (prep.left_blank[i], prep.right_blank[i], prep.box_width[i]) for i, c in enumerate(prep.chars)}
        for opening in "“（《":
            lb, rb, adv = side[opening]
            assert adv == pytest.approx(1.0) and lb >= 0.4 and rb == 0, (face.path.name, opening, side[opening])
        for closing in "”，）》。":
            lb, rb, adv = side[closing]
            assert adv == pytest.approx(1.0) and rb >= 0.4 and lb == 0, (face.path.name, closing, side[closing])
    # LXGW WenKai's curly quotes are 0.35 em wide: in Chinese text they get a full-width box,
    # with the ink in the inner half
    prep = prepare(parse_markup("他说“好”"), [kai])
    assert kai.advance("“") < 0.5
    i = prep.chars.index("“")
    ink = kai.ink("“")
    assert prep.origin_offset[i] + ink[0] >= 0.5 - EPS
    j = prep.chars.index("”")
    assert prep.origin_offset[j] + kai.ink("”")[1] <= 0.5 + EPS


def test_a_dash_pair_is_drawn_as_one_unbroken_rule(serif):
    prep = prepare(parse_markup("品牌——元吉"), [serif])
    i = prep.chars.index("—")
    ink = serif.ink("—")
    first_right = prep.origin_offset[i] + ink[1] * prep.horizontal_scale[i]
    second_left = prep.box_width[i] + prep.gap_width[i] + prep.origin_offset[i + 1] + ink[0] * prep.horizontal_scale[i + 1]
    assert second_left <= first_right + EPS  # the two dashes touch
    assert prep.box_width[i] == prep.box_width[i + 1] == pytest.approx(1.0)


# -- Han–Latin spacing -------------------------------------------------------------------------

def test_quarter_em_between_han_and_latin_not_beside_punctuation(serif):
    prep = prepare(parse_markup("实现了918个组织共11,407名党员，研究“1+4”方案，GDP增长。"), [serif])
    gaps = {(prep.chars[i], prep.chars[i + 1]): prep.gap_width[i] for i in range(prep.n - 1)}
    assert gaps[("了", "9")] == pytest.approx(0.25)
    assert gaps[("8", "个")] == pytest.approx(0.25)
    assert gaps[("7", "名")] == pytest.approx(0.25)
    assert gaps[("P", "增")] == pytest.approx(0.25)
    assert gaps[("“", "1")] == 0 and gaps[("4", "”")] == 0
    assert gaps[("1", ",")] == 0 and gaps[(",", "4")] == 0


def test_an_existing_space_becomes_the_han_latin_gap(serif):
    spaced = prepare(parse_markup("总投资 1560 万元"), [serif])
    joined = prepare(parse_markup("总投资1560万元"), [serif])
    assert spaced.chars == joined.chars
    assert spaced.gap_width == joined.gap_width
    assert spaced.gap_shrink == joined.gap_shrink


def test_no_han_latin_gap_at_a_line_edge(serif):
    text = "开展了革命传统教育101场、形势政策教育99场、先进典型教育132场、警示教育115场次，还组织了测评。"
    found = 0
    for m in measures(8.0, 14.0, 0.25):
        prep, lines, placed = layout(text, serif, m)
        for pl in placed:
            s, e = pl.line.start, pl.line.end
            assert pl.x[0] == pytest.approx(0.0)  # nothing before the first glyph
            if prep.classes[s] == Cls.LATIN:
                found += 1
            if not pl.line.last:
                # the last glyph's box (less any hanging blank) ends exactly at the measure
                assert pl.x[-1] + prep.box_width[e - 1] - pl.end_hang == pytest.approx(m, abs=EPS)
    assert found > 0


# -- faces -------------------------------------------------------------------------------------

def _missing_from(face, other):
    """A printable character `other` has and `face` lacks (read from the fonts' cmaps)."""
    from fontTools.ttLib import TTFont

    mine = set(TTFont(str(face.path), lazy=True).getBestCmap())
    theirs = set(TTFont(str(other.path), lazy=True).getBestCmap())
    for cp in sorted(theirs - mine):
        if cp > 0x2000 and chr(cp).isprintable() and not chr(cp).isspace():
            return chr(cp)
    raise AssertionError("the test fonts cover the same characters; pick another pair")


def test_a_character_the_first_face_lacks_comes_from_the_next(serif, kai):
    ch = _missing_from(serif, kai)
    prep = prepare(parse_markup(f"前文{ch}后文"), [serif, kai])
    assert prep.face[prep.chars.index(ch)] is kai
    assert prep.face[0] is serif
    assert not prep.diagnostics


def test_a_character_no_face_has_is_reported(serif):
    prep = prepare(parse_markup("前文\ue000后文"), [serif])
    assert prep.diagnostics and "U+E000" in prep.diagnostics[0]


def test_a_line_that_cannot_be_justified_is_worse_than_a_short_last_line(serif):
    # 4 characters and two dash pairs on 8 em after a 2-em indent: the only layouts are a lone
    # first character (which cannot fill the line) or a last line of one character and a dash pair
    prep, lines, placed = layout("业业——业——", serif, 8.0, indent=2.0)
    assert texts(prep, lines) == ["业业——", "业——"]
    assert placed[0].width == pytest.approx(8.0, abs=EPS)


def test_opening_marks_at_line_start_may_hang_their_blank_half(serif):
    text = "他说，“我们今天去北京”。她说，“好的”，然后（大家）都笑了《红楼梦》。" * 2
    for m in measures(8.0, 12.0, 0.5):
        prep = prepare(parse_markup(text), [serif])
        full = break_lines(prep, m)
        half = break_lines(prep, m, trim_open=True)
        for ln in full:
            assert ln.trim == 0
        for ln in half:
            pl = place_line(prep, ln, m)
            if prep.chars[ln.start] in "“（《" and ln.start:
                assert ln.trim == pytest.approx(prep.left_blank[ln.start]) and ln.trim > 0.4
                ink_left = pl.x[0] + serif.ink(prep.chars[ln.start])[0]
                assert 0 <= ink_left < 0.2  # the ink starts (nearly) flush with the line
            if not ln.last:
                assert pl.width == pytest.approx(m, abs=EPS)


# -- looseness ---------------------------------------------------------------------------------

def test_looseness_sets_a_paragraph_a_line_longer_or_shorter_within_the_ratio_limit(serif) -> None:
    """TeX's \\looseness, which the page make-up uses to fill a column foot: ±1 gives one line
    more or fewer where the ratio limit allows it, every line still justified to the measure and
    the last one keeping its characters; where no such breaks exist, the best breaks stand."""
    from paiban.cjk.linebreak import CHAR_STRETCH_UNIT, LOOSE_RATIO, MIN_LAST_LINE

    changed = {1: 0, -1: 0}
    for text in article_paragraphs()[:12]:
        prep = prepare(parse_markup(text), [serif])
        best = break_lines(prep, 14.0, indent=2.0)
        for loose in (1, -1):
            lines = break_lines(prep, 14.0, indent=2.0, looseness=loose)
            assert len(lines) in (len(best), len(best) + loose)
            assert "".join(texts(prep, lines)) == "".join(texts(prep, best))
            if len(lines) == len(best):
                assert lines == best
                continue
            changed[loose] += 1
            for ln in lines[:-1]:
                placed = place_line(prep, ln, 14.0)
                assert placed.width == pytest.approx(14.0, abs=EPS)  # justified to the measure
                assert placed.char_space <= LOOSE_RATIO * CHAR_STRETCH_UNIT + EPS  # within the looseness's limit
            last = prep.line_text(lines[-1].start, lines[-1].end)
            assert len([c for c in last if c not in NO_START]) >= MIN_LAST_LINE
    assert changed[1] >= 6 and changed[-1] >= 1, changed
