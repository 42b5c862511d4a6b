"""The user's saved searches, each with its :class:`~.criteria.RecordCriteria`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m

from .criteria import RecordCriteria


@dataclass(frozen=True)
class SavedSearchRow:
    id: int
    name: str
    criteria: RecordCriteria


def saved_searches(session: Session, user_id: int) -> tuple[SavedSearchRow, ...]:
    """The user's saved searches, by name."""
    s = m.SavedSearch
    query = (
        select(s.id, s.name, s.criteria)
        .where(s.user_id == user_id)
        .order_by(func.lower(s.name), s.id)
    )
    return tuple(
        SavedSearchRow(sid, name, RecordCriteria.from_dict(criteria or {}))
        for sid, name, criteria in session.execute(query)
    )
