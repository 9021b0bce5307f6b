"""The chart cache in figures/: redraw a chart only when something it shows or is drawn with changed.

Per chart id three files, each written atomically (`paiban.store.write_atomically`) so concurrent
builds never leave a half-written file; a file that cannot be written is an OSError, which the
build reports (charts are outputs the editor sees in figures/, not a silent cache):

- `<id>.svg` — the drawing (a comment inside records its key), useful on its own;
- `<id>.pkl` — the parsed ReportLab Drawing with its key, so a warm build skips svglib too;
- `<id>.key` — JSON: the key and the digest of each input, so a rebuild can say *why* it redrew.

The key is a hash of the figure block (minus caption/placement, which are not drawn), the table's
content (not its mtime), the theme, the font files' contents, the drawing width, the versions of
matplotlib/svglib/ReportLab/paiban, and the source of the drawing code itself. Every file carries
its key and is checked on reading, so files from a concurrent build with other inputs are never
mixed up; at worst they cause one more redraw.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from paiban import store
from paiban.charts.style import ChartStyle
from paiban.charts.tables import Table
from paiban.spec.charts import ChartTheme, FigureBlock
from paiban.store import file_digest

CACHE_FORMAT = 1
NOT_DRAWN = frozenset({"caption", "placement", "source", "width"})  # figure keys charts do not draw
FACTS_ONLY = frozenset({"number_size"})  # theme keys only facts boxes use
_KEY_MARK = b"<!-- paiban-chart-key: "


@dataclass(frozen=True)
class Key:
    value: str
    parts: dict[str, str]

    def changed(self, old: dict[str, str] | None) -> list[str]:
        """Names of the inputs that differ from an earlier key's (all when there was none)."""
        if not old:
            return ["new"]
        return [name for name, digest in self.parts.items() if old.get(name) != digest] or ["unknown"]


def chart_key(fig: FigureBlock, table: Table, theme: ChartTheme, style: ChartStyle, width: float,
              pitch: float | None, memo_dir: Path | None = None) -> Key:
    """`memo_dir`: where font files' digests are remembered between builds (see file_digest)."""
    parts = {
        "figure": _digest(fig.model_dump(mode="json", exclude=set(NOT_DRAWN))),
        "data": table.digest(),
        "theme": _digest(theme.model_dump(mode="json", exclude=set(FACTS_ONLY))),
        "fonts": _digest([(f.rl_name, f.index, file_digest(f.path, memo_dir)) for f in style.faces]),
        "size": _digest([round(width, 3), round(pitch, 3) if pitch else None]),
        "code": code_digest(),
        "versions": _digest(versions()),
    }
    return Key(_digest([CACHE_FORMAT, parts]), parts)


def _digest(obj: Any) -> str:
    payload = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@cache
def code_digest() -> str:
    """The drawing code's own source: editing how a chart is drawn must redraw it."""
    return store.code_digest(*store.package_sources(Path(__file__).parent))


@cache
def versions() -> dict[str, str]:
    """Library versions from package metadata (importing matplotlib just to ask would cost 0.5 s)."""
    from paiban import __version__

    out = {"paiban": __version__}
    for dist in ("matplotlib", "svglib", "reportlab"):
        try:
            out[dist] = _dist_version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "?"
    return out


_VERSION_LINE = re.compile(r"^Version:[ \t]*(\S+)", re.M)


def _dist_version(name: str) -> str:
    """metadata.version(name) without its email parser: importing and running it for three
    packages was 5 ms of every warm build; the Version line is all the key needs."""
    dist = metadata.distribution(name)
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    found = _VERSION_LINE.search(text.split("\n\n", 1)[0])  # the header, not the description
    return found.group(1) if found else metadata.version(name)


# ------------------------------------------------------------------ files


CACHE_MODE = 0o644  # as readable as any output, whatever the umask


def save_svg(path: Path, svg: bytes) -> None:
    """Write `<id>.svg` (raises OSError)."""
    store.write_atomically(path, svg, mode=CACHE_MODE)


def paths(figures_dir: Path, chart_id: str) -> tuple[Path, Path, Path]:
    return figures_dir / f"{chart_id}.svg", figures_dir / f"{chart_id}.pkl", figures_dir / f"{chart_id}.key"


def read_key(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_key(path: Path, key: Key) -> None:
    store.write_atomically(path, json.dumps({"key": key.value, "parts": key.parts}, indent=1).encode("utf-8"),
                           mode=CACHE_MODE)


_SAFE_BUILTINS = frozenset({"object", "set", "frozenset", "list", "dict", "tuple", "bytes", "bytearray",
                            "int", "float", "complex", "str", "bool", "slice"})


class _DrawingUnpickler(pickle.Unpickler):
    """Unpickles ReportLab drawings and nothing else.

    figures/ travels with a project (a shared folder, an archive); a plain pickle.load of a
    crafted file there would run arbitrary code at build time. Only ReportLab classes and plain
    containers may be named in a chart cache file.
    """

    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("reportlab.") or (module == "builtins" and name in _SAFE_BUILTINS) or (
                module == "copyreg" and name == "_reconstructor"):
            obj = super().find_class(module, name)
            if isinstance(obj, type) or module == "copyreg":
                return obj
        raise pickle.UnpicklingError(f"refusing {module}.{name} in a chart cache file")


def load_drawing(path: Path, key: Key) -> Any | None:
    """The pickled Drawing if it was made with this key; None otherwise (missing, stale, unreadable,
    or naming anything but ReportLab classes)."""
    try:
        with open(path, "rb") as f:
            obj = _DrawingUnpickler(f).load()
    except Exception:  # noqa: BLE001 - a corrupt or incompatible cache file is simply a miss
        return None
    if not isinstance(obj, dict) or obj.get("key") != key.value:
        return None
    return obj.get("drawing")


def save_drawing(path: Path, key: Key, drawing: Any) -> None:
    store.write_atomically(path, pickle.dumps({"key": key.value, "drawing": drawing}, protocol=pickle.HIGHEST_PROTOCOL),
                           mode=CACHE_MODE)


def stamp_svg(svg: bytes, key: Key) -> bytes:
    """The SVG with its key in a comment after the XML declaration."""
    mark = _KEY_MARK + key.value.encode() + b" -->\n"
    if svg.startswith(b"<?xml"):
        end = svg.index(b"?>") + 2
        return svg[:end] + b"\n" + mark + svg[end:].lstrip(b"\n")
    return mark + svg


def svg_key(svg: bytes) -> str | None:
    i = svg.find(_KEY_MARK, 0, 4096)
    if i < 0:
        return None
    j = svg.find(b" -->", i)
    return svg[i + len(_KEY_MARK): j].decode("ascii", "replace") if j > 0 else None
