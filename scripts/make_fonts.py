#!/usr/bin/env python3
"""Make the subset CJK fonts bundled in fonts/, and say exactly how they were made.

paiban ships six Simplified Chinese faces with TrueType (glyf) outlines, because ReportLab's
``TTFont`` cannot read CFF outlines.  The upstream files are 10-15 MB each; we cut them down to
the characters a Chinese briefing can plausibly need, so the repository stays small and every
build embeds from the same files:

* GB 2312 (every character Python's ``gb2312`` codec can encode: 6,763 hanzi + 682 symbols),
* the 8,105 characters of 通用规范汉字表 (2013), vendored in ``scripts/tongyong-guifan-8105.txt``,
* ASCII, Latin-1, general punctuation, CJK symbols and punctuation, full-width forms, arrows,
  circled numbers, geometric shapes and a few more blocks listed in ``EXTRA_RANGES``,
* every character of the seed article (when it is at hand).

This script needs the network (npm and Debian registries); building a PDF never does.  Run it
from the repository root with the project's virtualenv::

    .venv/bin/python scripts/make_fonts.py            # fetch, subset, write fonts/, verify
    .venv/bin/python scripts/make_fonts.py --regenerate-list   # rebuild the 8,105 list too

Sources, pinned so a re-run gives the same glyphs:

* Noto Serif SC / Noto Sans SC: static TTFs in the npm packages ``@expo-google-fonts/noto-serif-sc``
  and ``@expo-google-fonts/noto-sans-sc`` (OFL-1.1), fetched with ``npm pack``.
* LXGW WenKai: Debian's ``fonts-lxgw-wenkai`` (OFL-1.1), fetched with ``apt-get download`` and
  unpacked with ``dpkg-deb -x``.  Debian's copyright file lists "霞鹜" and "LXGW" as Reserved
  Font Names, and a subset is a Modified Version (OFL §3), so the subset is renamed
  ``Paiban Kai`` inside the font; the file keeps the name the project's spec expects.
* 通用规范汉字表: the ``kTGH`` field of the Unihan database (Debian's ``unicode-data``).
"""

from __future__ import annotations

import argparse
import bz2
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parent.parent
FONTS_DIR = REPO / "fonts"
TONGYONG_LIST = REPO / "scripts" / "tongyong-guifan-8105.txt"
DEFAULT_ARTICLE = Path("/work/shared/seed/article.txt")

NOTO_NPM_VERSION = "0.4.3"
LXGW_DEB_VERSION = "1.250+repack-1"
UNICODE_DATA_DEB_VERSION = "15.0.0-1"
TONGYONG_COUNT = 8105

# OpenType layout features worth their bytes for CJK: vertical forms and alternates, half-width
# and proportional punctuation, contextual half-width spacing, and Chinese-specific forms.
# Kerning, ligatures and 'aalt' (which drags in every alternate glyph) are dropped.
LAYOUT_FEATURES = ["vert", "vrt2", "halt", "palt", "chws", "vhal", "vpal", "vchw", "locl"]

