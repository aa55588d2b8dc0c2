"""Each rule family of the extractor, on short sentences and on a fixture text."""

from __future__ import annotations

from pathlib import Path

import pytest

from parkreport.extract import (
    UNKNOWN_METRIC,
    Extraction,
    Vocabulary,
    extract,
    load_vocabulary,
)
from parkreport.extract.candidates import AmountCandidate, IndicatorCandidate, ProjectCandidate

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "extract" / "content"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary(FIXTURE)


@pytest.fixture(scope="module")
def fixture_extraction(vocabulary: Vocabulary) -> tuple[str, Extraction]:
    text = (FIXTURE / "sources" / "alpha-2023-h1.txt").read_text(encoding="utf-8")
    return text, extract(text, vocabulary, 2023)


def indicators(text: str, vocabulary: Vocabulary, year: int | None = 2022) -> list[tuple[object, ...]]:
    return [(i.metric, i.value, i.unit, i.period.code, i.status) for i in extract(text, vocabulary, year).indicators]


def indicator(extraction: Extraction, metric: str) -> IndicatorCandidate:
    (found,) = [i for i in extraction.indicators if i.metric == metric]
    return found


def claims(extraction: Extraction, name: str) -> list[ProjectCandidate]:
    return [p for p in extraction.projects if p.name == name]


# -- indicators ------------------------------------------------------------


def test_metric_value_and_growth(vocabulary: Vocabulary) -> None:
    text = "规上工业总产值完成 65.18 亿元,同比增长 29.2%;固定资产投资完成8.2亿元,下降 3%。"
    result = extract(text, vocabulary, 2022)
    output, investment = result.indicators
    assert (output.metric, output.value, output.unit, output.yoy_pct) == ("industrial-output", 65.18, "亿元", 29.2)
    assert (investment.metric, investment.yoy_pct) == ("fixed-asset-investment", -3.0)
    assert text[output.quote.start:output.quote.end] == "规上工业总产值完成 65.18 亿元,同比增长 29.2%"


def test_period_and_estimate_govern_the_sentence(vocabulary: Vocabulary) -> None:
    text = "预计今年1-4月份,规上工业总产值完成65.18亿元,同比增长29.2%;规上工业增加值完成16.3亿元,增长12%。城镇新增就业1594人。"
    assert indicators(text, vocabulary) == [
        ("industrial-output", 65.18, "亿元", "2022M1-4", "estimated"),
        ("industrial-value-added", 16.3, "亿元", "2022M1-4", "estimated"),
        ("new-urban-jobs", 1594.0, "人", "2022YTD", "actual"),
    ]


@pytest.mark.parametrize(
    ("phrase", "period"),
    [
        ("今年一季度", "2022Q1"),
        ("上半年", "2022H1"),
        ("前三季度", "2022Q1-3"),
        ("1-4月", "2022M1-4"),
        ("今年以来", "2022YTD"),
        ("截至目前", "2022YTD"),
        ("全年", "2022"),
        ("2021年", "2021"),
        ("去年", "2021"),
        ("2023年上半年", "2023H1"),
    ],
)
def test_period_words(vocabulary: Vocabulary, phrase: str, period: str) -> None:
    (found,) = extract(f"{phrase},规上工业总产值完成65.18亿元。", vocabulary, 2022).indicators
    assert found.period.code == period


def test_year_from_text_or_withheld(vocabulary: Vocabulary) -> None:
    dated = "发布时间:2022-06-13\n上半年,规上工业总产值完成65.18亿元。"
    assert extract(dated, vocabulary).indicators[0].period.code == "2022H1"
    withheld = "202x年上半年工作总结\n上半年,规上工业总产值完成65.18亿元。"
    assert extract(withheld, vocabulary).indicators[0].period.code == "202xH1"


def test_share_of_a_whole(fixture_extraction: tuple[str, Extraction]) -> None:
    _text, result = fixture_extraction
    found = indicator(result, "industrial-investment")
    assert found.share is not None and (found.share.of, found.share.pct) == ("fixed-asset-investment", 84.5)


