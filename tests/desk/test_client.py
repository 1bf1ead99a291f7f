"""The desk does not trust what an intake answers: a seized or hostile intake cannot steer it.

These tests stand up a deliberately misbehaving HTTP server (what a compromised intake could
send); the well-behaved intake is exercised for real in test_pull.py and test_reply.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pyrage import x25519

from testament.desk.client import IntakeClient
from testament.desk.contacts import Contacts, contacts_path
from testament.desk.errors import IntakeConnectionError
from testament.desk.pull import pull
from testament.store import Casebook

GOOD_ID = "0123456789abcdef0123456789abcdef"
RECIPIENT = str(x25519.Identity.generate().to_public())


def listing(**changes: object) -> dict[str, object]:
    submission: dict[str, object] = {
        "id": GOOD_ID,
        "source": GOOD_ID,
        "source_recipient": RECIPIENT,
        "received": "2026-11-26",
        "items": [{"id": GOOD_ID, "kind": "message", "size": 100}],
    }
    submission.update(changes)
    return {"submissions": [submission]}


@pytest.fixture
def hostile() -> Iterator[dict[str, object]]:
    """A server whose answers the test sets: {"listing": ..., "item": (declared, body)}."""
    answers: dict[str, object] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/desk/v1/submissions":
                body = json.dumps(answers["listing"]).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                declared, body = answers["item"]
                self.send_response(200)
                self.send_header("Content-Length", str(declared))
                self.end_headers()
                self.wfile.write(body)  # then the connection closes, short of what was declared
                self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    answers["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    yield answers
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize(
    "changes",
    [
        {"id": "../../../etc/passwd"},
        {"source": "not-a-handle"},
        {"source_recipient": "age1notarecipient"},
        {"received": "2026-11-26T10:15:00"},  # finer than a day: not what the protocol allows
        {"items": [{"id": GOOD_ID, "kind": "script", "size": 1}]},
        {"items": [{"id": "x/../y", "kind": "file", "size": 1}]},
        {"items": [{"id": GOOD_ID, "kind": "file", "size": -5}]},
    ],
    ids=["submission-id", "handle", "recipient", "timestamp", "kind", "item-id", "size"],
)
def test_a_listing_that_breaks_the_protocol_is_refused(hostile, changes):
    hostile["listing"] = listing(**changes)

    with pytest.raises(IntakeConnectionError, match="invalid"):
        IntakeClient(str(hostile["url"]), "token").submissions()


def test_an_answer_that_is_not_json_is_refused(hostile):
    hostile["listing"] = "a login page of some proxy"

    with pytest.raises(IntakeConnectionError, match="unexpected submission list"):
        IntakeClient(str(hostile["url"]), "token").submissions()


def test_a_download_cut_short_is_not_stored(hostile, tmp_path):
    hostile["listing"] = listing()
    hostile["item"] = (100, b"age-encryption.org/v1\n-> X25519 cut here")
    book_path = tmp_path / "casebook.sqlite"

    with Casebook.create(book_path) as book, pytest.raises(IntakeConnectionError):
        pull(
            IntakeClient(str(hostile["url"]), "token"),
            book,
            Contacts(contacts_path(book_path)),
            x25519.Identity.generate(),
            actor="desk:amina",
        )
    with Casebook.open(book_path) as book:
        assert book.count("source") == 0


def test_only_http_addresses_are_accepted():
    with pytest.raises(IntakeConnectionError, match="http:// or https://"):
        IntakeClient("file:///etc/passwd", "token")
