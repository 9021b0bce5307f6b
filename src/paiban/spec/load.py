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
from paiban.spec.loaded import LoadedSpec
from paiban.spec.loader import problems_from, read_yaml


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
    from paiban.spec.checks import check_references  # after spec_model(): it uses the model's classes

    problems = check_references(loaded)
    if problems:
        raise InputError(problems[0].message, problems[0].location, problems[0].path, problems)
    return loaded


def spec_model() -> type:
    """The `Spec` model class, its module imported (its pydantic classes built) on first use, so
    that importing the spec package costs nothing until a spec is loaded. The program builds it at
    start without pydantic's plugin scan (paiban.cli.startup.build_spec_model)."""
    from paiban.spec.model import Spec

    return Spec
