"""The render stage: story → PDF file, with metadata, outline and running lines."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from paiban.assets import Assets
from paiban.errors import BuildError, Diagnostics, InputError, PaibanError
from paiban.layout.breakcache import FILE_NAME as BREAKS_FILE
from paiban.layout.breakcache import remembered
from paiban.layout.fit import fit_problems, located, too_big
from paiban.layout.headline import Segmenter
from paiban.layout.metadata import Stamp, pdf_stamp, pdf_subject, pdf_title
from paiban.layout.pages import BriefingDoc, PlacementError, make_templates
from paiban.layout.story import StoryBuilder
from paiban.layout.text import make_paragraph_factory
from paiban.pdf.canvas import DeferredCanvas, TooManyPages
from paiban.spec.geometry import Geometry, geometry
from paiban.spec.loaded import LoadedSpec

#: Pages a document may have. Each page's drawing is held until the end (for {pages}), about
#: 40 kB a page; its paragraphs' measured glyphs are not (1,000 pages build in flat time per page).
MAX_PAGES = 2000


def render(loaded: LoadedSpec, assets: Assets, target: Path, diagnostics: Diagnostics,
           segmenter: Segmenter | None = None) -> int:
    """Lay out and write the PDF to `target`; returns the page count. `segmenter`: the build's
    table of word boundaries, when the build has read it already (for its charts)."""
    if segmenter is None:
        segmenter = Segmenter(loaded.cache_dir)
    # paragraphs set in an earlier build keep their line breaks (see layout.breakcache)
    with remembered(loaded.cache_dir / BREAKS_FILE) as breaks:
        pages = _render(loaded, assets, target, diagnostics, segmenter)
        breaks.save()
    segmenter.save()
    return pages


def _render(loaded: LoadedSpec, assets: Assets, target: Path, diagnostics: Diagnostics,
            segmenter: Segmenter) -> int:
    spec = loaded.spec
    if spec.page.masthead == "gongwen":  # one column on a character grid: laid out on its own
        from paiban.layout.gongwen import render_gongwen

        return render_gongwen(loaded, assets, target, diagnostics, MAX_PAGES, segmenter)
    geo = geometry(spec.page)
    para = make_paragraph_factory(assets)
    builder = StoryBuilder(loaded, assets, para, diagnostics, geo.column_width, geo.text_width,
                           segmenter=segmenter)
    story = builder.build()
    mast_h = 0.0
    for f in story.masthead:
        _, h = f.wrap(geo.text_width, geo.text_height)
        mast_h += h + f.getSpaceBefore() + f.getSpaceAfter()
    mast_h = min(mast_h + 1.0, geo.text_height * 0.6)
    doc = BriefingDoc(
        str(target), pagesize=(geo.width, geo.height), title=pdf_title(spec),
        author=spec.document.author or (spec.document.byline or "").replace("□", "").strip(),
        subject=pdf_subject(spec), keywords=", ".join(spec.document.keywords),
        creator="paiban", producer="paiban (ReportLab)", lang=spec.document.language,
        leftMargin=geo.inner, rightMargin=geo.outer, topMargin=geo.top, bottomMargin=geo.bottom,
        pageTemplates=make_templates(geo, mast_h), allowSplitting=1, invariant=1,
        pitch=builder.pitch, balance=True,
    )
    decorate = RunningLines(loaded, assets, geo, mast_h)
    from reportlab.platypus import FrameBreak

    flow = [*story.masthead, FrameBreak(), *story.flow]
    try:
        problems = fit_problems(loaded, story.flow, geo, story.masthead)
        if problems:
            raise problems[0]
        stamp = pdf_stamp(loaded, diagnostics)
        story.flow = []  # `flow` alone holds the story now: the layout lets go of what it has set
        doc.build(flow, canvasmaker=lambda *a, **k: _canvas(decorate, stamp, *a, **k))
    except PlacementError as exc:  # a block's flowable: named at the block's line
        if isinstance(exc.error, TooManyPages):
            raise too_many_pages(loaded) from None
        raise placement_error(loaded, exc) from None
    except TooManyPages:
        raise too_many_pages(loaded) from None
    except PaibanError:
        raise
    except Exception as exc:  # ReportLab's LayoutError for a flowable no block made
        from reportlab.platypus.doctemplate import LayoutError

        if isinstance(exc, LayoutError):
            raise layout_error(exc) from None
        raise
    return decorate.pages


def too_many_pages(loaded: LoadedSpec) -> InputError:
    return InputError(f"the document runs past {MAX_PAGES:,} pages; paiban sets at most {MAX_PAGES:,} "
                      "(split it into several reports)", loaded.where(["body"]), "body")


def placement_error(loaded: LoadedSpec, exc: PlacementError) -> Exception:
    """A failure while placing a block's flowable as the editor's problem, at the block's line:
    ReportLab's LayoutError ("Flowable <… at 0x7f…> too large") says what did not fit where."""
    from reportlab.platypus.doctemplate import LayoutError

    error, f, frame = exc.error, exc.flowable, exc.frame
    keys = f.spec_keys
    if isinstance(error, InputError):
        return located(loaded, error, keys)
    if isinstance(error, LayoutError):
        fw, fh = (frame._width, frame._height) if frame is not None else (0.0, 0.0)
        return too_big(loaded, keys, getattr(f, "width", 0.0) or 0.0, getattr(f, "height", 0.0) or 0.0, fw, fh)
    return error


