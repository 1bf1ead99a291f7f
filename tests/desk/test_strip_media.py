"""iPhone photos (HEIC) and videos (MP4, MOV): the position where they were taken is gone.

Phones write the GPS position into a HEIC's EXIF item and into a video's container (Apple's
``keys``, the ISO ``loci`` box), with the camera's make and model and the time. The fixtures are
made here with the tools a phone's files resemble: libheif's encoder, ffmpeg.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from testament.desk.strip import WITHHELD, strip_metadata, tools
from testament.desk.strip.boxes import heif_carriers, video_carriers
from testament.desk.strip.media import ONLY_PICTURE_AND_SOUND
from tests.conftest import require_component
from tests.desk.samples import CANARY, CONTENT_TYPES, jpeg_with_gps, no_canary, package

_LOCATION = "+43.3167+045.6981/"  # Grozny


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def exiftool() -> None:
    require_component(
        tools.available("exiftool"), "exiftool (Debian package libimage-exiftool-perl)"
    )


@pytest.fixture
def ffmpeg(exiftool) -> None:
    require_component(tools.available("ffmpeg"), "ffmpeg (Debian package ffmpeg)")


def _run(*command: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, capture_output=True, check=True, timeout=120)


def _exiftool_tags(path: Path) -> dict[str, object]:
    (tags,) = json.loads(_run("exiftool", "-j", "-a", "-G1", str(path)).stdout)
    return {key: value for key, value in tags.items() if not key.startswith(("System:", "File:"))}


def _metadata_tags(path: Path) -> list[str]:
    """Tags exiftool reads that name a place, a device, a person or a time."""
    words = ("GPS", "Location", "Make", "Model", "Artist", "Title", "Creat", "Author", "XMP")
    tags = _exiftool_tags(path)
    return [
        key
        for key, value in tags.items()
        if any(word in key for word in words)
        and not str(value).startswith("0000:00:00")
        and not key.startswith("Composite:")
    ]


def _heic_with_gps(tmp_path: Path) -> Path:
    require_component(
        shutil.which("heif-enc") is not None, "heif-enc (Debian package libheif-examples)"
    )
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps(64, 48))
    heic = tmp_path / "photo.heic"
    _run("heif-enc", "-o", str(heic), str(photo))  # keeps the JPEG's EXIF and XMP
    original = tmp_path / "item-0.body"  # as the desk names a decrypted file: no extension
    heic.rename(original)
    return original


def test_an_iphone_photo_in_heic_loses_its_gps_position(tmp_path, workdir, exiftool):
    original = _heic_with_gps(tmp_path)
    assert "EXIF" in heif_carriers(original)
    assert any("GPS" in key for key in _exiftool_tags(original))

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert result.removed == ("EXIF", "EXIF GPS", "XMP")
    assert heif_carriers(result.working_copy) == []
    assert _metadata_tags(result.working_copy) == []
    assert CANARY.encode() not in result.working_copy.read_bytes()  # the camera's make
    decoded = tmp_path / "decoded.png"
    _run("heif-convert", str(result.working_copy), str(decoded))  # still a picture
    assert decoded.stat().st_size > 0


def _video(tmp_path: Path, container: str, *extra: str) -> Path:
    """One second of a test picture and a tone, with a location, a camera and a date."""
    made = tmp_path / f"made.{container}"
    _run(
        "ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10",
        "-f", "lavfi", "-i", "sine=frequency=440", *extra, "-t", "1", "-c:v", "mpeg4",
        "-c:a", "aac", "-metadata", f"location={_LOCATION}",
        "-metadata", "creation_time=2024-03-03T10:00:00Z", "-metadata", f"title={CANARY}",
        "-metadata", f"com.apple.quicktime.location.ISO6709={_LOCATION}",
        "-metadata", f"com.apple.quicktime.make={CANARY}-make",
        "-metadata", f"com.apple.quicktime.model={CANARY}-model",
        "-movflags", "use_metadata_tags", str(made),
    )  # fmt: skip
    original = tmp_path / "item-0.body"
    made.rename(original)
    return original


@pytest.mark.parametrize("container", ["mp4", "mov"])
def test_a_video_loses_its_location_camera_and_creation_time(container, tmp_path, workdir, ffmpeg):
    original = _video(tmp_path, container)
    assert _metadata_tags(original)

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert {"location", "camera make and model", "creation time"} <= set(result.removed)
    assert video_carriers(result.working_copy) == []
    assert _metadata_tags(result.working_copy) == []
    assert no_canary(result.working_copy.read_bytes())
    streams = json.loads(
        _run(
            "ffprobe", "-v", "error", "-show_streams", "-of", "json", str(result.working_copy)
        ).stdout
    )["streams"]
    assert sorted(stream["codec_type"] for stream in streams) == ["audio", "video"]
    assert not any("creation_time" in stream.get("tags", {}) for stream in streams)


def test_a_video_loses_a_subtitle_track_that_could_hold_a_drone_s_positions(
    tmp_path, workdir, ffmpeg
):
    subtitles = tmp_path / "track.srt"
    subtitles.write_text(f"1\n00:00:00,000 --> 00:00:01,000\nGPS 43.3167 45.6981 {CANARY}\n")
    original = _video(
        tmp_path,
        "mp4",
        "-i",
        str(subtitles),
        "-map",
        "0",
        "-map",
        "1",
        "-map",
        "2",
        "-c:s",
        "mov_text",
    )
    assert CANARY.encode() in original.read_bytes()

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert ONLY_PICTURE_AND_SOUND in result.notes
    assert CANARY.encode() not in result.working_copy.read_bytes()
    assert video_carriers(result.working_copy) == []


def test_a_video_on_a_desk_without_ffmpeg_gets_its_working_copy_withheld(
    tmp_path, workdir, ffmpeg, monkeypatch
):
    original = _video(tmp_path, "mp4")
    monkeypatch.setenv("PATH", "/nonexistent")  # the stripping child finds no tool at all

    result = strip_metadata(original, workdir)

    assert result.withheld
    assert result.notes[0].startswith("not stripped: needs exiftool")
    assert result.notes[1] == WITHHELD


def test_a_video_in_a_presentation_loses_its_location_too(tmp_path, workdir, ffmpeg):
    video = _video(tmp_path, "mp4").read_bytes()
    original = tmp_path / "slides.pptx"
    original.write_bytes(
        package(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "ppt/presentation.xml": "<p:presentation xmlns:p='p'/>",
                "ppt/media/media1.mp4": video,
            }
        )
    )

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert "embedded video location" in result.removed
    with zipfile.ZipFile(result.working_copy) as clean:
        copy = clean.read("ppt/media/media1.mp4")
    (tmp_path / "copy.mp4").write_bytes(copy)
    assert video_carriers(tmp_path / "copy.mp4") == []
    assert _metadata_tags(tmp_path / "copy.mp4") == []
