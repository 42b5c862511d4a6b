"""search: letters folded (Müller = Mueller = Muller), phone numbers by their digits

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-16 09:00:00

* Every stored number is also kept in its normal form (``core/phones.py``):
  ``record.phone_normalized``, ``contact.phone_normalized`` and
  ``contact.mobile_normalized`` — E.164 (``+492213712306``), parsed in the
  region of the record's country, else the default region; a number that is
  none is kept as typed. The write session fills them on every flush
  (``models/phones.py``); existing rows are filled here.
  ``system_settings.phone_region``: the default region (``DE``).
* The search index gets the folded text (``core/folding.py``: umlauts,
  ``ß``, diacritics, the German digraphs) of the record and its contact
  persons, and the digits of all their normal-form numbers, next to the text
  as typed:

  - SQLite: ``record_search`` is made anew with a column ``folded``; its
    triggers write a record's whole row (record, contacts, folded, digits),
    folding with ``akq_fold`` — ``core.folding.fold`` itself, registered on
    every connection of the app.
  - PostgreSQL: ``record_search_text.doc`` = the text as typed and the
    folded forms of the words folding changes (``akq_fold_words`` over
    ``akq_fold``, SQL built from the same table as the Python side); the new
    column ``numbers`` the digits, with a trigram index of its own (in ``doc``
    they would lengthen every text a word is checked against: searches a third
    slower, measured). The triggers now also follow the normal-form columns.
    ``akq_search_records`` (``0011``) takes alternatives per word: a word
    matches when one of its forms (as typed, folded — in ``doc``; a number's
    digits — in ``numbers``) occurs. A word is passed as its text forms joined
    by U+001F, then U+001E, then its number forms joined by U+001F (control
    characters no search word contains: ``search.words`` drops them).

The index is rebuilt from the tables here.
"""

import logging

import sqlalchemy as sa
from alembic import op

from akquise_desktop.core import folding, phones

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

BATCH = 5000

# --- SQLite ------------------------------------------------------------------------------

_CONTACT_NAMES = (
    "(SELECT group_concat(coalesce(c.first_name, '') || ' ' || c.last_name, ' ') "
    "FROM contact c WHERE c.record_id = {rid})"
)
_CONTACT_NUMBERS = (
    "(SELECT group_concat(coalesce(c.phone_normalized, '') || ' ' "
    "|| coalesce(c.mobile_normalized, ''), ' ') FROM contact c WHERE c.record_id = {rid})"
)


def sqlite_row(rid: str) -> str:
    """The ``record_search`` row of record ``rid`` as a SELECT (nothing when the
    record is gone)."""
    plain = (
        "coalesce(r.name, '') || ' ' || coalesce(r.city, '') || ' ' || coalesce(r.phone, '') "
        "|| ' ' || coalesce(r.email, '') || ' ' || coalesce("
        + _CONTACT_NAMES.format(rid="r.id")
        + ", '')"
    )
    numbers = (
        "replace(coalesce(r.phone_normalized, '') || ' ' || coalesce("
        + _CONTACT_NUMBERS.format(rid="r.id")
        + ", ''), '+', '')"
    )
    return (
        "SELECT r.id, r.name, r.city, r.phone, r.email, "
        + _CONTACT_NAMES.format(rid="r.id")
        + f", akq_fold({plain}) || ' ' || {numbers} "
        + f"FROM record r WHERE r.id = {rid}"
    )


COLUMNS = "rowid, name, city, phone, email, contacts, folded"


def _refresh(rid: str) -> str:
    return (
        f"DELETE FROM record_search WHERE rowid = {rid}; "
        f"INSERT INTO record_search ({COLUMNS}) {sqlite_row(rid)};"
    )


