"""``testament report``: the casebook's findings as a folder anyone may read, exposing no one.

A thin shell: ``casework.publication.gather`` reads what may be published from the casebook,
``report.build_report`` writes and checks the folder. Defaults come from ``ReportSettings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import typer

from testament.cli.app import app, interrupt_message, stderr, stdout
from testament.core.errors import SettingsError
from testament.report.i18n import Language
from testament.report.settings import DEFAULT_K, EstimationMethod, ReportSettings


@app.command()
def report(
    db: str = typer.Option(
        ..., "--db", envvar="TESTAMENT_DB", help="The casebook (SQLite file or URL)."
    ),
    out: Path = typer.Option(
        ..., "--out", help="Folder to write the report to (replaced if it holds a report)."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the report: en or ru."),
    k: int = typer.Option(
        DEFAULT_K, "--k", help="No published count from 1 to k-1 people (k >= 2)."
    ),
    lists: Path | None = typer.Option(
        None,
        "--lists",
        help="Capture histories (CSV: one 0/1 column per list, 'count') to estimate from.",
    ),
    method: str = typer.Option(
        ReportSettings.method,
        "--method",
        help="Estimation (of --lists, else the latest linkage run): loglinear, lcmcr or all.",
    ),
    seed: int = typer.Option(
        ReportSettings.seed, "--seed", help="Random seed of the estimation (LCMCR)."
    ),
    public_data: bool = typer.Option(
        False,
        "--public-data",
        help="Also write the safe aggregates as CSV and JSON with a data dictionary.",
    ),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Do not print a PDF with Chromium."),
) -> None:
    """Write a public report: documented and estimated counts, corroborated allegations, a
    timeline and the methodology, as HTML with charts (and a PDF).

    Only public records appear, under pseudonyms, by year and region; small counts are withheld,
    and every file is searched for the casebook's private strings before anything is written.
    """
    from testament.casework.publication import gather
    from testament.report.build import build_report
    from testament.store import Casebook

    if lang not in ("en", "ru"):
        raise typer.BadParameter("must be en or ru", param_hint="--lang")
    try:
        settings = ReportSettings(
            language=cast("Language", lang),  # checked just above
            k=k,
            public_data=public_data,
            pdf=not no_pdf,
            method=cast("EstimationMethod", method),  # checked by ReportSettings
            seed=seed,
        )
    except SettingsError as error:
        raise typer.BadParameter(str(error)) from error
    if lists is not None and not lists.is_file():
        raise typer.BadParameter(f"{lists} is not a file", param_hint="--lists")
    interrupt_message("interrupted, nothing written")
    with Casebook.open(db) as casebook:
        publication = gather(casebook, lists=lists, method=settings.method, seed=seed)
    written = build_report(
        publication,
        out,
        settings,
        note=lambda line: stderr().print(line, markup=False, highlight=False),
    )
    console = stdout()
    console.print(f"Report written to {written.index}", markup=False, highlight=False)
    console.print(
        f"{len(written.files)} files; searched for {written.strings_checked} private strings of "
        "the casebook: none found.",
        markup=False,
        highlight=False,
    )
