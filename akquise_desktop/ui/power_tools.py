"""The follow-up power tools in the main window: bulk editing, rebooking and
the calendar export — their actions, the "Extras" menu, the context menus of
the record list and the follow-up list, and the bulk right that enables them.

The main window and the lists only hand over what they show (the selected
ids, the current search result); everything else lives here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from akquise_desktop.core.changes import ChangeSummary, Entity

from .common import format_number, window_action
from .services import Services

if TYPE_CHECKING:
    from akquise_desktop.queries.bulk_context import BulkContext

    from .bulk import BulkDialog, BulkTargets
    from .rebooking_dialog import RebookingDialog

# The dialogs, message boxes and the calendar export are imported when first
# used: the main window makes these actions at start, and nothing of them is
# needed to show it.


def _error_text(exc: BaseException) -> str:
    from .bulk import error_text

    return error_text(exc)


ICS_FILTER_ALL = "ics-all"
ICS_FILTER_EVENTS = "ics-events"


def write_calendar(
    session, user_id: int, path: Path, *, all_day_as_events: bool, now: datetime
) -> int:
    """Write ``user_id``'s open follow-ups to ``path`` (runs on the worker);
    returns how many were exported. ``now``: the export's time stamp."""
    from akquise_desktop import models as m
    from akquise_desktop.export.ical import calendar_text, load_items

    user = session.get(m.User, user_id)
    name = f"Wiedervorlagen {user.display_name}" if user is not None else "Wiedervorlagen"
    items = list(load_items(session, user_id))
    text = calendar_text(items, now=now, name=name, all_day_as_events=all_day_as_events)
    path.write_bytes(text.encode("utf-8"))
    return len(items)


