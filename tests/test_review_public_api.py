"""The package's public API: what a user of the library imports from ``parkreport``."""

from __future__ import annotations

from pathlib import Path

import parkreport

MINI = Path(__file__).parent / "fixtures" / "mini"


def test_every_public_name_exists_and_nothing_private_is_listed() -> None:
    missing = [name for name in parkreport.__all__ if not hasattr(parkreport, name)]
    assert missing == []
    assert [name for name in parkreport.__all__ if name.startswith("_") and name != "__version__"] == []


def test_the_pipeline_stages_a_user_calls_are_public() -> None:
    for name in ("load_corpus", "derive", "build_site", "SiteConfig", "Corpus", "Derived", "ingest", "new_site"):
        assert name in parkreport.__all__, name


def test_load_then_derive_through_the_public_names() -> None:
    corpus = parkreport.load_corpus(MINI)
    derived = parkreport.derive(corpus)
    assert isinstance(derived, parkreport.Derived)
    assert {o.park for o in derived.observations} == set(corpus.parks)
