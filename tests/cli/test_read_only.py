"""A casebook the user cannot write: a clear error (what, where, what to do), exit 1, and never
the records' contents (SQLAlchemy's own message quotes the SQL and its parameters: testimony).

Tests run as root, whom file modes do not stop. So the real case runs the command in its own
mount namespace with the casebook's folder bind-mounted read-only (``unshare``; skipped where
that is not allowed, and plain file modes are used when not root); the in-process tests make
SQLite itself refuse writes (``PRAGMA query_only``), which fails with the same error
("attempt to write a readonly database") through the same code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testament.store import Casebook
from tests.support.cli import run_cli

SECRET = "They took my brother on 3 March; SECRET-TESTIMONY-TEXT"
RECORD = {"type": "source", "id": "src-new", "kind": "testimony", "text": SECRET}


def new_records(folder: Path) -> Path:
    path = folder / "new.jsonl"
    path.write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    return path


def assert_clear_refusal(result, location: Path) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert "INSERT" not in result.stderr
    assert str(location) in result.stderr  # where
    assert "read-only" in result.stderr  # what
    assert "write" in result.stderr  # what to do


# -- the real thing: a read-only folder --------------------------------------------------------


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount --bind / /mnt 2>/dev/null || mount -t tmpfs t /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def run_read_only(target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``testament ARGS`` in a process that cannot write ``target``, a file or a folder
    (a read-only bind mount for root, file modes for anyone else)."""
    command = [sys.executable, "-m", "testament", *args]
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    if os.geteuid() == 0:
        if not _unshare_works():
            pytest.skip("root, and no mount namespace to make a folder read-only for root")
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, "sh", str(target), *command]
    else:
        target.chmod(0o555 if target.is_dir() else 0o444)
    try:
        return subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=120, check=False
        )
    finally:
        target.chmod(0o755 if target.is_dir() else 0o644)


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A casebook in a folder of its own (the folder, or the file, is made read-only)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    Casebook.create(folder / "casebook.sqlite").close()
    return folder


@pytest.mark.parametrize("read_only", ["folder", "file"])
def test_importing_into_a_read_only_casebook_says_so(shared, tmp_path, read_only):
    casebook = shared / "casebook.sqlite"
    target = shared if read_only == "folder" else casebook

    result = run_read_only(target, "import", str(new_records(tmp_path)), "--db", str(casebook))

    assert_clear_refusal(result, target)
    with Casebook.open(casebook) as book:
        assert book.count("source") == 0


def test_browsing_a_casebook_in_a_read_only_folder_says_so(shared):
    result = run_read_only(shared, "sources", "--db", str(shared / "casebook.sqlite"))

    assert_clear_refusal(result, shared)
    assert "not a testament casebook" not in result.stderr  # it is one


# -- in process: SQLite refuses every write -----------------------------------------------------


def test_a_refused_write_names_the_casebook_and_hides_the_records(
    capsys, tmp_path, db, refuse_writes
):
    refuse_writes()

    result = run_cli(capsys, "import", str(new_records(tmp_path)), "--db", db, "--actor", "amina")

    assert result.exit_code == 1
    assert SECRET not in result.stderr
    assert "INSERT" not in result.stderr
    assert db in result.stderr
    assert "read-only" in result.stderr
    assert "Nothing was changed" in result.stderr


def test_creating_a_casebook_in_a_read_only_folder_says_so(shared):
    result = run_read_only(shared, "init", "--db", str(shared / "another.sqlite"))

    assert_clear_refusal(result, shared)


def test_an_evidence_folder_that_cannot_be_written_is_named(tmp_path):
    from testament.core.errors import CasebookError
    from testament.store.evidence import EvidenceStore

    blocked = tmp_path / "casebook.sqlite.evidence"
    blocked.write_text("a file where the evidence folder should be")  # fails for root too
    original = tmp_path / "photo.jpg"
    original.write_bytes(b"jpeg bytes")

    with pytest.raises(CasebookError, match=r"cannot store an evidence file in .*evidence"):
        EvidenceStore(blocked).put_file(original)


def test_reply_addresses_that_cannot_be_written_are_named(tmp_path):
    from testament.desk.contacts import Contacts, ReplyAddress
    from testament.desk.errors import DeskError

    (tmp_path / "blocked").write_text("a file where a folder should be")
    contacts = Contacts(tmp_path / "blocked" / "casebook.sqlite.desk.json")
    address = ReplyAddress("http://x.onion", "ab" * 16, "age1x", "2026-11-26")

    with pytest.raises(DeskError, match=r"cannot write the reply addresses .*desk\.json"):
        contacts.set("intake:" + "cd" * 16, address)
