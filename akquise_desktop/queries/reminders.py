"""The tray reminders' one question: how many open follow-ups of a user are
due (today or overdue), and which ones lie in a short window of dates around
now — the ones that may have fallen due since the last check and the next
ones to fall due (:mod:`akquise_desktop.desktop.reminders` decides what to
announce and when to ask again).

One statement, one round trip: the count and the window both walk the index
``follow_up(assignee_id, state, due_date, id)`` (``ix_follow_up_assignee_open_due``)
— the count as a range ``due_date <= :today``, the window as a range
``:since <= due_date <= :until`` that stops after ``:limit`` rows. No new index
is needed. Built on the Core tables of :mod:`._exec` (no model import), so it
may run early after the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from sqlalchemy import Date, Integer, bindparam, func, literal, select, true

from ._exec import FOLLOW_UP, FOLLOW_UP_OPEN, RECORD, limit_param, rows, statement

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

WINDOW_LIMIT = 200


@dataclass(frozen=True)
class DueFollowUp:
    """An open follow-up of the user, as a reminder names it."""

    id: int
    version: int
    record_id: int
    record_name: str
    instruction: str
    due_date: date
    due_time: time | None
    time_zone: str
    priority: int


@dataclass(frozen=True)
class DueCheck:
    """``count``: the user's open follow-ups due on or before ``today``
    (overdue and due today, as the follow-up list's buckets count them);
    ``window``: those with a due date in ``[since, until]``, by date and id."""

    count: int
    window: tuple[DueFollowUp, ...]


@statement
def _due_statement():
    fu, record = FOLLOW_UP.c, RECORD.c
    mine = (
        fu.assignee_id == bindparam("user_id", type_=Integer),
        fu.state == FOLLOW_UP_OPEN,
    )
    count = (
        select(func.count())
        .select_from(FOLLOW_UP)
        .where(*mine, fu.due_date <= bindparam("today", type_=Date))
        .scalar_subquery()
    )
    window = (
        select(
            fu.id,
            fu.version,
            fu.record_id,
            record.name.label("record_name"),
            fu.instruction,
            fu.due_date,
            fu.due_time,
            fu.time_zone,
            fu.priority,
        )
        .select_from(FOLLOW_UP)
        .join(RECORD, record.id == fu.record_id)
        .where(
            *mine,
            fu.due_date >= bindparam("since", type_=Date),
            fu.due_date <= bindparam("until", type_=Date),
        )
        .order_by(fu.due_date, fu.id)
        .limit(limit_param())
        .subquery("w")
    )
    # One row with the count even when the window is empty.
    one = select(literal(1).label("one")).subquery("one")
    w = window.c
    return (
        select(
            count,
            w.id,
            w.version,
            w.record_id,
            w.record_name,
            w.instruction,
            w.due_date,
            w.due_time,
            w.time_zone,
            w.priority,
        )
        .select_from(one)
        .outerjoin(window, true())
        .order_by(w.due_date, w.id)
    )


def due_check(
    s: Session, user_id: int, *, today: date, since: date, until: date,
    limit: int = WINDOW_LIMIT,
) -> DueCheck:  # fmt: skip
    """The count of due and overdue follow-ups of ``user_id`` (seen from
    ``today``) and up to ``limit`` of them due between ``since`` and ``until``."""
    found = rows(
        s,
        _due_statement(),
        {"user_id": user_id, "today": today, "since": since, "until": until, "limit": limit},
    )
    count = int(found[0][0]) if found else 0
    window = tuple(
        DueFollowUp(r[1], r[2], r[3], r[4], r[5] or "", r[6], r[7], r[8] or "", int(r[9]))
        for r in found
        if r[1] is not None
    )
    return DueCheck(count, window)