def test_split_names_pick_the_nearest_stem(fixture_extraction: tuple[str, Extraction]) -> None:
    # "签约项目20个,总投资110.3亿元,深入对接...等20余家企业,总投资约200亿元"
    _text, result = fixture_extraction
    assert indicator(result, "projects-signed-investment").value == 110.3
    talks = indicator(result, "projects-in-talks-investment")
    assert (talks.value, talks.qualifier) == (200.0, "about")
    firms = indicator(result, "firms-in-talks")
    assert (firms.value, firms.unit, firms.qualifier) == (20.0, "家", "more_than")


def test_name_after_the_figure(fixture_extraction: tuple[str, Extraction]) -> None:
    text, result = fixture_extraction
    found = indicator(result, "firms-trained")
    assert text[found.quote.start:found.quote.end] == "并对20余家企业开展智能化改造培训"


def test_rank_in_a_declared_unit(fixture_extraction: tuple[str, Extraction]) -> None:
    _text, result = fixture_extraction
    found = indicator(result, "air-quality-rank")
    assert (found.value, found.unit, found.period.code) == (2.0, "位", "2023H1")


def test_unknown_metric_only_for_amounts_in_digits(vocabulary: Vocabulary) -> None:
    found = indicators("园区完成技改投入3.5亿元,举办活动二十次,收到锦旗4面。", vocabulary)
    assert found == [(UNKNOWN_METRIC, 3.5, "亿元", "2022YTD", "actual")]
    (candidate,) = extract("园区完成技改投入3.5亿元。", vocabulary, 2022).indicators
    assert candidate.confidence < 0.5


def test_unit_must_fit_the_metric(vocabulary: Vocabulary) -> None:
    # 固定资产投资 is money: a count after it is not a value of it.
    assert indicators("固定资产投资项目12个。", vocabulary) == []


def test_traditional_script_is_matched(vocabulary: Vocabulary) -> None:
    text = "規上工業總產值完成65.18億元,同比增長29.2%。"
    (found,) = extract(text, vocabulary, 2022).indicators
    assert (found.metric, found.value, found.unit, found.yoy_pct) == ("industrial-output", 65.18, "亿元", 29.2)
    assert text[found.quote.start:found.quote.end].startswith("規上工業")


# -- targets ---------------------------------------------------------------


def test_range_target_with_threshold_and_horizon(fixture_extraction: tuple[str, Extraction]) -> None:
    _text, result = fixture_extraction
    (target,) = result.targets
    assert target.range == (2.0, 3.0) and target.unit == "个"
    assert target.threshold is not None and (target.threshold.value, target.threshold.unit) == (100.0, "亿元")
    assert (target.from_year, target.by.code if target.by else None, target.commitment) == (2023, "2027", "力争")


def test_redacted_target(vocabulary: Vocabulary) -> None:
    result = extract("202x年园区工作讲话\n202x年园区实际利用外资预计达到×亿美元。", vocabulary)
    (target,) = result.targets
    assert (target.metric, target.value, target.unit, target.commitment) == ("foreign-capital-used", "redacted", "亿美元", "预计")
    assert target.by is not None and target.by.code == "202x"
    assert result.indicators == ()


# -- projects --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "imminent"),
    [
        ("大禹", "trial_production", False),
        ("路通", "trial_production", False),
        ("航民", "trial_production", True),
        ("三棵树", "progress", False),
        ("经十路北段", "completed", False),
        ("污水处理厂", "completed", False),
        ("华北能源", "in_talks", False),
        ("多维医药", "signed", False),
        ("天能", "under_construction", False),
    ],
)
def test_project_statuses(fixture_extraction: tuple[str, Extraction], name: str, status: str, imminent: bool) -> None:
    _text, result = fixture_extraction
    assert [(c.status, c.imminent) for c in claims(result, name)] == [(status, imminent)]


def test_declared_projects_get_their_ids(fixture_extraction: tuple[str, Extraction]) -> None:
    _text, result = fixture_extraction
    assert claims(result, "航民")[0].project == "alpha-hangmin"
    assert claims(result, "大禹")[0].project == "alpha-dayu"
    assert claims(result, "路通")[0].project is None


