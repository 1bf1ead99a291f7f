"""A synthetic casebook for benchmarks: sources (some re-reporting others), events, claims.

Deterministic for a seed. ``derived_share`` of the sources repeat an earlier source, so
``derived_from`` never forms a cycle.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np

STANCES = ["asserts", "asserts", "asserts", "acknowledges", "denies", "retracts"]
BASES = ["first_hand", "hearsay", "documentary"]


def casebook_lines(
    *, sources: int, claims: int, events: int, derived_share: float = 0.1, seed: int = 1
) -> Iterator[str]:
    """JSON Lines of a casebook: sources first, then events, then claims."""
    rng = np.random.default_rng(seed)
    derived = rng.random(sources) < derived_share
    derived[0] = False
    for index in range(sources):
        record: dict[str, object] = {
            "type": "source",
            "id": f"s{index}",
            "kind": "official_statement" if index % 50 == 0 else "news_article",
            "outlet": f"Outlet {index % 300}",
            "published": {"edtf": f"2017-{1 + index % 12:02d}"},
        }
        if derived[index]:
            record["derived_from"] = [f"s{int(rng.integers(0, index))}"]
        yield json.dumps(record) + "\n"
    for index in range(events):
        yield json.dumps({"type": "event", "id": f"e{index}", "title": f"Event {index}"}) + "\n"
    source_of = rng.integers(0, sources, size=claims)
    target_of = rng.integers(0, events, size=claims)
    stance_of = rng.integers(0, len(STANCES), size=claims)
    basis_of = rng.integers(0, len(BASES), size=claims)
    for index in range(claims):
        yield (
            f'{{"type":"claim","id":"c{index}","source_id":"s{source_of[index]}",'
            f'"target_kind":"event","target_id":"e{target_of[index]}",'
            f'"stance":"{STANCES[stance_of[index]]}","basis":"{BASES[basis_of[index]]}"}}\n'
        )
