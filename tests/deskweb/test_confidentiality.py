"""Each role sees exactly what it may, on every page and in search; a secret record opens only
with a reason, and each opening is in the audit log."""

from __future__ import annotations

import re

import pytest

from testament.core.records import Claim, Source
from testament.store import Casebook
from tests.deskweb.conftest import csrf_of

ROLES = ("admin", "researcher", "analyst", "viewer")
SECRET_TEXT = "они забрали Руслана ночью"

INBOX = {
    "admin": {"t-secret", "t-restricted", "t-public", "t-hostile"},
    "researcher": {"t-secret", "t-restricted", "t-public", "t-hostile"},
    "analyst": {"t-restricted", "t-public", "t-hostile"},
    "viewer": {"t-public", "t-hostile"},
}

# (record type, id) -> "open", "reason" (secret: asks why first) or "hidden" (404), per role
RECORDS = {
    ("source", "t-secret"): ("reason", "reason", "hidden", "hidden"),
    ("source", "t-restricted"): ("open", "open", "open", "hidden"),
    ("source", "t-public"): ("open", "open", "open", "open"),
    ("informant", "inf-1"): ("reason", "reason", "hidden", "hidden"),  # marked public, still secret
    ("event", "ev-secret"): ("reason", "reason", "hidden", "hidden"),
    ("event", "ev-restricted"): ("open", "open", "open", "hidden"),
    ("event", "ev-public"): ("open", "open", "open", "open"),
    ("person", "p-1"): ("open", "open", "open", "hidden"),
    ("act", "act-1"): ("open", "open", "open", "open"),
    ("claim", "cl-1"): ("open", "open", "open", "open"),
}


def listed(html: str, prefix: str = "/records/source/") -> set[str]:
    return set(re.findall(re.escape(prefix) + r'([^"/?]+)"', html))


@pytest.mark.parametrize("role", ROLES)
def test_the_inbox_lists_only_what_the_role_may_see(logged_in, role):
    page = logged_in(role).get("/inbox")
    assert page.status_code == 200
    assert listed(page.text) == INBOX[role]
    assert f"{len(INBOX[role])} testimon" in page.text
    assert SECRET_TEXT not in page.text  # the inbox shows no text, even of what one may open


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_only_what_the_role_may_see(logged_in, role):
    browser = logged_in(role)
    grozny = browser.get("/inbox", params={"q": "grozny"})
    assert listed(grozny.text) == {"t-restricted", "t-public"} & INBOX[role]
    # a prefix of an inflected Russian word finds the secret testimony, for those who may see it
    ruslan = browser.get("/inbox", params={"q": "Руслан"})
    assert listed(ruslan.text) == {"t-secret"} & INBOX[role]


def test_search_reads_no_query_syntax(logged_in):
    browser = logged_in("admin")
    for query in ('"', "OR", "NEAR(a b)", "*", "grozny OR ruslan", "a:b", "%", "_"):
        assert browser.get("/inbox", params={"q": query}).status_code == 200
    assert listed(browser.get("/inbox", params={"q": "%"}).text) == set()


@pytest.mark.parametrize("role_index", range(4))
@pytest.mark.parametrize(("kind", "record_id"), list(RECORDS))
def test_each_record_page_opens_hides_or_asks_why_by_role(logged_in, role_index, kind, record_id):
    role = ROLES[role_index]
    expected = RECORDS[(kind, record_id)][role_index]
    browser = logged_in(role)
    page = browser.get(f"/records/{kind}/{record_id}")
    if expected == "hidden":
        assert page.status_code == 404
        # exactly the answer for a record that does not exist: its existence is not told
        missing = browser.get(f"/records/{kind}/no-such-{record_id}")
        assert page.text == missing.text.replace(f"no-such-{record_id}", record_id)
    elif expected == "reason":
        assert page.status_code == 200
        assert "Why are you opening this record?" in page.text
        assert SECRET_TEXT not in page.text
        assert "Ruslan" not in page.text  # the informant's pseudonym
    else:
        assert page.status_code == 200
        assert "Why are you opening" not in page.text


