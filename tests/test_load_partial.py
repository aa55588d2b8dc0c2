"""A file with a bad entry keeps its good entries checked, without cascades."""

from __future__ import annotations

from pathlib import Path

from parkreport.load import load_raw
from parkreport.validate import check_raw

from .test_load_rejections import PARK, REPORT, content, edit, problems  # noqa: F401 - fixture

R = f"content/{REPORT}"


def test_load_partial_report_still_checks_its_other_entries(content: Path) -> None:
    edit(content, REPORT, "value: 65.18", "value: 65.18亿元")
    edit(content, REPORT, "quote: 固定资产投资完成8.2亿元", "quote: 固定资产投资完成9.2亿元")
    edit(content, REPORT, "project: alpha-coatings", "project: alpha-coating")
    assert problems(content) == [
        f"{R}:11:12: indicators[0].value: expected a number, got '65.18亿元' (put the unit in 'unit' and the number here)",
        # indicators[1] is the second entry of the file, though the first one kept
        f"{R}:23:12: indicators[1].quote: quote not found in the source text: '固定资产投资完成9.2亿元,增长15%'; "
        "copy it exactly from the cleaned source (spaces and line breaks do not matter)",
        f"{R}:25:14: project_events[0].project: unknown project 'alpha-coating' (did you mean 'alpha-coatings'?); "
        "declare it in the 'projects' of a park file or fix the id",
    ]


def test_load_partial_file_keeps_the_good_entries(content: Path) -> None:
    edit(content, REPORT, "value: 65.18", "value: 65.18亿元")
    raw = load_raw(content)
    (report,) = raw.reports
    assert [i.metric for i in report.model.indicators] == ["fixed-asset-investment"]
    assert report.kept == {"indicators": [1]}
    assert report.file_loc(("indicators", 0, "quote")) == ("indicators", 1, "quote")
    assert "reports/alpha-2022-m1-4.yaml" in raw.broken


def test_load_bad_project_entry_does_not_cascade_into_reports(content: Path) -> None:
    edit(content, PARK, "    investor: 某涂料公司", "    investor: [某涂料公司]")
    assert problems(content) == [
        "content/parks/alpha.yaml:13:15: projects[0].investor: expected text, got a list; quote it if it is meant as text"
    ]


def test_load_broken_park_file_does_not_cascade_into_reports(content: Path) -> None:
    edit(content, PARK, "level: provincial", "level: galactic")
    found = problems(content)
    assert found == [
        "content/parks/alpha.yaml:6:8: level: expected one of 'national', 'provincial', 'city', 'county' or 'unknown', "
        "got 'galactic'"
    ]


def test_load_unparsable_park_file_does_not_cascade_into_reports(content: Path) -> None:
    edit(content, PARK, "kind: park", "kind: [park")
    found = problems(content)
    assert len(found) == 1 and found[0].startswith("content/parks/alpha.yaml:")


def test_load_bad_metric_entry_does_not_cascade(content: Path) -> None:
    edit(content, "metrics.yaml", "    unit: 亿美元", "    unit: [亿美元]")
    assert problems(content) == [
        "content/metrics.yaml:24:11: metrics[3].unit: expected text, got a list; quote it if it is meant as text"
    ]


def test_load_problems_in_several_files_are_sorted_and_unique(content: Path) -> None:
    edit(content, REPORT, "publisher:", "publsher:")
    edit(content, REPORT, "yoy_pct: 29.2", "yoy_pct: 很多")
    edit(content, PARK, "name_en: Alpha Industrial Park", "name_en: yes")
    edit(content, "metrics.yaml", "headline: true\n  - id: industrial-value-added", "headlin: true\n  - id: industrial-value-added")
    found = check_raw(load_raw(content))[1]
    assert found == sorted(set(found))
    assert [(p.path, p.line) for p in found] == [
        ("content/metrics.yaml", 9),
        ("content/parks/alpha.yaml", 4),
        ("content/reports/alpha-2022-m1-4.yaml", 5),
        ("content/reports/alpha-2022-m1-4.yaml", 15),
    ]


def test_load_partial_entries_map_back_to_their_lines(tmp_path: Path) -> None:
    """Property: whichever entries are bad, the good ones load and every problem points at a bad one."""
    import shutil

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from .conftest import FIXTURES

    entry = ("  - metric: industrial-output\n    value: {value}\n    unit: 亿元\n    period: 2022M1-4\n"
             "    status: estimated\n    quote: 规上工业总产值完成65.18亿元\n")

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.booleans(), min_size=1, max_size=12))
    def check(bad: list[bool]) -> None:
        root = tmp_path / "content"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(FIXTURES / "mini", root)
        path = root / REPORT
        head, tail = path.read_text(encoding="utf-8").split("indicators:\n")
        entries = "".join(entry.format(value="65.18亿元" if flag else "65.18") for flag in bad)
        path.write_text(f"{head}indicators:\n{entries}project_events:{tail.split('project_events:')[1]}", encoding="utf-8")
        raw = load_raw(root)
        kept = [i for i, flag in enumerate(bad) if not flag]
        (report,) = raw.reports
        assert len(report.model.indicators) == len(kept)
        assert [report.file_loc(("indicators", i))[1] for i in range(len(kept))] == kept
        first_line = head.count("\n") + 2
        assert [p.line for p in raw.problems] == [first_line + 6 * i + 1 for i, flag in enumerate(bad) if flag]
        assert check_raw(raw)[1] == raw.problems  # the good entries cross-check cleanly

    check()


def test_load_misspelt_top_level_key_still_checks_the_rest(content: Path) -> None:
    edit(content, REPORT, "publisher:", "publsher:")
    edit(content, REPORT, "quote: 固定资产投资完成8.2亿元", "quote: 固定资产投资完成9.2亿元")
    found = problems(content)
    assert [line.split(": ")[0] for line in found] == [f"{R}:5:1", f"{R}:23:12"]
    assert "unknown field 'publsher'" in found[0] and "quote not found" in found[1]


def test_load_bad_optional_field_is_dropped_without_cascades(content: Path) -> None:
    edit(content, REPORT, 'published: "2022-06-13"', "published: 2022-02-30")
    edit(content, REPORT, "    period: 2022M1-4\n    status: estimated\n    yoy_pct: 29.2",
         "    period: 2024H1\n    status: estimated\n    yoy_pct: 29.2")
    # without a publication date the 'figure after publication' rule cannot apply
    assert problems(content) == [f"{R}:6:12: published: '2022-02-30' is not a real date (day is out of range for month)"]


def test_load_bad_required_field_drops_the_whole_file(content: Path) -> None:
    edit(content, REPORT, "kind: news", "kind: newspaper")
    edit(content, REPORT, "quote: 固定资产投资完成8.2亿元", "quote: 固定资产投资完成9.2亿元")
    raw = load_raw(content)
    assert raw.reports == []
    assert len(problems(content)) == 1


def test_load_bad_source_name_is_not_replaced_by_the_default(content: Path) -> None:
    edit(content, REPORT, "kind: news", "kind: news\nsource: ../elsewhere.txt")
    assert load_raw(content).reports == []
