"""The record search under row-level security (migration 0011): the function
``akq_search_records`` answers a user's search through the trigram index and
returns exactly what the user's RLS-filtered ``ILIKE`` returns — for users of
different teams and scopes — and nobody searches in another user's scope.

Users log in as their own roles (as in ``test_rls.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from akquise_desktop.controller import ContactData, Controller, RecordData, RoleGroupData, bootstrap
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries import records, search
from akquise_desktop.queries.links import READ_MODULES
from akquise_desktop.storage import Database
from akquise_desktop.storage.roles import role_names

from .conftest import reset_database
from .factories import pinned_clock

pytestmark = pytest.mark.postgresql

SIGNATURE = "akq_search_records(text[], integer, name)"
INDEX = "ix_record_search_text_trgm"
# Plan types off where a test reads the planner's choice: the test tables are
# tiny, and for a user of a few records their owners' index and a look-up of
# each record's search text by primary key (a nested loop) are rightly cheaper.
# With these off only an index condition on the search text reads it without
# a sequential scan: the trigram index.
OFF = ("seqscan", "indexscan", "nestloop")

# user -> (role group, team): the widest of the read modules' scopes decides.
USERS = {
    "nord": ("team", "Nord"),
    "nord_own": ("own", "Nord"),
    "sued": ("team", "Süd"),
    "solo": ("team", None),  # team scope without a team: own records only
    "office": ("all", "Innendienst"),
    "blind": ("none", "Nord"),
    "chain": ("chain", "Süd"),  # records none, activities team: visible by the chain
}
GROUPS = {
    "team": {
        Module.RECORDS: Scope.TEAM,
        Module.CONTACTS: Scope.TEAM,
        Module.ACTIVITIES: Scope.TEAM,
    },
    "own": dict.fromkeys(READ_MODULES, Scope.OWN),
    "all": {Module.RECORDS: Scope.ALL, Module.CONTACTS: Scope.ALL},
    "none": {Module.STATISTICS: Scope.ALL},
    "chain": {Module.RECORDS: Scope.NONE, Module.ACTIVITIES: Scope.TEAM},
}
# (name, city, owner, contacts)
RECORDS = [
    ("Müller Maschinenbau GmbH", "Köln", "nord", [("Annegret", "Schmidt")]),
    ("Weber & Sohn KG", "Berlin", "nord_own", [("Thomas", "Müller")]),
    ("MÜLLERSHOF AG", "Hamburg", "sued", []),
    ("Schmidt Logistik AG", "Köln", "sued", [("Jörg", "Weber")]),
    ("Rabatt 100% Handel_Nord", "Bremen", "solo", [("Eva", "Müller")]),
    ("Kölner Müllerei", "Köln", "office", []),
    ("Bäckerei Schmidt", "Köln", "chain", [("Paul", "Müllerschön")]),
    ("Nordlicht AG", "Kiel", None, []),  # no owner: for scope "all" only
]
SEARCHES = [
    ["müller"],
    ["MÜLLER"],
    ["köln"],
    ["ller", "köln"],
    ["schmidt", "köln"],
    ["ag"],
    ["ag", "hamburg"],
    ["k"],
    ["100%"],
    ["_"],
    ["l_n"],
    ["gibtesnicht"],
    ["müller", "weber"],
]


@dataclass
class Users:
    su: Database
    app: Database  # the test suite's application role: a service administrator
    dbs: dict[str, Database]  # each user through their own login
    logins: dict[str, str]
    ids: dict[str, int]

    def engine(self, who: str) -> Engine:
        return self.app.engine if who == "app" else self.dbs[who].engine


@pytest.fixture
def users(pg_url, pg_superuser_db, _pg_app) -> Iterator[Users]:
    reset_database(pg_superuser_db)
    db = _pg_app
    clock = pinned_clock()
    base = make_url(pg_url)
    admin = Controller(db, bootstrap(db, "admin", "Admin"), clock=clock)
    groups: dict[str, int] = {}
    for key, rights in GROUPS.items():
        group_id = admin.create_role_group(RoleGroupData(f"g-{key}", rights=rights)).result_id
        assert group_id is not None
        groups[key] = group_id
    teams = {
        name: admin.create_team(name).result_id
        for name in {team for _group, team in USERS.values() if team}
    }
    logins = {who: f"{base.database}_s_{who}" for who in USERS}
    ids: dict[str, int] = {}
    for who, (group, team) in USERS.items():
        result = admin.create_user(
            logins[who],
            who.title(),
            role_group_id=groups[group],
            team_id=teams[team] if team else None,
        )
        assert result.result_id is not None
        ids[who] = result.result_id
    for name, city, owner, contacts in RECORDS:
        owner_id = ids[owner] if owner else None
        rid = admin.create_record(RecordData(name=name, city=city, owner_id=owner_id)).result_id
        assert rid is not None
        for first, last in contacts:
            admin.add_contact(rid, ContactData(last_name=last, first_name=first))
    if any(owner is None for _n, _c, owner, _k in RECORDS):
        with pg_superuser_db.engine.begin() as conn:  # the controller gives every record an owner
            conn.execute(text("UPDATE record SET owner_id = NULL WHERE name = 'Nordlicht AG'"))
    dbs = {who: Database(base.set(username=logins[who])) for who in USERS}
    try:
        yield Users(pg_superuser_db, db, dbs, logins, ids)
    finally:
        for d in dbs.values():
            d.dispose()


def _function(conn: Connection, terms: list[str], limit: int | None = None) -> set[int]:
    return set(conn.execute(search.pg_search(terms, limit)).scalars())


def _rls_ilike(conn: Connection, terms: list[str]) -> set[int]:
    """The search as it ran before 0011: the plain query on ``record_search_text``
    under the caller's policies (long words ``ILIKE``, short ones ``lower LIKE``)."""
    conditions, params = [], {}
    for n, word in enumerate(terms):
        params[f"p{n}"] = search._like(word)
        if len(word) >= search.TRIGRAM:
            conditions.append(f"doc ILIKE :p{n} ESCAPE '\\'")
        else:
            conditions.append(f"lower(doc) LIKE lower(:p{n}) ESCAPE '\\'")
    sql = f"SELECT record_id FROM record_search_text WHERE {' AND '.join(conditions)}"
    return set(conn.execute(text(sql), params).scalars())


