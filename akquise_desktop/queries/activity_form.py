"""Everything the activity dialog needs for one record, in one worker call.

Returns plain frozen dataclasses, never ORM objects: the dialog lives on the
GUI thread, the query runs on the database worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from akquise_desktop import models as m
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import FollowUpState, Module, Scope


@dataclass(frozen=True)
class ContactOption:
    id: int
    name: str
    position: str | None


@dataclass(frozen=True)
class OpenFollowUp:
    """An open follow-up of the record, as a line of the dialog's check list."""

    id: int
    due_date: date
    due_time: time | None
    priority: int
    instruction: str
    assignee_id: int
    assignee_name: str
    recurrence: str | None
    recurrence_anchor: str
    series_start_date: date | None
    occurrence: int
    source_activity_id: int | None
    source_subject: str | None
    source_contact_id: int | None
    source_type_id: int | None
    time_zone: str = "Europe/Berlin"  # the series' zone (a UTC UNTIL is read there)
    version: int | None = None  # as the user saw it: completing names it


@dataclass(frozen=True)
class StatusOption:
    id: int
    name: str
    color: str
    is_final: bool
    is_default: bool


@dataclass(frozen=True)
class MembershipForm:
    """A record's membership in an active campaign: current status and the
    allowed next statuses (the default one first)."""

    campaign_id: int
    campaign_name: str
    status_id: int
    status_name: str
    status_color: str
    status_is_final: bool
    next_statuses: tuple[StatusOption, ...]


@dataclass(frozen=True)
class ActivityTypeOption:
    id: int
    name: str
    icon: str


@dataclass(frozen=True)
class UserOption:
    id: int
    name: str


@dataclass(frozen=True)
class Actor:
    """The acting user and the parts of the role group the dialog must know."""

    id: int
    name: str
    time_zone: str
    default_follow_up_days: int
    role_group: str
    activity_requires_follow_up: bool
    follow_up_requires_activity: bool
    may_log_activity: bool  # the activities right reaches this record


@dataclass(frozen=True)
class FormDefaults:
    """What the system settings say about a new follow-up."""

    working_days: frozenset[int] = frozenset(range(5))  # Python weekdays, Monday = 0
    holiday_region: str | None = None
    recurring_follow_ups: bool = True


@dataclass(frozen=True)
class ActivityForm:
    record_id: int
    record_name: str
    contacts: tuple[ContactOption, ...]
    open_follow_ups: tuple[OpenFollowUp, ...]
    memberships: tuple[MembershipForm, ...]
    activity_types: tuple[ActivityTypeOption, ...]
    users: tuple[UserOption, ...]
    actor: Actor
    defaults: FormDefaults = FormDefaults()


def _not_found(what_de: str, what_en: str, ident: int) -> DomainError:
    return DomainError(Rule.NOT_FOUND, what_de=what_de, what_en=what_en, id=ident)


def _may_log(s: Session, actor: m.User, group: m.RoleGroup, owner_id: int | None) -> bool:
    """The same reach test the controller applies to the activities right."""
    scope = group.scope(Module.ACTIVITIES)
    if scope is Scope.NONE:
        return False
    if scope is Scope.ALL:
        return True
    if owner_id == actor.id:
        return True
    if scope is Scope.OWN or actor.team_id is None or owner_id is None:
        return False
    owner_team = s.scalar(select(m.User.team_id).where(m.User.id == owner_id))
    return owner_team == actor.team_id


