"""Dead records ("Tote Kunden"): records in an active campaign with a
non-final status and no open follow-up (rule 4) — count and keyset pages,
longest silent first.

The candidates come from ``record(next_follow_up_date, id)``: a record has no
open follow-up exactly when that denormalized date is empty (the controller
keeps it in the same transaction). The open-follow-up test is repeated on the
few candidates, so a stale date can never make a live record look dead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, SQLCoreOperations

from akquise_desktop import models as m
from akquise_desktop.models import FollowUpState

PAGE_SIZE = 100


@dataclass(frozen=True)
class DeadFilter:
    """All dead records, or those owned by one user or by the members of a team."""

    owner_id: int | None = None
    team_id: int | None = None


@dataclass(frozen=True)
class CampaignStatusText:
    campaign: str
    status: str
    color: str


@dataclass(frozen=True)
class DeadRecordRow:
    id: int
    name: str
    city: str | None
    owner_name: str | None
    last_activity_at: datetime | None
    statuses: tuple[CampaignStatusText, ...] = ()

    @property
    def key(self) -> tuple[datetime | None, int]:
        return (self.last_activity_at, self.id)


@dataclass(frozen=True)
class DeadRecords:
    count: int
    rows: list[DeadRecordRow]


def _live_status_ids(s: Session) -> list[int]:
    """The non-final statuses of active campaigns (a short list)."""
    return list(
        s.scalars(
            select(m.CampaignStatus.id)
            .join(m.Campaign, m.Campaign.id == m.CampaignStatus.campaign_id)
            .where(m.Campaign.active, not_(m.CampaignStatus.is_final))
        )
    )


def _live_membership(s: Session) -> ColumnElement[bool]:
    """The record has a membership in a live status.

    SQLite runs the correlated join once per candidate, fast. PostgreSQL would
    turn it into a hash semi-join over every live membership of the database
    (most of them); a short list of live status ids and an ``OFFSET 0`` fence
    keep it a per-candidate index probe, about twice as fast at 100,000 records.
    """
    cm = m.CampaignMembership
    if s.get_bind().dialect.name == "sqlite":
        return exists(
            select(cm.id)
            .join(m.CampaignStatus, m.CampaignStatus.id == cm.status_id)
            .join(m.Campaign, m.Campaign.id == cm.campaign_id)
            .where(cm.record_id == m.Record.id, m.Campaign.active, not_(m.CampaignStatus.is_final))
        )
    live = _live_status_ids(s)
    return exists(
        select(cm.id).where(cm.record_id == m.Record.id, cm.status_id.in_(live)).offset(0)
    )


def _conditions(s: Session, f: DeadFilter) -> list[ColumnElement[bool]]:
    open_follow_up = exists(
        select(m.FollowUp.id).where(
            m.FollowUp.record_id == m.Record.id, m.FollowUp.state == FollowUpState.OPEN
        )
    )
    conditions = [m.Record.next_follow_up_date.is_(None), _live_membership(s), ~open_follow_up]
    if f.owner_id is not None:
        conditions.append(m.Record.owner_id == f.owner_id)
    if f.team_id is not None:
        conditions.append(
            m.Record.owner_id.in_(select(m.User.id).where(m.User.team_id == f.team_id))
        )
    return conditions


def dead_count(s: Session, f: DeadFilter = DeadFilter()) -> int:
    return int(s.scalar(select(func.count()).select_from(m.Record).where(*_conditions(s, f))) or 0)


def _after(after: tuple[datetime | None, int]) -> ColumnElement[bool]:
    r = m.Record
    last, ident = after
    if last is None:
        return or_(
            and_(r.last_activity_at.is_(None), r.id > ident), r.last_activity_at.is_not(None)
        )
    return and_(
        r.last_activity_at.is_not(None),
        or_(r.last_activity_at > last, and_(r.last_activity_at == last, r.id > ident)),
    )


def _page(
    s: Session,
    f: DeadFilter,
    after: tuple[datetime | None, int] | None,
    limit: int,
    *,
    with_count: bool,
) -> tuple[list[DeadRecordRow], int]:
    r = m.Record
    conditions = _conditions(s, f)
    if after is not None:
        conditions.append(_after(after))
    # id, name, city, owner name, last activity [, count]: DeadRecordRow's fields
    columns: list[SQLCoreOperations[Any]] = [
        r.id, r.name, r.city, m.User.display_name, r.last_activity_at,
    ]  # fmt: skip
    if with_count:
        # every matching row's count, computed in the same pass as the sort
        columns.append(func.count().over())
    rows = s.execute(
        select(*columns)
        .outerjoin(m.User, m.User.id == r.owner_id)
        .where(*conditions)
        .order_by(r.last_activity_at.is_not(None), r.last_activity_at, r.id)
        .limit(limit)
    ).all()
    statuses = _statuses(s, [row[0] for row in rows])
    result = [
        DeadRecordRow(
            row[0], row[1], row[2], row[3], row[4], statuses=tuple(statuses.get(row[0], ()))
        )
        for row in rows
    ]
    return result, (int(rows[0][5]) if with_count and rows else 0)


def dead_page(
    s: Session,
    f: DeadFilter = DeadFilter(),
    *,
    after: tuple[datetime | None, int] | None = None,
    limit: int = PAGE_SIZE,
) -> list[DeadRecordRow]:
    """Dead records by (last activity, id), never-active ones first, after the key ``after``."""
    return _page(s, f, after, limit, with_count=False)[0]


def dead_records(
    s: Session, f: DeadFilter = DeadFilter(), *, limit: int = PAGE_SIZE
) -> DeadRecords:
    """The count and the first ``limit`` rows, in one query."""
    rows, count = _page(s, f, None, limit, with_count=True)
    return DeadRecords(count, rows)


def _statuses(s: Session, record_ids: list[int]) -> dict[int, list[CampaignStatusText]]:
    """Each record's statuses in active campaigns (the reason it counts as live)."""
    if not record_ids:
        return {}
    result: dict[int, list[CampaignStatusText]] = {}
    for rid, campaign, status, color in s.execute(
        select(
            m.CampaignMembership.record_id,
            m.Campaign.name,
            m.CampaignStatus.name,
            m.CampaignStatus.color,
        )
        .join(m.Campaign, m.Campaign.id == m.CampaignMembership.campaign_id)
        .join(m.CampaignStatus, m.CampaignStatus.id == m.CampaignMembership.status_id)
        .where(
            m.CampaignMembership.record_id.in_(record_ids),
            m.Campaign.active,
            not_(m.CampaignStatus.is_final),
        )
        .order_by(m.CampaignMembership.record_id, m.Campaign.name)
    ):
        result.setdefault(rid, []).append(CampaignStatusText(campaign, status, color))
    return result
