"""The dev server under a bounded load while the site is rebuilt: no errors, no partial pages.

10,000 requests from a few threads over every page of the example, on
loopback, while the main thread rebuilds the site again and again, each
time with a park's description changed, so pages are rewritten and the
whole tree is swapped in under the readers.
"""

from __future__ import annotations

import http.client
import itertools
import threading
from collections import Counter
from pathlib import Path

from parkreport.build import build_site
from parkreport.serve import BuildOutcome, DevServer
from tests.faults import copy_example

REQUESTS = 10_000
THREADS = 8


def _pages(site: Path) -> list[str]:
    paths = []
    for page in sorted(site.rglob("index.html")):
        relative = page.parent.relative_to(site).as_posix()
        paths.append("/" if relative == "." else f"/{relative}/")
    return paths


def test_serve_load_during_rebuilds_gives_whole_pages_only(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    site = tmp_path / "served"
    summary = project / "content" / "parks" / "puyang.yaml"
    original = summary.read_text(encoding="utf-8")
    builds = itertools.count()

    def build() -> BuildOutcome:
        # each build changes a park's description, so every page about it is rewritten
        summary.write_text(original.replace("description:", f"description: 第{next(builds)}次构建。", 1), encoding="utf-8")
        build_site(project / "content", site, templates_dir=project / "templates", search=False)
        return BuildOutcome(ok=True, summary="built")

    server = DevServer(build, site, [], host="127.0.0.1", port=0)
    server.start()
    pages = _pages(site)
    assert len(pages) > 100
    tally: Counter[str] = Counter()
    lock = threading.Lock()
    remaining = itertools.count()

    def reader() -> None:
        while (n := next(remaining)) < REQUESTS:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            connection.request("GET", pages[n % len(pages)])
            response = connection.getresponse()
            body = response.read()
            connection.close()
            outcome = "ok" if response.status == 200 and body.rstrip().endswith(b"</html>") else f"bad {response.status}"
            with lock:
                tally[outcome] += 1

    readers = [threading.Thread(target=reader) for _ in range(THREADS)]
    try:
        for thread in readers:
            thread.start()
        rebuilds = 0
        while any(thread.is_alive() for thread in readers):
            assert server.rebuild().ok
            rebuilds += 1
        for thread in readers:
            thread.join()
    finally:
        server.stop()
    print(f"serve load: {sum(tally.values())} requests, {rebuilds} rebuilds, errors: {sum(tally.values()) - tally['ok']}")
    assert rebuilds >= 2
    assert tally == Counter({"ok": REQUESTS})
