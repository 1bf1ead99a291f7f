"""Reading zip packages (Office files) in bounded memory, refusing decompression bombs.

A zip member declares how large it inflates; deflate cannot shrink real content by much more
than a few hundred times, and a member of a gigabyte of zeros fits in a megabyte. Every member
is checked before a byte of it is inflated (its declared size, its compression ratio, the sum
over the package, the number of members), and then read in bounded chunks that are counted, in
case the declaration lies. Exceeding a limit is ``NotStripped``: the working copy is withheld.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from testament.desk.strip.limits import Limits, size_label
from testament.desk.strip.result import NotStripped

_CHUNK = 1 << 20


def checked_members(archive: zipfile.ZipFile, limits: Limits, label: str) -> list[zipfile.ZipInfo]:
    """The members of ``archive``, once their declared sizes are within ``limits``."""
    members = archive.infolist()
    if len(members) > limits.zip_members:
        raise NotStripped(f"this {label} has more than {limits.zip_members} parts")
    names = [member.filename for member in members]
    if len(set(names)) != len(names):
        raise NotStripped(f"this {label} names a part twice")
    if sum(member.file_size for member in members) > limits.zip_total_bytes:
        total = size_label(limits.zip_total_bytes)
        raise NotStripped(f"this {label} would inflate beyond {total} (a decompression bomb?)")
    for member in members:
        if member.file_size > limits.zip_member_bytes:
            most = size_label(limits.zip_member_bytes)
            raise NotStripped(f"a part of this {label} would inflate beyond {most}")
        if (
            member.file_size > limits.zip_ratio_floor_bytes
            and member.file_size > limits.zip_ratio * max(member.compress_size, 1)
        ):
            raise NotStripped(
                f"a part of this {label} inflates more than {limits.zip_ratio} times "
                "(a decompression bomb?)"
            )
    return members


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, most: int, label: str) -> bytes:
    """The inflated bytes of ``member``, at most ``most`` of them."""
    if member.file_size > most:
        raise NotStripped(f"a part of this {label} is larger than {size_label(most)}")
    pieces: list[bytes] = []
    size = 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > most:
                raise NotStripped(f"a part of this {label} is larger than {size_label(most)}")
            pieces.append(chunk)
    return b"".join(pieces)


def read_head(archive: zipfile.ZipFile, member: zipfile.ZipInfo, size: int = 64) -> bytes:
    """The first ``size`` bytes of ``member``: enough to tell what it is."""
    with archive.open(member) as stream:
        return stream.read(size)


def extract_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, most: int, label: str
) -> None:
    """Write the inflated bytes of ``member`` to ``target``, at most ``most`` of them."""
    size = 0
    with archive.open(member) as stream, target.open("wb") as out:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > most:
                raise NotStripped(f"a part of this {label} is larger than {size_label(most)}")
            out.write(chunk)
