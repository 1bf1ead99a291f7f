"""The report package's public names are these, and each of them resolves (lazily or not)."""

from __future__ import annotations

import testament.report


def test_the_public_names_are_pinned() -> None:
    assert sorted(testament.report.__all__) == [
        "CountTable",
        "DisclosureLeakError",
        "ProtectedTables",
        "ReportError",
        "ReportSettings",
        "Written",
        "build_report",
        "protect",
    ]
    for name in testament.report.__all__:
        assert getattr(testament.report, name) is not None
