"""``akquise-desktop find``: the record search from the command line — JSON and
table, standard input, the acting user's scope, the search box's 200-character
cap, an empty text, control characters. In-process (cli.main) on SQLite and
PostgreSQL; on PostgreSQL each user runs as their own login role (row-level
security applies), as a client of a team server does."""

from __future__ import annotations

import io
import json
import subprocess
import uuid
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select, update

from akquise_desktop import cli, find_cli
from akquise_desktop import models as m
from akquise_desktop.controller import (
    ContactData,
    Controller,
    RecordData,
    RoleGroupData,
    bootstrap,
)
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries.records import MAX_TEXT, RecordCriteria, record_page
from akquise_desktop.queries.records.find import search_box_text
from akquise_desktop.storage import Database

from .test_cli import clean_env, script

READ_MODULES = (Module.RECORDS, Module.CONTACTS, Module.ACTIVITIES)
# who -> (role group, team)
USERS = {
    "chefin": ("admin", None),
    "nord": ("team", "Nord"),
    "nord_own": ("own", "Nord"),
    "sued": ("team", "Süd"),
    "blind": ("none", "Nord"),
}
GROUPS = {
    "team": dict.fromkeys(READ_MODULES, Scope.TEAM),
    "own": dict.fromkeys(READ_MODULES, Scope.OWN),
    "none": {Module.STATISTICS: Scope.ALL},
}
# (name, city, phone, owner, contact person's last name)
RECORDS = [
    ("Müller Maschinenbau GmbH", "Köln", "0221 3712306", "nord", None),
    ("Weber & Sohn KG", "Berlin", "030 1234567", "nord_own", "Müller"),
    ("MÜLLERSHOF AG", "Hamburg", None, "sued", None),
    ("Schmidt Logistik AG", "Köln", "0221 998877", "sued", None),
    ("Bäckerei Schmidt", "Bonn", "0228 112233", "chefin", None),
]


@dataclass
class FindWorld:
    db: Database
    logins: dict[str, str]
    groups: dict[str, int]
    teams: dict[str, int]
    admin: Controller
    ids: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # who -> display name
    records: dict[str, int] = field(default_factory=dict)  # name -> id

    def url(self, who: str) -> str:
        """The database as ``who`` connects to it: on PostgreSQL their login role."""
        if self.db.is_sqlite:
            return self.db.url.render_as_string(hide_password=False)
        return self.db.url.set(username=self.logins[who]).render_as_string(hide_password=False)

    def user(self, who: str, group: str, team: str | None) -> None:
        name = f"{who.replace('_', ' ').title()} Tester"
        self.ids[who] = self.admin.create_user(
            self.logins[who],
            name,
            role_group_id=self.groups[group],
            team_id=self.teams[team] if team else None,
        ).result_id
        self.names[who] = name

    def add(self, name: str, owner: str = "chefin", **data) -> int:
        rid = self.admin.create_record(
            RecordData(name=name, owner_id=self.ids[owner], **data)
        ).result_id
        assert rid is not None
        self.records[name] = rid
        return rid

    def listed(self, text: str) -> list[str]:
        """The record list's rows for ``text``, in its default order, as an
        administrator sees them."""
        with self.db.read() as s:
            rows = record_page(s, RecordCriteria(text=text), None, 1000).rows
        return [r.name for r in rows]


@pytest.fixture
def world(db, clock) -> FindWorld:
    # Login roles belong to the whole PostgreSQL server: names of this test only.
    prefix = "" if db.is_sqlite else f"{db.url.database}_f{uuid.uuid4().hex[:6]}_"
    admin = Controller(db, bootstrap(db, f"{prefix}root", "Root"), clock=clock)
    with db.read() as s:
        groups = {"admin": s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.is_admin))}
    for key, rights in GROUPS.items():
        groups[key] = admin.create_role_group(RoleGroupData(f"find-{key}", rights=rights)).result_id
    teams = {name: admin.create_team(name).result_id for name in ("Nord", "Süd")}
    logins = {who: f"{prefix}{who}" for who in [*USERS, "solo"]}
    w = FindWorld(db, logins, groups, teams, admin)
    for who, (group, team) in USERS.items():
        w.user(who, group, team)
    for name, city, phone, owner, contact in RECORDS:
        rid = w.add(name, owner, city=city, phone=phone)
        if contact:
            admin.add_contact(rid, ContactData(last_name=contact, first_name="Anna"))
    return w


