"""The start dialog: profiles listed and edited, "test connection" on a thread
with each failure named, the password in the keyring or nowhere."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from akquise_desktop.desktop.profiles import LOCAL_ID, ConnectionProfile, ProfileStore
from akquise_desktop.desktop.secrets import SERVICE, PasswordStore
from akquise_desktop.storage import Database
from akquise_desktop.storage.probe import ProbeResult, Problem
from akquise_desktop.ui.start import StartChoice, StartDialog, choose_connection, probing
from tests.pg_cluster import PrivateCluster, unavailable_reason
from tests.test_connection_probe import ALICE_PASSWORD, MemoryKeyring

PROBE_WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def app_dirs(tmp_path, monkeypatch) -> dict[str, Path]:
    """Everything the app writes (data, cache, config) under tmp_path."""
    dirs = {name: tmp_path / name for name in ("data", "cache", "config")}
    monkeypatch.setenv("XDG_DATA_HOME", str(dirs["data"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(dirs["cache"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs["config"]))
    monkeypatch.setenv("AKQUISE_CACHE_DIR", str(dirs["cache"] / "akquise"))
    return dirs


@pytest.fixture
def settings_path(tmp_path) -> Path:
    return tmp_path / "config" / "settings.ini"


@pytest.fixture
def store(settings_path) -> ProfileStore:
    return ProfileStore(QSettings(str(settings_path), QSettings.Format.IniFormat))


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def passwords(keyring) -> PasswordStore:
    return PasswordStore(keyring)


@pytest.fixture
def open_dialog(qtbot, store, passwords):
    def make(
        lang: str = "en", secrets: PasswordStore | None = None, s: ProfileStore | None = None
    ) -> StartDialog:
        dialog = StartDialog(s or store, secrets or passwords, lang=lang)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def _fill(qtbot, dialog: StartDialog, **values) -> None:
    """Type into the server form as a user would (each edit as typed text)."""
    edits = {
        "name": dialog.name_edit,
        "host": dialog.host_edit,
        "database": dialog.database_edit,
        "user": dialog.user_edit,
        "password": dialog.password_edit,
    }
    for key, value in values.items():
        if key == "port":
            dialog.port_spin.setValue(value)
        elif key == "sslmode":
            dialog.sslmode_combo.setCurrentIndex(dialog.sslmode_combo.findData(value))
        else:
            edits[key].clear()
            edits[key].textEdited.emit("")
            qtbot.keyClicks(edits[key], str(value))


def _server(store: ProfileStore, **kw) -> ConnectionProfile:
    values = {"name": "Zentrale", "host": "db.example.com", "database": "crm", "user": "anna"}
    return store.save(ConnectionProfile(**{**values, **kw}))


# --- the list and the form ------------------------------------------------------------


def test_the_local_database_comes_first_and_needs_no_password(open_dialog, store, app_dirs):
    _server(store, name="Aaa first by name")
    dialog = open_dialog()
    ids = [
        dialog.profile_list.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(dialog.profile_list.count())
    ]
    assert ids[0] == LOCAL_ID and len(ids) == 2
    assert dialog.current.is_local and dialog.pages.currentIndex() == 0
    assert not dialog.password_edit.isVisible() and not dialog.remove_button.isEnabled()
    assert dialog.login_button.isEnabled()
    dialog.login_button.click()
    choice = dialog.choice
    assert choice is not None and choice.profile.id == LOCAL_ID
    assert choice.url.get_backend_name() == "sqlite" and choice.url.password is None
    assert Path(choice.url.database).is_relative_to(app_dirs["data"])
    assert store.last_used == LOCAL_ID


def test_the_last_used_profile_is_preselected(open_dialog, store):
    saved = _server(store, port=6543, sslmode="require")
    store.last_used = saved.id
    dialog = open_dialog()
    assert dialog.current == saved and dialog.pages.currentIndex() == 1
    assert dialog.host_edit.text() == "db.example.com" and dialog.port_spin.value() == 6543
    assert dialog.sslmode_combo.currentData() == "require"
    assert dialog.remove_button.isEnabled()
    store.last_used = "gone"  # a removed profile: the local database instead
    assert open_dialog().current.is_local


def test_a_new_server_is_validated_at_the_field_and_saved(qtbot, open_dialog, store):
    dialog = open_dialog()
    dialog.add_button.click()
    assert dialog.pages.currentIndex() == 1 and dialog.name_edit.text() == "New server"
    assert "server" in dialog.field_error("host")  # the first missing input is named
    assert dialog.field_errors["host"].isVisible()
    assert not dialog.login_button.isEnabled() and not dialog.test_button.isEnabled()
    _fill(qtbot, dialog, host="db 1")
    assert "no spaces" in dialog.field_error("host")
    _fill(qtbot, dialog, host="db1.example.com")
    assert dialog.field_error("host") == "" and not dialog.field_errors["host"].isVisible()
    assert dialog.field_error("database") == "Please give the database."
    _fill(qtbot, dialog, database="crm")
    assert dialog.field_error("user") == "Please give the login name."
    assert not dialog.save_button.isEnabled()
    _fill(qtbot, dialog, user="anna", name="  ")
    assert dialog.field_error("name") == "Please give a name."
    assert dialog.field_error("user") == ""
    _fill(qtbot, dialog, name="Zentrale", port=6543, sslmode="verify-full")
    assert all(not dialog.field_error(f) for f in dialog.field_errors)
    assert dialog.login_button.isEnabled() and dialog.save_button.isEnabled()
    assert dialog.rootcert_row.isVisible()  # (only the verify modes use a root certificate)
    item = dialog.profile_list.currentItem()
    assert item.text() == "Zentrale" and item.font().italic()  # not saved yet
    assert [p.id for p in store.profiles("en")] == [LOCAL_ID]
    dialog.save_button.click()
    saved = store.find(dialog.current.id)
    assert saved is not None and (saved.host, saved.port, saved.sslmode) == (
        "db1.example.com",
        6543,
        "verify-full",
    )
    assert not item.font().italic() and not dialog.save_button.isEnabled()


def test_german_messages_at_the_field(qtbot, open_dialog):
    dialog = open_dialog(lang="de")
    dialog.add_button.click()
    assert dialog.field_error("host").startswith("Bitte den Server angeben")


def test_editing_a_server_forgets_the_old_logins_password(qtbot, open_dialog, store, passwords):
    saved = _server(store)
    passwords.keep(saved.account, "alt-geheim")
    store.last_used = saved.id
    dialog = open_dialog()
    assert dialog.password_edit.text() == "alt-geheim"  # remembered: prefilled
    _fill(qtbot, dialog, user="berta")
    dialog.save_button.click()
    found = store.find(saved.id)
    assert found is not None and found.user == "berta"
    assert passwords.get(saved.account) is None  # the old login's password is gone


def test_removing_a_server(qtbot, open_dialog, store, passwords, monkeypatch):
    saved = _server(store)
    passwords.keep(saved.account, "pw")
    store.last_used = saved.id
    dialog = open_dialog()
    monkeypatch.setattr(dialog, "_confirm_remove", lambda profile: False)
    dialog.remove_button.click()
    assert store.find(saved.id) is not None  # not confirmed: kept
    monkeypatch.setattr(dialog, "_confirm_remove", lambda profile: True)
    dialog.remove_button.click()
    assert store.find(saved.id) is None and passwords.get(saved.account) is None
    assert dialog.profile_list.count() == 1 and dialog.current.is_local


# --- test connection ----------------------------------------------------------------------


def test_test_connection_runs_in_the_background_and_names_the_problem(
    qtbot, open_dialog, monkeypatch
):
    """The probe runs on another thread while the dialog stays responsive; a stale
    result (the form changed meanwhile) is dropped."""
    release = threading.Event()
    threads: list[threading.Thread] = []

    def slow_probe(url, *, require_user=True):
        threads.append(threading.current_thread())
        release.wait(10)
        return ProbeResult(Problem.NO_DATABASE)

    monkeypatch.setattr(probing, "probe", slow_probe)
    dialog = open_dialog()
    dialog.add_button.click()
    _fill(qtbot, dialog, host="db", database="crm", user="anna", password="x")
    dialog.test_button.click()
    assert dialog.busy and dialog.spinner.isVisible() and not dialog.test_button.isEnabled()
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    assert threads[0] is not threading.main_thread()
    QApplication.processEvents()  # the GUI thread is free while the probe waits
    assert dialog.busy
    release.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert dialog.result_label.text() == Problem.NO_DATABASE.message("en")
    assert not dialog.spinner.isVisible() and dialog.test_button.isEnabled()

    release.clear()
    dialog.test_button.click()
    qtbot.waitUntil(lambda: len(threads) == 2, timeout=5000)
    _fill(qtbot, dialog, database="other")  # changed while the test runs
    assert not dialog.busy and dialog.result_label.text() == ""
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    QApplication.processEvents()  # (the stale result arrives, and is dropped)
    assert dialog.result_label.text() == "" and dialog.last_result is None


@pytest.mark.parametrize("lang", ["en", "de"])
def test_an_unreachable_server_is_named(qtbot, open_dialog, lang):
    dialog = open_dialog(lang=lang)
    dialog.add_button.click()
    _fill(qtbot, dialog, host="127.0.0.1", port=1, database="crm", user="anna", password="pw")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=PROBE_WAIT_MS)
    assert dialog.last_result is not None and dialog.last_result.problem is Problem.UNREACHABLE
    assert dialog.result_label.text() == Problem.UNREACHABLE.message(lang)


def test_the_local_database_tests_fine(qtbot, open_dialog, app_dirs):
    dialog = open_dialog()
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=PROBE_WAIT_MS)
    assert dialog.last_result is not None and dialog.last_result.ok
    assert dialog.result_label.text() == "Ready: a new local database will be created."
    assert not any(app_dirs["data"].rglob("*.sqlite3"))  # a test creates nothing


# --- passwords -----------------------------------------------------------------------------


@pytest.fixture
def server_answers(monkeypatch):
    """The server "db" of these tests: its login test answers with what is set here."""
    answer = {"result": None}

    def fake_probe(url, *, require_user=True):
        return answer["result"] or ProbeResult(None, encrypted=True, login=url.username or "")

    monkeypatch.setattr(probing, "probe", fake_probe)
    return answer


def _log_in(qtbot, dialog: StartDialog) -> None:
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.result() == StartDialog.DialogCode.Accepted, timeout=5000)


def _log_in_new_server(qtbot, dialog: StartDialog, password: str, remember: bool) -> StartChoice:
    dialog.add_button.click()
    _fill(qtbot, dialog, name="Zentrale", host="db", database="crm", user="anna")
    _fill(qtbot, dialog, password=password)
    if dialog.remember_check.isEnabled():
        dialog.remember_check.setChecked(remember)
    _log_in(qtbot, dialog)
    assert dialog.choice is not None
    return dialog.choice


def test_a_failed_login_stays_in_the_dialog_and_keeps_no_password(
    qtbot, open_dialog, keyring, server_answers
):
    server_answers["result"] = ProbeResult(Problem.WRONG_PASSWORD, login="anna")
    dialog = open_dialog()
    dialog.add_button.click()
    _fill(qtbot, dialog, name="Zentrale", host="db", database="crm", user="anna")
    _fill(qtbot, dialog, password="falsch")
    dialog.remember_check.setChecked(True)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert dialog.result() != StartDialog.DialogCode.Accepted and dialog.choice is None
    assert dialog.result_label.text() == Problem.WRONG_PASSWORD.message("en")
    assert keyring.kept == {}
    server_answers["result"] = None  # the right password now
    _fill(qtbot, dialog, password="richtig")
    _log_in(qtbot, dialog)
    assert dialog.choice is not None and dialog.choice.url.password == "richtig"
    assert list(keyring.kept.values()) == ["richtig"]


def test_a_remembered_password_is_prefilled_next_time(
    qtbot, open_dialog, keyring, store, server_answers
):
    choice = _log_in_new_server(qtbot, open_dialog(), "Pa55-wort", remember=True)
    assert choice.url.password == "Pa55-wort"
    assert keyring.kept == {(SERVICE, "anna@db:5432/crm"): "Pa55-wort"}
    again = open_dialog()
    assert again.current.id == choice.profile.id  # the last used
    assert again.remember_check.isChecked() and again.password_edit.text() == "Pa55-wort"
    again.remember_check.setChecked(False)  # no longer remembered: forgotten
    _log_in(qtbot, again)
    assert keyring.kept == {} and again.choice is not None
    assert again.choice.url.password == "Pa55-wort"  # (for this session)
    third = open_dialog()
    assert not third.remember_check.isChecked() and third.password_edit.text() == ""


def test_without_a_keyring_the_password_is_asked_each_time(qtbot, open_dialog, server_answers):
    secrets = PasswordStore(fail.Keyring())
    dialog = open_dialog(secrets=secrets)
    dialog.add_button.click()
    assert not dialog.remember_check.isEnabled() and not dialog.remember_check.isChecked()
    assert dialog.keyring_reason.isVisible()
    assert dialog.keyring_reason.text() == secrets.reason("en")
    assert "keyring" in secrets.reason("en")
    choice = _log_in_new_server(qtbot, dialog, "Pa55-wort", remember=True)
    assert choice.url.password == "Pa55-wort"
    again = open_dialog(secrets=secrets)
    assert again.current.id == choice.profile.id and again.password_edit.text() == ""
    assert not again.login_button.isHidden()


def test_with_a_keyring_no_reason_is_shown(open_dialog):
    dialog = open_dialog()
    dialog.add_button.click()
    assert dialog.remember_check.isEnabled() and dialog.remember_check.isChecked()
    assert not dialog.keyring_reason.isVisible()


def test_the_choice_never_shows_the_password(qtbot, open_dialog, server_answers):
    choice = _log_in_new_server(qtbot, open_dialog(), "Pa55-wort", remember=False)
    for text in (str(choice), repr(choice), str(choice.url), repr(choice.url)):
        assert "Pa55-wort" not in text
    assert "anna:***@db:5432/crm" in repr(choice)


def _files_holding(secret: str, *roots: Path) -> list[Path]:
    needles = [secret.encode(), secret.encode("utf-16-le")]
    found = []
    for root in roots:
        for path in root.rglob("*") if root.exists() else ():
            if path.is_file() and any(n in path.read_bytes() for n in needles):
                found.append(path)
    return found


@pytest.mark.parametrize("remember", [True, False], ids=["remember", "ask"])
def test_no_file_holds_the_password(
    qtbot, open_dialog, store, settings_path, app_dirs, remember, server_answers
):
    choice = _log_in_new_server(qtbot, open_dialog(), "Pa55-wort", remember=remember)
    store.qsettings.sync()
    assert settings_path.exists() and choice.profile.id in settings_path.read_text()
    assert _files_holding("Pa55-wort", *app_dirs.values(), settings_path.parent) == []


# --- against a server that asks for passwords ------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    reason = unavailable_reason()
    if reason:
        if os.environ.get("AKQUISE_REQUIRE_PG") == "1":
            pytest.fail(f"AKQUISE_REQUIRE_PG=1 but no private cluster: {reason}")
        pytest.skip(reason)
    c = PrivateCluster().start()
    try:
        c.psql(f"CREATE ROLE alice LOGIN CREATEROLE PASSWORD '{ALICE_PASSWORD}'")
        c.psql("CREATE DATABASE crm OWNER alice")
        db = Database(
            c.url("alice", ALICE_PASSWORD, "crm").update_query_dict({"sslmode": "require"})
        )
        db.upgrade()
        from akquise_desktop.controller import bootstrap

        bootstrap(db, "alice")  # alice: the first user of the application
        db.dispose()
        yield c
    finally:
        c.stop()


def _cluster_form(qtbot, dialog: StartDialog, cluster: PrivateCluster, password: str) -> None:
    dialog.add_button.click()
    _fill(qtbot, dialog, name="Privat", host="127.0.0.1", port=cluster.port, database="crm")
    _fill(qtbot, dialog, user="alice", sslmode="require", password=password)


@pytest.mark.postgresql
def test_a_wrong_password_is_named(qtbot, open_dialog, cluster):
    dialog = open_dialog()
    _cluster_form(qtbot, dialog, cluster, "falsch")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=PROBE_WAIT_MS)
    assert dialog.result_label.text() == Problem.WRONG_PASSWORD.message("en")


@pytest.mark.postgresql
@pytest.mark.parametrize("remember", [True, False], ids=["remember", "ask"])
def test_a_working_login_leaves_the_password_in_no_file(
    qtbot, open_dialog, cluster, store, keyring, settings_path, app_dirs, caplog, remember
):
    caplog.set_level(logging.DEBUG)
    dialog = open_dialog()
    _cluster_form(qtbot, dialog, cluster, ALICE_PASSWORD)
    dialog.remember_check.setChecked(remember)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=PROBE_WAIT_MS)
    assert dialog.last_result is not None and dialog.last_result.ok
    assert dialog.result_label.text() == "The connection works and is encrypted."
    _log_in(qtbot, dialog)
    choice = dialog.choice
    assert choice is not None and choice.url.password == ALICE_PASSWORD
    db = Database(choice.url, read_only=True)  # the URL works as it is
    try:
        assert db.schema_state()[0].value == "current"
    finally:
        db.dispose()
    assert (list(keyring.kept.values()) == [ALICE_PASSWORD]) is remember
    store.qsettings.sync()
    assert settings_path.exists()
    assert _files_holding(ALICE_PASSWORD, *app_dirs.values(), settings_path.parent) == []
    assert ALICE_PASSWORD not in caplog.text
    again = open_dialog()
    assert again.password_edit.text() == (ALICE_PASSWORD if remember else "")


def test_closing_while_a_test_runs_is_safe(qtbot, store, passwords, monkeypatch):
    release = threading.Event()
    started = threading.Event()

    def slow_probe(url, *, require_user=True):
        started.set()
        release.wait(10)
        return ProbeResult(Problem.UNREACHABLE)

    monkeypatch.setattr(probing, "probe", slow_probe)
    dialog = StartDialog(store, passwords, lang="en")
    dialog.show()
    dialog.test_button.click()  # (the local database)
    assert started.wait(5)
    dialog.reject()
    dialog.deleteLater()
    QApplication.processEvents()
    del dialog
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    QApplication.processEvents()  # the result finds no dialog: nothing happens


def test_choose_connection(qtbot, store, passwords, monkeypatch):
    def accept(self):
        self.log_in()
        return self.result()

    monkeypatch.setattr(StartDialog, "exec", accept)
    choice = choose_connection(store, passwords, lang="en")
    assert isinstance(choice, StartChoice) and choice.profile.id == LOCAL_ID
    monkeypatch.setattr(StartDialog, "exec", lambda self: StartDialog.DialogCode.Rejected)
    assert choose_connection(store, passwords, lang="en") is None
