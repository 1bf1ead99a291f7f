"""The demo's desk account: a researcher named ``demo`` in the demo casebook, so that a newcomer
can open the desk on what the demo built.

Its password and TOTP secret are drawn at random on every run, never written in the repository:
a demo casebook copied onto a team server must not come with a known way in. They are printed
once and kept in ``desk-account.txt`` beside the casebook, readable by its owner only (0600). The
demo rebuilds its casebook on each run, so the account is new each time and the file is
rewritten.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from testament.desk.access import Role
from testament.desk.accounts import Enrolment, add_user
from testament.store import Casebook

DEMO_USER = "demo"
DESK_URL = "http://127.0.0.1:8081"
ACCOUNT_FILE = "desk-account.txt"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """How to reach the desk on the demo casebook, and the account to log in with."""

    database: Path
    password: str
    enrolment: Enrolment

    @property
    def command(self) -> str:
        return f".venv/bin/testament desk serve --db {self.database}"

    def lines(self) -> list[str]:
        """What the newcomer needs, one fact a line (printed, and written to the file)."""
        return [
            f"Start the desk:   {self.command}",
            f"Then open:        {DESK_URL}",
            f"User:             {self.enrolment.name} (researcher)",
            f"Password:         {self.password}",
            f"TOTP secret:      {self.enrolment.secret}",
            f"otpauth URI:      {self.enrolment.uri}",
        ]


def add_demo_account(database: Path, folder: Path) -> tuple[DemoAccount, Path]:
    """Create the ``demo`` researcher in ``database`` with a fresh random password and TOTP
    secret, and write them to ``folder/desk-account.txt`` (0600). Returns the account and file."""
    # 20 URL-safe characters: about 120 random bits, far past the desk's strength check.
    password = secrets.token_urlsafe(15)
    with Casebook.open(database) as casebook:
        enrolment = add_user(
            casebook.engine,
            DEMO_USER,
            Role.RESEARCHER,
            password,
            actor="demo",
            now=datetime.now(UTC),
        )
    account = DemoAccount(database, password, enrolment)
    path = folder / ACCOUNT_FILE
    path.unlink(missing_ok=True)  # a file left by an earlier run may have looser permissions
    # Created with 0600 from the start, so no other user can read it even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(
            "The demo's desk account (made anew by each `make demo`; for this machine only).\n"
        )
        stream.write("\n".join(account.lines()) + "\n")
    return account, path
