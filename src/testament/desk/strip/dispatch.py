"""Pick the stripper for a file's kind, in the child process (``child``)."""

from __future__ import annotations

import errno
from pathlib import Path

from testament.desk.strip.kinds import IMAGE_KINDS, ODF_KINDS, OOXML_KINDS, VIDEO_KINDS, detect_kind
from testament.desk.strip.limits import Limits
from testament.desk.strip.result import NotStripped, StripResult, failure_label


def strip_here(original: Path, workdir: Path, limits: Limits) -> StripResult:
    """Strip ``original`` in this process. A failure the stripper did not foresee becomes
    ``NotStripped`` naming the kind of file and of failure."""
    kind = detect_kind(original)
    if kind is None:
        if _is_plain_text(original, limits):
            return _plain_text(original, workdir)
        raise NotStripped("unknown type")
    try:
        return _strip_kind(original, workdir, kind, limits)
    except (NotStripped, MemoryError):
        raise
    except OSError as error:
        if error.errno == errno.EFBIG:
            raise
        raise NotStripped(_failed(kind, error)) from None
    except Exception as error:  # noqa: BLE001 - a parser's surprise must not pass as clean
        raise NotStripped(_failed(kind, error)) from None


# Plain text carries nothing but its text: no hidden fields to strip. Only UTF-8 without control
# characters (tabs and line ends aside) counts, so that no binary format passes as text.
_TEXT_CONTROLS = frozenset(range(32)) - {9, 10, 13}


def _is_plain_text(original: Path, limits: Limits) -> bool:
    if original.stat().st_size > limits.zip_xml_bytes:  # read whole: bounded like an XML part
        return False
    data = original.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(char) in _TEXT_CONTROLS or ord(char) == 127 for char in text)


def _plain_text(original: Path, workdir: Path) -> StripResult:
    copy = workdir / "working-copy.txt"
    copy.write_bytes(original.read_bytes())
    return StripResult(copy, (), ("plain text: no hidden metadata to remove",))


def _failed(kind: str, error: BaseException) -> str:
    return f"the {kind.lstrip('.').upper()} stripper failed ({failure_label(error)})"


def _strip_kind(original: Path, workdir: Path, kind: str, limits: Limits) -> StripResult:
    if kind in IMAGE_KINDS:
        from testament.desk.strip.images import strip_image

        return strip_image(original, workdir, kind, limits)
    if kind in OOXML_KINDS:
        from testament.desk.strip.office import strip_ooxml

        return strip_ooxml(original, workdir, kind, limits)
    if kind == "HEIF":
        from testament.desk.strip.media import strip_heif

        return strip_heif(original, workdir, limits)
    if kind in VIDEO_KINDS:
        from testament.desk.strip.media import strip_video

        return strip_video(original, workdir, kind, limits)
    if kind == "pdf" or kind in ODF_KINDS:
        from testament.desk.strip.documents import strip_with_mat2

        extension = ".pdf" if kind == "pdf" else kind
        return strip_with_mat2(original, workdir, extension, limits, lightweight=kind == "pdf")
    raise NotStripped("unknown type")
