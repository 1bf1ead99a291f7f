"""``testament synth lists``: synthetic victim lists with ground truth (a thin shell)."""

from __future__ import annotations

from pathlib import Path

import typer

from testament.cli.app import app, stdout

synth_app = typer.Typer(no_args_is_help=True, help="Synthetic data with known truth.")
app.add_typer(synth_app, name="synth")


@synth_app.command("lists")
def lists(
    people: int = typer.Option(..., "--people", help="Size of the population (seen or not)."),
    count: int = typer.Option(4, "--lists", help="Number of lists (at least 2)."),
    seed: int = typer.Option(0, "--seed", help="Seed: the same seed gives the same files."),
    out: Path = typer.Option(..., "--out", help="Records CSV (the input of testament link)."),
    truth: Path | None = typer.Option(
        None, "--truth", help="Truth CSV: record_id, person_id, list, stratum."
    ),
    noise: float = typer.Option(1.0, "--noise", help="Factor on every error rate (0: clean)."),
    heterogeneity: float = typer.Option(
        0.8, "--heterogeneity", help="Spread of personal visibility shared by all lists."
    ),
    dependence: float = typer.Option(
        1.0, "--dependence", help="Log-odds added to list k+1 for people on list k (k even)."
    ),
    stratum_effect: float = typer.Option(
        0.5, "--stratum-effect", help="Spread of the lists' strengths across regions."
    ),
    conventions: str = typer.Option(
        "",
        "--conventions",
        help="Writing system of each list, comma-separated, cycled: cyrillic, a country's "
        "convention (german, polish, french, turkish, azerbaijani, norwegian, czech, spanish, "
        "hungarian, dutch, italian, english, ad_hoc) or an iuliia schema (WIKIPEDIA, ...). "
        "Default: each list's usual system.",
    ),
) -> None:
    """Generate K lists of a synthetic population with North-Caucasus names, and its truth."""
    from testament.synth import SynthSettings, generate_lists, write_lists

    settings = SynthSettings(
        people=people,
        lists=count,
        seed=seed,
        heterogeneity=heterogeneity,
        stratum_effect=stratum_effect,
        list_dependence=dependence,
        noise=noise,
        conventions=tuple(name.strip() for name in conventions.split(",") if name.strip()),
    )
    generated = generate_lists(settings)
    write_lists(generated, out, truth)
    seen = int(generated.truth["person_id"].nunique())
    stdout().print(
        f"Wrote {len(generated.records)} records of {seen} people (of {people}) on "
        f"{count} lists to {out}" + (f"; truth in {truth}." if truth else "."),
        markup=False,
        highlight=False,
    )