class PowerTools(QObject):
    """Owns the actions; ``current_view()`` tells which list the bulk action uses."""

    def __init__(
        self,
        services: Services,
        window: QWidget,
        *,
        record_list=None,
        follow_up_list=None,
        current_view: Callable[[], QWidget | None],
    ) -> None:
        super().__init__(window)
        self.services = services
        self.record_list = None
        self.follow_up_list = None
        self.current_view = current_view
        self.context: BulkContext | None = None
        self.dialog: QWidget | None = None  # the last dialog opened (for tests)

        self.bulk_action = self._action(
            self.tr("&Bulk editing …"), "Ctrl+Shift+B", self.open_bulk, "mdi6.table-edit"
        )
        self.rebook_action = self._action(
            self.tr("&Rebook follow-ups …"), "Ctrl+Shift+R", self.open_rebooking,
            "mdi6.account-switch-outline",
        )  # fmt: skip
        self.export_action = self._action(
            self.tr("&Export my follow-ups to a calendar (iCalendar) …"), "Ctrl+Shift+I",
            self.export_calendar, "mdi6.calendar-export",
        )  # fmt: skip
        self.menu = QMenu(self.tr("E&xtras"), window)
        self.menu.setObjectName("extrasMenu")
        for action in (self.bulk_action, self.rebook_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.export_action)

        # The lists' context menus: bulk editing on what is selected there.
        self.records_bulk_action = self._action(
            self.tr("&Bulk editing …"), None, self.open_bulk_for_records, "mdi6.table-edit"
        )
        self.follow_ups_bulk_action = self._action(
            self.tr("&Bulk editing …"), None, self.open_bulk_for_follow_ups, "mdi6.table-edit"
        )
        if record_list is not None:
            self.attach_record_list(record_list)
        if follow_up_list is not None:
            self.attach_follow_up_list(follow_up_list)
        self.bulk_actions = (
            self.bulk_action,
            self.rebook_action,
            self.records_bulk_action,
            self.follow_ups_bulk_action,
        )
        self._set_bulk_right(None)
        services.bus.changed.connect(self._on_changed)
        # At start the right is asked for once the first screen's queries are
        # answered (until then the actions say "Checking your rights …").
        if services.worker.pending():
            services.worker.idle.connect(self._load_right_when_idle)
        else:
            self.load_right()

    def _load_right_when_idle(self) -> None:
        self.services.worker.idle.disconnect(self._load_right_when_idle)
        self.load_right()

    def attach_record_list(self, record_list) -> None:
        """Offer bulk editing in the record list (when the window has built it)."""
        self.record_list = record_list
        record_list.add_context_action(self.records_bulk_action)

    def attach_follow_up_list(self, follow_up_list) -> None:
        self.follow_up_list = follow_up_list
        follow_up_list.add_context_action(self.follow_ups_bulk_action)

    @property
    def window(self) -> QWidget:
        """The main window (the parent; no reference of our own, so a closed
        window is not kept alive by the change bus's connection to us)."""
        return self.parent()  # type: ignore[return-value]

    def _action(self, text: str, keys: str | None, slot, icon_name: str) -> QAction:
        return window_action(self.window, text, keys, slot, icon_name)

    # --- the bulk right ----------------------------------------------------------

    def load_right(self) -> None:
        from akquise_desktop.queries.bulk_context import bulk_context

        user_id = self.services.user_id
        self.services.read(lambda s: bulk_context(s, user_id), self._context_loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self._set_bulk_right(None, _error_text(exc))

    def _on_changed(self, summary: ChangeSummary) -> None:
        if shiboken6.isValid(self) and summary.touches(Entity.USER, Entity.ROLE_GROUP):
            self.load_right()

    def _context_loaded(self, context: BulkContext) -> None:
        if shiboken6.isValid(self):
            self.context = context
            self._set_bulk_right(context)

    def _set_bulk_right(self, context: BulkContext | None, error: str = "") -> None:
        allowed = context is not None and context.may_bulk
        if error:
            reason = error
        elif context is None:
            reason = self.tr("Checking your rights …")
        elif allowed:
            reason = ""
        else:
            reason = self.tr("Your role group “{group}” has no right for bulk editing.").format(
                group=context.role_group
            )
        for action in self.bulk_actions:
            action.setEnabled(allowed)
            base = action.text().replace("&", "").rstrip(" …")
            action.setToolTip(f"{base} — {reason}" if reason else base)
            action.setStatusTip(reason)

    # --- opening the dialogs ---------------------------------------------------------

    def open_bulk(self) -> BulkDialog | None:
        """Bulk editing on the list in view: the follow-up list's selection, else
        the record list's selection or its current search result."""
        if self.current_view() is self.follow_up_list:
            return self.open_bulk_for_follow_ups()
        return self.open_bulk_for_records()

    def open_bulk_for_records(self) -> BulkDialog | None:
        from .bulk import RECORD, BulkTargets

        records = self.record_list  # None: the list was never opened, nothing chosen
        if records is None:
            return self._open_bulk(BulkTargets(RECORD, (), ()))
        selected = tuple(records.selected_record_ids())

        # The whole search result is read on the worker first (it can be all
        # 100,000 records; the list itself holds only the pages scrolled to).
        def open_with(ids: list[int]) -> None:
            if shiboken6.isValid(self):
                self._open_bulk(BulkTargets(RECORD, selected, tuple(ids)))

        records.load_result_ids(open_with)
        return None

    def open_bulk_for_follow_ups(self) -> BulkDialog | None:
        from .bulk import FOLLOW_UP, BulkTargets

        follow_ups = self.follow_up_list
        selected = tuple(follow_ups.selected_follow_up_ids()) if follow_ups is not None else ()
        if not selected:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(
                self.window,
                self.tr("Bulk editing"),
                self.tr("Select the follow-ups to change in the list first."),
            )
            return None
        return self._open_bulk(BulkTargets(FOLLOW_UP, selected))

    def _open_bulk(self, targets: BulkTargets) -> BulkDialog | None:
        if not self.bulk_action.isEnabled():
            return None
        from .bulk import BulkDialog

        dialog = BulkDialog(self.services, targets, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_rebooking(self) -> RebookingDialog | None:
        if not self.rebook_action.isEnabled():
            return None
        from .rebooking_dialog import RebookingDialog

        dialog = RebookingDialog(self.services, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    # --- calendar export ---------------------------------------------------------------

    def export_calendar(self) -> None:
        """Ask for a file and write the acting user's open follow-ups into it."""
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog

        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        stamp = self.services.clock.today().isoformat()
        suggestion = str(Path(folder or Path.home()) / f"Wiedervorlagen-{stamp}.ics")
        filters = {
            self.tr("iCalendar: tasks and events (*.ics)"): False,
            self.tr("iCalendar for Outlook: events only (*.ics)"): True,
        }
        path, chosen = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Export my follow-ups to a calendar"),
            suggestion,
            ";;".join(filters),
        )
        if not path:
            return
        if not path.lower().endswith(".ics"):
            path += ".ics"
        self.export_to(Path(path), all_day_as_events=filters.get(chosen, False))

    def export_to(self, path: Path, *, all_day_as_events: bool = False) -> None:
        from PySide6.QtWidgets import QMessageBox

        user_id, now = self.services.user_id, self.services.clock.now()

        def done(count: int) -> None:
            QMessageBox.information(
                self.window,
                self.tr("Calendar export"),
                self.tr(
                    "{count} open follow-up(s) exported to {file}.\n\nImporting the file again "
                    "later updates the entries instead of duplicating them."
                ).format(count=format_number(count), file=str(path)),
            )

        def failed(exc: BaseException) -> None:
            text = (
                self.tr("The file {file} cannot be written: {error}").format(
                    file=str(path), error=exc.strerror or exc
                )
                if isinstance(exc, OSError)
                else _error_text(exc)
            )
            QMessageBox.warning(self.window, self.tr("Calendar export"), text)

        self.services.read(
            lambda s: write_calendar(
                s, user_id, path, all_day_as_events=all_day_as_events, now=now
            ),
            done,
            failed,
        )
