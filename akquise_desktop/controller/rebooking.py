"""Rebooking (Wiedervorlagen umbuchen): move open follow-ups from one user
or a team to others — for a vacation or a leaver.

``plan`` selects the follow-ups (all, or by due-date range, campaign,
priority), distributes them over the target users and, optionally, over
working days with a maximum per user and day (weekends and the public
holidays of a region are skipped), and returns the preview table. Nothing is
written. ``run`` applies a plan through the bulk engine: each row is checked
again (bulk right and scope, still open, version unchanged since the plan),
an audit entry is written per moved follow-up, and the run can be undone as
one step (:meth:`BulkEditor.undo`). The previous assignee and date stay in the
follow-up's history (:func:`akquise_desktop.queries.follow_up_history.history`).

Distribution: rows are taken by earliest possible day (the spread's start,
the row's own due date if later and ``keep_later_dates``, never before the
activity the follow-up came from), then by priority (time-critical first),
then due date and id. Each row goes to the target user with room on that day
who got the fewest rows so far; days without room for anyone are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from akquise_desktop import models as m
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.core.holidays_calendar import WEEKENDS_ONLY, WorkCalendar
from akquise_desktop.models import FollowUpState, Module

from .base import _Op
from .bulk import (
    BulkEditor,
    BulkResult,
    CancelToken,
    PlannedFollowUpValues,
    ProgressFn,
    Refusal,
    RowRights,
    read_op,
)
from .bulk.rows import batches
from .controller import Controller

MAX_PER_DAY_LIMIT = 1_000


@dataclass(frozen=True)
class RebookFilter:
    """Which open follow-ups: those of some users or of a team's members,
    optionally only due in ``due_from``..``due_to``, of records in a campaign,
    with some priorities."""

    from_user_ids: tuple[int, ...] = ()
    from_team_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    campaign_id: int | None = None
    priorities: tuple[int, ...] = ()


@dataclass(frozen=True)
class DaySpread:
    """Spread over working days from ``start``, at most ``max_per_day`` open
    follow-ups per target user and day (counting those they already have).
    ``region``: whose public holidays are skipped (weekends always are)."""

    start: date
    max_per_day: int
    region: str = WEEKENDS_ONLY
    keep_later_dates: bool = True


@dataclass(frozen=True)
class RebookSpec:
    source: RebookFilter
    to_user_ids: tuple[int, ...]
    spread: DaySpread | None = None


@dataclass(frozen=True)
class RebookRow:
    """One row of the preview table."""

    follow_up_id: int
    version: int
    record_id: int
    record_name: str
    priority: int
    old_assignee_id: int
    old_assignee: str
    old_due: date
    new_assignee_id: int
    new_assignee: str
    new_due: date

    @property
    def changes(self) -> bool:
        return (self.old_assignee_id, self.old_due) != (self.new_assignee_id, self.new_due)


@dataclass(frozen=True)
class DayLoad:
    """A target user's open follow-ups on one day after the rebooking."""

    user_id: int
    day: date
    existing: int
    planned: int


@dataclass(frozen=True)
class RebookPlan:
    spec: RebookSpec
    rows: tuple[RebookRow, ...]
    refused: tuple[Refusal, ...]
    load: tuple[DayLoad, ...] = field(default=())

    @property
    def moving(self) -> int:
        return sum(1 for r in self.rows if r.changes)

    @property
    def versions(self) -> dict[int, int]:
        return {r.follow_up_id: r.version for r in self.rows}


@dataclass
class _Candidate:
    id: int
    version: int
    record_id: int
    record_name: str
    assignee_id: int
    due_date: date
    priority: int
    owner_id: int | None
    owner_team_id: int | None
    source_occurred_at: Any


