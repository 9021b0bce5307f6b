"""Chart data: values as the article writes them, tables from CSV/JSON/inline, and located errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paiban.charts import check_figures, load_tables
from paiban.charts.figdata import resolve
from paiban.charts.geometry import hatch_segments, wedge_polygon
from paiban.charts.tables import load_table
from paiban.charts.values import format_number, parse_value
from paiban.errors import InputError, Location
from paiban.spec.charts import FactItem, FigureBlock, TableSpec


@pytest.mark.parametrize(("raw", "number", "text", "approx"), [
    (132, 132.0, "132", False),
    (2307.02, 2307.02, "2307.02", False),
    ("11,407", 11407.0, "11,407", False),
    ("1000余", 1000.0, "1000余", True),
    ("6500多", 6500.0, "6500多", True),
    ("近2000", 2000.0, "近2000", True),
    ("约200余", 200.0, "约200余", True),
    ("2万", 20000.0, "2万", False),
    ("21.8万余", 218000.0, "21.8万余", True),
    ("60%以上", 60.0, "60%以上", True),
    ("80%", 80.0, "80%", False),
    (" 40.26 ", 40.26, "40.26", False),
])
def test_values_keep_the_articles_wording(raw, number, text, approx):
    v = parse_value(raw)
    assert v is not None
    assert v.number == pytest.approx(number)
    assert v.text == text
    assert v.approx is approx


@pytest.mark.parametrize("raw", ["abc", "", "12abc", "1.2.3", True, None, "余100"])
def test_non_numbers_are_refused(raw):
    assert parse_value(raw) is None


def test_labels_add_the_unit_after_the_hedge():
    assert parse_value("1000余").label("条") == "1000余条"
    assert parse_value(115).label("场次") == "115场次"
    assert parse_value("80%").label("个") == "80%"


def test_numbers_get_separators_from_ten_thousand_as_the_article_does():
    assert format_number(6500) == "6500"
    assert format_number(10200) == "10,200"
    assert format_number(2307.02) == "2307.02"
    assert format_number(12345.5) == "12,345.5"
    assert format_number(10200, thousands=0) == "10200"


def test_fact_items_detect_hedges():
    assert FactItem(value="1000余", label="整改问题").is_approx
    assert FactItem(value="近2000", label="x").is_approx
    assert not FactItem(value="11,407", label="党员").is_approx
    assert FactItem(value=349, label="x", approx=True).is_approx


def test_hatching_stays_inside_a_concave_wedge():
    poly = wedge_polygon(0, 0, 50, 10, 200, inner=25)
    segs = hatch_segments(poly, 3.0)
    assert len(segs) > 10
    for (x0, y0), (x1, y1) in segs:
        for t in (0.1, 0.5, 0.9):  # points along each segment lie in the ring, not in the hole
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            r = (x * x + y * y) ** 0.5
            assert 24.5 <= r <= 50.5


# ------------------------------------------------------------------ tables


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def where_spec(keys):
    """A stand-in for the spec stage's key → location lookup: report.yaml, line = key depth."""
    return Location("report.yaml", 10 + len(keys), 3)


def test_csv_json_and_inline_tables_load_alike(tmp_path):
    write(tmp_path / "data/a.csv", "类别,场次\n革命传统教育,101\n\n警示教育,115\n")
    write(tmp_path / "data/b.json", '{"columns": ["类别", "场次"],\n "rows": [\n  ["革命传统教育", 101],\n\n'
                                    '  ["警示教育", 115]\n ]\n}\n')
    write(tmp_path / "data/c.json", json.dumps([{"类别": "革命传统教育", "场次": 101},
                                                {"类别": "警示教育", "场次": 115}], ensure_ascii=False))
    specs = {"a": TableSpec(file="data/a.csv", units={"场次": "场"}), "b": TableSpec(file="data/b.json"),
             "c": TableSpec(file="data/c.json"),
             "d": TableSpec(columns=["类别", "场次"], rows=[["革命传统教育", 101], ["警示教育", 115]])}
    tables = load_tables(specs, tmp_path, where_spec)
    assert tables["a"].rows == [["革命传统教育", "101"], ["警示教育", "115"]]
    assert [r[0] for r in tables["b"].rows] == [r[0] for r in tables["c"].rows] == ["革命传统教育", "警示教育"]
    # CSV rows remember their lines (the blank line 3 is skipped); JSON rows theirs
    assert [w.line for w in tables["a"].row_where] == [2, 4]
    assert [w.line for w in tables["b"].row_where] == [3, 5]
    assert [w.line for w in tables["c"].row_where] == [1, 1]
    assert tables["d"].row_where[0] == Location("report.yaml", 10 + 4, 3)
    for t in tables.values():
        fig = FigureBlock(id="x", chart="bar", data=t.name)
        data = resolve(fig, t, ["body", 0, "figure"], where_spec)
        assert [v.number for v in data.series[0].values] == [101.0, 115.0]


