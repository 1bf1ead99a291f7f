"""A source's journey through the intake, in process: codename, submission, desk, reply, log-in.

The browser journeys (real Chromium, JavaScript on and off) are in tests/browser/; here the same
steps run against the app with Starlette's test client, CSRF protection on as in production.
"""

from __future__ import annotations

import io

from testament.crypto.age import decrypt_bytes, encrypt_bytes, parse_recipient
from testament.crypto.age_header import header_length
from testament.crypto.items import encode_item, read_item
from tests.intake.conftest import csrf_token, desk, new_source, submit


def desk_items(client, instance):
    """Every pending item, decrypted with the reviewer's identity: (header, body) pairs."""
    listing = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()
    out = []
    for submission in listing["submissions"]:
        for item in submission["items"]:
            sealed = client.get(f"/desk/v1/items/{item['id']}", headers=desk(client, instance))
            assert sealed.headers["content-type"] == "application/octet-stream"
            assert len(sealed.content) == item["size"]
            header, body = read_item(io.BytesIO(decrypt_bytes(sealed.content, [instance.reviewer])))
            assert header.kind == item["kind"]
            out.append((header, body.read()))
    return out


def log_in(client, codename, lang="en"):
    form = client.get(f"/login?lang={lang}")
    return client.post(
        f"/login?lang={lang}",
        data={"csrf_token": csrf_token(form.text), "codename": codename},
        follow_redirects=False,
    )


def test_front_page_offers_a_codename_and_a_log_in(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'action="/codename?lang=en"' in page.text
    assert 'href="/login?lang=en"' in page.text


def test_no_javascript_submission_reaches_the_desk_encrypted_with_name_and_type(client, instance):
    new_source(client)
    response = submit(
        client,
        "They took him on the 3rd.",
        files=[("photo.jpg", b"\xff\xd8 jpeg bytes", "image/jpeg")],
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/source?lang=en&sent=1"
    items = desk_items(client, instance)
    assert [(h.kind, h.filename, h.content_type, body) for h, body in items] == [
        ("message", None, "text/plain; charset=utf-8", b"They took him on the 3rd."),
        ("file", "photo.jpg", "image/jpeg", b"\xff\xd8 jpeg bytes"),
    ]


def test_sealed_parts_from_the_browser_are_stored_as_they_are(client, instance):
    new_source(client)
    recipient = parse_recipient(instance.settings.recipients[0])
    plaintext = encode_item("file", "video.mp4", "video/mp4", b"frames")
    sealed = encrypt_bytes(plaintext, [recipient])
    assert submit(client, sealed=[("sealed_file", sealed)]).status_code == 303
    listing = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()
    (item,) = listing["submissions"][0]["items"]
    stored = client.get(f"/desk/v1/items/{item['id']}", headers=desk(client, instance)).content
    assert stored == sealed
    assert item["kind"] == "file"


def test_a_submission_without_content_stores_nothing_and_says_so(client, instance):
    new_source(client)
    response = submit(client, "", files=[("", b"", "application/octet-stream")])
    assert response.headers["location"] == "/source?lang=en&empty=1"
    assert "Nothing was sent" in client.get(response.headers["location"]).text
    assert client.get("/desk/v1/submissions", headers=desk(client, instance)).json() == {
        "submissions": []
    }


def test_reply_is_read_after_logging_in_again_with_the_codename_typed_loosely(client, instance):
    codename = new_source(client, "ru")
    submit(client, "Сообщение")
    listing = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()
    submission = listing["submissions"][0]
    reply = encrypt_bytes(
        "Мы получили. <b>Спасибо</b>".encode(),
        [parse_recipient(submission["source_recipient"])],
    )
    created = client.post(
        f"/desk/v1/sources/{submission['source']}/replies",
        content=reply,
        headers={**desk(client, instance), "content-type": "application/octet-stream"},
    )
    assert created.status_code == 201
    client.cookies.clear()
    assert client.get("/source", follow_redirects=False).status_code == 303
    typed = "  " + codename.upper().replace(" ", "   ").replace("е", "ё") + " "
    assert log_in(client, typed, "ru").headers["location"] == "/source?lang=ru"
    page = client.get("/source?lang=ru")
    assert "Мы получили. &lt;b&gt;Спасибо&lt;/b&gt;" in page.text
    assert "<b>Спасибо</b>" not in page.text


def test_a_codename_logs_in_from_the_moment_it_is_given_and_a_wrong_one_never(client):
    # A source who leaves before sending anything (or whose session ran out while writing)
    # comes back with the codename it was given.
    codename = new_source(client)
    client.cookies.clear()
    assert log_in(client, codename).status_code == 303
    client.cookies.clear()
    assert log_in(client, "wrong words entirely seven of them here").status_code == 401


def test_acknowledged_submissions_leave_the_list_and_ack_is_idempotent(client, instance):
    new_source(client)
    submit(client, "first")
    listing = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()
    submission = listing["submissions"][0]["id"]
    for _ in range(2):
        acked = client.post(
            f"/desk/v1/submissions/{submission}/ack", headers=desk(client, instance)
        )
        assert acked.status_code == 204
    assert client.get("/desk/v1/submissions", headers=desk(client, instance)).json() == {
        "submissions": []
    }


def test_desk_source_handle_is_not_the_lookup_id(client, instance, derive, insecure_fast_kdf):
    codename = new_source(client)
    submit(client, "x")
    listing = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()
    keys = derive(codename, insecure_fast_kdf, pepper=instance.settings.pepper)
    assert listing["submissions"][0]["source"] != keys.lookup_id
    assert listing["submissions"][0]["source_recipient"] == keys.recipient


def test_logout_ends_the_session(client):
    new_source(client)
    page = client.get("/source")
    response = client.post(
        "/logout", data={"csrf_token": csrf_token(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get("/source", follow_redirects=False).headers["location"] == "/login?lang=en"


def test_stored_sizes_show_a_length_class_not_the_exact_size(client, instance):
    """What a seized disk shows: every short message alike, files of nearby sizes alike."""
    new_source(client)
    assert submit(client, "yes").status_code == 303
    assert submit(client, "They came at night. " * 2000).status_code == 303
    assert submit(client, files=[("a.jpg", b"a" * 1_000_000, "image/jpeg")]).status_code == 303
    assert submit(client, files=[("b.jpg", b"b" * 1_010_000, "image/jpeg")]).status_code == 303
    listing = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()
    sizes = []  # of the age payload: the header's length varies anyway (rage adds random stanzas)
    for submission in listing["submissions"]:
        (item,) = submission["items"]
        sealed = client.get(f"/desk/v1/items/{item['id']}", headers=desk(client, instance))
        sizes.append(len(sealed.content) - (header_length(sealed.content) or 0))
    assert sizes[0] == sizes[1]
    assert sizes[2] == sizes[3]
    assert sizes[2] > sizes[0]
    items = desk_items(client, instance)
    assert [len(body) for _, body in items] == [3, 40_000, 1_000_000, 1_010_000]
