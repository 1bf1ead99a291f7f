"""When no clean working copy can be made: the copy is withheld, never the original passed off.

Stripping runs in a child process with a memory limit and a time limit; whatever goes wrong in
it (an exception, a limit, a crash) ends the same way: a short notice stands in for the working
copy, and the notes say ``not stripped: <why>`` and that the copy is withheld.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import testament
from testament.desk.strip import WITHHELD, Limits, StripResult, strip_metadata, tools
from tests.conftest import require_component
from tests.desk.samples import (
    docx_bomb,
    docx_with_a_corrupt_member,
    gif_bomb,
    mpo_with_gps,
    no_canary,
)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir(mode=0o700)
    return folder


def _withheld(result: StripResult, original: Path, why: str) -> None:
    """The working copy is a notice that says why, and nothing of the original."""
    assert result.withheld
    assert result.removed == ()
    assert result.notes[0].startswith("not stripped: ")
    assert why in result.notes[0]
    assert WITHHELD in result.notes
    notice = result.working_copy.read_bytes()
    assert b"withheld" in notice
    assert result.notes[0].encode() in notice
    assert original.read_bytes()[:64] not in notice
    assert no_canary(notice)
    assert [path.name for path in result.working_copy.parent.iterdir()] == [
        result.working_copy.name
    ]  # nothing half-stripped is left beside it


def test_an_office_file_that_crashes_the_stripper_gets_its_copy_withheld(tmp_path, workdir):
    original = tmp_path / "statement.docx"
    original.write_bytes(docx_with_a_corrupt_member())

    result = strip_metadata(original, workdir)

    _withheld(result, original, "DOCX")
    assert "error" in result.notes[0]  # the kind of failure (zlib's), never a value from the file


def test_a_two_picture_jpeg_gets_its_first_picture_without_gps(tmp_path, workdir):
    original = tmp_path / "stereo.jpg"
    original.write_bytes(mpo_with_gps())

    result = strip_metadata(original, workdir)

    assert not result.withheld
    assert {"EXIF", "EXIF GPS"} <= set(result.removed)
    assert any("first picture" in note for note in result.notes)
    assert no_canary(result.working_copy.read_bytes())
    with Image.open(result.working_copy) as clean:
        assert clean.format == "JPEG"
        assert getattr(clean, "n_frames", 1) == 1
        assert not clean.getexif()


def test_a_stripper_that_takes_too_long_is_stopped_and_the_copy_withheld(tmp_path, workdir):
    original = tmp_path / "photo.png"
    Image.new("RGB", (64, 64)).save(original, "PNG")

    result = strip_metadata(original, workdir, Limits(seconds=0.001))

    _withheld(result, original, "took longer than")


def test_a_stripper_that_needs_too_much_memory_is_stopped_and_the_copy_withheld(tmp_path, workdir):
    original = tmp_path / "panorama.png"
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 6000), (40, 90, 200)).save(buffer, "PNG")  # 108 MB of pixels
    original.write_bytes(buffer.getvalue())  # in a file of a few hundred KB

    result = strip_metadata(original, workdir, Limits(memory_bytes=300 << 20))

    _withheld(result, original, "memory")


def test_the_stripping_child_runs_the_same_code_as_the_desk(tmp_path, workdir, monkeypatch):
    # wherever this testament was imported from (a source tree, say), the child must not
    # import another installed copy: that one's stripping may be older
    monkeypatch.delenv("PYTHONPATH", raising=False)
    original = tmp_path / "stereo.jpg"
    original.write_bytes(mpo_with_gps())

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert "EXIF GPS" in result.removed


_MEASURE = """
import resource, sys
from pathlib import Path
from testament.desk.strip import strip_metadata
result = strip_metadata(Path(sys.argv[1]), Path(sys.argv[2]))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, result.notes[0])
"""


@pytest.mark.parametrize("bomb", ["docx", "gif"])
def test_a_decompression_bomb_leaves_the_desk_s_memory_bounded(bomb, tmp_path, workdir):
    require_component(tools.available("exiftool"), "exiftool (libimage-exiftool-perl)")
    original = tmp_path / "item-0.body"
    original.write_bytes(docx_bomb() if bomb == "docx" else gif_bomb(5_000, 5_000, 400))
    search_path = str(Path(testament.__file__).parent.parent)

    # a process of its own whose only child is the stripping one: its peak is measured alone
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(original), str(workdir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env=os.environ | {"PYTHONPATH": search_path},
    )

    peak, note = measured.stdout.split(" ", 1)
    assert int(peak) < 200 << 20  # inflated, the docx is 1 GiB; the GIF's frames 40 GB
    assert "inflate beyond" in note or "too large to decode" in note
