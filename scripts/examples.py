"""Write examples/NAME/ from each `paiban init` template (src/paiban/templates/NAME/), so the
examples in the repository are the projects init makes, never a second copy that drifts:
tests/e2e/test_examples.py checks they are equal. The fonts are not copied: each example's
fonts/ is a link to the repository's fonts/ (build one in place with
`paiban build --allow-outside examples/NAME/report.yaml`, or make it with `paiban init`).

Run after changing a template: python scripts/examples.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from paiban.cli.scaffold import SCHEMA, planned, templates  # noqa: E402


def example_files(name: str) -> dict[str, bytes]:
    """The files of examples/NAME: what init writes for the template, less fonts and schema."""
    root = ROOT / "examples" / name
    out: dict[str, bytes] = {}
    for dst, src in planned(root, ROOT / "fonts", name).items():
        rel = dst.relative_to(root).as_posix()
        if rel.startswith("fonts/") or rel == SCHEMA:
            continue
        out[rel] = src.read_bytes() if isinstance(src, Path) else src.encode("utf-8") if isinstance(src, str) else src
    return out


def main() -> None:
    for name in templates():
        root = ROOT / "examples" / name
        for rel, content in example_files(name).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        link = root / "fonts"
        if not os.path.lexists(link):
            link.symlink_to(Path("..") / ".." / "fonts", target_is_directory=True)
        print(f"examples/{name}: {', '.join(sorted(example_files(name)))}")


if __name__ == "__main__":
    main()
