"""age encryption in a helper process fed through shared memory, so that a large upload's
encryption runs beside the web server's own work instead of taking turns with it.

pyrage holds Python's global interpreter lock while it encrypts, so in one process the HTTP
parsing and the encryption of an upload share one core. For large uploads the intake starts
``python -m testament.crypto.encrypt_process RING_FD DONE_FD RECIPIENT...`` with the ciphertext
file as its stdout; the helper streams what it is given through pyrage's ``encrypt_io`` into
standard binary age.

The plaintext reaches the helper through a ring of shared memory, not through a pipe. On Linux a
pipe allocates, charges and frees a page for every 4 KiB that crosses it: about one CPU second
per 2 GiB, a fifth of all the work of an upload on two cores. The ring is an anonymous
``memfd``: memory, with no name in any folder, never a file on disk. Two pipes carry only the
bookkeeping, 16 and 8 bytes at a time:

- the server copies a piece of plaintext into the ring and announces it (offset, length) on the
  helper's stdin; an announcement of length 0 ends the input;
- the helper writes back on ``DONE_FD`` how many bytes it has copied out, once a quarter of the
  ring or before it waits for the next announcement, and the server may reuse that space.

If the server dies, the helper sees its stdin end without the final announcement and fails
without finishing the age file: that file is under ``incoming/`` (never committed) and the next
start deletes it. The server zeroes the ring when the upload ends, whatever the outcome.

Linux only (``memfd_create``); ``HELPER_AVAILABLE`` says whether this system has it. Elsewhere
the intake encrypts in its own process.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import os
import select
import struct
import subprocess
import sys
from collections import deque
from types import TracebackType
from typing import BinaryIO

from testament.crypto.errors import CryptoError

HELPER_AVAILABLE = hasattr(os, "memfd_create")
RING_BYTES = 8 * 1024 * 1024
_ANNOUNCEMENT = struct.Struct("<QQ")  # offset in the ring, length (0: the input ends)
_DONE = struct.Struct("<Q")  # bytes the helper copied out since its last report
_HELPER_TIMEOUT_SECONDS = 120.0  # a helper that takes nothing for this long has hung
_READ_BUFFER = 1024 * 1024


class EncryptingProcess:
    """A helper process encrypting what is written to it into ``ciphertext`` (an open file)."""

    def __init__(
        self, ciphertext: BinaryIO, recipients: list[str], *, ring_bytes: int = RING_BYTES
    ) -> None:
        if not HELPER_AVAILABLE:
            raise CryptoError("the encryption helper needs Linux (memfd_create)")
        self._size = ring_bytes
        self._largest_piece = ring_bytes // 4
        self._produced = 0  # bytes ever announced
        self._consumed = 0  # bytes the helper has reported copied out
        self._done_bytes = b""
        ring_fd = os.memfd_create("testament-encrypt-ring", os.MFD_CLOEXEC)
        done_read, done_write = os.pipe()
        try:
            os.ftruncate(ring_fd, ring_bytes)
            self._ring = mmap.mmap(ring_fd, ring_bytes)
            self._child = subprocess.Popen(  # noqa: S603 - our own module; public keys, fds
                [
                    sys.executable,
                    "-m",
                    "testament.crypto.encrypt_process",
                    str(ring_fd),
                    str(done_write),
                    *recipients,
                ],
                stdin=subprocess.PIPE,
                stdout=ciphertext.fileno(),
                stderr=subprocess.DEVNULL,
                bufsize=0,
                pass_fds=(ring_fd, done_write),
            )
        except BaseException:
            os.close(done_read)
            with contextlib.suppress(AttributeError):
                self._ring.close()
            raise
        finally:
            os.close(ring_fd)  # the mapping and the child hold their own references
            os.close(done_write)  # only the child writes: its exit ends the pipe
        os.set_blocking(done_read, False)
        self._done_read = done_read
        assert self._child.stdin is not None
        self._announcements = self._child.stdin

    def write(self, data: bytes | memoryview) -> None:
        """Copy ``data`` into the ring for the helper, waiting for room when it is full."""
        view = memoryview(data).cast("B")
        while view:
            n = self._room(len(view))
            start = self._produced % self._size
            self._ring[start : start + n] = view[:n]
            self._announce(start, n)
            self._produced += n
            view = view[n:]

    def _room(self, wanted: int) -> int:
        """How much of ``wanted`` to copy next: what is free and contiguous in the ring. When
        the ring is full, waits until a quarter of it is free, so that the two processes take
        turns in long stretches rather than waking each other for every piece."""
        # Always take what was reported: unread reports could fill their pipe, and a helper
        # blocked on it would stop reading announcements (a slow upload reports every piece).
        self._collect(wait=False)
        if self._produced - self._consumed == self._size:
            while self._size - (self._produced - self._consumed) < self._largest_piece:
                self._collect(wait=True)
        free = self._size - (self._produced - self._consumed)
        contiguous = self._size - self._produced % self._size
        return min(wanted, self._largest_piece, free, contiguous)

    def _collect(self, *, wait: bool) -> None:
        """Take the helper's reports of bytes copied out; with ``wait``, wait for one."""
        if wait:
            ready, _, _ = select.select([self._done_read], [], [], _HELPER_TIMEOUT_SECONDS)
            if not ready:
                raise CryptoError("the encryption helper process stopped taking input")
        try:
            reports = os.read(self._done_read, 64 * _DONE.size)
        except BlockingIOError:
            return
        if not reports:
            raise CryptoError("the encryption helper process stopped")
        reports = self._done_bytes + reports
        whole = len(reports) - len(reports) % _DONE.size
        for (length,) in _DONE.iter_unpack(reports[:whole]):
            self._consumed += length
        self._done_bytes = reports[whole:]

    def _announce(self, offset: int, length: int) -> None:
        try:
            self._announcements.write(_ANNOUNCEMENT.pack(offset, length))
        except BrokenPipeError:
            raise CryptoError("the encryption helper process stopped") from None

    def finish(self) -> None:
        """End the input and wait for the helper to finish the age file."""
        try:
            self._announce(0, 0)
            with contextlib.suppress(BrokenPipeError):
                self._announcements.close()
            status = self._child.wait()
        except BaseException:
            self.abort()
            raise
        self._release()
        if status != 0:
            raise CryptoError("the encryption helper process failed")

    def abort(self) -> None:
        self._child.kill()
        self._child.wait()
        with contextlib.suppress(BrokenPipeError):
            self._announcements.close()
        self._release()

    def _release(self) -> None:
        """Zero the ring (it held plaintext) and close what this side holds."""
        if self._ring.closed:
            return
        self._ring[:] = bytes(self._size)
        self._ring.close()
        os.close(self._done_read)

    def __enter__(self) -> EncryptingProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.finish()
        else:
            self.abort()


