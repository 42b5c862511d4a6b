"""Phone calls: the call in progress, the caller look-up and click-to-dial.

- :class:`CallState` (``services.calls``): the one call in progress — record,
  contact person, start from the injectable clock, direction. A call starts
  when an incoming call is answered by the look-up (:class:`IncomingCalls`) or
  when the user dials (:meth:`CallState.dial`, a ``tel:`` link for the OS's
  dialler, opened by :attr:`CallState.open_url` — injectable: tests never open
  a URL). It ends when its *Telefonat* is logged or the user dismisses it.
- :class:`CallBar`: the bar above the views while a call is in progress,
  "Anruf mit … seit 10:42" and *Telefonat erfassen* (Ctrl+T, the main window's
  action), which opens the activity dialog with the type *Telefonat*, the
  contact person and the duration filled in.
- :class:`IncomingCalls`: ``akquise-desktop call NUMBER`` handed over by the
  single-instance channel (:func:`akquise_desktop.desktop.urls.call_url`) — the
  number looked up on the worker (:func:`akquise_desktop.queries.calls.caller_matches`,
  the record list's search): one record is opened, several are offered in
  :class:`CallerChooser`, none opens *Neuer Datensatz* with the number.

(No model import here: the main window makes the bar at start.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QFontMetrics, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.clock import Clock
from akquise_desktop.desktop.urls import tel_url

from . import common
from .common import replace_notice

if TYPE_CHECKING:
    from akquise_desktop.queries.calls import CallMatch

    from .main_window import MainWindow
    from .services import Services

INCOMING = "incoming"
OUTGOING = "outgoing"
MAX_DURATION_MINUTES = 24 * 60  # as the activity's duration
LOG_CALL_KEYS = "Ctrl+T"


@dataclass(frozen=True)
class Call:
    """A call in progress."""

    record_id: int
    record_name: str
    number: str
    started_at: datetime  # aware (the clock's now when it began)
    direction: str = INCOMING  # INCOMING or OUTGOING
    contact_id: int | None = None
    contact_name: str | None = None

    def duration_minutes(self, now: datetime) -> int:
        """Minutes from the start to ``now``, rounded, at least 1 (at most a day)."""
        seconds = (now - self.started_at).total_seconds()
        return min(MAX_DURATION_MINUTES, max(1, int(seconds / 60 + 0.5)))

    def partner(self) -> str:
        """Who the call is with: the record, and the contact person if known."""
        if self.contact_name:
            return f"{self.record_name} ({self.contact_name})"
        return self.record_name


class CallState(QObject):
    """The call in progress (one at a time; a new call replaces it)."""

    changed = Signal()

    def __init__(
        self,
        clock: Clock,
        open_url: Callable[[QUrl], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        # What opens a tel: link: the OS's dialler (tests give their own).
        self.open_url: Callable[[QUrl], bool] = open_url or QDesktopServices.openUrl
        self.current: Call | None = None
        self.message_box: QMessageBox | None = None

    def start(
        self,
        record_id: int,
        record_name: str,
        number: str,
        *,
        direction: str = INCOMING,
        contact_id: int | None = None,
        contact_name: str | None = None,
        started_at: datetime | None = None,
    ) -> Call:
        call = Call(
            record_id, record_name, number, started_at or self.clock.now(), direction,
            contact_id, contact_name,
        )  # fmt: skip
        self.current = call
        self.changed.emit()
        return call

    def end(self, call: Call | None = None) -> None:
        """End the call in progress (only ``call``, when given: a newer one stays)."""
        if self.current is None or (call is not None and self.current != call):
            return
        self.current = None
        self.changed.emit()

    def dial(
        self,
        number: str | None,
        record_id: int,
        record_name: str,
        *,
        contact_id: int | None = None,
        contact_name: str | None = None,
        parent: QWidget | None = None,
    ) -> Call | None:
        """Dial ``number`` with the OS's dialler (a ``tel:`` link) and start the
        call (outgoing); None when there is nothing to dial or no dialler took it
        (then a message says so)."""
        url = tel_url(number)
        if url is None or number is None:
            return None
        if not self.open_url(QUrl(url)):
            text = QCoreApplication.translate(
                "Calls", "No program on this computer dials phone numbers (tel: links): %1"
            )
            self._tell(parent, text.replace("%1", number))
            return None
        return self.start(
            record_id, record_name, number, direction=OUTGOING,
            contact_id=contact_id, contact_name=contact_name,
        )  # fmt: skip

    def _tell(self, parent: QWidget | None, text: str) -> None:
        title = QCoreApplication.translate("Calls", "Call")
        self.message_box = replace_notice(self.message_box, title, text, parent, self._box_gone)

    def _box_gone(self, box: QMessageBox) -> None:
        if self.message_box is box:
            self.message_box = None


def local_time(clock: Clock, moment: datetime) -> str:
    """``moment`` as the wall-clock time (HH:MM) of the clock's zone."""
    local = moment.astimezone(clock.local_zone) if clock.local_zone else moment.astimezone()
    return f"{local.hour:02d}:{local.minute:02d}"


