"""The activity dialog while the database cannot be reached: the input stays,
the same save is sent again after growing pauses (or at once on "Retry now"),
the status bar says so, and the activity is written exactly once. An answer of
the database — a refusal, a time limit, a wrong password — is shown, never sent
again."""

from __future__ import annotations

import threading

import psycopg
import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from akquise_desktop import models as m
from akquise_desktop.controller import Controller
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import AkquiseError, DomainError, Rule
from akquise_desktop.ui.activity_dialog import ActivityDialog
from akquise_desktop.ui.activity_dialog.retry import SaveRetry, unreachable
from akquise_desktop.ui.live import LinkStatus
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.worker import DbWorker, SyncWorker

SUBJECT = "Gespräch während der Störung"
FAST = (10, 20, 40)  # ms: the pauses in these tests (the last one repeats)
SLOW = (60_000,)  # a pause no test waits for: "Retry now" or Cancel decide


# --- the errors ---------------------------------------------------------------------------


def refused() -> AkquiseError:
    """A connect refused, as storage/postgres.py's error_translator raises it."""
    error = AkquiseError("Datenbank nicht erreichbar (test): connection refused")
    error.__cause__ = psycopg.OperationalError("connection failed: Connection refused")
    return error


def link_lost() -> OperationalError:
    """The connection broke off during the transaction."""
    return OperationalError(
        "COMMIT",
        {},
        psycopg.OperationalError("server closed the connection unexpectedly"),
        connection_invalidated=True,
    )


def no_reply() -> DomainError:
    return DomainError(Rule.DB_NO_REPLY, where="test", seconds="35")


def wrong_password() -> AkquiseError:
    error = AkquiseError("Datenbank nicht erreichbar (test): password authentication failed")
    error.__cause__ = psycopg.errors.InvalidPassword("password authentication failed")
    return error


@pytest.mark.parametrize(
    "error, expected",
    [
        (refused(), True),
        (link_lost(), True),
        (no_reply(), True),
        (OperationalError("SELECT 1", {}, psycopg.OperationalError("timeout expired")), True),
        (
            OperationalError(
                "SELECT 1", {}, psycopg.errors.AdminShutdown("terminating connection")
            ),
            True,
        ),
        (ConnectionRefusedError(), True),
        (wrong_password(), False),
        (DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=1), False),
        (DomainError(Rule.DB_TIMEOUT, what_de="x", what_en="x", limit="30 s"), False),
        (IntegrityError("INSERT", {}, psycopg.errors.UniqueViolation("duplicate key")), False),
        (OperationalError("COMMIT", {}, Exception("database is locked")), False),
        (AkquiseError("Das Schema ist veraltet"), False),
        (ValueError("bad"), False),
    ],
)
def test_which_failures_wait_for_the_database(error, expected):
    assert unreachable(error) is expected


def test_the_pauses_grow_and_stay_at_the_last(qapp):
    retry = SaveRetry(backoff_ms=(1000, 2000, 4000))
    assert [retry.failed() for _ in range(5)] == [1000, 2000, 4000, 4000, 4000]
    assert retry.active and retry.waiting and 1 <= retry.seconds_left() <= 4
    retry.stop()
    assert not retry.active and not retry.waiting and retry.seconds_left() == 0
    assert retry.failed() == 1000  # a new round starts at the first pause
    with pytest.raises(ValueError):
        SaveRetry(backoff_ms=())


# --- the dialog ---------------------------------------------------------------------------


class FlakyLink:
    """``services.controller`` behind a link that fails: the next ``fails``
    saves raise ``error()`` — after the controller wrote them (``lands``: the
    answer was lost) or before. Everything else goes to the real controller."""

    def __init__(self, inner: Controller, fails: int, error=refused, *, lands: bool = False):
        self.inner = inner
        self.fails = fails
        self.error = error
        self.lands = lands
        self.keys: list[str | None] = []  # the client key of every save that came
        self.gate: threading.Event | None = None  # given: the saves after the failures wait for it

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def log_activity(self, cmd):
        self.keys.append(cmd.client_key)
        if self.gate is not None and not self.fails:
            assert self.gate.wait(10)
        if self.fails:
            self.fails -= 1
            if self.lands:
                self.inner.log_activity(cmd)
            raise self.error()
        return self.inner.log_activity(cmd)


