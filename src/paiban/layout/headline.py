"""Headlines that break between words, in balanced lines.

A headline set like body text breaks wherever the measure runs out, which can split a word
(推进高质 / 量发展). Here the break goes only between words — where the editor typed a space,
else where a Chinese word segmenter (jieba) finds a word boundary — and a headline that needs
two lines gets two lines of near-equal length, as a sub-editor would set it by hand.
Segmentation is cached on disk: jieba's dictionary costs about half a second to load.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from reportlab.platypus import Flowable

from paiban.cjk.chars import no_break_after, no_break_before
from paiban.cjk.face import face_for
from paiban.fonts.face import Face
from paiban.store import JsonCache

_CACHE_FILE = "segments.json"


class Segmenter:
    """Word boundaries of short texts, remembered in `cache_dir/segments.json`."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / _CACHE_FILE if cache_dir else None
        self._file = JsonCache(self.path, _segments, dict)
        self._known: dict[str, list[str]] | None = None
        self._dirty = False

    def _load(self) -> dict[str, list[str]]:
        if self._known is None:
            self._known = self._file.load()
        return self._known

    def words(self, text: str) -> list[str]:
        known = self._load()
        if text not in known:
            known[text] = _jieba_cut(text)
            self._dirty = True
        return known[text]

    def save(self) -> None:
        """Write what was segmented anew; a cache that cannot be written is no error."""
        if self._dirty and self._file.save(self._known, ensure_ascii=False, sort_keys=True):
            self._dirty = False


def _segments(raw: object) -> dict[str, list[str]] | None:
    """segments.json: {text: [word, …]} whose words make up the text; any other entry is dropped
    (segmented again), a file of another shape ignored."""
    if not isinstance(raw, dict):
        return None
    return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, list)
            and all(isinstance(w, str) for w in v) and "".join(v) == k}


@lru_cache(maxsize=256)
def _jieba_cut_cached(text: str) -> tuple[str, ...]:
    global _small_cuts
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    if jieba.dt.initialized or len(text) > _SMALL_MAX_TEXT or _small_cuts >= _SMALL_MAX_CUTS:
        return tuple(jieba.cut(text, HMM=True))
    _small_cuts += 1
    return tuple(_tokenizer_for(text).cut(text, HMM=True))


# jieba's start-up loads all 350,000 words of its dictionary (about 1 s, even from its cache);
# a headline needs only the words inside it (about 0.05 s to find). After this many headlines
# in one process, loading the whole dictionary once is cheaper.
_SMALL_MAX_CUTS = 12
_SMALL_MAX_TEXT = 80
_small_cuts = 0


@lru_cache(maxsize=1)
def _dictionary_total() -> int:
    """The sum of all word frequencies of jieba's dictionary (its `total`)."""
    import re

    return sum(map(int, re.findall(r" (\d+)", _dictionary_text())))


def _dictionary_text() -> str:
    import jieba

    with jieba.dt.get_dict_file() as f:
        return f.read().decode("utf-8")


def _tokenizer_for(text: str):
    """A jieba tokenizer that knows only the dictionary words occurring in `text`.

    jieba segments a text by the frequencies of the words that are substrings of it (and keeps
    every prefix of a word, as jieba's own loader does, so its word graph walks the same way),
    against the whole dictionary's total: with those, it cuts exactly as with the full dictionary.
    """
    import re

    import jieba

    data = _dictionary_text()
    total = _dictionary_total()
    chars = "".join(sorted(set(text) - set(" \t\r\n")))
    freq: dict[str, int] = {}
    if chars:
        for m in re.finditer(r"^([" + re.escape(chars) + r"]+) (\d+)", data, re.M):
            if m.group(1) in text:
                freq[m.group(1)] = int(m.group(2))
    for word in list(freq):
        for k in range(1, len(word)):
            freq.setdefault(word[:k], 0)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return tokenizer


def _jieba_cut(text: str) -> list[str]:
    return list(_jieba_cut_cached(text))


def break_points(text: str, words: Sequence[str]) -> list[int]:
    """Offsets where a line may end: between words, never where the prohibition table forbids
    (before a closing mark or a middle dot, after an opening one: clreq)."""
    points, at = [], 0
    for w in words[:-1]:
        at += len(w)
        if no_break_before(text[at]) or no_break_after(text[at - 1]):
            continue
        points.append(at)
    return points


def balanced_lines(text: str, width: float, measure: Callable[[str], float],
                   words: Callable[[str], Sequence[str]]) -> list[str]:
    """Fewest lines that fit `width`, broken between words, the longest line as short as can be.

    A space the editor typed is a preferred break and is dropped at the break. Returns one
    line when the text fits; the text unbroken when no word break fits (the paragraph engine
    then breaks it by the clreq rules).
    """
    if measure(text) <= width:
        return [text]
    pieces = text.split(" ") if " " in text.strip() else None
    if pieces:
        chunks = [p for p in pieces if p]
        joins = [(sum(len(c) for c in chunks[:i]), True) for i in range(1, len(chunks))]
        flat = "".join(chunks)
        cands = {at for at, _ in joins}
        for i, chunk in enumerate(chunks):  # words inside each chunk, if a chunk is too long
            if measure(chunk) > width:
                base = sum(len(c) for c in chunks[:i])
                cands |= {base + p for p in break_points(chunk, words(chunk))}
    else:
        flat = text
        cands = set(break_points(text, words(text)))
    cuts = sorted(cands)
    n = len(flat)
    # dynamic programme: best[(i)] = (lines, longest) for flat[:i] ending at a cut
    best: dict[int, tuple[int, float, list[int]]] = {0: (0, 0.0, [])}
    for end in [*cuts, n]:
        # Starts nearest first (best's keys ascend): once a line is too wide, every longer one
        # is too, so each end looks back one line's worth of cuts, not all of them (a
        # 3,000-character headline would otherwise take minutes).
        for start in reversed(list(best)):
            k, longest, path = best[start]
            w = measure(flat[start:end])
            if w > width:
                break
            cand = (k + 1, max(longest, w), [*path, end])
            if end not in best or cand[:2] < best[end][:2]:
                best[end] = cand
    if n not in best:
        return [text]
    lines, prev = [], 0
    for end in best[n][2]:
        lines.append(flat[prev:end])
        prev = end
    return lines


class Headline(Flowable):
    """A headline as stacked single-line paragraphs (so every line keeps the engine's rules)."""

    def __init__(self, text: str, faces: Sequence[Face], size: float,
                 make_line: Callable[[str], Flowable], segmenter: Segmenter):
        super().__init__()
        self.text, self.faces, self.size = text, list(faces), size
        self.make_line, self.segmenter = make_line, segmenter
        self._lines: list[Flowable] = []
        self._width = -1.0

    def _measure(self, s: str) -> float:
        total = 0.0
        for ch in s:
            face = face_for(ch, self.faces)
            total += (self.faces[0] if face is None else face).advance(ch)
        return total * self.size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        if aw != self._width:
            texts = balanced_lines(self.text, aw - 0.01, self._measure, self.segmenter.words)
            self._lines = [self.make_line(t) for t in texts]
            self._width = aw
        self.width = aw
        self._heights = [f.wrap(aw, ah)[1] for f in self._lines]
        self.height = sum(self._heights)
        return aw, self.height

    def draw(self) -> None:
        y = self.height
        for f, h in zip(self._lines, self._heights, strict=True):
            y -= h
            f.drawOn(self.canv, 0, y)
