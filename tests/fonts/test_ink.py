"""Glyph ink for punctuation compression, read from ReportLab's bytes rather than fontTools.

Face.ink() used to open each face with fontTools, whose cmap parse cost about 0.3 s per bundled
face in every build (a third of a warm build). It now reads xMin/xMax from the glyph header in
the font data ReportLab already holds; this checks that against fontTools' own bounds, for the
bundled faces parsed directly and read back from the metrics cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FTFont

from paiban.cjk.chars import COMPRESSIBLE
from paiban.fonts.convert import BASE_CHARS
from paiban.fonts.face import Face
from paiban.fonts.load import load_face, reportlab_font
from paiban.pdf import metrics
from tests.support.project import ROOT

FACES = sorted((ROOT / "fonts").glob("*.ttf"))
CHARS = sorted(set(COMPRESSIBLE) | set(BASE_CHARS) | set("“”‘’—…中国汉字"))


def fonttools_inks(path: Path) -> dict[str, tuple[float, float] | None]:
    out: dict[str, tuple[float, float] | None] = {}
    with FTFont(str(path), lazy=True) as ft:
        cmap, glyf, upem = ft.getBestCmap(), ft["glyf"], ft["head"].unitsPerEm
        for ch in CHARS:
            name = cmap.get(ord(ch))
            glyph = glyf[name] if name is not None else None
            if glyph is None or glyph.numberOfContours == 0:
                out[ch] = None
                continue
            glyph.recalcBounds(glyf)
            out[ch] = (glyph.xMin / upem, glyph.xMax / upem)
    return out


@pytest.mark.parametrize("path", FACES, ids=[p.stem for p in FACES])
def test_ink_matches_fonttools_bounds(path: Path, tmp_path: Path) -> None:
    expected = fonttools_inks(path)
    assert sum(ink is not None for ink in expected.values()) > 100
    for face in (load_face(path), _from_metrics_cache(path, tmp_path / "cache")):
        for ch in CHARS:
            assert face._glyf_ink(ch) == expected[ch], (path.name, ch)
            face._ink.pop(ch, None)
            assert face.ink(ch) == expected[ch], (path.name, ch)


def _from_metrics_cache(path: Path, cache_dir: Path) -> Face:
    """A face built from the metrics cache file, as a later build in a new process gets it."""
    path = path.resolve()
    reportlab_font("pb-ink-test", path, None, cache_dir=cache_dir)  # parses, and stores the metrics
    tt = metrics.load("pb-ink-test", path, cache_dir)
    assert tt is not None, "metrics cache not written"
    return Face(path=path, rl_name="pb-ink-test", _tt=tt)
