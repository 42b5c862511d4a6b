"""The record list and the record view's data, all done in SQL.

The list pages by key: :func:`record_page` returns the rows after the last one
shown (search, filters and sort in SQL), :func:`record_total` the count of all
matches; :func:`record_ids` gives every matching id, for bulk editing of a whole
result. Nothing loads a whole table into Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ARRAY,
    Integer,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary, Entity

from ._exec import rows
from .search import candidates, record_match, short_only, words
from .timeline import MAX_OPEN, TimelinePage, open_entry, timeline_page

SORT_KEYS = ("name", "city", "phone", "status", "next_follow_up", "inactivity", "owner")
MAX_TEXT = 200


@dataclass(frozen=True)
class RecordCriteria:
    """What the record list shows: search text, filters, sort. Also the
    content of a saved search (see :meth:`to_dict`)."""

    text: str = ""
    campaign_id: int | None = None
    status_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    sort: str = "name"
    descending: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecordCriteria:
        """Build from a saved search; unknown keys and wrong types are dropped."""
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in (data or {}).items():
            if key not in known:
                continue
            if key == "text" and isinstance(value, str):
                kwargs[key] = value[:MAX_TEXT]
            elif _valid(key, value):
                kwargs[key] = value
        return cls(**kwargs)

    @property
    def filtered(self) -> bool:
        """True when anything narrows the list (search text or a filter)."""
        return bool(
            self.text.strip() or self.campaign_id or self.status_id or self.owner_id or self.team_id
        )


def _valid(key: str, value: Any) -> bool:
    if key == "sort":
        return value in SORT_KEYS
    if key == "descending":
        return isinstance(value, bool)
    return key.endswith("_id") and isinstance(value, int) and not isinstance(value, bool)


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


def _status_sort_keys(campaign_id: int | None):
    """One correlated lookup: the shown membership's status rank — progress
    first (the funnel), then workflow position — then the record name."""
    mem, cs = m.CampaignMembership, m.CampaignStatus
    rank = cs.progress * 10_000 + cs.position
    query = (
        select(rank)
        .select_from(mem)
        .join(cs, cs.id == mem.status_id)
        .where(mem.record_id == m.Record.id)
    )
    if campaign_id is not None:
        query = query.where(mem.campaign_id == campaign_id)  # one membership at most
    else:
        query = query.join(m.Campaign, m.Campaign.id == mem.campaign_id).order_by(
            m.Campaign.active.desc(), mem.since.desc(), mem.id.desc()
        )
    return [query.limit(1).correlate(m.Record).scalar_subquery(), func.lower(m.Record.name)]


def _where(criteria: RecordCriteria, dialect: str, *, probe: bool = False) -> list:
    """The conditions of ``criteria`` for ``dialect``: the search and the filters.
    ``probe``: shaped to be checked row by row while the sort index is walked
    (see :func:`record_page`), instead of as sets."""
    match = record_match(criteria.text, dialect, probe=probe)
    return ([match] if match is not None else []) + _filters(criteria, probe=probe)


def _filters(criteria: RecordCriteria, *, probe: bool = False) -> list:
    """The conditions of the filters (campaign, status, account manager, team)."""
    conditions = []
    mem = m.CampaignMembership
    if criteria.status_id is not None:
        condition = mem.status_id == criteria.status_id
    elif criteria.campaign_id is not None:
        condition = mem.campaign_id == criteria.campaign_id
    else:
        condition = None
    if condition is not None:
        if probe:
            conditions.append(exists(select(mem.id).where(mem.record_id == m.Record.id, condition)))
        else:
            conditions.append(m.Record.id.in_(select(mem.record_id).where(condition)))
    if criteria.owner_id is not None:
        conditions.append(m.Record.owner_id == criteria.owner_id)
    if criteria.team_id is not None:
        conditions.append(
            m.Record.owner_id.in_(select(m.User.id).where(m.User.team_id == criteria.team_id))
        )
    return conditions


@dataclass(frozen=True)
class _Key:
    """One sort key of the record list, in its ascending form.

    ``nulls``: where NULL goes — ``"last"`` in both directions, or
    ``"smallest"`` (first ascending, last descending)."""

    expr: Any
    nullable: bool = True
    nulls: str = "last"

    def nulls_first(self, descending: bool) -> bool:
        return self.nullable and self.nulls == "smallest" and not descending


def _keys(criteria: RecordCriteria) -> list[_Key]:
    """The sort keys of ``criteria``, ending with the record id (unique)."""
    rec = m.Record
    name = _Key(func.lower(rec.name), nullable=False)
    sort = criteria.sort if criteria.sort in SORT_KEYS else "name"
    if sort == "name":
        keys = [name]
    elif sort == "city":
        keys = [_Key(rec.city), name]
    elif sort == "phone":
        keys = [_Key(rec.phone)]
    elif sort == "status":
        rank, _name = _status_sort_keys(criteria.campaign_id)
        keys = [_Key(rank), name]
    elif sort == "next_follow_up":
        keys = [_Key(rec.next_follow_up_date)]
    elif sort == "inactivity":
        # Most days without activity = oldest last activity; never = most inactive.
        keys = [_Key(rec.last_activity_at, nulls="smallest")]
    else:  # owner
        owner_name = (
            select(m.User.display_name)
            .where(m.User.id == rec.owner_id)
            .correlate(rec)
            .scalar_subquery()
        )
        keys = [_Key(func.lower(owner_name))]
    return [*keys, _Key(rec.id, nullable=False)]


def _order_by(keys: list[_Key], descending: bool) -> list:
    order = []
    for key in keys:
        ordered = key.expr.desc() if descending else key.expr.asc()
        if key.nullable:
            ordered = ordered.nulls_first() if key.nulls_first(descending) else ordered.nulls_last()
        order.append(ordered)
    return order


def _order(criteria: RecordCriteria) -> list:
    return _order_by(_keys(criteria), criteria.descending)


def _after(keys: list[_Key], values: tuple, descending: bool):
    """Rows strictly after ``values`` (a row's key) in the list's order: the
    condition of keyset paging, NULLs placed as :func:`_order_by` places them."""

    def same(key: _Key, value: Any):
        return key.expr.is_(None) if value is None else key.expr == value

    def beyond(key: _Key, value: Any):
        nulls_first = key.nulls_first(descending)
        if value is None:
            return key.expr.is_not(None) if nulls_first else false()
        further = key.expr < value if descending else key.expr > value
        if key.nullable and not nulls_first:
            return or_(further, key.expr.is_(None))
        return further

    branches = []
    for n, (key, value) in enumerate(zip(keys, values, strict=True)):
        branches.append(
            and_(
                *(same(k, v) for k, v in zip(keys[:n], values[:n], strict=True)), beyond(key, value)
            )
        )
    condition = or_(*branches)
    first, value = keys[0], values[0]
    if not first.nullable:
        # The same rows, said so that the planner can start in the sort index.
        condition = and_(first.expr <= value if descending else first.expr >= value, condition)
    return condition


def _up_to(keys: list[_Key], values: tuple, descending: bool):
    """Rows up to and including ``values`` in the list's order (the complement
    of :func:`_after`), with the first key's bound said plainly for the index."""
    condition = not_(func.coalesce(_after(keys, values, descending), false()))
    first, value = keys[0], values[0]
    if not first.nullable:
        condition = and_(first.expr >= value if descending else first.expr <= value, condition)
    return condition


