"""Errors of the report.

TestamentError                 (testament.core.errors)
└── ReportError                the report could not be written; nothing was left behind
    └── DisclosureLeakError    an output file contained a string that must never be published
"""

from __future__ import annotations

from testament.core.errors import TestamentError


class ReportError(TestamentError):
    """The report could not be written (the folder, the casebook, the settings)."""


class DisclosureLeakError(ReportError):
    """An output file held a restricted string. The message names the file, the record and the
    field; never the string itself."""
