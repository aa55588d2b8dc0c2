"""A real full disk: the output on a small tmpfs, mounted in a private user and mount namespace.

``unshare -rm`` gives the test its own mount table without root; inside it a
2 MB tmpfs holds the output. After a good build the disk is filled up to a
little room, and a build that must rewrite every page runs out of space: it
must exit 1 naming the full disk, keep the old site byte for byte, and leave
no temporary folder. Once room is made, the next build succeeds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

_INSIDE = r"""
import hashlib, json, os, subprocess, sys
from pathlib import Path
disk, content = Path(sys.argv[1]), sys.argv[2]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], check=True)

def build(base_url):
    command = [sys.executable, "-m", "parkreport", "build", "--no-search", "--no-cache", "--content", content,
               "-o", str(disk / "site"), "--base-url", base_url]
    return subprocess.run(command, capture_output=True, text=True, check=False)

def tree():
    site = disk / "site"
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}

first = build("/")
before = tree()
with open(disk / "filler", "wb") as filler:  # leave about 64 KB free: far less than a site
    stats = os.statvfs(disk)
    filler.write(b"\0" * (stats.f_bavail * stats.f_frsize - 64 * 1024))
full = build("/elsewhere/")
after = tree()
left = sorted(p.name for p in disk.iterdir() if p.name.startswith(".site."))
os.unlink(disk / "filler")
again = build("/elsewhere/")
print(json.dumps({"first": first.returncode, "full": full.returncode, "message": full.stderr, "kept": before == after,
                  "files": len(before), "left": left, "again": again.returncode, "again_err": again.stderr}))
"""


def test_faults_real_full_disk_keeps_the_old_site(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    assert unshare, "util-linux's unshare is needed"
    if subprocess.run([unshare, "-rm", "true"], capture_output=True, check=False).returncode != 0:
        # Some containers forbid user namespaces; test_faults.py injects the same error in-process.
        pytest.skip("this system forbids unprivileged mount namespaces")
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    disk = tmp_path / "disk"
    disk.mkdir()
    run = subprocess.run([unshare, "-rm", sys.executable, "-c", _INSIDE, str(disk), str(content)],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["first"] == 0
    assert result["files"] > 20
    assert result["full"] == 1
    assert "No space left on device" in result["message"]
    assert result["kept"] is True
    assert result["left"] == []
    assert result["again"] == 0, result["again_err"]
