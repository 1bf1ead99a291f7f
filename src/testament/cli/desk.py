"""``testament desk keygen|pull|restrip|reply``: the reviewer's side of the intake.

Passphrases are asked for with hidden input, or taken from the ``TESTAMENT_PASSPHRASE``
environment variable (for tests and automation; on a shared machine the environment of a process
can be read by the same user, so prefer the prompt).
"""

from __future__ import annotations

import getpass
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from testament.cli.app import app, stderr, stdout
from testament.cli.display import literal

PASSPHRASE_ENV = "TESTAMENT_PASSPHRASE"  # noqa: S105 - the name of a variable, not its value
_PASSPHRASE_HELP = f"Asked for with hidden input, or read from ${PASSPHRASE_ENV} when it is set."
_TOR_PROXY = "socks5h://127.0.0.1:9050"
_ROUTE_HELP = (
    "An onion intake (http://....onion) is reached only through Tor: pass "
    f"--proxy {_TOR_PROXY} (or set $TESTAMENT_PROXY). With socks5h Tor looks the name up, "
    "so it never reaches this machine's DNS resolver; socks5:// (local look-up) is refused "
    "for onions."
)
_PROXY_OPTION = typer.Option(
    None,
    "--proxy",
    envvar="TESTAMENT_PROXY",
    help=f"A SOCKS5 proxy for every request to the intake, e.g. Tor's {_TOR_PROXY}.",
)

desk_app = typer.Typer(
    name="desk",
    no_args_is_help=True,
    help="The reviewer's side: keys, pulling submissions into the casebook, replies.",
)
app.add_typer(desk_app)


