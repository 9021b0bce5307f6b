"""The prepare stage: fonts loaded and checked, styles resolved, data read, charts drawn.

Everything the layout needs that can fail on the editor's input fails here, before a page is
laid out, so a missing glyph or a broken CSV is reported with its location and no PDF is begun.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from paiban import memo
from paiban.errors import Diagnostics, InputError, Location, Problem, dotted
from paiban.fonts.book import FontBook
from paiban.fonts.collection import collection_face
from paiban.fonts.face import FaceSource
from paiban.fonts.installed import find_installed, fonts_covering
from paiban.fonts.sniff import sniff
from paiban.spec.geometry import geometry
from paiban.spec.loaded import LoadedSpec
from paiban.spec.styles import TextStyle, resolve_styles


@dataclass
class Assets:
    fonts: FontBook
    styles: dict[str, TextStyle]
    tables: dict[str, Any] = field(default_factory=dict)
    charts: dict[str, Any] = field(default_factory=dict)
    charts_drawn: list[str] = field(default_factory=list)
    charts_cached: list[str] = field(default_factory=list)
    latin_language: str | None = "en"  # hyphenation patterns of Latin words (document.latin_language)


def font_families(loaded: LoadedSpec, diagnostics: Diagnostics | None = None,
                  ) -> tuple[dict[str, dict[str, FaceSource]], dict[str, Location]]:
    """Each family's faces as files: paths resolved, names looked up, bold supplied where it can be.

    A collection given without index or name gets the face for document.language (a note says which).

    A family without a bold face gets one from a variable regular face (its wght axis at 700),
    or, with `fake_bold: true`, the regular face marked for stroke emboldening.
    """
    families: dict[str, dict[str, FaceSource]] = {}
    where: dict[str, Location] = {}
    problems: list[Problem] = []
    for fam, family in loaded.spec.fonts.families.items():
        faces: dict[str, FaceSource] = {}
        for weight in ("regular", "bold"):
            face = getattr(family, weight)
            if face is None:
                continue
            keys: list[Any] = ["fonts", fam, weight]
            where[f"{fam}.{weight}"] = at = loaded.where(keys)
            try:
                faces[weight] = _face_source(loaded, face, keys, weight, at, diagnostics)
            except InputError as exc:
                problems.extend(exc.problems)
        if "regular" in faces and "bold" not in faces:
            bold = _variable_bold(faces["regular"])
            if bold is not None:
                faces["bold"] = bold
            elif family.fake_bold:
                faces["bold"] = replace(faces["regular"], fake_bold=True)
        families[fam] = faces
    if problems:
        raise InputError(problems[0].message, problems[0].location, problems[0].path, problems)
    return families, where


def _face_source(loaded: LoadedSpec, face: Any, keys: list[Any], weight: str, at: Location,
                 diagnostics: Diagnostics | None) -> FaceSource:
    if isinstance(face, str):
        path = loaded.resolve(face, keys, what="font file")
        index = collection_face(path, loaded.spec.document.language, at, dotted(keys), diagnostics)
        return FaceSource(path, index, where=at)
    if face.path:
        path = loaded.resolve(face.path, [*keys, "path"], what="font file")
        index = face.index if face.index is not None or face.name else collection_face(
            path, loaded.spec.document.language, at, dotted(keys), diagnostics)
        return FaceSource(path, index or 0, name=face.name, instance=face.weight, where=at)
    found = find_installed(face.name, bold=weight == "bold", weight=face.weight)
    if found is None:
        raise InputError(f"no installed font is named {face.name!r}; give its file as path:, or check "
                         "the name with `fc-list : family`", loaded.where([*keys, "name"]),
                         dotted([*keys, "name"]))
    index = face.index if face.index is not None else found.index
    return FaceSource(found.path, index, instance=face.weight, lookup=face.name, where=at)


def _variable_bold(regular: FaceSource) -> FaceSource | None:
    """The bold instance of a variable regular face, when its wght axis reaches bold."""
    try:
        info = sniff(regular.path)
        if regular.index >= info.faces or "fvar" not in info.tables[regular.index]:
            return None
        from fontTools.ttLib import TTFont as FTFont

        with FTFont(str(regular.path), fontNumber=regular.index, lazy=True) as ft:
            axes = {a.axisTag: a for a in ft["fvar"].axes}
    except Exception:  # noqa: BLE001 - an unreadable font is reported when it is loaded
        return None
    if "wght" not in axes or axes["wght"].maxValue < 600:
        return None
    return replace(regular, instance=min(700.0, axes["wght"].maxValue))


def font_cache_dir(loaded: LoadedSpec) -> Path:
    """Where converted fonts are kept between builds: beside the spec (gitignored)."""
    return loaded.cache_dir / "fonts"


def font_book(loaded: LoadedSpec) -> FontBook:
    families, where = font_families(loaded)
    return FontBook(families, where, chars=document_chars(loaded), cache_dir=font_cache_dir(loaded),
                    allow_outside=loaded.allow_outside)


@dataclass(frozen=True)
class TextUse:
    """A piece of text the document draws, the style it is set in, and where it was written.

    `style` None: drawn inside a chart (the charts: font and fallback). `keys` is the spec key
    path of its node; `where` is set instead for text from a data file (the CSV line).
    """

    style: str | None
    text: str
    keys: tuple[Any, ...] = ()
    where: Location | None = None
    bold: bool = False


# Text the layout itself adds around the editor's (figure numbers, the image placeholder).
LAYOUT_TEXT = "图　片待补0123456789"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_FIELD = re.compile(r"\{[a-z]+\}")


def text_uses(loaded: LoadedSpec) -> Iterator[TextUse]:
    """Every piece of text the document sets: body, headings, captions, running lines, charts."""
    spec = loaded.spec
    doc = spec.document
    for key, style in (("title", "title"), ("subtitle", "subtitle"), ("byline", "byline")):
        value = getattr(doc, key)
        if value:
            yield TextUse(style, value, ("document", key))
    if spec.page.masthead == "bulletin":
        from paiban.spec.issue import head_texts

        for key, style, value in head_texts(spec):
            yield TextUse(style, value, key)
    charted = False
    for at in spec.blocks():
        charted = charted or at.block.charted
        for text in at.block.texts():
            keys = (*at.keys, *text.keys)
            if text.markup:
                yield from _marked(text.style, text.text, keys)
            else:
                yield TextUse(text.style, text.text, keys)
    if charted:
        yield from _chart_table_texts(loaded)
        written = loaded.source.node_at(["charts", "approx_note"])[2] == 2
        if spec.charts.approx_note and written:  # the built-in key is drawn only for approximate values
            yield TextUse(None, spec.charts.approx_note, ("charts", "approx_note"))
    yield from _running_lines(loaded)


def _marked(style: str, text: str, keys: tuple[Any, ...]) -> Iterator[TextUse]:
    """A paragraph's text, its **bold** runs apart (they are set in the bold face), markup removed."""
    plain = _BOLD.sub("", text)
    yield TextUse(style, plain.replace("*", ""), keys)
    bold = "".join(m.group(1) for m in _BOLD.finditer(text)).replace("*", "")
    if bold:
        yield TextUse(style, bold, keys, bold=True)


