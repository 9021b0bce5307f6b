"""The spec stage: report.yaml → a validated `LoadedSpec`, every problem located.

Everything an editor can get wrong in the spec itself is found here, before any font is loaded
or chart drawn, and reported as located problems (all of them, not just the first): YAML and
types by the loader and the model, cross-references by `checks`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from paiban.errors import InputError, Location, dotted
from paiban.spec.loaded import LoadedSpec, set_location
from paiban.spec.loader import MAX_SPEC_BYTES, lone_surrogate, problems_from, read_yaml


def parse_override(item: str) -> tuple[list[Any], Any]:
    """`page.columns=2` → (['page', 'columns'], 2); the value is read as YAML by the spec's own
    loader, under the same limits (depth, aliases, duplicate keys, dates kept as text). A value
    that is not valid YAML is taken as the text it is (`--set document.title=标题: 副题`)."""
    if "=" not in item:
        raise InputError(f"--set {item!r}: expected KEY.PATH=VALUE, e.g. page.columns=2")
    key, raw = item.split("=", 1)
    keys: list[Any] = []
    for part in key.strip().split("."):
        if not part:
            raise InputError(f"--set {item!r}: empty key in {key!r}")
        keys.append(int(part) if part.isdigit() and len(part) < 10 else part)
    if not raw.strip():
        return keys, ""
    import yaml

    from paiban.spec.safeyaml import MAX_DEPTH, Refused
    from paiban.spec.safeyaml import load as parse_yaml

    where = set_location(item)
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_SPEC_BYTES:
        raise InputError(f"the value is more than {MAX_SPEC_BYTES // 1024 // 1024} MiB, as a spec may be", where)
    if any("\ud800" <= ch <= "\udfff" for ch in raw):
        raise InputError("the value holds half of a surrogate pair, not a character", where)
    try:
        root, value = parse_yaml(raw)
        if lone_surrogate(root) is not None:
            raise InputError("the value holds half of a surrogate pair, not a character", where)
    except Refused as exc:
        raise InputError(exc.message, where) from None
    except RecursionError:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", where) from None
    except yaml.YAMLError:
        value = raw
    except ValueError as exc:  # an integer of thousands of digits (Python's int limit)
        raise InputError(f"cannot read the value: {exc}", where) from None
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
        problems = problems_from(exc, source, spec_class, relocate=lambda keys: _set_location(keys, done))
        raise InputError(problems[0].message, problems[0].location, problems[0].path, problems) from None
    loaded = LoadedSpec(spec=spec, source=source, base_dir=path.resolve().parent,
                        allow_outside=allow_outside, overrides=done)
    from paiban.spec.checks import check_references  # after spec_model(): it uses the model's classes

    problems = check_references(loaded)
    if problems:
        raise InputError(problems[0].message, problems[0].location, problems[0].path, problems)
    from paiban.spec.textfiles import resolve_texts

    resolve_texts(loaded)  # text files read, pastes cleaned up: later stages see paragraphs
    return loaded


def _set_location(keys: Any, done: dict[str, str]) -> Location | None:
    """The --set argument that wrote the value at `keys` (or a mapping above it), if any: a
    problem in it (an unknown key too) is told at the argument, not at a line of the file."""
    path = dotted(keys)
    for key, item in done.items():
        if path == key or path.startswith(key + ".") or path.startswith(key + "["):
            return set_location(item)
    return None


def spec_model() -> type:
    """The `Spec` model class, its module imported (its pydantic classes built) on first use, so
    that importing the spec package costs nothing until a spec is loaded. The program builds it at
    start without pydantic's plugin scan (paiban.cli.startup.build_spec_model)."""
    from paiban.spec.model import Spec

    return Spec
