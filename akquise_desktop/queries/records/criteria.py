"""What the record list shows and in which order.

:class:`RecordCriteria` (search text, filters, sort; also the content of a saved
search), the conditions it makes — :func:`_where`: the search and
:func:`_filters` — and the sort keys with the keyset conditions every way of
paging uses (:class:`_Key`, :func:`_keys`, :func:`_order_by`, :func:`_after`,
:func:`_up_to`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy import and_, exists, false, func, not_, or_, select

from akquise_desktop import models as m

from ..search import record_match

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
    conditions: list = []
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
