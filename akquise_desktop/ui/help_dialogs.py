"""Help: the keyboard shortcuts and the About box of the main window.

(Texts in the main window's translation context.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence

from akquise_desktop import __version__

if TYPE_CHECKING:
    from .main_window import MainWindow


def shortcut_list(window: MainWindow) -> list[tuple[str, str]]:
    """(action, keys) of every shortcut the window offers the user."""
    native = QKeySequence.SequenceFormat.NativeText
    rows = [
        (a.text().replace("&", ""), a.shortcut().toString(native))
        for a in (
            *window.view_actions.values(), window.find_action, window.back_action,
            window.refresh_action, window.new_record_action, window.log_call_action,
            window.shortcuts_action,
            window.quit_action,
        )
        if a.isVisible()  # (Verwaltung only for who may use it)
    ]  # fmt: skip
    rows += [
        (a.text().replace("&", ""), a.shortcut().toString(native))
        for a in window.power_tools.menu.actions()
        if not a.shortcut().isEmpty()
    ]
    rv = window.record_view
    rows += [
        (a.text(), a.shortcut().toString(native))
        for a in (rv.log_action, rv.complete_action, rv.save_action)
    ]
    rows += [
        (
            QCoreApplication.translate("MainWindow", "Open the record of the selected row"),
            QKeySequence("Ctrl+O").toString(native),
        ),
        (
            QCoreApplication.translate("MainWindow", "Save the activity dialog"),
            QKeySequence("Ctrl+Return").toString(native),
        ),
        (
            QCoreApplication.translate("MainWindow", "Open the selected record"),
            QCoreApplication.translate("MainWindow", "Enter"),
        ),
        (
            QCoreApplication.translate("MainWindow", "Menu or field with an underlined letter"),
            QCoreApplication.translate("MainWindow", "Alt+letter"),
        ),
    ]
    return rows


def show_shortcuts(window: MainWindow) -> None:
    from PySide6.QtWidgets import (
        QDialog,
        QDialogButtonBox,
        QTreeWidget,
        QTreeWidgetItem,
        QVBoxLayout,
    )

    dialog = QDialog(window)
    dialog.setWindowTitle(QCoreApplication.translate("MainWindow", "Keyboard shortcuts"))
    tree = QTreeWidget(dialog)
    tree.setRootIsDecorated(False)
    tree.setHeaderLabels(
        [
            QCoreApplication.translate("MainWindow", "Action"),
            QCoreApplication.translate("MainWindow", "Keys"),
        ]
    )
    for action, keys in shortcut_list(window):
        tree.addTopLevelItem(QTreeWidgetItem([action, keys]))
    tree.resizeColumnToContents(0)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(tree)
    layout.addWidget(buttons)
    dialog.resize(460, 460)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def show_about(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.about(
        window,
        QCoreApplication.translate("MainWindow", "About AkquiseDesktop"),
        QCoreApplication.translate(
            "MainWindow",
            "AkquiseDesktop %1\n\nEvery contact is an activity, every activity sets the next "
            "follow-up, every follow-up is completed by an activity.",
        ).replace("%1", __version__),
    )
