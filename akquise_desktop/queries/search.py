"""Record search: the condition behind search-as-you-type.

**What matches.** The search text is split at white space (at most
:data:`MAX_WORDS` words; a phone number written with blanks is one word).
*Every* word must occur, case-insensitively and as a substring anywhere
(``ller`` finds *Müller*), in the record's name, city, phone or e-mail, in the
first or last name of one of its contact persons, or in the digits of their
phone numbers; different words may match in different fields. A word matches
in any of its :func:`forms`: as typed, folded (``Muller``, ``Mueller`` and
``Müller`` alike, ``ß`` as ``ss``, diacritics off — ``core/folding.py``), and,
when it looks like a phone number, by its digits in any format, national or
international, or as a tail of four or more digits (``core/phones.py``).
Control characters are dropped. On SQLite, forms of one or two characters
fold ASCII letters only (they use SQLite's ``LIKE``; longer forms use the
index, which holds the folded text).

**How it is fast** (indexes from the search migration, ``0004``):

* SQLite: the FTS5 table ``record_search`` (trigram tokenizer) holds one row
  per record — name, city, phone, e-mail, the names of all its contact
  persons, and (column ``folded``, migration ``0013``) all that folded plus
  the digits of the record's and its contacts' numbers — kept in step by
  triggers on ``record`` and ``contact``. Words of
  three or more characters are looked up there with ``MATCH``; a trigram index
  cannot answer shorter words, which are checked with ``LIKE`` on the same
  rows (a scan of that one table when every word is short).
* PostgreSQL: the table ``record_search_text`` (migration ``0006``) holds the
  same per record — its document and its contacts' (see :func:`record_document`
  / :func:`contact_document`) and the folded forms of its words, as one text
  (``doc``), and the numbers' digits (``numbers``, ``0013``) — kept exact by
  triggers, with a
  ``pg_trgm`` GIN index on it. Long words are looked up there with ``ILIKE``
  (the trigram index), short ones compared with ``lower(doc) LIKE`` on the same
  rows. Without the extension the same SQL scans that table: same result, just
  slower. (``0006`` dropped ``0004``'s trigram indexes on ``record`` and ``contact``.)
  The look-up runs in the function ``akq_search_records`` (migration ``0011``,
  SECURITY DEFINER): under row-level security the planner may not put the
  ``ILIKE`` (not leakproof) before the policy's condition, so a user's plain
  query could not use the index; the function searches as the tables' owner
  and applies the caller's scope itself (the policy's, with its helper
  functions). Checked record by record (``probe``) the row is read by its
  primary key under the policy, as before: no index to lose there.

:func:`record_match` builds the condition for the database the caller's
session is on; any other database gets a portable form (a scan).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import (
    ARRAY,
    Integer,
    Text,
    and_,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnClause, ColumnElement

from akquise_desktop import models as m
from akquise_desktop.core.folding import fold
from akquise_desktop.core.phones import join_spaced_numbers, number_forms

MAX_WORDS = 8
TRIGRAM = 3  # words shorter than this cannot use a trigram index

# The SQLite full-text table and its FTS5 shadow tables; the PostgreSQL
# indexes. Defined only in the migration (not in the models): see
# :func:`include_object`.
FTS_TABLE = "record_search"
PG_TABLE = "record_search_text"  # PostgreSQL: (record_id, doc), migration 0006
FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
MIGRATION_ONLY_INDEXES = frozenset(
    {
        "ix_record_search_trgm",
        "ix_contact_search_trgm",
        "ix_record_lower_name",
        # 0005, PostgreSQL: NULLs first, for the opposite sort direction
        "ix_record_city_nulls_first",
        "ix_record_phone_nulls_first",
        "ix_record_next_follow_up_nulls_first",
        "ix_record_last_activity_nulls_first",
        # 0006, 0013, PostgreSQL
        "ix_record_search_text_trgm",
        "ix_record_search_text_numbers_trgm",
    }
)


def words(text: str) -> list[str]:
    """The search words of ``text``; control characters (a NUL pasted from
    somewhere, an escape) are removed first — no database takes them in a
    pattern, and no user means them. A phone number written with blanks
    (``+49 221 3712306``) is one word (:func:`core.phones.join_spaced_numbers`)."""
    cleaned = "".join(ch if ch.isspace() or unicodedata.category(ch) != "Cc" else "" for ch in text)
    return [w for w in join_spaced_numbers(cleaned).split() if w][:MAX_WORDS]


def text_forms(word: str) -> tuple[str, ...]:
    """What ``word`` is looked for as in the text: itself (lower case) and its
    folded form (:func:`core.folding.fold`: ``Müller``, ``Mueller`` and
    ``Muller`` all as ``muller``; the index holds the folded text too)."""
    lower, folded = word.lower(), fold(word)
    return (lower,) if folded in ("", lower) else (lower, folded)


def forms(word: str) -> tuple[str, ...]:
    """Everything ``word`` is looked for as — a record matches the word when
    its search text contains one of them: its :func:`text_forms` and, for (part
    of) a phone number, its digits (:func:`core.phones.number_forms`; the index
    holds the digits of every number in E.164)."""
    found = list(text_forms(word))
    found.extend(n for n in number_forms(word) if n not in found)
    return tuple(found)


def _long(word: str) -> bool:
    """Whether a trigram index can answer every form of ``word``."""
    return all(len(form) >= TRIGRAM for form in forms(word))


# For akq_search_records (0013): a word as its text forms joined by ALTERNATIVES,
# NUMBERS, its number forms joined by ALTERNATIVES.
ALTERNATIVES = "\x1f"
NUMBERS = "\x1e"


def _pg_word(word: str) -> str:
    return ALTERNATIVES.join(text_forms(word)) + NUMBERS + ALTERNATIVES.join(number_forms(word))


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _space() -> Any:
    # Constants, not bound parameters: the expression must equal the index's.
    return literal_column("' '")


def _text(column) -> Any:
    return func.coalesce(column, literal_column("''"))


def record_document(record=m.Record) -> ColumnElement[str]:
    """The record's searchable text, exactly as the PostgreSQL trigram index has it."""
    return (
        _text(record.name)
        + _space()
        + _text(record.city)
        + _space()
        + _text(record.phone)
        + _space()
        + _text(record.email)
    )


