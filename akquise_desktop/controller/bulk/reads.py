"""The read side of bulk editing: the ids to work on, the user's latest
runs (for the undo list)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.models import FollowUpState
from akquise_desktop.storage import Database

from .operations import BulkRunInfo
from .rows import batches

# --- read side ---------------------------------------------------------------------------


def open_follow_up_ids(db: Database, record_ids: Sequence[int]) -> list[int]:
    """The open follow-ups of some records (to shift or reassign them in bulk)."""
    result: list[int] = []
    with db.read() as s:
        for batch in batches(list(record_ids)):
            result.extend(
                s.scalars(
                    select(m.FollowUp.id)
                    .where(
                        m.FollowUp.record_id.in_(batch),
                        m.FollowUp.state == FollowUpState.OPEN,
                    )
                    .order_by(m.FollowUp.due_date, m.FollowUp.id)
                )
            )
    return result


def ids_from_query(session: Session, query: Any) -> list[int]:
    """The ids a search query selects (the "whole current search result")."""
    return list(session.scalars(query))


def recent_runs(db: Database, user_id: int, limit: int = 20) -> list[BulkRunInfo]:
    """A user's latest bulk runs, newest first (for the undo list)."""
    with db.read() as s:
        runs = s.scalars(
            select(m.BulkRun)
            .where(m.BulkRun.user_id == user_id)
            .order_by(m.BulkRun.created_at.desc(), m.BulkRun.id.desc())
            .limit(limit)
        )
        return [
            BulkRunInfo(
                r.id,
                r.operation,
                dict(r.params or {}),
                r.state,
                r.total,
                r.changed,
                r.refused,
                r.created_at,
                r.undone_at,
                r.undo_refused,
            )
            for r in runs
        ]
