"""Erster Start: a wizard that sets up a new, empty database.

A database without users (what a first start finds) gets its first user, an
administrator, from three pages: who you are (name, login, e-mail), your
company's name, and a ready campaign from :mod:`akquise_desktop.controller.templates`
(or none), optionally with demo data. "Finish" collects a
:class:`~akquise_desktop.controller.commands.FirstRun` and calls
:func:`~akquise_desktop.controller.bootstrap.bootstrap` — one transaction —
then, if asked, the demo generator.

The set-up runs on a background thread while the wizard shows its progress:
the bootstrap alone is a few milliseconds on an empty database, but demo
data is some 300 records written through the controller (seconds), and the
application's database worker does not exist yet at this point of the start.
Nothing is written before "Finish": a cancelled wizard leaves the database
as it was (no users, so the next start asks again).
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from akquise_desktop.controller.commands import FirstRun
from akquise_desktop.controller.templates import TEMPLATES, CampaignTemplate
from akquise_desktop.core.clock import Clock
from akquise_desktop.storage import Database

from . import i18n
from .bulk.shared import error_text
from .common import icon, status_swatch, warning_banner
from .demo_loader import DEMO_RECORDS, DEMO_SEED

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
LOGIN_MAX, NAME_MAX, EMAIL_MAX = 63, 200, 254
ERROR_STYLE = "color: #B71C1C;"
MUTED_STYLE = "color: #546E7A;"


def default_login() -> str:
    """The login a start uses without --user (as the command line derives it)."""
    explicit = os.environ.get("AKQUISE_USER")
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "admin"


def default_display_name(login: str) -> str:
    """The full name of the system account ``login``, where the system knows it."""
    try:
        import pwd

        return pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError, OSError):
        return ""


def needs_first_run(db: Database) -> bool:
    """Whether ``db`` is new for the start: it has no users yet."""
    from akquise_desktop.queries.users import has_users

    with db.read() as s:
        return not has_users(s)


@dataclass(frozen=True)
class SetupData:
    """What the wizard collected."""

    login: str
    display_name: str
    setup: FirstRun
    demo: bool


class _Field:
    """A line edit with its inline error below it."""

    def __init__(self, form: QFormLayout, label: str, name: str, max_length: int) -> None:
        self.edit = QLineEdit()
        self.edit.setObjectName(name)
        self.edit.setMaxLength(max_length)
        self.error = QLabel()
        self.error.setObjectName(f"{name}Error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        caption = QLabel(label)
        caption.setBuddy(self.edit)
        form.addRow(caption, self.edit)
        form.addRow("", self.error)

    def text(self) -> str:
        return self.edit.text().strip()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class AboutYouPage(QWizardPage):
    """Page 1: display name, login, e-mail."""

    def __init__(self, login: str) -> None:
        super().__init__()
        self.setObjectName("aboutYouPage")
        self.setTitle(self.tr("Welcome to AkquiseDesktop"))
        self.setSubTitle(
            self.tr("This database is new. Set up your user: you will be its administrator.")
        )
        form = QFormLayout(self)
        self.name = _Field(form, self.tr("Your &name:"), "displayName", NAME_MAX)
        self.login = _Field(form, self.tr("&Login:"), "login", LOGIN_MAX)
        self.email = _Field(form, self.tr("&E-mail:"), "email", EMAIL_MAX)
        self.name.edit.setText(default_display_name(login))
        self.name.edit.setPlaceholderText(self.tr("e.g. Katrin Becker"))
        self.login.edit.setText(login)
        self.login.edit.setToolTip(self.tr("The name you sign in with; your system user name"))
        self.email.edit.setPlaceholderText(self.tr("optional, e.g. k.becker@example.com"))
        self._checked = False  # errors show after the first "Next", then as you type
        for field in (self.name, self.login, self.email):
            field.edit.textEdited.connect(lambda _text: self._checked and self.errors())

    def errors(self) -> dict[str, str]:
        """The fields' errors (shown inline), by field."""
        found: dict[str, str] = {}
        if not self.name.text():
            found["name"] = self.tr("Please enter your name.")
        login = self.login.text()
        if not login:
            found["login"] = self.tr("Please enter a login.")
        elif re.search(r"\s", login):
            found["login"] = self.tr("A login has no spaces.")
        email = self.email.text()
        if email and not EMAIL.fullmatch(email):
            found["email"] = self.tr("This is not an e-mail address (name@example.com).")
        for key, field in (("name", self.name), ("login", self.login), ("email", self.email)):
            field.show_error(found.get(key, ""))
        return found

    def validatePage(self) -> bool:
        self._checked = True
        found = self.errors()
        if found:
            first = {"name": self.name, "login": self.login, "email": self.email}[next(iter(found))]
            first.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return not found

    def cleanupPage(self) -> None:
        pass  # going back keeps what was typed


