"""Which records a change summary concerns (:func:`records_touched`), for the
views that show one record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary, Entity


def records_touched(session: Session, summary: ChangeSummary) -> set[int]:
    """The ids of the records a change summary concerns (for views showing one)."""
    found = set(summary.ids(Entity.RECORD))
    owners = (
        (Entity.CONTACT, m.Contact),
        (Entity.FOLLOW_UP, m.FollowUp),
        (Entity.ACTIVITY, m.Activity),
        (Entity.MEMBERSHIP, m.CampaignMembership),
        (Entity.STATUS_CHANGE, m.StatusChange),
    )
    for entity, model in owners:
        ids = summary.ids(entity) - summary.deleted.get(entity, frozenset())
        if ids:
            found.update(
                session.scalars(select(model.record_id).where(model.id.in_(sorted(ids))).distinct())
            )
    return found
