"""A font collection given without index or name: the face for document.language, and a note
saying which (Noto Serif CJK's face 0 is Japanese; a zh-CN document must not get it silently).

The collection is real: the bundled Noto Serif SC, subset to the test's characters with
fontTools and renamed as the faces of Noto Serif CJK (JP first, as in the real file), saved as
one TTC. Its faces differ only in their names, so which one a PDF embeds is read from there.
"""

from __future__ import annotations

import glob
import io
import re
import shutil
from pathlib import Path

import pymupdf
import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from paiban.fonts.collection import FaceFacts, choose, region_of
from paiban.fonts.convert import BASE_CHARS
from tests.support.fontmaker import save_collection
from tests.support.project import FONTS, run_paiban

TEXT = "测试标题这是正文段落一二三"
SPEC = """\
document:
  title: 测试标题
  language: {language}
fonts:
  song: {song}
  hei: {{regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}}
  kai: {{regular: fonts/LXGWWenKai-Regular.ttf}}
body:
  - text: 这是正文段落，一二三。
"""


def renamed(font: TTFont, region: str) -> TTFont:
    """A copy of `font` named as Noto Serif CJK's `region` face."""
    buf = io.BytesIO()
    font.save(buf)
    buf.seek(0)
    face = TTFont(buf)
    name = face["name"]
    name.names = [r for r in name.names if r.nameID not in (1, 3, 4, 6, 16, 17)]
    family = f"Noto Serif CJK {region}"
    for name_id, value in ((1, family), (4, f"{family} Regular"), (3, f"{family} Regular"),
                           (6, f"NotoSerifCJK{region.lower()}-Regular")):
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    return face


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("collection")
    (root / "fonts").mkdir()
    for name in ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf", "LXGWWenKai-Regular.ttf"):
        shutil.copy(FONTS / name, root / "fonts" / name)
    font = TTFont(str(FONTS / "NotoSerifSC-Regular.ttf"))
    options = subset.Options()
    options.name_IDs = ["*"]
    sub = subset.Subsetter(options)
    sub.populate(text=TEXT + "，。" + BASE_CHARS)
    sub.subset(font)
    save_collection([renamed(font, r) for r in ("JP", "KR", "SC", "TC")], root / "fonts" / "NotoSerifCJK.ttc")
    return root


def build(project: Path, language: str, song: str = "{regular: fonts/NotoSerifCJK.ttc}", command: str = "build"):
    (project / "report.yaml").write_text(SPEC.format(language=language, song=song), encoding="utf-8")
    shutil.rmtree(project / "build", ignore_errors=True)
    r = run_paiban(command, cwd=project)
    assert r.returncode == 0, r.stderr
    return r


def serif_face(project: Path) -> str:
    """The Noto Serif CJK face the PDF embeds (its PostScript name, subset prefix dropped)."""
    with pymupdf.open(project / "build" / "report.pdf") as doc:
        names = {font[3].split("+")[-1] for p in range(doc.page_count) for font in doc.get_page_fonts(p)}
    serif = sorted(n for n in names if n.startswith("NotoSerifCJK"))
    assert len(serif) == 1, names
    return serif[0]


@pytest.mark.parametrize("language,face,index,evidence", [
    ("zh-CN", "NotoSerifCJKsc-Regular", 2, "the SC face by its name, for document.language zh-CN"),
    ("zh-Hant", "NotoSerifCJKtc-Regular", 3, "the TC face by its name, for document.language zh-Hant"),
    ("zh-HK", "NotoSerifCJKtc-Regular", 3,
     "the TC face by its name, for document.language zh-HK (no HK face; TC is the nearest)"),
    ("ja", "NotoSerifCJKjp-Regular", 0, "the JP face by its name, for document.language ja"),
])
def test_a_collection_without_index_gets_the_face_of_the_documents_language(
        project: Path, language: str, face: str, index: int, evidence: str) -> None:
    r = build(project, language)
    assert serif_face(project) == face
    note = (f"report.yaml:5:19: note: fonts.song.regular: NotoSerifCJK.ttc is a font collection; took face "
            f"{index} of 4, Noto Serif CJK {face[12:14].upper()}: {evidence} (index: or name: picks another)")
    assert note in r.stderr.splitlines(), r.stderr
    assert "warning" not in r.stderr


