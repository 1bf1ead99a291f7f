"""``testament estimate``: how many people did no list record?

A thin shell over ``testament.estimate``: reads the capture table (a CSV file, or with ``--db``
the capture histories of a casebook's stored linkage run, through
``testament.casework.estimation``), runs the methods, prints a table for people (or ``--json``
for programs) and the warnings that qualify the numbers, each once. Settings out of range are
refused before any work starts.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from testament.cli.app import app, stderr, stdout
from testament.core.errors import TestamentError
from testament.estimate.defaults import (
    DEFAULT_BURNIN,
    DEFAULT_CHAINS,
    DEFAULT_K,
    DEFAULT_SAMPLES,
    DEFAULT_THINNING,
)

if TYPE_CHECKING:
    from rich.progress import Progress

    from testament.estimate.report import Estimate, LCMCRSettings, Method


@app.command()
def estimate(
    table: Path | None = typer.Argument(
        None,
        help="Capture table CSV: one 0/1 column per list, 'count'. Or give --db instead.",
        show_default=False,
    ),
    db: str | None = typer.Option(
        None,
        "--db",
        help="Instead of a table: the casebook whose linked persons to count "
        "(its latest linkage run, or --run).",
    ),
    run_id: str | None = typer.Option(
        None, "--run", metavar="RUN", help="With --db: the linkage run to count (default: latest)."
    ),
    method: str = typer.Option(
        "all", "--method", help="loglinear, lcmcr or all.", case_sensitive=False
    ),
    model: list[str] = typer.Option(
        [],
        "--model",
        help=(
            "Also fit this hierarchical log-linear model, in Rcapture's bracket notation "
            "('[12,13,34]': lists numbered from 1 in column order) or as list:list terms "
            "('A:B,C:D'). Repeatable."
        ),
    ),
    strata: str | None = typer.Option(
        None, "--strata", help="Column that splits the table; each stratum is estimated."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed for LCMCR (reproducible runs)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    k: int = typer.Option(
        DEFAULT_K, "--k", min=1, help="LCMCR: number of latent classes (truncation)."
    ),
    burnin: int = typer.Option(
        DEFAULT_BURNIN, "--burnin", min=0, help="LCMCR: sweeps discarded per chain."
    ),
    samples: int = typer.Option(
        DEFAULT_SAMPLES, "--samples", min=4, help="LCMCR: draws kept per chain."
    ),
    thinning: int = typer.Option(
        DEFAULT_THINNING, "--thinning", min=1, help="LCMCR: sweeps between kept draws."
    ),
    chains: int = typer.Option(
        DEFAULT_CHAINS, "--chains", min=1, help="LCMCR: independent chains (for R-hat)."
    ),
) -> None:
    """Estimate the total number of victims from overlapping lists (multiple systems estimation).

    Shows the spread across log-linear models (independence, AIC, BIC, stepwise, Mth Chao,
    Mth Darroch, and any --model) and the LCMCR latent-class posterior, each with a 95% interval.
    """
    from testament.estimate.report import LCMCRSettings

    chosen = method.lower()
    if chosen not in {"loglinear", "lcmcr", "all"}:
        raise typer.BadParameter("must be loglinear, lcmcr or all", param_hint="--method")
    if (table is None) == (db is None):
        raise typer.BadParameter(
            "give a capture table CSV or --db CASEBOOK (one of the two)", param_hint="TABLE"
        )
    if db is None and run_id is not None:
        raise typer.BadParameter("counts a casebook's linkage run: give --db", param_hint="--run")
    if db is not None and strata is not None:
        raise typer.BadParameter(
            "a casebook's linkage run is counted as one table; write it with "
            "`testament link casebook --history FILE`, add the stratum column, and estimate FILE",
            param_hint="--strata",
        )
    settings = LCMCRSettings(k, burnin, samples, thinning, chains)
    selected = cast("Method", chosen)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if table is not None:
                title = table.name
                payload, rows, lists = _run(
                    table, selected, strata, seed, settings, model, show_progress=not as_json
                )
            else:
                title = str(db)
                payload, rows, lists = _run_casebook(
                    str(db), run_id, selected, seed, settings, model, show_progress=not as_json
                )
        except TestamentError:
            _print_notes(_unique_notes(caught))  # the warnings explain the error
            raise
    notes = _unique_notes(caught)
    if as_json:
        stdout().print_json(json.dumps(payload))
        _print_notes(notes)
        return
    _print_human(title, payload, rows, lists)
    _print_notes(notes)


def _lcmcr_progress(method: Method, *, show_progress: bool) -> Progress:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("LCMCR sampling"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=stderr(),
        transient=True,
        disable=not show_progress or method == "loglinear",
    )


def _run_casebook(
    db: str,
    run_id: str | None,
    method: Method,
    seed: int | None,
    settings: LCMCRSettings,
    models: list[str],
    *,
    show_progress: bool,
) -> tuple[dict[str, Any], list[tuple[str, Estimate]], tuple[str, ...]]:
    from testament.casework.estimation import EstimationSettings, estimate_casebook
    from testament.store import Casebook

    chosen = EstimationSettings(method=method, models=tuple(models), seed=seed, lcmcr=settings)
    with _lcmcr_progress(method, show_progress=show_progress) as progress_bar:
        task = progress_bar.add_task("lcmcr", total=None)

        def progress(done: int, total: int) -> None:
            progress_bar.update(task, completed=done, total=total)

        with Casebook.open(db) as casebook:
            found = estimate_casebook(casebook, chosen, run_id=run_id, progress=progress)
    return found.to_json(), [("", e) for e in found.estimates], found.histories.lists


def _run(
    path: Path,
    method: Method,
    strata: str | None,
    seed: int | None,
    settings: LCMCRSettings,
    models: list[str],
    *,
    show_progress: bool,
) -> tuple[dict[str, Any], list[tuple[str, Estimate]], tuple[str, ...]]:
    from testament.estimate.report import estimate_table
    from testament.estimate.strata import estimate_strata
    from testament.estimate.table import read_strata, read_table

    with _lcmcr_progress(method, show_progress=show_progress) as progress_bar:
        task = progress_bar.add_task("lcmcr", total=None)

        def progress(done: int, total: int) -> None:
            progress_bar.update(task, completed=done, total=total)

        if strata is None:
            table = read_table(path)
            found = estimate_table(
                table, method, seed=seed, lcmcr=settings, progress=progress, models=models
            )
            payload = {
                "observed": table.observed,
                "lists": list(table.lists),
                "estimates": [e.as_json() for e in found],
            }
            return payload, [("", e) for e in found], table.lists
        tables = read_strata(path, strata)
        result = estimate_strata(
            tables, method, seed=seed, lcmcr=settings, progress=progress, models=models
        )
    lists = max((t.lists for t in tables.values()), key=len)
    payload = {
        "observed": result.observed,
        "lists": list(lists),
        "estimates": [e.as_json() for e in result.combined],
    }
    rows = [("all strata", e) for e in result.combined]
    for name, estimates in result.per_stratum.items():
        rows += [(f"{strata}={name}", e) for e in estimates]
    return payload, rows, lists


def _print_human(
    title: str,
    payload: dict[str, Any],
    rows: list[tuple[str, Estimate]],
    lists: tuple[str, ...],
) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = stdout()
    console.print(
        f"[bold]{escape(title)}[/bold]: {payload['observed']:,} people observed on the lists"
        + (f" (linkage run {escape(payload['run_id'])})" if "run_id" in payload else "")
    )
    legend = ", ".join(f"{number} = {name}" for number, name in enumerate(lists, start=1))
    console.print(f"Lists in the model notation: {legend}", markup=False, highlight=False)
    show_stratum = any(stratum for stratum, _ in rows)
    grid = Table(title="Estimated total (observed + never recorded), 95% interval")
    if show_stratum:
        grid.add_column("stratum")
    for name in ("model", "estimate", "95% interval", "fit", "notes"):
        grid.add_column(name, justify="right" if name == "estimate" else "left")
    footnotes: dict[str, int] = {}
    for stratum, item in rows:
        marks = " ".join(
            f"[{footnotes.setdefault(note, len(footnotes) + 1)}]" for note in item.notes
        )
        cells = [
            _model(item),
            f"{item.n_hat:,.0f}",
            _interval(item),
            _fit(item),
            marks,
        ]
        grid.add_row(*(escape(cell) for cell in ([stratum] if show_stratum else []) + cells))
    console.print(grid)
    for note, number in footnotes.items():
        console.print(f"[{number}] {note}", markup=False, highlight=False)
    loglinear = [
        e.n_hat
        for stratum, e in rows
        if e.method == "loglinear" and stratum in {"", "all strata"} and math.isfinite(e.n_hat)
    ]
    if len(loglinear) > 1:
        console.print(
            f"Log-linear models range from {min(loglinear):,.0f} to {max(loglinear):,.0f}: the "
            "choice of model matters; read the models, not one number."
        )


def _unique_notes(caught: list[warnings.WarningMessage]) -> list[str]:
    """Each warning once, in the order first raised (strata and criteria repeat them)."""
    return list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        stderr().print(note, markup=False, highlight=False)


def _interval(item: Estimate) -> str:
    upper = "no finite limit" if not math.isfinite(item.upper) else f"{item.upper:,.0f}"
    return f"{item.lower:,.0f} – {upper}"


def _model(item: Estimate) -> str:
    label = item.details.get("model")
    if label is None or item.model.endswith(str(label)):
        return item.model
    return f"{item.model}\n{label}"


def _fit(item: Estimate) -> str:
    details = item.details
    if "combination" in details:
        return f"sum of {len(details['strata'])} strata"
    if item.method == "lcmcr":
        return f"R-hat {details['rhat']}\nESS {details['ess']:.0f}"
    if "deviance" in details:
        return (
            f"deviance {details['deviance']:.2f}, {details['residual_df']} df\n"
            f"AIC {details['aic']:.1f}, BIC {details['bic']:.1f}"
        )
    return ""
