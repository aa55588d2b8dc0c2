"""Post-process: index the rendered site for full-text search with Pagefind.

Pagefind reads the built HTML and writes a static search bundle (index
chunks, page fragments and its own UI scripts) into ``pagefind/``; the
browser then searches without any server. Only Pagefind's *extended* build
segments Chinese into words, so that is the one required (PyPI
``pagefind[extended]``, which ships the ``pagefind_extended`` binary; nothing
is downloaded at build time).

What is indexed is decided by the templates, not here: the theme marks the
main content of park, park-year, year, metric, project and report pages with
``data-pagefind-body`` (so navigation, footer and list pages stay out) and
lists aliases, synonyms and the endings of Chinese names in a visually hidden
block, so that queries by another name or by the browser's own word split
find the page (see ``theme/templates/partials/search_terms.html``).

The index is built from the in-memory site in a scratch directory and handed
back as files, so it becomes part of the same atomic write as the pages.

Reproducibility: since Pagefind 1.3 the page fragments and word index are
byte-identical for identical input, but its *filter* index is still written
in hash-map order (Pagefind issue #638), so a page with
``data-pagefind-filter`` makes every build differ. The theme therefore uses
no filters, and a test holds two builds of the example to the same bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

#: Where the bundle goes in the site; the search page loads its UI from here.
SEARCH_DIR = "pagefind"
#: Environment variable naming a Pagefind binary to use instead of the installed one.
BINARY_VARIABLE = "PAGEFIND_BINARY_PATH"
#: Seconds after which indexing is given up (a hung binary must not hang the build).
TIMEOUT_SECONDS = 600
_INSTALL_HINT = "install it with: pip install 'pagefind[extended]' (or build without search)"


@dataclass(frozen=True)
class SearchIndex:
    """The search bundle of a site: its files (paths under ``pagefind/``) and what it cost."""

    files: dict[str, bytes]
    pages: int  # pages Pagefind indexed (one fragment each)
    seconds: float


def pagefind_binary() -> Path:
    """The Pagefind extended binary: ``$PAGEFIND_BINARY_PATH``, the PyPI package's, or one on PATH.

    The standard (non-extended) binary is never chosen on its own: it indexes
    Chinese text as one long word per sentence, which finds almost nothing.
    """
    configured = os.environ.get(BINARY_VARIABLE, "").strip()
    if configured:
        if not Path(configured).is_file():
            raise BuildError(f"{BINARY_VARIABLE} names '{configured}', which is not a file")
        return Path(configured)
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]
    except ImportError:
        found = shutil.which("pagefind_extended")
        if found is None:
            raise BuildError(f"search indexing needs Pagefind's extended build; {_INSTALL_HINT}") from None
        return Path(found)
    return Path(get_executable())


def index_site(files: Mapping[str, bytes], *, binary: Path | None = None) -> SearchIndex:
    """Index the HTML pages of ``files`` (site-relative path -> bytes) with Pagefind.

    Result URLs are site paths (``/parks/puyang/``); the search page adds the
    base path in the browser, so the same index works under any ``--base-url``.
    """
    started = time.perf_counter()
    executable = binary or pagefind_binary()
    with tempfile.TemporaryDirectory(prefix="parkreport-search-") as scratch:
        site, bundle = Path(scratch) / "site", Path(scratch) / "bundle"
        for name in sorted(files):
            if name.endswith(".html"):
                target = site / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(files[name])
        _run_pagefind(executable, site, bundle)
        bundle_files = {
            f"{SEARCH_DIR}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file()
        }
    pages = sum(1 for name in bundle_files if name.endswith(".pf_fragment"))
    return SearchIndex(bundle_files, pages, time.perf_counter() - started)


def _run_pagefind(executable: Path, site: Path, bundle: Path) -> None:
    command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--quiet"]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except FileNotFoundError:
        raise BuildError(f"the Pagefind binary {executable} could not be run; {_INSTALL_HINT}") from None
    except subprocess.TimeoutExpired:
        raise BuildError(f"search indexing took longer than {TIMEOUT_SECONDS}s and was stopped") from None
    if finished.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        output = (finished.stderr + finished.stdout).strip().splitlines()
        raise BuildError(f"search indexing failed (Pagefind exited with {finished.returncode})", output[-20:])
