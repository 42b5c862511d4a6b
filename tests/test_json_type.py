"""JSON columns: JSON everywhere, jsonb on PostgreSQL — with the PostgreSQL
dialect imported only when a PostgreSQL database asks for it."""

from __future__ import annotations

from sqlalchemy import JSON, text

from akquise_desktop import models as m

from .factories import make_world
from .fresh_process import run_python


def test_models_do_not_import_the_postgresql_dialect():
    out = run_python(
        """
        import sys
        import akquise_desktop.models
        print("sqlalchemy.dialects.postgresql" in sys.modules)
        """
    )
    assert out.strip() == "False"


def test_json_columns_are_json_and_jsonb_on_postgresql(db):
    column = m.BulkChange.__table__.c.before
    assert isinstance(column.type, JSON)  # what the bulk writer looks for
    expected = "JSON" if db.is_sqlite else "JSONB"
    assert column.type.compile(dialect=db.engine.dialect) == expected
    if not db.is_sqlite:
        with db.read() as s:
            kind = s.scalar(
                text(
                    "SELECT data_type FROM information_schema.columns "
                    "WHERE table_name = 'bulk_change' AND column_name = 'before'"
                )
            )
        assert kind == "jsonb"


def test_json_values_and_none_round_trip(db):
    world = make_world(db)
    with db.write() as s:
        search = m.SavedSearch(
            user_id=world.sales_id, name="Köln", criteria={"city": "Köln", "ids": [1, 2]}
        )
        s.add(search)
        s.flush()
        search_id = search.id
        # None in a JSON column is JSON null, not SQL NULL (as JSON() stores it):
        # the NOT NULL column takes it.
        empty = m.SavedSearch(user_id=world.sales_id, name="leer", criteria=None)
        s.add(empty)
        s.flush()
        empty_id = empty.id
    with db.read() as s:
        assert s.get(m.SavedSearch, search_id).criteria == {"city": "Köln", "ids": [1, 2]}
        assert s.get(m.SavedSearch, empty_id).criteria is None
        stored = s.scalar(
            text("SELECT criteria IS NULL FROM saved_search WHERE id = :i"), {"i": empty_id}
        )
        assert not stored