def test_commitment_is_a_project_target(fixture_extraction: tuple[str, Extraction]) -> None:
    _text, result = fixture_extraction
    (claim,) = claims(result, "景森")
    assert claim.is_target and claim.commitment == "力争"
    assert (claim.planned_stage, claim.planned_by.code if claim.planned_by else None) == ("in_production", "2023")


def test_planned_next_stage(fixture_extraction: tuple[str, Extraction]) -> None:
    _text, result = fixture_extraction
    (claim,) = claims(result, "天能再生铅")
    assert (claim.planned_stage, claim.planned_by.code if claim.planned_by else None) == ("under_construction", "2023H2")


def test_investment_capacity_and_output(fixture_extraction: tuple[str, Extraction]) -> None:
    _text, result = fixture_extraction
    (claim,) = claims(result, "天能")
    assert claim.investment is not None and (claim.investment.value, claim.investment.unit) == (3.6, "亿元")
    assert claim.output_value is not None and claim.output_value.value == 20.0
    assert claim.capacity == "3200万KVAh动力电池生产线"
    # Figures that belong to a project are not offered as unknown indicators.
    assert all(i.metric != UNKNOWN_METRIC for i in result.indicators)


def test_plan_section_makes_claims_planned(fixture_extraction: tuple[str, Extraction]) -> None:
    _text, result = fixture_extraction
    (claim,) = claims(result, "禾丰二期")
    assert (claim.status, claim.planned_by.code if claim.planned_by else None) == ("planned", "2024")


def test_firms_named_for_other_reasons_are_not_projects(vocabulary: Vocabulary) -> None:
    text = "收到来自天能、三棵树、恩赢等企业送来锦旗4面。邀请专家到天能、东方雨虹等6家企业开展智能化诊断服务。"
    assert extract(text, vocabulary, 2022).projects == ()


def test_quotes_are_verbatim_clauses(fixture_extraction: tuple[str, Extraction]) -> None:
    text, result = fixture_extraction
    spans = [*(i.quote for i in result.indicators), *(t.quote for t in result.targets), *(p.quote for p in result.projects)]
    for span in spans:
        quote = text[span.start:span.end]
        assert quote and "\n" not in quote and not quote.endswith(("。", ",", ";"))
        assert len(quote) < 120  # a clause, not the paragraph


def test_park_guessed_from_the_text(fixture_extraction: tuple[str, Extraction]) -> None:
    assert fixture_extraction[1].park == "alpha"


def test_deterministic(vocabulary: Vocabulary) -> None:
    text = (FIXTURE / "sources" / "alpha-2023-h1.txt").read_text(encoding="utf-8")
    assert extract(text, vocabulary, 2023) == extract(text, vocabulary, 2023)


def test_share_without_a_value_of_the_part(vocabulary: Vocabulary) -> None:
    text = "今年一季度,化工、装备制造两大主导产业贡献的产值占全区工业总产值80%以上。"
    (found,) = extract(text, vocabulary, 2022).indicators
    assert (found.metric, found.value, found.unit, found.period.code) == ("industry-output", "unknown", "亿元", "2022Q1")
    assert found.share is not None and (found.share.of, found.share.pct, found.share.qualifier) == ("industrial-output", 80.0, "more_than")


def test_subset_after_qizhong_gets_a_scope(vocabulary: Vocabulary) -> None:
    text = "新签约项目12个,总投资额85亿元,其中亿元以上项目8个。"
    found = [(i.metric, i.scope, i.value) for i in extract(text, vocabulary, 2024).indicators]
    assert found == [
        ("projects-signed", "", 12.0),
        ("projects-signed-investment", "", 85.0),
        ("projects-signed", "亿元以上", 8.0),
    ]


