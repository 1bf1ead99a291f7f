"""Who may see which record: the desk's confidentiality rule, in this one module.

Every page of the desk that reads records asks this module, through ``visible`` (a WHERE clause
for a query on a record table) or ``may_see`` (for one record already in hand); nothing else
decides. The rule:

========== ======= =========== ==========================================
role        public  restricted  secret (records marked so, and informants)
========== ======= =========== ==========================================
admin       yes     yes         yes, with a reason written to the audit log
researcher  yes     yes         yes, with a reason written to the audit log
analyst     yes     yes         no
viewer      yes     no          no
========== ======= =========== ==========================================

Informants are secret whatever their own mark says: a pseudonym with a connection and a risk
level is the first step to a person. A record a role may not see does not exist for it: the
desk answers 404 for it, lists and counts leave it out, and search never finds it.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, Table, false, true

from testament.core.terms import Confidentiality


class Role(StrEnum):
    """A desk account's role (``testament desk user add --role``)."""

    ADMIN = "admin"
    RESEARCHER = "researcher"
    ANALYST = "analyst"
    VIEWER = "viewer"


_LEVELS: dict[Role, frozenset[Confidentiality]] = {
    Role.ADMIN: frozenset(Confidentiality),
    Role.RESEARCHER: frozenset(Confidentiality),
    Role.ANALYST: frozenset({Confidentiality.PUBLIC, Confidentiality.RESTRICTED}),
    Role.VIEWER: frozenset({Confidentiality.PUBLIC}),
}

#: Record types that are secret whatever their own confidentiality says.
ALWAYS_SECRET = frozenset({"informant"})


def level_of(record_type: str, confidentiality: str) -> Confidentiality:
    """The confidentiality the desk applies to a record of ``record_type`` marked so."""
    if record_type in ALWAYS_SECRET:
        return Confidentiality.SECRET
    return Confidentiality(confidentiality)


def may_see(role: Role, record_type: str, confidentiality: str) -> bool:
    """Whether ``role`` may see a record of ``record_type`` marked ``confidentiality``."""
    return level_of(record_type, confidentiality) in _LEVELS[role]


def needs_reason(record_type: str, confidentiality: str) -> bool:
    """Whether opening this record asks for a reason and writes it to the audit log."""
    return level_of(record_type, confidentiality) is Confidentiality.SECRET


def visible(role: Role, record_type: str, table: Table) -> ColumnElement[bool]:
    """A WHERE clause keeping the rows of ``table`` (of ``record_type``) that ``role`` may see."""
    levels = _LEVELS[role]
    if record_type in ALWAYS_SECRET:
        return true() if Confidentiality.SECRET in levels else false()
    if levels == frozenset(Confidentiality):
        return true()
    return table.c.confidentiality.in_(sorted(level.value for level in levels))


def may_read_audit(role: Role) -> bool:
    """Only admins read the audit log: it names who looked at which secret record, and why."""
    return role is Role.ADMIN


#: Roles that may change records (viewers only read). Which records still follows ``may_see``.
_EDITORS = frozenset({Role.ADMIN, Role.RESEARCHER, Role.ANALYST})


def may_edit(role: Role) -> bool:
    """Whether ``role`` may edit the records it may see (a viewer may not edit any)."""
    return role in _EDITORS


#: Who decides whether two person records are one person: the roles that code and link. A
#: viewer reads the queue (what it may see of it) but its decisions would bind every later run.
_LINK_DECIDERS = frozenset({Role.ADMIN, Role.RESEARCHER, Role.ANALYST})


def may_decide_links(role: Role) -> bool:
    """Whether ``role`` may decide pairs of the linkage review queue."""
    return role in _LINK_DECIDERS


#: Who talks to the intake from the desk: pulls new testimonies in, answers their sources. Those
#: are the roles that see secret records: pulled testimonies are secret, and a reply speaks to a
#: person at risk in the desk's name.
_INTAKE_USERS = frozenset({Role.ADMIN, Role.RESEARCHER})


def may_pull(role: Role) -> bool:
    """Whether ``role`` may pull submissions from the intake (the inbox's Pull button)."""
    return role in _INTAKE_USERS


def may_reply(role: Role) -> bool:
    """Whether ``role`` may send a reply to a source it may see (others only read replies)."""
    return role in _INTAKE_USERS
