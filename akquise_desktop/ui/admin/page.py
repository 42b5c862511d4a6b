"""What every administration page shares: reading on the worker, writing
through the controller (one call, its summary on the change bus), reloading
when a summary touches what the page shows, and a message line for refusals.

A page never opens a session: reads go through ``services.read`` with a query
function of :mod:`akquise_desktop.queries.admin`, writes through
``services.change``. A refusal (``DomainError``) is shown in the UI language;
the input stays as the user typed it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QLabel, QMessageBox, QWidget

from akquise_desktop.core.changes import ChangeSummary, Entity

from ..bulk.shared import error_text
from ..services import Services


class AdminPage(QWidget):
    """One page of the administration."""

    #: A change of one of these reloads the page (after its own saves too).
    WATCHED: tuple[Entity, ...] = ()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.message = QLabel()
        self.message.setObjectName("adminMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.delete_box: QMessageBox | None = None  # the open "delete?" question
        self.delete_choice: QAbstractButton | None = None
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.reload)
        services.bus.changed.connect(self._on_changed)

    def reload(self) -> None:
        """Read what the page shows (a worker job) and show it."""
        raise NotImplementedError

    def _on_changed(self, summary: ChangeSummary) -> None:
        if summary.touches(*self.WATCHED):
            self._reload_timer.start()

    def read(self, query: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        self.services.read(query, on_done, self.show_error)

    def change(
        self,
        call: Callable[[Any], ChangeSummary],
        on_done: Callable[[ChangeSummary], None] | None = None,
    ) -> None:
        """Run a controller call; a refusal shows in the message line."""
        self.hide_message()
        self.services.change(call, on_done, self.show_error)

    def confirm_delete(self, title: str, text: str, on_yes: Callable[[], None]) -> None:
        """Ask (window-modal, not blocking) before deleting; ``on_yes`` runs on
        "Löschen". The box and its delete button stay reachable while it is
        open (``delete_box``, ``delete_choice``)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        yes = box.addButton(self.tr("&Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)

        def clicked(button: QAbstractButton) -> None:
            if button is yes:
                on_yes()

        box.buttonClicked.connect(clicked)
        box.finished.connect(box.deleteLater)
        self.delete_box, self.delete_choice = box, yes
        box.open()

    def show_error(self, exc: BaseException) -> None:
        self.show_message(error_text(exc), error=True)

    def show_message(self, text: str, *, error: bool = False) -> None:
        color = "#B71C1C" if error else "#1B5E20"
        self.message.setStyleSheet(f"QLabel#adminMessage {{ color: {color}; }}")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def hide_message(self) -> None:
        self.message.clear()
        self.message.hide()