def record_ids(session: Session, criteria: RecordCriteria) -> list[int]:
    """The ids of every record that matches, in display order (bulk editing of
    a whole result; the list itself pages with :func:`record_page`)."""
    dialect = session.get_bind().dialect.name
    query = select(m.Record.id).where(*_where(criteria, dialect)).order_by(*_order(criteria))
    return list(session.scalars(query))


# A search whose matches are fewer than this is answered from its set of ids;
# more, and the list walks the sort index, checking each record (the first
# page of a one-letter search without sorting 100,000 records).
SMALL_RESULT = 500
LARGE_RESULT = 5_000  # PostgreSQL: up to this many matches of long words are sorted
PROBE_WINDOW = 5_000  # records of the sort order a page of a big result looks at
COUNT_CAP = 10_000  # counts of a filtered list stop here ("10,000+")


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
        page = _fetch(session, statement, params, n_keys, criteria.campaign_id, prebuilt=True)
        return RecordPage(page)
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
    few, cap = None, SMALL_RESULT
    if not text:  # SQLite's filters (a grouped sort: straight to its groups)
        few = _filter_candidates(criteria, cap) if membership else None
    elif dialect == "sqlite":
        few = candidates(dialect, criteria.text, _filters(criteria), cap)
    elif not short_only(criteria.text):
        # PostgreSQL: the trigram indexes collect a long word's matches quickly,
        # sorting a few thousand by primary key look-ups is cheap. (Words of
        # one or two letters cannot be collected by an index: straight on.)
        cap = LARGE_RESULT
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


