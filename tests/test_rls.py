"""Roles, grants and row-level security on a shared PostgreSQL database
(migration 0009): what a *tampered client* — raw SQL with a normal user's
credentials — is refused by the server, with the data unchanged, and that the
ordinary operations still work as that user.

Users log in as their own roles (the local test server trusts 127.0.0.1, so
no passwords; the password tests run on a :class:`PrivateCluster`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from akquise_desktop import models as m
from akquise_desktop.controller import (
    ContactData,
    Controller,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    bootstrap,
)
from akquise_desktop.controller.bulk import BulkEditor, ChangeStatus
from akquise_desktop.controller.saved_searches import delete_search, save_search
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope
from akquise_desktop.storage import Database
from akquise_desktop.storage.roles import role_names

from .conftest import reset_database
from .factories import STATUSES, TODAY, pinned_clock
from .pg_cluster import SUPERUSER_PASSWORD, PrivateCluster, unavailable_reason

pytestmark = pytest.mark.postgresql

TEAM_RIGHTS = {
    Module.RECORDS: Scope.TEAM,
    Module.CONTACTS: Scope.TEAM,
    Module.ACTIVITIES: Scope.TEAM,
    Module.BULK_EDIT: Scope.OWN,
}


@dataclass
class Shared:
    """Two users of one role group in different teams, a colleague of the
    first with narrower record rights, their records, each user's own
    connection; ``su`` sees everything (the superuser)."""

    su: Database
    admin: Controller
    anna: Controller  # team Nord
    bert: Controller  # team Süd
    carl: Controller  # team Nord, records own only (activities team)
    logins: dict[str, str]
    dbs: dict[str, Database]
    sales_group: int
    admin_group: int
    campaign_id: int
    status: dict[str, int]
    anna_record: int
    bert_record: int
    types: dict[str, int]

    def engine(self, who: str) -> Engine:
        return self.dbs[who].engine

    def value(self, sql: str, **params):
        with self.su.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()


@pytest.fixture
def shared(pg_url, pg_superuser_db, _pg_app) -> Iterator[Shared]:
    reset_database(pg_superuser_db)
    db = _pg_app  # the application role (a service administrator)
    clock = pinned_clock()
    base = make_url(pg_url)
    prefix = f"{base.database}_"
    admin_id = bootstrap(db, "admin", "Admin")
    admin = Controller(db, admin_id, clock=clock)
    sales = admin.create_role_group(RoleGroupData("Vertrieb-Team", rights=TEAM_RIGHTS)).result_id
    narrow = admin.create_role_group(
        RoleGroupData("Eigene", rights={**TEAM_RIGHTS, Module.RECORDS: Scope.OWN})
    ).result_id
    nord = admin.create_team("Nord").result_id
    sued = admin.create_team("Süd").result_id
    campaign_id = admin.create_campaign("Neukunden", STATUSES).result_id
    logins = {k: f"{prefix}{k}" for k in ("anna", "bert", "carl", "chef")}
    ids = {
        "anna": admin.create_user(logins["anna"], "Anna", role_group_id=sales, team_id=nord),
        "bert": admin.create_user(logins["bert"], "Bert", role_group_id=sales, team_id=sued),
        "carl": admin.create_user(logins["carl"], "Carl", role_group_id=narrow, team_id=nord),
        "chef": admin.create_user(logins["chef"], "Chef", role_group_id=1, team_id=nord),
    }
    dbs = {k: Database(base.set(username=logins[k])) for k in logins}
    ctl = {k: Controller(dbs[k], ids[k].result_id, clock=clock) for k in logins}
    with db.read() as s:
        status = {
            st.name: st.id
            for st in s.scalars(
                select(m.CampaignStatus).where(m.CampaignStatus.campaign_id == campaign_id)
            )
        }
        types = {t.name: t.id for t in s.scalars(select(m.ActivityType))}
    world = Shared(
        su=pg_superuser_db,
        admin=admin,
        anna=ctl["anna"],
        bert=ctl["bert"],
        carl=ctl["carl"],
        logins=logins,
        dbs=dbs,
        sales_group=sales,
        admin_group=1,
        campaign_id=campaign_id,
        status=status,
        anna_record=_record_with_history(ctl["anna"], "Anna AG", types),
        bert_record=_record_with_history(ctl["bert"], "Bert KG", types),
        types=types,
    )
    try:
        yield world
    finally:
        for d in dbs.values():
            d.dispose()


def _record_with_history(ctl: Controller, name: str, types: dict[str, int]) -> int:
    """A record with a contact, an activity and an open follow-up, written by
    ``ctl`` through its own login."""
    rid = ctl.create_record(RecordData(name=name, city="Köln")).result_id
    assert rid is not None
    ctl.add_contact(rid, ContactData(last_name="Meier"))
    ctl.log_activity(
        LogActivity(
            record_id=rid,
            type_id=types["Telefonat"],
            subject="Erstkontakt",
            next_follow_up=NextFollowUp(TODAY + timedelta(days=7)),
        )
    )
    return rid


def _refused(engine: Engine, sql: str, **params) -> str:
    """Run ``sql`` in its own transaction; it must fail on the server. Returns the error."""
    with engine.connect() as conn:
        with pytest.raises(DBAPIError) as caught:
            conn.execute(text(sql), params)
        conn.rollback()
    return str(caught.value.orig)


def _rows(engine: Engine, sql: str, **params) -> int:
    """Run a write in its own committed transaction; the rows it changed."""
    with engine.begin() as conn:
        return conn.execute(text(sql), params).rowcount


def _fingerprint(w: Shared) -> tuple:
    """What the tampering attempts could change."""
    with w.su.engine.connect() as conn:
        return tuple(
            conn.execute(text(sql)).all()
            for sql in (
                "SELECT id, name, owner_id, version FROM record ORDER BY id",
                "SELECT id, login, role_group_id, team_id, active FROM app_user ORDER BY id",
                "SELECT id, is_admin FROM role_group ORDER BY id",
                "SELECT role_group_id, module, scope FROM role_group_right ORDER BY 1, 2",
                "SELECT count(*), max(id) FROM activity",
                "SELECT count(*), max(id) FROM audit_entry",
                "SELECT count(*) FROM status_change",
                "SELECT id, state, version FROM follow_up ORDER BY id",
            )
        )


# --- reading ------------------------------------------------------------------------------


def test_a_user_reads_only_the_records_in_their_scope(shared):
    w = shared
    with w.engine("bert").connect() as conn:
        names = conn.execute(text("SELECT name FROM record ORDER BY name")).scalars().all()
        assert names == ["Bert KG"]
        for table in ("contact", "activity", "follow_up", "record_search_text"):
            other = conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE record_id = :r"), {"r": w.anna_record}
            ).scalar()
            assert other == 0, table
        # Not even through the audit trail.
        leaked = conn.execute(
            text("SELECT count(*) FROM audit_entry WHERE entity = 'record' AND entity_id = :r"),
            {"r": w.anna_record},
        ).scalar()
        assert leaked == 0
        # Users, teams and role groups are for everyone to read.
        assert conn.execute(text("SELECT count(*) FROM app_user")).scalar() == 5
    # Anna's team mate Carl sees her record; the search finds it for him, not for Bert.
    with w.dbs["carl"].read() as s:
        assert s.get(m.Record, w.anna_record) is not None
    with w.dbs["bert"].read() as s:
        assert s.get(m.Record, w.anna_record) is None
    assert w.value("SELECT count(*) FROM record") == 2


# --- the tampered client ------------------------------------------------------------------


def test_writing_another_teams_data_is_refused(shared):
    w = shared
    before = _fingerprint(w)
    bert = w.engine("bert")
    assert _rows(bert, "UPDATE record SET name = 'gehackt' WHERE id = :r", r=w.anna_record) == 0
    assert _rows(bert, "UPDATE follow_up SET state = 'cancelled', cancelled_at = now() "
                 "WHERE record_id = :r", r=w.anna_record) == 0  # fmt: skip
    bert_id = w.bert.user_id
    # An activity on Anna's record, or on his own in someone else's name.
    _refused(
        bert,
        "INSERT INTO activity (record_id, user_id, type_id, occurred_at, subject, text, "
        "created_at, version) VALUES (:r, :u, :t, now(), 'x', '', now(), 1)",
        r=w.anna_record, u=bert_id, t=w.types["Notiz"],
    )  # fmt: skip
    _refused(
        bert,
        "INSERT INTO activity (record_id, user_id, type_id, occurred_at, subject, text, "
        "created_at, version) VALUES (:r, :u, :t, now(), 'x', '', now(), 1)",
        r=w.bert_record, u=w.anna.user_id, t=w.types["Notiz"],
    )  # fmt: skip
    # A record given away to another team, or created for it.
    error = _refused(
        bert, "UPDATE record SET owner_id = :a WHERE id = :r", a=w.anna.user_id, r=w.bert_record
    )
    assert "row-level security" in error or "no right to change record" in error
    _refused(bert, "INSERT INTO record (kind, name, owner_id, created_at, updated_at, version) "
             "VALUES ('company', 'x', :a, now(), now(), 1)", a=w.anna.user_id)  # fmt: skip
    assert _fingerprint(w) == before


def test_records_own_scope_changes_no_colleagues_master_data(shared):
    """Carl (records: own, activities: team) logs an activity on Anna's record
    — its derived columns change with it — but can't rename it."""
    w = shared
    w.carl.log_activity(
        LogActivity(record_id=w.anna_record, type_id=w.types["Notiz"], subject="Vertretung",
                    next_follow_up=NextFollowUp(TODAY + timedelta(days=2)))
    )  # fmt: skip
    assert w.value("SELECT next_follow_up_date FROM record WHERE id = :r", r=w.anna_record) == (
        TODAY + timedelta(days=2)
    )
    assert "no right to change record" in _refused(
        w.engine("carl"), "UPDATE record SET name = 'x' WHERE id = :r", r=w.anna_record
    )
    with pytest.raises(DomainError) as refused:
        w.carl.update_record(w.anna_record, RecordData(name="x"), expected_version=1)
    assert refused.value.rule is Rule.NO_RIGHT


