"""The inbox: testimonies pulled from the intake, newest first, unread or read per reviewer, and
coded once a claim has been taken from them.

Every query filters with ``access.visible``: a testimony a role may not see is neither listed,
counted nor found. Rows carry no text: a pulled testimony is secret, and its text is read only on
its own page, after the reviewer has said why (``viewing``).

Search matches every word of the query as the beginning of a word of a source's title or text
(``Руслан`` finds ``Руслана``: Russian is inflected, and neither index stems, so that a name is
never reduced to another name's stem). On SQLite it asks the FTS5 index ``source_fts``
(migration 0003); on PostgreSQL a ``tsvector`` of the ``simple`` configuration, through the GIN
index ``ix_source_fulltext`` (migration 0006). Only an SQLite built without FTS5 falls back to
a case-insensitive LIKE per word, which reads every text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    false,
    func,
    inspect,
    literal_column,
    or_,
    select,
    text,
)

from testament.core.terms import SourceKind
from testament.desk.access import Role, visible
from testament.desk.accounts import aware
from testament.store.schema import attachment, claim, desk_read, source

PAGE_SIZE = 50
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12

SearchMethod = Literal["fts5", "postgresql", "like"]


@dataclass(frozen=True, slots=True)
class InboxRow:
    source_id: str
    arrived: datetime
    attachments: int
    read: bool
    confidentiality: str
    #: Claims taken from the testimony that the reader may see (0: not coded yet).
    claims: int


@dataclass(frozen=True, slots=True)
class InboxPage:
    rows: list[InboxRow]
    page: int
    pages: int
    total: int
    query: str
    unread_only: bool
    uncoded_only: bool
    search_method: SearchMethod


#: The text PostgreSQL indexes (``ix_source_fulltext``, migration 0006). A query must use this
#: very expression for the planner to answer it from the index.
POSTGRESQL_DOCUMENT = (
    "to_tsvector('simple', coalesce(source.title, '') || ' ' || coalesce(source.text, ''))"
)


def search_method(connection: Connection) -> SearchMethod:
    """PostgreSQL's full text, FTS5 where an SQLite casebook has its index, LIKE elsewhere."""
    if connection.dialect.name == "postgresql":
        return "postgresql"
    if connection.dialect.name == "sqlite" and inspect(connection).has_table("source_fts"):
        return "fts5"
    return "like"


def query_words(query: str) -> list[str]:
    """The words of a search, at most ``MAX_QUERY_WORDS``, each at most 100 characters."""
    return [word[:100] for word in query[:MAX_QUERY_CHARS].split()][:MAX_QUERY_WORDS]


def _searchable(word: str) -> bool:
    """Whether a word can match in a full-text index, which keeps only letters and digits."""
    return any(character.isalnum() for character in word)