def contact_document(contact=m.Contact) -> ColumnElement[str]:
    """A contact person's searchable text, as the PostgreSQL trigram index has it."""
    return _text(contact.first_name) + _space() + contact.last_name


def _portable(terms: list[str]) -> ColumnElement[bool]:
    """Every word (one of its forms) in the record's document or in one
    contact's (any dialect; the text as typed, no folded index here)."""
    conditions = []
    for word in terms:
        alternatives = []
        for form in forms(word):
            pattern = _like(form)
            contacts = select(m.Contact.record_id).where(
                contact_document(m.Contact).ilike(pattern, escape="\\")
            )
            alternatives.append(
                or_(
                    record_document(m.Record).ilike(pattern, escape="\\"),
                    m.Record.id.in_(contacts),
                )
            )
        conditions.append(or_(*alternatives))
    return and_(*conditions)


def _contains(text: Any, word: str) -> ColumnElement[bool]:
    """``text`` contains ``word``, case-insensitively: ``lower(text) LIKE``, the
    same comparison as ``ILIKE`` and measured 2.5 times cheaper per row on
    PostgreSQL; it matches no trigram index (those are on the text itself),
    so the planner applies it to the rows at hand."""
    # Both sides lowered by the database: Python's str.lower differs (İ, final Σ).
    return func.lower(text).like(func.lower(_like(word)), escape="\\")


def _probe(terms: list[str]) -> ColumnElement[bool]:
    """Like :func:`_portable`, checked for one record at a time: its own columns,
    then a look at its contacts (by their ``record_id`` index). For walking the
    list's sort order when matches are dense (a dialect other than SQLite and
    PostgreSQL: those have :func:`_sqlite_probe` / :func:`_postgresql_probe`)."""
    conditions = []
    for word in terms:
        alternatives = []
        for form in forms(word):
            in_contact = select(m.Contact.id).where(
                m.Contact.record_id == m.Record.id, _contains(contact_document(m.Contact), form)
            )
            # OFFSET 0: looked at per record; else PostgreSQL hashes every matching
            # contact first (a scan of all contacts before the first row).
            alternatives.append(
                or_(_contains(record_document(m.Record), form), exists(in_contact.offset(0)))
            )
        conditions.append(or_(*alternatives))
    return and_(*conditions)


