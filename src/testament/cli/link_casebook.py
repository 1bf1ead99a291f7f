"""``testament link casebook``: link the persons of a casebook's lists, store clusters as links.

The persons an organisation listed (Person records whose ``source_id`` is that organisation's
list) are written to ``<casebook>.persons.csv`` beside the casebook and linked exactly like a
records CSV, so the review queue and its decisions work the same way
(``testament link review <casebook>.persons.csv``). The clusters are then stored in the casebook
as person links of one linkage run — never as merges or deletions.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer

from testament.cli.app import stdout
from testament.cli.casebook import DEFAULT_DB, ActorOption, DbOption, actor_name
from testament.cli.link import link_app, run_link


def persons_csv_path(db: str) -> Path:
    """Where the persons of an SQLite casebook are written for linkage (beside the file)."""
    from testament.store.engine import sqlite_path

    path = sqlite_path(db)
    return path.with_name(f"{path.stem}.persons.csv") if path else Path("casebook.persons.csv")


@link_app.command("casebook")
def link_casebook(
    db: DbOption = DEFAULT_DB,
    history: Annotated[
        Path | None, typer.Option("--history", help="Write the capture history (0/1 per list).")
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")] = "duckdb",
    match_threshold: Annotated[float | None, typer.Option("--match-threshold")] = None,
    review_threshold: Annotated[float | None, typer.Option("--review-threshold")] = None,
    workdir: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the persons CSV, clusters and review queue (default: beside an "
            "SQLite casebook, the current folder for PostgreSQL)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
    actor: ActorOption = None,
) -> None:
    """Link the persons on the casebook's lists into people; store the clusters as links."""
    from testament.core.errors import InputError
    from testament.store import Casebook
    from testament.store.files import atomic_text_writer
    from testament.store.persons import LINK_COLUMNS, linkage_rows, store_person_links

    records = persons_csv_path(db) if workdir is None else workdir / "casebook.persons.csv"
    clusters = records.with_name(f"{records.stem}.clusters.csv")
    with Casebook.open(db) as casebook:
        rows, unlisted = linkage_rows(casebook)
        if not rows:
            raise InputError(
                f"{db} holds no persons on a list: give each Person the source_id of the "
                "organisation's list it comes from"
            )
        with atomic_text_writer(records, newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=LINK_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        run_link(
            records=records,
            out=clusters,
            history=history,
            engine=engine,
            as_json=False,
            match_threshold=match_threshold,
            review_threshold=review_threshold,
            queue=None,
            decisions=None,
            across_lists_only=False,
            model=None,
            seed=1,
        )
        with clusters.open(encoding="utf-8", newline="") as stream:
            links = [
                (
                    row["record_id"],
                    row["cluster_id"],
                    float(row["match_probability"]) if row["match_probability"] else None,
                )
                for row in csv.DictReader(stream)
            ]
        run_id = store_person_links(casebook, links, actor=actor_name(actor))
    people = len({cluster for _, cluster, _ in links})
    summary = {
        "persons": len(links),
        "people": people,
        "unlisted_persons": unlisted,
        "run_id": run_id,
        "persons_csv": str(records),
        "clusters": str(clusters),
    }
    if as_json:
        typer.echo(json.dumps(summary))
        return
    stdout().print(
        f"Stored linkage run {run_id} in {db}: {len(links)} persons on lists, {people} people"
        + (f"; {unlisted} persons on no list were left out" if unlisted else ""),
        markup=False,
        highlight=False,
    )
