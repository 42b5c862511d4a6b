"""Getting data out and keeping it safe, in the main window: the table export
("Export …" in the Extras menu and in the lists' context menus) and the
backups of the local database (File menu: "Back up now", "Restore backup …";
the daily automatic backup).

The main window calls :func:`install` once; the lists built later are found
when the window's stack gets them. The export runs page by page on the
database worker (:mod:`akquise_desktop.export.table`), one job per page, with
a progress dialog that can cancel; backups and the restore run on the worker
too (:mod:`akquise_desktop.storage.backup`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity

from .common import format_datetime, format_number, icon, window_action
from .services import Services

if TYPE_CHECKING:
    from akquise_desktop.export.table import ExportRight, TableExport, TableSpec

    from .settings import Settings

FOLLOW_UP_KEYS = ("due", "priority", "record", "instruction", "assignee", "source")


def _error_text(exc: BaseException) -> str:
    from .bulk import error_text

    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return error_text(exc)


def install(window: QMainWindow, services: Services, settings: Settings, file_menu: QMenu,
            extras_menu: QMenu, before: QAction | None = None) -> DataTools:  # fmt: skip
    """Make the data tools of ``window``: their actions in ``file_menu`` (before
    ``before``) and ``extras_menu``, the context menus of the lists."""
    return DataTools(window, services, settings, file_menu, extras_menu, before)


class DataTools(QObject):
    restart_requested = Signal()  # after a restore: the app starts again

    def __init__(self, window: QMainWindow, services: Services, settings: Settings,
                 file_menu: QMenu, extras_menu: QMenu, before: QAction | None) -> None:  # fmt: skip
        super().__init__(window)
        self.services = services
        self.settings = settings
        self.right: ExportRight | None = None
        self.backup_folder: Path | None = None  # None: the user's data folder (tests set one)
        self.progress: QProgressDialog | None = None
        self.message: QMessageBox | None = None  # the last message shown (tests)
        self._cancelled = False

        self.export_action = self._action(
            self.tr("Export &list …"), "Ctrl+Shift+E", self.export_current, "mdi6.table-arrow-right"
        )
        self.import_action = self._action(
            self.tr("&Import …"), None, self.open_import, "mdi6.table-arrow-left"
        )
        self.import_wizard: QWidget | None = None  # the open import wizard (tests)
        extras_menu.addSeparator()
        extras_menu.addAction(self.import_action)
        extras_menu.addAction(self.export_action)
        self.records_export_action = self._action(
            self.tr("Export &list …"), None, lambda: self.export_list(self._list("records")),
            "mdi6.table-arrow-right",
        )  # fmt: skip
        self.follow_ups_export_action = self._action(
            self.tr("Export &list …"), None, lambda: self.export_list(self._list("follow_ups")),
            "mdi6.table-arrow-right",
        )  # fmt: skip
        self.export_actions = (
            self.export_action, self.records_export_action, self.follow_ups_export_action
        )  # fmt: skip

        self.backup_action = self._action(
            self.tr("&Back up now"), None, self.backup_now, "mdi6.content-save-move-outline"
        )
        self.restore_action = self._action(
            self.tr("&Restore backup …"), None, self.choose_restore, "mdi6.backup-restore"
        )
        file_menu.insertAction(before, self.backup_action)  # type: ignore[arg-type]
        file_menu.insertAction(before, self.restore_action)  # type: ignore[arg-type]
        file_menu.insertSeparator(before)  # type: ignore[arg-type]
        if services.db.path is None:  # PostgreSQL (or in memory): pg_dump, see the README
            for action in (self.backup_action, self.restore_action):
                action.setEnabled(False)
                action.setToolTip(
                    self.tr("Server databases are backed up with pg_dump (see the README).")
                )

        stack = getattr(window, "stack", None)
        for page in getattr(window, "pages", {}).values():
            self._attach(page)
        if stack is not None:
            stack.widgetAdded.connect(lambda n: self._attach(stack.widget(n)))
        self._set_right(None)
        services.bus.changed.connect(self._on_changed)
        if services.worker.pending():
            services.worker.idle.connect(self._load_right_when_idle)
        else:
            self.load_right()

    @property
    def window(self) -> QMainWindow:
        return self.parent()  # type: ignore[return-value]

    def _action(self, text: str, keys: str | None, slot, icon_name: str) -> QAction:
        return window_action(self.window, text, keys, slot, icon_name)

    def _attach(self, page: QWidget | None) -> None:
        # (by name: importing the record list at start would import what it
        # needs, the controller layer included, before the first screen)
        kind = type(page).__name__
        if kind == "RecordListView":
            page.add_context_action(self.records_export_action)  # type: ignore[union-attr]
            empty = page.empty_state  # type: ignore[union-attr]
            empty.import_requested.connect(self.open_import)
            empty.set_may_import(self.import_action.isEnabled())
        elif kind == "FollowUpListView":
            page.add_context_action(self.follow_ups_export_action)  # type: ignore[union-attr]

    def _list(self, key: str) -> QWidget | None:
        return getattr(self.window, "pages", {}).get(key)

    # --- the right -------------------------------------------------------------------

    def _load_right_when_idle(self) -> None:
        self.services.worker.idle.disconnect(self._load_right_when_idle)
        self.load_right()

    def load_right(self) -> None:
        from akquise_desktop.export.table import export_right

        user_id = self.services.user_id
        self.services.read(lambda s: export_right(s, user_id), self._right_loaded, self._no_right)

    def _right_loaded(self, right: ExportRight) -> None:
        if shiboken6.isValid(self):
            self._set_right(right)

    def _no_right(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self._set_right(None, _error_text(exc))

    def _on_changed(self, summary: ChangeSummary) -> None:
        if shiboken6.isValid(self) and summary.touches(Entity.USER, Entity.ROLE_GROUP):
            self.load_right()

    def _set_right(self, right: ExportRight | None, error: str = "") -> None:
        self.right = right
        # (Scope.NONE by value: the models are not imported before the first screen)
        allowed = right is not None and right.scope.value != "none"
        if error:
            reason = error
        elif right is None:
            reason = self.tr("Checking your rights …")
        elif allowed:
            reason = ""
        else:
            reason = self.tr("Your role group “{group}” has no right for CSV import/export.")
            reason = reason.format(group=right.role_group)
        for action in self.export_actions:
            action.setEnabled(allowed)
            action.setVisible(allowed or action is self.export_action)  # (menus: hidden)
            base = action.text().replace("&", "").rstrip(" …")
            action.setToolTip(f"{base} — {reason}" if reason else base)
            action.setStatusTip(reason)
        self.import_action.setEnabled(allowed)
        base = self.import_action.text().replace("&", "").rstrip(" …")
        self.import_action.setToolTip(f"{base} — {reason}" if reason else base)
        self.import_action.setStatusTip(reason)
        records = self._list("records")
        if records is not None and hasattr(records, "empty_state"):
            records.empty_state.set_may_import(allowed)

    # --- the import --------------------------------------------------------------------

    def open_import(self) -> None:
        """Open the import wizard (issue 16; with the import/export right)."""
        if not self.import_action.isEnabled():
            return
        from .import_wizard import ImportWizard

        if self.import_wizard is not None and shiboken6.isValid(self.import_wizard):
            self.import_wizard.raise_()
            self.import_wizard.activateWindow()
            return
        wizard = ImportWizard(self.services, self.window)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.import_wizard = wizard
        wizard.show()

    # --- the export --------------------------------------------------------------------

    def export_current(self) -> None:
        """Export the list in view (the follow-up list, else the record list)."""
        from .follow_up_list import FollowUpListView

        current = getattr(self.window, "stack", None)
        shown = current.currentWidget() if current is not None else None
        if isinstance(shown, FollowUpListView):
            self.export_list(shown)
        else:
            self.export_list(self._list("records") or self._list("follow_ups"))

    def spec_for(self, view: QWidget) -> tuple[TableSpec, int | None] | None:
        """What ``view`` shows — its visible columns in their order, filter and
        sort — and how many rows (None: unknown); None while it is loading."""
        from akquise_desktop.export.table import FollowUpListExport, RecordListExport

        from .follow_up_list import FollowUpListView

        table = view.table  # type: ignore[attr-defined]
        model = view.model  # type: ignore[attr-defined]
        header = table.horizontalHeader()
        shown = [
            logical
            for logical in (header.logicalIndex(v) for v in range(header.count()))
            if not header.isSectionHidden(logical)
        ]
        headers = tuple(str(model.headers[n]) for n in shown)
        if isinstance(view, FollowUpListView):
            f = view.current_filter()
            if f is None:
                return None
            spec: TableSpec = FollowUpListExport(
                f, tuple(FOLLOW_UP_KEYS[n] for n in shown), headers,
                priority_names=tuple(model.priority_names),  # type: ignore[arg-type]
                no_source=model.no_source, title=self.tr("Follow-ups"),
            )  # fmt: skip
            return spec, view.counts.get(view.bucket())
        count = model.count
        spec = RecordListExport(
            model.criteria, tuple(model.COLUMNS[n] for n in shown), headers,
            today=self.services.clock.today(), title=self.tr("Records"),
        )  # fmt: skip
        return spec, count.value if count is not None and count.exact else None

    def export_list(self, view: QWidget | None, path: Path | None = None) -> None:
        """Ask for a file (unless ``path``) and export what ``view`` shows."""
        if not self.export_action.isEnabled():
            return
        found = self.spec_for(view) if view is not None else None
        if found is None:
            self._inform(self.tr("Open the record list or the follow-up list first."))
            return
        spec, total = found
        if path is None:
            path = self._ask_path(spec.title)
            if path is None:
                return
        self.start_export(spec, path, total)

    def _ask_path(self, title: str) -> Path | None:
        from PySide6.QtCore import QStandardPaths

        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        stamp = self.services.clock.today().isoformat()
        suggestion = str(Path(folder or Path.home()) / f"{title}-{stamp}.xlsx")
        filters = {
            self.tr("Excel workbook (*.xlsx)"): ".xlsx",
            self.tr("CSV for Excel, semicolons (*.csv)"): ".csv",
        }
        chosen, which = QFileDialog.getSaveFileName(
            self.window, self.tr("Export list"), suggestion, ";;".join(filters)
        )
        if not chosen:
            return None
        suffix = filters.get(which, ".xlsx")
        if Path(chosen).suffix.lower() not in (".xlsx", ".csv"):
            chosen += suffix
        return Path(chosen)

    def start_export(self, spec: TableSpec, path: Path, total: int | None = None) -> None:
        from akquise_desktop.export.table import open_export

        self._cancelled = False
        progress = QProgressDialog(
            self.tr("Exporting to {file} …").format(file=path.name),
            self.tr("Cancel"), 0, total or 0, self.window,
        )  # fmt: skip
        progress.setWindowTitle(self.tr("Export list"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.canceled.connect(self._cancel)
        self.progress = progress
        user_id = self.services.user_id

        def first(s: Any) -> TableExport:
            export = open_export(s, user_id, spec, path)
            export.step(s)
            return export

        self.services.read(first, self._page_written, self._export_failed)

    def _cancel(self) -> None:
        self._cancelled = True

    def _page_written(self, export: TableExport) -> None:
        if not shiboken6.isValid(self):
            export.abort()
            return
        progress = self.progress
        if export.finished:
            self._close_progress()
            text = self.tr("{count} row(s) exported to {file}.").format(
                count=format_number(export.rows), file=str(export.path)
            )
            if export.skipped:
                text += "\n" + self.tr(
                    "{count} row(s) of records beyond your rights were left out."
                ).format(count=format_number(export.skipped))
            self._inform(text)
            return
        if self._cancelled:
            export.abort()
            self._close_progress()
            return
        if progress is not None:
            if progress.maximum() and export.rows <= progress.maximum():
                progress.setValue(export.rows)
            progress.setLabelText(
                self.tr("Exporting to {file} … {count} rows").format(
                    file=export.path.name, count=format_number(export.rows)
                )
            )

        def next_page(s: Any) -> TableExport:
            export.step(s)
            return export

        self.services.read(next_page, self._page_written, self._export_failed)

    def _export_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._close_progress()
        self._warn(self.tr("Export list"), self.tr("The export failed: {error}").format(
            error=_error_text(exc)))  # fmt: skip

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _inform(self, text: str, title: str | None = None) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title or self.tr("Export list"), text,
                          QMessageBox.StandardButton.Ok, self.window)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = box
        box.open()

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self.window)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = box
        box.open()

    # --- backups ------------------------------------------------------------------------

    def _now(self) -> datetime:
        """Local wall time without zone: the backups' names."""
        return self.services.clock.now().astimezone().replace(tzinfo=None)

    def daily_backup(self) -> None:
        """The automatic backup, when the last one is older than a day (on the worker)."""
        path = self.services.db.path
        if path is None:
            return
        from akquise_desktop.storage import backup

        now, folder, keep = self._now(), self.backup_folder, self.settings.backup_generations
        self.services.worker.submit(
            lambda: backup.daily_backup(path, now, folder, keep),
            lambda made: self._backed_up(made, quiet=True),
            self._backup_failed,
        )

    def backup_now(self) -> None:
        path = self.services.db.path
        if path is None:
            return
        from akquise_desktop.storage import backup

        now, folder, keep = self._now(), self.backup_folder, self.settings.backup_generations
        self.services.worker.submit(
            lambda: backup.backup_now(path, now, folder, keep), self._backed_up,
            self._backup_failed,
        )  # fmt: skip

    def _backed_up(self, made: Path | None, *, quiet: bool = False) -> None:
        if made is None or not shiboken6.isValid(self):
            return
        text = self.tr("Backup saved and verified: {file}").format(file=str(made))
        self.window.statusBar().showMessage(text, 10_000)
        if not quiet:
            self._inform(text, self.tr("Backup"))

    def _backup_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self._warn(self.tr("Backup"), self.tr("The backup failed: {error}").format(
                error=str(exc)))  # fmt: skip

    def choose_restore(self) -> None:
        """Choose a backup, confirm, restore (on the worker), start again."""
        path = self.services.db.path
        if path is None:
            return
        from akquise_desktop.storage import backup

        dialog = RestoreDialog(backup.backups(path, self.backup_folder), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.confirm_restore)
        dialog.open()

    def confirm_restore(self, chosen: Path) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Restore backup"),
            self.tr("Replace the database with the backup {file}?\n\nThe current state is kept "
                    "next to the database first. AkquiseDesktop starts again afterwards.").format(
                file=chosen.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.window,
        )  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self.restore(chosen))
        self.message = box
        box.open()

    def restore(self, chosen: Path) -> None:
        path = self.services.db.path
        assert path is not None
        from akquise_desktop.storage import backup

        now = self._now()
        self.services.worker.submit(
            lambda: backup.restore(path, chosen, now), self._restored, self._restore_failed
        )

    def _restored(self, restored: Any) -> None:
        if not shiboken6.isValid(self):
            return
        text = self.tr("The backup has been restored.")
        if restored.aside is not None:
            text += "\n" + self.tr("The previous state is kept in {file}.").format(
                file=str(restored.aside)
            )
        text += "\n\n" + self.tr("AkquiseDesktop starts again now.")
        QMessageBox.information(self.window, self.tr("Restore backup"), text)
        self.restart_requested.emit()

    def _restore_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self._warn(self.tr("Restore backup"), self.tr("Nothing was restored: {error}").format(
                error=str(exc)))  # fmt: skip


