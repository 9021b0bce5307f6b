"""The display-text breaker: where a title, headline, label, caption or table cell may break.

Body text may break between any two Han characters; display text is read at a glance, and a
word cut in two (白鹭|湾, 教|育, 2018|年) stops the eye. So display text breaks only between
words — where the editor typed a space (the preferred break, never printed at a line end), else
where a Chinese word segmenter (jieba) finds a word boundary — and never where clreq's
prohibition table forbids it. Two further rules a sub-editor follows:

* a number keeps its unit or hedge: 1000余条, 10元, 2018年, 12.5%, 3.6万元 (the digits and the
  word after them are one unit);
* a line does not end with a preposition or conjunction cut from its object (把|支部, 在|全县).

Every kind of display text (masthead, headlines, kickers, facts, captions, chart labels, table
cells, running heads, contents rows) goes through `units` or `break_points` here, so they break
alike. The word list comes from a callable (the layout's disk-cached segmenter) or from jieba.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import combinations

from paiban.cjk.chars import is_han, no_break_after, no_break_before
from paiban.cjk.items import Prepared

#: One-character words that bind to the word after them (prepositions, conjunctions, 把/被).
CLINGING = frozenset("把被在从对向与和及为将给由跟同让于以")
_NUMBER_END = re.compile(r"[0-9０-９][%％‰]?$")
_LIST_NUMBER = re.compile(r"[0-9０-９]{1,2}[.．、]|[（(][0-9一二三四五六七八九十]{1,2}[)）]")
_INSERTION = re.compile(r"[（(][^（()）]{1,3}[)）]")
_LATIN = re.compile(r"[A-Za-z0-9.,%+\-/·:'@_&=?#]+")

Words = Callable[[str], Sequence[str]]
#: Where words come from when a caller names no segmenter: set by the layout to its disk-cached
#: segmenter for a build (`use_words`), so display text costs jieba nothing on a warm cache.
_words_source: Words | None = None


def use_words(words: Words | None) -> None:
    """The segmenter `units` uses by default (None: jieba, in this process only)."""
    global _words_source
    _words_source = words


@lru_cache(maxsize=4096)
def jieba_words(text: str) -> tuple[str, ...]:
    """jieba's segmentation of `text`, with a dictionary of only the words inside it (see
    `_tokenizer_for`), or with jieba's own when something in this process has loaded it."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    if jieba.dt.initialized:
        return tuple(jieba.dt.cut(text, HMM=True))
    return tuple(_tokenizer_for(text).cut(text, HMM=True))


class _Dictionary:
    """jieba's dictionary as its lines sorted, searched by bisection.

    jieba's own start-up turns all 349,000 lines into a dict of words and every prefix of a
    word (about 1 s of CPU, or 0.5 s from a marshal cache it reads and writes in the temp
    folder: a file outside the project that another local user can plant or swap). Segmenting
    a text needs only the entries that are substrings of it; in the sorted lines a string is a
    word or a prefix of one exactly when the first line not below it starts with it, so finding
    them costs a few bisections per character (the lines come almost sorted: sorting them is
    about 10 ms).
    """

    def __init__(self, raw: bytes) -> None:
        self.data = data = raw.decode("utf-8")
        self.lines = data.splitlines()
        self.lines.sort()
        #: the sum of every line's frequency, as jieba's loader adds them (a word listed twice
        #: twice): read off 349,000 lines it costs 0.2 s, so the dictionary jieba ships is known
        total = _KNOWN_TOTALS.get((len(raw), zlib.crc32(raw)))
        self.total = total if total is not None else sum(map(int, re.findall(r" (\d+)", data)))

    def freq(self, word: str) -> int | None:
        """jieba's FREQ entry for `word` (no spaces): its frequency when it is a word (the last
        line's, as jieba's loader overwrites), 0 when it is only the prefix of one, else None."""
        lines = self.lines
        at = bisect_left(lines, word)
        if at == len(lines) or not lines[at].startswith(word):
            return None
        head = word + " "
        at = bisect_left(lines, head, at)
        if at == len(lines) or not lines[at].startswith(head):
            return 0
        if at + 1 < len(lines) and lines[at + 1].startswith(head):  # listed twice: the last line's
            last = self.data.rfind("\n" + head)
            line = self.data[last + 1:self.data.find("\n", last + 1)] if last >= 0 else lines[at]
            return int(line.split(" ")[1])
        return int(lines[at].split(" ")[1])


