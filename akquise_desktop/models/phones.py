"""The normal form of stored phone numbers, kept in step with the numbers.

Each number column has a ``…_normalized`` twin (migration ``0013``): the
number in E.164, or as typed when it is none (:func:`core.phones.stored_form`),
in the region of the record's country, else the default region of the system
settings (``phone_region``, DE). The search index holds its digits.

* ORM writes: :func:`keep_normal_forms`, a ``before_flush`` listener of the
  database's write sessions, sets the twins of every new or changed number —
  no operation can forget them.
* Set-based writes (an import, a bulk edit): :func:`add_normal_forms` adds
  them to the rows before they are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from akquise_desktop.core import phones

from .records import Contact, Record
from .settings import SETTINGS_ID, SystemSettings

# table -> {number column: its normal-form column}
NUMBER_COLUMNS: dict[str, dict[str, str]] = {
    "record": {"phone": "phone_normalized"},
    "contact": {"phone": "phone_normalized", "mobile": "mobile_normalized"},
}
_REGION_KEY = "akquise_phone_region"


def default_region(session: Session) -> str:
    """The settings' default region (DE when unset), read once per session."""
    cached = session.info.get(_REGION_KEY)
    if cached is None:
        with session.no_autoflush:
            value = session.scalar(
                select(SystemSettings.phone_region).where(SystemSettings.id == SETTINGS_ID)
            )
        cached = phones.region_or_default(value)
        session.info[_REGION_KEY] = cached
    return cached


def region_of(session: Session, country: str | None) -> str:
    """The region a number of a record in ``country`` is read in."""
    region = phones.region_or_default(country, "")
    return region or default_region(session)


def _changed(obj: Any, *keys: str) -> bool:
    state = inspect(obj)
    if state.pending or state.transient:
        return True
    return any(state.attrs[k].history.has_changes() for k in keys)


def keep_normal_forms(session: Session, _ctx: Any, _instances: Any) -> None:
    """``before_flush``: the normal forms of new and changed numbers. (A
    record's contact persons keep theirs when only the record's country
    changes: their numbers were read as typed then.)"""
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty):
            if isinstance(obj, Record) and _changed(obj, "phone", "country"):
                region = region_of(session, obj.country)
                obj.phone_normalized = phones.stored_form(obj.phone, region)
            elif isinstance(obj, Contact) and _changed(obj, "phone", "mobile", "record_id"):
                record = obj.record
                if record is None and obj.record_id is not None:
                    record = session.get(Record, obj.record_id)
                region = region_of(session, record.country if record is not None else None)
                obj.phone_normalized = phones.stored_form(obj.phone, region)
                obj.mobile_normalized = phones.stored_form(obj.mobile, region)


def add_normal_forms(
    session: Session,
    table: str,
    rows: Iterable[MutableMapping[str, Any]],
    countries: Mapping[int, str | None] | None = None,
) -> None:
    """Add the normal-form columns to ``rows`` of ``table`` (``record`` or
    ``contact``) that carry a number column. Record rows are read in the region
    of their own ``country``; contact rows in that of their record —
    ``countries`` (record id -> country), else looked up."""
    columns = NUMBER_COLUMNS.get(table)
    if not columns:
        return
    rows = [row for row in rows if any(k in row for k in columns)]
    if not rows:
        return
    if table == "contact" and countries is None:
        ids = {row["record_id"] for row in rows if row.get("record_id") is not None}
        countries = dict(
            session.execute(select(Record.id, Record.country).where(Record.id.in_(ids))).all()
        )
    for row in rows:
        if table == "record":
            country = row.get("country")
        else:
            country = (countries or {}).get(row.get("record_id"))  # type: ignore[arg-type]
        region = region_of(session, country)
        for number, normal in columns.items():
            if number in row:
                row[normal] = phones.stored_form(row[number], region)
