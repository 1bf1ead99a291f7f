"""Every kind of desk page, in English and in Russian, checked by axe-core in real Chromium
against WCAG 2.1 A and AA, in the light and the dark colour scheme: no violation of impact
"serious" or "critical" is allowed.

The pages come from the desk app in process (Starlette's TestClient, logged in as an admin, who
sees every page kind); pages that answer a POST (a secret record after its reason, a form with
problems, a conflict) are checked as the app answered them (``axe_check`` says how they reach
the browser).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from testament.casework.linking import link_casebook
from testament.core.records import Act, Claim, Event, Source
from testament.link import LinkSettings
from testament.store import Casebook
from tests.browser.axe_check import Page, Pages, axe_failures, require_axe
from tests.deskweb.conftest import BASE_URL, Connected, Desk, csrf_of, press_pull, runtime_of
from tests.deskweb.test_editing import form_values
from tests.support.listed_persons import listed_persons

pytestmark = pytest.mark.browser


def _corroborated_records() -> list[object]:
    """Detentions told by a testimony and a newspaper, a digest repeating the newspaper and the
    ministry's denial: the corroboration page then has lines, a dependent, a denial and a graph."""

    def claim(claim_id: str, source: str, kind: str, target: str, stance: str) -> Claim:
        return Claim(
            id=claim_id,
            source_id=source,
            target_kind=kind,  # type: ignore[arg-type]
            target_id=target,
            stance=stance,  # type: ignore[arg-type]
            basis="hearsay",
            confidentiality="public",
        )

    return [
        Event(id="e-det", title="Detentions in Argun", confidentiality="public"),
        Act(id="a-det", event_id="e-det", act_type="arbitrary_detention", confidentiality="public"),
        Source(id="s-witness", kind="testimony", confidentiality="restricted", text="w"),
        Source(id="s-paper", kind="news_article", outlet="Paper", confidentiality="public"),
        Source(
            id="s-digest",
            kind="news_article",
            outlet="Digest",
            derived_from=("s-paper",),
            confidentiality="public",
        ),
        Source(id="s-ministry", kind="official_statement", confidentiality="public"),
        claim("c1", "s-witness", "act", "a-det", "asserts"),
        claim("c2", "s-paper", "act", "a-det", "asserts"),
        claim("c3", "s-digest", "act", "a-det", "asserts"),
        claim("c4", "s-ministry", "event", "e-det", "denies"),
    ]


@pytest.fixture
def full_desk(desk: Desk) -> Desk:
    """The desk web tests' casebook, plus a corroborated act and a linkage run whose review
    queue has pairs."""
    people, _truth = listed_persons(people=200)
    with Casebook.open(desk.casebook_path) as casebook:
        casebook.add(_corroborated_records() + people, actor="test")  # type: ignore[arg-type]
        run = link_casebook(casebook, LinkSettings(), actor="test")
        assert len(run.linkage.review_queue) > 0, "the review pair page needs a queued pair"
    return desk


def _switch_language(client: TestClient, language: str) -> None:
    token = csrf_of(client.get("/inbox").text)
    client.post("/language", data={"csrf_token": token, "lang": language, "next": "/inbox"})