def test_nobody_makes_themselves_admin_or_changes_their_rights(shared):
    w = shared
    before = _fingerprint(w)
    anna = w.engine("anna")
    login = w.logins["anna"]
    # Silently nothing: a user's rows of app_user are not theirs to change.
    assert _rows(anna, "UPDATE app_user SET role_group_id = :g WHERE login = :l",
                 g=w.admin_group, l=login) == 0  # fmt: skip
    assert _rows(anna, "UPDATE role_group SET is_admin = true WHERE id = :g", g=w.sales_group) == 0
    assert _rows(anna, "UPDATE role_group_right SET scope = 'all' "
                 "WHERE role_group_id = :g", g=w.sales_group) == 0  # fmt: skip
    _refused(anna, "INSERT INTO role_group_right (role_group_id, module, scope) "
             "VALUES (:g, 'settings', 'all')", g=w.sales_group)  # fmt: skip
    _refused(anna, "INSERT INTO app_user (login, display_name, role_group_id, time_zone, "
             "default_follow_up_days, active, created_at) VALUES ('x', 'x', 1, 'UTC', 7, true, "
             "now())")  # fmt: skip
    # No way into the server roles of administration either.
    names = role_names_of(w)
    _refused(anna, f'SET ROLE "{names["admins"]}"')
    _refused(anna, f'SET ROLE "{names["owner"]}"')
    _refused(anna, "SELECT akq_create_login(:l, NULL)", l=login)
    _refused(anna, "SELECT akq_set_login_active(:l, false)", l=w.logins["bert"])
    # An administrator may change others, but not their own role group.
    chef = w.engine("chef")
    assert "own role group" in _refused(
        chef, "UPDATE app_user SET role_group_id = :g WHERE login = :l",
        g=w.sales_group, l=w.logins["chef"],
    )  # fmt: skip
    assert _fingerprint(w) == before


