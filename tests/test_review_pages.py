"""What page planning hands the templates, checked on the example content."""

from __future__ import annotations

from pathlib import Path

import parkreport


def test_a_park_page_charts_only_metrics_with_two_points_to_draw() -> None:
    from parkreport.rows import histories_worth_charting
    from parkreport.siteindex import SiteIndex

    corpus = parkreport.load_corpus(Path(__file__).parents[1] / "content")
    index = SiteIndex(corpus, parkreport.derive(corpus))
    views = index.series_views(park="puyang")
    kept = histories_worth_charting(views)
    by_metric: dict[str, int] = {}
    for view in views:
        by_metric[view.metric.path] = by_metric.get(view.metric.path, 0) + view.charted_years()
    assert {v.metric.path for v in kept} == {metric for metric, years in by_metric.items() if years > 1}
    assert "/metrics/industrial-output/" in {v.metric.path for v in kept}  # 2022 Jan-Apr and 2023 H1, with implied priors
    assert "/metrics/air-quality-city-rank/" not in {v.metric.path for v in kept}  # one figure: table only
    assert histories_worth_charting(index.series_views(park="nanle")) == ()


def test_a_series_chart_id_names_its_park_and_metric() -> None:
    from parkreport.siteindex import SiteIndex

    corpus = parkreport.load_corpus(Path(__file__).parents[1] / "content")
    views = SiteIndex(corpus, parkreport.derive(corpus)).series_views(metric="industrial-output")
    assert {v.chart_id for v in views} == {"chart-puyang-industrial-output"}