# Blocks kept whole on top of GB 2312 + 8,105 (only what a face actually has is kept).
EXTRA_RANGES: list[tuple[int, int, str]] = [
    (0x0020, 0x007E, "ASCII"),
    (0x00A0, 0x00FF, "Latin-1 supplement (punctuation, × ÷ ± ·, accented letters)"),
    (0x2000, 0x206F, "General punctuation (— … “ ” ‘ ’ ‰ ※)"),
    (0x2100, 0x214F, "Letterlike symbols (℃ № ™)"),
    (0x2150, 0x218F, "Number forms (Ⅰ–Ⅻ)"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical operators (− ≈ ≠ ≤ ≥ ∞)"),
    (0x2460, 0x24FF, "Enclosed alphanumerics (①–⑳ ⑴ ⒈)"),
    (0x2500, 0x257F, "Box drawing"),
    (0x25A0, 0x25FF, "Geometric shapes (□ ■ ● ○ △ ◆)"),
    (0x2605, 0x2606, "★ ☆"),
    (0x3000, 0x303F, "CJK symbols and punctuation"),
    (0x3200, 0x32FF, "Enclosed CJK letters (㈠ ㊣)"),
    (0x3300, 0x33FF, "CJK compatibility (㎡ ㎏ ㎞)"),
    (0xFE10, 0xFE1F, "Vertical forms"),
    (0xFE30, 0xFE4F, "CJK compatibility forms"),
    (0xFF00, 0xFFEF, "Half-width and full-width forms"),
]
EXTRA_CHARS = "℃№□■●○※×÷±·~～"


@dataclass(frozen=True)
class Face:
    """One bundled face: where it comes from and what it is called in fonts/."""

    out_name: str
    source: str  # "noto-serif-sc" | "noto-sans-sc" | "lxgw"
    source_file: str  # path inside the unpacked package
    body: bool  # body faces must cover every character of the seed article
    rename: tuple[str, str, str] | None = None  # (family, PostScript name, Chinese family)


FACES = [
    Face("NotoSerifSC-Regular.ttf", "noto-serif-sc", "package/400Regular/NotoSerifSC_400Regular.ttf", True),
    Face("NotoSerifSC-Bold.ttf", "noto-serif-sc", "package/700Bold/NotoSerifSC_700Bold.ttf", True),
    # the display face of the 公文 and bulletin red heads (发文机关标志, 报头), a stand-in for 小标宋
    Face("NotoSerifSC-Black.ttf", "noto-serif-sc", "package/900Black/NotoSerifSC_900Black.ttf", True),
    Face("NotoSansSC-Regular.ttf", "noto-sans-sc", "package/400Regular/NotoSansSC_400Regular.ttf", True),
    Face("NotoSansSC-Bold.ttf", "noto-sans-sc", "package/700Bold/NotoSansSC_700Bold.ttf", True),
    Face(
        "LXGWWenKai-Regular.ttf",
        "lxgw",
        "usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
        False,
        rename=("Paiban Kai", "PaibanKai-Regular", "排版楷体"),
    ),
]


def run(cmd: list[str], cwd: Path) -> None:
    """Run a fetch command, echoing it, and fail loudly: a half-fetched font is worse than none."""
    print("  $", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def npm_fetch(package: str, version: str, work: Path) -> Path:
    """`npm pack` one package into work/ and unpack it; returns the folder holding `package/`."""
    dest = work / package.replace("@", "").replace("/", "-")
    dest.mkdir(parents=True, exist_ok=True)
    run(["npm", "pack", f"{package}@{version}", "--silent"], cwd=dest)
    (tgz,) = dest.glob("*.tgz")
    with tarfile.open(tgz) as tar:
        tar.extractall(dest, filter="data")
    tgz.unlink()
    return dest


def deb_fetch(package: str, version: str, work: Path) -> Path:
    """`apt-get download` one Debian package and `dpkg-deb -x` it; returns the unpacked root."""
    dest = work / package
    dest.mkdir(parents=True, exist_ok=True)
    # As root, apt warns that it downloads unsandboxed into a folder _apt cannot write: harmless.
    run(["apt-get", "download", f"{package}={version}"], cwd=dest)
    (deb,) = dest.glob("*.deb")
    root = dest / "root"
    run(["dpkg-deb", "-x", str(deb), str(root)], cwd=dest)
    return root


# --- the character set -------------------------------------------------------------------------


def gb2312_chars() -> set[str]:
    """Every character the gb2312 codec encodes in two bytes (rows 1-9 symbols, 16-87 hanzi)."""
    out: set[str] = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                out.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def load_tongyong(path: Path = TONGYONG_LIST) -> list[str]:
    """The 8,105 characters in table order (1-3500 level 1, 3501-6500 level 2, rest level 3)."""
    chars = [
        line.split("\t", 1)[0] for line in path.read_text("utf-8").splitlines() if line and line[0] != "#"
    ]
    if len(chars) != TONGYONG_COUNT or len(set(chars)) != TONGYONG_COUNT:
        raise SystemExit(f"{path}: expected {TONGYONG_COUNT} distinct characters, got {len(set(chars))}")
    return chars


def regenerate_tongyong(work: Path, out: Path = TONGYONG_LIST) -> None:
    """Rebuild the vendored list from Unihan's kTGH field (Debian's unicode-data package)."""
    root = deb_fetch("unicode-data", UNICODE_DATA_DEB_VERSION, work)
    mappings = root / "usr/share/unicode/Unihan_OtherMappings.txt.bz2"
    text = bz2.decompress(mappings.read_bytes()).decode("utf-8")
    header = [
        line for line in text.splitlines()[:12] if line.startswith("# ") and "contains data" not in line
    ]
    notice = unicode_permission_notice((root / "usr/share/doc/unicode-data/copyright").read_text("utf-8"))
    by_index: dict[int, str] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and fields[1] == "kTGH":
            for token in fields[2].split():
                year, index = token.split(":")
                if year == "2013":
                    by_index[int(index)] = chr(int(fields[0][2:], 16))
    if (
        sorted(by_index) != list(range(1, TONGYONG_COUNT + 1))
        or len(set(by_index.values())) != TONGYONG_COUNT
    ):
        raise SystemExit(f"kTGH gave {len(by_index)} indices, not 1..{TONGYONG_COUNT}")
    lines = [
        "# 通用规范汉字表 (Table of General Standard Chinese Characters), State Council of the PRC, 2013.",
        f"# {TONGYONG_COUNT} characters in table order: 1-3500 level 1 (一级字表), 3501-6500 level 2",
        "# (二级字表), 6501-8105 level 3 (三级字表). Columns: character, code point, index in the table.",
        "#",
        "# Source: the kTGH field of the Unicode Han Database (Unihan), file Unihan_OtherMappings.txt,",
        f"# as shipped in Debian's package unicode-data {UNICODE_DATA_DEB_VERSION}. Header of that file:",
        *[f"#   {line[2:]}" for line in header],
        "# This file is a modified extract: only the kTGH rows, reordered by index and reformatted,",
        "# by paiban's scripts/make_fonts.py --regenerate-list.",
        "#",
        "# The table itself is an official document of a state organ (国发〔2013〕23号), which Article 5",
        "# of the Copyright Law of the PRC places outside copyright. The Unihan data is under the",
        "# Unicode licence; its notice, as in the package's copyright file, follows.",
        "#",
        *[f"#   {line}".rstrip() for line in notice.splitlines()],
        "#",
    ]
    for i in range(1, TONGYONG_COUNT + 1):
        ch = by_index[i]
        lines.append(f"{ch}\tU+{ord(ch):04X}\t{i}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(REPO)}: {TONGYONG_COUNT} characters")


def unicode_permission_notice(copyright_text: str) -> str:
    """The Unicode copyright and permission notice, which must travel with the extract."""
    start = copyright_text.index("COPYRIGHT AND PERMISSION NOTICE")
    end = copyright_text.index("authorization of the copyright holder.", start) + len(
        "authorization of the copyright holder."
    )
    return "\n".join(line.strip() for line in copyright_text[start:end].splitlines())


def wanted_codepoints(article: str | None) -> set[int]:
    """The union the fonts are cut to; a face keeps only the part of it that it has."""
    cps = {ord(c) for c in gb2312_chars()}
    cps |= {ord(c) for c in load_tongyong()}
    for lo, hi, _ in EXTRA_RANGES:
        cps.update(range(lo, hi + 1))
    cps |= {ord(c) for c in EXTRA_CHARS}
    if article:
        cps |= {ord(c) for c in article if not c.isspace()}
    return cps


# --- subsetting --------------------------------------------------------------------------------


def subset_options() -> subset.Options:
    """Small files that ReportLab and matplotlib still read fully: no hinting, no glyph names."""
    opts = subset.Options()
    opts.layout_features = list(LAYOUT_FEATURES)
    opts.hinting = False  # drops fpgm/prep/cvt and glyph programs; print output does not need them
    opts.glyph_names = False  # post format 3: ReportLab names glyphs itself
    opts.name_IDs = ["*"]  # keep copyright (0), licence (13/14) and every other name
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.recalc_bounds = True
    opts.prune_unicode_ranges = True
    return opts


def rename_face(font: TTFont, family: str, postscript: str, chinese: str) -> None:
    """Give a Modified Version a family name free of the upstream Reserved Font Names."""
    name = font["name"]
    style = name.getDebugName(2) or "Regular"
    unique = f"{name.getDebugName(5) or ''};{postscript}".lstrip(";")
    for record in list(name.names):
        if record.nameID in (1, 4, 16, 17, 18, 21, 22):
            name.removeNames(nameID=record.nameID)
    name.setName(family, 1, 3, 1, 0x409)
    name.setName(family, 1, 1, 0, 0)
    name.setName(f"{family} {style}" if style != "Regular" else family, 4, 3, 1, 0x409)
    name.setName(f"{family} {style}" if style != "Regular" else family, 4, 1, 0, 0)
    name.setName(postscript, 6, 3, 1, 0x409)
    name.setName(postscript, 6, 1, 0, 0)
    name.setName(unique, 3, 3, 1, 0x409)
    name.setName(unique, 3, 1, 0, 0)
    name.setName(chinese, 1, 3, 1, 0x804)
    name.setName(chinese, 4, 3, 1, 0x804)


def mark_subset(font: TTFont) -> None:
    """Append to the unique ID (name 3) so the subset never passes for the upstream file."""
    name = font["name"]
    unique = name.getDebugName(3) or ""
    if "paiban subset" not in unique:
        for record in name.names:
            if record.nameID == 3:
                record.string = f"{unique};paiban subset"


def make_face(src: Path, dst: Path, face: Face, codepoints: set[int]) -> None:
    font = TTFont(src, recalcBBoxes=False)
    subsetter = subset.Subsetter(subset_options())
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    if face.rename:
        rename_face(font, *face.rename)
    mark_subset(font)
    font.recalcTimestamp = False  # keep the source's head.modified: a re-run gives the same bytes
    font.save(dst)


# --- checks ------------------------------------------------------------------------------------


def check_face(path: Path, article: str | None, body: bool) -> dict[str, object]:
    """Load with ReportLab and matplotlib, count coverage; raise if a body face misses article text."""
    from matplotlib import font_manager
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont

    RLTTFont(f"check-{path.stem}", str(path))
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    cmap = set(TTFont(path, lazy=True).getBestCmap())
    gb_han = {c for c in gb2312_chars() if "\u4e00" <= c <= "\u9fff"}
    tongyong = load_tongyong()
    info: dict[str, object] = {
        "bytes": path.stat().st_size,
        "family": family,
        "cmap": len(cmap),
        "gb2312_hanzi": sum(ord(c) in cmap for c in gb_han),
        "gb2312_hanzi_total": len(gb_han),
        "tongyong": sum(ord(c) in cmap for c in tongyong),
        "tongyong_missing": "".join(c for c in tongyong if ord(c) not in cmap),
    }
    if article is not None:
        chars = sorted({c for c in article if not c.isspace()})
        missing = "".join(c for c in chars if ord(c) not in cmap)
        info["article_chars"] = len(chars)
        info["article_missing"] = missing
        if body and missing:
            raise SystemExit(f"{path.name} lacks article characters: {missing!r}")
    return info


# --- licence files and README ------------------------------------------------------------------


def debian_copyright_ofl(copyright_text: str) -> str:
    """The OFL-1.1 body from a DEP-5 copyright file, un-indented, '.' lines made blank."""
    match = re.search(r"^License: OFL-1\.1\n((?: .*\n?)+)", copyright_text, re.M)
    if not match:
        raise SystemExit("no OFL-1.1 licence paragraph in Debian copyright file")
    body = [line[1:] for line in match.group(1).splitlines()]
    return "\n".join("" if line == "." else line for line in body).strip() + "\n"


def font_copyright(path: Path) -> str:
    return (TTFont(path, lazy=True)["name"].getDebugName(0) or "").replace("\r\n", "\n")


def write_licences(serif: Path, sans: Path, lxgw_root: Path, lxgw_font: Path) -> None:
    noto = [
        "SIL Open Font License 1.1 for the Noto faces in this folder.",
        "",
        "The subset fonts NotoSerifSC-*.ttf and NotoSansSC-*.ttf are Modified Versions (subsets) of",
        "the fonts in the npm packages @expo-google-fonts/noto-serif-sc and @expo-google-fonts/noto-sans-sc",
        f"{NOTO_NPM_VERSION}. Each package's font licence file (LICENSE_FONT) follows, unchanged.",
        "",
    ]
    for label, pkg_dir in (("Noto Serif SC", serif), ("Noto Sans SC", sans)):
        ttf = next(pkg_dir.glob("package/400Regular/*.ttf"))
        noto += [
            "=" * 78,
            f"{label}: LICENSE_FONT of {pkg_dir.name}",
            f"Copyright notice in the font itself (name ID 0): {font_copyright(ttf)}",
            "=" * 78,
            "",
            (pkg_dir / "package/LICENSE_FONT").read_text("utf-8").rstrip() + "\n",
        ]
    (FONTS_DIR / "OFL-Noto.txt").write_text("\n".join(noto), encoding="utf-8")

    copyright_file = lxgw_root / "usr/share/doc/fonts-lxgw-wenkai/copyright"
    text = copyright_file.read_text("utf-8")
    stanza = re.search(r"^Files: \*\n(.*?)(?:\n\n)", text, re.M | re.S)
    lxgw = [
        "SIL Open Font License 1.1 for LXGWWenKai-Regular.ttf in this folder.",
        "",
        "That file is a Modified Version (a subset) of LXGWWenKai-Regular.ttf from Debian's package",
        f"fonts-lxgw-wenkai {LXGW_DEB_VERSION}. Its family name inside the font is changed to",
        '"Paiban Kai", because the Debian copyright file lists Reserved Font Names "霞鹜" and "LXGW".',
        "",
        "Copyright notice in the font itself (name ID 0):",
        font_copyright(lxgw_font),
        "",
        "From /usr/share/doc/fonts-lxgw-wenkai/copyright (the package's licence statement):",
        (stanza.group(1) if stanza else "").rstrip(),
        "",
        debian_copyright_ofl(text),
    ]
    (FONTS_DIR / "OFL-LXGWWenKai.txt").write_text("\n".join(lxgw), encoding="utf-8")


GONGWEN_NOTE = """
## 公文 and red-head faces

`NotoSerifSC-Black.ttf` is the display face of the red heads (the 公文's 发文机关标志 and title,
the bulletin's 报头): a heavy Song standing in for 方正小标宋. GB/T 9704 asks for 仿宋 in the
body; no free 仿宋 is in the registries paiban's fonts come from (朱雀仿宋, OFL, is not packaged
there; Debian's cwTeX 仿宋 covers only traditional characters), so the `gongwen` template maps
its `fangsong` family to Noto Serif SC until you point it at a real one. With the usual
commercial faces installed (仿宋_GB2312 or 方正仿宋_GBK, 方正小标宋简体, 黑体, 楷体_GB2312), name
them in `fonts:` by family name or by file:

```yaml
fonts:
  fangsong: {regular: {name: 仿宋_GB2312}}          # or {path: /usr/share/fonts/simfang.ttf}
  display: {regular: {name: 方正小标宋简体}}
  hei: {regular: {name: 黑体}}
  kai: {regular: {name: 楷体_GB2312}}
```

Those faces are licensed for use, not for redistribution: keep them out of a shared project and
check that your licence allows embedding them in PDFs (most do, for print and display).
"""


def write_readme(results: dict[str, dict[str, object]], npm_versions: dict[str, str]) -> None:
    rows = []
    for face in FACES:
        r = results[face.out_name]
        if face.source == "lxgw":
            source = f"Debian `fonts-lxgw-wenkai` {LXGW_DEB_VERSION}, `{Path(face.source_file).name}`"
            licence = "OFL-1.1, `OFL-LXGWWenKai.txt`"
        else:
            pkg = f"@expo-google-fonts/{face.source}"
            source = f"npm `{pkg}` {npm_versions[face.source]}, `{Path(face.source_file).name}`"
            licence = "OFL-1.1, `OFL-Noto.txt`"
        size = int(r["bytes"]) / 1e6  # type: ignore[call-overload]
        rows.append(
            f"| `{face.out_name}` | {r['family']} | {source} | {licence} | {size:.2f} MB | {r['cmap']} "
            f"| {r['tongyong']}/{TONGYONG_COUNT} |"
        )
    gaps = "".join(
        f"\n- `{name}` lacks {len(str(r['tongyong_missing']))} of the 8,105: {r['tongyong_missing']}\n"
        for name, r in results.items()
        if r["tongyong_missing"]
    )
    text = f"""# Bundled fonts

Subsets of six Simplified Chinese faces with TrueType (glyf) outlines, which ReportLab can embed
(it rejects CFF outlines). Made by `scripts/make_fonts.py`, which fetches the sources, subsets
them with fontTools and checks that ReportLab and matplotlib load each file; re-run it to
reproduce or update this folder (it needs the npm and Debian registries; building PDFs does not).

| file | family name in the font | source | licence | size | characters | 通用规范汉字表 |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

## Character set

Each face keeps whatever it has of:

- GB 2312: every character Python's `gb2312` codec encodes (6,763 hanzi and 682 symbols:
  punctuation, Greek, Cyrillic, kana, pinyin letters, box drawing, ①–⑩, Ⅰ–Ⅻ);
- the 8,105 characters of 通用规范汉字表 (2013), list in `scripts/tongyong-guifan-8105.txt`
  (from the Unicode Unihan database, field kTGH);
- these blocks whole:
{chr(10).join(f"  - U+{lo:04X}–{hi:04X} {label}" for lo, hi, label in EXTRA_RANGES)}
- `{EXTRA_CHARS}` and every character of the seed article.
{gaps}

## How the files were cut

- hinting dropped (`fpgm`, `prep`, `cvt ` and glyph programs): print output does not use it;
- glyph names dropped (`post` format 3); `name` (copyright, licence), `OS/2`, `post`, `vhea`/`vmtx`
  kept;
- OpenType layout features kept: {", ".join(LAYOUT_FEATURES)} (vertical forms, half-width and
  proportional CJK punctuation); kerning, ligatures and `aalt` dropped;
- the unique ID (name ID 3) ends in `;paiban subset`.

## Licences

All six are under the SIL Open Font License 1.1; the texts are in `OFL-Noto.txt` and
`OFL-LXGWWenKai.txt`. The subsets are Modified Versions. Debian's copyright file for
fonts-lxgw-wenkai names "霞鹜" and "LXGW" as Reserved Font Names, so the Kai subset's family name
is **Paiban Kai** (排版楷体); its file name only acknowledges where it comes from. Noto Sans SC's
Reserved Font Name is "Source", which the Noto names do not use. Documents made with these fonts
are not bound by the OFL.
"""
    text += GONGWEN_NOTE
    (FONTS_DIR / "README.md").write_text(text, encoding="utf-8")


# --- main --------------------------------------------------------------------------------------


def human(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--article", type=Path, default=DEFAULT_ARTICLE, help="text whose characters must be covered"
    )
    parser.add_argument(
        "--regenerate-list", action="store_true", help="rebuild scripts/tongyong-guifan-8105.txt first"
    )
    parser.add_argument("--workdir", type=Path, help="keep downloads here instead of a temporary folder")
    args = parser.parse_args(list(argv) if argv is not None else None)

    article = args.article.read_text("utf-8") if args.article.is_file() else None
    if article is None:
        print(f"note: {args.article} not found; article coverage is not checked")

    with tempfile.TemporaryDirectory(prefix="paiban-fonts-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.regenerate_list:
            regenerate_tongyong(work)
        codepoints = wanted_codepoints(article)
        print(f"wanted: {len(codepoints)} code points")

        print("fetching sources")
        sources = {
            "noto-serif-sc": npm_fetch("@expo-google-fonts/noto-serif-sc", NOTO_NPM_VERSION, work),
            "noto-sans-sc": npm_fetch("@expo-google-fonts/noto-sans-sc", NOTO_NPM_VERSION, work),
            "lxgw": deb_fetch("fonts-lxgw-wenkai", LXGW_DEB_VERSION, work),
        }
        FONTS_DIR.mkdir(exist_ok=True)
        results: dict[str, dict[str, object]] = {}
        for face in FACES:
            src = sources[face.source] / face.source_file
            dst = FONTS_DIR / face.out_name
            t0 = time.perf_counter()
            make_face(src, dst, face, codepoints)
            results[face.out_name] = info = check_face(dst, article, face.body)
            print(
                f"{face.out_name:26} {human(int(info['bytes'])):>8}  family={info['family']!r}  "  # type: ignore[call-overload]
                f"chars={info['cmap']}  GB2312 hanzi={info['gb2312_hanzi']}/{info['gb2312_hanzi_total']}  "
                f"8105={info['tongyong']}/{TONGYONG_COUNT}  ({time.perf_counter() - t0:.1f} s, from "
                f"{human(src.stat().st_size)})"
            )
            if info.get("article_missing"):
                print(f"  article characters missing: {info['article_missing']}")
            if info["tongyong_missing"]:
                print(
                    f"  8105 characters missing ({len(str(info['tongyong_missing']))}): {info['tongyong_missing']}"
                )
        write_licences(
            sources["noto-serif-sc"],
            sources["noto-sans-sc"],
            sources["lxgw"],
            sources["lxgw"] / next(f for f in FACES if f.source == "lxgw").source_file,
        )
        write_readme(results, {"noto-serif-sc": NOTO_NPM_VERSION, "noto-sans-sc": NOTO_NPM_VERSION})
    total = sum(int(r["bytes"]) for r in results.values())  # type: ignore[call-overload]
    print(f"total {human(total)} in {FONTS_DIR.relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
