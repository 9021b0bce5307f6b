"""Fuzzing what an editor can type: random YAML, and random damage to a good report.yaml.

Each input either loads and prepares (and then builds a correct PDF), or is refused with a
located one-line message (exit 2) — never a traceback, never an endless loop, never a partial
PDF. Most examples run the load and prepare stages in-process (milliseconds each); fewer run
the whole build through the command line's `main()`. CI runs the counts in EXAMPLES[...][0],
derandomized so that a red run repeats; `pytest -m slow` runs ten times as many, randomized.
Bugs these found are kept as plain regression tests in test_reliability.py, or as cases in
tests/spec/bad_specs/ when they are a spec refused with one message.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pymupdf
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paiban.assets import prepare
from paiban.cli import main
from paiban.errors import Diagnostics, InputError
from paiban.spec.load import load_spec
from tests.support.limits import time_limit
from tests.support.pdfcheck import assert_valid_pdf
from tests.support.project import FONTS, ROOT

# (CI, slow) example counts: 2,000 in-process examples and 100 whole builds in CI.
EXAMPLES = {"random": (400, 4000), "mutated": (1000, 10000), "bytes": (600, 6000), "build": (100, 1000)}
DEPTHS = ["ci", pytest.param("slow", marks=pytest.mark.slow)]
BOUND = 60.0  # seconds: a hang detector, far above any real run (tens of ms in-process)


def fuzz_settings(kind: str, depth: str) -> settings:
    n = EXAMPLES[kind][0 if depth == "ci" else 1]
    return settings(max_examples=n, deadline=None, derandomize=depth == "ci", database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example, HealthCheck.filter_too_much])


# ------------------------------------------------------------------ what an editor might type

DEFAULT_TEXT = (ROOT / "report.yaml").read_bytes()
DEFAULT = yaml.safe_load(DEFAULT_TEXT)


def compact(spec: dict) -> dict:
    """The default report with its body cut to the first block of each kind (its data: tables
    all kept): every kind of key stays reachable, and parsing costs a fraction."""
    out, kinds = dict(spec), set()
    body = []
    for block in spec["body"]:
        (kind, _), = block.items()
        if kind not in kinds:
            kinds.add(kind)
            body.append(block)
    out["body"] = body
    return out


BASE = compact(DEFAULT)


def _keys(node: Any, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            out.add(str(k))
            _keys(v, out)
    elif isinstance(node, list):
        for v in node:
            _keys(v, out)
    return out


KNOWN_KEYS = sorted(_keys(DEFAULT, set()) | {
    "figure", "facts", "image", "quote", "credit", "contents", "break", "data", "charts", "file", "rows",
    "columns", "items", "value", "unit", "label", "id", "chart", "x", "y", "caption", "aspect", "width",
    "placement", "path", "index", "fallback", "missing", "orientation", "bleed", "first_page", "style"})

WORDS = ["", " ", "\t", "\n", "three", "-40mm", "0", "-1", "1e309", "nan", ".inf", "12pt", "0pt", "-3em",
         "5 parsecs", "A4", "a4", "Letter", "B5", "210mm x 297mm", "0mm x 0mm", "100000mm x 1mm", "#zzzzzz",
         "#b3120f", "red", "{title}", "{nope}", "{", "}", "{fig:x}", "{fig:}", "**", "****粗**", "song", "hei",
         "kai", "none", "page", "column", "top", "justify", "fonts/NotoSerifSC-Regular.ttf", "fonts/nope.ttf",
         "../../etc/passwd", "/etc/passwd", "/dev/zero", "fonts", ".", "..", "~", "~/x.ttf", "data/x.csv",
         "report.yaml", "4:3", "0:0", "1:0", "20:1", "\u200b", "\ufeff", "\u2028", "𠀀𪚥", "🙂", "ﾊﾝｶｸ"]
# long values are built when drawn (as literals they would bloat every example's repr)
LONG = st.one_of(st.builds(lambda unit, n: unit * n, st.sampled_from(["x", "长", "长 ", "a-", "，"]), st.integers(200, 3000)),
                 st.integers(100, 300).map(lambda n: "https://example.com/" + "a" * n))
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\ufffe"
text = st.one_of(st.sampled_from(WORDS), LONG,
                 st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
                 st.text(st.sampled_from(CONTROL + "党旗abc 1{}:#&*!-"), max_size=12))
number = st.one_of(st.integers(-10, 10), st.integers(), st.sampled_from([10**9, 2**63, -2**63, 10**100, -10**30]),
                   st.floats(allow_nan=True, allow_infinity=True))
length = st.builds(lambda n, u: f"{n:g}{u}", st.one_of(number, st.floats(-1e6, 1e6)),
                   st.sampled_from(["mm", "pt", "em", "cm", "in", "px", "", " mm"]))
scalar = st.one_of(st.none(), st.booleans(), number, text, length)
key = st.one_of(st.sampled_from(KNOWN_KEYS), text, st.integers(-3, 3))
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(key, inner, max_size=4)), max_leaves=16)


def nested(depth: int, leaf: Any, as_map: bool) -> Any:
    for _ in range(depth):
        leaf = {"a": leaf} if as_map else [leaf]
    return leaf


deep = st.builds(nested, st.integers(20, 160), scalar, st.booleans())


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path in a document: (), ('page',), ('page', 'columns'), ('body', 3, 'text'), …"""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


