"""Issue 18: a customer is found however the name or the number is typed —
umlauts three ways, ß as ss, other diacritics, phone numbers in any format and
by a tail — on both databases, as a user (PostgreSQL: through row-level
security and the search function of 0013), by the list's set and probe paths."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import ContactData, RecordData
from akquise_desktop.core.folding import LETTERS, fold
from akquise_desktop.core.phones import join_spaced_numbers, number_forms, stored_form
from akquise_desktop.queries import search
from akquise_desktop.queries.records import RecordCriteria, record_page
from akquise_desktop.queries.search import record_match
from tests.factories import make_world

NAMES = [
    ("Müller Maschinenbau GmbH", "Köln"),
    ("Mueller Logistik KG", "Düsseldorf"),
    ("Schröder Elektro", "Lübeck"),
    ("Schroeder & Partner", "Göttingen"),
    ("Bäckerei Groß", "Straßburg"),
    ("Strasse Verlag", "Muenchen"),
    ("François Lefèvre SARL", "Besançon"),
    ("Łódź Handel Sp. z o.o.", "Kraków"),
    ("Ørsted Consult ApS", "Århus"),
    ("Plain Name AG", "Essen"),
]


def _find(db, text: str, *, probe: bool = False) -> list[str]:
    condition = record_match(text, db.engine.dialect.name, probe=probe)
    assert condition is not None
    with db.read() as s:
        return sorted(s.scalars(select(m.Record.name).where(condition)))


def _listed(db, text: str) -> list[str]:
    """What the record list shows for ``text`` (the UI's own query)."""
    with db.read() as s:
        return sorted(r.name for r in record_page(s, RecordCriteria(text=text), limit=50).rows)


@pytest.fixture
def spelled(db):
    w = make_world(db)
    ctl = w.sales
    ids = {}
    for name, city in NAMES:
        ids[name] = ctl.create_record(RecordData(name=name, city=city)).result_id
    ctl.add_contact(ids["Plain Name AG"], ContactData(last_name="Weiß", first_name="Jürgen"))
    return w


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # ü / ue / u, both directions
        ("Müller", ["Mueller Logistik KG", "Müller Maschinenbau GmbH"]),
        ("Mueller", ["Mueller Logistik KG", "Müller Maschinenbau GmbH"]),
        ("Muller", ["Mueller Logistik KG", "Müller Maschinenbau GmbH"]),
        ("MULLER", ["Mueller Logistik KG", "Müller Maschinenbau GmbH"]),
        # ö / oe / o
        ("Schröder", ["Schroeder & Partner", "Schröder Elektro"]),
        ("Schroeder", ["Schroeder & Partner", "Schröder Elektro"]),
        ("Schroder", ["Schroeder & Partner", "Schröder Elektro"]),
        ("Koeln", ["Müller Maschinenbau GmbH"]),
        ("Koln", ["Müller Maschinenbau GmbH"]),
        ("Köln", ["Müller Maschinenbau GmbH"]),
        ("Goettingen", ["Schroeder & Partner"]),
        ("Gottingen", ["Schroeder & Partner"]),
        # ä / ae / a
        ("Baeckerei", ["Bäckerei Groß"]),
        ("Backerei", ["Bäckerei Groß"]),
        ("Bäckerei", ["Bäckerei Groß"]),
        # ß / ss, both directions
        ("Gross", ["Bäckerei Groß"]),
        ("Groß", ["Bäckerei Groß"]),
        ("Strassburg", ["Bäckerei Groß"]),
        ("Straße", ["Strasse Verlag"]),
        ("Strasse", ["Strasse Verlag"]),
        ("München", ["Strasse Verlag"]),
        ("Munchen", ["Strasse Verlag"]),
        # other diacritics
        ("Francois", ["François Lefèvre SARL"]),
        ("Lefevre", ["François Lefèvre SARL"]),
        ("Besancon", ["François Lefèvre SARL"]),
        ("Lodz", ["Łódź Handel Sp. z o.o."]),
        ("Krakow", ["Łódź Handel Sp. z o.o."]),
        ("Orsted", ["Ørsted Consult ApS"]),
        ("Aarhus", []),  # å is a, not aa
        ("Arhus", ["Ørsted Consult ApS"]),
        # contact persons, city and name words together, short words
        ("Weiss Jurgen", ["Plain Name AG"]),
        ("weiß juergen essen", ["Plain Name AG"]),
        ("Lü", ["Schröder Elektro"]),
        ("Mü müller", ["Mueller Logistik KG", "Müller Maschinenbau GmbH"]),
        # the typed form still matches inside a word (no digraph folded away)
        ("eller", ["Mueller Logistik KG"]),
    ],
)
def test_letters_fold_both_ways(spelled, typed, expected):
    db = spelled.db
    assert _find(db, typed) == expected
    assert _find(db, typed, probe=True) == expected
    assert _listed(db, typed) == expected


PHONE_BOOK = {
    "Köln Festnetz": ("0221 3712306", None),
    "Berlin Durchwahl": ("+49 30 12345-67", None),
    "Wien GmbH": ("+43 1 5123456", None),
    "Zürich AG": ("+41 44 668 18 00", None),
    "New York Inc": ("+1 212 555 0123", None),
    "Nummer in Worten": ("siehe Zentrale", None),
    "Mit Ansprechpartner": (None, "0171/9876543"),
}