class RestoreDialog(QDialog):
    """The backups to choose from, newest first, or another backup file."""

    chosen = Signal(Path)

    def __init__(self, backups: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Restore backup"))
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("Choose the backup to restore:"))
        layout.addWidget(label)
        self.list = QListWidget()
        self.list.setObjectName("backupList")
        for found in backups:
            when = format_datetime(found.taken_at.astimezone())
            size = format_number(max(1, found.size // 1024))
            item = QListWidgetItem(
                icon("mdi6.database-outline"), self.tr("{when} — {size} KB").format(
                    when=when, size=size)
            )  # fmt: skip
            item.setData(Qt.ItemDataRole.UserRole, str(found.path))
            item.setToolTip(str(found.path))
            self.list.addItem(item)
        if not backups:
            self.list.addItem(self.tr("No automatic backups yet."))
            self.list.setEnabled(False)
        layout.addWidget(self.list)
        self.other = QPushButton(icon("mdi6.folder-open-outline"), self.tr("Other &file …"))
        self.other.clicked.connect(self._choose_file)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.addButton(self.other, QDialogButtonBox.ButtonRole.ActionRole)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Restore …"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self._accept())
        if backups:
            self.list.setCurrentRow(0)
        self.ok.setEnabled(bool(backups))
        self.resize(460, 320)

    def _accept(self) -> None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if value:
            self.accept()
            self.chosen.emit(Path(value))

    def _choose_file(self) -> None:
        filters = self.tr("SQLite database (*.sqlite3 *.db);;All files (*)")
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Restore backup"), "", filters)
        if chosen:
            self.accept()
            self.chosen.emit(Path(chosen))
