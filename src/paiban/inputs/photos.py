"""Photos made ready to embed: upright, cropped to their box, at the resolution print needs.

A phone stores a photo sideways with an EXIF Orientation tag, which ReportLab ignores; a
4000×3000 photo in one column embeds at ~580 dpi, and a crop drawn by scaling still embeds every
pixel of the original. Here the photo is turned by its tag (Pillow's `exif_transpose`), cut to
the aspect it is printed at (centred), and downsampled with Lanczos to `dpi` at its printed size.
A JPEG stays a JPEG (at `quality`; CMYK stays CMYK, its ICC profile kept), a PNG stays a PNG
(transparency kept), WebP becomes PNG (with alpha) or JPEG. Nothing to do: the file is embedded
as it is. The result goes to the cache folder under a hash of the file and the settings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from paiban.store import write_atomically

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0


@dataclass(frozen=True)
class Photo:
    """What to embed, its pixels, and the resolution the original gives at the printed size."""

    path: Path
    width_px: int
    height_px: int
    source_dpi: float  # pixels of the (cropped) original per inch of print


def _crop_box(w: int, h: int, aspect: float) -> tuple[int, int, int, int] | None:
    if abs(w / h - aspect) < 0.01:
        return None
    if w / h > aspect:  # too wide: cut the sides
        nw = round(h * aspect)
        left = (w - nw) // 2
        return (left, 0, left + nw, h)
    nh = round(w / aspect)
    top = (h - nh) // 2
    return (0, top, w, top + nh)


def prepare(path: Path, *, aspect: float | None, printed_width_pt: float, dpi: int, quality: int,
            cache_dir: Path, write: bool = True) -> Photo:
    """The photo at `path` ready for a box `printed_width_pt` wide (see the module's docstring);
    without `write` (paiban validate, which writes nothing) only its resolution is worked out."""
    from PIL import Image, ImageOps

    raw = path.read_bytes()
    key = hashlib.sha256(raw + f"|{aspect}|{printed_width_pt:.2f}|{dpi}|{quality}|1".encode()).hexdigest()[:24]
    with Image.open(path) as im:
        fmt = im.format
        orientation = im.getexif().get(0x0112, 1)
        icc = im.info.get("icc_profile")
        upright = ImageOps.exif_transpose(im) if orientation not in (None, 1) else im
        w, h = upright.size
        box = _crop_box(w, h, aspect) if aspect else None
        cw, ch = (box[2] - box[0], box[3] - box[1]) if box else (w, h)
        inches = printed_width_pt / PT_PER_INCH
        source_dpi = cw / inches if inches > 0 else float("inf")
        target_w = max(1, round(inches * dpi))
        shrink = cw > target_w * 1.02
        if not write or (orientation in (None, 1) and box is None and not shrink and fmt in ("JPEG", "PNG")):
            return Photo(path, w, h, source_dpi)
        suffix = ".png" if fmt == "PNG" or (fmt != "JPEG" and ("A" in upright.getbands() or upright.mode == "P")) \
            else ".jpg"
        out = cache_dir / f"{key}{suffix}"
        if out.is_file():
            with Image.open(out) as done:
                return Photo(out, done.width, done.height, source_dpi)
        img = upright.crop(box) if box else upright
        if shrink:
            img = img.resize((target_w, max(1, round(ch * target_w / cw))), Image.Resampling.LANCZOS)
        extra = {"icc_profile": icc} if icc else {}
        if suffix == ".jpg":
            if img.mode not in ("RGB", "L", "CMYK"):
                img = img.convert("RGB")
            save = lambda to: img.save(to, "JPEG", quality=quality, optimize=True, **extra)  # noqa: E731
        else:
            save = lambda to: img.save(to, "PNG", optimize=False, **extra)  # noqa: E731
        # a temporary file of its own (two builds at once), moved into place when whole
        write_atomically(out, save)
        return Photo(out, img.width, img.height, source_dpi)