def _pg_probe_conditions(terms: list[str]) -> list[ColumnElement[bool]]:
    """Every word (one of its forms) in a row of ``record_search_text`` looked
    up by its record: the text forms in ``doc``, the number forms in
    ``numbers``, each with ``lower(…) LIKE`` (:func:`_contains`). (The set of
    all matches comes from the function of migration ``0013``,
    :func:`pg_search`: ``ILIKE`` for long forms there, the trigram indexes can
    answer it.)"""
    doc: ColumnClause[str] = literal_column(f"{PG_TABLE}.doc")
    numbers: ColumnClause[str] = literal_column(f"{PG_TABLE}.numbers")
    return [
        or_(
            *(_contains(doc, form) for form in text_forms(word)),
            *(_contains(numbers, form) for form in number_forms(word)),
        )
        for word in terms
    ]


PG_FUNCTION = "akq_search_records"  # PostgreSQL: migration 0011


def pg_search(terms: list[str], limit: int | None = None) -> Select[int]:
    """The ids of the records matching every word of ``terms`` that the session's
    user may see — at most ``limit`` (None: all), in no particular order — from
    ``akq_search_records`` (migrations ``0011``, ``0013``): one look-up in
    ``record_search_text`` (one row per record: its text and its contacts',
    folded too, and the digits of their numbers) with each word's
    :func:`forms` as alternatives, the long forms through its trigram index,
    the short ones checked on the rows that index found (or on all rows, when
    every word has a short form)."""
    args: list[Any] = [literal([_pg_word(w) for w in terms], ARRAY(Text))]
    if limit is not None:
        args.append(literal(limit, Integer))
    found = getattr(func, PG_FUNCTION)(*args).table_valued(column("record_id", Integer))
    return select(found.c.record_id)


def _postgresql(terms: list[str]) -> ColumnElement[bool]:
    """Like :func:`_portable`: among the ids :func:`pg_search` finds."""
    return m.Record.id.in_(pg_search(terms))


def _postgresql_probe(terms: list[str]) -> ColumnElement[bool]:
    """Like :func:`_postgresql`, checked for one record at a time (walking the
    list's sort order): its one row of ``record_search_text``, by primary key.
    OFFSET 0: else PostgreSQL may turn the EXISTS into a hash of every matching
    row (a scan of the whole table before the first record)."""
    row: Select[int] = (
        select(literal_column("1"))
        .select_from(table(PG_TABLE))
        .where(
            literal_column(f"{PG_TABLE}.record_id") == m.Record.id,
            *_pg_probe_conditions(terms),
        )
        .offset(0)
    )
    return exists(row)


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


FTS_COLUMNS = ("name", "city", "phone", "email", "contacts", "folded")


def _match_query(terms: list[str]) -> str:
    """The FTS5 query for words whose forms are all long: each word as the OR
    of its forms, the words joined by AND."""
    return " AND ".join("(" + " OR ".join(_quoted(form) for form in forms(w)) + ")" for w in terms)


def _sqlite_short(word: str) -> ColumnElement[bool]:
    """A word with a form too short for the trigram index: ``LIKE`` of each form
    on each column of the record's row."""
    return or_(
        *(
            literal_column(f"{FTS_TABLE}.{column}").like(_like(form), escape="\\")
            for form in forms(word)
            for column in FTS_COLUMNS
        )
    )


def _sqlite_conditions(terms: list[str]) -> list[ColumnElement[bool]]:
    long_words = [w for w in terms if _long(w)]
    conditions: list[ColumnElement[bool]] = []
    if long_words:
        conditions.append(literal_column(FTS_TABLE).op("MATCH")(_match_query(long_words)))
    conditions.extend(_sqlite_short(w) for w in terms if not _long(w))
    return conditions


def short_only(text: str) -> bool:
    """True when every word of ``text`` is too short for a trigram index (and
    there is at least one): such a search cannot narrow the records by an index."""
    terms = words(text)
    return bool(terms) and not any(_long(w) for w in terms)


def candidates(dialect: str, text: str, conditions: list, limit: int) -> Select:
    """At most ``limit`` ids of records matching ``text`` and ``conditions``, in no
    particular order, as a query that stops once it has them: on SQLite it reads
    the FTS5 table and looks each hit up in ``record`` (an ``IN`` would first
    collect every match); on PostgreSQL without other conditions it asks
    :func:`pg_search` alone; elsewhere the ordinary condition."""
    terms = words(text)
    if dialect == "sqlite" and terms:
        rowid: ColumnClause[int] = literal_column(f"{FTS_TABLE}.rowid")
        return (
            select(m.Record.id)
            .select_from(table(FTS_TABLE))
            .join(m.Record, m.Record.id == rowid)
            .where(*_sqlite_conditions(terms), *conditions)
            .limit(limit)
        )
    if dialect == "postgresql" and terms and not conditions:
        # The search's own ids (one row of the search text per record, visible
        # as its record): no join needed; the function stops at the limit.
        return pg_search(terms, limit)
    match = record_match(text, dialect)
    return (
        select(m.Record.id).where(*([match] if match is not None else []), *conditions).limit(limit)
    )


