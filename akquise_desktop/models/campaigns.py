"""Campaigns, their statuses and workflow, and each record's membership."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    statuses: Mapped[list[CampaignStatus]] = relationship(
        back_populates="campaign", order_by="CampaignStatus.position"
    )


class CampaignStatus(Base):
    __tablename__ = "campaign_status"
    __table_args__ = (
        UniqueConstraint("campaign_id", "name"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    color: Mapped[str] = mapped_column(String(9), default="#808080")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)
    # The status a record gets when assigned to the campaign without a choice.
    is_start: Mapped[bool] = mapped_column(Boolean, default=False)

    campaign: Mapped[Campaign] = relationship(back_populates="statuses")
    transitions: Mapped[list[StatusTransition]] = relationship(
        foreign_keys="StatusTransition.from_status_id",
        order_by="(StatusTransition.is_default.desc(), StatusTransition.position)",
        cascade="all, delete-orphan",
    )

    @property
    def next_statuses(self) -> list[CampaignStatus]:
        """Allowed next statuses, the default one first."""
        return [t.to_status for t in self.transitions]


class StatusTransition(Base):
    """An allowed next status (Folgestatus)."""

    __tablename__ = "status_transition"

    from_status_id: Mapped[int] = mapped_column(
        ForeignKey("campaign_status.id", ondelete="CASCADE"), primary_key=True
    )
    to_status_id: Mapped[int] = mapped_column(
        ForeignKey("campaign_status.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    to_status: Mapped[CampaignStatus] = relationship(foreign_keys=[to_status_id])


class CampaignMembership(Base):
    """A record's current status in one campaign."""

    __tablename__ = "campaign_membership"
    __table_args__ = (
        UniqueConstraint("record_id", "campaign_id"),
        Index("ix_campaign_membership_campaign_status", "campaign_id", "status_id", "record_id"),
        Index("ix_campaign_membership_status_record", "status_id", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    status_id: Mapped[int] = mapped_column(ForeignKey("campaign_status.id"))
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    campaign: Mapped[Campaign] = relationship()
    status: Mapped[CampaignStatus] = relationship()

    __mapper_args__ = {"version_id_col": version}
