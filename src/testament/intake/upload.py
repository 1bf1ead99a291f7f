"""Streaming multipart uploads, encrypted while they arrive: no plaintext ever touches the disk.

The request body is read chunk by chunk (``request.stream()``) and fed to python-multipart's
streaming ``MultipartParser``. A worker thread turns the parser's events into items:

- a plaintext part (``message``, ``file``: the no-JavaScript form) becomes the item plaintext
  (``testament-item/2``: header, the bytes in chunks, padding) and is encrypted by pyrage's
  ``encrypt_io`` as it is read, straight into a file under ``incoming/``;
- a sealed part (``sealed_message``, ``sealed_file``: the browser encrypted it) must start with
  the age header and is copied as it is — the intake never decrypts it;
- ``csrf_token`` is read (it is small) and checked by the caller's function; other fields are
  drained and ignored.

pyrage pulls plaintext through a file-like object, python-multipart pushes events; the worker
thread bridges the two by pulling body chunks from the event loop (``anyio.from_thread.run``)
whenever the encryption wants more bytes. A task on the event loop reads the body ahead into a
bounded queue, so receiving and encrypting overlap on two cores. Large files are encrypted by a
helper process fed through shared memory (``testament.crypto.encrypt_process``). Memory stays
bounded by the queue, two 1 MiB buffers and the helper's 8 MiB ring whatever the size of the
upload.

Limits (body size, part count, header sizes, an idle timeout between chunks for slow Tor
uploads, and a minimum average rate once a grace period is over, so that a client trickling a
byte a minute cannot hold an upload slot for hours) raise ``LimitExceededError``; the files of a
rejected or interrupted upload are deleted, and what a crash leaves is only ciphertext that the
next start removes. The worker thread comes from the pool the caller passes (``threads``), not
from anyio's default pool that the rest of the server shares.
"""

from __future__ import annotations

import codecs
import io
import logging
import os
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import anyio
import anyio.from_thread
import anyio.to_thread
from pyrage import x25519
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from testament.crypto.age import encrypt_stream
from testament.crypto.age_header import MIN_PAYLOAD_BYTES, AgeHeaderError, header_length
from testament.crypto.encrypt_process import HELPER_AVAILABLE, EncryptingProcess
from testament.crypto.items import (
    MESSAGE_CONTENT_TYPE,
    ItemKind,
    ItemWriter,
    safe_content_type,
    safe_filename,
)
from testament.intake.errors import LimitExceededError, SubmissionRejectedError
from testament.intake.store import CompletedItem

# python-multipart logs parse problems at WARNING with pieces of the body in the message, and
# with no handler configured Python prints them to stderr: plaintext outside any redaction.
# A level above CRITICAL on the package loggers silences their child loggers too.
for _name in ("python_multipart", "multipart"):
    logging.getLogger(_name).setLevel(logging.CRITICAL + 1)

PLAINTEXT_FIELDS: dict[str, ItemKind] = {"message": "message", "file": "file"}
SEALED_FIELDS: dict[str, ItemKind] = {"sealed_message": "message", "sealed_file": "file"}
CSRF_FIELD = "csrf_token"
MAX_SMALL_FIELD_BYTES = 1024
_WRITE_BUFFER = 1024 * 1024
_READ_BUFFER = 1024 * 1024
_QUEUED_CHUNKS = 16  # body chunks read ahead of the encryption (uvicorn's are <= 64 KiB)


@dataclass(frozen=True, slots=True)
class UploadLimits:
    max_body_bytes: int
    max_parts: int
    max_part_header_bytes: int
    idle_timeout_seconds: float
    #: After ``rate_grace_seconds``, the body must have arrived at this average rate at least.
    min_bytes_per_second: float = 2048.0
    rate_grace_seconds: float = 60.0
    #: Bodies declared at least this large have their files encrypted in a helper process
    #: (``testament.crypto.encrypt_process``), beside the server's own work; smaller ones, where
    #: starting a process would cost more than it saves, are encrypted in this process.
    helper_process_from_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReceivedUpload:
    """The items of an upload, written under ``incoming/``, and whether its CSRF token was good."""

    items: tuple[CompletedItem, ...]
    csrf_valid: bool

    def discard(self) -> None:
        for item in self.items:
            item.incoming_path.unlink(missing_ok=True)