def _sqlite_probe(terms: list[str]) -> ColumnElement[bool]:
    """For walking the sort order: long words as the (index-made) set of their
    matches — a check of ``MATCH`` per record would run the full-text query each
    time — and short words checked on the record's one FTS5 row, by ``rowid``."""
    conditions = []
    long_words = [w for w in terms if _long(w)]
    if long_words:
        conditions.append(_sqlite(long_words))
    short_words = [w for w in terms if not _long(w)]
    if short_words:
        row: Select[int] = (
            select(literal_column("1"))
            .select_from(table(FTS_TABLE))
            .where(
                literal_column(f"{FTS_TABLE}.rowid") == m.Record.id,
                *_sqlite_conditions(short_words),
            )
        )
        conditions.append(exists(row))
    return and_(*conditions)


def _sqlite(terms: list[str]) -> ColumnElement[bool]:
    """One look-up in the FTS5 table: long words through the trigram index (``MATCH``),
    short ones with ``LIKE`` on the same rows — after the ``MATCH`` narrowed them, or
    in one pass over the table's 100,000 rows when every word is short (still far
    cheaper than ``LIKE`` on records plus a probe of their contacts)."""
    conditions = _sqlite_conditions(terms)
    rows: Select[int] = (
        select(literal_column("rowid")).select_from(table(FTS_TABLE)).where(*conditions)
    )
    return m.Record.id.in_(rows)


def record_match(text: str, dialect: str, *, probe: bool = False) -> ColumnElement[bool] | None:
    """A WHERE condition on ``Record`` for ``text``, in the form for ``dialect``
    (the session's database: ``session.get_bind().dialect.name``); None for an
    empty search. ``probe``: shaped to be checked record by record (while the
    list walks its sort index and stops after a page), not to compute the set
    of all matches."""
    terms = words(text)
    if not terms:
        return None
    if dialect == "sqlite":
        return _sqlite_probe(terms) if probe else _sqlite(terms)
    if dialect == "postgresql":
        return _postgresql_probe(terms) if probe else _postgresql(terms)
    return _probe(terms) if probe else _portable(terms)


# --- maintenance ------------------------------------------------------------------------


def _index_sql():
    """The migration that defines the search index as it is now (``0013``):
    its SQL fills the index."""
    import importlib

    return importlib.import_module(
        "akquise_desktop.models.migrations.versions.0013_search_folding_phones"
    )


def rebuild_index(conn: Connection) -> bool:
    """Refill the search table from ``record`` and ``contact`` (after a bulk load
    with its triggers off): SQLite's full-text table, PostgreSQL's
    ``record_search_text``. Returns whether there was a table to refill."""
    index = _index_sql()
    if conn.dialect.name == "postgresql":
        found = conn.exec_driver_sql(f"SELECT to_regclass('{PG_TABLE}')").scalar()
        if found is None:
            return False
        conn.exec_driver_sql(f"DELETE FROM {PG_TABLE}")
        conn.exec_driver_sql(
            f"INSERT INTO {PG_TABLE} (record_id, doc, numbers) "
            + index.PG_DOCUMENTS.format(contact_where="", where="")
        )
        return True
    if conn.dialect.name != "sqlite":
        return False
    exists_ = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
    ).first()
    if exists_ is None:
        return False
    conn.exec_driver_sql(f"DELETE FROM {FTS_TABLE}")
    conn.exec_driver_sql(index.SQLITE_FILL)
    return True


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """For Alembic's ``include_object``: leave out what only the search migration
    defines (the FTS5 tables on SQLite, the trigram and expression indexes), so a
    comparison of the database with the models does not report them."""
    if not reflected or compare_to is not None or name is None:
        return True
    if type_ == "table":
        return not (
            name in (FTS_TABLE, PG_TABLE)
            or any(name == FTS_TABLE + suffix for suffix in FTS_SHADOW_SUFFIXES)
        )
    if type_ == "index":
        return name not in MIGRATION_ONLY_INDEXES
    return True