def test_the_digest_follows_content_not_mtime(tmp_path):
    p = write(tmp_path / "data/a.csv", "k,v\na,1\n")
    spec = TableSpec(file="data/a.csv")
    d1 = load_table("a", spec, tmp_path, where_spec, ("data", "a")).digest()
    p.write_text("k,v\na,1\n", encoding="utf-8")  # touched, same content
    assert load_table("a", spec, tmp_path, where_spec, ("data", "a")).digest() == d1
    p.write_text("k,v\na,2\n", encoding="utf-8")
    assert load_table("a", spec, tmp_path, where_spec, ("data", "a")).digest() != d1


def errors_of(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value)


def test_a_missing_file_points_at_the_spec_line(tmp_path):
    with pytest.raises(InputError) as e:
        load_tables({"edu": TableSpec(file="data/missing.csv")}, tmp_path, where_spec)
    assert e.value.location == Location("report.yaml", 13, 3)
    assert "data file not found: data/missing.csv" in errors_of(e)
    assert e.value.problem.path == "data.edu.file"


def test_an_empty_table_points_at_the_header(tmp_path):
    write(tmp_path / "data/e.csv", "类别,场次\n")
    with pytest.raises(InputError) as e:
        load_tables({"e": TableSpec(file="data/e.csv")}, tmp_path, where_spec)
    assert e.value.location == Location("data/e.csv", 1)
    assert "no data rows" in errors_of(e)
    write(tmp_path / "data/z.csv", "")
    with pytest.raises(InputError) as e:
        load_tables({"z": TableSpec(file="data/z.csv")}, tmp_path, where_spec)
    assert e.value.location == Location("data/z.csv", 1)


def test_a_non_numeric_value_points_at_its_csv_line(tmp_path):
    write(tmp_path / "data/a.csv", "类别,场次\n革命传统教育,101\n形势政策教育,九十九\n")
    tables = load_tables({"a": TableSpec(file="data/a.csv")}, tmp_path, where_spec)
    fig = FigureBlock(id="edu", chart="bar", data="a", x="类别", y="场次")
    with pytest.raises(InputError) as e:
        check_figures([(["body", 4, "figure"], fig)], tables, base_dir=tmp_path, where=where_spec)
    assert e.value.location == Location("data/a.csv", 3)
    assert "'九十九', not a number" in errors_of(e)
    assert str(e.value).startswith("data/a.csv:3: ")


def test_a_missing_column_points_at_the_figure_key(tmp_path):
    write(tmp_path / "data/a.csv", "类别,场次\n革命传统教育,101\n")
    tables = load_tables({"a": TableSpec(file="data/a.csv")}, tmp_path, where_spec)
    fig = FigureBlock(id="edu", chart="bar", data="a", x="类别", y=["场次", "人数"])
    with pytest.raises(InputError) as e:
        check_figures([(["body", 4, "figure"], fig)], tables, base_dir=tmp_path, where=where_spec)
    assert "column '人数' is not in data/a.csv (its columns: 类别, 场次)" in errors_of(e)
    assert e.value.problem.path == "body[4].figure.y[1]"
    assert e.value.location == Location("report.yaml", 15, 3)