def test_the_function_returns_what_the_policies_let_through(users):
    seen: dict[str, set[int]] = {}
    for who in [*USERS, "app"]:
        with users.engine(who).connect() as conn:
            visible = set(conn.execute(text("SELECT id FROM record")).scalars())
            seen[who] = visible
            for terms in SEARCHES:
                expected = _rls_ilike(conn, terms)
                assert _function(conn, terms) == expected, (who, terms)
                assert expected <= visible
                for limit in (1, 2):
                    few = _function(conn, terms, limit)
                    assert few <= expected and len(few) == min(limit, len(expected)), (who, limit)
            assert _function(conn, []) == visible  # no words: every visible record
    # The users see different parts: the comparison above is not trivial.
    assert seen["blind"] == set()
    assert seen["office"] == seen["app"] and len(seen["app"]) == len(RECORDS)
    assert len({frozenset(v) for v in seen.values()}) == 6  # chain = sued, app = office
    assert seen["nord_own"] < seen["nord"] and not seen["nord"] & seen["sued"]
    assert seen["chain"] == seen["sued"]  # the activities' team scope makes records visible
    with users.engine("nord").connect() as conn:
        assert len(_function(conn, ["müller"])) == 2  # of 6 records with "müller"


def test_the_application_search_finds_the_same_for_each_user(users):
    """``record_page``, ``record_ids`` and ``record_total`` (the function behind
    them) agree with the RLS-filtered search, sorted and paged by key."""
    for who in ("nord", "sued", "office", "solo"):
        db = users.dbs[who]
        for terms in (["müller"], ["köln"], ["ag"], ["ller", "köln"]):
            criteria = records.RecordCriteria(text=" ".join(terms))
            with db.engine.connect() as conn:
                expected = _rls_ilike(conn, terms)
            with db.read() as s:
                ids = records.record_ids(s, criteria)
                assert set(ids) == expected and len(ids) == len(expected), (who, terms)
                total = records.record_total(s, criteria)
                assert (total.value, total.exact) == (len(expected), True)
                pages, after = [], None
                while True:  # pages of one row, by key
                    page = records.record_page(s, criteria, after, 1)
                    if not page.rows:
                        break
                    pages += [row.id for row in page.rows]
                    after = page.rows[-1].key
                assert pages == ids, (who, terms)  # display order, every match once


def test_keyset_paging_of_many_matches_walks_and_sorts(users, monkeypatch):
    """With the small-result cap lowered the list walks the sort order (the
    probe per record) and falls back on every match (the function as a set)."""
    monkeypatch.setattr(records.limits, "SMALL_RESULT", 1)
    monkeypatch.setattr(records.limits, "LARGE_RESULT", 1)
    monkeypatch.setattr(records.limits, "PROBE_WINDOW", 1)
    for who in ("nord", "office"):
        db = users.dbs[who]
        for text_, descending in (("müller", False), ("köln", True), ("ag", False)):
            criteria = records.RecordCriteria(text=text_, sort="name", descending=descending)
            with db.engine.connect() as conn:
                expected = _rls_ilike(conn, text_.split())
            with db.read() as s:
                ids = records.record_ids(s, criteria)
                rows, after = [], None
                while True:
                    page = records.record_page(s, criteria, after, 2)
                    if not page.rows:
                        break
                    rows += [row.id for row in page.rows]
                    after = page.rows[-1].key
            assert rows == ids and set(ids) == expected, (who, text_)


