"""The headline's word segmentation cache: what it remembers, and a file it did not write."""

from __future__ import annotations

import json
from pathlib import Path

from paiban.layout.headline import Segmenter


def test_segments_are_remembered_between_builds(tmp_path: Path) -> None:
    first = Segmenter(tmp_path)
    words = first.words("乡村振兴")
    assert "".join(words) == "乡村振兴"
    first.save()
    assert json.loads((tmp_path / "segments.json").read_text(encoding="utf-8")) == {"乡村振兴": words}
    (tmp_path / "segments.json").write_text(json.dumps({"乡村振兴": ["乡", "村振兴"]}), encoding="utf-8")
    assert Segmenter(tmp_path).words("乡村振兴") == ["乡", "村振兴"]  # read back, not segmented again


def test_a_hand_edited_file_of_the_wrong_shape_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "segments.json"
    for content in ("[1, 2]", '"words"', "{not json", json.dumps({"乡村振兴": "乡村 振兴", "党旗": [1, 2],
                                                                  "飘扬": ["飘"], "农村": ["农", "村"]})):
        path.write_text(content, encoding="utf-8")
        segmenter = Segmenter(tmp_path)
        assert "".join(segmenter.words("乡村振兴")) == "乡村振兴"
        assert segmenter.words("党旗") and all(isinstance(w, str) for w in segmenter.words("党旗"))
        assert "".join(segmenter.words("飘扬")) == "飘扬"
        segmenter.save()
    assert Segmenter(tmp_path).words("农村") == ["农", "村"]  # the one good entry was kept


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    segmenter = Segmenter(blocked / "cache")
    assert "".join(segmenter.words("乡村振兴")) == "乡村振兴"
    segmenter.save()
    assert blocked.read_text(encoding="utf-8") == "not a folder"
