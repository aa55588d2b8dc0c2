"""The strict YAML reader: YAML 1.2 core values, positions, and what it refuses."""

from __future__ import annotations

import pytest
import yaml

from parkreport.errors import ContentError
from parkreport.yamlreader import read_yaml_bytes, read_yaml_text


def messages(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_yaml_text(text, "f.yaml")
    return [problem.format() for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True), ("False", False), ("~", None), ("null", None), ("", None),
        ("12", 12), ("-3", -3), ("0", 0), ("1.5", 1.5), ("-.5", -0.5), ("1e3", 1000.0),
        ("65.18亿元", "65.18亿元"), ("2022-06-13", "2022-06-13"), ("2022M1-4", "2022M1-4"),
        ("'no'", "no"), ('"0123"', "0123"), ("'1:30'", "1:30"), ("|\n  yes\n", "yes\n"),
        ("濮阳工业园区", "濮阳工业园区"), ("nanle", "nanle"), ("offshore", "offshore"),
    ],
)
def test_yaml_plain_scalars_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    assert read_yaml_text(f"key: {text}", "f.yaml").data == {"key": value}


@pytest.mark.parametrize("text", ["yes", "No", "ON", "off", "y", "N", "0123", "-017", "1:30", "190:20:30", "0x1F", "0o17", "1_000", ".inf", ".NaN"])
def test_yaml_1_1_surprises_are_refused(text: str) -> None:
    (message,) = messages(f"key: {text}\n")
    assert message.startswith(f"f.yaml:1:6: key: '{text}' ")


def test_yaml_positions_of_keys_and_values_are_recorded() -> None:
    doc = read_yaml_text("a:\n  - b: 1\n    c: [x, 'y']\n", "f.yaml")
    assert doc.data == {"a": [{"b": 1, "c": ["x", "y"]}]}
    assert doc.positions[("a", 0, "c", 1)] == (3, 12)
    assert doc.key_positions[("a", 0, "c")] == (3, 5)
    assert doc.locate(("a", 0, "missing")) == (2, 5)
    assert doc.locate(("a", 0, "c"), key=True) == (3, 5)


def test_yaml_reader_agrees_with_pyyaml_on_plain_content() -> None:
    text = "id: x\nlist: [1, 2.5, text]\nnested:\n  - {a: b}\n  - c\nquoted: 'q'\nblock: |\n  line\n"
    assert read_yaml_text(text, "f.yaml").data == yaml.load(text, Loader=yaml.CSafeLoader)


def test_yaml_every_problem_of_a_file_is_reported() -> None:
    found = messages("a: &x 1\nb: *x\nc: yes\na: 2\n")
    assert [m.split(":")[1] for m in found] == ["1", "2", "3", "4"]


def test_yaml_mapping_as_key_is_refused_and_skipped() -> None:
    assert messages("? {k: v}\n: value\nother: [1, {a: b}]\n") == [
        "f.yaml:1:3: mapping keys must be plain text, not a list or mapping"
    ]


def test_yaml_alias_as_key_is_refused() -> None:
    assert messages("a: 1\n*x : 2\n") == ["f.yaml:2:1: aliases (*x) are not allowed in content; write the value out in full"]


def test_yaml_unclosed_quote_names_where_it_opened() -> None:
    assert messages('a: "abc\nb: 3\n') == [
        "f.yaml:3:1: YAML syntax error: found unexpected end of stream in the quoted scalar that starts at line 1, "
        "column 4; check indentation, colons, brackets and quotes near here"
    ]


def test_yaml_bad_indentation_is_located() -> None:
    assert messages("a: 1\n b: 2\n") == [
        "f.yaml:2:3: YAML syntax error: mapping values are not allowed in this context; "
        "check indentation, colons, brackets and quotes near here"
    ]


def test_yaml_deep_nesting_is_reported_once() -> None:
    assert messages("[" * 100) == ["f.yaml:1:65: [0][0]: nested more than 64 levels deep; content files are never this deep"]


def test_yaml_very_deep_nesting_is_reported_once_and_quickly() -> None:
    """libyaml 0.2.6 (PyYAML 6.0.4) refuses flow nesting past its own limit while scanning ahead: the same message."""
    (message,) = messages("[" * 100_000)
    assert message.startswith("f.yaml:1:") and message.endswith(": nested more than 64 levels deep; content files are never this deep")


def test_yaml_bytes_bom_is_accepted_and_bad_byte_is_named() -> None:
    assert read_yaml_bytes("\ufeffa: 濮阳\n".encode(), "f.yaml").data == {"a": "濮阳"}
    with pytest.raises(ContentError) as caught:
        read_yaml_bytes("a: 1\nb: 濮阳\n".encode("gbk"), "dir/f.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 4)
    assert "byte 0xE5 at offset 8" in problem.message
    assert "iconv -f GBK -t UTF-8 f.yaml" in problem.message


def test_yaml_windows_line_endings_are_fine() -> None:
    doc = read_yaml_text("a: 1\r\nb: text\r\n", "f.yaml")
    assert doc.data == {"a": 1, "b": "text"}
    assert doc.positions[("b",)] == (2, 4)


def test_yaml_positions_are_built_only_when_a_problem_needs_them() -> None:
    doc = read_yaml_text("a: 1\nb:\n  - c\n", "f.yaml")
    assert doc._positions is None  # a valid file never pays for its position table
    assert doc.locate(("b", 0)) == (3, 5)
    assert doc._positions is not None and doc.positions[("a",)] == (1, 4)


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, {b: c}]\nd: 'no'\ne: |\n  block\n",
        "a: &x 1\nb: *x\nc: yes\na: 2\n",
        "? [k]\n: v\n",
        'a: "open\n',
        "a: 1\n---\nb: 2\n",
    ],
)
def test_yaml_pure_python_parser_gives_the_same_result(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml PyYAML falls back to its pure parser; results must not change."""
    from parkreport import yamlreader

    def read() -> object:
        try:
            return read_yaml_text(text, "f.yaml").data
        except ContentError as error:
            return [problem.format() for problem in error.problems]

    with_libyaml = read()
    monkeypatch.setattr(yamlreader, "_Loader", yaml.SafeLoader)
    assert read() == with_libyaml
