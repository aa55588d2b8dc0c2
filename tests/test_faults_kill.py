"""A build killed with SIGKILL at any moment keeps a complete site, and the next build is correct.

Two kinds of trials on a copy of the shipped example:

- at random moments (seeded): ``KILL_TRIALS`` builds of the example are
  killed after a random delay spread over a whole build, so that every
  stage (load, render, check, search, write) is hit. Set
  ``PARKREPORT_KILL_TRIALS`` to run more (``.ci/run`` runs 60);
- at each file-system step of replacing the site: the build kills itself on
  the Nth rename or tree removal, where a random delay would rarely land,
  and once search indexing has run.

After each kill the site must be byte-identical to the previous build, or to
the complete new one; the next build must succeed, equal a clean build and
leave no temporary folder behind, beside the site or in the system's (where
it removes the copy of the pages a killed build indexed from).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults import build_command, build_env, copy_example, leftovers, run_build, snapshot

KILL_TRIALS = int(os.environ.get("PARKREPORT_KILL_TRIALS", "4"))
SEED = 20261124

# Alternating the base URL changes every page, so each build really replaces the site.
VARIANTS = ("/", "/other/")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the example for every trial of the module."""
    return copy_example(tmp_path_factory.mktemp("example"))


def _project(example: Path, target: Path) -> Path:
    shutil.copytree(example, target, ignore=shutil.ignore_patterns("site*", ".site*"))
    return target


@pytest.fixture(scope="module")
def reference(example: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, str]], float]:
    """A clean build of each variant, and how long one build takes."""
    project = _project(example, tmp_path_factory.mktemp("reference") / "project")
    sites = {}
    started = time.monotonic()
    for variant in VARIANTS:
        result = run_build(project, output=f"site{len(sites)}", base_url=variant)
        assert result.returncode == 0, result.stderr
        sites[variant] = snapshot(project / f"site{len(sites)}")
    return sites, (time.monotonic() - started) / len(VARIANTS)


def _after_kill(project: Path, sites: dict[str, dict[str, str]], old: str, new: str, *, retired_allowed: bool = False) -> str:
    """Check the site left by a killed build; rebuild; return what the site holds now."""
    left = snapshot(project / "site")
    if not left and retired_allowed:  # two renames: killed between them, the old site waits in its retired folder
        left = next(snapshot(p / "site") for p in project.glob(".site.old-*") if (p / "site").is_dir())
    assert left in (sites[old], sites[new]), "the killed build left a site that is neither the old nor the new one"
    result = run_build(project, base_url=new)
    assert result.returncode == 0, result.stderr
    assert snapshot(project / "site") == sites[new]
    assert leftovers(project) == []
    assert sorted(p.name for p in Path(os.environ["TMPDIR"]).iterdir()) == [], "a folder was left in the temporary folder"
    return "old" if left == sites[old] else "new"


@pytest.fixture(autouse=True)
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder of every build these tests run."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def test_faults_kill_at_random_moments_never_loses_the_site(
    tmp_path: Path, example: Path, reference: tuple[dict[str, dict[str, str]], float]
) -> None:
    sites, build_seconds = reference
    project = _project(example, tmp_path / "project")
    assert run_build(project, base_url=VARIANTS[0]).returncode == 0
    chance = random.Random(SEED)
    outcomes = {"old": 0, "new": 0}
    for trial in range(KILL_TRIALS):
        old, new = VARIANTS[trial % 2], VARIANTS[(trial + 1) % 2]
        build = subprocess.Popen(build_command(base_url=new), cwd=project, env=build_env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.0, build_seconds * 1.1))
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        kept = _after_kill(project, sites, old, new)
        outcomes[kept] += 1
    # the report of the test run: how many kills left the old site and how many came after the swap
    print(f"kill trials: {KILL_TRIALS}, old site kept: {outcomes['old']}, new site complete: {outcomes['new']}, lost: 0")
    assert sum(outcomes.values()) == KILL_TRIALS


# The build kills itself at the Nth call of one file-system operation of the writer.
_SUICIDE = """
import os, shutil, signal, sys
import parkreport.write as write
name, nth, fallback = sys.argv[1], int(sys.argv[2]), sys.argv[4] == "fallback"
module = shutil if name == "rmtree" else os
real = getattr(module, name, None)
calls = 0
def dying(*args, **kwargs):
    global calls
    calls += 1
    if calls == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
if real is not None:
    setattr(module, name, dying)
if name == "search":  # killed once Pagefind has indexed the copy of the pages
    import parkreport.search as search
    real_run = search._run_pagefind
    def dying_run(*args, **kwargs):
        real_run(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    search._run_pagefind = dying_run
if fallback:
    write.exchange_paths = lambda first, second: False
elif hasattr(write, "exchange_paths"):
    real_exchange = write.exchange_paths
    def dying_exchange(*args, **kwargs):
        result = real_exchange(*args, **kwargs)
        if name == "exchange":
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    write.exchange_paths = dying_exchange
from parkreport.cli import main
sys.argv = ["parkreport", "-q", "build", "--base-url", sys.argv[3]]
main()
"""

STEPS = [("replace", 1), ("replace", 2), ("rmtree", 1), ("exchange", 1), ("search", 1)]
MODES = ["exchange", "fallback"]  # fallback: a system without an atomic exchange, two renames


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("operation", "nth"), STEPS, ids=[f"{op}-{n}" for op, n in STEPS])
def test_faults_kill_at_each_step_of_the_swap(
    tmp_path: Path, example: Path, reference: tuple[dict[str, dict[str, str]], float], operation: str, nth: int,
    mode: str,
) -> None:
    sites, _ = reference
    project = _project(example, tmp_path / "project")
    assert run_build(project, base_url=VARIANTS[0]).returncode == 0
    killed = subprocess.run([sys.executable, "-c", _SUICIDE, operation, str(nth), VARIANTS[1], mode], cwd=project,
                            env=build_env(), capture_output=True, text=True, timeout=300, check=False)
    assert killed.returncode in (0, -signal.SIGKILL), killed.stderr
    if operation == "search":
        assert killed.returncode == -signal.SIGKILL
    _after_kill(project, sites, VARIANTS[0], VARIANTS[1], retired_allowed=mode == "fallback")
