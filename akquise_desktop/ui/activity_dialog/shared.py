"""What the activity dialog and its parts share: the UI language of refusals,
whether completing a recurring follow-up goes on with the series, the acting
user's time zone, the locale's date and time formats, readable recurrence
rules."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QLocale

from akquise_desktop import models as m
from akquise_desktop.core import recurrence
from akquise_desktop.core.errors import DomainError
from akquise_desktop.queries.activity_form import ActivityForm, OpenFollowUp

from .. import i18n


def ui_language() -> str:
    """The UI language ("de" or "en"), for DomainError messages."""
    return i18n.current_language()


def series_continues(fu: OpenFollowUp, completed_on: date) -> bool:
    """Whether completing the recurring follow-up ``fu`` creates a next occurrence."""
    if not fu.recurrence:
        return False
    try:
        nxt = recurrence.next_occurrence(
            fu.recurrence,
            series_start=fu.series_start_date or fu.due_date,
            due=fu.due_date,
            at=fu.due_time,
            occurrence=fu.occurrence,
            from_completion=(
                completed_on if fu.recurrence_anchor == m.RecurrenceAnchor.COMPLETION else None
            ),
            zone=fu.time_zone,
        )
    except DomainError:
        return False
    return nxt is not None


def actor_zone(form: ActivityForm) -> ZoneInfo:
    """The acting user's time zone (UTC if the name is unknown)."""
    try:
        return ZoneInfo(form.actor.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


# --- locale formats ------------------------------------------------------------


def date_format() -> str:
    fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    # Always show a four-digit year: unambiguous when typing.
    return fmt.replace("yyyy", "yy").replace("yy", "yyyy")


def datetime_format() -> str:
    return f"{date_format()} {time_format()}"


def time_format() -> str:
    return QLocale().timeFormat(QLocale.FormatType.ShortFormat)


def describe_rule(rule: str, start: date, zone: str = recurrence.DEFAULT_ZONE) -> str:
    """A readable description of a recurrence rule ('' if there is none)."""
    try:
        return recurrence.describe(rule, start, ui_language(), zone=zone)
    except (DomainError, ValueError, KeyError):
        return ""


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
