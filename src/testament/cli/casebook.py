"""Casebook commands: init, import, export, schema, sources, claims, events, corroborate, show,
audit, migrate."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from testament.cli.app import app, stderr, stdout
from testament.cli.display import literal
from testament.core.errors import InputError

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="TESTAMENT_DB",
        help="The casebook: an SQLite file path, or postgresql://user@host/database.",
    ),
]
ActorOption = Annotated[
    str | None,
    typer.Option(
        "--actor", envvar="TESTAMENT_ACTOR", help="Who makes the change (for the audit log)."
    ),
]
DEFAULT_DB = "casebook.sqlite"


def actor_name(actor: str | None) -> str:
    """Who the audit log records: ``--actor``, ``TESTAMENT_ACTOR``, or the login name."""
    return actor or getpass.getuser()


@contextmanager
def progress_bar(
    description: str, total: int | None, *, enabled: bool = True
) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar on stderr; yields a function that advances it."""
    if not enabled:
        yield lambda _n: None
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr(),
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)


@app.command()
def init(db: DbOption = DEFAULT_DB) -> None:
    """Create a new, empty casebook."""
    from testament.store import Casebook

    Casebook.create(db).close()
    stdout().print(literal(f"Created the casebook {db}"))


@app.command()
def migrate(db: DbOption = DEFAULT_DB) -> None:
    """Bring a casebook's schema up to date (back it up first); every record is kept."""
    from testament.store import Casebook

    before, after = Casebook.migrate(db)
    if before == after:
        stdout().print(literal(f"{db} is already at schema {after}"))
    else:
        stdout().print(literal(f"Migrated {db} from schema {before} to {after}"))


@app.command()
def schema() -> None:
    """Print the JSON Schema of one line of a casebook JSON Lines file."""
    from testament.store.importing import dumps_schema

    typer.echo(dumps_schema())


@app.command(name="import")
def import_(
    files: Annotated[
        list[Path], typer.Argument(help="JSON Lines, CSV, or articles (.txt/.md/.html).")
    ],
    db: DbOption = DEFAULT_DB,
    format_: Annotated[
        str | None,
        typer.Option("--format", help="jsonl, csv or article (default: from the file name)."),
    ] = None,
    record_type: Annotated[
        str | None, typer.Option("--type", help="Record type of a CSV file (e.g. claim).")
    ] = None,
    kind: Annotated[str, typer.Option(help="Articles: the source kind.")] = "news_article",
    outlet: Annotated[str | None, typer.Option(help="Articles: the outlet.")] = None,
    published: Annotated[
        str | None, typer.Option(help="Articles: publication date, EDTF or words ('April 2017').")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Articles: BCP 47 language tag.")] = None,
    source_id: Annotated[
        str | None, typer.Option("--id", help="Articles: the source id (default: from the hash).")
    ] = None,
    derived_from: Annotated[
        list[str] | None, typer.Option("--derived-from", help="Articles: sources this one repeats.")
    ] = None,
    confidentiality: Annotated[str, typer.Option(help="Articles: confidentiality.")] = "restricted",
    actor: ActorOption = None,
) -> None:
    """Import records into the casebook: all of a file or nothing, every problem reported."""
    from testament.store import Casebook
    from testament.store.importing import guess_format, read_csv, read_jsonl
    from testament.store.integrity import Located

    located: list[Located] = []
    for path in files:
        data = _read_bytes(path)
        chosen = format_ or _guess(path, guess_format)
        if chosen == "jsonl":
            lines = data.count(b"\n") + 1
            with progress_bar(f"Reading {path.name}", lines, enabled=lines > 50_000) as advance:
                located.extend(read_jsonl(data, path.name, progress=advance))
        elif chosen == "csv":
            if record_type is None:
                raise InputError(
                    f"{path.name}: a CSV file holds one record type; say which with --type"
                )
            located.extend(read_csv(data, path.name, record_type))
        elif chosen == "article":
            located.append(
                _article(
                    data,
                    path.name,
                    kind=kind,
                    outlet=outlet,
                    published=published,
                    language=language,
                    source_id=source_id,
                    derived_from=derived_from or [],
                    confidentiality=confidentiality,
                )
            )
        else:
            raise InputError(f"unknown format {chosen!r}: use jsonl, csv or article")
    with (
        Casebook.open(db) as casebook,
        progress_bar("Storing", len(located), enabled=len(located) > 50_000) as advance,
    ):
        casebook.add(located, actor=actor_name(actor), progress=advance)
    counts: dict[str, int] = {}
    for item in located:
        counts[item.record.type] = counts.get(item.record.type, 0) + 1
    summary = ", ".join(
        f"{count} {kind}{'s' if count != 1 else ''}" for kind, count in counts.items()
    )
    stdout().print(literal(f"Imported {summary} into {db}"))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file") from None


def _guess(path: Path, guess_format: Callable[[Path], str]) -> str:
    if path.suffix.lower() in (".txt", ".md", ".markdown", ".html", ".htm"):
        return "article"
    return guess_format(path)


def _article(
    data: bytes,
    name: str,
    *,
    kind: str,
    outlet: str | None,
    published: str | None,
    language: str | None,
    source_id: str | None,
    derived_from: list[str],
    confidentiality: str,
) -> Any:
    from pydantic import ValidationError

    from testament.core.articles import extract_article
    from testament.core.dates import interpret
    from testament.core.errors import SchemaError
    from testament.core.records import Source
    from testament.store.importing import describe_validation_error
    from testament.store.integrity import Located

    article = extract_article(data, name)
    edtf = article.published
    as_reported = article.published_as_reported
    if published is not None:
        edtf = interpret(published)
        if edtf is None:
            raise InputError(
                f"--published {published!r}: not a date testament understands; give EDTF "
                "(2017-04-01, 2017-04, 2013-09~/2013-12~) or words like 'April 2017'"
            )
        as_reported = published if published != edtf else None
    try:
        source = Source(
            id=source_id or f"src-{article.sha256[:16]}",
            kind=kind,
            title=article.title,
            outlet=outlet or article.outlet,
            sha256=article.sha256,
            published={"edtf": edtf, "as_reported": as_reported} if edtf else None,
            language=language or article.language,
            derived_from=tuple(derived_from),
            text=article.text,
            confidentiality=confidentiality,
        )
    except ValidationError as error:
        raise SchemaError(
            f"{name} cannot be imported as a source", describe_validation_error(error, name)
        ) from None
    return Located(source, name)


@app.command()
def export(
    output: Annotated[Path, typer.Argument(help="Where to write (.jsonl or .csv).")],
    db: DbOption = DEFAULT_DB,
    format_: Annotated[str | None, typer.Option("--format", help="jsonl or csv.")] = None,
    record_type: Annotated[
        str | None, typer.Option("--type", help="CSV: which record type.")
    ] = None,
) -> None:
    """Export the casebook: every record as JSON Lines, or one record type as CSV."""
    from testament.store import Casebook
    from testament.store.exporting import export_csv, export_jsonl
    from testament.store.importing import guess_format

    chosen = format_ or guess_format(output)
    with Casebook.open(db) as casebook:
        if chosen == "jsonl":
            total = sum(casebook.counts().values())
            with progress_bar("Exporting", total, enabled=total > 50_000) as advance:
                written = export_jsonl(casebook, output, progress=advance)
        elif chosen == "csv":
            if record_type is None:
                raise InputError("a CSV file holds one record type; say which with --type")
            written = export_csv(casebook, record_type, output)
        else:
            raise InputError(f"unknown format {chosen!r}: use jsonl or csv")
    stdout().print(literal(f"Wrote {written} records to {output}"))
