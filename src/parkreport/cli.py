"""The command line: parse options, call one library function, report.

Exit codes: 0 success, 1 bad content or a failed build, 2 bad usage.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .console import NORMAL, QUIET, VERBOSE, BuildProgress, Output, ServeDisplay
from .errors import BuildError, BuildStopped, ContentError, ParkreportError, Problem, ScaffoldError
from .validate import load_corpus

if TYPE_CHECKING:
    from .ingest import IngestReport
    from .scaffold import Scaffolded
    from .serve import BuildOutcome


def _report_problems(error: ContentError) -> None:
    for problem in error.problems:
        click.echo(problem.format(), err=True)
    click.secho(f"✗ {error}", fg="red", err=True)


_Command = TypeVar("_Command", bound=Callable[..., object])


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.obj = Output(QUIET if param.name == "quiet" else VERBOSE)


def verbosity_options(command: _Command) -> _Command:
    """-q/-v on a command as well as before it: 'parkreport build -q' and 'parkreport -q build'."""
    command = click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbosity,
                           help="Say more: every page written, timings.")(command)
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_verbosity,
                        help="Show only errors.")(command)


def current_output() -> Output:
    """The verbosity chosen with -q/-v (on the command or before it)."""
    return click.get_current_context().find_object(Output) or Output(NORMAL)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="parkreport")
@click.option("-q", "--quiet", is_flag=True, help="Show only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say more: every page written, timings.")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Turn Chinese industrial-park reports into a static website."""
    if quiet and verbose:
        raise click.UsageError("-q and -v contradict each other; choose one")
    ctx.obj = Output(QUIET if quiet else VERBOSE if verbose else NORMAL)


def _config_problems(project_dir: Path) -> list[Problem]:
    """Problems of the project's parkreport.yaml, checked along with the content."""
    from .config import load_config

    try:
        load_config(project_dir)
    except ContentError as error:
        return error.problems
    return []


