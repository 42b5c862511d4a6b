"""Render every main view, the record view and the activity dialog offscreen
into PNG files (``akquise-desktop screenshots``).

Uses the real widgets over the given database, with a synchronous worker
(each query runs at once) and throw-away settings, acting as the user with
the most open follow-ups so every view is filled. Nothing is written.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.clock import SYSTEM_CLOCK
from akquise_desktop.storage import Database

WINDOW_SIZE = (1366, 820)


@dataclass(frozen=True)
class Subject:
    user_id: int
    user_name: str
    record_id: int | None
    follow_up_id: int | None


def pick_subject(session: Session, today: date | None = None) -> Subject:
    """The active user with the most open follow-ups, and a record of theirs
    with a follow-up due soon and a rich history (for the record view)."""
    fu = m.FollowUp
    today = today or SYSTEM_CLOCK.today()
    row = session.execute(
        select(m.User.id, m.User.display_name)
        .outerjoin(fu, (fu.assignee_id == m.User.id) & (fu.state == m.FollowUpState.OPEN))
        .where(m.User.active)
        .group_by(m.User.id, m.User.display_name)
        .order_by(func.count(fu.id).desc(), m.User.id)
        .limit(1)
    ).first()
    if row is None:
        raise ValueError("the database has no active user")
    user_id, name = row
    history = (
        select(func.count(m.Activity.id))
        .where(m.Activity.record_id == fu.record_id)
        .correlate(fu)
        .scalar_subquery()
    )
    contacts = (
        select(func.count(m.Contact.id))
        .where(m.Contact.record_id == fu.record_id)
        .correlate(fu)
        .scalar_subquery()
    )
    pick = session.execute(
        select(fu.record_id, fu.id)
        .where(
            fu.assignee_id == user_id,
            fu.state == m.FollowUpState.OPEN,
            fu.due_date <= today + timedelta(days=3),
            fu.source_activity_id.is_not(None),
        )
        .order_by(
            (fu.due_date <= today).desc(),
            (contacts > 0).desc(),
            case((history > 12, 12), else_=history).desc(),
            fu.due_date.desc(),
            fu.id,
        )
        .limit(1)
    ).first()
    if pick is None:
        pick = session.execute(
            select(fu.record_id, fu.id).where(fu.state == m.FollowUpState.OPEN).limit(1)
        ).first()
    return Subject(user_id, name, *(pick or (None, None)))


def settle(app: QApplication, rounds: int = 40) -> None:
    """Let queued work (0-ms timers, deferred fetches, layouts) finish."""
    for _ in range(rounds):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        app.sendPostedEvents()


def _with_dialog(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window, dimmed, with the dialog centred on it."""
    base = window.grab()
    shot = dialog.grab()
    canvas = QPixmap(base.size())
    canvas.fill(QColor("white"))
    painter = QPainter(canvas)
    painter.drawPixmap(0, 0, base)
    painter.fillRect(canvas.rect(), QColor(0, 0, 0, 90))
    x = max(0, (canvas.width() - shot.width()) // 2)
    y = max(0, (canvas.height() - shot.height()) // 2)
    painter.drawPixmap(QPoint(x, y), shot)
    painter.end()
    return canvas


def render(db: Database, out_dir: Path, *, lang: str = "de") -> list[Path]:
    """Render the screenshots of ``db`` into ``out_dir``; returns the files."""
    from akquise_desktop.controller import Controller

    from . import i18n
    from .app import create_application
    from .main_window import MainWindow
    from .services import ChangeBus, Services
    from .settings import Settings
    from .worker import SyncWorker

    app = create_application()
    i18n.install(lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    with db.read() as s:
        subject = pick_subject(s)
    services = Services(
        db, Controller(db, subject.user_id), SyncWorker(), ChangeBus(), subject.user_id
    )
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.at(str(Path(tmp) / "settings.ini"))
        window = MainWindow(
            services,
            settings,
            db_description=db.describe(i18n.current_language()),
            user_name=subject.user_name,
        )
        window.resize(*WINDOW_SIZE)
        window.show()
        settle(app)

        def save(name: str, pixmap: QPixmap | None = None) -> None:
            settle(app)
            path = out_dir / f"{name}.png"
            (pixmap or window.grab()).save(str(path))
            written.append(path)

        for number, key in enumerate(("follow_ups", "records", "stream", "dead", "campaigns")):
            window.show_view(key)
            settle(app)
            view = window.pages[key]
            if key != "records" and hasattr(view, "table"):
                table = view.table
                if table.model() is not None and table.model().rowCount():
                    table.selectRow(0)
            save(f"{number + 1:02d}_{key}")
        if subject.record_id is not None:
            window.open_record(subject.record_id)
            settle(app)
            rv = window.record_view
            model = rv.timeline.timeline
            first_activity = next(
                (row for row, e in enumerate(model.entries) if e.kind == "activity"), 0
            )
            rv.timeline.setCurrentIndex(model.index(first_activity, 0))
            save("06_record")
            rv.tabs.setCurrentIndex(1)
            first_contact = rv.contacts.topLevelItem(0)
            if first_contact is not None:
                rv.contacts.setCurrentItem(first_contact)
            save("07_record_contacts")
            rv.tabs.setCurrentIndex(0)
            rv.complete_selected()
            settle(app)
            dialog = rv.dialog
            if dialog is not None:
                settle(app)
                save("08_activity_dialog", _with_dialog(window, dialog))
                dialog.reject()
        _administration(app, window, save)
        written += _start_dialogs(app, out_dir, Path(tmp), lang)
        window.close()
        settle(app)
        window.deleteLater()
        settle(app)
    return written


def _administration(app: QApplication, window, save) -> None:
    """Verwaltung as an administrator sees it: users, role groups, campaigns."""
    from akquise_desktop.queries.admin import AdminRights

    window.set_admin_rights(AdminRights(is_admin=True))
    window.show_view("admin")
    view = window.pages["admin"]
    for number, section in ((9, "users"), (10, "role_groups"), (11, "campaigns")):
        page = view.show_section(section)
        settle(app)
        table = getattr(page, "table", None)
        if table is not None and table.model() is not None and table.model().rowCount():
            table.selectRow(0)
        save(f"{number:02d}_admin_{section}")


def _start_dialogs(app: QApplication, out: Path, tmp: Path, lang: str) -> list[Path]:
    """The start dialog with a server profile, and the first-run wizard's
    campaign page on a new database."""
    from PySide6.QtCore import QSettings

    from akquise_desktop.core.clock import SYSTEM_CLOCK
    from akquise_desktop.desktop.profiles import ConnectionProfile, ProfileStore
    from akquise_desktop.desktop.secrets import PasswordStore

    from .first_run import FirstRunWizard
    from .start import StartDialog

    written: list[Path] = []
    store = ProfileStore(QSettings(str(tmp / "profiles.ini"), QSettings.Format.IniFormat))
    server = store.save(
        ConnectionProfile(
            name="Vertrieb Zentrale", host="crm.example.de", database="akquise",
            user="kbecker", sslmode="require",
        )
    )  # fmt: skip
    dialog = StartDialog(store, PasswordStore(), lang=lang)
    dialog.select(server.id)
    dialog.show()
    settle(app)
    path = out / "12_start_dialog.png"
    dialog.grab().save(str(path))
    written.append(path)
    dialog.reject()
    dialog.deleteLater()

    new_db = Database(f"sqlite:///{tmp / 'new.sqlite3'}").open(create=True)
    try:
        wizard = FirstRunWizard(new_db, clock=SYSTEM_CLOCK, login="kbecker")
        wizard.about_page.name.edit.setText("Katrin Becker")
        wizard.about_page.email.edit.setText("k.becker@example.com")
        wizard.show()
        settle(app)
        wizard.next()
        wizard.company_page.company.edit.setText("Becker & Partner GmbH")
        wizard.next()
        settle(app)
        path = out / "13_first_run.png"
        wizard.grab().save(str(path))
        written.append(path)
        wizard.reject()
        wizard.deleteLater()
        settle(app)
    finally:
        new_db.dispose()
    return written


DEMO_RECORDS = 200


def main(db_url: str | None, out: str, lang: str = "de") -> int:
    """The ``screenshots`` command: on ``db_url``, or a fresh demo database."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out_dir = Path(out)
    with tempfile.TemporaryDirectory(prefix="akquise-screenshots-") as tmp:
        if db_url is None:
            from akquise_desktop.demo import generate

            db = Database(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}").open(create=True)
            generate(db, DEMO_RECORDS, seed=1)
        else:
            db = Database(db_url).open(create=False)
        try:
            files = render(db, out_dir, lang=lang)
        finally:
            db.dispose()
    for path in files:
        print(path)
    return 0
