"""report.yaml → `Spec`, with every problem located at its file:line:column.

PyYAML's node tree is kept beside the constructed data so that a pydantic error path such as
('page', 'columns') can be turned back into the line and column the editor typed it at.
Only safe loading is used; duplicate keys, huge files and alias bombs are refused (the parsing
itself, and why it is fast, is in `safeyaml`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from paiban.errors import InputError, Location, Problem, dotted
from paiban.spec.safeyaml import MAX_DEPTH, Refused
from paiban.spec.safeyaml import load as parse_yaml
from paiban.store import NotRegular, TooLarge, read_regular

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

MAX_SPEC_BYTES = 8 * 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unprintable(exc: yaml.reader.ReaderError, text: str, name: str) -> InputError:
    """A control character (U+0000–U+001F but tab and newlines, U+007F, …) at its line and column."""
    pos = exc.position
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return InputError(f"control character U+{exc.character:04X} is not allowed in YAML; delete it",
                      Location(name, line, col))


def _loc(name: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(name)
    return Location(name, mark.line + 1, mark.column + 1)


@dataclass
class Source:
    """A loaded YAML document: its data and the node tree that says where each value came from."""

    path: Path
    name: str  # as shown in messages (relative to the working directory when possible)
    data: Any
    root: yaml.Node | None
    text: str = ""  # the YAML as read: positions inside a text value are found in it

    def node_at(self, keys: Sequence[Any]) -> tuple[yaml.Node | None, yaml.Node | None, int]:
        """(value node, key node of the last key, number of keys matched) along `keys`."""
        node, key_node, matched = self.root, None, 0
        for k in keys:
            if isinstance(node, yaml.MappingNode):
                found = None
                for kn, vn in node.value:
                    if isinstance(kn, yaml.ScalarNode) and kn.value == str(k):
                        found = (kn, vn)
                if found is None:
                    break
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(k, int) and 0 <= k < len(node.value):
                key_node, node = None, node.value[k]
            else:
                break
            matched += 1
        return node, key_node, matched

    def where(self, keys: Sequence[Any], *, at_key: bool = False) -> Location:
        node, key_node, _ = self.node_at(keys)
        target = key_node if (at_key and key_node is not None) else node
        return _loc(self.name, target.start_mark if target is not None else None)


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_yaml(path: Path, text: str | None = None) -> Source:
    """Parse a YAML file safely; any problem is an InputError at its line and column."""
    name = display_name(path)
    if text is None:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise InputError(f"{name}: no such file; expected a report spec (report.yaml)") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read: {exc.strerror}") from None
        if size > MAX_SPEC_BYTES:
            raise InputError(f"file is {size // 1024} KiB; a spec may be at most {MAX_SPEC_BYTES // 1024 // 1024} MiB",
                             Location(name))
        try:  # at most the cap is read, whatever st_size said (/dev/zero says 0); a FIFO is not waited on
            raw = read_regular(path, MAX_SPEC_BYTES)
        except NotRegular as exc:
            raise InputError(f"not a file but {exc.strerror}; expected a report spec (report.yaml)",
                             Location(name)) from None
        except TooLarge:
            raise InputError(f"file is more than {MAX_SPEC_BYTES // 1024 // 1024} MiB; a spec may be at most "
                             f"{MAX_SPEC_BYTES // 1024 // 1024} MiB", Location(name)) from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read: {exc.strerror}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InputError(f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; expected UTF-8 text",
                             Location(name, line, col)) from None
    try:
        root, data = parse_yaml(text)
    except Refused as exc:
        raise InputError(exc.message, _loc(name, exc.mark)) from None
    except yaml.reader.ReaderError as exc:
        raise _unprintable(exc, text, name) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in (exc.problem or ""):
            what = f"{exc.problem.split(' for the tag ')[-1]} tag is not allowed; expected plain YAML values"
        raise InputError(f"YAML syntax: {what}", _loc(name, mark)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML: {' '.join(str(exc).split())}", Location(name)) from None
    except RecursionError:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", Location(name)) from None
    bad = lone_surrogate(root)
    if bad is not None:
        node, ch = bad
        raise InputError(f"\\u{ord(ch):04x} is half of a UTF-16 surrogate pair, not a character; write the character "
                         "itself", _loc(name, node.start_mark))
    return Source(path=path, name=name, data=data, root=root, text=text)


def lone_surrogate(root: yaml.Node | None) -> tuple[yaml.Node, str] | None:
    """The first scalar holding a lone surrogate (a "\\ud800" escape): no font has it, and UTF-8,
    the PDF's metadata and the text engine cannot encode it."""
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: the same node again
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            found = _SURROGATE.search(node.value)  # at C speed: the spec's every character
            if found is not None:
                return node, found.group()
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack += [v, k]
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


