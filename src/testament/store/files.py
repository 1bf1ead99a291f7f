"""Helpers of the store's bulk operations (its files are written by ``testament.core.files``)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk operation allocates millions of objects.

    Records are not cyclic, but every full collection walks all live objects: building a million
    records with the collector on spends most of its time in collections that free nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
