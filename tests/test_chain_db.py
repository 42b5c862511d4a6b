"""The activity chain held by PostgreSQL itself (migration 0010): a tampered
client issuing raw SQL as a normal, non-superuser role is refused each break
of the chain, with SQLSTATE 23C01 and the data unchanged; the same client
doing it the right way (a new activity that records the change) is let
through; a refusal that reaches the controller becomes a readable
DomainError. PostgreSQL only (SQLite has no triggers of this kind)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.controller.chain_db import CHAIN_SQLSTATE, REASONS, chain_refusal
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.queries.invariants import check_invariants
from akquise_desktop.storage import Database
from akquise_desktop.storage.roles import role_names

from .conftest import reset_database
from .factories import World, make_world

pytestmark = pytest.mark.postgresql

HISTORY = ("activity", "audit_entry", "status_change", "campaign_membership", "follow_up")


@pytest.fixture(scope="module")
def tamper_role(_pg_migrated: Database) -> Iterator[str]:
    """A plain role (no superuser, not the tables' owner) with every table
    privilege and past the row-level security (0009's other line of defence):
    only the triggers stand between it and the chain."""
    name = f"akquise_tamper_{uuid.uuid4().hex[:8]}"
    with _pg_migrated.engine.begin() as conn:
        roles = role_names(conn)
        conn.execute(text(f'CREATE ROLE "{name}" NOLOGIN BYPASSRLS'))
        conn.execute(text(f'GRANT "{roles["users"]}" TO "{name}"'))
        conn.execute(text(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{name}"'))
        conn.execute(text(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{name}"'))
    yield name
    with _pg_migrated.engine.begin() as conn:
        conn.execute(text(f'DROP OWNED BY "{name}"'))
        conn.execute(text(f'DROP ROLE "{name}"'))


@pytest.fixture
def world(_pg_migrated: Database, tamper_role: str) -> World:
    reset_database(_pg_migrated)
    return make_world(_pg_migrated)


@pytest.fixture
def scene(world: World) -> dict[str, Any]:
    """A record in the campaign (status Lead) with its assigning activity, one
    done follow-up (completed by a call) and one open follow-up; a second
    record with an activity of its own."""
    w = world
    rid = w.in_campaign("Müller GmbH")
    first_fu = _one(w.db, "SELECT id FROM follow_up WHERE record_id = :r", r=rid)
    call = w.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Angerufen",
            completes=(first_fu,),
            next_follow_up=NextFollowUp(w.today + timedelta(days=3)),
        )
    ).result_id
    other = w.in_campaign("Schulz KG")
    return {
        "record": rid,
        "done_fu": first_fu,
        "open_fu": _one(
            w.db, "SELECT id FROM follow_up WHERE record_id = :r AND state = 'open'", r=rid
        ),
        "call": call or 0,
        "assigned": _one(w.db, "SELECT min(id) FROM activity WHERE record_id = :r", r=rid),
        "membership": _one(w.db, "SELECT id FROM campaign_membership WHERE record_id = :r", r=rid),
        "other_record": other,
        "other_activity": _one(w.db, "SELECT id FROM activity WHERE record_id = :r", r=other),
        "kontaktiert": w.status["Kontaktiert"],
        "lead": w.status["Lead"],
        "user": w.sales_id,
        "type": w.types["Telefonat"] if "Telefonat" in w.types else min(w.types.values()),
        "campaign": w.campaign_id,
        "audit": _one(w.db, "SELECT max(id) FROM audit_entry"),
    }


def _one(db: Database, sql: str, **params: Any) -> int:
    with db.engine.connect() as conn:
        value = conn.execute(text(sql), params).scalar_one()
    assert value is not None
    return int(value)


def _snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY id"))]
            for t in HISTORY
        }


@contextmanager
def _tampered(db: Database, role: str | None) -> Iterator[Connection]:
    """One transaction of raw SQL as ``role`` (None: as the connecting
    superuser), committed at the end."""
    with db.engine.connect() as conn, conn.begin():
        if role is not None:
            conn.execute(text(f'SET LOCAL ROLE "{role}"'))
        yield conn


def _sql(conn: Connection, statements: str, scene: dict[str, Any]) -> None:
    for statement in statements.split(";"):
        if statement.strip():
            conn.execute(text(statement.format(**scene)))


def refused(db: Database, role: str | None, scene: dict[str, Any], statements: str) -> str:
    """Run ``statements`` (``;``-separated, ``{name}`` filled from ``scene``) in
    one transaction; assert the database refused them with the chain's
    SQLSTATE and changed nothing. Returns the rule key."""
    before = _snapshot(db)
    with pytest.raises(IntegrityError) as caught, _tampered(db, role) as conn:
        _sql(conn, statements, scene)
    assert getattr(caught.value.orig, "sqlstate", None) == CHAIN_SQLSTATE
    assert _snapshot(db) == before
    key = caught.value.orig.diag.constraint_name  # type: ignore[union-attr]
    assert key in REASONS
    return key


def allowed(db: Database, role: str | None, scene: dict[str, Any], statements: str) -> None:
    with _tampered(db, role) as conn:
        _sql(conn, statements, scene)


NEW_CALL = (
    "INSERT INTO activity (record_id, user_id, type_id, occurred_at, subject, text, "
    "created_at, version) VALUES ({record}, {user}, {type}, now(), 'Roh', '', now(), 1)"
)
NEW_CALL_OTHER = NEW_CALL.replace("{record}", "{other_record}")
LAST_CALL = "(SELECT max(id) FROM activity)"


# --- activities and the audit trail are append-only ----------------------------------------


def test_an_activity_is_not_edited(world, scene, tamper_role):
    db = world.db
    assert refused(
        db, tamper_role, scene, "UPDATE activity SET subject = 'x' WHERE id = {call}"
    ) == ("activity_append_only")
    # Shaped like a correction, but it moves the activity in time.
    assert (
        refused(
            db,
            tamper_role,
            scene,
            "UPDATE activity SET occurred_at = occurred_at - interval '1 year', "
            "corrected_at = now(), version = version + 1 WHERE id = {call}",
        )
        == "activity_append_only"
    )
    assert (
        refused(
            db,
            tamper_role,
            scene,
            "UPDATE activity SET record_id = {other_record} WHERE id = {call}",
        )
        == "activity_append_only"
    )


def test_a_correction_needs_its_audit_entry(world, scene, tamper_role):
    correction = (
        "UPDATE activity SET subject = 'korrigiert', corrected_at = now(), "
        "version = version + 1 WHERE id = {call}"
    )
    assert refused(world.db, tamper_role, scene, correction) == "activity_correction_unaudited"
    # With its audit entry it is a correction as the controller makes one.
    allowed(
        world.db,
        tamper_role,
        scene,
        correction + "; INSERT INTO audit_entry (at, user_id, operation, action, entity, "
        "entity_id, before, after) VALUES (now(), {user}, 'correct_activity', 'update', "
        "'activity', {call}, '{{}}', '{{\"subject\": \"korrigiert\"}}')",
    )


def test_an_activity_is_not_deleted(world, scene, tamper_role):
    delete = "DELETE FROM activity WHERE id = {other_activity}"
    assert refused(world.db, tamper_role, scene, delete) == "activity_append_only"
    # One that completed a follow-up: the completion may not go either.
    delete = "DELETE FROM activity WHERE id = {call}"
    assert refused(world.db, tamper_role, scene, delete) == "follow_up_done_fixed"
    # Not by deleting its record either (the cascade reaches the activities).
    assert refused(world.db, tamper_role, scene, "DELETE FROM record WHERE id = {record}") in (
        "activity_append_only",
        "follow_up_fixed",
        "membership_needs_activity",
        "status_change_fixed",
    )


def test_a_fake_bulk_journal_does_not_open_the_way(world, scene, tamper_role):
    """An undo may delete what its run created; a journal entry naming an
    old activity cannot be written."""
    assert (
        refused(
            world.db,
            tamper_role,
            scene,
            "INSERT INTO bulk_run (user_id, operation, params, state, total, changed, refused, "
            "created_at, undo_refused) VALUES ({user}, 'log_activity', '{{}}', 'undone', 1, 1, "
            "0, now(), 0); INSERT INTO bulk_change (run_id, target_id, entity, entity_id, "
            "action) VALUES ((SELECT max(id) FROM bulk_run), {record}, 'activity', {call}, "
            "'create')",
        )
        == "journal_not_fresh"
    )


def test_the_audit_trail_is_append_only(world, scene, tamper_role):
    db = world.db
    assert refused(db, tamper_role, scene, "DELETE FROM audit_entry WHERE id = {audit}") == (
        "audit_append_only"
    )
    assert refused(db, tamper_role, scene, "DELETE FROM audit_entry") == "audit_append_only"
    assert (
        refused(db, tamper_role, scene, "UPDATE audit_entry SET user_id = NULL WHERE id = {audit}")
        == "audit_append_only"
    )
    for table in HISTORY:
        assert refused(db, tamper_role, scene, f"TRUNCATE {table} CASCADE") == "history_truncate"


def test_the_superuser_meets_the_triggers_too(world, scene):
    """Row triggers fire for every role: the maintenance path is explicit
    (disabling the triggers as owner), never a silent bypass."""
    delete = "DELETE FROM activity WHERE id = {other_activity}"
    assert refused(world.db, None, scene, delete) == "activity_append_only"
    assert refused(world.db, None, scene, "UPDATE audit_entry SET action = 'x'") == (
        "audit_append_only"
    )


# --- a membership's status changes only with an activity ------------------------------------


def test_a_status_does_not_change_without_an_activity(world, scene, tamper_role):
    db = world.db
    assert (
        refused(
            db,
            tamper_role,
            scene,
            "UPDATE campaign_membership SET status_id = {kontaktiert} WHERE id = {membership}",
        )
        == "membership_needs_activity"
    )
    # Not with a status change hung on an old activity either.
    assert (
        refused(
            db,
            tamper_role,
            scene,
            "UPDATE campaign_membership SET status_id = {kontaktiert} WHERE id = {membership}; "
            "INSERT INTO status_change (activity_id, record_id, campaign_id, from_status_id, "
            "to_status_id) VALUES ({call}, {record}, {campaign}, {lead}, {kontaktiert})",
        )
        == "status_change_needs_activity"
    )
    # Nor with a new activity of another record.
    assert (
        refused(
            db,
            tamper_role,
            scene,
            NEW_CALL_OTHER + "; INSERT INTO status_change (activity_id, record_id, campaign_id, "
            "from_status_id, to_status_id) VALUES (" + LAST_CALL + ", {record}, {campaign}, "
            "{lead}, {kontaktiert}); UPDATE campaign_membership SET status_id = {kontaktiert} "
            "WHERE id = {membership}",
        )
        == "status_change_needs_activity"
    )
    # A membership does not move to another record, is not deleted, not made up.
    assert (
        refused(
            db,
            tamper_role,
            scene,
            "UPDATE campaign_membership SET record_id = {other_record} WHERE id = {membership}",
        )
        == "membership_fixed"
    )
    assert (
        refused(db, tamper_role, scene, "DELETE FROM campaign_membership WHERE id = {membership}")
        == "membership_needs_activity"
    )
    campaign_b = world.admin.create_campaign("Bestand", [_spec("Neu")]).result_id
    new_status = _one(db, "SELECT id FROM campaign_status WHERE campaign_id = :c", c=campaign_b)
    assert (
        refused(
            db,
            tamper_role,
            {**scene, "b": campaign_b or 0, "neu": new_status},
            "INSERT INTO campaign_membership (record_id, campaign_id, status_id, since, version) "
            "VALUES ({record}, {b}, {neu}, now(), 1)",
        )
        == "membership_needs_activity"
    )


def test_a_status_change_as_history_is_fixed(world, scene, tamper_role):
    sc = _one(world.db, "SELECT id FROM status_change WHERE record_id = :r", r=scene["record"])
    scene = {**scene, "sc": sc}
    assert refused(world.db, tamper_role, scene, "DELETE FROM status_change WHERE id = {sc}") == (
        "status_change_fixed"
    )
    assert (
        refused(
            world.db,
            tamper_role,
            scene,
            "UPDATE status_change SET to_status_id = {kontaktiert} WHERE id = {sc}",
        )
        == "status_change_fixed"
    )
    assert (
        refused(
            world.db,
            tamper_role,
            scene,
            "UPDATE status_change SET activity_id = {call} WHERE id = {sc}",
        )
        == "status_change_fixed"
    )


def test_a_status_change_with_its_activity_is_let_through(world, scene, tamper_role):
    """The rule, not the controller: raw SQL that logs the activity with the
    change, even with the activity in a savepoint, is allowed."""
    allowed(
        world.db,
        tamper_role,
        scene,
        "SAVEPOINT a; " + NEW_CALL + "; RELEASE SAVEPOINT a; "
        "UPDATE campaign_membership SET status_id = {kontaktiert} WHERE id = {membership}; "
        "INSERT INTO status_change (activity_id, record_id, campaign_id, from_status_id, "
        "to_status_id) VALUES (" + LAST_CALL + ", {record}, {campaign}, {lead}, {kontaktiert})",
    )
    assert (
        _one(
            world.db,
            "SELECT status_id FROM campaign_membership WHERE id = :m",
            m=scene["membership"],
        )
        == scene["kontaktiert"]
    )


# --- a follow-up becomes done only with a new activity of its record -------------------------


def test_a_follow_up_is_not_done_without_a_new_activity(world, scene, tamper_role):
    db = world.db
    done = (
        "UPDATE follow_up SET state = 'done', completed_at = now(), "
        "completed_by_activity_id = {by} WHERE id = {open_fu}"
    )
    # By an old activity of its record (the one that completed another).
    assert (
        refused(db, tamper_role, {**scene, "by": scene["call"]}, done)
        == "follow_up_done_needs_activity"
    )
    # By a new activity of another record.
    assert (
        refused(db, tamper_role, {**scene, "by": LAST_CALL}, NEW_CALL_OTHER + "; " + done)
        == "follow_up_done_needs_activity"
    )
    # Inserted as done, by an old activity.
    assert (
        refused(
            db,
            tamper_role,
            scene,
            "INSERT INTO follow_up (record_id, assignee_id, created_by_id, due_date, time_zone, "
            "priority, instruction, recurrence_anchor, occurrence, state, "
            "completed_by_activity_id, completed_at, created_at, updated_at, version) VALUES "
            "({record}, {user}, {user}, current_date, 'Europe/Berlin', 0, '', 'due', 1, 'done', "
            "{call}, now(), now(), now(), 1)",
        )
        == "follow_up_done_needs_activity"
    )


def test_a_done_follow_up_stays_done(world, scene, tamper_role):
    db = world.db
    # Its completion pointed at another (old) activity.
    assert (
        refused(
            db,
            tamper_role,
            scene,
            "UPDATE follow_up SET completed_by_activity_id = {assigned} WHERE id = {done_fu}",
        )
        == "follow_up_done_fixed"
    )
    # Not even at a new one.
    assert (
        refused(
            db,
            tamper_role,
            scene,
            NEW_CALL
            + "; UPDATE follow_up SET completed_by_activity_id = "
            + LAST_CALL
            + " WHERE id = {done_fu}",
        )
        == "follow_up_done_fixed"
    )
    assert (
        refused(
            db,
            tamper_role,
            scene,
            "UPDATE follow_up SET state = 'open', completed_by_activity_id = NULL, "
            "completed_at = NULL WHERE id = {done_fu}",
        )
        == "follow_up_done_fixed"
    )
    assert refused(db, tamper_role, scene, "DELETE FROM follow_up WHERE id = {done_fu}") == (
        "follow_up_fixed"
    )
    assert (
        refused(
            db,
            tamper_role,
            scene,
            "UPDATE follow_up SET record_id = {other_record} WHERE id = {open_fu}",
        )
        == "follow_up_fixed"
    )


def test_completing_and_cancelling_the_right_way_is_let_through(world, scene, tamper_role):
    db = world.db
    allowed(
        db,
        tamper_role,
        scene,
        NEW_CALL + "; UPDATE follow_up SET state = 'done', completed_at = now(), "
        "completed_by_activity_id = " + LAST_CALL + " WHERE id = {open_fu}",
    )
    fu = world.lax.create_follow_up(
        scene["record"], NextFollowUp(world.today + timedelta(days=5))
    ).result_id
    allowed(
        db,
        tamper_role,
        {**scene, "fu": fu or 0},
        "UPDATE follow_up SET state = 'cancelled', cancelled_at = now() WHERE id = {fu}",
    )
    # A cancelled follow-up is not reopened.
    assert (
        refused(
            db,
            tamper_role,
            {**scene, "fu": fu or 0},
            "UPDATE follow_up SET state = 'open', cancelled_at = NULL WHERE id = {fu}",
        )
        == "follow_up_state"
    )


# --- the app: ordinary operations pass, a refusal reads well --------------------------------


def test_controller_operations_keep_working(world, scene):
    """The controller's paths that write history (correction, merge, bulk
    status change and its undo) pass the triggers; the invariants hold."""
    from akquise_desktop.controller.bulk import BulkEditor, ChangeStatus

    w = world
    w.sales.correct_activity(
        scene["call"],
        expected_version=1,
        subject="Angerufen (korrigiert)",
        text="",
        reason="Tippfehler",
    )
    editor = BulkEditor(w.admin)
    result = editor.run(
        ChangeStatus(
            campaign_id=w.campaign_id,
            status_id=w.status["Kontaktiert"],
            next_follow_up=NextFollowUp(w.today + timedelta(days=4)),
        ),
        [scene["record"], scene["other_record"]],
    )
    assert result.run_id is not None and result.refused == ()
    assert len(result.changed) == 2
    undo = editor.undo(result.run_id)
    assert undo.refused == () and len(undo.restored) == 2
    w.admin.merge_status(w.status["Lead"], w.status["Kontaktiert"])
    with w.db.read() as s:
        assert check_invariants(s, include_dead_records=False) == []


def test_a_refusal_becomes_a_readable_domain_error(world, scene):
    """Should a trigger's refusal ever reach the controller, it is a
    DomainError in the user's language, not a database error."""

    def body(op):
        op.session.execute(text("DELETE FROM audit_entry WHERE id = :a"), {"a": scene["audit"]})
        return None

    with pytest.raises(DomainError) as caught:
        world.sales._run("tamper", body)
    error = caught.value
    assert error.rule is Rule.CHAIN_DB_REFUSED
    assert error.params["key"] == "audit_append_only"
    assert "Änderungsprotokoll" in error.message("de")
    assert "audit trail" in error.message("en")
    assert _one(world.db, "SELECT count(*) FROM audit_entry WHERE id = :a", a=scene["audit"]) == 1
    # A refusal at commit (a deferred check) is mapped the same way.

    def late(op):
        op.session.execute(
            text("UPDATE campaign_membership SET status_id = :s WHERE id = :m"),
            {"s": scene["kontaktiert"], "m": scene["membership"]},
        )
        return None

    with pytest.raises(DomainError) as caught:
        world.sales._run("tamper", late)
    assert caught.value.params["key"] == "membership_needs_activity"
    assert chain_refusal(ValueError("x")) is None


def _spec(name: str):
    from akquise_desktop.controller import StatusSpec

    return StatusSpec(name, is_start=True)


def test_the_functions_resolve_names_in_the_schema_only(world):
    """No function of the chain finds a name in a user's own schema or a
    temporary table first: each pins its search_path (pg_temp last)."""
    with world.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.proname, p.proconfig, p.prosecdef FROM pg_proc p "
                "WHERE p.proname LIKE 'akquise_chain_%' ORDER BY p.proname"
            )
        ).all()
    assert len(rows) >= 20
    for name, config, _definer in rows:
        assert config == ["search_path=public, pg_temp"], name
    definers = {name for name, _config, definer in rows if definer}
    assert "akquise_chain_follow_up_write" in definers  # its checks see past RLS
    assert "akquise_chain_no_truncate" not in definers  # asks who the caller is