# ------------------------------------------------------------------ pydantic errors → problems

_TYPE_NAMES = {
    "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer",
    "float_type": "a number", "float_parsing": "a number", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "a text string", "list_type": "a list",
    "dict_type": "a mapping of keys", "model_type": "a mapping of keys", "model_attributes_type": "a mapping of keys",
}
_UNION_NOISE = {"model_type", "dict_type", "model_attributes_type", "string_type", "list_type",
                "int_type", "float_type", "bool_type", "literal_error", "is_instance_of"}


def _key(key: Any) -> str:
    """A key as typed, quoted; escaped if it holds a newline or control character (one-line messages)."""
    text = str(key)
    return f"'{text}'" if text.isprintable() else _short(text)


def _one_line(text: str) -> str:
    """A message as one printable line: a control character the editor typed is shown escaped."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _real_keys(data: Any, loc: Sequence[Any], tags: Collection[str]) -> list[Any]:
    """Pydantic's error path with union/tag markers removed: only keys that exist in the data.

    `tags`: the names of tagged union members (block kinds), which are markers too."""
    keys: list[Any] = []
    node = data
    for k in loc:
        if isinstance(node, dict) and k in node:
            keys.append(k)
            node = node[k]
        elif isinstance(node, dict) and isinstance(k, str) and k.endswith("_") and k[:-1] in node:
            keys.append(k[:-1])  # aliased fields such as break_
            node = node[k[:-1]]
        elif isinstance(node, list) and isinstance(k, int) and 0 <= k < len(node):
            keys.append(k)
            node = node[k]
        elif isinstance(node, dict | list):
            # a key pydantic expected but the data lacks (missing field) ends the path here
            if isinstance(k, str) and not (k[:1].isupper() or "[" in k or k in tags or k in _TYPE_TAGS
                                          or k.startswith(_MARKERS)):
                keys.append(k)
                break
    return keys


# pydantic's names for union members and validators in an error path (str | TableSpec gives
# 'constrained-str'): not keys of the data, so never "missing keys".
_MARKERS = ("constrained-", "function-", "lax-or-strict", "json-or-python", "nullable", "tagged-union", "default")
_TYPE_TAGS = {"str", "int", "float", "bool", "list", "dict"}



def _message(err: dict[str, Any], keys: list[Any], allowed: list[str]) -> str:
    import difflib  # only a spec with an error needs it

    typ = err["type"]
    value = err.get("input")
    if typ == "extra_forbidden":
        key = keys[-1] if keys else "?"
        guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{guess[0]}'?)" if guess else (f"; expected one of: {', '.join(allowed)}" if allowed else "")
        return f"unknown key {_key(key)}{hint}"
    if typ == "missing":
        return f"missing required key {_key(keys[-1])}" if keys else "missing required key"
    if typ in _TYPE_NAMES:
        return f"expected {_TYPE_NAMES[typ]}, got {_short(value)}"
    if typ == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, got {_short(value)}"
    if typ in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{err['msg'].lower()}, got {_short(value)}"
    if typ in ("too_short", "too_long"):
        return f"{err['msg'][0].lower()}{err['msg'][1:]}"
    if typ == "string_too_short":
        return "expected a non-empty text"
    if typ == "block_kind":
        got = ", ".join(map(str, value)) if isinstance(value, dict) else _short(value)
        kinds = err["msg"].split(": ", 1)[-1]
        guess = []
        if isinstance(value, dict) and len(value) == 1:
            guess = difflib.get_close_matches(str(next(iter(value))), kinds.split(", "), n=1, cutoff=0.6)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        return f"unknown block '{got}'{hint}; expected a block with one key: {kinds}"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg


def _allowed_keys(model: type[BaseModel], keys: Sequence[Any]) -> list[str]:
    """Field names valid at the mapping that holds the last key (for did-you-mean)."""
    from typing import get_args

    from pydantic import BaseModel

    def has_key(cls: Any, key: Any) -> bool:
        fields = getattr(cls, "model_fields", {})
        return key in fields or any(f.alias == key for f in fields.values())

    cls: Any = model
    path = [k for k in keys[:-1] if not isinstance(k, int)] + [keys[-1]]
    for k, nxt_key in zip(path, path[1:], strict=False):
        fields = getattr(cls, "model_fields", None) or {}
        field = fields.get(k) or next((f for f in fields.values() if f.alias == k), None)
        if field is None:
            extra = getattr(cls, "__annotations__", {}).get("__pydantic_extra__")
            if extra is None:
                return []
            annotation: Any = extra
        else:
            annotation = field.annotation
        candidates, stack = [], [annotation]
        while stack:
            a = stack.pop(0)
            if isinstance(a, type) and issubclass(a, BaseModel):
                candidates.append(a)
            else:
                stack.extend(get_args(a))
        if not candidates:
            return []
        cls = next((c for c in candidates if has_key(c, nxt_key)), candidates[0])
    fields = getattr(cls, "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def problems_from(exc: ValidationError, source: Source, model: type[BaseModel],
                  relocate: Callable[[list[Any]], Location | None] | None = None) -> list[Problem]:
    """Turn pydantic's errors into located problems, dropping union alternatives that don't fit.

    `relocate(keys)`: a place other than the file for the value at `keys` (a --set argument)."""
    from paiban.spec.model import BLOCKS  # built by now: the errors are the model's

    by_node: dict[tuple, list[tuple[dict, list]]] = {}
    for err in exc.errors(include_url=False):
        keys = _real_keys(source.data, err["loc"], BLOCKS)
        by_node.setdefault(tuple(keys), []).append((err, keys))
    problems: list[Problem] = []
    for keys_t, errs in by_node.items():
        specific = [e for e in errs if e[0]["type"] not in _UNION_NOISE]
        chosen = specific or errs
        # Deeper errors under this node say more than the union's "not a mapping" here.
        if not specific and any(len(k) > len(keys_t) and k[: len(keys_t)] == keys_t for k in by_node):
            continue
        seen: set[str] = set()
        for err, keys in chosen[:1] if not specific else chosen:
            allowed = _allowed_keys(model, keys) if err["type"] == "extra_forbidden" else []
            msg = _one_line(_message(err, keys, allowed))
            if msg in seen:
                continue
            seen.add(msg)
            at_key = err["type"] == "extra_forbidden"
            if err["type"] == "missing":
                loc = source.where(keys[:-1])
            else:
                loc = source.where(keys, at_key=at_key)
            shown = keys[:-1] if err["type"] in ("missing", "extra_forbidden") else keys
            moved = relocate(keys) if relocate is not None else None
            if moved is not None:
                loc = moved
            problems.append(Problem(msg, loc, dotted(shown) or None))
    problems.sort(key=lambda p: (p.location.line or 0, p.location.column or 0) if p.location else (0, 0))
    return problems