def test_every_bad_figure_is_reported_at_once(tmp_path):
    tables = load_tables({"t": TableSpec(columns=["k", "v"], rows=[["a", 1], ["b", "x"]]),
                          "ok": TableSpec(columns=["k", "v"], rows=[["a", 1], ["b", 2]])}, tmp_path, where_spec)
    figs = [(["body", 1, "figure"], FigureBlock(id="f1", chart="bar", data="t", y="w")),
            (["body", 2, "figure"], FigureBlock(id="f2", chart="bar", data="t")),
            (["body", 3, "figure"], FigureBlock(id="f3", chart="bar", data="nope")),
            (["body", 4, "figure"], FigureBlock(id="f4", chart="line", data="ok", highlight="c"))]
    with pytest.raises(InputError) as e:
        check_figures(figs, tables, base_dir=tmp_path, where=where_spec)
    messages = [p.message for p in e.value.problems]
    assert len(messages) == 4
    assert "column 'w'" in messages[0]
    assert "'x', not a number" in messages[1]
    assert "unknown data table 'nope'" in messages[2]
    assert "highlight 'c' is not a category" in messages[3]


def test_ragged_rows_and_bad_json_are_located(tmp_path):
    write(tmp_path / "data/r.csv", "k,v\na,1\nb,2,3\n")
    with pytest.raises(InputError) as e:
        load_tables({"r": TableSpec(file="data/r.csv")}, tmp_path, where_spec)
    assert e.value.location == Location("data/r.csv", 3)
    write(tmp_path / "data/j.json", '{"columns": ["k", "v"],\n "rows": [["a", 1],\n ["b", 2,]]}')
    with pytest.raises(InputError) as e:
        load_tables({"j": TableSpec(file="data/j.json")}, tmp_path, where_spec)
    assert e.value.location.file == "data/j.json" and e.value.location.line == 3


def test_long_tables_pivot_by_series_and_order_sorts(tmp_path):
    t = load_table("t", TableSpec(columns=["年", "村", "收入"], rows=[
        ["2019", "甲", 12], ["2019", "乙", "8余"], ["2020", "甲", 18], ["2020", "乙", 14]]),
        tmp_path, where_spec, ("data", "t"))
    data = resolve(FigureBlock(id="g", chart="grouped", data="t", x="年", y="收入", series="村"), t, (), where_spec)
    assert data.categories == ["2019", "2020"]
    assert [s.name for s in data.series] == ["甲", "乙"]
    assert data.series[1].values[0].approx
    t2 = load_table("u", TableSpec(columns=["k", "v"], rows=[["a", 1], ["b", 3], ["c", 2]]), tmp_path, where_spec,
                    ("data", "u"))
    data = resolve(FigureBlock(id="o", chart="bar", data="u", order="descending", highlight="c"), t2, (), where_spec)
    assert data.categories == ["b", "c", "a"]
    assert data.highlight == 1


def test_an_approx_column_marks_rows_with_yue(tmp_path):
    t = load_table("t", TableSpec(columns=["k", "v", "约数"], rows=[["a", 100, "是"], ["b", 50, "否"]]),
                   tmp_path, where_spec, ("data", "t"))
    data = resolve(FigureBlock(id="a", chart="bar", data="t", y="v", approx="约数", unit="人"), t, (), where_spec)
    assert data.label(0, 0) == "约100人"
    assert data.label(0, 1) == "50人"


def test_spec_models_refuse_what_makes_no_sense():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        TableSpec(file="data/x.csv", columns=["a"], rows=[[1]])
    with pytest.raises(ValidationError):
        TableSpec(file="data/x.docx")  # a workbook is a table (.xlsx, .xls, .ods); a Word file is not
    with pytest.raises(ValidationError):
        TableSpec(file="data/x.csv", sheet="Sheet1")  # a sheet is a workbook's
    with pytest.raises(ValidationError):
        TableSpec(file="data/x.xlsx", encoding="gbk")  # a workbook has no encoding to name
    with pytest.raises(ValidationError):
        FigureBlock(id="a b", chart="bar", data="t")
    with pytest.raises(ValidationError):
        FigureBlock(id="p", chart="pie", data="t", y=["a", "b"])
    with pytest.raises(ValidationError):
        FigureBlock(id="p", chart="bar", data="t", colour="red")
    schema = FigureBlock.model_json_schema()
    assert all("description" in prop for prop in schema["properties"].values())
