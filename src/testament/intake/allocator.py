"""Keep the C allocator from handing the memory of every received chunk back to the kernel.

asyncio receives up to 256 KiB per read into a new bytes object. glibc serves an allocation
above its mmap threshold (128 KiB to begin with) from a fresh mapping, and gives the top of its
heap back once more than twice that threshold is free: either way each chunk of an upload lands
in pages that the kernel must map, zero and charge to the cgroup again. Measured on a 2 GiB
upload, that was 1.5 of the server's 3.6 CPU seconds. Fixed thresholds keep such buffers in the
heap; what the heap may hold unused is bounded by ``TRIM_THRESHOLD_BYTES``.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# mallopt(3) parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 1024 * 1024
TRIM_THRESHOLD_BYTES = 32 * 1024 * 1024


def keep_chunk_buffers_in_heap() -> bool:
    """Set glibc's thresholds for this process; False where the C library has no ``mallopt``
    (musl, macOS), which changes nothing but speed."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )
