"""Pull new submissions from the intake into the casebook: download, decrypt, strip, store, ack.

Each intake submission becomes one Source of kind ``testimony`` whose id is derived from the
submission's id (``intake:<id>``), with the message as its text and every file as an attachment
(the original kept byte for byte, and a working copy with metadata stripped, or a notice that
withholds the working copy when it cannot be stripped: one hostile file never stops a pull,
``strip``). The order of the steps makes the pull idempotent and resumable, whatever interrupts
it:

1. a submission recorded as completely stored (step 3), whose Source and attachments the
   casebook still holds, is not downloaded again; any other is downloaded and stored again,
   which finishes what an interrupted pull left undone;
2. the Source is committed, then each attachment (``add_attachment`` is idempotent by content);
3. the desk's sidecar (``contacts``) records that every item of the submission is stored, and
   the reply address;
4. only then is the submission acknowledged (and the record of step 3 dropped), so the intake
   never deletes ciphertext the casebook does not hold yet.

Decrypted bytes exist only on the reviewer's machine: in a private temporary folder (mode 0700,
removed when the submission is done, also after an error) and then in the casebook's evidence
store. A submission that cannot be decrypted or read is reported and left unacknowledged; the
others are still pulled.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from pyrage import x25519

from testament.core.records import Source
from testament.crypto.age import decrypt_stream
from testament.crypto.errors import DecryptionError, ItemFormatError
from testament.crypto.items import ItemHeader, read_item, safe_content_type, safe_filename
from testament.desk.client import IntakeClient, RemoteItem, RemoteSubmission
from testament.desk.contacts import Contacts, ReplyAddress, StoredSubmission
from testament.desk.errors import IntakeConnectionError, SubmissionError
from testament.desk.strip import working_copy
from testament.store import Casebook
from testament.store.audit import audit_row, insert_audit_rows

SOURCE_ID_PREFIX = "intake:"
MAX_SOURCE_TEXT_CHARS = 20_000  # the casebook's limit for a source's text
_TEXT_HEAD_BYTES = 4 * MAX_SOURCE_TEXT_CHARS + 4  # enough UTF-8 for the whole text field
_CHUNK = 1 << 20

PullEventKind = Literal["stored", "completed", "skipped", "acknowledged", "failed", "withheld"]


@dataclass(frozen=True, slots=True)
class PullEvent:
    """Progress of a pull: what happened to one submission (``detail`` explains a failure)."""

    kind: PullEventKind
    submission_id: str
    source_id: str
    detail: str = ""


@dataclass
class PullReport:
    stored: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: (source id, attachment file name): attachments stored without a working copy
    withheld: list[tuple[str, str]] = field(default_factory=list)


def source_id_for(submission_id: str) -> str:
    """The casebook id of the Source a submission becomes."""
    return SOURCE_ID_PREFIX + submission_id


@contextmanager
def private_folder() -> Iterator[Path]:
    """A temporary folder only this user can enter (0700), removed with what it holds."""
    folder = Path(tempfile.mkdtemp(prefix="testament-desk-"))  # mkdtemp creates it 0700
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class _Item:
    header: ItemHeader
    body: Path
    size: int


def _fetch_item(
    client: IntakeClient, item: RemoteItem, identity: x25519.Identity, folder: Path, index: int
) -> _Item:
    item_id = item.id
    ciphertext = folder / f"item-{index}.age"
    plaintext = folder / f"item-{index}.plain"
    body = folder / f"item-{index}.body"
    received = client.download_item(item_id, ciphertext)
    if received != item.size:
        raise IntakeConnectionError(
            f"item {item_id} arrived incomplete ({received} of {item.size} bytes): pull again"
        )
    try:
        with ciphertext.open("rb") as source, plaintext.open("wb") as target:
            decrypt_stream(source, target, [identity])
    except DecryptionError:
        raise SubmissionError(
            f"item {item_id} cannot be decrypted with this identity (it was sent to another "
            "reviewer's recipient, or it is damaged)"
        ) from None
    finally:
        ciphertext.unlink(missing_ok=True)
    size = 0
    try:
        with plaintext.open("rb") as stream, body.open("wb") as out:
            header, content = read_item(stream)
            while chunk := content.read(_CHUNK):
                size += len(chunk)
                out.write(chunk)
    except ItemFormatError as error:
        raise SubmissionError(f"item {item_id} is not a testament item: {error}") from None
    finally:
        plaintext.unlink(missing_ok=True)
    return _Item(header, body, size)


def _message_text(
    messages: list[_Item], folder: Path
) -> tuple[str | None, str | None, Path | None]:
    """The Source's text and the sha256 of the message bytes, and a file holding the whole
    message when the text field cannot (longer than the casebook allows). Memory stays bounded
    however large a message a hostile sender makes: only the head is decoded."""
    if not messages:
        return None, None, None
    whole, sha256, size = _concatenate(messages, folder)
    with whole.open("rb") as stream:
        head = stream.read(_TEXT_HEAD_BYTES)
    text = head.decode("utf-8", errors="replace").replace("\r\n", "\n").strip()
    if size <= len(head) and len(text) <= MAX_SOURCE_TEXT_CHARS:
        whole.unlink()
        return text or None, sha256, None
    return text[: MAX_SOURCE_TEXT_CHARS - 1] + "…", sha256, whole


def _concatenate(messages: list[_Item], folder: Path) -> tuple[Path, str, int]:
    """All messages of a submission in one file (blank lines between); its sha256 and size."""
    whole = folder / "message.txt"
    digest = hashlib.sha256()
    size = 0
    with whole.open("wb") as out:

        def write(piece: bytes) -> None:
            nonlocal size
            digest.update(piece)
            size += len(piece)
            out.write(piece)

        for index, message in enumerate(messages):
            if index:
                write(b"\n\n")
            with message.body.open("rb") as stream:
                while chunk := stream.read(_CHUNK):
                    write(chunk)
    return whole, digest.hexdigest(), size


def _is_complete(
    casebook: Casebook, contacts: Contacts, source_id: str, submission: RemoteSubmission
) -> bool:
    """Whether every item of ``submission`` is in the casebook, so it need not be downloaded
    again: a record written after all of them were stored names exactly these items, and the
    casebook still holds the Source and every attachment the record names (it may have been
    restored from an older backup since)."""
    record = contacts.stored(submission.id)
    if record is None or record.items != {item.id for item in submission.items}:
        return False
    if not casebook.exists("source", source_id):
        return False
    return record.attachments <= set(casebook.attachments(source_id))


def _store(
    client: IntakeClient,
    casebook: Casebook,
    identity: x25519.Identity,
    submission: RemoteSubmission,
    *,
    source_id: str,
    actor: str,
    on_withheld: Callable[[str, str], None] = lambda _name, _why: None,
) -> StoredSubmission:
    """Store every item of ``submission`` (idempotent); what was stored, for the record.

    ``on_withheld`` is told (file name, why) of each attachment whose working copy was withheld.
    """
    attachments: set[str] = set()
    with private_folder() as folder:
        items = [
            _fetch_item(client, item, identity, folder, index)
            for index, item in enumerate(submission.items)
        ]
        messages = [item for item in items if item.header.kind == "message"]
        files = [item for item in items if item.header.kind == "file"]
        text, sha256, whole_message = _message_text(messages, folder)
        if not casebook.exists("source", source_id):
            source = Source(
                id=source_id,
                kind="testimony",
                text=text,
                language=None,
                sha256=sha256,
                confidentiality="secret",
                title=None,
            )
            casebook.add([source], actor=actor)
        if whole_message is not None:
            whole = casebook.add_attachment(
                source_id,
                original=whole_message,
                working_copy=whole_message,
                filename="message.txt",
                content_type="text/plain; charset=utf-8",
                # the source's own words: the text they typed, with nothing to strip
                stripped=["the whole message, longer than the source's text"],
                actor=actor,
            )
            attachments.add(whole.id)
        for index, item in enumerate(files):
            workdir = folder / f"strip-{index}"
            workdir.mkdir(mode=0o700)
            result = working_copy(item.body, workdir)
            filename = safe_filename(item.header.filename or "unnamed")
            if result.withheld:
                on_withheld(filename, "; ".join(result.notes))
            stored = casebook.add_attachment(
                source_id,
                original=item.body,
                working_copy=result.working_copy,
                filename=filename,
                content_type=safe_content_type(item.header.content_type),
                stripped=list(result.report),
                actor=actor,
            )
            attachments.add(stored.id)
            shutil.rmtree(workdir, ignore_errors=True)
    return StoredSubmission(frozenset(item.id for item in submission.items), frozenset(attachments))


def pull(
    client: IntakeClient,
    casebook: Casebook,
    contacts: Contacts,
    identity: x25519.Identity,
    *,
    actor: str,
    progress: Callable[[PullEvent], None] | None = None,
) -> PullReport:
    """Pull every unacknowledged submission of the intake into ``casebook`` (see module doc)."""
    report = PullReport()

    def tell(event: PullEvent) -> None:
        if progress is not None:
            progress(event)

    for submission in client.submissions():
        source_id = source_id_for(submission.id)
        try:
            if _is_complete(casebook, contacts, source_id, submission):
                report.skipped.append(source_id)
                tell(PullEvent("skipped", submission.id, source_id))
            else:
                had_source = casebook.exists("source", source_id)

                def withheld_copy(
                    name: str, why: str, sid: str = source_id, remote: str = submission.id
                ) -> None:
                    report.withheld.append((sid, name))
                    tell(PullEvent("withheld", remote, sid, f"{name}: {why}"))

                stored = _store(
                    client,
                    casebook,
                    identity,
                    submission,
                    source_id=source_id,
                    actor=actor,
                    on_withheld=withheld_copy,
                )
                contacts.set_stored(submission.id, stored)
                if had_source:
                    report.skipped.append(source_id)
                    tell(PullEvent("completed", submission.id, source_id))
                else:
                    report.stored.append(source_id)
                    tell(PullEvent("stored", submission.id, source_id))
        except SubmissionError as error:
            report.failed.append((submission.id, str(error)))
            tell(PullEvent("failed", submission.id, source_id, str(error)))
            continue
        contacts.set(
            source_id,
            ReplyAddress(
                intake=client.base_url,
                source=submission.source,
                recipient=submission.source_recipient,
                received=submission.received,
            ),
        )
        client.acknowledge(submission.id)
        contacts.forget_stored(submission.id)
        report.acknowledged.append(submission.id)
        tell(PullEvent("acknowledged", submission.id, source_id))
    return report


def record_pull(
    casebook: Casebook, report: PullReport, *, intake: str, actor: str, now: datetime
) -> None:
    """Write one audit row for a pull: who pulled from which intake, when, and what came of it
    (the ids of the sources stored, and counts; never a failure's detail, which may quote what
    a source sent). Each source stored has its own ``create`` row already."""
    after = {
        "intake": intake,
        "stored": report.stored,
        "skipped": len(report.skipped),
        "acknowledged": len(report.acknowledged),
        "failed": len(report.failed),
        "withheld": len(report.withheld),
    }
    row = audit_row(
        now,
        actor=actor,
        action="pull",
        record_type="intake",
        record_id=intake[:128],  # the column's width; the whole address is in ``after``
        after=json.dumps(after, ensure_ascii=False),
    )
    with casebook.engine.begin() as connection:
        insert_audit_rows(connection, [row])
