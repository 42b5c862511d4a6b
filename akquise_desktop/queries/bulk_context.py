"""What the bulk-editing and rebooking dialogs need to know, in one worker call:
the acting user's bulk right, and the short choice lists (users, teams, active
campaigns with their statuses, activity types). Plain frozen dataclasses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope

ID_BATCH = 500


@dataclass(frozen=True)
class UserChoice:
    id: int
    name: str
    team_id: int | None
    active: bool


@dataclass(frozen=True)
class TeamChoice:
    id: int
    name: str


@dataclass(frozen=True)
class StatusChoice:
    id: int
    name: str
    color: str
    is_final: bool


@dataclass(frozen=True)
class CampaignChoice:
    id: int
    name: str
    statuses: tuple[StatusChoice, ...]


@dataclass(frozen=True)
class TypeChoice:
    id: int
    name: str
    icon: str


@dataclass(frozen=True)
class BulkContext:
    user_id: int
    user_name: str
    team_id: int | None
    role_group: str
    bulk_scope: Scope  # Scope.NONE: no bulk right
    default_follow_up_days: int
    users: tuple[UserChoice, ...]  # active and inactive (a leaver's follow-ups)
    teams: tuple[TeamChoice, ...]
    campaigns: tuple[CampaignChoice, ...]  # active ones
    activity_types: tuple[TypeChoice, ...]  # active ones

    @property
    def may_bulk(self) -> bool:
        return self.bulk_scope is not Scope.NONE

    def user_name_of(self, user_id: int | None) -> str:
        return next((u.name for u in self.users if u.id == user_id), f"#{user_id}")

    def status_name_of(self, status_id: int | None) -> str:
        for campaign in self.campaigns:
            for status in campaign.statuses:
                if status.id == status_id:
                    return status.name
        return "—" if status_id is None else f"#{status_id}"


def bulk_context(s: Session, user_id: int) -> BulkContext:
    actor = s.get(m.User, user_id)
    if actor is None:
        raise DomainError(Rule.UNKNOWN_USER, user=user_id)
    users = tuple(
        UserChoice(*row)
        for row in s.execute(
            select(m.User.id, m.User.display_name, m.User.team_id, m.User.active).order_by(
                m.User.active.desc(), m.User.display_name, m.User.id
            )
        )
    )
    teams = tuple(
        TeamChoice(*row) for row in s.execute(select(m.Team.id, m.Team.name).order_by(m.Team.name))
    )
    statuses: dict[int, list[StatusChoice]] = {}
    for campaign_id, status_id, name, color, is_final in s.execute(
        select(
            m.CampaignStatus.campaign_id,
            m.CampaignStatus.id,
            m.CampaignStatus.name,
            m.CampaignStatus.color,
            m.CampaignStatus.is_final,
        )
        .join(m.Campaign, m.Campaign.id == m.CampaignStatus.campaign_id)
        .where(m.Campaign.active, m.CampaignStatus.is_active)
        .order_by(m.CampaignStatus.position, m.CampaignStatus.id)
    ):
        statuses.setdefault(campaign_id, []).append(StatusChoice(status_id, name, color, is_final))
    campaigns = tuple(
        CampaignChoice(cid, name, tuple(statuses.get(cid, ())))
        for cid, name in s.execute(
            select(m.Campaign.id, m.Campaign.name)
            .where(m.Campaign.active)
            .order_by(m.Campaign.name)
        )
    )
    types = tuple(
        TypeChoice(*row)
        for row in s.execute(
            select(m.ActivityType.id, m.ActivityType.name, m.ActivityType.icon)
            .where(m.ActivityType.active)
            .order_by(m.ActivityType.position, m.ActivityType.id)
        )
    )
    return BulkContext(
        user_id=actor.id,
        user_name=actor.display_name,
        team_id=actor.team_id,
        role_group=actor.role_group.name,
        bulk_scope=actor.role_group.scope(Module.BULK_EDIT),
        default_follow_up_days=actor.default_follow_up_days,
        users=users,
        teams=teams,
        campaigns=campaigns,
        activity_types=types,
    )


def records_of_follow_ups(s: Session, follow_up_ids: Sequence[int]) -> list[int]:
    """The distinct records of some follow-ups, in the order first seen."""
    found: dict[int, int] = {}
    ids = list(follow_up_ids)
    for start in range(0, len(ids), ID_BATCH):
        batch = ids[start : start + ID_BATCH]
        rows = {
            fu_id: record_id
            for fu_id, record_id in s.execute(
                select(m.FollowUp.id, m.FollowUp.record_id).where(m.FollowUp.id.in_(batch))
            )
        }
        for fu_id in batch:
            if fu_id in rows:
                found.setdefault(rows[fu_id], fu_id)
    return list(found)


@dataclass(frozen=True)
class RunRow:
    """One bulk run of the user, for the undo list."""

    id: int
    operation: str
    state: str
    total: int
    changed: int
    refused: int
    created_at: datetime
    undone_at: datetime | None
    undo_refused: int

    @property
    def undoable(self) -> bool:
        return self.state != m.BulkRunState.UNDONE and self.changed > 0


def bulk_runs(s: Session, user_id: int, limit: int = 20) -> tuple[RunRow, ...]:
    """The user's latest bulk runs (rebookings included), newest first."""
    run = m.BulkRun
    return tuple(
        RunRow(*row)
        for row in s.execute(
            select(
                run.id,
                run.operation,
                run.state,
                run.total,
                run.changed,
                run.refused,
                run.created_at,
                run.undone_at,
                run.undo_refused,
            )
            .where(run.user_id == user_id)
            .order_by(run.created_at.desc(), run.id.desc())
            .limit(limit)
        )
    )
