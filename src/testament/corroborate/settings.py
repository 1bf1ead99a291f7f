"""The thresholds of the corroboration rules: one frozen object, its defaults defined here once.

A module without numpy or scipy, so that the command line can show the defaults without loading
the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

from testament.core.errors import SettingsError


@dataclass(frozen=True)
class CorroborationSettings:
    """Thresholds of the rules (counted in independent lines); a desk may set stricter ones."""

    corroborated_min_lines: int = 2
    confirmed_min_lines: int = 3
    corroboration_needs_first_hand: bool = True
    documentary_confirms: bool = True
    documentary_confirms_min_lines: int = 1
    #: Two items of one outlet, neither derived from the other: independent lines or not.
    #: Conservative by default (not): one newsroom's reports may share sources it does not name.
    same_outlet_independent: bool = False

    def __post_init__(self) -> None:
        if self.corroborated_min_lines < 1:
            raise SettingsError("corroborated_min_lines must be at least 1")
        if self.confirmed_min_lines < self.corroborated_min_lines:
            raise SettingsError("confirmed_min_lines must not be below corroborated_min_lines")
        if self.documentary_confirms_min_lines < 1:
            raise SettingsError("documentary_confirms_min_lines must be at least 1")
