"""The briefing's default charts (report.yaml + data/): valid, placed after the paragraphs they
illustrate, and every number exactly as the article prints it, hedges included."""

from __future__ import annotations

import csv
import re

import pytest
import yaml

from paiban.charts import check_figures, load_tables
from paiban.charts.values import parse_value
from paiban.spec.charts import ChartTheme, FactsBlock, FigureBlock, TableSpec
from tests.support.project import DATA, ROOT

SPEC = ROOT / "report.yaml"
PARAGRAPHS = DATA / "article_paragraphs.txt"
HEDGE = re.compile("[余多近约]|以上")


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(SPEC.read_text("utf-8"))


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    if not PARAGRAPHS.is_file():
        pytest.skip("the article's paragraphs are not in tests/support/data")
    text = PARAGRAPHS.read_text("utf-8").replace("**", "")
    return [p.strip() for p in text.split("\n\n") if p.strip() and not p.startswith("#")]


def blocks(spec: dict) -> list[tuple[str, FigureBlock | FactsBlock]]:
    """(start of the paragraph before the block, block) for every figure and facts block."""
    out, last = [], ""
    for item in spec["body"]:
        (kind, body), = item.items()
        if kind == "text":
            text = body if isinstance(body, str) else body["text"]
            last = [p for p in text.split("\n\n") if p.strip()][-1].replace("**", "").strip()
        elif kind in ("figure", "facts"):
            out.append((last[:12], FigureBlock(**body) if kind == "figure" else FactsBlock(**body)))
    return out


def test_the_default_figures_are_valid_and_resolve(spec):
    ChartTheme(**spec["charts"])
    tables = load_tables({k: TableSpec(**v) for k, v in spec["data"].items()}, ROOT)
    figs = [b for _, b in blocks(spec) if isinstance(b, FigureBlock)]
    jobs = check_figures(figs, tables, base_dir=ROOT)
    assert len(jobs) == len(figs)
    assert len(blocks(spec)) >= 8
    for _, b in blocks(spec):
        assert (b.caption if isinstance(b, FigureBlock) else b.title), "every block says what it shows"


def test_each_block_follows_a_real_paragraph(spec, paragraphs):
    starts = {p[:12] for p in paragraphs}
    for after, block in blocks(spec):
        assert len(after) == 12, after
        assert after in starts, f"{block.id}: no paragraph starts with {after!r}"


def test_every_number_is_the_articles_own(spec, paragraphs):
    article = "".join(paragraphs)
    for name, table in spec["data"].items():
        with (ROOT / table["file"]).open(encoding="utf-8") as f:
            rows = list(csv.reader(f))[1:]
        for row in rows:
            for cell in row:
                if parse_value(cell) is None:
                    continue
                assert cell in article, f"{name}: {cell!r} is not written so in the article"
                assert parse_value(cell).approx == bool(HEDGE.search(cell)), cell
    for _, block in blocks(spec):
        if isinstance(block, FactsBlock):
            for item in block.items:
                text = f"{item.value}{item.unit}"
                # the OCR keeps a few spaces inside numbers' phrases (总投资 1560 万元)
                assert text in article.replace(" ", ""), f"{block.id}: {text!r} is not in the article"
                assert item.is_approx == bool(HEDGE.search(str(item.value))), item

