"""Browsing the casebook: sources, claims, events, one record, the audit log."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Column, Table

from testament.cli.app import app, stdout
from testament.cli.casebook import DEFAULT_DB, DbOption
from testament.cli.display import literal, safe_json
from testament.cli.tables import WIDE, record_table

WideOption = Annotated[
    bool,
    typer.Option(
        "--wide", help="Print the table at its full width, whatever the terminal's (for copying)."
    ),
]


def _echo_json(data: Any, **options: Any) -> None:
    """``data`` as indented JSON on stdout, inert on a terminal (see ``display.safe_json``)."""
    typer.echo(safe_json(json.dumps(data, ensure_ascii=False, indent=2, **options)))


def _row(table: Table, *cells: str) -> None:
    """Add a row of record text to ``table``, every cell shown literally."""
    table.add_row(*(literal(cell) for cell in cells))


def _print_listing(
    title: str, headers: Sequence[str], rows: list[list[str]], *, ids: set[int], wide: bool
) -> None:
    """Print a listing; the columns numbered in ``ids`` hold ids, which are never cut."""
    console = stdout(WIDE if wide else None)
    console.print(record_table(title, headers, rows, ids=ids, console=console))


def _label(vocabulary: str, code: str) -> str:
    from testament.core.vocabulary import vocabulary as load

    try:
        return load(vocabulary).label(code)
    except KeyError:
        return code


@app.command()
def sources(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    wide: WideOption = False,
) -> None:
    """List the sources."""
    from testament.core.records import Source
    from testament.store import Casebook

    with Casebook.open(db) as casebook:
        records = [r for r in casebook.records("source") if isinstance(r, Source)]
    if as_json:
        _echo_json([r.model_dump(mode="json", exclude={"text"}) for r in records])
        return
    rows = []
    for record in records:
        data = record.model_dump(mode="json")
        rows.append(
            [
                record.id,
                _label("source_kind", data["kind"]),
                data["outlet"] or "",
                (data["published"] or {}).get("edtf", ""),
                ", ".join(data["derived_from"]),
                data["title"] or "",
            ]
        )
    headers = ("id", "kind", "outlet", "published", "repeats", "title")
    _print_listing(f"{len(records)} sources", headers, rows, ids={0}, wide=wide)


@app.command()
def claims(
    db: DbOption = DEFAULT_DB,
    source: Annotated[str | None, typer.Option(help="Only claims of this source.")] = None,
    target: Annotated[str | None, typer.Option(help="Only claims about this event or act.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    wide: WideOption = False,
) -> None:
    """List the claims, with the status corroboration gives each."""
    from testament.casework.corroboration import corroborate_casebook
    from testament.core.records import Claim
    from testament.store import Casebook

    with Casebook.open(db) as casebook:
        records = [
            r
            for r in casebook.records("claim")
            if isinstance(r, Claim)
            and (source is None or r.source_id == source)
            and (target is None or r.target_id == target)
        ]
        statuses = corroborate_casebook(casebook).claim_statuses
    rows = [r.model_dump(mode="json") | {"status": statuses[r.id].value} for r in records]
    if as_json:
        _echo_json(rows)
        return
    cells = [
        [
            row["id"],
            row["source_id"],
            f"{row['target_kind']} {row['target_id']}",
            _label("stance", row["stance"]),
            _label("basis", row["basis"]),
            row["status"],
            (row["excerpt"] or "")[:80],
        ]
        for row in rows
    ]
    headers = ("id", "source", "about", "stance", "basis", "status", "excerpt")
    _print_listing(f"{len(rows)} claims", headers, cells, ids={0, 1, 2}, wide=wide)


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    wide: WideOption = False,
) -> None:
    """List the events and their acts."""
    from testament.core.records import Act, Event
    from testament.store import Casebook

    with Casebook.open(db) as casebook:
        event_records = [e for e in casebook.records("event") if isinstance(e, Event)]
        acts = [a for a in casebook.records("act") if isinstance(a, Act)]
    if as_json:
        _echo_json(
            [
                e.model_dump(mode="json")
                | {"acts": [a.model_dump(mode="json") for a in acts if a.event_id == e.id]}
                for e in event_records
            ]
        )
        return
    rows = []
    for event in event_records:
        data = event.model_dump(mode="json")
        date = data["date"] or {}
        when = date.get("edtf", "") + (
            f" ({date['as_reported']})" if date.get("as_reported") else ""
        )
        kinds = [_label("act_type", a.act_type.value) for a in acts if a.event_id == event.id]
        rows.append([event.id, when, data["title"], ", ".join(kinds)])
    headers = ("id", "date", "title", "acts")
    _print_listing(f"{len(event_records)} events", headers, rows, ids={0}, wide=wide)


@app.command()
def show(
    record_id: Annotated[str, typer.Argument(help="The id of any record.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one record: its fields, version and history, and for an event or act its status."""
    from testament.casework.corroboration import corroborate_casebook
    from testament.core.errors import RecordNotFoundError
    from testament.desk.strip import WITHHELD
    from testament.store import Casebook

    with Casebook.open(db) as casebook:
        record = casebook.find(record_id)
        meta = casebook.meta(record.type, record.id)
        history = casebook.audit(record.id)
        attachments = casebook.attachments(record.id) if record.type == "source" else {}
        assessment = None
        if record.type in ("event", "act"):
            try:
                assessment = corroborate_casebook(casebook).explain(record.id, record.type)
            except RecordNotFoundError:
                assessment = None  # nothing has been claimed about it yet
    data = record.model_dump(mode="json")
    if as_json:
        _echo_json(
            {
                "record": data,
                "version": meta.version,
                "created": {"at": meta.created_at.isoformat(), "by": meta.created_by},
                "updated": {"at": meta.updated_at.isoformat(), "by": meta.updated_by},
                "assessment": assessment.to_json() if assessment else None,
                "attachments": [asdict(a) for a in attachments.values()],
            },
            default=str,
        )
        return
    table = Table(
        "field",
        Column("value", overflow="fold"),  # a record shown whole: nothing is cut
        title=literal(f"{record.type} {record.id} (version {meta.version})"),
    )
    for key, value in data.items():
        if value in (None, [], ()):
            continue
        _row(table, key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    console = stdout()
    console.print(table)
    console.print(
        literal(
            f"created {meta.created_at:%Y-%m-%d %H:%M} by {meta.created_by}; "
            f"changed {len(history) - 1} time(s), "
            f"last {meta.updated_at:%Y-%m-%d %H:%M} by {meta.updated_by}"
        )
    )
    for attachment in attachments.values():
        notes = [note for note in attachment.stripped if note != WITHHELD]
        copy = (
            f"working copy WITHHELD ({'; '.join(notes)})"
            if len(notes) < len(attachment.stripped)
            else f"working copy stripped of {', '.join(notes) or 'nothing'}"
        )
        console.print(
            literal(
                f"attachment {attachment.filename or attachment.id}: {attachment.size} bytes, "
                f"sha256 {attachment.sha256}; {copy}"
            )
        )
    if assessment is not None:
        flags = f" [{', '.join(assessment.flags)}]" if assessment.flags else ""
        console.print(
            literal(f"{assessment.status.value}{flags}", style="bold")
            + literal(f": {assessment.rationale}")
        )


@app.command()
def audit(
    record_id: Annotated[
        str | None, typer.Argument(help="Only the history of this record.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int | None, typer.Option(help="At most this many entries.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    wide: WideOption = False,
) -> None:
    """Show the audit log: who changed what, when, with the record before and after."""
    from testament.store import Casebook

    with Casebook.open(db) as casebook:
        entries = casebook.audit(record_id, limit=limit)
    if as_json:
        _echo_json(
            [
                {
                    "seq": e.seq,
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "action": e.action,
                    "record_type": e.record_type,
                    "record_id": e.record_id,
                    "before": e.before,
                    "after": e.after,
                    "batch": e.batch,
                }
                for e in entries
            ]
        )
        return
    rows = []
    for entry in entries:
        changed = ""
        if entry.before is not None and entry.after is not None:
            changed = ", ".join(
                key for key in entry.after if entry.before.get(key) != entry.after.get(key)
            )
        rows.append(
            [
                str(entry.seq),
                f"{entry.at:%Y-%m-%d %H:%M:%S}",
                entry.actor,
                entry.action,
                f"{entry.record_type} {entry.record_id}",
                changed,
            ]
        )
    headers = ("#", "when", "who", "action", "record", "changed fields")
    _print_listing("audit log", headers, rows, ids={4}, wide=wide)