def test_index_or_name_is_obeyed_without_a_note_and_validate_says_which_it_took(project: Path) -> None:
    r = build(project, "zh-CN", "{regular: {path: fonts/NotoSerifCJK.ttc, index: 0}}")
    assert serif_face(project) == "NotoSerifCJKjp-Regular" and "note" not in r.stderr
    r = build(project, "zh-CN", "{regular: {path: fonts/NotoSerifCJK.ttc, name: Noto Serif CJK KR}}")
    assert serif_face(project) == "NotoSerifCJKkr-Regular" and "note" not in r.stderr
    (project / "report.yaml").write_text(SPEC.format(language="zh-SG", song="{regular: fonts/NotoSerifCJK.ttc}"), encoding="utf-8")
    r = run_paiban("validate", cwd=project)
    assert r.returncode == 0, r.stderr
    assert re.search(r"note: fonts\.song\.regular: .* took face 2 of 4, Noto Serif CJK SC:", r.stderr), r.stderr
    r = run_paiban("build", "-q", cwd=project)
    assert r.returncode == 0 and r.stderr == "", r.stderr  # a note is not printed under -q


@pytest.mark.parametrize("tag,region", [
    ("zh-CN", "SC"), ("zh-Hans", "SC"), ("zh-SG", "SC"), ("zh", "SC"), ("zh-Hans-HK", "SC"),
    ("zh-TW", "TC"), ("zh-Hant", "TC"), ("zh-Hant-TW", "TC"), ("zh-HK", "HK"), ("zh-Hant-HK", "HK"),
    ("zh-MO", "HK"), ("ja", "JP"), ("ja-JP", "JP"), ("ko", "KR"), ("ko-KR", "KR"), ("en", None), ("", None),
])
def test_language_tags_map_to_regions(tag: str, region: str | None) -> None:
    assert region_of(tag) == region


def facts(index: int, name: str, words: set[str] = frozenset(), langs: set[int] = frozenset(),
          pages: set[int] = frozenset()) -> FaceFacts:
    return FaceFacts(index, name, frozenset(words), frozenset(langs), frozenset(pages))


def test_without_region_names_the_name_table_language_then_the_code_page_decides() -> None:
    """Faces named alike (源ノ明朝 / 思源宋体 as localized family names; or only code pages)."""
    by_language = [facts(0, "Han Serif A", langs={0x409, 0x0411}), facts(1, "Han Serif B", langs={0x409, 0x0804})]
    face, why = choose(by_language, "zh-CN")
    assert face.index == 1 and why == "the SC face by its name table's language, for document.language zh-CN"
    by_page = [facts(0, "X", pages={17}), facts(1, "Y", pages={20}), facts(2, "Z", pages={18})]
    assert choose(by_page, "zh-TW")[0].index == 1
    assert choose(by_page, "zh-CN")[0].index == 2
    every_page = [facts(0, "SimSun", pages={17, 18, 20}), facts(1, "NSimSun", pages={17, 18, 20})]
    face, why = choose(every_page, "zh-CN")
    assert face.index == 0 and why == "the first face: none names a region (SC wanted for document.language zh-CN)"
    assert choose(every_page, "en")[1] == "the first face: document.language en names no CJK region"


@pytest.mark.skipif(not glob.glob("/usr/share/fonts/**/NotoSerifCJK*.tt[cf]", recursive=True)
                    and not glob.glob("/usr/share/fonts/**/NotoSansCJK*.tt[cf]", recursive=True),
                    reason="no Noto CJK collection installed")
def test_an_installed_noto_cjk_collection() -> None:
    from paiban.fonts.collection import face_for_language

    path = Path(sorted(glob.glob("/usr/share/fonts/**/Noto*CJK*.ttc", recursive=True))[0])
    with open(path, "rb") as f:
        count = int.from_bytes(f.read(12)[8:12], "big")
    for language, region in (("zh-CN", "SC"), ("zh-TW", "TC"), ("ja", "JP"), ("ko", "KR")):
        _, why = face_for_language(path, count, language)
        assert f"the {region} face by its name" in why, why


@pytest.mark.parametrize("family,words", [
    ("Noto Serif CJK SC", {"SC"}), ("Noto Sans CJK KR", {"KR"}), ("Source Han Sans HC", {"HC"}),
    ("Source Han Serif K", {"K"}), ("Sarasa Gothic J", {"J"}), ("SimSun", set()), ("Microsoft YaHei UI", set()),
])
def test_region_words_are_read_from_a_faces_names(family: str, words: set[str]) -> None:
    from paiban.fonts.collection import facts_of
    from tests.support.fontmaker import build_ttf

    assert facts_of(build_ttf("一", family), 0).words == words
