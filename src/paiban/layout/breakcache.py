"""Line breaks remembered between builds, so a warm build does not break its paragraphs again.

Total-fit line breaking weighs every way of setting a paragraph; for the default briefing it is
the largest part of the text engine's work, and a warm build (nothing changed) would find the
very same breaks again. A paragraph's breaks depend only on its measured glyphs (the arrays of
`Prepared` that the breaker reads), the measure and the breaking options, and the breaker's own
code — so those, hashed, are the key, and the lines (with any warning the breaker issued) the
value. A changed character, font, style, spacing rule or breaker makes a new key; the entries
used least recently are dropped once the file holds MAX_ENTRIES.

The cache is used only inside `remembered(path)` (the render stage); elsewhere — tests, the
preview, any flowable made on its own — paragraphs are broken as usual.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from paiban.cjk import chars as _chars
from paiban.cjk import items as _items
from paiban.cjk import linebreak as _linebreak
from paiban.cjk.hyphen import use_hyphen_points
from paiban.cjk.items import Prepared
from paiban.cjk.linebreak import CJKLayoutWarning, Line, break_lines
from paiban.store import JsonCache, code_digest, note_ignored

FILE_NAME = "linebreaks.json"
#: Hyphenation points of the Latin words met, beside it (see `paiban.cjk.hyphen.hyphen_points`).
HYPHENATION_FILE = "hyphenation.json"
#: Paragraphs remembered at most (about 230 bytes each; the default briefing has 62).
MAX_ENTRIES = 1000
#: Words whose hyphenation points are remembered at most (past it, new words are not written).
MAX_WORDS = 20000
_FORMAT = b"paiban linebreaks 1"


class BreakCache:
    """Breaks by key, read from and written to one JSON file (missing or unreadable: empty)."""

    def __init__(self, path: Path | None):
        self.path = path
        self._file = JsonCache(path, _entries, dict)
        self._known: dict[str, list] = self._file.load()
        self._used: dict[str, list] = {}
        self._dirty = False
        self._hyphen_file = JsonCache(path.with_name(HYPHENATION_FILE) if path else None, _points, dict)
        self.hyphen_points: dict[str, list[int]] = self._hyphen_file.load()
        self._hyphen_count = len(self.hyphen_points)

    def get(self, key: str) -> tuple[list[Line], list[str]] | None:
        entry = self._known.get(key)
        if entry is None:
            return None
        try:
            rows, notes = entry
            lines = [Line(int(s), int(e), float(ind), bool(last), float(trim)) for s, e, ind, last, trim in rows]
            notes = [str(n) for n in notes]
        except (TypeError, ValueError):
            return None  # not what this version writes: break again
        self._used[key] = entry
        return lines, notes

    def put(self, key: str, lines: list[Line], notes: list[str]) -> None:
        entry = [[[ln.start, ln.end, ln.indent, ln.last, ln.trim] for ln in lines], list(notes)]
        self._known[key] = self._used[key] = entry
        self._dirty = True

    def save(self) -> None:
        """Write the cache if this build broke anything anew: the entries it used last (the most
        recent), after those of other builds (another spec in the folder), at most MAX_ENTRIES
        in all. A cache that cannot be written is not an error (the next build breaks again)."""
        if len(self.hyphen_points) != self._hyphen_count and len(self.hyphen_points) <= MAX_WORDS:
            if self._hyphen_file.save(self.hyphen_points, ensure_ascii=False, separators=(",", ":")):
                self._hyphen_count = len(self.hyphen_points)
        if not (self._dirty and self.path):
            return
        entries = {k: v for k, v in self._known.items() if k not in self._used}
        entries.update(self._used)
        if len(entries) > MAX_ENTRIES:
            entries = dict(list(entries.items())[len(entries) - MAX_ENTRIES:])
        if self._file.save(entries, separators=(",", ":")):
            self._dirty = False


def _entries(raw: object) -> dict[str, list] | None:
    """linebreaks.json: {key: [rows, notes]}; an entry of another shape is dropped here, and one
    whose rows do not read back is broken again (`BreakCache.get`)."""
    if not isinstance(raw, dict):
        return None
    return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, list) and len(v) == 2}


def _points(raw: object) -> dict[str, list[int]] | None:
    """hyphenation.json: {"lang<TAB>word": [offset, …]} with offsets inside the word; any other
    entry is dropped (the word is hyphenated by pyphen again)."""
    if not isinstance(raw, dict):
        return None
    return {k: v for k, v in raw.items() if isinstance(k, str) and "\t" in k and isinstance(v, list)
            and all(type(i) is int and 0 < i < len(k.split("\t", 1)[1]) for i in v)}


def _fits(lines: list[Line], start: int, stop: int) -> bool:
    """Whether remembered lines could be a break of glyphs [start, stop): in order, inside them,
    the last ending at `stop`, indents and trims finite."""
    if not lines or len(lines) > max(stop - start, 0) + 1:
        return False
    at = start
    for ln in lines:
        if not (at <= ln.start <= ln.end <= stop) or not (math.isfinite(ln.indent) and math.isfinite(ln.trim)):
            return False
        at = ln.end
    return lines[-1].end == stop


_current: ContextVar[BreakCache | None] = ContextVar("paiban_break_cache", default=None)


@contextmanager
def remembered(path: Path | None) -> Iterator[BreakCache]:
    """Paragraphs broken inside the block use (and fill) the cache at `path`; the caller saves
    it when the build has succeeded."""
    cache = BreakCache(path)
    token = _current.set(cache)
    use_hyphen_points(cache.hyphen_points)
    try:
        yield cache
    finally:
        use_hyphen_points(None)
        _current.reset(token)


def break_paragraph(p: Prepared, measure: float, *, start: int, stop: int, indent: float, justify: bool,
                    trim_open: bool, diagnostics: list[str], warn: bool = True, looseness: int = 0) -> list[Line]:
    """`break_lines`, answered from the build's cache when these very glyphs were broken before."""
    cache = _current.get()
    if cache is None:
        return break_lines(p, measure, start=start, stop=stop, indent=indent, justify=justify,
                           trim_open=trim_open, diagnostics=diagnostics, warn=warn, looseness=looseness)
    key = break_key(p, measure, start, stop, indent, justify, trim_open, looseness)
    hit = cache.get(key)
    if hit is not None and not _fits(hit[0], start, p.n if stop is None else stop):
        hit = None  # an entry edited by hand: glyphs out of range, out of order, lengths not finite
        note_ignored(cache.path or "linebreaks", "an entry whose lines are not a break of its paragraph")
    if hit is not None:
        lines, notes = hit
        for msg in notes if warn else ():
            warnings.warn(msg, CJKLayoutWarning, stacklevel=2)  # where break_lines points: the caller
        diagnostics.extend(notes)
        return lines
    notes: list[str] = []
    lines = break_lines(p, measure, start=start, stop=stop, indent=indent, justify=justify,
                        trim_open=trim_open, diagnostics=notes, warn=warn, looseness=looseness)
    cache.put(key, lines, notes)
    diagnostics.extend(notes)
    return lines


