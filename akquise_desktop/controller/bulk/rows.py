"""Set-based writes for bulk operations: versioned updates, deletions, the
audit trail and the bulk journal, and the records' derived columns.

The ORM's unit of work audits what the ORM flushes; these statements bypass
the ORM for speed (10,000 rows in a handful of statements), so they write the
audit entries and report the change summary themselves, in the same format.

PostgreSQL gets one statement per batch that reads its rows from a single
JSON parameter (``jsonb_to_recordset``): one round trip, one prepared
statement and one fast ``json.dumps`` whatever the row count. SQLite runs
in-process, so a prepared statement executed per row (``executemany`` at the
driver level, values converted as the columns' own bind processors do) is the
cheapest there.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import (
    JSON,
    CursorResult,
    Date,
    DateTime,
    Integer,
    Table,
    Time,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import FollowUpState

from ..unit_of_work import jsonable

# IN lists stay below every backend's parameter limit.
BATCH = 500
# Rows per array statement (PostgreSQL) or executemany call (SQLite).
ROWS_PER_STATEMENT = 5000
ENTITY_OF_TABLE = {
    "record": Entity.RECORD,
    "follow_up": Entity.FOLLOW_UP,
    "activity": Entity.ACTIVITY,
    "status_change": Entity.STATUS_CHANGE,
    "campaign_membership": Entity.MEMBERSHIP,
    "contact": Entity.CONTACT,
}
WHAT_OF_TABLE = {
    "record": ("Datensatz", "Record"),
    "follow_up": ("Wiedervorlage", "Follow-up"),
    "activity": ("Aktivität", "Activity"),
    "status_change": ("Statuswechsel", "Status change"),
    "campaign_membership": ("Kampagnenstatus", "Campaign status"),
    "contact": ("Ansprechpartner", "Contact"),
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


def to_json(value: Any) -> str:
    """JSON text, dates and times in ISO format (as in the unit of work's audit)."""
    return json.dumps(value, ensure_ascii=False, default=jsonable)


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
    """Writes set-based changes of one transaction and collects their audit
    entries and journal rows."""

    def __init__(self, session: Session, uow: Any, *, operation: str, user_id: int, now: datetime):
        self.session = session
        self.uow = uow
        self.operation = operation
        self.user_id = user_id
        self.now = now
        self.audit: list[dict[str, Any]] = []
        self.journal: list[dict[str, Any]] = []

    @property
    def is_postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    # --- versioned updates -------------------------------------------------------

    def update_versioned(
        self, table_name: str, updates: Sequence[RowUpdate], *, run_id: int | None, touch: bool
    ) -> None:
        """UPDATE each row to ``after`` where it still has ``version``; bumps the
        version (and ``updated_at`` if ``touch``). The rows must be locked by
        the caller (versions checked in this transaction)."""
        table = table_of(table_name)
        groups: dict[tuple[str, ...], list[RowUpdate]] = defaultdict(list)
        for upd in updates:
            groups[tuple(sorted(upd.after))].append(upd)
        for keys, rows in groups.items():
            for batch in batches(rows, ROWS_PER_STATEMENT):
                if self.is_postgresql:
                    count = self._update_pg(table, keys, batch, touch=touch)
                else:
                    count = self._update_sqlite(table, keys, batch, touch=touch)
                if count != len(batch):
                    what_de, what_en = WHAT_OF_TABLE[table_name]
                    raise DomainError(Rule.STALE, what_de=what_de, what_en=what_en, id="?")
        entity = ENTITY_OF_TABLE[table_name]
        for upd in updates:
            self.uow.note_updated(entity, upd.entity_id)
            before, after = upd.before, upd.after
            self._audit("update", table_name, upd.entity_id, before, after)
            if run_id is not None:
                self._journal(
                    run_id,
                    upd.target_id,
                    table_name,
                    upd.entity_id,
                    m.BulkChangeAction.UPDATE,
                    before,
                    after,
                    upd.version + 1,
                )

    def _update_sqlite(
        self, table: Table, keys: tuple[str, ...], rows: Sequence[RowUpdate], *, touch: bool
    ) -> int:
        dialect = self.session.get_bind().dialect
        q = dialect.identifier_preparer.quote
        sets = [f"{q(k)} = ?" for k in keys] + ["version = version + 1"]
        if touch:
            sets.append("updated_at = ?")
        sql = f"UPDATE {q(table.name)} SET {', '.join(sets)} WHERE id = ? AND version = ?"
        convert = [_converter(table, k, dialect) or _same for k in keys]
        now = ((_converter(table, "updated_at", dialect) or _same)(self.now),) if touch else ()
        params = [
            (
                *(c(r.after[k]) for c, k in zip(convert, keys, strict=True)),
                *now,
                r.entity_id,
                r.version,
            )
            for r in rows
        ]
        return self.session.connection().exec_driver_sql(sql, params).rowcount

    def _update_pg(
        self, table: Table, keys: tuple[str, ...], rows: Sequence[RowUpdate], *, touch: bool
    ) -> int:
        dialect = self.session.get_bind().dialect
        q = dialect.identifier_preparer.quote
        sets = [f"{q(k)} = v.{q(k)}" for k in keys] + ["version = t.version + 1"]
        if touch:
            sets.append("updated_at = :now")
        columns = ", ".join(
            ["b_id INTEGER", "b_version INTEGER"]
            + [f"{q(k)} {_pg_type(table, k, dialect)}" for k in keys]
        )
        sql = text(
            f"UPDATE {q(table.name)} AS t SET {', '.join(sets)} "
            f"FROM jsonb_to_recordset(CAST(:rows AS JSONB)) AS v({columns}) "
            "WHERE t.id = v.b_id AND t.version = v.b_version"
        )
        data = [{"b_id": r.entity_id, "b_version": r.version, **r.after} for r in rows]
        result = self.session.execute(sql, {"rows": to_json(data), "now": self.now})
        return cast(CursorResult[Any], result).rowcount

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
                self._audit("delete", table_name, row["id"], dict(row), None)
                self.uow.deleted[entity].add(row["id"])
            if self.session.get_bind().dialect.name == "postgresql":
                # Users may not delete history: the server deletes what bulk
                # runs created, for their user (migration 0009).
                self.session.execute(
                    text("SELECT akq_bulk_undo_delete(:entity, :ids)"),
                    {"entity": table_name, "ids": list(batch)},
                )
            else:
                self.session.execute(table.delete().where(table.c.id.in_(batch)))

    # --- journal -----------------------------------------------------------------

    def journal_created(
        self,
        run_id: int,
        target_id: int,
        table_name: str,
        entity_id: int,
        *,
        version_after: int | None = None,
    ) -> None:
        self._journal(
            run_id,
            target_id,
            table_name,
            entity_id,
            m.BulkChangeAction.CREATE,
            None,
            None,
            version_after,
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
        self._journal(
            run_id,
            target_id,
            table_name,
            entity_id,
            m.BulkChangeAction.UPDATE,
            before,
            after,
            version_after,
        )

    def _journal(
        self,
        run_id: int,
        target_id: int,
        table_name: str,
        entity_id: int,
        action: m.BulkChangeAction,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        version_after: int | None,
    ) -> None:
        self.journal.append(
            {
                "run_id": run_id,
                "target_id": target_id,
                "entity": table_name,
                "entity_id": entity_id,
                "action": action.value,
                "before": before,
                "after": after,
                "version_after": version_after,
            }
        )

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
                "before": before,
                "after": after,
                "at": self.now,
            }
        )

    def flush(self) -> None:
        """Write the collected audit entries and journal rows."""
        shared: dict[int, str] = {}  # audit and journal share before/after dicts
        insert_rows(self.session, table_of("audit_entry"), self.audit, json_cache=shared)
        insert_rows(self.session, table_of("bulk_change"), self.journal, json_cache=shared)
        self.audit.clear()
        self.journal.clear()