@lru_cache(maxsize=1)
def _dictionary() -> _Dictionary:
    import jieba

    with jieba.dt.get_dict_file() as f:
        return _Dictionary(f.read())


#: (size, CRC-32) of a dictionary file → the sum of its frequencies: jieba 0.42.1's dict.txt
#: (tests/layout/test_headline_words.py checks the sum against the file's own)
_KNOWN_TOTALS = {(5071852, 328468845): 60101967}


def _dictionary_total() -> int:
    """The sum of all word frequencies of jieba's dictionary (its `total`)."""
    return _dictionary().total


def _tokenizer_for(text: str):
    """A jieba tokenizer that knows only the dictionary entries that are substrings of `text`.

    jieba segments a text by the frequencies of the words that are substrings of it, walking
    from each character while the string so far is a word or the prefix of one (`get_DAG`),
    against the whole dictionary's total: given exactly those entries of its dictionary (words
    with their frequency, prefixes with 0), it cuts exactly as with the whole dictionary.
    """
    import jieba

    dictionary = _dictionary()
    freq: dict[str, int] = {}
    n = len(text)
    for k in range(n):
        if text[k].isspace():
            continue
        for i in range(k + 1, n + 1):
            frag = text[k:i]
            if frag in freq:
                continue
            if frag[-1].isspace():
                break
            f = dictionary.freq(frag)
            if f is None:
                break
            freq[frag] = f
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, dictionary.total, True
    return tokenizer


def units(text: str, words: Words | None = None) -> list[str]:
    """`text` as unbreakable units, in order (their concatenation is `text`): words as the
    segmenter finds them, merged where a break would cut a number from its unit, a preposition
    from its object, or fall where clreq forbids; white space is a unit of its own."""
    out: list[str] = []
    for piece in re.split(r"(\s+)", text):
        if not piece:
            continue
        if piece.isspace():
            out.append(piece)
            continue
        segs = list((words or _words_source or jieba_words)(piece)) if any(is_han(c) for c in piece) else [piece]
        if "".join(segs) != piece:
            segs = [piece]
        merged: list[str] = []
        for w in segs:
            if merged and _glued(merged[-1], w):
                merged[-1] += w
            else:
                merged.append(w)
        out.extend(_suffixes(merged))
    # "3. 数字乡村": a list number keeps its space and the word after it
    k = 0
    while k + 2 < len(out):
        if _LIST_NUMBER.fullmatch(out[k]) and out[k + 1] == " " and not k:
            out[k:k + 3] = ["".join(out[k:k + 3])]
        k += 1
    return out


def _suffixes(us: list[str]) -> list[str]:
    """A one-character word after a word is its suffix (白鹭湾, 普及率, 产业链上), and a short
    bracketed insertion inside a word stays in it (党（工）委)."""
    out: list[str] = []
    for u in us:
        if out and len(u) == 1 and is_han(u) and u not in CLINGING and is_han(out[-1][-1]) \
                and not (len(out[-1]) == 1 and out[-1] in CLINGING):
            out[-1] += u
        elif len(out) >= 2 and _INSERTION.fullmatch(out[-1]) and is_han(out[-2][-1]) and is_han(u[0]):
            ins = out.pop()
            out[-1] += ins + u
        else:
            out.append(u)
    return out


def _glued(a: str, b: str) -> bool:
    """No break between unit `a` and the next unit `b`."""
    if no_break_before(b[0]) or no_break_after(a[-1]):
        return True
    if _NUMBER_END.search(a) and not b[0].isspace() and not _LATIN.match(b[0]):
        return True  # 1000|余条, 2018|年, 10|元: the number keeps its unit
    if _LATIN.fullmatch(a) and _LATIN.match(b[0]):
        return True  # a Latin word or number the segmenter cut (5G, 12.5%)
    return len(a) == 1 and a in CLINGING and is_han(b[0])


