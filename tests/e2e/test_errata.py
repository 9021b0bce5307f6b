"""The default briefing's text is the seed article with its evident OCR slips corrected, each
listed with its reason in docs/errata.yaml; scripts/check_report_text.py compares report.yaml
with the article as corrected (the seed itself is not in the repository: that comparison runs
where it is at hand)."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pymupdf
import pytest
import yaml

from tests.support.project import ROOT

ERRATA = yaml.safe_load((ROOT / "docs" / "errata.yaml").read_text(encoding="utf-8"))
SEED = Path("/work/shared/seed/article.txt")


def script():
    spec = importlib.util.spec_from_file_location("check_report_text", ROOT / "scripts" / "check_report_text.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_report_text"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_erratum_is_corrected_in_report_yaml_and_in_the_pdf(default_pdf: Path) -> None:
    report = (ROOT / "report.yaml").read_text(encoding="utf-8")
    with pymupdf.open(default_pdf) as doc:
        text = re.sub(r"\s+", "", "".join(page.get_text() for page in doc))
    assert len(ERRATA["errata"]) >= 3
    for entry in ERRATA["errata"]:
        assert entry["reason"].strip() and entry["where"].strip()
        assert entry["original"] != entry["corrected"]
        assert entry["original"] not in report, entry
        assert report.count(entry["corrected"]) == 1, entry
        assert entry["corrected"] in text and entry["original"] not in text, entry


def test_errata_apply_on_their_line_exactly_once() -> None:
    check = script()
    article = "第一行\n\n有捞待区等。\n"
    errata = {"errata": [{"line": 3, "original": "捞待区", "corrected": "接待区"}]}
    assert check.apply_errata(article, errata) == ("第一行\n\n有接待区等。\n", 1)
    for line in (1, 9):
        with pytest.raises(check.ShapeError, match="line"):
            check.apply_errata(article, {"errata": [{"line": line, "original": "捞待区", "corrected": "接待区"}]})
    with pytest.raises(check.ShapeError, match="occurs 2 times"):
        check.apply_errata("捞待区捞待区\n", errata | {"errata": [errata["errata"][0] | {"line": 1}]})


@pytest.mark.skipif(not SEED.is_file(), reason="the seed article is not at hand")
def test_report_yaml_is_the_seed_article_with_the_errata_applied() -> None:
    check = script()
    out = io.StringIO()
    with redirect_stdout(out):
        assert check.main([str(ROOT / "report.yaml"), str(SEED)]) == 0, out.getvalue()
    assert f"note: {len(ERRATA['errata'])} errata applied" in out.getvalue()
    with redirect_stdout(io.StringIO()):  # without them, the first slip is the first difference
        assert check.main([str(ROOT / "report.yaml"), str(SEED), "--no-errata"]) == 1
