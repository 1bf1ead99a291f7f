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

It holds no plaintext and no secret key: the handle is an opaque random id, the recipient is a
public key.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from testament.desk.errors import DeskError, UnknownSourceError

_VERSION = 1


@dataclass(frozen=True, slots=True)
class ReplyAddress:
    """Where a reply to a source goes: the intake, the source's handle there, its recipient."""

    intake: str
    source: str
    recipient: str
    received: str


def contacts_path(casebook: Path) -> Path:
    """The sidecar of the casebook at ``casebook``."""
    return casebook.with_name(casebook.name + ".desk.json")


class Contacts:
    """The reply addresses of one casebook's pulled sources."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._addresses: dict[str, ReplyAddress] = {}
        if path.exists():
            self._addresses = self._read()

    def _read(self) -> dict[str, ReplyAddress]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != _VERSION:
                raise DeskError(f"{self.path}: unknown version {data.get('version')!r}")
            return {
                source_id: ReplyAddress(**entry) for source_id, entry in data["sources"].items()
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            raise DeskError(f"{self.path} is damaged ({error}): restore it from a backup") from None

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

    def _write(self) -> None:
        data = {
            "version": _VERSION,
            "sources": {key: asdict(value) for key, value in sorted(self._addresses.items())},
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".desk-json-")
        except OSError as error:
            raise DeskError(
                f"cannot write the reply addresses {self.path}: {error.strerror}. Make its "
                "folder writable for your user (chmod u+w), then pull again"
            ) from None
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            Path(temporary).replace(self.path)  # mkstemp made it 0600
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