def _running_lines(loaded: LoadedSpec) -> Iterator[TextUse]:
    spec = loaded.spec
    parts = [(at.keys, at.value.title) for at in spec.blocks() if at.kind in ("part", "article")]
    for which in ("header", "footer"):
        line = getattr(spec.page, which)
        if line is None:
            continue
        for side in ("left", "center", "right"):
            template = getattr(line, side)
            if not template:
                continue
            keys = ("page", which, side)
            yield TextUse(which, _FIELD.sub("", template).replace("{{", "{").replace("}}", "}"), keys)
            if "{page}" in template or "{pages}" in template:
                yield TextUse(which, "0123456789", keys)
            for field_name in ("title", "subtitle", "date"):
                value = getattr(spec.document, field_name)
                if "{" + field_name + "}" in template and value:
                    yield TextUse(which, value, ("document", field_name))
            if "{part}" in template:
                for keys, title in parts:
                    yield TextUse(which, title, (*keys, "title"))


def _chart_table_texts(loaded: LoadedSpec) -> Iterator[TextUse]:
    """Category names, series names, units and text cells of the tables charts draw.

    A table that does not load is skipped here: the charts stage reports it, located.
    """
    from paiban.charts.tables import load_table

    spec = loaded.spec
    tables: dict[str, Any] = {}
    for at in spec.blocks():
        if at.kind != "figure":
            continue
        fig, keys = at.value, at.keys
        try:
            if isinstance(fig.data, str):
                if fig.data not in spec.data:
                    continue
                if fig.data not in tables:
                    tables[fig.data] = load_table(fig.data, spec.data[fig.data], loaded.base_dir, loaded.where,
                                                  ("data", fig.data))
                table = tables[fig.data]
            else:
                table = load_table(fig.id, fig.data, loaded.base_dir, loaded.where, (*keys, "data"))
        except InputError:
            continue
        cols = list(table.columns)
        x = fig.x if fig.x in cols else (cols[0] if cols else None)
        extra = {c for c in (fig.series, fig.unit_column, fig.approx) if c}
        at = {c: i for i, c in enumerate(cols)}  # (a list scan per column was minutes for 100,000)
        ys = [c for c in (fig.y_columns or [c for c in cols if c != x and c not in extra]) if c in at]
        label_cols = [c for c in (x, fig.series, fig.unit_column) if c in at]
        header = ys + ([fig.series] if fig.series in at else [])
        units = "".join(table.units.get(c, "") for c in ys) + (fig.unit or "")
        yield TextUse(None, "".join(header) + units, (), table.header_where or loaded.where(keys))
        for r, row in enumerate(table.rows):
            text = "".join(str(row[at[c]]) for c in label_cols if at[c] < len(row) and isinstance(row[at[c]], str))
            if text:
                yield TextUse(None, text, (), table.where_row(r))


