"""Headlines (and the masthead's title and subtitle) that break between words, in balanced lines.

A headline set like body text breaks wherever the measure runs out, which can split a word
(推进高质 / 量发展). Here the break goes only between words — by the one display-text breaker,
`paiban.cjk.display`: where the editor typed a space, else where a Chinese word segmenter (jieba)
finds a word boundary, never cutting a number from its unit — and a headline that needs two
lines gets two lines of near-equal length, as a sub-editor would set it by hand.
Segmentation is cached on disk: jieba's dictionary costs about half a second to load.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.platypus import Flowable

from paiban.cjk.display import balanced_lines, jieba_words
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


def _jieba_cut(text: str) -> list[str]:
    return list(jieba_words(text))


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
