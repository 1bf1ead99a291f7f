"""The demo ``make demo`` runs: a casebook from sample sources, and what testament makes of it.

The sample sources are summaries written for this project about the 2017 reporting on the
persecution of gay men in Chechnya and the 2013 Derbent blackmail account: which outlets reported
what and when, the counts, the official denial. Pseudonyms only; excerpts are paraphrases.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEMO_CASEBOOK = resources.files("testament.demo") / "casebook.jsonl"


def remove_casebook(path: Path) -> None:
    """Delete a previous demo casebook and its companion files, so the demo starts clean."""
    for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        companion.unlink(missing_ok=True)
