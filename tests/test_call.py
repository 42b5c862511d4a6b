"""``akquise-desktop call NUMBER`` without a window: the number's check, the
message handed over, the caller look-up on both databases (rights applied),
``tel:`` links, and the command handing the call to a running instance or
starting the app."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from akquise_desktop import call_cli, cli
from akquise_desktop.controller import ContactData, RecordData
from akquise_desktop.desktop import urls
from akquise_desktop.desktop.single_instance import server_name
from akquise_desktop.queries.calls import CallMatch, caller_matches, same_number
from akquise_desktop.storage import Database
from tests.factories import make_world
from tests.test_single_instance import _env

ROOT = Path(__file__).resolve().parent.parent

# --- tel: links ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "url"),
    [
        ("+49 221 3712306", "tel:+492213712306"),
        ("+49 (0)221 371 23-06", "tel:+492213712306"),
        ("0049 221 3712306", "tel:+492213712306"),
        ("0049 (0) 221/3712306", "tel:+492213712306"),
        ("0221/3712306", "tel:02213712306"),
        ("0221 37123-06", "tel:02213712306"),
        ("(0221) 3712306", "tel:02213712306"),
        ("+43 1 5344", "tel:+4315344"),
        ("+1 (212) 555-0100", "tel:+12125550100"),
        (" 0171.2345678 ", "tel:01712345678"),
    ],
)
def test_tel_url_from_the_number_as_stored(stored, url):
    assert urls.tel_url(stored) == url


@pytest.mark.parametrize("stored", [None, "", "   ", "k. A.", "+"])
def test_no_tel_url_without_digits(stored):
    assert urls.tel_url(stored) is None


# --- the number and the message ----------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "number"),
    [
        ("+49 221 3712306", "+49 221 3712306"),
        ("  0221/3712306\n", "0221/3712306"),
        ("tel:+49-221-3712306", "+49-221-3712306"),
        ("TEL:%2B492213712306;phone-context=example.com", "+492213712306"),
        ("callto:0221 3712306", "0221 3712306"),
        ("sip:02213712306@fritz.box", "02213712306"),
        ("0221   37 12 306", "0221 37 12 306"),
    ],
)
def test_phone_number_from_a_phone_system(given, number):
    assert urls.phone_number(given) == number
    message = urls.call_url(given)
    assert urls.is_call(message) and "\n" not in message and " " not in message
    assert urls.parse_call(message) == number


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("", "Keine Rufnummer übermittelt"),
        ("tel:", "Keine Rufnummer übermittelt"),
        ("anonymous", "Keine Rufnummer: 'anonymous'"),
        ("0221\x003712306", "Keine Rufnummer"),
        ("0221; rm -rf /", "Keine Rufnummer"),
        ("12", "zu wenige Ziffern"),
        ("0" * 51, "zu lang"),
        ("49+221", "Keine Rufnummer"),
    ],
)
def test_not_a_phone_number(given, words):
    with pytest.raises(urls.NumberError) as caught:
        urls.phone_number(given)
    assert words in caught.value.message("de")
    assert caught.value.message("en") != caught.value.message("de")


def test_a_call_message_is_no_record_link():
    message = urls.call_url("0221 3712306")
    assert message == "akquise://call/0221%203712306"
    with pytest.raises(urls.LinkError):
        urls.parse(message)
    assert not urls.is_call(urls.record_url(3))
    with pytest.raises(urls.NumberError):
        urls.parse_call("akquise://call/abc")
    with pytest.raises(urls.NumberError):
        urls.parse_call("akquise://record/3")


def test_the_command_refuses_a_bad_number_and_starts_nothing(capsys):
    assert cli.main(["call", "unbekannt"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("akquise-desktop: Keine Rufnummer: 'unbekannt'")
    assert cli.main(["call", ""]) == 2
    assert "Keine Rufnummer übermittelt" in capsys.readouterr().err


def test_the_command_turns_into_a_start_with_the_call_as_its_link():
    args = cli._parser().parse_args(["call", "tel:+49 221 3712306", "--db", "x.sqlite3"])
    call_cli.prepare(args)
    assert args.command is None and args.call is True
    assert args.link == "akquise://call/%2B49%20221%203712306"


def test_without_db_the_first_running_instance_of_the_users_databases_takes_it():
    asked: list[tuple[str, str]] = []

    def hand_over(name: str, message: str) -> bool:
        asked.append((name, message))
        return name == server_name("pg-00000000000000bb")

    ids = ["sqlite-00000000000000aa", "pg-00000000000000bb", "pg-00000000000000cc"]
    assert call_cli.hand_to_running("akquise://call/123", ids, hand_over)
    assert asked == [
        (server_name("sqlite-00000000000000aa"), "akquise://call/123"),
        (server_name("pg-00000000000000bb"), "akquise://call/123"),
    ]
    asked.clear()
    assert not call_cli.hand_to_running("akquise://call/123", ids[:1], hand_over)
    assert len(asked) == 1


# --- the look-up -------------------------------------------------------------------------


def test_same_number_by_its_digits():
    assert same_number("+49 221 3712306", "0221 3712306")
    assert same_number("0049 (0)221/3712306", "+492213712306")
    assert same_number("0221 3712306", "3712306")
    assert not same_number("0221 3712306", "0221 3712307")
    assert not same_number("0221 3712306", "306")  # fewer than four digits
    assert not same_number(None, "0221 3712306")


@pytest.fixture
def world(db):
    return make_world(db)


def _contact(ctl, record_id, last, **kw):
    summary = ctl.add_contact(record_id, ContactData(last_name=last, **kw))
    assert summary.result_id is not None
    return summary.result_id


def test_caller_matches_none_one_and_several(world):
    w = world
    alone = w.sales.create_record(
        RecordData(name="Adler KG", city="Köln", phone="0221 3712306")
    ).result_id
    by_contact = w.sales.create_record(RecordData(name="Berg AG", city="Bonn")).result_id
    eva = _contact(w.sales, by_contact, "Berg", first_name="Eva", mobile="0171 5550101")
    shared = [
        w.sales.create_record(RecordData(name=name, city="Essen", phone="0201 444")).result_id
        for name in ("Zentrale Nord", "Filiale Nord")
    ]
    s = w.db

    with s.read() as session:
        assert caller_matches(session, "0228 999999", w.sales_id) == []
        assert caller_matches(session, "0221 3712306", w.sales_id) == [
            CallMatch(alone, "Adler KG", "Köln", "0221 3712306")
        ]
        assert caller_matches(session, "0171 5550101", w.sales_id) == [
            CallMatch(by_contact, "Berg AG", "Bonn", "0171 5550101", eva, "Eva Berg")
        ]
        several = caller_matches(session, "0201 444", w.sales_id)
    assert [m.record_id for m in several] == [shared[1], shared[0]]  # by name
    assert {m.number for m in several} == {"0201 444"}
    assert all(m.contact_id is None for m in several)


@pytest.mark.parametrize(
    "incoming",
    ["+492213712306", "+49 221 3712306", "00492213712306", "+49 (0)221 3712306", "0221/3712306"],
)
def test_the_caller_is_found_whatever_format_the_phone_system_sends(world, incoming):
    """Phone systems send E.164, ``00``-prefixed or national numbers: each finds
    the record stored as ``0221 3712306`` and the contact stored as ``0171 …``."""
    w = world
    rid = w.sales.create_record(RecordData(name="Adler KG", phone="0221 3712306")).result_id
    other = w.sales.create_record(RecordData(name="Berg AG")).result_id
    eva = _contact(w.sales, other, "Berg", first_name="Eva", mobile="0171 5550101")
    with w.db.read() as s:
        assert [m.record_id for m in caller_matches(s, incoming, w.sales_id)] == [rid]
        mobile = caller_matches(s, "+49 171 5550101", w.sales_id)
    assert [(m.record_id, m.contact_id) for m in mobile] == [(other, eva)]


def test_a_contacts_phone_names_the_contact_and_the_records_own_wins(world):
    w = world
    rid = w.sales.create_record(RecordData(name="Cäsar GmbH", phone="0211 700")).result_id
    _contact(w.sales, rid, "Zentrale", phone="0211 700")
    karl = _contact(w.sales, rid, "Kurz", first_name="Karl", phone="0211 70042")
    with w.db.read() as s:
        assert caller_matches(s, "0211 700", w.sales_id)[0].contact_id is None
        found = caller_matches(s, "0211 70042", w.sales_id)
    assert [(m.record_id, m.contact_id, m.number) for m in found] == [(rid, karl, "0211 70042")]


def test_only_records_the_user_may_see(world):
    w = world
    own = w.sales.create_record(RecordData(name="Eigene KG", phone="0351 1234567")).result_id
    other = w.other.create_record(RecordData(name="Süd KG", phone="0351 1234567")).result_id
    _contact(w.other, other, "Süd", mobile="0160 7654321")
    with w.db.read() as s:
        assert [m.record_id for m in caller_matches(s, "0351 1234567", w.sales_id)] == [own]
        assert caller_matches(s, "0160 7654321", w.sales_id) == []
        assert {m.record_id for m in caller_matches(s, "0351 1234567", w.admin_id)} == {
            own,
            other,
        }


def test_blank_and_limit(world):
    w = world
    for n in range(4):
        w.sales.create_record(RecordData(name=f"Kette {n}", phone="040 112233"))
    with w.db.read() as s:
        assert caller_matches(s, "  ", w.sales_id) == []
        assert len(caller_matches(s, "040 112233", w.sales_id, limit=3)) == 3


# --- the command, with real processes ----------------------------------------------------------

SERVER = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from akquise_desktop.desktop.single_instance import SingleInstance

app = QCoreApplication([])
instance = SingleInstance(sys.argv[1])
print("claimed", instance.claim(), flush=True)

def got(message):
    print("got", message, flush=True)
    QTimer.singleShot(0, app.quit)

instance.set_handler(got)
QTimer.singleShot(60000, app.quit)
app.exec()
instance.close()
"""


def test_the_command_hands_the_call_to_the_running_instance(qapp, tmp_path):
    path = tmp_path / "akquise.sqlite3"
    name = server_name(urls.sqlite_id(path))
    server = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(SERVER), name],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=_env(tmp_path),
    )  # fmt: skip
    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith("claimed True")
        assert cli.main(["--db", str(path), "call", "+49 221 3712306"]) == 0
        out, err = server.communicate(timeout=60)
    finally:
        server.kill()
    assert out.strip() == "got akquise://call/%2B49%20221%203712306", err
    assert not path.exists()  # the database was never opened by this start


def test_with_no_app_running_the_command_starts_it_and_it_takes_the_call(tmp_path):
    path = tmp_path / "akquise.sqlite3"
    db = Database(f"sqlite:///{path}").open(create=True)
    try:
        w = make_world(db)
        rid = w.admin.create_record(RecordData(name="Anrufer GmbH", phone="0221 3712306"))
    finally:
        db.dispose()
    env = {**_env(tmp_path), "AKQUISE_QUIT_AFTER_LINK": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "akquise_desktop", "--db", str(path), "--user", "admin",
         "call", "0221 3712306"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"akquise-desktop: link: call: opened record {rid.result_id}" in done.stdout
