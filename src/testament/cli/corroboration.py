"""``testament corroborate``: every event's and act's status, with its rationale."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from testament.cli.app import app, stdout
from testament.cli.casebook import DEFAULT_DB, DbOption
from testament.cli.display import literal, printable, safe_json

if TYPE_CHECKING:  # the analyses load numpy/scipy: import them only when a command runs
    from testament.corroborate import Assessment, CaseGraph


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
    documentary_min: Annotated[
        int, typer.Option(help="Clusters needed beside documentary evidence for 'confirmed'.")
    ] = 1,
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
        documentary_confirms_min_clusters=documentary_min,
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
        document = json.dumps(
            {
                "settings": vars(settings),
                "counts": outcome.status_counts(),
                "targets": [a.to_json() | {"title": titles.get(a.target_id)} for a in assessments],
                "claims": [
                    {"id": claim_id, "status": status.value}
                    for claim_id, status in zip(
                        graph.claim_ids, outcome.claim_statuses(), strict=True
                    )
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
        typer.echo(safe_json(document))
        return
    console = stdout()
    for assessment in _events_then_their_acts(assessments, graph):
        print_assessment(console, assessment, titles.get(assessment.target_id, ""))
    counts = outcome.status_counts()
    console.print(", ".join(f"{n} {status}" for status, n in counts.items() if n), highlight=False)


_STYLE = {
    "confirmed": "bold green",
    "corroborated": "green",
    "uncorroborated": "yellow",
    "retracted": "red",
}


def print_assessment(console: Console, assessment: Assessment, title: str) -> None:
    """One target's outcome as a short block a reviewer can read at a glance."""
    indent = "    " if assessment.target_kind == "act" else ""
    flags = ", ".join(flag.replace("_", " ") for flag in assessment.flags)
    status = assessment.status.value
    line = Text(indent)
    line.append(f"{assessment.target_kind} {assessment.target_id}", style="bold")
    line.append(f" — {printable(title)}  " if title else "  ")
    line.append(status, style=_STYLE.get(status, ""))
    line.append(f" · {len(assessment.clusters)} independent cluster(s)")
    if flags:
        line.append(f" · {flags}", style="bold red")
    console.print(line)
    console.print(literal(f"{indent}  {assessment.rationale}", style="dim"))


def _events_then_their_acts(assessments: list[Assessment], graph: CaseGraph) -> list[Assessment]:
    by_key = {(a.target_kind, a.target_id): a for a in assessments}
    event_of = {
        graph.target_keys[act][1]: graph.target_keys[int(event)][1]
        for act, event in enumerate(graph.act_event)
        if event >= 0
    }
    ordered: list[Assessment] = []
    for assessment in assessments:
        if assessment.target_kind == "event":
            ordered.append(assessment)
            ordered.extend(
                by_key[("act", act)]
                for act, event in sorted(event_of.items())
                if event == assessment.target_id and ("act", act) in by_key
            )
    ordered.extend(a for a in assessments if a.target_kind == "act" and a.target_id not in event_of)
    return ordered
