"""Small shared pieces of every view: icons, colours and date formatting.

Dates and times are shown in the locale of the UI language (``QLocale()``,
set by :mod:`akquise_desktop.ui.i18n`) and timestamps in the local time zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, QLocale, QPoint, QRect, Qt, QTime, QTimeZone
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

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
        return _icon("mdi6.star", HIGH_PRIORITY_COLOR.name())
    if priority == PRIORITY_TIME_CRITICAL:
        return _icon("mdi6.bell-ring", TIME_CRITICAL_COLOR.name())
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
        return _icon(name, "#455A64")
    except Exception:  # unknown icon name in the database: never break a view
        return _icon(FALLBACK_ACTIVITY_ICON, "#455A64")


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
    return _icon(name, QColor(color).name() if color else None)


# --- icons ------------------------------------------------------------------------------
#
# Every icon of the program is a Material Design Icons 6 glyph ("mdi6.name") from
# the font QtAwesome ships. Importing QtAwesome costs a start-up a fifth of a second
# (its qtpy layer star-imports all of QtCore, QtGui and QtWidgets) and loads all
# of its dozen fonts and character maps into memory; so the MDI 6 glyphs are drawn
# here from that one font, the way QtAwesome draws them (a glyph 7/8 of the icon
# height, centred; the disabled mode in the palette's disabled text colour).
# Other icon sets (an activity type's icon is a name stored in the database) still
# go through QtAwesome, imported when first needed.

MDI6 = "mdi6"
_GLYPH_SCALE = 0.875  # QtAwesome's: a 16 px icon draws a 14 px glyph


class _Mdi6Font:
    """The MDI 6 font of the installed QtAwesome, loaded on first use."""

    def __init__(self) -> None:
        self.family: str | None = None
        self._charmap = ""
        self._loaded = False

    def _load(self) -> None:
        self._loaded = True
        import importlib.util

        spec = importlib.util.find_spec("qtawesome")  # locates, does not import
        if spec is None or not spec.submodule_search_locations:
            return
        fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
        ttf = sorted(fonts.glob("materialdesignicons6-webfont-[0-9]*.ttf"))
        charmap = sorted(fonts.glob("materialdesignicons6-webfont-charmap-*.json"))
        if not ttf or not charmap:
            return
        font_id = QFontDatabase.addApplicationFont(str(ttf[-1]))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            self.family = families[0]
            self._charmap = charmap[-1].read_text(encoding="utf-8")

    def char(self, name: str) -> str | None:
        """The glyph of an icon name (without prefix); None if the font lacks it
        (or could not be loaded)."""
        if not self._loaded:
            self._load()
        if self.family is None:
            return None
        # The character map is a JSON object {"name": "0xf01c9", …}: a name is
        # looked up in its text (no 7,000-entry dict kept for a few dozen icons).
        key = f'"{name}"'
        at = self._charmap.find(key)
        while at >= 0:
            found = _CODE.match(self._charmap, at + len(key))
            if found:
                return chr(int(found.group(1), 16))
            at = self._charmap.find(key, at + 1)
        return None


_CODE = re.compile(r'\s*:\s*"0x([0-9a-fA-F]+)"')
_MDI6_FONT = _Mdi6Font()


class GlyphIconEngine(QIconEngine):
    """Draws one font glyph in one colour (the palette's disabled text colour
    in the disabled mode)."""

    def __init__(self, family: str, char: str, color: QColor, disabled: QColor) -> None:
        super().__init__()
        self.family = family
        self.char = char
        self.color = color
        self.disabled = disabled

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, _state) -> None:
        painter.save()
        painter.setPen(self.disabled if mode == QIcon.Mode.Disabled else self.color)
        font = QFont(self.family)
        font.setPixelSize(max(1, round(_GLYPH_SCALE * rect.height())))
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.char)
        painter.restore()

    def pixmap(self, size, mode: QIcon.Mode, state) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> GlyphIconEngine:
        return GlyphIconEngine(self.family, self.char, self.color, self.disabled)

    def key(self) -> str:
        return "akquise.glyph"


@lru_cache(maxsize=512)
def _icon(name: str, color: str | None) -> QIcon:
    """An icon by its QtAwesome name ("mdi6.phone"), in ``color`` (default: the
    palette's text colour). Raises for an unknown name, as QtAwesome does."""
    prefix, _, glyph = name.partition(".")
    char = _MDI6_FONT.char(glyph) if prefix == MDI6 and glyph else None
    if char is None or _MDI6_FONT.family is None:
        import qtawesome as qta

        return qta.icon(name, color=QColor(color)) if color else qta.icon(name)
    palette = QGuiApplication.palette()
    pen = (
        QColor(color)
        if color
        else palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
    )
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    return QIcon(GlyphIconEngine(_MDI6_FONT.family, char, pen, disabled))


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


def window_action(window: QWidget, text: str, keys: str | None, slot, icon_name: str) -> QAction:
    """A menu action of ``window``; its shortcut (if any) works wherever the
    window has the focus."""
    action = QAction(icon(icon_name, "#37474F"), text, window)
    if keys:
        action.setShortcut(QKeySequence(keys))
        window.addAction(action)
    action.triggered.connect(lambda _=False: slot())
    return action


def replace_notice(
    old: QMessageBox | None,
    title: str,
    text: str,
    parent: QWidget | None,
    gone: Callable[[QMessageBox], None],
) -> QMessageBox:
    """Show ``text`` in a non-modal information box instead of ``old`` (closed),
    so one notice stays on screen, the latest. ``gone(box)`` is called when the
    box is closed and deleted — the owner forgets it there if it is still the
    current one."""
    if old is not None:
        old.close()
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.destroyed.connect(lambda *_args: gone(box))
    box.open()
    return box
