"""``testament link``: link victim lists into people, and ``testament link review`` for the queue.

A thin shell over ``testament.link``. ``testament link RECORDS.csv --out CLUSTERS.csv`` runs the
linkage (the ``run`` subcommand is implied); the pairs it is unsure about go to a review queue
next to RECORDS.csv (``RECORDS.review.csv``) and ``testament link review RECORDS.csv`` shows and
decides them into ``RECORDS.decisions.csv``, which the next run honours.
"""

from __future__ import annotations

import json
import logging
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperGroup

from testament.cli.app import app, interrupt_message, interrupted, stderr, stdout
from testament.cli.display import literal
from testament.cli.link_input import (
    ColumnsFileOption,
    ColumnsOption,
    DelimiterOption,
    EncodingOption,
    date_lines,
    date_rules,
    reading_options,
    report_json,
    report_lines,
)

if TYPE_CHECKING:
    import pandas as pd

    from testament.link import LinkSettings
    from testament.link.reading import ReadOptions

T = TypeVar("T")


class _RunByDefault(TyperGroup):
    """``testament link ARGS`` means ``testament link run ARGS`` unless ARGS names a subcommand."""

    # typer.Context is the Context typer passes; mypy sees typer's vendored click base type.
    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in {"--help", "-h"}:
            args = ["run", *args]
        return super().parse_args(ctx, args)


link_app = typer.Typer(
    cls=_RunByDefault,
    no_args_is_help=True,
    help="Link the victim lists of several organisations into people (record linkage).",
)
app.add_typer(link_app, name="link")


def link_settings(
    engine: str,
    match_threshold: float | None,
    review_threshold: float | None,
    **more: Any,
) -> LinkSettings:
    """The run's settings from the command line: the library's defaults where none is given."""
    from testament.link import LinkSettings
    from testament.link.settings import ENGINES

    if engine not in ENGINES:
        raise typer.BadParameter(f"must be one of {', '.join(ENGINES)}", param_hint="--engine")
    defaults = LinkSettings()
    return LinkSettings(
        engine=engine,  # checked against ENGINES above
        match_threshold=defaults.match_threshold if match_threshold is None else match_threshold,
        review_threshold=defaults.review_threshold
        if review_threshold is None
        else review_threshold,
        **more,
    )


def default_queue(records: Path) -> Path:
    return records.with_name(f"{records.stem}.review.csv")


def default_decisions(records: Path) -> Path:
    return records.with_name(f"{records.stem}.decisions.csv")


# One line per paragraph: the help reflows each paragraph to the terminal's width.
_RUN_HELP = "\n\n".join(
    [
        "Link the records of several lists into people: clusters, history, review queue.",
        (
            "RECORDS is a CSV as people export it: its encoding (UTF-8, Windows-1251, KOI8-R) "
            "and delimiter (, ; tab |) are detected, usual Russian headers (Фамилия, Имя, "
            "Отчество, Дата рождения, Пол, Место, Список, №) are recognised, and how the file "
            "was read is said on stderr (in the summary with --json)."
        ),
        date_rules(),
        (
            "Output files are written together at the end: a failed or interrupted run writes "
            "none of them."
        ),
    ]
)


