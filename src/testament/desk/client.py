"""The desk's side of the intake's HTTP API (``/desk/v1``), over the standard library.

Every call carries ``Authorization: Bearer <token>``. Item ciphertext is streamed to a file in
1 MiB chunks, so an item of any size is downloaded in bounded memory. Answers are checked
against the protocol (ids are 32 hex digits, recipients are age recipients) before anything is
trusted: a compromised intake must not be able to steer the desk into odd paths or ids. Every
connection takes the route ``route.py`` chooses: an onion intake only through a SOCKS5 proxy
that resolves its name (Tor), and no redirect is followed.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException, HTTPResponse
from pathlib import Path
from typing import Any, Literal, cast

from testament.crypto.age import parse_recipient
from testament.crypto.errors import RecipientError
from testament.desk.errors import IntakeAuthError, IntakeConnectionError
from testament.desk.route import build_opener, choose_route

TIMEOUT_SECONDS = 120.0  # per socket operation: the intake may sit behind a slow Tor circuit
_CHUNK = 1 << 20
_ID = re.compile(r"[0-9a-f]{32}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class RemoteItem:
    id: str
    kind: Literal["message", "file"]
    size: int


@dataclass(frozen=True, slots=True)
class RemoteSubmission:
    """A submission the intake holds and the desk has not acknowledged yet."""

    id: str
    source: str
    source_recipient: str
    received: str
    items: tuple[RemoteItem, ...]


def read_token(path: Path) -> str:
    """The desk token kept in ``path`` (what `testament intake token` printed)."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise IntakeConnectionError(
            f"cannot read the token file {path}: {error.strerror}"
        ) from None
    if not token or any(c.isspace() for c in token):
        raise IntakeConnectionError(
            f"{path} must contain the token printed by `testament intake token` (one line)"
        )
    return token


def _checked_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise IntakeConnectionError(f"the intake sent an invalid {what} id: {value!r}")
    return value


def _parse_submission(data: Any) -> RemoteSubmission:
    if not isinstance(data, dict):
        raise IntakeConnectionError("the intake sent a submission that is not an object")
    recipient = data.get("source_recipient")
    try:
        parse_recipient(recipient if isinstance(recipient, str) else "")
    except RecipientError:
        raise IntakeConnectionError(
            f"the intake sent an invalid source recipient: {recipient!r}"
        ) from None
    received = data.get("received")
    if not isinstance(received, str) or not _DAY.fullmatch(received):
        raise IntakeConnectionError(f"the intake sent an invalid day: {received!r}")
    items = data.get("items")
    if not isinstance(items, list):
        raise IntakeConnectionError("the intake sent a submission without an item list")
    parsed: list[RemoteItem] = []
    for item in items:
        if not isinstance(item, dict) or item.get("kind") not in ("message", "file"):
            raise IntakeConnectionError(f"the intake sent an invalid item: {item!r}")
        size = item.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise IntakeConnectionError(f"the intake sent an invalid item size: {size!r}")
        parsed.append(
            RemoteItem(
                _checked_id(item.get("id"), "item"),
                cast("Literal['message', 'file']", item["kind"]),
                size,
            )
        )
    return RemoteSubmission(
        id=_checked_id(data.get("id"), "submission"),
        source=_checked_id(data.get("source"), "source"),
        source_recipient=cast("str", recipient).strip(),
        received=received,
        items=tuple(parsed),
    )


class IntakeClient:
    """Calls to one intake with one desk token."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = TIMEOUT_SECONDS,
        proxy: str | None = None,
    ) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise IntakeConnectionError(
                f"--intake must be an http:// or https:// address, not {base_url!r}"
            )
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._opener = build_opener(choose_route(self.base_url, proxy))

    def __repr__(self) -> str:  # the token never appears in a repr or a log line
        return f"IntakeClient({self.base_url!r})"

    def _open(self, method: str, path: str, body: bytes | None = None) -> HTTPResponse:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/octet-stream"
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.base_url + path, data=body, method=method, headers=headers
        )
        try:
            return cast("HTTPResponse", self._opener.open(request, timeout=self._timeout))
        except urllib.error.HTTPError as error:
            error.close()
            if error.code == 401:
                raise IntakeAuthError(
                    f"{self.base_url} refused the desk token: issue a new one with "
                    "`testament intake token DIR` on the intake and restart it"
                ) from None
            raise IntakeConnectionError(
                f"{self.base_url} answered {method} {path} with HTTP {error.code}"
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise IntakeConnectionError(f"cannot reach {self.base_url}: {reason}") from None

    def submissions(self) -> list[RemoteSubmission]:
        """The submissions not yet acknowledged, oldest first as the intake lists them."""
        with self._open("GET", "/desk/v1/submissions") as response:
            try:
                data = json.loads(response.read())
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise IntakeConnectionError(
                    f"{self.base_url} did not answer with JSON: is it a testament intake?"
                ) from None
        if not isinstance(data, dict) or not isinstance(data.get("submissions"), list):
            raise IntakeConnectionError(f"{self.base_url} sent an unexpected submission list")
        return [_parse_submission(item) for item in data["submissions"]]

    def download_item(self, item_id: str, destination: Path) -> int:
        """Stream an item's ciphertext into ``destination``; return its size in bytes."""
        size = 0
        with (
            self._open("GET", f"/desk/v1/items/{_checked_id(item_id, 'item')}") as response,
            destination.open("wb") as out,
        ):
            try:
                while chunk := response.read(_CHUNK):
                    size += len(chunk)
                    out.write(chunk)
            except (OSError, HTTPException) as error:  # IncompleteRead: the connection dropped
                raise IntakeConnectionError(
                    f"the download of item {item_id} from {self.base_url} broke off: {error}"
                ) from None
        return size

    def acknowledge(self, submission_id: str) -> None:
        """Tell the intake the submission is safely stored (it deletes it after retention)."""
        path = f"/desk/v1/submissions/{_checked_id(submission_id, 'submission')}/ack"
        with self._open("POST", path, b""):
            pass

    def send_reply(self, source: str, ciphertext: bytes) -> str:
        """Store an encrypted reply for the source with the intake handle ``source``."""
        path = f"/desk/v1/sources/{_checked_id(source, 'source')}/replies"
        with self._open("POST", path, ciphertext) as response:
            try:
                data = json.loads(response.read())
            except (json.JSONDecodeError, UnicodeDecodeError):
                data = None
        if not isinstance(data, dict):
            raise IntakeConnectionError(f"{self.base_url} sent an unexpected answer to a reply")
        return _checked_id(data.get("id"), "reply")
