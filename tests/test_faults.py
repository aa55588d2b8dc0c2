"""Faults during a build: write errors, a full disk, two builds at once, a damaged previous site.

In every case the previous site must stay as it was (byte for byte), the
error must say what happened, and the next build must be correct.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import subprocess
import time
from pathlib import Path

import pytest

from parkreport.build import build_site
from parkreport.errors import BuildError
from tests.faults import build_command, build_env, copy_example, leftovers, run_build, snapshot


def _good_site(content: Path, output: Path, base_url: str = "/") -> dict[str, str]:
    build_site(content, output, base_url=base_url, search=False)
    return snapshot(output)


@pytest.mark.parametrize("failing_write", [1, 7, 25])
def test_faults_disk_full_keeps_the_old_site(mini_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             failing_write: int) -> None:
    output = tmp_path / "site"
    before = _good_site(mini_content, output)
    writes = multiprocessing.Value("i", 0)  # counted across the render processes, which write pages too
    real_write = Path.write_bytes

    def write_until_full(path: Path, data: bytes) -> int:  # type: ignore[override]
        with writes.get_lock():
            writes.value += 1
            count = writes.value
        if count >= failing_write:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", write_until_full)
    # another base URL changes every page, so nothing can be kept from the old site
    with pytest.raises(BuildError, match="No space left on device") as raised:
        build_site(mini_content, output, base_url="/elsewhere/", search=False)
    assert "could not write" in str(raised.value)
    monkeypatch.undo()
    assert snapshot(output) == before
    assert leftovers(tmp_path) == []
    assert _good_site(mini_content, output, "/elsewhere/") == _good_site(mini_content, tmp_path / "clean", "/elsewhere/")


def test_faults_disk_full_while_keeping_unchanged_files(mini_content: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged files are hard-linked or copied from the old site; a failure there is reported too."""
    output = tmp_path / "site"
    before = _good_site(mini_content, output)

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("parkreport.write.os.link", no_space)
    monkeypatch.setattr("parkreport.write.shutil.copy2", no_space)
    with pytest.raises(BuildError, match="No space left on device"):
        build_site(mini_content, output, search=False, incremental=False)  # the cache would skip a no-op build
    monkeypatch.undo()
    assert snapshot(output) == before
    assert leftovers(tmp_path) == []


def test_faults_failed_swap_keeps_the_old_site(mini_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "site"
    before = _good_site(mini_content, output)

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr("parkreport.write.os.replace", refuse)
    monkeypatch.setattr("parkreport.write.exchange_paths", refuse, raising=False)
    with pytest.raises(BuildError, match="could not replace"):
        build_site(mini_content, output, base_url="/elsewhere/", search=False)
    monkeypatch.undo()
    assert snapshot(output) == before
    assert leftovers(tmp_path) == []


def test_faults_two_builds_at_once_one_waits_out_with_the_lock_message(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    env = build_env()
    first = subprocess.Popen(build_command(), cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = project / ".site.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    second = subprocess.run(build_command(), cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False)
    _, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 1
    assert "another build is writing to this site" in second.stderr
    assert not lock.exists()
    clean = copy_example(tmp_path / "clean")
    assert run_build(clean).returncode == 0
    assert snapshot(project / "site") == snapshot(clean / "site")


@pytest.mark.parametrize("damage", ["flip", "truncate", "directory", "symlink", "empty"])
def test_faults_damaged_previous_site_is_not_trusted(mini_content: Path, tmp_path: Path, damage: str) -> None:
    """The previous site is the incremental cache: a damaged file in it is rewritten, never kept."""
    output = tmp_path / "site"
    good = _good_site(mini_content, output)
    victim = output / "parks" / "alpha" / "index.html"
    data = victim.read_bytes()
    victim.unlink()
    if damage == "flip":
        victim.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])  # same size, one bit off
    elif damage == "truncate":
        victim.write_bytes(data[: len(data) // 2])
    elif damage == "directory":
        victim.mkdir()
        (victim / "x").write_text("x")
    elif damage == "symlink":
        secret = tmp_path / "secret.html"
        secret.write_bytes(data)  # same bytes, but a link out of the site must not be kept
        victim.symlink_to(secret)
    else:
        victim.write_bytes(b"")
    result = build_site(mini_content, output, search=False)
    assert snapshot(output) == good
    assert not victim.is_symlink()
    assert result.files.written >= 1
    assert leftovers(tmp_path) == []
