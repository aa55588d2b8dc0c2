"""parkreport: Chinese industrial-park reports as a static website.

The pipeline, one module a stage: load → validate → derive → plan pages →
render → write → post-process.
"""

from __future__ import annotations

from .build import BuildEvent, BuildResult, build_site
from .cleaning import CleanResult, clean_source
from .config import SiteConfig, load_config
from .corpus import Corpus
from .derive import Derived, derive
from .errors import (
    BuildError,
    BuildLockedError,
    ContentError,
    ExtractError,
    IngestError,
    ParkreportError,
    Problem,
    ScaffoldError,
)
from .ingest import IngestReport, ingest
from .periods import Period, parse_period
from .scaffold import Scaffolded, new_park, new_report, new_site
from .schema import json_schemas
from .validate import load_corpus

__version__ = "0.1.0"

__all__ = [
    "BuildError",
    "BuildEvent",
    "BuildLockedError",
    "BuildResult",
    "CleanResult",
    "ContentError",
    "Corpus",
    "Derived",
    "ExtractError",
    "IngestError",
    "IngestReport",
    "ParkreportError",
    "Period",
    "Problem",
    "ScaffoldError",
    "Scaffolded",
    "SiteConfig",
    "build_site",
    "clean_source",
    "derive",
    "ingest",
    "json_schemas",
    "load_config",
    "load_corpus",
    "new_park",
    "new_report",
    "new_site",
    "parse_period",
    "__version__",
]
