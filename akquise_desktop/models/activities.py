"""Activities, the status changes they carry, and follow-ups."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import IntEnum, StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .campaigns import Campaign, CampaignStatus
from .people import User
from .records import Contact, Record

SUBJECT_MAX = 200
TEXT_MAX = 20_000
INSTRUCTION_MAX = 500


class ActivityType(Base):
    __tablename__ = "activity_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    # An icon name from the icon set (e.g. "mdi6.phone").
    icon: Mapped[str] = mapped_column(String(60), default="mdi6.note-text-outline")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Activity(Base):
    """One contact with a record. History: never silently edited or deleted."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_record_occurred", "record_id", "occurred_at", "id"),
        Index("ix_activity_occurred", "occurred_at", "id"),
        Index("ix_activity_user_occurred", "user_id", "occurred_at", "id"),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes >= 0", name="duration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    type_id: Mapped[int] = mapped_column(ForeignKey("activity_type.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the text was corrected afterwards; the audit trail has before/after.
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The save's idempotency key (a UUID the client made for this one save): a
    # repeated save with the same key returns the first one's result instead
    # of writing again (a lost answer to COMMIT, Save pressed again).
    client_key: Mapped[str | None] = mapped_column(String(36), unique=True, index=True)
    # Bumped by each correction: a correction names the version it was made on.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    record: Mapped[Record] = relationship()
    contact: Mapped[Contact | None] = relationship()
    user: Mapped[User] = relationship()
    type: Mapped[ActivityType] = relationship()
    status_changes: Mapped[list[StatusChange]] = relationship(back_populates="activity")

    __mapper_args__ = {"version_id_col": version}


class StatusChange(Base):
    """A campaign status change, always carried by an activity (rule 5)."""

    __tablename__ = "status_change"
    __table_args__ = (Index("ix_status_change_record_campaign", "record_id", "campaign_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    from_status_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_status.id"))
    to_status_id: Mapped[int] = mapped_column(ForeignKey("campaign_status.id"))

    activity: Mapped[Activity] = relationship(back_populates="status_changes")
    campaign: Mapped[Campaign] = relationship()
    from_status: Mapped[CampaignStatus | None] = relationship(foreign_keys=[from_status_id])
    to_status: Mapped[CampaignStatus] = relationship(foreign_keys=[to_status_id])


class Priority(IntEnum):
    NORMAL = 0
    HIGH = 1  # star
    TIME_CRITICAL = 2  # bell


class FollowUpState(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class RecurrenceAnchor(StrEnum):
    """Where the next occurrence of a recurring follow-up is counted from."""

    DUE = "due"
    COMPLETION = "completion"


class FollowUp(Base):
    """A dated reminder for one user (Wiedervorlage)."""

    __tablename__ = "follow_up"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'done', 'cancelled')", name="state"),
        CheckConstraint("priority IN (0, 1, 2)", name="priority"),
        CheckConstraint(
            "(state = 'done') = (completed_by_activity_id IS NOT NULL)", name="done_by_activity"
        ),
        Index("ix_follow_up_assignee_open_due", "assignee_id", "state", "due_date", "id"),
        Index("ix_follow_up_record_state", "record_id", "state", "due_date"),
        Index("ix_follow_up_state_due", "state", "due_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    # Local calendar date and optional wall-clock time in ``time_zone``.
    due_date: Mapped[date] = mapped_column(Date)
    due_time: Mapped[time | None] = mapped_column(Time)
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    priority: Mapped[int] = mapped_column(Integer, default=Priority.NORMAL)
    instruction: Mapped[str] = mapped_column(String(INSTRUCTION_MAX), default="")
    source_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), index=True
    )
    completed_by_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), index=True
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # RFC 5545 RRULE (without DTSTART); the series starts at series_start_date
    # at due_time, local wall time in time_zone.
    recurrence: Mapped[str | None] = mapped_column(String(500))
    recurrence_anchor: Mapped[str] = mapped_column(String(12), default=RecurrenceAnchor.DUE)
    series_start_date: Mapped[date | None] = mapped_column(Date)
    # Holiday region ("DE-NW", or "WEEKENDS" for weekends only) whose weekends and
    # public holidays the series' next occurrences are moved off; None: no shift.
    recurrence_shift: Mapped[str | None] = mapped_column(String(20))
    # Number of this occurrence in its series (1 for a first or single one).
    occurrence: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("follow_up.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(10), default=FollowUpState.OPEN)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    record: Mapped[Record] = relationship()
    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    source_activity: Mapped[Activity | None] = relationship(foreign_keys=[source_activity_id])
    completed_by_activity: Mapped[Activity | None] = relationship(
        foreign_keys=[completed_by_activity_id]
    )

    __mapper_args__ = {"version_id_col": version}
