"""The default theme's static files: self-contained, small, printable."""

from __future__ import annotations

import re
from pathlib import Path

THEME = Path(__file__).resolve().parent.parent / "src" / "parkreport" / "theme"
STYLE = (THEME / "static" / "style.css").read_text(encoding="utf-8")


def test_theme_fetches_nothing_from_elsewhere() -> None:
    assert "@import" not in STYLE
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", STYLE)
    for path in list((THEME / "templates").rglob("*.html")) + list((THEME / "static").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", text):
            assert not re.search(r"(src|href)=\"(https?:)?//", tag), f"{path.name}: {tag}"


def test_theme_uses_system_cjk_fonts() -> None:
    stack = re.search(r"--font:([^;]+);", STYLE)
    assert stack is not None
    for family in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"):
        assert family in stack.group(1)
    assert "@font-face" not in STYLE


def test_theme_has_phone_and_print_rules() -> None:
    assert re.search(r"@media \(max-width: 40rem\)", STYLE)
    assert "@media print" in STYLE
    print_rules = STYLE[STYLE.index("@media print") :]
    assert ".site-header nav" in print_rules and "break-inside: avoid" in print_rules


def test_every_status_badge_differs_by_border_style_not_only_colour() -> None:
    styles = {}
    for status in ("actual", "estimated", "target", "revised", "derived"):
        rule = re.search(rf"\.badge-{status} {{([^}}]+)}}", STYLE)
        assert rule is not None, status
        styles[status] = re.search(r"border-style: (\w+)", rule.group(1)).group(1)  # type: ignore[union-attr]
    styles["revised"] += "-thick-left"  # solid, with a 5px left rule
    assert len(set(styles.values())) == 5


def test_script_is_small_and_only_enhances() -> None:
    script = (THEME / "static" / "projects.js").read_text(encoding="utf-8")
    assert len(script.encode()) < 6000
    assert "data-sortable" in script
    assert "fetch(" not in script and "XMLHttpRequest" not in script
