"""the activity chain held by the database: triggers on PostgreSQL

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10 09:00:00

Each client talks to a shared PostgreSQL server directly, so the chain rules
(README, *The chain rules*) must hold for raw SQL too, not only for the
controller. Triggers here refuse, with SQLSTATE ``23C01`` (class 23, an
integrity constraint violation; the rule's key in the error's constraint
name, see :mod:`akquise_desktop.controller.chain_db`):

* **activities are append-only**: an UPDATE may only be a correction (subject
  and text, ``corrected_at`` set, ``version`` bumped, nothing else; checked at
  commit that the audit trail has it); a DELETE only by a bulk undo (below).
* **the audit trail is append-only**: no UPDATE, no DELETE, ever.
* **a membership's status changes only with an activity**: a new membership,
  or a status change, needs a ``status_change`` row of that record and
  campaign (from the old, to the new status) inserted in the same transaction
  by an activity inserted in the same transaction. Record and campaign of a
  membership never change. Checked at commit (the controller's flush may
  write the membership before its status change).
* **status changes**: inserted only with a new activity of the same record;
  never updated except by a status merge; deleted only with their activity.
* **a follow-up becomes done only with a new activity of its record**: the
  state goes ``open`` -> ``done`` only with ``completed_by_activity_id`` an
  activity of the same record inserted in this transaction; a done follow-up
  stays done (state, completing activity and time fixed); a cancelled one is
  not reopened; no follow-up moves to another record. Cancelling stays as
  it is (``open`` -> ``cancelled``).
* **TRUNCATE** of these tables: only for a superuser or a member of the
  table's owner role.

"Inserted in this transaction" means: the row's ``xmin`` is a transaction id
of this transaction or one of its subtransactions (savepoints: the bulk
editor logs each activity in one) — ``akquise_chain_own(xmin)``: the 64-bit
id is worked out from this transaction's own and must be "in progress" (a
visible row with an in-progress xmin can only be our own). An activity
counts as new only if it was never corrected (``corrected_at IS NULL``).

The controller's exceptions, each handled explicitly:

* ``merge_status`` moves memberships and status changes set-based from a
  status it deletes: allowed when, at commit, the old status is gone, the new
  one belongs to the row's campaign, and the audit trail has this row's
  update (from this transaction).
* the bulk undo deletes the activities, status changes, memberships and
  follow-ups its run created and puts memberships back to the status before:
  allowed when the bulk journal (``bulk_change``) names the row as created
  (or the membership's status as changed from/to exactly these) by a run
  that was marked undone in this transaction, and the audit trail has the
  deletion (update). Journal rows that such an exception relies on can only
  be written in the transaction that wrote the row they name, and the
  journal is never updated.

Maintenance paths (not for users): the owner role (or a superuser) may
``ALTER TABLE … DISABLE TRIGGER`` inside a transaction — the large demo's
bulk load does so for ``akquise_chain_*`` as for the search triggers and
checks the invariants afterwards — and TRUNCATE (tests reset so). A
superuser may also ``SET session_replication_role = replica``. The trigger
functions are ``SECURITY DEFINER`` (owned by the owner that runs ``db
upgrade``) so their existence checks see every row whatever the row-level
security of the user who writes.

SQLite: only the index below (the single-user file has no such threat).

``bulk_change`` gets an index on (entity, entity_id): the undo's checks look
a row up by it.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SQLSTATE = "23C01"

# Every function runs with its search_path pinned to the tables' schema (then
# pg_temp, last): no name in a body can be taken over by a user's own schema,
# function or temporary table. ``@PATH@`` is filled in by upgrade().
PATH = "SET search_path = @PATH@"
# Definer-rights functions see all rows, whatever the row-level security of
# the user who writes.
DEFINER = f"SECURITY DEFINER {PATH}"

FUNCTIONS = {
    "akquise_chain_own(xid)": f"""
        CREATE FUNCTION akquise_chain_own(x xid) RETURNS boolean
        LANGUAGE sql VOLATILE {PATH} AS $$
            -- Whether x (a row's xmin) is this transaction's or one of its
            -- subtransactions': at or after our top-level id (own ones are),
            -- and still in progress.
            SELECT CASE WHEN x IS NULL OR x::text::bigint < 3 THEN false ELSE (
                SELECT d < 2147483648
                       AND pg_xact_status((top + d)::text::xid8) = 'in progress'
                  FROM (SELECT top,
                               (x::text::bigint - (top & 4294967295) + 4294967296)
                               % 4294967296 AS d
                          FROM (SELECT pg_current_xact_id()::text::bigint AS top) t) q
            ) END
        $$""",
    "akquise_chain_refuse(text,text)": f"""
        CREATE FUNCTION akquise_chain_refuse(rule text, message text) RETURNS void
        LANGUAGE plpgsql {PATH} AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = '{SQLSTATE}', MESSAGE = message,
                CONSTRAINT = rule, HINT = 'The activity chain is kept by the database.';
        END $$""",
    "akquise_chain_new_activity(integer,integer)": f"""
        CREATE FUNCTION akquise_chain_new_activity(aid integer, rid integer) RETURNS boolean
        LANGUAGE sql VOLATILE {DEFINER} AS $$
            -- Activity aid, of record rid, inserted in this transaction.
            SELECT EXISTS (SELECT 1 FROM activity a WHERE a.id = aid AND a.record_id = rid
                           AND a.corrected_at IS NULL AND akquise_chain_own(a.xmin))
        $$""",
    "akquise_chain_audited(text,integer,text)": f"""
        CREATE FUNCTION akquise_chain_audited(ent text, eid integer, act text) RETURNS boolean
        LANGUAGE sql VOLATILE {DEFINER} AS $$
            SELECT EXISTS (SELECT 1 FROM audit_entry e WHERE e.entity = ent
                           AND e.entity_id = eid AND e.action = act
                           AND akquise_chain_own(e.xmin))
        $$""",
    "akquise_chain_undone(text,integer)": f"""
        CREATE FUNCTION akquise_chain_undone(ent text, eid integer) RETURNS boolean
        LANGUAGE sql VOLATILE {DEFINER} AS $$
            -- Row eid of table ent was created by a bulk run undone in this
            -- transaction, and its deletion is audited.
            SELECT EXISTS (SELECT 1 FROM bulk_change c JOIN bulk_run r ON r.id = c.run_id
                           WHERE c.entity = ent AND c.entity_id = eid AND c.action = 'create'
                           AND r.state = 'undone' AND akquise_chain_own(r.xmin))
               AND akquise_chain_audited(ent, eid, 'delete')
        $$""",
    # --- activity -------------------------------------------------------------------
    "akquise_chain_activity_update()": f"""
        CREATE FUNCTION akquise_chain_activity_update() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        DECLARE
            correction CONSTANT text[] := ARRAY['subject', 'text', 'corrected_at', 'version'];
        BEGIN
            IF (to_jsonb(new) - correction) = (to_jsonb(old) - correction)
               AND new.corrected_at IS NOT NULL AND new.version = old.version + 1 THEN
                RETURN new;
            END IF;
            PERFORM akquise_chain_refuse('activity_append_only', format(
                'Activity #%s is history: only a correction of its subject and text '
                '(with corrected_at and a new version) may change it.', old.id));
            RETURN NULL;
        END $$""",
    "akquise_chain_activity_corrected()": f"""
        CREATE FUNCTION akquise_chain_activity_corrected() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        BEGIN
            IF NOT akquise_chain_audited('activity', new.id, 'update') THEN
                PERFORM akquise_chain_refuse('activity_correction_unaudited', format(
                    'The correction of activity #%s is not in the audit trail.', new.id));
            END IF;
            RETURN NULL;
        END $$""",
    "akquise_chain_activity_deleted()": f"""
        CREATE FUNCTION akquise_chain_activity_deleted() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        BEGIN
            IF NOT akquise_chain_undone('activity', old.id) THEN
                PERFORM akquise_chain_refuse('activity_append_only', format(
                    'Activity #%s is history and cannot be deleted.', old.id));
            END IF;
            RETURN NULL;
        END $$""",
    # --- audit trail and bulk journal ----------------------------------------------------
    "akquise_chain_audit_fixed()": f"""
        CREATE FUNCTION akquise_chain_audit_fixed() RETURNS trigger
        LANGUAGE plpgsql {PATH} AS $$
        BEGIN
            PERFORM akquise_chain_refuse('audit_append_only', format(
                'The audit trail is append-only: entry #%s cannot be changed or deleted.',
                old.id));
            RETURN NULL;
        END $$""",
    "akquise_chain_journal_insert()": f"""
        CREATE FUNCTION akquise_chain_journal_insert() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        DECLARE
            fresh boolean := true;
        BEGIN
            -- Journal rows an undo relies on name rows written in this transaction.
            IF new.action = 'create' THEN
                fresh := CASE new.entity
                    WHEN 'activity' THEN EXISTS (SELECT 1 FROM activity a WHERE a.id = new.entity_id
                        AND a.corrected_at IS NULL AND akquise_chain_own(a.xmin))
                    WHEN 'status_change' THEN EXISTS (SELECT 1 FROM status_change x
                        WHERE x.id = new.entity_id AND akquise_chain_own(x.xmin)
                        AND akquise_chain_new_activity(x.activity_id, x.record_id))
                    WHEN 'follow_up' THEN EXISTS (SELECT 1 FROM follow_up x
                        WHERE x.id = new.entity_id AND akquise_chain_own(x.xmin)
                        AND akquise_chain_new_activity(x.source_activity_id, x.record_id))
                    WHEN 'campaign_membership' THEN EXISTS (SELECT 1 FROM campaign_membership x
                        JOIN status_change sc ON sc.record_id = x.record_id
                        AND sc.campaign_id = x.campaign_id AND sc.from_status_id IS NULL
                        WHERE x.id = new.entity_id AND akquise_chain_own(x.xmin)
                        AND akquise_chain_own(sc.xmin)
                        AND akquise_chain_new_activity(sc.activity_id, sc.record_id))
                    ELSE true END;
            ELSIF new.entity = 'campaign_membership' THEN
                fresh := EXISTS (SELECT 1 FROM campaign_membership x WHERE x.id = new.entity_id
                    AND x.status_id = (new.after ->> 'status_id')::integer
                    AND akquise_chain_own(x.xmin));
            END IF;
            IF NOT fresh THEN
                PERFORM akquise_chain_refuse('journal_not_fresh', format(
                    'The bulk journal may only name %s #%s in the transaction that wrote it.',
                    new.entity, new.entity_id));
            END IF;
            RETURN new;
        END $$""",
    "akquise_chain_journal_fixed()": f"""
        CREATE FUNCTION akquise_chain_journal_fixed() RETURNS trigger
        LANGUAGE plpgsql {PATH} AS $$
        BEGIN
            PERFORM akquise_chain_refuse('journal_fixed', format(
                'The bulk journal is append-only: entry #%s cannot be changed.', old.id));
            RETURN NULL;
        END $$""",
    # --- status changes ----------------------------------------------------------------
    "akquise_chain_status_change_insert()": f"""
        CREATE FUNCTION akquise_chain_status_change_insert() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        BEGIN
            IF NOT akquise_chain_new_activity(new.activity_id, new.record_id) THEN
                PERFORM akquise_chain_refuse('status_change_needs_activity', format(
                    'A status change needs an activity of its record logged in the same '
                    'transaction (activity #%s is not one).', new.activity_id));
            END IF;
            RETURN new;
        END $$""",
    "akquise_chain_status_change_update()": f"""
        CREATE FUNCTION akquise_chain_status_change_update() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        DECLARE
            moved CONSTANT text[] := ARRAY['from_status_id', 'to_status_id'];
        BEGIN
            IF (to_jsonb(new) - moved) <> (to_jsonb(old) - moved) THEN
                PERFORM akquise_chain_refuse('status_change_fixed', format(
                    'Status change #%s is history and cannot be changed.', old.id));
            END IF;
            RETURN new;
        END $$""",
    "akquise_chain_status_change_merged()": f"""
        CREATE FUNCTION akquise_chain_status_change_merged() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        BEGIN
            -- Only a status merge moves history: the old status is gone.
            IF (new.from_status_id IS DISTINCT FROM old.from_status_id
                AND (old.from_status_id IS NULL OR new.from_status_id IS NULL
                     OR EXISTS (SELECT 1 FROM campaign_status s WHERE s.id = old.from_status_id)
                     OR NOT EXISTS (SELECT 1 FROM campaign_status s
                                    WHERE s.id = new.from_status_id
                                    AND s.campaign_id = new.campaign_id)))
               OR (new.to_status_id IS DISTINCT FROM old.to_status_id
                   AND (EXISTS (SELECT 1 FROM campaign_status s WHERE s.id = old.to_status_id)
                        OR NOT EXISTS (SELECT 1 FROM campaign_status s
                                       WHERE s.id = new.to_status_id
                                       AND s.campaign_id = new.campaign_id)))
               OR NOT akquise_chain_audited('status_change', new.id, 'update') THEN
                PERFORM akquise_chain_refuse('status_change_fixed', format(
                    'Status change #%s is history: only merging its status into another '
                    'moves it.', old.id));
            END IF;
            RETURN NULL;
        END $$""",
    "akquise_chain_status_change_deleted()": f"""
        CREATE FUNCTION akquise_chain_status_change_deleted() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM activity a WHERE a.id = old.activity_id) THEN
                PERFORM akquise_chain_refuse('status_change_fixed', format(
                    'Status change #%s is history and goes only with its activity.', old.id));
            END IF;
            RETURN NULL;
        END $$""",
    # --- campaign memberships -------------------------------------------------------------
    "akquise_chain_membership_update()": f"""
        CREATE FUNCTION akquise_chain_membership_update() RETURNS trigger
        LANGUAGE plpgsql {PATH} AS $$
        BEGIN
            IF new.id <> old.id OR new.record_id <> old.record_id
               OR new.campaign_id <> old.campaign_id THEN
                PERFORM akquise_chain_refuse('membership_fixed', format(
                    'Campaign membership #%s stays with its record and campaign.', old.id));
            END IF;
            RETURN new;
        END $$""",
    "akquise_chain_membership_checked()": f"""
        CREATE FUNCTION akquise_chain_membership_checked() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        DECLARE
            from_status integer;
        BEGIN
            IF tg_op = 'UPDATE' THEN
                from_status := old.status_id;
            END IF;
            -- (a) carried by a status change of a new activity
            IF EXISTS (SELECT 1 FROM status_change sc JOIN activity a ON a.id = sc.activity_id
                       WHERE sc.record_id = new.record_id AND sc.campaign_id = new.campaign_id
                       AND sc.from_status_id IS NOT DISTINCT FROM from_status
                       AND sc.to_status_id = new.status_id
                       AND akquise_chain_own(sc.xmin) AND a.corrected_at IS NULL
                       AND akquise_chain_own(a.xmin)) THEN
                RETURN NULL;
            END IF;
            IF tg_op = 'UPDATE' THEN
                -- (b) merge_status: the old status is gone, the move audited
                IF NOT EXISTS (SELECT 1 FROM campaign_status s WHERE s.id = old.status_id)
                   AND EXISTS (SELECT 1 FROM campaign_status s WHERE s.id = new.status_id
                               AND s.campaign_id = new.campaign_id)
                   AND akquise_chain_audited('campaign_membership', new.id, 'update') THEN
                    RETURN NULL;
                END IF;
                -- (c) bulk undo: back to the status the undone run found
                IF EXISTS (SELECT 1 FROM bulk_change c JOIN bulk_run r ON r.id = c.run_id
                           WHERE c.entity = 'campaign_membership' AND c.entity_id = new.id
                           AND c.action = 'update'
                           AND (c.before ->> 'status_id')::integer = new.status_id
                           AND (c.after ->> 'status_id')::integer = old.status_id
                           AND r.state = 'undone' AND akquise_chain_own(r.xmin))
                   AND akquise_chain_audited('campaign_membership', new.id, 'update') THEN
                    RETURN NULL;
                END IF;
            END IF;
            PERFORM akquise_chain_refuse('membership_needs_activity', format(
                'The campaign status of record #%s changes only with an activity that '
                'records the change (membership #%s).', new.record_id, new.id));
            RETURN NULL;
        END $$""",
    "akquise_chain_membership_deleted()": f"""
        CREATE FUNCTION akquise_chain_membership_deleted() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM record r WHERE r.id = old.record_id)
               AND NOT akquise_chain_undone('campaign_membership', old.id) THEN
                PERFORM akquise_chain_refuse('membership_needs_activity', format(
                    'Record #%s leaves campaign #%s only with its record.',
                    old.record_id, old.campaign_id));
            END IF;
            RETURN NULL;
        END $$""",
    # --- follow-ups --------------------------------------------------------------------
    "akquise_chain_follow_up_write()": f"""
        CREATE FUNCTION akquise_chain_follow_up_write() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        DECLARE
            was text;
        BEGIN
            IF tg_op = 'UPDATE' THEN
                was := old.state;
                -- A follow-up stays with its record and the activity it came
                -- from (which may only go: ON DELETE SET NULL).
                IF new.record_id <> old.record_id
                   OR (new.source_activity_id IS DISTINCT FROM old.source_activity_id
                       AND (new.source_activity_id IS NOT NULL OR EXISTS (
                           SELECT 1 FROM activity a WHERE a.id = old.source_activity_id)))
                THEN
                    PERFORM akquise_chain_refuse('follow_up_fixed', format(
                        'Follow-up #%s stays with its record and source activity.', old.id));
                END IF;
            END IF;
            IF was = 'done' THEN
                IF new.state <> 'done'
                   OR new.completed_by_activity_id IS DISTINCT FROM old.completed_by_activity_id
                   OR new.completed_at IS DISTINCT FROM old.completed_at THEN
                    PERFORM akquise_chain_refuse('follow_up_done_fixed', format(
                        'Follow-up #%s is done: its completion cannot change.', old.id));
                END IF;
            ELSIF new.state = 'done' THEN
                IF was IS DISTINCT FROM 'open' AND tg_op = 'UPDATE' THEN
                    PERFORM akquise_chain_refuse('follow_up_done_needs_activity', format(
                        'Follow-up #%s is not open and cannot be completed.', new.id));
                END IF;
                IF new.completed_by_activity_id IS NULL
                   OR NOT akquise_chain_new_activity(new.completed_by_activity_id,
                                                     new.record_id) THEN
                    PERFORM akquise_chain_refuse('follow_up_done_needs_activity', format(
                        'Follow-up #%s is done only by an activity of its record logged in '
                        'the same transaction (activity #%s is not one).',
                        new.id, new.completed_by_activity_id));
                END IF;
            ELSIF (tg_op = 'INSERT' AND new.state <> 'open')
                  OR (was = 'cancelled' AND new.state <> 'cancelled') THEN
                PERFORM akquise_chain_refuse('follow_up_state', format(
                    'Follow-up #%s cannot go from %s to %s.',
                    new.id, coalesce(was, 'new'), new.state));
            END IF;
            RETURN new;
        END $$""",
    "akquise_chain_follow_up_deleted()": f"""
        CREATE FUNCTION akquise_chain_follow_up_deleted() RETURNS trigger
        LANGUAGE plpgsql {DEFINER} AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM record r WHERE r.id = old.record_id)
               AND NOT akquise_chain_undone('follow_up', old.id) THEN
                PERFORM akquise_chain_refuse('follow_up_fixed', format(
                    'Follow-up #%s cannot be deleted (cancel it instead).', old.id));
            END IF;
            RETURN NULL;
        END $$""",
    # --- truncate ----------------------------------------------------------------------
    "akquise_chain_no_truncate()": f"""
        CREATE FUNCTION akquise_chain_no_truncate() RETURNS trigger
        LANGUAGE plpgsql {PATH} AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper)
               OR pg_has_role(current_user,
                              (SELECT relowner FROM pg_class WHERE oid = tg_relid), 'MEMBER')
            THEN
                RETURN NULL;
            END IF;
            PERFORM akquise_chain_refuse('history_truncate', format(
                'Table %s keeps history and cannot be emptied.', tg_table_name));
            RETURN NULL;
        END $$""",
}

_DEFERRED = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
# (table, trigger) -> definition
TRIGGERS = {
    ("activity", "akquise_chain_activity_update"): """
        CREATE TRIGGER akquise_chain_activity_update BEFORE UPDATE ON activity
        FOR EACH ROW EXECUTE FUNCTION akquise_chain_activity_update()""",
    ("activity", "akquise_chain_activity_corrected"): f"""
        CREATE CONSTRAINT TRIGGER akquise_chain_activity_corrected AFTER UPDATE ON activity
        {_DEFERRED} EXECUTE FUNCTION akquise_chain_activity_corrected()""",
    ("activity", "akquise_chain_activity_deleted"): f"""
        CREATE CONSTRAINT TRIGGER akquise_chain_activity_deleted AFTER DELETE ON activity
        {_DEFERRED} EXECUTE FUNCTION akquise_chain_activity_deleted()""",
    ("audit_entry", "akquise_chain_audit_fixed"): """
        CREATE TRIGGER akquise_chain_audit_fixed BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION akquise_chain_audit_fixed()""",
    ("bulk_change", "akquise_chain_journal_insert"): """
        CREATE TRIGGER akquise_chain_journal_insert BEFORE INSERT ON bulk_change
        FOR EACH ROW EXECUTE FUNCTION akquise_chain_journal_insert()""",
    ("bulk_change", "akquise_chain_journal_fixed"): """
        CREATE TRIGGER akquise_chain_journal_fixed BEFORE UPDATE ON bulk_change
        FOR EACH ROW EXECUTE FUNCTION akquise_chain_journal_fixed()""",
    ("status_change", "akquise_chain_status_change_insert"): """
        CREATE TRIGGER akquise_chain_status_change_insert BEFORE INSERT ON status_change
        FOR EACH ROW EXECUTE FUNCTION akquise_chain_status_change_insert()""",
    ("status_change", "akquise_chain_status_change_update"): """
        CREATE TRIGGER akquise_chain_status_change_update BEFORE UPDATE ON status_change
        FOR EACH ROW EXECUTE FUNCTION akquise_chain_status_change_update()""",
    ("status_change", "akquise_chain_status_change_merged"): f"""
        CREATE CONSTRAINT TRIGGER akquise_chain_status_change_merged
        AFTER UPDATE ON status_change {_DEFERRED}
        EXECUTE FUNCTION akquise_chain_status_change_merged()""",
    ("status_change", "akquise_chain_status_change_deleted"): f"""
        CREATE CONSTRAINT TRIGGER akquise_chain_status_change_deleted
        AFTER DELETE ON status_change {_DEFERRED}
        EXECUTE FUNCTION akquise_chain_status_change_deleted()""",
    ("campaign_membership", "akquise_chain_membership_update"): """
        CREATE TRIGGER akquise_chain_membership_update BEFORE UPDATE ON campaign_membership
        FOR EACH ROW EXECUTE FUNCTION akquise_chain_membership_update()""",
    ("campaign_membership", "akquise_chain_membership_inserted"): f"""
        CREATE CONSTRAINT TRIGGER akquise_chain_membership_inserted
        AFTER INSERT ON campaign_membership {_DEFERRED}
        EXECUTE FUNCTION akquise_chain_membership_checked()""",
    ("campaign_membership", "akquise_chain_membership_changed"): f"""
        CREATE CONSTRAINT TRIGGER akquise_chain_membership_changed
        AFTER UPDATE ON campaign_membership {_DEFERRED}
        WHEN (old.status_id IS DISTINCT FROM new.status_id)
        EXECUTE FUNCTION akquise_chain_membership_checked()""",
    ("campaign_membership", "akquise_chain_membership_deleted"): f"""
        CREATE CONSTRAINT TRIGGER akquise_chain_membership_deleted
        AFTER DELETE ON campaign_membership {_DEFERRED}
        EXECUTE FUNCTION akquise_chain_membership_deleted()""",
    ("follow_up", "akquise_chain_follow_up_write"): """
        CREATE TRIGGER akquise_chain_follow_up_write BEFORE INSERT OR UPDATE ON follow_up
        FOR EACH ROW EXECUTE FUNCTION akquise_chain_follow_up_write()""",
    ("follow_up", "akquise_chain_follow_up_deleted"): f"""
        CREATE CONSTRAINT TRIGGER akquise_chain_follow_up_deleted
        AFTER DELETE ON follow_up {_DEFERRED}
        EXECUTE FUNCTION akquise_chain_follow_up_deleted()""",
}
TRUNCATE_GUARDED = ("activity", "audit_entry", "status_change", "campaign_membership", "follow_up")
for _table in TRUNCATE_GUARDED:
    TRIGGERS[(_table, "akquise_chain_no_truncate")] = f"""
        CREATE TRIGGER akquise_chain_no_truncate BEFORE TRUNCATE ON {_table}
        FOR EACH STATEMENT EXECUTE FUNCTION akquise_chain_no_truncate()"""


def upgrade() -> None:
    op.create_index("ix_bulk_change_entity", "bulk_change", ["entity", "entity_id"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    for ddl in FUNCTIONS.values():
        op.execute(ddl.replace("@PATH@", f"{schema}, pg_temp"))
    for ddl in TRIGGERS.values():
        op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for signature in reversed(FUNCTIONS):
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.drop_index("ix_bulk_change_entity", table_name="bulk_change")