def document_chars(loaded: LoadedSpec, uses: list[TextUse] | None = None) -> str:
    """Every character the document may draw: what converted (subset) fonts must hold.

    `uses`: text_uses(loaded) when the caller has it already (it reads every data table)."""
    chars: set[str] = set(LAYOUT_TEXT)
    if any(at.block.charted for at in loaded.spec.blocks()):
        chars.update(loaded.spec.charts.approx_note + "约")  # the key of approximate values, 约 of facts
    for use in text_uses(loaded) if uses is None else uses:
        chars.update(use.text)
    return "".join(sorted(chars))


def locate(loaded: LoadedSpec, use: TextUse, ch: str) -> list[Location]:
    """Each place `ch` is written in the node of `use`: its line (and column) in report.yaml,
    inside a literal block too; the node's start when it cannot be found (an escape, a data file)."""
    if use.where is not None or not use.keys:
        return [use.where or Location(loaded.source.name)]
    node, _, matched = loaded.source.node_at(list(use.keys))
    start = getattr(node, "start_mark", None)
    end = getattr(node, "end_mark", None)
    buffer = getattr(start, "buffer", None)
    if matched == len(use.keys) and isinstance(node, yaml.ScalarNode) and buffer is not None and end is not None:
        span = buffer[start.pointer:end.pointer]
        out: list[Location] = []
        pos = span.find(ch)
        while pos >= 0:
            line = start.line + span.count("\n", 0, pos)
            nl = span.rfind("\n", 0, pos)
            column = (start.column + pos) if nl < 0 else pos - nl - 1
            out.append(Location(loaded.source.name, line + 1, column + 1))
            pos = span.find(ch, pos + len(ch))
        if out:
            return out
    return [loaded.where(list(use.keys))]


def chart_families(loaded: LoadedSpec, families: list[str]) -> tuple[str, ...]:
    """The families chart text is set in, in fallback order: the charts' font and fallback that
    the document defines, else its first family."""
    theme = loaded.spec.charts
    chain = tuple(dict.fromkeys(f for f in [theme.font, *theme.fallback] if f in families))
    return chain or tuple(families[:1])


def check_coverage(loaded: LoadedSpec, fonts: FontBook, styles: dict[str, TextStyle],
                   diagnostics: Diagnostics, uses: list[TextUse] | None = None) -> None:
    """The fonts checked before layout: every character has a glyph in its style's font or a
    fallback (never a silent blank), bold is real where asked for, and fonts found by name say
    which file they are.

    A character no font has is an error naming it, its code point and every place it is written
    (with `fonts.missing: warn`, a warning, and the layout draws a placeholder box).
    """
    uses = list(text_uses(loaded)) if uses is None else uses
    _note_lookups(loaded, fonts, diagnostics)
    _check_bold(loaded, fonts, styles, uses, diagnostics)
    chart_chain = chart_families(loaded, fonts.families)
    found: dict[str, list[Location]] = {}
    tried: dict[str, dict[str, None]] = {}
    for use in uses:
        style = styles.get(use.style) or styles["body"] if use.style is not None else None
        chain = tuple(dict.fromkeys(style.fallback)) if style is not None else chart_chain
        weight = "bold" if use.bold or (style is not None and style.bold) else "regular"
        missing = fonts.missing(use.text, chain, weight)
        for ch in missing:
            found.setdefault(ch, []).extend(locate(loaded, use, ch))
            what = f"{', '.join(chain)} for style '{use.style}'" if use.style else f"{', '.join(chain)} for charts"
            tried.setdefault(ch, {})[what] = None
    problems: list[Problem] = []
    for ch, places in found.items():
        places = sorted(set(places), key=Location.order)
        msg = (f"no font has {ch!r} (U+{ord(ch):04X}); tried {'; '.join(tried[ch])}; "
               f"written at {_places(places)}")
        if loaded.spec.fonts.missing == "warn":
            diagnostics.warn(msg + "; a placeholder box is drawn", places[0])
        else:
            problems.append(Problem(msg, places[0]))
    if problems:
        problems.sort(key=lambda p: Location.order(p.location))
        raise InputError(problems[0].message, problems[0].location, problems=problems)


