"""Fixtures of the desk tests: a reviewer, a live intake on loopback, a casebook, a source."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pyrage import x25519

from testament.desk.client import IntakeClient
from testament.desk.contacts import Contacts, contacts_path
from testament.desk.pull import PullReport, pull
from testament.store import Casebook
from tests.desk.live import LiveIntake, SourceBrowser, live_intake


@pytest.fixture
def reviewer() -> x25519.Identity:
    return x25519.Identity.generate()


@pytest.fixture
def intake(tmp_path: Path, reviewer: x25519.Identity) -> Iterator[LiveIntake]:
    with live_intake(tmp_path / "intake", (str(reviewer.to_public()),)) as running:
        yield running


@pytest.fixture
def client(intake: LiveIntake) -> IntakeClient:
    return IntakeClient(intake.url, intake.token)


@pytest.fixture
def casebook_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk" / "casebook.sqlite"
    Casebook.create(path).close()
    return path


@pytest.fixture
def casebook(casebook_path: Path) -> Iterator[Casebook]:
    with Casebook.open(casebook_path) as book:
        yield book


@pytest.fixture
def contacts(casebook_path: Path) -> Contacts:
    return Contacts(contacts_path(casebook_path))


@pytest.fixture
def source(intake: LiveIntake) -> Iterator[SourceBrowser]:
    browser = SourceBrowser(intake)
    yield browser
    browser.close()


@dataclass
class Desk:
    """The reviewer's side, wired to the live intake: a casebook, its contacts, a key."""

    intake: LiveIntake
    client: IntakeClient
    casebook: Casebook
    casebook_path: Path
    contacts: Contacts
    reviewer: x25519.Identity

    def pull(self, **options: Any) -> PullReport:
        return pull(
            self.client, self.casebook, self.contacts, self.reviewer, actor="desk:amina", **options
        )


@pytest.fixture
def desk(intake, client, casebook, contacts, reviewer) -> Desk:
    return Desk(intake, client, casebook, Path(casebook.location), contacts, reviewer)


@dataclass(frozen=True)
class ReviewerFile:
    """A passphrase-protected identity file, made once per session (scrypt takes seconds)."""

    path: Path
    passphrase: str
    recipient: str


@pytest.fixture(scope="session")
def reviewer_file(tmp_path_factory: pytest.TempPathFactory) -> ReviewerFile:
    from testament.desk.keygen import create_identity

    path = tmp_path_factory.mktemp("reviewer") / "reviewer.age"
    passphrase = "a long reviewer passphrase"
    return ReviewerFile(path, passphrase, create_identity(path, passphrase))


@dataclass(frozen=True)
class DeskCli:
    """What `testament desk pull|reply` needs: an intake for the reviewer file's key, its token
    in a file, a casebook; the passphrase is in $TESTAMENT_PASSPHRASE."""

    intake: LiveIntake
    token_file: Path
    identity: Path
    casebook: Path

    def options(self, intake_url: str | None = None) -> list[str]:
        return [
            "--intake", intake_url or self.intake.url, "--token-file", str(self.token_file),
            "--casebook", str(self.casebook),
        ]  # fmt: skip


@pytest.fixture
def desk_cli(
    tmp_path: Path,
    reviewer_file: ReviewerFile,
    casebook_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[DeskCli]:
    monkeypatch.setenv("TESTAMENT_PASSPHRASE", reviewer_file.passphrase)
    with live_intake(tmp_path / "own-intake", (reviewer_file.recipient,)) as own:
        token_file = tmp_path / "token"
        token_file.write_text(own.token + "\n")
        yield DeskCli(own, token_file, reviewer_file.path, casebook_path)