@pytest.mark.parametrize("role", ROLES)
def test_record_lists_leave_out_what_the_role_may_not_see(logged_in, role):
    browser = logged_in(role)
    events = listed(browser.get("/records/event").text, "/records/event/")
    informants = browser.get("/records/informant")
    expected = {
        "admin": {"ev-public", "ev-restricted", "ev-secret"},
        "researcher": {"ev-public", "ev-restricted", "ev-secret"},
        "analyst": {"ev-public", "ev-restricted"},
        "viewer": {"ev-public"},
    }[role]
    assert events == expected
    sees_informants = role in ("admin", "researcher")
    assert ("/records/informant/inf-1" in informants.text) is sees_informants
    assert "Ruslan" not in informants.text  # a secret record's name is not listed
    assert "Secret prison" not in browser.get("/records/event").text


def test_references_to_records_a_role_may_not_see_are_not_links(logged_in):
    viewer = logged_in("viewer").get("/records/claim/cl-1").text
    assert "/records/informant/inf-1" not in viewer
    assert "/records/event/ev-secret" not in viewer
    assert "not visible to you" in viewer
    researcher = logged_in("researcher").get("/records/claim/cl-1").text
    assert "/records/informant/inf-1" in researcher
    assert "/records/event/ev-secret" in researcher


def audit_rows(desk, action):
    with Casebook.open(desk.casebook_path) as book:
        return [entry for entry in book.audit() if entry.action == action]


def reasons(desk):
    from sqlalchemy import select

    from testament.store.schema import audit_log

    with Casebook.open(desk.casebook_path) as book, book.engine.connect() as connection:
        return connection.execute(
            select(
                audit_log.c.actor,
                audit_log.c.action,
                audit_log.c.record_type,
                audit_log.c.record_id,
                audit_log.c.reason,
            )
            .where(audit_log.c.action.in_(["view", "download"]))
            .order_by(audit_log.c.seq)
        ).all()


def test_opening_a_secret_record_writes_who_what_and_why(desk, logged_in):
    browser = logged_in("researcher")
    token = csrf_of(browser.get("/records/source/t-secret").text)
    assert reasons(desk) == []  # asking is not opening
    opened = browser.post(
        "/records/source/t-secret", data={"csrf_token": token, "reason": "dating the detention"}
    )
    assert opened.status_code == 200
    assert SECRET_TEXT in opened.text
    assert reasons(desk) == [
        ("desk:researcher", "view", "source", "t-secret", "dating the detention")
    ]
    # each opening asks again and is written again
    browser.post("/records/informant/inf-1", data={"csrf_token": token, "reason": "who said it"})
    assert len(reasons(desk)) == 2


def test_no_reason_no_record(desk, logged_in):
    browser = logged_in("admin")
    token = csrf_of(browser.get("/records/source/t-secret").text)
    refused = browser.post(
        "/records/source/t-secret", data={"csrf_token": token, "reason": "  ab "}
    )
    assert refused.status_code == 400
    assert SECRET_TEXT not in refused.text
    assert reasons(desk) == []


def test_roles_without_access_cannot_open_a_secret_record_even_with_a_reason(desk, logged_in):
    browser = logged_in("analyst")
    token = csrf_of(browser.get("/inbox").text)
    response = browser.post(
        "/records/source/t-secret", data={"csrf_token": token, "reason": "curiosity only"}
    )
    assert response.status_code == 404
    assert SECRET_TEXT not in response.text
    assert reasons(desk) == []