@main.command()
@click.argument("content_dir", default="content", type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(content_dir: Path) -> None:
    """Validate CONTENT_DIR (default: content) and report every problem."""
    config_problems = _config_problems(content_dir.parent)
    try:
        corpus = load_corpus(content_dir)
    except ContentError as error:
        _report_problems(ContentError([*config_problems, *error.problems]))
        sys.exit(1)
    except ParkreportError as error:
        raise click.ClickException(str(error)) from error
    if config_problems:
        _report_problems(ContentError(config_problems))
        sys.exit(1)
    facts = sum(len(r.indicators) + len(r.targets) + len(r.project_events) + len(r.facts) for r in corpus.reports.values())
    current_output().info(
        f"✓ {content_dir}: {len(corpus.parks)} parks, {len(corpus.projects)} projects, "
        f"{len(corpus.reports)} reports, {facts} facts, {len(corpus.metrics)} metrics: no problems"
    )


def _base_url_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a malformed --base-url as a usage error (exit 2)."""
    from .render import SiteUrls

    if value is not None:
        try:
            SiteUrls(value)
        except BuildError as error:
            raise click.BadParameter(str(error)) from None
    return value


@main.command()
@click.option("--content", "content_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Content directory.  [default: content]")
@click.option("--templates", "templates_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Template overrides (missing: the built-in theme alone).  [default: templates]")
@click.option("-o", "--output", "output_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Directory the site is written to (replaced as a whole).  [default: site]")
@click.option("--base-url", default=None, callback=_base_url_option,
              help="Where the site is served: a path such as /sub/path/ or a full URL.  [default: /]")
@click.option("--no-search", is_flag=True, help="Skip the search index (faster; the search page then says it is missing).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes rendering pages.  [default: every core]")
@click.option("--no-cache", is_flag=True, help="Build from scratch, ignoring and removing the incremental build cache.")
@verbosity_options
def build(content_dir: Path | None, templates_dir: Path | None, output_dir: Path | None, base_url: str | None,
          no_search: bool, jobs: int | None, no_cache: bool) -> None:
    """Build the site from the content and templates (parkreport.yaml sets the defaults)."""
    from .build import build_site
    from .config import load_config
    from .console import BuildProgress, pages_line

    output = current_output()
    progress = BuildProgress(output)
    try:
        config = load_config(".")
        result = build_site(
            content_dir or Path(config.content_dir),
            output_dir or Path(config.output_dir),
            templates_dir=templates_dir or Path(config.templates_dir),
            base_url=base_url or config.base_url,
            on_event=progress,
            config=config,
            search=not no_search,
            jobs=jobs,
            incremental=not no_cache,
        )
    except ContentError as error:
        progress.finish()
        _report_problems(error)
        sys.exit(1)
    except BuildError as error:
        progress.finish()
        for detail in error.details:
            output.error(detail)
        raise click.ClickException(str(error)) from error
    progress.finish()
    files = result.files
    output.info(
        f"✓ built {result.output_dir}: {pages_line(result.pages_by_kind)}; {files.files} files "
        f"({files.written} written, {files.unchanged} unchanged, {files.removed} removed) in {result.seconds:.2f}s"
    )
    output.detail(f"  pages rendered: {result.rendered} (the others kept from the last build)")
    if result.search is not None:
        output.info(f"  search index: {result.search.pages} pages in {result.search.seconds:.2f}s")
    for stage, seconds in result.timings.items():
        output.detail(f"  {stage}: {seconds:.3f}s")


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
            click.echo(f"  {key}: {json.dumps(value, ensure_ascii=False)}")  # a valid YAML string
    click.echo("next: draft the report file from it (extract copies these fields), then review it:")
    click.echo(f"  parkreport extract {report.source_path} --park PARK_ID --kind KIND")


# -- new site | park | report -------------------------------------------------


def _id_argument(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a bad id as a usage error (exit 2) before anything is written."""
    from .scaffold import check_id

    if value is None:
        return None
    try:
        return check_id(value, param.human_readable_name.lower().replace("_", " "))
    except ScaffoldError as error:
        raise click.BadParameter(str(error)) from None


def _show_scaffolded(done: Scaffolded, where: Path) -> None:
    output = current_output()
    for path in done.created:
        output.detail(f"  created {where / path}")
    output.info(f"✓ created {len(done.created)} file{'s' if len(done.created) != 1 else ''} in {where}", fg="green")
    if done.next_steps:
        output.info("next:")
        for step in done.next_steps:
            output.info(f"  {step}")


_PROJECT_OPTION = click.option(
    "--project", "project_dir", default=".", show_default=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Project folder (holding parkreport.yaml and content/).",
)


@main.group()
def new() -> None:
    """Start a site, or add a park or a report to this one."""


@new.command("site")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@verbosity_options
def new_site_command(directory: Path) -> None:
    """Create a working project in DIRECTORY: configuration, metric vocabulary, an example park and report."""
    from .scaffold import new_site

    try:
        done = new_site(directory)
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from error
    _show_scaffolded(done, directory)


@new.command("park")
@click.argument("park_id", metavar="ID", callback=_id_argument)
@click.option("--name", default=None, help="Official Chinese name of the park (default: the id; edit it later).")
@_PROJECT_OPTION
@verbosity_options
def new_park_command(park_id: str, name: str | None, project_dir: Path) -> None:
    """Add content/parks/ID.yaml."""
    from .scaffold import new_park

    try:
        done = new_park(project_dir, park_id, name=name)
    except ContentError as error:
        _report_problems(error)
        sys.exit(1)
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from error
    _show_scaffolded(done, project_dir)


@new.command("report")
@click.argument("report_id", metavar="ID", callback=_id_argument)
@click.option("--park", "park_id", default=None, callback=_id_argument, help="Id of the park it reports on (default: the only park).")
@click.option("--title", default=None, help="Title of the document (default: the id; edit it later).")
@_PROJECT_OPTION
@verbosity_options
def new_report_command(report_id: str, park_id: str | None, title: str | None, project_dir: Path) -> None:
    """Add content/reports/ID.yaml (and a placeholder source text if there is none)."""
    from .scaffold import new_report

    try:
        done = new_report(project_dir, report_id, park=park_id, title=title)
    except ContentError as error:
        _report_problems(error)
        sys.exit(1)
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from error
    _show_scaffolded(done, project_dir)


# -- serve ----------------------------------------------------------------------


MAX_ERROR_LINES = 40  # a template typo can break every page: show the first few


def site_build(project: Path, content_dir: Path, templates_dir: Path, output_dir: Path,
               base_url: str | None, output: Output, *, search: bool = True,
               stopping: threading.Event | None = None) -> Callable[[], BuildOutcome]:
    """One whole build for the dev server; parkreport.yaml is re-read each time so edits to it apply.

    Once ``stopping`` is set, a build in progress gives up at its next page or
    stage, or while Pagefind indexes, so that the server stops at once and
    leaves nothing behind.
    """
    from .build import build_site
    from .config import load_config
    from .console import pages_line
    from .serve import BuildOutcome

    progress = BuildProgress(output, interactive=False) if output.verbose else None

    def build() -> BuildOutcome:
        try:
            config = load_config(project).with_overrides(base_url=base_url)
            result = build_site(content_dir, output_dir, templates_dir=templates_dir, base_url=config.base_url,
                                on_event=progress, config=config, search=search, stop=stopping)
        except BuildStopped as stopped:
            return BuildOutcome(ok=False, error=str(stopped))
        except ContentError as error:
            return BuildOutcome(ok=False, error="\n".join([*(p.format() for p in error.problems), str(error)]))
        except BuildError as error:
            details = error.details[:MAX_ERROR_LINES]
            if len(error.details) > len(details):
                details.append(f"… and {len(error.details) - len(details)} more")
            return BuildOutcome(ok=False, error="\n".join([str(error), *details]))
        except ParkreportError as error:
            return BuildOutcome(ok=False, error=str(error))
        return BuildOutcome(ok=True, summary=f"{pages_line(result.pages_by_kind)} in {result.seconds:.2f}s")

    return build


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 exposes the site to your network).")
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
@click.option("--content", "content_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Content directory.  [default: from parkreport.yaml, content]")
@click.option("--templates", "templates_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Template overrides.  [default: from parkreport.yaml, templates]")
@click.option("--base-url", default=None, help="Override parkreport.yaml's base_url; the site is served under its path.")
@click.option("--search/--no-search", default=True, show_default=True,
              help="Index the pages for the search page on every build (--no-search rebuilds faster).")