def test_expected_stage_after_a_status(vocabulary: Vocabulary) -> None:
    result = extract("万华化学、卫星石化等项目取得积极进展,预计年底前投产。", vocabulary, 2024)
    assert [(p.name, p.status, p.planned_stage, p.planned_by.code if p.planned_by else None) for p in result.projects] == [
        ("万华化学", "progress", "in_production", "2024"),
        ("卫星石化", "progress", "in_production", "2024"),
    ]


def test_project_target_in_the_sources_words(vocabulary: Vocabulary) -> None:
    text = "加快联化科技二期、京德智造产业园二期等重点项目建设步伐,确保早竣工、早投产。"
    result = extract(text, vocabulary, 2022)
    targets = [(p.name, p.commitment_words, p.planned_stage) for p in result.projects if p.is_target]
    assert targets == [("联化科技二期", "确保早竣工、早投产", "in_production"), ("京德智造产业园二期", "确保早竣工、早投产", "in_production")]
    quote = next(p.quote for p in result.projects if p.is_target)
    assert text[quote.start:quote.end].endswith("确保早竣工、早投产")
    events = [(p.name, p.status) for p in result.projects if not p.is_target]
    assert events == [("联化科技二期", "under_construction"), ("京德智造产业园二期", "under_construction")]


def test_figures_of_speech_are_not_targets(vocabulary: Vocabulary) -> None:
    result = extract("以打造产业联盟为目标,一张蓝图绘到底,一心求真实到底。", vocabulary, 2022)
    assert result.targets == () and result.indicators == ()


@pytest.mark.parametrize("phrase", ["固定资产投资增长8%以上", "固定资产投资同比增长8%以上", "固定资产投资增速达到8%以上"])
def test_growth_target_names_its_metric(vocabulary: Vocabulary, phrase: str) -> None:
    (target,) = extract(f"2024年，力争{phrase}。", vocabulary, 2024).targets
    assert (target.metric, target.value, target.unit, target.qualifier) == ("fixed-asset-investment", 8.0, "%", "at_least")


def test_percent_target_without_a_growth_word_stays_unnamed(vocabulary: Vocabulary) -> None:
    (target,) = extract("2024年，力争固定资产投资中工业投资占比达到8%以上。", vocabulary, 2024).targets
    assert target.metric is None


@pytest.mark.parametrize(("rider", "yoy"), [("同比增长7.9%", 7.9), ("同比下降3.2%", -3.2)])
def test_growth_without_a_value_is_an_unknown_value(vocabulary: Vocabulary, rider: str, yoy: float) -> None:
    """"规上工业增加值同比增长7.9%": the value is unknown (never 0), the growth is kept with its sign."""
    (found,) = extract(f"2023年，规模以上工业增加值{rider}。", vocabulary, 2024).indicators
    assert (found.metric, found.value, found.unit, found.period.code, found.yoy_pct) == (
        "industrial-value-added", "unknown", "亿元", "2023", yoy)


def test_growth_target_is_not_an_unknown_value(vocabulary: Vocabulary) -> None:
    extraction = extract("2024年，力争规模以上工业增加值增长8%以上。", vocabulary, 2024)
    assert extraction.indicators == ()
    assert [t.metric for t in extraction.targets] == ["industrial-value-added"]


def test_project_subject_followed_directly_by_its_stage(vocabulary: Vocabulary) -> None:
    """"瑞达新材料项目竣工投产": no 已/将 between the name and the stage; "一个个重大项目" names none."""
    projects = extract("瑞达新材料项目竣工投产。一个个重大项目落地生根。", vocabulary, 2023).projects
    assert [(p.name, p.status) for p in projects] == [("瑞达新材料", "in_production")]


def test_output_value_in_the_clause_after_a_project_claim(vocabulary: Vocabulary) -> None:
    """"已于5月建成投产，新增产值2.5亿元": the output value belongs to the project claim."""
    extraction = extract("恒丰精密轴承项目已于5月建成投产，新增产值2.5亿元。", vocabulary, 2024)
    (claim,) = extraction.projects
    assert (claim.status, claim.date, claim.output_value) == ("in_production", "2024-05", AmountCandidate(2.5, "亿元", "exact"))
    assert all(i.metric != "unknown-metric" for i in extraction.indicators)