def test_nobody_searches_in_another_users_scope(users):
    office, nord = users.logins["office"], users.logins["nord"]
    with users.engine("nord").connect() as conn:
        mine = conn.execute(
            text("SELECT count(*) FROM akq_search_records(ARRAY['köln'], NULL, :who)"),
            {"who": nord},
        ).scalar()
        assert mine == 1
        for who in (office, "postgres", "no_such_role"):
            with pytest.raises(DBAPIError) as caught:
                conn.execute(
                    text("SELECT * FROM akq_search_records(ARRAY['köln'], NULL, :who)"),
                    {"who": who},
                )
            conn.rollback()
            assert "no search in the scope of" in str(caught.value.orig)
    with users.su.engine.connect() as conn:  # may become anyone: the scope of whom it names
        as_nord = conn.execute(
            text("SELECT record_id FROM akq_search_records(ARRAY['köln'], NULL, :who)"),
            {"who": nord},
        ).scalars()
        as_office = conn.execute(
            text("SELECT record_id FROM akq_search_records(ARRAY['köln'], NULL, :who)"),
            {"who": office},
        ).scalars()
        assert len(list(as_nord)) == 1 and len(list(as_office)) == 4


def test_the_function_is_the_owners_and_only_for_users(users):
    with users.su.engine.connect() as conn:
        roles = role_names(conn)
        owner, definer, config, acl = conn.execute(
            text(
                "SELECT pg_get_userbyid(proowner), prosecdef, proconfig, proacl::text[] "
                "FROM pg_proc WHERE oid = to_regprocedure(:sig)"
            ),
            {"sig": SIGNATURE},
        ).one()
        assert owner == roles["owner"] and definer
        assert any(c.startswith("search_path=") for c in config)
        grantees = {entry.split("=")[0] for entry in acl}
        assert "" not in grantees  # not PUBLIC
        assert grantees == {roles["owner"], roles["users"]}
        conn.execute(text('CREATE ROLE "akq_search_outsider"'))
        try:
            allowed = conn.execute(
                text("SELECT has_function_privilege('akq_search_outsider', :sig, 'EXECUTE')"),
                {"sig": SIGNATURE},
            ).scalar()
            assert allowed is False
        finally:
            conn.execute(text('DROP ROLE "akq_search_outsider"'))
            conn.commit()


def _nested_plans(users: Users, who: str, sql: str, params: dict[str, Any]) -> str:
    """The plans of the statements ``sql`` runs, nested ones too (auto_explain,
    sent to this client), as ``who``: a superuser's session under SET ROLE, so
    ``current_user`` and the policies are the user's. With :data:`OFF` off."""
    messages: list[str] = []
    with users.su.engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        raw.add_notice_handler(lambda diag: messages.append(diag.message_primary or ""))
        with conn.begin():
            for statement in (
                "LOAD 'auto_explain'",
                "SET LOCAL auto_explain.log_min_duration = 0",
                "SET LOCAL auto_explain.log_nested_statements = on",
                "SET LOCAL client_min_messages = log",
                *(f"SET LOCAL enable_{kind} = off" for kind in OFF),
                f'SET LOCAL ROLE "{users.logins[who]}"',
            ):
                conn.exec_driver_sql(statement)
            conn.execute(text(sql), params)
    return "\n".join(messages)


def test_a_users_search_uses_the_trigram_index(users):
    terms = ["müller", "köln"]
    for who in ("nord", "office"):
        plans = _nested_plans(
            users,
            who,
            "SELECT record_id FROM akq_search_records(CAST(:w AS text[]), 500)",
            {"w": terms},
        )
        assert f"Bitmap Index Scan on {INDEX}" in plans, plans
        # the plain query under the policies cannot: ILIKE is not leakproof
        plans = _nested_plans(
            users,
            who,
            "SELECT record_id FROM record_search_text WHERE doc ILIKE :p",
            {"p": "%müller%"},
        )
        assert INDEX not in plans and "Seq Scan on record_search_text" in plans, plans


def test_the_index_is_used_in_the_users_own_session(users):
    """Without superuser help: the user's own connection counts its scans of
    ``record_search_text`` in this transaction — an index, no sequential scan
    (with :data:`OFF` off an index scan by primary key is no choice either)."""
    with users.engine("nord").connect() as conn, conn.begin():
        for kind in OFF:
            conn.exec_driver_sql(f"SET LOCAL enable_{kind} = off")
        conn.execute(search.pg_search(["müller", "köln"], 500)).all()
        idx, seq = conn.execute(
            text(
                "SELECT coalesce(idx_scan, 0), coalesce(seq_scan, 0) "
                "FROM pg_stat_xact_user_tables WHERE relname = 'record_search_text'"
            )
        ).one()
        assert idx >= 1 and seq == 0
