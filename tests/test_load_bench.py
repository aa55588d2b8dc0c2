"""The load benchmark runs (tiny size; the real measurement is run by hand)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def test_load_bench_runs_and_ends_with_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("load_bench", ROOT / "bench" / "load_bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["load_bench"] = bench
    try:
        spec.loader.exec_module(bench)
        assert bench.main(["--reports", "3", "--runs", "1"]) == 0
    finally:
        del sys.modules["load_bench"]
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["files"] == 1 + 1 + 3  # metrics, one park, three reports
    assert {"strict", "parse", "baseline"} <= set(summary)
    assert summary["strict"]["files_per_s"] > 0


def test_load_bench_content_is_deterministic_and_valid(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("load_bench_gen", ROOT / "bench" / "load_bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["load_bench_gen"] = bench
    try:
        spec.loader.exec_module(bench)
        first = [p.read_bytes() for p in bench.generate(tmp_path / "a", 6, 7)]
        second = [p.read_bytes() for p in bench.generate(tmp_path / "b", 6, 7)]
    finally:
        del sys.modules["load_bench_gen"]
    assert first == second
    assert 8_000 < len(first[-1]) < 20_000  # a report of realistic size


def test_load_bench_warm_measures_the_content_cache(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("load_bench_warm", ROOT / "bench" / "load_bench.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules["load_bench_warm"] = bench
    try:
        spec.loader.exec_module(bench)
        assert bench.main(["--warm", "--reports", "3", "--runs", "1"]) == 0
    finally:
        del sys.modules["load_bench_warm"]
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(summary) >= {"nocache", "cold", "warm", "edit"}
    assert all(summary[name] > 0 for name in ("nocache", "cold", "warm", "edit"))
