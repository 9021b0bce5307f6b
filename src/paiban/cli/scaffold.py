"""`paiban init DIR [--template NAME]`: a new project that builds as it is and shows each thing
an editor changes.

Each template is a folder of package data, src/paiban/templates/NAME/ (feature: one article with
parts and a chart; bulletin: a 简报 of three articles; any folder added there is a template): its
report.yaml, data files and README.md (`{name}` is the new folder's name) are copied as they are
(`gitignore` as .gitignore), with the bundled fonts its report.yaml names and their licences, and
the JSON Schema for the editor. The repository's examples/NAME/ hold the same files (a test
keeps them equal). Nothing is overwritten: if any of these files exists (a symlink too, dangling
or not), init stops before writing anything; each file is created exclusively, so nothing is
written through a link. With `force`, existing files are replaced (a link by a file: still
never written through).
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from paiban.errors import BuildError, InputError, Location
from paiban.fonts.bundled import FACES, bundled_fonts_dir
from paiban.store import write_atomically

TEMPLATES = "templates"
DEFAULT = "feature"
RENAMED = {"gitignore": ".gitignore"}  # a dot file would be left out of the package data
SCHEMA = "report.schema.json"
_FONT_FILE = re.compile(r"fonts/([\w.+-]+\.(?:ttf|otf|ttc|otc))", re.IGNORECASE)


@dataclass
class Scaffold:
    root: Path
    template: str = DEFAULT
    written: list[Path] = field(default_factory=list)


def templates() -> dict[str, Traversable]:
    """Every template by name: each folder of templates/ holding a report.yaml."""
    base = resources.files("paiban").joinpath(TEMPLATES)
    return {d.name: d for d in sorted(base.iterdir(), key=lambda d: d.name)
            if d.is_dir() and d.joinpath("report.yaml").is_file()}


def template_files(template: Traversable, prefix: str = "") -> dict[str, Traversable]:
    """The template's files by their path in the new project."""
    out: dict[str, Traversable] = {}
    for item in sorted(template.iterdir(), key=lambda d: d.name):
        if item.name.startswith((".", "__")):
            continue
        if item.is_dir():
            out.update(template_files(item, f"{prefix}{item.name}/"))
        else:
            out[prefix + RENAMED.get(item.name, item.name)] = item
    return out


def font_files(spec_text: str, fonts_dir: Path) -> list[str]:
    """The bundled font files a report.yaml names, and the licence and README beside them: a
    licence OFL-X.txt goes with the fonts whose names start with X (all licences when none does)."""
    faces = sorted({m.group(1) for m in _FONT_FILE.finditer(spec_text)})
    licences = sorted(p.name for p in fonts_dir.glob("OFL-*.txt"))
    mine = [name for name in licences if any(f.startswith(name[4:-4].split("-")[0]) for f in faces)]
    return [*faces, *(mine or licences), "README.md"]


def choose(name: str) -> Traversable:
    found = templates()
    if name in found:
        return found[name]
    close = difflib.get_close_matches(name, list(found), n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise InputError(f"unknown template {name!r}{hint}; templates: {', '.join(found)}", Location("--template"))


def planned(root: Path, fonts_dir: Path, template: str = DEFAULT) -> dict[Path, Path | str | bytes]:
    """Every file init will write, mapped to its source file (or generated text)."""
    from paiban.spec.schema import schema_text

    plan: dict[Path, Path | str | bytes] = {}
    spec_text = ""
    for dst, src in template_files(choose(template)).items():
        if dst == "README.md":
            plan[root / dst] = src.read_text(encoding="utf-8").replace("{name}", root.name)
        else:
            plan[root / dst] = src.read_bytes()
            if dst == "report.yaml":
                spec_text = src.read_text(encoding="utf-8")
    plan[root / SCHEMA] = schema_text()
    for name in font_files(spec_text, fonts_dir):
        if not (fonts_dir / name).is_file():
            raise BuildError(f"template {template!r} names fonts/{name}, which the bundled fonts in {fonts_dir} "
                             "lack; reinstall paiban")
        plan[root / "fonts" / name] = fonts_dir / name
    return plan


def init_project(root: str | Path, *, force: bool = False, template: str = DEFAULT) -> Scaffold:
    """Create the project in `root` (created if needed); refuses to overwrite any file unless `force`."""
    root = Path(root)
    fonts_dir = bundled_fonts_dir()
    if fonts_dir is None:
        raise BuildError("the bundled fonts are not installed (looked for fonts/ in the checkout and "
                         "share/paiban/fonts in the install); reinstall paiban, or set PAIBAN_FONTS to a "
                         "folder holding " + ", ".join(FACES))
    if root.exists() and not root.is_dir():
        raise InputError(f"{root} exists and is not a folder", Location(str(root)))
    plan = planned(root, fonts_dir, template)
    existing = [p for p in plan if os.path.lexists(p)]
    for p in existing:
        if force and (p.is_dir() and not p.is_symlink()):
            raise InputError(f"{p} is a folder; init replaces files only", Location(str(root)))
    if existing and not force:
        shown = ", ".join(str(p.relative_to(root)) for p in existing[:4]) + (" …" if len(existing) > 4 else "")
        raise InputError(f"already has {shown}; choose a new folder (nothing was written)",
                         Location(str(root)))
    done = Scaffold(root=root, template=template)
    try:
        for dst, src in plan.items():
            dst.parent.mkdir(parents=True, exist_ok=True)
            content = src.read_bytes() if isinstance(src, Path) else src.encode("utf-8") if isinstance(src, str) else src
            if force and os.path.lexists(dst):
                write_atomically(dst, content)  # replaces a link itself, never what it points to
            else:
                with open(dst, "xb") as f:  # O_EXCL: a file or link made meanwhile is not written through
                    f.write(content)
            done.written.append(dst)
    except OSError as exc:
        raise BuildError(f"cannot write {exc.filename or root}: {exc.strerror or exc}") from None
    return done