def load_activity_form(s: Session, record_id: int, actor_id: int) -> ActivityForm:
    """The dialog's data for ``record_id`` as seen by user ``actor_id``."""
    record = s.execute(
        select(m.Record.id, m.Record.name, m.Record.owner_id).where(m.Record.id == record_id)
    ).first()
    if record is None:
        raise _not_found("Datensatz", "Record", record_id)
    user = s.get(m.User, actor_id)
    if user is None or not user.active:
        raise DomainError(Rule.UNKNOWN_USER, user=actor_id)
    group = s.get(m.RoleGroup, user.role_group_id)
    assert group is not None
    actor = Actor(
        id=user.id,
        name=user.display_name,
        time_zone=user.time_zone,
        default_follow_up_days=user.default_follow_up_days,
        role_group=group.name,
        activity_requires_follow_up=group.activity_requires_follow_up,
        follow_up_requires_activity=group.follow_up_requires_activity,
        may_log_activity=_may_log(s, user, group, record.owner_id),
    )

    contacts = tuple(
        ContactOption(
            row.id,
            " ".join(p for p in (row.title, row.first_name, row.last_name) if p),
            row.position,
        )
        for row in s.execute(
            select(
                m.Contact.id,
                m.Contact.title,
                m.Contact.first_name,
                m.Contact.last_name,
                m.Contact.position,
            )
            .where(m.Contact.record_id == record_id)
            .order_by(m.Contact.last_name, m.Contact.first_name, m.Contact.id)
        )
    )

    fu = m.FollowUp
    source = aliased(m.Activity)
    follow_ups = tuple(
        OpenFollowUp(
            id=row.id,
            due_date=row.due_date,
            due_time=row.due_time,
            priority=row.priority,
            instruction=row.instruction or "",
            assignee_id=row.assignee_id,
            assignee_name=row.display_name,
            recurrence=row.recurrence,
            recurrence_anchor=row.recurrence_anchor,
            series_start_date=row.series_start_date,
            occurrence=row.occurrence,
            source_activity_id=row.source_activity_id,
            source_subject=row.subject,
            source_contact_id=row.contact_id,
            source_type_id=row.type_id,
            time_zone=row.time_zone,
            version=row.version,
        )
        for row in s.execute(
            select(
                fu.id,
                fu.due_date,
                fu.due_time,
                fu.priority,
                fu.instruction,
                fu.assignee_id,
                m.User.display_name,
                fu.recurrence,
                fu.recurrence_anchor,
                fu.series_start_date,
                fu.occurrence,
                fu.source_activity_id,
                source.subject,
                source.contact_id,
                source.type_id,
                fu.time_zone,
                fu.version,
            )
            .join(m.User, m.User.id == fu.assignee_id)
            .outerjoin(source, source.id == fu.source_activity_id)
            .where(fu.record_id == record_id, fu.state == FollowUpState.OPEN)
            .order_by(fu.due_date, fu.id)
        )
    )

    current = aliased(m.CampaignStatus)
    memberships_rows = s.execute(
        select(
            m.Campaign.id,
            m.Campaign.name,
            current.id,
            current.name,
            current.color,
            current.is_final,
        )
        .select_from(m.CampaignMembership)
        .join(m.Campaign, m.Campaign.id == m.CampaignMembership.campaign_id)
        .join(current, current.id == m.CampaignMembership.status_id)
        .where(m.CampaignMembership.record_id == record_id, m.Campaign.active)
        .order_by(m.Campaign.name, m.Campaign.id)
    ).all()
    target = aliased(m.CampaignStatus)
    transitions: dict[int, list[StatusOption]] = {}
    status_ids = [row[2] for row in memberships_rows]
    if status_ids:
        for row in s.execute(
            select(
                m.StatusTransition.from_status_id,
                target.id,
                target.name,
                target.color,
                target.is_final,
                m.StatusTransition.is_default,
            )
            .join(target, target.id == m.StatusTransition.to_status_id)
            .where(m.StatusTransition.from_status_id.in_(status_ids), target.is_active)
            .order_by(
                m.StatusTransition.from_status_id,
                m.StatusTransition.is_default.desc(),
                m.StatusTransition.position,
            )
        ):
            transitions.setdefault(row[0], []).append(StatusOption(*row[1:]))
    memberships = tuple(
        MembershipForm(
            campaign_id=cid,
            campaign_name=cname,
            status_id=sid,
            status_name=sname,
            status_color=scolor,
            status_is_final=sfinal,
            next_statuses=tuple(transitions.get(sid, ())),
        )
        for cid, cname, sid, sname, scolor, sfinal in memberships_rows
    )

    types = tuple(
        ActivityTypeOption(*row)
        for row in s.execute(
            select(m.ActivityType.id, m.ActivityType.name, m.ActivityType.icon)
            .where(m.ActivityType.active)
            .order_by(m.ActivityType.position, m.ActivityType.id)
        )
    )
    users = tuple(
        UserOption(*row)
        for row in s.execute(
            select(m.User.id, m.User.display_name)
            .where(m.User.active)
            .order_by(m.User.display_name, m.User.id)
        )
    )
    return ActivityForm(
        record_id=record.id,
        record_name=record.name,
        contacts=contacts,
        open_follow_ups=follow_ups,
        memberships=memberships,
        activity_types=types,
        users=users,
        actor=actor,
        defaults=_defaults(s),
    )


def _defaults(s: Session) -> FormDefaults:
    row = s.get(m.SystemSettings, m.SETTINGS_ID)
    if row is None:
        return FormDefaults()
    return FormDefaults(
        working_days=row.working_weekdays() or frozenset(range(5)),
        holiday_region=row.holiday_region,
        recurring_follow_ups=bool(row.recurring_follow_ups),
    )