def get(node: Any, path: tuple) -> Any:
    for k in path:
        node = node[k]
    return node


OPS = ("replace", "delete", "unknown", "nest", "number", "length", "empty", "long", "control", "duplicate", "type",
       "markup")
# edits that often leave a spec valid, for whole builds (a wrong type is refused at load, cheaply)
MILD_OPS = ("delete", "number", "length", "empty", "long", "long", "control", "duplicate", "duplicate", "markup", "markup")
# markup an editor types or breaks: spans, brackets, escapes and links of every scheme
MARKUP = st.lists(st.sampled_from(["**", "*", "[", "]", "(", ")", "{", "}", "\\", "字", "a ", "]{color=#b3120f}",
                                   "](https://example.cn/a)", "](mailto:a@example.cn)", "](javascript:x)",
                                   "](file:///etc/passwd)", "](x y)", "[链接](https://example.cn)"]),
                  max_size=12).map("".join)


@st.composite
def mutated(draw: st.DrawFn, base: Any, long: int = 5000, ops: tuple[str, ...] = OPS, most: int = 3) -> Any:
    """`base` with one to `most` edits such as an editor's slip, or a hostile file, could make."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, most))):
        candidates = paths(data)[1:]
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        parent, k = get(data, path[:-1]), path[-1]
        op = draw(st.sampled_from(ops))
        old = parent[k]
        if op == "replace":
            parent[k] = draw(value)
        elif op == "delete":
            del parent[k]
        elif op == "unknown":
            target = old if isinstance(old, dict) else parent
            if isinstance(target, dict):
                target[draw(key)] = draw(value)
            else:
                parent[k] = {draw(key): draw(value)}
        elif op == "nest":
            parent[k] = nested(draw(st.integers(2, 150)), old, draw(st.booleans()))
        elif op == "number":
            parent[k] = draw(number)
        elif op == "length":
            parent[k] = draw(length)
        elif op == "empty":
            parent[k] = draw(st.sampled_from(["", [], {}, None, " "]))
        elif op == "long":
            parent[k] = draw(st.sampled_from(["x", "长", "长 ", "a-", "，"])) * draw(st.integers(200, long))
        elif op == "control":
            parent[k] = f"{old}{draw(st.text(st.sampled_from(CONTROL), min_size=1, max_size=4))}"
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(k, copy.deepcopy(old))
        elif op == "markup" and isinstance(old, str):
            parent[k] = f"{old}{draw(MARKUP)}"
        elif op == "type":
            parent[k] = draw(st.sampled_from([[old], {"x": old}, str(old), 3, True, None]))
    return data


SNIPPETS = [b"\xff", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\x00", b"\x07", b"\t", b"\r", b"\x1b[31m", b"\xef\xbb\xbf",
            b"&a ", b"*a", b"*nope", b"!!python/object/apply:os.system ['true']", b"!!python/name:os.system",
            b"!!binary x", b"!custom x", b"!!timestamp 2020-01-01", b"!!timestamp ", b"!!int ", b"!!float ",
            b"!!bool ", b"!!set ", b"!!map ", b"!!omap ", b"!!seq ", b"!!str ", b"!!null ", b"? ", b": ", b"- ",
            b"\n", b"\n  ", b"\n- ",
            b"[[[[[[[[[[", b"{{{{{{{{{{", b"'", b'"', b"#", b"%YAML 1.1\n---\n", b"%TAG ! tag:x,2000:\n", b"---\n",
            b"...\n", b"\\u12", b"<<: *a\n", b"<<: [1]\n", b"{{", b"}}",
            b"a: &a [1]\nb: *a\n", b": : :", b"|\n", b">-\n", b"|9\n"]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """The default report.yaml's bytes with one to three raw edits (bad bytes, stray syntax)."""
    raw = bytearray(DEFAULT_TEXT)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(raw)))
        op = draw(st.sampled_from(["insert", "insert", "delete", "byte", "truncate", "dupline"]))
        if op == "insert":
            raw[at:at] = draw(st.sampled_from(SNIPPETS)) * draw(st.sampled_from([1, 1, 1, 20, 30_000]))
        elif op == "delete":
            del raw[at:at + draw(st.integers(1, 200))]
        elif op == "byte":
            raw[at:at + 1] = bytes([draw(st.integers(0, 255))])
        elif op == "truncate":
            del raw[at:]
        else:
            start = raw.rfind(b"\n", 0, at) + 1
            end = raw.find(b"\n", at)
            end = len(raw) if end < 0 else end + 1
            raw[end:end] = raw[start:end]
    return bytes(raw)