def system_fallback(loaded: LoadedSpec, fonts: FontBook, styles: dict[str, TextStyle], diagnostics: Diagnostics,
                    uses: list[TextUse]) -> dict[str, TextStyle]:
    """Characters no configured face has, looked up among the installed fonts (𠮷, 䶮, 🌾 in names
    and shop signs are real): each face found becomes a family every style falls back to last, with
    a warning naming the character, the font file and where it is written. Returns the styles."""
    missing: dict[str, list[Location]] = {}
    for use in uses:
        if use.style is None:
            continue  # chart text is drawn by matplotlib from the chart theme's fonts
        style = styles.get(use.style) or styles["body"]
        weight = "bold" if use.bold or style.bold else "regular"
        for ch in fonts.missing(use.text, tuple(dict.fromkeys(style.fallback)), weight):
            missing.setdefault(ch, []).extend(locate(loaded, use, ch))
    added: dict[Path, str] = {}
    for ch, places in missing.items():
        face_key = None
        for inst in fonts_covering(ch):
            key = added.get(inst.path)
            if key is None:
                key = f"installed-{len(added) + 1}"
                try:
                    fonts.add_family(key, FaceSource(inst.path, inst.index, lookup=inst.family))
                    if not fonts.face(key).has(ch):
                        raise ValueError("no glyph")
                except Exception:  # noqa: BLE001 - a font ReportLab cannot use (a colour bitmap font): try the next
                    fonts.drop_family(key)
                    continue
                added[inst.path] = key
            elif not fonts.face(key).has(ch):
                continue
            face_key = key
            places = sorted(set(places), key=Location.order)
            diagnostics.warn(f"no configured font has {ch!r} (U+{ord(ch):04X}); drawn from the installed font "
                             f"{inst.path} ({inst.family}); written at {_places(places)}", places[0])
            break
        if face_key is None:
            continue  # the coverage check reports it
    if not added:
        return styles
    keys = tuple(added.values())
    return {n: replace(s, fallback=s.fallback + keys) for n, s in styles.items()}


def _places(places: list[Location]) -> str:
    """report.yaml:40:7, 52:3, 60:11; data/x.csv:3 — every place, the file named once."""
    out: list[str] = []
    last = None
    for loc in places:
        pos = f"{loc.line}" + (f":{loc.column}" if loc.column else "") if loc.line else ""
        if str(loc.file) != last:
            out.append(f"{loc.file}:{pos}" if pos else str(loc.file))
            last = str(loc.file)
        elif pos:
            out[-1] += f", {pos}"
    return "; ".join(out)


def _note_lookups(loaded: LoadedSpec, fonts: FontBook, diagnostics: Diagnostics) -> None:
    for fam in fonts.families:
        for weight in ("regular", "bold"):
            src = fonts.source(fam, weight)
            if src is None or not src.lookup or src.fake_bold:
                continue
            face = f", face {src.index}" if src.index else ""
            diagnostics.warn(f"font {src.lookup!r} found by name: {src.path}{face}; give its path: "
                             "to build the same on every machine", src.where, f"fonts.{fam}.{weight}")


