"""A character no configured font has is drawn from an installed font that has it (fontconfig's
charset query), with a warning naming the character, the file and the spec line; off with
`fonts.system_fallback: false`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from tests.support.fontmaker import COMMON, NOWHERE, build_otf, build_ttf, save
from tests.support.project import ROOT

SPEC = """\
document:
  title: 测试标题
fonts:
  song: {{regular: fonts/song.otf}}
  hei: {{regular: fonts/hei.ttf}}
  fallback: [song, hei]
{extra}body:
  - text: |
      这是正文段落，{body}一二三。
"""


def _build(proj: Path, conf: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1", FONTCONFIG_FILE=str(conf))
    return subprocess.run([sys.executable, "-m", "paiban", "build", "report.yaml"], cwd=proj, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig's fc-list")
def test_a_rare_character_is_drawn_from_an_installed_font_and_read_back(tmp_path: Path) -> None:
    installed = tmp_path / "installed"
    rare_font = save(build_ttf(COMMON + NOWHERE, "Paiban Rare Sans"), installed / "rare.ttf")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"<?xml version='1.0'?><fontconfig><dir>{installed}</dir><cachedir>{tmp_path / 'fc'}"
                    "</cachedir></fontconfig>", encoding="utf-8")
    proj = tmp_path / "p"
    (proj / "fonts").mkdir(parents=True)
    save(build_otf(COMMON), proj / "fonts" / "song.otf")
    save(build_ttf(COMMON), proj / "fonts" / "hei.ttf")
    (proj / "report.yaml").write_text(SPEC.format(body=NOWHERE, extra=""), encoding="utf-8")
    r = _build(proj, conf)
    assert r.returncode == 0, r.stderr
    assert (f"report.yaml:9:14: warning: no configured font has '{NOWHERE}' (U+946B); drawn from the "
            f"installed font {rare_font} (Paiban Rare Sans)") in r.stderr
    with pymupdf.open(proj / "build" / "report.pdf") as doc:
        page = doc[0]
        assert f"这是正文段落，{NOWHERE}一二三。" in page.get_text().replace("\n", "")
        fonts = {f[3].split("+", 1)[-1] for f in page.get_fonts()}
        boxes = [d for d in page.get_drawings() if d.get("color") and d["color"][0] > 0.7 > d["color"][1]
                 and d["items"][0][0] == "re"]
    assert "PaibanRareSans-Regular" in fonts and not boxes  # drawn, not a placeholder box

    # off: the character no configured font has is an error again
    (proj / "report.yaml").write_text(SPEC.format(body=NOWHERE, extra="  system_fallback: false\n"),
                                      encoding="utf-8")
    r = _build(proj, conf)
    assert r.returncode == 2 and f"no font has '{NOWHERE}' (U+946B)" in r.stderr
