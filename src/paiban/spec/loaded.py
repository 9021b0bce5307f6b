"""A loaded spec: the valid `Spec`, the folder it was read from, and the way back from key paths
to the lines the editor typed them at.

Every later stage holds a `LoadedSpec`, so whatever it finds wrong can be told at the spec line
that caused it, and every path the spec gives is resolved here, inside the project folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paiban.errors import InputError, Location, dotted
from paiban.spec.loader import Source

if TYPE_CHECKING:
    from paiban.spec.model import Spec


@dataclass
class LoadedSpec:
    """A valid spec, its folder, and a way back from key paths to file positions."""

    spec: Spec
    source: Source
    base_dir: Path
    allow_outside: bool = False
    overrides: dict[str, str] = field(default_factory=dict)
    #: Text that is not as the spec wrote it, by key path: read from a file (a LocatedText: its
    #: places are in that file), or cleaned up (the offset in the written value of each character).
    text_maps: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    #: Warnings of the spec stage (a paste cleaned up), handed to the build's diagnostics.
    notes: list[Any] = field(default_factory=list)

    def where(self, keys: Sequence[Any], *, at_key: bool = False) -> Location:
        return self.source.where(keys, at_key=at_key)

    @property
    def cache_dir(self) -> Path:
        """Where derived files live (converted fonts, word segmentation): safe to delete."""
        return self.base_dir / ".paiban-cache"

    def overridden(self, keys: Sequence[Any]) -> str | None:
        """The `--set` argument that gave the value at `keys` (or a mapping above it), if any."""
        path = dotted(keys)
        for key, item in self.overrides.items():
            if path == key or path.startswith(key + ".") or path.startswith(key + "["):
                return item
        return None

    def text_location(self, keys: Sequence[Any], offset: int, *, written: bool = False) -> Location:
        """The file:line:column of character `offset` of the text value at `keys`: the column is
        counted in the source line (indentation, quotes and the block indicator included), so an
        error inside a paragraph points at the character the editor typed. A value from --set
        is located at its argument. `offset` is in the text as cleaned up (see `text_maps`), or,
        `written`, in the value as written."""
        item = self.overridden(keys)
        if item is not None:
            return set_location(item)
        mapped = None if written else self.text_maps.get(tuple(keys))
        if isinstance(mapped, list):
            offset = mapped[max(0, min(offset, len(mapped) - 1))] if mapped else 0
        elif mapped is not None:
            return mapped.location(offset)
        node, _, matched = self.source.node_at(keys)
        value = self.source.data
        for k in keys:
            value = value[k] if isinstance(value, dict | list) else None
        start = self.where(keys)
        if matched != len(keys) or node is None or not isinstance(value, str) or not self.source.text:
            return start
        lines = self.source.text.splitlines(keepends=True)
        sm, em = node.start_mark, node.end_mark
        if sm.line >= len(lines):
            return start
        # the value's characters, in order, among the source's: a greedy walk from its first line
        line, col = sm.line, sm.column
        if getattr(node, "style", None) in ("|", ">"):
            line, col = sm.line + 1, 0  # past the indicator line
        elif getattr(node, "style", None) in ("'", '"'):
            col += 1
        i = 0
        while line < len(lines) and (line < em.line or (line == em.line and col <= em.column)):
            text = lines[line]
            while col < len(text):
                ch = text[col]
                if i < len(value) and (ch == value[i] or (ch in "\r\n" and value[i] in " \n")):
                    if i == offset:
                        return Location(self.source.name, line + 1, col + 1)
                    i += 1
                col += 1
            line, col = line + 1, 0
        return start

    def input_files(self) -> tuple[set[Path], set[Path]]:
        """The files a build reads (the spec, font faces, data tables, images), resolved, and
        which of them are fonts: what the watcher watches and what an output may never be."""
        spec = self.spec
        files = {self.source.path.resolve()}
        fonts: set[Path] = set()

        def add(relpath: str | None, into: set[Path] = files) -> None:
            if relpath:
                p = Path(os.path.expanduser(relpath))
                try:
                    real = (p if p.is_absolute() else self.base_dir / p).resolve()
                except (OSError, RuntimeError):
                    return
                into.add(real)
                files.add(real)

        for family in spec.fonts.families.values():
            for face in (family.regular, family.bold):
                if face is not None:
                    add(face if isinstance(face, str) else face.path, fonts)
        for table in spec.data.values():
            add(getattr(table, "file", None))
        for at in spec.blocks():  # an article's blocks too
            for file in at.block.files():
                add(file.path)
        return files, fonts

    def resolve(self, relpath: str, keys: Sequence[Any], *, must_exist: bool = True, what: str = "file") -> Path:
        return resolve_path(self.base_dir, relpath, self.where(keys), dotted(keys),
                            allow_outside=self.allow_outside, must_exist=must_exist, what=what)


def set_location(item: str) -> Location:
    """`--set KEY=VALUE` as the place of a problem, a long value cut in the middle (one line)."""
    shown = item if len(item) <= 100 else f"{item[:60]}…{item[-30:]}"
    return Location(f"--set {shown}")


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
