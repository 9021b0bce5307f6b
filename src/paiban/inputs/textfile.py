"""`text: {file: …}`: an article's text read from a Markdown, Word or plain-text file.

The one entry point for every block that holds text: the file is read (capped, decoded as the
data files are), converted by its kind (`markdown`, `word`, or the paste clean-up for .txt), and
handed back as paragraphs with paiban's markup and a map to the file's lines, so that a problem
in the text is told at a.md:12:3, not at the spec line that names the file.
"""

from __future__ import annotations

from pathlib import Path

from paiban.inputs.encodings import Undecodable, decode
from paiban.inputs.located import LocatedText

TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".docx")
MAX_TEXT_FILE_BYTES = 8 * 1024 * 1024


class TextFileError(ValueError):
    """A text file that cannot be read; `line`/`column` when a place in it is at fault."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def read_text_file(path: Path, name: str, *, paragraphs: str = "detect", encoding: str | None = None) -> LocatedText:
    """The paragraphs of the article in `path` (`name` as the spec writes it, for messages)."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise TextFileError(f"a text file must be .md, .txt or .docx, got {path.name!r}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TextFileError(f"cannot read {name}: {exc.strerror}") from None
    if size > MAX_TEXT_FILE_BYTES:
        raise TextFileError(f"{name} is {size // 1024} KiB; at most {MAX_TEXT_FILE_BYTES // 1024 // 1024} MiB is read")
    if suffix == ".docx":
        from paiban.inputs.word import WordError
        from paiban.inputs.word import convert as from_word

        try:
            return from_word(path, name)
        except WordError as exc:
            raise TextFileError(exc.message) from None
    raw = path.read_bytes()
    try:
        text, used = decode(raw, encoding)
    except Undecodable as exc:
        raise TextFileError(exc.message, exc.line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if suffix in (".md", ".markdown"):
        from paiban.inputs.markdown import MarkdownError
        from paiban.inputs.markdown import convert as from_markdown

        try:
            located = from_markdown(text, name)
        except MarkdownError as exc:
            raise TextFileError(exc.message, exc.line) from None
    else:
        from paiban.inputs.paste import clean

        tidy = clean(text, paragraphs)  # type: ignore[arg-type]
        located = LocatedText(tidy.text, tidy.at, text, name, mode=tidy.mode, notes=tidy.notes)
    located.encoding = used
    return located
