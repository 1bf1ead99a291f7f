"""A recording TCP relay between the browser and the intake: what actually went over the wire.

Chromium does not report the bodies of multipart uploads that carry files to Playwright or to
the DevTools protocol, so the browser tests put this relay in front of the intake and read the
bytes the browser sent. That is how they prove the JavaScript path uploads only ciphertext.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType


class Wiretap:
    """Relays connections on 127.0.0.1 to ``target_port``; records what the clients send."""

    def __init__(self, target_port: int) -> None:
        self._target = ("127.0.0.1", target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._sent = bytearray()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        threading.Thread(target=self._accept, name="wiretap", daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def take(self) -> bytes:
        """What clients sent since the last call (and forget it)."""
        with self._lock:
            data = bytes(self._sent)
            self._sent.clear()
        return data

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self._target)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, record: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if record:
                    with self._lock:
                        self._sent += chunk
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def close(self) -> None:
        self._closed.set()
        self._listener.close()

    def __enter__(self) -> Wiretap:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