def link_html(number: str) -> str:
    """``number`` as a ``tel:`` link in a rich-text label (plain text if it has no digits)."""
    from html import escape

    url = tel_url(number)
    if url is None:
        return escape(number)
    return f"<a href='{url}'>{escape(number)}</a>"


LINK_COLOR = "#1565C0"
LINK_MARGIN = 8  # pixels beside the text a click still counts as on the link


def link_font(font: QFont) -> QFont:
    underlined = QFont(font)
    underlined.setUnderline(True)
    return underlined


class PhoneLinks(QObject):
    """Phone numbers in one column of a list (``view``: a QTableView or
    QTreeView) as links: the pointing hand over the number, a left click on it
    calls ``dial(index)``. (A click beside the number selects the row, as
    anywhere else; the model paints the number as a link.)"""

    def __init__(
        self,
        view: QAbstractItemView,
        column: int,
        dial: Callable[[QModelIndex], None],
    ) -> None:
        super().__init__(view)
        self.view = view
        self.column = column
        self.dial = dial
        view.viewport().setMouseTracking(True)
        view.viewport().installEventFilter(self)

    def link_at(self, pos: QPoint) -> QModelIndex | None:
        """The index whose number is under ``pos`` (viewport coordinates)."""
        index = self.view.indexAt(pos)
        if not index.isValid() or index.column() != self.column:
            return None
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text or tel_url(str(text)) is None:
            return None
        rect = self.view.visualRect(index)
        font = index.data(Qt.ItemDataRole.FontRole) or self.view.font()
        width = QFontMetrics(font).horizontalAdvance(str(text))
        return index if pos.x() <= rect.left() + width + LINK_MARGIN else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            over = self.link_at(event.position().toPoint()) is not None
            shape = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor
            self.view.viewport().setCursor(shape)
        elif (
            kind == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            index = self.link_at(event.position().toPoint())
            if index is not None:
                self.dial(index)
        return False


class CallBar(QFrame):
    """ "Anruf mit … seit 10:42 — Telefonat erfassen" while a call is in progress."""

    log_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("callBar")
        self.setStyleSheet(
            "QFrame#callBar { background: #E3F2FD; border-bottom: 1px solid #90CAF9; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        symbol = QLabel(self)
        symbol.setPixmap(common.icon("mdi6.phone-in-talk", "#1565C0").pixmap(20, 20))
        layout.addWidget(symbol)
        self.label = QLabel(self)
        self.label.setObjectName("callText")
        layout.addWidget(self.label, 1)
        self.log_button = QPushButton(
            common.icon("mdi6.phone-log", "#1565C0"), self.tr("&Log phone call"), self
        )
        self.log_button.setObjectName("logCall")
        keys = QKeySequence(LOG_CALL_KEYS).toString(QKeySequence.SequenceFormat.NativeText)
        self.log_button.setToolTip(
            self.tr("Log the call as an activity (%1): type, contact person and duration filled in")
            .replace("%1", keys)
        )  # fmt: skip
        self.log_button.clicked.connect(self.log_requested)
        layout.addWidget(self.log_button)
        self.dismiss_button = QToolButton(self)
        self.dismiss_button.setObjectName("dismissCall")
        self.dismiss_button.setIcon(common.icon("mdi6.close", "#37474F"))
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setToolTip(self.tr("Forget this call without logging it"))
        self.dismiss_button.setAccessibleName(self.dismiss_button.toolTip())
        self.dismiss_button.clicked.connect(lambda: services.calls.end())
        layout.addWidget(self.dismiss_button)
        services.calls.changed.connect(self.update_call)
        self.update_call()

    def update_call(self) -> None:
        call = self.services.calls.current
        self.setVisible(call is not None)
        if call is None:
            return
        since = local_time(self.services.clock, call.started_at)
        text = (
            self.tr("Call with %1 since %2") if call.direction == INCOMING
            else self.tr("Call to %1 since %2")
        )  # fmt: skip
        self.label.setText(text.replace("%1", call.partner()).replace("%2", since))
        self.label.setToolTip(call.number)


# --- the caller look-up -------------------------------------------------------------------


class CallerChooser(QDialog):
    """Several records have the number: choose one (Enter opens, Esc cancels)."""

    def __init__(
        self, number: str, matches: list[CallMatch], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callerChooser")
        self.setWindowTitle(self.tr("Choose caller"))
        self.matches = matches
        intro = QLabel(
            self.tr("%n record(s) have the number %1. Who is calling?", "", len(matches)).replace(
                "%1", number
            ),
            self,
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("callers")
        self.tree.setRootIsDecorated(False)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setHeaderLabels(
            [self.tr("Record"), self.tr("City"), self.tr("Number"), self.tr("Contact person")]
        )
        for n, match in enumerate(matches):
            item = QTreeWidgetItem(
                [match.record_name, match.city or "", match.number or "", match.contact_name or ""]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, n)
            item.setIcon(0, common.icon("mdi6.domain", "#607D8B"))
            if match.contact_name:
                item.setIcon(3, common.icon("mdi6.account-outline", "#607D8B"))
            self.tree.addTopLevelItem(item)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        if (first := self.tree.topLevelItem(0)) is not None:
            self.tree.setCurrentItem(first)
        self.tree.itemActivated.connect(lambda *_: self.accept())
        self.buttons = QDialogButtonBox(self)
        self.open_button = self.buttons.addButton(
            self.tr("&Open record"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.resize(620, 320)
        self.tree.setFocus()

    def chosen(self) -> CallMatch | None:
        item = self.tree.currentItem()
        return None if item is None else self.matches[item.data(0, Qt.ItemDataRole.UserRole)]


class IncomingCalls(QObject):
    """Answers ``akquise-desktop call NUMBER`` in the main window ``window()``."""

    opened = Signal(int)  # the caller's record, shown
    choosing = Signal(int)  # the chooser is open with this many records
    unknown = Signal(str)  # no record has the number: Neuer Datensatz with it
    failed = Signal(str)  # the look-up failed (the reason)

    def __init__(
        self, services: Services, window: Callable[[], MainWindow], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.window = window
        self.chooser: CallerChooser | None = None

    def take(self, number: str) -> None:
        """Look up ``number`` (on the worker) and show the caller."""
        from akquise_desktop.queries.calls import caller_matches

        started = self.services.clock.now()
        user_id = self.services.user_id
        self.services.read(
            lambda s: caller_matches(s, number, user_id),
            lambda matches: self._found(number, started, matches),
            self._failed,
        )

    def _found(self, number: str, started: datetime, matches: list[CallMatch]) -> None:
        if len(matches) == 1:
            self._open(matches[0], number, started)
        elif matches:
            self._choose(number, started, matches)
        else:
            self._new_record(number, started)

    def _open(self, match: CallMatch, number: str, started: datetime) -> None:
        self.window().open_record(match.record_id)
        self.services.calls.start(
            match.record_id, match.record_name, match.number or number,
            contact_id=match.contact_id, contact_name=match.contact_name, started_at=started,
        )  # fmt: skip
        self.opened.emit(match.record_id)

    def _choose(self, number: str, started: datetime, matches: list[CallMatch]) -> None:
        if self.chooser is not None:
            self.chooser.close()
        chooser = CallerChooser(number, matches, self.window())
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.chooser = chooser

        def chosen() -> None:
            match = chooser.chosen()
            if match is not None:
                self._open(match, number, started)

        def gone(*_args: Any) -> None:
            if self.chooser is chooser:
                self.chooser = None

        chooser.accepted.connect(chosen)
        chooser.destroyed.connect(gone)
        chooser.open()
        self.choosing.emit(len(matches))

    def _new_record(self, number: str, started: datetime) -> None:
        window = self.window()
        dialog = window.new_record(phone=number)

        def created() -> None:
            if dialog.created_id:
                self.services.calls.start(
                    dialog.created_id, dialog.name.text().strip(), number, started_at=started
                )

        dialog.accepted.connect(created)
        self.unknown.emit(number)

    def _failed(self, error: BaseException) -> None:
        text = QCoreApplication.translate("Calls", "The caller could not be looked up: %1")
        text = text.replace("%1", str(error))
        self.services.calls._tell(self.window(), text)
        self.failed.emit(text)
