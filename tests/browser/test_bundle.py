"""The committed age bundle matches the pinned npm packages, and its licences travel with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "testament" / "intake" / "static"
LOCK = ROOT / "scripts" / "js" / "package-lock.json"


def runtime_packages() -> set[tuple[str, str]]:
    """The packages the bundle is built from (not the build tools), with their pinned versions
    (a nested ``a/node_modules/b`` is package ``b`` in the version ``a`` needs)."""
    packages = json.loads(LOCK.read_text())["packages"]
    return {
        (path.rsplit("node_modules/", 1)[1], entry["version"])
        for path, entry in packages.items()
        if path.startswith("node_modules/") and not entry.get("dev")
    }


def test_the_bundle_is_built_from_the_pinned_age_encryption():
    (pinned,) = [version for name, version in runtime_packages() if name == "age-encryption"]
    banner = (STATIC / "age.bundle.js").read_text().splitlines()[0]

    assert re.search(rf"age-encryption {re.escape(pinned)} ", banner), banner
    assert "var testamentAge=" in (STATIC / "age.bundle.js").read_text()


def test_every_bundled_package_has_its_licence_beside_the_bundle():
    licences = (STATIC / "age.bundle.LICENSE.txt").read_text()

    for package, version in runtime_packages():
        assert f"\n{package} {version}\n" in licences, package


def test_the_page_script_needs_no_inline_code_and_no_other_origin():
    script = (STATIC / "seal.js").read_text()

    assert "eval(" not in script
    assert "new Function" not in script
    assert "http://" not in script
    assert "https://" not in script
    for storage in ("localStorage", "sessionStorage", "indexedDB", "document.cookie"):
        assert storage not in script  # the plaintext is never kept in the browser
