"""The record view's data: the record (:func:`record_detail`) with its contact
persons, campaign memberships and open follow-ups, each read by a statement built
once; :func:`record_view` adds the timeline's first page (one transaction).
:func:`record_exists` asks whether a record is still there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m

from .._exec import rows
from ..timeline import MAX_OPEN, TimelinePage, open_entry, timeline_page


@dataclass(frozen=True)
class ContactRow:
    id: int
    version: int
    salutation: str | None
    title: str | None
    first_name: str | None
    last_name: str
    position: str | None
    phone: str | None
    mobile: str | None
    email: str | None
    notes: str | None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


@dataclass(frozen=True)
class MembershipRow:
    id: int
    campaign_id: int
    campaign: str
    campaign_active: bool
    status_id: int
    status: str
    color: str
    progress: int
    is_final: bool
    since: datetime


@dataclass(frozen=True)
class OpenFollowUp:
    id: int
    version: int
    due_date: date
    due_time: time | None
    priority: int
    instruction: str
    assignee_id: int
    assignee: str
    source_activity_id: int | None
    source_subject: str | None
    recurrence: str | None


@dataclass(frozen=True)
class RecordDetail:
    id: int
    version: int
    kind: str
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    country: str | None
    phone: str | None
    email: str | None
    website: str | None
    industry: str | None
    notes: str | None
    owner_id: int | None
    owner: str | None
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime | None
    next_follow_up: date | None
    contacts: tuple[ContactRow, ...] = field(default=())
    memberships: tuple[MembershipRow, ...] = field(default=())
    follow_ups: tuple[OpenFollowUp, ...] = field(default=())


# The record view's statements, built once (the record id is a parameter) and
# run on the session's connection: opening a record costs the SQL, little more.
_RID: BindParameter[Any] = bindparam("record_id")
_mem = m.CampaignMembership
_c = m.Contact
_CONTACTS = (
    select(
        _c.id, _c.version, _c.salutation, _c.title, _c.first_name, _c.last_name, _c.position,
        _c.phone, _c.mobile, _c.email, _c.notes,
    )
    .where(_c.record_id == _RID)
    .order_by(func.lower(_c.last_name), func.lower(_c.first_name), _c.id)
)  # fmt: skip
_cs = m.CampaignStatus
_MEMBERSHIPS = (
    select(
        _mem.id, _mem.campaign_id, m.Campaign.name, m.Campaign.active, _mem.status_id, _cs.name,
        _cs.color, _cs.progress, _cs.is_final, _mem.since,
    )
    .join(m.Campaign, m.Campaign.id == _mem.campaign_id)
    .join(_cs, _cs.id == _mem.status_id)
    .where(_mem.record_id == _RID)
    .order_by(m.Campaign.active.desc(), _mem.since.desc(), _mem.id.desc())
)  # fmt: skip
_fu = m.FollowUp
_OPEN_FOLLOW_UPS = (
    select(
        _fu.id, _fu.version, _fu.due_date, _fu.due_time, _fu.priority, _fu.instruction,
        _fu.assignee_id, m.User.display_name, _fu.source_activity_id, m.Activity.subject,
        _fu.recurrence,
    )
    .join(m.User, m.User.id == _fu.assignee_id)
    .outerjoin(m.Activity, m.Activity.id == _fu.source_activity_id)
    .where(_fu.record_id == _RID, _fu.state == m.FollowUpState.OPEN)
    .order_by(_fu.due_date, _fu.due_time.is_(None), _fu.due_time, _fu.priority.desc(), _fu.id)
)  # fmt: skip
_rec = m.Record
_DETAIL = (
    select(
        _rec.id, _rec.version, _rec.kind, _rec.name, _rec.street, _rec.postal_code, _rec.city,
        _rec.country, _rec.phone, _rec.email, _rec.website, _rec.industry, _rec.notes,
        _rec.owner_id, m.User.display_name, _rec.created_at, _rec.updated_at,
        _rec.last_activity_at, _rec.next_follow_up_date,
    )
    .outerjoin(m.User, m.User.id == _rec.owner_id)
    .where(_rec.id == _RID)
)  # fmt: skip


def contacts(session: Session, record_id: int) -> tuple[ContactRow, ...]:
    return tuple(ContactRow(*row) for row in rows(session, _CONTACTS, {"record_id": record_id}))


def memberships(session: Session, record_id: int) -> tuple[MembershipRow, ...]:
    found = rows(session, _MEMBERSHIPS, {"record_id": record_id})
    return tuple(MembershipRow(*row) for row in found)


def open_follow_ups(session: Session, record_id: int) -> tuple[OpenFollowUp, ...]:
    """The record's open follow-ups, soonest first."""
    found = rows(session, _OPEN_FOLLOW_UPS, {"record_id": record_id})
    return tuple(OpenFollowUp(*row) for row in found)


def record_detail(session: Session, record_id: int) -> RecordDetail | None:
    """Everything the record view shows except the timeline; None if gone."""
    found = rows(session, _DETAIL, {"record_id": record_id})
    if not found:
        return None
    return RecordDetail(  # type: ignore[misc]  # the row is the fields before these three
        *found[0],
        contacts=contacts(session, record_id),
        memberships=memberships(session, record_id),
        follow_ups=open_follow_ups(session, record_id),
    )


def record_view(session: Session, record_id: int) -> tuple[RecordDetail | None, TimelinePage]:
    """What opening a record shows: its detail and its timeline's first page,
    read in one transaction. The timeline's open follow-ups are the detail's
    (read once, not twice)."""
    detail = record_detail(session, record_id)
    if detail is None:
        return None, TimelinePage((), None)
    latest_due_first = sorted(detail.follow_ups, key=lambda f: (f.due_date, f.id), reverse=True)
    head = [
        open_entry(f.id, f.due_date, f.due_time, f.instruction, f.assignee, f.priority)
        for f in latest_due_first[:MAX_OPEN]
    ]
    return detail, timeline_page(session, record_id, open_entries=head)


def record_exists(session: Session, record_id: int) -> bool:
    return session.scalar(select(m.Record.id).where(m.Record.id == record_id)) is not None
