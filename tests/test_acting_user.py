"""The acting user at start-up, found by a query alone (no controller import);
a database without users makes the first one its administrator."""

from __future__ import annotations

import pytest

from akquise_desktop import cli
from akquise_desktop import models as m
from akquise_desktop.controller import bootstrap, resolve_user
from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.queries.users import acting_user_id
from akquise_desktop.storage import Database

from .factories import make_world


def test_acting_user_agrees_with_the_controller(db):
    world = make_world(db)
    cases = [("sales", True), ("sales", False), ("nobody", False), ("", False), (None, False)]
    with db.read() as s:
        for login, strict in cases:
            assert acting_user_id(s, login, strict=strict) == resolve_user(
                db, login, strict=strict
            ), (login, strict)
        assert acting_user_id(s, "admin") == world.admin_id
        with pytest.raises(AkquiseError) as info:
            acting_user_id(s, "nobody", strict=True)
    assert "nobody" in str(info.value)


def test_inactive_user_is_not_the_acting_user(db):
    world = make_world(db)
    with db.write() as s:
        s.get(m.User, world.sales_id).active = False
    for strict in (True, False):  # not let in, and not the administrator instead
        with db.read() as s, pytest.raises(AkquiseError) as info:
            acting_user_id(s, "sales", strict=strict)
        assert "deaktiviert" in str(info.value)
        with pytest.raises(AkquiseError):
            resolve_user(db, "sales", strict=strict)


def test_gui_start_makes_the_first_user_an_administrator(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/leer.sqlite3").open()
    try:
        user_id = cli._acting_user(db, "erstnutzer", strict=False)
        with db.read() as s:
            user = s.get(m.User, user_id)
            assert user.login == "erstnutzer" and user.role_group.is_admin
        # The second start finds that user, through the query alone.
        assert cli._acting_user(db, "erstnutzer", strict=True) == user_id
        assert bootstrap(db, "erstnutzer") == user_id
    finally:
        db.dispose()
