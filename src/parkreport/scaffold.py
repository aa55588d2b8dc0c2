"""Start a project, a park or a report from templates that pass ``parkreport check``.

``new_site`` copies the starter project shipped in ``scaffold/starter/`` (the
configuration, the standard metric vocabulary, one example park and report
with its source text, a templates/README.md) and writes the editor schemas.
``new_park`` and ``new_report`` write one content file each, with the
``yaml-language-server`` schema hint, and never overwrite a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from string import Template

from .config import read_config
from .errors import ScaffoldError
from .schema import write_schemas

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_RENAMED = {"gitignore": ".gitignore"}  # dot files do not travel well as package data

SOURCE_PLACEHOLDER = (
    "（在此粘贴报告的正文：去掉网站导航、版权声明等页面杂项后的全文。"
    "报告文件中每条数据的 quote 都必须逐字出现在这里。）\n"
)


@dataclass(frozen=True)
class Scaffolded:
    """What a ``new`` command wrote, relative to the project, and what to do next."""

    created: tuple[Path, ...]
    next_steps: tuple[str, ...]


def check_id(value: str, what: str = "id") -> str:
    """Return ``value`` if it is a valid id (slug); raise ScaffoldError saying why not."""
    if not _SLUG.fullmatch(value):
        raise ScaffoldError(
            f"'{value}' is not a valid {what}: use 1-64 lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit (e.g. puyang or puyang-2023-h1)"
        )
    return value


def _scaffold_files() -> Traversable:
    return resources.files("parkreport") / "scaffold"


def _copy_tree(source: Traversable, target: Path, created: list[Path]) -> None:
    for entry in sorted(source.iterdir(), key=lambda e: e.name):
        destination = target / _RENAMED.get(entry.name, entry.name)
        if entry.is_dir():
            destination.mkdir(exist_ok=True)
            _copy_tree(entry, destination, created)
        else:
            destination.write_bytes(entry.read_bytes())
            created.append(destination)


def new_site(directory: Path) -> Scaffolded:
    """Create a working project in ``directory`` (which must be absent or empty)."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ScaffoldError(f"{directory} already exists and is not empty; choose a new folder")
    directory.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    try:
        _copy_tree(_scaffold_files() / "starter", directory, created)
        created.extend(write_schemas(directory / "schema"))
    except OSError as exc:
        raise ScaffoldError(f"cannot write the new site into {directory}: {exc.strerror or exc}") from exc
    steps = (
        *([f"cd {directory}"] if directory.resolve() != Path.cwd().resolve() else []),
        "parkreport check      # validate the example content",
        "parkreport serve      # preview at http://127.0.0.1:8000/ while you edit",
        "parkreport new park ID --name 名称   # add your own parks and reports",
    )
    return Scaffolded(tuple(path.relative_to(directory) for path in created), steps)


def _content_dir(project_dir: Path) -> Path:
    config, _ = read_config(project_dir / "parkreport.yaml")
    content = project_dir / config.content_dir
    if not content.is_dir():
        raise ScaffoldError(f"no content folder at {content}; run this inside a project, or start one with 'parkreport new site DIR'")
    return content


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; edit it, or choose another id") from None


def _yaml_text(value: str) -> str:
    """A YAML double-quoted scalar: safe for any name or title a user types."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def new_park(project_dir: Path, park_id: str, *, name: str | None = None) -> Scaffolded:
    """Write ``content/parks/<park_id>.yaml``."""
    check_id(park_id, "park id")
    content = _content_dir(Path(project_dir))
    name = (name or "").strip() or park_id
    template = Template((_scaffold_files() / "park.yaml.tmpl").read_text(encoding="utf-8"))
    path = content / "parks" / f"{park_id}.yaml"
    if (content / "parks" / f"{park_id}.yml").exists():
        raise ScaffoldError(f"{content / 'parks' / park_id}.yml already exists; edit it, or choose another id")
    _write_new(path, template.substitute(park_id=park_id, name=_yaml_text(name)))
    steps = (f"edit {path}: name, region, industries, projects",
             f"parkreport new report {park_id}-YEAR-PERIOD --park {park_id} --title 标题   # its first report")
    return Scaffolded((path.relative_to(project_dir),), steps)


def _choose_park(content: Path, park: str | None) -> str:
    parks = sorted(p.stem for p in (content / "parks").glob("*.y*ml")) if (content / "parks").is_dir() else []
    if park is None:
        if len(parks) == 1:
            return parks[0]
        listed = ", ".join(parks) if parks else "none yet: add one with 'parkreport new park ID'"
        raise ScaffoldError(f"say which park the report is about with --park (parks: {listed})")
    check_id(park, "park id")
    if park not in parks:
        raise ScaffoldError(f"unknown park '{park}': no content/parks/{park}.yaml; add it with 'parkreport new park {park}'")
    return park


def new_report(project_dir: Path, report_id: str, *, park: str | None = None, title: str | None = None) -> Scaffolded:
    """Write ``content/reports/<report_id>.yaml`` and, if absent, a placeholder source text."""
    check_id(report_id, "report id")
    project_dir = Path(project_dir)
    content = _content_dir(project_dir)
    park_id = _choose_park(content, park)
    template = Template((_scaffold_files() / "report.yaml.tmpl").read_text(encoding="utf-8"))
    path = content / "reports" / f"{report_id}.yaml"
    source = content / "sources" / f"{report_id}.txt"
    text = template.substitute(report_id=report_id, park_id=park_id, title=_yaml_text((title or "").strip() or report_id))
    _write_new(path, text)
    created = [path]
    if not source.exists():
        _write_new(source, SOURCE_PLACEHOLDER)
        created.append(source)
        first = f"replace the placeholder in {source} with the report's cleaned text (or run 'parkreport ingest RAW_FILE --id {report_id}')"
    else:
        first = f"the source text {source} is already there"
    steps = (first, f"fill in {path}: title, date, period, then indicators, targets, project events and facts with their quotes",
             "parkreport check")
    return Scaffolded(tuple(p.relative_to(project_dir) for p in created), steps)


__all__ = ["SOURCE_PLACEHOLDER", "Scaffolded", "check_id", "new_park", "new_report", "new_site"]
