"""The whole source journey in real Chromium: codename, testimony and photo, desk, reply, return.

Run with JavaScript off (Tor Browser "Safest": the server encrypts while the upload streams in)
and on (the page seals everything in the browser and only ciphertext crosses the wire), in
English and in Russian. What the browser sent is read from a relay in front of the intake.
"""

from __future__ import annotations

import hashlib
import io
import os
import re

import pytest
from PIL import Image

from testament.core.records import Source
from testament.desk.pull import pull
from testament.desk.reply import send_reply

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "ru": "ru-RU"}
MESSAGES = {
    "en": "BrowserCanaryEN: two men in uniform came at dawn.\nThey took my cousin to the base.",
    "ru": "КанарейкаБраузера: на рассвете пришли двое в форме.\nУвезли моего двоюродного брата.",
}
FILE_NAMES = {"en": "dawn.jpg", "ru": "рассвет.jpg"}
REPLIES = {
    "en": "We received your account and the photo. Stay safe; we will write again.",
    "ru": "Мы получили ваш рассказ и фото. Берегите себя, мы напишем ещё.",
}
CYRILLIC = re.compile(r"^[а-яё]+$")


def photo(marker: str) -> bytes:
    """A real JPEG whose EXIF names the camera (a marker that must not leave the desk)."""
    exif = Image.Exif()
    exif[0x010F] = marker
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def is_problem(note) -> bool:
    """A console error other than the favicon the intake does not have (CSP refusals count)."""
    return note.type == "error" and not note.location.get("url", "").endswith("/favicon.ico")


def get_codename(page, url: str, lang: str) -> str:
    page.goto(url + "/")  # no ?lang=: the language comes from the browser's Accept-Language
    assert page.locator("html").get_attribute("lang") == lang
    page.locator("form[action*='/codename'] button").click()
    codename = page.locator("#codename").inner_text().strip()
    words = codename.split()
    assert len(words) >= 7
    if lang == "ru":
        assert all(CYRILLIC.match(word) for word in words)
    page.locator("a.button").click()  # "I have saved it: continue"
    page.wait_for_url("**/source**")
    return codename


def send_testimony(page, site, message: str, file_name: str, picture: bytes) -> bytes:
    """Fill in the form, send it, wait for the confirmation; return what went over the wire."""
    page.fill("#message", message)
    page.set_input_files(
        "#file", files=[{"name": file_name, "mimeType": "image/jpeg", "buffer": picture}]
    )
    site.wiretap.take()
    page.locator("#submission button[type=submit]").click()
    page.wait_for_url("**sent=1**")
    assert page.locator(".notice").is_visible()
    return site.wiretap.take()


def return_and_read(chromium, site, codename: str, *, js: bool, lang: str) -> str:
    """A new browser session, log-in with the codename as typed by a hurried hand."""
    context = chromium.new_context(java_script_enabled=js, locale=LOCALES[lang])
    page = context.new_page()
    page.goto(site.url + "/login")
    page.fill("#codename", "  " + "   ".join(codename.upper().split()) + " ")
    page.locator("form[action*='/login'] button").click()
    page.wait_for_url("**/source**")
    text = page.locator(".replies").inner_text()
    context.close()
    return text


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("js", [False, True], ids=["javascript-off", "javascript-on"])
def test_a_source_testifies_and_reads_the_reply(chromium, site, js, lang):
    message, file_name = MESSAGES[lang], FILE_NAMES[lang]
    picture = photo(f"CameraCanary-{lang}")
    context = chromium.new_context(java_script_enabled=js, locale=LOCALES[lang])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda note: errors.append(note.text) if is_problem(note) else None)

    codename = get_codename(page, site.url, lang)
    wire = send_testimony(page, site, message, file_name, picture)
    context.close()

    canary = message.split(":")[0].encode()
    if js:
        # only ciphertext crossed the wire: sealed parts, no plaintext field, no readable words
        assert b'name="sealed_message"' in wire
        assert b'name="sealed_file"' in wire
        assert b"age-encryption.org/v1\n" in wire
        assert b'name="message"' not in wire
        assert canary not in wire
        assert file_name.encode() not in wire
        assert b"CameraCanary" not in wire
    else:
        # the plain form: the server received plaintext and encrypted it as it streamed in
        assert b'name="message"' in wire
        assert canary in wire
    assert errors == []

    # the desk pulls, decrypts and stores the testimony; both paths give the same bytes
    report = pull(site.desk_client, site.casebook, site.contacts, site.reviewer, actor="desk:r")
    (source_id,) = report.stored
    stored = site.casebook.get("source", source_id)
    assert isinstance(stored, Source)
    assert stored.text == message
    assert stored.sha256 == hashlib.sha256(message.replace("\n", "\r\n").encode()).hexdigest()
    (attachment,) = site.casebook.attachments(source_id).values()
    assert attachment.filename == file_name
    assert attachment.sha256 == hashlib.sha256(picture).hexdigest()
    working = site.casebook.evidence.path(attachment.working_sha256).read_bytes()
    assert b"CameraCanary" not in working

    send_reply(site.desk_client, site.contacts, source_id, REPLIES[lang])

    assert REPLIES[lang] in return_and_read(chromium, site, codename, js=js, lang=lang)


