"""The testament-item/2 plaintext format: what the browser, the intake and the desk agree on."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testament.crypto import ItemFormatError
from testament.crypto.items import (
    MIN_PADDED_BYTES,
    ItemWriter,
    encode_item,
    encode_item_header,
    padded_length,
    read_item,
    safe_content_type,
    safe_filename,
)


def test_header_is_magic_line_then_one_line_of_compact_json():
    header = encode_item_header("file", "фото.jpg", "image/jpeg")
    assert header == (
        b"testament-item/2\n"
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
    stream = io.BytesIO(encode_item(kind, filename, content_type, body))
    header, body_stream = read_item(stream)
    assert (header.kind, header.filename, header.content_type) == (kind, filename, content_type)
    assert body_stream.read() == body


def test_an_item_is_framed_then_padded_to_its_length_class():
    item = encode_item("message", None, "text/plain; charset=utf-8", "Привет".encode())
    header = encode_item_header("message", None, "text/plain; charset=utf-8")
    body = "Привет".encode()
    assert item.startswith(header + len(body).to_bytes(4, "big") + body + bytes(4))
    assert len(item) == MIN_PADDED_BYTES
    assert item[len(header) + 4 + len(body) + 4 :] == bytes(len(item) - len(header) - len(body) - 8)


@pytest.mark.parametrize(
    ("length", "padded"),
    [
        (0, 65_536),
        (65_536, 65_536),
        (65_537, 67_584),  # 2^16 + 1 rounds up to a multiple of 2^11
        (1_000_000, 1_015_808),
        (2**32 + 1, 2**32 + 2**26),
    ],
)
def test_lengths_are_padded_to_padme_classes_of_at_least_64_kib(length, padded):
    assert padded_length(length) == padded


@given(st.integers(min_value=1, max_value=2**45))
def test_padding_never_shrinks_and_costs_at_most_3_percent_above_64_kib(length):
    padded = padded_length(length)
    assert padded >= length
    assert padded == padded_length(padded)  # a padded length is its own class
    if length > MIN_PADDED_BYTES:
        assert padded - length <= length * 0.032


def test_texts_of_different_lengths_under_64_kib_are_the_same_size():
    short = encode_item("message", None, "text/plain; charset=utf-8", b"yes")
    long = encode_item("message", None, "text/plain; charset=utf-8", b"x" * 60_000)
    assert len(short) == len(long)


def test_a_streaming_writer_gives_the_same_item_as_the_whole_body_at_once():
    body = bytes(range(256)) * 1000
    writer = ItemWriter("file", "a.bin", "application/octet-stream")
    pieces = [writer.header()]
    for start in range(0, len(body), 7000):
        pieces.extend(writer.body(body[start : start + 7000]))
    pieces.extend(writer.finish())
    streamed = b"".join(bytes(piece) for piece in pieces)
    _, content = read_item(io.BytesIO(streamed))
    assert content.read() == body
    assert len(streamed) == padded_length(len(streamed))


def test_the_unpadded_items_of_before_are_still_read():
    old = b'testament-item/1\n{"kind":"message","filename":null,"content_type":"text/plain"}\nhi'
    header, content = read_item(io.BytesIO(old))
    assert (header.kind, content.read()) == ("message", b"hi")


def _item(body: bytes = b"hello") -> bytes:
    return encode_item("message", None, "text/plain", body)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda item: item[:-1], "padding is shorter"),
        (lambda item: item + b"\0", "padding is longer"),
        (lambda item: item[:-1] + b"\1", "not zero bytes"),
        (lambda item: item[:86], "ends inside"),
        (lambda item: item.replace(b"\0\0\0\x05hello", b"\xff\0\0\x05hello"), "at most 16 MiB"),
    ],
)
def test_a_damaged_item_is_refused_when_its_body_is_read_to_the_end(damage, reason):
    _, content = read_item(io.BytesIO(damage(_item())))
    with pytest.raises(ItemFormatError, match=reason):
        content.read()


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
        b"testament-item/2\n{no newline",
        b"testament-item/2\n\xff\xfe\n",
        b'testament-item/2\n{"kind":"exe","filename":null,"content_type":"x"}\n',
        b'testament-item/1\n{"kind":"file","filename":null}\n',
        b"testament-item/2\n" + b"x" * 40_000 + b"\n",
        b"testament-item/3\n",
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
