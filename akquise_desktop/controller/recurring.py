"""Recurring follow-ups (automatische Wiederholung): make an open follow-up
the first of a series, change or end its rule, preview the coming dates.

The rule is RFC 5545 RRULE text from a dialog preset or a custom rule
(:func:`akquise_desktop.core.recurrence.build_rule`), stored with the
follow-up's local start date, wall-clock time and time zone and expanded on
local wall time. Completing an occurrence through an activity creates
exactly one next occurrence (the controller's ``log_activity``), counted from
the due date or from the completion date (``recurrence_anchor``); with a
``recurrence_shift`` region that date moves off weekends and public holidays
(:mod:`akquise_desktop.models.series`). Cancelling an occurrence ends the
series.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from akquise_desktop import models as m
from akquise_desktop.core import recurrence
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.core.holidays_calendar import WorkCalendar, normalize_region
from akquise_desktop.core.recurrence import RecurrenceSpec
from akquise_desktop.models import FollowUpState, Module, RecurrenceAnchor

from .base import _Op
from .controller import Controller

PREVIEW_COUNT = 10


@dataclass(frozen=True)
class Occurrence:
    """One coming occurrence for the dialog's preview."""

    number: int
    due_date: date
    at: datetime | None  # aware, in the follow-up's time zone, for a timed one
    # The rule's own date when it fell on a day off and was moved; the
    # holiday's name (None: a weekend).
    moved_from: date | None = None
    holiday: str | None = None


class RecurringFollowUps:
    """Series operations on behalf of the controller's user."""

    def __init__(self, controller: Controller) -> None:
        self.ctl = controller

    def set_recurrence(
        self,
        follow_up_id: int,
        spec: RecurrenceSpec | None,
        *,
        expected_version: int,
        anchor: RecurrenceAnchor = RecurrenceAnchor.DUE,
        shift_region: str | None = None,
    ) -> ChangeSummary:
        """Make an open follow-up the first occurrence of a series (or change
        its rule; ``spec`` None makes it a single follow-up again).

        Refused (nothing written): a broken rule, a rule with no occurrence
        after today, an unknown region, a stale version, a closed follow-up.
        """

        def body(op: _Op) -> int:
            s = op.session
            fu = self.ctl._get(s, m.FollowUp, follow_up_id, lock=True)
            self.ctl._require(op, Module.ACTIVITIES, fu.record)
            self.ctl._check_version(fu, expected_version)
            if fu.state != FollowUpState.OPEN:
                raise DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=fu.id)
            if spec is None:
                fu.recurrence = None
                fu.series_start_date = None
                fu.recurrence_shift = None
                fu.recurrence_anchor = RecurrenceAnchor.DUE.value
                fu.occurrence = 1
            else:
                rule = recurrence.build_rule(spec, fu.due_date, fu.due_time, zone=fu.time_zone)
                today = op.now.astimezone(ZoneInfo(fu.time_zone)).date()
                _require_future(rule, fu.due_date, fu.due_time, today, fu.time_zone)
                fu.recurrence = rule
                fu.recurrence_anchor = RecurrenceAnchor(anchor).value
                fu.series_start_date = fu.due_date
                fu.recurrence_shift = normalize_region(shift_region) if shift_region else None
                fu.occurrence = 1
            fu.updated_at = op.now
            return fu.id

        return self.ctl._run("set_recurrence", body)


def upcoming(
    rule: str,
    *,
    first_due: date,
    at: time | None = None,
    zone: str = "Europe/Berlin",
    anchor: RecurrenceAnchor = RecurrenceAnchor.DUE,
    shift_region: str | None = None,
    count: int = PREVIEW_COUNT,
) -> list[Occurrence]:
    """The first ``count`` occurrences of a new series (the dialog's preview),
    as completing each on its due date would create them."""
    recurrence.validate(rule, first_due, at, zone=zone)
    calendar = WorkCalendar(shift_region) if shift_region else None
    from_completion = RecurrenceAnchor(anchor) is RecurrenceAnchor.COMPLETION

    def timed(day: date) -> datetime | None:
        return recurrence.local_datetime(day, at, zone) if at is not None else None

    result = [Occurrence(1, first_due, timed(first_due))]
    current = first_due
    while len(result) < count:
        natural = recurrence.next_occurrence(
            rule,
            series_start=first_due,
            due=current,
            at=at,
            occurrence=len(result),
            from_completion=current if from_completion else None,
            zone=zone,
        )
        if natural is None:
            break
        day = calendar.next_working_day(natural) if calendar else natural
        moved = natural if day != natural else None
        holiday = calendar.holiday_name(natural) if calendar and moved else None
        result.append(Occurrence(len(result) + 1, day, timed(day), moved, holiday))
        current = day
    return result


def _require_future(rule: str, start: date, at: time | None, today: date, zone: str) -> None:
    """An overdue first occurrence needs a rule that still has one from today on."""
    if start >= today:
        return  # the first occurrence lies ahead; build_rule checked there is a next
    midnight = datetime.combine(today, time(0, 0))
    if recurrence.first_after(rule, start, at, midnight - timedelta(seconds=1), zone=zone) is None:
        raise DomainError(
            Rule.INVALID_RECURRENCE,
            reason="keine künftige Fälligkeit / no future occurrence",
        )