@dataclass
class Finder:
    """``find`` in-process as one of the world's users."""

    world: FindWorld
    capsys: pytest.CaptureFixture
    monkeypatch: pytest.MonkeyPatch

    def run(self, who: str, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
        """(exit code, stdout, stderr)"""
        if stdin is not None:
            self.monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        argv = ["find", *args, "--db", self.world.url(who), "--user", self.world.logins[who]]
        code = cli.main(argv)
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def json(self, who: str, *args: str, stdin: bytes | None = None) -> list[dict]:
        code, out, err = self.run(who, *args, "--json", stdin=stdin)
        assert (code, err) == (0, ""), err
        rows = json.loads(out)
        assert isinstance(rows, list)
        return rows

    def names(self, who: str, *args: str, stdin: bytes | None = None) -> list[str]:
        return [r["name"] for r in self.json(who, *args, stdin=stdin)]


@pytest.fixture
def find(world, capsys, monkeypatch) -> Finder:
    return Finder(world, capsys, monkeypatch)


MÜLLER = ["Müller Maschinenbau GmbH", "MÜLLERSHOF AG", "Weber & Sohn KG"]


# --- JSON: none, one, many --------------------------------------------------------------


def test_json_with_no_match_is_an_empty_list(find):
    assert find.run("chefin", "gibtesnicht", "--json") == (0, "[]\n", "")


def test_json_with_one_match(find, world):
    assert find.json("chefin", "Bäckerei") == [
        {
            "id": world.records["Bäckerei Schmidt"],
            "name": "Bäckerei Schmidt",
            "kind": "company",
            "city": "Bonn",
            "phone": "0228 112233",
            "owner": world.names["chefin"],  # the display name, as the list shows it
            "campaign": None,
            "status": None,
            "next_follow_up": None,
        }
    ]


def test_same_matching_as_the_search_box_spellings_and_numbers(find):
    """Umlauts typed three ways and a number in another format find the same
    records as the search box does (issue 18's matching)."""
    mueller = ["MÜLLERSHOF AG", "Müller Maschinenbau GmbH", "Weber & Sohn KG"]
    for typed in ("Müller", "Mueller", "Muller"):
        assert sorted(r["name"] for r in find.json("chefin", typed)) == mueller
    for typed in ("+49 221 3712306", "0049 221 371 23 06", "02213712306", "2306"):
        assert [r["name"] for r in find.json("chefin", typed)] == ["Müller Maschinenbau GmbH"]


def test_a_record_without_account_manager_has_owner_null(find, world, request):
    rid = world.add("Herrenlos Müller GmbH", city="Kiel")
    # (the controller gives every record an owner; a bulk load or an old database may not)
    su = world.db if world.db.is_sqlite else request.getfixturevalue("pg_superuser_db")
    with su.engine.begin() as conn:
        conn.execute(update(m.Record).where(m.Record.id == rid).values(owner_id=None))
    (row,) = find.json("chefin", "herrenlos")
    assert (row["id"], row["owner"]) == (rid, None)
    code, out, _err = find.run("chefin", "herrenlos")
    assert code == 0 and out.splitlines()[2].endswith("Kiel")  # the owner column empty
    assert find.json("nord", "herrenlos") == []  # a team sees no record without owner


def test_json_with_many_matches_in_the_lists_order(find, world):
    # Matched in the name, in upper case, and by a contact person.
    rows = find.json("chefin", "müller")
    assert sorted(r["name"] for r in rows) == sorted(MÜLLER)
    assert [r["name"] for r in rows] == world.listed("müller")
    owners = {r["name"]: r["owner"] for r in rows}
    assert owners["Weber & Sohn KG"] == world.names["nord_own"]
    # Every word must occur, as in the search box.
    assert find.names("chefin", "köln AG") == ["Schmidt Logistik AG"]


def test_limit_gives_exactly_the_first_n_of_the_record_list(find, world):
    for n in range(12):
        world.add(f"Zander {n:02d} Handel", city="Köln")
    world.add("aal Zander", city="Köln")  # lower case: the list sorts without case
    listed = world.listed("zander")
    assert len(listed) == 13 and listed[:2] == ["aal Zander", "Zander 00 Handel"]
    assert find.names("chefin", "zander", "--limit", "5") == listed[:5]
    assert find.names("chefin", "zander") == listed
    assert find.names("chefin", "zander", "--limit", "13") == listed
    for n in range(40):
        world.add(f"Zander Filiale {n:02d}", city="Köln")
    listed = world.listed("zander")
    assert len(listed) == 53
    assert find.names("chefin", "zander") == listed[: find_cli.DEFAULT_LIMIT]


def test_limit_below_one_is_refused(find):
    code, out, err = find.run("chefin", "müller", "--limit", "0")
    assert (code, out) == (2, "")
    assert "--limit" in err


# --- the table --------------------------------------------------------------------------


def test_table_has_german_headings_and_aligned_columns(find, world):
    code, out, err = find.run("chefin", "müller")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["Nr.", "Name", "Ort", "Telefon", "Betreuer"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    body = lines[2:5]
    start = lines[0].index("Name")
    assert [line[start:].split("  ")[0] for line in body] == world.listed("müller")
    # Each column starts where its heading does; the numbers are aligned right.
    for heading in ("Name", "Ort", "Telefon", "Betreuer"):
        start = lines[0].index(heading)
        for line in body:
            empty = heading == "Telefon" and "MÜLLERSHOF" in line  # (no phone)
            assert line[start - 2 : start] == "  ", (heading, line)
            assert (line[start] == " ") is empty, (heading, line)
    for line in body:
        assert line.split()[0].isdigit() and line[: len("Nr.")].strip().isdigit()
    row = next(line for line in body if "Müller Maschinenbau" in line)
    assert "Köln" in row and "0221 3712306" in row and row.endswith(world.names["nord"])
    assert lines[-1] == "3 Datensätze."
    assert len(lines) == 6
    assert all(line == line.rstrip() for line in lines)


def test_table_says_when_more_matched_than_shown(find, world):
    for n in range(4):
        world.add(f"Zander {n} KG")
    code, out, _err = find.run("chefin", "zander", "--limit", "3")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 + 3 + 1
    assert lines[-1].startswith("… und weitere: 3 von 4 Treffern angezeigt")
    code, out, _err = find.run("chefin", "zander", "--limit", "4")
    assert out.splitlines()[-1] == "4 Datensätze."


def test_table_when_nothing_matched(find):
    expected = (0, "Keine Datensätze gefunden für „gibtesnicht“.\n", "")
    assert find.run("chefin", "gibtesnicht") == expected


def test_table_cuts_long_values_and_keeps_one_line_per_record(find, world):
    world.add("Zander " + "Sehr Lange Firmenbezeichnung " * 4, city="Köln")
    world.add("Zander 全角文字の会社", city="東京")
    _code, out, _err = find.run("chefin", "zander")
    lines = out.splitlines()
    assert len(lines) == 2 + 2 + 1
    name, city = lines[0].index("Name"), lines[0].index("Ort")
    long_one = next(line for line in lines if "Sehr" in line)
    assert long_one[name:city].rstrip().endswith("…")
    assert city - name == 40 + 2  # the name column's widest, and the gap
    wide = next(line for line in lines if "全角" in line)
    # Wide characters take two columns: the columns after them still line up.
    assert find_cli._width(wide[: wide.index("東京")]) == city
    assert find_cli._width(long_one) == find_cli._width(wide)


# --- standard input ---------------------------------------------------------------------


def test_text_from_standard_input(find):
    assert find.names("chefin", "-", stdin="Bäckerei\n".encode()) == ["Bäckerei Schmidt"]
    # All of it is the text (two lines: two words); a BOM and CRLF are dropped.
    stdin = "\ufeffSchmidt\r\nköln\r\n".encode()
    assert find.names("chefin", "-", stdin=stdin) == ["Schmidt Logistik AG"]
    code, out, err = find.run("chefin", "-", stdin=b"M\xfcller")  # Latin-1
    assert (code, out) == (2, "")
    assert "UTF-8" in err


def test_table_from_standard_input(find):
    code, out, _err = find.run("chefin", "-", stdin=b"schmidt\n")
    assert code == 0
    assert len(out.splitlines()) == 2 + 2 + 1
    assert out.splitlines()[-1] == "2 Datensätze."


# --- rights -----------------------------------------------------------------------------


def test_each_user_finds_only_what_their_scope_shows(find, world):
    expected = {
        "chefin": set(MÜLLER),
        "nord": {"Müller Maschinenbau GmbH", "Weber & Sohn KG"},  # the team's
        "nord_own": {"Weber & Sohn KG"},  # own only
        "sued": {"MÜLLERSHOF AG"},
        "blind": set(),  # no right that shows a record
    }
    for who, seen in expected.items():
        assert set(find.names(who, "müller")) == seen, who
    assert find.names("sued", "köln") == ["Schmidt Logistik AG"]
    assert find.names("nord", "köln") == ["Müller Maschinenbau GmbH"]
    # The limit counts the user's records only: no "und weitere" from others'.
    _code, out, _err = find.run("nord_own", "müller", "--limit", "1")
    assert out.splitlines()[-1] == "1 Datensatz."
    _code, out, _err = find.run("blind", "müller")
    assert out == "Keine Datensätze gefunden für „müller“.\n"


def test_the_acting_user_from_the_environment(world, capsys, monkeypatch):
    monkeypatch.setenv("AKQUISE_USER", world.logins["nord_own"])
    assert cli.main(["find", "müller", "--json", "--db", world.url("nord_own")]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == ["Weber & Sohn KG"]


def test_team_scope_without_a_team_is_own_records(find, world):
    world.user("solo", "team", None)
    world.add("Solo Müller OHG", owner="solo")
    assert find.names("solo", "müller") == ["Solo Müller OHG"]
    assert len(find.names("chefin", "müller")) == 4


def test_a_superuser_acting_as_a_user_gets_that_users_scope(find, world, request, capsys):
    if world.db.is_sqlite:
        pytest.skip("PostgreSQL only (a superuser is not held by row-level security)")
    su = request.getfixturevalue("pg_superuser_db").url.render_as_string(hide_password=False)
    for who, seen in (("nord_own", ["Weber & Sohn KG"]), ("blind", [])):
        assert cli.main(["find", "müller", "--json", "--db", su, "--user", world.logins[who]]) == 0
        assert [r["name"] for r in json.loads(capsys.readouterr().out)] == seen


def test_an_unknown_user_is_refused(world, capsys):
    # (on PostgreSQL: not the login role's user)
    assert cli.main(["find", "müller", "--db", world.url("chefin"), "--user", "niemand"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "niemand" in captured.err


# --- the 200-character cap, empty texts, control characters -----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Müller",
        "  Müller  ",
        "x" * 250,
        " " * 195 + "Müller Weber",
        "ü" * 199 + "\U0001f600" + "abc",  # half an emoji is not kept
        "\U0001f600" * 99 + "a" * 5,
        " " * 198 + "ab",
        "\x00" * 10 + "Müller",
    ],
)
def test_the_cut_is_the_search_boxs(qapp, text):
    from PySide6.QtWidgets import QLineEdit

    box = QLineEdit()
    box.setMaxLength(MAX_TEXT)  # as the record list's search box (ui/record_list.py)
    box.setText(text)
    assert search_box_text(text) == box.text().strip()


def test_text_over_the_cap_is_cut_as_the_search_box_cuts_it(find):
    # The cut leaves "Mülle": every record with it; uncut both words had to occur.
    text = " " * 195 + "Müller Weber"
    assert sorted(find.names("chefin", text)) == sorted(MÜLLER)
    assert find.names("chefin", "Müller Weber") == ["Weber & Sohn KG"]
    assert sorted(find.names("chefin", "-", stdin=text.encode())) == sorted(MÜLLER)
    # A long word is cut too, and no error.
    assert find.json("chefin", "Müller" + "x" * 300) == []


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\x00", "\x1b", " \x00\x07 "])
def test_an_empty_text_is_refused(find, text):
    code, out, err = find.run("chefin", text)
    assert (code, out) == (2, "")
    assert err.startswith("akquise-desktop: find: Kein Suchtext")
    assert len(err.splitlines()) == 1
    code, out, err = find.run("chefin", "-", "--json", stdin=text.encode())
    assert (code, out) == (2, "") and "Kein Suchtext" in err


def test_control_characters_are_no_error(find):
    assert find.names("chefin", "Bäck\x00erei") == ["Bäckerei Schmidt"]
    assert find.names("chefin", "\x1bBäckerei\x07") == ["Bäckerei Schmidt"]
    stdin = "Bäck\x00erei\n".encode()
    assert find.names("chefin", "-", stdin=stdin) == ["Bäckerei Schmidt"]
    code, out, err = find.run("chefin", "Bäck\x00erei")
    assert code == 0 and err == "" and out.splitlines()[-1] == "1 Datensatz."


def test_a_missing_database_is_reported_not_created(tmp_path, capsys):
    missing = tmp_path / "gibtesnicht.sqlite3"
    assert cli.main(["find", "müller", "--db", str(missing)]) == 2
    assert not missing.exists()
    err = capsys.readouterr().err
    assert err.startswith("akquise-desktop: ") and len(err.splitlines()) == 1


# --- the console script -----------------------------------------------------------------


def test_console_script_reads_stdin_and_writes_utf8(world, tmp_path):
    """The installed command as a phone system or a script runs it (on
    PostgreSQL as the user's own login role)."""
    world.db.dispose()
    env = clean_env(tmp_path, PYTHONIOENCODING="latin-1")  # a locale that is no UTF-8
    login = world.logins["chefin"]  # on PostgreSQL the login role
    argv = [script(), "find", "-", "--json", "--db", world.url("chefin"), "--user", login]
    done = subprocess.run(argv, input="köln\n".encode(), capture_output=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    rows = json.loads(done.stdout.decode("utf-8"))
    assert sorted(r["name"] for r in rows) == ["Müller Maschinenbau GmbH", "Schmidt Logistik AG"]
    argv = [script(), "find", "", "--db", world.url("chefin")]
    done = subprocess.run(argv, capture_output=True, env=env, timeout=60)
    assert done.returncode == 2 and done.stdout == b""
    assert "Traceback" not in done.stderr.decode("utf-8", "replace")
