"""The English edition's page contexts and links, made quicker: the same as made the plain way."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import pytest

from parkreport import editions
from parkreport.derive import derive
from parkreport.editions import EditionUrls, edition_names, edition_page, site_editions
from parkreport.pages import plan_pages
from parkreport.render import SiteUrls
from parkreport.validate import load_corpus
from parkreport.views import FigureView, IssueView, Link, TargetView

ROOT = Path(__file__).resolve().parents[1]


def test_english_pages_of_the_example_equal_those_made_with_dataclasses_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = load_corpus(ROOT / "content")
    pages = plan_pages(corpus, derive(corpus))
    default, english = site_editions()
    names = edition_names(corpus, default.catalog, english.catalog)
    quick = [edition_page(page, english, names) for page in pages]
    monkeypatch.setattr(editions, "_replaced", dataclasses.replace)
    slow = [edition_page(page, english, names) for page in pages]
    assert quick == slow
    # == on dataclasses compares field values: the types must agree too, all the way down
    assert [_types(page.context) for page in quick] == [_types(page.context) for page in slow]
    assert any(page.context is not original.context for page, original in zip(quick, pages))  # something was translated


def _types(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value), tuple(_types(getattr(value, field.name)) for field in dataclasses.fields(value)))
    if isinstance(value, tuple):
        return tuple(_types(item) for item in value)
    return type(value)


@dataclasses.dataclass(frozen=True)
class _Plain:
    name: str
    count: int = 0


@dataclasses.dataclass(frozen=True)
class _Checked:
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.name.strip())


@dataclasses.dataclass(frozen=True, slots=True)
class _Slotted:
    name: str


@dataclasses.dataclass(frozen=True)
class _Derived:
    name: str
    size: int = dataclasses.field(init=False, default=0)


@dataclasses.dataclass(frozen=True, init=False)
class _OwnInitNotGenerated:
    name: str

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "name", name.strip())


@dataclasses.dataclass(frozen=True)
class _OwnInitKept:  # the decorator keeps an __init__ the class writes itself
    name: str

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "name", name.strip())


class _SubclassWithInit(_Plain):
    def __init__(self, name: str, count: int = 0) -> None:
        super().__init__(name.strip(), count)


@dataclasses.dataclass(frozen=True)
class _Cached:
    name: str

    @functools.cached_property
    def size(self) -> int:
        return len(self.name)


def test_a_quick_copy_is_a_new_object_with_the_changes_and_the_original_unchanged() -> None:
    original = _Plain("a", 1)
    assert editions._plain_copy_fields(_Plain) == {"name", "count"}
    copy = editions._replaced(original, name="b")
    assert copy == _Plain("b", 1) and type(copy) is _Plain
    assert original == _Plain("a", 1) and copy is not original
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.name = "c"  # type: ignore[misc]


@pytest.mark.parametrize("value", [_Checked("a"), _Slotted("a"), _Derived("a"), _OwnInitNotGenerated("a"), _OwnInitKept("a"),
                                   _SubclassWithInit("a")])
def test_classes_whose_init_does_more_than_set_fields_take_dataclasses_replace(value: object) -> None:
    assert not editions._plain_copy_fields(type(value))
    assert editions._replaced(value, name=" b ") == dataclasses.replace(value, name=" b ")  # type: ignore[type-var]


def test_a_cached_property_is_not_carried_into_the_copy() -> None:
    value = _Cached("ab")
    assert value.size == 2  # now held in the instance's dictionary
    copy = editions._replaced(value, name="abcd")
    assert copy == dataclasses.replace(value, name="abcd") and copy.size == 4


def test_the_views_are_copied_the_quick_way() -> None:
    for view in (FigureView, TargetView, IssueView, Link):
        assert editions._plain_copy_fields(view) == {field.name for field in dataclasses.fields(view)}


def test_an_unknown_field_is_refused_as_dataclasses_replace_refuses_it() -> None:
    with pytest.raises(TypeError):
        editions._replaced(_Plain("a"), nme="b")


@pytest.mark.parametrize("base_url", ["/", "/sub/path/", "https://example.org/parks/"])
def test_remembered_links_are_the_links_worked_out_each_time(base_url: str) -> None:
    urls = SiteUrls(base_url)
    paths = ["/", "/parks/a/", "/data/indicators.csv", "/en/parks/a/", "/404.html", "/parks/a/#x", "static/site.css"]
    paths += [f"/parks/p{number}/" for number in range(3 * editions._LINKS_REMEMBERED)]
    for edition in site_editions():
        remembered = EditionUrls(urls, edition)
        for _ in range(2):  # the second time from memory, where it is still held
            for path in paths:
                assert remembered.url(path) == urls.url(edition.site_path(path))
                assert remembered.absolute(path) == urls.absolute(edition.site_path(path))
        assert len(remembered._links) <= editions._LINKS_REMEMBERED
        assert len(remembered._absolutes) <= editions._LINKS_REMEMBERED
