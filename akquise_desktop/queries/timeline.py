"""A record's timeline: activities, open and done follow-ups, status changes.

Newest first, paged by keyset: each source is read in order up to one page
past a cursor and the sources are merged, so a record with thousands of
activities costs one page at a time. Open follow-ups (the record's future)
come first, on the first page.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from akquise_desktop import models as m

PAGE = 50
MAX_OPEN = 500

ACTIVITY = "activity"
STATUS_CHANGE = "status_change"
FOLLOW_UP = "follow_up"

# Among entries at the same moment, higher ranks come first: a completed
# follow-up and a status change appear right above the activity that did them.
RANK = {ACTIVITY: 1, STATUS_CHANGE: 2, FOLLOW_UP: 3}

Cursor = tuple[datetime, int, int]  # (at, rank, id) of the last entry shown


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # ACTIVITY, STATUS_CHANGE or FOLLOW_UP
    id: int
    at: datetime | None  # when it happened; None for an open follow-up
    due_date: date | None  # follow-ups
    due_time: time | None
    title: str  # subject, instruction, or "campaign: status"
    author: str | None  # who did it (activity/status change), assignee (follow-up)
    type_name: str | None  # activity type
    icon: str | None  # activity type icon
    state: str | None  # follow-up state
    priority: int  # follow-up priority
    from_status: str | None  # status changes
    to_status: str | None
    color: str | None  # status colour

    @property
    def cursor(self) -> Cursor | None:
        return None if self.at is None else (self.at, RANK[self.kind], self.id)


@dataclass(frozen=True)
class TimelinePage:
    entries: tuple[TimelineEntry, ...]
    next_cursor: Cursor | None  # None: this was the last page


def _after(at_col, id_col, rank: int, cursor: Cursor | None):
    """Keyset condition: strictly after ``cursor`` in (at desc, rank desc, id desc)."""
    if cursor is None:
        return None
    c_at, c_rank, c_id = cursor
    if rank < c_rank:
        return at_col <= c_at
    if rank > c_rank:
        return at_col < c_at
    return or_(at_col < c_at, and_(at_col == c_at, id_col < c_id))


def _entry(kind: str, id_: int, at: datetime | None, title: str, **kw) -> TimelineEntry:
    values = dict(
        due_date=None, due_time=None, author=None, type_name=None, icon=None, state=None,
        priority=0, from_status=None, to_status=None, color=None,
    )  # fmt: skip
    values.update(kw)
    return TimelineEntry(kind=kind, id=id_, at=at, title=title, **values)


def _activities(s: Session, record_id: int, cursor: Cursor | None, limit: int):
    a = m.Activity
    cond = _after(a.occurred_at, a.id, RANK[ACTIVITY], cursor)
    query = (
        select(a.id, a.occurred_at, a.subject, m.User.display_name, m.ActivityType.name,
               m.ActivityType.icon)
        .join(m.User, m.User.id == a.user_id)
        .join(m.ActivityType, m.ActivityType.id == a.type_id)
        .where(a.record_id == record_id)
        .order_by(a.occurred_at.desc(), a.id.desc())
        .limit(limit)
    )  # fmt: skip
    if cond is not None:
        query = query.where(cond)
    return [
        _entry(ACTIVITY, r[0], r[1], r[2], author=r[3], type_name=r[4], icon=r[5])
        for r in s.execute(query)
    ]


def _status_changes(s: Session, record_id: int, cursor: Cursor | None, limit: int):
    sc, a = m.StatusChange, m.Activity
    old, new = aliased(m.CampaignStatus), aliased(m.CampaignStatus)
    cond = _after(a.occurred_at, sc.id, RANK[STATUS_CHANGE], cursor)
    query = (
        select(sc.id, a.occurred_at, m.Campaign.name, old.name, new.name, new.color,
               m.User.display_name)
        .join(a, a.id == sc.activity_id)
        .join(m.Campaign, m.Campaign.id == sc.campaign_id)
        .outerjoin(old, old.id == sc.from_status_id)
        .join(new, new.id == sc.to_status_id)
        .join(m.User, m.User.id == a.user_id)
        # The activity is the record's own (an invariant); saying so lets the
        # planner walk ix_activity_record_occurred instead of all activities.
        .where(sc.record_id == record_id, a.record_id == record_id)
        .order_by(a.occurred_at.desc(), sc.id.desc())
        .limit(limit)
    )  # fmt: skip
    if cond is not None:
        query = query.where(cond)
    return [
        _entry(STATUS_CHANGE, r[0], r[1], r[2], from_status=r[3], to_status=r[4], color=r[5],
               author=r[6])
        for r in s.execute(query)
    ]  # fmt: skip


def _done_follow_ups(s: Session, record_id: int, cursor: Cursor | None, limit: int):
    """Done follow-ups, at the time of the activity that completed them."""
    fu, a = m.FollowUp, m.Activity
    cond = _after(a.occurred_at, fu.id, RANK[FOLLOW_UP], cursor)
    query = (
        select(fu.id, a.occurred_at, fu.instruction, m.User.display_name, fu.due_date,
               fu.due_time, fu.priority)
        .join(a, a.id == fu.completed_by_activity_id)
        .join(m.User, m.User.id == fu.assignee_id)
        .where(
            fu.record_id == record_id,
            fu.state == m.FollowUpState.DONE,
            a.record_id == record_id,  # see _status_changes
        )
        .order_by(a.occurred_at.desc(), fu.id.desc())
        .limit(limit)
    )  # fmt: skip
    if cond is not None:
        query = query.where(cond)
    return [
        _entry(FOLLOW_UP, r[0], r[1], r[2], author=r[3], due_date=r[4], due_time=r[5],
               priority=r[6], state=m.FollowUpState.DONE.value)
        for r in s.execute(query)
    ]  # fmt: skip


def _open_follow_ups(s: Session, record_id: int) -> list[TimelineEntry]:
    """Open follow-ups, latest due first (the far future at the very top)."""
    fu = m.FollowUp
    query = (
        select(fu.id, fu.instruction, m.User.display_name, fu.due_date, fu.due_time, fu.priority)
        .join(m.User, m.User.id == fu.assignee_id)
        .where(fu.record_id == record_id, fu.state == m.FollowUpState.OPEN)
        .order_by(fu.due_date.desc(), fu.id.desc())
        .limit(MAX_OPEN)
    )
    return [
        _entry(FOLLOW_UP, r[0], None, r[1], author=r[2], due_date=r[3], due_time=r[4],
               priority=r[5], state=m.FollowUpState.OPEN.value)
        for r in s.execute(query)
    ]  # fmt: skip


def _sort_key(e: TimelineEntry):
    assert e.at is not None
    return (e.at, RANK[e.kind], e.id)


def timeline_page(
    session: Session, record_id: int, cursor: Cursor | None = None, limit: int = PAGE
) -> TimelinePage:
    """One page of the timeline after ``cursor`` (None: the first page)."""
    limit = max(1, limit)
    streams = [
        fetch(session, record_id, cursor, limit + 1)
        for fetch in (_activities, _status_changes, _done_follow_ups)
    ]
    merged = heapq.merge(*streams, key=_sort_key, reverse=True)
    past: list[TimelineEntry] = []
    for entry in merged:
        past.append(entry)
        if len(past) > limit:
            break
    has_more = len(past) > limit
    past = past[:limit]
    head = _open_follow_ups(session, record_id) if cursor is None else []
    next_cursor = past[-1].cursor if has_more and past else None
    return TimelinePage(tuple(head + past), next_cursor)


# --- details of one entry ---------------------------------------------------------------


@dataclass(frozen=True)
class ActivityInfo:
    id: int
    occurred_at: datetime
    type_name: str
    icon: str
    author: str
    contact: str | None
    subject: str
    text: str
    duration_minutes: int | None
    corrected_at: datetime | None
    # (campaign, from status or None, to status, to colour)
    status_changes: tuple[tuple[str, str | None, str, str], ...] = ()
    # (follow-up id, instruction, due date) completed by this activity
    completed: tuple[tuple[int, str, date], ...] = ()
    # (follow-up id, instruction, due date, state) this activity set
    follow_ups: tuple[tuple[int, str, date, str], ...] = ()


@dataclass(frozen=True)
class FollowUpInfo:
    id: int
    record_id: int
    state: str
    due_date: date
    due_time: time | None
    priority: int
    instruction: str
    assignee: str
    created_by: str
    created_at: datetime
    completed_at: datetime | None
    recurrence: str | None
    occurrence: int
    source: ActivityInfo | None  # "zugehörige Aktivität"
    completed_by: ActivityInfo | None


@dataclass(frozen=True)
class StatusChangeInfo:
    id: int
    campaign: str
    from_status: str | None
    to_status: str
    color: str
    activity: ActivityInfo


def activity_info(session: Session, activity_id: int) -> ActivityInfo | None:
    a = m.Activity
    row = session.execute(
        select(a.id, a.occurred_at, m.ActivityType.name, m.ActivityType.icon,
               m.User.display_name, m.Contact.first_name, m.Contact.last_name, a.subject, a.text,
               a.duration_minutes, a.corrected_at)
        .join(m.ActivityType, m.ActivityType.id == a.type_id)
        .join(m.User, m.User.id == a.user_id)
        .outerjoin(m.Contact, m.Contact.id == a.contact_id)
        .where(a.id == activity_id)
    ).first()  # fmt: skip
    if row is None:
        return None
    contact = " ".join(p for p in (row[5], row[6]) if p) or None
    sc = m.StatusChange
    old, new = aliased(m.CampaignStatus), aliased(m.CampaignStatus)
    changes = tuple(
        tuple(r)
        for r in session.execute(
            select(m.Campaign.name, old.name, new.name, new.color)
            .select_from(sc)
            .join(m.Campaign, m.Campaign.id == sc.campaign_id)
            .outerjoin(old, old.id == sc.from_status_id)
            .join(new, new.id == sc.to_status_id)
            .where(sc.activity_id == activity_id)
            .order_by(sc.id)
        )
    )
    fu = m.FollowUp
    completed = tuple(
        tuple(r)
        for r in session.execute(
            select(fu.id, fu.instruction, fu.due_date)
            .where(fu.completed_by_activity_id == activity_id)
            .order_by(fu.id)
        )
    )
    created = tuple(
        tuple(r)
        for r in session.execute(
            select(fu.id, fu.instruction, fu.due_date, fu.state)
            .where(fu.source_activity_id == activity_id)
            .order_by(fu.id)
        )
    )
    return ActivityInfo(
        row[0], row[1], row[2], row[3], row[4], contact, row[7], row[8] or "", row[9], row[10],
        changes, completed, created,  # type: ignore[arg-type]
    )  # fmt: skip


def follow_up_info(session: Session, follow_up_id: int) -> FollowUpInfo | None:
    fu = m.FollowUp
    assignee, creator = aliased(m.User), aliased(m.User)
    row = session.execute(
        select(fu.id, fu.record_id, fu.state, fu.due_date, fu.due_time, fu.priority,
               fu.instruction, assignee.display_name, creator.display_name, fu.created_at,
               fu.completed_at, fu.recurrence, fu.occurrence, fu.source_activity_id,
               fu.completed_by_activity_id)
        .join(assignee, assignee.id == fu.assignee_id)
        .join(creator, creator.id == fu.created_by_id)
        .where(fu.id == follow_up_id)
    ).first()  # fmt: skip
    if row is None:
        return None
    source = activity_info(session, row[13]) if row[13] is not None else None
    done_by = activity_info(session, row[14]) if row[14] is not None else None
    return FollowUpInfo(*row[:13], source=source, completed_by=done_by)


def status_change_info(session: Session, status_change_id: int) -> StatusChangeInfo | None:
    sc = m.StatusChange
    old, new = aliased(m.CampaignStatus), aliased(m.CampaignStatus)
    row = session.execute(
        select(sc.id, m.Campaign.name, old.name, new.name, new.color, sc.activity_id)
        .join(m.Campaign, m.Campaign.id == sc.campaign_id)
        .outerjoin(old, old.id == sc.from_status_id)
        .join(new, new.id == sc.to_status_id)
        .where(sc.id == status_change_id)
    ).first()
    if row is None:
        return None
    activity = activity_info(session, row[5])
    assert activity is not None  # status changes cascade with their activity
    return StatusChangeInfo(row[0], row[1], row[2], row[3], row[4], activity)


def entry_info(session: Session, kind: str, entry_id: int):
    """The details of one timeline entry (None if it is gone)."""
    if kind == ACTIVITY:
        return activity_info(session, entry_id)
    if kind == FOLLOW_UP:
        return follow_up_info(session, entry_id)
    if kind == STATUS_CHANGE:
        return status_change_info(session, entry_id)
    raise ValueError(f"unknown timeline entry kind {kind!r}")