def break_key(p: Prepared, measure: float, start: int, stop: int, indent: float, justify: bool,
              trim_open: bool, looseness: int = 0) -> str:
    """Everything `break_lines` reads, hashed: the prefix sums of widths and shrinks, the gaps'
    stretch classes and the glyph classes (the other sums), the break penalties, the blank
    halves of marks, the characters and where they stood in the source (named in warnings)."""
    # the breaker's source (and the tables it reads from items and chars): an edit is a new key
    h = hashlib.blake2b(code_digest(_linebreak, _items, _chars, salt=_FORMAT).encode(), digest_size=20)
    h.update(repr((measure, start, stop, indent, justify, trim_open, p.n)).encode())
    if looseness:
        h.update(f"looseness {looseness}".encode())
    h.update("".join(p.chars).encode("utf-8", "surrogatepass"))
    h.update(array("d", p.prefix_width))
    h.update(array("d", p.prefix_shrink))
    h.update(array("d", p.gap_width))
    h.update(array("d", p.end_extra))
    if trim_open:
        h.update(array("d", p.left_blank))
    h.update(bytes(p.gap_class))
    h.update(bytes(p.classes))
    h.update(array("q", p.source))
    h.update(array("d", [-1.0 if b is None else b for b in p.break_penalty]))
    return h.hexdigest()
