"""Fixtures of the intake tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from testament.crypto.codenames import KdfParameters, SourceKeys, derive_source_keys

PEPPER = bytes(range(32))


@pytest.fixture
def insecure_fast_kdf() -> KdfParameters:
    """argon2id at its minimum cost: tests derive many codenames; never use this in an instance."""
    return KdfParameters(time_cost=1, memory_kib=8, parallelism=1)


@pytest.fixture
def derive() -> Callable[..., SourceKeys]:
    def _derive(codename: str, kdf: KdfParameters, pepper: bytes = PEPPER) -> SourceKeys:
        return derive_source_keys(codename, pepper, kdf)

    return _derive


# The app under test -------------------------------------------------------------------------

import dataclasses  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from pyrage import x25519  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from testament.intake.settings import IntakeSettings, new_pepper, write_settings  # noqa: E402
from testament.intake.web.app import create_app  # noqa: E402
from testament.intake.web.desk_api import token_sha256  # noqa: E402


@dataclasses.dataclass
class Instance:
    settings: IntakeSettings
    reviewer: x25519.Identity
    desk_token: str

    @property
    def folder(self) -> Path:
        return self.settings.folder


@pytest.fixture
def reviewer() -> x25519.Identity:
    return x25519.Identity.generate()


@pytest.fixture
def instance(tmp_path, reviewer, insecure_fast_kdf) -> Instance:
    """A fresh intake instance with one reviewer, a desk token and the fast (insecure) KDF."""
    token = secrets.token_urlsafe(32)
    settings = IntakeSettings(
        folder=tmp_path / "intake",
        recipients=(str(reviewer.to_public()),),
        pepper=new_pepper(),
        desk_token_sha256=token_sha256(token),
        kdf_time_cost=insecure_fast_kdf.time_cost,
        kdf_memory_kib=insecure_fast_kdf.memory_kib,
    )
    settings.folder.mkdir()
    write_settings(settings)
    return Instance(settings, reviewer, token)


@pytest.fixture
def client(instance) -> Iterator[TestClient]:
    with TestClient(create_app(instance.settings), base_url="http://intake.onion") as test_client:
        yield test_client


CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
CODENAME = re.compile(r'<p class="codename" id="codename">([^<]+)</p>')


def csrf_token(page_html: str) -> str:
    match = CSRF_FIELD.search(page_html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def new_source(client: TestClient, lang: str = "en") -> str:
    """Get a codename the way a source does (front page, button); return the codename."""
    front = client.get(f"/?lang={lang}")
    page = client.post(f"/codename?lang={lang}", data={"csrf_token": csrf_token(front.text)})
    assert page.status_code == 200, page.text
    match = CODENAME.search(page.text)
    assert match
    return match.group(1)


def submit(client: TestClient, message: str = "", files=(), *, sealed=(), extra=None):
    """Send the submission form (no-JavaScript path unless ``sealed`` parts are given)."""
    form = client.get("/source")
    parts = [("csrf_token", (None, csrf_token(form.text)))]
    if message:
        parts.append(("message", (None, message.encode())))
    parts += [("file", f) for f in files]
    parts += [(name, (None, data, "application/octet-stream")) for name, data in sealed]
    parts += list(extra or [])
    return client.post("/source/submit", files=parts, follow_redirects=False)


def desk(client: TestClient, instance: Instance) -> dict[str, str]:
    return {"Authorization": f"Bearer {instance.desk_token}"}