random_doc = st.one_of(
    value.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode("utf-8", "surrogatepass")),
    deep.map(lambda v: yaml.safe_dump(v).encode()),
    st.dictionaries(st.sampled_from(["document", "page", "fonts", "styles", "body", "data", "charts", "output"]),
                    value, max_size=6).map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode()),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
)


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9).encode("utf-8", "surrogatepass")


# ------------------------------------------------------------------ checks

ERROR_LINE = re.compile(r"^\S.*?\.(yaml|csv|json|png|jpg|ttf):\d+(:\d+)?: \S")
# Python warnings printed by the warnings module (the CJK engine's CJKLayoutWarning): not
# paiban's messages, left out when checking that every error line is located.
PY_WARNING = re.compile(r"^\S+\.py:\d+: \w*Warning: |^  ")


def assert_located(exc: InputError, raw: bytes) -> None:
    """Every problem names a file and (unless the document is empty) a line, in one line."""
    assert exc.problems
    for p in exc.problems:
        assert p.message.strip(), exc
        assert "\n" not in str(p), f"more than one line: {str(p)!r}"
        assert p.location is not None, f"no location: {p}"
        if raw.strip(b" \t\r\n\xef\xbb\xbf") and not raw.lstrip().startswith((b"#", b"---", b"...", b"%")):
            assert p.location.line is not None or p.message.startswith("expected a mapping"), f"no line: {p}"