def layout_error(exc: Exception) -> PaibanError:
    """ReportLab's LayoutError for a flowable no block made: its first line, shortened."""
    text = str(exc).split("\n")[0]
    return BuildError(f"layout: {text[:200]}{'…' if len(text) > 200 else ''}")


def _canvas(decorate: RunningLines, stamp: Stamp, *args, **kwargs) -> Canvas:
    from reportlab import rl_config

    # Page streams compressed and kept binary: ReportLab's default also wraps them in ASCII85,
    # which makes them a quarter larger and costs a pass over every byte. A PDF is binary anyway.
    rl_config.useA85 = 0
    kwargs.setdefault("pageCompression", 1)
    # ReportLab starts every page in Helvetica, which would put an unembedded font in the PDF.
    kwargs["initialFontName"] = decorate.initial_font
    bleed = decorate.geo.bleed
    trim = (decorate.geo.width, decorate.geo.height, bleed + 6 * 72 / 25.4) if bleed > 0 else None
    c = DeferredCanvas(*args, decorate=decorate, trim=trim, **kwargs)
    c.max_pages = MAX_PAGES
    c._doc._timeStamp = stamp  # CreationDate and ModDate (invariant mode would say 2000-01-01)
    return c


def _open_runs(bottom: float, top: float, spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The stretches of [bottom, top] no page-wide float covers: where column rules are drawn
    (they stop a third of a line short of each float)."""
    runs, y = [], bottom
    for y0, y1 in sorted(spans):
        if y0 - 4 > y:
            runs.append((y, y0 - 4))
        y = max(y, y1 + 4)
    if top > y:
        runs.append((y, top))
    return runs


class RunningLines:
    """Draws the header and footer of each page once the page count is known."""

    def __init__(self, loaded: LoadedSpec, assets: Assets, geo: Geometry, masthead_height: float):
        self.masthead_height = masthead_height
        self.spec = loaded.spec
        self.assets = assets
        self.geo = geo
        self.pages = 0
        self.language = loaded.spec.document.language
        body = assets.styles["body"]
        self.initial_font = assets.fonts.face(body.font).rl_name

    def part_at_top(self, canvas: Canvas, number: int) -> str:
        """The part in force at the top of page `number`: the one whose heading opens the page's
        first column, else the last one begun on an earlier page (pages are decorated in order;
        `_paiban_part` is the last part begun by the end of the page, `_paiban_top_parts` the
        parts whose heading stands at the top of a page — see `blocks.PartHeading`)."""
        opening = getattr(canvas, "_paiban_top_parts", {}).get(number)
        part = opening or self._carried
        self._carried = getattr(canvas, "_paiban_part", None) or part
        return part

    _carried = ""

    def __call__(self, canvas: Canvas, number: int, total: int) -> None:
        self.pages = total
        page = self.spec.page
        values = {"title": self.spec.document.title, "part": self.part_at_top(canvas, number),
                  "page": number, "pages": total, "date": self.spec.document.date or "",
                  "subtitle": self.spec.document.subtitle or ""}
        geo = self.geo
        left = geo.left(number)
        right = left + geo.text_width
        if page.header and (number > 1 or page.header.first_page):
            st = self.assets.styles["header"]
            y = geo.height - geo.top + st.size * 1.2
            self._line(canvas, page.header, values, st, left, right, y)
            canvas.setStrokeColor(HexColor(st.color))
            canvas.setLineWidth(0.4)
            canvas.line(left, y - st.size * 0.5, right, y - st.size * 0.5)
        if page.column_rule and geo.columns > 1:
            top = geo.height - geo.top - (self.masthead_height if number == 1 else 0)
            canvas.setStrokeColor(HexColor("#9a9a9a"))
            canvas.setLineWidth(0.3)
            floor = max(geo.bottom, getattr(canvas, "_paiban_rule_floor", {}).get(number, geo.bottom))
            for y0, y1 in _open_runs(floor, top, getattr(canvas, "_paiban_spans", {}).get(number, [])):
                for i in range(1, geo.columns):
                    x = geo.column_x(number, i) - geo.gutter / 2
                    canvas.line(x, y0, x, y1)
        if page.footer and (number > 1 or page.footer.first_page is not False):
            st = self.assets.styles["footer"]
            y = geo.bottom - st.size * 2.2
            self._line(canvas, page.footer, values, st, left, right, y)

    def _line(self, canvas: Canvas, line, values: dict, style, left: float, right: float, y: float) -> None:
        """A running line's three parts, each set by the text engine (Han–Latin spacing,
        punctuation compression, a —— that never breaks) on one line with its baseline at `y`."""
        from dataclasses import replace

        from paiban.layout.paragraph import CJKParagraph
        from paiban.layout.text import para_style

        base = para_style(self.assets, style)
        for text, align in ((line.left, "left"), (line.center, "center"), (line.right, "right")):
            if not text:
                continue
            p = CJKParagraph(text.format(**values), replace(base, align=align, first_indent=0.0))
            _, h = p.wrap(right - left, 1e6)
            p.drawOn(canvas, left, y + p.baseline_offset - h)
