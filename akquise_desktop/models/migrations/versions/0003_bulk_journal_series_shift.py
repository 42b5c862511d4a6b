"""bulk journal (undo of bulk changes) and the shift of recurring series

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-27 06:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "bulk_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=40), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("undo_refused", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["app_user.id"], name=op.f("fk_bulk_run_undone_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_bulk_run_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_run")),
    )
    with op.batch_alter_table("bulk_run", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bulk_run_user_created", ["user_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "bulk_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("before", JSON, nullable=True),
        sa.Column("after", JSON, nullable=True),
        sa.Column("version_after", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["bulk_run.id"],
            name=op.f("fk_bulk_change_run_id_bulk_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_change")),
    )
    with op.batch_alter_table("bulk_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bulk_change_run_target", ["run_id", "target_id", "id"], unique=False
        )

    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recurrence_shift", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("recurrence_shift")

    with op.batch_alter_table("bulk_change", schema=None) as batch_op:
        batch_op.drop_index("ix_bulk_change_run_target")
    op.drop_table("bulk_change")

    with op.batch_alter_table("bulk_run", schema=None) as batch_op:
        batch_op.drop_index("ix_bulk_run_user_created")
    op.drop_table("bulk_run")
