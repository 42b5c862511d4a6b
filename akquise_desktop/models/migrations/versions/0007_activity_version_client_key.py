"""activity version and client key: corrections name their version, saves are idempotent

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 09:00:00

``activity.version`` (1 for every existing activity) lets a correction be
refused when someone corrected the activity since it was shown, as record,
contact and follow-up edits are. ``activity.client_key`` is the optional
idempotency key of the save that wrote the activity (a UUID made by the
client, unique): a save repeated with the same key, after its answer was lost,
returns the first result instead of writing a second activity.

Both columns are added in place (SQLite ``ADD COLUMN``, no table rebuild: a
rebuild would drop ``activity`` under the follow-ups and status changes that
reference it); the key's uniqueness is a unique index, which either database
creates without a rebuild.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "activity", sa.Column("version", sa.Integer(), server_default="1", nullable=False)
    )
    op.add_column("activity", sa.Column("client_key", sa.String(length=36), nullable=True))
    op.create_index("ix_activity_client_key", "activity", ["client_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_activity_client_key", table_name="activity")
    # Native DROP COLUMN on both (SQLite >= 3.35), again without a rebuild.
    op.execute("ALTER TABLE activity DROP COLUMN client_key")
    op.execute("ALTER TABLE activity DROP COLUMN version")
