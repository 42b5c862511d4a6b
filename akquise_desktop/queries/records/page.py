"""The record list's entry point and its counts.

:func:`record_page` is the one way to a page of the list: it chooses how the
page is found (its docstring says how and why) — a plain keyset page
(:mod:`.keyset`), a small result sorted from its ids (:mod:`.sets`), the groups
of a grouped sort (:mod:`.grouped`) or a walk of the sort order
(:func:`.keyset._walk`). :func:`record_total` and :func:`record_count` count a
result, :func:`record_ids` lists it whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m

from ..search import candidates, short_only, words
from . import limits
from .criteria import RecordCriteria, _after, _filters, _keys, _order, _where
from .grouped import GROUPED_SORTS, _grouped_page
from .keyset import RecordRow, _fetch, _plain_page, _rows, _walk
from .sets import _among, _every_match, _filter_candidates


def record_ids(session: Session, criteria: RecordCriteria) -> list[int]:
    """The ids of every record that matches, in display order (bulk editing of
    a whole result; the list itself pages with :func:`record_page`)."""
    dialect = session.get_bind().dialect.name
    query = select(m.Record.id).where(*_where(criteria, dialect)).order_by(*_order(criteria))
    return list(session.scalars(query))


@dataclass(frozen=True)
class RecordCount:
    value: int
    exact: bool  # False: at least ``value``


@dataclass(frozen=True)
class RecordPage:
    """A page of the record list: its rows (each with its sort ``key``) and,
    when the first page already knows it, the count of all matches."""

    rows: list[RecordRow]
    count: RecordCount | None = None


def record_page(
    session: Session,
    criteria: RecordCriteria,
    after: tuple | None = None,
    limit: int = 100,
) -> RecordPage:
    """``limit`` rows of the list for ``criteria`` following the row whose key
    is ``after`` (from the start: None). Keyset paging: no OFFSET, nothing
    proportional to the rows before.

    A search first collects at most :data:`SMALL_RESULT` matching ids, unsorted
    (cheap: the search indexes, and it stops there). Fewer than that, and the
    page is sorted from exactly those ids (its count is known too). Else the
    matches are many: the page walks the next :data:`PROBE_WINDOW` records of
    the sort order, checking each (a one-letter search fills its page within a
    few hundred); should they not fill it — the matches lie further on, say
    every "Schmidt" — all matches are collected and sorted.

    On SQLite a list filtered by campaign or status (no search text) pages the
    same way: the filter checked for each record of the sort order (an index
    look-up) is cheaper than collecting its tens of thousands of records for
    every page (30-70 ms per page for a big campaign, measured), unless the
    filter is rare — then its few records are collected and sorted.
    PostgreSQL's plans for the filters as sets are as fast (measured)."""
    text = words(criteria.text)
    dialect = session.get_bind().dialect.name
    membership = criteria.campaign_id is not None or criteria.status_id is not None
    grouped = criteria.sort in GROUPED_SORTS
    walk = bool(text) or grouped or (dialect == "sqlite" and membership)
    if not walk:  # one statement per sort and filters, built once
        nulls = None if after is None else tuple(v is None for v in after)
        statement, n_keys = _plain_page(criteria, nulls)
        params: dict[str, Any] = {"limit": limit}
        for n, value in enumerate(after or ()):
            if value is not None:
                params[f"after{n}"] = value
        found = _fetch(session, statement, params, n_keys, criteria.campaign_id, prebuilt=True)
        return RecordPage(found)
    keys = _keys(criteria)
    descending = criteria.descending
    following = [_after(keys, after, descending)] if after is not None else []

    def page(where: list) -> list[RecordRow]:
        return _rows(
            session,
            [*where, *following],
            keys=keys,
            descending=descending,
            limit=limit,
            campaign_id=criteria.campaign_id,
        )

    # A result small enough to sort as it is: its ids collected (by an index,
    # stopping at the cap), then sorted, and its count is known.
    few, cap = None, limits.SMALL_RESULT
    if not text:  # SQLite's filters (a grouped sort: straight to its groups)
        few = _filter_candidates(criteria, cap) if membership else None
    elif dialect == "sqlite":
        few = candidates(dialect, criteria.text, _filters(criteria), cap)
    elif not short_only(criteria.text):
        # PostgreSQL: the trigram indexes collect a long word's matches quickly,
        # sorting a few thousand by primary key look-ups is cheap. (Words of
        # one or two letters cannot be collected by an index: straight on.)
        cap = limits.LARGE_RESULT
        few = candidates(dialect, criteria.text, _filters(criteria), cap)
    if few is not None:
        ids = list(session.scalars(few))
        if len(ids) < cap:
            return RecordPage(page([_among(ids, dialect)]), RecordCount(len(ids), exact=True))
    if grouped:
        return RecordPage(_grouped_page(session, criteria, after, limit))

    def every() -> list:
        return [_every_match(criteria, dialect)]

    probe = _where(criteria, dialect, probe=True)
    return RecordPage(_walk(session, keys, descending, following, page, probe, limit, every))


def record_count(session: Session, criteria: RecordCriteria, cap: int | None = None) -> int:
    """How many records match (at most ``cap + 1`` are counted when given)."""
    dialect = session.get_bind().dialect.name
    if cap is None:
        query = select(m.Record.id).where(*_where(criteria, dialect))
    else:
        query = candidates(dialect, criteria.text, _filters(criteria), cap + 1)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def record_total(session: Session, criteria: RecordCriteria) -> RecordCount:
    """The count the list shows: exact without filters, else up to :data:`COUNT_CAP`."""
    if not criteria.filtered:
        return RecordCount(session.scalar(select(func.count()).select_from(m.Record)) or 0, True)
    n = record_count(session, criteria, cap=limits.COUNT_CAP)
    return RecordCount(min(n, limits.COUNT_CAP), exact=n <= limits.COUNT_CAP)
