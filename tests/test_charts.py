"""Inline SVG charts: valid, accessible, escaped, deterministic, honest about spans."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment

from parkreport.charts import (
    Bar,
    Line,
    Point,
    bar_chart,
    lines_from_series,
    nice_ticks,
    pipeline_bars,
    series_chart,
)
from parkreport.derive.results import (
    DerivedNumber,
    Observation,
    ProjectTimeline,
    Series,
    SeriesPoint,
    SourceRef,
)
from parkreport.format import FILTERS
from parkreport.periods import parse_period

SVG = "{http://www.w3.org/2000/svg}"

JAN_APR = Line("M1-4", "1-4月", (Point(2022, 65.18, "2022年1-4月", estimate=True, cite="/reports/a/#indicators-0"),))
FIRST_HALF = Line(
    "H1",
    "上半年",
    (
        Point(2022, 79.16, "2022年上半年", derived=True, note="由同比增速推算"),
        Point(2023, 96.1, "2023年上半年", estimate=True, cite="/reports/b/#indicators-1"),
    ),
)


def parse(chart_svg: str) -> ET.Element:
    return ET.fromstring(chart_svg)


def polylines(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}polyline"))


def test_series_chart_is_valid_svg_with_title_and_description() -> None:
    chart = series_chart("chart-output", "规上工业总产值", "亿元", [JAN_APR, FIRST_HALF])
    root = parse(chart.svg)
    assert root.get("role") == "group"  # it holds links to the quotes: an img would hide them
    assert root.get("aria-labelledby") == "chart-output-title chart-output-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-output-title"  # type: ignore[union-attr]
    assert root.find(f"{SVG}title").text == "规上工业总产值"  # type: ignore[union-attr]
    description = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "1-4月：2022年65.18亿元（预计）" in description
    assert "不同统计期分别成线" in description


def test_two_spans_are_two_lines_never_one() -> None:
    root = parse(series_chart("c", "产值", "亿元", [JAN_APR, FIRST_HALF]).svg)
    groups = {g.get("data-span"): g for g in root.iter(f"{SVG}g") if g.get("class") == "series"}
    assert set(groups) == {"M1-4", "H1"}
    # Jan-Apr has a single point: no line at all; H1 has one segment of its own
    assert polylines(groups["M1-4"]) == []
    assert len(polylines(groups["H1"])) == 1
    assert all(p.get("data-span") == "H1" for p in polylines(root))
    # no line anywhere runs from the Jan-Apr point to an H1 point
    for polyline in polylines(root):
        assert len((polyline.get("points") or "").split()) == 2


def test_same_year_different_spans_get_separate_lines() -> None:
    a = Line("M1-4", "1-4月", (Point(2022, 60), Point(2023, 70)))
    b = Line("H1", "上半年", (Point(2022, 90), Point(2023, 100)))
    root = parse(series_chart("c", "产值", "亿元", [a, b]).svg)
    spans = sorted(p.get("data-span") or "" for p in polylines(root))
    assert spans == ["H1", "M1-4"]


def test_estimates_are_hollow_and_dashed_derived_are_dotted() -> None:
    root = parse(series_chart("c", "产值", "亿元", [FIRST_HALF]).svg)
    (segment,) = polylines(root)
    assert segment.get("stroke-dasharray") == "2 4"  # touches a derived value
    estimate_marker = [m for m in root.iter(f"{SVG}circle") if m.get("fill") == "#fff"]
    assert estimate_marker, "the estimated H1 2023 point has a hollow marker"
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert any("推算" in t and "由同比增速推算" in t for t in titles)
    assert any("2023年上半年：96.1亿元（预计）" in t for t in titles)


def test_points_link_to_their_quotes() -> None:
    root = parse(series_chart("c", "产值", "亿元", [JAN_APR]).svg)
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ["/reports/a/#indicators-0"]
    # one image to assistive technology: its links stay out of the tab order (the table has them)
    assert all(a.get("tabindex") == "-1" for a in root.iter(f"{SVG}a"))


def test_hostile_text_is_escaped() -> None:
    hostile = '<script>alert("x")</script>'
    line = Line("H1", hostile, (Point(2023, 1.0, hostile, cite='"><script>'),))
    chart = series_chart(hostile, hostile, hostile, [line], subject=hostile)
    bars = bar_chart(hostile, hostile, [Bar(hostile, 1.0, cite=hostile)], unit=hostile)
    for svg in (chart.svg, bars.svg):
        assert "<script" not in svg
        root = parse(svg)  # still well-formed
        assert not list(root.iter(f"{SVG}script"))
        assert not list(root.iter("script"))


def test_output_is_deterministic() -> None:
    first = series_chart("c", "产值", "亿元", [JAN_APR, FIRST_HALF])
    second = series_chart("c", "产值", "亿元", [JAN_APR, FIRST_HALF])
    assert str(first.svg).encode() == str(second.svg).encode()
    bars = [Bar("产值", 21.4), Bar("投资", -3.5)]
    assert bar_chart("y", "同比", bars, signed=True).svg == bar_chart("y", "同比", bars, signed=True).svg


def test_one_point_is_drawn_without_a_line() -> None:
    chart = series_chart("c", "产值", "亿元", [Line("H1", "上半年", (Point(2023, 96.1),))])
    root = parse(chart.svg)
    assert polylines(root) == []
    assert len(list(root.iter(f"{SVG}circle"))) >= 1
    assert chart.rows[0][1].text == "96.1"


def test_hidden_values_leave_a_labelled_gap_never_zero() -> None:
    line = Line("H1", "上半年", (Point(2021, 80), Point(2022, None, hidden="redacted"), Point(2023, 96.1)))
    chart = series_chart("c", "产值", "亿元", [line])
    root = parse(chart.svg)
    assert polylines(root) == []  # 2021 and 2023 are not joined across the hidden year
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "未公开" in texts
    assert [row[1].text for row in chart.rows] == ["80", "未公开", "96.1"]


def test_missing_year_breaks_the_line() -> None:
    line = Line("FY", "全年", (Point(2020, 1), Point(2021, 2), Point(2023, 3)))
    root = parse(series_chart("c", "产值", "亿元", [line]).svg)
    assert len(polylines(root)) == 1


def test_negative_growth_bars_go_left_of_zero() -> None:
    chart = bar_chart("y", "同比增长", [Bar("产值", 21.4), Bar("投资", -3.5)], unit="%", signed=True)
    root = parse(chart.svg)
    zero = next(root.iter(f"{SVG}line"))
    zero_x = float(zero.get("x1") or 0)
    up, down = list(root.iter(f"{SVG}rect"))
    assert float(up.get("x") or 0) == pytest.approx(zero_x)
    assert float(down.get("x") or 0) + float(down.get("width") or 0) == pytest.approx(zero_x, abs=0.1)
    assert [row[1].text for row in chart.rows] == ["+21.4%", "-3.5%"]
    assert "投资 -3.5%" in chart.description


def test_bar_chart_with_unknown_and_zero_values() -> None:
    chart = bar_chart("p", "项目", [Bar("洽谈", 0), Bar("签约", None)], unit="个")
    root = parse(chart.svg)
    assert list(root.iter(f"{SVG}rect")) == []  # neither a zero nor an unknown is drawn as a bar
    assert [row[1].text for row in chart.rows] == ["0个", "未知"]


def test_table_carries_status_and_cite() -> None:
    chart = series_chart("c", "产值", "亿元", [JAN_APR, FIRST_HALF])
    assert chart.columns == ("统计期", "数值（亿元）", "性质")
    first = chart.rows[0]
    assert (first[0].text, first[1].text, first[1].cite, first[1].status) == (
        "2022年1-4月",
        "65.18",
        "/reports/a/#indicators-0",
        "estimated",
    )
    assert chart.rows[1][2].text == "推算：由同比增速推算"


@given(st.floats(-1e9, 1e9, allow_nan=False), st.floats(-1e9, 1e9, allow_nan=False))
def test_nice_ticks_cover_the_range_and_zero(a: float, b: float) -> None:
    low, high = sorted((a, b))
    ticks = nice_ticks(low, high)
    assert ticks[0] <= min(low, 0) + 1e-6 and ticks[-1] >= max(high, 0) - 1e-6
    assert 0 in ticks
    assert len(ticks) <= 12


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.integers(2000, 2030),
            st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
            st.booleans(),
            st.booleans(),
        ),
        max_size=8,
        unique_by=lambda t: t[0],
    )
)
def test_series_chart_never_breaks_on_any_points(raw: list[tuple[int, float | None, bool, bool]]) -> None:
    line = Line(
        "H1",
        "上半年",
        tuple(Point(y, v, estimate=e, derived=d, hidden="" if v is not None else "unknown") for y, v, e, d in raw),
    )
    root = parse(series_chart("c", "产值", "亿元", [line]).svg)
    assert root.tag == f"{SVG}svg"


# --------------------------------------------------------------------------
# from derive's results


def _observation(year: int, span: str, value: float, status: str, index: int) -> Observation:
    period = parse_period(f"{year}{span}")
    ref = SourceRef(f"r{year}", "indicators", index)
    number = DerivedNumber(value, "亿元", "reported", "报告原数", "as reported", (ref,), period=period)
    return Observation(
        ref, "p", "output", "", period, status, value, "亿元", "exact", number, "", 21.4, dt.date(year, 7, 1), "q"
    )  # type: ignore[arg-type]


def test_lines_from_series_keep_spans_apart_and_add_implied_prior() -> None:
    h1 = _observation(2023, "H1", 96.1, "estimated", 1)
    prior = DerivedNumber(
        79.16, "亿元", "implied_prior", "由2023年上半年同比增长21.4%推算", "implied", (h1.ref,), estimate=True
    )
    jan_apr = _observation(2022, "M1-4", 65.18, "estimated", 0)
    series = (
        Series("p", "output", "", "H1", "亿元", (SeriesPoint(2023, h1.period, h1, implied_prior=prior),)),
        Series("p", "output", "", "M1-4", "亿元", (SeriesPoint(2022, jan_apr.period, jan_apr),)),
    )
    lines = lines_from_series(series)
    assert [line.span for line in lines] == ["M1-4", "H1"]
    assert [line.label for line in lines] == ["1-4月", "上半年"]
    derived, estimated = lines[1].points
    assert (derived.year, derived.derived, derived.label) == (2022, True, "2022年上半年")
    assert derived.cite == "/reports/r2023/#indicators-1"
    assert estimated.estimate and estimated.value == 96.1


def test_pipeline_bars_count_projects_by_stage_in_order() -> None:
    def timeline(project: str, stage: str | None) -> ProjectTimeline:
        return ProjectTimeline(project, "p", project, (), stage, None)

    bars = pipeline_bars(
        [timeline("a", "signed"), timeline("b", "signed"), timeline("c", "trial_production"), timeline("d", None)]
    )
    labels = [bar.label for bar in bars]
    assert labels[:3] == ["洽谈", "签约", "落地"]
    assert dict((bar.label, bar.value) for bar in bars)["签约"] == 2
    assert bars[-1].label == "阶段不明" and bars[-1].value == 1


# --------------------------------------------------------------------------
# as Jinja filters, from the views templates display


def _figure(
    code: str, value: float | str, status: str = "actual", cite: str = "", explanation: str = ""
) -> SimpleNamespace:
    return SimpleNamespace(
        value=value,
        period=parse_period(code),
        status=status,
        cite=cite,
        estimate=status == "estimated",
        explanation=explanation,
        metric_name="规上工业总产值",
        yoy_pct=None,
        yoy_derived=False,
    )


def _environment() -> Environment:
    env = Environment(autoescape=True)
    env.filters.update(FILTERS)
    env.globals["url"] = lambda path: "/sub" + path
    return env


def test_series_chart_filter_draws_views_with_site_links() -> None:
    h1 = SimpleNamespace(
        park=SimpleNamespace(label="濮阳工业园区"),
        metric=SimpleNamespace(label="规上工业总产值"),
        scope="",
        span="H1",
        unit="亿元",
        points=(
            SimpleNamespace(
                figure=_figure("2023H1", 96.1, "estimated", "/reports/b/#indicators-1"),
                implied_prior=_figure("2022H1", 79.16, "derived", "/reports/b/#indicators-1", "由同比增速推算"),
            ),
        ),
    )
    jan_apr = SimpleNamespace(
        park=h1.park,
        metric=h1.metric,
        scope="",
        span="M1-4",
        unit="亿元",
        points=(
            SimpleNamespace(
                figure=_figure("2022M1-4", 65.18, "estimated", "/reports/a/#indicators-0"), implied_prior=None
            ),
        ),
    )
    template = _environment().from_string('{% set c = views | series_chart("chart-1") %}{{ c.svg }}|{{ c.title }}')
    svg, title = template.render(views=[h1, jan_apr]).split("|")
    root = parse(svg)
    assert title == "规上工业总产值"
    assert [g.get("data-span") for g in root.iter(f"{SVG}g") if g.get("class") == "series"] == ["M1-4", "H1"]
    assert "/sub/reports/a/#indicators-0" in [a.get("href") for a in root.iter(f"{SVG}a")]
    table = _environment().from_string('{{ (views | series_chart("c")).rows[0][1].cite }}').render(views=[h1, jan_apr])
    assert table == "/reports/a/#indicators-0"  # tables keep site paths; templates link them through url()
    assert "濮阳工业园区 规上工业总产值" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_growth_and_pipeline_filters() -> None:
    up = _figure("2023H1", 96.1, "estimated", "/reports/b/#indicators-1")
    up.yoy_pct = 21.4
    down = _figure("2023H1", 2.96)
    down.yoy_pct, down.metric_name = -3.5, "固定资产投资"
    none = _figure("2023H1", 1.26)
    env = _environment()
    growth = env.from_string('{{ (figures | growth_chart("g")).svg }}').render(figures=[up, down, none])
    assert len(list(parse(growth).iter(f"{SVG}rect"))) == 2  # the figure without growth gets no bar
    pipeline = env.from_string('{% set c = stages | pipeline_chart("p") %}{{ c.rows | length }}').render(
        stages=["signed", None]
    )
    assert pipeline == "9"  # eight stages and one "no clear stage"
    columns = env.from_string('{{ (stages | pipeline_chart("p")).columns | join(",") }}').render(stages=["signed"])
    assert columns == "阶段,项目数"  # counts have no actual/estimated status


def test_a_withheld_year_is_left_off_the_time_axis_not_guessed() -> None:
    view = SimpleNamespace(
        park=SimpleNamespace(label="“一区四园”园区"),
        metric=SimpleNamespace(label="营业收入"),
        scope="",
        span="H1",
        unit="亿元",
        points=(SimpleNamespace(figure=_figure("202xH1", "redacted"), implied_prior=None),),
    )
    rendered = _environment().from_string('{% set c = views | series_chart("c") %}{{ c.rows | length }}|{{ c.svg }}')
    count, svg = rendered.render(views=[view]).split("|", 1)
    assert count == "0"  # nothing to place on a year axis: the page shows the table only
    parse(svg)