SQLITE_TRIGGERS = {
    "record_search_insert": f"""
        CREATE TRIGGER record_search_insert AFTER INSERT ON record BEGIN
            INSERT INTO record_search ({COLUMNS}) {sqlite_row("new.id")};
        END""",
    "record_search_update": f"""
        CREATE TRIGGER record_search_update
        AFTER UPDATE OF name, city, phone, email, phone_normalized ON record BEGIN
            {_refresh("new.id")}
        END""",
    "record_search_delete": """
        CREATE TRIGGER record_search_delete AFTER DELETE ON record BEGIN
            DELETE FROM record_search WHERE rowid = old.id;
        END""",
    "contact_search_insert": f"""
        CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN
            {_refresh("new.record_id")}
        END""",
    "contact_search_update": f"""
        CREATE TRIGGER contact_search_update
        AFTER UPDATE OF first_name, last_name, record_id, phone_normalized, mobile_normalized
        ON contact BEGIN
            {_refresh("old.record_id")}
            {_refresh("new.record_id")}
        END""",
    "contact_search_delete": f"""
        CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN
            {_refresh("old.record_id")}
        END""",
}
SQLITE_FILL = f"INSERT INTO record_search ({COLUMNS}) " + sqlite_row("r.id").replace(
    " WHERE r.id = r.id", ""
)

# --- PostgreSQL ----------------------------------------------------------------------------

PG_FOLD = f"""
CREATE FUNCTION akq_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT {folding.sql_fold("t")} $$"""
# The folded forms of the words of ``t`` that folding changes, in order: what the
# index needs besides the text as typed (a word folding leaves alone is found
# in the text as typed), half the text the index would hold with all of it folded.
PG_FOLD_WORDS = r"""
CREATE FUNCTION akq_fold_words(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(string_agg(f, ' ' ORDER BY n), '')
            FROM regexp_split_to_table(t, '\s+') WITH ORDINALITY AS w(word, n)
            CROSS JOIN LATERAL akq_fold(w.word) AS f
           WHERE f <> lower(w.word) $$"""

_PG_PLAIN = (
    "(coalesce(r.name, '') || ' ' || coalesce(r.city, '') || ' ' || coalesce(r.phone, '') "
    "|| ' ' || coalesce(r.email, '')) || ' ' || coalesce(c.names, '')"
)
_PG_NUMBERS = "replace(concat_ws(' ', r.phone_normalized, c.numbers), '+', '')"
_PG_CONTACTS = (
    "SELECT c.record_id, string_agg(coalesce(c.first_name, '') || ' ' || c.last_name, ' ' "
    "ORDER BY c.id) AS names, string_agg(concat_ws(' ', c.phone_normalized, "
    "c.mobile_normalized), ' ' ORDER BY c.id) AS numbers FROM contact c"
)
# Every record's search text as rows (record_id, doc); {where} narrows records and contacts.
PG_DOCUMENTS = (
    f"SELECT r.id, d.plain || ' ' || akq_fold_words(d.plain), d.numbers FROM record r "
    f"LEFT JOIN ({_PG_CONTACTS} {{contact_where}} GROUP BY c.record_id) c ON c.record_id = r.id "
    f"CROSS JOIN LATERAL (SELECT {_PG_PLAIN} AS plain, {_PG_NUMBERS} AS numbers) d {{where}}"
)

PG_REFRESH = f"""
CREATE OR REPLACE FUNCTION record_search_text_refresh(rid integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = @PATH@ AS $$
    BEGIN
        -- Writers of one record's text queue here (see 0006).
        PERFORM 1 FROM record WHERE id = rid FOR NO KEY UPDATE;
        INSERT INTO record_search_text (record_id, doc, numbers)
        {PG_DOCUMENTS.format(contact_where="WHERE c.record_id = rid", where="WHERE r.id = rid")}
        ON CONFLICT (record_id) DO UPDATE SET doc = excluded.doc, numbers = excluded.numbers;
    END $$"""

PG_TRIGGERS = {
    ("record", "record_search_text_record"): """
        CREATE TRIGGER record_search_text_record
        AFTER INSERT OR UPDATE OF name, city, phone, email, phone_normalized ON record
        FOR EACH ROW EXECUTE FUNCTION record_search_text_on_record()""",
    ("contact", "record_search_text_contact"): """
        CREATE TRIGGER record_search_text_contact
        AFTER INSERT OR DELETE OR UPDATE OF first_name, last_name, record_id, phone_normalized,
            mobile_normalized ON contact
        FOR EACH ROW EXECUTE FUNCTION record_search_text_on_contact()""",
}

