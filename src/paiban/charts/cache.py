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
import io
import json
import math
import os
import pickle
import re
import stat
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from paiban import memo, store
from paiban.charts.style import ChartStyle
from paiban.charts.tables import Table
from paiban.spec.charts import ChartTheme, FigureBlock
from paiban.store import file_digest

CACHE_FORMAT = 1
NOT_DRAWN = frozenset({"caption", "placement", "source", "width"})  # figure keys charts do not draw
FACTS_ONLY = frozenset({"number_size"})  # theme keys only facts boxes use
_KEY_MARK = b"<!-- paiban-chart-key: "
#: Chart drawings a watch session keeps loaded (`paiban.memo`).
MEMO_DRAWINGS = 200


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
        out[dist] = dist_version(dist)
    return out


_VERSION_LINE = re.compile(r"^Version:[ \t]*(\S+)", re.M)


def dist_version(name: str) -> str:
    """The version importlib.metadata gives for `name` ("?" when it is not installed), read from
    the METADATA file's Version line: a warm build neither imports importlib.metadata (with its
    email parser, csv and zipfile: ≈ 20 ms) nor parses the file as mail. The METADATA file is the
    one importlib.metadata would find first (`_metadata_file`); an install it does not find there
    (an egg, a zip, a custom finder) is asked of importlib.metadata itself."""
    found = _metadata_file(name)
    if found is not None:
        try:
            text = found.read_text("utf-8", errors="surrogateescape")
        except OSError:
            text = ""
        version = _VERSION_LINE.search(text.split("\n\n", 1)[0])  # the header, not the description
        if version:
            return version.group(1)
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _metadata_file(name: str) -> Path | None:
    """`<name>-<version>.dist-info/METADATA` in the first sys.path folder that holds a dist-info
    for `name`, matched as importlib.metadata matches it (case, `-`, `_` and `.` alike; folders in
    listing order); None when the first match is anything else (an .egg-info) or there is none."""
    import os

    want = re.sub(r"[-_.]+", "_", name).lower()
    for entry in sys.path:
        if os.path.basename(entry).lower().endswith(".egg"):
            return None  # an egg folder: importlib.metadata reads its EGG-INFO
        try:
            children = os.listdir(entry or ".")
        except OSError:
            continue
        for child in children:
            low = child.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            if re.sub(r"[-_.]+", "_", low.rpartition(".")[0].partition("-")[0]) != want:
                continue
            if not low.endswith(".dist-info"):
                return None
            return Path(entry or ".", child, "METADATA")
    return None


# ------------------------------------------------------------------ files


CACHE_MODE = 0o644  # as readable as any output, whatever the umask


def save_svg(path: Path, svg: bytes) -> None:
    """Write `<id>.svg` (raises OSError)."""
    store.write_atomically(path, svg, mode=CACHE_MODE)


def paths(figures_dir: Path, chart_id: str) -> tuple[Path, Path, Path]:
    return figures_dir / f"{chart_id}.svg", figures_dir / f"{chart_id}.pkl", figures_dir / f"{chart_id}.key"


MAX_KEY_BYTES = 64 * 1024
MAX_CACHE_BYTES = 32 * 1024 * 1024  # a chart's .svg or .pkl: the default briefing's are < 200 KB
MAX_SHAPES = 200_000  # shapes visited in one drawing (a shared group counts each time it is drawn)
MAX_POINTS = 4_000_000  # path coordinates in one drawing
_HEX64 = re.compile(r"[0-9a-f]{64}")


def read_key(path: Path) -> dict[str, Any] | None:
    """`<id>.key` as written (a key and the digests of its parts); None for anything else."""
    try:
        data = json.loads(store.read_regular(path, MAX_KEY_BYTES, follow=False))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("key"), str) or not _HEX64.fullmatch(data["key"]):
        return None
    parts = data.get("parts")
    if not isinstance(parts, dict) or len(parts) > 64 or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= 128 for k, v in parts.items()):
        return None
    return data


def read_cached(path: Path) -> bytes | None:
    """A chart cache file's bytes: a regular file (not a link: it could lead anywhere), capped."""
    try:
        return store.read_regular(path, MAX_CACHE_BYTES, follow=False)
    except OSError:
        return None


def write_key(path: Path, key: Key) -> None:
    store.write_atomically(path, json.dumps({"key": key.value, "parts": key.parts}, indent=1).encode("utf-8"),
                           mode=CACHE_MODE)


def _allowed_classes() -> dict[tuple[str, str], type]:
    """The only classes a chart cache file may name: the shapes svglib makes (no Image: it reads
    a file), colours, and the attribute maps and validators the shapes carry."""
    import inspect

    from reportlab.graphics import shapes
    from reportlab.lib import attrmap, colors, validators

    allowed: dict[tuple[str, str], type] = {}
    for cls in (shapes.Drawing, shapes.Group, shapes.Path, shapes.String, shapes.Rect, shapes.Line,
                shapes.PolyLine, shapes.Polygon, shapes.Circle, shapes.Ellipse, shapes.Wedge,
                colors.Color, colors.CMYKColor, colors.CMYKColorSep, colors.PCMYKColor, colors.PCMYKColorSep,
                attrmap.AttrMap, attrmap.AttrMapValue):
        allowed[(cls.__module__, cls.__name__)] = cls
    for name, cls in inspect.getmembers(validators, inspect.isclass):
        if issubclass(cls, validators.Validator):
            allowed[(cls.__module__, name)] = cls
    return allowed


