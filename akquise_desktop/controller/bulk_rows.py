"""Set-based writes for bulk operations: versioned updates, deletions, the
audit trail and the bulk journal, and the records' derived columns.

The ORM's unit of work audits what the ORM flushes; these statements bypass
the ORM for speed (10,000 rows in one statement each), so they write the
audit entries and report the change summary themselves, in the same format.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Date, DateTime, Table, Time, bindparam, func, insert, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import FollowUpState

from .unit_of_work import jsonable

# IN lists and executemany batches stay below every backend's parameter limit.
BATCH = 500
ENTITY_OF_TABLE = {
    "record": Entity.RECORD,
    "follow_up": Entity.FOLLOW_UP,
    "activity": Entity.ACTIVITY,
    "status_change": Entity.STATUS_CHANGE,
    "campaign_membership": Entity.MEMBERSHIP,
}
WHAT_OF_TABLE = {
    "record": ("Datensatz", "Record"),
    "follow_up": ("Wiedervorlage", "Follow-up"),
    "activity": ("Aktivität", "Activity"),
    "status_change": ("Statuswechsel", "Status change"),
    "campaign_membership": ("Kampagnenstatus", "Campaign status"),
}


def batches(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def table_of(name: str) -> Table:
    return m.Base.metadata.tables[name]


def from_json(table: Table, key: str, value: Any) -> Any:
    """A journal value (JSON) back as the column's Python value."""
    if value is None:
        return None
    column_type = table.c[key].type
    if isinstance(column_type, DateTime | m.UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, Time):
        return time.fromisoformat(value)
    return value


@dataclass
class RowUpdate:
    """One versioned row update: ``after`` replaces ``before`` if the row still
    has ``version``."""

    target_id: int
    entity_id: int
    version: int
    before: dict[str, Any]
    after: dict[str, Any]


