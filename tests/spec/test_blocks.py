"""Body blocks are typed: each class carries its kind, the spec walks its blocks in one place,
and the layout has one method for every kind."""

from __future__ import annotations

from typing import get_args

import pytest

from paiban.errors import InputError
from paiban.layout.story import BLOCK_FLOWABLES
from paiban.spec.load import load_spec
from paiban.spec.model import BLOCKS, BodyBlock, Spec
from tests.support.project import ROOT

KINDS = ["lead", "text", "part", "subhead", "figure", "facts", "image", "quote", "credit", "contents", "break", "article",
         "rule", "closing", "heading", "addressee", "attachments", "signature"]


def test_every_block_class_has_its_kind_and_its_one_field() -> None:
    assert list(BLOCKS) == KINDS  # the order "expected a block with one key: …" lists them in
    for kind, cls in BLOCKS.items():
        assert issubclass(cls, BodyBlock)
        assert cls.kind == kind
        assert cls.named  # how layout messages name it
        field = next(iter(cls.model_fields.values()))
        assert len(cls.model_fields) == 1 and (field.alias or cls.field_name()) == kind


def test_every_block_kind_has_a_layout_method() -> None:
    from paiban.layout.gongwen import Builder
    from paiban.spec.checks import GONGWEN_KINDS, GONGWEN_ONLY

    # the feature (and bulletin) page sets every kind but the 公文's own; the 公文 page its kinds
    assert list(BLOCK_FLOWABLES) == [k for k in KINDS if k not in GONGWEN_ONLY]
    assert set(GONGWEN_KINDS) <= set(KINDS)
    assert all(callable(getattr(Builder, f"_{kind}", None)) for kind in GONGWEN_KINDS)


def test_the_body_union_is_built_from_the_block_classes() -> None:
    union = get_args(Spec.model_fields["body"].annotation)[0]
    members = [get_args(member)[0] for member in get_args(get_args(union)[0])]
    assert members == list(BLOCKS.values())


def test_blocks_yield_index_kind_value_and_key_path() -> None:
    loaded = load_spec(ROOT / "report.yaml")
    walked = list(loaded.spec.blocks())
    assert [at.index for at in walked] == list(range(len(loaded.spec.body)))
    for at in walked:
        block = loaded.spec.body[at.index]
        assert at.block is block and at.kind == block.kind
        assert at.keys == ("body", at.index, at.kind)
        written = loaded.source.data["body"][at.index][at.kind]
        assert at.value is block.value
        if isinstance(written, str):
            assert at.value == written
    assert {at.kind for at in walked} >= {"lead", "text", "part", "figure", "facts", "image"}


def test_a_break_block_is_walked_under_its_yaml_key() -> None:
    text = ("document: {title: 标题}\nfonts:\n  song: {regular: fonts/NotoSerifSC-Regular.ttf}\n  fallback: [song]\n"
            "body:\n  - text: 正文。\n  - break: page\n  - credit: 编辑\n")
    loaded = load_spec(ROOT / "report.yaml", text=text)
    walked = [(at.index, at.kind, at.value, at.keys) for at in loaded.spec.blocks()]
    assert walked == [(0, "text", "正文。", ("body", 0, "text")), (1, "break", "page", ("body", 1, "break")),
                      (2, "credit", "编辑", ("body", 2, "credit"))]
    assert loaded.where(list(walked[1][3])).line == 7


def test_an_unknown_block_still_lists_the_kinds_in_order() -> None:
    text = "document: {title: 标题}\nfonts:\n  song: {regular: fonts/NotoSerifSC-Regular.ttf}\nbody:\n  - txet: 正文\n"
    with pytest.raises(InputError) as raised:
        load_spec(ROOT / "report.yaml", text=text)
    assert str(raised.value).endswith("body[0]: unknown block 'txet' (did you mean 'text'?); expected a block "
                                      "with one key: " + ", ".join(KINDS))


def test_what_blocks_refer_to_is_checked_at_its_key() -> None:
    text = ("document: {title: 标题}\nfonts:\n  song: {regular: fonts/NotoSerifSC-Regular.ttf}\n  fallback: [song]\n"
            "body:\n"
            "  - text: {text: 正文。, style: lede}\n"
            "  - image: {file: images/none.png, id: a}\n"
            "  - figure: {id: a, chart: bar, data: {file: data/none.csv}}\n")
    with pytest.raises(InputError) as raised:
        load_spec(ROOT / "report.yaml", text=text)
    found = [f"{p.location.line}: {p.path}: {p.message.split(' (')[0]}" for p in raised.value.problems]
    assert found == ["6: body[0].text.style: unknown style 'lede'",
                     "7: body[1].image.file: image not found: 'images/none.png'",
                     "8: body[2].figure.data.file: data file not found: 'data/none.csv'",
                     "8: body[2].figure.id: duplicate id 'a'"]
