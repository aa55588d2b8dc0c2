"""Post-process: index the rendered site for full-text search with Pagefind.

Pagefind reads the built HTML and writes a static search bundle (index
chunks, page fragments and its own UI scripts) into ``pagefind/``; the
browser then searches without any server. Only Pagefind's *extended* build
segments Chinese into words, so that is the one required (PyPI
``pagefind[extended]``, which ships the ``pagefind_extended`` binary; nothing
is downloaded at build time).

What is indexed is decided by the templates: the theme marks the main
content of park, park-year, year, metric, project and report pages with
``data-pagefind-body`` (so navigation, footer and list pages stay out) and
lists each park's, project's and metric's other names on its page
(``theme/templates/partials/search_terms.html``).

Two word splitters meet in a search. Pagefind cuts the pages into words with
jieba at build time; the browser cuts the query with its own dictionary
(``Intl.Segmenter``), which splits names it does not know into characters
(濮阳 -> 濮/阳, 规上工业总产值 -> 规/上/工业/总/产值). Every query word that
occurs anywhere in the index must begin a word of a page for the page to be
found. So before indexing, each page that mentions a known name (a park,
project or metric name or alias, see :func:`search_names`) gets the endings
of that name as one more, lightly weighted, indexed region: 上工业总产值,
工业总产值, 总产值, 产值 and so on. The region is added only to the copy
Pagefind reads; the published pages are unchanged.

The index is built from the in-memory site in a scratch directory and handed
back as files, so it becomes part of the same atomic write as the pages.

Reproducibility: since Pagefind 1.3 the page fragments and word index are
byte-identical for identical input, but some files are still written in
hash-map order (Pagefind issue #638). The *filter* index is one, so a page
with ``data-pagefind-filter`` makes every build differ: the theme uses no
filters. ``pagefind-entry.json`` is another when the site has pages in more
than one language: its keys are sorted here. Tests hold two builds of the
example to the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .corpus import Corpus
from .errors import BuildError, BuildStopped
from .scratch import private_folder

#: Where the bundle goes in the site; the search page loads its UI from here.
SEARCH_DIR = "pagefind"
#: Environment variable naming a Pagefind binary to use instead of the installed one.
BINARY_VARIABLE = "PAGEFIND_BINARY_PATH"
#: Prefix of the private folder, in the temporary folder, where Pagefind indexes a copy of the pages.
SCRATCH_PREFIX = "parkreport-search-"
#: Seconds after which indexing is given up (a hung binary must not hang the build).
TIMEOUT_SECONDS = 600
_CHINESE_NAME = re.compile(r"[\u3400-\u9fff]{3,}")  # names given endings: three or more Chinese characters
#: Weight of the endings region: enough to match, too little to win the excerpt.
ENDINGS_WEIGHT = 0.5
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


def search_names(corpus: Corpus) -> tuple[str, ...]:
    """The Chinese names a reader may search by: parks, projects and metrics with their other names.

    Only names of three or more Chinese characters and nothing else: a
    two-character name has no ending worth adding, and a name with Latin
    letters or digits is split by both sides alike.
    """
    names: list[str] = []
    for park in corpus.parks.values():
        names += [park.name, *park.aliases]
    for project in corpus.projects.values():
        names += [project.name, *project.aliases, project.investor]
    for metric in corpus.metrics.values():
        names += [metric.zh, metric.zh_short, *metric.synonyms]
    return tuple(sorted({name for name in names if _CHINESE_NAME.fullmatch(name)}))


def name_endings(name: str) -> list[str]:
    """The endings of a name from its second character on: 工业总产值 -> 业总产值, 总产值, 产值.

    Every part of two or more characters begins one of them or the name
    itself, so a query word taken from the name finds it (Pagefind matches a
    query word against the beginnings of indexed words). The last character
    alone is left out: as a word of its own on every page that mentions the
    name, it would match queries that merely contain that character.
    """
    return [name[start:] for start in range(1, len(name) - 1)]


def names_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern finding the names in a text, longest first (a shorter name inside is covered by its endings)."""
    if not names:
        return None
    return re.compile("|".join(re.escape(name) for name in sorted(names, key=lambda name: (-len(name), name))))


def with_name_endings(html: str, names: re.Pattern[str] | None) -> str:
    """``html`` with the endings of every name it mentions as one more, lightly weighted, indexed region.

    This is the copy Pagefind reads; the published page is not changed. Only
    a page already marked ``data-pagefind-body`` gets the region (a page
    without it is not indexed at all).
    """
    if names is None or "data-pagefind-body" not in html:
        return html
    found = sorted({match.group(0) for match in names.finditer(html)})
    endings = [ending for name in found for ending in name_endings(name)]
    if not endings:
        return html
    region = f'<div data-pagefind-body data-pagefind-weight="{ENDINGS_WEIGHT}">{" ".join(endings)}</div>'
    at = html.rfind("</body>")
    return html[:at] + region + html[at:] if at >= 0 else html + region


