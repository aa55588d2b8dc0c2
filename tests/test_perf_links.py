"""Link resolution shared between pages gives each page the answer it would get alone."""

from __future__ import annotations

from parkreport.links import LinkChecker


def page(links: list[str], ids: tuple[str, ...] = ()) -> bytes:
    anchors = "".join(f'<a href="{link}">x</a>' for link in links)
    return f'<html><body>{"".join(f"<p id={i!r}></p>" for i in ids)}{anchors}</body></html>'.encode()


def test_perf_shared_absolute_and_per_page_relative_links() -> None:
    checker = LinkChecker("/")
    checker.add("index.html", page(["/parks/a/#x", "parks/a/", "/parks/a/#missing"]))
    checker.add("parks/a/index.html", page(["/parks/a/#x", "parks/a/", "../../"], ids=("x",)))
    broken = {(item.page, item.link, item.reason) for item in checker.check()}
    assert broken == {
        ("/", "/parks/a/#missing", "no element with id 'missing' on /parks/a/"),
        ("/parks/a/", "parks/a/", "no such page or file"),  # relative: /parks/a/parks/a/
    }
