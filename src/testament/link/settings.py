"""The settings of one linkage run: one frozen object, built by the caller, checked when built."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from testament.core.errors import SettingsError

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """How a linkage run scores, thresholds and trains.

    Attributes:
        engine: ``duckdb`` (in-process, the default) or ``spark`` (PySpark; local mode unless the
            caller passes its own session).
        match_threshold: pairs scoring at least this match probability are linked.
        review_threshold: pairs scoring at least this (and below ``match_threshold``) go to the
            clerical review queue; below it a pair is a non-match.
        within_lists: also compare records of the same list (one list may name a man twice;
            two records of one list then share a cluster only through a link between the two);
            ``False`` is for lists known to name each person once: only records of different
            lists are compared (faster), and no cluster holds two records of one list.
        u_sample_pairs: random record pairs drawn to estimate how often non-matches agree.
        em_max_pairs: cap on the blocked pairs each EM training pass uses (``None``: all).
        min_labelled_matches: reviewer-accepted pairs needed before they are used to estimate the
            m probabilities (fewer would make the estimates noisier than EM's own).
        seed: seed of every random draw, so that a run can be repeated exactly.
        chunk_records: scoring splits the records into chunks of about this many on each side
            of a pair and scores chunk against chunk, so memory stays bounded on large inputs.
        memory_limit_gib: DuckDB's memory limit (it spills to a temporary folder beyond it);
            ``None`` leaves DuckDB's own default (80% of the machine's memory).
    """

    engine: Engine = "duckdb"
    match_threshold: float = 0.7
    review_threshold: float = 0.4
    within_lists: bool = True
    u_sample_pairs: float = 1e6
    em_max_pairs: float | None = 2e6
    min_labelled_matches: int = 20
    seed: int = 1
    chunk_records: int = 250_000
    memory_limit_gib: float | None = None

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise SettingsError(f"engine {self.engine!r} is not one of {', '.join(ENGINES)}")
        if not 0.0 < self.review_threshold <= self.match_threshold <= 1.0:
            raise SettingsError(
                "thresholds must satisfy 0 < review_threshold <= match_threshold <= 1; got "
                f"review_threshold={self.review_threshold}, "
                f"match_threshold={self.match_threshold}"
            )
        if self.u_sample_pairs < 1000:
            raise SettingsError(f"u_sample_pairs must be at least 1000, got {self.u_sample_pairs}")
        if self.em_max_pairs is not None and self.em_max_pairs < 1000:
            raise SettingsError(f"em_max_pairs must be at least 1000, got {self.em_max_pairs}")
        if self.chunk_records < 1000:
            raise SettingsError(f"chunk_records must be at least 1000, got {self.chunk_records}")
        if self.memory_limit_gib is not None and self.memory_limit_gib <= 0:
            raise SettingsError(f"memory_limit_gib must be positive, got {self.memory_limit_gib}")
        if self.min_labelled_matches < 1:
            raise SettingsError("min_labelled_matches must be at least 1")
