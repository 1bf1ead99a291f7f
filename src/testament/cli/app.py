"""The Typer application every command module attaches to, and the one place errors become exits.

Exit statuses: 0 success; 1 a user error (any ``TestamentError``: printed as a message on stderr,
no traceback); 2 a usage error (click's own handling of bad options and arguments); 130 Ctrl-C
(one line on stderr, no traceback).

Ctrl-C does not always arrive as a ``KeyboardInterrupt``: Typer turns it into exit status 130,
and DuckDB turns it into an error of the query it cancels, which Splink wraps with the query's SQL.
So ``run`` notes that SIGINT arrived (``interrupted``) and treats whatever the command then raises
as the interruption. Before a command starts, nothing has been written; once it has, Ctrl-C
reports "interrupted", unless the command says with ``interrupt_message`` that it writes its
results only at the end ("interrupted, nothing written").
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

import typer
from rich.console import Console

from testament.core.errors import TestamentError

EXIT_USER_ERROR = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a process stopped by Ctrl-C

INTERRUPTED = "interrupted"
NOTHING_WRITTEN = "interrupted, nothing written"


class _Interruption:
    """Whether SIGINT arrived during this run, and what to say if it did."""

    def __init__(self) -> None:
        self.arrived = False
        self.message = NOTHING_WRITTEN  # before any command has started, nothing was


_interruption = _Interruption()


def interrupt_message(message: str) -> None:
    """Say ``message`` instead of "interrupted" if Ctrl-C stops the current command.

    For commands that write their results only at the end, atomically: "interrupted, nothing
    written".
    """
    _interruption.message = message


def interrupted() -> bool:
    """Whether Ctrl-C arrived during this run (even if something swallowed its exception)."""
    return _interruption.arrived


def _on_sigint(_signum: int, _frame: FrameType | None) -> None:
    _interruption.arrived = True
    raise KeyboardInterrupt


@contextmanager
def _noting_interrupts() -> Iterator[None]:
    """Note SIGINT while the command runs, where Python would raise KeyboardInterrupt anyway.

    A SIGINT that is ignored (a background job) or handled by someone else stays so.
    """
    _interruption.arrived = False
    _interruption.message = NOTHING_WRITTEN
    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT) if main else None
    if previous is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield
    finally:
        if previous is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous)


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
    # A command starts now: until it says otherwise, Ctrl-C may find some of its work done.
    _interruption.message = INTERRUPTED


def stdout(width: int | None = None) -> Console:
    """A console on the current stdout (made per call, so redirection and test capture work);
    ``width`` overrides the terminal's (or ``$COLUMNS``, or 80 in a pipe)."""
    return Console(file=sys.stdout, soft_wrap=True, width=width)


def stderr() -> Console:
    """A console on the current stderr, for progress bars and messages that are not results."""
    return Console(file=sys.stderr, soft_wrap=True)


def _stopped() -> int:
    stderr().print(_interruption.message, markup=False, highlight=False)
    return EXIT_INTERRUPTED


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit status instead of exiting."""
    with _noting_interrupts():
        try:
            app(args=list(argv) if argv is not None else None, prog_name="testament")
        except SystemExit as exit_:
            code = exit_.code
            if code == EXIT_INTERRUPTED or (code not in (None, 0) and interrupted()):
                return _stopped()  # Typer turns KeyboardInterrupt into exit status 130
            if code is None:
                return 0
            return code if isinstance(code, int) else EXIT_USER_ERROR
        except KeyboardInterrupt:
            return _stopped()
        except TestamentError as error:
            if interrupted():
                return _stopped()
            from testament.cli.display import literal

            stderr().print(literal(f"Error: {error}"))  # it may quote record text: never obeyed
            return EXIT_USER_ERROR
        except Exception:
            if interrupted():  # e.g. DuckDB's cancelled query, wrapped with its SQL by Splink
                return _stopped()
            raise
    return 0
