"""Evidence files kept beside the casebook, addressed by their SHA-256.

Originals are evidence: they are stored byte for byte under their hash, never rewritten, and the
hash recorded in the casebook lets anyone verify them later (chain of custody). Working copies
(metadata stripped) are stored the same way. Writes go to a temporary file in the same folder,
are flushed to disk, then renamed into place, so a crash never leaves a half-written file under a
valid name. A folder that cannot be written is reported as a ``CasebookError`` naming it.
"""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path
from typing import BinaryIO

from testament.core.errors import CasebookError, ReadOnlyCasebookError
from testament.core.files import staged_file

_CHUNK = 1 << 20


class EvidenceStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def put_file(self, source: Path) -> tuple[str, int]:
        """Store a copy of ``source``; returns its SHA-256 and size."""
        with source.open("rb") as stream:
            return self.put_stream(stream)

    def put_stream(self, stream: BinaryIO) -> tuple[str, int]:
        try:
            return self._put_stream(stream)
        except OSError as error:
            kind = (
                ReadOnlyCasebookError
                if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
                else CasebookError
            )
            raise kind(
                f"cannot store an evidence file in {self.folder}: {error.strerror}. "
                "Make that folder writable for your user (chmod u+w), or move the casebook "
                "and its .evidence folder to a folder you can write."
            ) from None

    def _put_stream(self, stream: BinaryIO) -> tuple[str, int]:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        size = 0
        with staged_file(self.folder, prefix=".incoming-") as staged:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                staged.stream.write(chunk)
            final = self.path(digest.hexdigest())
            final.parent.mkdir(exist_ok=True, mode=0o700)
            if not final.exists():  # same bytes already kept: content addressing, a no-op
                staged.place(final)
        return digest.hexdigest(), size

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")
