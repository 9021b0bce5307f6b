"""`paiban preview`: PNG images of pages, for a quick look (in a terminal image viewer, a chat, a
review) without opening a PDF viewer.

Rendering uses PyMuPDF, an optional dependency (`pip install 'paiban[preview]'`): it renders
the embedded CJK subsets and vector charts faithfully and fast (~50 ms a page at 110 dpi), but it
is AGPL-licensed and a 20 MB wheel, too much to impose on every install of an MIT tool that
otherwise only writes PDFs. Without it, preview says how to get it and exits 1.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path

from paiban.errors import BuildError, InputError, Location

MIN_DPI, MAX_DPI = 20, 600
MAX_PIXELS = 100_000_000  # one page image: 400 MB of RGB; A4 at 600 dpi is 35 megapixels
MAX_SIDE = 32_767  # PyMuPDF's (and PNG viewers') practical limit of one side


def page_ranges(text: str | None) -> list[tuple[int, int | None]]:
    """'1-2,4,6-' → [(1, 2), (4, 4), (6, None)]: the syntax alone, before the page count is known."""
    if text is None or not text.strip():
        return [(1, None)]
    ranges: list[tuple[int, int | None]] = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?", part)
        if not m:
            raise InputError(f"--pages {text!r}: expected page numbers such as 1, 1-2 or 2-, separated by commas")
        first = int(m.group(1))
        last = first if not m.group(2) else (int(m.group(3)) if m.group(3) else None)
        if first < 1 or (last is not None and last < first):
            raise InputError(f"--pages {text!r}: {part.strip()!r} is not a page range (pages count from 1)")
        ranges.append((first, last))
    return ranges


def parse_pages(text: str | None, count: int) -> list[int]:
    """'1-2,4' → [1, 2, 4] (1-based, in order, no repeats); None → every page. 'N-' runs to the end."""
    pages: list[int] = []
    for first, last in page_ranges(text):
        if max(first, last or 0) > count:
            raise InputError(f"--pages {text!r}: the PDF has {count} page{'s' if count != 1 else ''}")
        pages += [p for p in range(first, (last or count) + 1) if p not in pages]
    return pages


def check_dpi(dpi: int) -> int:
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise InputError(f"--dpi {dpi}: expected a resolution from {MIN_DPI} to {MAX_DPI}")
    return dpi


def check_output_dir(spec: str | Path, out_dir: str | None, *, allow_outside: bool) -> None:
    """A folder named after -o stays inside the project folder (the spec's), links resolved, unless
    --allow-outside, as the PDF does: checked before the build, so nothing is written when refused."""
    if out_dir is None or allow_outside:
        return
    base = Path(spec).absolute().parent.resolve()
    try:
        real = Path(out_dir).resolve()
    except (OSError, RuntimeError) as exc:
        raise InputError(f"cannot use {out_dir!r} for the images: {exc}", Location(f"-o {out_dir}")) from None
    if not real.is_relative_to(base):
        raise InputError(f"the images would be written outside the project folder {base} (at {real}); "
                         "pass --allow-outside to write them there", Location(f"-o {out_dir}"))


def render_pages(pdf: Path, out_dir: Path, *, pages: str | None = None, dpi: int = 110,
                 stem: str | None = None) -> list[tuple[Path, int, int]]:
    """Write <out_dir>/<stem>-<page>.png for the chosen pages; returns (path, width, height) each."""
    check_dpi(dpi)
    try:
        import pymupdf
    except ImportError:
        raise BuildError("paiban preview renders pages with PyMuPDF, which is not installed: "
                         "pip install 'paiban[preview]'") from None
    try:
        doc = pymupdf.open(pdf)
    except Exception as exc:  # noqa: BLE001 - PyMuPDF raises its own types for unreadable files
        raise BuildError(f"cannot open {pdf}: {exc}") from None
    with doc:
        chosen = parse_pages(pages, doc.page_count)
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = stem or pdf.stem
        written = []
        for number in chosen:
            rect = doc[number - 1].rect
            w, h = round(rect.width * dpi / 72), round(rect.height * dpi / 72)
            if w * h > MAX_PIXELS or max(w, h) > MAX_SIDE:
                raise InputError(f"page {number} at {dpi} dpi would be {w:,}×{h:,} px; at most "
                                 f"{MAX_PIXELS // 1_000_000} megapixels and {MAX_SIDE:,} px a side: lower --dpi",
                                 Location(f"--dpi {dpi}"))
            pix = doc[number - 1].get_pixmap(dpi=dpi, alpha=False)
            path = out_dir / f"{stem}-{number}.png"
            try:
                pix.save(path)
            except Exception as exc:  # noqa: BLE001
                raise BuildError(f"cannot write {path}: {exc}", Location(str(path))) from None
            written.append((path, pix.width, pix.height))
        if pages is None:  # a shorter document: drop images of pages that no longer exist
            for old in out_dir.glob(f"{glob.escape(stem)}-*.png"):
                tail = old.stem[len(stem) + 1:]
                if tail.isdigit() and int(tail) > doc.page_count:
                    old.unlink(missing_ok=True)
    return written
