"""The libyaml-backed loader must be the pure-Python loader, only faster.

Every test compares the two on the same text: the node tree (types, tags, values, styles,
shared nodes, and every mark's line, column, index, pointer and buffer), the constructed data,
and, for text that is refused, the exact located message `read_yaml` gives. The corners where
libyaml and PyYAML disagree are pinned one by one; a derandomized fuzz of edits to the default
report looks for new ones (`pytest -m slow` runs ten times as many, randomized).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from paiban.errors import InputError
from paiban.spec import safeyaml
from paiban.spec.loader import read_yaml
from tests.support.project import ROOT, run_python

needs_libyaml = pytest.mark.skipif(safeyaml.FastLoader is None, reason="PyYAML without libyaml")

REPORT = (ROOT / "report.yaml").read_text(encoding="utf-8")
TEMPLATE = (ROOT / "src" / "paiban" / "templates" / "feature" / "report.yaml").read_text(encoding="utf-8")


def tree(root: yaml.Node | None) -> list[tuple[Any, ...]]:
    """Everything a node tree says, flattened in document order; a shared node by its first index."""
    out: list[tuple[Any, ...]] = []
    seen: dict[int, int] = {}

    def mark(m: Any) -> tuple[Any, ...]:
        return type(m), m.name, m.index, m.line, m.column, m.pointer, m.buffer

    def walk(node: yaml.Node) -> None:
        if id(node) in seen:
            out.append(("shared", seen[id(node)]))
            return
        seen[id(node)] = len(out)
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        out.append((type(node), node.tag, value, getattr(node, "style", None), bool(getattr(node, "flow_style", False)),
                    mark(node.start_mark), mark(node.end_mark)))
        children = node.value if isinstance(node, yaml.SequenceNode) else (
            [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
        for child in children:
            walk(child)

    if root is not None:
        walk(root)
    return out


def outcome(loader_class: type, text: str) -> tuple[str, Any]:
    """('ok', tree, data) or ('error', the exception's type and message)."""
    try:
        root, data = safeyaml._load(loader_class(text))
    except Exception as exc:  # noqa: BLE001 - any refusal is compared, whatever its type
        return "error", (type(exc).__name__, str(exc))
    return "ok", (tree(root), repr(data))


def read_message(text: str, tmp_path: Path) -> str:
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        read_yaml(path)
    except InputError as exc:
        return str(exc)
    return "loaded"


@needs_libyaml
@pytest.mark.parametrize("text", [REPORT, TEMPLATE], ids=["default report", "init template"])
def test_the_fast_path_takes_the_shipped_specs_and_builds_the_same_tree(text: str) -> None:
    assert safeyaml.fast_path_takes(text)
    fast, pure = outcome(safeyaml.FastLoader, text), outcome(safeyaml.PureLoader, text)
    assert fast[0] == "ok"
    assert fast == pure


@needs_libyaml
def test_marks_hold_the_text_so_a_character_is_found_inside_a_block_scalar() -> None:
    text = "body:\n  - text: |\n      第一行\n      第二行有错字\n"
    root, _ = safeyaml._load(safeyaml.FastLoader(text))
    scalar = root.value[0][1].value[0].value[0][1]
    start, end = scalar.start_mark, scalar.end_mark
    assert isinstance(start, yaml.Mark) and start.buffer == text + "\0"
    assert start.buffer[start.pointer:end.pointer].strip("| \n").split() == ["第一行", "第二行有错字"]


# Where libyaml and the pure loader disagree: a tab or BOM (not taken at all), `?` inside a plain
# scalar in a flow collection, an empty value in a flow collection (placed one column apart),
# the non-specific tag `!`, and marks at the end of a text without a final newline.
CORNERS = {
    "tab after a colon": "output:\tbuild/report.pdf\n",
    "tab inside a plain scalar": "subtitle: 一份用 pai\tban 排版的示例\n",
    "BOM inside the text": "document:\n  \ufefftitle: x\n",
    "? inside a flow scalar": "data: {source: 图书角借?阅登记簿}\n",
    "? ending a flow scalar": "page: {size: A4?, columns: 2}\n",
    "empty value in a flow mapping": "figure: {id: a, x: , y: b}\n",
    "empty value closing a flow mapping": "figure: {id: a, x: }\n",
    "empty value in a flow sequence pair": "rows: [x: , y]\n",
    "non-specific tag, empty": "title: !\n",
    "non-specific tag on a number": "columns: ! 12\n",
    "no final newline": "page:\n  columns: 2\n  margins: [1, 2]",
    "no final newline after CR LF": "document:\r\n  title: x\r\n---",
    "document end marker at the end": "a: 1\n...",
    "aliases": "a: &x [1, {b: 2}]\nc: *x\nd: *x\n",
    "merge key": "base: &b {size: 9pt}\nbody:\n  <<: *b\n  font: song\n",
}


@pytest.mark.parametrize("text", CORNERS.values(), ids=CORNERS.keys())
def test_corners_where_the_parsers_disagree_load_as_the_pure_loader_loads_them(text: str) -> None:
    try:
        root, data = safeyaml.load(text)
        got = "ok", (tree(root), repr(data))
    except Exception as exc:  # noqa: BLE001
        got = "error", (type(exc).__name__, str(exc))
    assert got == outcome(safeyaml.PureLoader, text)


def test_refusals_say_the_same_thing_at_the_same_place_with_or_without_libyaml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = [
        "document:\n  title: [x\n",  # libyaml's words for this differ from PyYAML's
        "document: {title: x\n",
        "a: 1\n a: 2\n",
        "a: b: c\n",
        "- a\nb: 1\n",
        "data: {source: x?y}\n",  # libyaml accepts it
        "output:\tx\n",  # so does it this
        "a: 1\na: 2\n",  # duplicate key
        "a: !!python/object:os.system x\n",
        "a: !!int abc\n",
        "a: *missing\n",
        "a: &x [1, *x]\n",
        "a: 1\n---\nb: 2\n",
        "%YAML 2.0\n---\na: 1\n",
        "a: 'unterminated\n",
        "a: 测试\x07标题\n",
        "k" * 1100 + ": 1\n",
        "[" * 101 + "]" * 101 + "\n",
    ]
    with_libyaml = [read_message(text, tmp_path) for text in broken]
    monkeypatch.setattr(safeyaml, "FastLoader", None)
    without = [read_message(text, tmp_path) for text in broken]
    assert with_libyaml == without
    assert all(message != "loaded" and "report.yaml:" in message for message in with_libyaml)


def test_without_libyaml_the_pure_loader_reads_the_default_report(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = safeyaml.load(REPORT)
    monkeypatch.setattr(safeyaml, "FastLoader", None)
    pure = safeyaml.load(REPORT)
    assert tree(pure[0]) == tree(fast[0]) and pure[1] == fast[1]
    assert pure[1]["document"]["title"] == "党旗在农村基层高高飘扬"


# ---------------------------------------------------------------------------- differential fuzz

FRAGMENTS = [":", " ", "\n", "- ", "? ", "?", "&a ", "*a", "!!str ", "!", "! ", "[", "]", "{", "}", ", ", "'", '"',
             "#", "|", ">-", "\t", "\\", "%", "@", "`", "---\n", "...\n", "\u2028", "\x85", "\r", "\r\n", "  ",
             "\ufeff", "中", "：", "~", "null", "<<: ", "{a: 1}", "[1, 2]", "a:b", "x: ,", "{x: }", '"\\u00e9"',
             "'it''s'", "0x1F", "1e3", ".inf", "2020-01-01", "%YAML 1.1\n---\n"]
EXAMPLES = {"ci": 300, "slow": 3000}


def edits() -> st.SearchStrategy[list[tuple[float, int, str]]]:
    return st.lists(st.tuples(st.floats(0, 1), st.integers(0, 6), st.sampled_from(FRAGMENTS)), min_size=1, max_size=5)


def edited(text: str, changes: list[tuple[float, int, str]], window: tuple[float, int] | None) -> str:
    for where, cut, fragment in changes:
        at = int(where * len(text))
        text = text[:at] + fragment + text[at + cut:]
    if window is not None:  # small documents reach the corners faster
        lines = text.split("\n")
        first = int(window[0] * len(lines))
        text = "\n".join(lines[first:first + window[1]])
    return text


@needs_libyaml
@pytest.mark.parametrize("depth", ["ci", pytest.param("slow", marks=pytest.mark.slow)])
def test_edited_specs_load_the_same_through_libyaml_as_through_the_pure_loader(depth: str) -> None:
    @settings(max_examples=EXAMPLES[depth], deadline=None, derandomize=depth == "ci", database=None)
    @given(base=st.sampled_from([REPORT, TEMPLATE]), changes=edits(),
           window=st.none() | st.tuples(st.floats(0, 1), st.integers(1, 30)))
    def check(base: str, changes: list[tuple[float, int, str]], window: tuple[float, int] | None) -> None:
        text = edited(base, changes, window)
        if not safeyaml.fast_path_takes(text):
            return
        fast = outcome(safeyaml.FastLoader, text)
        if fast[0] == "ok":  # a refusal on the fast path is handed to the pure loader: nothing to compare
            assert fast == outcome(safeyaml.PureLoader, text)

    check()


def test_the_fast_paths_refused_characters_are_the_pure_readers() -> None:
    """safeyaml.REFUSED names the few ranges the reader refuses instead of compiling the reader's
    pattern over everything else (2 % of a warm build): every code point, surrogates included,
    is refused by one exactly when it is by the other."""
    from yaml.reader import Reader

    text = "".join(map(chr, range(0x110000)))
    theirs = [m.start() for m in Reader.NON_PRINTABLE.finditer(text)]
    assert [m.start() for m in safeyaml.REFUSED.finditer(text)] == theirs
    assert len(theirs) == 0x800 + 61 + 2  # the surrogates, 61 control characters, U+FFFE and U+FFFF


def test_the_program_compiles_the_readers_pattern_only_when_the_pure_reader_reads() -> None:
    """At the program's start PyYAML is imported with the reader's pattern over all of Unicode
    left uncompiled (paiban.cli.startup.import_yaml); a spec the pure reader must read (a BOM)
    compiles it, and its refusal message is the reader's own."""

    code = ("from paiban.cli.startup import prepare_process\n"
            "prepare_process()\n"
            "from yaml.reader import Reader\n"
            "from paiban.spec import safeyaml\n"
            "safeyaml.load('a: 1\\n')\n"
            "lazy = Reader.NON_PRINTABLE._compiled is None\n"
            "assert safeyaml.load('\\ufeffa: 1\\n')[1] == {'a': 1}\n"
            "try:\n"
            "    safeyaml.load('a: \\x07\\n')\n"
            "except Exception as exc:\n"
            "    print(lazy, Reader.NON_PRINTABLE._compiled is not None, str(exc).splitlines()[0])\n")
    r = run_python(code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "True True unacceptable character #x0007: special characters are not allowed"
