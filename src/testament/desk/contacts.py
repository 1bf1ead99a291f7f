"""Reply addresses: which intake source handle and age recipient each pulled source answers to.

Kept in a small JSON sidecar beside the casebook, ``<casebook>.desk.json`` (mode 0600, written
atomically), not in the casebook itself, because:

- the casebook is shared with colleagues, exported and migrated; the intake's source handle is a
  link back to the intake's records of that person, and it belongs only on the machine that
  talks to the intake;
- ``Source`` has no field for it (``identity_ref`` belongs to ``Informant``, and the casebook's
  schema is not the desk's to extend);
- one person may send several submissions: each becomes its own Source, all of them sharing one
  handle, which a map ``source id -> address`` records directly.

It also records, for each submission stored but not yet acknowledged, which of its items were
stored and the attachments they became (``pull`` writes it once everything is in the casebook,
checks it before downloading again, and forgets it once the intake has the acknowledgement).
Counting attachments cannot say whether a submission is complete: the long message's
``message.txt`` is an attachment too, and two identical files are one.

It holds no plaintext and no secret key: the handle is an opaque random id, the recipient is a
public key; item and attachment ids are random or derived from hashes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from testament.core.files import atomic_text_writer
from testament.desk.errors import DeskError, UnknownSourceError

_VERSION = 2
_READABLE_VERSIONS = (1, 2)  # version 1 had no record of stored submissions


@dataclass(frozen=True, slots=True)
class ReplyAddress:
    """Where a reply to a source goes: the intake, the source's handle there, its recipient."""

    intake: str
    source: str
    recipient: str
    received: str


@dataclass(frozen=True, slots=True)
class StoredSubmission:
    """A submission whose every item is in the casebook: its item ids, and the ids of the
    attachments they became (the message may have become none)."""

    items: frozenset[str]
    attachments: frozenset[str]


def contacts_path(casebook: Path) -> Path:
    """The sidecar of the casebook at ``casebook``."""
    return casebook.with_name(casebook.name + ".desk.json")


class Contacts:
    """The reply addresses of one casebook's pulled sources."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._addresses: dict[str, ReplyAddress] = {}
        self._stored: dict[str, StoredSubmission] = {}
        if path.exists():
            self._addresses, self._stored = self._read()

    def _read(self) -> tuple[dict[str, ReplyAddress], dict[str, StoredSubmission]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") not in _READABLE_VERSIONS:
                raise DeskError(f"{self.path}: unknown version {data.get('version')!r}")
            addresses = {
                source_id: ReplyAddress(**entry) for source_id, entry in data["sources"].items()
            }
            stored = {
                submission_id: StoredSubmission(
                    frozenset(entry["items"]), frozenset(entry["attachments"])
                )
                for submission_id, entry in data.get("stored", {}).items()
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            raise DeskError(f"{self.path} is damaged ({error}): restore it from a backup") from None
        return addresses, stored

    def get(self, source_id: str) -> ReplyAddress:
        try:
            return self._addresses[source_id]
        except KeyError:
            raise UnknownSourceError(
                f"no reply address for {source_id!r} in {self.path}: only sources pulled from an "
                "intake by `testament desk pull` into this casebook can be answered"
            ) from None

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._addresses

    def set(self, source_id: str, address: ReplyAddress) -> None:
        """Record ``address`` for ``source_id`` and write the file (only if something changed)."""
        if self._addresses.get(source_id) == address:
            return
        self._addresses[source_id] = address
        self._write()

    def stored(self, submission_id: str) -> StoredSubmission | None:
        """What ``pull`` recorded as stored of a submission not yet acknowledged, if anything."""
        return self._stored.get(submission_id)

    def set_stored(self, submission_id: str, stored: StoredSubmission) -> None:
        """Record that every item of a submission is in the casebook (before acknowledging)."""
        if self._stored.get(submission_id) == stored:
            return
        self._stored[submission_id] = stored
        self._write()

    def forget_stored(self, submission_id: str) -> None:
        """Drop the record once the submission is acknowledged: the intake will not list it."""
        if self._stored.pop(submission_id, None) is not None:
            self._write()

    def _write(self) -> None:
        data = {
            "version": _VERSION,
            "sources": {key: asdict(value) for key, value in sorted(self._addresses.items())},
            "stored": {
                key: {"items": sorted(value.items), "attachments": sorted(value.attachments)}
                for key, value in sorted(self._stored.items())
            },
        }
        try:
            with atomic_text_writer(self.path) as out:  # mode 0600, as every file it writes
                json.dump(data, out, indent=1, ensure_ascii=False)
        except OSError as error:
            raise DeskError(
                f"cannot write the reply addresses {self.path}: {error.strerror}. Make its "
                "folder writable for your user (chmod u+w), then pull again"
            ) from None
