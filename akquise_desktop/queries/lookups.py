"""Small reference lists for filters and dialogs: users, teams, campaigns,
statuses, activity types. Plain tuples, loaded in one go (they are short)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary, Entity


@dataclass(frozen=True)
class UserItem:
    id: int
    login: str
    display_name: str
    team_id: int | None
    active: bool


@dataclass(frozen=True)
class TeamItem:
    id: int
    name: str


@dataclass(frozen=True)
class StatusItem:
    id: int
    campaign_id: int
    name: str
    color: str
    progress: int
    position: int
    is_active: bool
    is_final: bool
    is_start: bool


@dataclass(frozen=True)
class CampaignItem:
    id: int
    name: str
    active: bool
    statuses: tuple[StatusItem, ...]


@dataclass(frozen=True)
class ActivityTypeItem:
    id: int
    name: str
    icon: str
    active: bool


@dataclass(frozen=True)
class Lookups:
    users: tuple[UserItem, ...]
    teams: tuple[TeamItem, ...]
    campaigns: tuple[CampaignItem, ...]
    activity_types: tuple[ActivityTypeItem, ...]

    def user(self, user_id: int | None) -> UserItem | None:
        return next((u for u in self.users if u.id == user_id), None)

    def campaign(self, campaign_id: int | None) -> CampaignItem | None:
        return next((c for c in self.campaigns if c.id == campaign_id), None)

    def status(self, status_id: int | None) -> StatusItem | None:
        for c in self.campaigns:
            for s in c.statuses:
                if s.id == status_id:
                    return s
        return None


# Entities whose change makes the lookups stale.
LOOKUP_ENTITIES = (
    Entity.USER,
    Entity.TEAM,
    Entity.CAMPAIGN,
    Entity.CAMPAIGN_STATUS,
    Entity.ACTIVITY_TYPE,
)


def affects_lookups(summary: ChangeSummary) -> bool:
    return summary.touches(*LOOKUP_ENTITIES)


def users(session: Session, *, active_only: bool = False) -> tuple[UserItem, ...]:
    query = select(m.User.id, m.User.login, m.User.display_name, m.User.team_id, m.User.active)
    if active_only:
        query = query.where(m.User.active)
    query = query.order_by(func.lower(m.User.display_name), m.User.id)
    return tuple(UserItem(*row) for row in session.execute(query))


def teams(session: Session) -> tuple[TeamItem, ...]:
    query = select(m.Team.id, m.Team.name).order_by(func.lower(m.Team.name), m.Team.id)
    return tuple(TeamItem(*row) for row in session.execute(query))


def campaigns(session: Session) -> tuple[CampaignItem, ...]:
    """Every campaign (active first, by name) with its statuses in workflow order."""
    cs = m.CampaignStatus
    statuses: dict[int, list[StatusItem]] = {}
    for row in session.execute(
        select(
            cs.id,
            cs.campaign_id,
            cs.name,
            cs.color,
            cs.progress,
            cs.position,
            cs.is_active,
            cs.is_final,
            cs.is_start,
        ).order_by(cs.campaign_id, cs.position, cs.id)
    ):
        statuses.setdefault(row.campaign_id, []).append(StatusItem(*row))
    query = select(m.Campaign.id, m.Campaign.name, m.Campaign.active).order_by(
        m.Campaign.active.desc(), func.lower(m.Campaign.name), m.Campaign.id
    )
    return tuple(
        CampaignItem(cid, name, active, tuple(statuses.get(cid, ())))
        for cid, name, active in session.execute(query)
    )


def activity_types(session: Session) -> tuple[ActivityTypeItem, ...]:
    t = m.ActivityType
    query = select(t.id, t.name, t.icon, t.active).order_by(t.position, t.id)
    return tuple(ActivityTypeItem(*row) for row in session.execute(query))


def load(session: Session) -> Lookups:
    return Lookups(users(session), teams(session), campaigns(session), activity_types(session))


def status_counts(session: Session) -> dict[int, int]:
    """Number of records in each campaign status (status id -> count)."""
    mem = m.CampaignMembership
    query = select(mem.status_id, func.count(mem.id)).group_by(mem.status_id)
    return {status_id: count for status_id, count in session.execute(query)}


@dataclass(frozen=True)
class CampaignOverview:
    campaigns: tuple[CampaignItem, ...]
    counts: dict[int, int]  # status id -> records


def campaign_overview(session: Session) -> CampaignOverview:
    return CampaignOverview(campaigns(session), status_counts(session))
