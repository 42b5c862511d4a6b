"""The follow-up list ("Meine Wiedervorlagen"): open follow-ups of one user or
a team, by due date, keyset-paged; counts per due bucket; a follow-up's
source activity in full.

The list query walks ``follow_up(assignee_id, state, due_date, id)`` (one
user) or ``follow_up(state, due_date, id)`` (a team) in index order, so a page
costs the same at any depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import Date, Integer, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from akquise_desktop import models as m
from akquise_desktop.models import FollowUpState

from ._exec import limit_param, rows, statement

PAGE_SIZE = 100


class Bucket(StrEnum):
    """Where a due date lies, seen from today."""

    ALL = "all"
    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"  # after today, up to the end of this calendar week (Sunday)
    LATER = "later"


def week_end(today: date) -> date:
    """The Sunday of ``today``'s calendar week."""
    return today + timedelta(days=6 - today.weekday())


def bucket_of(due: date, today: date) -> Bucket:
    if due < today:
        return Bucket.OVERDUE
    if due == today:
        return Bucket.TODAY
    if due <= week_end(today):
        return Bucket.WEEK
    return Bucket.LATER


@dataclass(frozen=True)
class FollowUpFilter:
    """Whose open follow-ups: one user (``user_id``) or every member of a team
    (``team_id``); and which due bucket, seen from ``today``."""

    today: date
    user_id: int | None = None
    team_id: int | None = None
    bucket: Bucket = Bucket.ALL

    def __post_init__(self) -> None:
        if (self.user_id is None) == (self.team_id is None):
            raise ValueError("exactly one of user_id and team_id")


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    version: int
    record_id: int
    record_name: str
    record_city: str | None
    due_date: date
    due_time: time | None
    priority: int
    instruction: str
    assignee_id: int
    assignee_name: str
    recurrence: str | None
    source_activity_id: int | None
    source_subject: str | None
    source_occurred_at: datetime | None
    source_type_icon: str | None

    @property
    def key(self) -> tuple[date, int]:
        """The keyset position of this row."""
        return (self.due_date, self.id)


@dataclass(frozen=True)
class UserChoice:
    id: int
    name: str
    team_id: int | None


@dataclass(frozen=True)
class ListContext:
    """Who is looking: their team (for "my team") and the users to choose from."""

    user_id: int
    team_id: int | None
    team_name: str | None
    users: tuple[UserChoice, ...]


def list_context(s: Session, user_id: int) -> ListContext:
    row = s.execute(
        select(m.User.team_id, m.Team.name)
        .outerjoin(m.Team, m.Team.id == m.User.team_id)
        .where(m.User.id == user_id)
    ).first()
    team_id, team_name = (row[0], row[1]) if row else (None, None)
    users = tuple(
        UserChoice(*r)
        for r in s.execute(
            select(m.User.id, m.User.display_name, m.User.team_id)
            .where(m.User.active)
            .order_by(m.User.display_name, m.User.id)
        )
    )
    return ListContext(user_id, team_id, team_name, users)


def _who(team: bool) -> ColumnElement[bool]:
    """The assignee condition: ``:user_id``, or a member of ``:team_id``."""
    fu = m.FollowUp
    if not team:
        return fu.assignee_id == bindparam("user_id", type_=Integer)
    members = select(m.User.id).where(m.User.team_id == bindparam("team_id", type_=Integer))
    return fu.assignee_id.in_(members)


def _bucket(bucket: Bucket) -> ColumnElement[bool] | None:
    """The due-date condition of ``bucket``, seen from ``:today`` (week ends ``:week_end``)."""
    due = m.FollowUp.due_date
    today, end = bindparam("today", type_=Date), bindparam("week_end", type_=Date)
    if bucket is Bucket.OVERDUE:
        return due < today
    if bucket is Bucket.TODAY:
        return due == today
    if bucket is Bucket.WEEK:
        return and_(due > today, due <= end)
    if bucket is Bucket.LATER:
        return due > end
    return None


def _conditions(team: bool, bucket: Bucket) -> list[ColumnElement[bool]]:
    conditions = [m.FollowUp.state == FollowUpState.OPEN.value, _who(team)]
    due = _bucket(bucket)
    if due is not None:
        conditions.append(due)
    return conditions


def _params(f: FollowUpFilter) -> dict[str, object]:
    return {
        "user_id": f.user_id,
        "team_id": f.team_id,
        "today": f.today,
        "week_end": week_end(f.today),
    }