def break_points(text: str, words: Words | None = None) -> list[int]:
    """Offsets in `text` where a display line may end (after a unit; a space is dropped there)."""
    points, at = [], 0
    us = units(text, words)
    for u in us[:-1]:
        at += len(u)
        points.append(at)
    return points


def balanced_lines(text: str, width: float, measure: Callable[[str], float],
                   words: Words | None = None) -> list[str]:
    """Fewest lines that fit `width`, broken between units only, the longest line as short as can be.

    A space the editor typed is the preferred break: when the text breaks at all, it breaks there
    first if the pieces fit, and the space is never printed at a line end (nor at a line start).
    Returns one line when the text fits; the text unbroken when no break fits (the paragraph
    engine then breaks it by the clreq rules).
    """
    if measure(text) <= width:
        return [text]
    us = units(text.strip(), words)
    spaces = {i for i, u in enumerate(us) if u.isspace()}
    if spaces:
        # the editor's spaces first: chunks between them, each broken further only if too long
        chunks: list[list[str]] = [[]]
        for i, u in enumerate(us):
            if i in spaces:
                chunks.append([])
            else:
                chunks[-1].append(u)
        lines: list[str] = []
        for chunk in chunks:
            t = "".join(chunk)
            if not t:
                continue
            lines += [t] if measure(t) <= width else _balance(chunk, width, measure)
        return lines
    return _balance(us, width, measure)


def _balance(us: Sequence[str], width: float, measure: Callable[[str], float]) -> list[str]:
    flat = "".join(us)
    cuts, at = [], 0
    for u in us[:-1]:
        at += len(u)
        cuts.append(at)
    n = len(flat)
    # best[end] = (lines, longest, path) for flat[:end] ending at a cut
    best: dict[int, tuple[int, float, list[int]]] = {0: (0, 0.0, [])}
    for end in [*cuts, n]:
        # starts nearest first: once a line is too wide, every longer one is too
        for start in reversed(list(best)):
            k, longest, path = best[start]
            w = measure(flat[start:end])
            if w > width:
                break
            cand = (k + 1, max(longest, w), [*path, end])
            if end not in best or cand[:2] < best[end][:2]:
                best[end] = cand
    if n not in best:
        return [flat]
    lines, prev = [], 0
    for end in best[n][2]:
        lines.append(flat[prev:end])
        prev = end
    return lines


def keep_words_whole(p: Prepared, words: Words | None = None) -> None:
    """Close the breaks inside the words of a prepared paragraph, for display text set by the
    paragraph engine (captions, credits, running heads): the same units as `units`. A word longer
    than the whole line is still broken, by the line breaker's over-long-run rule, with a warning."""
    text = p.text
    bounds: set[int] = set()
    at = 0
    for u in units(text, words):
        at += len(u)
        bounds.add(at)
        if u.isspace():
            bounds.add(at - len(u))
    src, brk = p.source, p.break_penalty
    for i in range(p.n - 1):
        if brk[i] is None:
            continue
        if not any(b in bounds for b in range(src[i] + 1, src[i + 1] + 1)):
            brk[i] = None


def trapezoid_lines(text: str, width: float, measure: Callable[[str], float],
                    words: Words | None = None) -> list[str]:
    """A 公文 title's lines (GB/T 9704 §7.3.1: 梯形或菱形): as many as `balanced_lines` gives,
    broken between units only, each line no longer than the one under it (a trapezoid, shorter
    on top), the longest as short as can be; the balanced lines when no such shape fits."""
    balanced = balanced_lines(text, width, measure, words)
    k = len(balanced)
    if k == 1:
        return balanced
    us = [u for u in units(text.strip(), words) if not u.isspace()]
    flat = "".join(us)
    cuts, at = [], 0
    for u in us[:-1]:
        at += len(u)
        cuts.append(at)
    if len(cuts) > 60:  # not a title: leave it balanced
        return balanced
    best: tuple[float, list[str]] | None = None
    for chosen in combinations(cuts, k - 1):
        bounds = [0, *chosen, len(flat)]
        lines = [flat[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        ws = [measure(s) for s in lines]
        if max(ws) > width or any(a > b + 1e-6 for a, b in zip(ws, ws[1:], strict=False)):
            continue
        if best is None or max(ws) < best[0]:
            best = (max(ws), lines)
    return best[1] if best else balanced