def _among(ids: list[int], dialect: str):
    """``record.id`` among ``ids`` (PostgreSQL: one array parameter)."""
    if dialect == "postgresql":
        return m.Record.id == func.any(bindparam("ids", ids, type_=ARRAY(Integer)))
    return m.Record.id.in_(ids)


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
        select(*exprs).where(*following).order_by(*order).offset(PROBE_WINDOW - 1).limit(1)
    ).first()
    window = [] if bound is None else [_up_to(keys, tuple(bound), descending)]
    found = page([*probe, *window])
    if len(found) < limit and bound is not None:
        found = page(every())
    return found


# --- the sorts by account manager and by campaign status: group by group --------------
#
# Their first key is looked up per record (the owner's name, the shown membership's
# status rank): sorting by it means computing it for every record (0.3-2 s at
# 100,000). But it has few values — one per account manager, one per status rank —
# so a page goes through them in order, each a group of records found by an index
# (the owner's records; the members of the statuses of that rank) and sorted by
# the remaining keys like any filtered list.

GROUPED_SORTS = ("owner", "status")


class _Group(NamedTuple):
    key: Any  # the first sort key's value of the group's records (None: no value)
    where: Any  # the condition on ``record`` of being in the group
    members: Select | None  # ids of at least the group's records by an index; None: none


def _groups(session: Session, criteria: RecordCriteria) -> list[_Group]:
    """The groups of a grouped sort, in list order (the group without a value
    last, in both directions)."""
    rec, mem, cs = m.Record, m.CampaignMembership, m.CampaignStatus
    groups: list[_Group] = []
    empty: _Group | None
    if criteria.sort == "owner":
        u = m.User
        users = select(func.lower(u.display_name), u.id).order_by(func.lower(u.display_name), u.id)
        if criteria.owner_id is not None:  # the filters leave these groups only
            users = users.where(u.id == criteria.owner_id)
        if criteria.team_id is not None:
            users = users.where(u.team_id == criteria.team_id)
        found = session.execute(users).all()
        for key, ids in _runs(found):
            groups.append(
                _Group(key, rec.owner_id.in_(ids), select(rec.id).where(rec.owner_id.in_(ids)))
            )
        empty = _Group(None, rec.owner_id.is_(None), select(rec.id).where(rec.owner_id.is_(None)))
        if criteria.owner_id is not None or criteria.team_id is not None:
            empty = None  # a filtered account manager: every record has one
    else:
        rank = cs.progress * 10_000 + cs.position
        statuses = select(rank, cs.id).order_by(rank, cs.id)
        if criteria.campaign_id is not None:
            statuses = statuses.where(cs.campaign_id == criteria.campaign_id)
        shown = _status_sort_keys(criteria.campaign_id)[0]
        for key, ids in _runs(session.execute(statuses).all()):
            members = select(mem.record_id).where(mem.status_id.in_(ids))
            if criteria.campaign_id is not None:  # the record's one membership in it
                where = exists(members.where(mem.record_id == rec.id))
            else:  # the shown one of the record's memberships
                where = shown == key
            groups.append(_Group(key, where, members))
        empty = _Group(None, shown.is_(None), None)
        if criteria.campaign_id is not None or criteria.status_id is not None:
            empty = None  # a campaign or status filter: every record has a membership
    if criteria.descending:
        groups.reverse()
    return groups if empty is None else [*groups, empty]


def _runs(rows: list) -> list[tuple[Any, list[int]]]:
    """(key, ids) rows in key order as runs of equal keys."""
    runs: list[tuple[Any, list[int]]] = []
    for key, ident in rows:
        if runs and runs[-1][0] == key:
            runs[-1][1].append(ident)
        else:
            runs.append((key, [ident]))
    return runs


