"""Where a link (``akquise://record/…``, ``akquise://followup/…``) leads, as
seen by one user: the record to show, or why nothing is shown.

A record is visible to a user when its account manager lies within the widest
of the user's scopes on the modules that show a record (records, contact
persons, activities and follow-ups, cancelling follow-ups, bulk editing);
administrators see all. This is the rule the server enforces by row-level
security on PostgreSQL (migration 0009): there a record the user may not see
is simply not found; on SQLite this query applies the same rule itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.models import Module, Scope

RECORD = "record"
FOLLOW_UP = "followup"
NOT_FOUND = "not_found"
NO_RIGHT = "no_right"
READ_MODULES = (
    Module.RECORDS,
    Module.CONTACTS,
    Module.ACTIVITIES,
    Module.CANCEL_FOLLOW_UPS,
    Module.BULK_EDIT,
)


@dataclass(frozen=True)
class LinkTarget:
    kind: str  # RECORD or FOLLOW_UP
    id: int  # the record's or the follow-up's id, as linked
    record_id: int | None  # the record to show; None: nothing (see problem)
    problem: str | None = None  # NOT_FOUND or NO_RIGHT
    follow_up_id: int | None = None


def read_scope(group: m.RoleGroup) -> Scope:
    """The widest of ``group``'s scopes on the modules that show a record."""
    return max((group.scope(module) for module in READ_MODULES), key=lambda s: s.rank)


def may_see(s: Session, user: m.User, owner_id: int | None) -> bool:
    scope = read_scope(user.role_group)
    if scope is Scope.ALL:
        return True
    if scope is Scope.NONE:
        return False
    if owner_id is not None and owner_id == user.id:
        return True
    if scope is Scope.OWN or user.team_id is None or owner_id is None:
        return False
    return s.scalar(select(m.User.team_id).where(m.User.id == owner_id)) == user.team_id


def link_target(s: Session, kind: str, ident: int, user_id: int) -> LinkTarget:
    """The record a link to ``kind`` ``ident`` shows to ``user_id``."""
    follow_up_id = None
    if kind == FOLLOW_UP:
        record_id = s.scalar(select(m.FollowUp.record_id).where(m.FollowUp.id == ident))
        follow_up_id = ident
    elif kind == RECORD:
        record_id = ident
    else:
        raise ValueError(f"unknown kind {kind!r}")
    owner = (
        None
        if record_id is None
        else s.execute(select(m.Record.owner_id).where(m.Record.id == record_id)).first()
    )
    if owner is None:
        return LinkTarget(kind, ident, None, NOT_FOUND, follow_up_id)
    user = s.get(m.User, user_id)
    if user is None or not user.active or not may_see(s, user, owner[0]):
        return LinkTarget(kind, ident, None, NO_RIGHT, follow_up_id)
    return LinkTarget(kind, ident, record_id, None, follow_up_id)
