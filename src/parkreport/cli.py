"""The command line: parse options, call one library function, report.

Exit codes: 0 success, 1 bad content or a failed build, 2 bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import ContentError, ParkreportError
from .validate import load_corpus


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
