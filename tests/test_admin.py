"""Administration through the controller: users, teams, role groups, campaigns
(statuses, workflow, merge, duplicate), activity types, system settings and the
first run — each change audited, each guard refusing with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import (
    ActivityTypeData,
    FirstRun,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    SettingsData,
    StatusData,
    UserData,
    bootstrap,
)
from akquise_desktop.core.errors import DomainError
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries import admin as qa
from akquise_desktop.queries.activity_form import FormDefaults, load_activity_form
from akquise_desktop.storage import Database

from .factories import make_world


def _refused(rule_id: str, call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(*args, **kwargs)
    assert info.value.rule_id == rule_id, info.value
    return info.value


def _audit(db, entity: str, entity_id: int) -> list[m.AuditEntry]:
    with db.read() as s:
        return list(
            s.scalars(
                select(m.AuditEntry)
                .where(m.AuditEntry.entity == entity, m.AuditEntry.entity_id == entity_id)
                .order_by(m.AuditEntry.id)
            )
        )


def _user(db, user_id: int) -> qa.UserRow:
    with db.read() as s:
        return next(u for u in qa.users(s) if u.id == user_id)


def _data(row: qa.UserRow, **change) -> UserData:
    values = dict(
        login=row.login, display_name=row.display_name, role_group_id=row.role_group_id,
        team_id=row.team_id, email=row.email, time_zone=row.time_zone,
        default_follow_up_days=row.default_follow_up_days, active=row.active,
    )  # fmt: skip
    values.update(change)
    return UserData(**values)


# --- users ---------------------------------------------------------------------------


def test_update_user_changes_everything_and_is_audited(db):
    w = make_world(db)
    with db.read() as s:
        sued = s.scalar(select(m.Team.id).where(m.Team.name == "Süd"))
    row = _user(db, w.sales_id)
    w.admin.update_user(
        w.sales_id,
        _data(row, display_name="Sven S.", email="sven@example.de", team_id=sued,
              time_zone="America/New_York", default_follow_up_days=3),
    )  # fmt: skip
    after = _user(db, w.sales_id)
    assert (after.display_name, after.email, after.team_id, after.time_zone) == (
        "Sven S.", "sven@example.de", sued, "America/New_York",
    )  # fmt: skip
    assert after.default_follow_up_days == 3
    entry = _audit(db, "app_user", w.sales_id)[-1]
    assert entry.operation == "update_user" and entry.after["email"] == "sven@example.de"


def test_bad_user_input_changes_nothing(db):
    w = make_world(db)
    row = _user(db, w.sales_id)
    _refused("input.invalid", w.admin.update_user, w.sales_id, _data(row, time_zone="Mars/Base"))
    _refused("input.duplicate", w.admin.update_user, w.sales_id, _data(row, login="admin"))
    _refused("input.required", w.admin.update_user, w.sales_id, _data(row, display_name=" "))
    _refused("input.invalid", w.admin.update_user, w.sales_id, _data(row, default_follow_up_days=0))
    _refused("rights.admin_only", w.sales.update_user, w.sales_id, _data(row, email="x@y.de"))
    assert _user(db, w.sales_id) == row


def test_the_last_admin_stays(db):
    w = make_world(db)
    with db.read() as s:
        sales_group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == "Test-Vertrieb"))
        admin_group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.is_admin))
    admin_row = _user(db, w.admin_id)
    # The last admin can't go.
    _refused("rights.last_admin", w.admin.set_user_active, w.admin_id, False)
    _refused("rights.last_admin", w.admin.update_user, w.admin_id, _data(admin_row, active=False))
    _refused(
        "rights.last_admin", w.admin.update_user, w.admin_id,
        _data(admin_row, role_group_id=sales_group),
    )  # fmt: skip
    # With a second administrator: still nobody changes their own role group.
    second = w.admin.create_user("chefin", "Chefin", role_group_id=admin_group).result_id
    _refused(
        "rights.own_account", w.admin.update_user, w.admin_id,
        _data(admin_row, role_group_id=sales_group),
    )  # fmt: skip
    chefin = w.controller(second)
    w.admin.set_user_active(second, False)  # (two admins: one may go)
    w.admin.set_user_active(second, True)
    chefin.update_user(w.admin_id, _data(admin_row, role_group_id=sales_group))
    # …but now chefin is the last one: the admin can't be restored by a non-admin,
    # and the last admin can't be moved out or deactivated by anyone.
    chefin_row = _user(db, second)
    _refused("rights.admin_only", w.admin.update_user, second, _data(chefin_row, active=False))
    _refused(
        "rights.admin_group_unrestricted",
        chefin.update_role_group,
        admin_group,
        RoleGroupData("Administratoren", is_admin=True, rights={Module.RECORDS: Scope.OWN}),
    )
    assert _user(db, second).active and _user(db, second).is_admin


def test_deactivated_user_keeps_history_and_cannot_act(db):
    w = make_world(db)
    rid = w.in_campaign()
    w.admin.set_user_active(w.sales_id, False)
    row = _user(db, w.sales_id)
    assert not row.active and row.open_follow_ups == 1
    with pytest.raises(DomainError) as info:
        w.sales.log_activity(LogActivity(record_id=rid, subject="x"))
    assert info.value.rule_id == "input.unknown_user"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Activity).where(
            m.Activity.user_id == w.sales_id)) == 1  # fmt: skip


def test_new_user_takes_the_system_default_days(db):
    w = make_world(db)
    with db.read() as s:
        version = qa.system_settings(s).version
        group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == "Test-Vertrieb"))
    w.admin.update_system_settings(
        SettingsData(default_follow_up_days=14), expected_version=version
    )
    uid = w.admin.create_user("neu", "Neu", role_group_id=group).result_id
    assert _user(db, uid).default_follow_up_days == 14


# --- teams and role groups ---------------------------------------------------------------


def test_teams(db):
    w = make_world(db)
    tid = w.admin.create_team("West").result_id
    w.admin.rename_team(tid, "Westen")
    _refused("input.duplicate", w.admin.rename_team, tid, "Nord")
    with db.read() as s:
        nord = s.scalar(select(m.Team.id).where(m.Team.name == "Nord"))
    _refused("input.in_use", w.admin.delete_team, nord)
    w.admin.delete_team(tid)
    with db.read() as s:
        assert [t.name for t in qa.teams(s)] == ["Nord", "Süd"]
        assert {t.name: t.members for t in qa.teams(s)} == {"Nord": 2, "Süd": 1}
    assert _audit(db, "team", tid)[-1].action == "delete"


def test_role_group_policy_switch_decides_the_chain(db):
    """Policy off: an activity without a follow-up saves; on: refused."""
    w = make_world(db)
    with db.read() as s:
        group = next(g for g in qa.role_groups(s) if g.name == "Test-Vertrieb")
    rid = w.in_campaign()
    _refused("chain.activity_requires_follow_up", w.sales.log_activity,
             LogActivity(record_id=rid, subject="Anruf"))  # fmt: skip
    w.admin.update_role_group(
        group.id,
        RoleGroupData(group.name, activity_requires_follow_up=False, rights=group.rights),
    )
    w.sales.log_activity(LogActivity(record_id=rid, subject="Anruf"))
    w.admin.update_role_group(group.id, RoleGroupData(group.name, rights=group.rights))
    _refused("chain.activity_requires_follow_up", w.sales.log_activity,
             LogActivity(record_id=rid, subject="Anruf 2"))  # fmt: skip


def test_duplicate_and_delete_role_group(db):
    w = make_world(db)
    with db.read() as s:
        groups = {g.name: g for g in qa.role_groups(s)}
    copy_id = w.admin.duplicate_role_group(groups["Locker"].id, "Locker 2").result_id
    with db.read() as s:
        copy = next(g for g in qa.role_groups(s) if g.id == copy_id)
    assert copy.rights == groups["Locker"].rights and copy.users == 0
    assert not copy.follow_up_requires_activity and not copy.activity_requires_follow_up
    admin_copy = w.admin.duplicate_role_group(groups["Administratoren"].id, "Admins 2").result_id
    with db.read() as s:
        made = next(g for g in qa.role_groups(s) if g.id == admin_copy)
    assert not made.is_admin and all(made.scope(mod) is Scope.ALL for mod in Module)
    _refused("input.in_use", w.admin.delete_role_group, groups["Test-Vertrieb"].id)
    _refused("rights.admin_group_unrestricted", w.admin.delete_role_group,
             groups["Administratoren"].id)  # fmt: skip
    w.admin.delete_role_group(copy_id)
    with db.read() as s:
        assert copy_id not in {g.id for g in qa.role_groups(s)}


# --- campaigns --------------------------------------------------------------------------------


def _campaign(db, campaign_id: int) -> qa.CampaignRow:
    with db.read() as s:
        return next(c for c in qa.campaigns(s) if c.id == campaign_id)


def test_statuses_and_workflow(db):
    w = make_world(db)
    c = _campaign(db, w.campaign_id)
    assert [st.name for st in c.statuses] == ["Lead", "Kontaktiert", "Angebot", "Kunde",
                                              "Kein Interesse"]  # fmt: skip
    lead = c.statuses[0]
    assert lead.next_ids == (w.status["Kontaktiert"], w.status["Kein Interesse"])
    assert lead.default_next_id == w.status["Kontaktiert"]
    new = w.admin.add_status(w.campaign_id, StatusData("Termin", "#123456", 40)).result_id
    w.admin.move_status(new, 2)
    w.admin.set_next_statuses(w.status["Lead"], [new, w.status["Kontaktiert"]])
    w.admin.update_status(new, StatusData("Termin vereinbart", "#654321", 45, is_start=True))
    c = _campaign(db, w.campaign_id)
    assert [st.name for st in c.statuses][:3] == ["Lead", "Kontaktiert", "Termin vereinbart"]
    assert c.statuses[0].next_ids == (new, w.status["Kontaktiert"])
    assert c.statuses[0].default_next_id == new
    assert [st.name for st in c.statuses if st.is_start] == ["Termin vereinbart"]
    _refused("input.duplicate", w.admin.add_status, w.campaign_id, StatusData("Lead"))
    _refused("input.invalid", w.admin.update_status, new, StatusData("X", "rot"))
    _refused("input.invalid", w.admin.update_status, new, StatusData("X", progress=101))
    _refused("input.invalid", w.admin.set_next_statuses, new, [new])
    _refused("rights.missing", w.sales.add_status, w.campaign_id, StatusData("Y"))
    # The activity mask's choice follows: the new default is allowed, the removed one not.
    rid = w.in_campaign()
    nf = NextFollowUp(w.today + timedelta(days=3))
    _refused("chain.status_not_allowed", w.sales.log_activity, LogActivity(
        record_id=rid, subject="x", status_changes={w.campaign_id: w.status["Kein Interesse"]},
        next_follow_up=nf))  # fmt: skip
    w.sales.log_activity(LogActivity(record_id=rid, subject="Termin", next_follow_up=nf,
                                      status_changes={w.campaign_id: new}))  # fmt: skip


def test_merge_status_moves_memberships_and_history(db):
    w = make_world(db)
    nf = NextFollowUp(w.today + timedelta(days=3))
    records = [w.in_campaign(f"Firma {i}") for i in range(3)]
    for rid in records[:2]:
        w.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject="Kontakt",
                next_follow_up=nf,
                status_changes={w.campaign_id: w.status["Kontaktiert"]},
            )
        )
    merged, into = w.status["Kontaktiert"], w.status["Angebot"]
    w.admin.merge_status(merged, into)
    with db.read() as s:
        cm = m.CampaignMembership
        statuses = dict(s.execute(select(cm.record_id, cm.status_id)).all())
        assert [statuses[r] for r in records] == [into, into, w.status["Lead"]]
        sc = m.StatusChange
        assert not s.scalar(select(func.count()).where(
            (sc.to_status_id == merged) | (sc.from_status_id == merged)))  # fmt: skip
        assert s.get(m.CampaignStatus, merged) is None
        # The workflow pointing at the merged status points at its heir.
        lead_next = next(st for st in qa.campaigns(s)[0].statuses if st.name == "Lead").next_ids
        assert lead_next == (into, w.status["Kein Interesse"])
        membership_ids = list(s.scalars(select(cm.id).where(cm.record_id.in_(records[:2]))))
    for mid in membership_ids:
        entry = _audit(db, "campaign_membership", mid)[-1]
        assert entry.operation == "merge_status"
        assert (entry.before, entry.after) == ({"status_id": merged}, {"status_id": into})
    assert _audit(db, "campaign_status", merged)[-1].action == "delete"
    copy_id = w.admin.duplicate_campaign(w.campaign_id, "Kopie").result_id
    foreign = _campaign(db, copy_id).statuses[0].id
    _refused("campaign.status_other_campaign", w.admin.merge_status, into, foreign)
    _refused("input.invalid", w.admin.merge_status, into, into)
    # The chain still holds: a record moved by the merge goes on from its new status.
    w.sales.log_activity(
        LogActivity(
            record_id=records[0],
            subject="Angebot",
            next_follow_up=nf,
            status_changes={w.campaign_id: w.status["Kunde"]},
        )
    )
    with db.read() as s:
        from akquise_desktop.queries.invariants import check_invariants

        assert [v for v in check_invariants(s) if v.check != "dead_records"] == []


def test_duplicate_campaign_copies_statuses_and_workflow(db):
    w = make_world(db)
    w.in_campaign()
    copy_id = w.admin.duplicate_campaign(w.campaign_id, "Neukunden 2027").result_id
    source, copy = _campaign(db, w.campaign_id), _campaign(db, copy_id)
    assert [(s.name, s.color, s.progress, s.is_final, s.is_start) for s in source.statuses] == [
        (s.name, s.color, s.progress, s.is_final, s.is_start) for s in copy.statuses
    ]
    names = {st.id: st.name for st in (*source.statuses, *copy.statuses)}
    assert [[names[i] for i in st.next_ids] for st in source.statuses] == [
        [names[i] for i in st.next_ids] for st in copy.statuses
    ]
    assert copy.records == 0 and source.records == 1
    assert not set(names) & {i for st in copy.statuses for i in st.next_ids} - {
        st.id for st in copy.statuses
    }
    _refused("input.duplicate", w.admin.duplicate_campaign, w.campaign_id, "Neukunden 2027")


def test_reactivation_says_how_many_become_dead(db):
    w = make_world(db)
    live = w.in_campaign("Lebendig")
    dead = w.in_campaign("Bald tot")
    with db.read() as s:
        fu = s.scalar(select(m.FollowUp.id).where(m.FollowUp.record_id == dead))
    w.lax.cancel_follow_up(fu, expected_version=1)
    w.admin.set_campaign_active(w.campaign_id, False)
    with db.read() as s:
        assert qa.dead_if_active(s, w.campaign_id) == 1
    assert live


# --- activity types and settings ---------------------------------------------------------------


def test_activity_types(db):
    w = make_world(db)
    tid = w.admin.create_activity_type("Messe", "mdi6.store-outline").result_id
    w.admin.update_activity_type(tid, ActivityTypeData("Messebesuch", "mdi6.store", active=True))
    w.admin.move_activity_type(tid, 0)
    with db.read() as s:
        types = qa.activity_types(s)
    assert (types[0].name, types[0].icon, types[0].position) == ("Messebesuch", "mdi6.store", 0)
    assert [t.position for t in types] == list(range(len(types)))
    _refused("input.invalid", w.admin.update_activity_type, tid, ActivityTypeData("X", "bad icon"))
    _refused("rights.missing", w.sales.update_activity_type, tid, ActivityTypeData("X"))
    for t in types[1:]:
        w.admin.update_activity_type(t.id, ActivityTypeData(t.name, t.icon, active=False))
    _refused("settings.last_activity_type", w.admin.update_activity_type, tid,
             ActivityTypeData("Messebesuch", "mdi6.store", active=False))  # fmt: skip


def test_system_settings(db):
    w = make_world(db)
    with db.read() as s:
        before = qa.system_settings(s)
    assert before.default_follow_up_days == 7 and before.recurring_follow_ups
    data = SettingsData(
        company_name="Muster GmbH", default_follow_up_days=10, recurring_follow_ups=False,
        working_days=frozenset({0, 1, 2, 3}), holiday_region="de-nw", default_language="en",
        phone_region="at",
    )  # fmt: skip
    w.admin.update_system_settings(data, expected_version=before.version)
    with db.read() as s:
        after = qa.system_settings(s)
    assert after.company_name == "Muster GmbH" and after.working_days == frozenset({0, 1, 2, 3})
    assert after.holiday_region == "DE-NW" and after.default_language == "en"
    assert after.phone_region == "AT"
    # A number of a record without a country is read in the settings' region now.
    rid = w.sales.create_record(RecordData(name="Ohne Land", country=None, phone="01 5123456"))
    with db.read() as s:
        assert s.get(m.Record, rid.result_id).phone_normalized == "+4315123456"
    _refused("concurrency.stale", w.admin.update_system_settings, data,
             expected_version=before.version)  # fmt: skip
    for bad in [
        SettingsData(default_follow_up_days=0),
        SettingsData(working_days=frozenset()),
        SettingsData(holiday_region="XX-YY"),
        SettingsData(default_language="fr"),
        SettingsData(phone_region="XX"),
        SettingsData(phone_region=""),
    ]:
        _refused("input.invalid", w.admin.update_system_settings, bad,
                 expected_version=after.version)  # fmt: skip
    _refused("rights.missing", w.sales.update_system_settings, data, expected_version=after.version)
    # Recurring follow-ups switched off: a new series is refused; the activity
    # mask knows (and the working days and region for its default dates).
    rid = w.in_campaign()
    with db.read() as s:
        defaults = load_activity_form(s, rid, w.sales_id).defaults
    assert defaults == FormDefaults(frozenset({0, 1, 2, 3}), "DE-NW", recurring_follow_ups=False)
    _refused("settings.recurrence_off", w.sales.log_activity, LogActivity(
        record_id=rid, subject="Monatlich",
        next_follow_up=NextFollowUp(w.today + timedelta(days=30), recurrence="FREQ=MONTHLY"),
    ))  # fmt: skip


def test_first_run_sets_up_a_working_database(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/neu.sqlite3").open()
    try:
        uid = bootstrap(
            db, "anna", "Anna Admin",
            setup=FirstRun(email="anna@muster.de", company_name="Muster GmbH",
                           campaign_template="acquisition"),
        )  # fmt: skip
        with db.read() as s:
            user = s.get(m.User, uid)
            assert (user.display_name, user.email, user.role_group.is_admin) == (
                "Anna Admin", "anna@muster.de", True)  # fmt: skip
            assert qa.system_settings(s).company_name == "Muster GmbH"
            (campaign,) = qa.campaigns(s)
            names = [st.name for st in campaign.statuses]
            assert names == [
                "Neu",
                "Erstkontakt",
                "Bedarfsanalyse",
                "Angebotsphase",
                "Verhandlung",
                "Kunde",
                "Kein Interesse",
                "Wünscht keinen Kontakt",
            ]
            assert [st.name for st in campaign.statuses if st.is_final] == names[-3:]
            assert campaign.statuses[0].is_start and campaign.statuses[0].next_ids
            assert not s.scalar(select(func.count()).select_from(m.Record))
        # Bootstrapping again changes nothing.
        assert bootstrap(db, "anna") == uid
    finally:
        db.dispose()
