"""`paiban import a.docx`: a Word document as a Markdown file beside it, and the block to paste.

The Markdown file is what the editor keeps and edits from then on (a text file diffs, merges and
reviews; a .docx does not); the spec block printed names it, relative to the current folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from paiban.errors import BuildError, InputError, Location


def import_document(source: str, output: str | None = None, *, force: bool = False) -> tuple[Path, str]:
    """Write the Markdown of `source`; returns its path and the spec block that uses it."""
    from paiban.inputs.word import WordError, to_markdown
    from paiban.store import NotRegular, write_atomically

    src = Path(source)
    if src.suffix.lower() != ".docx":
        raise InputError("expected a Word document (.docx); save a .doc or .wps again as .docx", Location(source))
    if not src.is_file():
        raise InputError("no such file", Location(source))
    try:
        text = to_markdown(src)
    except WordError as exc:
        raise InputError(exc.message, Location(source)) from None
    target = Path(output) if output else src.with_suffix(".md")
    if os.path.lexists(target) and not force:
        raise InputError(f"{target} is already there; pass --force to replace it (nothing was written)",
                         Location(source))
    try:
        write_atomically(target, text)
    except NotRegular as exc:
        raise InputError(f"{target} is {exc.strerror}; only a regular file is replaced", Location(source)) from None
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
    shown = target.as_posix()
    block = f"  - text: {{file: {shown}}}"
    return target, block