def _check_bold(loaded: LoadedSpec, fonts: FontBook, styles: dict[str, TextStyle], uses: list[TextUse],
                diagnostics: Diagnostics) -> None:
    """Bold asked for in a family without a bold face is warned: at the style that asks for it
    (once per style), or at the first **bold** text (once per family)."""
    warned: set[tuple[str, str]] = set()
    for use in uses:
        if use.style is None:
            continue
        style = styles.get(use.style) or styles["body"]
        kind = fonts.bold_kind(style.font)
        if not (style.bold or use.bold) or kind == "real":
            continue
        asker = use.style if style.bold else "**bold**"
        if (style.font, asker) in warned:
            continue
        warned.add((style.font, asker))
        if style.bold:
            user = loaded.spec.styles.get(use.style)
            keys: list[Any] = ["styles", use.style] + (["bold"] if user is not None and user.bold else [])
            at = loaded.where(keys) if user is not None else loaded.where(["fonts", style.font])
            who = f"style '{use.style}'" + ("" if user is not None else " (built in)")
        else:
            at = loaded.where(list(use.keys))
            who = "**bold** text"
        fam = style.font
        if kind == "fake":
            how = f"its regular face is emboldened by stroking (fonts.{fam}.fake_bold); give fonts.{fam}.bold " \
                  "for a real bold"
        else:
            how = f"set in its regular face (give fonts.{fam}.bold, or set fonts.{fam}.fake_bold: true to " \
                  "embolden by stroking)"
        diagnostics.warn(f"{who} asks for bold, but font family '{fam}' has no bold face; {how}", at)


MAX_PARAGRAPHS = 20_000  # in one document: 100,000 took 1.1 GB
MAX_PARAGRAPH_CHARS = 50_000  # in one paragraph: 2 MB of text in one took 535 MB
MAX_TEXT_CHARS = 5_000_000  # in one document: about 3,500 pages; memory is flat in pages (~0.2 MB a page)


def marked_texts(loaded: LoadedSpec) -> Iterator[tuple[tuple[Any, ...], str, bool]]:
    """Every text the layout sets as a paragraph (and so reads as markup): its key path, the
    text, and whether it is split into paragraphs at blank lines (body text and leads)."""
    doc = loaded.spec.document
    for key in ("title", "subtitle", "byline"):
        if getattr(doc, key):
            yield ("document", key), getattr(doc, key), False
    for at in loaded.spec.blocks():
        for text in at.block.texts():
            if text.style is not None and text.style != "kicker":  # charts and the kicker band: plain
                yield (*at.keys, *text.keys), text.text, text.markup


def check_markup(loaded: LoadedSpec) -> list[Problem]:
    """Unbalanced or malformed markup, and links to schemes not allowed (links.schemes), in
    every text the layout will set, each located at the character in the spec (or at the --set
    argument that gave the text): found here, before fonts or charts, never a traceback later."""
    from paiban.cjk.markup import MarkupError, parse_markup
    from paiban.cjk.normalize import piece_offsets, split_paragraphs

    schemes = {s.lower() for s in loaded.spec.links.schemes}
    problems: list[Problem] = []
    count = chars = 0
    # a watch session checks each text once: a text found sound is remembered with its paragraphs
    sound = memo.table("markup checked", MAX_TEXT_CHARS)
    allowed = frozenset(schemes)
    for keys, text, split in marked_texts(loaded):
        chars += len(text)
        if chars > MAX_TEXT_CHARS:
            return [Problem(f"more than {MAX_TEXT_CHARS:,} characters of text; paiban sets at most "
                            f"{MAX_TEXT_CHARS:,} in one document (split it)", loaded.where(keys), dotted(keys))]
        known = sound.get((text, split, allowed)) if sound is not None else None
        pieces = [] if known is not None else split_paragraphs(text) if split else [text]
        count += len(pieces) if known is None else known
        if count > MAX_PARAGRAPHS:
            return [Problem(f"more than {MAX_PARAGRAPHS:,} paragraphs; paiban sets at most {MAX_PARAGRAPHS:,} "
                            "in one document (split it)", loaded.where(keys), dotted(keys))]
        found = len(problems)
        for i, piece in enumerate(pieces):
            if len(piece) > MAX_PARAGRAPH_CHARS:
                problems.append(Problem(f"a paragraph of {len(piece):,} characters; at most "
                                        f"{MAX_PARAGRAPH_CHARS:,} (separate paragraphs with a blank line)",
                                        loaded.where(keys), dotted(keys)))
                break
            try:
                runs = parse_markup(piece)
            except MarkupError as exc:
                at = piece_offsets(text, pieces, i, split)
                where = loaded.text_location(keys, at[min(exc.offset, len(at) - 1)] if at else 0)
                problems.append(Problem(exc.reason, where, dotted(keys)))
                break
            bad = next((r for r in runs if r.link is not None and link_scheme(r.link) not in schemes), None)
            if bad is not None:
                at = piece_offsets(text, pieces, i, split)
                scheme = link_scheme(bad.link or "")
                got = f"scheme {scheme!r}" if scheme else "no scheme"
                where = loaded.text_location(keys, at[min(bad.offset, len(at) - 1)] if at else 0)
                problems.append(Problem(f"link target {_short(bad.link or '')} has {got}; links may use "
                                        f"{', '.join(sorted(schemes))} (links.schemes widens this)",
                                        where, dotted(keys)))
                break
        if sound is not None and known is None and len(problems) == found:
            sound.put((text, split, allowed), len(pieces), max(1, len(text)))
    return problems