def multipart_boundary(content_type: str | None) -> bytes:
    """The boundary of a ``multipart/form-data`` body; SubmissionRejectedError if there is none."""
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary", b"")
    if kind != b"multipart/form-data" or not boundary or len(boundary) > 200:
        raise SubmissionRejectedError("the body is not multipart/form-data with a boundary")
    return boundary


Event = (
    tuple[Literal["begin"], dict[bytes, bytes]]
    | tuple[Literal["data"], memoryview]
    | tuple[Literal["end"], None]
)


class _PartEvents:
    """Pull-style access to the parts of a multipart body whose chunks come from ``pull``."""

    def __init__(
        self, boundary: bytes, pull: Callable[[], list[bytes] | None], limits: UploadLimits
    ) -> None:
        self._pull = pull
        self._limits = limits
        self._events: deque[Event] = deque()
        self._field = bytearray()
        self._value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._header_bytes = 0
        self.finished = False
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._on_part_begin,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_headers_finished": self._on_headers_finished,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
                "on_end": self._on_end,
            },
            max_header_size=limits.max_part_header_bytes,
        )

    def _on_part_begin(self) -> None:
        self._headers, self._header_bytes = {}, 0

    def _count_header(self, n: int) -> None:
        self._header_bytes += n
        if self._header_bytes > self._limits.max_part_header_bytes:
            raise LimitExceededError("a part's headers are too large")

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._value += data[start:end]

    def _on_header_end(self) -> None:
        self._headers[bytes(self._field).lower()] = bytes(self._value)
        self._field.clear()
        self._value.clear()

    def _on_headers_finished(self) -> None:
        self._events.append(("begin", self._headers))

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        # A view, not a copy: the chunk stays alive until the part's reader has used it.
        self._events.append(("data", memoryview(data)[start:end]))

    def _on_part_end(self) -> None:
        self._events.append(("end", None))

    def _on_end(self) -> None:
        self.finished = True

    def next(self) -> Event | None:
        """The next event, pulling and parsing body chunks as needed; None at the body's end."""
        while not self._events:
            chunks = self._pull()
            if chunks is None:
                if not self.finished:
                    raise SubmissionRejectedError("the body ended before its closing boundary")
                return None
            try:
                for chunk in chunks:
                    self._parser.write(chunk)
            except MultipartParseError as error:
                raise SubmissionRejectedError(f"malformed multipart body: {error}") from None
        return self._events.popleft()


