"""The command line: parse options, call one library function, report.

Exit codes: 0 success, 1 bad content or a failed build, 2 bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import ContentError, ParkreportError
from .validate import load_corpus

if TYPE_CHECKING:
    from .ingest import IngestReport


def _report_problems(error: ContentError) -> None:
    for problem in error.problems:
        click.echo(problem.format(), err=True)
    click.secho(f"✗ {error}", fg="red", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="parkreport")
def main() -> None:
    """Turn Chinese industrial-park reports into a static website."""


@main.command()
@click.argument("content_dir", default="content", type=click.Path(file_okay=False, path_type=Path))
def check(content_dir: Path) -> None:
    """Validate CONTENT_DIR (default: content) and report every problem."""
    try:
        corpus = load_corpus(content_dir)
    except ContentError as error:
        _report_problems(error)
        sys.exit(1)
    except ParkreportError as error:
        raise click.ClickException(str(error)) from error
    facts = sum(len(r.indicators) + len(r.targets) + len(r.project_events) + len(r.facts) for r in corpus.reports.values())
    click.echo(
        f"✓ {content_dir}: {len(corpus.parks)} parks, {len(corpus.projects)} projects, "
        f"{len(corpus.reports)} reports, {facts} facts, {len(corpus.metrics)} metrics: no problems"
    )


@main.command()
@click.option("-o", "--output", "output", default="schema", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Directory to write the schemas into.")
def schema(output: Path) -> None:
    """Write the JSON Schema of each content file kind (for editor autocompletion)."""
    from .schema import write_schemas

    for path in write_schemas(output):
        click.echo(f"wrote {path}")


def _ingest_summary(report: IngestReport) -> str:
    counts = report.counts
    details = [
        f"{counts.pinyin_annotations_removed:,} pinyin annotations removed",
        f"{counts.garbled_characters_marked:,} garbled characters marked □",
        f"{counts.characters_converted:,} characters converted to Simplified",
        f"{report.removed_lines:,} chrome lines kept in {report.removed_path.name}",
    ]
    if counts.tags_stripped or counts.entities_decoded:
        details.insert(0, f"{counts.tags_stripped:,} HTML tags stripped, {counts.entities_decoded:,} entities decoded")
    if counts.fullwidth_normalized:
        details.append(f"{counts.fullwidth_normalized:,} full-width characters normalized")
    details.append(f"{counts.line_breaks_joined:,} line breaks joined, {counts.spaces_removed:,} spaces removed")
    return f"wrote {report.source_path} ({report.characters:,} characters; {', '.join(details)})"


@main.command()
@click.argument("raw_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "report_id", default=None, help="Report id (default: the file name as a slug).")
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Content directory to write sources into.")
@click.option("--force", is_flag=True, help="Overwrite the source files of this id if they exist.")
def ingest(raw_file: Path, report_id: str | None, content_dir: Path, force: bool) -> None:
    """Clean RAW_FILE (text or HTML) into content/sources/<id>.txt, keeping the original."""
    from .ingest import ingest as ingest_source

    try:
        report = ingest_source(raw_file, content_dir, report_id=report_id, force=force)
    except ParkreportError as error:
        raise click.ClickException(str(error)) from error
    click.echo(_ingest_summary(report))
    click.echo(f"kept the original as {report.original_path} (read as {report.encoding})")
    if report.suggestions:
        click.echo(f"suggested fields for content/reports/{report.report_id}.yaml (check before copying):")
        for key, value in report.suggestions.items():
            click.echo(f'  {key}: "{value}"')
