"""Crash-safe writes: the old file or the whole new one, never half, and nothing left behind."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from testament.core.files import (
    atomic_bytes_writer,
    atomic_text_writer,
    staged_file,
    write_atomically,
)


class CrashError(Exception):
    """Stands for a crash or Ctrl-C in the middle of a write."""


def test_a_write_replaces_the_file_and_leaves_only_it(tmp_path: Path) -> None:
    target = tmp_path / "export.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with atomic_text_writer(target) as out:
        out.write("Грозный\n")
    assert target.read_text(encoding="utf-8") == "Грозный\n"
    assert list(tmp_path.iterdir()) == [target]


def test_an_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "export.jsonl"
    target.write_text("old\n", encoding="utf-8")

    def interrupted_export() -> None:
        with atomic_text_writer(target) as out:
            out.write("half of the new" * 10_000)
            raise CrashError

    with pytest.raises(CrashError):
        interrupted_export()
    assert target.read_text(encoding="utf-8") == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_the_new_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "addresses.json"
    write_atomically(target, "{}")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_newline_is_as_for_open(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    with atomic_text_writer(target, newline="") as out:
        out.write("a,b\r\n1,2\r\n")
    assert target.read_bytes() == b"a,b\r\n1,2\r\n"


def test_bytes_are_written_as_they_are_and_missing_folders_made(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "folder" / "blob"
    with atomic_bytes_writer(target) as out:
        out.write(b"\x00\xff")
    assert target.read_bytes() == b"\x00\xff"


def test_a_file_that_must_not_be_replaced_is_not(tmp_path: Path) -> None:
    target = tmp_path / "identity.age"
    write_atomically(target, b"first", replace=False)
    with pytest.raises(FileExistsError):
        write_atomically(target, b"second", replace=False)
    assert target.read_bytes() == b"first"
    assert list(tmp_path.iterdir()) == [target]


def test_a_staged_file_not_placed_is_removed(tmp_path: Path) -> None:
    with staged_file(tmp_path) as staged:
        staged.stream.write(b"bytes whose name was never decided")
        assert staged.temporary.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_staged_file_is_placed_under_a_name_decided_after_writing(tmp_path: Path) -> None:
    with staged_file(tmp_path) as staged:
        with staged.text() as text:
            text.write("named by its content")
        staged.place(tmp_path / "named-later")
    assert (tmp_path / "named-later").read_text(encoding="utf-8") == "named by its content"
    assert list(tmp_path.iterdir()) == [tmp_path / "named-later"]
