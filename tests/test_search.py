"""Record search: its semantics on both backends, the index staying in step with
the data, the indexes actually being used, and the migration that makes them."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, select, update

from akquise_desktop import models as m
from akquise_desktop.controller import ContactData, RecordData
from akquise_desktop.core.folding import fold
from akquise_desktop.queries import search
from akquise_desktop.queries.search import MAX_WORDS, record_match
from akquise_desktop.storage.roles import role_names
from akquise_desktop.storage.schema import alembic_config
from tests.conftest import APP_ROLE_SUFFIX
from tests.factories import make_world


def _upgrade_to_head(conn) -> None:
    """Back to head after a downgrade below 0009. PostgreSQL: that dropped the
    group roles and the upgrade made them anew — the test suite's application
    role (conftest ``_pg_app``) is made a member again, for the later tests."""
    command.upgrade(alembic_config(conn), "head")
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql("RESET ROLE")  # the migrations ended as the owner role
    roles = role_names(conn)
    app = f"{conn.exec_driver_sql('SELECT current_database()').scalar()}{APP_ROLE_SUFFIX}"
    if conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (app,)).first():
        conn.exec_driver_sql(f'GRANT "{roles["users"]}", "{roles["admins"]}" TO "{app}"')


def _find(db, text: str) -> list[str]:
    condition = record_match(text, db.engine.dialect.name)
    assert condition is not None
    with db.read() as s:
        return sorted(s.scalars(select(m.Record.name).where(condition)))


@pytest.fixture
def world(request, db):
    # These tests change rows and the schema behind the application's back and
    # read the planner's choices: as the superuser (row-level security keeps
    # the trigram index out of a user's plan — see migration 0009).
    if not db.is_sqlite:
        db = request.getfixturevalue("pg_superuser_db")
    w = make_world(db)
    ctl = w.sales
    first = ctl.create_record(
        RecordData(
            name="Müller Maschinenbau GmbH",
            city="Köln",
            phone="0221 123456",
            email="info@mueller-maschinen.example",
        )
    ).result_id
    ctl.add_contact(first, ContactData(last_name="Schmidt", first_name="Annegret"))
    second = ctl.create_record(RecordData(name="Weber & Sohn KG", city="Berlin")).result_id
    ctl.add_contact(second, ContactData(last_name="Müller", first_name="Thomas"))
    ctl.create_record(RecordData(name="MÜLLERSHOF AG", city="Hamburg", phone="040 77 88 99"))
    ctl.create_record(RecordData(name="Rabatt 100% Handel_Nord", city="Bremen"))
    return w, first, second


def test_every_word_must_match_somewhere(world):
    w, _, _ = world
    db = w.db
    assert _find(db, "müller") == ["MÜLLERSHOF AG", "Müller Maschinenbau GmbH", "Weber & Sohn KG"]
    assert _find(db, "MÜLLER") == _find(db, "müller")  # Unicode case folding
    assert _find(db, "ller köln") == ["Müller Maschinenbau GmbH"]  # substrings, two fields
    assert _find(db, "annegret köln") == ["Müller Maschinenbau GmbH"]  # contact + city
    assert _find(db, "thomas berlin") == ["Weber & Sohn KG"]
    assert _find(db, "schmidt berlin") == []  # each word somewhere, but not the same record
    assert _find(db, "0221 1234") == ["Müller Maschinenbau GmbH"]  # phone
    assert _find(db, "mueller-maschinen.example") == ["Müller Maschinenbau GmbH"]  # e-mail
    assert _find(db, "  Köln   gmbh ") == ["Müller Maschinenbau GmbH"]


def test_short_words_and_mixed_lengths(world):
    w, _, _ = world
    db = w.db
    assert _find(db, "kg") == ["Weber & Sohn KG"]
    assert _find(db, "77") == ["MÜLLERSHOF AG"]
    assert _find(db, "ag hamburg") == ["MÜLLERSHOF AG"]
    assert _find(db, "q") == []


def test_wildcards_and_quotes_are_plain_characters(world):
    w, _, _ = world
    db = w.db
    assert _find(db, "100%") == ["Rabatt 100% Handel_Nord"]
    assert _find(db, "%") == ["Rabatt 100% Handel_Nord"]
    assert _find(db, "l_n") == ["Rabatt 100% Handel_Nord"]
    assert _find(db, "_") == ["Rabatt 100% Handel_Nord"]
    assert _find(db, 'mül"ler') == []
    assert _find(db, "müller AND weber") == []  # no query syntax: "AND" is a word
    assert _find(db, "müller*") == []


def test_empty_text_and_word_limit(world):
    w, _, _ = world
    assert record_match("", "sqlite") is None
    assert record_match("   \t ", "postgresql") is None
    assert search.words(" ".join(f"w{i}" for i in range(20))) == [f"w{i}" for i in range(MAX_WORDS)]
    # the ninth word is ignored
    assert _find(w.db, "müller " * MAX_WORDS + "gibtesnicht") == _find(w.db, "müller")


def test_the_index_follows_every_change(world):
    w, first, second = world
    db, ctl = w.db, w.sales
    with db.read() as s:
        record = s.get(m.Record, first)
        contact = s.scalars(select(m.Contact).where(m.Contact.record_id == first)).one()
    ctl.update_record(
        first, RecordData(name="Neumann Logistik GmbH", city="Essen"), expected_version=1
    )
    assert _find(db, "maschinenbau") == []
    assert _find(db, "logistik essen") == ["Neumann Logistik GmbH"]
    assert _find(db, "annegret essen") == ["Neumann Logistik GmbH"]  # contacts kept
    ctl.update_contact(
        contact.id, ContactData(last_name="Krause", first_name="Annegret"), expected_version=1
    )
    assert _find(db, "schmidt") == []
    assert _find(db, "krause") == ["Neumann Logistik GmbH"]
    ctl.add_contact(first, ContactData(last_name="Zimmermann", first_name="Jörg"))
    assert _find(db, "jörg krause") == ["Neumann Logistik GmbH"]  # two contacts
    assert _find(db, "zimmermann") == ["Neumann Logistik GmbH"]
    rid = ctl.create_record(RecordData(name="Brandneu OHG")).result_id
    assert _find(db, "brandneu") == ["Brandneu OHG"]
    with db.write() as s:  # deleting cascades to contacts; the index forgets both
        s.execute(delete(m.Record).where(m.Record.id == second))
    assert _find(db, "thomas") == []
    assert record.id == first and rid


def test_same_statement_shape_with_other_words(world):
    """The construct takes part in SQL caching: other words, other results."""
    w, _, _ = world
    assert _find(w.db, "weber") == ["Weber & Sohn KG"]
    assert _find(w.db, "bremen") == ["Rabatt 100% Handel_Nord"]
    assert _find(w.db, "weber köln") == []
    assert _find(w.db, "sohn berlin") == ["Weber & Sohn KG"]


def _plan(db, sql: str, *, off: tuple[str, ...] = ("seqscan",)) -> str:
    """The query plan; on PostgreSQL with the named plan types off (the test tables
    are tiny: the planner would rightly scan them)."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
            return "\n".join(str(r[-1]) for r in rows)
        with conn.begin():
            for kind in off:
                conn.exec_driver_sql(f"SET LOCAL enable_{kind} = off")
            rows = conn.exec_driver_sql("EXPLAIN " + sql).all()
        return "\n".join(r[0] for r in rows)