def index_site(files: Mapping[str, bytes], *, names: Sequence[str] = (), binary: Path | None = None,
               stop: threading.Event | None = None) -> SearchIndex:
    """Index the HTML pages of ``files`` (site-relative path -> bytes) with Pagefind.

    ``names`` (see :func:`search_names`) are given their endings on every
    page that mentions them, so that a query split differently from the
    page still finds it (see the module docstring).

    Result URLs are site paths (``/parks/puyang/``); the search page adds the
    base path in the browser, so the same index works under any ``--base-url``.

    Once ``stop`` is set, indexing gives up (Pagefind is ended) and raises
    :class:`BuildStopped`; its copy of the pages goes with it.
    """
    started = time.perf_counter()
    executable = binary or pagefind_binary()
    pattern = names_pattern(names)
    with private_folder(SCRATCH_PREFIX) as scratch:
        site, bundle = scratch / "site", scratch / "bundle"
        for name in sorted(files):
            if name.endswith(".html"):
                if stop is not None and stop.is_set():
                    raise BuildStopped
                target = site / name
                target.parent.mkdir(parents=True, exist_ok=True)
                html = files[name].decode("utf-8", errors="replace")
                target.write_text(with_name_endings(html, pattern), encoding="utf-8")
        _run_pagefind(executable, site, bundle, stop)
        bundle_files = {
            f"{SEARCH_DIR}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file()
        }
    entry = f"{SEARCH_DIR}/pagefind-entry.json"
    if entry in bundle_files:
        bundle_files[entry] = _ordered_entry(bundle_files[entry])
    pages = sum(1 for name in bundle_files if name.endswith(".pf_fragment"))
    return SearchIndex(bundle_files, pages, time.perf_counter() - started)


def _ordered_entry(entry: bytes) -> bytes:
    """``pagefind-entry.json`` with its keys in a fixed order.

    Pagefind writes the languages of a multilingual site in hash-map order,
    which differs from run to run; the browser reads the file as JSON, so
    sorting its keys changes nothing but the bytes.
    """
    data = json.loads(entry)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _run_pagefind(executable: Path, site: Path, bundle: Path, stop: threading.Event | None = None) -> None:
    command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--quiet"]
    if not os.access(executable, os.X_OK) or not executable.is_file():
        raise BuildError(f"the Pagefind binary {executable} could not be run; {_INSTALL_HINT}")
    try:
        finished = _finished(dying_with_this_process(command), stop)
    except FileNotFoundError:
        raise BuildError(f"the Pagefind binary {executable} could not be run; {_INSTALL_HINT}") from None
    failed = finished.returncode != 0 or not (bundle / "pagefind-entry.json").is_file()
    if failed and stop is not None and stop.is_set():  # Ctrl-C reaches Pagefind too: it ended on its own
        raise BuildStopped
    if finished.returncode == _CANNOT_RUN and finished.stderr.startswith("cannot run "):
        raise BuildError(f"the Pagefind binary {executable} could not be run; {_INSTALL_HINT}",
                         finished.stderr.strip().splitlines()[-1:])
    if failed:
        output = (finished.stderr + finished.stdout).strip().splitlines()
        raise BuildError(f"search indexing failed (Pagefind exited with {finished.returncode})", output[-20:])


def _finished(command: list[str], stop: threading.Event | None) -> subprocess.CompletedProcess[str]:
    """Run ``command`` to its end, its output captured; ended early when it overruns or ``stop`` is set.

    Whatever else ends the wait (Ctrl-C, a signal the dev server turns into
    an exception) ends the command too, as ``subprocess.run`` does.
    """
    deadline = time.monotonic() + TIMEOUT_SECONDS
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        try:
            while True:
                try:
                    # No output is lost when the wait times out: communicate() picks up where it left off.
                    stdout, stderr = process.communicate(timeout=STOP_POLL_SECONDS if stop is not None else TIMEOUT_SECONDS)
                    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
                except subprocess.TimeoutExpired:
                    if stop is not None and stop.is_set():
                        raise BuildStopped from None
                    if time.monotonic() >= deadline:
                        raise BuildError(f"search indexing took longer than {TIMEOUT_SECONDS}s and was stopped") from None
        except BaseException:
            process.kill()
            process.communicate()
            raise


STOP_POLL_SECONDS = 0.1  # how often a running Pagefind is checked for a stop


# Run in a new Python before Pagefind replaces it: ask the kernel to kill this
# process when the build that started it ends (PR_SET_PDEATHSIG, kept across
# exec), then check that the build had not ended already.
_DIE_WITH_PARENT = """\
import ctypes, os, sys
ctypes.CDLL(None, use_errno=True).prctl(1, 9)
if os.getppid() != int(sys.argv[1]):
    os._exit(1)
try:
    os.execv(sys.argv[2], sys.argv[2:])
except OSError as error:
    sys.stderr.write(f"cannot run {sys.argv[2]}: {error}\\n")
    os._exit(127)
"""
_CANNOT_RUN = 127  # the exit status of that step when Pagefind cannot be started (as a shell's)


def dying_with_this_process(command: list[str]) -> list[str]:
    """``command``, started so that it is killed when this process ends, killed or not (Linux).

    A build killed while indexing (SIGKILL, the OOM killer) would otherwise
    leave Pagefind running on, writing into a folder the next build removes.
    The kernel sends the signal when the *thread* that started the command
    ends: start it from a thread that waits for it (as :func:`_finished` does).
    Elsewhere ``command`` is returned as it is.
    """
    if not sys.platform.startswith("linux") or not sys.executable:
        return command
    return [sys.executable, "-I", "-S", "-c", _DIE_WITH_PARENT, str(os.getpid()), *command]
