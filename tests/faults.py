"""Helpers of the fault tests: a copy of the example project, tree snapshots, builds as subprocesses."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"


def copy_example(target: Path) -> Path:
    """The shipped example (content, templates, parkreport.yaml) copied into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copytree(ROOT / "templates", target / "templates")
    shutil.copy(ROOT / "parkreport.yaml", target / "parkreport.yaml")
    return target


def snapshot(tree: Path) -> dict[str, str]:
    """Every file of ``tree`` by relative path, with the SHA-256 of its bytes."""
    if not tree.is_dir():
        return {}
    return {
        path.relative_to(tree).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(tree.rglob("*"))
        if path.is_file()
    }


def build_command(output: str = "site", base_url: str = "/") -> list[str]:
    return [sys.executable, "-m", "parkreport", "-q", "build", "-o", output, "--base-url", base_url]


def build_env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": "0"}


def run_build(project: Path, output: str = "site", base_url: str = "/") -> subprocess.CompletedProcess[str]:
    return subprocess.run(build_command(output, base_url), cwd=project, env=build_env(), capture_output=True, text=True, check=False,
                          timeout=300)


def leftovers(project: Path, output: str = "site") -> list[str]:
    """Temporary siblings a build leaves beside its output (staging or retired trees)."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith((f".{output}.new-", f".{output}.old-")))
