"""The document's font families, loaded on first use, and what their fallback chains lack."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from paiban import memo
from paiban.cjk.face import face_for
from paiban.errors import InputError, Location
from paiban.fonts.face import Face, FaceSource
from paiban.fonts.load import load_face


class FontBook:
    """The document's font families (song, hei, kai …), each with a regular and maybe a bold face.

    `families` maps a family key to {weight: FaceSource} (or the older (path, index) pair) as
    resolved by the prepare stage. Faces are loaded on first use so a family the document never
    uses costs nothing. `chars` are the characters the document may draw: a derived face holds
    those (plus BASE_CHARS); None means every character of the font. `cache_dir` holds derived
    faces between builds; converted faces go elsewhere (the temp folder) when it cannot be written
    only with `allow_outside` (the build's --allow-outside).
    """

    def __init__(self, families: Mapping[str, Mapping[str, FaceSource | tuple[Path, int]]],
                 where: Mapping[str, Location] | None = None, *, chars: Iterable[str] | None = None,
                 cache_dir: Path | None = None, allow_outside: bool = False):
        self._where = dict(where or {})
        self._families: dict[str, dict[str, FaceSource]] = {}
        for fam, faces in families.items():
            self._families[fam] = {}
            for weight, src in faces.items():
                if not isinstance(src, FaceSource):
                    path, index = src
                    src = FaceSource(Path(path), index)
                if src.where is None and f"{fam}.{weight}" in self._where:
                    src = dataclasses.replace(src, where=self._where[f"{fam}.{weight}"])
                self._families[fam][weight] = src
        self.chars: frozenset[str] | None = None if chars is None else frozenset(chars)
        self.cache_dir = cache_dir
        self.allow_outside = allow_outside
        self._faces: dict[tuple[str, str], Face] = {}
        # per fallback chain: characters known to be drawable by it (or to need no glyph)
        self._covered: dict[tuple[Face, ...], set[str]] = {}

    def add_family(self, family: str, regular: FaceSource) -> None:
        """A family found on the system for characters no configured face has (regular only)."""
        self._families[family] = {"regular": regular}

    def drop_family(self, family: str) -> None:
        self._families.pop(family, None)
        for weight in ("regular", "bold"):
            self._faces.pop((family, weight), None)

    @property
    def families(self) -> list[str]:
        return list(self._families)

    def has_weight(self, family: str, weight: str) -> bool:
        return weight in self._families.get(family, {})

    def bold_kind(self, family: str) -> str:
        """'real' (a bold face), 'fake' (regular, stroke-emboldened) or 'none' (regular as it is)."""
        src = self._families.get(family, {}).get("bold")
        if src is None:
            return "none"
        return "fake" if src.fake_bold else "real"

    def source(self, family: str, weight: str = "regular") -> FaceSource | None:
        return self._families.get(family, {}).get(weight)

    def face(self, family: str, weight: str = "regular") -> Face:
        key = (family, weight)
        face = self._faces.get(key)
        if face is None:
            faces = self._families.get(family)
            if faces is None:
                raise InputError(f"unknown font family {family!r}; the spec's fonts: defines "
                                 f"{', '.join(self._families) or 'none'}")
            if weight not in faces:
                weight = "regular"
            src = faces[weight]
            if src.fake_bold:  # the regular face itself, marked for stroking
                face = self.face(family, "regular").emboldened()
            else:
                face = load_face(src.path, src.index, family=family, weight=weight, where=src.where,
                                 name=src.name, instance=src.instance, chars=self.chars, cache_dir=self.cache_dir,
                                 lookup=src.lookup, allow_outside=self.allow_outside)
            self._faces[key] = face
        return face

    def chain(self, families: Sequence[str], weight: str = "regular") -> tuple[Face, ...]:
        """Faces to try in order for each character: the style's family, then its fallbacks."""
        out: list[Face] = []
        for fam in families:
            f = self.face(fam, weight)
            if f not in out:
                out.append(f)
        return tuple(out)

    def missing(self, text: Iterable[str], families: Sequence[str], weight: str = "regular") -> set[str]:
        """Characters of `text` that no face of the chain can draw (whitespace excluded).

        The coverage check asks this for every piece of text of the document (a few hundred, mostly
        the same characters again): each character is looked up once per chain.
        """
        chain = self.chain(families, weight)
        covered = self._covered.get(chain)
        if covered is None:  # a watch session knows what these very faces cover from its last builds
            covered = self._covered[chain] = memo.remembered("characters covered", 256, chain, set)
        out: set[str] = set()
        for ch in set(text).difference(covered):
            if drawn(ch) and face_for(ch, chain) is None:
                out.add(ch)
            else:
                covered.add(ch)
        return out


def drawn(ch: str) -> bool:
    """Whether a character needs a glyph: not whitespace, not an invisible format character."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")
