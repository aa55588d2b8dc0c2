"""parkreport: Chinese industrial-park reports as a static website.

The pipeline, one module a stage: load → validate → derive → plan pages →
render → write → post-process.
"""

from __future__ import annotations

from .build import BuildEvent, BuildResult, build_site
from .cleaning import CleanResult, clean_source
from .config import SiteConfig, load_config
from .corpus import Corpus
from .errors import BuildError, BuildLockedError, ContentError, IngestError, ParkreportError, Problem, ScaffoldError
from .periods import Period, parse_period
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
    "IngestError",
    "ParkreportError",
    "Period",
    "Problem",
    "ScaffoldError",
    "SiteConfig",
    "build_site",
    "clean_source",
    "load_config",
    "load_corpus",
    "parse_period",
    "__version__",
]
