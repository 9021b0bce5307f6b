"""Where the bundled fonts are, whether paiban runs from a checkout or from an installed wheel.

The six faces (24 MB) live once in the repository's `fonts/` folder. A wheel cannot reach that
folder, so pyproject.toml ships them as data files (`<prefix>/share/paiban/fonts`); an editable
install or `PYTHONPATH=src` finds the checkout's folder instead. `paiban init` copies them from
whichever of these exists, so a new project is self-contained.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

# The faces `paiban init` copies and its report.yaml names, with their licence texts.
FACES = ("NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf", "NotoSerifSC-Black.ttf", "NotoSansSC-Regular.ttf",
         "NotoSansSC-Bold.ttf", "LXGWWenKai-Regular.ttf")
LICENCES = ("OFL-Noto.txt", "OFL-LXGWWenKai.txt", "README.md")
DATA_SUBDIR = Path("share") / "paiban" / "fonts"
ENV = "PAIBAN_FONTS"


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in FACES)


def candidates() -> list[Path]:
    """Folders that may hold the bundled fonts, most specific first."""
    found: list[Path] = []
    if os.environ.get(ENV):
        found.append(Path(os.environ[ENV]))
    # A source checkout: src/paiban/fonts/bundled.py → <repo>/fonts
    found.append(Path(__file__).resolve().parents[3] / "fonts")
    # A wheel install: data files land under the scheme's data path (venv, --user, system).
    try:
        from importlib.metadata import PackageNotFoundError, distribution

        dist = distribution("paiban")
        for f in dist.files or ():
            if f.name == FACES[0] and "share" in f.parts:
                found.append(Path(str(dist.locate_file(f))).resolve().parent)
                break
    except (PackageNotFoundError, OSError):
        pass
    for scheme in (sysconfig.get_default_scheme(), sysconfig.get_preferred_scheme("user")):
        found.append(Path(sysconfig.get_path("data", scheme)) / DATA_SUBDIR)
    return found


def bundled_fonts_dir() -> Path | None:
    """The first folder holding all five bundled faces, or None when paiban was installed without them."""
    for folder in candidates():
        if _complete(folder):
            return folder
    return None
