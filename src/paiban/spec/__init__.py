"""The spec stage: report.yaml → a validated `Spec` plus where each value was written.

Everything an editor can get wrong in the spec itself is found here, before any font is loaded
or chart drawn, and reported as located problems (all of them, not just the first).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paiban.errors import InputError, Location, Problem, dotted
from paiban.spec.loader import Source, problems_from, read_yaml


@dataclass
class LoadedSpec:
    """A valid spec, its folder, and a way back from key paths to file positions."""

    spec: Any  # paiban.spec.model.Spec (imported lazily by callers)
    source: Source
    base_dir: Path
    allow_outside: bool = False
    overrides: dict[str, str] = field(default_factory=dict)

    def where(self, keys: Sequence[Any], *, at_key: bool = False) -> Location:
        return self.source.where(keys, at_key=at_key)

    @property
    def cache_dir(self) -> Path:
        """Where derived files live (converted fonts, word segmentation): safe to delete."""
        return self.base_dir / ".paiban-cache"

    def resolve(self, relpath: str, keys: Sequence[Any], *, must_exist: bool = True, what: str = "file") -> Path:
        return resolve_path(self.base_dir, relpath, self.where(keys), dotted(keys),
                            allow_outside=self.allow_outside, must_exist=must_exist, what=what)


def resolve_path(base: Path, relpath: str, where: Location, keypath: str, *, allow_outside: bool,
                 must_exist: bool = True, what: str = "file") -> Path:
    """A path from the spec, resolved against the spec's folder and kept inside it.

    Symlinks are resolved first, so a link that leads outside the project is refused too.
    """
    if not relpath or "\x00" in relpath:
        raise InputError(f"expected a {what} path, got {relpath!r}", where, keypath)
    path = Path(os.path.expanduser(relpath))
    full = path if path.is_absolute() else base / path
    try:
        real = full.resolve()
    except (OSError, RuntimeError) as exc:
        raise InputError(f"cannot resolve {what} {relpath!r}: {exc}", where, keypath) from None
    if not allow_outside and not real.is_relative_to(base.resolve()):
        raise InputError(f"{what} {relpath!r} is outside the project folder {base}; "
                         "pass --allow-outside to use it", where, keypath)
    try:
        found = real.is_file()
    except OSError as exc:  # a name too long for the file system, …
        raise InputError(f"cannot use {what} {_short_path(relpath)}: {exc.strerror}", where, keypath) from None
    if must_exist and not found:
        raise InputError(f"{what} not found: {_short_path(relpath)} (looked at {_short_path(str(full), quote=False)})",
                         where, keypath)
    return real


def _short_path(path: str, *, quote: bool = True) -> str:
    """A path for a one-line message: quoted, and cut in the middle when very long."""
    text = repr(path) if quote or not path.isprintable() else path
    return text if len(text) <= 160 else f"{text[:100]}…{text[-50:]}"


def parse_override(item: str) -> tuple[list[Any], Any]:
    """`page.columns=2` → (['page', 'columns'], 2); the value is read as YAML."""
    if "=" not in item:
        raise InputError(f"--set {item!r}: expected KEY.PATH=VALUE, e.g. page.columns=2")
    key, raw = item.split("=", 1)
    keys: list[Any] = []
    for part in key.strip().split("."):
        if not part:
            raise InputError(f"--set {item!r}: empty key in {key!r}")
        keys.append(int(part) if part.isdigit() else part)
    import yaml

    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return keys, value


def apply_overrides(data: Any, overrides: Iterable[str]) -> dict[str, str]:
    done: dict[str, str] = {}
    for item in overrides:
        keys, value = parse_override(item)
        node = data
        for i, k in enumerate(keys[:-1]):
            nxt = node[k] if isinstance(node, list) and isinstance(k, int) and k < len(node) else (
                node.get(k) if isinstance(node, dict) else None)
            if nxt is None:
                if not isinstance(node, dict):
                    raise InputError(f"--set {item!r}: {dotted(keys[: i + 1])} is not a mapping")
                nxt = node[k] = {}
            node = nxt
        if isinstance(node, dict):
            node[keys[-1]] = value
        elif isinstance(node, list) and isinstance(keys[-1], int) and keys[-1] < len(node):
            node[keys[-1]] = value
        else:
            raise InputError(f"--set {item!r}: {dotted(keys[:-1])} is not a mapping")
        done[dotted(keys)] = item
    return done


def load_spec(path: str | Path, *, overrides: Iterable[str] = (), allow_outside: bool = False,
              text: str | None = None) -> LoadedSpec:
    """Load and check a spec; raises InputError carrying every problem found."""
    from pydantic import ValidationError

    spec_class = spec_model()
    path = Path(path)
    source = read_yaml(path, text)
    if not isinstance(source.data, dict):
        raise InputError("expected a mapping with keys document, page, fonts, styles, body, …; "
                         f"got {type(source.data).__name__ if source.data is not None else 'an empty file'}",
                         source.where([]))
    done = apply_overrides(source.data, overrides)
    try:
        spec = spec_class.model_validate(source.data)
    except ValidationError as exc:
        problems = problems_from(exc, source, spec_class)
        for p in problems:
            if p.path and any(p.path == k or p.path.startswith(k + ".") for k in done):
                p.location = Location(f"--set {done.get(p.path, p.path)}")
        raise InputError(problems[0].message, problems[0].location, problems[0].path, problems) from None
    loaded = LoadedSpec(spec=spec, source=source, base_dir=path.resolve().parent,
                        allow_outside=allow_outside, overrides=done)
    problems = check_references(loaded)
    if problems:
        raise InputError(problems[0].message, problems[0].location, problems[0].path, problems)
    return loaded


def spec_model() -> type:
    """The `Spec` model class, its module imported (its pydantic classes built) on first use.

    Built with pydantic's plugins off (PYDANTIC_DISABLE_PLUGINS, read by pydantic each time it
    builds a class): looking for plugins reads the entry points of every installed distribution,
    about 3 ms of each build, and no plugin has anything to do with paiban's own spec models.
    The variable is set only while these classes are built, and a value the user set stays as it is.
    """
    if "paiban.spec.model" not in sys.modules and _PLUGINS_OFF not in os.environ:
        os.environ[_PLUGINS_OFF] = "__all__"
        try:
            import paiban.spec.model  # noqa: F401
        finally:
            os.environ.pop(_PLUGINS_OFF, None)
    from paiban.spec.model import Spec

    return Spec


_PLUGINS_OFF = "PYDANTIC_DISABLE_PLUGINS"


def check_references(loaded: LoadedSpec) -> list[Problem]:
    """Cross-checks pydantic cannot do alone: files exist, names refer to defined things."""
    spec = loaded.spec
    problems: list[Problem] = []

    def check(fn, *args, **kw) -> None:
        try:
            fn(*args, **kw)
        except InputError as exc:
            problems.extend(exc.problems)

    problems.extend(check_page_room(loaded))
    families = spec.fonts.families
    if not families:
        problems.append(Problem("expected at least one font family, e.g. song: {regular: fonts/…ttf}",
                                loaded.where(["fonts"]), "fonts"))
    for fam, family in families.items():
        for weight in ("regular", "bold"):
            face = getattr(family, weight)
            if face is None:
                continue
            relpath = face if isinstance(face, str) else face.path
            keys = ["fonts", fam, weight] + ([] if isinstance(face, str) else ["path"])
            if relpath:
                check(_check_font_file, loaded, relpath, keys, None if isinstance(face, str) else face.index)
    for i, name in enumerate(spec.fonts.fallback):
        if name not in families:
            problems.append(Problem(f"unknown font family {name!r}; fonts: defines {', '.join(families)}",
                                    loaded.where(["fonts", "fallback", i]), f"fonts.fallback[{i}]"))
    for sname, style in spec.styles.items():
        for key, names in (("font", [style.font] if style.font else []), ("fallback", style.fallback or [])):
            for j, name in enumerate(names):
                if name not in families:
                    keys = ["styles", sname, key] + ([j] if key == "fallback" else [])
                    problems.append(Problem(f"unknown font family {name!r}; fonts: defines {', '.join(families)}",
                                            loaded.where(keys), dotted(keys)))
    if spec.output:  # the spec may not write outside its project (-o on the command line may)
        check(loaded.resolve, spec.output, ["output"], must_exist=False, what="output file")
    for name, table in spec.data.items():
        relpath = getattr(table, "file", None)
        if relpath:
            check(loaded.resolve, relpath, ["data", name, "file"], what="data file")
    ids: dict[str, int] = {}
    for i, block in enumerate(spec.body):
        image = getattr(block, "image", None)
        if image is not None and image.file:
            check(loaded.resolve, image.file, ["body", i, "image", "file"], what="image")
        inline = getattr(getattr(block, "figure", None), "data", None)  # a figure's own table file
        if inline is not None and not isinstance(inline, str) and inline.file:
            check(loaded.resolve, inline.file, ["body", i, "figure", "data", "file"], what="data file")
        for kind in ("figure", "image", "facts"):
            inner = getattr(block, kind, None)
            bid = getattr(inner, "id", None) if inner is not None else None
            if bid:
                if bid in ids:
                    problems.append(Problem(f"duplicate id {bid!r} (also body[{ids[bid]}])",
                                            loaded.where(["body", i, kind, "id"]), f"body[{i}].{kind}.id"))
                ids[bid] = i
        style_name = None
        text = getattr(block, "text", None)
        if text is not None and not isinstance(text, str):
            style_name = text.style
        if style_name and style_name not in spec.styles and style_name not in _builtin_styles():
            problems.append(Problem(f"unknown style {style_name!r}", loaded.where(["body", i, "text", "style"]),
                                    f"body[{i}].text.style"))
    return problems


def _check_font_file(loaded: LoadedSpec, relpath: str, keys: list[Any], index: int | None) -> None:
    """The file exists inside the project, is a TrueType/OpenType font, and has the face asked for."""
    path = loaded.resolve(relpath, keys, what="font file")
    shown = repr(relpath) if len(relpath) <= 120 else repr(f"{relpath[:80]}…{relpath[-30:]}")
    try:
        faces = font_face_count(path)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InputError(f"font file {shown}: {why}", loaded.where(keys), dotted(keys)) from None
    if index is not None and index >= faces:
        at = [*keys[:-1], "index"]
        raise InputError(f"{shown} has {faces} face{'s' if faces > 1 else ''} (index 0–{faces - 1}), "
                         f"not index {index}", loaded.where(at), dotted(at))


def font_face_count(path: Path) -> int:
    """Faces in a font file by its first bytes: 1 for TTF/OTF/WOFF, n for a TTC/OTC collection."""
    with open(path, "rb") as f:
        head = f.read(12)
    tag = head[:4]
    if tag in (b"\0\1\0\0", b"true", b"OTTO", b"wOFF", b"wOF2"):
        return 1
    if tag == b"ttcf" and len(head) == 12:
        return max(1, int.from_bytes(head[8:12], "big"))
    raise ValueError("not a font file; expected TrueType or OpenType (.ttf, .otf, .ttc, .otc)")


MIN_COLUMN_PT = 28.35  # 1 cm: narrower, no line of text fits and the layout cannot finish
MIN_TEXT_HEIGHT_PT = 56.7  # 2 cm


def check_page_room(loaded: LoadedSpec) -> list[Problem]:
    """Margins, gutters and columns must leave room for text on the page.

    Each value may be valid alone (margins: 140mm) and the page still have no room (A4 is
    210mm wide); caught here, at the key to change, instead of as a layout failure later.
    """
    from paiban.spec.model import Margins
    from paiban.spec.values import page_size_pt

    page = loaded.spec.page
    w, h = page_size_pt(page.size)
    if page.orientation == "landscape":
        w, h = max(w, h), min(w, h)
    m = page.margin_box()
    margins = ["page", "margins"]
    side = (lambda k: [*margins, k]) if isinstance(page.margins, Margins) else (lambda k: margins)
    text_w = w - m.inner.pt() - m.outer.pt()
    text_h = h - m.top.pt() - m.bottom.pt()
    mm = 25.4 / 72
    if text_w < MIN_COLUMN_PT:
        keys = side("inner")
        return [Problem(f"the margins leave {text_w * mm:.0f}mm of the page's {w * mm:.0f}mm width for text; "
                        f"expected at least {MIN_COLUMN_PT * mm:.0f}mm", loaded.where(keys), dotted(keys))]
    if text_h < MIN_TEXT_HEIGHT_PT:
        keys = side("top")
        return [Problem(f"the margins leave {text_h * mm:.0f}mm of the page's {h * mm:.0f}mm height for text; "
                        f"expected at least {MIN_TEXT_HEIGHT_PT * mm:.0f}mm", loaded.where(keys), dotted(keys))]
    column = (text_w - page.gutter.pt() * (page.columns - 1)) / page.columns
    if column < MIN_COLUMN_PT:
        keys = ["page", "gutter"] if page.columns > 1 and page.gutter.pt() * (page.columns - 1) > text_w / 2 \
            else ["page", "columns"]
        return [Problem(f"{page.columns} columns with {page.gutter} gutters leave {max(column, 0) * mm:.1f}mm "
                        f"per column in {text_w * mm:.0f}mm of text width; expected at least "
                        f"{MIN_COLUMN_PT * mm:.0f}mm", loaded.where(keys), dotted(keys))]
    return []


def _builtin_styles() -> set[str]:
    from paiban.styles import DEFAULTS

    return set(DEFAULTS)
