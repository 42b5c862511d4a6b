"""Start the GUI."""

from __future__ import annotations

import os
import sys

from akquise_desktop.storage import Database


def run(db: Database, user_id: int, *, lang: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from akquise_desktop.controller import Controller

    from .services import ChangeBus, Services
    from .worker import DbWorker

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("AkquiseDesktop")
    app.setOrganizationName("AkquiseDesktop")
    worker = DbWorker()
    services = Services(db, Controller(db, user_id), worker, ChangeBus(), user_id)
    window = QMainWindow()
    window.setWindowTitle("AkquiseDesktop")
    window.setCentralWidget(QLabel(f"AkquiseDesktop – {db.describe()}"))
    window.resize(1000, 700)
    window.show()
    if os.environ.get("AKQUISE_QUIT_AFTER_START"):
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    try:
        return app.exec()
    finally:
        services.worker.shutdown()
