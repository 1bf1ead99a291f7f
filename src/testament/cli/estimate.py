"""``testament estimate``: how many people did no list record?

A thin shell over ``testament.estimate``: reads the capture table, runs the methods, prints a
table for people (or ``--json`` for programs) and the warnings that qualify the numbers.
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

if TYPE_CHECKING:
    from testament.estimate.report import Estimate, LCMCRSettings, Method


@app.command()
def estimate(
    table: Path = typer.Argument(..., help="Capture table CSV: one 0/1 column per list, 'count'."),
    method: str = typer.Option(
        "all", "--method", help="loglinear, lcmcr or all.", case_sensitive=False
    ),
    strata: str | None = typer.Option(
        None, "--strata", help="Column that splits the table; each stratum is estimated."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed for LCMCR (reproducible runs)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    k: int = typer.Option(10, "--k", help="LCMCR: number of latent classes (truncation)."),
    burnin: int = typer.Option(10_000, "--burnin", help="LCMCR: sweeps discarded per chain."),
    samples: int = typer.Option(1_000, "--samples", help="LCMCR: draws kept per chain."),
    thinning: int = typer.Option(100, "--thinning", help="LCMCR: sweeps between kept draws."),
    chains: int = typer.Option(4, "--chains", help="LCMCR: independent chains (for R-hat)."),
) -> None:
    """Estimate the total number of victims from overlapping lists (multiple systems estimation).

    Shows the spread across log-linear models (independence, AIC, BIC, stepwise, Mth Chao,
    Mth Darroch) and the LCMCR latent-class posterior, each with a 95% interval.
    """
    from testament.estimate.report import LCMCRSettings

    chosen = method.lower()
    if chosen not in {"loglinear", "lcmcr", "all"}:
        raise typer.BadParameter("must be loglinear, lcmcr or all", param_hint="--method")
    settings = LCMCRSettings(k, burnin, samples, thinning, chains)
    selected = cast("Method", chosen)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            payload, rows = _run(table, selected, strata, seed, settings, show_progress=not as_json)
        except TestamentError:
            _print_notes(caught)  # the warnings explain the error
            raise
    notes = [f"{w.category.__name__}: {w.message}" for w in caught]
    if as_json:
        stdout().print_json(json.dumps(payload))
        for note in notes:
            stderr().print(note, markup=False, highlight=False)
        return
    _print_human(table, payload, rows, notes)


def _run(
    path: Path,
    method: Method,
    strata: str | None,
    seed: int | None,
    settings: LCMCRSettings,
    *,
    show_progress: bool,
) -> tuple[dict[str, Any], list[tuple[str, Estimate]]]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from testament.estimate.report import estimate_table
    from testament.estimate.strata import estimate_strata
    from testament.estimate.table import read_strata, read_table

    progress_bar = Progress(
        TextColumn("LCMCR sampling"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=stderr(),
        transient=True,
        disable=not show_progress or method == "loglinear",
    )
    with progress_bar:
        task = progress_bar.add_task("lcmcr", total=None)

        def progress(done: int, total: int) -> None:
            progress_bar.update(task, completed=done, total=total)

        if strata is None:
            table = read_table(path)
            found = estimate_table(table, method, seed=seed, lcmcr=settings, progress=progress)
            payload = {"observed": table.observed, "estimates": [e.as_json() for e in found]}
            return payload, [("", e) for e in found]
        tables = read_strata(path, strata)
        result = estimate_strata(tables, method, seed=seed, lcmcr=settings, progress=progress)
    payload = {"observed": result.observed, "estimates": [e.as_json() for e in result.combined]}
    rows = [("all strata", e) for e in result.combined]
    for name, estimates in result.per_stratum.items():
        rows += [(f"{strata}={name}", e) for e in estimates]
    return payload, rows


def _print_human(
    path: Path, payload: dict[str, Any], rows: list[tuple[str, Estimate]], notes: list[str]
) -> None:
    from rich.table import Table

    console = stdout()
    console.print(f"[bold]{path.name}[/bold]: {payload['observed']:,} people observed on the lists")
    show_stratum = any(stratum for stratum, _ in rows)
    grid = Table(title="Estimated total (observed + never recorded), 95% interval")
    if show_stratum:
        grid.add_column("stratum")
    for name in ("method", "model", "estimate", "95% interval", "fit"):
        grid.add_column(name, justify="right" if name == "estimate" else "left")
    for stratum, item in rows:
        cells = [item.method, item.model, f"{item.n_hat:,.0f}", _interval(item), _fit(item)]
        grid.add_row(*([stratum] if show_stratum else []), *cells)
    console.print(grid)
    loglinear = [
        e.n_hat for stratum, e in rows if e.method == "loglinear" and stratum in {"", "all strata"}
    ]
    if len(loglinear) > 1:
        console.print(
            f"Log-linear models range from {min(loglinear):,.0f} to {max(loglinear):,.0f}: the "
            "choice of model matters; read the models, not one number."
        )
    for note in notes:
        stderr().print(note, markup=False, highlight=False)


def _print_notes(caught: list[warnings.WarningMessage]) -> None:
    for item in caught:
        stderr().print(f"{item.category.__name__}: {item.message}", markup=False, highlight=False)


def _interval(item: Estimate) -> str:
    upper = "no finite limit" if not math.isfinite(item.upper) else f"{item.upper:,.0f}"
    return f"{item.lower:,.0f} – {upper}"


def _fit(item: Estimate) -> str:
    details = item.details
    if "combination" in details:
        return f"sum of {len(details['strata'])} strata"
    if item.method == "lcmcr":
        return f"R-hat {details['rhat']}, ESS {details['ess']:.0f}"
    if "model" in details:
        return f"{details['model']}  AIC {details['aic']:.1f}  BIC {details['bic']:.1f}"
    return ""
