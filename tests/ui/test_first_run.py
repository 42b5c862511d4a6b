"""The first-run wizard: prefilled login, inline validation, input kept going
back and forth, cancel writes nothing, finish sets up the administrator, the
company name, the campaign template (statuses, colours, progress, transitions)
and demo data only when asked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import bootstrap
from akquise_desktop.controller.templates import ACQUISITION, CUSTOMER_CARE
from akquise_desktop.ui import first_run
from akquise_desktop.ui.first_run import (
    FirstRunWizard,
    default_login,
    needs_first_run,
    run_first_run,
)


@pytest.fixture
def wizard(qtbot, db, clock) -> FirstRunWizard:
    wiz = FirstRunWizard(db, clock=clock, login="kbecker", demo_records=3)
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def _fill(wiz: FirstRunWizard, *, name="Katrin Becker", email="k.becker@example.com") -> None:
    about = wiz.about_page
    about.name.edit.setText(name)
    about.email.edit.setText(email)


def _to_last_page(wiz: FirstRunWizard, company: str = "Becker Maschinenbau GmbH") -> None:
    wiz.next()
    assert wiz.currentPage() is wiz.company_page
    wiz.company_page.company.edit.setText(company)
    wiz.next()
    assert wiz.currentPage() is wiz.campaign_page


def _finish(qtbot, wiz: FirstRunWizard) -> int:
    with qtbot.waitSignal(wiz.setup_done, timeout=60_000) as blocker:
        wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wiz.isVisible())
    assert wiz.result() == QWizard.DialogCode.Accepted
    assert QApplication.overrideCursor() is None
    return blocker.args[0]


def _count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_login_is_prefilled_as_the_start_derives_it(qtbot, db, clock, monkeypatch):
    monkeypatch.setenv("AKQUISE_USER", "mwagner")
    assert default_login() == "mwagner"
    wiz = FirstRunWizard(db, clock=clock)
    qtbot.addWidget(wiz)
    assert wiz.about_page.login.edit.text() == "mwagner"
    monkeypatch.delenv("AKQUISE_USER")
    monkeypatch.setattr(first_run.getpass, "getuser", lambda: "osuser")
    assert default_login() == "osuser"


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_validation_is_inline_and_blocks_next(wizard):
    about = wizard.about_page
    _fill(wizard, name="  ", email="k.becker@")
    about.login.edit.setText("k becker")
    wizard.next()
    assert wizard.currentPage() is about
    assert about.name.error.isVisibleTo(wizard)
    assert about.name.error.text() == "Please enter your name."
    assert about.login.error.text() == "A login has no spaces."
    assert about.email.error.text() == "This is not an e-mail address (name@example.com)."
    # Fixed as typed: the message goes at once.
    about.email.edit.setText("k.becker@example.com")
    about.email.edit.textEdited.emit("k.becker@example.com")
    assert not about.email.error.isVisibleTo(wizard)
    assert about.name.error.isVisibleTo(wizard)
    about.login.edit.setText("")
    wizard.next()
    assert about.login.error.text() == "Please enter a login."
    about.login.edit.setText("kbecker")
    about.name.edit.setText("Katrin Becker")
    wizard.next()
    assert wizard.currentPage() is wizard.company_page
    assert not about.name.error.isVisibleTo(wizard)


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_an_empty_e_mail_is_fine(wizard):
    _fill(wizard, email="")
    wizard.next()
    assert wizard.currentPage() is wizard.company_page
    assert wizard.setup_data().setup.email is None


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_going_back_and_forward_keeps_everything(wizard):
    _fill(wizard)
    _to_last_page(wizard)
    wizard.campaign_page.set_template(CUSTOMER_CARE.key)
    wizard.campaign_page.demo_check.setChecked(True)
    wizard.back()
    wizard.back()
    assert wizard.about_page.name.edit.text() == "Katrin Becker"
    assert wizard.about_page.email.edit.text() == "k.becker@example.com"
    wizard.next()
    assert wizard.company_page.company.edit.text() == "Becker Maschinenbau GmbH"
    wizard.next()
    data = wizard.setup_data()
    assert (data.login, data.display_name, data.demo) == ("kbecker", "Katrin Becker", True)
    assert data.setup.company_name == "Becker Maschinenbau GmbH"
    assert data.setup.campaign_template == CUSTOMER_CARE.key


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_template_preview_shows_statuses_colours_and_progress(wizard):
    _fill(wizard)
    _to_last_page(wizard)
    page = wizard.campaign_page
    assert page.template() is ACQUISITION  # the default choice
    assert not page.demo_check.isChecked()  # demo data off by default
    table = page.preview
    assert table.rowCount() == len(ACQUISITION.statuses)
    assert table.item(0, 0).text() == "Neu (start)"
    assert table.cellWidget(3, 1).value() == 60  # Angebotsphase
    assert ACQUISITION.statuses[3].color in table.cellWidget(3, 1).styleSheet()
    assert table.item(5, 2).text() == "final"  # Kunde
    assert table.item(0, 3).text().startswith("Erstkontakt")
    page.set_template(CUSTOMER_CARE.key)
    assert table.rowCount() == len(CUSTOMER_CARE.statuses)
    assert table.item(3, 0).text() == "Verloren"
    page.set_template(None)
    assert page.template() is None
    assert not table.isVisibleTo(wizard) and page.no_campaign.isVisibleTo(wizard)


def test_cancel_writes_nothing(qtbot, wizard, db):
    assert needs_first_run(db)
    _fill(wizard)
    _to_last_page(wizard)
    wizard.reject()
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert needs_first_run(db)  # no users: the next start asks again
    for model in (m.User, m.RoleGroup, m.Campaign, m.ActivityType):
        assert _count(db, model) == 0


def test_finish_sets_up_the_administrator_company_and_campaign(qtbot, wizard, db):
    _fill(wizard)
    _to_last_page(wizard)
    user_id = _finish(qtbot, wizard)
    assert wizard.user_id == user_id
    assert not needs_first_run(db)
    with db.read() as s:
        user = s.get(m.User, user_id)
        assert (user.login, user.display_name, user.email) == (
            "kbecker",
            "Katrin Becker",
            "k.becker@example.com",
        )
        assert user.role_group.is_admin and user.active
        settings = s.get(m.SystemSettings, m.SETTINGS_ID)
        assert settings.company_name == "Becker Maschinenbau GmbH"
        campaign = s.scalars(select(m.Campaign)).one()
        assert campaign.name == "Neukundengewinnung"
        statuses = sorted(campaign.statuses, key=lambda st: st.position)
        expected = ACQUISITION.statuses
        assert [(st.name, st.color, st.progress, st.is_final, st.is_start) for st in statuses] == [
            (e.name, e.color, e.progress, e.is_final, e.is_start) for e in expected
        ]
        for st, spec in zip(statuses, expected, strict=True):
            assert tuple(n.name for n in st.next_statuses) == spec.next  # the default first
        assert s.scalar(select(func.count()).select_from(m.Record)) == 0  # no demo data
    assert _count(db, m.ActivityType) > 0


def test_finish_without_campaign_and_company(qtbot, wizard, db):
    _fill(wizard, email="")
    _to_last_page(wizard, company="")
    wizard.campaign_page.set_template(None)
    user_id = _finish(qtbot, wizard)
    assert _count(db, m.Campaign) == 0
    with db.read() as s:
        assert s.get(m.User, user_id).email is None
        assert s.get(m.SystemSettings, m.SETTINGS_ID).company_name is None


def test_demo_data_only_when_asked(qtbot, wizard, db):
    _fill(wizard)
    _to_last_page(wizard)
    wizard.campaign_page.demo_check.setChecked(True)
    progress: list[tuple[int, int]] = []
    wizard.campaign_page.progress.valueChanged.connect(
        lambda value: progress.append((value, wizard.campaign_page.progress.maximum()))
    )
    user_id = _finish(qtbot, wizard)
    assert _count(db, m.Record) == 3
    assert progress and progress[-1] == (3, 3)
    with db.read() as s:
        user = s.get(m.User, user_id)
        # The wizard's administrator stays who they are; the demo joins them.
        assert (user.login, user.email) == ("kbecker", "k.becker@example.com")
        assert user.role_group.is_admin
        names = list(s.scalars(select(m.Campaign.name).order_by(m.Campaign.id)))
        assert names[0] == "Neukundengewinnung" and names.count("Neukundengewinnung") == 1
        first = s.scalars(select(m.Campaign).where(m.Campaign.name == names[0])).one()
        assert {st.name for st in first.statuses} == {x.name for x in ACQUISITION.statuses}
    assert _count(db, m.User) > 1
    assert wizard.demo_error is None


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_demo_with_a_login_the_demo_uses_too(qtbot, db, clock):
    wiz = FirstRunWizard(db, clock=clock, login="tschulz", demo_records=2)
    qtbot.addWidget(wiz)
    wiz.show()
    _fill(wiz, name="Tobias Schulz", email="")
    _to_last_page(wiz)
    wiz.campaign_page.demo_check.setChecked(True)
    user_id = _finish(qtbot, wiz)
    assert wiz.demo_error is None and _count(db, m.Record) == 2
    with db.read() as s:
        assert s.scalar(select(func.count()).where(m.User.login == "tschulz")) == 1
        assert s.get(m.User, user_id).login == "tschulz"


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_database_set_up_meanwhile_is_refused_with_the_input_kept(qtbot, wizard, db, clock):
    _fill(wizard)
    _to_last_page(wizard)
    bootstrap(db, "someone", "Someone Else", clock=clock)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    page = wizard.campaign_page
    qtbot.waitUntil(lambda: page.message.isVisibleTo(wizard), timeout=10_000)
    assert "set up in the meantime" in page.message.text()
    assert wizard.isVisible() and wizard.user_id is None
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert wizard.about_page.name.edit.text() == "Katrin Becker"
    assert QApplication.overrideCursor() is None
    with db.read() as s:
        assert list(s.scalars(select(m.User.login))) == ["someone"]


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_run_first_run_returns_the_user_or_none(qtbot, db, clock):
    def cancel() -> None:
        QApplication.activeModalWidget().reject()

    QTimer.singleShot(0, cancel)
    assert run_first_run(db, clock=clock, login="kbecker") is None
    assert needs_first_run(db)

    def finish() -> None:
        wiz = QApplication.activeModalWidget()
        assert isinstance(wiz, FirstRunWizard)
        _fill(wiz)
        _to_last_page(wiz)
        wiz.button(QWizard.WizardButton.FinishButton).click()

    QTimer.singleShot(0, finish)
    user_id = run_first_run(db, clock=clock, login="kbecker")
    assert user_id is not None
    with db.read() as s:
        assert s.get(m.User, user_id).login == "kbecker"
