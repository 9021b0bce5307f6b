"""YAML text → (node tree, data), safely: libyaml's speed with the pure-Python loader's behaviour.

PyYAML's pure-Python scanner and parser take ~35 ms for the default report.yaml, most of a warm
build's spec stage; libyaml (`yaml._yaml.CParser`) produces the same events in ~3 ms. Only the
events come from C: the node tree is composed and constructed by the same Python code either
way, so the refusals that make a hand-edited spec safe (depth, alias count, alias expansion,
duplicate keys, unknown tags) are the same code on both paths.

libyaml and the pure loader disagree in a few corners (found by differential fuzzing, pinned by
tests/spec/test_safeyaml.py): tabs, which the pure scanner refuses in places libyaml allows;
byte-order marks, which libyaml skips at any line start; `?` inside a plain scalar in a flow
collection (libyaml ≥ 0.2.5 allows it); an empty value in a flow collection, which the two place
one column apart; the non-specific tag `!`; and the line of a mark at the very end of a text
without a final newline. Texts with a tab or BOM go to the pure loader at once; the others are
detected while composing or fixed (the end marks). One difference is left, as nothing reads it:
an indentless block sequence (`items:` then `- a` at the key's indent) has `flow_style` False,
not None. Any error at all on the fast path also
re-runs the pure loader, so every message, and the line and column in it, is the one the pure
loader gives. The fast path therefore only ever changes how long a valid spec takes to read.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.error import Mark
from yaml.resolver import Resolver

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the pure loader does everything
    CParser = None

MAX_ALIASES = 1000
MAX_DEPTH = 100
MAX_EXPANSION = 100_000  # values that aliases may add to a document when expanded

# Timestamps stay strings: an editor's "2020-06-02" is text, not a datetime object.
_RESOLVERS = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


class Refused(Exception):
    """Valid YAML that a spec may not contain (too deep, too many aliases, a duplicate key…)."""

    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Diverged(Exception):
    """The fast path met a corner where libyaml and the pure loader disagree."""


class _Checks:
    """What both loaders refuse: shared by the pure-Python and the libyaml-backed loader."""

    yaml_implicit_resolvers = _RESOLVERS

    def _start_checks(self) -> None:
        self.aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise Refused(f"more than {MAX_ALIASES} aliases (*name); refusing to expand them", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise Refused(f"nesting deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):  # noqa: ANN001
        # An explicit tag with a value it cannot hold (`!!int abc`, `!!timestamp 2020-02-30`,
        # `!!set [1]`) makes PyYAML's constructors raise ValueError, KeyError, TypeError…
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, Refused, RecursionError):
            raise
        except (ValueError, LookupError, TypeError, AttributeError, ArithmeticError):
            tag = str(node.tag).rsplit(":", 1)[-1]
            value = node.value if isinstance(node, yaml.ScalarNode) else f"a {node.id}"
            if tag == "int" and isinstance(value, str) and len(value) > 80:  # Python's int digit limit
                raise Refused(f"a number of {len(value):,} digits; at most 4,300 are read", node.start_mark) from None
            shown = repr(value) if len(value) <= 80 else f"{value[:40]!r}…({len(value):,} characters)"
            raise Refused(f"!!{tag} cannot hold {shown}; remove the tag or fix the value",
                          node.start_mark) from None

    def construct_mapping(self, node, deep=False):  # noqa: ANN001
        if not isinstance(node, yaml.MappingNode):  # `!!map [1]`, `!!set x`: PyYAML says what is wrong
            return super().construct_mapping(node, deep=deep)
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                if key in seen and key != "<<":
                    raise Refused(f"duplicate key {key!r} (first at line {seen[key].start_mark.line + 1})",
                                  key_node.start_mark)
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


class PureLoader(_Checks, yaml.SafeLoader):
    """PyYAML's pure-Python SafeLoader with the spec's refusals: the reference behaviour."""

    def __init__(self, text: str):
        super().__init__(text)  # raises ReaderError for a control character
        self._start_checks()


if CParser is not None:
    class FastLoader(_Checks, Composer, CParser, SafeConstructor, Resolver):
        """libyaml's events, composed and constructed in Python exactly as `PureLoader` does.

        libyaml's marks are C objects without the text; each node gets a `yaml.Mark` like the
        pure loader's (with `buffer` and `pointer`, which locate a character inside a scalar).
        """

        def __init__(self, text: str):
            CParser.__init__(self, text)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start_checks()
            self._flow = 0
            self._buffer = text + "\0"  # what the pure reader's marks hold
            self._end = len(text)
            self._end_at: tuple[int, int] | None = None
            if text and not text.endswith(_BREAKS):  # libyaml puts the end on a line of its own
                self._end_at = _end_of(text)

        def compose_node(self, parent, index):  # noqa: ANN001
            event = self.peek_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.tag == "!" or (self._flow and event.style == "" and (not event.value or "?" in event.value)):
                    raise _Diverged
                node = super().compose_node(parent, index)
            elif (kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent) and event.flow_style:
                self._flow += 1
                try:
                    node = super().compose_node(parent, index)
                finally:
                    self._flow -= 1
            else:
                node = super().compose_node(parent, index)
            if type(node.start_mark) is not Mark:  # an alias returns a node already converted
                node.start_mark = self._mark(node.start_mark)
            if type(node.end_mark) is not Mark:
                node.end_mark = self._mark(node.end_mark)
            if kind is yaml.ScalarEvent and node.style == "":
                node.style = None  # plain, as the pure parser writes it
            return node

        def _mark(self, cmark: Any) -> Mark:
            i = cmark.index
            if i == self._end and self._end_at is not None:
                return Mark("<unicode string>", i, *self._end_at, self._buffer, i)
            return Mark("<unicode string>", i, cmark.line, cmark.column, self._buffer, i)
else:
    FastLoader = None


def load(text: str) -> tuple[yaml.Node | None, Any]:
    """(root node, data) of one YAML document; empty text gives (None, None).

    Raises what `PureLoader` raises: yaml.YAMLError (ReaderError for a control character,
    MarkedYAMLError for a syntax error or an unknown tag), `Refused`, or RecursionError.
    """
    if FastLoader is not None and fast_path_takes(text):
        try:
            return _load(FastLoader(text))
        except Exception:  # noqa: BLE001 - any problem at all: the reference loader decides what to say
            pass
    return _load(PureLoader(text))


def _end_of(text: str) -> tuple[int, int]:
    """(line, column) of the end of `text` as the pure reader counts them (CR LF is one break)."""
    line = sum(text.count(b) for b in _BREAKS) - text.count("\r\n")
    last = max(text.rfind(b) for b in _BREAKS)
    return line, len(text) - last - 1


#: The characters the pure reader refuses (`Reader.NON_PRINTABLE`, `[^\t\n\r -~\x85\xa0-\ud7ff
#: \ue000-\ufffd\U00010000-\U0010ffff]`), written as the few ranges they are instead of as
#: everything else: the same matches (tests/spec/test_safeyaml.py tries every code point), and
#: compiling it is nothing, where compiling the reader's costs ≈ 57 million instructions.
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def fast_path_takes(text: str) -> bool:
    """False for a text with a tab or a BOM, or a character the pure reader refuses (it then
    says which, and where)."""
    return "\t" not in text and "\ufeff" not in text and not REFUSED.search(text)


def _load(loader: Any) -> tuple[yaml.Node | None, Any]:
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        if loader.aliases:  # without aliases no node is shared: nothing can expand
            check_expansion(root)
        return root, loader.construct_document(root)
    finally:
        loader.dispose()


def check_expansion(root: yaml.Node) -> None:
    """Refuse aliases that expand a small document into a huge one ("billion laughs").

    PyYAML shares an aliased node, so parsing such a file is quick and counting aliases does not
    catch it (nine aliases a level, nine levels: 81 aliases, 387 million values); the blow-up
    comes later, when validation walks every expanded value. So count the expanded size, once
    per distinct node (linear in the file), and refuse an alias that refers to its own container.
    """
    sizes: dict[int, int] = {}
    refs: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        children = _children(node)
        if leaving:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            continue
        refs[key] = refs.get(key, 0) + 1
        if key in sizes:
            continue
        if key in on_path:
            raise Refused("an alias (*name) refers to the value that contains it", node.start_mark)
        nodes[key] = node
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children))
    extra = sizes[id(root)] - len(sizes)
    if extra > MAX_EXPANSION:
        shared = [nodes[k] for k, n in refs.items() if n > 1 and sizes[k] > MAX_EXPANSION // 10]
        at = min(shared, key=lambda n: (n.start_mark.line, n.start_mark.column)) if shared else root
        raise Refused(f"aliases (*name) expand the document by {extra:,} values; "
                      f"at most {MAX_EXPANSION:,} are allowed", at.start_mark)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []
