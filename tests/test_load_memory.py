"""What a loaded and derived corpus keeps in memory: shared field sets, slotted results, lazy indexes."""

from __future__ import annotations

from pathlib import Path

from parkreport.derive import derive
from parkreport.derive.results import DerivedNumber, Observation
from parkreport.load import load_raw, parse_file
from parkreport.periods import Period
from parkreport.validate import load_corpus


def test_load_memory_models_setting_the_same_fields_share_one_set(mini_content: Path) -> None:
    corpus = load_corpus(mini_content)
    indicators = [i for r in corpus.reports.values() for i in r.indicators]
    by_fields: dict[frozenset[str], set[int]] = {}
    for indicator in indicators:
        by_fields.setdefault(frozenset(indicator.model_fields_set), set()).add(id(indicator.model_fields_set))
    assert len(indicators) > len(by_fields)
    assert all(len(ids) == 1 for ids in by_fields.values())


def test_load_memory_sharing_changes_no_value(mini_content: Path) -> None:
    raw = load_raw(mini_content)
    for loaded in [*raw.parks, *raw.reports]:
        again = parse_file((mini_content / loaded.path).read_bytes(), loaded.path, type(loaded.model)).model
        assert again == loaded.model
        assert again.model_dump(exclude_unset=True) == loaded.model.model_dump(exclude_unset=True)


def test_load_memory_source_index_is_built_on_first_lookup(mini_content: Path) -> None:
    corpus = load_corpus(mini_content)
    source = next(iter(corpus.sources.values()))
    assert source._compact_text is None  # validation did not keep a second copy of the text
    quote = next(iter(corpus.reports.values())).indicators[0].quote
    assert source.find(quote) is not None


def test_load_memory_derived_results_have_no_instance_dicts(mini_content: Path) -> None:
    derived = derive(load_corpus(mini_content))
    for value in (derived.observations[0], derived.observations[0].period, derived.series[0].points[0]):
        assert not hasattr(value, "__dict__")
    assert Observation.__slots__ and DerivedNumber.__slots__ and Period.__slots__