def test_search_uses_the_indexes(world):
    w, _, _ = world
    db = w.db
    query = select(m.Record.id).where(record_match("müller köln", db.engine.dialect.name))
    with db.engine.connect() as conn:
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
    # Scans of a tiny table (the whole table, or its primary key in order) are
    # off: with them the planner may rightly prefer one, depending on when the
    # statistics were last gathered.
    if db.is_sqlite:
        plan = _plan(db, str(compiled), off=("seqscan", "indexscan"))
        assert "record_search VIRTUAL TABLE" in plan
    else:  # the look-up runs in akq_search_records (0011): its statement's plan
        plan = _nested_plans(db, str(compiled), off=("seqscan", "indexscan"))
        assert "Bitmap Index Scan on ix_record_search_text_trgm" in plan
        # as a user: tests/test_search_rls.py


def _nested_plans(db, sql: str, *, off: tuple[str, ...]) -> str:
    """PostgreSQL: the plans of ``sql`` and of the statements it runs in functions
    (auto_explain, its messages sent to this client; as the superuser)."""
    messages: list[str] = []
    with db.engine.connect() as conn:
        conn.connection.driver_connection.add_notice_handler(
            lambda diag: messages.append(diag.message_primary or "")
        )
        with conn.begin():
            conn.exec_driver_sql("LOAD 'auto_explain'")
            for setting in (
                "auto_explain.log_min_duration = 0",
                "auto_explain.log_nested_statements = on",
                "client_min_messages = log",
                *(f"enable_{kind} = off" for kind in off),
            ):
                conn.exec_driver_sql(f"SET LOCAL {setting}")
            conn.exec_driver_sql(sql).all()
    return "\n".join(messages)


