"""System settings: one row (id 1) the administrators keep for everyone."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

SETTINGS_ID = 1
WORKING_DAYS_DEFAULT = "1,2,3,4,5"  # ISO weekdays, Monday = 1


class SystemSettings(Base):
    __tablename__ = "system_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("default_follow_up_days BETWEEN 1 AND 365", name="follow_up_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=SETTINGS_ID)
    company_name: Mapped[str | None] = mapped_column(String(200))
    # The due date a new follow-up gets by default (today + days); a new user's
    # own default starts from it.
    default_follow_up_days: Mapped[int] = mapped_column(Integer, default=7)
    # Off: no new recurring series (existing series go on).
    recurring_follow_ups: Mapped[bool] = mapped_column(Boolean, default=True)
    working_days: Mapped[str] = mapped_column(String(20), default=WORKING_DAYS_DEFAULT)
    # A public-holiday region ("DE-NW"): default dates skip its holidays.
    holiday_region: Mapped[str | None] = mapped_column(String(10))
    default_language: Mapped[str] = mapped_column(String(2), default="de")
    # The region phone numbers are read in when their record has no country
    # (a national "0221 …" is German with "DE").
    phone_region: Mapped[str] = mapped_column(String(2), default="DE", server_default="DE")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def working_weekdays(self) -> frozenset[int]:
        """The working days as Python weekdays (Monday = 0)."""
        return parse_working_days(self.working_days)


def parse_working_days(text: str | None) -> frozenset[int]:
    """``"1,2,3,4,5"`` (ISO) as Python weekdays {0..4}; bad parts are ignored."""
    days = set()
    for part in (text or "").split(","):
        part = part.strip()
        if part.isdigit() and 1 <= int(part) <= 7:
            days.add(int(part) - 1)
    return frozenset(days)
