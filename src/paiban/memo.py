"""What one watch session keeps from build to build, keyed by content: a memo, never a cache on disk.

`paiban watch` rebuilds in one process; after a one-paragraph edit almost every paragraph, chart
and facts box is what it was in the last build. The expensive, pure steps — measuring a
paragraph's glyphs, breaking and placing its lines, writing its text object, drawing a chart's
vector shapes — look here first, under a key made of everything their result depends on (the text,
the style with its face objects, the measure; for PDF operators also the glyph codes and font
resource names the document gave, which depend on what was drawn before). A key that matches
means the very same result, so a memo never changes the output: a watch rebuild writes the bytes a
fresh `paiban build` writes (tests/cli/test_watch_memo.py holds it to that).

Only a session turns memos on (`session()`, entered by `paiban watch`); a one-off build, the tests
and `paiban validate` run without, so a memo costs them nothing. Memory stays bounded over a long
session: every table holds at most `limit` units of weight (glyphs, operators, shapes) and drops
the entries used least recently past it; and `next_build()` forgets what the last `KEEP_BUILDS`
builds have not used (the old versions of an edited paragraph).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

#: An entry no build among the last KEEP_BUILDS has used is dropped (an undo still finds it).
KEEP_BUILDS = 3


class Memo:
    """One table: key → value, each with a weight; least recently used first out past `limit`."""

    __slots__ = ("name", "limit", "weight", "_entries", "hits", "misses")

    def __init__(self, name: str, limit: int):
        self.name = name
        self.limit = limit
        self.weight = 0
        # key → [value, weight, build it was last used in]
        self._entries: OrderedDict[Hashable, list] = OrderedDict()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        entry[2] = _state.build
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: Hashable, value: Any, weight: int = 1) -> Any:
        """Keep `value` under `key` (a value heavier than the whole table is not kept); returns it."""
        if weight > self.limit:
            return value
        old = self._entries.pop(key, None)
        if old is not None:
            self.weight -= old[1]
        self._entries[key] = [value, weight, _state.build]
        self.weight += weight
        while self.weight > self.limit:
            _, (_, w, _) = self._entries.popitem(last=False)
            self.weight -= w
        return value

    def sweep(self, oldest: int) -> None:
        """Drop the entries last used before build `oldest`."""
        stale = [k for k, (_, _, used) in self._entries.items() if used < oldest]
        for k in stale:
            self.weight -= self._entries.pop(k)[1]

    def clear(self) -> None:
        self._entries.clear()
        self.weight = 0


class _State:
    active = False
    build = 0
    tables: dict[str, Memo] = {}


_state = _State()


def table(name: str, limit: int) -> Memo | None:
    """The session's table `name` (made with `limit` on first use); None outside a session."""
    if not _state.active:
        return None
    t = _state.tables.get(name)
    if t is None:
        t = _state.tables[name] = Memo(name, limit)
    return t


def active() -> bool:
    return _state.active


def next_build() -> None:
    """A build begins: what the last KEEP_BUILDS builds did not use is forgotten."""
    _state.build += 1
    for t in _state.tables.values():
        t.sweep(_state.build - KEEP_BUILDS)


def stats() -> dict[str, tuple[int, int, int, int]]:
    """Per table: entries, weight, hits, misses (for the benchmark and the tests)."""
    return {n: (len(t), t.weight, t.hits, t.misses) for n, t in _state.tables.items()}


@contextmanager
def session() -> Iterator[None]:
    """Memos on for the builds inside (one per process: the tables are the process's)."""
    was = _state.active
    _state.active = True
    try:
        yield
    finally:
        _state.active = was
        if not was:
            for t in _state.tables.values():
                t.clear()
            _state.tables.clear()


def remembered(name: str, limit: int, key: Hashable, make: Callable[[], Any],
               weight: Callable[[Any], int] = lambda _v: 1) -> Any:
    """`make()`, or what it made for `key` earlier in the session."""
    t = table(name, limit)
    if t is None:
        return make()
    value = t.get(key)
    if value is None:
        value = make()
        t.put(key, value, weight(value))
    return value