SEARCH_SIGNATURE = "akq_search_records(text[], integer, name)"
# As 0011's, with alternatives per word (joined by U+001F).
PG_SEARCH = r"""
CREATE OR REPLACE FUNCTION akq_search_records(words text[], max_rows integer DEFAULT NULL,
                                              who name DEFAULT current_user)
    RETURNS TABLE (record_id integer)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = @PATH@ ROWS 1000 AS $$
DECLARE
    may_act boolean;
    owners integer[];
    patterns text[] := '{}';
    conditions text := '';
    word text;
    form text;
    part integer;
    column_ text;
    alternatives text;
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
    IF akq_scope('{records,contacts,activities,cancel_follow_ups,bulk_edit}', who) <> 'all' THEN
        owners := akq_owners('{records,contacts,activities,cancel_follow_ups,bulk_edit}', who);
        IF coalesce(cardinality(owners), 0) = 0 THEN
            RETURN;
        END IF;
        conditions := ' AND EXISTS (SELECT 1 FROM record r'
                      ' WHERE r.id = t.record_id AND r.owner_id = ANY ($2))';
    END IF;
    FOREACH word IN ARRAY coalesce(words, '{}') LOOP
        alternatives := '';
        -- text forms (in doc), U+001E, number forms (in numbers)
        FOR part IN 1..2 LOOP
            column_ := CASE part WHEN 1 THEN 't.doc' ELSE 't.numbers' END;
            FOREACH form IN ARRAY coalesce(string_to_array(split_part(word, E'\x1e', part),
                                                           E'\x1f'), '{}') LOOP
                CONTINUE WHEN form = '';
                n := n + 1;
                patterns := patterns || ('%' || replace(replace(replace(form,
                                E'\\', E'\\\\'), '%', E'\\%'), '_', E'\\_') || '%');
                alternatives := alternatives
                    || CASE WHEN alternatives = '' THEN '' ELSE ' OR ' END
                    || CASE WHEN length(form) >= 3 THEN format('%s ILIKE $1[%s]', column_, n)
                            ELSE format('lower(%s) LIKE lower($1[%s])', column_, n) END;
            END LOOP;
        END LOOP;
        IF alternatives <> '' THEN
            conditions := conditions || ' AND (' || alternatives || ')';
        END IF;
    END LOOP;
    RETURN QUERY EXECUTE
        'SELECT t.record_id FROM record_search_text t WHERE true' || conditions
        || CASE WHEN max_rows IS NULL THEN '' ELSE ' LIMIT $3' END
        USING patterns, owners, max_rows;
END $$
"""


# --- the normal forms ----------------------------------------------------------------------


