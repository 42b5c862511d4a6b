"""Recurring series: a next occurrence keeps its series' shift off days off.

The controller creates the next occurrence of a recurring follow-up when the
current one is completed (``previous_id`` set). This hook gives it the
predecessor's ``recurrence_shift`` and moves its due date off weekends and the
region's public holidays. It is idempotent: a date already on a working day
stays, a shift already set is kept.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from akquise_desktop.core.holidays_calendar import shift_off_days_off

from .activities import FollowUp


@event.listens_for(FollowUp, "before_insert")
def _next_occurrence_keeps_shift(_mapper: Any, connection: Any, target: FollowUp) -> None:
    if target.previous_id is None or not target.recurrence:
        return
    if target.recurrence_shift is None:
        target.recurrence_shift = connection.scalar(
            select(FollowUp.recurrence_shift).where(FollowUp.id == target.previous_id)
        )
    if target.recurrence_shift:
        target.due_date = shift_off_days_off(target.due_date, target.recurrence_shift)
