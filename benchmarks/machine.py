"""What every benchmark prints first: the machine its figures come from.

Figures mean little without the machine and its load: on a 2-core box a second busy process
halves what we measure, so the load average is part of the report.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def describe_machine() -> str:
    """One paragraph naming CPU, cores, memory, OS, Python and the current load."""
    load1, load5, _ = os.getloadavg()
    return (
        f"machine: {_cpu_model()}, {os.cpu_count()} cores, {_memory_gib():.1f} GiB memory; "
        f"{platform.system()} {platform.release()}; Python {sys.version.split()[0]}; "
        f"load average {load1:.2f} (1 min) {load5:.2f} (5 min)"
    )


def peak_rss_mib(*, children: bool = False) -> float:
    """Peak resident set size of this process (or of its waited-for children), in MiB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def print_machine() -> None:
    print(describe_machine(), flush=True)
