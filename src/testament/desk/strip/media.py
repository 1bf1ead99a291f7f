"""HEIF pictures (iPhones' HEIC, AVIF) and videos (MP4, QuickTime MOV), without decoding.

- HEIF: exiftool deletes the EXIF and XMP items (it leaves them empty) and the file is
  otherwise unchanged;
- videos: ffmpeg copies the picture and sound streams, unchanged, into a new file: without the
  container's metadata (location, camera make and model, titles, an Apple ``keys`` list),
  chapters, subtitle and data tracks (GPS tracks of action cameras, subtitles of drones),
  with zero creation times (``-fflags +bitexact``); then the user data ffmpeg's mp4 muxer
  writes in the movie header is removed (``boxes``).

Then the copy is read again twice, by readers that did not write it: its box tree (``boxes``:
no metadata item with content, no user data, no track that is neither picture nor sound, no
creation time), and exiftool (for a video; for HEIF, exiftool wrote the copy) must find no
metadata. Only then is it reported clean.
"""

from __future__ import annotations

from pathlib import Path

from testament.desk.strip import boxes, tools
from testament.desk.strip.limits import Limits
from testament.desk.strip.result import NotStripped, StripResult

ONLY_PICTURE_AND_SOUND = "only the picture and sound tracks kept (subtitle or data tracks left out)"


def strip_heif(original: Path, workdir: Path, limits: Limits) -> StripResult:
    """A HEIF picture whose EXIF and XMP items are emptied, checked by reading its boxes."""
    found = tools.exiftool_labels(original, seconds=limits.seconds)
    copy = workdir / "working-copy.heic"
    subject = tools.exiftool_input(original, workdir, ".heic")
    done = tools.run(
        "exiftool", "-q", "-q", "-all=", "-o", str(copy), str(subject), seconds=limits.seconds
    )
    subject.unlink()
    if done.returncode != 0 or not copy.exists():
        raise NotStripped("exiftool could not rewrite this HEIF image")
    left = boxes.heif_carriers(copy)
    if left:
        raise NotStripped(f"the copy still carried {', '.join(left)}")
    return StripResult(copy, found, ())


def strip_video(original: Path, workdir: Path, kind: str, limits: Limits) -> StripResult:
    """A copy of a video's picture and sound streams in a fresh container, checked."""
    found = tools.exiftool_labels(original, seconds=limits.seconds)
    muxer = "mov" if kind == "MOV" else "mp4"
    copy = workdir / f"working-copy.{muxer}"
    done = tools.run(
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(original),
        "-map", "0:V?", "-map", "0:a?", "-map_metadata", "-1", "-map_chapters", "-1",
        "-c", "copy", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-f", muxer, str(copy),
        seconds=limits.seconds,
    )  # fmt: skip
    if done.returncode != 0 or not copy.exists():
        raise NotStripped(f"ffmpeg could not copy this {kind} video")
    boxes.drop_user_data(copy)
    left = boxes.video_carriers(copy)
    left += [
        label for label in tools.exiftool_labels(copy, seconds=limits.seconds) if label not in left
    ]
    if left:
        raise NotStripped(f"the copy still carried {', '.join(left)}")
    notes: tuple[str, ...] = ()
    try:
        if set(boxes.track_handlers(original)) - {b"vide", b"soun"}:
            notes = (ONLY_PICTURE_AND_SOUND,)
    except ValueError:
        notes = ()
    return StripResult(copy, found, notes)