def _fts_expression(words: list[str]) -> str:
    """An FTS5 query matching every word as a prefix. Each word is a quoted string (quotes
    doubled), so no query a reviewer types is read as FTS5 syntax (``OR``, ``NEAR``, ``*``)."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _tsquery(words: list[str]) -> str:
    """A ``to_tsquery`` text matching every word as a prefix. Each word is a quoted lexeme (its
    quotes and backslashes doubled), so no query a reviewer types is read as tsquery syntax
    (``|``, ``!``, ``<->``, ``:*``)."""
    quoted = ("'" + word.replace("\\", "\\\\").replace("'", "''") + "':*" for word in words)
    return " & ".join(quoted)


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _search_clause(method: SearchMethod, words: list[str]) -> ColumnElement[bool]:
    if method != "like":
        # A word of punctuation alone is left out; a query of nothing else finds nothing.
        words = [word for word in words if _searchable(word)]
        if not words:
            return false()
    if method == "postgresql":
        return literal_column(POSTGRESQL_DOCUMENT).op("@@")(
            func.to_tsquery(literal_column("'simple'"), _tsquery(words))
        )
    if method == "fts5":
        matching: Select[tuple[Any]] = (
            select(literal_column("rowid"))
            .select_from(text("source_fts"))
            .where(text("source_fts MATCH :fts_query").bindparams(fts_query=_fts_expression(words)))
        )
        # The unary plus keeps SQLite from answering through the rowid: it would then read each
        # match's row, text and all (80 ms for a common word in 100,000 testimonies); this way
        # it walks ix_source_inbox, whose entries carry the rowid, and reads no row at all.
        return literal_column("+source.rowid").in_(matching)
    return and_(
        *(
            or_(
                func.lower(source.c.text).like(_like_pattern(word), escape="\\"),
                func.lower(source.c.title).like(_like_pattern(word), escape="\\"),
            )
            for word in words
        )
    )


def inbox(
    engine: Engine,
    *,
    role: Role,
    user_id: int,
    page: int = 1,
    query: str = "",
    unread_only: bool = False,
    uncoded_only: bool = False,
) -> InboxPage:
    """One page of the testimonies ``role`` may see, with this user's read marks.

    Counting and paging read only the index ``ix_source_inbox`` (and the FTS index, and the read
    marks when asked for unread ones): a source row holds the whole text, and reading 100,000
    of them for every page is what made the inbox slow. Only the page's 50 rows are then read.
    Newest first, ties broken by id, both descending so that the index gives the order.
    """
    words = query_words(query)
    with engine.connect() as connection:
        method = search_method(connection)
        conditions = [source.c.kind == SourceKind.TESTIMONY.value, visible(role, "source", source)]
        if words:
            conditions.append(_search_clause(method, words))
        if unread_only:
            conditions.append(
                ~select(desk_read.c.source_id)
                .where(desk_read.c.user_id == user_id, desk_read.c.source_id == source.c.id)
                .exists()
            )
        if uncoded_only:
            conditions.append(
                ~select(claim.c.source_id)  # the index on source_id answers it alone
                .where(claim.c.source_id == source.c.id, visible(role, "claim", claim))
                .exists()
            )
        where = and_(*conditions)

        def page_ids(number: int) -> list[str]:
            return list(
                connection.execute(
                    select(source.c.id)
                    .where(where)
                    .order_by(source.c.created_at.desc(), source.c.id.desc())
                    .limit(PAGE_SIZE)
                    .offset((number - 1) * PAGE_SIZE)
                ).scalars()
            )

        page = max(page, 1)
        ids = page_ids(page)
        if page == 1 and len(ids) < PAGE_SIZE:
            # all there is fits on the first page: no count to make (a filter that keeps few
            # rows, such as "not coded yet" in a coded casebook, reads every row to count them)
            total = len(ids)
        else:
            total = int(
                connection.execute(
                    select(func.count()).select_from(source).where(where)
                ).scalar_one()
            )
        pages = max(1, -(-total // PAGE_SIZE))
        if page > pages:
            page = pages
            ids = page_ids(page)
        rows = _page_rows(connection, ids, user_id, role)
    return InboxPage(
        rows=rows,
        page=page,
        pages=pages,
        total=total,
        query=" ".join(words),
        unread_only=unread_only,
        uncoded_only=uncoded_only,
        search_method=method,
    )


def _page_rows(connection: Connection, ids: list[str], user_id: int, role: Role) -> list[InboxRow]:
    """The page's rows, in the order of ``ids``: arrival, attachments, read mark, claims."""
    if not ids:
        return []
    files = (
        select(func.count())
        .where(attachment.c.source_id == source.c.id)
        .correlate(source)
        .scalar_subquery()
    )
    claims = (
        select(func.count())
        .where(claim.c.source_id == source.c.id, visible(role, "claim", claim))
        .correlate(source)
        .scalar_subquery()
    )
    read = (
        select(desk_read.c.source_id)
        .where(desk_read.c.user_id == user_id, desk_read.c.source_id == source.c.id)
        .exists()
    )
    found = {
        row.id: row
        for row in connection.execute(
            select(
                source.c.id,
                source.c.created_at,
                source.c.confidentiality,
                files.label("files"),
                read.label("read"),
                claims.label("claims"),
            ).where(source.c.id.in_(ids))
        )
    }
    return [
        InboxRow(
            source_id=found[source_id].id,
            arrived=aware(found[source_id].created_at),
            attachments=int(found[source_id].files),
            read=bool(found[source_id].read),
            confidentiality=found[source_id].confidentiality,
            claims=int(found[source_id].claims),
        )
        for source_id in ids
        if source_id in found
    ]
