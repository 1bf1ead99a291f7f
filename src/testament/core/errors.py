"""Errors of the casebook domain, and the root every testament error descends from.

Domain errors carry no HTTP status and no exit code: the web apps and the CLI map them. Every
error a person can cause (bad input, a wrong setting, a missing file) descends from
``TestamentError``; the CLI prints its message and exits with status 1, without a traceback.

    TestamentError                      root of all of testament's own errors
    ├── InputError                      input that cannot be accepted; carries every Problem found
    │   ├── SchemaError                 a record that does not fit the data model
    │   └── ReferenceIntegrityError     dangling references, duplicate ids, derived_from cycles
    ├── CasebookError                   the casebook file or database itself is wrong
    │   ├── NotACasebookError           the file/database is not a testament casebook
    │   ├── ReadOnlyCasebookError       this user cannot write the casebook (file or folder)
    │   └── SchemaVersionError          the casebook needs a migration (or is newer than us)
    ├── RecordNotFoundError             an id that names no record
    ├── VersionConflictError            a record changed since the editor read it
    └── SettingsError                   a setting that is missing or invalid

Other packages hang their own roots under ``TestamentError`` (``EstimateError``,
``LinkageError``, ``IntakeError``, ...), so one ``except TestamentError`` in the CLI catches all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, and where.

    ``where`` is human-readable ("casebook.jsonl line 12", "row 40"); ``field`` names the field
    or column when there is one; ``message`` says what was wrong and what was expected.
    """

    where: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        field = f", field {self.field!r}" if self.field else ""
        return f"{self.where}{field}: {self.message}"


class TestamentError(Exception):
    """Root of every error testament raises on purpose."""

    __test__ = False  # not a pytest test class, despite the name


class InputError(TestamentError):
    """Input that cannot be accepted. Lists every problem found (up to a limit)."""

    def __init__(
        self, summary: str, problems: Sequence[Problem] = (), *, truncated: bool = False
    ) -> None:
        self.summary = summary
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.truncated = truncated
        super().__init__(self.render())

    def render(self) -> str:
        lines = [self.summary]
        lines.extend(f"  - {problem}" for problem in self.problems)
        if self.truncated:
            lines.append("  - ... (more problems not shown)")
        return "\n".join(lines)


class SchemaError(InputError):
    """A record that does not fit the data model (wrong type, unknown term, impossible date)."""


class ReferenceIntegrityError(InputError):
    """References between records are broken: dangling ids, duplicates, cycles."""


class CasebookError(TestamentError):
    """The casebook database itself is not usable."""


class NotACasebookError(CasebookError):
    """The file or database exists but is not a testament casebook."""


class ReadOnlyCasebookError(CasebookError):
    """The casebook, or the folder it is in, cannot be written by this user.

    Its message never quotes the refused statement: SQLAlchemy's would carry record contents.
    """


class SchemaVersionError(CasebookError):
    """The casebook's schema is older (needs ``testament migrate``) or newer than this version."""


class RecordNotFoundError(TestamentError):
    """An id that names no record in the casebook."""


class VersionConflictError(TestamentError):
    """A change made to a version of a record that is no longer the current one: someone else
    changed it in between. Nothing was written; ``current_version`` is the version to re-read
    and re-apply the change on."""

    def __init__(self, record_type: str, record_id: str, *, current_version: int) -> None:
        self.record_type = record_type
        self.record_id = record_id
        self.current_version = current_version
        super().__init__(
            f"{record_type} {record_id!r} was changed by someone else (it is now at version "
            f"{current_version}): nothing was stored; read it again and re-apply your change"
        )


class SettingsError(TestamentError):
    """A setting that is missing or invalid; the message says what to set."""
