"""``testament link casebook``: link the persons of a casebook's lists, store clusters as links.

A thin shell over ``testament.casework.linking.link_casebook``, which links the persons in memory
and stores the clusters in the casebook as person links of one audited run — never as merges or
deletions. Files are written only when asked for: ``--history`` (the capture history of the
stored run, ``testament.casework.histories``) and
``--persons-csv`` (the persons as a records CSV with its review queue beside it, so that
``testament link review PERSONS.csv`` works as for any records CSV, and the decisions taken there
are honoured by the next run given the same ``--persons-csv``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from testament.cli.app import interrupt_message, interrupted, stdout
from testament.cli.casebook import DEFAULT_DB, ActorOption, DbOption, actor_name
from testament.cli.link import (
    default_decisions,
    default_queue,
    link_app,
    link_settings,
    with_progress,
)

if TYPE_CHECKING:
    import pandas as pd


@link_app.command("casebook")
def link_casebook(
    db: DbOption = DEFAULT_DB,
    history: Annotated[
        Path | None, typer.Option("--history", help="Write the capture history (0/1 per list).")
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")] = "duckdb",
    match_threshold: Annotated[float | None, typer.Option("--match-threshold")] = None,
    review_threshold: Annotated[float | None, typer.Option("--review-threshold")] = None,
    persons_csv: Annotated[
        Path | None,
        typer.Option(
            "--persons-csv",
            help="Also write the persons as a records CSV, its review queue beside it "
            "(PERSONS.review.csv), and honour PERSONS.decisions.csv: for `testament link review`.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON summary (only JSON on stdout).")
    ] = False,
    actor: ActorOption = None,
) -> None:
    """Link the persons on the casebook's lists into people; store the clusters as links."""
    interrupt_message("interrupted, nothing written")  # first: importing pandas takes seconds
    from testament.casework.histories import capture_histories
    from testament.casework.linking import link_casebook as link
    from testament.link.files import write_files_atomically
    from testament.link.review import read_decisions
    from testament.store import Casebook

    settings = link_settings(engine, match_threshold, review_threshold)
    decisions = read_decisions(default_decisions(persons_csv)) if persons_csv else []
    with Casebook.open(db) as casebook:
        linked = with_progress(
            lambda step: link(
                casebook, settings, actor=actor_name(actor), decisions=decisions, step=step
            )
        )
        interrupt_message(
            f"interrupted: linkage run {linked.run_id} is stored in {db}, but no file was written"
        )
        histories = capture_histories(casebook, linked.run_id) if history is not None else None
    if interrupted():  # Ctrl-C that a library swallowed
        raise KeyboardInterrupt
    outputs: dict[Path, pd.DataFrame | str] = {}
    if history is not None and histories is not None:
        outputs[history] = histories.frame
    if persons_csv is not None:
        outputs[persons_csv] = linked.records
        outputs[default_queue(persons_csv)] = linked.linkage.review_queue
    write_files_atomically(outputs)
    summary = {
        "run_id": linked.run_id,
        "persons": linked.persons,
        "people": linked.people,
        "unlisted_persons": linked.unlisted_persons,
        "lists": list(linked.lists),
        "review_queue": len(linked.linkage.review_queue),
        "decisions_honoured": linked.decisions_honoured,
        "history": str(history) if history else None,
        "persons_csv": str(persons_csv) if persons_csv else None,
    }
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    console = stdout()
    console.print(
        f"Stored linkage run {linked.run_id} in {db}: {linked.persons} persons on lists, "
        f"{linked.people} people"
        + (
            f"; {linked.unlisted_persons} persons on no list were left out"
            if linked.unlisted_persons
            else ""
        )
        + ".",
        markup=False,
        highlight=False,
    )
    if history is not None:
        console.print(f"Capture history in {history}.", markup=False, highlight=False)
    pending = len(linked.linkage.review_queue)
    if pending and persons_csv is not None:
        console.print(
            f"{pending} pairs await review: testament link review {persons_csv}",
            markup=False,
            highlight=False,
        )
    elif pending:
        console.print(
            f"{pending} pairs are unsure; to review them, run again with --persons-csv FILE.",
            markup=False,
            highlight=False,
        )
