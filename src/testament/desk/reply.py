"""Replies to a source: UTF-8 text, padded as a testament item, encrypted to the source's own age
recipient and sent to the intake.

The recipient was derived from the source's codename on the intake and reached the desk with the
source's submissions (``contacts``); only the source, logged in with the codename, can decrypt
the reply. Copies may be encrypted to reviewers' recipients as well (``copy_to``), so the desk can
read what it sent; the intake stores the ciphertext and never sees the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from testament.crypto.age import encrypt_bytes, parse_recipient
from testament.crypto.errors import RecipientError
from testament.crypto.items import MESSAGE_CONTENT_TYPE, encode_item
from testament.desk.client import IntakeClient
from testament.desk.contacts import Contacts
from testament.desk.errors import DeskError

MAX_REPLY_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class SentReply:
    id: str
    source_id: str
    intake_source: str


def send_reply(
    client: IntakeClient,
    contacts: Contacts,
    source_id: str,
    text: str,
    *,
    copy_to: Sequence[str] = (),
) -> SentReply:
    """Encrypt ``text`` to the source behind ``source_id`` and store it on the intake."""
    text = text.strip()
    if not text:
        raise DeskError("the reply is empty: nothing was sent")
    if len(text) > MAX_REPLY_CHARS:
        raise DeskError(f"the reply is longer than {MAX_REPLY_CHARS} characters")
    address = contacts.get(source_id)
    try:
        recipients = [parse_recipient(r) for r in (address.recipient, *copy_to)]
    except RecipientError as error:
        raise DeskError(f"cannot encrypt the reply: {error}") from None
    if address.intake.rstrip("/") != client.base_url:
        raise DeskError(
            f"{source_id} came from {address.intake}, not {client.base_url}: "
            "send the reply to the intake the source uses"
        )
    # As a padded item, so that the intake's disk does not give away the reply's exact length.
    plaintext = encode_item("message", None, MESSAGE_CONTENT_TYPE, text.encode("utf-8"))
    ciphertext = encrypt_bytes(plaintext, recipients)
    reply_id = client.send_reply(address.source, ciphertext)
    return SentReply(reply_id, source_id, address.source)
