"""``python -m testament.demo [FOLDER]``: build the demo casebook and show corroboration at work."""

from __future__ import annotations

import csv
import itertools
import sys
from pathlib import Path

from rich.console import Console
from rich.rule import Rule

from testament.casework.corroboration import corroborate_casebook
from testament.cli import run
from testament.demo import DEMO_CASEBOOK, remove_casebook
from testament.demo.desk_account import add_demo_account
from testament.store import Casebook


def main(folder: Path) -> int:
    console = Console()
    database = folder / "casebook.sqlite"
    remove_casebook(database)
    folder.mkdir(parents=True, exist_ok=True)
    sample = folder / "sample-sources.jsonl"
    sample.write_bytes(DEMO_CASEBOOK.read_bytes())

    console.print(Rule("1. A casebook from sample sources"))
    for step in (
        ["init", "--db", str(database)],
        ["import", str(sample), "--db", str(database), "--actor", "demo"],
    ):
        console.print(f"$ testament {' '.join(step)}", style="dim")
        if (code := run(step)) != 0:
            return code

    console.print(Rule("2. Corroboration: independent sources against official denials"))
    console.print(f"$ testament corroborate --db {database}", style="dim")
    if (code := run(["corroborate", "--db", str(database)])) != 0:
        return code

    with Casebook.open(database) as casebook:
        found = corroborate_casebook(casebook)
    detention = found.explain("act-chechnya-detention")
    blackmail = found.explain("act-derbent-blackmail")
    console.print(Rule("What this shows"))
    console.print(
        f"• The mass-detention claim stands on {len(detention.lines)} independent lines of "
        f"reporting ({', '.join(detention.lines)}; {detention.status.value}) and is flagged "
        f"{' and '.join(f.replace('_', ' ') for f in detention.flags)}: the official denial is "
        "recorded beside it, it does not erase it."
    )
    for dependency in detention.dependencies + blackmail.dependencies:
        console.print(
            f"• {dependency.source} and {dependency.other} are one line, not two: "
            f"{'; '.join(dependency.reasons)}."
        )
    console.print(
        f"• The Derbent blackmail account rests on {len(blackmail.lines)} line "
        f"({blackmail.status.value}); a second independent source would be needed to "
        "corroborate it. Sources that say nothing about it do not change that."
    )
    code = _count_the_unseen(console, folder / "lists")
    if code != 0:
        return code
    report = folder / "report"
    console.print(Rule("5. A public report that exposes no one"))
    step = [
        "report",
        "--db",
        str(database),
        "--out",
        str(report),
        "--lists",
        str(folder / "lists" / "history.csv"),
        "--public-data",
    ]
    console.print(f"$ testament {' '.join(step)}", style="dim")
    if (code := run(step)) != 0:
        return code
    console.print(
        "Only public records appear, by year and region; small counts are withheld, and the "
        "informants' pseudonyms and the names in the casebook were searched for in every file."
    )
    # on a line of its own, never wrapped, so that it can be copied into a browser
    console.print(f"Open the report: {report / 'index.html'}", soft_wrap=True, markup=False)
    console.print(f"\nThe demo casebook is {database}. Explore it with, for example:")
    console.print(f"  .venv/bin/testament show act-chechnya-detention --db {database}")
    console.print(f"  .venv/bin/testament audit --db {database} --limit 10")
    _desk_account(console, database, folder)
    return 0


def _desk_account(console: Console, database: Path, folder: Path) -> None:
    """Add the demo's desk account and say how to open the desk with it."""
    account, path = add_demo_account(database, folder)
    console.print(Rule("6. The desk: the casebook in a browser"))
    console.print(
        "A researcher account was made for this demo casebook, with a password and a TOTP "
        "secret drawn at random for this run. Add the secret to an authenticator app (scan the "
        "code below, or type the secret), start the desk, and log in:"
    )
    console.print(account.enrolment.terminal_qr(), markup=False, highlight=False)
    for line in account.lines():
        # one line each, never wrapped, so that they can be copied
        console.print(line, soft_wrap=True, markup=False, highlight=False)
    console.print(f"These are kept in {path} (readable by you only).", soft_wrap=True, markup=False)


PEOPLE = 2000


def _count_the_unseen(console: Console, folder: Path) -> int:
    """Link four synthetic victim lists, then estimate how many people no list recorded."""
    folder.mkdir(parents=True, exist_ok=True)
    records, truth = folder / "records.csv", folder / "truth.csv"
    clusters, history = folder / "clusters.csv", folder / "history.csv"
    console.print(Rule("3. Four organisations' lists of victims, linked into people"))
    steps = [
        [
            "synth",
            "lists",
            "--people",
            str(PEOPLE),
            "--lists",
            "4",
            "--seed",
            "7",
            "--out",
            str(records),
            "--truth",
            str(truth),
        ],
        ["link", str(records), "--out", str(clusters), "--history", str(history)],
    ]
    for step in steps:
        console.print(f"$ testament {' '.join(step)}", style="dim")
        if (code := run(step)) != 0:
            return code
    precision, recall = _pairwise_quality(clusters, truth)
    console.print(
        f"Against the synthetic truth, the links are right {precision:.1%} of the time "
        f"(precision) and find {recall:.1%} of the true pairs (recall)."
    )
    console.print(Rule("4. How many people did no list record?"))
    step = ["estimate", str(history), "--seed", "1"]
    console.print(f"$ testament {' '.join(step)}", style="dim")
    if (code := run(step)) != 0:
        return code
    console.print(
        f"The synthetic population has {PEOPLE:,} people. No single number is the answer: read "
        "the intervals and how far the models agree."
    )
    return 0


def _pairwise_quality(clusters: Path, truth: Path) -> tuple[float, float]:
    """Precision and recall of the linked pairs against the synthetic population's truth."""
    with clusters.open(encoding="utf-8") as stream:
        cluster_of = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(stream)}
    with truth.open(encoding="utf-8") as stream:
        person_of = {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}
    linked = _pairs(cluster_of)
    true = _pairs(person_of)
    right = len(linked & true)
    return right / max(len(linked), 1), right / max(len(true), 1)


def _pairs(group_of: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = {}
    for record, group in group_of.items():
        members.setdefault(group, []).append(record)
    return {
        (a, b) for group in members.values() for a, b in itertools.combinations(sorted(group), 2)
    }


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("demo")))
