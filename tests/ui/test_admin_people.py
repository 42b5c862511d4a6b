"""Verwaltung, people: which sections show for which rights; users (create,
edit, time zone check, deactivation offering rebooking, the last
administrator, one's own role group); teams (create, rename, delete in use);
role groups (the rights grid, duplicate, the administrator group, and a chain
policy switched in the page that the controller then applies). Through the
widgets, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp, RoleGroupData
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries.admin import AdminRights, admin_rights, role_groups, teams, users
from akquise_desktop.ui import i18n
from akquise_desktop.ui.admin.role_groups_page import RoleGroupsPage
from akquise_desktop.ui.admin.teams_page import TeamsPage
from akquise_desktop.ui.admin.users_page import UsersPage
from akquise_desktop.ui.admin.view import AdminView, admin_sections
from akquise_desktop.ui.rebooking_dialog import RebookingDialog
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.worker import SyncWorker
from tests.factories import World, make_world

ALL_SECTIONS = ["users", "teams", "role_groups", "campaigns", "activity_types", "settings"]


@pytest.fixture
def world(db, clock) -> World:
    return make_world(db, clock)


def services_as(world: World, user_id: int) -> Services:
    return Services(
        world.db, world.controller(user_id), SyncWorker(), ChangeBus(), user_id, clock=world.clock
    )


@pytest.fixture
def view(qtbot, world) -> AdminView:
    widget = AdminView(services_as(world, world.admin_id))
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    return widget


def refusal(rule: Rule, **params) -> str:
    return DomainError(rule, **params).message(i18n.current_language())


def read(world: World, query):
    with world.db.read() as s:
        return query(s)


def user_row(world: World, user_id: int):
    return next(u for u in read(world, users) if u.id == user_id)


def group_row(world: World, name: str):
    return next(g for g in read(world, role_groups) if g.name == name)


def click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def set_combo(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


# --- sections per rights --------------------------------------------------------------


def _user_with_rights(world: World, rights: dict[Module, Scope], name: str) -> int:
    group = world.admin.create_role_group(RoleGroupData(name, rights=rights)).result_id
    assert group is not None
    user = world.admin.create_user(name.lower(), name, role_group_id=group).result_id
    assert user is not None
    return user


def test_sections_follow_the_rights_the_controller_checks(qtbot, world):
    campaigns_only = _user_with_rights(world, {Module.CAMPAIGNS: Scope.ALL}, "Kampagnen")
    campaigns_team = _user_with_rights(world, {Module.CAMPAIGNS: Scope.TEAM}, "Halb")
    settings_only = _user_with_rights(world, {Module.SETTINGS: Scope.ALL}, "Einsteller")
    expected = {
        world.admin_id: ALL_SECTIONS,
        campaigns_only: ["campaigns"],
        campaigns_team: [],  # the controller wants scope "all"
        settings_only: ["activity_types", "settings"],
        world.sales_id: [],
    }
    for user_id, sections in expected.items():
        rights = read(world, lambda s, u=user_id: admin_rights(s, u))
        assert admin_sections(rights) == sections
        view = AdminView(services_as(world, user_id))  # reads the rights itself
        qtbot.addWidget(view)
        assert view.visible_sections() == sections
        assert view.stack.currentWidget() is (
            view.none_label if not sections else view.pages[sections[0]]
        )
    assert admin_sections(AdminRights()) == []
    # An inactive user has none.
    world.admin.set_user_active(campaigns_only, False)
    assert read(world, lambda s: admin_rights(s, campaigns_only)) == AdminRights()


def test_pages_are_made_on_first_show_and_go_with_a_lost_right(qtbot, view):
    assert list(view.pages) == ["users"]  # the first section only
    page = view.show_section("teams")
    assert isinstance(page, TeamsPage) and view.stack.currentWidget() is page
    assert list(view.pages) == ["users", "teams"]
    assert view.show_section("role_groups") is view.page("role_groups")
    view.set_rights(AdminRights(campaigns=Scope.ALL))
    assert view.visible_sections() == ["campaigns"]
    assert "users" not in view.pages and "teams" not in view.pages
    assert view.show_section("users") is None


# --- users ------------------------------------------------------------------------------


@pytest.fixture
def users_page(view) -> UsersPage:
    page = view.show_section("users")
    assert isinstance(page, UsersPage)
    return page


def _saved_login(qtbot, page: UsersPage, login: str):
    qtbot.waitUntil(lambda: any(r.login == login for r in page.rows))
    return next(r for r in page.rows if r.login == login)


def test_create_and_edit_a_user(qtbot, world, users_page):
    page = users_page
    click(qtbot, page.new_button)
    assert page.editing_id is None and page.login_edit.text() == ""
    assert not page.groups[page.group_combo.currentIndex()].is_admin  # not admin by default
    page.login_edit.setText("neu")
    page.name_edit.setText("Nina Neu")
    page.email_edit.setText("nina@example.com")
    nord = next(t.id for t in page.team_rows if t.name == "Nord")
    set_combo(page.team_combo, nord)
    vertrieb = group_row(world, "Test-Vertrieb").id
    set_combo(page.group_combo, vertrieb)
    page.zone_combo.setCurrentText("Europe/Vienna")
    page.days_spin.setValue(5)
    click(qtbot, page.save_button)
    row = _saved_login(qtbot, page, "neu")
    stored = user_row(world, row.id)
    assert (stored.display_name, stored.email, stored.team_id, stored.role_group_id) == (
        "Nina Neu", "nina@example.com", nord, vertrieb,
    )  # fmt: skip
    assert (stored.time_zone, stored.default_follow_up_days, stored.active) == (
        "Europe/Vienna", 5, True,
    )  # fmt: skip
    qtbot.waitUntil(lambda: page.editing_id == row.id and page.name_edit.text() == "Nina Neu")

    page.name_edit.setText("Nina Neumann")
    page.zone_combo.setCurrentText("America/New_York")
    set_combo(page.team_combo, None)
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.row(row.id).display_name == "Nina Neumann")
    stored = user_row(world, row.id)
    assert (stored.display_name, stored.time_zone, stored.team_id) == (
        "Nina Neumann", "America/New_York", None,
    )  # fmt: skip
    assert page.table.rowCount() == len(read(world, users))


def test_an_unknown_time_zone_is_refused_in_the_form_and_the_input_stays(qtbot, world, users_page):
    page = users_page
    before = read(world, users)
    click(qtbot, page.new_button)
    page.login_edit.setText("zeitlos")
    page.name_edit.setText("Zora Zeitlos")
    page.zone_combo.setCurrentText("Mars/Olympus")
    click(qtbot, page.save_button)
    assert page.message.isVisible() and "Mars/Olympus" in page.message.text()
    assert read(world, users) == before
    assert page.login_edit.text() == "zeitlos" and page.zone_combo.currentText() == "Mars/Olympus"


def test_deactivating_a_user_with_open_follow_ups_offers_rebooking(qtbot, world, users_page):
    page = users_page
    record = world.in_campaign()  # Sven Sales: an activity and an open follow-up
    with world.db.read() as s:
        activities = s.scalar(select(func.count()).where(m.Activity.user_id == world.sales_id))
    assert activities
    page.reload()  # written past this window's change bus
    assert page.row(world.sales_id).open_follow_ups == 1
    page.select_user(world.sales_id)
    assert page.editing_id == world.sales_id and page.rebook_button.isEnabled()

    click(qtbot, page.active_button)  # first: cancel the question
    box = page.rebook_box
    assert box is not None and box.isVisible() and "Sven Sales" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert user_row(world, world.sales_id).active

    click(qtbot, page.active_button)
    assert page.rebook_choice is not None
    page.rebook_choice.click()
    assert not user_row(world, world.sales_id).active
    dialog = page.rebooking_dialog
    assert isinstance(dialog, RebookingDialog) and dialog.isVisible()
    assert dialog.from_combo.currentData() == f"user:{world.sales_id}"
    qtbot.waitUntil(lambda: not page.row(world.sales_id).active)
    assert page.active_button.text() == page.tr("&Activate")
    with world.db.read() as s:  # the history stays, the follow-up is still theirs
        assert s.scalar(select(func.count()).where(m.Activity.user_id == world.sales_id)) == (
            activities
        )
        assert s.scalar(
            select(func.count()).where(
                m.FollowUp.assignee_id == world.sales_id, m.FollowUp.record_id == record
            )
        )
    dialog.close()

    click(qtbot, page.active_button)  # reactivating asks nothing
    qtbot.waitUntil(lambda: page.row(world.sales_id).active)


def test_deactivate_only_leaves_the_follow_ups_and_opens_nothing(qtbot, world, users_page):
    page = users_page
    world.in_campaign()
    page.reload()  # written past this window's change bus
    assert page.row(world.sales_id).open_follow_ups == 1
    page.select_user(world.sales_id)
    click(qtbot, page.active_button)
    assert page.keep_choice is not None
    page.keep_choice.click()
    assert not user_row(world, world.sales_id).active
    assert page.rebooking_dialog is None
    assert user_row(world, world.sales_id).open_follow_ups == 1


def test_deactivating_and_activating_keep_what_was_typed_in_the_form(qtbot, world, users_page):
    page = users_page
    page.select_user(world.sales_id)
    page.email_edit.setText("neu@example.com")  # typed, not saved yet
    click(qtbot, page.active_button)  # no open follow-ups: deactivated at once
    qtbot.waitUntil(lambda: not page.row(world.sales_id).active)
    qtbot.waitUntil(lambda: page.active_button.text().replace("&", "") == "Activate")
    assert page.email_edit.text() == "neu@example.com"
    click(qtbot, page.active_button)
    qtbot.waitUntil(lambda: page.row(world.sales_id).active)
    assert page.email_edit.text() == "neu@example.com"
    click(qtbot, page.save_button)  # the typed e-mail is saved, the user stays active
    qtbot.waitUntil(lambda: user_row(world, world.sales_id).email == "neu@example.com")
    assert user_row(world, world.sales_id).active


def test_the_last_administrator_can_be_neither_deactivated_nor_restricted(qtbot, world, users_page):
    page = users_page
    page.select_user(world.admin_id)
    click(qtbot, page.active_button)  # no open follow-ups: no question
    assert page.message.text() == refusal(Rule.LAST_ADMIN)
    assert user_row(world, world.admin_id).active

    vertrieb = group_row(world, "Test-Vertrieb").id
    set_combo(page.group_combo, vertrieb)
    page.name_edit.setText("Admin Neu")
    click(qtbot, page.save_button)
    assert page.message.text() == refusal(Rule.LAST_ADMIN)
    stored = user_row(world, world.admin_id)
    assert stored.is_admin and stored.display_name == "Admin"
    assert page.group_combo.currentData() == vertrieb  # the input stays
    assert page.name_edit.text() == "Admin Neu"


def test_nobody_changes_their_own_role_group(qtbot, world, users_page):
    page = users_page
    admins = group_row(world, "Administratoren").id
    world.admin.create_user("zweit", "Zweite Admin", role_group_id=admins)  # not the last one
    page.select_user(world.admin_id)
    set_combo(page.group_combo, group_row(world, "Test-Vertrieb").id)
    click(qtbot, page.save_button)
    assert page.message.text() == refusal(Rule.OWN_ACCOUNT)
    assert user_row(world, world.admin_id).role_group_id == admins


# --- teams ------------------------------------------------------------------------------


def test_teams_create_rename_and_delete_in_use(qtbot, world, view):
    page = view.show_section("teams")
    assert isinstance(page, TeamsPage)
    assert [(t.name, t.members) for t in page.rows] == [("Nord", 2), ("Süd", 1)]
    assert not page.create_button.isEnabled()
    page.name_edit.setText("West")
    click(qtbot, page.create_button)
    qtbot.waitUntil(lambda: any(t.name == "West" for t in page.rows))
    west = next(t.id for t in page.rows if t.name == "West")
    assert page.selected_id == west

    page.name_edit.setText("Ost")
    click(qtbot, page.rename_button)
    qtbot.waitUntil(lambda: getattr(page.row(west), "name", None) == "Ost")
    assert {t.name for t in read(world, teams)} == {"Nord", "Süd", "Ost"}

    nord = next(t for t in page.rows if t.name == "Nord")
    page.select_team(nord.id)
    click(qtbot, page.delete_button)
    assert page.delete_box is not None and page.delete_choice is not None
    page.delete_choice.click()
    assert page.message.text() == refusal(
        Rule.IN_USE, name="Nord", count=2, what_de="Benutzer", what_en="users"
    )
    assert any(t.name == "Nord" for t in read(world, teams))

    page.select_team(west)
    click(qtbot, page.delete_button)
    page.delete_choice.click()
    qtbot.waitUntil(lambda: page.row(west) is None)
    assert {t.name for t in read(world, teams)} == {"Nord", "Süd"}


# --- role groups ------------------------------------------------------------------------


@pytest.fixture
def groups_page(view) -> RoleGroupsPage:
    page = view.show_section("role_groups")
    assert isinstance(page, RoleGroupsPage)
    return page


def test_the_rights_grid_saves_scopes(qtbot, world, groups_page):
    page = groups_page
    vertrieb = group_row(world, "Test-Vertrieb")
    page.select_group(vertrieb.id)
    assert page.rights()[Module.RECORDS] is Scope.TEAM
    assert page.rights()[Module.STATISTICS] is Scope.NONE
    assert page.rights_box.isEnabled() and not page.admin_note.isVisible()
    set_combo(page.scope_combos[Module.RECORDS], Scope.ALL)
    set_combo(page.scope_combos[Module.STATISTICS], Scope.OWN)
    set_combo(page.scope_combos[Module.BULK_EDIT], Scope.TEAM)
    click(qtbot, page.save_button)
    stored = group_row(world, "Test-Vertrieb")
    assert stored.scope(Module.RECORDS) is Scope.ALL
    assert stored.scope(Module.STATISTICS) is Scope.OWN
    assert stored.scope(Module.BULK_EDIT) is Scope.TEAM
    assert stored.scope(Module.ACTIVITIES) is Scope.TEAM  # untouched
    assert stored.follow_up_requires_activity and stored.activity_requires_follow_up


def test_new_role_group_duplicate_and_delete(qtbot, world, groups_page):
    page = groups_page
    click(qtbot, page.new_button)
    page.name_edit.setText("Telefon")
    set_combo(page.scope_combos[Module.CONTACTS], Scope.OWN)
    page.follow_up_policy.setChecked(False)
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: any(g.name == "Telefon" for g in page.rows))
    telefon = group_row(world, "Telefon")
    assert telefon.rights[Module.CONTACTS] is Scope.OWN
    assert not telefon.follow_up_requires_activity and telefon.activity_requires_follow_up
    assert page.editing_id == telefon.id

    click(qtbot, page.duplicate_button)
    qtbot.waitUntil(lambda: page.editing_id != telefon.id and page.row(page.editing_id) is not None)
    copy = page.row(page.editing_id)
    assert copy is not None and copy.name.startswith("Telefon") and copy.name != "Telefon"
    stored = group_row(world, copy.name)
    assert stored.rights[Module.CONTACTS] is Scope.OWN and not stored.follow_up_requires_activity
    qtbot.waitUntil(lambda: page.name_edit.text() == copy.name)

    click(qtbot, page.duplicate_button)  # a second copy gets another free name
    qtbot.waitUntil(
        lambda: (
            page.editing_id not in (telefon.id, copy.id) and page.row(page.editing_id) is not None
        )
    )
    assert len({g.name for g in read(world, role_groups)}) == len(read(world, role_groups))

    page.select_group(group_row(world, "Test-Vertrieb").id)  # in use
    click(qtbot, page.delete_button)
    page.delete_choice.click()
    assert page.message.text() == refusal(
        Rule.IN_USE, name="Test-Vertrieb", count=3, what_de="Benutzer", what_en="users"
    )
    page.select_group(copy.id)
    click(qtbot, page.delete_button)
    page.delete_choice.click()
    qtbot.waitUntil(lambda: page.row(copy.id) is None)
    assert all(g.name != copy.name for g in read(world, role_groups))


def test_the_administrator_group_is_shown_but_not_editable(qtbot, world, groups_page):
    page = groups_page
    admins = group_row(world, "Administratoren")
    page.select_group(admins.id)
    assert page.admin_note.isVisible()
    assert not page.rights_box.isEnabled() and not page.policies_box.isEnabled()
    assert not page.delete_button.isEnabled()
    assert set(page.rights().values()) == {Scope.ALL}
    page.name_edit.setText("Admins")  # the name can change
    click(qtbot, page.save_button)
    stored = group_row(world, "Admins")
    assert stored.is_admin and stored.id == admins.id


def test_a_policy_switched_in_the_page_is_what_the_controller_applies(qtbot, world, groups_page):
    page = groups_page
    record = world.in_campaign()  # status "Lead" (not final) in an active campaign
    no_follow_up = LogActivity(record_id=record, subject="Anruf", text="- erreicht")
    with pytest.raises(DomainError) as refused:
        world.sales.log_activity(no_follow_up)
    assert refused.value.rule is Rule.ACTIVITY_REQUIRES_FOLLOW_UP

    vertrieb = group_row(world, "Test-Vertrieb").id
    page.select_group(vertrieb)
    assert page.activity_policy.isChecked()
    assert "final" in page.activity_hint.text()
    page.activity_policy.setChecked(False)
    click(qtbot, page.save_button)
    assert not group_row(world, "Test-Vertrieb").activity_requires_follow_up
    summary = world.sales.log_activity(no_follow_up)
    assert summary.result_id is not None

    qtbot.waitUntil(lambda: not page.row(vertrieb).activity_requires_follow_up)
    page.activity_policy.setChecked(True)
    click(qtbot, page.save_button)
    with pytest.raises(DomainError) as again:
        world.sales.log_activity(no_follow_up)
    assert again.value.rule is Rule.ACTIVITY_REQUIRES_FOLLOW_UP
    with world.db.read() as s:  # the one saved while the policy was off, nothing since
        assert s.scalar(select(func.count()).where(m.Activity.record_id == record)) == 2
    world.sales.log_activity(
        LogActivity(
            record_id=record,
            subject="Anruf",
            next_follow_up=NextFollowUp(world.today + timedelta(days=3)),
        )
    )
