"""Every rejection of the content layer, one case each, with its exact located message.

Each case starts from the valid ``tests/fixtures/mini`` corpus, makes one
precise change and asserts the full ``path:line:col: field: message`` line.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from parkreport.load import MAX_YAML_BYTES, load_raw
from parkreport.validate import check_raw

from .conftest import FIXTURES

REPORT = "reports/alpha-2022-m1-4.yaml"
PARK = "parks/alpha.yaml"
METRICS = "metrics.yaml"
R = f"content/{REPORT}"
P = f"content/{PARK}"
M = f"content/{METRICS}"
FIRST_UNIT = "unit: 亿元\n    period: 2022M1-4\n    status: estimated\n    yoy_pct: 29.2"
TITLE = "title: 阿尔法工业园区1-4月经济运行"
YAML11_HINT = "write true or false for a yes/no value, or quote it"


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the mini corpus at ./content, so problems name content/..."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def edit(content: Path, rel: str, old: str, new: str) -> None:
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(content: Path) -> list[str]:
    corpus, found = check_raw(load_raw(content))
    assert (corpus is None) == bool(found)
    return [problem.format() for problem in found]


# (case id, file, text to replace, replacement, every expected problem line)
CASES: list[tuple[str, str, str, str, list[str]]] = [
    ("syntax-error", REPORT, "parks: [alpha]", "parks: [alpha", [
        f"{R}:4:6: YAML syntax error: did not find expected ',' or ']' in the flow sequence that starts at line 3, "
        "column 8; check indentation, colons, brackets and quotes near here"]),
    ("tab-indent", PARK, "  - id: alpha-coatings\n    name:", "  - id: alpha-coatings\n\tname:", [
        f"{P}:12:1: YAML syntax error: found a tab character that violates indentation in the plain scalar that "
        "starts at line 11, column 9; YAML cannot be indented with tabs: use spaces"]),
    ("duplicate-key", REPORT, "publisher: 测试日报", "publisher: 测试日报\ntitle: 重复", [
        f"{R}:6:1: title: duplicate key 'title' (first written at line 4, column 1); "
        "YAML would silently keep only the last one: remove or rename one of them"]),
    ("anchor", REPORT, "parks: [alpha]", "parks: &p [alpha]", [
        f"{R}:3:8: parks: anchors (&p) are not allowed in content; write the value out in full"]),
    ("alias", REPORT, "publisher: 测试日报", "publisher: *name", [
        f"{R}:5:12: publisher: aliases (*name) are not allowed in content; write the value out in full"]),
    ("yaml11-no", REPORT, "publisher: 测试日报", "publisher: no", [
        f"{R}:5:12: publisher: 'no' is ambiguous: YAML 1.1 tools read it as a boolean; {YAML11_HINT} (\"no\") for text"]),
    ("yaml11-yes", PARK, "name_en: Alpha Industrial Park", "name_en: yes", [
        f"{P}:4:10: name_en: 'yes' is ambiguous: YAML 1.1 tools read it as a boolean; {YAML11_HINT} (\"yes\") for text"]),
    ("yaml11-on", PARK, "investor: 某涂料公司", "investor: on", [
        f"{P}:13:15: projects[0].investor: 'on' is ambiguous: YAML 1.1 tools read it as a boolean; {YAML11_HINT} (\"on\") for text"]),
    ("leading-zero", REPORT, TITLE, "title: 0123", [
        f"{R}:4:8: title: '0123' has a leading zero, which YAML 1.1 reads as an octal number; "
        "write it without the zero, or quote it (\"0123\") for text"]),
    ("sexagesimal", REPORT, TITLE, "title: 1:30", [
        f"{R}:4:8: title: '1:30' looks like a time, which YAML 1.1 reads as a base-60 number; quote it (\"1:30\")"]),
    ("unknown-key", REPORT, "publisher:", "publsher:", [
        f"{R}:5:1: publsher: unknown field 'publsher' (did you mean 'publisher'?); allowed fields: id, parks, title, "
        "publisher, author, published, date_note, period, kind, url, source, original, review, summary, indicators, "
        "targets, project_events, facts"]),
    ("misspelt-required-key-reported-once", REPORT, "    value: 65.18", "    valeu: 65.18", [
        f"{R}:11:5: indicators[0].valeu: unknown field 'valeu' (did you mean 'value'?); allowed fields: metric, park, "
        "scope, value, qualifier, unit, period, status, yoy_pct, share, note, quote"]),
    ("empty-required-text", REPORT, "    quote: 规上工业总产值完成65.18亿元,同比增长29.2%", "    quote:", [
        f"{R}:16:11: indicators[0].quote: is empty: write the text after the colon"]),
    ("unknown-choice", REPORT, "    status: signed", "    status: signd", [
        f"{R}:26:13: project_events[0].status: expected one of 'in_talks', 'signed', 'landed', 'under_construction', "
        "'completed', 'trial_production', 'in_production', 'full_capacity', 'progress' or 'planned', got 'signd'"]),
    ("estimate-after-publication", REPORT, "    period: 2022M1-4\n    status: estimated\n    yoy_pct: 29.2",
     "    period: 2024H1\n    status: estimated\n    yoy_pct: 29.2", [
         f"{R}:13:13: indicators[0].period: an estimated figure for 2024 in a report published in 2022: "
         "is it a target? set status: target"]),
    ("text-for-mapping", PARK, "region: {province: 河南省, city: 濮阳市}", "region: 河南省", [
        f"{P}:7:9: region: expected a mapping of fields ('name: value' lines indented under it), got '河南省'"]),
    ("list-for-text", REPORT, TITLE, "title: [a, b]", [
        f"{R}:4:8: title: expected text, got a list; quote it if it is meant as text"]),
    ("text-for-number", REPORT, "yoy_pct: 29.2", "yoy_pct: 很多", [
        f"{R}:15:14: indicators[0].yoy_pct: expected a number, got '很多'"]),
    ("percent-sign-in-growth", REPORT, "yoy_pct: 29.2", "yoy_pct: 29.2%", [
        f"{R}:15:14: indicators[0].yoy_pct: expected a number, got '29.2%': write it without '%' (the field is in percent)"]),
    ("number-for-id", REPORT, "parks: [alpha]", "parks: [123]", [
        f"{R}:3:9: parks[0]: expected an id (text), got the number 123; quote it"]),
    ("unit-in-value", REPORT, "value: 65.18", "value: 96.1亿元", [
        f"{R}:11:12: indicators[0].value: expected a number, got '96.1亿元' (put the unit in 'unit' and the number here)"]),
    ("impossible-date", REPORT, 'published: "2022-06-13"', "published: 2022-02-30", [
        f"{R}:6:12: published: '2022-02-30' is not a real date (day is out of range for month)"]),
    ("period-month-13", REPORT, "period: 2022M1-4\nkind", "period: 2022M13\nkind", [
        f"{R}:7:9: period: '2022M13' is not a period; write e.g. 2022 (full year), 2022M1-4 (Jan-Apr), 2022Q1, "
        "2022H1, 2022Q1-3 (Jan-Sep) or 2022YTD (so far this year)"]),
    ("period-months-backwards", REPORT, "period: 2022M1-4\nkind", "period: 2022M5-3\nkind", [
        f"{R}:7:9: period: '2022M5-3': the month range runs backwards (5 to 3)"]),
    ("period-quarters-not-from-q1", REPORT, "period: 2022M1-4\nkind", "period: 2022Q2-3\nkind", [
        f"{R}:7:9: period: '2022Q2-3': a quarter range must start at Q1 (e.g. 2022Q1-3)"]),
    ("unknown-park", REPORT, "parks: [alpha]", "parks: [alpah]", [
        f"{R}:3:9: parks[0]: unknown park 'alpah' (did you mean 'alpha'?); declare it in content/parks/ or fix the id"]),
    ("unknown-metric", REPORT, "metric: industrial-output", "metric: industrial-outptu", [
        f"{R}:10:13: indicators[0].metric: unknown metric 'industrial-outptu' (did you mean 'industrial-output'?); "
        "declare it in content/metrics.yaml or fix the id"]),
    ("unknown-project", REPORT, "project: alpha-coatings", "project: alpha-coating", [
        f"{R}:25:14: project_events[0].project: unknown project 'alpha-coating' (did you mean 'alpha-coatings'?); "
        "declare it in the 'projects' of a park file or fix the id"]),
    ("unit-of-wrong-kind", REPORT, FIRST_UNIT, FIRST_UNIT.replace("亿元", "亿美元"), [
        f"{R}:12:11: indicators[0].unit: unit '亿美元' does not measure 规模以上工业总产值 (usual unit 亿元); "
        "a different currency or count is a different metric"]),
    ("unknown-unit", REPORT, FIRST_UNIT, FIRST_UNIT.replace("亿元", "亿块"), [
        f"{R}:12:11: indicators[0].unit: unknown unit '亿块'; use a known one (%、KVAh、个、个百分点、亩、人、元、公斤、公里、"
        "公顷、千克、千瓦、千瓦时、吨、家、平方公里、平方米、度、标准箱、欧元、港元、立方米、米、美元, with 万/亿 prefixes) "
        "or declare it under 'units:' in metrics.yaml"]),
    ("quote-not-in-source", REPORT, "quote: 固定资产投资完成8.2亿元", "quote: 固定资产投资完成9.2亿元", [
        f"{R}:23:12: indicators[1].quote: quote not found in the source text: '固定资产投资完成9.2亿元,增长15%'; "
        "copy it exactly from the cleaned source (spaces and line breaks do not matter)"]),
    ("missing-required-field", REPORT, TITLE + "\n", "", [
        f"{R}:2:1: title: required field 'title' is missing"]),
    ("several-documents", PARK, "    industry: 涂料\n", "    industry: 涂料\n---\nid: beta\n", [
        f"{P}:15:1: only one YAML document per file is allowed; remove the '---' separator"]),
    ("explicit-tag", REPORT, TITLE, "title: !!str 阿尔法工业园区1-4月经济运行", [
        f"{R}:4:8: title: explicit tags (tag:yaml.org,2002:str) are not allowed in content; remove the tag"]),
    ("list-as-key", REPORT, "publisher: 测试日报", "? [a, b]\n: 测试日报", [
        f"{R}:5:3: mapping keys must be plain text, not a list or mapping"]),
    ("deep-nesting", REPORT, "publisher: 测试日报", "publisher: " + "[" * 70 + "]" * 70, [
        f"{R}:5:75: publisher[0]: nested more than 64 levels deep; content files are never this deep"]),
    ("duplicate-metric-id", METRICS, "  - id: fixed-asset-investment", "  - id: industrial-output", [
        f"{M}:17:9: metrics[2].id: duplicate metric id 'industrial-output'; rename or remove one of them",
        # the indicator of the metric whose id was overwritten is honestly unknown now
        f"{R}:17:13: indicators[1].metric: unknown metric 'fixed-asset-investment'; "
        "declare it in content/metrics.yaml or fix the id"]),
    ("control-character", REPORT, "publisher: 测试日报", "publisher: 测试\x07日报", [
        f"{R}:5:14: character U+0007 is not allowed in YAML (control characters are not allowed); delete it"]),
    ("quantitative-target-without-value", REPORT, "project_events:",
     "targets:\n  - what: 产值翻番\n    kind: quantitative\n    quote: 规上工业总产值完成65.18亿元\nproject_events:", [
         f"{R}:25:5: targets[0]: a quantitative target needs 'value', 'range' or 'threshold' ('unknown' if not stated)"]),
]


@pytest.mark.parametrize(("rel", "old", "new", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_load_rejects_with_the_exact_located_message(content: Path, rel: str, old: str, new: str, expected: list[str]) -> None:
    edit(content, rel, old, new)
    assert problems(content) == expected


def test_load_fixture_is_clean(content: Path) -> None:
    assert problems(content) == []


def test_load_billion_laughs_is_rejected_without_expanding(content: Path) -> None:
    lines = ["id: alpha", "name: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (content / PARK).write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    found = problems(content)
    assert time.perf_counter() - started < 2
    assert found[0] == f"{P}:2:7: name: anchors (&a0) are not allowed in content; write the value out in full"
    assert f"{P}:3:5: l1: anchors (&a1) are not allowed in content; write the value out in full" in found
    assert f"{P}:3:10: l1[0]: aliases (*a0) are not allowed in content; write the value out in full" in found
    assert len(found) == 1 + 9 * 10  # one per anchor and alias written: nothing was expanded


def test_load_top_level_list_is_rejected(content: Path) -> None:
    (content / PARK).write_text("- alpha\n- beta\n", encoding="utf-8")
    assert problems(content)[0] == (
        f"{P}:1:1: expected a mapping of fields ('name: value' lines) at the top of the file, got a list"
    )


def test_load_empty_file_is_rejected(content: Path) -> None:
    (content / PARK).write_text("# nothing yet\n", encoding="utf-8")
    assert problems(content) == [
        f"{P}:1:1: expected a mapping of fields ('name: value' lines) at the top of the file, got nothing (the file is empty)"
    ]


def test_load_missing_source_file_is_rejected(content: Path) -> None:
    (content / "sources" / "alpha-2022-m1-4.txt").unlink()
    assert problems(content) == [
        f"{R}:2:5: id: source text content/sources/alpha-2022-m1-4.txt not found; "
        "create it with 'parkreport ingest RAW_FILE --id alpha-2022-m1-4'"
    ]


def test_load_oversized_file_is_rejected(content: Path) -> None:
    with (content / PARK).open("a", encoding="utf-8") as stream:
        stream.write("# padding\n" * (MAX_YAML_BYTES // 10 + 1))
    size = (content / PARK).stat().st_size
    assert problems(content) == [
        f"{P}: is {size:,} bytes, over the limit of {MAX_YAML_BYTES:,}; split it into smaller files"
    ]


def test_load_gbk_file_names_the_byte_and_suggests_iconv(content: Path) -> None:
    path = content / REPORT
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    assert problems(content) == [
        f"{R}:4:8: not UTF-8: byte 0xB0 at offset 109 cannot be decoded; save the file as UTF-8 (a file from a "
        "Chinese Windows editor is probably GBK: iconv -f GBK -t UTF-8 alpha-2022-m1-4.yaml > "
        "alpha-2022-m1-4.yaml.utf8 && mv alpha-2022-m1-4.yaml.utf8 alpha-2022-m1-4.yaml)"
    ]


def test_load_gbk_source_text_is_rejected_too(content: Path) -> None:
    path = content / "sources" / "alpha-2022-m1-4.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    found = problems(content)
    assert len(found) == 1  # the report's quotes are not checked against nothing
    assert found[0].startswith("content/sources/alpha-2022-m1-4.txt:1:1: not UTF-8: byte 0xB0 at offset 0 cannot be decoded")


def test_load_utf8_bom_is_accepted(content: Path) -> None:
    for rel in (REPORT, PARK, METRICS, "sources/alpha-2022-m1-4.txt"):
        path = content / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert problems(content) == []


def test_load_id_must_match_file_name(content: Path) -> None:
    (content / PARK).rename(content / "parks" / "alpha-park.yaml")
    assert problems(content) == [
        "content/parks/alpha-park.yaml:2:5: id: id 'alpha' must match the file name 'alpha-park.yaml'; rename one of them"
    ]


def test_load_duplicate_park_ids_are_rejected(content: Path) -> None:
    shutil.copy(content / PARK, content / "parks" / "beta.yaml")
    assert problems(content) == [
        "content/parks/beta.yaml:2:5: id: duplicate park id 'alpha' (also in parks/alpha.yaml); rename one of them",
        "content/parks/beta.yaml:2:5: id: id 'alpha' must match the file name 'beta.yaml'; rename one of them",
    ]


def test_load_symlink_out_of_the_content_directory_is_rejected(content: Path) -> None:
    outside = content.parent / "elsewhere.yaml"
    shutil.move(content / PARK, outside)
    (content / PARK).symlink_to(outside)
    found = problems(content)
    assert found[0] == f"{P}: is a link to a file outside the content directory; copy the file in instead"
    assert len(found) == 1  # the report's references to the park do not cascade


def test_load_symlink_inside_the_content_directory_is_accepted(content: Path) -> None:
    shutil.move(content / PARK, content / "alpha.yaml.real")
    (content / PARK).symlink_to(content / "alpha.yaml.real")
    assert problems(content) == []


def test_load_missing_content_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert problems(Path("nowhere")) == ["nowhere: content directory not found; run 'parkreport new site' to start one"]


def test_load_duplicate_project_ids_across_parks_are_rejected(content: Path) -> None:
    (content / "parks" / "beta.yaml").write_text(
        "id: beta\nname: 贝塔园区\nprojects:\n  - id: alpha-coatings\n    name: 另一个涂料项目\n", encoding="utf-8"
    )
    assert problems(content) == [
        "content/parks/beta.yaml:4:9: projects[0].id: duplicate project id 'alpha-coatings' (also in park 'alpha'); "
        "project ids are unique across all parks: rename one of them"
    ]
