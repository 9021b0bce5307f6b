"""Raster images from the editor's files, checked before ReportLab sees them.

Pillow's decompression-bomb guard stays on, and a broken or unsupported file is an input
error at the spec line that names it, not a traceback from deep inside the PDF writer.
"""

from __future__ import annotations

import warnings

from reportlab.platypus import Flowable, Image

from paiban.errors import Diagnostics, InputError, dotted
from paiban.layout.grid import on_grid
from paiban.spec.geometry import geometry
from paiban.spec.loaded import LoadedSpec

FORMATS = ("PNG", "JPEG", "GIF", "TIFF", "BMP", "WEBP")  # what Pillow opens and ReportLab embeds
CAPTION_ROOM_LINES = 4  # body lines kept free under a scaled-down image for its caption
MM = 25.4 / 72


class GridImage(Image):
    """An image whose box takes whole lines of the body pitch, at most `max_height` tall
    (a taller one is scaled down to that height and centred in the column). The page make-up
    may crop it by `crop_lines` lines, top and bottom alike, up to `max_crop` of its height."""

    def __init__(self, path: str, aspect: float, pitch: float, max_height: float | None = None,
                 max_crop: float = 0.0):
        super().__init__(path)
        self.aspect, self.pitch, self.max_height = aspect, pitch, max_height
        self.max_crop, self.crop_lines = max_crop, 0

    def _drawn(self, aw: float) -> tuple[float, float]:
        h = aw / self.aspect
        if self.max_height is not None and h > self.max_height:
            return self.max_height * self.aspect, self.max_height
        return aw, h

    def most_crop(self, aw: float) -> int:
        return int(self._drawn(aw)[1] * self.max_crop / self.pitch) if self.pitch > 0 else 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.drawWidth, self.drawHeight = self._drawn(aw)
        self.shown = self.drawHeight - min(self.crop_lines, self.most_crop(aw)) * self.pitch
        self.box_width = aw
        self.box_height = on_grid(self.shown, self.pitch)
        return aw, self.box_height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        x, y = (self.box_width - self.drawWidth) / 2, self.box_height - self.shown
        if self.shown < self.drawHeight - 1e-6:
            clip = c.beginPath()
            clip.rect(x, y, self.drawWidth, self.shown)
            c.clipPath(clip, stroke=0, fill=0)
        c.translate(x, y - (self.drawHeight - self.shown) / 2)
        super().draw()
        c.restoreState()


MAX_IMAGE_PIXELS = 30_000_000  # 6,000×5,000 px; a full A4 page at 300 dpi is 8.7 megapixels


def image_flowable(loaded: LoadedSpec, image, at: tuple, pitch: float,
                   diagnostics: Diagnostics | None = None, *, measuring: bool = False) -> Flowable:
    """The image of the block at key path `at` (body[i].image), checked; one taller than a column (less room for its caption)
    is scaled down to fit, with a warning, instead of waiting for a column that never comes."""
    from PIL import Image as PILImage

    keys = [*at, "file"]
    path = loaded.resolve(image.file, keys, what="image")
    where = loaded.where(keys)
    keypath = dotted(keys)
    try:
        with warnings.catch_warnings():
            # From Pillow's limit to twice it Pillow only warns, and ReportLab would then decode
            # hundreds of megapixels: refuse from the limit on.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                w, h = im.size
                fmt = im.format
                if w * h > MAX_IMAGE_PIXELS:  # before decoding: 9000×9000 px of PNG cost 828 MB
                    raise InputError(f"image {image.file!r} is {w:,}×{h:,} px, {w * h / 1e6:.0f} megapixels; at most "
                                     f"{MAX_IMAGE_PIXELS // 1_000_000} are read (a page needs far fewer: scale it "
                                     "down)", where, keypath)
                im.verify()
            if fmt in FORMATS:
                with PILImage.open(path) as im:
                    im.load()  # every pixel: a truncated file fails here, not inside the PDF writer
    except InputError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise InputError(f"image {image.file!r} is too large to decode safely: {exc}", where, keypath) from None
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise InputError(f"cannot read image {image.file!r}: {' '.join(str(exc).split())}; expected an "
                         "undamaged PNG or JPEG file", where, keypath) from None
    if fmt not in FORMATS:
        raise InputError(f"image {image.file!r} is {fmt}; expected a PNG or JPEG file", where, keypath)
    if w <= 0 or h <= 0:
        raise InputError(f"image {image.file!r} has no pixels", where, keypath)
    from paiban.inputs.photos import prepare

    with PILImage.open(path) as im:
        if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # a phone photo held upright, stored sideways
            w, h = h, w
    aspect = image.aspect or (w / h)
    geo = geometry(loaded.spec.page)
    width = geo.text_width if image.width == "page" else geo.column_width
    max_height = max(geo.text_height - CAPTION_ROOM_LINES * pitch, geo.text_height / 2)
    if width / aspect > max_height and diagnostics is not None:
        diagnostics.warn(f"image {image.file!r} ({w}×{h} px) would be {width / aspect * MM:.0f}mm tall, more than "
                         f"a column holds; scaled down to {max_height * MM:.0f}mm", where, keypath)
    settings = loaded.spec.images
    printed = min(width, max_height * aspect)
    try:
        photo = prepare(path, aspect=image.aspect, printed_width_pt=printed, dpi=settings.dpi,
                        quality=settings.quality, cache_dir=loaded.cache_dir / "images", write=not measuring)
    except OSError as exc:
        raise InputError(f"cannot prepare image {image.file!r}: {' '.join(str(exc).split())}", where, keypath) from None
    if photo.source_dpi < settings.min_dpi and diagnostics is not None:
        diagnostics.warn(f"image {image.file!r} gives {photo.source_dpi:.0f} dpi at its printed width of "
                         f"{printed * MM:.0f}mm, less than images.min_dpi {settings.min_dpi}: it will print soft "
                         f"(a photo of at least {round(printed / 72 * settings.min_dpi)} px across is needed)",
                         where, keypath)
    return GridImage(str(photo.path), aspect, pitch, max_height, settings.crop)
