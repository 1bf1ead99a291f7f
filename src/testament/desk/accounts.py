"""Desk accounts: argon2id passwords, TOTP codes that work once, lockout with back-off.

The accounts live in the casebook (``desk_user``, migration 0003), beside what they guard. What is
kept and why:

- the password only as an argon2id hash (argon2-cffi; its parameters travel inside the hash, so
  stronger ones can come later without breaking old hashes);
- the TOTP secret (base32) and the time-step of the last code accepted: a code seen once is
  refused afterwards, even within its 30 seconds, so a code read over a shoulder or from a
  recorded screen is worth nothing (and a code from an earlier step than the last accepted one
  neither);
- the failed log-ins since the last success, and the time until which the account is locked:
  from the ``max_failures``-th failure on, each failure locks it for twice as long as the one
  before (``LockoutPolicy``), so guessing is slow without anyone being locked out for good;
  while locked, nothing is checked (a locked account gives no answer about its password);
- a one-time enrolment page token, as a SHA-256 only, until the code is confirmed there.

A name that does not exist costs the same argon2id work as a wrong password, so the time of the
answer does not tell which names are accounts.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Literal

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, Row, and_, delete, insert, or_, select, update

from testament.desk.access import Role
from testament.desk.errors import AccountError
from testament.desk.strength import weakness
from testament.store.schema import desk_session, desk_user

TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6
ENROLMENT_HOURS = 24
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
ISSUER = "testament desk"


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """After ``max_failures`` failed log-ins in a row, each further failure locks the account for
    ``base_seconds`` × 2^(failures − max_failures), at most ``max_seconds``."""

    max_failures: int = 5
    base_seconds: int = 30
    max_seconds: int = 24 * 3600

    def lock_seconds(self, failures: int) -> int:
        if failures < self.max_failures:
            return 0
        exponent = min(failures - self.max_failures, 40)  # 2^40 s is far past any cap
        return int(min(self.base_seconds * 2**exponent, self.max_seconds))


@dataclass(frozen=True, slots=True)
class User:
    """A logged-in (or listed) account."""

    id: int
    name: str
    role: Role
    language: str
    disabled: bool
    locked_until: datetime | None = None
    created_at: datetime | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this user."""
        return f"desk:{self.name}"


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What a new user needs to set up their authenticator app, shown once."""

    name: str
    secret: str
    page_token: str | None
    expires_at: datetime | None

    @property
    def uri(self) -> str:
        """The otpauth:// URI an authenticator app reads from the QR code."""
        return pyotp.TOTP(
            self.secret, digits=TOTP_DIGITS, interval=TOTP_STEP_SECONDS
        ).provisioning_uri(name=self.name, issuer_name=ISSUER)

    def terminal_qr(self) -> str:
        """The QR code of ``uri`` drawn with block characters, for a terminal."""
        import io

        import segno

        out = io.StringIO()
        segno.make(self.uri, error="m").terminal(out=out, compact=True)
        return out.getvalue()

    def svg_qr(self) -> str:
        """The QR code of ``uri`` as inline SVG (drawn here: the secret goes to no service)."""
        import io

        import segno

        out = io.BytesIO()
        segno.make(self.uri, error="m").save(
            out, kind="svg", xmldecl=False, svgns=True, scale=5, border=4, title="TOTP"
        )
        return out.getvalue().decode("ascii")


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a log-in was refused: ``wrong`` (name, password or code; never which) or ``locked``."""

    kind: Literal["wrong", "locked"]
    retry_at: datetime | None = None


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC (SQLite gives timestamps back without their zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


@cache
def _burn_hash() -> str:
    """A hash to verify against when the name is unknown (the same work as a real check)."""
    return PasswordHasher().hash(secrets.token_urlsafe(16))


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise AccountError(
            f"the user name {name!r} is not allowed: use 1 to 64 letters (a-z), digits, "
            "dots, hyphens or underscores, starting with a letter or a digit"
        )


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise AccountError(
            f"unknown role {value!r}: use one of " + ", ".join(role.value for role in Role)
        ) from None


def add_user(
    engine: Engine,
    name: str,
    role: Role,
    password: str,
    *,
    actor: str,
    now: datetime,
    hasher: PasswordHasher | None = None,
) -> Enrolment:
    """Create an account; return its TOTP enrolment (shown once). ``AccountError`` when the name
    is taken or malformed, or the password would not resist guessing."""
    _check_name(name)
    problem = weakness(password, "password", personal=[name])
    if problem is not None:
        raise AccountError(problem)
    secret = pyotp.random_base32()
    page_token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=ENROLMENT_HOURS)
    password_hash = (hasher or PasswordHasher()).hash(password)
    with engine.begin() as connection:
        taken = connection.execute(select(desk_user.c.id).where(desk_user.c.name == name)).first()
        if taken is not None:
            raise AccountError(f"a user named {name!r} exists already: choose another name")
        connection.execute(
            insert(desk_user).values(
                name=name,
                role=role.value,
                password_hash=password_hash,
                totp_secret=secret,
                totp_last_step=None,
                failed_logins=0,
                locked_until=None,
                disabled=False,
                language="",  # none chosen yet: the browser's language
                enrol_token_sha256=token_sha256(page_token),
                enrol_expires_at=expires,
                created_at=now,
                created_by=actor,
            )
        )
    return Enrolment(name=name, secret=secret, page_token=page_token, expires_at=expires)


def _user(row: Row[Any]) -> User:
    return User(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        language=row.language,
        disabled=bool(row.disabled),
        locked_until=aware(row.locked_until) if row.locked_until else None,
        created_at=aware(row.created_at) if row.created_at else None,
    )


def list_users(engine: Engine) -> list[User]:
    """Every account, by name."""
    with engine.connect() as connection:
        return [
            _user(row) for row in connection.execute(select(desk_user).order_by(desk_user.c.name))
        ]


def get_user(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as connection:
        row = connection.execute(select(desk_user).where(desk_user.c.id == user_id)).first()
    return _user(row) if row is not None else None


def disable_user(engine: Engine, name: str) -> None:
    """Disable an account and end its sessions at once (kept, for the audit log's names)."""
    with engine.begin() as connection:
        row = connection.execute(select(desk_user.c.id).where(desk_user.c.name == name)).first()
        if row is None:
            raise AccountError(f"there is no user named {name!r} (`testament desk user list`)")
        connection.execute(update(desk_user).where(desk_user.c.id == row.id).values(disabled=True))
        connection.execute(delete(desk_session).where(desk_session.c.user_id == row.id))


def set_language(engine: Engine, user_id: int, language: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(desk_user).where(desk_user.c.id == user_id).values(language=language)
        )


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time-step (the current one, or one either side for clock drift) whose code is
    ``code``, or None."""
    code = "".join(code.split())
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_STEP_SECONDS)
    current = int(now.timestamp()) // TOTP_STEP_SECONDS
    found = None
    for step in (current - 1, current, current + 1):  # every step compared: constant work
        if secrets.compare_digest(totp.at(step * TOTP_STEP_SECONDS), code):
            found = step
    return found


def authenticate(
    engine: Engine,
    name: str,
    password: str,
    code: str,
    *,
    now: datetime,
    policy: LockoutPolicy,
) -> User | Refusal:
    """Check a log-in: the password, then the TOTP code (refused if already used), the lockout.

    Slow on purpose (argon2id): call it off the event loop.
    """
    with engine.connect() as connection:
        row = connection.execute(select(desk_user).where(desk_user.c.name == name[:100])).first()
    if row is None or row.disabled:
        _verify(_burn_hash(), password)
        return Refusal("wrong")
    if row.locked_until is not None and aware(row.locked_until) > now:
        return Refusal("locked", aware(row.locked_until))
    password_ok = _verify(row.password_hash, password)
    step = _matching_step(row.totp_secret, code, now)
    if password_ok and step is not None:
        with engine.begin() as connection:
            # One statement decides replay, so two log-ins racing with one code cannot both win.
            accepted = connection.execute(
                update(desk_user)
                .where(
                    and_(
                        desk_user.c.id == row.id,
                        or_(
                            desk_user.c.totp_last_step.is_(None), desk_user.c.totp_last_step < step
                        ),
                    )
                )
                .values(totp_last_step=step, failed_logins=0, locked_until=None)
            ).rowcount
        if accepted == 1:
            _rehash_if_needed(engine, row.id, row.password_hash, password)
            return _user(row)
    return _count_failure(engine, row.id, now, policy)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _rehash_if_needed(engine: Engine, user_id: int, password_hash: str, password: str) -> None:
    """Stronger default parameters (a newer argon2-cffi) reach old hashes at the next log-in."""
    hasher = PasswordHasher()
    if hasher.check_needs_rehash(password_hash):
        with engine.begin() as connection:
            connection.execute(
                update(desk_user)
                .where(desk_user.c.id == user_id)
                .values(password_hash=hasher.hash(password))
            )


def _count_failure(engine: Engine, user_id: int, now: datetime, policy: LockoutPolicy) -> Refusal:
    with engine.begin() as connection:
        connection.execute(
            update(desk_user)
            .where(desk_user.c.id == user_id)
            .values(failed_logins=desk_user.c.failed_logins + 1)
        )
        failures = int(
            connection.execute(
                select(desk_user.c.failed_logins).where(desk_user.c.id == user_id)
            ).scalar_one()
        )
        seconds = policy.lock_seconds(failures)
        if seconds:
            until = now + timedelta(seconds=seconds)
            connection.execute(
                update(desk_user).where(desk_user.c.id == user_id).values(locked_until=until)
            )
            return Refusal("locked", until)
    return Refusal("wrong")


def enrolment(engine: Engine, page_token: str, now: datetime) -> Enrolment | None:
    """The enrolment behind a one-time page token, while it is unused and not expired."""
    with engine.connect() as connection:
        row = connection.execute(
            select(desk_user).where(desk_user.c.enrol_token_sha256 == token_sha256(page_token))
        ).first()
    if row is None or row.disabled or row.enrol_expires_at is None:
        return None
    if aware(row.enrol_expires_at) <= now:
        return None
    return Enrolment(
        name=row.name,
        secret=row.totp_secret,
        page_token=None,
        expires_at=aware(row.enrol_expires_at),
    )


def confirm_enrolment(engine: Engine, page_token: str, code: str, now: datetime) -> bool:
    """Close the enrolment page once the user shows a code from their app (not a used one)."""
    found = enrolment(engine, page_token, now)
    if found is None:
        return False
    step = _matching_step(found.secret, code, now)
    if step is None:
        return False
    with engine.begin() as connection:
        done = connection.execute(
            update(desk_user)
            .where(
                and_(
                    desk_user.c.enrol_token_sha256 == token_sha256(page_token),
                    or_(desk_user.c.totp_last_step.is_(None), desk_user.c.totp_last_step < step),
                )
            )
            .values(enrol_token_sha256=None, enrol_expires_at=None, totp_last_step=step)
        ).rowcount
    return done == 1


def role_names() -> Sequence[str]:
    return [role.value for role in Role]
