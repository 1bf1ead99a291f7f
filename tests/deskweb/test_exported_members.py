"""The public names of the desk's web package and of the shared web plumbing, pinned."""

from __future__ import annotations

import testament.desk
import testament.desk.web


def test_the_desk_web_package_exports_its_entry_points():
    assert sorted(testament.desk.web.__all__) == ["DeskWebSettings", "create_app"]


def test_the_desk_exports_its_errors():
    assert "AccountError" in testament.desk.__all__
    assert issubclass(testament.desk.AccountError, testament.desk.DeskError)
