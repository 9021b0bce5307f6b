"""A photo the page make-up crops to fill the lines left in a column (`images.crop`): whole lines
off its height, top and bottom alike, never more than the share the spec allows; the crop is
drawn as a clip of the whole photo, read back from the real PDF."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from paiban.layout.grid import FloatBlock
from paiban.layout.images import GridImage

PITCH = 15.2
WIDTH = 160.0


def photo(tmp_path: Path) -> str:
    path = tmp_path / "photo.png"
    Image.new("RGB", (400, 300), "#3070b0").save(path)
    return str(path)


def test_a_crop_takes_whole_lines_within_the_share_allowed(tmp_path: Path) -> None:
    block = FloatBlock([GridImage(photo(tmp_path), 4 / 3, PITCH, max_crop=0.15)], PITCH)
    _, full = block.wrap(WIDTH, 1e6)
    assert block.most_crop == int(WIDTH * 0.75 * 0.15 / PITCH) == 1
    block.crop = 1
    _, cropped = block.wrap(WIDTH, 1e6)
    assert abs(full - cropped - PITCH) < 1e-6
    block.crop = 5  # more than allowed: held at the limit
    assert abs(block.wrap(WIDTH, 1e6)[1] - cropped) < 1e-6
    never = FloatBlock([GridImage(photo(tmp_path), 4 / 3, PITCH, max_crop=0.0)], PITCH)
    never.crop = 1
    assert never.wrap(WIDTH, 1e6)[1] == full and never.most_crop == 0


def test_the_cropped_photo_is_clipped_to_its_box(tmp_path: Path) -> None:
    image = GridImage(photo(tmp_path), 4 / 3, PITCH, max_crop=0.5)
    image.crop_lines = 2
    _, box = image.wrap(WIDTH, 1e6)
    out = tmp_path / "crop.pdf"
    canvas = Canvas(str(out), pagesize=(WIDTH + 40, box + 40))
    image.drawOn(canvas, 20, 20)
    canvas.save()
    with pymupdf.open(out) as doc:
        page = doc[0]
        shown = page.get_pixmap(dpi=72)
        rows = [y for y in range(shown.height) if shown.pixel(int(shown.width / 2), y)[2] > 150
                and shown.pixel(int(shown.width / 2), y)[0] < 100]
        drawn = page.get_image_info()[0]["bbox"]
    assert abs((drawn[3] - drawn[1]) - WIDTH * 0.75) < 0.5  # the whole photo is placed …
    visible = len(rows)
    assert abs(visible - (WIDTH * 0.75 - 2 * PITCH)) <= 2  # … and two lines of it are cut off
    assert abs((rows[0] + rows[-1]) / 2 - shown.height / 2) <= 2  # top and bottom alike
