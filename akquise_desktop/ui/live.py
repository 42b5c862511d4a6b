"""Live collaboration in the GUI: colleagues' changes on the change bus.

:class:`LiveUpdates` runs a :class:`~akquise_desktop.desktop.live.Listener`
(its own thread and connection) and brings what it hears to the GUI thread by
a queued signal, where it is published on ``services.bus.changed``: a change
after a quiet spell at once; what arrives within :data:`COALESCE_MS` after a
publication is merged and published once when that time is up (a burst of
saves — a bulk edit's chunks — reloads the views once, not per commit). On
the bus the views react as to the controller's own summaries, re-reading
through this client's connections (row-level security decides what it sees:
the announcements carry ids only).

:class:`LiveStatus` shows the state in the status bar; :class:`LinkStatus`
beside it, while a save waits for the database to be reachable again.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.desktop.live import BACKOFF, Listener, LiveState

from . import common
from .services import LinkState, Services

COALESCE_MS = 100


class LiveUpdates(QObject):
    """Colleagues' changes for one client, published on its change bus."""

    state_changed = Signal(str)  # a LiveState value
    published = Signal(object)  # the merged ChangeSummary just put on the bus (tests)
    # From the listener's thread (queued to this object's, the GUI thread).
    _heard = Signal(object)
    _state = Signal(str)

    def __init__(
        self,
        services: Services,
        parent: QObject | None = None,
        *,
        coalesce_ms: int = COALESCE_MS,
        backoff: tuple[float, ...] = BACKOFF,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.state = LiveState.STOPPED
        self._pending: ChangeSummary | None = None
        self._first_heard = 0.0
        self.last_delay_s: float | None = None  # first arrival -> published (tests)
        self._timer = QTimer(self, singleShot=True, interval=coalesce_ms)
        self._timer.timeout.connect(self._publish)
        self._heard.connect(self._on_heard)
        self._state.connect(self._on_state)
        self.listener = Listener(
            services.db,
            self._heard.emit,
            lambda state: self._state.emit(state.value),
            backoff=backoff,
        )

    def start(self) -> None:
        self.listener.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop listening; what was heard and not yet published is dropped."""
        self._timer.stop()
        self._pending = None
        self.listener.stop(timeout)

    def _on_heard(self, summary: ChangeSummary) -> None:
        if self._pending is None:
            self._pending = summary
            self._first_heard = time.monotonic()
        else:
            self._pending = self._pending.merged(summary)
        if not self._timer.isActive():
            self._publish()  # after a quiet spell: at once

    def _publish(self) -> None:
        summary, self._pending = self._pending, None
        if summary is None:
            return
        # What comes within the next COALESCE_MS waits, and goes as one.
        self._timer.start()
        self.last_delay_s = time.monotonic() - self._first_heard
        self.services.bus.changed.emit(summary)
        self.published.emit(summary)

    def _on_state(self, state: str) -> None:
        self.state = LiveState(state)
        self.state_changed.emit(state)


class _StatusWord(QWidget):
    """An icon and a word in the status bar."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.icon = QLabel(self)
        self.label = QLabel(self)
        layout.addWidget(self.icon)
        layout.addWidget(self.label)
        layout.addStretch(1)

    def paint(self, icon_name: str, color: str) -> None:
        size = self.label.fontMetrics().height()
        self.icon.setPixmap(common.icon(icon_name, color).pixmap(size, size))
        self.label.setStyleSheet(f"color: {color}")


class LiveStatus(_StatusWord):
    """The status bar's word on the live updates: an icon and "Live",
    "Live: reconnecting …" …"""

    def __init__(self, live: LiveUpdates, parent: QWidget | None = None) -> None:
        super().__init__("live_status", parent)
        live.state_changed.connect(self.show_state)
        self.show_state(live.state.value)

    def show_state(self, state: str) -> None:
        text, tip, icon_name, color = {
            LiveState.CONNECTING: (
                self.tr("Live: connecting …"),
                self.tr("Connecting to hear colleagues' changes"),
                "mdi6.access-point-network",
                "#757575",
            ),
            LiveState.CONNECTED: (
                self.tr("Live"),
                self.tr("Colleagues' changes appear as soon as they are saved"),
                "mdi6.access-point-network",
                "#2E7D32",
            ),
            LiveState.RECONNECTING: (
                self.tr("Live: reconnecting …"),
                self.tr(
                    "The connection for colleagues' changes was lost; trying again. "
                    "The lists reload once it is back."
                ),
                "mdi6.access-point-network-off",
                "#E65100",
            ),
            LiveState.STOPPED: (
                self.tr("Live: off"),
                self.tr("Colleagues' changes are not shown as they happen"),
                "mdi6.access-point-network-off",
                "#757575",
            ),
        }[LiveState(state)]
        self.paint(icon_name, color)
        self.label.setText(text)
        self.setToolTip(tip)


class LinkStatus(_StatusWord):
    """The status bar's word on the database connection while a save waits
    for it (:class:`~akquise_desktop.ui.services.LinkState`); hidden otherwise."""

    def __init__(self, link: LinkState, parent: QWidget | None = None) -> None:
        super().__init__("link_status", parent)
        self.paint("mdi6.database-alert-outline", "#E65100")
        self.setToolTip(
            self.tr(
                "A save waits for the database to be reachable again; it is sent "
                "automatically (never twice)."
            )
        )
        link.changed.connect(self.show_state)
        self.show_state(link.next_attempt_s())

    def show_state(self, seconds: int | None) -> None:
        if seconds is None:
            self.label.clear()
            self.hide()
            return
        if seconds > 0:
            text = self.tr("Database connection lost – retrying in {seconds} s …").format(
                seconds=seconds
            )
        else:
            text = self.tr("Database connection lost – retrying …")
        self.label.setText(text)
        self.show()