class _RingReader(io.RawIOBase):
    """In the helper: the plaintext the server announces, read out of the shared ring."""

    def __init__(self, ring: mmap.mmap, announcements_fd: int, done_fd: int) -> None:
        self._ring = memoryview(ring)
        self._announcements_fd = announcements_fd
        self._pieces: deque[tuple[int, int]] = deque()  # announced (offset, length), not taken
        self._partial = b""  # the start of an announcement the pipe has not finished
        self._done_fd = done_fd
        self._report_from = len(ring) // 4
        self._unreported = 0  # bytes copied out that the server does not know of yet
        self._offset = 0
        self._left = 0  # bytes of the current piece not yet copied out
        self._ended = False

    def readable(self) -> bool:
        return True

    def _report(self) -> None:
        os.write(self._done_fd, _DONE.pack(self._unreported))
        self._unreported = 0

    def _next_piece(self) -> None:
        while not self._pieces:
            if self._unreported:
                self._report()  # the server may be waiting for room before it announces more
            more = os.read(self._announcements_fd, 1024 * _ANNOUNCEMENT.size)
            if not more:
                raise CryptoError("the plaintext ended without its final announcement")
            received = self._partial + more
            whole = len(received) - len(received) % _ANNOUNCEMENT.size
            self._pieces.extend(_ANNOUNCEMENT.iter_unpack(received[:whole]))
            self._partial = received[whole:]
        offset, length = self._pieces.popleft()
        if offset + length > len(self._ring):
            raise CryptoError("an announced piece lies outside the ring")
        self._offset, self._left = offset, length
        self._ended = length == 0

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._left == 0 and not self._ended:
            self._next_piece()
        if self._ended:
            return 0
        n = min(len(buffer), self._left)
        memoryview(buffer).cast("B")[:n] = self._ring[self._offset : self._offset + n]
        self._offset += n
        self._left -= n
        self._unreported += n
        if self._unreported >= self._report_from:
            self._report()
        return n

    def close(self) -> None:
        self._ring.release()
        super().close()


def main(arguments: list[str]) -> int:
    """The helper: the ring's announced plaintext to stdout (binary age) for the recipients."""
    from testament.crypto.age import encrypt_stream, parse_recipients

    ring_fd, done_fd, *recipients = arguments
    ring = mmap.mmap(int(ring_fd), os.fstat(int(ring_fd)).st_size, prot=mmap.PROT_READ)
    os.close(int(ring_fd))
    with (
        _RingReader(ring, 0, int(done_fd)) as raw,
        # pyrage asks for 8 KiB at a time: served from this buffer, in C.
        io.BufferedReader(raw, buffer_size=_READ_BUFFER) as plaintext,
        open(1, "wb", buffering=_READ_BUFFER, closefd=False) as ciphertext,
    ):
        encrypt_stream(plaintext, ciphertext, parse_recipients(recipients))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
