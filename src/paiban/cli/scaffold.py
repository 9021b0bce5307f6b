"""`paiban init DIR`: a new project that builds as it is and shows each thing an editor changes.

The project is self-contained: report.yaml (two parts, a chart from data/readers.csv), the five
bundled fonts copied into fonts/ with their licences, the JSON Schema for the editor, a README
line on what to edit, and a .gitignore for build/ and the chart cache figures/. Nothing is
overwritten: if any of these files exists (a symlink too, dangling or not), init stops before
writing anything; each file is created exclusively, so nothing is written through a link. With
`force`, existing files are replaced (a link by a file: still never written through).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from paiban.errors import BuildError, InputError, Location
from paiban.fonts.bundled import FACES, LICENCES, bundled_fonts_dir
from paiban.store import write_atomically

TEMPLATE = "templates/init"
# template file → file in the new project
FILES = {"report.yaml": "report.yaml", "data/readers.csv": "data/readers.csv",
         "README.md": "README.md", "gitignore": ".gitignore"}
SCHEMA = "report.schema.json"


@dataclass
class Scaffold:
    root: Path
    written: list[Path] = field(default_factory=list)


def planned(root: Path, fonts_dir: Path) -> dict[Path, Path | str]:
    """Every file init will write, mapped to its source file (or generated text)."""
    from paiban.spec.schema import schema_text

    template = resources.files("paiban").joinpath(TEMPLATE)
    plan: dict[Path, Path | str] = {}
    for src, dst in FILES.items():
        text = template.joinpath(src).read_text(encoding="utf-8")
        plan[root / dst] = text.replace("{name}", root.name) if src == "README.md" else text
    plan[root / SCHEMA] = schema_text()
    for name in (*FACES, *LICENCES):
        if (fonts_dir / name).is_file():
            plan[root / "fonts" / name] = fonts_dir / name
    return plan


def init_project(root: str | Path, *, force: bool = False) -> Scaffold:
    """Create the project in `root` (created if needed); refuses to overwrite any file unless `force`."""
    root = Path(root)
    fonts_dir = bundled_fonts_dir()
    if fonts_dir is None:
        raise BuildError("the bundled fonts are not installed (looked for fonts/ in the checkout and "
                         "share/paiban/fonts in the install); reinstall paiban, or set PAIBAN_FONTS to a "
                         "folder holding " + ", ".join(FACES))
    if root.exists() and not root.is_dir():
        raise InputError(f"{root} exists and is not a folder", Location(str(root)))
    plan = planned(root, fonts_dir)
    existing = [p for p in plan if os.path.lexists(p)]
    for p in existing:
        if force and (p.is_dir() and not p.is_symlink()):
            raise InputError(f"{p} is a folder; init replaces files only", Location(str(root)))
    if existing and not force:
        shown = ", ".join(str(p.relative_to(root)) for p in existing[:4]) + (" …" if len(existing) > 4 else "")
        raise InputError(f"already has {shown}; choose a new folder (nothing was written)",
                         Location(str(root)))
    done = Scaffold(root=root)
    try:
        for dst, src in plan.items():
            dst.parent.mkdir(parents=True, exist_ok=True)
            content = src.read_bytes() if isinstance(src, Path) else src.encode("utf-8")
            if force and os.path.lexists(dst):
                write_atomically(dst, content)  # replaces a link itself, never what it points to
            else:
                with open(dst, "xb") as f:  # O_EXCL: a file or link made meanwhile is not written through
                    f.write(content)
            done.written.append(dst)
    except OSError as exc:
        raise BuildError(f"cannot write {exc.filename or root}: {exc.strerror or exc}") from None
    return done
