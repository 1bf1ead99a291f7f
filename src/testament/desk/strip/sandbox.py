"""Strip in a child process, so that nothing an attachment does can stop or exhaust the desk.

Decoders and parsers meet hostile input here: a picture that makes Pillow raise an error nobody
foresaw, a zip member that inflates to gigabytes, a file that makes a tool loop. The desk starts
``python -m testament.desk.strip.child ORIGINAL WORKDIR LIMITS`` for each attachment. The
child first limits itself (address space, size of any file it writes, no core dump: a core
would hold decrypted plaintext), then strips, and prints its result as one line of JSON. It
runs in its own session, with the private folder as its working and temporary folder, so
that the tools it starts inherit the limits, leave their temporary files there too, and can be
killed with it.

Whatever goes wrong (an exception, a limit reached, a crash, a timeout, an answer that is not
what the protocol expects) ends the same way: the working copy is withheld with a note that
says why in our own words. The child's error output is discarded unread: a traceback can quote
what it was parsing.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import testament
from testament.desk.strip.limits import Limits
from testament.desk.strip.result import StripResult, withheld

# The folder testament was imported from, for the child to import the same copy: a source
# tree (src/) may not be on the child's path; an installed package is, and its site-packages
# must not go before the standard library.
_ROOT = Path(testament.__file__).resolve().parent.parent
_PACKAGE_ROOT = "" if _ROOT.name in ("site-packages", "dist-packages") else str(_ROOT)


def strip_in_child(original: Path, workdir: Path, limits: Limits) -> StripResult:
    """Run the stripping of ``original`` in a limited child process (see the module doc)."""
    command = [
        sys.executable,
        "-m",
        "testament.desk.strip.child",
        str(original),
        str(workdir),
        limits.to_json(),
    ]
    # Temporary files of the child and of the tools it runs stay in the private folder; few
    # malloc arenas keep the address space of threaded tools (ffmpeg) within the limit.
    search_path = os.pathsep.join(
        part for part in (_PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")) if part
    )
    environment = os.environ | {
        "TMPDIR": str(workdir),
        "MALLOC_ARENA_MAX": "2",
        "PYTHONPATH": search_path,
    }
    try:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=workdir,
            env=environment,
            start_new_session=True,
        )
    except OSError as error:
        return withheld(workdir, f"the stripper could not start ({type(error).__name__})")
    try:
        answer, _ = child.communicate(timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        _stop(child)
        return withheld(workdir, f"stripping took longer than {limits.seconds:g} s")
    except BaseException:  # the desk itself is interrupted: the child must not outlive it
        _stop(child)
        raise
    if child.returncode < 0:
        return withheld(workdir, f"the stripper was stopped by {_signal_name(-child.returncode)}")
    return _read_answer(answer, workdir)


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Kill the child and every tool it started. The child is not reaped yet, so its session
    id still names only them."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)
    child.communicate()


def _signal_name(number: int) -> str:
    """``SIGKILL (out of memory?)``: the kernel kills a process that exhausts the machine."""
    try:
        name = signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
    return f"{name} (out of memory?)" if name == "SIGKILL" else name


def _read_answer(answer: bytes, workdir: Path) -> StripResult:
    try:
        data = json.loads(answer.decode("utf-8").strip().splitlines()[-1])
        working_copy = workdir / data["working_copy"]
        result = StripResult(
            working_copy,
            tuple(str(label) for label in data["removed"]),
            tuple(str(note) for note in data["notes"]),
            withheld=bool(data["withheld"]),
        )
    except (ValueError, KeyError, IndexError, TypeError):
        return withheld(workdir, "the stripper gave no usable answer")
    if working_copy.parent != workdir or not working_copy.is_file() or working_copy.is_symlink():
        return withheld(workdir, "the stripper gave no usable answer")
    return result