def insert_rows(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    json_cache: dict[int, str] | None = None,
) -> None:
    """INSERT many rows (all with the same keys). PostgreSQL: one statement per
    batch reading the rows from one JSON parameter (``jsonb_to_recordset``);
    SQLite: a driver-level executemany."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    q = dialect.identifier_preparer.quote
    keys = list(rows[0])
    columns = ", ".join(q(k) for k in keys)
    for batch in batches(rows, ROWS_PER_STATEMENT):
        if dialect.name == "postgresql":
            typed = ", ".join(f"{q(k)} {_pg_type(table, k, dialect)}" for k in keys)
            sql = text(
                f"INSERT INTO {q(table.name)} ({columns}) SELECT {columns} "
                f"FROM jsonb_to_recordset(CAST(:rows AS JSONB)) AS x({typed})"
            )
            session.execute(sql, {"rows": to_json(list(batch))})
        else:
            marks = ", ".join("?" for _ in keys)
            columns_values = []
            for k in keys:
                convert = _converter(table, k, dialect, json_cache)
                values = [row[k] for row in batch]
                columns_values.append(values if convert is None else [convert(v) for v in values])
            params = list(zip(*columns_values, strict=True))
            session.connection().exec_driver_sql(
                f"INSERT INTO {q(table.name)} ({columns}) VALUES ({marks})", params
            )


def _converter(
    table: Table, key: str, dialect: Any, json_cache: dict[int, str] | None = None
) -> Callable[[Any], Any] | None:
    """The column's own bind conversion (what SQLAlchemy would store), for
    driver-level statements; None where values pass as they are. SQL NULL for
    None; JSON as text (each object once, with ``json_cache``); a repeated
    value converted once."""
    column_type = table.c[key].type
    process: Callable[[Any], Any] | None
    if isinstance(column_type, JSON):
        cache = json_cache if json_cache is not None else {}

        def process(value: Any) -> str:
            text_ = cache.get(id(value))
            if text_ is None:
                text_ = cache[id(value)] = to_json(value)
            return text_

    else:
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    last: list[Any] = [object(), None]

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return convert


def _same(value: Any) -> Any:
    return value


def _pg_type(table: Table, key: str, dialect: Any) -> str:
    return table.c[key].type.compile(dialect=dialect)


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
    record = table_of("record")
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
    if session.get_bind().dialect.name == "postgresql":
        # One statement with an array parameter (one round trip, one plan).
        for batch in batches(ids, ROWS_PER_STATEMENT):
            session.execute(
                record.update()
                .where(record.c.id == func.any(bindparam("ids", type_=ARRAY(Integer))))
                .values(values),
                {"ids": list(batch)},
            )
    else:
        for batch in batches(ids):
            session.execute(record.update().where(record.c.id.in_(batch)).values(values))
    for rid in ids:
        uow.note_updated(Entity.RECORD, rid)
