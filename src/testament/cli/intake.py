"""``testament intake init|serve|token``: create, run and give the desk access to an intake."""

from __future__ import annotations

import dataclasses
import secrets
import shlex
from pathlib import Path

import typer

from testament.cli.app import app, stderr, stdout
from testament.cli.display import literal
from testament.core.errors import SettingsError

intake_app = typer.Typer(
    name="intake",
    no_args_is_help=True,
    help="The public intake where sources submit testimony (holds public keys only).",
)
app.add_typer(intake_app)


@intake_app.command("init")
def init(
    folder: Path = typer.Argument(..., help="The instance folder to create."),
    recipient: list[str] = typer.Option(
        ..., "--recipient", help="A reviewer's age recipient (age1...); repeat for several."
    ),
) -> None:
    """Create an intake instance: settings, database, blob folders and a random pepper."""
    from testament.crypto.age import parse_recipients
    from testament.crypto.errors import RecipientError
    from testament.intake.settings import SETTINGS_FILE, IntakeSettings, new_pepper, write_settings
    from testament.intake.store import IntakeStore

    if (folder / SETTINGS_FILE).exists():
        raise SettingsError(f"{folder / SETTINGS_FILE} already exists: an instance is there")
    try:
        parse_recipients(recipient)
    except RecipientError as error:
        raise SettingsError(f"--recipient: {error}") from None
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    settings = IntakeSettings(folder=folder, recipients=tuple(recipient), pepper=new_pepper())
    path = write_settings(settings)
    IntakeStore(folder).initialise()
    stdout().print(literal(f"Created the intake instance {folder} (settings: {path})."))
    stdout().print(
        literal(f"Give the desk access with: testament intake token {shlex.quote(str(folder))}")
    )


@intake_app.command("token")
def token(folder: Path = typer.Argument(..., help="The instance folder.")) -> None:
    """Issue a new desk token (printed once); the previous token stops working at the next start."""
    from testament.intake.settings import load_settings, write_settings
    from testament.intake.web.desk_api import token_sha256

    settings = load_settings(folder)
    new_token = secrets.token_urlsafe(32)
    write_settings(dataclasses.replace(settings, desk_token_sha256=token_sha256(new_token)))
    stdout().print(new_token, markup=False, highlight=False)


@intake_app.command("serve")
def serve(
    folder: Path = typer.Argument(..., help="The instance folder."),
    host: str = typer.Option(
        "127.0.0.1", help="Address to listen on (the onion service's target)."
    ),
    port: int = typer.Option(8080, help="Port to listen on."),
) -> None:
    """Run the intake (behind a Tor onion service). Says where it listens; stops with Ctrl-C."""
    from testament.intake.allocator import keep_chunk_buffers_in_heap
    from testament.intake.listening import bind
    from testament.intake.listening import serve as serve_on
    from testament.intake.logs import configure_logging
    from testament.intake.server import server_config
    from testament.intake.settings import load_settings, removed_settings
    from testament.intake.web.app import create_app

    settings = load_settings(folder)
    for note in removed_settings(folder):
        stderr().print(literal(f"{folder}: ignored setting {note}; delete the line"))
    with bind(host, port) as sock:  # before anything starts: a port in use is a clear error
        configure_logging()
        keep_chunk_buffers_in_heap()
        serve_on(
            server_config(create_app(settings), settings, host=host, port=port),
            sock,
            lambda where: stderr().print(
                literal(f"The intake {folder} listens on http://{where} (Ctrl-C stops it).")
            ),
        )