def test_files_of_a_secret_source_download_with_a_reason_and_are_audited(desk, logged_in):
    browser = logged_in("researcher")
    token = csrf_of(browser.get("/records/source/t-secret").text)
    page = browser.post(
        "/records/source/t-secret", data={"csrf_token": token, "reason": "photo check"}
    )
    action = re.search(
        r'action="(/records/source/t-secret/files/[^"]+/original)"', page.text
    ).group(1)
    without = browser.post(action, data={"csrf_token": token})
    assert without.status_code == 400
    download = browser.post(action, data={"csrf_token": token, "reason": "photo check"})
    assert download.status_code == 200
    assert download.content == b"\xff\xd8 original bytes with metadata"
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert len(download.headers["x-sha256"]) == 64
    rows = reasons(desk)
    assert rows[-1] == ("desk:researcher", "download", "source", "t-secret", "photo check")
    working = browser.post(
        action.replace("/original", "/working"), data={"csrf_token": token, "reason": "photo check"}
    )
    assert working.content == b"\xff\xd8 stripped bytes"
    # another role cannot fetch it at all
    analyst = logged_in("analyst")
    assert (
        analyst.post(
            action,
            data={"csrf_token": csrf_of(analyst.get("/inbox").text), "reason": "photo check"},
        ).status_code
        == 404
    )


def test_only_admins_read_the_audit_log(desk, logged_in):
    researcher = logged_in("researcher")
    token = csrf_of(researcher.get("/records/source/t-secret").text)
    researcher.post(
        "/records/source/t-secret", data={"csrf_token": token, "reason": "for the <b>report</b>"}
    )
    for role in ("researcher", "analyst", "viewer"):
        assert logged_in(role).get("/audit").status_code == 404
    audit = logged_in("admin").get("/audit")
    assert audit.status_code == 200
    assert "desk:researcher" in audit.text
    assert "for the &lt;b&gt;report&lt;/b&gt;" in audit.text


def test_the_inbox_comes_in_pages_of_fifty_newest_first(desk, logged_in):
    with Casebook.open(desk.casebook_path) as book:
        book.add(
            [
                Source(id=f"bulk-{n:03d}", kind="testimony", confidentiality="public", text="bulk")
                for n in range(120)
            ],
            actor="test",
        )
    browser = logged_in("viewer")
    first = browser.get("/inbox", params={"q": "bulk"})
    assert "120 testimonies" in first.text
    assert len(listed(first.text)) == 50
    third = browser.get("/inbox", params={"q": "bulk", "page": "3"})
    assert len(listed(third.text)) == 20
    assert "Page 3 of 3" in third.text


def test_a_testimony_is_unread_until_this_user_opens_it(desk, logged_in):
    researcher = logged_in("researcher")
    assert "t-public" in listed(researcher.get("/inbox", params={"unread": "1"}).text)
    researcher.get("/records/source/t-public")
    assert "t-public" not in listed(researcher.get("/inbox", params={"unread": "1"}).text)
    # read marks are per reviewer
    assert "t-public" in listed(logged_in("analyst").get("/inbox", params={"unread": "1"}).text)


def test_a_testimony_is_coded_once_a_claim_the_reader_may_see_is_taken_from_it(desk, logged_in):
    with Casebook.open(desk.casebook_path) as book:
        book.add(
            [
                Claim(
                    id="cl-hidden",
                    source_id="t-restricted",
                    target_kind="event",
                    target_id="ev-restricted",
                    stance="asserts",
                    basis="first_hand",
                    confidentiality="secret",
                )
            ],
            actor="test",
        )
    researcher = logged_in("researcher")
    researcher.get("/records/source/t-public")
    researcher.get("/records/source/t-restricted")
    inbox = researcher.get("/inbox").text
    assert "coded: 1 claim" in inbox  # t-public (cl-1) and t-restricted (cl-hidden)
    not_coded = researcher.get("/inbox", params={"uncoded": "1"}).text
    assert listed(not_coded) == INBOX["researcher"] - {"t-public", "t-restricted"}
    # a claim the analyst may not see does not make the testimony coded for them
    analyst_view = logged_in("analyst").get("/inbox", params={"uncoded": "1"}).text
    assert listed(analyst_view) == INBOX["analyst"] - {"t-public"}
    token = csrf_of(researcher.get("/inbox").text)
    researcher.post("/language", data={"csrf_token": token, "lang": "ru", "next": "/inbox"})
    assert "закодировано: 1 утверждение" in researcher.get("/inbox").text
