"""The README's reference of report.yaml is the one generated from the spec model (not stale)."""

from __future__ import annotations

from paiban.spec.reference import BEGIN, END, reference
from tests.support.project import ROOT


def test_readme_reference_is_generated_from_the_model() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    assert readme[start:end] + "\n" == reference(), "run: python -m paiban.spec.reference and paste it into README.md"


def test_reference_names_every_top_level_key_and_built_in_style() -> None:
    from paiban.spec.model import Spec
    from paiban.spec.styles import DEFAULTS

    text = reference()
    for key in Spec.model_fields:
        if key not in ("output", "body", "fonts", "styles", "data"):
            assert f"### {key}" in text
    for style in DEFAULTS:
        assert f"| `{style}` |" in text
