"""Benchmark content loading: our strict, located loader against plain PyYAML.

Generates a deterministic synthetic content directory (N reports of realistic
size, one park for every five reports, their source texts and a metric
vocabulary) in a temporary directory, then measures, as medians over several
runs in the same invocation:

- ``strict``: ``load_raw`` + ``check_raw`` (read, decode, parse with positions,
  validate, cross-check every reference and quote);
- ``parse``: ``load_raw`` alone (no cross-file rules);
- ``baseline``: ``yaml.load(text, Loader=yaml.CSafeLoader)`` over the same
  YAML files (read and parse only: no positions, no checks).

It prints files/s, MB/s, peak memory (tracemalloc, in a separate untimed run)
and the ratio against the baseline; the last line is one JSON object.

With ``--warm`` it measures the parsed-content cache instead, over the site
benchmark's synthetic corpus (``bench/corpus_gen.py``, ``--parks`` parks)
or this one: ``load_corpus`` without a cache, with an empty cache (``cold``,
which fills it), with a full one (``warm``) and after one report changed
(``edit``), each a median over ``--runs`` fresh caches.

    python bench/load_bench.py [--reports 500] [--runs 5] [--seed 1]
    python bench/load_bench.py --warm [--parks 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

from parkreport.load import load_raw
from parkreport.validate import check_raw, load_corpus

METRICS = [
    ("industrial-output", "规模以上工业总产值", "亿元"),
    ("industrial-value-added", "规模以上工业增加值", "亿元"),
    ("fixed-asset-investment", "固定资产投资", "亿元"),
    ("industrial-investment", "工业投资", "亿元"),
    ("public-budget-revenue", "一般公共预算收入", "亿元"),
    ("operating-revenue", "营业收入", "亿元"),
    ("foreign-capital-used", "实际利用外资", "亿美元"),
    ("new-urban-jobs", "城镇新增就业", "人"),
    ("projects-signed", "签约项目", "个"),
    ("projects-signed-investment", "签约项目总投资", "亿元"),
]
PERIODS = ["2022M1-4", "2022H1", "2022Q1-3", "2022", "2023H1", "2023Q1"]
STAGES = ["signed", "landed", "under_construction", "completed", "trial_production", "in_production"]


def _metrics_yaml() -> str:
    lines = ["metrics:"]
    for ident, zh, unit in METRICS:
        lines += [f"  - id: {ident}", f"    zh: {zh}", f"    en: Synthetic {ident}", f"    unit: {unit}"]
    return "\n".join(lines) + "\n"


def _park_yaml(park: str, rng: random.Random) -> str:
    lines = [f"id: {park}", f"name: 第{park[5:]}号工业园区", "kind: park", "level: provincial",
             "region: {province: 河南省, city: 濮阳市}", "industries: [化工, 新材料]",
             "description: 一个合成的园区,用于测量加载速度。", "projects:"]
    for number in range(10):
        lines += [f"  - id: {park}-p{number}", f"    name: 项目{number}号", f"    investor: 某{rng.choice('甲乙丙丁')}公司",
                  "    industry: 新材料"]
    return "\n".join(lines) + "\n"


def _report(report: str, park: str, rng: random.Random) -> tuple[str, str]:
    """A report YAML (about 12 KB) and its source text, whose sentences the quotes copy."""
    sentences: list[str] = []
    lines = [f"id: {report}", f"parks: [{park}]", f"title: {park}园区经济运行情况综述", "publisher: 合成日报",
             'published: "2023-07-15"', "period: 2023H1", "kind: news",
             "summary: >-", "  上半年园区主要经济指标保持较快增长,重点项目建设稳步推进。", "indicators:"]
    for number in range(24):
        ident, zh, unit = METRICS[number % len(METRICS)]
        value, growth = round(rng.uniform(1, 200), 2), round(rng.uniform(-10, 40), 1)
        quote = f"第{number}项:{zh}完成{value}{unit},同比增长{growth}%"
        sentences.append(quote)
        lines += [f"  - metric: {ident}", f"    value: {value}", f"    unit: {unit}",
                  f"    period: {rng.choice(PERIODS)}", "    status: estimated", f"    yoy_pct: {growth}",
                  f"    quote: {quote}"]
    lines.append("targets:")
    for number in range(6):
        quote = f"力争全年{METRICS[number][1]}突破{(number + 1) * 50}亿元(目标{number})"
        sentences.append(quote)
        lines += [f"  - what: {METRICS[number][1]}突破{(number + 1) * 50}亿元", "    kind: quantitative",
                  f"    metric: {METRICS[number][0]}", f"    value: {(number + 1) * 50}", "    unit: 亿元",
                  "    qualifier: at_least", "    by: 2023", "    commitment: 力争", f"    quote: {quote}"]
    lines.append("project_events:")
    for number in range(10):
        amount = round(rng.uniform(1, 50), 1)
        quote = f"项目{number}号总投资{amount}亿元,目前已进入新阶段(事件{number})"
        sentences.append(quote)
        lines += [f"  - project: {park}-p{number}", f"    status: {rng.choice(STAGES)}",
                  f"    investment: {{value: {amount}, unit: 亿元}}", f"    quote: {quote}"]
    lines.append("facts:")
    for number in range(5):
        quote = f"园区荣获第{number}届省级先进园区称号"
        sentences.append(quote)
        lines += ["  - kind: award", f"    text: 获得第{number}届省级先进园区称号", f"    quote: {quote}"]
    filler = "园区坚持项目为王,持续优化营商环境,推动产业链延链补链强链。"
    source = "\n".join(f"{sentence}。{filler}" for sentence in sentences) + "\n"
    return "\n".join(lines) + "\n", source


def generate(root: Path, reports: int, seed: int) -> list[Path]:
    """Write a synthetic content directory; return its YAML files."""
    rng = random.Random(seed)
    for folder in ("parks", "reports", "sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "metrics.yaml").write_text(_metrics_yaml(), encoding="utf-8")
    parks = [f"park-{number:04d}" for number in range(max(1, reports // 5))]
    for park in parks:
        (root / "parks" / f"{park}.yaml").write_text(_park_yaml(park, rng), encoding="utf-8")
    for number in range(reports):
        report = f"report-{number:05d}"
        text, source = _report(report, parks[number % len(parks)], rng)
        (root / "reports" / f"{report}.yaml").write_text(text, encoding="utf-8")
        (root / "sources" / f"{report}.txt").write_text(source, encoding="utf-8")
    return sorted([root / "metrics.yaml", *(root / "parks").glob("*.yaml"), *(root / "reports").glob("*.yaml")])


def strict(root: Path) -> None:
    corpus, problems = check_raw(load_raw(root))
    if problems:
        raise SystemExit(f"synthetic content has problems, first: {problems[0].format()}")


def parse_only(root: Path) -> None:
    raw = load_raw(root)
    if raw.problems:
        raise SystemExit(f"synthetic content has problems, first: {raw.problems[0].format()}")


def baseline(files: list[Path]) -> None:
    # Keep every document, as a loader must, so that peak memory compares fairly.
    documents = [yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for path in files]
    if len(documents) != len(files):
        raise SystemExit("baseline lost a file")


def median_seconds(actions: dict[str, Callable[[], None]], runs: int) -> dict[str, float]:
    """Median time of each action; runs are interleaved so that load on the machine hits all alike."""
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in timings.items()}


def peak_mib(action: Callable[[], None]) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cache_timings(root: Path, folder: Path, runs: int) -> dict[str, float]:
    """Median seconds of a load without cache, into an empty cache, from a full one, after one edit."""
    report = sorted((root / "reports").glob("*.yaml"))[0]
    original = report.read_bytes()
    timings: dict[str, list[float]] = {"nocache": [], "cold": [], "warm": [], "edit": []}
    try:
        for run in range(runs):
            cache = folder / f"cache-{run}"
            timings["nocache"].append(_timed(lambda: load_corpus(root)))
            timings["cold"].append(_timed(lambda: load_corpus(root, cache)))
            timings["warm"].append(_timed(lambda: load_corpus(root, cache)))
            report.write_bytes(original + f"# edit {run}\n".encode())
            timings["edit"].append(_timed(lambda: load_corpus(root, cache)))
            report.write_bytes(original)
    finally:
        report.write_bytes(original)
    return {name: round(statistics.median(values), 4) for name, values in timings.items()}


def warm_main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        if args.parks:
            sys.path.insert(0, str(Path(__file__).parent))
            import corpus_gen

            corpus_gen.generate(root, args.parks, args.seed)
            what = f"{args.parks} parks (bench/corpus_gen.py)"
        else:
            generate(root, args.reports, args.seed)
            what = f"{args.reports} reports"
        files = sum(1 for path in root.rglob("*") if path.is_file())
        load_corpus(root)  # warm up imports
        results = cache_timings(root, Path(folder), args.runs)
    print(f"{what}, {files} files; median of {args.runs} runs")
    for name, seconds in results.items():
        print(f"  {name:8s} {seconds:8.3f} s  x{seconds / results['nocache']:.2f} of no cache")
    print(json.dumps({"files": files, "parks": args.parks, "reports": args.reports, "runs": args.runs,
                      "seed": args.seed, **results}, sort_keys=True))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=500, help="synthetic reports to generate (default 500)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each loader; the median counts (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic content (default 1)")
    parser.add_argument("--warm", action="store_true", help="measure the parsed-content cache: cold, warm, one edit")
    parser.add_argument("--parks", type=int, default=0, help="with --warm: the site benchmark's corpus of N parks")
    args = parser.parse_args(argv)
    if args.warm:
        return warm_main(args)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        files = generate(root, args.reports, args.seed)
        megabytes = sum(path.stat().st_size for path in files) / 1e6
        actions: dict[str, Callable[[], None]] = {
            "strict": lambda: strict(root), "parse": lambda: parse_only(root), "baseline": lambda: baseline(files),
        }
        for action in actions.values():
            action()  # warm up caches and imports
        results: dict[str, dict[str, float]] = {}
        for name, seconds in median_seconds(actions, args.runs).items():
            action = actions[name]
            results[name] = {"seconds": round(seconds, 4), "files_per_s": round(len(files) / seconds, 1),
                             "mb_per_s": round(megabytes / seconds, 2), "peak_mib": round(peak_mib(action), 1)}
    base = results["baseline"]["seconds"]
    print(f"{len(files)} YAML files, {megabytes:.2f} MB (plus {args.reports} source texts); median of {args.runs} runs")
    for name, result in results.items():
        print(f"  {name:9s} {result['seconds']:8.3f} s  {result['files_per_s']:9.1f} files/s  "
              f"{result['mb_per_s']:7.2f} MB/s  peak {result['peak_mib']:7.1f} MiB  "
              f"x{result['seconds'] / base:.2f} baseline")
    summary = {"files": len(files), "megabytes": round(megabytes, 3), "runs": args.runs, "seed": args.seed,
               "python": sys.version.split()[0], "libyaml": yaml.__with_libyaml__, **results,
               "strict_vs_baseline": round(results["strict"]["seconds"] / base, 2),
               "parse_vs_baseline": round(results["parse"]["seconds"] / base, 2)}
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
