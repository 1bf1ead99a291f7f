"""Make the working copies that a pull had to withhold, once they can be made.

A pull never stops for a file it cannot strip: it keeps the original and stores a notice in place
of the working copy (``strip``). Often the reason goes away later — exiftool or ffmpeg was
installed, a limit was raised, a stripper learnt a new kind of file. ``restrip`` tries every
withheld working copy again, from the original the casebook kept, with the same stripper and in
the same private folders as a pull; a copy that is now clean replaces the notice (audited), one
that still cannot be made stays withheld with the new reason. The originals are never changed:
each is checked against its recorded SHA-256 before it is used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from testament.desk.pull import private_folder
from testament.desk.strip import WITHHELD, working_copy
from testament.store import Casebook
from testament.store.casebook import Attachment

RestripEventKind = Literal["made", "still withheld", "original damaged"]
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class RestripEvent:
    """One withheld working copy tried again: what happened, and why (notes are ours)."""

    kind: RestripEventKind
    attachment: Attachment
    detail: str = ""


@dataclass
class RestripReport:
    """Attachment ids by outcome."""

    made: list[str] = field(default_factory=list)
    still_withheld: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)

    @property
    def tried(self) -> int:
        return len(self.made) + len(self.still_withheld) + len(self.damaged)


def withheld_attachments(casebook: Casebook) -> list[Attachment]:
    """The attachments whose working copy is a notice, by id."""
    return [a for a in casebook.all_attachments() if WITHHELD in a.stripped]


def restrip(
    casebook: Casebook,
    *,
    actor: str,
    progress: Callable[[RestripEvent], None] = lambda _event: None,
) -> RestripReport:
    """Try every withheld working copy of ``casebook`` again (see the module doc)."""
    report = RestripReport()
    for attachment in withheld_attachments(casebook):
        with private_folder() as folder:
            original = folder / "original"
            if not _copy_verified(casebook, attachment, original):
                report.damaged.append(attachment.id)
                progress(
                    RestripEvent(
                        "original damaged",
                        attachment,
                        "the kept original no longer matches its SHA-256: restore it from a "
                        "backup; nothing was changed",
                    )
                )
                continue
            workdir = folder / "strip"
            workdir.mkdir(mode=0o700)
            result = working_copy(original, workdir)
            if result.withheld:
                report.still_withheld.append(attachment.id)
                progress(RestripEvent("still withheld", attachment, "; ".join(result.notes)))
                continue
            casebook.replace_working_copy(
                attachment.id,
                working_copy=result.working_copy,
                stripped=list(result.report),
                actor=actor,
            )
            report.made.append(attachment.id)
            progress(RestripEvent("made", attachment, ", ".join(result.report)))
    return report


def _copy_verified(casebook: Casebook, attachment: Attachment, target: Path) -> bool:
    """Copy the kept original to ``target``; whether it still has its recorded hash."""
    kept = casebook.evidence.path(attachment.sha256)
    if not kept.is_file():
        return False
    digest = hashlib.sha256()
    with kept.open("rb") as source, target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest() == attachment.sha256