class _DrawingUnpickler(pickle.Unpickler):
    """Unpickles ReportLab drawings and nothing else.

    figures/ travels with a project (a shared folder, an archive); a plain pickle.load of a
    crafted file there would run arbitrary code at build time. Only the classes of a chart drawing
    may be named (no builtins: `bytearray(10**10)` is a pickle of a few bytes), and what is loaded
    is then checked shape by shape (`checked_drawing`).
    """

    def find_class(self, module: str, name: str) -> Any:
        cls = _ALLOWED.get((module, name)) if _ALLOWED else None
        if cls is None:
            raise pickle.UnpicklingError(f"refusing {module}.{name} in a chart cache file")
        return cls


_ALLOWED: dict[tuple[str, str], type] = {}


def load_drawing(path: Path, key: Key, fonts: frozenset[str] | None = None) -> Any | None:
    """The pickled Drawing if it was made with this key and is a drawing this code could have
    made; None otherwise (missing, stale, unreadable, too large, naming anything but the classes
    of a chart, or holding anything a chart does not: see `checked_drawing`)."""
    stamp = _stamp(path)
    loaded = memo.table("chart drawings loaded", MEMO_DRAWINGS) if stamp is not None else None
    if loaded is not None:
        drawing = loaded.get((stamp, key.value, fonts))
        if drawing is not None:  # this very file, read and checked earlier in the watch session
            return drawing
    drawing = _load_drawing(path, key, fonts)
    if loaded is not None and drawing is not None:
        loaded.put((stamp, key.value, fonts), drawing)
    return drawing


def _stamp(path: Path) -> tuple | None:
    """What tells a cache file from another one at `path`: a regular file's identity, size and
    modification time (a rewrite, even by another build, is a new file)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None


def _load_drawing(path: Path, key: Key, fonts: frozenset[str] | None) -> Any | None:
    if not _ALLOWED:
        _ALLOWED.update(_allowed_classes())
    raw = read_cached(path)
    if raw is None:
        return None
    try:
        obj = _DrawingUnpickler(io.BytesIO(raw)).load()
    except Exception as exc:  # noqa: BLE001 - a corrupt or incompatible cache file is simply a miss
        store.note_ignored(path, str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__)
        return None
    if not isinstance(obj, dict) or obj.get("key") != key.value:
        return None
    drawing = checked_drawing(obj.get("drawing"), fonts)
    if drawing is None:
        store.note_ignored(path, "not a chart drawing paiban could have made")
    return drawing


def checked_drawing(drawing: Any, fonts: frozenset[str] | None = None) -> Any | None:
    """`drawing` if it is what svglib makes of a chart, else None: a Drawing of finite size whose
    shapes are the allowed classes holding plain values (numbers finite, texts short, colours,
    coordinate lists), at most MAX_SHAPES shapes drawn (a group shared a thousand times over is
    counted each time, as the renderer would draw it) and MAX_POINTS coordinates, texts only in
    `fonts` when given, and at least one path or text (not a blank chart)."""
    from reportlab.graphics import shapes
    from reportlab.lib.attrmap import AttrMap
    from reportlab.lib.colors import Color

    if type(drawing) is not shapes.Drawing or not _finite(drawing.width) or not _finite(drawing.height):
        return None
    if not (0 < drawing.width < 1e5 and 0 < drawing.height < 1e5):
        return None
    drawn = points = ink = 0
    stack: list[Any] = [drawing]
    while stack:
        node = stack.pop()
        drawn += 1
        if drawn > MAX_SHAPES or not isinstance(node, shapes.Shape) or isinstance(node, shapes.Image):
            return None
        for name, value in vars(node).items():
            if name == "contents":
                if not isinstance(value, list) or not isinstance(node, shapes.Group):
                    return None
                stack.extend(value)
            elif name == "_attrMap":
                if not isinstance(value, AttrMap):
                    return None
            elif isinstance(value, list | tuple):
                if not all(_finite(v) for v in value):
                    return None
                points += len(value)
                if points > MAX_POINTS:
                    return None
            elif isinstance(value, Color):
                if not all(_finite(v) for v in (value.red, value.green, value.blue, value.alpha)):
                    return None
            elif isinstance(value, str):
                if len(value) > 10_000:
                    return None
            elif value is not None and not _finite(value):
                return None
        ink += not isinstance(node, shapes.Group)
        if isinstance(node, shapes.String) and (not isinstance(node.text, str) or (
                fonts is not None and node.fontName not in fonts)):
            return None
    if fonts is not None and getattr(drawing, "initialFontName", None) not in fonts:
        return None
    return drawing if ink else None  # only empty groups: a blank chart


def _finite(value: Any) -> bool:
    return type(value) in (int, float, bool) and math.isfinite(value)


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
