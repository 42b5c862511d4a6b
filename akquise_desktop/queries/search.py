"""Record search: the condition behind search-as-you-type.

Matches every word of the search text (case-insensitive, in any order)
against name, city, phone, e-mail and the names of contact persons.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from akquise_desktop import models as m

MAX_WORDS = 8


def words(text: str) -> list[str]:
    return [w for w in text.split() if w][:MAX_WORDS]


def _like(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def record_match(text: str) -> ColumnElement[bool] | None:
    """A WHERE condition on ``Record`` for ``text``; None for an empty search."""
    terms = words(text)
    if not terms:
        return None
    conditions = []
    for word in terms:
        pattern = _like(word)
        fields = [m.Record.name, m.Record.city, m.Record.phone, m.Record.email]
        contact = exists(
            select(m.Contact.id).where(
                m.Contact.record_id == m.Record.id,
                or_(
                    func.lower(m.Contact.last_name).like(pattern, escape="\\"),
                    func.lower(m.Contact.first_name).like(pattern, escape="\\"),
                ),
            )
        )
        conditions.append(or_(*(func.lower(f).like(pattern, escape="\\") for f in fields), contact))
    return and_(*conditions)
