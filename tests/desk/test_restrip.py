"""`testament desk restrip`: withheld working copies are made once they can be, from the kept
original, audited; the originals never change."""

from __future__ import annotations

import hashlib

from testament.desk import strip as strip_package
from testament.desk.restrip import restrip, withheld_attachments
from testament.desk.strip import WITHHELD
from tests.desk.samples import docx_with_a_corrupt_member, jpeg_with_gps
from tests.support.cli import run_cli


def _pull_with_the_stripper_broken(desk, source, monkeypatch, files):
    def broken(original, workdir, limits=None):
        raise RuntimeError("exiftool was not installed yet")

    monkeypatch.setattr(strip_package, "strip_metadata", broken)
    source.new_codename()
    source.submit("see the photo", files=files)
    (source_id,) = desk.pull().stored
    monkeypatch.undo()
    return source_id


def test_a_withheld_copy_is_made_once_the_stripper_works(desk, source, monkeypatch):
    picture = jpeg_with_gps()
    source_id = _pull_with_the_stripper_broken(
        desk, source, monkeypatch, (("a.jpg", picture, "image/jpeg"),)
    )
    (before,) = desk.casebook.attachments(source_id).values()
    assert WITHHELD in before.stripped

    report = restrip(desk.casebook, actor="desk:amina")

    assert report.made == [before.id]
    (after,) = desk.casebook.attachments(source_id).values()
    assert WITHHELD not in after.stripped
    assert "EXIF GPS" in after.stripped
    assert after.sha256 == before.sha256 == hashlib.sha256(picture).hexdigest()
    assert desk.casebook.evidence.path(after.sha256).read_bytes() == picture
    working = desk.casebook.evidence.path(after.working_sha256).read_bytes()
    assert working.startswith(b"\xff\xd8")
    assert working != picture
    assert withheld_attachments(desk.casebook) == []
    change = [e for e in desk.casebook.audit() if e.record_type == "attachment"][-1]
    assert (change.action, change.actor, change.record_id) == ("update", "desk:amina", before.id)
    assert change.before["working_sha256"] == before.working_sha256
    assert change.after["working_sha256"] == after.working_sha256


def test_a_copy_that_still_cannot_be_made_stays_withheld_with_its_reason(desk, source):
    source.new_codename()
    source.submit("a docx", files=(("s.docx", docx_with_a_corrupt_member(), "x/y"),))
    (source_id,) = desk.pull().stored
    (before,) = desk.casebook.attachments(source_id).values()

    report = restrip(desk.casebook, actor="desk:amina")

    assert report.still_withheld == [before.id]
    assert desk.casebook.attachments(source_id)[before.id] == before


def test_a_damaged_original_is_not_used_and_the_command_says_so(desk, source, monkeypatch, capsys):
    source_id = _pull_with_the_stripper_broken(
        desk, source, monkeypatch, (("a.jpg", jpeg_with_gps(), "image/jpeg"),)
    )
    (before,) = desk.casebook.attachments(source_id).values()
    kept = desk.casebook.evidence.path(before.sha256)
    kept.chmod(0o600)
    kept.write_bytes(b"bit rot")

    result = run_cli(capsys, "desk", "restrip", "--casebook", str(desk.casebook_path))

    assert result.exit_code == 1
    assert "NOT tried: the kept original no longer matches its SHA-256" in result.stderr
    assert "Restore the casebook's .evidence folder from a backup" in result.stderr
    assert "Traceback" not in result.stderr
    assert desk.casebook.attachments(source_id)[before.id] == before


def test_the_command_reports_each_copy_and_a_summary(desk, source, monkeypatch, capsys):
    _pull_with_the_stripper_broken(
        desk, source, monkeypatch, (("[bold]a.jpg", jpeg_with_gps(), "image/jpeg"),)
    )

    result = run_cli(
        capsys, "desk", "restrip", "--casebook", str(desk.casebook_path), "--reviewer", "amina"
    )

    assert result.exit_code == 0, result.stderr
    assert "[bold]a.jpg: working copy made (stripped of " in result.stderr
    assert "1 withheld working cop(ies) tried: 1 made, 0 still withheld" in result.stdout
