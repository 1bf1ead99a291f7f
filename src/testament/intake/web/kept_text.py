"""A testimony typed while the session ran out is given back, never dropped and never stored.

A source may spend longer writing than a session lasts (``session_minutes``). When the form is
sent after that, the intake cannot encrypt the submission to the source's own key (the session
held it), and must not store anything unauthenticated. So it reads only the message field of
the form, in memory, bounded by ``MAX_KEPT_MESSAGE_BYTES``, and puts it back into the log-in
page; logging in shows the form again with the text in it. Files are not read (the form's file
parts come after the message and are left unread); the page says that they must be chosen again.
Nothing of it is written anywhere or logged.
"""

from __future__ import annotations

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from testament.intake.errors import SubmissionRejectedError
from testament.intake.upload import multipart_boundary

MAX_KEPT_MESSAGE_BYTES = 256 * 1024
_WANTED = {b"csrf_token", b"message"}


class _Fields:
    """The small text fields of a multipart body, until the first part that is not one."""

    def __init__(self) -> None:
        self.values: dict[bytes, bytearray] = {}
        self.done = False
        self._name: bytes | None = None
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._disposition = b""

    def on_part_begin(self) -> None:
        self._name, self._disposition = None, b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if bytes(self._header_field).lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        name = options.get(b"name")
        if name in _WANTED and b"filename" not in options:
            self._name = name
            self.values[name] = bytearray()
        else:
            self.done = True  # a file or another field: everything wanted came before it

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._name is None:
            return
        value = self.values[self._name]
        room = MAX_KEPT_MESSAGE_BYTES - len(value)
        value += data[start : start + max(min(end - start, room), 0)]

    def on_end(self) -> None:
        self.done = True


async def read_kept_fields(request: Request) -> tuple[str, str]:
    """The message text (at most ``MAX_KEPT_MESSAGE_BYTES``) and the CSRF token of a form."""
    boundary = multipart_boundary(request.headers.get("content-type"))
    fields = _Fields()
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": fields.on_part_begin,
            "on_header_field": fields.on_header_field,
            "on_header_value": fields.on_header_value,
            "on_header_end": fields.on_header_end,
            "on_headers_finished": fields.on_headers_finished,
            "on_part_data": fields.on_part_data,
            "on_end": fields.on_end,
        },
        max_header_size=8 * 1024,
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if fields.done:
                break
    except MultipartParseError:
        raise SubmissionRejectedError("malformed multipart body") from None
    message = bytes(fields.values.get(b"message", b"")).decode("utf-8", "ignore")
    token = bytes(fields.values.get(b"csrf_token", b"")).decode("ascii", "ignore")
    return message, token