def test_sort_by_name_uses_the_expression_index(db):
    plan = _plan(
        db,
        "SELECT id FROM record ORDER BY lower(name), id LIMIT 50",
        off=("seqscan", "bitmapscan", "sort"),
    )
    assert "ix_record_lower_name" in plan


def test_migration_indexes_existing_rows(world):
    w, _, _ = world
    db = w.db
    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    with db.engine.begin() as conn:
        _upgrade_to_head(conn)
    assert _find(db, "annegret köln") == ["Müller Maschinenbau GmbH"]
    assert _find(db, "thomas") == ["Weber & Sohn KG"]


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_schema_comparison_leaves_out_the_search_objects(db):
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_object": search.include_object}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), m.Base.metadata)
        unfiltered = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), m.Base.metadata
        )
    assert diff == []
    reported = {str(d) for d in unfiltered}
    assert any("ix_record_lower_name" in r or "record_search" in r for r in reported)


# --- PostgreSQL: record_search_text (0006) -------------------------------------------------


def _expected_texts(db) -> dict[int, tuple[str, str]]:
    """Each record's search text, computed here from the models: the text as
    typed, folded, and the digits of the numbers' normal forms (0013)."""
    with db.read() as s:
        records = s.scalars(select(m.Record)).all()
        contacts = s.scalars(select(m.Contact).order_by(m.Contact.id)).all()
        names: dict[int, list[str]] = {}
        numbers: dict[int, list[str]] = {}
        for c in contacts:
            names.setdefault(c.record_id, []).append(f"{c.first_name or ''} {c.last_name}")
            numbers.setdefault(c.record_id, []).append(
                " ".join(n for n in (c.phone_normalized, c.mobile_normalized) if n is not None)
            )
        texts = {}
        for r in records:
            plain = (
                " ".join([r.name or "", r.city or "", r.phone or "", r.email or ""])
                + " "
                + " ".join(names.get(r.id, []))
            )
            contact_numbers = " ".join(numbers[r.id]) if r.id in numbers else None
            digits = " ".join(n for n in (r.phone_normalized, contact_numbers) if n is not None)
            folded = " ".join(f for w in plain.split() if (f := fold(w)) != w.lower())
            texts[r.id] = (f"{plain} {folded}", digits.replace("+", ""))
        return texts


def _stored_texts(db) -> dict[int, tuple[str, str]]:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT record_id, doc, numbers FROM {search.PG_TABLE}").all()
    return {rid: (doc, numbers) for rid, doc, numbers in rows}


def test_search_text_follows_records_and_contacts(world):
    """Inserts, updates and deletes of records and contacts, a contact moved to
    another record: the search finds what is there (both databases) and, on
    PostgreSQL, the table holds exactly each record's text."""
    w, first, second = world
    db, ctl = w.db, w.sales

    def check() -> None:
        if not db.is_sqlite:
            assert _stored_texts(db) == _expected_texts(db)

    check()
    ctl.update_record(
        first, RecordData(name="Neumann Logistik GmbH", city="Essen"), expected_version=1
    )
    check()
    with db.read() as s:
        annegret = s.scalars(select(m.Contact).where(m.Contact.record_id == first)).one()
    ctl.add_contact(first, ContactData(last_name="Zimmermann", first_name="Jörg"))
    check()
    with db.write() as s:  # moved: gone from the one record, found with the other
        s.execute(update(m.Contact).where(m.Contact.id == annegret.id).values(record_id=second))
    check()
    assert _find(db, "annegret") == ["Weber & Sohn KG"]
    assert _find(db, "annegret thomas") == ["Weber & Sohn KG"]
    assert _find(db, "annegret essen") == []
    assert _find(db, "jörg essen") == ["Neumann Logistik GmbH"]
    with db.write() as s:  # a contact deleted
        s.execute(delete(m.Contact).where(m.Contact.last_name == "Zimmermann"))
    check()
    assert _find(db, "zimmermann") == []
    with db.write() as s:  # a plain column update, not by the controller
        s.execute(update(m.Record).where(m.Record.id == second).values(phone="089 55 66"))
    check()
    assert _find(db, "55 annegret") == ["Weber & Sohn KG"]
    with db.write() as s:
        s.execute(delete(m.Record).where(m.Record.id == second))
    check()
    assert _find(db, "annegret") == []
    if not db.is_sqlite:
        assert second not in _stored_texts(db)


