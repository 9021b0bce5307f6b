"""Choosing a page's make-up by trying: when the first layout of a page leaves a column foot empty
(a part heading that needs more room than is left, a float that went on to the next column), the
page is laid out again, drawing nothing, in other ways, and the cheapest is kept.

Two kinds of change are tried, as a compositor would: a float that stood where it was met moves
to the top of the next column (Typst's flow distributes floats the same way: by trying), and a
paragraph of the page is set a line longer or shorter (TeX's `\\looseness`; the breaker keeps
every line within its ratio limit, or the paragraph keeps its best breaks). Each is greedy over a
few rounds with the best so far, so a hole of three lines can be filled by three paragraphs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from reportlab.platypus import Flowable

from paiban.layout.paragraph import CJKParagraph

#: Rounds of each search: floats deferred one by one, then paragraphs loosened one by one.
FLOAT_ROUNDS = 2
LOOSE_ROUNDS = 8
#: Lines a paragraph may be set longer or shorter by the page search (the breaker keeps every
#: line within its ratio limit: a paragraph that cannot take a second line keeps its first).
MAX_LOOSENESS = 2


class Trial(Protocol):
    """What the page layout offers a search: a dry run of the current page with the floats in
    `defer` waiting for the next column, returning the cost of its column feet, and what the
    last run placed on the page."""

    pitch: float

    def trial(self, defer: frozenset[int]) -> float: ...

    def placed(self) -> list[Flowable]: ...


def choose_floats(doc: Trial, here: list[int], start: frozenset[int]) -> tuple[frozenset[int], float]:
    """The set of floats (by id) to move to the next column's top, and its cost: one, then a
    second with the best first. Floats only move forward, at most one column."""
    best_cost = doc.trial(start)
    best = start
    for _round in range(FLOAT_ROUNDS):
        if best_cost == 0:
            break
        base = best
        for fid in here:
            if fid in base:
                continue
            cost = doc.trial(base | {fid})
            if cost < best_cost - 1e-9:
                best_cost, best = cost, base | {fid}
        if best is base:
            break
    return best, best_cost


def loosen(doc: Trial, defer: frozenset[int], cost: float) -> float:
    """Set paragraphs placed on the page a line longer or shorter, and give its floats a line of
    air, while that lowers the cost of its column feet; what is kept stays set on them (the real
    layout reads it)."""
    for _round in range(LOOSE_ROUNDS):
        if cost == 0:
            break
        doc.trial(defer)
        best: tuple[float, Flowable | None, str, int] = (cost, None, "", 0)
        for f in doc.placed():
            for knob, step in _knobs(f, doc.pitch):
                was = getattr(f, knob)
                setattr(f, knob, step)
                trial = doc.trial(defer)
                setattr(f, knob, was)
                if trial < best[0] - 1e-9:
                    best = (trial, f, knob, step)
            if best[0] == 0:
                break
        if best[1] is None:
            break
        cost = best[0]
        setattr(best[1], best[2], best[3])
    return cost


def _knobs(f: Flowable, pitch: float) -> list[tuple[str, int]]:
    """What may be changed on `f` to fill a column: a body paragraph set a line longer or
    shorter (a second line the same way), a float in a column given a line of air (once), its
    photo cropped by a few lines (`images.crop`: so that a float that waits fits here)."""
    from paiban.layout.grid import FloatBlock

    if _loosenable(f, pitch, MAX_LOOSENESS):
        was = f.looseness
        return [("looseness", s) for s in ((1, -1) if not was else (was + (1 if was > 0 else -1),))]
    if not isinstance(f, FloatBlock) or f.wide or f.pitch <= 0:
        return []
    return [("air", 1)] * (not f.air) + [("crop", k) for k in range(1, f.most_crop + 1) if not f.crop]


def feet_cost(doc) -> float:
    """What a page's column feet cost (`pages.BriefingDoc`): each empty line past the first at
    the foot of a column that no break of the spec's ended (the one line the orphan rule may
    cost is free), squared, so that two small gaps beat one large hole."""
    cost = 0.0
    for fr in doc._columns():
        if fr.id in doc._broken:
            continue
        rest = fr._y - fr._y1p + doc._trail.get(str(fr.id), 0.0)  # a space before a part is empty too
        empty = int(rest / doc.pitch + 1e-6) if doc.pitch > 0 else 0
        cost += max(0, empty - 1) ** 2
    return cost


def float_state(floats: list) -> list[tuple]:
    """What a trial run may change on floats (the end of the text sets them `here`, origin kept)."""
    return [(f, f.__dict__.get("placement"), f.__dict__.get("origin_kept")) for f in floats]


def restore_floats(kept: list[tuple]) -> None:
    for f, placement, origin_kept in kept:
        if placement is not None:
            f.placement = placement
        if origin_kept is None:
            f.__dict__.pop("origin_kept", None)


def _loosenable(f: Flowable, pitch: float, most: int = 1) -> bool:
    """A body paragraph (on the grid by its own leading) set fewer than `most` lines looser or
    tighter."""
    return (isinstance(f, CJKParagraph) and abs(f.looseness) < most and abs(f.style.leading - pitch) < 1e-6
            and f.style.align == "justify")


class Balance(Protocol):
    """What the balancing of the last page offers a search (`pages.BriefingDoc`)."""

    pitch: float

    def balance_trial(self, lines: int) -> float | None: ...

    def last_page_story(self) -> list[Flowable]: ...


#: Rounds of paragraphs loosened to even out the last page's column ends.
BALANCE_ROUNDS = 2
#: Column ends (in lines of the frame's fill) this close are even: a column a whole line short
#: reads as a line or more once a float's padding or a smaller line's depth is added to it.
EVEN = 0.99


def even_out(doc: Balance, lines: int, full: int) -> int:
    """The last page balanced to `lines` per column still ends its columns more than a line
    apart (a float or a paragraph's orphan rule stopped a column short): set paragraphs of the
    page a line longer or shorter, and the columns a line shorter or taller, while that brings
    the ends closer. Returns the column height to lay out with (the paragraphs keep their
    looseness)."""
    spread = doc.balance_trial(lines)
    if spread is None or spread < EVEN - 1e-6:
        return lines
    best = (max(0.0, spread - EVEN), lines)
    paras = [f for f in doc.last_page_story() if _loosenable(f, doc.pitch)]
    for _round in range(BALANCE_ROUNDS):
        choice = None
        for para in reversed(paras):
            if para.looseness:
                continue
            for step in (1, -1):
                para.looseness = step
                for height in range(max(1, best[1] - 1), min(full, best[1] + 1) + 1):
                    got = doc.balance_trial(height)
                    if got is None:
                        continue
                    score = (max(0.0, got - EVEN), height)
                    if score < best:
                        best, choice = score, (para, step)
                    break  # the shortest height that holds the page
                para.looseness = 0
        if choice is None:
            break
        choice[0].looseness = choice[1]
        if best[0] <= 1e-6:
            break
    return best[1]


def shortest_fit(fits: Callable[[int], bool], lines: int, guess: int | None) -> int:
    """The fewest lines per column that hold the last page (`lines`, a full column, always
    does: it is what the first pass did). Each probe lays the page out again, so the search
    starts at the even spread and gallops from there (the answer is usually within a line or
    two of it: two or three probes), then bisects what is left. A guess too short (floats
    still waiting are not in it) costs one probe more than bisecting alone."""
    lo, hi = 1, lines
    if guess is not None and lo <= guess < hi:
        if fits(guess):
            hi, step = guess, 1
            while hi - step >= lo:
                if fits(hi - step):
                    hi, step = hi - step, step * 2
                else:
                    lo = hi - step + 1
                    break
        else:
            lo = guess + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi


def balance_guess(current, columns: list, lines: int, pitch: float) -> int | None:
    """Lines per column if the last page's content were spread evenly: what the first pass
    used of the columns up to the current one (top and raised bottom), over all columns."""
    if current not in columns:
        return None
    used = 0.0
    for frame in columns[:columns.index(current) + 1]:
        used += (frame._y2 - frame._topPadding - frame._y) + (frame._y1p - frame._y1 - frame._bottomPadding)
    return min(max(1, -int(-used // (pitch * len(columns)))), lines)
