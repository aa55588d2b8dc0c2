"""Draft extraction: a report file drafted from a source text, for a person to review.

The stages, one module each: :mod:`.text` (a matching view of the text),
:mod:`.numbers` (figures), :mod:`.periods` (periods from context),
:mod:`.vocabulary` and :mod:`.metricmatch` (metric and project names from the
content), :mod:`.indicators`, :mod:`.projects` and :mod:`.statuses` (the
rules), :mod:`.draft` (the YAML draft) and :mod:`.pipeline` (clean → find →
render → write). Everything is offline and deterministic.
"""

from __future__ import annotations

from .candidates import UNKNOWN_METRIC, Extraction
from .pipeline import (
    Draft,
    DraftOptions,
    DraftOutcome,
    draft_report,
    extract,
    extract_to_file,
    load_vocabulary,
    write_draft,
)
from .vocabulary import Vocabulary

__all__ = [
    "UNKNOWN_METRIC",
    "Draft",
    "DraftOptions",
    "DraftOutcome",
    "Extraction",
    "Vocabulary",
    "draft_report",
    "extract",
    "extract_to_file",
    "load_vocabulary",
    "write_draft",
]