def role_names_of(w: Shared) -> dict[str, str]:
    with w.su.engine.connect() as conn:
        return role_names(conn)


def test_history_is_not_deleted_truncated_and_the_schema_not_changed(shared):
    w = shared
    before = _fingerprint(w)
    anna = w.engine("anna")
    for sql in (
        "DELETE FROM audit_entry",
        "DELETE FROM activity",
        "DELETE FROM status_change",
        "DELETE FROM follow_up",
        "DELETE FROM record",
        "TRUNCATE audit_entry",
        "TRUNCATE activity CASCADE",
        "UPDATE audit_entry SET after = NULL",
        "UPDATE activity SET user_id = user_id",
        "ALTER TABLE record ADD COLUMN hacked text",
        "ALTER TABLE activity DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE activity DISABLE TRIGGER ALL",
        "DROP TABLE audit_entry",
        "CREATE TABLE stash (x text)",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE POLICY everything ON record USING (true)",
        "SET session_replication_role = replica",
    ):
        error = _refused(anna, sql)
        assert "permission denied" in error or "must be owner" in error, (sql, error)
    # A bulk undo's deletion is for rows one's own bulk runs made.
    activity = w.value("SELECT min(id) FROM activity WHERE record_id = :r", r=w.anna_record)
    _refused(anna, "SELECT akq_bulk_undo_delete('activity', ARRAY[:a])", a=activity)
    _refused(anna, "SELECT akq_bulk_undo_delete('audit_entry', ARRAY[1])")
    assert _fingerprint(w) == before


