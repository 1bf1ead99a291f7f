"""Shared fixtures: system components (PostgreSQL, Chromium, Java) and their honest absence.

On a developer's machine a test whose component is missing is skipped with the reason. In CI
(``TESTAMENT_REQUIRE_SYSTEM_COMPONENTS=1``, set by ``.ci/run``) it fails instead, because a skip
there would hide a missing install step.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

pytest_plugins = ["tests.support.postgres", "tests.support.read_only"]

# Property tests check behaviour, not speed (speed is measured by benchmarks/): on a loaded
# machine one example can take longer than Hypothesis' default 200 ms deadline, and a test that
# fails for that reason says nothing about the code.
settings.register_profile("testament", deadline=None)
settings.load_profile("testament")


def require_component(available: bool, what: str) -> None:
    """Skip (developer machine) or fail (CI) when a system component a test needs is missing."""
    if available:
        return
    if os.environ.get("TESTAMENT_REQUIRE_SYSTEM_COMPONENTS") == "1":
        pytest.fail(f"{what} is required in CI but missing: .ci/run must install it")
    pytest.skip(f"{what} is not installed on this machine")
