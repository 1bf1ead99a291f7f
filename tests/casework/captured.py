"""A casebook whose linked persons have a capture history chosen by the test.

Each pattern of lists (e.g. ``"110"``: on lists A and B, not C) stands for that many people; each
person becomes one Person record per list that names them, and one stored linkage run puts the
records of one person into one cluster. So the capture history the casebook must give back is
the table the test wrote, and nothing of the linkage model (tested in ``tests/link``) is involved.
"""

from __future__ import annotations

from collections.abc import Mapping

from testament.core.records import Person, Source
from testament.store import Casebook
from testament.store.persons import store_person_links

LISTS = ("list-a", "list-b", "list-c")


def add_captured_people(
    casebook: Casebook, patterns: Mapping[str, int], *, prefix: str = "p"
) -> list[tuple[str, str, float | None]]:
    """Add the lists (if missing) and the persons of ``patterns``; return their links."""
    records: list[Source | Person] = [
        Source(id=name, kind="ngo_report", title=f"List {name}")
        for name in LISTS
        if not casebook.existing_ids("source", {name})
    ]
    links: list[tuple[str, str, float | None]] = []
    for pattern, count in patterns.items():
        for number in range(count):
            cluster = f"{prefix}-{pattern}-{number}"
            for on, name in zip(pattern, LISTS, strict=True):
                if on == "1":
                    person_id = f"{cluster}-{name}"
                    records.append(Person(id=person_id, pseudonym=person_id, source_id=name))
                    links.append((person_id, cluster, 0.99))
    casebook.add(records, actor="analyst")
    return links


def store_run(casebook: Casebook, links: list[tuple[str, str, float | None]], run: str) -> str:
    """Store ``links`` as the linkage run ``run``."""
    return store_person_links(casebook, links, actor="analyst", run_id=run)


def as_csv(patterns: Mapping[str, int]) -> str:
    """The same capture history as ``testament estimate`` reads it from a file."""
    header = ",".join(LISTS) + ",count"
    return "\n".join([header, *(",".join([*pattern, str(n)]) for pattern, n in patterns.items())])
