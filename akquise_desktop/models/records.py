"""Records (companies and private persons) and their contact persons."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .people import User


class RecordKind(StrEnum):
    COMPANY = "company"
    PERSON = "person"


class Record(Base):
    __tablename__ = "record"
    __table_args__ = (
        CheckConstraint("kind IN ('company', 'person')", name="kind"),
        Index("ix_record_owner_name", "owner_id", "name", "id"),
        Index("ix_record_name_id", "name", "id"),
        Index("ix_record_next_follow_up", "next_follow_up_date", "id"),
        Index("ix_record_last_activity", "last_activity_at", "id"),
        Index("ix_record_phone", "phone", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default=RecordKind.COMPANY.value)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100), index=True)
    country: Mapped[str | None] = mapped_column(String(2), default="DE")
    phone: Mapped[str | None] = mapped_column(String(50))
    # The phone number in E.164 (or as typed when it is none), kept by the
    # write session (models/phones.py); the search index holds its digits.
    phone_normalized: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(254))
    industry: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Derived, kept by the controller in the same transaction (and checked by
    # the invariant check) so lists can sort and filter on them in SQL.
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_follow_up_date: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    owner: Mapped[User | None] = relationship()
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="record", order_by="Contact.last_name"
    )

    __mapper_args__ = {"version_id_col": version}


class Contact(Base):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"), index=True)
    salutation: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    position: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    mobile: Mapped[str | None] = mapped_column(String(50))
    # As Record.phone_normalized, in the region of the record's country.
    phone_normalized: Mapped[str | None] = mapped_column(String(50))
    mobile_normalized: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    record: Mapped[Record] = relationship(back_populates="contacts")

    __mapper_args__ = {"version_id_col": version}

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)
