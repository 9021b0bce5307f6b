"""Text made from a file, each character with the place in the file it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from paiban.errors import Location

#: A paragraph that opens with this is a subheading (`## 标题` in Markdown, a Word heading).
HEADING = "# "


@dataclass
class LocatedText:
    """Paragraphs with paiban's markup, separated by a blank line; `at[i]` is the offset in
    `source` (the file's text, or a Word document's paragraphs one a line) of `text[i]`."""

    text: str
    at: list[int]
    source: str
    name: str  # the file as the spec names it, for messages
    mode: str = ""  # how paragraphs were found (paste clean-up), or the format
    encoding: str | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)

    def location(self, offset: int) -> Location:
        """file:line:column of character `offset` of `text` (a Word document: paragraph:character)."""
        if not self.at:
            return Location(self.name, 1)
        src = self.at[max(0, min(offset, len(self.at) - 1))]
        return self.source_location(src)

    def source_location(self, src: int) -> Location:
        src = max(0, min(src, len(self.source)))
        line = self.source.count("\n", 0, src) + 1
        column = src - (self.source.rfind("\n", 0, src) + 1) + 1
        return Location(self.name, line, column)


def greedy(out: str, source: str, start: int, end: int) -> list[int]:
    """The source offset of each character of `out`, found in order in source[start:end]
    (characters the conversion added map to the last one found)."""
    at: list[int] = []
    j = start
    last = start
    for ch in out:
        k = source.find(ch, j, end) if ch not in "\n " else -1
        if k >= 0 and k - j < 200:
            at.append(k)
            last, j = k, k + 1
        else:
            at.append(last)
    return at
