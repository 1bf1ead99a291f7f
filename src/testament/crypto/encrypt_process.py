"""age encryption in a helper process, so that a large upload's encryption runs beside the web
server's own work instead of taking turns with it.

pyrage holds Python's global interpreter lock while it encrypts, so in one process the HTTP
parsing and the encryption of an upload share one core. For large uploads the intake starts
``python -m testament.crypto.encrypt_process RECIPIENT...`` with the ciphertext file as its
stdout and writes the plaintext to its stdin: the plaintext crosses a pipe (kernel memory, never
a file) and the helper streams it through pyrage's ``encrypt_io`` into standard binary age.

If the parent dies, the helper sees the end of its input and closes the age file; that file is
still under ``incoming/`` (never committed) and is deleted at the next start.
"""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import sys
from types import TracebackType
from typing import BinaryIO

from testament.crypto.errors import CryptoError

_PIPE_BUFFER = 1024 * 1024


class EncryptingProcess:
    """A helper process encrypting what is written to it into ``ciphertext`` (an open file)."""

    def __init__(self, ciphertext: BinaryIO, recipients: list[str]) -> None:
        self._child = subprocess.Popen(  # noqa: S603 - our own module, arguments are public keys
            [sys.executable, "-m", "testament.crypto.encrypt_process", *recipients],
            stdin=subprocess.PIPE,
            stdout=ciphertext.fileno(),
            stderr=subprocess.DEVNULL,
            bufsize=_PIPE_BUFFER,
        )
        assert self._child.stdin is not None
        self._stdin = self._child.stdin
        with contextlib.suppress(OSError):  # a larger pipe: fewer wake-ups per megabyte (Linux)
            fcntl.fcntl(self._stdin.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BUFFER)

    def write(self, data: bytes | memoryview) -> None:
        try:
            self._stdin.write(data)
        except BrokenPipeError:
            raise CryptoError("the encryption helper process stopped") from None

    def finish(self) -> None:
        """Close the input and wait for the helper to finish the age file."""
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()
        if self._child.wait() != 0:
            raise CryptoError("the encryption helper process failed")

    def abort(self) -> None:
        self._child.kill()
        self._child.wait()
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()

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


def main(recipients: list[str]) -> int:
    """The helper: stdin (plaintext) to stdout (binary age) for ``recipients``."""
    from testament.crypto.age import encrypt_stream, parse_recipients

    # Large buffers: pyrage asks for 8 KiB at a time, the pipe is read a megabyte at a time.
    with (
        open(0, "rb", buffering=_PIPE_BUFFER, closefd=False) as plaintext,
        open(1, "wb", buffering=_PIPE_BUFFER, closefd=False) as ciphertext,
    ):
        encrypt_stream(plaintext, ciphertext, parse_recipients(recipients))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
