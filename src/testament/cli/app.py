"""The Typer application every command module attaches to, and the one place errors become exits.

Exit statuses: 0 success; 1 a user error (any ``TestamentError``: printed as a message on stderr,
no traceback); 2 a usage error (click's own handling of bad options and arguments).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer
from rich.console import Console

from testament.core.errors import TestamentError

EXIT_USER_ERROR = 1

app = typer.Typer(
    name="testament",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Document persecution safely: casebook, corroboration, linkage, estimation.",
)


@app.callback()
def _root() -> None:
    """Document persecution safely: casebook, corroboration, linkage, estimation."""


def stdout(width: int | None = None) -> Console:
    """A console on the current stdout (made per call, so redirection and test capture work);
    ``width`` overrides the terminal's (or ``$COLUMNS``, or 80 in a pipe)."""
    return Console(file=sys.stdout, soft_wrap=True, width=width)


def stderr() -> Console:
    """A console on the current stderr, for progress bars and messages that are not results."""
    return Console(file=sys.stderr, soft_wrap=True)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit status instead of exiting."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="testament")
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return 0
        return code if isinstance(code, int) else EXIT_USER_ERROR
    except TestamentError as error:
        from testament.cli.display import literal

        stderr().print(literal(f"Error: {error}"))  # it may quote record text: never obeyed
        return EXIT_USER_ERROR
    return 0