class _PartReader(io.RawIOBase):
    """The bytes of the current part, read until its end; optionally written as an item.

    With ``item`` (a plaintext part), what is read is that item: its header, the part's bytes
    framed as the item's body, then the end mark and the padding (``crypto/items.py``).

    Exceptions raised while pyrage (Rust) is pulling bytes through ``readinto`` are kept in
    ``error`` and re-raised by the caller, so a limit or a parse error keeps its own type.
    """

    def __init__(
        self, events: _PartEvents, item: ItemWriter | None = None, *, utf8: bool = False
    ) -> None:
        self._events = events
        self._item = item
        self._queue: deque[memoryview] = deque()
        if item is not None:
            self._queue.append(memoryview(item.header()))
        self._tail: Iterator[bytes | memoryview] = iter(())
        self._ended = False
        self._decoder = codecs.getincrementaldecoder("utf-8")() if utf8 else None
        self.body_bytes = 0
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        while not self._queue:
            if self._ended:
                # the item's end mark and padding, a piece at a time (padding may be large)
                piece = next(self._tail, None)
                if piece is None:
                    return
                self._queue.append(memoryview(piece))
                continue
            event = self._events.next()
            if event is None:
                raise SubmissionRejectedError("the body ended inside a part")
            if event[0] == "end":
                self._ended = True
                if self._decoder is not None:
                    self._check_utf8(b"", final=True)
                if self._item is not None:
                    self._tail = self._item.finish()
            elif event[0] == "data":
                data = event[1]
                self.body_bytes += len(data)
                if self._decoder is not None:
                    self._check_utf8(data, final=False)
                if self._item is None:
                    self._queue.append(memoryview(data))
                else:
                    # one piece (length and bytes joined: a copy of <= 64 KiB) rather than two,
                    # so the encryption helper is told of new bytes once per chunk, as before
                    self._queue.append(memoryview(b"".join(self._item.body(data))))

    def _check_utf8(self, data: bytes | memoryview, *, final: bool) -> None:
        assert self._decoder is not None
        try:
            self._decoder.decode(data, final=final)
        except UnicodeDecodeError:
            raise SubmissionRejectedError("a message is not valid UTF-8") from None

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            self._fill()
        except BaseException as error:
            self.error = error
            raise
        if not self._queue:
            return 0
        view = memoryview(buffer).cast("B")
        pending = self._queue[0]
        n = min(len(view), len(pending))
        view[:n] = pending[:n]
        if n == len(pending):
            self._queue.popleft()
        else:
            self._queue[0] = pending[n:]  # a view: no copy of what remains
        return n

    def chunks(self) -> Iterator[memoryview]:
        """The rest of what is read, as the views the parser (and the item) produced."""
        while True:
            try:
                self._fill()
            except BaseException as error:
                self.error = error
                raise
            if not self._queue:
                return
            yield self._queue.popleft()

    def read_all_small(self, limit: int) -> bytes:
        out = bytearray()
        while chunk := self.read(limit + 1):
            out += chunk
            if len(out) > limit:
                raise LimitExceededError("a form field is too large")
        return bytes(out)

    def drain(self) -> None:
        while self.read(64 * 1024):
            pass