def load_and_prepare(spec: Path, raw: bytes) -> str:
    """The spec and prepare stages in-process (charts checked against their data, not drawn: the
    whole builds below draw them): 'ok', or 'refused' with a located message."""
    spec.write_bytes(raw)
    with time_limit(BOUND):
        try:
            loaded = load_spec(spec)
            prepare(loaded, Diagnostics(), draw_charts=False)  # tables and figures checked, not drawn
        except InputError as exc:
            assert_located(exc, raw)
            return "refused"
    return "ok"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(FONTS, root / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    shutil.copytree(ROOT / "data", root / "data")
    (root / "data" / "small.csv").write_text("类别,场次\n革命传统教育,101\n形势政策教育,99\n警示教育,115\n",
                                             encoding="utf-8")
    (root / "images").mkdir()
    from PIL import Image

    Image.new("RGB", (40, 30), "#b3120f").save(root / "images" / "photo.png")
    (root / "images" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    return root


COUNTS: dict[str, dict[str, int]] = {}


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    """Print how many examples ran and how they ended (seen with `pytest -s`)."""
    yield
    print(f"\nfuzz examples: {COUNTS}")


def tally(kind: str, outcome: str) -> None:
    COUNTS.setdefault(kind, {}).setdefault(outcome, 0)
    COUNTS[kind][outcome] += 1


@pytest.mark.parametrize("depth", DEPTHS)
def test_random_documents_are_refused_with_a_location(project: Path, depth: str) -> None:
    @fuzz_settings("random", depth)
    @given(random_doc)
    def run(raw: bytes) -> None:
        tally("random", load_and_prepare(project / "report.yaml", raw))

    run()


@pytest.mark.parametrize("depth", DEPTHS)
def test_edited_default_report_loads_or_is_refused_with_a_location(project: Path, depth: str) -> None:
    @fuzz_settings("mutated", depth)
    @given(mutated(BASE))
    def run(data: Any) -> None:
        tally("mutated", load_and_prepare(project / "report.yaml", dump(data)))

    run()
    assert COUNTS["mutated"].get("ok", 0) > 0, COUNTS  # the mutations leave some specs valid


@pytest.mark.parametrize("depth", DEPTHS)
def test_damaged_bytes_are_refused_with_a_location(project: Path, depth: str) -> None:
    @fuzz_settings("bytes", depth)
    @given(damaged())
    def run(raw: bytes) -> None:
        tally("bytes", load_and_prepare(project / "report.yaml", raw))

    run()


# ------------------------------------------------------------------ whole builds

SMALL = {
    "document": {"title": "测试标题", "subtitle": "——副标题", "byline": "□ 记者 某某"},
    "page": {"size": "A5", "columns": 2, "margins": "12mm", "gutter": "4mm",
             "header": {"left": "{title}", "right": "{part}"}, "footer": {"center": "第 {page} 页 共 {pages} 页"}},
    "fonts": {"song": {"regular": "fonts/NotoSerifSC-Regular.ttf", "bold": "fonts/NotoSerifSC-Bold.ttf"},
              "hei": {"regular": "fonts/NotoSansSC-Regular.ttf", "bold": "fonts/NotoSansSC-Bold.ttf"},
              "kai": {"regular": "fonts/LXGWWenKai-Regular.ttf"}},
    "styles": {"body": {"size": "9pt", "leading": 1.7}, "caption": {"font": "kai", "size": "8pt"}},
    "charts": {"font": "hei", "size": "7pt"},
    "data": {"edu": {"file": "data/small.csv", "units": {"场次": "场"}, "source": "本文报道"}},
    "body": [
        {"lead": "导语：盂县县委高擎旗帜，守初心固根本。"},
        {"part": {"kicker": "秀水镇", "title": "独木不成林 百树绿成荫"}},
        {"text": "正文第一段，包含English words、数字2,307.02万元和“引号”。\n\n第二段：见{fig:photo}。"},
        {"subhead": "小标题"},
        {"quote": {"text": "不论哪个团体、哪个单位，必须有一个核心。", "source": "王暾明"}},
        {"image": {"file": "images/photo.png", "caption": "照片说明", "id": "photo"}},
        {"image": {"caption": "占位图", "aspect": "4:3", "placement": "top"}},
        {"figure": {"id": "edu", "chart": "bar", "data": "edu", "caption": "教育场次", "highlight": "警示教育"}},
        {"facts": {"title": "数说", "columns": 2, "caption": "数字",
                   "items": [{"value": "11,407", "unit": "名", "label": "党员"},
                             {"value": "1000余", "unit": "条", "label": "整改问题"}]}},
        {"figure": {"id": "own", "chart": "pie", "caption": "自带数据",
                    "data": {"columns": ["类", "数"], "rows": [["甲", 3], ["乙", "2余"]]}}},
        {"text": {"text": "另一段，**加重**的文字，见[网站](https://example.cn/)。", "style": "body"}},
        {"credit": "（本文配图由某单位提供）"},
    ],
}


def captions_expected(data: Any) -> list[str]:
    """图N / 表N of every numbered block with a caption, numbered as the layout does: tables
    (`chart: table`) on their own counter, figures and images always, facts boxes when they have
    a caption."""
    out, counters = [], {"图": 0, "表": 0}
    for block in data.get("body", []) if isinstance(data, dict) else []:
        if not (isinstance(block, dict) and len(block) == 1):
            continue
        (kind, value), = block.items()
        caption = value.get("caption") if isinstance(value, dict) else None
        if kind in ("figure", "image") or (kind == "facts" and caption):
            label = "表" if kind == "figure" and value.get("chart") == "table" else "图"
            counters[label] += 1
            if caption:
                out.append(f"{label}{counters[label]}")
    return out


@pytest.mark.parametrize("depth", DEPTHS)
def test_edited_small_reports_build_or_exit_2_and_never_damage_the_pdf(project: Path, depth: str) -> None:
    spec, out = project / "report.yaml", project / "out.pdf"
    spec.write_bytes(dump(SMALL))
    assert main(["build", str(spec), "-o", str(out), "-q"]) == 0
    assert_valid_pdf(out)
    previous = out.read_bytes()

    mild = mutated(SMALL, long=3000, ops=MILD_OPS, most=2)  # three in four examples: mostly valid specs

    @fuzz_settings("build", depth)
    @given(st.one_of(mild, mild, mild, mutated(SMALL, long=3000, most=1)))
    def run(data: Any) -> None:
        out.write_bytes(previous)
        spec.write_bytes(dump(data))
        err = io.StringIO()
        with time_limit(BOUND * 3), redirect_stderr(err), redirect_stdout(io.StringIO()):
            status = main(["build", str(spec), "-o", str(out), "-q"])
        stray = [p for p in project.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".segments.")]
        assert not stray, stray
        assert status in (0, 2), err.getvalue()
        tally("build", "ok" if status == 0 else "refused")
        if status == 0:
            assert_valid_pdf(out)
            with pymupdf.open(out) as doc:
                pdf_text = "".join(page.get_text() for page in doc)
            for number in captions_expected(data):
                assert number in re.sub(r"\s", "", pdf_text), f"{number} is missing from the PDF"
            return
        errors = [line for line in err.getvalue().splitlines()
                  if line.strip() and ": warning: " not in line and not PY_WARNING.match(line)]
        assert errors, "exit 2 without a message"
        assert all(ERROR_LINE.match(line) for line in errors), errors
        assert out.read_bytes() == previous, "a refused build touched the PDF"

    run()