def _record_with_follow_up(db) -> tuple[int, int]:
    """(record, its open follow-up) of the demo admin."""
    with db.read() as s:
        row = s.execute(
            select(m.FollowUp.record_id, m.FollowUp.id)
            .where(m.FollowUp.state == "open", m.FollowUp.assignee_id == 1)
            .order_by(m.FollowUp.id)
            .limit(1)
        ).one()
    return row[0], row[1]


def _saved_rows(db, subject: str = SUBJECT) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).where(m.Activity.subject == subject))


@pytest.fixture
def flaky(qapp, demo_db, clock):
    """(services whose controller is a FlakyLink failing 0 times so far, the link)."""
    link = FlakyLink(Controller(demo_db, 1, clock=clock), 0)
    services = Services(demo_db, link, SyncWorker(), ChangeBus(), 1, clock=clock)  # type: ignore[arg-type]
    return services, link


def _filled(qtbot, services, backoff=FAST) -> ActivityDialog:
    record_id, fu_id = _record_with_follow_up(services.db)
    dialog = ActivityDialog(
        services, record_id, complete_follow_up_id=fu_id, retry_backoff_ms=backoff
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.form is not None)
    dialog.subject_edit.setText(SUBJECT)
    dialog.text_edit.setPlainText("- Angebot bis Freitag")
    week = next(b for b, d in dialog.quick_buttons if d is not None and d.weeks == 1)
    week.click()
    assert dialog.can_save(), dialog.problem_texts()
    return dialog


@pytest.mark.parametrize("error", [refused, link_lost, no_reply])
def test_the_same_save_is_sent_again_with_growing_pauses_until_it_is_written(qtbot, flaky, error):
    services, link = flaky
    link.fails, link.error = 4, error
    dialog = _filled(qtbot, services)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save()
    assert dialog.retry.pauses == [10, 20, 40, 40]  # the last pause repeats
    assert len(link.keys) == 5 and len(set(link.keys)) == 1  # the same save each time
    assert _saved_rows(services.db) == 1
    assert saved.args[0].created.get(Entity.ACTIVITY)
    assert not dialog.isVisible()
    assert services.link.next_attempt_s() is None


def test_while_waiting_the_input_stays_and_the_status_bar_says_so(qtbot, flaky):
    services, link = flaky
    status = LinkStatus(services.link)
    qtbot.addWidget(status)
    assert status.isHidden()
    link.fails = 1
    dialog = _filled(qtbot, services, backoff=SLOW)
    dialog.save()

    notice = dialog.retry_text()
    assert "No connection to the database – next attempt in 60 s" in notice
    assert "never saved twice" in notice and "connection refused" in notice
    assert dialog.error_text() == ""
    assert dialog.subject_edit.text() == SUBJECT
    assert dialog.text_edit.toPlainText() == "- Angebot bis Freitag"
    assert not dialog.activity_box.isEnabled()  # the save sent again is the one shown
    assert not dialog.can_save() and dialog.retry_now_button.isEnabled()
    assert dialog.isVisible() and _saved_rows(services.db) == 0
    assert not status.isHidden()
    assert "Database connection lost – retrying in 60 s" in status.label.text()

    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.retry_now_button.click()
    assert _saved_rows(services.db) == 1 and len(link.keys) == 2
    assert status.isHidden() and services.link.next_attempt_s() is None


def test_a_first_attempt_that_landed_is_not_written_again(qtbot, flaky):
    """The controller wrote the save, then its answer was lost: the save sent
    again by the same key returns the first one's summary."""
    services, link = flaky
    link.fails, link.error, link.lands = 1, link_lost, True
    dialog = _filled(qtbot, services)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save()
    assert _saved_rows(services.db) == 1
    assert len(link.keys) == 2 and link.keys[0] == link.keys[1]
    with services.db.read() as s:
        activity_id = s.scalar(select(m.Activity.id).where(m.Activity.subject == SUBJECT))
    assert saved.args[0].result_id == activity_id


