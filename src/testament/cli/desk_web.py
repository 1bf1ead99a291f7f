"""``testament desk serve`` and ``testament desk user add|list|disable``: the desk's web side.

Passwords are asked for with hidden input (twice for a new account), or taken from
``$TESTAMENT_DESK_PASSWORD`` (for tests and automation; on a shared machine the environment of
a process can be read by the same user, so prefer the prompt).
"""

from __future__ import annotations

import getpass
import ipaddress
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from testament.cli.app import stderr, stdout
from testament.cli.desk import _PROXY_OPTION, desk_app
from testament.cli.display import literal

if TYPE_CHECKING:
    from testament.desk.web.settings import IntakeConnection

PASSWORD_ENV = "TESTAMENT_DESK_PASSWORD"  # noqa: S105 - the name of a variable, not its value
_DB_OPTION = typer.Option(..., "--db", help="The casebook (an SQLite file or postgresql://...).")

user_app = typer.Typer(
    name="user", no_args_is_help=True, help="Accounts of the desk's web workspace."
)
desk_app.add_typer(user_app)


def _password() -> str:
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    return str(
        typer.prompt("Password for the new account", hide_input=True, confirmation_prompt=True)
    )


@user_app.command(
    "add",
    help=(
        "Create a desk account and print its TOTP enrolment once: the otpauth URI, its QR code "
        "(scan it with an authenticator app), and a one-time enrolment page (valid 24 hours) "
        "showing the same QR code.\n\n"
        "Roles: admin (everything, and the audit log), researcher (secret records too, each "
        "opening audited with a reason), analyst (public and restricted records), viewer "
        f"(public records only). The password is asked for twice, or read from ${PASSWORD_ENV}."
    ),
)
def user_add(
    db: str = _DB_OPTION,
    name: str = typer.Option(..., "--name", help="The user name (letters, digits, . _ -)."),
    role: str = typer.Option(..., "--role", help="admin, researcher, analyst or viewer."),
) -> None:
    """Create a desk account (help text above)."""
    from datetime import UTC, datetime

    from testament.desk.accounts import add_user, parse_role
    from testament.store import Casebook

    chosen = parse_role(role)
    with Casebook.open(db) as book:
        enrolment = add_user(
            book.engine,
            name,
            chosen,
            _password(),
            actor=f"cli:{getpass.getuser()}",
            now=datetime.now(UTC),
        )
    out = stdout()
    out.print(literal(f"Created {name} ({chosen.value}). Set up the authenticator app now:"))
    out.print(enrolment.terminal_qr(), markup=False, highlight=False)
    out.print(literal(f"otpauth URI: {enrolment.uri}"))
    out.print(
        literal(
            f"Or open the one-time enrolment page on the desk: /enrol/{enrolment.page_token} "
            f"(until {enrolment.expires_at:%Y-%m-%d %H:%M} UTC, or until a code is confirmed)."
        )
    )
    stderr().print(
        literal("This is shown once: anyone who sees it can make codes for this account.")
    )


@user_app.command("list", help="List the desk's accounts: name, role, state.")
def user_list(db: str = _DB_OPTION) -> None:
    """List the accounts (help text above)."""
    from datetime import UTC, datetime

    from testament.desk.accounts import list_users
    from testament.store import Casebook

    with Casebook.open(db) as book:
        users = list_users(book.engine)
    now = datetime.now(UTC)
    if not users:
        stderr().print(
            "No accounts yet: `testament desk user add --db ... --name ... --role admin`."
        )
    for user in users:
        state = "disabled" if user.disabled else "active"
        if not user.disabled and user.locked_until is not None and user.locked_until > now:
            state = f"locked until {user.locked_until:%Y-%m-%d %H:%M} UTC"
        stdout().print(literal(f"{user.name}\t{user.role.value}\t{state}"))


