"""The stripping child process (``python -m testament.desk.strip.child``; see ``sandbox``).

It limits itself before it imports a decoder or reads a byte of the attachment, strips, and
answers with one line of JSON on its standard output: the working copy's file name in the
private folder, the labels removed, the notes, and whether the copy is withheld.
"""

from __future__ import annotations

import errno
import json
import resource
import sys
from pathlib import Path

from testament.desk.strip.limits import Limits, size_label
from testament.desk.strip.result import NotStripped, StripResult, failure_label, withheld


def _limit_self(limits: Limits, original: Path) -> None:
    output = limits.output_bytes(original.stat().st_size)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a core would hold decrypted plaintext
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))


def strip_limited(original: Path, workdir: Path, limits: Limits) -> StripResult:
    """Strip ``original`` within ``limits``; every failure becomes a withheld working copy."""
    try:
        _limit_self(limits, original)
        from testament.desk.strip.dispatch import strip_here  # decoders load within the limits

        return strip_here(original, workdir, limits)
    except NotStripped as reason:
        return withheld(workdir, str(reason))
    except MemoryError:
        memory = size_label(limits.memory_bytes)
        return withheld(workdir, f"needed more memory than its limit of {memory}")
    except OSError as error:
        if error.errno == errno.EFBIG:
            return withheld(workdir, "the working copy would be larger than its limit")
        return withheld(workdir, f"the stripper failed ({failure_label(error)})")
    except Exception as error:  # noqa: BLE001 - any failure of a parser withholds the copy
        return withheld(workdir, f"the stripper failed ({failure_label(error)})")


def main(argv: list[str]) -> int:
    original, workdir, limits = Path(argv[0]), Path(argv[1]), Limits.from_json(argv[2])
    result = strip_limited(original, workdir, limits)
    answer = {
        "working_copy": result.working_copy.name,
        "removed": list(result.removed),
        "notes": list(result.notes),
        "withheld": result.withheld,
    }
    sys.stdout.write(json.dumps(answer) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
