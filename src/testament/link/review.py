"""The clerical review queue and the decisions that reviewers make on it.

Design (files, so that the command line today and the desk later share them):

* A run writes the **queue**: every pair scoring between the review and the match threshold
  that no one has decided yet — ``pair_id, record_id_l, record_id_r, list_l, list_r,
  match_probability``. It is rewritten by each run (pairs already decided are left out).
* Reviewers write **decisions**: ``pair_id, record_id_l, record_id_r, decision, decided_at,
  reviewer, note`` with ``decision`` either ``match`` or ``non-match``. The decisions file only
  grows (a later decision on the same pair replaces the earlier one) and is the record of who
  decided what.
* The next run **honours** the decisions: a ``match`` links the pair whatever its score, a
  ``non-match`` keeps the two records in different clusters (even through third records), and
  accepted pairs become training labels once there are enough of them.

A pair is named by ``pair_id``, a short hash of its two record ids in sorted order, so the same
two records have the same id in every run, whichever way round they were scored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pandas as pd

from testament.link.errors import ReviewError
from testament.link.files import write_csv_atomically

QUEUE_COLUMNS = ("pair_id", "record_id_l", "record_id_r", "list_l", "list_r", "match_probability")
DECISION_COLUMNS = (
    "pair_id",
    "record_id_l",
    "record_id_r",
    "decision",
    "decided_at",
    "reviewer",
    "note",
)


class Verdict(StrEnum):
    """What a reviewer decided about a pair."""

    MATCH = "match"
    NON_MATCH = "non-match"


def ordered(left: str, right: str) -> tuple[str, str]:
    return (left, right) if left <= right else (right, left)


def pair_id(left: str, right: str) -> str:
    """The stable id of the pair of records ``left`` and ``right`` (order does not matter)."""
    first, second = ordered(left, right)
    digest = hashlib.sha256(f"{first}\x1f{second}".encode()).hexdigest()
    return digest[:12]


@dataclass(frozen=True, slots=True)
class Decision:
    """One reviewer decision on one pair of records."""

    record_id_l: str
    record_id_r: str
    verdict: Verdict
    decided_at: str = ""
    reviewer: str = ""
    note: str = ""

    @property
    def pair_id(self) -> str:
        return pair_id(self.record_id_l, self.record_id_r)


def empty_queue() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in QUEUE_COLUMNS})


def read_queue(path: Path) -> pd.DataFrame:
    """Read a review queue written by a run."""
    if not path.exists():
        raise ReviewError(f"no review queue at {path}: link the records first")
    queue = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in QUEUE_COLUMNS if column not in queue.columns]
    if missing:
        raise ReviewError(f"{path} is not a review queue: it lacks {', '.join(missing)}")
    queue["match_probability"] = queue["match_probability"].astype(float)
    return queue


def read_decisions(path: Path) -> list[Decision]:
    """Read the decisions file (absent: no decisions yet). Later rows win over earlier ones."""
    if not path.exists():
        return []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in DECISION_COLUMNS[:4] if column not in frame.columns]
    if missing:
        raise ReviewError(f"{path} is not a decisions file: it lacks {', '.join(missing)}")
    latest: dict[str, Decision] = {}
    for line, row in enumerate(frame.itertuples(index=False), start=2):
        try:
            verdict = Verdict(row.decision)
        except ValueError as error:
            raise ReviewError(
                f"{path} line {line}: decision {row.decision!r} is neither 'match' nor 'non-match'"
            ) from error
        decision = Decision(
            record_id_l=str(row.record_id_l),
            record_id_r=str(row.record_id_r),
            verdict=verdict,
            decided_at=str(getattr(row, "decided_at", "")),
            reviewer=str(getattr(row, "reviewer", "")),
            note=str(getattr(row, "note", "")),
        )
        latest[decision.pair_id] = decision
    return list(latest.values())


def write_decisions(path: Path, decisions: Iterable[Decision]) -> None:
    """Write the decisions file atomically (one row per pair)."""
    rows = [
        {
            "pair_id": decision.pair_id,
            "record_id_l": decision.record_id_l,
            "record_id_r": decision.record_id_r,
            "decision": decision.verdict.value,
            "decided_at": decision.decided_at,
            "reviewer": decision.reviewer,
            "note": decision.note,
        }
        for decision in decisions
    ]
    write_csv_atomically(pd.DataFrame(rows, columns=list(DECISION_COLUMNS)), path)


def decide(
    queue: pd.DataFrame,
    decisions: list[Decision],
    pair: str,
    verdict: Verdict,
    *,
    reviewer: str = "",
    note: str = "",
    now: datetime | None = None,
) -> list[Decision]:
    """The decisions with ``verdict`` recorded for the queued pair ``pair`` (a pair id).

    Raises:
        ReviewError: ``pair`` is not in the queue.
    """
    rows = queue[queue["pair_id"] == pair]
    if rows.empty:
        raise ReviewError(
            f"pair {pair!r} is not in the review queue: listing the queue shows the pairs waiting"
        )
    row = rows.iloc[0]
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    new = Decision(
        record_id_l=str(row["record_id_l"]),
        record_id_r=str(row["record_id_r"]),
        verdict=verdict,
        decided_at=stamp,
        reviewer=reviewer,
        note=note,
    )
    return [decision for decision in decisions if decision.pair_id != pair] + [new]


def undecided(queue: pd.DataFrame, decisions: Iterable[Decision]) -> pd.DataFrame:
    """The queued pairs nobody has decided yet, most uncertain (closest to 0.5) first."""
    decided = {decision.pair_id for decision in decisions}
    open_pairs = queue[~queue["pair_id"].isin(decided)]
    order = (open_pairs["match_probability"] - 0.5).abs().sort_values(kind="stable").index
    return open_pairs.loc[order]
