"""The casebook's tables (SQLAlchemy Core), one per record type plus the audit log.

The migrations under ``migrations/versions`` create exactly these tables; a test compares the two
so they cannot drift. References that always point to one table are foreign keys; the few that may
point to either of two tables (an act's victim: person or group; an involvement's perpetrator:
organisation or person; a claim's target: event or act) are checked by the importer instead.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(128)


def _record_columns() -> list[Column[object]]:
    """Columns every record table has: identity, confidentiality, version and who/when."""
    return [
        Column("id", ID, primary_key=True),
        Column("confidentiality", String(16), nullable=False),
        Column("version", Integer, nullable=False, default=1),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("created_by", String(200), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("updated_by", String(200), nullable=False),
    ]


def _date_columns(name: str) -> list[Column[object]]:
    return [Column(f"{name}_edtf", String(100)), Column(f"{name}_as_reported", String(500))]


casebook_info = Table(
    "casebook_info",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

place = Table(
    "place",
    metadata,
    *_record_columns(),
    Column("name", String(500), nullable=False),
    Column("iso3166_2", String(10)),
    Column("geonames_id", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", String(32), nullable=False),
    Column("sensitive", Boolean, nullable=False),
)

organisation = Table(
    "organisation",
    metadata,
    *_record_columns(),
    Column("name", String(500), nullable=False),
    Column("org_type", String(32), nullable=False),
    Column("parent_id", ID, ForeignKey("organisation.id")),
)

source = Table(
    "source",
    metadata,
    *_record_columns(),
    Column("kind", String(32), nullable=False),
    Column("title", String(500)),
    Column("outlet", String(500)),
    Column("author", String(500)),
    Column("url", Text),
    Column("sha256", String(64)),
    *_date_columns("published"),
    Column("language", String(35)),
    Column("text", Text),
    # The desk's inbox: testimonies newest first, counted and paged from the index alone
    # (the rows themselves hold whole texts), confidentiality included for the role filter.
    Index("ix_source_inbox", "kind", "created_at", "id", "confidentiality"),
)

source_derivation = Table(
    "source_derivation",
    metadata,
    Column("source_id", ID, ForeignKey("source.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("derived_from_id", ID, ForeignKey("source.id"), nullable=False),
)

informant = Table(
    "informant",
    metadata,
    *_record_columns(),
    Column("pseudonym", String(500), nullable=False),
    Column("connection", String(32), nullable=False),
    Column("reliability", String(1), nullable=False),
    Column("risk", String(16), nullable=False),
    Column("identity_ref", String(500)),
)

person = Table(
    "person",
    metadata,
    *_record_columns(),
    Column("pseudonym", String(500), nullable=False),
    Column("names", Text, nullable=False),  # JSON list of {name, script, source_id}
    Column("sex", String(16), nullable=False),
    Column("age_band", String(32), nullable=False),
    *_date_columns("birth"),
    Column("deceased", Boolean),
    Column("source_id", ID, ForeignKey("source.id")),
)

victim_group = Table(
    "victim_group",
    metadata,
    *_record_columns(),
    Column("pseudonym", String(500), nullable=False),
    Column("description", Text),
    Column("size_min", Integer),
    Column("size_max", Integer),
)

event = Table(
    "event",
    metadata,
    *_record_columns(),
    Column("title", String(500), nullable=False),
    Column("summary", Text),
    *_date_columns("date"),
    Column("place_id", ID, ForeignKey("place.id")),
)

event_link = Table(
    "event_link",
    metadata,
    Column("event_id", ID, ForeignKey("event.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("relation", String(32), nullable=False),
    Column("other_event_id", ID, ForeignKey("event.id"), nullable=False),
)

act = Table(
    "act",
    metadata,
    *_record_columns(),
    Column("event_id", ID, ForeignKey("event.id"), nullable=False, index=True),
    Column("act_type", String(32), nullable=False),
    Column("victim_id", ID),
    *_date_columns("date"),
    Column("place_id", ID, ForeignKey("place.id")),
    Column("status_at_end", String(32), nullable=False),
)

involvement = Table(
    "involvement",
    metadata,
    *_record_columns(),
    Column("act_id", ID, ForeignKey("act.id"), nullable=False, index=True),
    Column("perpetrator_id", ID, nullable=False),
    Column("degree", String(32), nullable=False),
)

claim = Table(
    "claim",
    metadata,
    *_record_columns(),
    Column("source_id", ID, ForeignKey("source.id"), nullable=False, index=True),
    Column("informant_id", ID, ForeignKey("informant.id")),
    Column("target_kind", String(8), nullable=False),
    Column("target_id", ID, nullable=False),
    Column("stance", String(32), nullable=False),
    Column("basis", String(16), nullable=False),
    Column("excerpt", Text),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("count_min", Integer),
    Column("count_max", Integer),
    Index("ix_claim_target", "target_kind", "target_id"),
)

assessment = Table(
    "assessment",
    metadata,
    *_record_columns(),
    Column("target_kind", String(8), nullable=False),
    Column("target_id", ID, nullable=False),
    Column("status", String(32), nullable=False),
    Column("standard_of_proof", String(32), nullable=False),
    Column("rationale", Text, nullable=False),
    Column("reviewer", String(500), nullable=False),
    Column("assessed_at", String(40), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(16), nullable=False),  # create, update, delete
    Column("record_type", String(32), nullable=False),
    Column("record_id", ID, nullable=False),
    Column("before", Text),  # the record as JSON before the change (null on create)
    Column("after", Text),  # the record as JSON after the change (null on delete)
    Column("batch", String(64)),  # an import's id: all records of one import share it
    # Added by migration 0003: why a reviewer looked at a secret record (action view/download).
    Column("reason", Text),
    Index("ix_audit_log_record", "record_type", "record_id"),
)

# Added by migration 0002: evidence files attached to a source, and record-linkage results.
attachment = Table(
    "attachment",
    metadata,
    Column("id", ID, primary_key=True),
    Column("source_id", ID, ForeignKey("source.id"), nullable=False, index=True),
    Column("filename", String(500)),
    Column("content_type", String(200)),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),  # of the original, kept as evidence
    Column("working_sha256", String(64), nullable=False),  # of the metadata-stripped copy
    Column("stripped", Text, nullable=False),  # JSON list of what was removed from the copy
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)

person_link = Table(
    "person_link",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("person_id", ID, ForeignKey("person.id"), primary_key=True),
    Column("cluster_id", String(128), nullable=False, index=True),
    Column("match_probability", Float),
    Column("linked_at", DateTime(timezone=True), nullable=False),
)

# Added by migration 0003: the desk's web accounts, their server-side sessions, and which
# testimonies each reviewer has read. On SQLite the migration also makes ``source_fts``, an FTS5
# index of sources' titles and texts kept current by triggers (a virtual table, so it is not
# described here); the inbox searches it, and falls back to LIKE where it is missing. On
# PostgreSQL, migration 0006 makes ``ix_source_fulltext``, a GIN index of an expression (not
# described here either: see ``desk.inbox.POSTGRESQL_DOCUMENT``).
desk_user = Table(
    "desk_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),  # argon2id, parameters inside
    Column("totp_secret", String(64), nullable=False),  # base32
    Column("totp_last_step", Integer),  # the time-step of the last accepted code (replay)
    Column("failed_logins", Integer, nullable=False),
    Column("locked_until", DateTime(timezone=True)),
    Column("disabled", Boolean, nullable=False),
    Column("language", String(8), nullable=False),
    Column("enrol_token_sha256", String(64)),  # the one-time enrolment page, until it is used
    Column("enrol_expires_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)

desk_session = Table(
    "desk_session",
    metadata,
    # The cookie's token is never stored, only its hash: a copy of the database opens no session.
    Column("token_sha256", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("desk_user.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

desk_read = Table(
    "desk_read",
    metadata,
    Column("user_id", Integer, ForeignKey("desk_user.id"), primary_key=True),
    Column("source_id", ID, ForeignKey("source.id"), primary_key=True),
    Column("read_at", DateTime(timezone=True), nullable=False),
)

# Added by migration 0004: each linkage run's review queue (the uncertain pairs, with their match
# probability, which ``person_link`` does not keep per pair) and reviewers' decisions on pairs of
# persons, one per pair (the latest), honoured by the next run. ``pair_id`` is
# ``testament.link.review.pair_id`` of the two person ids.
person_review_pair = Table(
    "person_review_pair",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("pair_id", String(16), primary_key=True),
    Column("person_id_l", ID, ForeignKey("person.id"), nullable=False),
    Column("person_id_r", ID, ForeignKey("person.id"), nullable=False),
    Column("match_probability", Float, nullable=False),
)

link_decision = Table(
    "link_decision",
    metadata,
    Column("pair_id", String(16), primary_key=True),
    Column("person_id_l", ID, ForeignKey("person.id"), nullable=False),
    Column("person_id_r", ID, ForeignKey("person.id"), nullable=False),
    Column("verdict", String(16), nullable=False),  # same / different
    Column("decided_by", String(200), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False),
)

# Added by migration 0005: the replies sent to sources from the desk (web or CLI), kept so that
# colleagues know what was promised to whom. ``id`` is the intake's id of the reply; ``text`` is
# what the source reads (it inherits the source's confidentiality: shown only with the source).
desk_reply = Table(
    "desk_reply",
    metadata,
    Column("id", ID, primary_key=True),
    Column("source_id", ID, ForeignKey("source.id"), nullable=False, index=True),
    Column("author", String(200), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Column("text", Text, nullable=False),
)

RECORD_TABLES: dict[str, Table] = {
    "place": place,
    "organisation": organisation,
    "source": source,
    "informant": informant,
    "person": person,
    "group": victim_group,
    "event": event,
    "act": act,
    "involvement": involvement,
    "claim": claim,
    "assessment": assessment,
}
"""Record tables by record type, in an order where references point to earlier tables."""
