"""The large data set generator at a small factor: exact counts, the shape of the
distributions, the chain invariants, and a database that works afterwards."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from akquise_desktop import models as m
from akquise_desktop.cli import main
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp
from akquise_desktop.demo.large import Targets, generate_large
from akquise_desktop.queries import search
from akquise_desktop.queries.invariants import DEAD_RECORDS, check_invariants, dead_records_query
from akquise_desktop.storage import Database

from .factories import TODAY

FACTOR = 0.004  # 400 records, 1,000 contacts, 8,000 activities


def _count(s, model, *where) -> int:
    return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _schema_objects(db: Database) -> set[tuple[str, str]]:
    with db.engine.connect() as conn:
        if db.is_sqlite:
            rows = conn.exec_driver_sql(
                "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger')"
            )
        else:
            rows = conn.exec_driver_sql(
                "SELECT 'index', indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "UNION ALL SELECT 'constraint', conname FROM pg_constraint "
                "WHERE connamespace = current_schema()::regnamespace "
                # the search table's triggers (0006), with their state (O: enabled)
                "UNION ALL SELECT 'trigger', t.tgname || ' ' || t.tgenabled::text "
                "FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
            )
        return {(kind, name) for kind, name in rows}


@pytest.fixture
def large(request, db):
    if not db.is_sqlite:  # a bulk load is the owner's (or a superuser's) work
        db = request.getfixturevalue("pg_superuser_db")
    before = _schema_objects(db)
    result = generate_large(db, FACTOR, seed=7, today=TODAY)
    return db, result, before


def test_targets_scale_and_refuse_nonsense():
    full = Targets.scaled(1.0)
    assert (full.records, full.contacts, full.activities) == (100_000, 250_000, 2_000_000)
    assert (full.done_follow_ups, full.open_follow_ups) == (1_500_000, 150_000)
    assert Targets.scaled(0.01).activities == 20_000
    for bad in (0, -1, 11, float("nan")):
        with pytest.raises(ValueError, match="Faktor"):
            Targets.scaled(bad)


def test_exact_counts(large):
    db, result, _ = large
    t = result.targets
    with db.read() as s:
        assert _count(s, m.Record) == t.records == 400
        assert _count(s, m.Contact) == t.contacts
        assert _count(s, m.Activity) == t.activities
        assert _count(s, m.FollowUp, m.FollowUp.state == "done") == t.done_follow_ups
        assert _count(s, m.FollowUp, m.FollowUp.state == "open") == t.open_follow_ups
        assert _count(s, m.FollowUp, m.FollowUp.state == "cancelled") == 0
        assert _count(s, m.User) == result.users == 50
        assert _count(s, m.Team) == result.teams == 6
        assert _count(s, m.Campaign) == result.campaigns == 5
        per_campaign = s.execute(
            select(func.count())
            .select_from(m.CampaignStatus)
            .group_by(m.CampaignStatus.campaign_id)
        ).scalars()
        assert all(6 <= n <= 10 for n in per_campaign)
        assert _count(s, m.Campaign, m.Campaign.active.is_(False)) == 1


def test_distributions_are_realistic(large):
    db, result, _ = large
    with db.read() as s:
        per_record = sorted(
            s.scalars(select(func.count()).select_from(m.Activity).group_by(m.Activity.record_id))
        )
        dues = list(s.scalars(select(m.FollowUp.due_date).where(m.FollowUp.state == "open")))
        series = s.execute(
            select(m.FollowUp.occurrence, m.FollowUp.previous_id, m.FollowUp.recurrence).where(
                m.FollowUp.recurrence.is_not(None)
            )
        ).all()
        teams = s.scalars(select(func.count()).select_from(m.User).group_by(m.User.team_id)).all()
        contacts = s.scalars(
            select(func.count(m.Contact.id))
            .select_from(m.Record)
            .outerjoin(m.Contact, m.Contact.record_id == m.Record.id)
            .group_by(m.Record.id)
        ).all()
    # Every record has activities; most a handful, a key account far more.
    assert len(per_record) == 400 and per_record[0] >= 1
    median = statistics.median(per_record)
    assert 3 <= median <= 15
    assert per_record[-1] >= 5 * median
    # Due dates cluster around today: overdue, today and future, most within two weeks.
    offsets = [(d - TODAY).days for d in dues]
    assert any(o < 0 for o in offsets) and 0 in offsets and any(o > 0 for o in offsets)
    assert sum(abs(o) <= 14 for o in offsets) > len(offsets) / 2
    # Recurring series continue from occurrence to occurrence.
    assert result.recurring_series > 0
    assert any(occurrence > 1 and previous for occurrence, previous, _ in series)
    assert {rule.split(";")[0] for *_, rule in series} <= {"FREQ=MONTHLY", "FREQ=WEEKLY"}
    assert sorted(teams) == [8, 8, 8, 8, 9, 9]  # 50 users in 6 teams
    assert 0 in contacts and max(contacts) >= 3  # private persons have none


def test_only_dead_records_of_the_policy_off_group(large):
    db, result, _ = large
    with db.read() as s:
        violations = check_invariants(s)
        assert [v.check for v in violations] in ([], [DEAD_RECORDS])
        dead = violations[0].count if violations else 0
        assert dead == result.dead_records > 0
        # Each dead record's last activity was logged by a user whose role group
        # does not require a follow-up.
        last = (
            select(m.Activity.record_id, func.max(m.Activity.occurred_at).label("at"))
            .group_by(m.Activity.record_id)
            .subquery()
        )
        is_last = (last.c.record_id == m.Activity.record_id) & (last.c.at == m.Activity.occurred_at)
        policies = s.scalars(
            select(m.RoleGroup.activity_requires_follow_up)
            .select_from(m.Activity)
            .join(last, is_last)
            .join(m.User, m.User.id == m.Activity.user_id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(m.Activity.record_id.in_(dead_records_query()))
        ).all()
    assert len(policies) == dead
    assert not any(policies)


def test_derived_columns_and_status_history(large):
    db, _, _ = large
    with db.read() as s:
        # Every membership's status was set by an activity (first change from nothing).
        firsts = _count(s, m.StatusChange, m.StatusChange.from_status_id.is_(None))
        assert firsts == _count(s, m.CampaignMembership)
        # Done follow-ups were completed by the record's next activity, after creation.
        early = s.scalar(
            select(func.count())
            .select_from(m.FollowUp)
            .join(m.Activity, m.Activity.id == m.FollowUp.completed_by_activity_id)
            .join(
                src := m.Activity.__table__.alias("src"),
                src.c.id == m.FollowUp.source_activity_id,
            )
            .where(m.Activity.occurred_at < src.c.occurred_at)
        )
        assert early == 0
        # Nothing lies in the future.
        assert s.scalar(select(func.max(m.Activity.occurred_at))) < datetime.combine(
            TODAY, datetime.min.time(), tzinfo=UTC
        )


def test_indexes_triggers_and_keys_are_back_and_valid(large):
    db, _, before = large
    assert _schema_objects(db) == before
    with db.engine.connect() as conn:
        if db.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            fts = conn.exec_driver_sql("SELECT count(*) FROM record_search").scalar()
            assert fts == 400
        else:
            unvalidated = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_constraint WHERE NOT convalidated"
            ).scalar()
            assert unvalidated == 0
            # the search table refilled after the load: one exact row per record —
            # the text as typed (then its folded words) and the numbers' digits
            wrong = conn.exec_driver_sql(
                "SELECT count(*) FROM record r FULL JOIN record_search_text t "
                "ON t.record_id = r.id WHERE NOT starts_with(t.doc, "
                "coalesce(r.name, '') || ' ' || coalesce(r.city, '') || ' ' || "
                "coalesce(r.phone, '') || ' ' || coalesce(r.email, '') || ' ' || coalesce("
                "(SELECT string_agg(coalesce(c.first_name, '') || ' ' || c.last_name, ' ' "
                "ORDER BY c.id) FROM contact c WHERE c.record_id = r.id), '')) "
                "OR NOT starts_with(t.numbers, replace(r.phone_normalized, '+', '')) "
                "OR t.record_id IS NULL"
            ).scalar()
            assert wrong == 0
            index = search._index_sql()
            differing = conn.exec_driver_sql(
                "SELECT count(*) FROM ("
                + index.PG_DOCUMENTS.format(contact_where="", where="")
                + ") AS d (id, doc, numbers) FULL JOIN record_search_text t "
                "ON t.record_id = d.id WHERE (t.doc, t.numbers) IS DISTINCT FROM (d.doc, d.numbers)"
            ).scalar()
            assert differing == 0
            assert conn.exec_driver_sql("SELECT count(*) FROM record_search_text").scalar() == 400
        # every number has its normal form (the search finds it by its digits)
        missing = conn.exec_driver_sql(
            "SELECT (SELECT count(*) FROM record WHERE phone IS NOT NULL "
            "AND phone_normalized IS NULL) + (SELECT count(*) FROM contact "
            "WHERE mobile IS NOT NULL AND mobile_normalized IS NULL)"
        ).scalar()
        assert missing == 0


def test_the_database_works_afterwards(large, clock):
    """New rows get fresh ids (sequences moved on) and keep the invariants."""
    db, result, _ = large
    with db.read() as s:
        record_id, owner_id = s.execute(
            select(m.Record.id, m.Record.owner_id)
            .where(m.Record.next_follow_up_date.is_not(None))
            .order_by(m.Record.id)
            .limit(1)
        ).one()
        open_ids = tuple(
            s.scalars(
                select(m.FollowUp.id).where(
                    m.FollowUp.record_id == record_id, m.FollowUp.state == "open"
                )
            )
        )
        max_activity = s.scalar(select(func.max(m.Activity.id)))
    ctl = Controller(db, result.admin_user_id, clock=clock)
    summary = ctl.log_activity(
        LogActivity(
            record_id=record_id,
            subject="Nachgefasst",
            completes=open_ids,
            next_follow_up=NextFollowUp(due_date=clock.today() + timedelta(days=7)),
        )
    )
    assert summary.result_id > max_activity
    with db.read() as s:
        assert [v.check for v in check_invariants(s)] in ([], [DEAD_RECORDS])
        assert owner_id is not None


def test_refuses_a_database_with_records(large):
    db, _, _ = large
    with pytest.raises(ValueError, match="schon Datensätze"):
        generate_large(db, FACTOR, today=TODAY)


def test_deterministic_for_a_seed(tmp_path):
    def fingerprint(seed: int, name: str) -> tuple:
        db = Database(f"sqlite:///{tmp_path / name}")
        db.open(create=True)
        try:
            generate_large(db, 0.0002, seed=seed, today=TODAY)
            with db.engine.connect() as conn:
                return tuple(
                    conn.execute(
                        text(
                            "SELECT r.name, r.next_follow_up_date, r.last_activity_at, "
                            "(SELECT count(*) FROM activity a WHERE a.record_id = r.id) "
                            "FROM record r ORDER BY r.id"
                        )
                    )
                )
        finally:
            db.dispose()

    first = fingerprint(3, "a.sqlite3")
    assert first == fingerprint(3, "b.sqlite3")
    assert first != fingerprint(4, "c.sqlite3")


def test_cli_demo_large(tmp_path, capsys):
    path = tmp_path / "large.sqlite3"
    assert main(["demo", "--scale", "large", "--factor", "0.0002", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "20 Datensätze, 50 Ansprechpartner, 400 Aktivitäten" in out
    assert main(["demo", "--scale", "large", "--factor", "0", "--db", str(path)]) == 2
    assert "Faktor" in capsys.readouterr().err


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_an_application_role_may_not_bulk_load(db):
    with pytest.raises(ValueError, match="Eigentümerrolle"):
        generate_large(db, FACTOR, today=TODAY)
