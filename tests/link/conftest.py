"""Fixtures of the linkage tests: one small synthetic population, linked once per session."""

from __future__ import annotations

import pytest

from testament.link import LinkageResult, LinkSettings, link_records
from testament.synth import SyntheticLists, SynthSettings, generate_lists


@pytest.fixture(scope="session")
def small_lists() -> SyntheticLists:
    """About 1,300 records of 800 people on three lists (Cyrillic, Wikipedia-style, ICAO)."""
    return generate_lists(SynthSettings(people=800, lists=3, seed=11))


@pytest.fixture(scope="session")
def small_linkage(small_lists: SyntheticLists) -> LinkageResult:
    return link_records(small_lists.records, LinkSettings())