class Writer:
    """Collects the audit entries and journal rows of one transaction."""

    def __init__(self, session: Session, uow: Any, *, operation: str, user_id: int, now: datetime):
        self.session = session
        self.uow = uow
        self.operation = operation
        self.user_id = user_id
        self.now = now
        self.audit: list[dict[str, Any]] = []
        self.journal: list[dict[str, Any]] = []

    # --- versioned updates -------------------------------------------------------

    def update_versioned(
        self, table_name: str, updates: Sequence[RowUpdate], *, run_id: int | None, touch: bool
    ) -> None:
        """UPDATE each row to ``after`` where it still has ``version``; bumps the
        version (and ``updated_at`` if ``touch``). The rows must be locked by
        the caller (checked versions in this transaction)."""
        table = table_of(table_name)
        groups: dict[tuple[str, ...], list[RowUpdate]] = defaultdict(list)
        for upd in updates:
            groups[tuple(sorted(upd.after))].append(upd)
        for keys, rows in groups.items():
            values: dict[str, Any] = {k: bindparam(f"v_{k}", type_=table.c[k].type) for k in keys}
            values["version"] = table.c.version + 1
            if touch:
                values["updated_at"] = bindparam("v_now", type_=table.c.updated_at.type)
            stmt = (
                table.update()
                .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
                .values(values)
            )
            for batch in batches(rows):
                params = [
                    {
                        "b_id": r.entity_id,
                        "b_version": r.version,
                        "v_now": self.now,
                        **{f"v_{k}": r.after[k] for k in keys},
                    }
                    for r in batch
                ]
                result = self.session.execute(stmt, params)
                dialect = self.session.get_bind().dialect
                if dialect.supports_sane_multi_rowcount and result.rowcount != len(batch):
                    what_de, what_en = WHAT_OF_TABLE[table_name]
                    raise DomainError(Rule.STALE, what_de=what_de, what_en=what_en, id="?")
        entity = ENTITY_OF_TABLE[table_name]
        for upd in updates:
            self.uow.note_updated(entity, upd.entity_id)
            self._audit("update", table_name, upd.entity_id, upd.before, upd.after)
            if run_id is not None:
                self.journal.append(
                    {
                        "run_id": run_id,
                        "target_id": upd.target_id,
                        "entity": table_name,
                        "entity_id": upd.entity_id,
                        "action": m.BulkChangeAction.UPDATE.value,
                        "before": _json(upd.before),
                        "after": _json(upd.after),
                        "version_after": upd.version + 1,
                    }
                )

    # --- deletions ---------------------------------------------------------------

    def delete_rows(self, table_name: str, ids: Sequence[int]) -> None:
        """DELETE rows by id, auditing each with its full contents."""
        if not ids:
            return
        table = table_of(table_name)
        entity = ENTITY_OF_TABLE[table_name]
        for batch in batches(list(ids)):
            rows = self.session.execute(select(table).where(table.c.id.in_(batch))).mappings()
            for row in rows:
                self._audit("delete", table_name, row["id"], _json(dict(row)), None)
                self.uow.deleted[entity].add(row["id"])
            self.session.execute(table.delete().where(table.c.id.in_(batch)))

    # --- journal of created rows --------------------------------------------------

    def journal_created(
        self,
        run_id: int,
        target_id: int,
        table_name: str,
        entity_id: int,
        *,
        after: dict[str, Any] | None = None,
        version_after: int | None = None,
    ) -> None:
        self.journal.append(
            {
                "run_id": run_id,
                "target_id": target_id,
                "entity": table_name,
                "entity_id": entity_id,
                "action": m.BulkChangeAction.CREATE.value,
                "before": None,
                "after": _json(after) if after else None,
                "version_after": version_after,
            }
        )

    def journal_update(
        self,
        run_id: int,
        target_id: int,
        table_name: str,
        entity_id: int,
        before: dict[str, Any],
        after: dict[str, Any],
        version_after: int | None,
    ) -> None:
        self.journal.append(
            {
                "run_id": run_id,
                "target_id": target_id,
                "entity": table_name,
                "entity_id": entity_id,
                "action": m.BulkChangeAction.UPDATE.value,
                "before": _json(before),
                "after": _json(after),
                "version_after": version_after,
            }
        )

    # --- flush ------------------------------------------------------------------

    def _audit(
        self,
        action: str,
        table_name: str,
        entity_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self.audit.append(
            {
                "user_id": self.user_id,
                "operation": self.operation,
                "action": action,
                "entity": table_name,
                "entity_id": entity_id,
                "before": _json(before) if before is not None else None,
                "after": _json(after) if after is not None else None,
                "at": self.now,
            }
        )

    def flush(self) -> None:
        """Write the collected audit entries and journal rows."""
        for batch in batches(self.audit, 1000):
            self.session.execute(insert(m.AuditEntry), list(batch))
        for batch in batches(self.journal, 1000):
            self.session.execute(insert(m.BulkChange), list(batch))
        self.audit.clear()
        self.journal.clear()


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {k: jsonable(v) for k, v in values.items()}


# --- derived record columns ------------------------------------------------------------


def refresh_derived(
    session: Session, uow: Any, record_ids: Iterable[int], *, last_activity: bool = False
) -> None:
    """Recompute the records' next follow-up date (and, with ``last_activity``,
    the last activity time) in SQL, without bumping their version, as the
    controller does."""
    ids = sorted(set(record_ids))
    if not ids:
        return
    record = m.Record.__table__
    fu = m.FollowUp.__table__
    activity = m.Activity.__table__
    values: dict[str, Any] = {
        "next_follow_up_date": select(func.min(fu.c.due_date))
        .where(fu.c.record_id == record.c.id, fu.c.state == FollowUpState.OPEN.value)
        .scalar_subquery()
    }
    if last_activity:
        values["last_activity_at"] = (
            select(func.max(activity.c.occurred_at))
            .where(activity.c.record_id == record.c.id)
            .scalar_subquery()
        )
    for batch in batches(ids):
        session.execute(record.update().where(record.c.id.in_(batch)).values(values))
    for rid in ids:
        uow.note_updated(Entity.RECORD, rid)