@pytest.fixture
def phone_book(db):
    w = make_world(db)
    ctl = w.sales
    for name, (phone, contact_mobile) in PHONE_BOOK.items():
        rid = ctl.create_record(RecordData(name=name, city="X", phone=phone)).result_id
        if contact_mobile:
            ctl.add_contact(rid, ContactData(last_name="Kontakt", mobile=contact_mobile))
    return w


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0221 3712306", ["Köln Festnetz"]),
        ("02213712306", ["Köln Festnetz"]),
        ("+49 221 3712306", ["Köln Festnetz"]),
        ("+492213712306", ["Köln Festnetz"]),
        ("0049 221 3712306", ["Köln Festnetz"]),
        ("+49 (0)221 3712306", ["Köln Festnetz"]),
        ("+49 (0) 221 371 23 06", ["Köln Festnetz"]),
        ("0221/3712306", ["Köln Festnetz"]),
        ("0221-371-2306", ["Köln Festnetz"]),
        ("(0221) 3712306", ["Köln Festnetz"]),
        ("0221.3712306", ["Köln Festnetz"]),
        ("2306", ["Köln Festnetz"]),  # a tail of four digits
        ("3712306", ["Köln Festnetz"]),
        ("030 1234567", ["Berlin Durchwahl"]),
        ("+49 30 1234567", ["Berlin Durchwahl"]),
        ("4567", ["Berlin Durchwahl"]),
        # foreign numbers, international and as dialled from Germany
        ("+43 1 5123456", ["Wien GmbH"]),
        ("0043 1 5123456", ["Wien GmbH"]),
        ("+41 44 668 18 00", ["Zürich AG"]),
        ("0041446681800", ["Zürich AG"]),
        ("+1 212 555 0123", ["New York Inc"]),
        ("001 212 555 0123", ["New York Inc"]),
        # a contact person's number
        ("0171 9876543", ["Mit Ansprechpartner"]),
        ("+49 171 9876543", ["Mit Ansprechpartner"]),
        # a number that is none is kept as typed and found as typed
        ("Zentrale", ["Nummer in Worten"]),
        # no match for another number, and a number next to a name word
        ("0221 3712307", []),
        ("Köln 0221 3712306", ["Köln Festnetz"]),
    ],
)
def test_phone_numbers_match_by_their_digits(phone_book, typed, expected):
    db = phone_book.db
    assert _find(db, typed) == expected
    assert _find(db, typed, probe=True) == expected
    assert _listed(db, typed) == expected


def test_normal_forms_are_kept_with_the_numbers(phone_book):
    w = phone_book
    with w.db.read() as s:
        forms = dict(s.execute(select(m.Record.name, m.Record.phone_normalized)).all())
        mobile = s.scalar(select(m.Contact.mobile_normalized))
    assert forms["Köln Festnetz"] == "+492213712306"
    assert forms["Wien GmbH"] == "+4315123456"
    assert forms["New York Inc"] == "+12125550123"
    assert forms["Nummer in Worten"] == "siehe Zentrale"  # kept as typed
    assert mobile == "+491719876543"
    # a changed number gets its new normal form
    with w.db.read() as s:
        rid, version = s.execute(
            select(m.Record.id, m.Record.version).where(m.Record.name == "Köln Festnetz")
        ).one()
    w.sales.update_record(
        rid,
        RecordData(name="Köln Festnetz", city="X", phone="0221 999000"),
        expected_version=version,
    )
    assert _find(w.db, "+49221999000") == ["Köln Festnetz"]
    assert _find(w.db, "3712306") == []


def test_a_records_country_is_the_region_of_its_number(db):
    w = make_world(db)
    rid = w.sales.create_record(
        RecordData(name="Wiener Kunde", city="Wien", country="AT", phone="01 5123456")
    ).result_id
    with db.read() as s:
        assert s.get(m.Record, rid).phone_normalized == "+4315123456"
    assert _find(db, "+43 1 5123456") == ["Wiener Kunde"]


@pytest.mark.parametrize("text", ["Mül\x00ler", "\x1b[2J", "\x00", "0221\x00 3712306", "\x1f"])
def test_control_characters_never_reach_the_database(phone_book, text):
    """NUL and escape sequences are dropped; a text of only those is empty."""
    db = phone_book.db
    cleaned = search.words(text)
    assert all(ch.isprintable() for word in cleaned for ch in word)
    if not cleaned:
        assert record_match(text, db.engine.dialect.name) is None
    else:
        _find(db, text)
        _listed(db, text)


def test_fold_is_the_same_in_the_database(db):
    """The index's folding (SQLite: the registered function; PostgreSQL: the
    SQL of 0013) equals the Python side's, for every letter of the table in
    both cases and for mixed words."""
    samples = [*LETTERS, "Müller", "MUELLER", "Straße", "ŁÓDŹ", "Æbleskiver", "İstanbul"]
    samples += [ch.upper() for ch in LETTERS]
    with db.engine.connect() as conn:
        for text in samples:
            got = conn.exec_driver_sql("SELECT akq_fold(%s)" if not db.is_sqlite else
                                       "SELECT akq_fold(?)", (text,)).scalar()  # fmt: skip
            expected = fold(text)
            if not db.is_sqlite and text.lower() != text.casefold():
                # only letters outside the table may lower differently
                continue
            assert got == expected, text


def test_helpers():
    assert fold("Müller") == fold("Mueller") == fold("MULLER") == "muller"
    assert fold("Straße") == "strasse"
    assert join_spaced_numbers("Hauptstr 12 50667") == "Hauptstr 12 50667"
    assert join_spaced_numbers("Tel. +49 (0) 221 371 23 06 x") == "Tel. +49(0)2213712306 x"
    assert number_forms("0221/3712306") == ("02213712306", "2213712306")
    assert number_forms("+49 221") == ()  # not one word: no number form
    assert number_forms("123") == ()
    assert number_forms("Mü") == ()
    assert stored_form("0221 3712306") == "+492213712306"
    assert stored_form("  ") is None
    assert stored_form("siehe Zentrale") == "siehe Zentrale"
