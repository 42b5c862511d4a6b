"""the record search under row-level security: one look-up by the trigram index

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-15 09:00:00

Under the row-level security of ``0009`` PostgreSQL no longer answered a
user's search from the trigram index of ``record_search_text`` (``0006``):
``ILIKE`` is not *leakproof*, so the planner may not evaluate it before the
policy's condition, and with that order an index condition is impossible —
every search scanned all the rows the user may see (a superuser's or the
owner's plan, which skip the policies, still used the index).

``akq_search_records(words, max_rows, who)`` (SECURITY DEFINER, owned by
``<p>_owner``, ``search_path`` pinned) runs the search as the owner — the
policies do not apply to it, so the index does — and applies the caller's
scope itself, as the policy of ``record_search_text`` does: a row belongs to a
record whose owner lies within the widest of the caller's scopes on records,
contacts, activities, cancelling follow-ups and bulk editing (``akq_scope`` /
``akq_owners``, the functions the policies use). It returns the ids of the
matching records the caller may see, no more: exactly the rows the
RLS-filtered ``ILIKE`` finds (``tests/test_search_rls.py`` compares both for
users of different teams and scopes).

* **words**: every word must occur in the row's text, case-insensitively, as a
  substring (``%``, ``_`` and ``\\`` are plain characters): a word of three or
  more characters with ``doc ILIKE`` (the trigram index), a shorter one with
  ``lower(doc) LIKE lower(…)`` — the same conditions as
  ``queries.search._pg_text_conditions``. No words: every row the caller sees.
* **max_rows**: stop after so many (NULL: all), as the list's collection of a
  capped number of ids does.
* **who**: whose scope; its default ``current_user`` is evaluated in the
  caller's statement. Any other role is refused unless the session's login
  may become it anyway (``SET ROLE``: a member, with the ``SET`` option on
  PostgreSQL 16+) — nobody reads another user's scope.

The words reach the search only as parameters of the dynamic statement, never
in its text. The statement is planned for each call with the words' values
(a one-shot plan), so the planner sees the patterns as the index needs them.

EXECUTE for ``<p>_users`` only (not PUBLIC). SQLite: nothing (one user).
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# As 0009's READ: the modules whose scope makes a record visible.
READ = "{records,contacts,activities,cancel_follow_ups,bulk_edit}"
TRIGRAM = 3  # as queries.search.TRIGRAM: shorter words cannot use the index
SIGNATURE = "akq_search_records(text[], integer, name)"

FUNCTION = r"""
CREATE FUNCTION akq_search_records(words text[], max_rows integer DEFAULT NULL,
                                   who name DEFAULT current_user)
    RETURNS TABLE (record_id integer)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = @PATH@ ROWS 1000 AS $$
DECLARE
    may_act boolean;
    owners integer[];
    patterns text[] := '{}';
    conditions text := '';
    word text;
    n integer := 0;
BEGIN
    IF who IS DISTINCT FROM session_user THEN
        SELECT pg_has_role(session_user, r.oid,
                           CASE WHEN current_setting('server_version_num')::integer >= 160000
                                THEN 'SET' ELSE 'MEMBER' END)
          INTO may_act FROM pg_roles r WHERE r.rolname = who;
        IF NOT coalesce(may_act, false) THEN
            RAISE EXCEPTION 'no search in the scope of %', who
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF akq_scope('@READ@', who) <> 'all' THEN
        owners := akq_owners('@READ@', who);
        IF coalesce(cardinality(owners), 0) = 0 THEN
            RETURN;
        END IF;
        conditions := ' AND EXISTS (SELECT 1 FROM record r'
                      ' WHERE r.id = t.record_id AND r.owner_id = ANY ($2))';
    END IF;
    FOREACH word IN ARRAY coalesce(words, '{}') LOOP
        n := n + 1;
        patterns := patterns || ('%' || replace(replace(replace(word,
                        E'\\', E'\\\\'), '%', E'\\%'), '_', E'\\_') || '%');
        -- LIKE's default escape character is the backslash
        IF length(word) >= @TRIGRAM@ THEN
            conditions := conditions || format(' AND t.doc ILIKE $1[%s]', n);
        ELSE
            conditions := conditions || format(' AND lower(t.doc) LIKE lower($1[%s])', n);
        END IF;
    END LOOP;
    RETURN QUERY EXECUTE
        'SELECT t.record_id FROM record_search_text t WHERE true' || conditions
        || CASE WHEN max_rows IS NULL THEN '' ELSE ' LIMIT $3' END
        USING patterns, owners, max_rows;
END $$
"""


def _roles(bind) -> dict[str, str]:
    from akquise_desktop.storage.roles import quote, role_names

    return {kind: quote(name) for kind, name in role_names(bind).items()}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    path = bind.exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    op.execute(
        FUNCTION.replace("@PATH@", f"{path}, pg_temp")
        .replace("@READ@", READ)
        .replace("@TRIGRAM@", str(TRIGRAM))
    )
    roles = _roles(bind)
    # Normally a no-op: the migrations run as the owner (env.py, 0009).
    op.execute(f"ALTER FUNCTION {SIGNATURE} OWNER TO {roles['owner']}")
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {roles['users']}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
