"""Files a hostile or careless sender might attach, built here in a few lines each.

Every identifying value is the ``CANARY`` (or a GPS position in Grozny), so a test can look for
it in the bytes of a working copy.
"""

from __future__ import annotations

import functools
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
    return package(parts)


def package(parts: dict[str, bytes | str]) -> bytes:
    """A zip of ``parts``, as Office writes its files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            member = zipfile.ZipInfo(name, date_time=(2024, 3, 3, 10, 0, 0))
            archive.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx_with_a_corrupt_member() -> bytes:
    """A docx whose document part is not valid deflate data (zlib.error when read)."""
    data = bytearray(docx({"word/document.xml": DOCUMENT + "<!--" + "x" * 4000 + "-->"}))
    name = b"word/document.xml"
    start = data.index(name) + len(name)  # the local header's name; the deflate data follows
    data[start + 8 : start + 60] = b"\xff" * 52
    return bytes(data)


@functools.cache
def docx_bomb() -> bytes:
    """A docx of about a megabyte whose document part inflates to more than a gigabyte."""
    return zip_with_a_huge_member(
        "word/document.xml", 1025 << 20, base={"[Content_Types].xml": CONTENT_TYPES}
    )


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


# -- Office files as Word, Excel and PowerPoint write them, with every known carrier -----------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_RELS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_USER_FOLDER = f"C:\\Users\\{CANARY}\\AppData\\Roaming\\Microsoft\\Templates"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _relationships(*entries: tuple[str, str, str, bool]) -> str:
    rows = "".join(
        f'<Relationship Id="{rid}" Type="{_TYPE}{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rid, kind, target, external in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships {_RELS}>{rows}</Relationships>'


def _content_types(*overrides: str) -> str:
    parts = "".join(
        f'<Override PartName="{name}" ContentType="application/xml"/>' for name in overrides
    )
    return CONTENT_TYPES.replace("</Types>", parts + "</Types>")


_APP_WITH_TEMPLATE = (
    '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
    f'officeDocument/2006/extended-properties"><Template>{_USER_FOLDER}\\Normal.dotm</Template>'
    f"<Company>{CANARY} Ltd</Company></Properties>"
)
_CORE_WITH_CREATOR = (
    '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
    'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
    f'elements/1.1/"><dc:creator>{CANARY}</dc:creator></cp:coreProperties>'
)
_ROOT_RELS = _relationships(
    ("rId1", "officeDocument", "word/document.xml", False),
    ("rId2", "metadata/core-properties", "docProps/core.xml", False),
    ("rId3", "extended-properties", "docProps/app.xml", False),
)


def hostile_docx(*, embedded: bytes | None = None) -> bytes:
    """A docx as Word writes it on a named user's PC: a photo with GPS, the template in the
    user's folder, customXml, an OLE object, revision ids, authors (and ``embedded``, another
    Office file, if given)."""
    drawing = (
        '<w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        f'wordprocessingDrawing"><wp:docPr id="1" name="IMG_{CANARY}.jpg"/><a:graphic xmlns:a='
        '"http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic xmlns:'
        'pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr '
        f'id="0" name="IMG_{CANARY}.jpg" descr="{_USER_FOLDER}\\photo.jpg"/></pic:nvPicPr>'
        '<pic:blipFill><a:blip r:embed="rId5"/></pic:blipFill></pic:pic></a:graphicData>'
        "</a:graphic></wp:inline></w:drawing>"
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W} {_R} xmlns:o="urn:schemas-'
        'microsoft-com:office:office"><w:body><w:p w:rsidR="00A1B2C3" w:rsidRDefault="00D4E5F6">'
        f'<w:ins w:id="1" w:author="{CANARY}" w:date="2024-03-03T10:00:00Z"><w:r><w:t>'
        f"{WORD_TEXT}</w:t></w:r></w:ins><w:r>{drawing}</w:r><w:r><w:object>"
        '<o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" r:id="rId6"/>'
        '</w:object></w:r><w:hyperlink r:id="rId7"><w:r><w:t>the list</w:t></w:r></w:hyperlink>'
        "</w:p></w:body></w:document>"
    )
    relationships = [
        ("rId1", "customXml", "../customXml/item1.xml", False),
        ("rId2", "settings", "settings.xml", False),
        ("rId3", "comments", "comments.xml", False),
        ("rId4", "people", "people.xml", False),
        ("rId5", "image", "media/image1.jpeg", False),
        ("rId6", "oleObject", "embeddings/oleObject1.bin", False),
        ("rId7", "hyperlink", f"file:///C:/Users/{CANARY}/Desktop/list.docx", True),
    ]
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": _content_types("/customXml/itemProps1.xml"),
        "_rels/.rels": _ROOT_RELS,
        "docProps/core.xml": _CORE_WITH_CREATOR,
        "docProps/app.xml": _APP_WITH_TEMPLATE,
        "word/document.xml": document,
        "word/settings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:settings {_W} {_R} xmlns:w15="http://'
            'schemas.microsoft.com/office/word/2012/wordml"><w:attachedTemplate r:id="rId1"/>'
            f'<w:docVars><w:docVar w:name="case" w:val="{CANARY}"/></w:docVars><w:rsids>'
            '<w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00D4E5F6"/></w:rsids>'
            '<w15:docId w15:val="{6C3A1F2E-0000-4000-8000-123456789ABC}"/></w:settings>'
        ),
        "word/_rels/settings.xml.rels": _relationships(
            ("rId1", "attachedTemplate", f"file:///{_USER_FOLDER}\\Normal.dotm", True)
        ),
        "word/_rels/document.xml.rels": _relationships(*relationships),
        "word/comments.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:comments {_W}><w:comment w:id="0" '
            f'w:author="{CANARY}" w:initials="RC"><w:p><w:r><w:t>check the date</w:t></w:r>'
            "</w:p></w:comment></w:comments>"
        ),
        "word/people.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w15:people xmlns:w15="http://schemas.'
            f'microsoft.com/office/word/2012/wordml"><w15:person w15:author="{CANARY}">'
            f'<w15:presenceInfo w15:providerId="AD" w15:userId="S::{CANARY}@example.org::1"/>'
            "</w15:person></w15:people>"
        ),
        "word/media/image1.jpeg": jpeg_with_gps(),
        "word/embeddings/oleObject1.bin": OLE_MAGIC + CANARY.encode("utf-16-le"),
        "customXml/item1.xml": f"<root><owner>{CANARY}</owner></root>",
        "customXml/itemProps1.xml": "<ds:datastoreItem xmlns:ds='x'/>",
        "customXml/_rels/item1.xml.rels": _relationships(
            ("rId1", "customXmlProps", "itemProps1.xml", False)
        ),
    }
    if embedded is not None:
        members["word/embeddings/Microsoft_Word_Document.docx"] = embedded
        members["word/_rels/document.xml.rels"] = _relationships(
            *relationships, ("rId8", "package", "embeddings/Microsoft_Word_Document.docx", False)
        )
    return docx(members)


def hostile_xlsx() -> bytes:
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" {_R} xmlns:mc="http://schemas.openxmlformats.org/markup-'
        'compatibility/2006" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/'
        '11/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
        'mc:Ignorable="x15ac xr"><fileVersion appName="xl" lastEdited="7"/><fileSharing '
        f'readOnlyRecommended="1" userName="{CANARY}"/><workbookPr defaultThemeVersion="202300"/>'
        '<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\'
        f'{CANARY}\\Documents\\"/></mc:Choice></mc:AlternateContent><xr:revisionPtr '
        'revIDLastSave="0" documentId="13_ncr:1_{11111111-2222-3333-4444-555555555555}"/>'
        '<sheets><sheet name="Detained" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    return package(
        {
            "[Content_Types].xml": CONTENT_TYPES.replace("jpeg", "png"),
            "docProps/app.xml": _APP_WITH_TEMPLATE,
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": _relationships(
                ("rId1", "worksheet", "worksheets/sheet1.xml", False)
            ),
            "xl/worksheets/sheet1.xml": "<worksheet><sheetData><row><c t='inlineStr'><is><t>"
            "detained 2017</t></is></c></row></sheetData></worksheet>",
            "xl/media/image1.png": _png_with_gps(),
            "xl/comments1.xml": f"<comments><authors><author>{CANARY}</author></authors>"
            "<commentList/></comments>",
            "xl/persons/person.xml": f'<personList><person displayName="{CANARY}" id="{{1}}" '
            f'userId="{CANARY}@example.org" providerId="AD"/></personList>',
            "xl/revisions/revisionHeaders.xml": f'<headers><header guid="{{2}}" userName='
            f'"{CANARY}" dateTime="2024-03-03T10:00:00"/></headers>',
        }
    )


def hostile_pptx() -> bytes:
    return package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "docProps/app.xml": _APP_WITH_TEMPLATE,
            "docProps/thumbnail.jpeg": jpeg_with_gps(),
            "ppt/presentation.xml": "<p:presentation xmlns:p='p'/>",
            "ppt/slides/slide1.xml": "<p:sld xmlns:p='p' xmlns:a='a'><a:t>the checkpoint"
            "</a:t></p:sld>",
            "ppt/media/image1.jpeg": jpeg_with_gps(),
            "ppt/commentAuthors.xml": "<p:cmAuthorLst xmlns:p='p'><p:cmAuthor id='0' "
            f"name='{CANARY}' initials='RC' lastIdx='1' clrIdx='0'/></p:cmAuthorLst>",
        }
    )


def _png_with_gps() -> bytes:
    buffer = io.BytesIO()
    picture().save(buffer, "PNG", exif=exif_with_gps())
    return buffer.getvalue()


# -- PDF and OpenDocument -----------------------------------------------------------------------


def pdf_with_a_photo() -> bytes:
    """A one-page PDF showing a JPEG whose bytes (EXIF and GPS included) are its image stream,
    as printing a photo to PDF makes it."""
    photo = jpeg_with_gps()
    content = b"q 48 0 0 32 0 0 cm /Im0 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 48 32] "
            b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"
        ),
        b"<< /Type /XObject /Subtype /Image /Width 48 /Height 32 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
        % len(photo)
        + photo
        + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Author (%s) >>" % CANARY.encode(),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    return out + trailer + b"startxref\n%d\n%%%%EOF\n" % table


_ODF = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'


def odt_with_a_photo() -> bytes:
    """An OpenDocument text as LibreOffice writes it on a named user's machine."""
    return package(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": (
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-'
                'path="Pictures/p.jpg" manifest:media-type="image/jpeg"/></manifest:manifest>'
            ),
            "content.xml": (
                f'<office:document-content {_ODF} xmlns:text="urn:oasis:names:tc:opendocument:'
                'xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
                'xmlns:xlink="http://www.w3.org/1999/xlink"><office:body><office:text><text:p>'
                f'{WORD_TEXT}<draw:frame draw:name="IMG_{CANARY}.jpg"><draw:image xlink:href='
                '"Pictures/p.jpg"/></draw:frame></text:p><text:p><text:a xlink:href="file:///'
                f'home/{CANARY}/list.odt">the list</text:a></text:p></office:text></office:body>'
                "</office:document-content>"
            ),
            "meta.xml": (
                f'<office:document-meta {_ODF} xmlns:meta="urn:oasis:names:tc:opendocument:xmlns'
                ':meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>'
                f"<meta:initial-creator>{CANARY}</meta:initial-creator><dc:creator>{CANARY}"
                "</dc:creator></office:meta></office:document-meta>"
            ),
            "settings.xml": (
                f'<office:document-settings {_ODF} xmlns:config="urn:oasis:names:tc:opendocument'
                ':xmlns:config:1.0"><office:settings><config:config-item-set config:name="ooo:'
                'configuration-settings"><config:config-item config:name="PrinterName" '
                f'config:type="string">{CANARY}-printer</config:config-item>'
                "</config:config-item-set></office:settings></office:document-settings>"
            ),
            "Pictures/p.jpg": jpeg_with_gps(),
        }
    )
