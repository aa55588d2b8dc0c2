"""The internal link and anchor checker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
from hypothesis import given
from hypothesis import strategies as st

from parkreport.links import BrokenLink, LinkChecker, check_links, scan_page, scan_page_with_duplicates
from parkreport.render import SiteUrls


def _site(**pages: str) -> dict[str, bytes]:
    return {path.replace("__", "/"): html.encode() for path, html in pages.items()}


def test_links_to_existing_pages_files_and_anchors_pass() -> None:
    files = {
        "index.html": b'<a href="/parks/a/">a</a><a href="/reports/r/#indicators-0">q</a><link href="/static/s.css">',
        "parks/a/index.html": b'<a href="../../reports/r/#facts-1">rel</a><a href="#top" id="top">self</a><img src="/data/x.csv">',
        "reports/r/index.html": b'<mark id="indicators-0">x</mark><span id="facts-1"></span>',
        "static/s.css": b"",
        "data/x.csv": b"",
    }
    assert check_links(files) == []


def test_a_missing_page_and_a_missing_anchor_are_named_with_their_page() -> None:
    files = {
        "index.html": b'<a href="/parks/b/">b</a><a href="/reports/r/#indicators-3">q</a>',
        "reports/r/index.html": b'<mark id="indicators-0">x</mark>',
    }
    assert check_links(files) == [
        BrokenLink("/", "/parks/b/", "no such page or file"),
        BrokenLink("/", "/reports/r/#indicators-3", "no element with id 'indicators-3' on /reports/r/"),
    ]


def test_external_mail_and_data_links_are_not_checked() -> None:
    files = {"index.html": b'<a href="https://example.org/x">e</a><a href="mailto:a@b.c">m</a><a href="//cdn.example/x">p</a>'}
    assert check_links(files) == []


def test_under_a_base_path_links_outside_it_are_broken() -> None:
    files = {"index.html": b'<a href="/sub/parks/a/">ok</a><a href="/parks/a/">wrong</a>', "parks/a/index.html": b""}
    broken = check_links(files, "/sub/")
    assert broken == [BrokenLink("/", "/parks/a/", "points outside the site's base path /sub/")]


def test_with_a_full_base_url_same_host_links_are_checked_and_other_hosts_are_not() -> None:
    files = {"index.html": b'<a href="https://example.org/p/missing/">x</a><a href="https://other.org/p/">y</a>'}
    broken = check_links(files, "https://example.org/p/")
    assert [b.link for b in broken] == ["https://example.org/p/missing/"]


def test_percent_encoded_links_and_directory_links_without_slash_resolve() -> None:
    files = {"index.html": b'<a href="/parks/a">a</a><a href="/data/%E5%9B%AD.csv">f</a>', "parks/a/index.html": b"", "data/园.csv": b""}
    assert check_links(files) == []


# html5lib parses text as the HTML standard says, in pure Python: what the
# scanner (lexbor, in C) must agree with on any text, well-formed or not. An
# attribute without a value reads as "" there, and counts for neither; a
# template's contents (children of its element there) are no part of the page.
def _elements(element: Any) -> Iterator[Any]:
    """``element`` and what it holds, in document order, without the contents of templates."""
    yield element
    if element.tag != "template":
        for child in element:
            yield from _elements(child)


def _standard_scan(html: str) -> tuple[set[str], list[str], set[str]]:
    ids: set[str] = set()
    duplicates: set[str] = set()
    links: list[str] = []
    for element in _elements(html5lib.parse(html, namespaceHTMLElements=False)):
        if not isinstance(element.tag, str):  # a comment
            continue
        for name, value in element.attrib.items():
            if not isinstance(name, str) or not value:  # a namespaced attribute (xlink:href), or no value
                continue
            if name == "id" or (name == "name" and element.tag == "a"):
                if value in ids:
                    duplicates.add(value)
                ids.add(value)
            elif name in ("href", "src"):
                links.append(value)
    return ids, links, duplicates


def test_scan_page_skips_script_bodies_and_comments_and_unescapes_values() -> None:
    html = (
        '<script src="/static/a.js">var x = "<a href=\\"/nowhere/\\">";</script><!-- <a href="/old/"> -->'
        "<a href='/p/?a=1&amp;b=2' id=top>x</a><svg><a href=\"/r/#f-1\"><path d='M0'/></a></svg>"
    )
    expected = ({"top"}, ["/static/a.js", "/p/?a=1&b=2", "/r/#f-1"], set())
    assert scan_page_with_duplicates(html) == expected == _standard_scan(html)


_HTML_PIECES = st.sampled_from([
    "<", ">", "/", "=", " ", "\n", '"', "'", "a", "A", "id", "ID", "name", "href", "HREF", "src", "x", "#", "&amp;",
    "&#34;", "<!--", "-->", "<script", "<SCRIPT", "</script>", "</Script >", "<style", "</STYLE>", "<a ", "<A ",
    "<div ", "<p>", "</a>", ' id="t"', " id=t", " id=''", ' href="/p/"', " href", " name=n", " data-x='a href=b'",
    "<script src='/s.js'>", "<br/>", "园", "<ſcript>", "<scrıpt>", "</ſtyle>", "\t", "<template>", "</template>",
])
_VALUES = st.sampled_from(["", "t", "/p/", "#f-1", "a&amp;b", "a b", "园", "x>y"])
_ATTRIBUTES = st.tuples(
    st.sampled_from(["id", "ID", "name", "href", "Href", "src", "class", "data-id", "title"]),
    st.sampled_from(["none", "double", "single", "bare", "spaced"]),
    _VALUES,
).map(lambda a: " " + a[0] + {"none": "", "double": f'="{a[2]}"', "single": f"='{a[2]}'", "bare": f"={a[2] or 'v'}",
                              "spaced": f' = "{a[2]}"'}[a[1]])
_TAGS = st.tuples(st.sampled_from(["a", "A", "div", "img", "script", "style", "svg:a"]), st.lists(_ATTRIBUTES, max_size=4),
                  st.sampled_from([">", "/>", " >"])).map(lambda t: "<" + t[0] + "".join(t[1]) + t[2])
_HIDDEN = st.tuples(st.sampled_from(["<script>", "<SCRIPT src='/s.js'>", "<style>", "<Style media=x>", "<!--"]),
                    st.sampled_from(['<a href="/hidden/" id=h>', "", "'", "<"]),
                    st.sampled_from(["</script>", "</SCRIPT >", "</style>", "</sTyLe>", "-->", ""])).map("".join)
_HTML = st.lists(st.one_of(_HTML_PIECES, _TAGS, _HIDDEN), max_size=30).map("".join)


@given(_HTML)
def test_the_scanner_reads_any_text_as_the_html_standard_does(html: str) -> None:
    assert scan_page_with_duplicates(html) == _standard_scan(html)


def test_the_scanner_reads_every_page_of_the_example_site_as_the_html_standard_does(example_site: Path) -> None:
    pages = sorted(example_site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert scan_page_with_duplicates(html) == _standard_scan(html), page
        assert scan_page_with_duplicates(page.read_bytes()) == _standard_scan(html), page


def test_an_element_is_read_once_with_its_first_value_of_an_attribute() -> None:
    """An element with an id, a link and a name counts once; of an attribute given twice the first counts, as in browsers."""
    html = '<a id="x" href="/p/" name="y" HREF="/second/">a</a><img src="/i.png" id="z" id="x">'
    assert scan_page_with_duplicates(html) == ({"x", "y", "z"}, ["/p/", "/i.png"], set())
    assert scan_page_with_duplicates(html) == _standard_scan(html)


def test_template_contents_are_no_part_of_the_page_and_copies_made_after_parsing_are_not_read() -> None:
    html = ('<template><a href="/missing/" id="t">t</a></template><a href="/o/" id="o">o</a>'
            '<select><button><selectedcontent></selectedcontent></button><option><span id="s">x</span></option></select>')
    # (html5lib predates the standard's <selectedcontent>: it drops the <span> from the <select>)
    assert scan_page_with_duplicates(html) == ({"o", "s"}, ["/o/"], set())
    assert _standard_scan(html[:html.index("<select>")]) == ({"o"}, ["/o/"], set())
    assert check_links({"index.html": html.encode(), "o/index.html": b""}) == []


def test_attributes_without_a_value_are_neither_links_nor_anchors() -> None:
    html = '<a href>a</a><a href="">b</a><p id></p><p id=""></p><a name></a><a href="/p/">c</a>'
    assert scan_page_with_duplicates(html) == (set(), ["/p/"], set())
    assert check_links({"index.html": html.encode(), "p/index.html": b""}) == []


def test_bytes_that_are_not_utf8_are_read_as_replacement_characters() -> None:
    assert scan_page(b'<a href="/\xff/" id="\xe5\x9b\xad">x</a>') == ({"园"}, ["/\ufffd/"])


def test_an_unclosed_tag_is_read_in_one_pass() -> None:
    """A '<' with no '>' after it, before a stray quote: one pass over its text.

    A scanner made of regular expressions can split such a run of words in
    exponentially many ways before giving up (40 words already take longer
    than anyone waits), so the scan runs in a child process that must finish
    in time.
    """
    import multiprocessing

    html = "<a " + "b c " * 40 + "'" + "<p>" * 1000
    child = multiprocessing.get_context("fork").Process(target=scan_page, args=(html,))
    child.start()
    child.join(30)
    if child.is_alive():
        child.kill()
        child.join()
    assert child.exitcode == 0, "the scan did not finish: the tag expression backtracks"
    assert scan_page(html) == (set(), [])
    assert scan_page("<a " + "b c " * 200_000 + "'") == (set(), [])


_SEGMENT = st.text(alphabet="abcz09-园区", min_size=1, max_size=6)


@given(
    base=st.lists(_SEGMENT, max_size=3).map(lambda parts: "/" + "".join(f"{p}/" for p in parts)),
    pages=st.lists(st.lists(_SEGMENT, min_size=1, max_size=3).map(lambda parts: "/" + "/".join(parts) + "/"),
                   min_size=1, max_size=6, unique=True),
    anchor=st.sampled_from(["", "#indicators-0"]),
)
def test_links_made_with_url_to_existing_pages_never_break_under_any_base(base: str, pages: list[str], anchor: str) -> None:
    urls = SiteUrls(base)
    body = "".join(f'<a href="{urls.url(path)}{anchor}">x</a>' for path in pages)
    files = {"index.html": body.encode()}
    for path in pages:
        files[path.lstrip("/") + "index.html"] = b'<h1 id="indicators-0">x</h1>'
    assert check_links(files, base) == []
    files["index.html"] += f'<a href="{urls.url("/missing-page/")}">x</a>'.encode()
    assert [broken.link for broken in check_links(files, base)] == [urls.url("/missing-page/")]


def test_an_id_defined_twice_on_a_page_is_reported() -> None:
    files = {"index.html": b'<mark id="facts-0">a</mark><span id="facts-0"></span><a name="x"></a><a id="x"></a>'}
    reason = "this id is defined more than once on the page"
    assert check_links(files) == [BrokenLink("/", "#facts-0", reason), BrokenLink("/", "#x", reason)]


@given(
    page=st.sampled_from(["index.html", "404.html", "parks/a/index.html", "parks/a/2023/index.html"]),
    fragment=st.text(alphabet="ab%E5#?/ :", max_size=8),
    base=st.sampled_from(["/", "/sub/", "https://example.org/sub/"]),
)
def test_links_fragment_links_resolve_to_their_own_page(page: str, fragment: str, base: str) -> None:
    """The shortcut for "#id" links gives what resolving the URL against the page gives."""
    from urllib.parse import unquote, urljoin, urlsplit

    from parkreport.links import LinkChecker, _page_url

    checker = LinkChecker(base)
    checker.paths.update(["index.html", "404.html", "parks/a/index.html", "parks/a/2023/index.html"])
    link = ("#" + fragment).strip()  # as check_link reads it
    parts = urlsplit(urljoin(checker.base_origin + checker.base_path + page, link))
    assert checker.target_file(unquote(parts.path[len(checker.base_path):])) == page
    assert checker._resolve(page, "") == (None, page)  # what the address alone leads to, resolved
    checker.ids[page] = ()
    expected = f"no element with id '{unquote(parts.fragment)}' on {_page_url(page)}" if parts.fragment else None
    assert checker.check_link(page, link) == expected
    checker.ids[page] = (unquote(parts.fragment),)
    assert checker.check_link(page, link) is None


def _uncached_reason(checker: LinkChecker, page: str, link: str) -> str | None:
    """Why a link is broken, resolving the whole link against its page every time: what check_link must say."""
    from urllib.parse import unquote, urljoin, urlsplit

    from parkreport.links import _page_url

    link = link.strip()
    if not link or link.lower().startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None
    parts = urlsplit(urljoin(checker.base_origin + checker.base_path + page, link))
    if (checker.base_origin and f"{parts.scheme}://{parts.netloc}" != checker.base_origin) or (
            not checker.base_origin and parts.netloc):
        return None
    if not parts.path.startswith(checker.base_path) and parts.path + "/" != checker.base_path:
        return f"points outside the site's base path {checker.base_path}"
    target = checker.target_file(unquote(parts.path[len(checker.base_path):]))
    if target is None:
        return "no such page or file"
    fragment = unquote(parts.fragment)
    if fragment and target in checker.ids and fragment not in checker.ids[target]:
        return f"no element with id '{fragment}' on {_page_url(target)}"
    return None


_LINK_PIECES = st.sampled_from(["/", "sub/", "parks/", "a/", "b/", "../", "./", "#", "x", "y", "%78", "?q=1", "index.html",
                                "https://example.org/", "//other.org/", "mailto:", " ", "2023/", "\t", "\n", "\r"])


@given(links=st.lists(st.lists(_LINK_PIECES, max_size=6).map("".join), max_size=12),
       base=st.sampled_from(["/", "/sub/", "https://example.org/sub/"]))
def test_check_link_says_what_resolving_each_whole_link_says(links: list[str], base: str) -> None:
    pages = ["index.html", "parks/a/index.html", "parks/a/2023/index.html", "data/x.csv", "gone/index.html"]
    checker = LinkChecker(base)
    checker.paths.update(pages[:4])
    checker.ids.update({"index.html": ("x",), "parks/a/index.html": ("y",), "parks/a/2023/index.html": ()})
    for link in links * 2:  # the second time from what the first one remembered
        for page in pages:
            assert checker.check_link(page, link) == _uncached_reason(checker, page, link), (page, link)


def test_tabs_and_newlines_in_a_link_are_dropped_as_browsers_drop_them() -> None:
    checker = LinkChecker("/")
    checker.paths.update(["index.html", "p/index.html"])
    checker.ids.update({"index.html": ("ab",), "p/index.html": ()})
    for page, link in [("index.html", "#a\tb"), ("index.html", "/#a\nb"), ("p/index.html", "../#a\r\nb"),
                       ("p/index.html", "/\tindex.html#ab")]:
        assert checker.check_link(page, link) is None, (page, link)
        assert _uncached_reason(checker, page, link) is None, (page, link)


def test_only_ascii_letters_spell_script_and_style() -> None:
    """HTML matches tag names without regard to ASCII case only: 'ſcript' (long s) and 'scrıpt' (dotless i) are no scripts."""
    for tag in ("ſcript", "scrıpt", "ſtyle"):
        html = f'<{tag}><a href="/inside/">x</a></{tag}>'
        assert scan_page_with_duplicates(html) == (set(), ["/inside/"], set()) == _standard_scan(html)
    assert scan_page('<SCRIPT src="/a.js"><a href="/inside/"></Script >') == (set(), ["/a.js"])


@given(st.sets(st.text(alphabet="ab-1园", max_size=4), max_size=12), st.text(alphabet="ab-1园", max_size=4))
def test_an_anchor_is_found_in_a_pages_sorted_ids_as_in_a_set(ids: set[str], anchor: str) -> None:
    from parkreport.links import has_anchor

    assert has_anchor(tuple(sorted(ids)), anchor) == (anchor in ids)


def test_the_checker_keeps_each_pages_scan_as_given() -> None:
    """No copies: the scan tuples a build keeps for its next run are the checker's too."""
    from parkreport.links import scan_html

    scan = scan_html(b'<a id="b" href="/p/">x</a><a id="a" href="#b">y</a>')
    assert scan[0] == ("a", "b")
    checker = LinkChecker()
    checker.add_scan("index.html", scan)
    assert checker.ids["index.html"] is scan[0] and checker.links["index.html"] is scan[1]
    assert checker.check_link("index.html", "#a") is None
    assert checker.check_link("index.html", "#c") == "no element with id 'c' on /"
