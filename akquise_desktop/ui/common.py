"""Small shared pieces of every view: icons, colours and date formatting.

Dates and times are shown in the locale of the UI language (``QLocale()``,
set by :mod:`akquise_desktop.ui.i18n`) and timestamps in the local time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache

import qtawesome as qta
from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, QTimeZone
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel

# Priorities (akquise_desktop.models.Priority, kept as ints so this module
# needs no model import).
PRIORITY_NORMAL = 0
PRIORITY_HIGH = 1
PRIORITY_TIME_CRITICAL = 2

OVERDUE_COLOR = QColor("#C62828")
TODAY_COLOR = QColor("#FFF3C4")
HIGH_PRIORITY_COLOR = QColor("#F9A825")
TIME_CRITICAL_COLOR = QColor("#D84315")

# Inactivity bands: (at most this many days, colour); beyond the last: red.
INACTIVITY_BANDS = (
    (14, QColor("#2E7D32")),  # active
    (30, QColor("#9E9D24")),
    (60, QColor("#EF6C00")),
    (90, QColor("#D84315")),
)
INACTIVITY_DEAD = QColor("#B71C1C")
INACTIVITY_NEVER = QColor("#757575")

FALLBACK_ACTIVITY_ICON = "mdi6.note-text-outline"


def priority_icon(priority: int) -> QIcon:
    """Star for high priority, bell for time-critical, nothing for normal."""
    if priority == PRIORITY_HIGH:
        return qta.icon("mdi6.star", color=HIGH_PRIORITY_COLOR)
    if priority == PRIORITY_TIME_CRITICAL:
        return qta.icon("mdi6.bell-ring", color=TIME_CRITICAL_COLOR)
    return QIcon()


def due_brush(due_date: date | None, today: date) -> QBrush | None:
    """Foreground/background hint for a due date.

    Overdue: a red foreground brush. Due today: a highlighted background brush
    (use :func:`due_is_background` to tell the two apart). Future: None.
    """
    if due_date is None:
        return None
    if due_date < today:
        return QBrush(OVERDUE_COLOR)
    if due_date == today:
        return QBrush(TODAY_COLOR)
    return None


def due_is_background(due_date: date | None, today: date) -> bool:
    """True when :func:`due_brush` is a background (today), not a text colour."""
    return due_date is not None and due_date == today


def due_roles(due_date: date | None, today: date) -> tuple[QBrush | None, QBrush | None]:
    """(foreground, background) for a due date: overdue red text, today highlighted."""
    brush = due_brush(due_date, today)
    if brush is None:
        return None, None
    if due_is_background(due_date, today):
        return None, brush
    return brush, None


def inactivity_color(days: int | None) -> QColor:
    """Colour code for days since the last activity (None: never any)."""
    if days is None:
        return INACTIVITY_NEVER
    for limit, color in INACTIVITY_BANDS:
        if days <= limit:
            return color
    return INACTIVITY_DEAD


def days_since(moment: datetime | None, today: date) -> int | None:
    """Whole days between a UTC timestamp (in local time) and ``today``."""
    if moment is None:
        return None
    return max(0, (today - to_local(moment).date()).days)


def local_today() -> date:
    return datetime.now().astimezone().date()


def to_local(moment: datetime) -> datetime:
    """A UTC (aware) timestamp in the local time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def format_date(d: date | datetime | None) -> str:
    """A date in the short format of the UI locale; '' for None."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = to_local(d).date()
    return QLocale().toString(_qdate(d), QLocale.FormatType.ShortFormat)


def format_time(t: time | None) -> str:
    if t is None:
        return ""
    return QLocale().toString(QTime(t.hour, t.minute), QLocale.FormatType.ShortFormat)


def format_datetime(dt: datetime | None) -> str:
    """A timestamp in the local time zone, short format of the UI locale."""
    if dt is None:
        return ""
    local = to_local(dt)
    qdt = QDateTime(
        _qdate(local.date()), QTime(local.hour, local.minute), QTimeZone.systemTimeZone()
    )
    return QLocale().toString(qdt, QLocale.FormatType.ShortFormat)


def format_number(n: int) -> str:
    return QLocale().toString(n)


def activity_type_icon(icon_name: str | None) -> QIcon:
    """The icon of an activity type (a qtawesome name); a note icon if unknown."""
    return _activity_icon(icon_name or FALLBACK_ACTIVITY_ICON)


@lru_cache(maxsize=64)
def _activity_icon(name: str) -> QIcon:
    try:
        return qta.icon(name, color=QColor("#455A64"))
    except Exception:  # unknown icon name in the database: never break a view
        return qta.icon(FALLBACK_ACTIVITY_ICON, color=QColor("#455A64"))


@lru_cache(maxsize=256)
def status_swatch(color_hex: str) -> QIcon:
    """A small filled square in a campaign status colour."""
    color = QColor(color_hex) if QColor.isValidColorName(color_hex) else QColor("#808080")
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(color.darker(130))
    painter.setBrush(color)
    painter.drawRoundedRect(1, 1, 12, 12, 3, 3)
    painter.end()
    return QIcon(pixmap)


def icon(name: str, color: str | None = None) -> QIcon:
    """A qtawesome icon for actions and buttons."""
    return qta.icon(name, color=QColor(color)) if color else qta.icon(name)


def warning_banner(object_name: str = "noRight") -> QLabel:
    """A hidden red banner for a reason the user cannot act (e.g. a missing right)."""
    banner = QLabel()
    banner.setObjectName(object_name)
    banner.setWordWrap(True)
    banner.setStyleSheet(
        f"QLabel#{object_name} {{ background: #FFEBEE; border: 1px solid #C62828;"
        " border-radius: 4px; padding: 6px; color: #B71C1C; }"
    )
    banner.hide()
    return banner
