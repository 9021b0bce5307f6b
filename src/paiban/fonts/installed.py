"""Installed fonts found by family name (`fonts: {song: {regular: {name: ...}}}`).

fontconfig knows every font the system has, and how heavy each face is; where it is not
installed (macOS, Windows), matplotlib's font list answers instead. The face picked is the one
closest to the weight asked for, upright before italic.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from paiban.fonts.names import name_key


@dataclass(frozen=True)
class Installed:
    """An installed face found by family name: its file, its index there, and what found it."""

    path: Path
    index: int
    family: str
    style: str
    how: str  # "fontconfig" or "matplotlib"


# fontconfig's weight scale: 80 regular, 200 bold (see FcWeightFromOpenType)
_FC_REGULAR, _FC_BOLD = 80, 200


def _fc_weight(opentype: float) -> float:
    points = [(100, 0), (200, 40), (300, 50), (350, 55), (380, 75), (400, 80), (500, 100), (600, 180),
              (700, 200), (800, 205), (900, 210), (1000, 215)]
    for (a, fa), (b, fb) in zip(points, points[1:], strict=False):
        if a <= opentype <= b:
            return fa + (fb - fa) * (opentype - a) / (b - a)
    return 0 if opentype < 100 else 215


def find_installed(name: str, *, bold: bool = False, weight: float | None = None) -> Installed | None:
    """The installed face of family `name` closest to the weight asked for (fontconfig, else matplotlib)."""
    target = _fc_weight(weight) if weight is not None else (_FC_BOLD if bold else _FC_REGULAR)
    found = _find_fontconfig(name, target)
    if found is None and shutil.which("fc-list") is None:
        found = _find_matplotlib(name, weight if weight is not None else (700 if bold else 400))
    return found


def _find_fontconfig(name: str, target: float) -> Installed | None:
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    pattern = re.sub(r"([\\\-:,])", r"\\\1", name)
    best: tuple[tuple, Installed] | None = None
    seen: set[tuple[str, int]] = set()
    for cand, w_val, slant_val in _fc_list(exe, pattern):
        if (str(cand.path), cand.index) in seen:
            continue
        seen.add((str(cand.path), cand.index))
        score = (abs(w_val - target), slant_val != 0, len(cand.style))
        if best is None or score < best[0]:
            best = (score, cand)
    return best[1] if best else None


def _fc_list(exe: str, pattern: str) -> list[tuple[Installed, float, int]]:
    """The faces `fc-list` gives for a pattern, each with its fontconfig weight and slant (none when
    fc-list cannot be run; a line it prints in another shape is passed over)."""
    fmt = "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\t%{weight}\t%{slant}\n"
    try:
        out = subprocess.run([exe, "--format", fmt, pattern], capture_output=True, text=True, timeout=30,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    faces = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 6 or not parts[0]:
            continue
        file, idx, fam, style, w, slant = parts
        try:
            index = int(idx) & 0xFFFF  # upper bits: a named instance of a variable font
            w_val = float(w.strip("[]").split()[0]) if w else _FC_REGULAR
            slant_val = int(slant or 0)
        except ValueError:
            continue
        faces.append((Installed(Path(file), index, fam, style, "fontconfig"), w_val, slant_val))
    return faces


def _find_matplotlib(name: str, weight: float) -> Installed | None:
    from matplotlib import font_manager

    want = name_key(name)
    best: tuple[tuple, Installed] | None = None
    for entry in font_manager.fontManager.ttflist:
        if name_key(entry.name) != want:
            continue
        w = entry.weight if isinstance(entry.weight, int | float) else 400
        score = (abs(float(w) - weight), entry.style != "normal")
        cand = Installed(Path(entry.fname), int(getattr(entry, "index", 0) or 0), entry.name, entry.style,
                         "matplotlib")
        if best is None or score < best[0]:
            best = (score, cand)
    return best[1] if best else None



def fonts_covering(ch: str) -> list[Installed]:
    """Installed faces that have a glyph for `ch`, regular upright faces first (fontconfig's
    charset query; where fontconfig is not installed, matplotlib's font list with each file's cmap)."""
    exe = shutil.which("fc-list")
    if exe is not None:
        found = [((slant_val != 0, abs(w_val - _FC_REGULAR), str(cand.path)), cand)
                 for cand, w_val, slant_val in _fc_list(exe, f":charset={ord(ch):x}")]
        return [inst for _, inst in sorted(found, key=lambda f: f[0])]
    return _covering_matplotlib(ch)


def _covering_matplotlib(ch: str) -> list[Installed]:
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    out = []
    for entry in font_manager.fontManager.ttflist:
        try:
            with TTFont(entry.fname, fontNumber=int(getattr(entry, "index", 0) or 0), lazy=True) as font:
                if ord(ch) in (font.getBestCmap() or {}):
                    out.append(Installed(Path(entry.fname), int(getattr(entry, "index", 0) or 0), entry.name,
                                         entry.style, "matplotlib"))
        except Exception:  # noqa: BLE001 - a file matplotlib lists but fontTools cannot read: not a candidate
            continue
    return out
