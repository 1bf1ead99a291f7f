"""Writing a casebook out as JSON Lines (every record) or CSV (one record type)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from testament.core.errors import InputError
from testament.core.files import atomic_text_writer
from testament.core.records import RECORD_TYPES
from testament.store.casebook import Casebook
from testament.store.tabular import csv_columns, to_csv_row


def export_jsonl(
    casebook: Casebook, path: Path, *, progress: Callable[[int], None] | None = None
) -> int:
    """Every record, referenced types first, so the file imports back into an empty casebook."""
    written = 0
    with atomic_text_writer(path) as stream:
        for record_type in RECORD_TYPES:
            for record in casebook.records(record_type):
                stream.write(record.model_dump_json() + "\n")
                written += 1
                if progress is not None and written % 10_000 == 0:
                    progress(10_000)
    return written


def export_csv(casebook: Casebook, record_type: str, path: Path) -> int:
    if record_type not in RECORD_TYPES:
        raise InputError(
            f"unknown record type {record_type!r}: expected one of {', '.join(RECORD_TYPES)}"
        )
    written = 0
    with atomic_text_writer(path, newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=csv_columns(RECORD_TYPES[record_type]))
        writer.writeheader()
        for record in casebook.records(record_type):
            writer.writerow(to_csv_row(record))
            written += 1
    return written
