"""Pillow is loaded when an image is drawn, not whenever paiban registers a font (paiban.lazy_pil).

Run in a fresh interpreter each: whether Pillow is loaded is a property of the whole process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import sys
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