def link_scheme(url: str) -> str:
    """'https' of 'https://…'; '' for a target without a scheme (a relative path)."""
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return m.group(1).lower() if m else ""


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "…")


def prepare(loaded: LoadedSpec, diagnostics: Diagnostics, *, force_charts: bool = False,
            draw_charts: bool = True, progress: Callable[[str], None] | None = None) -> Assets:
    for note in loaded.notes:  # the spec stage's warnings (a paste cleaned up)
        diagnostics.warn(note.message, note.location, note.path)
    problems = check_markup(loaded)
    if problems:
        raise InputError(problems[0].message, problems[0].location, problems[0].path, problems)
    families, where = font_families(loaded, diagnostics)
    uses = list(text_uses(loaded))  # once: it reads every data table
    fonts = FontBook(families, where, chars=document_chars(loaded, uses), cache_dir=font_cache_dir(loaded),
                    allow_outside=loaded.allow_outside)
    styles = resolve_styles(loaded.spec)
    for name, style in styles.items():
        for fam in style.fallback:
            if fam not in families and name in loaded.spec.styles:
                raise InputError(f"unknown font family {fam!r}", loaded.where(["styles", name]), f"styles.{name}")
    # Built-in styles may name families the editor's fonts: lacks; fall back to what exists.
    styles = {n: style_in_families(s, families) for n, s in styles.items()}
    if loaded.spec.fonts.system_fallback:
        styles = system_fallback(loaded, fonts, styles, diagnostics, uses)
    check_coverage(loaded, fonts, styles, diagnostics, uses)
    assets = Assets(fonts=fonts, styles=styles, latin_language=loaded.spec.document.latin_language)
    prepare_charts_for(loaded, assets, draw=draw_charts, force=force_charts, progress=progress)
    from paiban.charts.bound import check as check_bound  # {data:…} in text: after the tables are read

    bad = [Problem(msg, where, None) for msg, where in check_bound(
        ((keys, text) for keys, text, _ in marked_texts(loaded)), assets.tables, loaded.spec.charts.thousands,
        loaded.text_location)]
    if bad:
        raise InputError(bad[0].message, bad[0].location, None, bad)
    return assets


def prepare_charts_for(loaded: LoadedSpec, assets: Assets, *, draw: bool, force: bool,
                       progress: Callable[[str], None] | None) -> None:
    """Read the data tables and draw (or take from figures/) every chart of the body.

    Without `draw` (paiban validate) the figures are only checked against their data.
    """
    spec = loaded.spec
    figures = [(list(at.keys), at.value) for at in spec.blocks() if at.kind == "figure"]
    if not (spec.data or figures):
        assets.tables = {}
        return
    from paiban.charts import check_figures, load_tables, prepare_charts

    assets.tables = load_tables(spec.data, loaded.base_dir, loaded.where)
    if not draw:
        check_figures(figures, assets.tables, base_dir=loaded.base_dir, where=loaded.where,
                      thousands=spec.charts.thousands)
        return
    geo = geometry(spec.page)
    result = prepare_charts(figures, assets.tables, spec.charts, assets.fonts, loaded.base_dir / "figures",
                            widths={"column": geo.column_width, "page": geo.text_width}, where=loaded.where,
                            base_dir=loaded.base_dir, pitch=assets.styles["body"].leading if spec.page.baseline_grid else None, force=force,
                            progress=progress)
    assets.charts = result.charts
    assets.charts_drawn, assets.charts_cached = list(result.drawn), list(result.cached)


def style_in_families(style: TextStyle, families: dict) -> TextStyle:
    """The style with only the families the document defines in its chain (its first family, when
    it names none of them): built-in styles may name families the editor's fonts: lacks."""
    from dataclasses import replace

    chain = tuple(f for f in style.fallback if f in families) or (next(iter(families)),)
    return replace(style, font=chain[0], fallback=chain)
