"""A real intake on loopback for the desk and browser tests: uvicorn in a background thread.

The desk talks HTTP to the intake (urllib), and Chromium needs a real server, so these tests do
not use an in-process test client. The instance uses ``insecure_fast_kdf`` (argon2id at its
minimum cost): the tests derive codenames often; no real instance may use it.
"""

from __future__ import annotations

import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
import uvicorn

from testament.crypto.codenames import KdfParameters
from testament.intake.settings import IntakeSettings, new_pepper, write_settings
from testament.intake.web.app import create_app
from testament.intake.web.desk_api import token_sha256

INSECURE_FAST_KDF = KdfParameters(time_cost=1, memory_kib=8, parallelism=1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_CODENAME = re.compile(r'<p class="codename" id="codename">([^<]+)</p>')


@dataclass(frozen=True)
class LiveIntake:
    url: str
    folder: Path
    token: str
    settings: IntakeSettings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_intake(folder: Path, recipients: tuple[str, ...]) -> Iterator[LiveIntake]:
    """An intake instance in ``folder`` served on 127.0.0.1 until the block ends."""
    token = secrets.token_urlsafe(32)
    settings = IntakeSettings(
        folder=folder,
        recipients=recipients,
        pepper=new_pepper(),
        desk_token_sha256=token_sha256(token),
        kdf_time_cost=INSECURE_FAST_KDF.time_cost,
        kdf_memory_kib=INSECURE_FAST_KDF.memory_kib,
        # the journeys log in and submit many times from one "source" within a minute
        submissions_per_source_per_hour=1000,
        logins_per_browser_per_minute=1000,
    )
    folder.mkdir(parents=True, exist_ok=True)
    write_settings(settings)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        access_log=False,
        log_level="warning",
        ws="none",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-intake", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the intake did not start")
        time.sleep(0.02)
    try:
        yield LiveIntake(f"http://127.0.0.1:{port}", folder, token, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


class SourceBrowser:
    """A source using the pages without JavaScript, over real HTTP (cookies kept)."""

    def __init__(self, intake: LiveIntake, lang: str = "en") -> None:
        self.lang = lang
        self.url = intake.url
        self.http = requests.Session()

    def close(self) -> None:
        self.http.close()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.url + path, allow_redirects=False, timeout=30)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.url + path, allow_redirects=False, timeout=60, **kwargs)

    def new_codename(self) -> str:
        front = self.get(f"/?lang={self.lang}")
        page = self.post(f"/codename?lang={self.lang}", data={"csrf_token": csrf_of(front.text)})
        assert page.status_code == 200, page.text
        match = _CODENAME.search(page.text)
        assert match, "no codename on the page"
        return match.group(1)

    def log_in(self, codename: str) -> None:
        form = self.get(f"/login?lang={self.lang}")
        answer = self.post(
            f"/login?lang={self.lang}",
            data={"csrf_token": csrf_of(form.text), "codename": codename},
        )
        assert answer.status_code == 303, answer.text

    def submit(
        self,
        message: str = "",
        files: tuple[tuple[str, bytes, str], ...] = (),
        sealed: tuple[tuple[str, bytes], ...] = (),
    ) -> requests.Response:
        """Send the form: plaintext ``message``/``files`` (no-JS path) and/or sealed parts."""
        page = self.get(f"/source?lang={self.lang}")
        assert page.status_code == 200, page.status_code
        parts: list[tuple[str, tuple[str | None, bytes] | tuple[str, bytes, str]]] = [
            ("csrf_token", (None, csrf_of(page.text).encode()))
        ]
        if message:
            parts.append(("message", (None, message.encode("utf-8"))))
        parts += [("file", (name, data, kind)) for name, data, kind in files]
        parts += [(name, ("sealed.age", data, "application/octet-stream")) for name, data in sealed]
        answer = self.post(f"/source/submit?lang={self.lang}", files=parts)
        assert answer.status_code == 303, (answer.status_code, answer.text)
        assert "sent=1" in answer.headers["location"]
        return answer

    def source_page(self) -> str:
        page = self.get(f"/source?lang={self.lang}")
        assert page.status_code == 200, page.status_code
        return page.text