@verbosity_options
def serve(host: str, port: int, content_dir: Path | None, templates_dir: Path | None, base_url: str | None,
          search: bool) -> None:
    """Build, serve on localhost, rebuild when content or templates change, reload open pages."""
    from .config import CONFIG_FILE, SiteConfig, read_config
    from .scratch import private_folder
    from .serve import DevServer

    project = Path(".")
    try:
        config = read_config(project / CONFIG_FILE)[0]
    except ContentError:  # shown by the first build, which keeps being retried as the file changes
        config = SiteConfig()
    try:
        base_path = config.with_overrides(base_url=base_url).base_path
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--base-url'") from None
    content_dir = content_dir or project / config.content_dir
    templates_dir = templates_dir or project / config.templates_dir
    if not content_dir.is_dir():
        raise click.ClickException(f"no content folder at {content_dir}; run this in a project, or start one with 'parkreport new site DIR'")
    # Build into a private folder: the published site/ is left alone.
    with private_folder("parkreport-serve-") as scratch:
        stopping = threading.Event()
        build = site_build(project, content_dir, templates_dir, scratch / "site", base_url, current_output(),
                           search=search, stopping=stopping)
        server = DevServer(build, scratch / "site", [content_dir, templates_dir, project / CONFIG_FILE],
                           host=host, port=port, base_path=base_path, on_event=ServeDisplay(current_output()),
                           stopping=stopping)
        previous: dict[int, Any] = {}
        try:
            _stop_on_termination(previous)
            server.start()
            server.wait()
        except KeyboardInterrupt:
            pass
        except OSError as error:
            raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror or error}; "
                                       "try another --port") from error
        finally:
            server.stop()  # sets stopping: a rebuild in progress gives up, and nothing writes into the folder once it goes
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def _termination_signals() -> list[int]:
    return [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]  # no SIGHUP on Windows


