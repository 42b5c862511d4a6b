"""Pages by key: the list's rows for conditions and sort keys, and the walk of the
sort order.

:class:`RecordRow` is one line of the list. :func:`_rows_query` is a page's
statement (ids and sort keys chosen, sorted and cut on ``record`` alone, the
columns shown looked up for those rows only); :func:`_plain_page` builds it once
per sort, filters and NULL pattern for a list without search text;
:func:`_fetch` runs it (:func:`_rows` for a statement built per search).
:func:`_walk` is the page of a result of many matches: the next
:data:`~.limits.PROBE_WINDOW` records of the sort order, each checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from akquise_desktop import models as m

from .._exec import rows
from . import limits
from .criteria import RecordCriteria, _after, _filters, _Key, _keys, _order_by, _up_to


class RecordRow(NamedTuple):
    """One line of the record list."""

    # A named tuple, not a dataclass: a page builds a hundred of these, and a
    # tuple is made five times faster than a frozen dataclass instance.

    id: int
    name: str
    kind: str
    city: str | None
    phone: str | None
    owner: str | None
    next_follow_up: date | None
    last_activity_at: datetime | None
    campaign: str | None  # the campaign the status column shows
    status: str | None
    status_color: str | None
    status_final: bool
    campaign_count: int  # memberships in all
    key: tuple = ()  # the sort key of a page's row (keyset paging), else empty


def _shown_membership(campaign_id: int | None):
    """Correlated: the membership the status column shows for ``Record``.

    With a campaign filter: that campaign's. Otherwise: the latest one in an
    active campaign (or the latest one at all).
    """
    mem = m.CampaignMembership
    query = (
        select(mem.id)
        .join(m.Campaign, m.Campaign.id == mem.campaign_id)
        .where(mem.record_id == m.Record.id)
    )
    if campaign_id is not None:
        query = query.where(mem.campaign_id == campaign_id)
    return (
        query.order_by(m.Campaign.active.desc(), mem.since.desc(), mem.id.desc())
        .limit(1)
        .correlate(m.Record)
        .scalar_subquery()
    )


def _rows(
    session: Session,
    where: list,
    *,
    campaign_id: int | None,
    keys: list[_Key] | None = None,
    descending: bool = False,
    limit: int | None = None,
) -> list[RecordRow]:
    """The list rows matching ``where``, in the order of ``keys``."""
    query = _rows_query(
        where, campaign_id=campaign_id, keys=keys, descending=descending, limit=limit
    )
    return _fetch(session, query, {}, len(keys or ()), campaign_id)


@lru_cache(maxsize=256)
def _plain_page(criteria: RecordCriteria, nulls: tuple[bool, ...] | None) -> tuple[Select, int]:
    """The page statement of a list without search text, built once per sort,
    filters and NULL pattern of the key it follows (``after0``, … and ``limit``
    are parameters): scrolling runs the same statement object each time, so
    SQLAlchemy neither rebuilds nor recompiles it."""
    keys = _keys(criteria)
    following = []
    if nulls is not None:
        values: tuple = tuple(
            None if null else bindparam(f"after{n}") for n, null in enumerate(nulls)
        )
        following.append(_after(keys, values, criteria.descending))
    statement = _rows_query(
        [*_filters(criteria), *following],  # no search text: filters only
        campaign_id=criteria.campaign_id,
        keys=keys,
        descending=criteria.descending,
        limit=bindparam("limit", type_=Integer),
        joined=True,
    )
    return statement, len(keys)


def _rows_query(
    where: list,
    *,
    campaign_id: int | None,
    keys: list[_Key] | None = None,
    descending: bool = False,
    limit: Any = None,
    joined: bool = False,
) -> Select:
    """The list rows' statement; with ``keys``, a page: the records' ids and
    sort keys chosen, sorted and cut to ``limit`` first (on ``record`` alone,
    so an index can give the order and nothing else runs for the rows passed
    over), the columns shown looked up for those rows only. ``joined``: the
    shown membership's campaign and status joined in, else looked up by
    :func:`_fetch`."""
    rec = m.Record
    mem, campaign, status = m.CampaignMembership, m.Campaign, m.CampaignStatus
    shown = (mem.id if joined else _shown_membership(campaign_id)).label("shown")
    counts = (
        select(func.count(m.CampaignMembership.id))
        .where(m.CampaignMembership.record_id == rec.id)
        .correlate(rec)
        .scalar_subquery()
        .label("campaign_count")
    )
    columns = [
        rec.id, rec.name, rec.kind, rec.city, rec.phone, m.User.display_name,
        rec.next_follow_up_date, rec.last_activity_at, shown, counts,
    ]  # fmt: skip
    if keys:
        chosen = select(
            rec.id.label("page_id"), *(k.expr.label(f"k{n}") for n, k in enumerate(keys))
        )
        chosen = chosen.where(*where).order_by(*_order_by(keys, descending))
        if limit is not None:
            chosen = chosen.limit(limit)
        page = chosen.subquery("page")
        page_keys = [replace(k, expr=page.c[f"k{n}"]) for n, k in enumerate(keys)]
        query = (
            select(*columns, *(k.expr for k in page_keys))
            .select_from(page)
            .join(rec, rec.id == page.c.page_id)
            .outerjoin(m.User, m.User.id == rec.owner_id)
            .order_by(*_order_by(page_keys, descending))
        )
    else:
        query = select(*columns).outerjoin(m.User, m.User.id == rec.owner_id).where(*where)
    if joined:
        query = (
            query.add_columns(campaign.name, status.name, status.color, status.is_final)
            .outerjoin(mem, mem.id == _shown_membership(campaign_id))
            .outerjoin(campaign, campaign.id == mem.campaign_id)
            .outerjoin(status, status.id == mem.status_id)
        )
    return query


_mem = m.CampaignMembership
_STATUSES = (
    select(
        _mem.id, m.Campaign.name, m.CampaignStatus.name, m.CampaignStatus.color,
        m.CampaignStatus.is_final,
    )
    .join(m.Campaign, m.Campaign.id == _mem.campaign_id)
    .join(m.CampaignStatus, m.CampaignStatus.id == _mem.status_id)
    .where(_mem.id.in_(bindparam("ids", expanding=True)))
)  # fmt: skip


def _fetch(
    session: Session,
    query: Select,
    params: dict[str, Any],
    n_keys: int,
    campaign_id: int | None,
    *,
    prebuilt: bool = False,
) -> list[RecordRow]:
    """Run a list-rows statement; the shown memberships' campaign and status in a
    second look-up (for the page's rows only). ``prebuilt``: a statement built
    once and run many times (:func:`._exec.rows`); a search's statement is built
    per search, and SQLAlchemy's compiled cache serves it better."""
    connection = session.connection()
    found = rows(session, query, params) if prebuilt else connection.execute(query, params).all()
    end = 10 + n_keys
    if found and len(found[0]) > end:  # joined: campaign and status after the keys
        return [
            RecordRow(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[end], r[end + 1], r[end + 2],
                bool(r[end + 3]), r[9] or 0, tuple(r[10:end]),
            )
            for r in found
        ]  # fmt: skip
    membership_ids = [r[8] for r in found if r[8] is not None]
    statuses: dict[int, tuple[str, str, str, bool]] = {}
    if membership_ids:
        shown = connection.execute(_STATUSES, {"ids": membership_ids})
        statuses = {r[0]: tuple(r[1:]) for r in shown}  # type: ignore[misc]
    none = (None, None, None, False)
    result = []
    for r in found:
        campaign, status, color, final = statuses.get(r[8], none)
        result.append(
            RecordRow(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], campaign, status, color,
                bool(final), r[9] or 0, tuple(r[10:end]),
            )
        )  # fmt: skip
    return result


def _walk(
    session: Session,
    keys: list[_Key],
    descending: bool,
    following: list,
    page: Callable[[list], list[RecordRow]],
    probe: list,
    limit: int,
    every: Callable[[], list],
) -> list[RecordRow]:
    """A page of many matches: the next :data:`PROBE_WINDOW` records of the sort
    order — up to the key of the last of them, an index look-up for the usual
    sorts — each checked by the conditions ``probe``; should they not fill the
    page, the matches lie further on, and ``page`` gets them as a set
    (``every()``: the conditions for that)."""
    exprs = [k.expr for k in keys]
    order = _order_by(keys, descending)
    bound = session.execute(
        select(*exprs).where(*following).order_by(*order).offset(limits.PROBE_WINDOW - 1).limit(1)
    ).first()
    window = [] if bound is None else [_up_to(keys, tuple(bound), descending)]
    found = page([*probe, *window])
    if len(found) < limit and bound is not None:
        found = page(every())
    return found
