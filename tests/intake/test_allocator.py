"""The server keeps received chunks' memory in its heap instead of faulting in fresh pages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from testament.intake.allocator import keep_chunk_buffers_in_heap

# Receives 512 MiB in 256 KiB reads, as asyncio does, holding a few chunks at a time like the
# upload's read-ahead queue; prints the minor page faults that took.
RECEIVER = """
import resource, socket, sys, threading
from testament.intake.allocator import keep_chunk_buffers_in_heap
if sys.argv[1] == "tuned":
    assert keep_chunk_buffers_in_heap()
sender, receiver = socket.socketpair()
def send():
    block = b"x" * (1 << 20)
    for _ in range(512):
        sender.sendall(block)
    sender.close()
threading.Thread(target=send).start()
held = []
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
while chunk := receiver.recv(256 * 1024):
    held.append(chunk)
    if len(held) > 16:
        held.pop(0)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def page_faults(mode: str) -> int:
    command = [sys.executable, "-c", RECEIVER, mode]
    return int(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


@pytest.mark.skipif(not keep_chunk_buffers_in_heap(), reason="not glibc: nothing to tune")
def test_receiving_an_upload_reuses_heap_pages_instead_of_faulting_in_new_ones():
    default, tuned = page_faults("default"), page_faults("tuned")
    assert tuned * 4 < default
