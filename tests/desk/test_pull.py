"""`testament desk pull`: submissions from a real intake become casebook sources, exactly once."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import tempfile

import pytest
from PIL import Image
from pyrage import x25519

from testament.core.records import Source
from testament.crypto.age import encrypt_bytes, parse_recipient
from testament.crypto.items import encode_item
from testament.desk import strip as strip_package
from testament.desk.client import IntakeClient
from testament.desk.contacts import Contacts, ReplyAddress, contacts_path
from testament.desk.errors import IntakeAuthError
from testament.desk.keygen import create_identity
from testament.desk.pull import PullEvent, pull, source_id_for
from testament.desk.strip import WITHHELD, tools
from testament.store import Casebook
from tests.conftest import require_component
from tests.desk.live import SourceBrowser, live_intake
from tests.desk.samples import docx_bomb, docx_with_a_corrupt_member, gif_bomb, mpo_with_gps
from tests.support.cli import run_cli

MESSAGE = "Они забрали моего брата 3 марта. They took my brother on 3 March."


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMakerCanary"
    exif.get_ifd(0x8825)[2] = (43.0, 19.0, 2.5)
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (90, 30, 30)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def sealed(recipient: str, kind, filename, content_type, body: bytes) -> bytes:
    """What the browser uploads: a testament item encrypted to the reviewers before sending."""
    plaintext = encode_item(kind, filename, content_type, body)
    return encrypt_bytes(plaintext, [parse_recipient(recipient)])


def pending(client: IntakeClient) -> list[str]:
    return [submission.id for submission in client.submissions()]


def test_a_no_javascript_submission_becomes_a_testimony_with_a_stripped_attachment(
    client, casebook, contacts, reviewer, source
):
    source.new_codename()
    picture = photo_with_gps()
    source.submit(MESSAGE, files=(("../../dcim/IMG_0001.jpg", picture, "image/jpeg"),))
    (submission,) = client.submissions()

    report = pull(client, casebook, contacts, reviewer, actor="desk:amina")

    source_id = source_id_for(submission.id)
    assert report.stored == [source_id]
    assert report.acknowledged == [submission.id]
    stored = casebook.get("source", source_id)
    assert isinstance(stored, Source)
    assert stored.kind.value == "testimony"
    assert stored.confidentiality.value == "secret"
    assert stored.text == MESSAGE
    assert stored.sha256 == hashlib.sha256(MESSAGE.encode()).hexdigest()
    assert casebook.meta("source", source_id).created_by == "desk:amina"
    (attachment,) = casebook.attachments(source_id).values()
    assert attachment.filename == "IMG_0001.jpg"  # no directories from the sender
    assert attachment.content_type == "image/jpeg"
    assert attachment.sha256 == hashlib.sha256(picture).hexdigest()
    assert casebook.evidence.path(attachment.sha256).read_bytes() == picture
    working = casebook.evidence.path(attachment.working_sha256).read_bytes()
    assert b"CameraMakerCanary" not in working
    assert {"EXIF", "EXIF GPS"} <= set(attachment.stripped)
    # the reply address stays on the desk, beside the casebook, readable only by its owner
    address = contacts.get(source_id)
    assert (address.source, address.recipient) == (submission.source, submission.source_recipient)
    sidecar = contacts.path
    assert stat.S_IMODE(sidecar.stat().st_mode) == 0o600
    assert MESSAGE not in sidecar.read_text()
    assert pending(client) == []


def test_sealed_items_from_the_browser_are_read_the_same_way(
    client, casebook, contacts, reviewer, source
):
    recipient = str(reviewer.to_public())
    source.new_codename()
    document = b"%PDF-1.4 not really a pdf, but a file all the same"
    source.submit(
        sealed=(
            (
                "sealed_message",
                sealed(recipient, "message", None, "text/plain; charset=utf-8", MESSAGE.encode()),
            ),
            ("sealed_file", sealed(recipient, "file", "список.txt", "text/plain", document)),
        )
    )

    report = pull(client, casebook, contacts, reviewer, actor="desk:amina")

    (source_id,) = report.stored
    stored = casebook.get("source", source_id)
    assert isinstance(stored, Source)
    assert stored.text == MESSAGE
    (attachment,) = casebook.attachments(source_id).values()
    assert attachment.filename == "список.txt"
    assert attachment.sha256 == hashlib.sha256(document).hexdigest()


def test_a_second_pull_stores_nothing_twice(client, casebook, contacts, reviewer, source):
    source.new_codename()
    source.submit(MESSAGE, files=(("a.jpg", photo_with_gps(), "image/jpeg"),))
    source.submit("a second message from the same person")
    first = pull(client, casebook, contacts, reviewer, actor="desk:amina")
    audit_before = len(casebook.audit())

    second = pull(client, casebook, contacts, reviewer, actor="desk:amina")

    assert len(first.stored) == 2
    assert second.stored == second.skipped == second.acknowledged == []
    assert casebook.count("source") == 2
    assert len(casebook.audit()) == audit_before
    # both submissions came from one source: one reply address, shared
    addresses = {contacts.get(source_id).source for source_id in first.stored}
    assert len(addresses) == 1


def test_an_interrupted_pull_resumes_without_duplicates_or_losses(
    client, casebook, contacts, reviewer, source
):
    source.new_codename()
    for number in range(3):
        source.submit(
            f"message {number}", files=((f"f{number}.jpg", photo_with_gps(), "image/jpeg"),)
        )
    stored: list[str] = []

    def crash_after_the_second_commit(event: PullEvent) -> None:
        if event.kind == "stored":
            stored.append(event.source_id)
            if len(stored) == 2:  # committed to the casebook, not yet acknowledged
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pull(
            client,
            casebook,
            contacts,
            reviewer,
            actor="desk:amina",
            progress=crash_after_the_second_commit,
        )

    assert casebook.count("source") == 2
    left = pending(client)
    assert len(left) == 2  # the second was stored but never acknowledged, the third not touched
    assert source_id_for(left[0]) == stored[1]

    report = pull(client, casebook, contacts, reviewer, actor="desk:amina")

    assert report.skipped == [stored[1]]  # already in the casebook: not stored again
    assert len(report.stored) == 1
    assert sorted(report.acknowledged) == sorted(left)
    assert casebook.count("source") == 3
    assert all(len(casebook.attachments(s.id)) == 1 for s in casebook.records("source"))
    assert pending(client) == []


def test_a_source_stored_without_its_attachments_is_completed(
    client, casebook, contacts, reviewer, source
):
    source.new_codename()
    source.submit(MESSAGE, files=(("a.jpg", photo_with_gps(), "image/jpeg"),))
    (submission,) = client.submissions()
    source_id = source_id_for(submission.id)
    # as if an earlier pull had committed the Source and died before its attachment
    casebook.add([Source(id=source_id, kind="testimony", text=MESSAGE)], actor="desk:amina")
    events: list[str] = []

    pull(
        client,
        casebook,
        contacts,
        reviewer,
        actor="desk:amina",
        progress=lambda e: events.append(e.kind),
    )

    assert events == ["completed", "acknowledged"]
    assert len(casebook.attachments(source_id)) == 1


def test_a_submission_the_identity_cannot_open_stays_on_the_intake(
    client, casebook, contacts, reviewer, source
):
    stranger = x25519.Identity.generate()
    source.new_codename()
    source.submit(
        sealed=(
            (
                "sealed_message",
                sealed(str(stranger.to_public()), "message", None, "text/plain", b"x"),
            ),
        )
    )
    source.submit(MESSAGE)

    report = pull(client, casebook, contacts, reviewer, actor="desk:amina")

    assert len(report.stored) == 1
    ((failed_id, reason),) = report.failed
    assert "cannot be decrypted with this identity" in reason
    assert pending(client) == [failed_id]
    assert not casebook.exists("source", source_id_for(failed_id))


def test_a_wrong_token_is_refused(intake, casebook, contacts, reviewer):
    with pytest.raises(IntakeAuthError, match="refused the desk token"):
        pull(
            IntakeClient(intake.url, "not-the-token"), casebook, contacts, reviewer, actor="desk:x"
        )


def test_the_pull_command_end_to_end(tmp_path, casebook_path, capsys, monkeypatch):
    passphrase = "a long reviewer passphrase"
    identity_file = tmp_path / "reviewer.age"
    recipient = create_identity(identity_file, passphrase)
    # an intake for this reviewer's key: recipients are fixed when an intake starts
    with live_intake(tmp_path / "intake2", (recipient,)) as own:
        browser = SourceBrowser(own)
        browser.new_codename()
        browser.submit(MESSAGE)
        token_file = tmp_path / "token"
        token_file.write_text(own.token + "\n")
        monkeypatch.setenv("TESTAMENT_PASSPHRASE", passphrase)
        args = (
            "desk", "pull", "--intake", own.url, "--token-file", str(token_file),
            "--identity", str(identity_file), "--casebook", str(casebook_path),
            "--reviewer", "amina",
        )  # fmt: skip

        first = run_cli(capsys, *args)
        again = run_cli(capsys, *args)
        browser.close()

    assert first.exit_code == 0, first.stderr
    assert "1 new source(s) stored" in first.stdout
    assert again.exit_code == 0
    assert "0 new source(s) stored" in again.stdout
    with Casebook.open(casebook_path) as book:
        (stored,) = book.records("source")
    assert isinstance(stored, Source)
    assert stored.text == MESSAGE
    sidecar = json.loads(contacts_path(casebook_path).read_text())
    assert list(sidecar["sources"]) == [stored.id]
    assert MESSAGE not in capsys.readouterr().err


def test_the_pull_command_reports_a_wrong_passphrase(
    tmp_path, intake, casebook_path, capsys, monkeypatch
):
    identity_file = tmp_path / "reviewer.age"
    create_identity(identity_file, "the right passphrase")
    token_file = tmp_path / "token"
    token_file.write_text(intake.token)
    monkeypatch.setenv("TESTAMENT_PASSPHRASE", "the wrong passphrase")

    result = run_cli(
        capsys, "desk", "pull", "--intake", intake.url, "--token-file", str(token_file),
        "--identity", str(identity_file), "--casebook", str(casebook_path),
    )  # fmt: skip

    assert result.exit_code == 1
    assert "wrong passphrase" in result.stderr


def test_contacts_survive_a_restart_of_the_desk(casebook_path):
    first = Contacts(contacts_path(casebook_path))
    address = ReplyAddress(
        "http://x.onion", "ab" * 16, str(x25519.Identity.generate().to_public()), "2026-11-26"
    )
    first.set("intake:" + "cd" * 16, address)

    assert Contacts(contacts_path(casebook_path)).get("intake:" + "cd" * 16) == address


def test_decrypted_bytes_leave_no_trace_in_the_temporary_folder(
    desk, source, tmp_path, monkeypatch
):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen_modes: list[int] = []
    real_strip = strip_package.strip_metadata

    def strip_and_look(original, workdir):
        seen_modes.append(stat.S_IMODE(original.parent.stat().st_mode))
        return real_strip(original, workdir)

    monkeypatch.setattr(strip_package, "strip_metadata", strip_and_look)
    source.new_codename()
    source.submit(MESSAGE, files=(("a.jpg", photo_with_gps(), "image/jpeg"),))
    stranger = str(x25519.Identity.generate().to_public())
    source.submit(sealed=(("sealed_file", sealed(stranger, "file", "x.bin", "text/plain", b"x")),))

    report = desk.pull()

    assert len(report.stored) == 1
    assert len(report.failed) == 1  # the failure cleans up after itself too
    assert seen_modes == [0o700]  # plaintext lived in a folder only its owner can enter
    assert list(scratch.iterdir()) == []


def test_a_message_longer_than_a_source_text_is_kept_whole_as_an_attachment(desk, source):
    long_message = "Мы жили в Грозном. " * 1500  # 28,500 characters
    source.new_codename()
    source.submit(long_message)

    (source_id,) = desk.pull().stored

    stored = desk.casebook.get("source", source_id)
    assert isinstance(stored, Source)
    assert stored.text is not None
    assert len(stored.text) == 20_000
    assert long_message.startswith(stored.text[:-1])
    assert stored.text.endswith("…")
    (whole,) = desk.casebook.attachments(source_id).values()
    assert whole.filename == "message.txt"
    assert desk.casebook.evidence.path(whole.sha256).read_bytes() == long_message.encode()
    assert stored.sha256 == whole.sha256


def test_one_hostile_attachment_does_not_stop_the_pull(desk, source):
    source.new_codename()
    source.submit("a docx", files=(("statement.docx", docx_with_a_corrupt_member(), "x/y"),))
    source.submit("an MPO", files=(("stereo.jpg", mpo_with_gps(), "image/jpeg"),))
    source.submit("a photo", files=(("a.jpg", photo_with_gps(), "image/jpeg"),))

    report = desk.pull()

    assert len(report.stored) == len(report.acknowledged) == 3
    assert report.failed == []
    assert [name for _, name in report.withheld] == ["statement.docx"]  # the reviewer is told
    assert pending(desk.client) == []
    by_name = {
        attachment.filename: attachment
        for source_id in report.stored
        for attachment in desk.casebook.attachments(source_id).values()
    }
    broken = by_name["statement.docx"]
    assert broken.stripped[0].startswith("not stripped: ")
    assert WITHHELD in broken.stripped
    assert broken.working_sha256 != broken.sha256  # the original is not passed off as clean
    notice = desk.casebook.evidence.path(broken.working_sha256).read_bytes()
    assert b"withheld" in notice
    assert desk.casebook.evidence.path(broken.sha256).read_bytes() == (
        docx_with_a_corrupt_member()
    )  # the evidence is kept byte for byte
    for name in ("stereo.jpg", "a.jpg"):
        assert "EXIF GPS" in by_name[name].stripped
        working = desk.casebook.evidence.path(by_name[name].working_sha256).read_bytes()
        assert b"Exif\x00\x00" not in working


def test_an_unexpected_error_around_the_stripper_does_not_stop_the_pull(desk, source, monkeypatch):
    def broken_stripper(original, workdir, limits=None):
        raise RuntimeError("something no one foresaw")

    monkeypatch.setattr(strip_package, "strip_metadata", broken_stripper)
    source.new_codename()
    source.submit(MESSAGE, files=(("a.jpg", photo_with_gps(), "image/jpeg"),))
    source.submit("a second one", files=(("b.jpg", photo_with_gps(), "image/jpeg"),))

    report = desk.pull()

    assert len(report.acknowledged) == 2
    for source_id in report.stored:
        (attachment,) = desk.casebook.attachments(source_id).values()
        assert attachment.stripped[0] == "not stripped: the stripper failed (RuntimeError)"
        assert attachment.working_sha256 != attachment.sha256


def test_the_casebook_shows_a_withheld_working_copy_as_withheld(desk, source, capsys):
    source.new_codename()
    source.submit("a docx", files=(("statement.docx", docx_with_a_corrupt_member(), "x/y"),))
    (source_id,) = desk.pull().stored

    shown = run_cli(capsys, "show", source_id, "--db", str(desk.casebook_path))

    assert shown.exit_code == 0, shown.stderr
    line = next(line for line in shown.stdout.splitlines() if "statement.docx" in line)
    assert "working copy WITHHELD (not stripped: the DOCX stripper failed" in line
    assert "stripped of" not in line


def test_a_pull_interrupted_after_the_whole_message_is_not_acknowledged_until_every_file_is_stored(
    desk, source, monkeypatch
):
    long_message = "Мы жили в Грозном. " * 1500  # kept whole as the attachment message.txt
    source.new_codename()
    source.submit(long_message, files=(("a.jpg", photo_with_gps(), "image/jpeg"),))
    (submission,) = desk.client.submissions()
    source_id = source_id_for(submission.id)

    def the_desk_dies(original, workdir, limits=None):
        raise KeyboardInterrupt  # after the Source and message.txt, before the photo

    monkeypatch.setattr(strip_package, "strip_metadata", the_desk_dies)
    with pytest.raises(KeyboardInterrupt):
        desk.pull()
    monkeypatch.undo()
    (only,) = desk.casebook.attachments(source_id).values()
    assert only.filename == "message.txt"
    stored_when_acknowledged: list[set[str | None]] = []
    acknowledge = desk.client.acknowledge

    def acknowledge_and_look(submission_id: str) -> None:
        names = {
            a.filename for a in desk.casebook.attachments(source_id_for(submission_id)).values()
        }
        stored_when_acknowledged.append(names)
        acknowledge(submission_id)

    monkeypatch.setattr(desk.client, "acknowledge", acknowledge_and_look)

    report = desk.pull()

    assert report.acknowledged == [submission.id]
    assert stored_when_acknowledged == [{"message.txt", "a.jpg"}]
    assert pending(desk.client) == []


def test_a_record_of_completion_is_checked_against_the_casebook(desk, source, tmp_path):
    source.new_codename()
    source.submit(MESSAGE, files=(("a.jpg", photo_with_gps(), "image/jpeg"),))

    def crash_before_the_acknowledgement(event: PullEvent) -> None:
        if event.kind == "stored":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        desk.pull(progress=crash_before_the_acknowledgement)
    # the casebook is then restored from a backup older than that pull; the desk's sidecar,
    # beside it, still says the submission was stored
    restored_path = tmp_path / "restored" / "casebook.sqlite"
    Casebook.create(restored_path).close()
    with Casebook.open(restored_path) as restored:
        report = pull(desk.client, restored, desk.contacts, desk.reviewer, actor="desk:amina")

        (source_id,) = report.stored  # stored again, not skipped on the sidecar's word
        assert len(restored.attachments(source_id)) == 1
    assert pending(desk.client) == []


def test_the_record_of_stored_submissions_is_dropped_once_they_are_acknowledged(desk, source):
    source.new_codename()
    source.submit(MESSAGE, files=(("a.jpg", photo_with_gps(), "image/jpeg"),))

    desk.pull()

    sidecar = json.loads(desk.contacts.path.read_text())
    assert sidecar["stored"] == {}
    assert len(sidecar["sources"]) == 1


def test_a_sidecar_of_the_first_version_is_still_read(casebook_path):
    address = {
        "intake": "http://x.onion",
        "source": "ab" * 16,
        "recipient": str(x25519.Identity.generate().to_public()),
        "received": "2026-11-26",
    }
    path = contacts_path(casebook_path)
    path.write_text(json.dumps({"version": 1, "sources": {"intake:" + "cd" * 16: address}}))

    contacts = Contacts(path)

    assert contacts.get("intake:" + "cd" * 16) == ReplyAddress(**address)
    assert contacts.stored("cd" * 16) is None


def test_decompression_bombs_are_refused_and_the_pull_goes_on(desk, source):
    require_component(tools.available("exiftool"), "exiftool (libimage-exiftool-perl)")
    source.new_codename()
    source.submit("a docx", files=(("bomb.docx", docx_bomb(), "application/msword"),))
    source.submit("a gif", files=(("bomb.gif", gif_bomb(5_000, 5_000, 400), "image/gif"),))
    source.submit("a photo", files=(("a.jpg", photo_with_gps(), "image/jpeg"),))

    report = desk.pull()

    assert len(report.acknowledged) == 3
    by_name = {
        attachment.filename: attachment
        for source_id in report.stored
        for attachment in desk.casebook.attachments(source_id).values()
    }
    assert by_name["bomb.docx"].stripped == (
        "not stripped: a part of this DOCX would inflate beyond 1 GiB",
        WITHHELD,
    )
    assert "too large to decode" in " ".join(by_name["bomb.gif"].stripped)  # never decoded
    assert "EXIF GPS" in by_name["a.jpg"].stripped
