"""Every kind of intake page, in English and in Russian, checked by axe-core in real Chromium
against WCAG 2.1 A and AA, in the light and the dark colour scheme: no violation of impact
"serious" or "critical" is allowed. These pages are read by people at risk, often on old phones
and in a hurry: a missing label or a faint text costs more here than anywhere.

The pages come from the intake app in process (Starlette's TestClient, CSRF protection on): the
front page, the codename page, the submission form (empty, sent, nothing sent, with a reply from
the desk), the log-in form and a failed log-in, and a page that does not exist. The form's own
script (seal.js) and the stylesheet are served from the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from testament.crypto.age import encrypt_bytes, parse_recipient
from testament.intake.web.app import create_app
from tests.browser.axe_check import Page, Pages, axe_failures, require_axe
from tests.intake.conftest import Instance, csrf_token, desk, submit

pytestmark = pytest.mark.browser
BASE_URL = "http://intake.onion"


@pytest.fixture
def intake(instance: Instance) -> Iterator[TestClient]:
    """The intake tests' instance, in process (``instance`` comes from tests/intake)."""
    with TestClient(create_app(instance.settings), base_url=BASE_URL) as test_client:
        yield test_client


def _collect(client: TestClient, instance: Instance, language: str) -> Pages:
    pages = Pages(language)
    query = f"?lang={language}"
    pages.add("front page", "/" + query, client.get("/" + query))
    front = client.get("/" + query)
    codename = client.post("/codename" + query, data={"csrf_token": csrf_token(front.text)})
    pages.add("codename", "/codename" + query, codename)
    pages.add("submission form", "/source" + query, client.get("/source" + query))
    submit(client, "They took him on the 3rd.")
    sent = f"/source{query}&sent=1"
    pages.add("sent", sent, client.get(sent))
    empty = f"/source{query}&empty=1"
    pages.add("nothing sent", empty, client.get(empty))
    listing = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()
    submission = listing["submissions"][0]
    reply = encrypt_bytes(
        b"We received it. Stay safe.",
        [parse_recipient(submission["source_recipient"])],
    )
    added = client.post(
        f"/desk/v1/sources/{submission['source']}/replies",
        content=reply,
        headers={**desk(client, instance), "content-type": "application/octet-stream"},
    )
    assert added.status_code == 201
    pages.add("reply", "/source" + query + "&reply=1", client.get("/source" + query))
    client.cookies.clear()
    login = client.get("/login" + query)
    pages.add("log-in", "/login" + query, login)
    failed = client.post(
        "/login" + query,
        data={"csrf_token": csrf_token(login.text), "codename": "wrong words entirely here"},
    )
    pages.add("failed log-in", "/login" + query + "&failed=1", failed, failed.status_code)
    pages.add("not found", "/nowhere" + query, client.get("/nowhere" + query), 404)
    return pages


def _static(client: TestClient) -> dict[str, Page]:
    files = {"/static/intake.css": "text/css", "/static/seal.js": "text/javascript"}
    return {
        path: Page(path, path, 200, client.get(path).text, kind) for path, kind in files.items()
    }


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_intake_page_passes_axe_core_wcag_21_aa(
    chromium: Any, intake: TestClient, instance: Instance, language: str
) -> None:
    require_axe()
    pages = _collect(intake, instance, language)
    assert pages.names() >= {"front page", "codename", "submission form", "reply", "log-in"}
    for page in pages.pages:
        assert f'<html lang="{language}">' in page.body, f"{page.name} is not in {language}"
    reply = next(page for page in pages.pages if page.name == "reply")
    assert "We received it" in reply.body  # the reply is on the page checked
    static = _static(intake)
    failures = axe_failures(chromium, BASE_URL, pages, static.get)
    assert not failures, "\n".join(failures)
