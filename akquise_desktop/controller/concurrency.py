"""Concurrent writers: one lock order, retries, and version conflicts with the
current values.

**Lock order.** Every write that touches a record and its follow-ups locks the
record row first, then the follow-ups it changes in id order; several records
are locked in id order, all of them before any follow-up. The lock is ``FOR NO
KEY UPDATE`` (what an ``UPDATE`` of non-key columns takes itself): it queues
writers of the same record without blocking inserts that merely reference it.
Since a follow-up is only ever locked by a transaction that already holds its
record, and records are taken in ascending order, two writers can never wait
for each other in a circle. SQLite needs none of this: its ``BEGIN IMMEDIATE``
write transaction holds the whole database.

**Retries.** Should the database still report a deadlock or a serialisation
failure (or the ORM a version mismatch of a row it was about to update), the
controller runs the whole transaction again, a bounded number of times with a
short jittered pause (:func:`retry_reason`, :func:`pause`).

**Version conflicts** are :class:`DomainError` ``concurrency.stale``, with the
current values of the row and who changed it last and when (from the audit
trail), so the UI can show "changed by X at Y: yours / theirs"
(:func:`stale_error`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from akquise_desktop import models as m
from akquise_desktop.core.errors import DomainError, Rule

from .labels import FIELD_NAMES

# The whole transaction is tried this often before a conflict is given up.
MAX_ATTEMPTS = 3
# First pause between attempts (seconds); doubled each time, jittered ±50 %.
BACKOFF = 0.02

# PostgreSQL's SQLSTATEs worth a retry of the whole transaction.
DEADLOCK = "40P01"
SERIALIZATION_FAILURE = "40001"
# The storage layer's refusal for a connection it cut while waiting for the
# server's answer (storage/postgres.py): a keyed save may try once more.
NO_REPLY = "storage.no_reply"

# What a conflict reports per table: the fields a user edits there.
CURRENT_FIELDS = {
    "record": (
        "name", "kind", "street", "postal_code", "city", "country", "phone", "email",
        "website", "industry", "notes", "owner_id",
    ),
    "contact": (
        "salutation", "title", "first_name", "last_name", "position", "phone", "mobile",
        "email", "notes",
    ),
    "follow_up": (
        "state", "due_date", "due_time", "assignee_id", "priority", "instruction",
        "recurrence", "completed_by_activity_id", "completed_at", "cancelled_at",
    ),
    "activity": ("subject", "text", "corrected_at"),
    "campaign_membership": ("status_id", "since"),
}  # fmt: skip
WHAT_OF_TABLE = {
    "record": ("Datensatz", "Record"),
    "contact": ("Ansprechpartner", "Contact"),
    "follow_up": ("Wiedervorlage", "Follow-up"),
    "activity": ("Aktivität", "Activity"),
    "status_change": ("Statuswechsel", "Status change"),
    "campaign_membership": ("Kampagnenstatus", "Campaign status"),
}
STATE_CHANGES = {
    "done": ("erledigt", "completed"),
    "cancelled": ("storniert", "cancelled"),
    "open": ("wieder geöffnet", "reopened"),
}
# Bookkeeping columns a change of which is not worth naming.
_NOT_NAMED = {
    "version", "updated_at", "last_activity_at", "next_follow_up_date", "reason",
    "completed_at", "completed_by_activity_id", "cancelled_at", "cancelled_by_id",
    "corrected_at", "series_start_date", "time_zone",
}  # fmt: skip


# --- lock order ------------------------------------------------------------------------


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _lock_ids(session: Session, table: Any, ids: Iterable[int]) -> None:
    """``SELECT … FOR NO KEY UPDATE`` of ``table``'s rows ``ids``, taken in id order."""
    wanted = sorted(set(ids))
    if not wanted or not _is_postgresql(session):
        return
    session.execute(
        select(table.c.id)
        .where(table.c.id == func.any(bindparam("ids", type_=ARRAY(Integer))))
        .order_by(table.c.id)
        .with_for_update(key_share=True),
        {"ids": wanted},
    )


def lock_records(session: Session, record_ids: Iterable[int]) -> None:
    """Lock records in id order: the first step of every write that touches
    records and their follow-ups (PostgreSQL; on SQLite the write transaction
    already excludes every other writer)."""
    _lock_ids(session, m.Record.__table__, record_ids)


def lock_follow_ups(session: Session, follow_up_ids: Iterable[int]) -> None:
    """Lock follow-ups in id order; their records must be locked already."""
    _lock_ids(session, m.FollowUp.__table__, follow_up_ids)


def lock_record_of(session: Session, table: Any, row_id: int) -> int | None:
    """Lock the record a row (follow-up, contact, activity) belongs to; its id,
    or None when there is no such row. A row never moves to another record, so
    the record read before the lock stays the row's record."""
    record_id = session.scalar(select(table.c.record_id).where(table.c.id == row_id))
    if record_id is not None:
        lock_records(session, [record_id])
    return record_id


# --- retries ---------------------------------------------------------------------------


