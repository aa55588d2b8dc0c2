"""Benchmark page rendering alone: every planned page, rendered N times in one process.

Generates the synthetic corpus of :mod:`corpus_gen` (or takes ``--content``),
then loads, derives and plans it once (both editions), makes each edition's
Jinja environment as a build does (timing its template compilation), and
renders every page ``--runs`` times. It prints, per page kind and edition and
in total, the median CPU milliseconds per page and the KB of HTML per page; the
last line is one JSON object. ``--baseline FILE`` (a saved JSON line of an
earlier run) adds the ratio of each kind against it.

    python bench/render_bench.py --parks 10 [--runs 3] [--content DIR] [--baseline before.json] [--profile [cumulative]]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_gen
from jinja2 import Environment

from parkreport.build import site_info
from parkreport.config import SiteConfig, apply_headline_metrics
from parkreport.corpus import Corpus
from parkreport.derive import derive
from parkreport.editions import EditionPlan, configure_environment, edition_filters, plan_editions, site_editions
from parkreport.pages import plan_pages
from parkreport.render import SiteUrls, make_environment, render_template
from parkreport.validate import load_corpus


def planned(content: Path) -> tuple[Corpus, tuple[EditionPlan, ...]]:
    """Load, derive and plan ``content`` as a build does (no removed texts, no project templates)."""
    config = SiteConfig()
    corpus = apply_headline_metrics(config, load_corpus(content))
    derived = derive(corpus, stall_months=config.stall_months)
    site = site_info(config)
    return corpus, plan_editions(corpus, plan_pages(corpus, derived, site, {}), site, site_editions(None))


def environments(corpus: Corpus, plans: tuple[EditionPlan, ...]) -> list[Environment]:
    """Each edition's Jinja environment, made as a build makes it."""
    urls, editions = SiteUrls("/"), tuple(plan.edition for plan in plans)
    return [configure_environment(make_environment(None, urls), plan.edition, editions, urls, edition_filters(plan.edition, corpus.units))
            for plan in plans]


def compile_all(env: Environment) -> float:
    """Seconds to compile every template the environment can find (once per worker per edition in a build)."""
    started = time.perf_counter()
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)
    return time.perf_counter() - started


def render_run(plans: tuple[EditionPlan, ...], envs: list[Environment]) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Render every page once: seconds per page and bytes per page, by ``kind/language``."""
    seconds: dict[str, list[float]] = defaultdict(list)
    sizes: dict[str, int] = {}
    clock = time.process_time  # CPU time: other processes on the machine do not count
    for plan, env in zip(plans, envs):
        for page in plan.pages:
            key = f"{page.kind}/{plan.edition.language}"
            started = clock()
            html = render_template(env, page.template, {"page": page, "ctx": page.context, "site": plan.site})
            seconds[key].append(clock() - started)
            sizes[key] = sizes.get(key, 0) + len(html.encode("utf-8"))
    return seconds, sizes


def measure(corpus: Corpus, plans: tuple[EditionPlan, ...], runs: int) -> dict[str, object]:
    envs = environments(corpus, plans)
    compile_s = [compile_all(env) for env in envs]
    per_run: list[tuple[dict[str, list[float]], dict[str, int]]] = [render_run(plans, envs) for _ in range(runs)]
    kinds: dict[str, dict[str, float]] = {}
    for key in sorted(per_run[0][0]):
        count = len(per_run[0][0][key])
        totals = [sum(run[0][key]) for run in per_run]
        kinds[key] = {"pages": count, "ms_per_page": round(statistics.median(totals) / count * 1000, 3),
                      "kb_per_page": round(per_run[0][1][key] / count / 1024, 1)}
    pages = sum(kind["pages"] for kind in kinds.values())
    total_s = statistics.median(sum(sum(times) for times in run[0].values()) for run in per_run)
    return {"pages": pages, "total_s": round(total_s, 3), "ms_per_page": round(total_s / pages * 1000, 3),
            "compile_s": [round(s, 3) for s in compile_s], "kinds": kinds}


def report(result: dict[str, object], baseline: dict[str, object] | None) -> None:
    kinds = result["kinds"]
    assert isinstance(kinds, dict)
    base_kinds = baseline["kinds"] if baseline else {}
    assert isinstance(base_kinds, dict)
    print(f"{'kind/edition':<18}{'pages':>7}{'ms/page':>10}{'KB/page':>9}{'before':>10}{'ratio':>7}")
    for key, row in kinds.items():
        before = base_kinds.get(key, {}).get("ms_per_page")
        extra = f"{before:>10.2f}{before / row['ms_per_page']:>6.2f}x" if before else ""
        print(f"{key:<18}{row['pages']:>7}{row['ms_per_page']:>10.2f}{row['kb_per_page']:>9.1f}{extra}")
    before_total = baseline["ms_per_page"] if baseline else None
    extra = f"{before_total:>10.2f}{before_total / result['ms_per_page']:>6.2f}x" if before_total else ""
    print(f"{'total':<18}{result['pages']:>7}{result['ms_per_page']:>10.2f}{'':>9}{extra}")
    print(f"render {result['total_s']} s per run; template compile per environment: {result['compile_s']} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--content", type=Path, help="an existing content directory (default: a synthetic one)")
    parser.add_argument("--baseline", type=Path, help="a JSON line saved from an earlier run, to compare against")
    parser.add_argument("--profile", nargs="?", const="tottime", choices=("tottime", "cumulative"),
                        help="print a cProfile of one render run instead, sorted by tottime (default) or cumulative")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = args.content
        if content is None:
            content = Path(tmp) / "content"
            corpus_gen.generate(content, args.parks, args.seed)
        corpus, plans = planned(content)
    # As a build does once it has planned (build._Collector): what exists now is never
    # collected, so the collector's passes over every planned page do not count as
    # rendering (they made quality/zh-CN look 3.6 times as slow as quality/en).
    gc.freeze()
    if args.profile:
        envs = environments(corpus, plans)
        profiler = cProfile.Profile()
        profiler.runcall(render_run, plans, envs)
        pstats.Stats(profiler).sort_stats(args.profile).print_stats(45)
        return
    result = measure(corpus, plans, args.runs)
    baseline = json.loads(args.baseline.read_text(encoding="utf-8").strip().splitlines()[-1]) if args.baseline else None
    report(result, baseline)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