@pytest.mark.parametrize(
    "error",
    [
        lambda: DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=1),
        lambda: DomainError(Rule.DB_TIMEOUT, what_de="x", what_en="the query", limit="30 s"),
        wrong_password,
    ],
    ids=["refusal", "time-limit", "wrong-password"],
)
def test_an_answer_of_the_database_is_shown_not_sent_again(qtbot, flaky, error):
    services, link = flaky
    link.fails, link.error = 1, error
    dialog = _filled(qtbot, services)
    dialog.save()
    qtbot.wait(150)  # several of the FAST pauses
    assert len(link.keys) == 1
    assert dialog.error_text() != "" and dialog.retry_text() == ""
    assert not dialog.retry.active and services.link.next_attempt_s() is None
    assert dialog.activity_box.isEnabled() and dialog.can_save()
    assert _saved_rows(services.db) == 0


@pytest.fixture
def answer(monkeypatch):
    """The discard question answered with ``answer.reply``; ``answer.asked``: its texts."""

    class Answer:
        reply = "Discard"
        asked: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        Answer.asked.append(box.informativeText())
        next(b for b in box.buttons() if b.text().replace("&", "") == Answer.reply).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return Answer


def test_cancel_while_waiting_asks_and_stops_the_attempts(qtbot, flaky, answer):
    services, link = flaky
    link.fails = 100
    dialog = _filled(qtbot, services, backoff=(50,))
    dialog.save()
    assert dialog.retry.waiting

    answer.reply = "Keep editing"
    dialog.cancel_button.click()
    assert dialog.isVisible() and dialog.retry.active
    assert "waits for the database" in answer.asked[-1]

    answer.reply = "Discard"
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    sent = len(link.keys)
    qtbot.wait(200)  # four pauses: nothing more is sent
    assert len(link.keys) == sent
    assert not dialog.retry.active and services.link.next_attempt_s() is None
    assert _saved_rows(services.db) == 0


def test_the_check_after_a_broken_save_that_cannot_reach_the_database_waits_too(qtbot, flaky):
    """A save whose outcome is unknown is checked by its key; when the check
    cannot reach the database either, the same save is sent again later."""
    services, link = flaky
    link.fails, link.error = 1, lambda: OperationalError("COMMIT", {}, Exception("broken pipe"))
    checks: list[str] = []

    def activity_saved(key):
        checks.append(key)
        raise refused()

    link.activity_saved = activity_saved  # type: ignore[method-assign]
    dialog = _filled(qtbot, services, backoff=SLOW)
    dialog.save()
    assert len(checks) == 1 and "next attempt in" in dialog.retry_text()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.retry_now()
    assert _saved_rows(services.db) == 1


def test_never_two_saves_in_flight(qtbot, demo_db, clock):
    """On the real worker thread: while an attempt is under way, neither
    "Retry now" nor Save nor the timer sends another."""
    link = FlakyLink(Controller(demo_db, 1, clock=clock), 1)
    worker = DbWorker()
    services = Services(demo_db, link, worker, ChangeBus(), 1, clock=clock)  # type: ignore[arg-type]
    try:
        dialog = _filled(qtbot, services, backoff=(20,))
        link.gate = threading.Event()  # the second attempt hangs until released
        dialog.save()
        qtbot.waitUntil(lambda: len(link.keys) == 2, timeout=5000)
        assert not dialog.retry_now_button.isEnabled() and not dialog.can_save()
        dialog.retry_now()
        dialog.save()
        dialog.retry.due.emit()
        qtbot.wait(100)
        assert len(link.keys) == 2
        with qtbot.waitSignal(dialog.saved, timeout=5000):
            link.gate.set()
        assert len(link.keys) == 2 and _saved_rows(demo_db) == 1
    finally:
        if link.gate is not None:
            link.gate.set()
        qtbot.waitUntil(lambda: worker.pending() == 0, timeout=5000)
        worker.shutdown()


def test_the_main_windows_status_bar_shows_a_waiting_save(qtbot, services, tmp_path):
    from akquise_desktop.ui.main_window import MainWindow
    from akquise_desktop.ui.settings import Settings

    window = MainWindow(
        services,
        Settings.at(str(tmp_path / "settings.ini")),
        db_description="Testdatei",
        user_name="Katrin Becker",
    )
    qtbot.addWidget(window)
    window.show()
    status = window.link_status
    assert status.parent() is window.statusBar() and not status.isVisible()
    reporter = object()
    services.link.waiting(reporter, 4)
    assert status.isVisible() and "retrying in 4 s" in status.label.text()
    services.link.restored(reporter)
    assert not status.isVisible()
