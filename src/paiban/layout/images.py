"""Raster images from the editor's files, checked before ReportLab sees them.

Pillow's decompression-bomb guard stays on, and a broken or unsupported file is an input
error at the spec line that names it, not a traceback from deep inside the PDF writer.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Image

from paiban.errors import InputError
from paiban.layout.blocks import grid_height
from paiban.spec import LoadedSpec


class GridImage(Image):
    """An image whose box takes whole lines of the body pitch."""

    def __init__(self, path: str, aspect: float, pitch: float):
        super().__init__(path)
        self.aspect, self.pitch = aspect, pitch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.drawWidth = aw
        self.drawHeight = aw / self.aspect
        self.box_height = grid_height(self.drawHeight, self.pitch)
        return aw, self.box_height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.translate(0, self.box_height - self.drawHeight)
        super().draw()
        self.canv.restoreState()


def image_flowable(loaded: LoadedSpec, image, index: int, pitch: float) -> Flowable:
    from PIL import Image as PILImage

    keys = ["body", index, "image", "file"]
    path = loaded.resolve(image.file, keys, what="image")
    where = loaded.where(keys)
    try:
        with PILImage.open(path) as im:
            im.verify()
        with PILImage.open(path) as im:
            w, h = im.size
            fmt = im.format
    except PILImage.DecompressionBombError as exc:
        raise InputError(f"image {image.file!r} is too large to decode safely: {exc}", where) from None
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise InputError(f"cannot read image {image.file!r}: {exc}; expected a PNG or JPEG file", where) from None
    if fmt not in ("PNG", "JPEG", "GIF", "TIFF", "BMP", "WEBP"):
        raise InputError(f"image {image.file!r} is {fmt}; expected a PNG or JPEG file", where)
    if w <= 0 or h <= 0:
        raise InputError(f"image {image.file!r} has no pixels", where)
    aspect = image.aspect or (w / h)
    return GridImage(str(path), aspect, pitch)
