"""The activity stream ("Aktivitätsstrom"): every activity, newest first,
filterable by user, team, type and time; keyset-paged over
``activity(occurred_at, id)`` or ``activity(user_id, occurred_at, id)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from akquise_desktop import models as m

PAGE_SIZE = 100
EXCERPT = 160


@dataclass(frozen=True)
class StreamFilter:
    """``since`` inclusive, ``until`` exclusive (time-zone aware)."""

    user_id: int | None = None
    team_id: int | None = None
    type_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class StatusChangeText:
    campaign: str
    from_status: str | None
    to_status: str
    to_color: str


@dataclass(frozen=True)
class StreamRow:
    id: int
    occurred_at: datetime
    user_id: int
    user_name: str
    type_name: str
    type_icon: str
    record_id: int
    record_name: str
    subject: str
    excerpt: str  # the start of the text, one line
    status_changes: tuple[StatusChangeText, ...] = ()

    @property
    def key(self) -> tuple[datetime, int]:
        return (self.occurred_at, self.id)


@dataclass(frozen=True)
class Option:
    id: int
    name: str
    icon: str | None = None


@dataclass(frozen=True)
class StreamOptions:
    users: tuple[Option, ...]
    teams: tuple[Option, ...]
    types: tuple[Option, ...]


def stream_options(s: Session) -> StreamOptions:
    """The choices of the stream's filters."""
    users = tuple(
        Option(*r)
        for r in s.execute(
            select(m.User.id, m.User.display_name).order_by(m.User.display_name, m.User.id)
        )
    )
    teams = tuple(
        Option(*r) for r in s.execute(select(m.Team.id, m.Team.name).order_by(m.Team.name))
    )
    types = tuple(
        Option(*r)
        for r in s.execute(
            select(m.ActivityType.id, m.ActivityType.name, m.ActivityType.icon).order_by(
                m.ActivityType.position, m.ActivityType.id
            )
        )
    )
    return StreamOptions(users, teams, types)


def _conditions(f: StreamFilter) -> list[ColumnElement[bool]]:
    a = m.Activity
    conditions: list[ColumnElement[bool]] = []
    if f.user_id is not None:
        conditions.append(a.user_id == f.user_id)
    if f.team_id is not None:
        conditions.append(a.user_id.in_(select(m.User.id).where(m.User.team_id == f.team_id)))
    if f.type_id is not None:
        conditions.append(a.type_id == f.type_id)
    if f.since is not None:
        conditions.append(a.occurred_at >= f.since)
    if f.until is not None:
        conditions.append(a.occurred_at < f.until)
    return conditions


def _rows(s: Session, ids_query) -> list[StreamRow]:
    a = m.Activity
    page = ids_query.subquery("page")
    rows = s.execute(
        select(
            a.id,
            a.occurred_at,
            a.user_id,
            m.User.display_name,
            m.ActivityType.name,
            m.ActivityType.icon,
            a.record_id,
            m.Record.name,
            a.subject,
            func.substr(a.text, 1, EXCERPT),
        )
        .join(page, page.c.id == a.id)
        .join(m.User, m.User.id == a.user_id)
        .join(m.ActivityType, m.ActivityType.id == a.type_id)
        .join(m.Record, m.Record.id == a.record_id)
        .order_by(a.occurred_at.desc(), a.id.desc())
    ).all()
    changes = _status_changes(s, [r[0] for r in rows])
    return [
        StreamRow(
            *r[:9],
            excerpt=" ".join((r[9] or "").split()),
            status_changes=tuple(changes.get(r[0], ())),
        )
        for r in rows
    ]


def _status_changes(s: Session, activity_ids: list[int]) -> dict[int, list[StatusChangeText]]:
    if not activity_ids:
        return {}
    sc = m.StatusChange
    old = aliased(m.CampaignStatus)
    new = aliased(m.CampaignStatus)
    result: dict[int, list[StatusChangeText]] = {}
    for row in s.execute(
        select(sc.activity_id, m.Campaign.name, old.name, new.name, new.color)
        .join(m.Campaign, m.Campaign.id == sc.campaign_id)
        .outerjoin(old, old.id == sc.from_status_id)
        .join(new, new.id == sc.to_status_id)
        .where(sc.activity_id.in_(activity_ids))
        .order_by(sc.activity_id, sc.id)
    ):
        result.setdefault(row[0], []).append(StatusChangeText(*row[1:]))
    return result


def stream_page(
    s: Session,
    f: StreamFilter,
    *,
    before: tuple[datetime, int] | None = None,
    limit: int = PAGE_SIZE,
) -> list[StreamRow]:
    """Up to ``limit`` activities matching ``f``, newest first, older than ``before``."""
    a = m.Activity
    conditions = _conditions(f)
    if before is not None:
        at, ident = before
        conditions.append(or_(a.occurred_at < at, and_(a.occurred_at == at, a.id < ident)))
    ids = select(a.id).where(*conditions).order_by(a.occurred_at.desc(), a.id.desc()).limit(limit)
    return _rows(s, ids)


def stream_rows(s: Session, f: StreamFilter, ids: Iterable[int]) -> list[StreamRow]:
    """The activities ``ids`` that match ``f`` (for merging new ones into a shown stream)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    a = m.Activity
    return _rows(s, select(a.id).where(a.id.in_(wanted), *_conditions(f)))
