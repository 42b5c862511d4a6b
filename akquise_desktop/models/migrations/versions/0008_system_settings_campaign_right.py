"""system settings, and campaigns as a right of their own

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:00:00

``system_settings`` is one row (id 1) of what administrators set for everyone:
the company's name, the default days for a new follow-up, whether new
recurring series may be made, the working days and public-holiday region that
default dates respect, and the default language. It is created with its
defaults, so every database has the row.

Campaign administration was part of the "settings" right; it becomes the right
"campaigns". Every role group keeps what it could do: its "campaigns" scope is
its "settings" scope.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "system_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=True),
        sa.Column("default_follow_up_days", sa.Integer(), nullable=False),
        sa.Column("recurring_follow_ups", sa.Boolean(), nullable=False),
        sa.Column("working_days", sa.String(length=20), nullable=False),
        sa.Column("holiday_region", sa.String(length=10), nullable=True),
        sa.Column("default_language", sa.String(length=2), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_system_settings_single_row")),
        sa.CheckConstraint(
            "default_follow_up_days BETWEEN 1 AND 365",
            name=op.f("ck_system_settings_follow_up_days"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_system_settings")),
    )
    op.execute(
        "INSERT INTO system_settings (id, company_name, default_follow_up_days, "
        "recurring_follow_ups, working_days, holiday_region, default_language, version) "
        "VALUES (1, NULL, 7, TRUE, '1,2,3,4,5', NULL, 'de', 1)"
    )
    op.execute(
        "INSERT INTO role_group_right (role_group_id, module, scope) "
        "SELECT role_group_id, 'campaigns', scope FROM role_group_right WHERE module = 'settings'"
    )


def downgrade() -> None:
    op.execute("DELETE FROM role_group_right WHERE module = 'campaigns'")
    op.drop_table("system_settings")
