"""The start dialog: choose the database to work in, and log in to a server.

The list holds the connection profiles (:mod:`akquise_desktop.desktop.profiles`):
the local database first (a file of the user's own account: no password),
then the PostgreSQL servers, which can be added, edited and removed here. A
server's password is typed in and, with "Remember password", kept in the
operating system's keyring (:mod:`akquise_desktop.desktop.secrets`) — never in
the settings. Without a keyring the box is disabled, a line says why, and the
password is asked each time.

"Test connection" runs :func:`~akquise_desktop.storage.probe.probe` on a
thread of its own (``probing.ProbeTask``; the dialog never waits for a server) and
names what is wrong. "Log in" accepts once the profile's fields are valid; the
result is a :class:`StartChoice`: the profile and the URL with the password,
for this session only.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from akquise_desktop.desktop.profiles import (
    DEFAULT_PORT,
    LOCAL_ID,
    SSL_MODES,
    ConnectionProfile,
    ProfileError,
    ProfileStore,
)
from akquise_desktop.desktop.secrets import PasswordStore
from akquise_desktop.storage.probe import ProbeResult
from akquise_desktop.storage.schema import SchemaState

from ..common import icon
from .probing import ProbeTask, StartChoice, probe_signals

OK_COLOR = "#2E7D32"
ERROR_COLOR = "#C62828"
HINT_STYLE = "color: #546E7A;"
TOP_LEFT = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
# The form's fields, as ProfileError names them.
FIELDS = ("name", "host", "port", "database", "user", "sslmode", "sslrootcert")


class StartDialog(QDialog):
    """Choose a connection profile, edit the servers, test, log in."""

    def __init__(
        self,
        store: ProfileStore,
        passwords: PasswordStore,
        *,
        lang: str = "de",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("StartDialog")
        self.setWindowTitle(self.tr("AkquiseDesktop — Connect"))
        self.store = store
        self.passwords = passwords
        self.lang = lang
        self.choice: StartChoice | None = None
        saved = store.profiles(lang)
        self._saved: dict[str, ConnectionProfile] = {p.id: p for p in saved}
        self._entries: dict[str, ConnectionProfile] = dict(self._saved)  # with unsaved edits
        self._typed: dict[str, str] = {}  # passwords typed or fetched, this dialog only
        self._current = LOCAL_ID
        self._loading = False
        self._generation = 0  # a probe's result counts only for the form it was started on
        self._login_generation: int | None = None  # the probe "Log in" waits for
        self._probe_token = object()  # this dialog's probes (ProbeSignals)
        probe_signals().done.connect(self._delivered)
        self.busy = False
        self.last_result: ProbeResult | None = None  # the shown test's result
        self._build()
        for profile in saved:
            self._add_item(profile)
        last = store.last_used if store.last_used in self._entries else LOCAL_ID
        self.select(last)
        self.resize(760, 500)

    # --- building ----------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        body = QHBoxLayout()
        root.addLayout(body, 1)

        left = QVBoxLayout()
        self.profile_list = QListWidget()
        self.profile_list.setObjectName("profileList")
        self.profile_list.setAccessibleName(self.tr("Connections"))
        self.profile_list.setMinimumWidth(220)
        self.profile_list.currentItemChanged.connect(self._item_changed)
        left.addWidget(self.profile_list, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(icon("mdi6.plus"), self.tr("&Add server"))
        self.add_button.setObjectName("addServer")
        self.add_button.clicked.connect(self.add_server)
        self.remove_button = QPushButton(icon("mdi6.delete-outline"), self.tr("&Remove"))
        self.remove_button.setObjectName("removeServer")
        self.remove_button.clicked.connect(self.remove_current)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        body.addLayout(left)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._local_page())
        self.pages.addWidget(self._server_page())
        body.addWidget(self.pages, 1)

        test_row = QHBoxLayout()
        self.test_button = QPushButton(icon("mdi6.lan-connect"), self.tr("&Test connection"))
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test_connection)
        self.spinner = QProgressBar()
        self.spinner.setObjectName("probeBusy")
        self.spinner.setRange(0, 0)  # busy, no percentage
        self.spinner.setTextVisible(False)
        self.spinner.setMaximumWidth(120)
        self.spinner.hide()
        self.result_label = QLabel()
        self.result_label.setObjectName("probeResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.spinner)
        test_row.addWidget(self.result_label, 1)
        root.addLayout(test_row)

        self.button_box = QDialogButtonBox()
        self.login_button = self.button_box.addButton(
            self.tr("&Log in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.login_button.setObjectName("login")
        self.login_button.setIcon(icon("mdi6.login"))
        self.login_button.setDefault(True)
        self.button_box.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.button_box.accepted.connect(self.log_in)
        self.button_box.rejected.connect(self.reject)
        root.addWidget(self.button_box)

    def _local_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 0, 0, 0)
        title = QLabel()
        title.setObjectName("localTitle")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        self.local_title = title
        self.local_where = QLabel()
        self.local_where.setObjectName("localWhere")
        self.local_where.setWordWrap(True)
        self.local_where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note = QLabel(
            self.tr(
                "A database file on this computer, for working alone. It belongs to your "
                "user account: no password is needed."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet(HINT_STYLE)
        layout.addWidget(title)
        layout.addWidget(self.local_where)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    def _server_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(12, 0, 0, 0)
        self.form = form
        self.field_errors: dict[str, QLabel] = {}
        self.field_widgets: dict[str, QWidget] = {}

        self.name_edit = QLineEdit()
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText(self.tr("e.g. crm.example.com"))
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(DEFAULT_PORT)
        self.port_spin.setGroupSeparatorShown(False)
        self.database_edit = QLineEdit()
        self.user_edit = QLineEdit()
        self.sslmode_combo = QComboBox()
        for mode, label in self._ssl_labels().items():
            self.sslmode_combo.addItem(label, mode)
        root_row = QWidget()
        root_layout = QHBoxLayout(root_row)
        root_layout.setContentsMargins(0, 0, 0, 0)
        self.rootcert_edit = QLineEdit()
        self.rootcert_edit.setPlaceholderText(self.tr("the system's default"))
        browse = QPushButton(icon("mdi6.folder-open-outline"), "")
        browse.setToolTip(self.tr("Choose the root certificate file"))
        browse.clicked.connect(self._browse_rootcert)
        root_layout.addWidget(self.rootcert_edit, 1)
        root_layout.addWidget(browse)
        self.rootcert_row = root_row

        rows: list[tuple[str, str, QWidget]] = [
            ("name", self.tr("&Name:"), self.name_edit),
            ("host", self.tr("&Server:"), self.host_edit),
            ("port", self.tr("P&ort:"), self.port_spin),
            ("database", self.tr("&Database:"), self.database_edit),
            ("user", self.tr("Login na&me:"), self.user_edit),
            ("sslmode", self.tr("&Encryption:"), self.sslmode_combo),
            ("sslrootcert", self.tr("Root certificate:"), root_row),
        ]
        for field, label, widget in rows:
            form.addRow(self._label(label, widget), widget)
            self.field_widgets[field] = widget
            error = QLabel()
            error.setObjectName(f"error_{field}")
            error.setWordWrap(True)
            error.setAlignment(TOP_LEFT)
            error.setStyleSheet(f"color: {ERROR_COLOR};")
            form.addRow("", error)
            form.setRowVisible(error, False)
            self.field_errors[field] = error

        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self._label(self.tr("&Password:"), self.password_edit), self.password_edit)
        self.remember_check = QCheckBox(self.tr("Remem&ber password"))
        self.remember_check.setObjectName("rememberPassword")
        self.remember_check.setToolTip(self.tr("Kept in the operating system's keyring"))
        form.addRow("", self.remember_check)
        self.keyring_reason = QLabel(self.passwords.reason(self.lang))
        self.keyring_reason.setObjectName("keyringReason")
        self.keyring_reason.setWordWrap(True)
        self.keyring_reason.setAlignment(TOP_LEFT)
        self.keyring_reason.setStyleSheet(HINT_STYLE)
        form.addRow("", self.keyring_reason)
        if not self.passwords.available:
            self.remember_check.setEnabled(False)
        else:
            form.setRowVisible(self.keyring_reason, False)

        self.save_button = QPushButton(icon("mdi6.content-save-outline"), self.tr("Sa&ve"))
        self.save_button.setObjectName("saveProfile")
        self.save_button.clicked.connect(self.save_current)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        form.addRow(save_row)

        for edit in (self.name_edit, self.host_edit, self.database_edit, self.user_edit):
            edit.textEdited.connect(self._edited)
        self.rootcert_edit.textChanged.connect(self._edited)
        self.port_spin.valueChanged.connect(self._edited)
        self.sslmode_combo.currentIndexChanged.connect(self._edited)
        self.remember_check.toggled.connect(self._edited)
        self.password_edit.textEdited.connect(self._password_edited)
        return page

    def _ssl_labels(self) -> dict[str, str]:
        labels = {
            "disable": self.tr("off (disable)"),
            "prefer": self.tr("if possible (prefer)"),
            "require": self.tr("required (require)"),
            "verify-ca": self.tr("required, check the certificate (verify-ca)"),
            "verify-full": self.tr("required, check the certificate and name (verify-full)"),
        }
        return {mode: labels[mode] for mode in SSL_MODES}

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _add_item(self, profile: ConnectionProfile) -> QListWidgetItem:
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, profile.id)
        self.profile_list.addItem(item)
        self._show_item(item, profile)
        return item

    def _show_item(self, item: QListWidgetItem, profile: ConnectionProfile) -> None:
        unsaved = self._saved.get(profile.id) != profile
        item.setText(profile.name.strip() or self.tr("(no name)"))
        item.setIcon(icon("mdi6.laptop" if profile.is_local else "mdi6.server-network"))
        detail = profile.describe(self.lang) if profile.host or profile.is_local else ""
        if unsaved:
            detail = "\n".join(filter(None, [detail, self.tr("not saved yet")]))
        item.setToolTip(detail)
        font = QFont(item.font())
        font.setItalic(unsaved)
        item.setFont(font)

    def _item(self, profile_id: str) -> QListWidgetItem | None:
        for row in range(self.profile_list.count()):
            item = self.profile_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == profile_id:
                return item
        return None

    # --- showing a profile ---------------------------------------------------------

    @property
    def current(self) -> ConnectionProfile:
        """The selected profile as the form holds it (perhaps unsaved, perhaps invalid)."""
        return self._entries[self._current]

    def select(self, profile_id: str) -> None:
        item = self._item(profile_id)
        if item is not None:
            self.profile_list.setCurrentItem(item)

    def _item_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is None:
            return
        self._current = str(item.data(Qt.ItemDataRole.UserRole))
        self._load(self.current)

    def _load(self, profile: ConnectionProfile) -> None:
        self._loading = True
        try:
            self.remove_button.setEnabled(not profile.is_local)
            if profile.is_local:
                self.pages.setCurrentIndex(0)
                self.local_title.setText(profile.name)
                self.local_where.setText(profile.describe(self.lang))
            else:
                self.pages.setCurrentIndex(1)
                self.name_edit.setText(profile.name)
                self.host_edit.setText(profile.host)
                self.port_spin.setValue(int(profile.port))
                self.database_edit.setText(profile.database)
                self.user_edit.setText(profile.user)
                self.sslmode_combo.setCurrentIndex(max(0, SSL_MODES.index(profile.sslmode)))
                self.rootcert_edit.setText(profile.sslrootcert)
                self.remember_check.setChecked(
                    profile.remember_password and self.passwords.available
                )
                self.password_edit.setText(self._password_for(profile))
        finally:
            self._loading = False
        self._forget_result()
        self._validate()

    def _password_for(self, profile: ConnectionProfile) -> str:
        if profile.id not in self._typed:
            known = ""
            if profile.id in self._saved and profile.remember_password:
                known = self.passwords.get(self._saved[profile.id].account) or ""
            self._typed[profile.id] = known
        return self._typed[profile.id]

    # --- editing -----------------------------------------------------------------

    def _form_profile(self) -> ConnectionProfile:
        base = self.current
        remember = (
            self.remember_check.isChecked()
            if self.passwords.available
            else base.remember_password  # (the wish stays for a system with a keyring)
        )
        return replace(
            base,
            name=self.name_edit.text(),
            host=self.host_edit.text(),
            port=self.port_spin.value(),
            database=self.database_edit.text(),
            user=self.user_edit.text(),
            sslmode=str(self.sslmode_combo.currentData()),
            sslrootcert=self.rootcert_edit.text(),
            remember_password=remember,
        )

    def _edited(self, *_args: object) -> None:
        if self._loading or self.current.is_local:
            return
        self._entries[self._current] = self._form_profile()
        item = self._item(self._current)
        if item is not None:
            self._show_item(item, self.current)
        self._forget_result()
        self._validate()

    def _password_edited(self, text: str) -> None:
        self._typed[self._current] = text
        self._forget_result()

    def _validate(self) -> ConnectionProfile | None:
        """The checked profile, or None with its error shown at the field."""
        profile = self.current
        verify = profile.sslmode.startswith("verify")
        if not profile.is_local:
            self.form.setRowVisible(self.rootcert_row, verify)
        error: ProfileError | None = None
        try:
            checked = profile.checked()
        except ProfileError as exc:
            error, checked = exc, None
        at = "" if error is None else error.field if error.field in self.field_errors else "name"
        for field, label in self.field_errors.items():
            shown = error is not None and at == field
            label.setText(error.message(self.lang) if shown and error else "")
            self.form.setRowVisible(label, shown)
        self.login_button.setEnabled(checked is not None)
        self.test_button.setEnabled(checked is not None)
        self.save_button.setEnabled(checked is not None and self._saved.get(profile.id) != profile)
        return checked

    def field_error(self, field: str) -> str:
        """The message shown at ``field`` ("" when none)."""
        return self.field_errors[field].text()

    def _browse_rootcert(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Root certificate"), self.rootcert_edit.text(),
            self.tr("Certificates (*.crt *.pem *.cer);;All files (*)"),
        )  # fmt: skip
        if path:
            self.rootcert_edit.setText(path)

    def add_server(self) -> None:
        name = self.tr("New server")
        profile = ConnectionProfile(name=name, remember_password=self.passwords.available)
        self._entries[profile.id] = profile
        self._typed[profile.id] = ""
        self._add_item(profile)
        self.select(profile.id)
        self.host_edit.setFocus()

    def save_current(self) -> ConnectionProfile | None:
        """Keep the selected server's profile (not its password); None if invalid."""
        checked = self._validate()
        if checked is None or checked.is_local:
            return checked
        before = self._saved.get(checked.id)
        saved = self.store.save(checked)
        if before is not None and before.account != saved.account:
            self.passwords.forget(before.account)  # (the old login's password is of no use)
        self._saved[saved.id] = saved
        self._entries[saved.id] = saved
        item = self._item(saved.id)
        if item is not None:
            self._show_item(item, saved)
        self._validate()
        return saved

    def _confirm_remove(self, profile: ConnectionProfile) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Remove connection"),
            self.tr("Remove the connection “%1”? Its remembered password is forgotten too.")
            .replace("%1", profile.name),
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def remove_current(self) -> None:
        profile = self.current
        if profile.is_local or not self._confirm_remove(profile):
            return
        saved = self._saved.pop(profile.id, None)
        if saved is not None:
            self.store.remove(saved.id)
            self.passwords.forget(saved.account)
        self._entries.pop(profile.id, None)
        self._typed.pop(profile.id, None)
        item = self._item(profile.id)
        if item is not None:
            self.profile_list.takeItem(self.profile_list.row(item))
        self.select(LOCAL_ID)

    # --- testing -----------------------------------------------------------------

    def _session_url(self, profile: ConnectionProfile) -> URL:
        if profile.is_local:
            return profile.url()
        return profile.url(self.password_edit.text() or None)

    def test_connection(self) -> None:
        """Probe the form's connection on a pool thread; the result comes to :meth:`_probed`."""
        checked = self._validate()
        if checked is None:
            return
        self._generation += 1
        task = ProbeTask(self._probe_token, self._generation, self._session_url(checked))
        self._set_busy(True)
        self.result_label.setStyleSheet("")
        self.result_label.setText(self.tr("Connecting …"))
        task.start()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.spinner.setVisible(busy)
        valid = self._validate() is not None
        self.test_button.setEnabled(not busy and valid)
        self.login_button.setEnabled(not busy and valid)

    def _delivered(self, token: object, generation: int, result: ProbeResult) -> None:
        if token is self._probe_token:  # not another dialog's
            self._probed(generation, result)

    def _probed(self, generation: int, result: ProbeResult) -> None:
        if generation != self._generation:
            return  # the form has changed since (or a newer test runs)
        self._set_busy(False)
        self.last_result = result
        logging_in = self._login_generation == generation
        self._login_generation = None
        if result.ok and logging_in:
            self._finish_login(self.current)
            return
        if result.ok:
            self.result_label.setStyleSheet(f"color: {OK_COLOR};")
            self.result_label.setText(self._success_text(result))
        else:
            self.result_label.setStyleSheet(f"color: {ERROR_COLOR};")
            self.result_label.setText(result.message(self.lang))

    def _success_text(self, result: ProbeResult) -> str:
        if self.current.is_local:
            if result.schema is SchemaState.EMPTY:
                return self.tr("Ready: a new local database will be created.")
            return self.tr("The local database is ready.")
        if result.first_user:
            return self.tr(
                "The connection works. The database has no users yet: "
                "you will be its first administrator."
            )
        if result.encrypted:
            return self.tr("The connection works and is encrypted.")
        return self.tr("The connection works, but it is not encrypted.")

    def _forget_result(self) -> None:
        """Fields changed: a shown or running test no longer speaks for them."""
        self._generation += 1
        self._login_generation = None
        self.last_result = None
        if self.busy:
            self._set_busy(False)
        self.result_label.setText("")
        self.result_label.setStyleSheet("")

    # --- logging in --------------------------------------------------------------

    def log_in(self) -> None:
        """A server: save the profile and test the login (on a pool thread);
        only a working login is accepted, and only its password kept. The
        local database: accept at once."""
        if self.current.is_local:
            self._finish_login(self.current)
            return
        if self.save_current() is None:
            return
        self.test_connection()
        self._login_generation = self._generation

    def _finish_login(self, profile: ConnectionProfile) -> None:
        """Keep or forget the password as asked, remember the profile, accept."""
        if not profile.is_local:
            password = self.password_edit.text()
            if self.passwords.available:
                if profile.remember_password and password:
                    self.passwords.keep(profile.account, password)
                elif not profile.remember_password:
                    self.passwords.forget(profile.account)
        self.store.last_used = profile.id
        self.store.qsettings.sync()
        self.choice = StartChoice(profile, self._session_url(profile))
        self.accept()


def choose_connection(
    store: ProfileStore,
    passwords: PasswordStore,
    *,
    lang: str,
    parent: QWidget | None = None,
) -> StartChoice | None:
    """Show the start dialog; the choice, or None when the user cancels."""
    dialog = StartDialog(store, passwords, lang=lang, parent=parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.choice
        return None
    finally:
        dialog.deleteLater()