# --- ordinary work as the user ------------------------------------------------------------


def test_ordinary_operations_work_as_the_user(shared):
    w = shared
    anna = w.anna
    rid = w.anna_record
    contact = anna.add_contact(rid, ContactData(last_name="Schulz")).result_id
    assert contact is not None
    anna.update_contact(contact, ContactData(last_name="Schulz-Berg"), expected_version=1)
    anna.update_record(rid, RecordData(name="Anna AG & Co", city="Bonn"), expected_version=1)
    with w.dbs["anna"].read() as s:
        fu = s.scalar(select(m.FollowUp).where(m.FollowUp.record_id == rid))
        assert fu is not None
        fu_id, fu_version = fu.id, fu.version
    # Complete the follow-up with an activity that moves the record into the campaign.
    anna.log_activity(
        LogActivity(
            record_id=rid,
            type_id=w.types["Besuch"],
            subject="Termin vor Ort",
            completes={fu_id: fu_version},
            status_changes={w.campaign_id: w.status["Lead"]},
            next_follow_up=NextFollowUp(TODAY + timedelta(days=14)),
        )
    )
    act = w.value("SELECT max(id) FROM activity WHERE record_id = :r", r=rid)
    version = w.value("SELECT version FROM activity WHERE id = :a", a=act)
    anna.correct_activity(
        act, subject="Termin vor Ort (Messe)", text="", reason="Ort", expected_version=version
    )
    search = save_search(anna, "Meine", {"text": "Anna"}).result_id
    assert search is not None
    delete_search(anna, search)
    # A bulk run on her own record and its undo (which removes what it made).
    editor = BulkEditor(anna)
    run = editor.run(
        ChangeStatus(w.campaign_id, w.status["Kontaktiert"], subject="Mailing",
                     next_follow_up=NextFollowUp(TODAY + timedelta(days=3))),
        [rid],
    )  # fmt: skip
    assert run.changed == (rid,)
    made = w.value("SELECT count(*) FROM activity WHERE record_id = :r", r=rid)
    assert editor.undo(run.run_id).restored == (rid,)
    assert w.value("SELECT count(*) FROM activity WHERE record_id = :r", r=rid) == made - 1
    # Every change is in the audit trail, by Anna.
    authors = w.value(
        "SELECT count(DISTINCT user_id) FROM audit_entry WHERE at > now() - interval '1 day' "
        "AND entity = 'contact' AND entity_id = :c", c=contact,
    )  # fmt: skip
    assert authors == 1
    with w.su.read() as s:
        from akquise_desktop.queries.invariants import check_invariants

        assert check_invariants(s, include_dead_records=False) == []


def test_the_controller_refuses_before_the_server_does(shared):
    """Bert's controller refuses Anna's record with its own message; the record
    is not even found through his connection."""
    w = shared
    with pytest.raises(DomainError) as refused:
        w.bert.add_contact(w.anna_record, ContactData(last_name="x"))
    assert refused.value.rule is Rule.NOT_FOUND


# --- login roles --------------------------------------------------------------------------


