"""The chart cache: redraw exactly the charts whose inputs changed, and nothing when none did —
without even importing matplotlib."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from paiban.charts import load_tables, prepare_charts
from paiban.fonts.book import FontBook
from paiban.spec.charts import ChartTheme, FigureBlock, TableSpec
from tests.support.project import ROOT
from tests.support.proof import write_proof

FONTS = ROOT / "fonts"

CSV = {
    "edu": "类别,场次\n革命传统教育,101\n形势政策教育,99\n先进典型教育,132\n警示教育,115\n",
    "live": "畜禽,存栏,单位\n肉牛,379,头\n猪,5100,头\n羊,6500多,只\n",
    "crop": "基地,面积\n粮食基地,2万\n核桃基地,2万\n小杂粮基地,6000\n水稻基地,700\n",
}
UNITS = {"edu": {"场次": "场"}, "live": {}, "crop": {"面积": "亩"}}
FIGS = [
    FigureBlock(id="edu", chart="hbar", data="edu", caption="主题教育场次"),
    FigureBlock(id="live", chart="table", data="live", unit_column="单位"),
    FigureBlock(id="crop", chart="donut", data="crop"),
]


def fontbook() -> FontBook:
    return FontBook({"hei": {"regular": (FONTS / "NotoSansSC-Regular.ttf", 0),
                             "bold": (FONTS / "NotoSansSC-Bold.ttf", 0)}})


def project(tmp: Path) -> Path:
    for name, text in CSV.items():
        (tmp / "data").mkdir(exist_ok=True)
        (tmp / "data" / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp


def prepare(tmp: Path, *, figs=FIGS, theme: ChartTheme | None = None, force: bool = False):
    specs = {name: TableSpec(file=f"data/{name}.csv", units=UNITS[name]) for name in CSV}
    tables = load_tables(specs, tmp)
    return prepare_charts(figs, tables, theme or ChartTheme(), fontbook(), tmp / "figures", widths=155.0,
                          force=force)


def test_a_warm_build_redraws_nothing(tmp_path):
    project(tmp_path)
    cold = prepare(tmp_path)
    assert cold.drawn == ["edu", "live", "crop"] and cold.cached == []
    assert all(cold[i].reason == ["new"] for i in cold.drawn)
    warm = prepare(tmp_path)
    assert warm.drawn == [] and warm.cached == ["edu", "live", "crop"]
    for i in warm.cached:
        assert warm[i].height == pytest.approx(cold[i].height)
        assert not warm[i].redrawn
    names = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert names == sorted(f"{i}.{ext}" for i in ("edu", "live", "crop") for ext in ("svg", "pkl", "key"))


def test_changing_one_value_redraws_exactly_that_chart(tmp_path):
    project(tmp_path)
    prepare(tmp_path)
    csv = tmp_path / "data" / "live.csv"
    csv.write_text(csv.read_text("utf-8").replace("5100", "5230"), encoding="utf-8")
    res = prepare(tmp_path)
    assert res.drawn == ["live"]
    assert res["live"].reason == ["data"]
    assert res.cached == ["edu", "crop"]
    pdf = write_proof(tmp_path / "p.pdf", [(i, res[i].drawing) for i in res.charts], fontbook().face("hei"), 155.0)
    with pymupdf.open(pdf) as doc:
        text = doc[0].get_text().replace(" ", "")  # a quarter em between Han and digits
    assert "5230头" in text and "5100头" not in text
    assert "6500多只" in text


def test_touching_a_file_or_editing_a_caption_redraws_nothing(tmp_path):
    project(tmp_path)
    prepare(tmp_path)
    csv = tmp_path / "data" / "edu.csv"
    csv.write_text(csv.read_text("utf-8"), encoding="utf-8")
    os.utime(csv, (1, 1))
    figs = [FIGS[0].model_copy(update={"caption": "新图注", "placement": "top"}), *FIGS[1:]]
    assert prepare(tmp_path, figs=figs).drawn == []


def test_theme_changes_and_force_redraw_everything(tmp_path):
    project(tmp_path)
    prepare(tmp_path)
    res = prepare(tmp_path, theme=ChartTheme(palette=["#224488"]))
    assert res.drawn == ["edu", "live", "crop"]
    assert all(res[i].reason == ["theme"] for i in res.drawn)
    assert prepare(tmp_path, theme=ChartTheme(palette=["#224488"]), force=True).drawn == ["edu", "live", "crop"]


def test_a_lost_or_corrupt_pickle_is_rebuilt_from_the_svg(tmp_path):
    project(tmp_path)
    prepare(tmp_path)
    (tmp_path / "figures" / "edu.pkl").unlink()
    (tmp_path / "figures" / "crop.pkl").write_bytes(b"not a pickle")
    res = prepare(tmp_path)
    assert res.drawn == [] and res.cached == ["edu", "live", "crop"]
    assert (tmp_path / "figures" / "edu.pkl").is_file()
    # an SVG whose key does not match (another build's) is not trusted: the chart is redrawn
    svg = tmp_path / "figures" / "crop.svg"
    svg.write_bytes(svg.read_bytes().replace(b"paiban-chart-key: ", b"paiban-chart-key: 0"))
    (tmp_path / "figures" / "crop.pkl").unlink()
    assert prepare(tmp_path).drawn == ["crop"]


SCRIPT = r"""
import json, sys
from pathlib import Path
from paiban.cli.startup import prepare_process
prepare_process()  # as the program starts (pydantic's plugin loader would import importlib.metadata)
from paiban.charts import load_tables, prepare_charts
from paiban.fonts.book import FontBook
from paiban.spec.charts import ChartTheme, FigureBlock, TableSpec
tmp, fonts = Path(sys.argv[1]), Path(sys.argv[2])
book = FontBook({"hei": {"regular": (fonts / "NotoSansSC-Regular.ttf", 0), "bold": (fonts / "NotoSansSC-Bold.ttf", 0)}})
tables = load_tables({"edu": TableSpec(file="data/edu.csv"), "crop": TableSpec(file="data/crop.csv")}, tmp)
figs = [FigureBlock(id="edu", chart="bar", data="edu"), FigureBlock(id="crop", chart="pie", data="crop")]
res = prepare_charts(figs, tables, ChartTheme(), book, tmp / "figures", widths=155.0)
print(json.dumps({"drawn": res.drawn, "cached": res.cached,
                  "heights": [round(res[i].height, 3) for i in ("edu", "crop")],
                  "modules": sorted(m for m in ("matplotlib", "matplotlib.pyplot", "svglib", "importlib.metadata")
                             if m in sys.modules)}))
