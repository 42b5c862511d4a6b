"""What the administration shows: users, teams, role groups, campaigns with
their statuses and workflow, activity types and the system settings.

Plain frozen rows, each list read in one go (they are short: tens of users,
a handful of campaigns); the counts beside them (open follow-ups per user,
records per status) are one grouped query each, over indexed columns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, not_, select
from sqlalchemy.orm import Session, aliased

from akquise_desktop import models as m
from akquise_desktop.models import FollowUpState, Module, Scope


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    display_name: str
    email: str | None
    team_id: int | None
    team_name: str | None
    role_group_id: int
    role_group_name: str
    is_admin: bool
    time_zone: str
    default_follow_up_days: int
    active: bool
    open_follow_ups: int = 0


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    members: int = 0


@dataclass(frozen=True)
class RoleGroupRow:
    id: int
    name: str
    is_admin: bool
    follow_up_requires_activity: bool
    activity_requires_follow_up: bool
    rights: dict[Module, Scope] = field(default_factory=dict)
    users: int = 0  # active members

    def scope(self, module: Module) -> Scope:
        return Scope.ALL if self.is_admin else self.rights.get(module, Scope.NONE)


@dataclass(frozen=True)
class StatusRow:
    id: int
    campaign_id: int
    name: str
    position: int
    color: str
    progress: int
    is_active: bool
    is_final: bool
    is_start: bool
    next_ids: tuple[int, ...] = ()  # allowed next statuses, the default first
    default_next_id: int | None = None
    records: int = 0  # memberships in this status


@dataclass(frozen=True)
class CampaignRow:
    id: int
    name: str
    description: str | None
    active: bool
    statuses: tuple[StatusRow, ...] = ()

    @property
    def records(self) -> int:
        return sum(s.records for s in self.statuses)

    def status(self, status_id: int) -> StatusRow | None:
        return next((s for s in self.statuses if s.id == status_id), None)


@dataclass(frozen=True)
class ActivityTypeRow:
    id: int
    name: str
    icon: str
    position: int
    active: bool


@dataclass(frozen=True)
class SettingsRow:
    company_name: str | None = None
    default_follow_up_days: int = 7
    recurring_follow_ups: bool = True
    working_days: frozenset[int] = frozenset(range(5))  # Python weekdays, Monday = 0
    holiday_region: str | None = None
    default_language: str = "de"
    phone_region: str = "DE"
    version: int = 0  # 0: no row yet (the defaults)


def users(s: Session) -> tuple[UserRow, ...]:
    u, t, g, fu = m.User, m.Team, m.RoleGroup, m.FollowUp
    open_counts = dict(
        s.execute(
            select(fu.assignee_id, func.count())
            .where(fu.state == FollowUpState.OPEN.value)
            .group_by(fu.assignee_id)
        ).all()
    )
    rows = s.execute(
        select(u, t.name, g.name, g.is_admin)
        .join(g, g.id == u.role_group_id)
        .outerjoin(t, t.id == u.team_id)
        .order_by(func.lower(u.display_name), u.id)
    ).all()
    return tuple(
        UserRow(
            id=user.id,
            login=user.login,
            display_name=user.display_name,
            email=user.email,
            team_id=user.team_id,
            team_name=team_name,
            role_group_id=user.role_group_id,
            role_group_name=group_name,
            is_admin=bool(is_admin),
            time_zone=user.time_zone,
            default_follow_up_days=user.default_follow_up_days,
            active=bool(user.active),
            open_follow_ups=open_counts.get(user.id, 0),
        )
        for user, team_name, group_name, is_admin in rows
    )


def teams(s: Session) -> tuple[TeamRow, ...]:
    t, u = m.Team, m.User
    members = dict(
        s.execute(select(u.team_id, func.count()).where(u.active).group_by(u.team_id)).all()
    )
    return tuple(
        TeamRow(id=i, name=name, members=members.get(i, 0))
        for i, name in s.execute(select(t.id, t.name).order_by(func.lower(t.name), t.id))
    )


def role_groups(s: Session) -> tuple[RoleGroupRow, ...]:
    g, r, u = m.RoleGroup, m.RoleGroupRight, m.User
    rights: dict[int, dict[Module, Scope]] = defaultdict(dict)
    for group_id, module, scope in s.execute(select(r.role_group_id, r.module, r.scope)):
        try:
            rights[group_id][Module(module)] = Scope(scope)
        except ValueError:  # a right this program does not know
            continue
    counts = dict(
        s.execute(
            select(u.role_group_id, func.count()).where(u.active).group_by(u.role_group_id)
        ).all()
    )
    rows = s.execute(
        select(
            g.id, g.name, g.is_admin, g.follow_up_requires_activity, g.activity_requires_follow_up
        ).order_by(g.is_admin.desc(), func.lower(g.name), g.id)
    ).all()
    return tuple(
        RoleGroupRow(
            id=i,
            name=name,
            is_admin=bool(admin),
            follow_up_requires_activity=bool(fra),
            activity_requires_follow_up=bool(arf),
            rights=dict(rights.get(i, {})),
            users=counts.get(i, 0),
        )
        for i, name, admin, fra, arf in rows
    )


def campaigns(s: Session) -> tuple[CampaignRow, ...]:
    c, st, tr, cm = m.Campaign, m.CampaignStatus, m.StatusTransition, m.CampaignMembership
    records = dict(s.execute(select(cm.status_id, func.count()).group_by(cm.status_id)).all())
    nexts: dict[int, list[tuple[bool, int, int]]] = defaultdict(list)
    for from_id, to_id, position, is_default in s.execute(
        select(tr.from_status_id, tr.to_status_id, tr.position, tr.is_default)
    ):
        nexts[from_id].append((not is_default, position, to_id))
    statuses: dict[int, list[StatusRow]] = defaultdict(list)
    for row in s.scalars(select(st).order_by(st.campaign_id, st.position, st.id)):
        ordered = [to_id for _not_default, _pos, to_id in sorted(nexts.get(row.id, []))]
        default = next((to for nd, _p, to in nexts.get(row.id, []) if not nd), None)
        statuses[row.campaign_id].append(
            StatusRow(
                id=row.id,
                campaign_id=row.campaign_id,
                name=row.name,
                position=row.position,
                color=row.color,
                progress=row.progress,
                is_active=bool(row.is_active),
                is_final=bool(row.is_final),
                is_start=bool(row.is_start),
                next_ids=tuple(ordered),
                default_next_id=default,
                records=records.get(row.id, 0),
            )
        )
    return tuple(
        CampaignRow(
            id=camp.id,
            name=camp.name,
            description=camp.description,
            active=bool(camp.active),
            statuses=tuple(statuses.get(camp.id, [])),
        )
        for camp in s.scalars(select(c).order_by(func.lower(c.name), c.id))
    )


def activity_types(s: Session) -> tuple[ActivityTypeRow, ...]:
    at = m.ActivityType
    return tuple(
        ActivityTypeRow(id=i, name=name, icon=icon, position=pos, active=bool(active))
        for i, name, icon, pos, active in s.execute(
            select(at.id, at.name, at.icon, at.position, at.active).order_by(at.position, at.id)
        )
    )


def system_settings(s: Session) -> SettingsRow:
    row = s.get(m.SystemSettings, m.SETTINGS_ID)
    if row is None:
        return SettingsRow()
    return SettingsRow(
        company_name=row.company_name,
        default_follow_up_days=row.default_follow_up_days,
        recurring_follow_ups=bool(row.recurring_follow_ups),
        working_days=row.working_weekdays(),
        holiday_region=row.holiday_region,
        default_language=row.default_language,
        phone_region=row.phone_region or "DE",
        version=row.version,
    )


def dead_if_active(s: Session, campaign_id: int) -> int:
    """How many records reactivating ``campaign_id`` makes dead: a non-final
    status in it, no open follow-up, and not dead already through another
    active campaign (what *Tote Kunden* would show more)."""
    cm, st, fu, c = m.CampaignMembership, m.CampaignStatus, m.FollowUp, m.Campaign
    other = aliased(cm)
    other_status = aliased(st)
    has_open = (
        select(fu.id)
        .where(fu.record_id == cm.record_id, fu.state == FollowUpState.OPEN.value)
        .exists()
    )
    dead_already = (
        select(other.id)
        .join(other_status, other_status.id == other.status_id)
        .join(c, c.id == other.campaign_id)
        .where(
            other.record_id == cm.record_id,
            other.campaign_id != campaign_id,
            c.active,
            not_(other_status.is_final),
        )
        .exists()
    )
    return (
        s.scalar(
            select(func.count())
            .select_from(cm)
            .join(st, st.id == cm.status_id)
            .where(
                cm.campaign_id == campaign_id,
                not_(st.is_final),
                not_(has_open),
                not_(dead_already),
            )
        )
        or 0
    )


@dataclass(frozen=True)
class AdminRights:
    """What of the administration the acting user may use: the controller's
    checks (``_require_admin``; ``_require_campaigns``, ``_require_settings``:
    scope all, which administrators always have)."""

    is_admin: bool = False
    campaigns: Scope = Scope.NONE
    settings: Scope = Scope.NONE


def admin_rights(s: Session, user_id: int) -> AdminRights:
    user = s.get(m.User, user_id)
    if user is None or not user.active:
        return AdminRights()
    group = user.role_group
    return AdminRights(
        is_admin=bool(group.is_admin),
        campaigns=group.scope(Module.CAMPAIGNS),
        settings=group.scope(Module.SETTINGS),
    )


@dataclass(frozen=True)
class MergeCounts:
    """What merging a status moves: its memberships and its status history."""

    memberships: int
    history: int


def merge_counts(s: Session, status_id: int) -> MergeCounts:
    """How many memberships and status changes (from or to it) merging
    ``status_id`` into another status moves (what the merge dialog says)."""
    cm, sc = m.CampaignMembership, m.StatusChange
    memberships = s.scalar(select(func.count()).where(cm.status_id == status_id)) or 0
    history = (
        s.scalar(
            select(func.count()).where(
                (sc.from_status_id == status_id) | (sc.to_status_id == status_id)
            )
        )
        or 0
    )
    return MergeCounts(memberships=memberships, history=history)
