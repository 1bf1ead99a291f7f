"""Persistence of the casebook: SQLAlchemy tables, Alembic migrations, import and export.

SQLite (one file, WAL, foreign keys on) is the default; PostgreSQL (``postgresql://...``) is the
team deployment. The same code and the same tests run on both.
"""

from testament.store.casebook import Attachment, AuditEntry, Casebook, RecordMeta

__all__ = ["Attachment", "AuditEntry", "Casebook", "RecordMeta"]