class Rebooking:
    """Rebooking on behalf of the controller's user."""

    def __init__(self, controller: Controller) -> None:
        self.ctl = controller
        self.editor = BulkEditor(controller)

    def plan(self, spec: RebookSpec) -> RebookPlan:
        """The preview: which follow-ups go to whom on which day. Writes nothing."""
        with read_op(self.ctl) as op:
            self.editor._require_bulk(op)
            targets, names = self._check_spec(op, spec)
            candidates = self._candidates(op, spec.source)
            refused: list[Refusal] = []
            allowed: list[_Candidate] = []
            rights = RowRights.of(op)
            for c in candidates:
                try:
                    rights.check((Module.BULK_EDIT, Module.ACTIVITIES), c.owner_id, c.owner_team_id)
                except DomainError as error:
                    refused.append(Refusal.of(c.id, c.record_name, error))
                    continue
                allowed.append(c)
            names.update(self._names(op, {c.assignee_id for c in allowed}))
            zone = ZoneInfo(op.actor.time_zone)
            if spec.spread is None:
                assignment = self._round_robin(allowed, targets)
                load: list[DayLoad] = []
            else:
                assignment, load = self._spread(op, allowed, targets, spec.spread, zone)
        rows = tuple(
            RebookRow(
                follow_up_id=c.id,
                version=c.version,
                record_id=c.record_id,
                record_name=c.record_name,
                priority=c.priority,
                old_assignee_id=c.assignee_id,
                old_assignee=names.get(c.assignee_id, "?"),
                old_due=c.due_date,
                new_assignee_id=assignment[c.id][0],
                new_assignee=names[assignment[c.id][0]],
                new_due=assignment[c.id][1],
            )
            for c in allowed
        )
        return RebookPlan(spec, rows, tuple(refused), tuple(load))

    def run(
        self,
        plan: RebookPlan,
        *,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
        chunk_size: int | None = None,
    ) -> BulkResult:
        """Apply a plan; rows changed since the plan are skipped and reported."""
        values = {
            r.follow_up_id: _changed_values(r) for r in plan.rows
        }  # unchanged rows stay in: they are reported as unchanged
        operation = PlannedFollowUpValues(values=values, description=_describe(plan.spec))
        result = self.editor.run(
            operation, plan.versions, progress=progress, cancel=cancel, chunk_size=chunk_size
        )
        return replace(result, refused=plan.refused + result.refused)

    # --- checks ------------------------------------------------------------------------

    def _check_spec(self, op: _Op, spec: RebookSpec) -> tuple[list[int], dict[int, str]]:
        s = op.session
        src = spec.source
        if not src.from_user_ids and src.from_team_id is None:
            raise DomainError(
                Rule.REQUIRED, field_de="von Benutzer oder Team", field_en="from user or team"
            )
        for uid in src.from_user_ids:
            if s.get(m.User, uid) is None:  # a leaver (inactive) is fine
                raise DomainError(Rule.UNKNOWN_USER, user=uid)
        if src.from_team_id is not None:
            self.ctl._get(s, m.Team, src.from_team_id)
        if src.campaign_id is not None:
            self.ctl._get(s, m.Campaign, src.campaign_id)
        if src.due_from and src.due_to and src.due_from > src.due_to:
            raise DomainError(
                Rule.INVALID_VALUE,
                value=f"{src.due_from.isoformat()} > {src.due_to.isoformat()}",
                field_de="Zeitraum",
                field_en="date range",
            )
        for p in src.priorities:
            if p not in {x.value for x in m.Priority}:
                raise DomainError(
                    Rule.INVALID_VALUE, value=p, field_de="Priorität", field_en="priority"
                )
        targets = list(dict.fromkeys(spec.to_user_ids))
        if not targets:
            raise DomainError(Rule.REQUIRED, field_de="an Benutzer", field_en="to user")
        names = {}
        for uid in targets:
            user = self.ctl._active_user(s, uid)
            names[uid] = user.display_name
        if spec.spread is not None:
            if not 1 <= spec.spread.max_per_day <= MAX_PER_DAY_LIMIT:
                raise DomainError(
                    Rule.INVALID_VALUE,
                    value=spec.spread.max_per_day,
                    field_de="höchstens pro Tag",
                    field_en="maximum per day",
                )
            WorkCalendar(spec.spread.region)  # refuses an unknown region
        return targets, names

    # --- selection ---------------------------------------------------------------------

    def _candidates(self, op: _Op, src: RebookFilter) -> list[_Candidate]:
        fu = m.FollowUp
        owner = aliased(m.User)
        source = aliased(m.Activity)
        stmt = (
            select(
                fu.id,
                fu.version,
                fu.record_id,
                m.Record.name,
                fu.assignee_id,
                fu.due_date,
                fu.priority,
                m.Record.owner_id,
                owner.team_id,
                source.occurred_at,
            )
            .join(m.Record, m.Record.id == fu.record_id)
            .outerjoin(owner, owner.id == m.Record.owner_id)
            .outerjoin(source, source.id == fu.source_activity_id)
            .where(fu.state == FollowUpState.OPEN)
            .order_by(fu.due_date, fu.id)
        )
        if src.from_user_ids:
            stmt = stmt.where(fu.assignee_id.in_(src.from_user_ids))
        if src.from_team_id is not None:
            members = select(m.User.id).where(m.User.team_id == src.from_team_id)
            stmt = stmt.where(fu.assignee_id.in_(members))
        if src.due_from is not None:
            stmt = stmt.where(fu.due_date >= src.due_from)
        if src.due_to is not None:
            stmt = stmt.where(fu.due_date <= src.due_to)
        if src.campaign_id is not None:
            stmt = stmt.where(
                exists(
                    select(m.CampaignMembership.id).where(
                        m.CampaignMembership.record_id == fu.record_id,
                        m.CampaignMembership.campaign_id == src.campaign_id,
                    )
                )
            )
        if src.priorities:
            stmt = stmt.where(fu.priority.in_(src.priorities))
        # (The stubs type a row of more than nine columns as open-ended.)
        return [_Candidate(*row) for row in op.session.execute(stmt)]  # type: ignore[call-arg]

    @staticmethod
    def _names(op: _Op, user_ids: set[int]) -> dict[int, str]:
        names: dict[int, str] = {}
        for batch in batches(sorted(user_ids)):
            rows = op.session.execute(
                select(m.User.id, m.User.display_name).where(m.User.id.in_(batch))
            )
            names.update({uid: name for uid, name in rows})
        return names

    # --- distribution ------------------------------------------------------------------

    @staticmethod
    def _round_robin(
        rows: Sequence[_Candidate], targets: Sequence[int]
    ) -> dict[int, tuple[int, date]]:
        """Users only: dates stay; each row to the target with the fewest so far."""
        given = dict.fromkeys(targets, 0)
        result: dict[int, tuple[int, date]] = {}
        for row in sorted(rows, key=lambda r: (r.due_date, -r.priority, r.id)):
            user = min(targets, key=lambda u: given[u])
            given[user] += 1
            result[row.id] = (user, row.due_date)
        return result

    def _spread(
        self,
        op: _Op,
        rows: Sequence[_Candidate],
        targets: Sequence[int],
        spread: DaySpread,
        zone: ZoneInfo,
    ) -> tuple[dict[int, tuple[int, date]], list[DayLoad]]:
        calendar = WorkCalendar(spread.region)
        existing = self._existing_load(op, targets, spread.start)
        # The selected rows are being placed anew: they do not count as existing.
        for row in rows:
            key = (row.assignee_id, row.due_date)
            if key in existing:
                existing[key] -= 1
        planned: dict[tuple[int, date], int] = {}
        given = dict.fromkeys(targets, 0)
        full_jump: dict[date, date] = {}  # a full day -> a later day to try

        def room(user: int, day: date) -> int:
            return spread.max_per_day - existing.get((user, day), 0) - planned.get((user, day), 0)

        def first_open_day(day: date) -> date:
            """The first working day >= ``day`` with room for some target user."""
            path = []
            day = calendar.next_working_day(day)
            while True:
                if day in full_jump:
                    path.append(day)
                    day = full_jump[day]
                    continue
                if any(room(u, day) > 0 for u in targets):
                    break
                path.append(day)
                day = calendar.next_working_day(day + timedelta(days=1))
            for p in path:  # path compression
                full_jump[p] = day
            return day

        def earliest(row: _Candidate) -> date:
            day = spread.start
            if spread.keep_later_dates and row.due_date > day:
                day = row.due_date
            if row.source_occurred_at is not None:
                day = max(day, row.source_occurred_at.astimezone(zone).date())
            return day

        result: dict[int, tuple[int, date]] = {}
        first = {row.id: earliest(row) for row in rows}
        ordered = sorted(rows, key=lambda r: (first[r.id], -r.priority, r.due_date, r.id))
        for row in ordered:
            day = first_open_day(first[row.id])
            free = [u for u in targets if room(u, day) > 0]
            user = min(free, key=lambda u: given[u])
            given[user] += 1
            planned[(user, day)] = planned.get((user, day), 0) + 1
            result[row.id] = (user, day)
        load = [
            DayLoad(user, day, max(existing.get((user, day), 0), 0), count)
            for (user, day), count in sorted(planned.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ]
        return result, load

    @staticmethod
    def _existing_load(op: _Op, targets: Sequence[int], start: date) -> dict[tuple[int, date], int]:
        fu = m.FollowUp
        rows = op.session.execute(
            select(fu.assignee_id, fu.due_date, func.count())
            .where(
                fu.assignee_id.in_(list(targets)),
                fu.state == FollowUpState.OPEN,
                fu.due_date >= start,
            )
            .group_by(fu.assignee_id, fu.due_date)
        )
        return {(uid, day): count for uid, day, count in rows}


def _changed_values(row: RebookRow) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if row.new_assignee_id != row.old_assignee_id:
        values["assignee_id"] = row.new_assignee_id
    if row.new_due != row.old_due:
        values["due_date"] = row.new_due
    return values


def _describe(spec: RebookSpec) -> Mapping[str, Any]:
    src = spec.source
    description: dict[str, Any] = {
        "from_user_ids": list(src.from_user_ids),
        "from_team_id": src.from_team_id,
        "due_from": src.due_from.isoformat() if src.due_from else None,
        "due_to": src.due_to.isoformat() if src.due_to else None,
        "campaign_id": src.campaign_id,
        "priorities": list(src.priorities),
        "to_user_ids": list(spec.to_user_ids),
    }
    if spec.spread is not None:
        description["spread"] = {
            "start": spec.spread.start.isoformat(),
            "max_per_day": spec.spread.max_per_day,
            "region": spec.spread.region,
            "keep_later_dates": spec.spread.keep_later_dates,
        }
    return description