def _grouped_page(
    session: Session, criteria: RecordCriteria, after: tuple | None, limit: int
) -> list[RecordRow]:
    """A page of a grouped sort: the groups from the one of ``after`` on, each
    sorted by the remaining keys, until the page is full."""
    groups = _groups(session, criteria)
    start = 0
    if after is not None:
        start = next((n for n, g in enumerate(groups) if g.key == after[0]), len(groups))
        if after[0] is not None and start == len(groups):  # its group is gone: the next
            start = _next_group(session, criteria, groups, after[0])
    dialect = session.get_bind().dialect.name
    shared = _GroupQuery(
        criteria,
        dialect,
        _keys(criteria)[1:],
        _where(criteria, dialect),
        _where(criteria, dialect, probe=True),
        _filters(criteria, probe=True),
    )
    found: list[RecordRow] = []
    for n, group in enumerate(groups[start:], start=start):
        rest = after[1:] if after is not None and n == start and group.key == after[0] else None
        found += _group_page(session, shared, group, rest, limit - len(found))
        if len(found) >= limit:
            break
    return found


class _GroupQuery(NamedTuple):
    """What every group's page of one list page uses (built once per page)."""

    criteria: RecordCriteria
    dialect: str
    keys: list[_Key]  # the sort keys after the first
    where: list  # the criteria's conditions as sets
    probe: list  # … as checks per record
    filters: list  # the filters alone, as checks per record


def _next_group(session: Session, criteria: RecordCriteria, groups: list[_Group], key: Any) -> int:
    """The first group after ``key`` (the group of a page's last row, renamed or
    emptied since), by the database's order of the key values; after them the
    group without a value, if the list has one, else the end."""
    last = len(groups) - 1 if groups and groups[-1].key is None else len(groups)
    values = [g.key for g in groups if g.key is not None]
    if not values:
        return last
    probe = union_all(*(select(literal(v).label("k")) for v in [*values, key])).subquery()
    order = probe.c.k.desc() if criteria.descending else probe.c.k.asc()
    ordered = [row[0] for row in session.execute(select(probe.c.k).order_by(order))]
    position = ordered.index(key)
    following = {v for v in ordered[position + 1 :] if v != key}
    return next((n for n, g in enumerate(groups) if g.key in following), last)


def _group_page(
    session: Session, query: _GroupQuery, group: _Group, after: tuple | None, limit: int
) -> list[RecordRow]:
    """Up to ``limit`` of the group's rows matching the criteria, by the keys
    after the first, following ``after`` (those keys of the last row shown)."""
    criteria, keys = query.criteria, query.keys
    descending = criteria.descending
    following = [_after(keys, after, descending)] if after is not None else []

    def page(where: list) -> list[RecordRow]:
        found = _rows(
            session,
            [group.where, *where, *following],
            keys=keys,
            descending=descending,
            limit=limit,
            campaign_id=criteria.campaign_id,
        )
        return [r._replace(key=(group.key, *r.key)) for r in found]

    if group.members is not None:  # few of its records pass the filters: those sorted
        members = group.members.subquery()
        member = members.c[0]
        sparse = PROBE_WINDOW if query.dialect == "postgresql" else SMALL_RESULT
        candidates = (
            select(member).join(m.Record, m.Record.id == member).where(*query.filters).limit(sparse)
        )
        ids = list(session.scalars(candidates))
        # PostgreSQL: fewer than a window's worth are checked and sorted too — a
        # walk would check a whole window in vain (each check of a status group
        # is a look-up of the record's memberships).
        if len(ids) < sparse:
            return page([_among(ids, query.dialect), *query.where]) if ids else []

    def every() -> list:  # the group's records as a set
        among = [] if group.members is None else [m.Record.id.in_(group.members)]
        return [*among, *query.where]

    return _walk(session, keys, descending, following, page, query.probe, limit, every)