def test_user_administration_makes_and_disables_login_roles(shared):
    w = shared
    names = role_names_of(w)
    login = w.logins["bert"]

    def role() -> tuple:
        return (
            w.value("SELECT rolcanlogin FROM pg_roles WHERE rolname = :l", l=login),
            w.value("SELECT pg_has_role(:l, :g, 'MEMBER')", l=login, g=names["users"]),
        )

    assert role() == (True, True)
    w.admin.set_user_active(w.bert.user_id, False)
    assert role() == (False, True)
    w.admin.set_user_active(w.bert.user_id, True)
    assert role() == (True, True)
    # A role the database does not own is not taken over.
    with pytest.raises(DomainError) as refused:
        w.admin.create_user(names["owner"], "Owner", role_group_id=w.sales_group)
    assert "no application user" in refused.value.message_en
    assert w.value("SELECT count(*) FROM app_user WHERE login = :l", l=names["owner"]) == 0


# --- passwords (a private cluster with SCRAM logins) --------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    reason = unavailable_reason()
    if reason:
        if os.environ.get("AKQUISE_REQUIRE_PG") == "1":
            pytest.fail(f"AKQUISE_REQUIRE_PG=1 but no private cluster: {reason}")
        pytest.skip(reason)
    c = PrivateCluster().start()
    try:
        c.psql("ALTER SYSTEM SET log_statement = 'all'")
        c.psql("ALTER SYSTEM SET log_min_error_statement = 'error'")
        c.psql("SELECT pg_reload_conf()")
        c.psql("CREATE DATABASE crm")
        yield c
    finally:
        c.stop()


def test_a_new_user_logs_in_with_the_password_set_at_creation(cluster):
    secret = "Sehr-geheim-4711"
    su = Database(
        cluster.url("postgres", SUPERUSER_PASSWORD, "crm").update_query_dict({"sslmode": "require"})
    )
    try:
        su.upgrade()
        admin_id = bootstrap(su, "admin")
        admin = Controller(su, admin_id, clock=pinned_clock())
        uid = admin.create_user("dora", "Dora", role_group_id=1, password=secret).result_id
        url = cluster.url("dora", secret, "crm").update_query_dict({"sslmode": "require"})
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT akq_user_id()")).scalar() == uid
        engine.dispose()
        wrong = create_engine(url.set(password="falsch"))
        with pytest.raises(DBAPIError, match="password authentication failed"):
            wrong.connect()
        wrong.dispose()
        admin.set_user_active(uid, False)
        refused = create_engine(url)
        with pytest.raises(DBAPIError, match="not permitted to log in"):
            refused.connect()
        refused.dispose()
        # An existing role keeps its password: refused without echoing it.
        with pytest.raises(DomainError) as kept:
            admin.create_user("postgres", "x", role_group_id=1, password=secret)
        assert secret not in kept.value.message_de + kept.value.message_en
    finally:
        su.dispose()
    log = "".join(p.read_text(errors="replace") for p in (cluster.root).glob("log*"))
    log += (
        "".join(p.read_text(errors="replace") for p in (cluster.data / "log").glob("*"))
        if (cluster.data / "log").exists()
        else ""
    )
    assert "akq_create_login" in log  # the statements are logged …
    assert secret not in log  # … but never the password


# --- the command line ----------------------------------------------------------------------


def test_cli_create_user_makes_the_login_role_with_the_password_from_stdin(
    shared, pg_url, monkeypatch, capsys
):
    import io

    from akquise_desktop import cli

    w = shared
    login = f"{make_url(pg_url).database}_emil"
    monkeypatch.setattr("sys.stdin", io.StringIO("Streng-geheim-1\n"))
    argv = ["admin", "create-user", login, "--name", "Emil", "--role-group", "Vertrieb-Team",
            "--team", "Süd", "--password-stdin", "--db", pg_url, "--user", "admin"]  # fmt: skip
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    assert login in out and "Streng-geheim-1" not in out + err
    assert w.value("SELECT team_id IS NOT NULL FROM app_user WHERE login = :l", l=login)
    stored = w.value("SELECT rolpassword FROM pg_authid WHERE rolname = :l", l=login)
    assert stored.startswith("SCRAM-SHA-256$")
    # Not on the command line: there is no option for it.
    with pytest.raises(SystemExit):
        cli.main([*argv[:-4], "--password", "x", "--db", pg_url])
