#!/usr/bin/env python3
"""Issue 15's hostile and broken inputs, each run through the real command line in a fresh copy
of a small project: every one must end in a PDF (exit 0) or in exit 2 with one located line on
stderr, no traceback, the previous PDF untouched and no temporary file left behind.

The test suite holds each case as a test of its own; this script runs them all at once, as an
attacker would, after a change to the reliability code (about two minutes).

Usage: hostile_inputs.py [NAME-FRAGMENT ...]   (only the cases whose name holds a fragment)
Exit status: 0 when every case is clean, 1 otherwise.
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
only = sys.argv[1:]
PY = sys.executable
WORK = Path(tempfile.mkdtemp(prefix="paiban-hostile-"))
BASE = WORK / "base"
SPEC = """\
document:
  title: 测试标题
  language: zh-CN
fonts:
  song: {regular: fonts/NotoSerifSC-Regular.ttf}
  hei: {regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}
  kai: {regular: fonts/LXGWWenKai-Regular.ttf}
page:
  columns: 2
  margins: 15mm
data:
  edu: {file: data/edu.csv}
body:
  - lead: 导语一段。
  - text: |
      这是一段正文。
  - figure: {id: edu, chart: bar, data: edu, caption: 图的说明}
  - text: |
      这是又一段正文。
