"""The journal of bulk changes (Massenbearbeitung, Wiedervorlagen umbuchen).

One :class:`BulkRun` per run; one :class:`BulkChange` per row it changed or
created, with the values before and after and the row's version after the
change. Undo restores ``before`` where the row still has that version, so a
row someone else changed meanwhile is never overwritten.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, UTCDateTime, utcnow


class BulkRunState(StrEnum):
    RUNNING = "running"  # chunks are being written
    DONE = "done"
    CANCELLED = "cancelled"  # stopped by the user; the chunks done are kept
    FAILED = "failed"  # an error stopped it; the chunks done are kept
    UNDONE = "undone"


class BulkChangeAction(StrEnum):
    UPDATE = "update"
    CREATE = "create"


class BulkRun(Base):
    __tablename__ = "bulk_run"
    __table_args__ = (Index("ix_bulk_run_user_created", "user_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    # The operation, e.g. "shift_due_dates", "rebook".
    operation: Mapped[str] = mapped_column(String(40))
    # Its parameters (for the list of runs and the undo dialog).
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    state: Mapped[str] = mapped_column(String(12), default=BulkRunState.RUNNING)
    total: Mapped[int] = mapped_column(Integer, default=0)  # rows selected
    changed: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Rows the undo had to leave as they were (changed by someone else since).
    undo_refused: Mapped[int] = mapped_column(Integer, default=0)


class BulkChange(Base):
    __tablename__ = "bulk_change"
    __table_args__ = (
        Index("ix_bulk_change_run_target", "run_id", "target_id", "id"),
        # The database's chain checks (migration 0010) look rows up by it.
        Index("ix_bulk_change_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("bulk_run.id", ondelete="CASCADE"))
    # The selected row (record or follow-up) this change belongs to; the
    # changes of one target are undone together or not at all.
    target_id: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(40))  # table name
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # The row's version right after the change (None for unversioned rows).
    version_after: Mapped[int | None] = mapped_column(Integer)
