"""Files a hostile or careless sender might attach, built here in a few lines each.

Every identifying value is the ``CANARY`` (or a GPS position in Grozny), so a test can look for
it in the bytes of a working copy.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from PIL import Image

CANARY = "RuslanCanary7Q"
GPS_LATITUDE = (43.0, 19.0, 2.5)


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = f"{CANARY}-make"  # Make
    exif[0x0110] = f"{CANARY}-model"  # Model
    if orientation is not None:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    return exif


def picture(width: int = 48, height: int = 32) -> Image.Image:
    image = Image.new("RGB", (width, height))
    image.putdata(
        [(x * 5 % 256, y * 7 % 256, (x + y) % 256) for y in range(height) for x in range(width)]
    )
    return image


def jpeg_with_gps(width: int = 48, height: int = 32) -> bytes:
    buffer = io.BytesIO()
    picture(width, height).save(
        buffer,
        "JPEG",
        exif=exif_with_gps(),
        xmp=f"<x:xmpmeta><dc:creator>{CANARY}</dc:creator></x:xmpmeta>".encode(),
    )
    return buffer.getvalue()


def mpo_with_gps() -> bytes:
    """A two-picture JPEG (MPO, as 3D and some phone cameras write), GPS in both pictures."""
    buffer = io.BytesIO()
    second = Image.new("RGB", (48, 32), (10, 200, 10))
    picture().save(
        buffer, "MPO", save_all=True, append_images=[second], exif=exif_with_gps().tobytes()
    )
    return buffer.getvalue()


def no_canary(data: bytes) -> bool:
    encodings = (CANARY.encode(), CANARY.encode("utf-16-be"), CANARY.encode("utf-16-le"))
    return not any(encoded in data for encoded in encodings) and b"Exif\x00\x00" not in data


# -- Office Open XML ----------------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>'
    '<Override PartName="/customXml/item1.xml" ContentType="application/xml"/></Types>'
)
WORD_TEXT = "They took him at night."
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.'
    'org/wordprocessingml/2006/main"><w:body><w:p w:rsidR="00A1B2C3"><w:r><w:t>'
    f"{WORD_TEXT}</w:t></w:r></w:p></w:body></w:document>"
)


def docx(members: dict[str, bytes | str] | None = None) -> bytes:
    """A small docx; ``members`` are added to (or replace) its parts."""
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "word/document.xml": DOCUMENT,
    }
    parts.update(members or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_with_a_corrupt_member() -> bytes:
    """A docx whose document part is not valid deflate data (zlib.error when read)."""
    data = bytearray(docx({"word/document.xml": DOCUMENT + "<!--" + "x" * 4000 + "-->"}))
    name = b"word/document.xml"
    start = data.index(name) + len(name)  # the local header's name; the deflate data follows
    data[start + 8 : start + 60] = b"\xff" * 52
    return bytes(data)


def zip_with_a_huge_member(name: str, inflated: int, *, base: dict[str, str]) -> bytes:
    """A zip whose member ``name`` inflates to ``inflated`` zero bytes: a decompression bomb
    of about a thousandth of that size, compressed here in chunks to keep the test's memory low."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, text in base.items():
            archive.writestr(member, text)
        chunk = bytes(1 << 20)
        with archive.open(name, "w", force_zip64=True) as target:
            for _ in range(inflated // len(chunk)):
                target.write(chunk)
    return buffer.getvalue()


def deflated(data: bytes) -> bytes:
    return zlib.compress(data)


# -- GIF ----------------------------------------------------------------------------------------


def gif_bomb(width: int, height: int, frames: int) -> bytes:
    """A GIF with a ``width`` x ``height`` screen and ``frames`` one-pixel frames: a few bytes
    each, but a decoder that composes every frame on the full screen holds them all."""
    header = b"GIF89a" + width.to_bytes(2, "little") + height.to_bytes(2, "little")
    header += b"\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"  # a two-colour global palette
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    comment = b"\x21\xfe" + bytes([len(CANARY)]) + CANARY.encode() + b"\x00"
    frame = (
        b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # graphic control: 1/100 s
        b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00"  # a 1x1 image at the top left
        b"\x02\x02\x44\x01\x00"  # LZW: clear, colour 0, end
    )
    return header + loop + comment + frame * frames + b"\x3b"
