"""The report's settings: one frozen object, checked when built, its defaults defined here once.

A module without numpy, scipy or matplotlib, so the command line can show the defaults without
loading them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from testament.core.errors import SettingsError
from testament.report.i18n import LANGUAGES, Language

DEFAULT_K = 5
EstimationMethod = Literal["loglinear", "lcmcr", "all"]  # testament.estimate's Method
METHODS: tuple[EstimationMethod, ...] = ("loglinear", "lcmcr", "all")
CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class ReportSettings:
    """How a report is made.

    ``k``: no published cell counts from 1 to k-1 people, and no withheld cell can be narrowed
    to a range narrower than k from what is published. ``method`` and ``seed``: the estimation
    run on ``--lists``. ``pdf``: print a PDF with ``chromium`` beside the HTML.
    ``public_data``: also write the safe aggregates as CSV and JSON with a data dictionary.
    """

    language: Language = "en"
    k: int = DEFAULT_K
    public_data: bool = False
    pdf: bool = True
    method: EstimationMethod = "loglinear"
    seed: int = 1
    chromium: Path = CHROMIUM

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise SettingsError(
                f"language {self.language!r} is not available: choose {' or '.join(LANGUAGES)}"
            )
        if self.k < 2:
            raise SettingsError(
                f"k must be at least 2 (got {self.k}): a cell of one person is always withheld"
            )
        if self.method not in METHODS:
            raise SettingsError(f"method must be one of {', '.join(METHODS)} (got {self.method!r})")
