"""JSON Schemas of the content file kinds, for editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .model import FILE_KINDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each content file kind, by kind name."""
    from .config import SiteConfig  # the site file parkreport.yaml, beside the content kinds

    models: dict[str, type[BaseModel]] = {**FILE_KINDS, "config": SiteConfig}
    schemas = {}
    for kind, model in models.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = SCHEMA_DIALECT
        schema["title"] = f"parkreport {kind} file"
        schemas[kind] = schema
    return schemas


def schema_texts() -> dict[str, str]:
    """File name -> deterministic JSON text of each schema."""
    return {
        f"{kind}.schema.json": json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for kind, schema in json_schemas().items()
    }


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
