"""``testament corroborate``: every event's and act's status, with its rationale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from testament.cli.app import app, stderr, stdout
from testament.cli.casebook import DEFAULT_DB, DbOption
from testament.cli.display import literal, printable, safe_json
from testament.corroborate.settings import CorroborationSettings

if TYPE_CHECKING:  # the analyses load numpy/scipy: import them only when a command runs
    from testament.casework.corroboration import CasebookCorroboration
    from testament.corroborate import Assessment


_DEFAULTS = CorroborationSettings()


@app.command(name="corroborate")
def corroborate_command(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="ID",
            help="Only this event or act: its supporting sources, which depend on which and "
            "why, the independent lines chosen, the denials.",
        ),
    ] = None,
    svg: Annotated[
        Path | None,
        typer.Option(
            "--svg",
            help="With --explain: also draw its source-dependence graph as an SVG file.",
            dir_okay=False,
        ),
    ] = None,
    corroborated_min: Annotated[
        int, typer.Option(help="Independent lines needed for 'corroborated'.")
    ] = _DEFAULTS.corroborated_min_lines,
    confirmed_min: Annotated[
        int, typer.Option(help="Independent lines needed for 'confirmed'.")
    ] = _DEFAULTS.confirmed_min_lines,
    first_hand: Annotated[
        bool,
        typer.Option(
            "--first-hand/--no-first-hand", help="Corroboration needs a first-hand claim."
        ),
    ] = _DEFAULTS.corroboration_needs_first_hand,
    documentary_confirms: Annotated[
        bool,
        typer.Option(
            "--documentary-confirms/--no-documentary-confirms",
            help="Documentary evidence makes a target 'confirmed'.",
        ),
    ] = _DEFAULTS.documentary_confirms,
    documentary_min: Annotated[
        int, typer.Option(help="Independent lines needed beside documentary evidence.")
    ] = _DEFAULTS.documentary_confirms_min_lines,
    same_outlet_independent: Annotated[
        bool,
        typer.Option(
            "--same-outlet-independent/--same-outlet-dependent",
            help="Whether two items of one outlet, neither repeating the other, are "
            "independent lines (default: dependent, the conservative reading).",
        ),
    ] = _DEFAULTS.same_outlet_independent,
) -> None:
    """Weigh every allegation against independent sources and official denials."""
    from testament.casework.corroboration import corroborate_casebook
    from testament.store import Casebook

    settings = CorroborationSettings(
        corroborated_min_lines=corroborated_min,
        confirmed_min_lines=confirmed_min,
        corroboration_needs_first_hand=first_hand,
        documentary_confirms=documentary_confirms,
        documentary_confirms_min_lines=documentary_min,
        same_outlet_independent=same_outlet_independent,
    )
    if svg is not None and explain is None:
        raise typer.BadParameter(
            "draws the graph of one target: give --explain ID", param_hint="--svg"
        )
    with Casebook.open(db) as casebook:
        found = corroborate_casebook(casebook, settings)
    if explain is not None:
        _explain(found, explain, as_json=as_json, svg=svg)
        return
    if as_json:
        typer.echo(safe_json(json.dumps(found.to_json(), ensure_ascii=False, indent=2)))
        return
    console = stdout()
    for assessment in found.assessments:
        print_assessment(console, assessment, found.title(assessment.target_id))
    console.print(
        ", ".join(f"{n} {status}" for status, n in found.counts.items() if n), highlight=False
    )


def _explain(
    found: CasebookCorroboration, target_id: str, *, as_json: bool, svg: Path | None
) -> None:
    from testament.core.errors import InputError
    from testament.core.files import write_atomically
    from testament.corroborate.picture import dependence_svg

    assessment = found.explain(target_id)
    title = found.title(target_id)
    if svg is not None:
        try:
            write_atomically(svg, dependence_svg(assessment, title))
        except OSError as error:
            raise InputError(
                f"cannot write {svg}: {error.strerror or error}; give --svg a file path that "
                "can be written"
            ) from None
    if as_json:
        document = json.dumps(assessment.to_json() | {"title": title}, ensure_ascii=False, indent=2)
        typer.echo(safe_json(document))
        return
    console = stdout()
    print_assessment(console, assessment, title)
    console.print(literal("Supporting sources:", style="bold"))
    for source in assessment.supporting:
        mark = "line" if source in assessment.lines else "    "
        console.print(literal(f"  [{mark}] {source}"))
    if assessment.dependencies:
        console.print(literal("Dependence (why sources are not independent):", style="bold"))
        for dependency in assessment.dependencies:
            reasons = "; ".join(dependency.reasons)
            console.print(literal(f"  {dependency.source} — {dependency.other}: {reasons}"))
    if assessment.denials:
        console.print(literal("Denials:", style="bold"))
        for denial in assessment.denials:
            who = "authorities" if denial.by_authorities else "other"
            console.print(literal(f"  {denial.source_id} ({denial.source_kind}, {who})"))
    if svg is not None:
        stderr().print(literal(f"Wrote the dependence graph to {svg}"))


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
    count = len(assessment.lines)
    line.append(f" · {count} independent line{'' if count == 1 else 's'}")
    if flags:
        line.append(f" · {flags}", style="bold red")
    console.print(line)
    console.print(literal(f"{indent}  {assessment.rationale}", style="dim"))