def test_a_large_file_is_sealed_in_the_browser_in_slices(chromium, site):
    """More than one 8 MiB ciphertext slice (within the default 256 MiB budget): the streamed
    encryption reassembles exactly."""
    payload = os.urandom(9 * 1024 * 1024 + 12345)
    context = chromium.new_context(java_script_enabled=True, locale="en-GB")
    page = context.new_page()
    get_codename(page, site.url, "en")
    page.set_input_files(
        "#file",
        files=[{"name": "video.bin", "mimeType": "application/octet-stream", "buffer": payload}],
    )
    site.wiretap.take()
    page.locator("#submission button[type=submit]").click()
    page.wait_for_url("**sent=1**", timeout=120_000)
    wire = site.wiretap.take()
    context.close()

    assert b'name="sealed_file"' in wire
    assert payload[:4096] not in wire
    (source_id,) = pull(
        site.desk_client, site.casebook, site.contacts, site.reviewer, actor="desk:r"
    ).stored
    (attachment,) = site.casebook.attachments(source_id).values()
    assert attachment.size == len(payload)
    assert attachment.sha256 == hashlib.sha256(payload).hexdigest()


def test_a_file_over_the_browser_budget_is_sent_for_the_server_to_encrypt(chromium, site):
    """Browsers cap in-memory Blobs: past the budget a file goes plain, the rest sealed."""
    small, large = os.urandom(200 * 1024), os.urandom(2 * 1024 * 1024)
    context = chromium.new_context(java_script_enabled=True, locale="en-GB")
    page = context.new_page()
    get_codename(page, site.url, "en")
    page.locator("#submission").evaluate(
        "form => form.setAttribute('data-seal-max-bytes', '1048576')"
    )
    page.fill("#message", MESSAGES["en"])
    page.set_input_files(
        "#file",
        files=[
            {"name": "small.bin", "mimeType": "application/octet-stream", "buffer": small},
            {"name": "large.bin", "mimeType": "application/octet-stream", "buffer": large},
        ],
    )
    site.wiretap.take()
    page.locator("#submission button[type=submit]").click()
    page.wait_for_url("**sent=1**")
    wire = site.wiretap.take()
    context.close()

    assert b'name="sealed_message"' in wire
    assert wire.count(b'name="sealed_file"') == 1
    assert b'name="file"; filename="large.bin"' in wire
    assert large[:4096] in wire  # this one the server encrypted on arrival
    assert small[:4096] not in wire
    assert MESSAGES["en"].split(":")[0].encode() not in wire
    (source_id,) = pull(
        site.desk_client, site.casebook, site.contacts, site.reviewer, actor="desk:r"
    ).stored
    stored = {a.filename: a.sha256 for a in site.casebook.attachments(source_id).values()}
    assert stored == {
        "small.bin": hashlib.sha256(small).hexdigest(),
        "large.bin": hashlib.sha256(large).hexdigest(),
    }


def test_without_the_age_bundle_the_page_falls_back_to_the_plain_form(chromium, site):
    """JavaScript on but the bundle blocked (a filtering proxy, a broken cache): still works."""
    context = chromium.new_context(java_script_enabled=True, locale="en-GB")
    page = context.new_page()
    page.route("**/static/age.bundle.js", lambda route: route.abort())
    get_codename(page, site.url, "en")

    wire = send_testimony(page, site, MESSAGES["en"], "dawn.jpg", photo("x"))
    context.close()

    assert b'name="message"' in wire  # the server encrypted it on arrival
    (source_id,) = pull(
        site.desk_client, site.casebook, site.contacts, site.reviewer, actor="desk:r"
    ).stored
    stored = site.casebook.get("source", source_id)
    assert isinstance(stored, Source)
    assert stored.text == MESSAGES["en"]


def test_the_language_switch_is_a_plain_link(chromium, site):
    context = chromium.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(site.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.locator("nav.languages a").click()

    assert page.locator("html").get_attribute("lang") == "ru"
    context.close()
