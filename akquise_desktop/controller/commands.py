"""Typed inputs of controller operations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from akquise_desktop.models import Module, Priority, RecordKind, RecurrenceAnchor, Scope


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: _Unset = _Unset()
"""Marks an optional field of an update that is to stay as it is."""


@dataclass(frozen=True)
class RecordData:
    name: str
    kind: RecordKind = RecordKind.COMPANY
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = "DE"
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    industry: str | None = None
    notes: str | None = None
    owner_id: int | None = None  # default: the acting user


@dataclass(frozen=True)
class ContactData:
    last_name: str
    first_name: str | None = None
    salutation: str | None = None
    title: str | None = None
    position: str | None = None
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class NextFollowUp:
    """The follow-up an activity sets (or one created from an existing activity)."""

    due_date: date
    due_time: time | None = None
    assignee_id: int | None = None  # default: the acting user
    priority: Priority = Priority.NORMAL
    instruction: str = ""
    recurrence: str | None = None  # RFC 5545 RRULE, e.g. "FREQ=MONTHLY;INTERVAL=6"
    recurrence_anchor: RecurrenceAnchor = RecurrenceAnchor.DUE
    # A holiday region (e.g. "DE-NW"): occurrences on weekends and its public
    # holidays move to the next working day.
    recurrence_shift: str | None = None


@dataclass(frozen=True)
class LogActivity:
    """Everything the activity mask saves in one transaction."""

    record_id: int
    subject: str
    text: str = ""
    type_id: int | None = None  # default: the first active activity type
    occurred_at: datetime | None = None  # default: now
    duration_minutes: int | None = None
    contact_id: int | None = None
    # Open follow-ups of the record this activity completes: follow-up id ->
    # the version the user saw (a follow-up changed since — rescheduled,
    # rebooked, completed — is refused as ``concurrency.stale``, naming the
    # change), or, unchecked, just their ids.
    completes: Mapping[int, int] | tuple[int, ...] = ()
    status_changes: Mapping[int, int] = field(default_factory=dict)  # campaign id -> status id
    next_follow_up: NextFollowUp | None = None
    # Idempotency key of this save (a UUID the dialog makes once per activity
    # it saves, and sends again when it repeats the save): a save with a key
    # already written returns the first save's summary instead of writing twice.
    client_key: str | None = None


@dataclass(frozen=True)
class StatusSpec:
    """One status of a new campaign; ``next`` names its allowed next statuses."""

    name: str
    color: str = "#808080"
    progress: int = 0
    is_final: bool = False
    is_start: bool = False
    next: tuple[str, ...] = ()  # first = default


@dataclass(frozen=True)
class StatusData:
    """A campaign status's own values (its place and workflow are set apart)."""

    name: str
    color: str = "#808080"
    progress: int = 0
    is_active: bool = True
    is_final: bool = False
    is_start: bool = False  # the status a record gets on joining the campaign


@dataclass(frozen=True)
class UserData:
    login: str
    display_name: str
    role_group_id: int
    team_id: int | None = None
    email: str | None = None
    time_zone: str = "Europe/Berlin"
    default_follow_up_days: int | None = None  # None: the system setting (new users)
    active: bool = True


@dataclass(frozen=True)
class ActivityTypeData:
    name: str
    icon: str = "mdi6.note-text-outline"  # an icon of the icon set (qtawesome's mdi6)
    active: bool = True


@dataclass(frozen=True)
class SettingsData:
    """The system settings (:class:`akquise_desktop.models.SystemSettings`)."""

    company_name: str | None = None
    default_follow_up_days: int = 7
    recurring_follow_ups: bool = True
    working_days: frozenset[int] = frozenset(range(5))  # Python weekdays, Monday = 0
    holiday_region: str | None = None
    default_language: str = "de"
    # Numbers of records without a country are read in this region (DE: "0221 …").
    phone_region: str = "DE"


@dataclass(frozen=True)
class FirstRun:
    """What the first-run wizard sets up besides the first administrator."""

    email: str | None = None
    company_name: str | None = None
    campaign_template: str | None = "acquisition"  # a key of controller.templates, or None


@dataclass(frozen=True)
class RoleGroupData:
    name: str
    is_admin: bool = False
    follow_up_requires_activity: bool = True
    activity_requires_follow_up: bool = True
    rights: Mapping[Module, Scope] = field(default_factory=dict)