@link_app.command("run", help=_RUN_HELP)
def run_link(
    records: Path = typer.Argument(..., help="Records CSV: list, record_id, names, dates ..."),
    out: Path = typer.Option(..., "--out", help="Write record_id,cluster_id,match_probability."),
    history: Path | None = typer.Option(
        None, "--history", help="Write the capture history (0/1 per list + count)."
    ),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    as_json: bool = typer.Option(
        False, "--json", help="Print a JSON summary (only JSON on stdout; notes go to stderr)."
    ),
    match_threshold: float | None = typer.Option(
        None, "--match-threshold", help="Link pairs scoring at least this (default 0.7)."
    ),
    review_threshold: float | None = typer.Option(
        None, "--review-threshold", help="Queue pairs from this score to the match threshold."
    ),
    queue: Path | None = typer.Option(
        None, "--queue", help="Review queue to write (default: RECORDS.review.csv)."
    ),
    decisions: Path | None = typer.Option(
        None, "--decisions", help="Decisions to honour (default: RECORDS.decisions.csv)."
    ),
    across_lists_only: bool = typer.Option(
        False, "--across-lists-only", help="Do not compare records of the same list."
    ),
    model: Path | None = typer.Option(None, "--model", help="Write the trained model (JSON)."),
    seed: int = typer.Option(1, "--seed", help="Seed of the random sampling in training."),
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    columns: ColumnsOption = None,
    columns_file: ColumnsFileOption = None,
    show_dates: bool = typer.Option(
        False, "--show-dates", help="List every date value and the EDTF it was read as."
    ),
) -> None:
    interrupt_message("interrupted, nothing written")  # first: importing pandas takes seconds
    from testament.link import link_records
    from testament.link.files import write_files_atomically
    from testament.link.reading import load_records
    from testament.link.review import read_decisions

    settings = link_settings(
        engine,
        match_threshold,
        review_threshold,
        within_lists=not across_lists_only,
        seed=seed,
    )
    queue_path = queue or default_queue(records)
    decisions_path = decisions or default_decisions(records)
    logging.getLogger("splink").setLevel(logging.ERROR)  # its notes are for Splink developers
    loaded = load_records(records, reading_options(encoding, delimiter, columns, columns_file))
    notes = stderr()
    for line in report_lines(records.name, loaded.report, show_dates=show_dates):
        notes.print(line, markup=False, highlight=False)
    known = read_decisions(decisions_path)
    result = with_progress(
        lambda step: link_records(
            loaded.frame, settings, decisions=known, where=records.name, step=step
        )
    )
    if interrupted():  # Ctrl-C that a library swallowed: still write nothing
        raise KeyboardInterrupt
    outputs: dict[Path, pd.DataFrame | str] = {out: result.clusters}
    if history is not None:
        outputs[history] = result.history
    outputs[queue_path] = result.review_queue
    if model is not None:
        outputs[model] = json.dumps(result.model, indent=2)
    write_files_atomically(outputs)
    summary = {
        "records": len(result.clusters),
        "lists": list(result.lists),
        "people": result.people,
        "linked_pairs_scored": len(result.pairs),
        "review_queue": len(result.review_queue),
        "decisions_honoured": len(known),
        "labelled_matches_used": result.labelled_matches_used,
        "engine": settings.engine,
        "out": str(out),
        "history": str(history) if history else None,
        "queue": str(queue_path),
        "input": report_json(records, loaded.report, show_dates=show_dates),
    }
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    console = stdout()
    if show_dates:
        for line in date_lines(loaded.report):
            console.print(line, markup=False, highlight=False)
    console.print(
        f"Linked {summary['records']} records from {len(result.lists)} lists into "
        f"{summary['people']} people; clusters in {out}.",
        markup=False,
        highlight=False,
    )
    if history is not None:
        console.print(f"Capture history in {history}.", markup=False, highlight=False)
    if len(result.review_queue):
        console.print(
            f"{len(result.review_queue)} pairs await review in {queue_path}: "
            f"testament link review {shlex.quote(str(records))}"
            + (f" --queue {shlex.quote(str(queue_path))}" if queue is not None else ""),
            markup=False,
            highlight=False,
        )