@statement
def _page_statement(team: bool, bucket: Bucket, keyset: bool):
    """One user's page joins along ``follow_up(assignee_id, state, due_date, id)``
    in index order and stops after the page. A team's ids are sorted first and
    joined afterwards: PostgreSQL would otherwise join every follow-up of the
    team before sorting (measured: 35 ms instead of 3 ms for a later page)."""
    fu = m.FollowUp
    source = aliased(m.Activity)
    conditions = _conditions(team, bucket)
    if keyset:
        # (due, id) > (:after_due, :after_id); the first term bounds the index range.
        due, ident = bindparam("after_due", type_=Date), bindparam("after_id", type_=Integer)
        conditions += [fu.due_date >= due, or_(fu.due_date > due, fu.id > ident)]
    limit = limit_param()
    query = select(
        fu.id,
        fu.version,
        fu.record_id,
        m.Record.name,
        m.Record.city,
        fu.due_date,
        fu.due_time,
        fu.priority,
        fu.instruction,
        fu.assignee_id,
        m.User.display_name,
        fu.recurrence,
        fu.source_activity_id,
        source.subject,
        source.occurred_at,
        m.ActivityType.icon,
    )
    if team:
        ids = select(fu.id).where(*conditions).order_by(fu.due_date, fu.id).limit(limit)
        page = ids.subquery("page")
        query = query.join_from(fu, page, page.c.id == fu.id)
    else:
        query = query.where(*conditions).limit(limit)
    return (
        query.join(m.Record, m.Record.id == fu.record_id)
        .join(m.User, m.User.id == fu.assignee_id)
        .outerjoin(source, source.id == fu.source_activity_id)
        .outerjoin(m.ActivityType, m.ActivityType.id == source.type_id)
        .order_by(fu.due_date, fu.id)
    )


def follow_up_page(
    s: Session,
    f: FollowUpFilter,
    *,
    after: tuple[date, int] | None = None,
    limit: int = PAGE_SIZE,
) -> list[FollowUpRow]:
    """Up to ``limit`` open follow-ups by (due date, id), after the key ``after``."""
    params = _params(f)
    params["limit"] = limit
    if after is not None:
        params["after_due"], params["after_id"] = after
    stmt = _page_statement(f.team_id is not None, f.bucket, after is not None)
    return [FollowUpRow(*r) for r in rows(s, stmt, params)]


@statement
def _counts_statement(team: bool):
    fu = m.FollowUp
    today, end = bindparam("today", type_=Date), bindparam("week_end", type_=Date)

    def count(cond: ColumnElement[bool]):
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    return select(
        func.count(),
        count(fu.due_date < today),
        count(fu.due_date == today),
        count(and_(fu.due_date > today, fu.due_date <= end)),
        count(fu.due_date > end),
    ).where(*_conditions(team, Bucket.ALL))


def bucket_counts(s: Session, f: FollowUpFilter) -> dict[Bucket, int]:
    """How many open follow-ups of the filter's user or team fall in each bucket
    (the filter's own bucket is ignored)."""
    row = rows(s, _counts_statement(f.team_id is not None), _params(f))[0]
    return {
        Bucket.ALL: int(row[0]),
        Bucket.OVERDUE: int(row[1]),
        Bucket.TODAY: int(row[2]),
        Bucket.WEEK: int(row[3]),
        Bucket.LATER: int(row[4]),
    }


@dataclass(frozen=True)
class ActivityDetail:
    """One activity in full: the "zugehörige Aktivität" of a follow-up."""

    id: int
    record_id: int
    record_name: str
    occurred_at: datetime
    user_name: str
    type_name: str
    type_icon: str
    subject: str
    text: str
    contact: str | None


@dataclass(frozen=True)
class FollowUpDetail:
    """A follow-up with its source activity (None when it has none)."""

    id: int
    state: str
    created_at: datetime
    created_by: str
    source: ActivityDetail | None


def follow_up_detail(s: Session, follow_up_id: int) -> FollowUpDetail | None:
    fu = m.FollowUp
    creator = aliased(m.User)
    row = s.execute(
        select(fu.id, fu.state, fu.created_at, creator.display_name, fu.source_activity_id)
        .join(creator, creator.id == fu.created_by_id)
        .where(fu.id == follow_up_id)
    ).first()
    if row is None:
        return None
    source = activity_detail(s, row[4]) if row[4] is not None else None
    return FollowUpDetail(row[0], row[1], row[2], row[3], source)


def activity_detail(s: Session, activity_id: int) -> ActivityDetail | None:
    row = s.execute(
        select(
            m.Activity.id,
            m.Activity.record_id,
            m.Record.name,
            m.Activity.occurred_at,
            m.User.display_name,
            m.ActivityType.name,
            m.ActivityType.icon,
            m.Activity.subject,
            m.Activity.text,
            m.Contact.title,
            m.Contact.first_name,
            m.Contact.last_name,
        )
        .join(m.Record, m.Record.id == m.Activity.record_id)
        .join(m.User, m.User.id == m.Activity.user_id)
        .join(m.ActivityType, m.ActivityType.id == m.Activity.type_id)
        .outerjoin(m.Contact, m.Contact.id == m.Activity.contact_id)
        .where(m.Activity.id == activity_id)
    ).first()
    if row is None:
        return None
    contact = " ".join(p for p in row[9:12] if p) or None
    return ActivityDetail(*row[:9], contact=contact)
