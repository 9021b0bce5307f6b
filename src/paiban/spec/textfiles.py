"""Text blocks made whole: a `text: {file: …}` read, and pasted text cleaned up.

Run by the spec stage right after the model is valid, so every later stage (fonts, markup
checks, layout, validate) sees the text as paragraphs, whichever block holds it: every
`TextSpec` and every plain `text:` string in the body is found by walking the blocks' values,
nested ones (an article's text) included. What the clean-up changed, and where a file's text
came from, is kept in `LoadedSpec.text_maps`, so that a problem in the text is told at the
file's line (a.md:12:3) or at the character the editor typed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from paiban import memo
from paiban.errors import InputError, Location, Problem, dotted
from paiban.spec.loaded import LoadedSpec

#: Characters of cleaned texts a watch session keeps (`paiban.memo`).
MEMO_CHARS = 5_000_000


def resolve_texts(loaded: LoadedSpec) -> None:
    """Read every text file and clean up every text of the body; `loaded.spec` is replaced."""
    from paiban.spec.model import TextBlock, TextSpec

    def walk(value: Any, keys: tuple[Any, ...]) -> Any:
        if isinstance(value, TextSpec):
            return _text_spec(loaded, value, keys)
        if isinstance(value, TextBlock) and isinstance(value.text, str):
            text = _cleaned(loaded, value.text, "detect", (*keys, "text"))
            return value if text == value.text else value.model_copy(update={"text": text})
        if isinstance(value, BaseModel):
            changed = {}
            for name, info in type(value).model_fields.items():
                old = getattr(value, name)
                new = walk(old, (*keys, info.alias or name))
                if new is not old:
                    changed[name] = new
            return value.model_copy(update=changed) if changed else value
        if isinstance(value, list):
            items = [walk(v, (*keys, i)) for i, v in enumerate(value)]
            return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
        return value

    body = [walk(block, ("body", i)) for i, block in enumerate(loaded.spec.body)]
    if any(a is not b for a, b in zip(body, loaded.spec.body, strict=True)):
        loaded.spec = loaded.spec.model_copy(update={"body": body})


def _cleaned(loaded: LoadedSpec, text: str, mode: str, keys: tuple[Any, ...]) -> str:
    from paiban.inputs.paste import clean

    if "\n" not in text.strip() and "  " not in text and " " not in text:
        return text  # one line, no spaces: nothing to clean (most texts; keeps their places exact)
    # a watch session cleans each text once (the same text cleans up the same way)
    tidy = memo.remembered("pastes cleaned", MEMO_CHARS, (text, mode), lambda: clean(text, mode),  # type: ignore[arg-type]
                           lambda _tidy: len(text))
    if mode == "detect" and tidy.mode == "blank-line" and not tidy.notes:
        return text  # as the spec wrote it: the text engine joins the lines of each paragraph
    loaded.text_maps[keys] = tidy.at
    for offset, message in tidy.notes:
        loaded.notes.append(Problem(message, loaded.text_location(keys, offset, written=True),
                                    dotted(keys), severity="warning"))
    return tidy.text


def _text_spec(loaded: LoadedSpec, value: Any, keys: tuple[Any, ...]) -> Any:
    if value.file is None:
        text = _cleaned(loaded, value.text or "", value.paragraphs, (*keys, "text"))
        return value if text == value.text else value.model_copy(update={"text": text})
    from paiban.inputs.textfile import TextFileError, read_text_file

    path = loaded.resolve(value.file, (*keys, "file"), what="text file")
    try:
        located = read_text_file(path, value.file, paragraphs=value.paragraphs, encoding=value.encoding)
    except TextFileError as exc:
        where = Location(value.file, exc.line, exc.column) if exc.line else loaded.where((*keys, "file"))
        raise InputError(exc.message, where, dotted((*keys, "file"))) from None
    if not located.text.strip():
        raise InputError(f"text file {value.file} has no text", loaded.where((*keys, "file")), dotted((*keys, "file")))
    loaded.text_maps[(*keys, "text")] = located
    for offset, message in located.notes:
        loaded.notes.append(Problem(message, located.source_location(offset), dotted((*keys, "file")),
                                    severity="warning"))
    return value.model_copy(update={"text": located.text})
