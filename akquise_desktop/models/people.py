"""Users, teams and role groups (rights and chain policies)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Module(StrEnum):
    """Modules a role group grants rights on."""

    RECORDS = "records"
    CONTACTS = "contacts"
    ACTIVITIES = "activities"  # activities and follow-ups
    CANCEL_FOLLOW_UPS = "cancel_follow_ups"
    CAMPAIGNS = "campaigns"  # campaigns, their statuses and workflow
    BULK_EDIT = "bulk_edit"
    IMPORT_EXPORT = "import_export"
    STATISTICS = "statistics"
    SETTINGS = "settings"  # activity types, system settings


class Scope(StrEnum):
    """How far a right reaches: nothing, own records, own team's, all."""

    NONE = "none"
    OWN = "own"
    TEAM = "team"
    ALL = "all"

    @property
    def rank(self) -> int:
        return ["none", "own", "team", "all"].index(self.value)


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="team")


class RoleGroup(Base):
    __tablename__ = "role_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Chain policies, switchable per role group, on by default.
    follow_up_requires_activity: Mapped[bool] = mapped_column(Boolean, default=True)
    activity_requires_follow_up: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rights: Mapped[list[RoleGroupRight]] = relationship(
        back_populates="role_group", cascade="all, delete-orphan", lazy="selectin"
    )

    def scope(self, module: Module) -> Scope:
        """The scope this group grants on ``module``; administrators get all."""
        if self.is_admin:
            return Scope.ALL
        for right in self.rights:
            if right.module == module.value:
                return Scope(right.scope)
        return Scope.NONE


class RoleGroupRight(Base):
    __tablename__ = "role_group_right"

    role_group_id: Mapped[int] = mapped_column(
        ForeignKey("role_group.id", ondelete="CASCADE"), primary_key=True
    )
    module: Mapped[str] = mapped_column(String(40), primary_key=True)
    scope: Mapped[str] = mapped_column(String(10), default=Scope.NONE.value)

    role_group: Mapped[RoleGroup] = relationship(back_populates="rights")


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("login"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(63))
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    role_group_id: Mapped[int] = mapped_column(ForeignKey("role_group.id"), index=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    default_follow_up_days: Mapped[int] = mapped_column(Integer, default=7)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team | None] = relationship(back_populates="members")
    role_group: Mapped[RoleGroup] = relationship()