def with_progress(work: Callable[[Callable[[str], None]], T]) -> T:
    """Run ``work(step)`` showing its named steps on stderr: a Rich spinner on a terminal, one
    line per step otherwise (logs, pipes), so a long run shows where it is either way."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = stderr()
    if not console.is_terminal:

        def say(name: str) -> None:
            console.print(f"linking: {name}", markup=False, highlight=False)

        return work(say)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("linking", total=None)
        return work(lambda name: progress.update(task, description=name))


_TEXTS = {
    "en": {
        "none": "No pairs await review.",
        "header": "{count} pair(s) await review, most uncertain first.",
        "pair": "Pair {pair} (match probability {probability:.2f})",
        "prompt": "Same person? [y]es / [n]o / [s]kip / [q]uit",
        "saved": "Recorded {verdict} for pair {pair}.",
        "match": "match",
        "non-match": "non-match",
        "yes": "y",
        "no": "n",
        "skip": "s",
        "quit": "q",
    },
    "ru": {
        "none": "Пар для проверки нет.",
        "header": "Ждут проверки пар: {count}; сначала самые неясные.",
        "pair": "Пара {pair} (вероятность совпадения {probability:.2f})",
        "prompt": "Один и тот же человек? [д]а / [н]ет / [п]ропустить / [в]ыйти",
        "saved": "Записано решение «{verdict}» по паре {pair}.",
        "match": "совпадение",
        "non-match": "разные люди",
        "yes": "д",
        "no": "н",
        "skip": "п",
        "quit": "в",
    },
}


@link_app.command("review")
def review(
    records: Path = typer.Argument(..., help="The records CSV the queue was made from."),
    accept: list[str] = typer.Option(
        [], "--accept", help="Pair id to decide as the same person (repeatable)."
    ),
    reject: list[str] = typer.Option(
        [], "--reject", help="Pair id to decide as different people (repeatable)."
    ),
    show: bool = typer.Option(False, "--list", help="List the undecided pairs and exit."),
    queue: Path | None = typer.Option(None, "--queue", help="Default: RECORDS.review.csv."),
    decisions: Path | None = typer.Option(
        None, "--decisions", help="Default: RECORDS.decisions.csv."
    ),
    reviewer: str = typer.Option("", "--reviewer", help="Who decides (kept with the decision)."),
    note: str = typer.Option("", "--note", help="Why (kept with the decision)."),
    lang: str = typer.Option("en", "--lang", help="Language of the prompts: en or ru."),
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    columns: ColumnsOption = None,
    columns_file: ColumnsFileOption = None,
) -> None:
    """Show and decide the pairs the last run was unsure about.

    RECORDS is read as `testament link run` read it (give the same --encoding, --delimiter,
    --columns or --columns-file, if any) to show the records of each pair.

    Without --accept/--reject/--list, asks about each undecided pair in turn. Decisions are
    written at once (atomically) and honoured by the next `testament link` run.
    """
    from testament.link.errors import ReviewError
    from testament.link.review import (
        Verdict,
        decide,
        read_decisions,
        read_queue,
        undecided,
        write_decisions,
    )

    if lang not in _TEXTS:
        raise typer.BadParameter("must be en or ru", param_hint="--lang")
    texts = _TEXTS[lang]
    queue_path = queue or default_queue(records)
    decisions_path = decisions or default_decisions(records)
    queue_option = f" --queue {shlex.quote(str(queue))}" if queue is not None else ""
    if not queue_path.exists():
        raise ReviewError(
            f"no review queue at {queue_path}: link the records first with "
            f"`testament link {shlex.quote(str(records))} --out CLUSTERS.csv{queue_option}`"
        )
    pending = read_queue(queue_path)
    known = read_decisions(decisions_path)
    console = stdout()
    unknown = [pair for pair in [*accept, *reject] if pair not in set(pending["pair_id"])]
    if unknown:
        raise ReviewError(
            f"pair {unknown[0]!r} is not in the review queue {queue_path}: "
            f"`testament link review {shlex.quote(str(records))} --list{queue_option}` lists "
            "the pairs waiting"
        )
    if accept or reject:
        for pair, verdict in [(p, Verdict.MATCH) for p in accept] + [
            (p, Verdict.NON_MATCH) for p in reject
        ]:
            known = decide(pending, known, pair, verdict, reviewer=reviewer, note=note)
            console.print(
                texts["saved"].format(verdict=texts[verdict.value], pair=pair),
                markup=False,
                highlight=False,
            )
        write_decisions(decisions_path, known)
        return
    open_pairs = undecided(pending, known)
    if open_pairs.empty:
        console.print(texts["none"], markup=False, highlight=False)
        return
    shown = _record_lookup(records, reading_options(encoding, delimiter, columns, columns_file))
    console.print(texts["header"].format(count=len(open_pairs)), markup=False, highlight=False)
    for row in open_pairs.itertuples(index=False):
        console.print(
            texts["pair"].format(pair=row.pair_id, probability=row.match_probability),
            markup=False,
            highlight=False,
        )
        for record_id in (row.record_id_l, row.record_id_r):
            console.print(literal(f"  {record_id}: {shown(str(record_id))}"))  # names from lists
        if show:
            continue
        answer = _ask(texts)
        if answer == "quit":
            break
        if answer == "skip":
            continue
        verdict = Verdict.MATCH if answer == "yes" else Verdict.NON_MATCH
        known = decide(pending, known, str(row.pair_id), verdict, reviewer=reviewer, note=note)
        write_decisions(decisions_path, known)
        console.print(
            texts["saved"].format(verdict=texts[verdict.value], pair=row.pair_id),
            markup=False,
            highlight=False,
        )


def _ask(texts: dict[str, str]) -> str:
    answers = {texts[key]: key for key in ("yes", "no", "skip", "quit")}
    answers.update({key[0]: key for key in ("yes", "no", "skip", "quit")})
    while True:
        reply = str(typer.prompt(texts["prompt"], default=texts["skip"])).strip().lower()
        if reply[:1] in answers:
            return answers[reply[:1]]


def _record_lookup(records: Path, options: ReadOptions) -> Callable[[str], str]:
    """A function giving a one-line description of a record (its non-blank fields)."""
    from testament.link import read_records

    table: pd.DataFrame = read_records(records, options).set_index("record_id")

    def describe(record_id: str) -> str:
        if record_id not in table.index:
            return "(no longer in the records file)"
        row = table.loc[record_id]
        return "; ".join(f"{column}={value}" for column, value in row.items() if str(value))

    return describe
