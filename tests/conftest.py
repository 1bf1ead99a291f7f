"""Shared fixtures: system components (PostgreSQL, Chromium, Java) and their honest absence.

On a developer's machine a test whose component is missing is skipped with the reason. In CI
(``TESTAMENT_REQUIRE_SYSTEM_COMPONENTS=1``, set by ``.ci/run``) it fails instead, because a skip
there would hide a missing install step.
"""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["tests.support.postgres", "tests.support.read_only"]


def require_component(available: bool, what: str) -> None:
    """Skip (developer machine) or fail (CI) when a system component a test needs is missing."""
    if available:
        return
    if os.environ.get("TESTAMENT_REQUIRE_SYSTEM_COMPONENTS") == "1":
        pytest.fail(f"{what} is required in CI but missing: .ci/run must install it")
    pytest.skip(f"{what} is not installed on this machine")
