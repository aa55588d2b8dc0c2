"""Draft a report file from a source text: clean → find → render → write.

:func:`extract` is pure (text and vocabulary in, candidates out);
:func:`draft_report` adds cleaning and rendering; :func:`write_draft` is the
only function that touches the file system, and it never overwrites a
reviewed report file.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..cleaning import clean_source
from ..errors import ExtractError, IngestError
from ..load import load_raw
from ..periods import Period
from ..units import BaseUnit, UnitRegistry
from .candidates import Extraction
from .document import Document
from .draft import DraftHeader, render_draft
from .indicators import extract_figures
from .projects import extract_projects
from .vocabulary import Vocabulary

UNKNOWN_PARK = "unknown-park"
_REVIEW_LINE = re.compile(r"^review:\s*\S", re.MULTILINE)


def extract(text: str, vocabulary: Vocabulary, year: int | None = None) -> Extraction:
    """Every candidate in a cleaned source ``text``; ``year`` is the report's year if known."""
    doc = Document.prepare(text, vocabulary, year)
    projects, claimed = extract_projects(doc)
    indicators, targets = extract_figures(doc, claimed)
    return Extraction(
        indicators=tuple(indicators),
        targets=tuple(targets),
        projects=tuple(projects),
        park=vocabulary.park_for(doc.view),
        year=doc.year.year,
        year_label=doc.year.label,
    )


def report_period(extraction: Extraction, text: str) -> Period | None:
    """The period the report covers: its estimated or actual figures' most common period."""
    periods = [i.period for i in extraction.indicators if i.status != "target" and not i.period.to_date and i.confidence >= 0.5]
    if not periods:
        return None
    return max(sorted(set(periods), key=lambda p: p.code), key=periods.count)


def load_vocabulary(content_dir: Path) -> Vocabulary:
    """Metrics and parks of a content directory, even if some of its reports are broken."""
    raw = load_raw(content_dir)
    if raw.metrics is None:
        return Vocabulary()
    declared = tuple(raw.metrics.model.units)
    units = UnitRegistry(tuple(BaseUnit(u.name, u.kind, u.factor, u.en) for u in declared))
    return Vocabulary(
        metrics={m.id: m for m in raw.metrics.model.metrics},
        parks={loaded.model.id: loaded.model for loaded in raw.parks},
        units=units,
        extra_units=tuple(u.name for u in declared),
    )


@dataclass(frozen=True)
class DraftOptions:
    """What the user tells the extractor about the report."""

    report_id: str
    park: str | None = None
    published: str | None = None
    year: int | None = None
    kind: str = "other"
    title: str | None = None
    source_name: str = ""
    original_text: str = ""  # the kept original (sources/<id>.orig.*), read for metadata the cleaning moved out
    original_name: str = ""  # its file name when it is not <id>.orig.txt


@dataclass(frozen=True)
class Draft:
    """A rendered draft and what it was made from."""

    yaml: str
    cleaned_text: str
    extraction: Extraction
    park: str


def draft_report(source: str, vocabulary: Vocabulary, options: DraftOptions) -> Draft:
    """Clean ``source`` (raw or already ingested) and draft its report file."""
    cleaned = clean_source(source)
    text = cleaned.text
    found = clean_source(options.original_text).suggestions if options.original_text else cleaned.suggestions
    published = options.published or found.published or cleaned.suggestions.published or None
    year = options.year or (int(published[:4]) if published else None)
    extraction = extract(text, vocabulary, year)
    park = options.park or extraction.park or UNKNOWN_PARK
    header = DraftHeader(
        report_id=options.report_id,
        park=park,
        title=options.title or found.title or cleaned.suggestions.title or _first_line(text) or options.report_id,
        kind=options.kind,
        published=published,
        period=report_period(extraction, text),
        source_name=options.source_name,
        publisher=found.publisher or cleaned.suggestions.publisher,
        author=found.author or cleaned.suggestions.author,
        original=options.original_name,
    )
    yaml_text = render_draft(text, extraction, header)
    _check_draft(yaml_text, options.report_id)
    return Draft(yaml_text, text, extraction, park)


def _check_draft(yaml_text: str, report_id: str) -> None:
    """A draft must load as a report; a failure here is a bad option (--published) or a bug."""
    from ..model import Report
    from ..modelcheck import validate_document
    from ..yamlreader import read_yaml_text

    document = read_yaml_text(yaml_text, f"{report_id}.yaml")
    _model, problems = validate_document(document, Report, f"{report_id}.yaml")
    if problems:
        raise ExtractError("the draft does not validate: " + "; ".join(p.format() for p in problems))


@dataclass(frozen=True)
class DraftOutcome:
    """What :func:`extract_to_file` wrote, and whether the content holds the same cleaned text."""

    path: Path
    draft: Draft
    report_id: str
    source_in_content: Path
    source_matches: bool | None  # None: the content has no source text for this id yet


def extract_to_file(source: Path, content_dir: Path, options: DraftOptions, output: Path | None = None,
                    force: bool = False) -> DraftOutcome:
    """Draft the report of a source file into ``output`` (default: content/reports/<id>.yaml)."""
    from ..ingest import decode_raw

    try:
        raw, _encoding = decode_raw(source.read_bytes())
    except OSError as exc:
        raise ExtractError(f"cannot read {source}: {exc.strerror or exc}") from None
    draft = draft_report(raw, load_vocabulary(content_dir), _with_original(options, content_dir))
    path = output or content_dir / "reports" / f"{options.report_id}.yaml"
    write_draft(path, draft.yaml, force=force)
    in_content = content_dir / "sources" / (options.source_name or f"{options.report_id}.txt")
    matches = None
    if in_content.is_file():
        matches = in_content.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n") == draft.cleaned_text
    return DraftOutcome(path, draft, options.report_id, in_content, matches)


def _with_original(options: DraftOptions, content_dir: Path) -> DraftOptions:
    """Options that know the report's kept original, if ingest kept one, for its metadata and name."""
    from dataclasses import replace

    from ..ingest import decode_raw

    for suffix in (".orig.txt", ".orig.html"):
        path = content_dir / "sources" / f"{options.report_id}{suffix}"
        if path.is_file():
            try:
                original, _encoding = decode_raw(path.read_bytes())
            except (OSError, IngestError):
                return options
            name = path.name if suffix != ".orig.txt" else ""
            return replace(options, original_text=options.original_text or original,
                           original_name=options.original_name or name)
    return options


def _first_line(text: str) -> str:
    """A stand-in title when the cleaner found none: the first sentence, shortened."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    sentence = re.split(r"[。!?！？]", line, maxsplit=1)[0]
    return sentence if len(sentence) <= 60 else sentence[:59] + "…"


def write_draft(path: Path, yaml_text: str, force: bool = False) -> None:
    """Write a draft; refuse to replace a reviewed report, and a draft unless ``force``."""
    if path.exists():
        existing = path.read_text(encoding="utf-8", errors="replace")
        if not _REVIEW_LINE.search(existing):
            raise ExtractError(
                f"{path} exists and has no 'review' marker: it is a reviewed report and is never "
                "overwritten; write the draft elsewhere with -o and merge by hand"
            )
        if not force:
            raise ExtractError(f"{path} is a draft awaiting review; pass --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(yaml_text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
