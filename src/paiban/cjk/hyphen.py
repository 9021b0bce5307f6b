"""Hyphenation points of Latin words (pyphen's patterns), remembered between builds.

pyphen reads a language's whole pattern file when its dictionary is made (about 0.3 s, three
times that on a busy machine), though a Chinese document seldom has a Latin word long enough to
hyphenate, and a warm build has met all of them before. So the points are asked for here, per
word: from the table the layout keeps on disk (`paiban.layout.breakcache`), else from pyphen,
whose dictionary is then loaded once.
"""

from __future__ import annotations

from functools import lru_cache

#: Hyphenation points remembered by "language<TAB>word", set by the layout for a build
#: (`use_hyphen_points`) from a disk cache: a warm build then never loads pyphen's dictionary
#: (about 0.3 s), which `_pyphen` does only when a word no build has met before is hyphenated.
_hyphen_points: dict[str, list[int]] | None = None


def use_hyphen_points(known: dict[str, list[int]] | None) -> None:
    """The table `hyphen_points` reads and fills (None: pyphen every time, in this process)."""
    global _hyphen_points
    _hyphen_points = known


def hyphen_points(lang: str, word: str) -> list[int]:
    """Where pyphen's patterns for `lang` hyphenate `word` (character offsets; none when the
    language has no patterns), from the remembered table when it holds the word."""
    known = _hyphen_points
    key = f"{lang}\t{word}"
    if known is not None and key in known:
        return known[key]
    dic = _pyphen(lang)
    points = list(dic.positions(word)) if dic is not None else []
    if known is not None:
        known[key] = points
    return points


@lru_cache(maxsize=8)
def _pyphen(lang: str):
    """pyphen's dictionary for a language tag (en, en-GB, de-DE …); None when it has none."""
    import pyphen

    name = pyphen.language_fallback(lang.replace("-", "_"))
    return pyphen.Pyphen(lang=name, left=2, right=3) if name else None