def _filter_candidates(criteria: RecordCriteria, limit: int) -> Select:
    """At most ``limit`` ids of the records the filters let through, in no
    particular order, by a query that stops once it has them: a campaign or
    status filter read from the memberships' index (an ``IN`` on ``record``
    would first collect every member: 17 ms for a campaign of 55,000 on SQLite)."""
    mem = m.CampaignMembership
    if criteria.status_id is not None:
        query = select(mem.record_id).where(mem.status_id == criteria.status_id)
    elif criteria.campaign_id is not None:
        query = select(mem.record_id).where(mem.campaign_id == criteria.campaign_id)
    else:
        return select(m.Record.id).where(*_filters(criteria)).limit(limit)
    people = _filters(replace(criteria, campaign_id=None, status_id=None))
    if people:  # account manager or team: on the record
        query = query.join(m.Record, m.Record.id == mem.record_id).where(*people)
    return query.limit(limit)


def _every_match(criteria: RecordCriteria, dialect: str):
    """All matches first (by the search indexes), then sorted: on PostgreSQL as
    an array of ids looked up by primary key, elsewhere as a set (OFFSET 0 keeps
    it one)."""
    matches = select(m.Record.id).where(*_where(criteria, dialect))
    if dialect == "postgresql":
        return m.Record.id == func.any(func.array(matches.scalar_subquery()))
    return m.Record.id.in_(matches.offset(0))


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
    n = record_count(session, criteria, cap=COUNT_CAP)
    return RecordCount(min(n, COUNT_CAP), exact=n <= COUNT_CAP)


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
        values = tuple(None if null else bindparam(f"after{n}") for n, null in enumerate(nulls))
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


# --- the record view -------------------------------------------------------------


@dataclass(frozen=True)
class ContactRow:
    id: int
    version: int
    salutation: str | None
    title: str | None
    first_name: str | None
    last_name: str
    position: str | None
    phone: str | None
    mobile: str | None
    email: str | None
    notes: str | None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


@dataclass(frozen=True)
class MembershipRow:
    id: int
    campaign_id: int
    campaign: str
    campaign_active: bool
    status_id: int
    status: str
    color: str
    progress: int
    is_final: bool
    since: datetime


@dataclass(frozen=True)
class OpenFollowUp:
    id: int
    version: int
    due_date: date
    due_time: time | None
    priority: int
    instruction: str
    assignee_id: int
    assignee: str
    source_activity_id: int | None
    source_subject: str | None
    recurrence: str | None


@dataclass(frozen=True)
class RecordDetail:
    id: int
    version: int
    kind: str
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    country: str | None
    phone: str | None
    email: str | None
    website: str | None
    industry: str | None
    notes: str | None
    owner_id: int | None
    owner: str | None
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime | None
    next_follow_up: date | None
    contacts: tuple[ContactRow, ...] = field(default=())
    memberships: tuple[MembershipRow, ...] = field(default=())
    follow_ups: tuple[OpenFollowUp, ...] = field(default=())


# The record view's statements, built once (the record id is a parameter) and
# run on the session's connection: opening a record costs the SQL, little more.
_RID = bindparam("record_id")
_c = m.Contact
_CONTACTS = (
    select(
        _c.id, _c.version, _c.salutation, _c.title, _c.first_name, _c.last_name, _c.position,
        _c.phone, _c.mobile, _c.email, _c.notes,
    )
    .where(_c.record_id == _RID)
    .order_by(func.lower(_c.last_name), func.lower(_c.first_name), _c.id)
)  # fmt: skip
_cs = m.CampaignStatus
_MEMBERSHIPS = (
    select(
        _mem.id, _mem.campaign_id, m.Campaign.name, m.Campaign.active, _mem.status_id, _cs.name,
        _cs.color, _cs.progress, _cs.is_final, _mem.since,
    )
    .join(m.Campaign, m.Campaign.id == _mem.campaign_id)
    .join(_cs, _cs.id == _mem.status_id)
    .where(_mem.record_id == _RID)
    .order_by(m.Campaign.active.desc(), _mem.since.desc(), _mem.id.desc())
)  # fmt: skip
_fu = m.FollowUp
_OPEN_FOLLOW_UPS = (
    select(
        _fu.id, _fu.version, _fu.due_date, _fu.due_time, _fu.priority, _fu.instruction,
        _fu.assignee_id, m.User.display_name, _fu.source_activity_id, m.Activity.subject,
        _fu.recurrence,
    )
    .join(m.User, m.User.id == _fu.assignee_id)
    .outerjoin(m.Activity, m.Activity.id == _fu.source_activity_id)
    .where(_fu.record_id == _RID, _fu.state == m.FollowUpState.OPEN)
    .order_by(_fu.due_date, _fu.due_time.is_(None), _fu.due_time, _fu.priority.desc(), _fu.id)
)  # fmt: skip
_rec = m.Record
_DETAIL = (
    select(
        _rec.id, _rec.version, _rec.kind, _rec.name, _rec.street, _rec.postal_code, _rec.city,
        _rec.country, _rec.phone, _rec.email, _rec.website, _rec.industry, _rec.notes,
        _rec.owner_id, m.User.display_name, _rec.created_at, _rec.updated_at,
        _rec.last_activity_at, _rec.next_follow_up_date,
    )
    .outerjoin(m.User, m.User.id == _rec.owner_id)
    .where(_rec.id == _RID)
)  # fmt: skip


