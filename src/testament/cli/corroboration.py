"""``testament corroborate``: every event's and act's status, with its rationale."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from testament.cli.app import app, stdout
from testament.cli.casebook import DEFAULT_DB, DbOption


@app.command(name="corroborate")
def corroborate_command(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    corroborated_min: Annotated[
        int, typer.Option(help="Independent clusters needed for 'corroborated'.")
    ] = 2,
    confirmed_min: Annotated[int, typer.Option(help="Clusters needed for 'confirmed'.")] = 3,
    first_hand: Annotated[
        bool,
        typer.Option(
            "--first-hand/--no-first-hand", help="Corroboration needs a first-hand claim."
        ),
    ] = True,
    documentary_confirms: Annotated[
        bool,
        typer.Option(
            "--documentary-confirms/--no-documentary-confirms",
            help="Documentary evidence makes a target 'confirmed'.",
        ),
    ] = True,
) -> None:
    """Weigh every allegation against independent sources and official denials."""
    from testament.cli.loading import load_case_graph
    from testament.core.records import Act, Event
    from testament.corroborate import CorroborationSettings, corroborate
    from testament.store import Casebook

    settings = CorroborationSettings(
        corroborated_min_clusters=corroborated_min,
        confirmed_min_clusters=confirmed_min,
        corroboration_needs_first_hand=first_hand,
        documentary_confirms=documentary_confirms,
    )
    with Casebook.open(db) as casebook:
        graph = load_case_graph(casebook)
        titles = {e.id: e.title for e in casebook.records("event") if isinstance(e, Event)}
        titles |= {
            a.id: f"{a.act_type.value.replace('_', ' ')} ({titles.get(a.event_id, a.event_id)})"
            for a in casebook.records("act")
            if isinstance(a, Act)
        }
    outcome = corroborate(graph, settings)
    assessments = [outcome.assessment(kind, target) for kind, target in sorted(outcome.targets())]
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "settings": vars(settings),
                    "counts": outcome.status_counts(),
                    "targets": [
                        a.to_json() | {"title": titles.get(a.target_id)} for a in assessments
                    ],
                    "claims": [
                        {"id": claim_id, "status": outcome.claim_status(i).value}
                        for i, claim_id in enumerate(graph.claim_ids)
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    table = Table(
        "target", "status", "clusters", "flags", "rationale", title="Corroboration", show_lines=True
    )
    for assessment in assessments:
        table.add_row(
            f"{assessment.target_kind} {assessment.target_id}\n"
            f"{titles.get(assessment.target_id, '')}",
            assessment.status.value,
            str(len(assessment.clusters)),
            "\n".join(flag.replace("_", " ") for flag in assessment.flags),
            assessment.rationale,
        )
    console = stdout()
    console.print(table)
    counts = outcome.status_counts()
    console.print(", ".join(f"{n} {status}" for status, n in counts.items() if n))