def _fill_normal_forms(bind) -> None:
    """Fill the normal-form columns of the existing numbers, in batches."""
    region = phones.DEFAULT_REGION
    rows = bind.execute(
        sa.text("SELECT r.id, r.phone, r.country FROM record r WHERE r.phone IS NOT NULL")
    ).all()
    updates = [
        {"id": rid, "n": phones.stored_form(phone, phones.region_or_default(country, region))}
        for rid, phone, country in rows
    ]
    statement = sa.text("UPDATE record SET phone_normalized = :n WHERE id = :id")
    for start in range(0, len(updates), BATCH):
        bind.execute(statement, updates[start : start + BATCH])
    rows = bind.execute(
        sa.text(
            "SELECT c.id, c.phone, c.mobile, r.country FROM contact c "
            "JOIN record r ON r.id = c.record_id "
            "WHERE c.phone IS NOT NULL OR c.mobile IS NOT NULL"
        )
    ).all()
    updates = []
    for cid, phone, mobile, country in rows:
        where = phones.region_or_default(country, region)
        updates.append(
            {
                "id": cid,
                "p": phones.stored_form(phone, where),
                "m": phones.stored_form(mobile, where),
            }
        )
    statement = sa.text(
        "UPDATE contact SET phone_normalized = :p, mobile_normalized = :m WHERE id = :id"
    )
    for start in range(0, len(updates), BATCH):
        bind.execute(statement, updates[start : start + BATCH])


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        for name in SQLITE_TRIGGERS:  # 0004's: they would index each backfilled row
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif bind.dialect.name == "postgresql":
        for table, name in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.add_column("record", sa.Column("phone_normalized", sa.String(50), nullable=True))
    op.add_column("contact", sa.Column("phone_normalized", sa.String(50), nullable=True))
    op.add_column("contact", sa.Column("mobile_normalized", sa.String(50), nullable=True))
    op.add_column(
        "system_settings",
        sa.Column("phone_region", sa.String(2), nullable=False, server_default="DE"),
    )
    _fill_normal_forms(bind)
    if sqlite:
        op.execute("DROP TABLE IF EXISTS record_search")
        op.execute(
            "CREATE VIRTUAL TABLE record_search USING fts5("
            "name, city, phone, email, contacts, folded, tokenize = 'trigram')"
        )
        op.execute(SQLITE_FILL)
        for ddl in SQLITE_TRIGGERS.values():
            op.execute(ddl)
        return
    if bind.dialect.name != "postgresql":
        return
    from akquise_desktop.storage.roles import quote, role_names

    roles = {kind: quote(name) for kind, name in role_names(bind).items()}
    path = bind.exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    pinned_path = f"{path}, pg_temp"
    op.execute(PG_FOLD)
    op.execute(PG_FOLD_WORDS)
    for signature in ("akq_fold(text)", "akq_fold_words(text)"):
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {roles['owner']}")
    op.execute("ALTER TABLE record_search_text ADD COLUMN numbers text NOT NULL DEFAULT ''")
    op.execute(PG_REFRESH.replace("@PATH@", pinned_path))
    for ddl in PG_TRIGGERS.values():
        op.execute(ddl)
    # Refilled from scratch, its trigram indexes built afterwards: compact, as
    # after a fresh load (an index kept through the refill held every old
    # entry too until a VACUUM — searches a third slower, measured).
    op.execute("DROP INDEX IF EXISTS ix_record_search_text_trgm")
    op.execute("TRUNCATE record_search_text")
    op.execute(
        "INSERT INTO record_search_text (record_id, doc, numbers) "
        + PG_DOCUMENTS.format(contact_where="", where="")
    )
    op.execute(PG_SEARCH.replace("@PATH@", pinned_path))
    savepoint = bind.begin_nested()
    try:  # as 0006: without pg_trgm no trigram index (the same results, scanned)
        for column in ("doc", "numbers"):
            suffix = "" if column == "doc" else "_numbers"
            bind.exec_driver_sql(
                f"CREATE INDEX ix_record_search_text{suffix}_trgm ON record_search_text "
                f"USING gin ({column} gin_trgm_ops)"
            )
    except Exception as exc:
        savepoint.rollback()
        log.warning("pg_trgm not available (%s): record_search_text without trigram index", exc)
    else:
        savepoint.commit()
    op.execute("ANALYZE record_search_text")


def _earlier(name: str):
    import importlib

    return importlib.import_module(f"akquise_desktop.models.migrations.versions.{name}")


def downgrade() -> None:
    """Back to 0012: the index as 0004 (SQLite) / 0006 and 0011 (PostgreSQL) made
    it, without the normal-form columns."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS record_search")
    elif bind.dialect.name == "postgresql":
        for table, name in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.drop_column("system_settings", "phone_region")
    op.drop_column("contact", "mobile_normalized")
    op.drop_column("contact", "phone_normalized")
    op.drop_column("record", "phone_normalized")
    if sqlite:
        v0004 = _earlier("0004_search_indexes")
        v0004._sqlite_upgrade(bind)
        return
    if bind.dialect.name != "postgresql":
        return
    v0006 = _earlier("0006_record_search_text")
    v0011 = _earlier("0011_search_under_rls")
    path = bind.exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    op.execute(
        v0006.FUNCTIONS["record_search_text_refresh(integer)"].replace(
            "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"
        )
    )
    op.execute(
        "ALTER FUNCTION record_search_text_refresh(integer) SECURITY DEFINER "
        f"SET search_path = {path}, pg_temp"
    )
    op.execute("DROP FUNCTION IF EXISTS akq_fold_words(text)")
    op.execute("DROP FUNCTION IF EXISTS akq_fold(text)")
    for ddl in v0006.TRIGGERS.values():
        op.execute(ddl)
    op.execute("DROP INDEX IF EXISTS ix_record_search_text_numbers_trgm")
    op.execute("ALTER TABLE record_search_text DROP COLUMN IF EXISTS numbers")
    op.execute("DELETE FROM record_search_text")
    op.execute(f"INSERT INTO record_search_text (record_id, doc) {v0006.DOCUMENTS}")
    op.execute(f"DROP FUNCTION IF EXISTS {SEARCH_SIGNATURE}")
    v0011.upgrade()
