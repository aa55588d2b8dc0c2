"""The Nu HTML Checker (vnu.jar, run with Java) finds no error in the example site."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.browser_support import VNU


def test_html_valid_example_site_has_no_errors(example_site: Path) -> None:
    assert VNU.is_file(), "run 'npm ci' in tests/ (.ci/run does)"
    java = shutil.which("java")
    assert java, "install Java (Debian: default-jre-headless)"
    checked = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(example_site)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    errors = sorted({f"{Path(m.get('url', '')).as_posix().split(str(example_site))[-1]}: {m['message']}" for m in messages})
    pages = len(list(example_site.rglob("*.html")))
    print(f"vnu: {pages} pages checked, {len(messages)} errors")
    assert pages > 100
    assert errors == []
