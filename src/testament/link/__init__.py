"""Record linkage of victim lists: which records of several organisations' lists are one person.

The library API (the CSV command and, later, the casebook adapter are shells over it)::

    import pandas as pd
    from testament.link import LinkSettings, link_records, read_records

    records = read_records(Path("RECORDS.csv"))        # or any DataFrame of text columns
    # testament.link.reading.load_records also reports how the file was read (encoding,
    # delimiter, headers mapped, dates converted); ReadOptions override what it detects.
    result = link_records(records, LinkSettings(match_threshold=0.9, review_threshold=0.5))
    result.clusters       # record_id, cluster_id, match_probability — every input record
    result.review_queue   # pairs between the thresholds, for clerical review
    result.history        # capture history: one 0/1 column per list + count
    result.pairs          # every scored pair at or above the review threshold

Input columns (``testament.link.records``): ``list``, ``record_id`` and any of ``given_name``,
``family_name``, ``patronymic``, ``names_as_reported``, ``sex``, ``birth``, ``event_date``,
``place``, ``age``, ``address``, ``document``; blank means unknown. ``link_records`` compares
dates in EDTF; ``read_records`` first turns dates written as in lists (``23.12.1994``,
``12.1994``, ``декабрь 1994``) into EDTF (``testament.link.written_dates``). Reviewer decisions
(``testament.link.review``) are passed as ``decisions=[Decision(...)]``: they force matches and
non-matches and, when there are enough accepted pairs, serve as training labels.

How it works: ``reading`` reads a file as people export it (``textfile``: its encoding and
delimiter; ``headers``: its column names to ours; ``written_dates``), ``names`` turns names in
any script into canonical Latin keys, ``dates`` turns EDTF dates, years and ages into intervals,
``features`` computes the compared columns, ``model`` trains a Fellegi–Sunter model in Splink (EM
without labels) on DuckDB or Spark (``engine``), ``clusters`` joins linked pairs into people
while honouring decisions. Errors: ``errors`` (``LinkageError`` root, ``RecordsError`` for bad
input).
"""

from __future__ import annotations

from testament.link.clusters import capture_history
from testament.link.errors import EngineError, LinkageError, RecordsError, ReviewError
from testament.link.linkage import LinkageResult, link_records
from testament.link.reading import read_records
from testament.link.records import check_records
from testament.link.review import Decision, Verdict, pair_id
from testament.link.settings import LinkSettings

__all__ = [
    "Decision",
    "EngineError",
    "LinkSettings",
    "LinkageError",
    "LinkageResult",
    "RecordsError",
    "ReviewError",
    "Verdict",
    "capture_history",
    "check_records",
    "link_records",
    "pair_id",
    "read_records",
]
