"""The headless search (``akquise-desktop find``): the record list's search for
one user, outside the GUI.

Nothing of its own: the text is taken as the search box takes it
(:func:`search_box_text`), and the rows come from :func:`.page.record_page` in
the list's default order (by name) — the same matching as the search box,
whatever the search learns. The user's scope is said with the list's own
filters (account manager, team): :func:`scope_criteria`. It is the rule of
:func:`akquise_desktop.queries.links.read_scope`, the one the server enforces by
row-level security on PostgreSQL (migration 0009); there the filter repeats the
policy (and holds for a superuser acting as a user), on SQLite it is the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.models import Scope

from ..links import read_scope
from ..search import words
from .criteria import MAX_TEXT, RecordCriteria
from .keyset import RecordRow
from .page import RecordCount, record_page, record_total


def search_box_text(raw: str) -> str:
    """``raw`` as the record list's search box holds it: cut at :data:`MAX_TEXT`
    (``QLineEdit.setMaxLength`` counts UTF-16 code units and does not keep half
    a surrogate pair), then stripped (``RecordListView.criteria``). Lone
    surrogates (bytes of a command line that were no UTF-8) become U+FFFD: no
    database takes them, and the search box cannot hold them."""
    kept: list[str] = []
    units = 0
    for ch in raw:
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > MAX_TEXT:
            break
        kept.append("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch)
    return "".join(kept).strip()


def scope_criteria(session: Session, user_id: int, text: str) -> RecordCriteria | None:
    """The record list's criteria for ``text`` as ``user_id`` may see it: every
    record (scope all), the team's (team; without a team: the user's own), the
    user's own; None when the user sees no record (scope none, inactive)."""
    user = session.get(m.User, user_id)
    if user is None or not user.active:
        return None
    scope = read_scope(user.role_group)
    if scope is Scope.ALL:
        return RecordCriteria(text=text)
    if scope is Scope.NONE:
        return None
    if scope is Scope.TEAM and user.team_id is not None:
        return RecordCriteria(text=text, team_id=user.team_id)
    return RecordCriteria(text=text, owner_id=user.id)


@dataclass(frozen=True)
class FoundRecords:
    """The first ``limit`` matches in the list's order; ``more``: others matched
    too, ``total`` then counts all of them (up to the list's count cap)."""

    rows: list[RecordRow]
    more: bool = False
    total: RecordCount | None = None


def find_records(session: Session, user_id: int, text: str, limit: int) -> FoundRecords:
    """The records matching ``text`` (as :func:`search_box_text` gives it; not
    empty) that ``user_id`` may see: at most ``limit``, by name."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if not words(text):
        raise ValueError("no search words: the list would show every record")
    criteria = scope_criteria(session, user_id, text)
    if criteria is None:
        return FoundRecords([])
    page = record_page(session, criteria, None, limit + 1)
    if len(page.rows) <= limit:
        return FoundRecords(page.rows)
    total = page.count or record_total(session, criteria)
    return FoundRecords(page.rows[:limit], more=True, total=total)