def _interrupt(signum: int, frame: object) -> None:
    """Stop as Ctrl-C does, once: a second signal (a closed terminal may send two) must not cut the stop short."""
    for other in _termination_signals():
        signal.signal(other, signal.SIG_IGN)
    raise KeyboardInterrupt


def _stop_on_termination(previous: dict[int, Any]) -> None:
    """Make SIGTERM (``kill``, a service manager) and SIGHUP (the terminal closed) stop the server as Ctrl-C does.

    Their default ends the process at once, leaving the private build folder
    behind. A signal the server was started with ignored (``nohup``) stays
    ignored, and so does one whose handler Python cannot put back (set
    outside Python). ``previous`` gets each handler replaced, as it is
    replaced, to be put back.
    """
    for signum in _termination_signals():
        handler = signal.getsignal(signum)
        if handler is None or handler == signal.SIG_IGN:
            continue
        try:
            signal.signal(signum, _interrupt)
        except ValueError:  # not the main thread (an embedding program): leave the defaults
            return
        previous[signum] = handler


# -- extract ------------------------------------------------------------------


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Draft file to write (default: CONTENT/reports/<id>.yaml).")
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Content directory (metrics, parks, reports).")
@click.option("--id", "report_id", default=None, help="Report id (default: the source file name as a slug).")
@click.option("--park", "park_id", default=None, help="Park id (default: the declared park the text names most).")
@click.option("--published", default=None, help="Publication date YYYY-MM-DD, YYYY-MM or YYYY; sets the year of 今年.")
@click.option("--year", type=click.IntRange(1949, 2100), default=None, help="The report's year, if not published.")
@click.option("--kind", type=click.Choice(["news", "work_summary", "speech", "interview", "plan", "other"]),
              default="other", show_default=True, help="Kind of document.")
@click.option("--force", is_flag=True, help="Replace an earlier draft (a reviewed report is never replaced).")
def extract(source: Path, output: Path | None, content_dir: Path, report_id: str | None, park_id: str | None,
            published: str | None, year: int | None, kind: str, force: bool) -> None:
    """Draft a report file from SOURCE (raw or ingested) for a person to review."""
    from .extract import DraftOptions, extract_to_file
    from .ingest import check_report_id, default_report_id

    try:
        report_id = check_report_id(report_id or default_report_id(source))
        outcome = extract_to_file(source, content_dir, DraftOptions(report_id, park_id, published, year, kind),
                                  output=output, force=force)
    except ParkreportError as error:
        raise click.ClickException(str(error)) from error
    extraction = outcome.draft.extraction
    click.echo(f"wrote {outcome.path}: {extraction.summary()}")
    if outcome.source_matches is None:
        click.echo(f"note: quotes refer to the cleaned text; run 'parkreport ingest {source} --id {report_id}' "
                   f"so that {outcome.source_in_content} exists", err=True)
    elif not outcome.source_matches:
        click.echo(f"note: {outcome.source_in_content} differs from the cleaned SOURCE; "
                   "quotes may not be found until it is ingested again", err=True)
    click.echo("review every entry against the source, then delete the 'review' line; 'parkreport check' lists it until then")
