"""Track what a transaction changes: the change summary and the audit trail.

Both come from SQLAlchemy's flush events, so no operation can forget either:
whatever the ORM writes in a controller transaction is summarized and audited.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary, Entity

ENTITY_OF: dict[type, tuple[Entity, str]] = {
    m.Record: (Entity.RECORD, "id"),
    m.Contact: (Entity.CONTACT, "id"),
    m.Activity: (Entity.ACTIVITY, "id"),
    m.FollowUp: (Entity.FOLLOW_UP, "id"),
    m.CampaignMembership: (Entity.MEMBERSHIP, "id"),
    m.StatusChange: (Entity.STATUS_CHANGE, "id"),
    m.Campaign: (Entity.CAMPAIGN, "id"),
    m.CampaignStatus: (Entity.CAMPAIGN_STATUS, "id"),
    m.StatusTransition: (Entity.CAMPAIGN_STATUS, "from_status_id"),
    m.ActivityType: (Entity.ACTIVITY_TYPE, "id"),
    m.User: (Entity.USER, "id"),
    m.Team: (Entity.TEAM, "id"),
    m.RoleGroup: (Entity.ROLE_GROUP, "id"),
    m.RoleGroupRight: (Entity.ROLE_GROUP, "role_group_id"),
    m.SavedSearch: (Entity.SAVED_SEARCH, "id"),
    m.SystemSettings: (Entity.SETTINGS, "id"),
}

# Columns the controller derives (or the ORM bumps); a change of only these is
# reported in the summary but not written to the audit trail.
DERIVED = {"last_activity_at", "next_follow_up_date", "updated_at", "version"}

_AUDIT_INSERT = insert(cast(Table, m.AuditEntry.__table__))


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.key: jsonable(getattr(obj, c.key)) for c in mapper.column_attrs}


class UnitOfWork:
    """Attached to one write session for one controller operation."""

    def __init__(
        self, session: Session, operation: str, user_id: int | None, now: datetime | None = None
    ) -> None:
        """``now``: the operation's time (the controller's clock), for the audit trail."""
        self.session = session
        self.now = now
        self.operation = operation
        self.user_id = user_id
        self.created: dict[Entity, set[int]] = defaultdict(set)
        self.updated: dict[Entity, set[int]] = defaultdict(set)
        self.deleted: dict[Entity, set[int]] = defaultdict(set)
        self._audit: list[dict[str, Any]] = []
        self._annotations: dict[tuple[type, int], dict[str, Any]] = {}
        event.listen(session, "after_flush", self._after_flush)

    def _after_flush(self, session: Session, _ctx: Any) -> None:
        for obj in session.new:
            self._note(obj, "create", None, _columns(obj))
        for obj in session.dirty:
            if not session.is_modified(obj, include_collections=False):
                continue
            state = inspect(obj)
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            for attr in state.mapper.column_attrs:
                hist = state.attrs[attr.key].history
                if hist.has_changes():
                    before[attr.key] = jsonable(hist.deleted[0]) if hist.deleted else None
                    after[attr.key] = jsonable(hist.added[0]) if hist.added else None
            if after:
                self._note(obj, "update", before, after)
        for obj in session.deleted:
            self._note(obj, "delete", _columns(obj), None)

    def _note(
        self, obj: Any, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None
    ) -> None:
        kind = ENTITY_OF.get(type(obj))
        if kind is None:
            return
        entity, id_attr = kind
        entity_id = getattr(obj, id_attr)
        target = {"create": self.created, "update": self.updated, "delete": self.deleted}[action]
        target[entity].add(entity_id)
        if action == "update" and after is not None and set(after) <= DERIVED:
            return
        extra = self._annotations.pop((type(obj), id(obj)), None)
        if extra and after is not None:
            after = {**after, **extra}
        self._audit.append(
            {
                "user_id": self.user_id,
                "operation": self.operation,
                "action": action,
                "entity": obj.__tablename__,
                "entity_id": entity_id,
                "before": before,
                "after": after,
                "at": self.now or m.utcnow(),
            }
        )

    def annotate(self, obj: Any, **extra: Any) -> None:
        """Keep ``extra`` (e.g. the reason of a correction) with ``obj``'s audit entry."""
        self._annotations.setdefault((type(obj), id(obj)), {}).update(
            {k: v for k, v in extra.items() if v is not None}
        )

    def external_update(
        self,
        entity: Entity,
        table: str,
        entity_id: int,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> None:
        """Summarize and audit a row changed set-based, outside the ORM."""
        self.updated[entity].add(entity_id)
        self._audit.append(
            {
                "user_id": self.user_id,
                "operation": self.operation,
                "action": "update",
                "entity": table,
                "entity_id": entity_id,
                "before": before,
                "after": after,
                "at": self.now or m.utcnow(),
            }
        )

    def note_updated(self, entity: Entity, entity_id: int) -> None:
        """Report a change made outside the ORM (a derived column) in the summary."""
        self.updated[entity].add(entity_id)

    def finish(self, result_id: int | None = None) -> ChangeSummary:
        """Flush, write the audit trail, and summarize. Call inside the transaction."""
        self.session.flush()
        event.remove(self.session, "after_flush", self._after_flush)
        if self._audit:
            # Core executemany on the transaction's connection: the rows are plain
            # dicts, the ORM's bulk insert would only add its bookkeeping.
            self.session.connection().execute(_AUDIT_INSERT, self._audit)
        updated = {k: v - self.created.get(k, set()) for k, v in self.updated.items()}
        return ChangeSummary.build(self.created, updated, self.deleted, result_id)

    def abandon(self) -> None:
        if event.contains(self.session, "after_flush", self._after_flush):
            event.remove(self.session, "after_flush", self._after_flush)
