"""The sorts by account manager and by campaign status, group by group
(:func:`_grouped_page`; see the comment below)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import exists, func, literal, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from akquise_desktop import models as m

from . import limits
from .criteria import RecordCriteria, _after, _filters, _Key, _keys, _status_sort_keys, _where
from .keyset import RecordRow, _rows, _walk
from .sets import _among

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


def _runs(rows: Sequence[Any]) -> list[tuple[Any, list[int]]]:
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
        sparse = limits.PROBE_WINDOW if query.dialect == "postgresql" else limits.SMALL_RESULT
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