"""


def run(cwd, *args, timeout=90, stdin=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    try:
        r = subprocess.run(
            [PY, "-m", "paiban", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )
        return r.returncode, r.stderr
    except subprocess.TimeoutExpired:
        return "TIMEOUT", ""


if not BASE.exists():
    BASE.mkdir(parents=True)
    shutil.copytree(ROOT / "fonts", BASE / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (BASE / "data").mkdir()
    (BASE / "data" / "edu.csv").write_text("类别,场次\n革命传统教育,101\n警示教育,115\n", encoding="utf-8")
    (BASE / "report.yaml").write_text(SPEC, encoding="utf-8")
    print("base", run(BASE, "build", "-q"))


def fresh(name):
    d = WORK / "cases" / name
    if d.exists():
        shutil.rmtree(d)

    def link(s, t):
        if not s.endswith(".ttf"):
            return shutil.copy2(s, t)
        try:
            os.link(s, t)
        except OSError:
            shutil.copy2(s, t)

    shutil.copytree(BASE, d, copy_function=link, symlinks=True)
    return d


LOC = re.compile(r"^(\S+:\d+:\d+: |-o |--set |--dpi |--pages |\S+: |report\.yaml: )")
results = []


def case(name, edit=None, args=("build", "-q"), ok=(0, 2), spec=None, timeout=90, expect=None):
    if only and not any(o in name for o in only):
        return
    d = fresh(name)
    if spec is not None:
        (d / "report.yaml").write_text(spec, encoding="utf-8")
    if edit:
        edit(d)
    pdf = d / "build" / "report.pdf"
    before = pdf.read_bytes() if pdf.exists() else None
    status, err = run(d, *args, timeout=timeout)
    lines = err.strip().splitlines()
    bad = []
    if status not in ok:
        bad.append(f"exit {status}")
    if "Traceback" in err:
        bad.append("traceback")
    if status == 2 and (len(lines) != 1 or not LOC.match(lines[0])):
        bad.append("not one located line")
    # (preview builds the PDF first, as build would; refusing a page too large to render comes after)
    failed_build = status != 0 and args[0] == "build"
    if failed_build and before is not None and (not pdf.exists() or pdf.read_bytes() != before):
        bad.append("PDF changed")
    if expect and status != expect:
        bad.append(f"expected {expect}")
    stray = [str(p) for p in d.rglob("*.tmp")]
    if stray:
        bad.append(f"stray {stray}")
    tag = "BAD " if bad else "ok  "
    print(f"{tag}{name}: exit {status} {'; '.join(bad)}\n      {err.strip()[:300]}", flush=True)
    results.append(bool(bad))


def setspec(text):
    return lambda d: (d / "report.yaml").write_text(text, encoding="utf-8")


def repl(a, b):
    return lambda d: (d / "report.yaml").write_text(
        (d / "report.yaml").read_text(encoding="utf-8").replace(a, b, 1), encoding="utf-8"
    )


def app(extra):
    return lambda d: (d / "report.yaml").write_text(
        (d / "report.yaml").read_text(encoding="utf-8") + extra, encoding="utf-8"
    )


# outputs
case("o-spec", args=("build", "-q", "-o", "report.yaml"), expect=2)
case("output-spec", app("output: report.yaml\n"), expect=2)
case("output-font", app("output: fonts/NotoSansSC-Bold.ttf\n"), expect=2)
case("o-data", args=("build", "-q", "-o", "data/edu.csv"), expect=2)
case("o-outside", args=("build", "-q", "-o", str(WORK / "outside.pdf")), expect=2)
case("o-fifo", lambda d: os.mkfifo(d / "p.pdf"), args=("build", "-q", "-o", "p.pdf"), expect=2)
case("o-devnull", args=("build", "-q", "-o", "/dev/null", "--allow-outside"), expect=2)
case(
    "cache-link",
    lambda d: (
        shutil.rmtree(d / ".paiban-cache", ignore_errors=True),
        (d / ".paiban-cache").symlink_to("/tmp"),
    ),
    expect=2,
)
case("build-link", lambda d: (shutil.rmtree(d / "build"), (d / "build").symlink_to("/tmp")), expect=2)


def programs_link(d):
    programs = d / ".paiban-cache" / "fonts" / "programs"
    shutil.rmtree(programs, ignore_errors=True)
    programs.parent.mkdir(parents=True, exist_ok=True)
    (WORK / "elsewhere").mkdir(exist_ok=True)
    programs.symlink_to(WORK / "elsewhere")


case("programs-link", programs_link, expect=2)
case(
    "init-dangling",
    lambda d: (d / "new").mkdir() or (d / "new" / "report.yaml").symlink_to(WORK / "nowhere.yaml"),
    args=("init", "-q", "new"),
    expect=2,
)
case("schema-over-spec", args=("schema", "-o", "report.yaml"), expect=2)
# links
for scheme in ("javascript:alert(1)", "file:///etc/passwd", "smb://x/y", "launch:calc"):
    case(f"link-{scheme[:5]}", repl("这是又一段正文。", f"这是又一段[正文]({scheme})。"), expect=2)
case("link-last-page-2col", repl("这是又一段正文。", "这是又一段[正文](https://example.com/)。"), expect=0)
# markup
for where, a, b in [
    ("text", "这是一段正文。", "这是**一段正文。"),
    ("text-star", "这是一段正文。", "这是*一段正文。"),
    ("text-bracket", "这是一段正文。", "这是[一段正文。"),
    ("title", "title: 测试标题", "title: 测试**标题"),
    ("lead", "导语一段。", "导语**一段。"),
    ("caption", "图的说明", "图的**说明"),
]:
    case(f"markup-{where}", repl(a, b), expect=2)
case("markup-title-multiline", repl("title: 测试标题", "title: |-\n    测试**标题\n    第二行"), expect=2)
case("markup-nested", repl("这是一段正文。", "[" * 5000 + "x"), expect=2)
case("markup-set-escape", args=("build", "-q", "--set", 'body.1.text="a\\u002a\\u002ab"'), expect=2)
case(
    "subhead",
    repl("  - text: |\n      这是一段正文。", "  - subhead: 小**标题\n  - text: |\n      这是一段正文。"),
    expect=2,
)
case("credit", app("  - credit: 供稿**人\n"), expect=2)
case(
    "part",
    repl("  - lead: 导语一段。", "  - lead: 导语一段。\n  - part: {kicker: 镇名, title: 部**分}"),
    expect=2,
)
case(
    "kicker-plain",
    repl("  - lead: 导语一段。", "  - lead: 导语一段。\n  - part: {kicker: 镇**名, title: 部分}"),
    expect=0,
)
case("title-span", repl("title: 测试标题", "title: |-\n    测试**标\n    题**第二行"), expect=0)
case("title-second-line", repl("title: 测试标题", "title: |-\n    测试标\n    题**第二行"), expect=2)
# spec files
case("spec-devzero", args=("build", "-q", "/dev/zero"), expect=2, timeout=60)
case("spec-fifo", lambda d: os.mkfifo(d / "f.yaml"), args=("build", "-q", "f.yaml"), expect=2, timeout=30)
case("spec-dir", lambda d: (d / "dir.yaml").mkdir(), args=("build", "-q", "dir.yaml"), expect=2)


# caches
def junk_caches(d, junk):
    for p in (d / ".paiban-cache").rglob("*"):
        if p.is_file() and p.suffix in (".json", ""):
            p.write_text(junk)
    for p in (d / "figures").rglob("*.key"):
        p.write_text(junk)


for i, junk in enumerate(
    ["[" * 100000, "{}", "null", '{"a": [1, 2]}', "1e999", '{"version": 1, "entries": {"x": [0, 0, 0]}}']
):
    case(f"cache-junk-{i}", lambda d, j=junk: junk_caches(d, j), expect=0)


def svg_junk(d):
    for p in (d / "figures").glob("*.svg"):
        p.write_text(p.read_text().split("\n")[0] + "\n<svg><g>")
    for p in (d / "figures").glob("*.pkl"):
        p.unlink()


case("figure-svg-corrupt", svg_junk, expect=0)


# data
def csv(text):
    return lambda d: (d / "data" / "edu.csv").write_text(text, encoding="utf-8")


case("data-309digits", csv("类别,场次\n甲," + "9" * 309 + "\n乙,1\n"), expect=2)
case("data-1e400", csv("类别,场次\n甲,1e400\n乙,1\n"), expect=2)
case(
    "data-wide",
    csv(",".join(f"c{i}" for i in range(100000)) + "\n" + ",".join("1" for _ in range(100000)) + "\n"),
    expect=2,
    timeout=60,
)


def json_data(text):
    def f(d):
        (d / "data" / "edu.json").write_text(text, encoding="utf-8")
        (d / "report.yaml").write_text(
            (d / "report.yaml").read_text(encoding="utf-8").replace("data/edu.csv", "data/edu.json"),
            encoding="utf-8",
        )

    return f


case("json-nested", json_data("[" * 100000 + "]" * 100000), expect=2)
case("json-bigint", json_data('[{"类别": "甲", "场次": ' + "9" * 5000 + "}]"), expect=2)
# text
case("surrogate-author", repl("  language: zh-CN", '  language: zh-CN\n  author: "\\ud800"'), ok=(0, 2))
case("surrogate-text", repl("这是一段正文。", '"这是\\udc00正文"'), ok=(0, 2))
# --set
case(
    "set-alias-bomb",
    args=(
        "build",
        "-q",
        "--set",
        "document.title="
        + "{a: &a [x,x,x,x,x,x,x,x,x], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]}",
    ),
    expect=2,
    timeout=60,
)
case("set-nested", args=("build", "-q", "--set", "document.title=" + "[" * 20000), expect=2)
case("set-bigint", args=("build", "-q", "--set", "page.columns=" + "9" * 5000), expect=2)
case("set-unknown", args=("build", "-q", "--set", "page.colums=2"), expect=2)
case("set-date", args=("build", "-q", "--set", "document.date=2024-05-01"), expect=0)
case("set-dupkeys", args=("build", "-q", "--set", "page={columns: 2, columns: 3}"), expect=2)
case("dupkeys-file", repl("  columns: 2", "  columns: 2\n  columns: 3"), expect=2)


# fonts
def font_patch(tag, offset, value):
    def f(d):
        src = d / "fonts" / "NotoSerifSC-Regular.ttf"
        data = bytearray(src.read_bytes())
        n = struct.unpack(">H", data[4:6])[0]
        for i in range(n):
            rec = data[12 + 16 * i : 28 + 16 * i]
            if rec[:4] == tag:
                off = struct.unpack(">I", rec[8:12])[0]
                data[off + offset : off + offset + 2] = struct.pack(">H", value)
        src.unlink()
        src.write_bytes(bytes(data))

    return f


case("font-upem0", font_patch(b"head", 18, 0), expect=2)
for n in (0, 1, 100):
    case(f"font-numglyphs{n}", font_patch(b"maxp", 4, n), expect=2)


def junk_font(name, data):
    def f(d):
        (d / "fonts" / name).write_bytes(data)
        (d / "report.yaml").write_text(
            (d / "report.yaml")
            .read_text(encoding="utf-8")
            .replace("fonts/LXGWWenKai-Regular.ttf", f"fonts/{name}"),
            encoding="utf-8",
        )

    return f


case("font-junk-woff", junk_font("x.woff", b"wOFF" + os.urandom(200)), expect=2)
case("font-junk-woff2", junk_font("x.woff2", b"wOF2" + os.urandom(200)), expect=2)
case("font-empty", junk_font("x.ttf", b""), expect=2)


# images / preview
def big_png(d):
    from PIL import Image

    (d / "images").mkdir(exist_ok=True)
    Image.new("L", (9000, 9000)).save(d / "images" / "big.png", optimize=True)
    (d / "report.yaml").write_text(
        (d / "report.yaml").read_text(encoding="utf-8") + "  - image: {file: images/big.png, caption: 图}\n",
        encoding="utf-8",
    )


case("image-9000", big_png, expect=2)


def not_png(d):
    (d / "images").mkdir(exist_ok=True)
    (d / "images" / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(100))
    (d / "report.yaml").write_text(
        (d / "report.yaml").read_text(encoding="utf-8") + "  - image: {file: images/x.png, caption: 图}\n",
        encoding="utf-8",
    )


case("image-junk", not_png, expect=2)
case(
    "preview-huge",
    args=("preview", "-q", "--dpi", "600", "--set", "page.size=5000mm x 5000mm", "-o", "png"),
    expect=2,
    timeout=120,
)
# resources
case("paras-100k", repl("这是一段正文。", "\n\n      ".join(["段"] * 100000)), expect=2, timeout=120)
case("para-2MB", repl("这是一段正文。", "字" * 2_000_000), expect=2, timeout=120)
case(
    "categories-9999",
    csv("类别,场次\n" + "".join(f"类{i},{i}\n" for i in range(9999))),
    expect=2,
    timeout=120,
)
print(f"{sum(results)} bad of {len(results)}")
shutil.rmtree(WORK, ignore_errors=True)
sys.exit(1 if any(results) else 0)
