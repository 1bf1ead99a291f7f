"""Estimating how many people no list recorded, from a casebook's linked persons, in one call.

The capture histories of a stored linkage run (``casework.histories``) become a capture table in
memory and go through ``testament.estimate``'s own ``estimate_table``: the same methods, the same
report rows as ``testament estimate TABLE.csv`` prints, without writing the table to a file and
reading it back. The warnings that qualify the numbers (a sparse table, chains that mixed
poorly) are raised as Python warnings, as the estimate package raises them, for the caller to
show or record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from testament.casework.histories import CaptureHistories, capture_histories
from testament.core.errors import SettingsError
from testament.estimate.report import Estimate, LCMCRSettings, Method, estimate_table
from testament.store.casebook import Casebook

if TYPE_CHECKING:
    from testament.estimate.lcmcr import Progress

METHODS: tuple[Method, ...] = ("loglinear", "lcmcr", "all")


@dataclass(frozen=True)
class EstimationSettings:
    """Which estimates to compute (the options of ``testament estimate``, defaults included).

    Attributes:
        method: ``loglinear``, ``lcmcr`` or ``all``.
        models: hierarchical log-linear models to fit as well, in Rcapture's bracket notation
            (``[12,13]``) or as ``list:list`` terms.
        seed: the seed of LCMCR's chains (None: a fresh run each time).
        lcmcr: how LCMCR is run.
    """

    method: Method = "all"
    models: tuple[str, ...] = ()
    seed: int | None = None
    lcmcr: LCMCRSettings = field(default_factory=LCMCRSettings)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise SettingsError(
                f"estimation method must be {', '.join(METHODS[:-1])} or {METHODS[-1]}, "
                f"got {self.method!r}"
            )


@dataclass(frozen=True)
class CasebookEstimates:
    """The estimates from one linkage run's capture histories.

    Attributes:
        histories: the capture histories the estimates were computed from.
        estimates: one row per method or model, as ``testament estimate`` prints them.
    """

    histories: CaptureHistories
    estimates: tuple[Estimate, ...]

    @property
    def observed(self) -> int:
        """People at least one list recorded."""
        return self.histories.people

    def to_json(self) -> dict[str, Any]:
        """The shape of ``testament estimate --json``, with the linkage run it counted."""
        return {
            "observed": self.observed,
            "lists": list(self.histories.lists),
            "estimates": [e.as_json() for e in self.estimates],
            "run_id": self.histories.run_id,
        }


def estimate_casebook(
    casebook: Casebook,
    settings: EstimationSettings | None = None,
    *,
    run_id: str | None = None,
    progress: Progress | None = None,
) -> CasebookEstimates:
    """Estimate the total from the capture histories of a linkage run (the latest by default).

    Args:
        casebook: an open casebook holding at least one linkage run.
        settings: which estimates (``EstimationSettings()`` when None).
        run_id: the linkage run to count; None for the latest.
        progress: called with (done, total) while LCMCR samples.

    Raises:
        InputError / RecordNotFoundError: no linkage run (see ``capture_histories``).
        TooFewListsError: the run's persons are on fewer than two lists.
        EstimateError: no method gave an estimate, or the settings do not fit the table.
    """
    chosen = settings or EstimationSettings()
    histories = capture_histories(casebook, run_id)
    table = histories.table()
    table.require_lists(2, "multiple systems estimation")
    estimates = estimate_table(
        table,
        chosen.method,
        seed=chosen.seed,
        lcmcr=chosen.lcmcr,
        progress=progress,
        models=chosen.models,
    )
    return CasebookEstimates(histories=histories, estimates=tuple(estimates))
