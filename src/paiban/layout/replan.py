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
#: Other sets of floats to move on that the paragraph knobs are tried with, when the best set
#: alone leaves a cost (`plan_page`).
ALT_FLOATS = 2
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


def plan_page(doc: Trial, here: list[int], start: frozenset[int]) -> frozenset[int]:
    """The floats (by id) to move to the next column's top, with paragraphs and floats of the
    page set (`loosen`) to lower the cost of its column feet. Floats are chosen first, greedily;
    when the knobs cannot bring the best set to nothing, the next sets by cost are tried with
    the knobs too (a float moved on may leave a column that loosening fills, where the set that
    was best alone left none), and the cheapest wins."""
    tried: dict[frozenset[int], float] = {}
    defer, cost = choose_floats(doc, here, start, tried)
    if cost == 0:
        return defer
    cost, changes = loosen(doc, defer, cost)
    others = sorted(((c, d) for d, c in tried.items() if d != defer and c < float("inf")), key=lambda t: t[0])
    for first, alt in others[:ALT_FLOATS]:
        if cost == 0:
            break
        _undo(changes)
        got, alt_changes = loosen(doc, alt, first)
        if got < cost - 1e-9:
            defer, cost, changes = alt, got, alt_changes
        else:
            _undo(alt_changes)
            _redo(changes)
    return defer


def choose_floats(doc: Trial, here: list[int], start: frozenset[int],
                  tried: dict[frozenset[int], float] | None = None) -> tuple[frozenset[int], float]:
    """The set of floats (by id) to move to the next column's top, and its cost: one, then a
    second with the best first. Floats only move forward, at most one column. `tried` gets
    every set tried and its cost."""
    tried = {} if tried is None else tried
    best_cost = tried[start] = doc.trial(start)
    best = start
    for _round in range(FLOAT_ROUNDS):
        if best_cost == 0:
            break
        base = best
        for fid in here:
            if fid in base:
                continue
            cost = tried[base | {fid}] = doc.trial(base | {fid})
            if cost < best_cost - 1e-9:
                best_cost, best = cost, base | {fid}
        if best is base:
            break
    return best, best_cost


Change = tuple[Flowable, str, int, int]  # a knob set on a flowable: (flowable, knob, was, now)


def loosen(doc: Trial, defer: frozenset[int], cost: float) -> tuple[float, list[Change]]:
    """Set paragraphs placed on the page a line longer or shorter, and give its floats a line of
    air, while that lowers the cost of its column feet; what is kept stays set on them (the real
    layout reads it). Returns the cost reached and the changes kept, in order."""
    changes: list[Change] = []
    for _round in range(LOOSE_ROUNDS):
        if cost == 0:
            break
        doc.trial(defer)
        best: tuple[float, Flowable | None, str, int] = (cost, None, "", 0)
        for f in map(_knob_owner, doc.placed()):
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
        changes.append((best[1], best[2], getattr(best[1], best[2]), best[3]))
        setattr(best[1], best[2], best[3])
    return cost, changes


def _undo(changes: list[Change]) -> None:
    for f, knob, was, _now in reversed(changes):
        setattr(f, knob, was)


def _redo(changes: list[Change]) -> None:
    for f, knob, _was, now in changes:
        setattr(f, knob, now)


def _knob_owner(f: Flowable) -> Flowable:
    """What carries the knobs of `f`: a paragraph tied to the block kept after it (a credit, a
    signature: `grid.Tied`) is loosened as any other."""
    from paiban.layout.grid import Tied

    return f.head if isinstance(f, Tied) else f


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


#: What a column ending one line short costs: the line the orphan rule may cost is no reason to
#: lay a page out again (`REPLAN_AT`), but where a page is searched anyway, the make-up that
#: ends fewer columns short wins, and a column a line short that ends with a body line beats one
#: that ends with a credit, a caption or a float (their smaller type or air read as more than a
#: line empty).
SHORT_COST = 0.01
#: The cost of a page's feet from which it is laid out again: a column a line short is not enough.
REPLAN_AT = 1.0


def feet_cost(doc) -> float:
    """What a page's column feet cost (`pages.BriefingDoc`): each empty line past the first at
    the foot of a column that no break of the spec's ended (the one line the orphan rule may
    cost is nearly free, `SHORT_COST`), squared, so that two small gaps beat one large hole."""
    cost = 0.0
    for fr in doc._columns():
        if fr.id in doc._broken:
            continue
        rest = fr._y - fr._y1p + doc._trail.get(str(fr.id), 0.0)  # a space before a part is empty too
        empty = int(rest / doc.pitch + 1e-6) if doc.pitch > 0 else 0
        if empty == 1:
            cost += SHORT_COST if _loosenable(doc._ends.get(str(fr.id)), doc.pitch, 99) else 2 * SHORT_COST
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
    page a line longer or shorter, crop its photos by a line or more (`images.crop`), and the
    columns a line shorter or taller, while that brings the ends closer. Returns the column
    height to lay out with (the paragraphs and photos keep what was set on them)."""
    spread = doc.balance_trial(lines)
    if spread is None or spread < EVEN - 1e-6:
        return lines
    best = (max(0.0, spread - EVEN), lines)
    knobs = _balance_knobs(doc.last_page_story(), doc.pitch)
    for _round in range(BALANCE_ROUNDS):
        choice = None
        for f, knob, steps in knobs:
            if getattr(f, knob):
                continue
            for step in steps:
                setattr(f, knob, step)
                for height in range(max(1, best[1] - 1), min(full, best[1] + 1) + 1):
                    got = doc.balance_trial(height)
                    if got is None:
                        continue
                    score = (max(0.0, got - EVEN), height)
                    if score < best:
                        best, choice = score, (f, knob, step)
                    break  # the shortest height that holds the page
                setattr(f, knob, 0)
        if choice is None:
            break
        setattr(*choice)
        if best[0] <= 1e-6:
            break
    return best[1]


def _balance_knobs(story: list[Flowable], pitch: float) -> list[tuple[Flowable, str, tuple[int, ...]]]:
    """What `even_out` may set on the last page: its body paragraphs a line longer or shorter
    (the last first: they move the column ends most directly), its photos cropped by whole lines."""
    from paiban.layout.grid import FloatBlock

    owners = list(map(_knob_owner, story))
    out = [(f, "looseness", (1, -1)) for f in reversed(owners) if _loosenable(f, pitch)]
    return out + [(f, "crop", tuple(range(1, f.most_crop + 1))) for f in owners
                  if isinstance(f, FloatBlock) and not f.wide and f.most_crop]


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
