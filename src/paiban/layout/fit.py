"""Will every block fit a page? The one check `paiban build` makes before laying out and
`paiban validate` makes without drawing, so that what validate accepts, build builds, and both
say the same thing at the same spec line."""

from __future__ import annotations

from paiban.errors import Diagnostics, InputError, dotted
from paiban.spec.geometry import Geometry, geometry
from paiban.spec.loaded import LoadedSpec

#: How a layout message names the masthead's lines (body blocks name themselves: `BodyBlock.named`).
_MASTHEAD = {"title": "the title", "subtitle": "the subtitle", "byline": "the byline"}


def _named(loaded: LoadedSpec, keys: tuple) -> str:
    """What a layout message calls the spec node at `keys`: "this figure", "the title", …"""
    if keys[0] == "styles":
        return f"text in style '{keys[1]}'"
    if keys[0] == "body" and len(keys) > 1 and isinstance(keys[1], int):
        return loaded.spec.body[keys[1]].named
    return _MASTHEAD.get(str(keys[-1]), "this block")


def too_big(loaded: LoadedSpec, keys: tuple, width: float, height: float, frame_w: float, frame_h: float,
             ) -> InputError:
    what = _named(loaded, keys)
    size = f"{height:.0f}pt tall" + (f" and {width:.0f}pt wide" if width > frame_w + 0.5 else "")
    room = f"{frame_h:.0f}pt" + (f" × {frame_w:.0f}pt wide" if width > frame_w + 0.5 else "")
    return InputError(f"{what} is {size}, more than fits in an empty column ({room}); "
                      "shorten it or make it smaller", loaded.where(list(keys)), dotted(keys))


def fit_problems(loaded: LoadedSpec, flow: list, geo: Geometry, masthead: list = ()) -> list[InputError]:
    """Blocks that no page could hold, in reading order, at their spec lines: a figure, image or
    facts box (which would wait for a column forever), a heading, quote, credit or contents
    block (kept whole) taller than a full column — or, spanning the page, than the text block.
    Page 1's columns are shorter (the masthead), and so are columns under a page-wide float:
    what fits a full column waits for one (`pages.BriefingDoc`), so only a full one counts.
    `paiban validate` runs this on the same flowables, so both say the same at the same line."""
    from paiban.layout.grid import FloatBlock, GridGroup

    problems: list[InputError] = []
    for f in masthead:  # title, subtitle, byline, lead across: the page's width, above the columns
        keys = getattr(f, "spec_keys", None)
        if keys is None or keys[0] != "document":
            continue
        _, h = f.wrap(geo.text_width, geo.text_height)
        if h > geo.text_height + 1e-6:
            problems.append(too_big(loaded, keys, geo.text_width, h, geo.text_width, geo.text_height))
    for f in flow:
        if not isinstance(f, GridGroup):
            continue  # paragraphs split across columns; spaces and breaks take none
        wide = isinstance(f, FloatBlock) and f.wide
        width = geo.text_width if wide else geo.column_width
        keys = getattr(f, "spec_keys", None) or ("body",)
        try:
            _, h = f.wrap(width, geo.text_height)
        except InputError as exc:  # e.g. a character no font has, found while measuring the block
            problems.append(located(loaded, exc, keys))
            continue
        if h > geo.text_height + 1e-6:
            problems.append(too_big(loaded, keys, width, h, width, geo.text_height))
    return problems


def located(loaded: LoadedSpec, exc: InputError, keys: tuple) -> InputError:
    """An input error raised while measuring or drawing the block at `keys`, at that block's
    spec line if it came without a location."""
    if exc.location is not None:
        return exc
    return InputError(exc.problem.message, loaded.where(list(keys)), exc.problem.path or dotted(keys))




def spec_fit_problems(loaded: LoadedSpec, assets) -> list[InputError]:
    """`fit_problems` for `paiban validate`: the body's flowables made as the build makes them
    (charts as blanks of their given height), measured, nothing drawn or written."""
    from paiban.layout.story import StoryBuilder
    from paiban.layout.text import make_paragraph_factory

    geo = geometry(loaded.spec.page)
    if loaded.spec.page.masthead == "gongwen":
        return []  # text on the grid only: every block splits across pages
    builder = StoryBuilder(loaded, assets, make_paragraph_factory(assets), Diagnostics(), geo.column_width,
                           geo.text_width, measuring=True)
    try:
        story = builder.build()
    except InputError as exc:
        return [exc]
    return fit_problems(loaded, story.flow, geo, story.masthead)
