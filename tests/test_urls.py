"""akquise:// links: format, strict parsing with reasons, the database identity."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from akquise_desktop.desktop import urls
from akquise_desktop.desktop.profiles import ConnectionProfile, local_profile
from akquise_desktop.desktop.urls import Kind, Link, LinkError, Problem

DB = "sqlite-0123456789abcdef"


def problem(text: str) -> Problem:
    with pytest.raises(LinkError) as caught:
        urls.parse(text)
    return caught.value.problem


# --- round trip ---------------------------------------------------------------------------


def test_record_and_follow_up_urls():
    assert urls.record_url(12) == "akquise://record/12"
    assert urls.follow_up_url(7, DB) == f"akquise://followup/7?db={DB}"
    assert urls.parse("akquise://record/12") == Link(Kind.RECORD, 12, None)
    assert urls.parse(f"akquise://followup/7?db={DB}") == Link(Kind.FOLLOW_UP, 7, DB)


@given(
    kind=st.sampled_from(list(Kind)),
    ident=st.integers(min_value=1, max_value=urls.MAX_ID),
    db=st.none()
    | st.sampled_from(["sqlite-", "pg-"]).flatmap(
        lambda p: st.text("0123456789abcdef", min_size=16, max_size=16).map(lambda h: p + h)
    ),
)
def test_round_trip(kind, ident, db):
    link = Link(kind, ident, db)
    assert urls.parse(link.url()) == link


@pytest.mark.parametrize(
    "text",
    [
        "AKQUISE://RECORD/12",  # scheme and host part are case-insensitive
        "akquise://record/12/",  # a trailing slash (Windows, browsers)
        f"akquise://Record/12/?db={DB}",
    ],
)
def test_tolerated_variants(text):
    assert urls.parse(text).id == 12


def test_format_refuses_what_parse_would_refuse():
    for bad in (0, -1, urls.MAX_ID + 1, True, "3"):
        with pytest.raises(ValueError):
            urls.format_url(Kind.RECORD, bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        urls.format_url(Kind.RECORD, 1, "/etc/passwd")
    with pytest.raises(ValueError):
        urls.format_url("contact", 1)


# --- refusals and their reasons -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Problem.MALFORMED),
        ("record/12", Problem.MALFORMED),
        ("http://record/12", Problem.MALFORMED),
        ("akquise:record/12", Problem.MALFORMED),
        ("akquise://record", Problem.MALFORMED),
        ("akquise://record/12/extra", Problem.MALFORMED),
        ("akquise://record/12#x", Problem.MALFORMED),
        ("akquise://record/12?", Problem.MALFORMED),
        ("akquise://record/12?db=", Problem.MALFORMED),
        ("akquise://record/12?db=../../x.sqlite3", Problem.MALFORMED),
        ("akquise://record/12?db=sqlite:///tmp/x", Problem.MALFORMED),
        (f"akquise://record/12?db={DB}&db={DB}", Problem.MALFORMED),
        (f"akquise://record/12?db={DB}&user=admin", Problem.MALFORMED),
        ("akquise://record/12?password=x", Problem.MALFORMED),
        ("akquise://record/1 2", Problem.MALFORMED),
        ("akquise://record/12\n", Problem.MALFORMED),
        ("akquise://record/12" + "0" * 400, Problem.MALFORMED),
        ("akquise://contact/12", Problem.UNKNOWN_KIND),
        ("akquise:///12", Problem.UNKNOWN_KIND),
        ("akquise://record/", Problem.BAD_ID),
        ("akquise://record/0", Problem.BAD_ID),
        ("akquise://record/012", Problem.BAD_ID),
        ("akquise://record/-3", Problem.BAD_ID),
        ("akquise://record/+3", Problem.BAD_ID),
        ("akquise://record/3.0", Problem.BAD_ID),
        ("akquise://record/١٢", Problem.BAD_ID),  # Arabic-Indic digits: int() would take them
        (f"akquise://record/{2**63}", Problem.BAD_ID),
        ("akquise://record/99999999999999999999", Problem.BAD_ID),
    ],
)
def test_refusals(text, expected):
    assert problem(text) is expected


def test_another_database_is_refused_with_its_id():
    link = urls.parse(f"akquise://record/3?db={DB}")
    link.check_database(DB)  # the same: fine
    with pytest.raises(LinkError) as caught:
        link.check_database("pg-ffffffffffffffff", "PostgreSQL db.example/crm")
    assert caught.value.problem is Problem.OTHER_DATABASE
    assert "PostgreSQL db.example/crm" in caught.value.message("de")
    urls.parse("akquise://record/3").check_database("pg-ffffffffffffffff")  # no db: this one


def test_messages_in_both_languages():
    for p in Problem:
        error = LinkError(p, "x")
        assert error.message("de") and error.message("en")
        assert error.message("de") != error.message("en")


@given(st.text(max_size=80))
def test_any_text_parses_or_is_refused_with_a_reason(text):
    try:
        link = urls.parse(text)
    except LinkError as exc:
        assert exc.problem in Problem
        assert exc.message("de")
    else:
        assert 0 < link.id <= urls.MAX_ID
        assert urls.parse(link.url()) == link


@given(
    kind=st.text(string.ascii_letters + string.digits + "%.-_~", max_size=12),
    ident=st.text(string.printable.strip(), max_size=22),
    query=st.none() | st.text(string.printable.strip(), max_size=40),
)
def test_link_shaped_noise(kind, ident, query):
    text = f"akquise://{kind}/{ident}" + ("" if query is None else f"?{query}")
    try:
        link = urls.parse(text)
    except LinkError as exc:
        assert exc.problem in {Problem.MALFORMED, Problem.UNKNOWN_KIND, Problem.BAD_ID}
    else:
        assert link.kind.value == kind.lower()
        assert str(link.id) == ident.rstrip("/")


def test_is_link():
    assert urls.is_link("akquise://record/1")
    assert urls.is_link("AKQUISE:garbage")
    assert not urls.is_link("--db")
    assert not urls.is_link("/home/u/akquise.sqlite3")


# --- the database identity ----------------------------------------------------------------


def test_sqlite_id_follows_the_file_not_its_spelling(tmp_path, monkeypatch):
    file = tmp_path / "a.sqlite3"
    file.touch()
    (tmp_path / "link.sqlite3").symlink_to(file)
    monkeypatch.chdir(tmp_path)
    ids = {
        urls.database_id(make_url(f"sqlite:///{file}")),
        urls.database_id(make_url("sqlite:///a.sqlite3")),
        urls.database_id(make_url(f"sqlite:///{tmp_path}/./a.sqlite3")),
        urls.database_id(make_url(f"sqlite:///{tmp_path}/link.sqlite3")),
    }
    assert len(ids) == 1
    assert ids.pop().startswith("sqlite-")
    assert urls.sqlite_id(tmp_path / "b.sqlite3") != urls.sqlite_id(file)


def test_postgres_id_is_server_and_database_not_the_login():
    a = urls.database_id(make_url("postgresql+psycopg://anna:secret@DB.example:5432/crm"))
    b = urls.database_id(make_url("postgresql+psycopg://bert@db.example/crm?sslmode=require"))
    assert a == b
    assert a.startswith("pg-")
    assert "secret" not in a and "crm" not in a
    assert a != urls.database_id(make_url("postgresql+psycopg://anna@db.example:5433/crm"))
    assert a != urls.database_id(make_url("postgresql+psycopg://anna@db.example/crm2"))


def test_matching_profile(tmp_path):
    server = ConnectionProfile(name="Firma", host="db.example", database="crm", user="anna")
    local = local_profile()
    other_file = ConnectionProfile(
        name="Datei", kind="local", path=str(tmp_path / "x.sqlite3"), id="f"
    )
    profiles = [local, server, other_file]
    pg = urls.postgres_id("db.example", 5432, "crm")
    assert urls.matching_profile(pg, profiles) is server
    assert urls.matching_profile(urls.sqlite_id(tmp_path / "x.sqlite3"), profiles) is other_file
    assert urls.matching_profile(urls.postgres_id("other", 5432, "crm"), profiles) is None