class CompanyPage(QWizardPage):
    """Page 2: the company's name (system settings)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("companyPage")
        self.setTitle(self.tr("Your company"))
        self.setSubTitle(
            self.tr("The name of your company, for the system settings. You can change it later.")
        )
        form = QFormLayout(self)
        self.company = _Field(form, self.tr("&Company name:"), "companyName", NAME_MAX)
        self.company.edit.setPlaceholderText(self.tr("e.g. Becker Maschinenbau GmbH"))

    def cleanupPage(self) -> None:
        pass


class CampaignPage(QWizardPage):
    """Page 3: a campaign template (with a preview of its statuses) or none; demo data."""

    NONE = -1

    def __init__(self, demo_records: int) -> None:
        super().__init__()
        self.setObjectName("campaignPage")
        self.setTitle(self.tr("Your first campaign"))
        self.setSubTitle(
            self.tr(
                "A campaign leads records through statuses. Start with a ready one; "
                "you can adapt it later in the administration."
            )
        )
        lang = i18n.current_language()
        layout = QVBoxLayout(self)
        self.choice = QButtonGroup(self)
        self.radios: dict[int, QRadioButton] = {}
        for n, template in enumerate(TEMPLATES):
            radio = QRadioButton(template.name(lang))
            radio.setObjectName(f"template_{template.key}")
            self.choice.addButton(radio, n)
            self.radios[n] = radio
            layout.addWidget(radio)
        none = QRadioButton(self.tr("No campaign for now"))
        none.setObjectName("template_none")
        self.choice.addButton(none, self.NONE)
        self.radios[self.NONE] = none
        layout.addWidget(none)
        self.preview = QTableWidget(0, 4)
        self.preview.setObjectName("templatePreview")
        self.preview.setHorizontalHeaderLabels(
            [self.tr("Status"), self.tr("Progress"), self.tr("Final"), self.tr("Next statuses")]
        )
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.setWordWrap(False)
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 110)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.preview, 1)
        self.no_campaign = QLabel(self.tr("You can create campaigns later in the administration."))
        self.no_campaign.setStyleSheet(MUTED_STYLE)
        self.no_campaign.hide()
        layout.addWidget(self.no_campaign)

        self.demo_check = QCheckBox(self.tr("Load &demo data"))
        self.demo_check.setObjectName("demoCheck")
        layout.addWidget(self.demo_check)
        demo_hint = QLabel(
            self.tr(
                "%1 sample records with activities and follow-ups, seven colleagues and three "
                "teams — to try the program out, not for a database for real work."
            ).replace("%1", str(demo_records))
        )
        demo_hint.setWordWrap(True)
        demo_hint.setStyleSheet(MUTED_STYLE)
        layout.addWidget(demo_hint)

        self.message = warning_banner("setupError")
        layout.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setObjectName("setupProgress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        layout.addWidget(self.progress)

        self.choice.idToggled.connect(self._toggled)
        self.radios[0].setChecked(True)

    def template(self) -> CampaignTemplate | None:
        n = self.choice.checkedId()
        return TEMPLATES[n] if n >= 0 else None

    def set_template(self, key: str | None) -> None:
        n = next((i for i, t in enumerate(TEMPLATES) if t.key == key), self.NONE)
        self.radios[n].setChecked(True)

    def _toggled(self, _id: int, on: bool) -> None:
        if on:
            self._show_preview()

    def _show_preview(self) -> None:
        template = self.template()
        self.preview.setVisible(template is not None)
        self.no_campaign.setVisible(template is None)
        statuses = template.statuses if template is not None else ()
        for row in range(self.preview.rowCount()):  # (deleted later: hide them now)
            if (old := self.preview.cellWidget(row, 1)) is not None:
                old.hide()
        self.preview.setRowCount(0)
        self.preview.setRowCount(len(statuses))
        for row, spec in enumerate(statuses):
            name = QTableWidgetItem(status_swatch(spec.color), spec.name)
            if spec.is_start:
                name.setToolTip(self.tr("New records start here"))
                name.setText(self.tr("%1 (start)").replace("%1", spec.name))
            self.preview.setItem(row, 0, name)
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(spec.progress)
            bar.setFormat("%p %")
            bar.setStyleSheet(
                f"QProgressBar {{ border: 1px solid #B0BEC5; border-radius: 3px; "
                f"text-align: center; margin: 3px; }} "
                f"QProgressBar::chunk {{ background: {spec.color}; }}"
            )
            self.preview.setCellWidget(row, 1, bar)
            final = QTableWidgetItem(self.tr("final") if spec.is_final else "")
            if spec.is_final:
                final.setIcon(icon("mdi6.flag-checkered"))
            self.preview.setItem(row, 2, final)
            following = QTableWidgetItem(" · ".join(spec.next))
            following.setToolTip(following.text())
            self.preview.setItem(row, 3, following)
        if statuses:
            self.preview.setToolTip(self.tr("The first next status is the default."))

    def set_busy(self, busy: bool, text: str = "") -> None:
        for widget in (*self.radios.values(), self.demo_check):
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)
        if busy:
            self.message.hide()
            self.progress.setRange(0, 0)
            self.progress.setFormat(text)

    def cleanupPage(self) -> None:
        pass


class _SetupThread(QThread):
    """Runs the bootstrap (and the demo data) away from the GUI thread."""

    progressed = Signal(int, int)
    succeeded = Signal(int, object)  # user id, the demo's error (or None)
    failed = Signal(object)

    def __init__(self, db: Database, data: SetupData, clock: Clock, demo_records: int) -> None:
        super().__init__()
        self.db, self.data, self.clock, self.demo_records = db, data, clock, demo_records

    def run(self) -> None:
        from akquise_desktop.controller import bootstrap

        data = self.data
        try:
            if not needs_first_run(self.db):
                raise _AlreadySetUp
            user_id = bootstrap(
                self.db, data.login, data.display_name, setup=data.setup, clock=self.clock
            )
        except Exception as exc:
            self.failed.emit(exc)
            return
        demo_error: Exception | None = None
        if data.demo:
            from akquise_desktop.demo import generate

            try:
                generate(
                    self.db,
                    self.demo_records,
                    seed=DEMO_SEED,
                    clock=self.clock,
                    progress=lambda done, total: self.progressed.emit(done, total),
                )
            except Exception as exc:  # the user is set up; the demo is extra
                demo_error = exc
        self.succeeded.emit(user_id, demo_error)


class _AlreadySetUp(Exception):
    pass


class FirstRunWizard(QWizard):
    """The three pages; "Finish" sets the database up (see the module)."""

    setup_done = Signal(int)  # the new user's id

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock,
        login: str | None = None,
        demo_records: int = DEMO_RECORDS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(self.tr("Set up AkquiseDesktop"))
        self.setWindowIcon(icon("mdi6.handshake-outline", "#1565C0"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.db, self.clock, self.demo_records = db, clock, demo_records
        self.user_id: int | None = None
        self.demo_error: str | None = None
        self._thread: _SetupThread | None = None
        self.about_page = AboutYouPage(login or default_login())
        self.company_page = CompanyPage()
        self.campaign_page = CampaignPage(demo_records)
        for page in (self.about_page, self.company_page, self.campaign_page):
            self.addPage(page)
        self.resize(800, 620)

    def setup_data(self) -> SetupData:
        about = self.about_page
        template = self.campaign_page.template()
        return SetupData(
            login=about.login.text(),
            display_name=about.name.text(),
            setup=FirstRun(
                email=about.email.text() or None,
                company_name=self.company_page.company.text() or None,
                campaign_template=template.key if template is not None else None,
            ),
            demo=self.campaign_page.demo_check.isChecked(),
        )

    @property
    def running(self) -> bool:
        return self._thread is not None

    def accept(self) -> None:
        """Finish: set the database up on the background thread; close when done."""
        if self.running:
            return
        if self.about_page.errors():  # (pages are checked on "Next"; a safeguard)
            self.restart()
            return
        data = self.setup_data()
        page = self.campaign_page
        page.set_busy(True, self.tr("Setting up the database …"))
        self._enable_buttons(False)
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        thread = _SetupThread(self.db, data, self.clock, self.demo_records)
        thread.progressed.connect(self._progressed)
        thread.succeeded.connect(self._succeeded)
        thread.failed.connect(self._failed)
        self._thread = thread
        thread.start()

    def reject(self) -> None:
        if not self.running:  # a set-up under way can't be cancelled half-way
            super().reject()

    def _enable_buttons(self, enabled: bool) -> None:
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(enabled)

    def _progressed(self, done: int, total: int) -> None:
        bar = self.campaign_page.progress
        bar.setRange(0, total)
        bar.setValue(done)
        bar.setFormat(
            self.tr("Loading demo data: %1 of %2 records …")
            .replace("%1", str(done))
            .replace("%2", str(total))
        )

    def _finish_thread(self) -> None:
        QApplication.restoreOverrideCursor()
        if self._thread is not None:
            self._thread.wait()
            self._thread.deleteLater()
            self._thread = None

    def _succeeded(self, user_id: int, demo_error: Exception | None) -> None:
        self._finish_thread()
        self.user_id = user_id
        if demo_error is not None:
            self.demo_error = self.tr(
                "You are set up, but the demo data could not be loaded: %1"
            ).replace("%1", error_text(demo_error))
        self.setup_done.emit(user_id)
        super().accept()

    def _failed(self, exc: Exception) -> None:
        self._finish_thread()
        self.campaign_page.set_busy(False)
        self._enable_buttons(True)
        if isinstance(exc, _AlreadySetUp):
            text = self.tr(
                "This database has been set up in the meantime (it has users now). "
                "Close the wizard and start the program again."
            )
        else:
            text = self.tr("The database could not be set up: %1").replace("%1", error_text(exc))
        self.campaign_page.message.setText(text)
        self.campaign_page.message.show()


def run_first_run(
    db: Database,
    *,
    clock: Clock,
    parent: QWidget | None = None,
    login: str | None = None,
    demo_records: int = DEMO_RECORDS,
) -> int | None:
    """Show the wizard for a new database (one without users, see
    :func:`needs_first_run`); the new user's id, or None when cancelled (then
    nothing was written). Needs a QApplication, with the UI language installed."""
    wizard = FirstRunWizard(db, clock=clock, login=login, demo_records=demo_records, parent=parent)
    wizard.exec()
    if wizard.demo_error:
        QMessageBox.warning(parent, wizard.windowTitle(), wizard.demo_error)
    return wizard.user_id
