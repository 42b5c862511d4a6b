"""A follow-up's history from the audit trail: who created, rescheduled,
reassigned, completed or cancelled it, with the values before and after
(e.g. the previous assignee and date after a rebooking)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from akquise_desktop import models as m

# Columns a reader cares about; bookkeeping columns are left out.
SHOWN = (
    "assignee_id",
    "due_date",
    "due_time",
    "priority",
    "instruction",
    "state",
    "recurrence",
    "recurrence_anchor",
    "recurrence_shift",
    "completed_by_activity_id",
)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user_id: int | None
    user_name: str | None
    operation: str  # the controller operation, e.g. "update_follow_up", "bulk_rebook"
    action: str  # "create", "update", "delete"
    # field -> (before, after), JSON values (dates as ISO text); before is None
    # for a creation.
    changes: Mapping[str, tuple[Any, Any]]


def history(session: Session, follow_up_id: int) -> list[HistoryEntry]:
    """Oldest first."""
    rows = session.execute(
        select(m.AuditEntry, m.User.display_name)
        .outerjoin(m.User, m.User.id == m.AuditEntry.user_id)
        .where(m.AuditEntry.entity == "follow_up", m.AuditEntry.entity_id == follow_up_id)
        .order_by(m.AuditEntry.id)
    )
    entries = []
    for entry, name in rows:
        before = entry.before or {}
        after = entry.after or {}
        keys = [k for k in SHOWN if k in before or k in after]
        changes = {k: (before.get(k), after.get(k)) for k in keys}
        entries.append(
            HistoryEntry(entry.at, entry.user_id, name, entry.operation, entry.action, changes)
        )
    return entries