def _open_exclusive(path: Path) -> BinaryIO:
    """A new file only this user can read (the ciphertext's name is random, never reused)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return open(descriptor, "wb", buffering=_WRITE_BUFFER)  # noqa: PTH123 - opens a descriptor


class _Receiver:
    """Runs in a worker thread: turns the parts of one upload into ciphertext files."""

    def __init__(
        self,
        events: _PartEvents,
        recipients: Iterable[x25519.Recipient],
        new_path: Callable[[], Path],
        check_csrf: Callable[[str], bool],
        limits: UploadLimits,
        *,
        use_helper_process: bool = False,
    ) -> None:
        self._events = events
        self._recipients = list(recipients)
        self._use_helper_process = use_helper_process
        self._new_path = new_path
        self._check_csrf = check_csrf
        self._limits = limits
        self.items: list[CompletedItem] = []
        self.csrf_valid = False
        self._open_path: Path | None = None

    def run(self) -> ReceivedUpload:
        try:
            parts = 0
            while (event := self._events.next()) is not None:
                if event[0] != "begin":
                    raise SubmissionRejectedError("part data outside a part")
                parts += 1
                if parts > self._limits.max_parts:
                    raise LimitExceededError("too many parts")
                self._receive_part(event[1])
        except BaseException:
            if self._open_path is not None:
                self._open_path.unlink(missing_ok=True)
            ReceivedUpload(tuple(self.items), csrf_valid=False).discard()
            raise
        return ReceivedUpload(tuple(self.items), self.csrf_valid)

    def _receive_part(self, headers: dict[bytes, bytes]) -> None:
        disposition, options = parse_options_header(headers.get(b"content-disposition", b""))
        if disposition != b"form-data" or b"name" not in options:
            raise SubmissionRejectedError("a part without a form-data name")
        name = options[b"name"].decode("utf-8", "replace")
        if name == CSRF_FIELD:
            value = _PartReader(self._events).read_all_small(MAX_SMALL_FIELD_BYTES)
            self.csrf_valid = self._check_csrf(value.decode("ascii", "replace"))
        elif name in PLAINTEXT_FIELDS:
            raw_name = options.get(b"filename")
            self._encrypt_part(PLAINTEXT_FIELDS[name], raw_name, headers.get(b"content-type"))
        elif name in SEALED_FIELDS:
            self._copy_sealed_part(SEALED_FIELDS[name])
        else:
            _PartReader(self._events).drain()

    def _encrypt_part(self, kind: ItemKind, raw_name: bytes | None, raw_type: bytes | None) -> None:
        if kind == "message":
            item = ItemWriter("message", None, MESSAGE_CONTENT_TYPE)
        else:
            filename = safe_filename((raw_name or b"").decode("utf-8", "replace"))
            content_type = safe_content_type((raw_type or b"").decode("latin-1"))
            item = ItemWriter("file", filename, content_type)
        reader = _PartReader(self._events, item, utf8=kind == "message")
        path = self._open_path = self._new_path()
        if self._use_helper_process and kind == "file":
            recipients = [str(recipient) for recipient in self._recipients]
            with (
                _open_exclusive(path) as ciphertext,
                EncryptingProcess(ciphertext, recipients) as helper,
            ):
                for piece in reader.chunks():
                    helper.write(piece)
            self._keep(kind, path, reader.body_bytes)
            return
        with _open_exclusive(path) as ciphertext:
            try:
                # pyrage reads 8 KiB at a time: a C-level buffer in front of the reader keeps
                # the Python-level calls to one per megabyte.
                encrypt_stream(
                    io.BufferedReader(reader, buffer_size=_READ_BUFFER),
                    ciphertext,
                    self._recipients,
                )
            except Exception as error:  # noqa: BLE001 - pyrage wraps whatever readinto raised
                raise (reader.error or error) from None
        self._keep(kind, path, reader.body_bytes)

    def _copy_sealed_part(self, kind: ItemKind) -> None:
        reader = _PartReader(self._events)
        path = self._open_path = self._new_path()
        with _open_exclusive(path) as ciphertext:
            # The whole header is read and checked for form before anything is kept
            # (crypto/age_header.py); then the payload is copied as it is.
            start = b""
            header: int | None = None
            try:
                while header is None and (more := reader.read(64 * 1024)):
                    start += more
                    header = header_length(start)
            except AgeHeaderError as error:
                raise SubmissionRejectedError(
                    f"a sealed part is not a binary age file: {error}"
                ) from None
            if start and header is None:
                raise SubmissionRejectedError("a sealed part ends inside its age header")
            ciphertext.write(start)
            payload = len(start) - (header or 0)
            while chunk := reader.read(64 * 1024):
                ciphertext.write(chunk)
                payload += len(chunk)
            if start and payload < MIN_PAYLOAD_BYTES:
                raise SubmissionRejectedError("a sealed part has no age payload")
        self._keep(kind, path, reader.body_bytes)

    def _keep(self, kind: ItemKind, path: Path, body_bytes: int) -> None:
        """Keep the item unless the part was empty (an empty textarea, no file chosen)."""
        self._open_path = None
        if body_bytes == 0:
            path.unlink()
            return
        self.items.append(CompletedItem(kind, path.stat().st_size, path))


async def receive_upload(
    body: AsyncIterator[bytes],
    content_type: str | None,
    *,
    recipients: Iterable[x25519.Recipient],
    new_path: Callable[[], Path],
    check_csrf: Callable[[str], bool],
    limits: UploadLimits,
    declared_length: int | None = None,
    threads: anyio.CapacityLimiter | None = None,
) -> ReceivedUpload:
    """Read a multipart upload from ``body`` and return its items as ciphertext files.

    Raises SubmissionRejectedError (malformed, not age) or LimitExceededError, having deleted
    what it wrote.
    The caller checks ``csrf_valid`` and that there are items, then commits them or calls
    ``discard``.
    """
    boundary = multipart_boundary(content_type)
    if declared_length is not None and declared_length > limits.max_body_bytes:
        raise LimitExceededError("the body is larger than max_body_bytes")
    body_queue = _BodyQueue(body, limits)
    events = _PartEvents(boundary, body_queue.pull, limits)
    large = declared_length is not None and declared_length >= limits.helper_process_from_bytes
    receiver = _Receiver(
        events,
        recipients,
        new_path,
        check_csrf,
        limits,
        use_helper_process=large and HELPER_AVAILABLE,
    )
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(body_queue.produce)
            upload = await anyio.to_thread.run_sync(receiver.run, limiter=threads)
            group.cancel_scope.cancel()  # whatever follows the closing boundary is not read
    except BaseExceptionGroup as group_error:
        raise _first_error(group_error) from None
    finally:
        body_queue.close()
    return upload


class _BodyQueue:
    """The request body, read ahead of the encryption by a task on the event loop.

    The queue is bounded (``_QUEUED_CHUNKS``), so a fast client cannot make the intake buffer
    more than that; the worker takes everything queued in one thread hop. A limit or a stall is
    handed to the worker as an exception, in order.
    """

    def __init__(self, body: AsyncIterator[bytes], limits: UploadLimits) -> None:
        self._body = body
        self._limits = limits
        self._in, self._out = anyio.create_memory_object_stream[bytes | Exception](_QUEUED_CHUNKS)

    def _wait_limit(self, received: int, elapsed: float) -> tuple[float, str]:
        """How long the next chunk may take, and what it means to wait longer."""
        limits = self._limits
        # the moment the average rate would fall below the minimum without another byte
        rate_deadline = max(limits.rate_grace_seconds, received / limits.min_bytes_per_second)
        if rate_deadline - elapsed < limits.idle_timeout_seconds:
            return max(rate_deadline - elapsed, 0.0), "the upload is too slow"
        return limits.idle_timeout_seconds, "the upload stalled too long"

    async def produce(self) -> None:
        received = 0
        started = anyio.current_time()
        # Time spent waiting for the encryption to take a chunk is ours, not the client's: it
        # does not count against the client's rate.
        ours = 0.0
        async with self._in:
            while True:
                timeout, meaning = self._wait_limit(received, anyio.current_time() - started - ours)
                try:
                    with anyio.fail_after(timeout):
                        chunk = await self._body.__anext__()
                except StopAsyncIteration:
                    return
                except TimeoutError:
                    await self._in.send(LimitExceededError(meaning))
                    return
                except Exception:  # noqa: BLE001 - the client went away: end the upload cleanly
                    await self._in.send(SubmissionRejectedError("the body could not be read"))
                    return
                received += len(chunk)
                if received > self._limits.max_body_bytes:
                    await self._in.send(LimitExceededError("the body exceeds max_body_bytes"))
                    return
                if chunk:
                    queued = anyio.current_time()
                    await self._in.send(chunk)
                    ours += anyio.current_time() - queued

    async def _take(self) -> list[bytes | Exception]:
        try:
            batch = [await self._out.receive()]
        except anyio.EndOfStream:
            return []
        while len(batch) < _QUEUED_CHUNKS:
            try:
                batch.append(self._out.receive_nowait())
            except (anyio.WouldBlock, anyio.EndOfStream):
                break
        return batch

    def pull(self) -> list[bytes] | None:
        """In the worker thread: the next chunks (waiting for one), None at the body's end."""
        batch = anyio.from_thread.run(self._take)
        if not batch:
            return None
        chunks: list[bytes] = []
        for piece in batch:
            if isinstance(piece, Exception):
                raise piece
            chunks.append(piece)
        return chunks

    def close(self) -> None:
        self._out.close()


def _first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error that matters in a task group's failure (the worker's, not a cancellation)."""
    for error in group.exceptions:
        if isinstance(error, BaseExceptionGroup):
            return _first_error(error)
        if not isinstance(error, anyio.get_cancelled_exc_class()):
            return error
    return group.exceptions[0]
