"""The testament-item/1 plaintext format: what the browser, the intake and the desk agree on."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testament.crypto import ItemFormatError
from testament.crypto.items import (
    encode_item_header,
    read_item,
    safe_content_type,
    safe_filename,
)


def test_header_is_magic_line_then_one_line_of_compact_json():
    header = encode_item_header("file", "фото.jpg", "image/jpeg")
    assert header == (
        b"testament-item/1\n"
        + '{"kind":"file","filename":"фото.jpg","content_type":"image/jpeg"}'.encode()
        + b"\n"
    )


@given(
    kind_and_name=st.one_of(
        st.tuples(st.just("message"), st.none()),
        st.tuples(st.just("file"), st.text(min_size=1, max_size=300)),
    ),
    content_type=st.text(max_size=100),
    body=st.binary(max_size=20_000),
)
def test_read_item_returns_what_was_encoded_and_streams_the_body(kind_and_name, content_type, body):
    kind, filename = kind_and_name
    stream = io.BytesIO(encode_item_header(kind, filename, content_type) + body)
    header, body_stream = read_item(stream)
    assert (header.kind, header.filename, header.content_type) == (kind, filename, content_type)
    assert body_stream.read() == body


def test_a_message_has_no_file_name_and_a_file_must_have_one():
    with pytest.raises(ItemFormatError):
        encode_item_header("message", "x.txt", "text/plain")
    with pytest.raises(ItemFormatError):
        encode_item_header("file", None, "text/plain")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an item at all",
        b"testament-item/1\n{no newline",
        b"testament-item/1\n\xff\xfe\n",
        b'testament-item/1\n{"kind":"exe","filename":null,"content_type":"x"}\n',
        b'testament-item/1\n{"kind":"file","filename":null}\n',
        b"testament-item/1\n" + b"x" * 40_000 + b"\n",
    ],
)
def test_read_item_rejects_what_is_not_an_item(data):
    with pytest.raises(ItemFormatError):
        read_item(io.BytesIO(data))


@pytest.mark.parametrize(
    ("given_name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ruslan\\video.mp4", "video.mp4"),
        ("a\x00b.txt", "ab.txt"),
        ("\u202egnp.exe", "gnp.exe"),
        (".hidden", "hidden"),
        ("..", "unnamed"),
        ("", "unnamed"),
    ],
)
def test_safe_filename_keeps_only_a_harmless_last_component(given_name, safe):
    assert safe_filename(given_name) == safe


def test_safe_content_type_falls_back_to_octet_stream_for_anything_odd():
    assert safe_content_type("image/jpeg") == "image/jpeg"
    assert safe_content_type("text/plain; charset=utf-8") == "text/plain; charset=utf-8"
    assert safe_content_type("text/html\r\nX-Evil: 1") == "application/octet-stream"
    assert safe_content_type(None) == "application/octet-stream"
