"""an import's undo removes the records and contact persons it created

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-14 09:00:00

An import (``controller/bulk/importing.py``) is a bulk run that creates
records with their contact persons, first activity, campaign status and first
follow-up, all journaled in ``bulk_change``; its undo deletes them again. On
PostgreSQL users may not delete records or contacts (0009): the undo goes
through ``akq_bulk_undo_delete`` (SECURITY DEFINER), which now accepts
``contact`` and ``record`` too — still only rows journaled as created by a run
of the caller (any run for an administrator).

So that the journal cannot name an old record as "created" and have it
deleted, ``akquise_chain_journal_insert`` (0010) now also requires a journaled
``record`` or ``contact`` creation to name a row inserted in the same
transaction (as it did for the chain's tables).

SQLite: nothing (the controller deletes directly).
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_UNDO_DELETE = """
CREATE OR REPLACE FUNCTION akq_bulk_undo_delete(entity text, ids integer[]) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = @PATH@ AS $$
    DECLARE
        super boolean := coalesce(
            (SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false);
        me integer := akq_user_id(session_user);
        admin boolean := akq_is_admin(session_user);
        n integer;
    BEGIN
        IF entity NOT IN (@ENTITIES@) THEN
            RAISE EXCEPTION 'not a bulk table: %', entity
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT (super OR admin) AND EXISTS (
            SELECT unnest(ids)
            EXCEPT
            SELECT c.entity_id FROM bulk_change c JOIN bulk_run r ON r.id = c.run_id
             WHERE c.entity = akq_bulk_undo_delete.entity AND c.action = 'create'
               AND r.user_id = me) THEN
            RAISE EXCEPTION 'only rows created by one''s own bulk runs are undone'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        EXECUTE format('DELETE FROM %I WHERE id = ANY ($1)', entity) USING ids;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
    END $$"""

CHAIN = "'follow_up', 'status_change', 'campaign_membership', 'activity'"
WITH_IMPORT = f"{CHAIN}, 'contact', 'record'"

_JOURNAL_INSERT = """
CREATE OR REPLACE FUNCTION akquise_chain_journal_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = @PATH@ AS $$
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
                @IMPORT@
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
    END $$"""

_IMPORT_CASES = """
                WHEN 'record' THEN EXISTS (SELECT 1 FROM record x WHERE x.id = new.entity_id
                    AND akquise_chain_own(x.xmin))
                WHEN 'contact' THEN EXISTS (SELECT 1 FROM contact x WHERE x.id = new.entity_id
                    AND akquise_chain_own(x.xmin))"""


def _apply(entities: str, import_cases: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    path = f"{schema}, pg_temp"
    op.execute(_UNDO_DELETE.replace("@PATH@", path).replace("@ENTITIES@", entities))
    op.execute(_JOURNAL_INSERT.replace("@PATH@", path).replace("@IMPORT@", import_cases))


def upgrade() -> None:
    _apply(WITH_IMPORT, _IMPORT_CASES)


def downgrade() -> None:
    _apply(CHAIN, "")