def retry_reason(exc: BaseException, *, replayable: bool = False) -> str | None:
    """Why the failed transaction may run again ("deadlock", "serialization",
    "stale_data", "disconnect"), or None if it may not.

    A lost connection is worth another attempt only for a ``replayable`` call
    (a keyed save): its COMMIT may have reached the server, and only the key
    tells the second attempt so."""
    if isinstance(exc, DomainError):
        return "disconnect" if replayable and exc.rule_id == NO_REPLY else None
    if isinstance(exc, StaleDataError):
        return "stale_data"
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        if code == DEADLOCK:
            return "deadlock"
        if code == SERIALIZATION_FAILURE:
            return "serialization"
        if replayable and exc.connection_invalidated:
            return "disconnect"
    return None


def pause(attempt: int) -> None:
    """The jittered pause after failed attempt number ``attempt`` (1, 2, …)."""
    time.sleep(BACKOFF * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))


# --- version conflicts -----------------------------------------------------------------


def stale_error(
    session: Session,
    table_name: str,
    entity_id: Any,
    *,
    expected_version: int | None = None,
    zone: str = "Europe/Berlin",
) -> DomainError:
    """``concurrency.stale`` for a row whose version is no longer the one the
    user saw, read in the refused transaction (which holds the row's lock).

    Parameters besides the message's: ``version`` (the row's now; None: the
    row is gone), ``expected_version``, ``current`` (field -> value now: the
    "theirs" of the conflict), ``changed_by`` / ``changed_by_id`` /
    ``changed_at`` / ``change`` (the operation) / ``changed_fields`` of the
    last change, and ``detail_de`` / ``detail_en`` naming it in words.
    """
    what_de, what_en = WHAT_OF_TABLE.get(table_name, (table_name, table_name))
    params: dict[str, Any] = {
        "what_de": what_de,
        "what_en": what_en,
        "id": entity_id,
        "table": table_name,
        "expected_version": expected_version,
        "version": None,
        "current": None,
        "changed_by": None,
        "changed_by_id": None,
        "changed_at": None,
        "change": None,
        "changed_fields": (),
        "detail_de": "",
        "detail_en": "",
    }
    if not isinstance(entity_id, int):
        return DomainError(Rule.STALE, **params)
    table = m.Base.metadata.tables[table_name]
    row = session.execute(select(table).where(table.c.id == entity_id)).mappings().first()
    if row is not None:
        params["version"] = row.get("version")
        params["current"] = {k: row[k] for k in CURRENT_FIELDS.get(table_name, ()) if k in row}
    audit = m.AuditEntry
    last = session.execute(
        select(
            audit.user_id, audit.at, audit.operation, audit.action, audit.after, m.User.display_name
        )
        .outerjoin(m.User, m.User.id == audit.user_id)
        .where(audit.entity == table_name, audit.entity_id == entity_id)
        .order_by(audit.id.desc())
        .limit(1)
    ).first()
    if last is not None:
        user_id, at, operation, action, after, name = last
        fields = _named_fields(table, action, after)
        params.update(
            changed_by=name,
            changed_by_id=user_id,
            changed_at=at,
            change=operation,
            changed_fields=fields,
        )
        params["detail_de"], params["detail_en"] = _describe(name, at, action, after, fields, zone)
    return DomainError(Rule.STALE, **params)


def _named_fields(table: Any, action: str, after: dict[str, Any] | None) -> tuple[str, ...]:
    """The fields an update changed, in the table's column order (JSONB on
    PostgreSQL keeps its own key order)."""
    if action != "update" or not after:
        return ()
    return tuple(c.key for c in table.c if c.key in after and c.key not in _NOT_NAMED)


def _describe(
    name: str | None,
    at: datetime | None,
    action: str,
    after: dict[str, Any] | None,
    fields: tuple[str, ...],
    zone: str,
) -> tuple[str, str]:
    """'Geändert von X am 12.06.2030 um 10:05 Uhr: Fälligkeit' and its English."""
    who_de = name or "jemand anderem"
    who_en = name or "someone else"
    when_de = when_en = ""
    if at is not None:
        try:
            local = at.astimezone(ZoneInfo(zone))
        except (ValueError, KeyError):
            local = at
        when_de = f" am {local:%d.%m.%Y} um {local:%H:%M} Uhr"
        when_en = f" on {local:%Y-%m-%d} at {local:%H:%M}"
    what_de: list[str] = []
    what_en: list[str] = []
    state = (after or {}).get("state") if action == "update" else None
    if action == "delete":
        what_de, what_en = ["gelöscht"], ["deleted"]
    elif state in STATE_CHANGES:
        de, en = STATE_CHANGES[state]
        what_de.append(de)
        what_en.append(en)
    for f in fields:
        if f == "state":
            continue
        de, en = FIELD_NAMES.get(f, (f, f))
        what_de.append(de)
        what_en.append(en)
    tail_de = f": {', '.join(what_de)}" if what_de else ""
    tail_en = f": {', '.join(what_en)}" if what_en else ""
    return (
        f"Geändert von {who_de}{when_de}{tail_de}.",
        f"Changed by {who_en}{when_en}{tail_en}.",
    )