def contacts(session: Session, record_id: int) -> tuple[ContactRow, ...]:
    return tuple(ContactRow(*row) for row in rows(session, _CONTACTS, {"record_id": record_id}))


def memberships(session: Session, record_id: int) -> tuple[MembershipRow, ...]:
    found = rows(session, _MEMBERSHIPS, {"record_id": record_id})
    return tuple(MembershipRow(*row) for row in found)


def open_follow_ups(session: Session, record_id: int) -> tuple[OpenFollowUp, ...]:
    """The record's open follow-ups, soonest first."""
    found = rows(session, _OPEN_FOLLOW_UPS, {"record_id": record_id})
    return tuple(OpenFollowUp(*row) for row in found)


def record_detail(session: Session, record_id: int) -> RecordDetail | None:
    """Everything the record view shows except the timeline; None if gone."""
    found = rows(session, _DETAIL, {"record_id": record_id})
    if not found:
        return None
    return RecordDetail(
        *found[0],
        contacts=contacts(session, record_id),
        memberships=memberships(session, record_id),
        follow_ups=open_follow_ups(session, record_id),
    )


def record_view(session: Session, record_id: int) -> tuple[RecordDetail | None, TimelinePage]:
    """What opening a record shows: its detail and its timeline's first page,
    read in one transaction. The timeline's open follow-ups are the detail's
    (read once, not twice)."""
    detail = record_detail(session, record_id)
    if detail is None:
        return None, TimelinePage((), None)
    latest_due_first = sorted(detail.follow_ups, key=lambda f: (f.due_date, f.id), reverse=True)
    head = [
        open_entry(f.id, f.due_date, f.due_time, f.instruction, f.assignee, f.priority)
        for f in latest_due_first[:MAX_OPEN]
    ]
    return detail, timeline_page(session, record_id, open_entries=head)


def record_exists(session: Session, record_id: int) -> bool:
    return session.scalar(select(m.Record.id).where(m.Record.id == record_id)) is not None


# --- saved searches ----------------------------------------------------------------


@dataclass(frozen=True)
class SavedSearchRow:
    id: int
    name: str
    criteria: RecordCriteria


def saved_searches(session: Session, user_id: int) -> tuple[SavedSearchRow, ...]:
    """The user's saved searches, by name."""
    s = m.SavedSearch
    query = (
        select(s.id, s.name, s.criteria)
        .where(s.user_id == user_id)
        .order_by(func.lower(s.name), s.id)
    )
    return tuple(
        SavedSearchRow(sid, name, RecordCriteria.from_dict(criteria or {}))
        for sid, name, criteria in session.execute(query)
    )


def records_touched(session: Session, summary: ChangeSummary) -> set[int]:
    """The ids of the records a change summary concerns (for views showing one)."""
    found = set(summary.ids(Entity.RECORD))
    owners = (
        (Entity.CONTACT, m.Contact),
        (Entity.FOLLOW_UP, m.FollowUp),
        (Entity.ACTIVITY, m.Activity),
        (Entity.MEMBERSHIP, m.CampaignMembership),
        (Entity.STATUS_CHANGE, m.StatusChange),
    )
    for entity, model in owners:
        ids = summary.ids(entity) - summary.deleted.get(entity, frozenset())
        if ids:
            found.update(
                session.scalars(select(model.record_id).where(model.id.in_(sorted(ids))).distinct())
            )
    return found
