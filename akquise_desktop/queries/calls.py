"""Who is calling: the records a phone number belongs to, as one user sees them.

:func:`caller_matches` looks the number up with the record list's search
(:func:`akquise_desktop.queries.search.record_match`: whatever the search box
finds for the number, the phone system's lookup finds too — the record's and
its contact persons' numbers, by their digits in any format, migration 0013).

Only records the user may see count — the rule of links
(:func:`akquise_desktop.queries.links.may_see`, as one SQL condition here;
PostgreSQL's row-level security applies it as well).

For each record the number that matched is named (the record's phone, or a
contact person's phone or mobile, and then that contact person), compared by
its digits (:func:`same_number`): ``+49 221 3712306``, ``0049 221 3712306`` and
``0221 3712306`` are one number.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from akquise_desktop import models as m
from akquise_desktop.core.phones import split_prefix

from .records.criteria import _filters
from .records.find import scope_criteria
from .search import record_match

MAX_MATCHES = 50  # the chooser lists at most this many records
MIN_TAIL = 4  # digits a shorter number must have to match as the end of a longer one


@dataclass(frozen=True)
class CallMatch:
    """A record the number belongs to."""

    record_id: int
    record_name: str
    city: str | None
    number: str | None  # the matching number as stored (the record's phone if none matched)
    contact_id: int | None = None  # the contact person whose number it is
    contact_name: str | None = None


def significant(number: str) -> str:
    """The digits that identify ``number`` whatever its form: without the
    international prefix (``+``, ``00``), a ``(0)`` after the country code and
    the national trunk ``0`` — ``+49 (0)221 3712306`` → ``492213712306``,
    ``0221 3712306`` → ``2213712306`` (:func:`core.phones.split_prefix`)."""
    return split_prefix(number)[1]


def same_number(a: str | None, b: str | None) -> bool:
    """Whether ``a`` and ``b`` are one number: their significant digits equal,
    or one ends with the other (a national number in an international one, an
    extension's tail) when the shorter has at least :data:`MIN_TAIL` digits."""
    if not a or not b:
        return False
    x, y = significant(a), significant(b)
    if not x or not y:
        return False
    short, long_ = sorted((x, y), key=len)
    return short == long_ or (len(short) >= MIN_TAIL and long_.endswith(short))


def _visible(s: Session, user_id: int) -> ColumnElement[bool] | None:
    """The records ``user_id`` may see, as a condition (None: all): the record
    list's filters for the user's scope, as ``find`` has them
    (:func:`.records.find.scope_criteria`)."""
    criteria = scope_criteria(s, user_id, "")
    if criteria is None:
        return false()
    conditions = _filters(criteria)
    return and_(*conditions) if conditions else None


def caller_matches(
    s: Session, number: str, user_id: int, limit: int = MAX_MATCHES
) -> list[CallMatch]:
    """The records ``number`` belongs to that ``user_id`` may see, by name
    (at most ``limit``)."""
    number = number.strip()
    if not number:
        return []
    match = record_match(number, s.get_bind().dialect.name)
    if match is None:
        return []
    conditions = [match]
    visible = _visible(s, user_id)
    if visible is not None:
        conditions.append(visible)
    rows = s.execute(
        select(m.Record.id, m.Record.name, m.Record.city, m.Record.phone)
        .where(*conditions)
        .order_by(m.Record.name, m.Record.id)
        .limit(limit)
    ).all()
    if not rows:
        return []
    contacts: dict[int, list] = {}
    for c in s.execute(
        select(
            m.Contact.id,
            m.Contact.record_id,
            m.Contact.first_name,
            m.Contact.last_name,
            m.Contact.phone,
            m.Contact.mobile,
        )
        .where(m.Contact.record_id.in_([r.id for r in rows]))
        .order_by(m.Contact.id)
    ):
        contacts.setdefault(c.record_id, []).append(c)
    return [_match(r, contacts.get(r.id, []), number) for r in rows]


def _match(record, contacts: list, number: str) -> CallMatch:
    if same_number(record.phone, number):
        return CallMatch(record.id, record.name, record.city, record.phone)
    for c in contacts:
        for stored in (c.phone, c.mobile):
            if stored and (stored.strip() == number or same_number(stored, number)):
                name = " ".join(p for p in (c.first_name, c.last_name) if p)
                return CallMatch(record.id, record.name, record.city, stored, c.id, name)
    return CallMatch(record.id, record.name, record.city, record.phone)
