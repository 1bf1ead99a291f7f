"""Fixtures of the intake tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from testament.crypto.codenames import KdfParameters, SourceKeys, derive_source_keys

PEPPER = bytes(range(32))


@pytest.fixture
def insecure_fast_kdf() -> KdfParameters:
    """argon2id at its minimum cost: tests derive many codenames; never use this in an instance."""
    return KdfParameters(time_cost=1, memory_kib=8, parallelism=1)


@pytest.fixture
def derive() -> Callable[..., SourceKeys]:
    def _derive(codename: str, kdf: KdfParameters, pepper: bytes = PEPPER) -> SourceKeys:
        return derive_source_keys(codename, pepper, kdf)

    return _derive