@user_app.command(
    "disable",
    help="Disable an account and end its sessions at once (its name stays in the audit log).",
)
def user_disable(
    db: str = _DB_OPTION, name: str = typer.Option(..., "--name", help="The user to disable.")
) -> None:
    """Disable an account (help text above)."""
    from testament.desk.accounts import disable_user
    from testament.store import Casebook

    with Casebook.open(db) as book:
        disable_user(book.engine, name)
    stdout().print(literal(f"Disabled {name}; its sessions are closed."))


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def intake_connection(
    db: str,
    intake: str | None,
    token_file: Path | None,
    identity: Path | None,
    contacts: Path | None,
    proxy: str | None,
) -> IntakeConnection | None:
    """The ``--intake`` options as one setting (None without ``--intake``); a SettingsError
    says which option is missing or wrong."""
    from testament.core.errors import SettingsError
    from testament.desk.contacts import contacts_path
    from testament.desk.web.settings import IntakeConnection

    if intake is None:
        given = [
            option
            for option, value in (
                ("--token-file", token_file),
                ("--identity", identity),
                ("--contacts", contacts),
            )
            if value is not None
        ]
        if given:
            raise SettingsError(f"{', '.join(given)} need(s) --intake: the intake's address")
        return None
    if token_file is None or identity is None:
        missing = " and ".join(
            option
            for option, value in (("--token-file", token_file), ("--identity", identity))
            if value is None
        )
        raise SettingsError(
            f"--intake needs {missing}: the desk token's file (`testament intake token`) and "
            "your identity (`testament desk keygen`)"
        )
    if contacts is None:
        if "://" in db:
            raise SettingsError(
                "--intake with a server casebook needs --contacts FILE: where the reply "
                "addresses of pulled sources are kept on this machine"
            )
        contacts = contacts_path(Path(db))
    return IntakeConnection(
        url=intake, token_file=token_file, identity=identity, contacts=contacts, proxy=proxy
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@desk_app.command(
    "serve",
    help=(
        "Run the desk's web workspace on this machine: log-in with password and TOTP, the inbox "
        "of pulled testimonies, records, the audit log. Says where it listens; Ctrl-C stops it."
        "\n\nIts cookies are Secure: browsers send them over HTTPS or to a loopback address "
        "(the default --host 127.0.0.1). On a team server, put it behind an HTTPS reverse proxy."
    ),
)
def serve(
    db: str = _DB_OPTION,
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8081, help="Port to listen on."),
    evidence_dir: Path | None = typer.Option(
        None, "--evidence-dir", help="Where attachments are (default: beside an SQLite casebook)."
    ),
    intake: str | None = typer.Option(
        None,
        "--intake",
        help="The intake to pull from and reply through (the inbox's Pull button, the reply "
        "form); e.g. http://x.onion with --proxy. Without it the desk only reads and edits.",
    ),
    token_file: Path | None = typer.Option(
        None, "--token-file", help="With --intake: the file holding the desk token."
    ),
    identity: Path | None = typer.Option(
        None,
        "--identity",
        help="With --intake: the reviewer's identity file. Its passphrase is typed into the "
        "Pull form at each pull, never stored.",
    ),
    contacts: Path | None = typer.Option(
        None,
        "--contacts",
        help="With --intake: the reply addresses' file (default: CASEBOOK.desk.json beside an "
        "SQLite casebook; required with a postgresql:// casebook).",
    ),
    proxy: str | None = _PROXY_OPTION,
) -> None:
    """Run the desk (help text above)."""
    from testament.desk.errors import DeskError
    from testament.desk.web import DeskWebSettings, create_app
    from testament.web.listening import Advice, bind
    from testament.web.listening import serve as serve_on
    from testament.web.server import guarded_protocol, uvicorn_config

    loopback = _is_loopback(host)
    settings = DeskWebSettings(
        casebook=db,
        evidence_dir=evidence_dir,
        allowed_hosts=LOOPBACK_NAMES if loopback else ("*",),
        intake=intake_connection(db, intake, token_file, identity, contacts, proxy),
    )
    app = create_app(settings)  # opens the casebook: a wrong --db fails here, clearly
    advice = Advice(app="desk", loopback_reason="this machine only", low_port_note="")
    if not loopback:
        stderr().print(
            literal(f"{host} is not a loopback address: serve the desk only behind HTTPS.")
        )
    with bind(host, port, advice=advice, error=DeskError) as sock:
        config = uvicorn_config(
            app,
            host=host,
            port=port,
            protocol=guarded_protocol(
                "DeskH11Protocol",
                header_timeout_seconds=float(settings.request_header_timeout_seconds),
                max_connections=settings.max_connections,
            ),
            max_header_bytes=settings.max_request_header_bytes,
            keep_alive_seconds=60,
        )
        serve_on(
            config,
            sock,
            lambda where: stderr().print(
                literal(f"The desk listens on http://{where} (Ctrl-C stops it).")
            ),
        )
