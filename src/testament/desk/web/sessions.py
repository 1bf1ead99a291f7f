"""Server-side sessions of the desk: an opaque random token in the cookie, everything else here.

The cookie carries 256 random bits and nothing else; the table keeps only the token's SHA-256,
so a copy of the casebook opens no session. A session ends after ``idle_minutes`` without a
request and, whatever the activity, ``absolute_hours`` after log-in; log-out and disabling the
account delete it at once. Each session has its own CSRF token, which every form of the desk
carries and which is compared in constant time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, insert, or_, select, update

from testament.desk.accounts import User, aware, get_user, token_sha256
from testament.store.schema import desk_session


@dataclass(frozen=True, slots=True)
class Session:
    token_sha256: str
    user: User
    csrf_token: str


@dataclass(frozen=True, slots=True)
class SessionStore:
    engine: Engine
    idle_minutes: int
    absolute_hours: int

    def open(self, user: User, now: datetime) -> str:
        """A new session for ``user``; returns the cookie's token (shown to nobody else)."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            self._drop_expired(connection, now)
            connection.execute(
                insert(desk_session).values(
                    token_sha256=token_sha256(token),
                    user_id=user.id,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=now,
                    last_seen_at=now,
                )
            )
        return token

    def get(self, token: str | None, now: datetime) -> Session | None:
        """The live session of ``token`` (its idle clock restarted), or None."""
        if not token or len(token) > 100:
            return None
        digest = token_sha256(token)
        with self.engine.connect() as connection:
            row = connection.execute(
                select(desk_session).where(desk_session.c.token_sha256 == digest)
            ).first()
        if row is None:
            return None
        if self._expired(aware(row.created_at), aware(row.last_seen_at), now):
            self.close(token)
            return None
        user = get_user(self.engine, row.user_id)
        if user is None or user.disabled:
            self.close(token)
            return None
        with self.engine.begin() as connection:
            connection.execute(
                update(desk_session)
                .where(desk_session.c.token_sha256 == digest)
                .values(last_seen_at=now)
            )
        return Session(digest, user, row.csrf_token)

    def close(self, token: str | None) -> None:
        if not token:
            return
        with self.engine.begin() as connection:
            connection.execute(
                delete(desk_session).where(desk_session.c.token_sha256 == token_sha256(token))
            )

    def _expired(self, created: datetime, last_seen: datetime, now: datetime) -> bool:
        return now - last_seen >= timedelta(
            minutes=self.idle_minutes
        ) or now - created >= timedelta(hours=self.absolute_hours)

    def _drop_expired(self, connection: Connection, now: datetime) -> None:
        connection.execute(
            delete(desk_session).where(
                or_(
                    desk_session.c.last_seen_at <= now - timedelta(minutes=self.idle_minutes),
                    desk_session.c.created_at <= now - timedelta(hours=self.absolute_hours),
                )
            )
        )
