"""The base of every body block: what a block sets, reads and keeps, and the table of kinds.

Apart from `model` so that a preset's own blocks (`spec.gongwen`) can subclass `BodyBlock`
without importing the whole model, which imports them.
"""

import keyword
from collections.abc import Iterator
from typing import Any, ClassVar, NamedTuple

from pydantic import Field

from paiban.spec.base import Model


class Keeps(Model):
    """What a block keeps with its neighbours in the columns (a compositor's keeps)."""

    keep_with_next: bool = Field(False, description="Never end a column between this block and the next one "
                                                    "(its last lines go with the next block's first).")
    keep_with_previous: bool = Field(False, description="Never start a column with this block: it stays with the "
                                                        "end of the block before it (a signature with the last "
                                                        "paragraph, a closing line with its block).")


class BlockText(NamedTuple):
    """A piece of text a block sets: its style (None: drawn in a chart, in the charts: font), the
    text, its key path below the block, and whether it carries **bold**/*emphasis* markup."""

    style: str | None
    text: str
    keys: tuple[str | int, ...] = ()
    markup: bool = False


class BlockFile(NamedTuple):
    """A file a block reads, as written, at its key path below the block."""

    path: str
    keys: tuple[str | int, ...]
    what: str  # how messages name it: "image", "data file"


#: Every block kind by its key in report.yaml, in the order the model defines them (the order
#: "expected a block with one key: …" lists them in). Filled by `BodyBlock` subclasses themselves.
BLOCKS: dict[str, "type[BodyBlock]"] = {}


class BodyBlock(Model):
    """A block of the body: a mapping with one key, its kind, and the value under that key.

    A new kind of block is a subclass: its `kind`, its one field (named for the kind, with a
    trailing _ when the kind is a Python keyword), and what it reads, sets and is called.
    Everything that walks the body reads these (through `Spec.blocks()`), never the field name.
    """

    kind: ClassVar[str]
    #: How a layout message names the block: "this figure is 900pt tall, more than fits …".
    named: ClassVar[str] = "this block"
    #: Drawn with the charts' theme (its font, palette and the key of approximate values).
    charted: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if list(cls.model_fields) != [cls.field_name()]:
            raise TypeError(f"{cls.__name__}: a body block has one field, {cls.field_name()!r}")
        BLOCKS[cls.kind] = cls

    @classmethod
    def field_name(cls) -> str:
        return cls.kind + "_" if keyword.iskeyword(cls.kind) else cls.kind

    @property
    def value(self) -> Any:
        """What is written under the block's key."""
        return getattr(self, self.field_name())

    def texts(self) -> Iterator[BlockText]:
        """The text the block sets (what fonts must cover)."""
        return iter(())

    def files(self) -> Iterator[BlockFile]:
        """The files the block reads (checked to exist; watched for changes)."""
        return iter(())

    def cited_id(self) -> str | None:
        """The name text may cite it by as {fig:ID}; ids are unique across the body."""
        return None

    def style_names(self) -> Iterator[tuple[str, tuple[str | int, ...]]]:
        """The styles it names, with their key paths below the block (checked to exist)."""
        return iter(())

    def numbered(self) -> bool:
        """Whether it gets a 图 number (in reading order)."""
        return False
