"""How much a single attachment may cost the desk while its working copy is made.

Attachments come from anyone who can reach the intake. A few kilobytes can describe gigabytes
(a zip member of zeros, a GIF whose every one-pixel frame is drawn on a huge screen), so every
stripper checks what it is about to inflate or decode against these limits first, and the child
process that runs it cannot take more memory, time or disk than they allow whatever it does.
Exceeding one withholds the working copy (the original is kept) and the pull goes on.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

MEMORY_BYTES = 1 << 30
"""Address space of the stripping child and of the tools it runs (``RLIMIT_AS``): 1 GiB."""

SECONDS = 600.0
"""Wall-clock time for one attachment; over Tor a desk pulls large videos, which ffmpeg copies."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one stripping; the defaults are the desk's."""

    memory_bytes: int = MEMORY_BYTES
    seconds: float = SECONDS
    # A file the child writes may be this much larger than twice the original (RLIMIT_FSIZE):
    # a copy of a video is about its size, a re-encoded picture rarely larger.
    output_margin_bytes: int = 512 << 20
    # Pixels Pillow decodes and encodes again; a larger picture has its metadata removed without
    # decoding (exiftool). Pillow holds about four copies of the pixels at 4 bytes each.
    max_pixels: int = 40_000_000
    # Frames x screen pixels of an animation: Pillow composes every frame on the whole screen.
    max_animation_pixels: int = 50_000_000
    # Office files: one XML part is read into memory, other parts are streamed to disk.
    zip_xml_bytes: int = 64 << 20
    zip_member_bytes: int = 1 << 30
    zip_total_bytes: int = 2 << 30
    zip_members: int = 10_000
    # Deflate cannot shrink real content much more than this; bombs reach about 1,000.
    zip_ratio: int = 200
    zip_ratio_floor_bytes: int = 1 << 20  # small parts may be all spaces: only larger ones count

    def output_bytes(self, original_size: int) -> int:
        return 2 * original_size + self.output_margin_bytes

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Limits:
        return cls(**json.loads(text))


def size_label(size: int) -> str:
    """``1 GiB``, ``64 MiB``: limits as the notes show them."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size} bytes"