def _passphrase(prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def _reviewer_name(reviewer: str | None) -> str:
    return reviewer or getpass.getuser()


@desk_app.command(
    "keygen",
    help=(
        "Create a reviewer's age identity protected by a passphrase; print its recipient.\n\n"
        "Give the printed recipient (age1...) to the intake: "
        "`testament intake init DIR --recipient age1...`. The passphrase is asked for twice "
        f"with hidden input, or read from ${PASSPHRASE_ENV} when it is set."
    ),
)
def keygen(
    identity: Path = typer.Argument(..., help="The identity file to create (never overwritten)."),
) -> None:
    """Create a passphrase-protected reviewer identity (help text above)."""
    from testament.desk.keygen import check_passphrase, create_identity

    passphrase = _passphrase("Passphrase for the new identity", confirm=True)
    check_passphrase(passphrase)
    recipient = create_identity(identity, passphrase)
    stderr().print(literal(f"Created {identity}. Its recipient (public key):"))
    stdout().print(recipient, markup=False, highlight=False)


@desk_app.command(
    "pull",
    help=(
        "Download new submissions, decrypt them here, store them in the casebook, "
        "acknowledge.\n\n"
        "Each submission becomes a Source of kind testimony with the id intake:<submission id>; "
        "its files become attachments (the original, and a working copy with metadata "
        "stripped). Safe to repeat or to restart after an interruption: what is stored already "
        "is not stored twice, and a submission is acknowledged only after the casebook holds it."
        f"\n\n{_ROUTE_HELP}"
    ),
)
def pull(
    intake: str = typer.Option(
        ..., "--intake", help="The intake's address, e.g. http://x.onion (with --proxy)."
    ),
    token_file: Path = typer.Option(
        ..., "--token-file", help="A file holding the token from `testament intake token`."
    ),
    identity: Path = typer.Option(
        ..., "--identity", help=f"The reviewer's identity file. {_PASSPHRASE_HELP}"
    ),
    casebook: Path = typer.Option(..., "--casebook", help="The casebook to store sources in."),
    reviewer: str | None = typer.Option(
        None, "--reviewer", help="Your name in the audit log (default: your user name)."
    ),
    proxy: str | None = _PROXY_OPTION,
) -> None:
    """Pull new submissions into the casebook (help text above)."""
    from testament.desk.client import IntakeClient, read_token
    from testament.desk.contacts import Contacts, contacts_path
    from testament.desk.errors import SubmissionError
    from testament.desk.keygen import load_identity
    from testament.desk.pull import PullEvent, record_pull
    from testament.desk.pull import pull as pull_submissions
    from testament.store import Casebook

    client = IntakeClient(intake, read_token(token_file), proxy=proxy)
    key = load_identity(identity, _passphrase(f"Passphrase of {identity}"))
    messages = {
        "stored": "stored",
        "completed": "completed (an earlier pull was interrupted)",
        "skipped": "already in the casebook",
        "acknowledged": "acknowledged",
    }

    def show(event: PullEvent) -> None:  # a failure's detail may quote what a source sent
        if event.kind == "failed":
            stderr().print(literal(f"{event.source_id}: NOT stored: {event.detail}"))
        elif event.kind == "withheld":
            stderr().print(
                literal(
                    f"{event.source_id}: working copy WITHHELD for {event.detail}; the original "
                    "is kept and may identify the source: open it only on this machine"
                )
            )
        else:
            stderr().print(literal(f"{event.source_id}: {messages[event.kind]}"))

    actor = f"desk:{_reviewer_name(reviewer)}"
    with Casebook.open(casebook) as book:
        report = pull_submissions(
            client, book, Contacts(contacts_path(casebook)), key, actor=actor, progress=show
        )
        record_pull(book, report, intake=client.base_url, actor=actor, now=datetime.now(UTC))
    stdout().print(
        f"{len(report.stored)} new source(s) stored, {len(report.skipped)} already stored, "
        f"{len(report.acknowledged)} acknowledged, {len(report.failed)} failed"
        + (f", {len(report.withheld)} working cop(ies) withheld." if report.withheld else "."),
        highlight=False,
    )
    if report.failed:
        raise SubmissionError(
            f"{len(report.failed)} submission(s) could not be stored and stay on the intake: "
            + "; ".join(f"{sid}: {why}" for sid, why in report.failed)
        )


@desk_app.command(
    "restrip",
    help=(
        "Make the working copies a pull had to withhold, now that they can be made.\n\n"
        "A pull keeps the original and withholds the working copy of a file it cannot strip "
        "(a tool such as exiftool or ffmpeg missing, a limit, an unknown kind of file). After "
        "installing the tool, run this: every withheld copy is tried again from the kept "
        "original (checked against its SHA-256); a copy now clean replaces the notice, in the "
        "audit log; one that still cannot be made stays withheld, with the reason."
    ),
)
def restrip(
    casebook: Path = typer.Option(..., "--casebook", help="The casebook the pulls stored in."),
    reviewer: str | None = typer.Option(
        None, "--reviewer", help="Your name in the audit log (default: your user name)."
    ),
) -> None:
    """Try the withheld working copies again (help text above)."""
    from testament.core.errors import CasebookError
    from testament.desk.restrip import RestripEvent
    from testament.desk.restrip import restrip as restrip_copies
    from testament.store import Casebook

    def show(event: RestripEvent) -> None:  # file names come from sources: shown literally
        name = event.attachment.filename or event.attachment.id
        where = f"{event.attachment.source_id}: {name}"
        if event.kind == "made":
            stderr().print(literal(f"{where}: working copy made (stripped of {event.detail})"))
        elif event.kind == "still withheld":
            stderr().print(literal(f"{where}: still WITHHELD: {event.detail}"))
        else:
            stderr().print(literal(f"{where}: NOT tried: {event.detail}"))

    with Casebook.open(casebook) as book:
        report = restrip_copies(book, actor=f"desk:{_reviewer_name(reviewer)}", progress=show)
    stdout().print(
        f"{report.tried} withheld working cop(ies) tried: {len(report.made)} made, "
        f"{len(report.still_withheld)} still withheld, {len(report.damaged)} with a damaged "
        "original.",
        highlight=False,
    )
    if report.damaged:
        raise CasebookError(
            f"{len(report.damaged)} kept original(s) no longer match their SHA-256: "
            + ", ".join(report.damaged)
            + ". Restore the casebook's .evidence folder from a backup."
        )


@desk_app.command(
    "reply",
    help=(
        "Send an encrypted reply that the source reads after logging in with their codename.\n\n"
        "The reply, its author (--reviewer) and the time are recorded in the casebook, so that "
        "colleagues who may see the source know what was promised.\n\n"
        "The text comes from --file PATH (UTF-8), from standard input with --file -, or, with "
        "neither, from your $EDITOR (or $VISUAL): the draft is kept in a private temporary "
        "folder (0700) and deleted when the editor exits. --text works too, but the reply then "
        "lands in your shell's history and in the process list, where others may read it."
        f"\n\n{_ROUTE_HELP}"
    ),
)
def reply(
    source_id: str = typer.Argument(..., help="The casebook id of the source (intake:...)."),
    text: str | None = typer.Option(
        None, "--text", help="The reply itself (kept in your shell's history: prefer --file)."
    ),
    file: str | None = typer.Option(
        None, "--file", help="A UTF-8 file holding the reply; - reads standard input."
    ),
    intake: str = typer.Option(..., "--intake", help="The intake's address."),
    token_file: Path = typer.Option(..., "--token-file", help="The desk token's file."),
    casebook: Path = typer.Option(
        ..., "--casebook", help="The casebook the source was pulled into (its reply addresses)."
    ),
    copy_to: list[str] = typer.Option(
        [], "--copy-to", help="Also encrypt to this recipient (age1...), e.g. your own; repeatable."
    ),
    reviewer: str | None = typer.Option(
        None,
        "--reviewer",
        help="Your name as the reply's author in the casebook (default: your user name).",
    ),
    proxy: str | None = _PROXY_OPTION,
) -> None:
    """Send an encrypted reply (help text above)."""
    from testament.desk.client import IntakeClient, read_token
    from testament.desk.compose import reply_text
    from testament.desk.contacts import Contacts, contacts_path
    from testament.desk.replies import send_and_record
    from testament.store import Casebook

    client = IntakeClient(intake, read_token(token_file), proxy=proxy)
    contacts = Contacts(contacts_path(casebook))
    contacts.get(source_id)  # an unknown source is refused before anyone writes a reply
    with Casebook.open(casebook) as book:  # a casebook that cannot record it: nothing is sent
        body = reply_text(text, file, stdin=sys.stdin, environ=os.environ)
        sent = send_and_record(
            client,
            book,
            contacts,
            source_id,
            body,
            author=_reviewer_name(reviewer),
            now=datetime.now(UTC),
            copy_to=copy_to,
        )
    stdout().print(literal(f"Reply {sent.id} stored for {sent.source_id}."))
