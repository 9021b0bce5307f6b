"""The patches the program applies at start (paiban.cli.startup), each pinned here: Pillow is loaded
when an image is drawn, not whenever paiban registers a font; ReportLab's platypus is imported with
its unused BMP-wide patterns compiled on first use.

Run in a fresh interpreter each: what is imported is a property of the whole process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from paiban.cli.startup import LazyPattern
from tests.support.project import ROOT, run_python

SCRIPT = r"""
import sys
from paiban.cli.startup import defer_pillow
defer_pillow()
import paiban.fonts.load  # imports ReportLab, whose lib.utils does `from PIL import Image`
from reportlab.lib import utils
assert "PIL.ImageMode" not in sys.modules, "Pillow was loaded by importing ReportLab"
assert utils.haveImages
if len(sys.argv) > 1:
    from reportlab.pdfgen.canvas import Canvas
    reader = utils.ImageReader(sys.argv[1])  # the first use: Pillow loads here
    assert reader.getSize() == (40, 30), reader.getSize()
    assert "PIL.ImageMode" in sys.modules
    c = Canvas(sys.argv[2])
    c.drawImage(reader, 10, 10, 40, 30)
    c.save()
print("ok")
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_registering_fonts_does_not_load_pillow() -> None:
    done = run()
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_an_image_still_loads_pillow_and_draws(tmp_path: Path) -> None:
    import pymupdf
    from PIL import Image

    png = tmp_path / "red.png"
    Image.new("RGB", (40, 30), (200, 10, 10)).save(png)
    pdf = tmp_path / "out.pdf"
    done = run(str(png), str(pdf))
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    with pymupdf.open(pdf) as doc:
        images = doc[0].get_images()
        assert len(images) == 1
        assert (images[0][2], images[0][3]) == (40, 30)  # the image's own width and height


THREADS = r"""
import sys, threading
from paiban.cli.startup import defer_pillow
defer_pillow()
import paiban.fonts.load  # noqa: F401
from reportlab.lib import utils
assert "PIL.ImageMode" not in sys.modules
start, errors, seen = threading.Barrier(8), [], []
def use():
    start.wait()
    try:
        seen.append(utils.Image.Resampling.LANCZOS)  # deep inside the module: needs all of it
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=use) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
assert not errors, errors
assert len(set(seen)) == 1 and len(seen) == 8
print("ok")
"""


def test_threads_touching_it_at_once_all_see_the_whole_module() -> None:
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", THREADS], capture_output=True, text=True, timeout=120,
                              check=False)
        assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_a_lazy_pattern_behaves_as_the_compiled_one() -> None:
    made = []

    def compile_(pattern: str, flags: int) -> re.Pattern:
        made.append(pattern)
        return re.compile(pattern, flags)

    lazy = LazyPattern(compile_, r"([\u2e80-\uffff])", 0)
    assert made == []  # nothing compiled until it is used
    assert lazy.sub(r"\1 ", "中文abc") == re.sub(r"([\u2e80-\uffff])", r"\1 ", "中文abc")
    assert lazy.split("a中b") == ["a", "中", "b"]
    assert made == [r"([\u2e80-\uffff])"]  # compiled once


def test_reportlab_platypus_is_imported_with_its_uri_pattern_lazy() -> None:
    """In a fresh interpreter (this one may have imported platypus already): the program
    start imports platypus, whose URI pattern still matches once used."""
    code = ("from paiban.cli.startup import prepare_process\n"
            "prepare_process()\n"
            "import paiban.layout\n"
            "from reportlab.platypus import paragraph\n"
            "from reportlab.lib import textsplit\n"
            "print(type(paragraph.uri_pat).__name__, type(textsplit.rx).__name__,\n"
            "      bool(paragraph.uri_pat.match('https://example.com/a?b=1')),\n"
            "      bool(paragraph.uri_pat.match('not a uri')))\n")
    r = run_python(code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["LazyPattern", "LazyPattern", "True", "False"]


def test_without_the_patch_pillow_loads_with_reportlab() -> None:
    """The patch is what defers Pillow: importing paiban no longer does it by side effect."""
    code = "import sys\nimport paiban.fonts.load\nprint('PIL.ImageMode' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr


def test_pyphen_is_loaded_on_first_use_not_by_reportlab() -> None:
    """ReportLab's paragraph module imports pyphen for its own Paragraph, which paiban never uses:
    after the program start pyphen is still unloaded, and the same module object hyphenates once
    used (paiban's hyphenation and ReportLab's both)."""
    code = ("import sys\n"
            "from paiban.cli.startup import prepare_process\n"
            "prepare_process()\n"
            "import paiban.layout.render\n"
            "from reportlab.platypus import paragraph\n"
            "unloaded = type(sys.modules['pyphen']).__name__ == '_DeferredModule'\n"
            "from paiban.cjk.hyphen import hyphen_points\n"
            "import pyphen\n"
            "word = pyphen.Pyphen(lang='en').inserted('hyphenation')\n"
            "print(unloaded, paragraph.pyphen is pyphen, type(pyphen).__name__, word)\n")
    r = run_python(code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "True", "module", "hy-phen-a-tion"]


def test_the_program_exits_without_the_interpreters_teardown() -> None:
    """`paiban` as the program ends through exit_now: exit handlers run and buffered output is
    written, the exit status is the command's, and the teardown (an object's __del__ at
    interpreter shutdown here) is skipped; with another thread alive Python exits its own way."""
    code = ("import atexit, sys, threading, time\n"
            "class Torn:\n"
            "    def __del__(self):\n"
            "        print('torn down', flush=True)\n"
            "keep = Torn()\n"
            "atexit.register(lambda: print('exit handler', flush=True))\n"
            "if sys.argv[1] == 'thread':\n"
            "    threading.Thread(target=time.sleep, args=(3,)).start()\n"
            "sys.stdout.write('buffered ')\n"
            "sys.argv[1:] = ['validate', 'no-such-folder/report.yaml']\n"
            "from paiban.cli import main\n"
            "sys.exit(main())\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    fast = subprocess.run([sys.executable, "-c", code, "alone"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert fast.returncode == 2, fast.stderr
    assert fast.stdout.split() == ["buffered", "exit", "handler"]
    slow = subprocess.run([sys.executable, "-c", code, "thread"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert slow.returncode == 2, slow.stderr
    assert slow.stdout.split() == ["buffered", "exit", "handler", "torn", "down"]
