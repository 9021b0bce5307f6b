"""ReportLab's parse of a face, kept between builds (paiban.pdf.metrics).

A warm build reads each bundled face from the cache instead of letting ReportLab parse it. What
ReportLab gets must be exactly what its own parse gives: every attribute it reads, and the PDF
bytes it writes. A cache file that is damaged, stale or crafted is never trusted, and never run.
"""

from __future__ import annotations

import copy
import mmap
import os
import pickle
from pathlib import Path

import pytest
from fontTools.ttLib.scaleUpem import scale_upem
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from paiban.fonts.load import reportlab_font
from paiban.pdf import metrics
from paiban.pdf.metrics import CachedFace, Pairs, cache_path, comparable
from tests.support.fontmaker import COMMON, build_ttf, save
from tests.support.project import FONTS

FACES = sorted(FONTS.glob("*.ttf"))


def cached(path: Path, cache_dir: Path, name: str) -> TTFont:
    tt = metrics.load(name, path, cache_dir)
    assert tt is not None, f"no usable cache file for {path.name}"
    return tt


@pytest.mark.parametrize("path", FACES, ids=[p.stem for p in FACES])
def test_a_cached_face_is_what_reportlab_parses(path: Path, tmp_path: Path) -> None:
    parsed = TTFont("pb-parsed", str(path))
    assert metrics.store(parsed, path, tmp_path)
    back = cached(path, tmp_path, "pb-parsed")
    assert isinstance(back.face, CachedFace) and isinstance(back.face._ttf_data, mmap.mmap)
    assert "glyphToChar" not in vars(back.face)  # made only if ReportLab's shaping asks for it
    assert comparable(back) == comparable(parsed)
    assert back.face.glyphToChar == parsed.face.glyphToChar
    assert back.face.charToGlyph == parsed.face.charToGlyph
    assert list(back.face.charWidths) == list(parsed.face.charWidths)  # the same order, too
    assert copy.deepcopy(back).face is back.face  # a mapped file cannot be copied: shared


def test_the_pdf_is_the_same_byte_for_byte(tmp_path: Path) -> None:
    big = FONTS / "LXGWWenKai-Regular.ttf"  # its glyphToChar is not the inverse of its cmap
    parsed = reportlab_font("pb-test-parsed", big, None, cache_dir=tmp_path)  # parses, stores the cache
    assert cache_path(big, tmp_path).is_file()
    again = reportlab_font("pb-test-cached", big, None, cache_dir=tmp_path)
    assert isinstance(again.face, CachedFace) and again.fontName == "pb-test-cached"
    text = "楷体：盂县党建，ABC 123。“引号”"
    assert pdf_of(parsed, text, tmp_path) == pdf_of(again, text, tmp_path)  # subset, widths, text


def pdf_of(tt: TTFont, text: str, folder: Path) -> bytes:
    """A one-line PDF set in `tt` (registered here), as bytes; invariant: no date or random id."""
    pdfmetrics.registerFont(tt)
    out = folder / f"{tt.fontName}.pdf"
    c = Canvas(str(out), pagesize=(300, 100), invariant=1, initialFontName=tt.fontName)
    c.setFont(tt.fontName, 14)
    c.drawString(10, 50, text)
    c.save()
    return out.read_bytes()


def test_a_face_whose_em_is_not_1000_units_comes_back_with_float_widths(tmp_path: Path) -> None:
    """ReportLab scales widths to 1000 units: floats for a 2048-unit em (most Latin fonts), and
    the advance it repeats at the end of hmetrics too. The cache must give back floats, not ints."""
    font = build_ttf(COMMON, "Paiban Test Em")
    scale_upem(font, 2048)
    path = save(font, tmp_path / "em2048.ttf")
    parsed = TTFont("pb-em-parsed", str(path))
    assert {type(w) for w in parsed.face.charWidths.values()} == {float}
    assert metrics.store(parsed, path, tmp_path)
    back = cached(path, tmp_path, "pb-em-cached")
    assert comparable(back)[0] == comparable(parsed)[0]
    assert back.face.hmetrics[-1] == parsed.face.hmetrics[-1]
    assert type(back.face.hmetrics[-1][0]) is type(parsed.face.hmetrics[-1][0])
    assert pdf_of(parsed, COMMON, tmp_path) == pdf_of(back, COMMON, tmp_path)


def test_hmetrics_pairs_index_like_the_list(tmp_path: Path) -> None:
    path = FONTS / "NotoSansSC-Regular.ttf"
    parsed = TTFont("pb-pairs", str(path)).face.hmetrics
    metrics.store(TTFont("pb-pairs", str(path)), path, tmp_path)
    pairs = cached(path, tmp_path, "pb-pairs").face.hmetrics
    assert isinstance(pairs, Pairs) and len(pairs) == len(parsed)
    n = len(parsed)
    for i in (0, 1, 37, n - 1, -1, -2, -n):
        assert pairs[i] == parsed[i]
    assert pairs[3:9] == parsed[3:9] and pairs[-4:] == parsed[-4:]
    assert list(pairs) == parsed
    for i in (n, -n - 1):
        with pytest.raises(IndexError):
            pairs[i]


def test_a_damaged_or_foreign_cache_file_is_parsed_again(tmp_path: Path) -> None:
    path = FONTS / "NotoSerifSC-Bold.ttf"
    parsed = reportlab_font("pb-damaged", path, None, cache_dir=tmp_path)
    stored = cache_path(path, tmp_path)
    good = stored.read_bytes()
    for bad in (b"", good[:100], good[:-4], good + b"\0\0\0\0", b"PBRLM1\n" + good[7:]):
        stored.write_bytes(bad)
        assert metrics.load("pb-damaged", path, tmp_path) is None
        again = reportlab_font("pb-damaged-again", path, None, cache_dir=tmp_path)
        assert comparable(again)[0] == comparable(parsed)[0]


class _Trap:
    """A pickle that creates a file when it is loaded: what a crafted cache file could do."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.touch, (self.target,))


def test_a_crafted_cache_file_never_runs(tmp_path: Path) -> None:
    path = FONTS / "NotoSansSC-Bold.ttf"
    trap = tmp_path / "ran"
    stored = cache_path(path, tmp_path)
    stored.parent.mkdir(parents=True)
    payload = pickle.dumps(_Trap(trap))
    for data in (payload, metrics.MAGIC + payload):
        stored.write_bytes(data)
        tt = reportlab_font("pb-crafted", path, None, cache_dir=tmp_path)
        assert not trap.exists()
        assert tt.face.charWidths == TTFont("pb-crafted", str(path)).face.charWidths


def test_old_cache_files_of_a_font_are_pruned(tmp_path: Path) -> None:
    path = FONTS / "NotoSerifSC-Regular.ttf"
    folder = tmp_path / "metrics"
    folder.mkdir()
    old = [folder / f"NotoSerifSC-Regular-{i:016x}.bin" for i in range(6)]
    other = folder / "NotoSerifSC-Regular-Italic-0000000000000000.bin"  # another font's name
    for i, p in enumerate([*old, other]):
        p.write_bytes(b"PBRLM1\n")
        os.utime(p, ns=(10**18 + i, 10**18 + i))
    reportlab_font("pb-prune", path, None, cache_dir=tmp_path)
    kept = sorted(p.name for p in folder.glob("NotoSerifSC-Regular-*.bin") if p != other)
    assert cache_path(path, tmp_path).name in kept
    assert len(kept) == metrics.KEEP_PER_NAME
    assert [p.name for p in old[-(metrics.KEEP_PER_NAME - 1):]] == [k for k in kept if k in {p.name for p in old}]
    assert other.exists()