def _collect(desk: Desk, language: str) -> tuple[Pages, Page]:
    """Walk the desk as an admin (and, for log-in and enrolment, as no one) in ``language``."""
    pages = Pages(language)
    query = f"?lang={language}"
    with desk.client() as anonymous:
        pages.add("log-in", "/login" + query, anonymous.get("/login" + query))
        enrol = f"/enrol/{desk.enrol_tokens['viewer']}{query}"
        pages.add("enrolment", enrol, anonymous.get(enrol))
    with desk.client() as client:
        assert desk.log_in(client, "admin").status_code == 303
        _switch_language(client, language)
        get: Callable[[str], Any] = client.get
        pages.add("inbox", "/inbox", get("/inbox"))
        pages.add("inbox search", "/inbox?q=Grozny", get("/inbox?q=Grozny"))
        pages.add("record list", "/records/source", get("/records/source"))
        pages.add("record list (claims)", "/records/claim", get("/records/claim"))
        pages.add("source with files", "/records/source/t-public", get("/records/source/t-public"))
        pages.add("claim", "/records/claim/cl-1", get("/records/claim/cl-1"))
        pages.add("secret: reason", "/records/source/t-secret", get("/records/source/t-secret"))
        token = csrf_of(get("/inbox").text)
        shown = client.post(
            "/records/source/t-secret", data={"csrf_token": token, "reason": "checking a date"}
        )
        pages.add("secret: shown", "/records/source/t-secret?shown", shown)
        pages.add("edit form", "/records/claim/cl-1/edit", get("/records/claim/cl-1/edit"))
        form = form_values(get("/records/claim/cl-1/edit").text)
        invalid = client.post("/records/claim/cl-1/edit", data=form | {"count_min": "five"})
        pages.add("edit form with problems", "/records/claim/cl-1/edit?problems", invalid, 400)
        stale = form_values(get("/records/event/ev-public/edit").text)
        client.post("/records/event/ev-public/edit", data=stale | {"title": f"First ({language})"})
        conflict = client.post(
            "/records/event/ev-public/edit", data=stale | {"title": f"Second ({language})"}
        )
        pages.add("conflict", "/records/event/ev-public/edit?conflict", conflict, 409)
        history = "/records/event/ev-public/history"
        pages.add("history", history, get(history))
        pages.add("audit", "/audit", get("/audit"))
        pages.add("corroboration", "/corroboration/act/a-det", get("/corroboration/act/a-det"))
        queue = get("/review")
        pages.add("review queue", "/review", queue)
        pair = queue.text.split('href="/review/', 1)[1].split('"', 1)[0]
        pages.add("review pair", f"/review/{pair}", get(f"/review/{pair}"))
        pages.add("not found", "/records/source/nope", get("/records/source/nope"), 404)
        pages.add("pull (no intake)", "/inbox/pull", get("/inbox/pull"))
        stylesheet = get("/static/desk.css").text
    return pages, Page("stylesheet", "/static/desk.css", 200, stylesheet, "text/css")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_desk_page_passes_axe_core_wcag_21_aa(
    chromium: Any, full_desk: Desk, language: str
) -> None:
    require_axe()
    pages, stylesheet = _collect(full_desk, language)
    assert pages.names() >= {
        "log-in",
        "enrolment",
        "inbox",
        "corroboration",
        "review pair",
        "conflict",
        "not found",
    }
    for page in pages.pages:
        assert f'<html lang="{language}">' in page.body, f"{page.name} is not in {language}"
    failures = axe_failures(
        chromium,
        BASE_URL,
        pages,
        lambda path: stylesheet if path == stylesheet.path else None,
    )
    assert not failures, "\n".join(failures)


def _collect_connected(connected: Connected, language: str) -> tuple[Pages, Page]:
    """The pages of a desk started with ``--intake``: the Pull form, a wrong passphrase, a
    pull's result, and a pulled testimony with its reply form, a sent reply and an empty one."""
    pages = Pages(language)
    desk = connected.desk
    connected.submit("они забрали брата")
    with desk.client() as client:
        assert desk.log_in(client, "researcher").status_code == 303
        _switch_language(client, language)
        pages.add("inbox with the Pull form", "/inbox", client.get("/inbox"))
        wrong = press_pull(client, "not the passphrase at all")
        pages.add("pull: wrong passphrase", "/inbox/pull?wrong", wrong, 400)
        assert press_pull(client, connected.reviewer.passphrase).status_code == 303
        runtime_of(client).pulls.wait(timeout=60)
        pages.add("pull: done", "/inbox/pull", client.get("/inbox/pull"))
        with Casebook.open(desk.casebook_path) as book:
            (source_id,) = [r.id for r in book.records("source") if r.id.startswith("intake:")]
        token = csrf_of(client.get("/inbox").text)
        path = f"/records/source/{source_id}"
        opened = client.post(path, data={"csrf_token": token, "reason": "answering the source"})
        pages.add("testimony with the reply form", path + "?opened", opened)
        once = opened.text.split('name="once" value="', 1)[1].split('"', 1)[0]
        form = {"csrf_token": token, "reason": "answering the source", "once": once}
        empty = client.post(path + "/reply", data=form | {"text": "  "})
        pages.add("reply: empty", path + "?empty", empty, 400)
        sent = client.post(path + "/reply", data=form | {"text": "Мы прочитали. Спасибо."})
        pages.add("reply: sent", path + "?sent", sent)
        stylesheet = client.get("/static/desk.css").text
    return pages, Page("stylesheet", "/static/desk.css", 200, stylesheet, "text/css")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_pull_and_reply_pages_pass_axe_core_wcag_21_aa(
    chromium: Any, connected: Connected, language: str
) -> None:
    require_axe()
    pages, stylesheet = _collect_connected(connected, language)
    for page in pages.pages:
        assert f'<html lang="{language}">' in page.body, f"{page.name} is not in {language}"
    assert "Мы прочитали. Спасибо." in pages.pages[-1].body
    failures = axe_failures(
        chromium,
        BASE_URL,
        pages,
        lambda path: stylesheet if path == stylesheet.path else None,
    )
    assert not failures, "\n".join(failures)