"""


def run_script(tmp: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp), str(FONTS)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def result_of(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_a_cached_build_never_imports_matplotlib(tmp_path):
    project(tmp_path)
    cold = result_of(run_script(tmp_path))
    assert cold["drawn"] == ["edu", "crop"]
    assert "matplotlib" in cold["modules"] and "matplotlib.pyplot" not in cold["modules"]
    warm = result_of(run_script(tmp_path))
    assert warm["cached"] == ["edu", "crop"]
    assert warm["modules"] == [], "a warm build imported " + ", ".join(warm["modules"])
    assert warm["heights"] == cold["heights"]


def test_concurrent_builds_leave_a_valid_cache(tmp_path):
    project(tmp_path)
    procs = [run_script(tmp_path), run_script(tmp_path)]
    results = [result_of(p) for p in procs]
    assert all(set(r["drawn"]) | set(r["cached"]) == {"edu", "crop"} for r in results)
    assert not list((tmp_path / "figures").glob("*.tmp")), "temporary files left behind"
    after = result_of(run_script(tmp_path))
    assert after["cached"] == ["edu", "crop"] and after["modules"] == []


def test_a_chart_cache_that_cannot_be_written_is_a_build_error(tmp_path):
    """figures/ holds what the editor sees of each chart: unlike a silent cache, failing to write
    it stops the build, with the folder and the system's reason."""
    from paiban.errors import BuildError

    project(tmp_path)
    (tmp_path / "figures").write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(BuildError) as e:
        prepare(tmp_path)
    assert str(e.value) == f"cannot write the chart cache in {tmp_path / 'figures'}: File exists"
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_label_no_font_can_draw_is_an_error_naming_the_figure(tmp_path):
    from paiban.errors import InputError, Location

    tables = load_tables({"t": TableSpec(columns=["k", "v"], rows=[["龘村", 1], ["乙村", 2]])}, tmp_path)
    fig = FigureBlock(id="odd", chart="bar", data="t")
    with pytest.raises(InputError) as e:
        prepare_charts([(["body", 2, "figure"], fig)], tables, ChartTheme(), fontbook(), tmp_path / "figures",
                       widths=155.0, where=lambda keys: Location("report.yaml", len(keys)))
    assert "figure 'odd'" in str(e.value) and "'龘'" in str(e.value)
    assert e.value.location == Location("report.yaml", 3)
    with pytest.raises(InputError) as e:
        prepare_charts([fig], tables, ChartTheme(font="song"), fontbook(), tmp_path / "figures", widths=155.0)
    assert e.value.problem.path == "charts.font"


class _Evil:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_crafted_cache_file_cannot_run_code(tmp_path):
    import pickle

    project(tmp_path)
    prepare(tmp_path)
    key = json.loads((tmp_path / "figures" / "edu.key").read_text("utf-8"))["key"]
    marker = tmp_path / "pwned"
    (tmp_path / "figures" / "edu.pkl").write_bytes(pickle.dumps({"key": key, "drawing": _Evil(marker)}))
    res = prepare(tmp_path)
    assert not marker.exists()
    assert res.cached == ["edu", "live", "crop"]  # the chart came back from its SVG instead
    assert type(res["edu"].drawing).__name__ == "Drawing"


def test_the_key_names_the_installed_library_versions():
    """versions() reads the Version line itself (no email parser); it must agree with importlib."""
    from importlib import metadata

    from paiban.charts.cache import versions

    found = versions()
    for dist in ("matplotlib", "svglib", "reportlab"):
        assert found[dist] == metadata.version(dist)


def test_a_version_is_found_as_importlib_finds_it():
    """Without importlib.metadata: names matched whatever their case and separators, and a
    package that is not installed is "?" (as before, when importlib said PackageNotFoundError)."""
    from importlib import metadata

    from paiban.charts.cache import dist_version

    assert dist_version("PyYAML") == dist_version("pyyaml") == metadata.version("PyYAML")
    assert dist_version("typing-extensions") == dist_version("typing.extensions") == \
        metadata.version("typing_extensions")
    assert dist_version("no-such-distribution-anywhere") == "?"
