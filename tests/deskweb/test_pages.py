"""What the pages show: hostile text escaped, both languages, the enrolment page, the headers."""

from __future__ import annotations

import re

import pyotp
import pytest

from tests.deskweb.conftest import csrf_of

ESCAPED = (
    "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; "
    "&amp; &#34;quotes&#34;"
)


def test_hostile_record_text_is_shown_as_text(logged_in):
    browser = logged_in("researcher")
    for path in ("/records/source/t-hostile", "/records/claim/cl-1", "/records/source/t-public"):
        page = browser.get(path).text
        assert "<script>" not in page
        assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
        assert ESCAPED in page
    listing = browser.get("/records/source").text
    assert "<script>" not in listing
    assert ESCAPED in listing  # the public source's title in the list


def test_hostile_file_names_are_escaped_and_downloads_are_never_rendered(logged_in):
    browser = logged_in("viewer")
    page = browser.get("/records/source/t-public").text
    assert "<script>" not in page
    action = re.search(r'action="(/records/source/t-public/files/[^"]+/working)"', page).group(1)
    response = browser.post(action, data={"csrf_token": csrf_of(page)})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "\n" not in disposition
    assert "<script>" not in disposition.split("filename*=")[0]


@pytest.mark.parametrize(
    "path", ["/login", "/inbox", "/records/source/t-public", "/static/desk.css"]
)
def test_every_response_carries_the_security_headers_and_no_clock(logged_in, path):
    response = logged_in("viewer").get(path)
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    for header in ("date", "last-modified", "etag", "server"):
        assert header not in response.headers


def test_the_pages_have_no_script(logged_in):
    browser = logged_in("admin")
    for path in ("/inbox", "/records/event", "/records/source/t-public", "/audit"):
        assert "<script" not in browser.get(path).text


def test_the_log_in_page_speaks_the_browsers_language(client):
    assert (
        "Вход на рабочее место"
        in client.get("/login", headers={"accept-language": "ru-RU,ru;q=0.9"}).text
    )
    assert "Log in to the desk" in client.get("/login", headers={"accept-language": "en"}).text
    assert "Вход на рабочее место" in client.get("/login?lang=ru").text


def test_each_user_chooses_a_language_that_stays_with_the_account(desk, logged_in):
    browser = logged_in("researcher")
    page = browser.get("/records/event/ev-public")
    assert "Inbox" in page.text
    switched = browser.post(
        "/language",
        data={"csrf_token": csrf_of(page.text), "lang": "ru", "next": "/records/event/ev-public"},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    assert switched.headers["location"] == "/records/event/ev-public"
    russian = browser.get("/records/event/ev-public").text
    assert "Входящие" in russian
    assert "Событие" in russian
    assert "Заголовок" in russian
    assert "Открытый доступ" in russian  # the vocabulary label of the confidentiality
    # the choice belongs to the account: a new session of the same user is in Russian too
    assert "Входящие" in logged_in("researcher").get("/inbox").text
    assert "Inbox" in logged_in("analyst").get("/inbox").text


def test_russian_plurals_and_vocabulary_labels(desk, logged_in):
    browser = logged_in("admin")
    browser.post(
        "/language", data={"csrf_token": csrf_of(browser.get("/inbox").text), "lang": "ru"}
    )
    assert "4 свидетельства" in browser.get("/inbox").text
    act = browser.get("/records/act/act-1").text
    assert "Произвольное задержание" in act


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_the_language_form_never_sends_the_browser_elsewhere(logged_in, target):
    browser = logged_in("viewer")
    response = browser.post(
        "/language",
        data={"csrf_token": csrf_of(browser.get("/inbox").text), "lang": "en", "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/inbox"


def test_the_enrolment_page_shows_a_qr_code_drawn_here_and_works_once(desk, client):
    token = desk.enrol_tokens["viewer"]
    page = client.get(f"/enrol/{token}")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "<script" not in page.text
    assert desk.secrets["viewer"] in page.text
    wrong = client.post(
        f"/enrol/{token}", data={"csrf_token": csrf_of(page.text), "code": "12345x"}
    )
    assert wrong.status_code == 400
    code = pyotp.TOTP(desk.secrets["viewer"]).at(desk.clock.now)
    confirmed = client.post(
        f"/enrol/{token}",
        data={"csrf_token": csrf_of(page.text), "code": code},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    assert client.get(f"/enrol/{token}").status_code == 404  # used: gone
    # the code confirmed on the enrolment page is used up for log-in too
    assert desk.log_in(client, "viewer", code=code).status_code == 401


def test_an_enrolment_page_expires(desk, client):
    desk.clock.advance(hours=25)
    assert client.get(f"/enrol/{desk.enrol_tokens['analyst']}").status_code == 404
    assert client.get("/enrol/not-a-token").status_code == 404


def test_unknown_pages_and_record_types_are_plain_404s(logged_in):
    browser = logged_in("admin")
    assert browser.get("/records/nonsense").status_code == 404
    assert browser.get("/records/nonsense/x").status_code == 404
    assert browser.get("/nowhere").status_code == 404


def test_until_a_user_chooses_the_pages_follow_the_browser(desk, client):
    client.headers["accept-language"] = "ru-RU,ru;q=0.9,en;q=0.5"
    assert desk.log_in(client, "viewer").status_code == 303
    assert "Входящие" in client.get("/inbox").text


def test_record_lists_name_coded_records_by_their_vocabulary_label(logged_in):
    page = logged_in("viewer").get("/records/act").text
    assert "Arbitrary detention" in page
