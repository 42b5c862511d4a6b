"""sort indexes: the record list's other sort orders page by index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 07:40:00

The record list pages by key (``queries/records.py``); a sort order is cheap
when an index returns it. Phone had none (both databases). PostgreSQL reads
a B-tree index backwards for the opposite direction, which also flips where
NULLs go, so the sorts that keep empty values last in both directions (city,
phone, next follow-up) and "days inactive" (never active first, ascending)
need a second index with NULLs first. SQLite places NULLs itself and needs
none of those. The PostgreSQL-only indexes live only here, not in the models
(``search.include_object`` leaves them out of a comparison).
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# name -> definition (PostgreSQL only)
POSTGRESQL_INDEXES = {
    "ix_record_city_nulls_first": "record (city NULLS FIRST, lower(name), id)",
    "ix_record_phone_nulls_first": "record (phone NULLS FIRST, id)",
    "ix_record_next_follow_up_nulls_first": "record (next_follow_up_date NULLS FIRST, id)",
    "ix_record_last_activity_nulls_first": "record (last_activity_at NULLS FIRST, id)",
}


def upgrade() -> None:
    op.create_index("ix_record_phone", "record", ["phone", "id"])
    if op.get_bind().dialect.name == "postgresql":
        for name, definition in POSTGRESQL_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {definition}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in POSTGRESQL_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_record_phone", table_name="record")