def test_search_text_migration_down_and_up(world):
    w, _, _ = world
    db = w.db
    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0005")
    with db.engine.connect() as conn:
        assert conn.dialect.name == "sqlite" or (
            conn.exec_driver_sql(f"SELECT to_regclass('{search.PG_TABLE}')").scalar() is None
            and conn.exec_driver_sql(
                "SELECT count(*) FROM pg_proc WHERE starts_with(proname, 'record_search_text')"
            ).scalar()
            == 0
        )
    with db.engine.connect() as conn:  # 0005's trigram indexes are back, 0006 drops them
        indexes = {"ix_record_search_trgm", "ix_contact_search_trgm"}
        if not db.is_sqlite:
            found = {
                name
                for (name,) in conn.exec_driver_sql(
                    "SELECT indexname FROM pg_indexes WHERE indexname IN ('ix_record_search_trgm', "
                    "'ix_contact_search_trgm', 'ix_record_search_text_trgm')"
                )
            }
            assert found == indexes
    with db.engine.begin() as conn:
        _upgrade_to_head(conn)
    if not db.is_sqlite:
        assert _stored_texts(db) == _expected_texts(db)
        with db.engine.connect() as conn:
            left = conn.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE indexname IN ('ix_record_search_trgm', "
                "'ix_contact_search_trgm', 'ix_record_search_text_trgm')"
            ).all()
            assert left == [] or left == [("ix_record_search_text_trgm",)]
    assert _find(db, "annegret köln") == ["Müller Maschinenbau GmbH"]
    assert _find(db, "thomas be") == ["Weber & Sohn KG"]
    with db.engine.begin() as conn:  # the refill after a bulk load
        assert search.rebuild_index(conn)
    if not db.is_sqlite:
        assert _stored_texts(db) == _expected_texts(db)


def test_case_folding_is_the_databases_on_every_path(db, monkeypatch):
    """The set and the per-record paths fold case alike, by the database's
    lower() on both sides: Python's str.lower differs for İ (and final Σ).
    (SQLite: the folded index, migration 0013, has İ as i.)"""
    from akquise_desktop.queries import records as q

    world = make_world(db)
    rid = world.record("İstanbul Grill")
    for text in ("İstanbul", "İs", "istanbul grill"):
        with db.read() as s:
            assert q.record_page(s, q.RecordCriteria(text=text)).rows[0].id == rid, text
    monkeypatch.setattr(q.limits, "SMALL_RESULT", 1)  # the per-record (probe) path
    monkeypatch.setattr(q.limits, "LARGE_RESULT", 1)
    for text in ("İstanbul", "İs"):
        with db.read() as s:
            assert [r.id for r in q.record_page(s, q.RecordCriteria(text=text)).rows] == [rid], text


def test_search_text_keeps_both_of_two_concurrent_writers(db):
    """Two users add a contact person to the same record at once: the second
    writer waits for the first, and the record's search text has both names
    (PostgreSQL's trigger; SQLite has one writer at a time)."""
    if db.is_sqlite:
        pytest.skip("SQLite runs one write transaction at a time")
    import threading

    world = make_world(db)
    rid = world.record("Gleichzeitig GmbH")
    insert = (
        "INSERT INTO contact (record_id, last_name, version, created_at, updated_at) "
        "VALUES (%s, %s, 1, %s, %s)"
    )
    now = world.clock.now()
    first = db.engine.raw_connection()
    second = db.engine.raw_connection()
    try:
        first.cursor().execute(insert, (rid, "Einsmann", now, now))  # not committed yet
        done = threading.Event()

        def other_user() -> None:
            second.cursor().execute(insert, (rid, "Zweimann", now, now))  # waits for the first
            second.commit()
            done.set()

        thread = threading.Thread(target=other_user)
        thread.start()
        assert not done.wait(0.5)  # queued behind the first writer
        first.commit()
        thread.join(10)
        assert done.is_set()
    finally:
        first.close()
        second.close()
    doc, _numbers = _stored_texts(db)[rid]
    assert "Einsmann" in doc and "Zweimann" in doc, doc
    assert _find(db, "einsmann") == _find(db, "zweimann") == ["Gleichzeitig GmbH"]


def test_control_characters_in_the_search_text_are_left_out(world, db):
    """A NUL (pasted from somewhere) or an escape in the search box is no
    database error: it is removed, the rest is searched."""
    from akquise_desktop.queries.records import RecordCriteria, record_page

    w, _, _ = world
    assert search.words("mül\x00ler \x1b köln\x07") == ["müller", "köln"]
    assert _find(w.db, "mül\x00ler") == _find(w.db, "müller")
    assert record_match("\x00 \x01", "postgresql") is None
    # the list's own path, as the application's role (PostgreSQL: the search function)
    with db.read() as s:
        page = record_page(s, RecordCriteria(text="Mül\x00ler Kö\x00ln"), None, 50)
    assert [row.name for row in page.rows] == ["Müller Maschinenbau GmbH"]
