"""The JSON Schemas written for editors agree with ``parkreport check``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from parkreport.cli import main
from parkreport.schema import json_schemas, schema_texts, write_schemas

from .conftest import FIXTURES

MINI = FIXTURES / "mini"
KIND_FILES = {"metrics": "metrics.yaml", "park": "parks/alpha.yaml", "report": "reports/alpha-2022-m1-4.yaml"}


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schemas()[kind], format_checker=jsonschema.FormatChecker())


def _errors(kind: str, data: Any) -> list[str]:
    return sorted(f"{list(e.absolute_path)}: {e.message}" for e in _validator(kind).iter_errors(data))


def _mini(kind: str) -> Any:
    # Editors read YAML 1.2, where these files mean what the strict reader reads.
    return yaml.safe_load((MINI / KIND_FILES[kind]).read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", sorted(KIND_FILES))
def test_schema_is_a_valid_json_schema_document(kind: str) -> None:
    schema = json_schemas()[kind]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("kind", sorted(KIND_FILES))
def test_schema_accepts_the_mini_fixture(kind: str) -> None:
    assert _errors(kind, _mini(kind)) == []


def test_schema_rejects_what_check_rejects() -> None:
    report = _mini("report")
    report["publsher"] = report.pop("publisher")
    report["indicators"][0]["value"] = "96.1亿元"
    report["indicators"][1]["period"] = "2022M13"
    report["parks"] = ["Alpha Park"]
    report["source"] = "../secrets.txt"
    report["title"] = "   "
    assert _errors("report", report) == [
        "['indicators', 0, 'value']: '96.1亿元' is not valid under any of the given schemas",
        "['indicators', 1, 'period']: '2022M13' is not valid under any of the given schemas",
        "['parks', 0]: 'Alpha Park' does not match '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$'",
        "['source']: '../secrets.txt' is not valid under any of the given schemas",
        "['title']: '   ' does not match '\\\\S'",
        "[]: Additional properties are not allowed ('publsher' was unexpected)",
    ]


def test_schema_requires_the_required_fields() -> None:
    park = _mini("park")
    del park["name"]
    assert _errors("park", park) == ["[]: 'name' is a required property"]


def test_schema_carries_field_descriptions_for_editor_hovers() -> None:
    indicator = json_schemas()["report"]["$defs"]["Indicator"]
    assert indicator["properties"]["value"]["description"].startswith("The number, or 'unknown'")
    undescribed = [
        f"{kind}: {name}.{field}"
        for kind, schema in json_schemas().items()
        for name, definition in [(kind, schema), *schema.get("$defs", {}).items()]
        for field, spec in definition.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undescribed == [], "every field is declared with a one-line description"


def test_schema_output_is_deterministic(tmp_path: Path) -> None:
    assert schema_texts() == schema_texts()
    first = {p.name: p.read_bytes() for p in write_schemas(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_schemas(tmp_path / "b")}
    assert first == second
    assert sorted(first) == ["config.schema.json", "metrics.schema.json", "park.schema.json", "report.schema.json"]
    assert json.loads(first["report.schema.json"])["title"] == "parkreport report file"


def test_schema_cli_writes_every_schema(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "-o", str(tmp_path / "schema")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == sorted(schema_texts())
    assert f"wrote {tmp_path / 'schema' / 'report.schema.json'}" in result.output
