"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 04:09:47.763335
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "activity_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("icon", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_type")),
        sa.UniqueConstraint("name", name=op.f("uq_activity_type_name")),
    )
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
        sa.UniqueConstraint("name", name=op.f("uq_campaign_name")),
    )
    op.create_table(
        "role_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("follow_up_requires_activity", sa.Boolean(), nullable=False),
        sa.Column("activity_requires_follow_up", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_group")),
        sa.UniqueConstraint("name", name=op.f("uq_role_group_name")),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("name", name=op.f("uq_team_name")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("role_group_id", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("default_follow_up_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_group_id"], ["role_group.id"], name=op.f("fk_app_user_role_group_id_role_group")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_app_user_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("login", name=op.f("uq_app_user_login")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_app_user_role_group_id"), ["role_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_app_user_team_id"), ["team_id"], unique=False)

    op.create_table(
        "campaign_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("color", sa.String(length=9), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_final", sa.Boolean(), nullable=False),
        sa.Column("is_start", sa.Boolean(), nullable=False),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name=op.f("ck_campaign_status_progress")),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_status_campaign_id_campaign")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_status")),
        sa.UniqueConstraint("campaign_id", "name", name=op.f("uq_campaign_status_campaign_id")),
    )
    with op.batch_alter_table("campaign_status", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_status_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "role_group_right",
        sa.Column("role_group_id", sa.Integer(), nullable=False),
        sa.Column("module", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_group_id"],
            ["role_group.id"],
            name=op.f("fk_role_group_right_role_group_id_role_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("role_group_id", "module", name=op.f("pk_role_group_right")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("operation", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column(
            "before",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "after",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_audit_entry_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_entry_entity", ["entity", "entity_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_user_id"), ["user_id"], unique=False)

    op.create_table(
        "record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("website", sa.String(length=254), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_follow_up_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('company', 'person')", name=op.f("ck_record_kind")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["app_user.id"], name=op.f("fk_record_owner_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record")),
    )
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_city"), ["city"], unique=False)
        batch_op.create_index("ix_record_last_activity", ["last_activity_at", "id"], unique=False)
        batch_op.create_index("ix_record_name_id", ["name", "id"], unique=False)
        batch_op.create_index(
            "ix_record_next_follow_up", ["next_follow_up_date", "id"], unique=False
        )
        batch_op.create_index("ix_record_owner_name", ["owner_id", "name", "id"], unique=False)

    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "criteria",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_saved_search_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_saved_search_user_id")),
    )
    op.create_table(
        "status_transition",
        sa.Column("from_status_id", sa.Integer(), nullable=False),
        sa.Column("to_status_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_status_id"],
            ["campaign_status.id"],
            name=op.f("fk_status_transition_from_status_id_campaign_status"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_status_id"],
            ["campaign_status.id"],
            name=op.f("fk_status_transition_to_status_id_campaign_status"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "from_status_id", "to_status_id", name=op.f("pk_status_transition")
        ),
    )
    op.create_table(
        "campaign_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("status_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_campaign_membership_campaign_id_campaign"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_campaign_membership_record_id_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["status_id"],
            ["campaign_status.id"],
            name=op.f("fk_campaign_membership_status_id_campaign_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_membership")),
        sa.UniqueConstraint(
            "record_id", "campaign_id", name=op.f("uq_campaign_membership_record_id")
        ),
    )
    with op.batch_alter_table("campaign_membership", schema=None) as batch_op:
        batch_op.create_index(
            "ix_campaign_membership_campaign_status",
            ["campaign_id", "status_id", "record_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_campaign_membership_status_record", ["status_id", "record_id"], unique=False
        )

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("salutation", sa.String(length=30), nullable=True),
        sa.Column("title", sa.String(length=50), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("mobile", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_contact_record_id_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_last_name"), ["last_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_record_id"), ["record_id"], unique=False)

    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes >= 0", name=op.f("ck_activity_duration")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_activity_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_activity_record_id_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"], ["activity_type.id"], name=op.f("fk_activity_type_id_activity_type")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_activity_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index("ix_activity_occurred", ["occurred_at", "id"], unique=False)
        batch_op.create_index(
            "ix_activity_record_occurred", ["record_id", "occurred_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_activity_user_occurred", ["user_id", "occurred_at", "id"], unique=False
        )

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("due_time", sa.Time(), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("instruction", sa.String(length=500), nullable=False),
        sa.Column("source_activity_id", sa.Integer(), nullable=True),
        sa.Column("completed_by_activity_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recurrence", sa.String(length=500), nullable=True),
        sa.Column("recurrence_anchor", sa.String(length=12), nullable=False),
        sa.Column("series_start_date", sa.Date(), nullable=True),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(state = 'done') = (completed_by_activity_id IS NOT NULL)",
            name=op.f("ck_follow_up_done_by_activity"),
        ),
        sa.CheckConstraint(
            "state IN ('open', 'done', 'cancelled')", name=op.f("ck_follow_up_state")
        ),
        sa.CheckConstraint("priority IN (0, 1, 2)", name=op.f("ck_follow_up_priority")),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["app_user.id"], name=op.f("fk_follow_up_assignee_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"], ["app_user.id"], name=op.f("fk_follow_up_cancelled_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_activity_id"],
            ["activity.id"],
            name=op.f("fk_follow_up_completed_by_activity_id_activity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_follow_up_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["follow_up.id"],
            name=op.f("fk_follow_up_previous_id_follow_up"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_follow_up_record_id_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_activity_id"],
            ["activity.id"],
            name=op.f("fk_follow_up_source_activity_id_activity"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(
            "ix_follow_up_assignee_open_due",
            ["assignee_id", "state", "due_date", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_follow_up_completed_by_activity_id"),
            ["completed_by_activity_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_follow_up_previous_id"), ["previous_id"], unique=False)
        batch_op.create_index(
            "ix_follow_up_record_state", ["record_id", "state", "due_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_follow_up_source_activity_id"), ["source_activity_id"], unique=False
        )
        batch_op.create_index("ix_follow_up_state_due", ["state", "due_date", "id"], unique=False)

    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("from_status_id", sa.Integer(), nullable=True),
        sa.Column("to_status_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_status_change_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_status_change_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["from_status_id"],
            ["campaign_status.id"],
            name=op.f("fk_status_change_from_status_id_campaign_status"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
            name=op.f("fk_status_change_record_id_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_status_id"],
            ["campaign_status.id"],
            name=op.f("fk_status_change_to_status_id_campaign_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_change")),
    )
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_change_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            "ix_status_change_record_campaign", ["record_id", "campaign_id", "id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.drop_index("ix_status_change_record_campaign")
        batch_op.drop_index(batch_op.f("ix_status_change_activity_id"))

    op.drop_table("status_change")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_state_due")
        batch_op.drop_index(batch_op.f("ix_follow_up_source_activity_id"))
        batch_op.drop_index("ix_follow_up_record_state")
        batch_op.drop_index(batch_op.f("ix_follow_up_previous_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_completed_by_activity_id"))
        batch_op.drop_index("ix_follow_up_assignee_open_due")

    op.drop_table("follow_up")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_user_occurred")
        batch_op.drop_index("ix_activity_record_occurred")
        batch_op.drop_index("ix_activity_occurred")
        batch_op.drop_index(batch_op.f("ix_activity_contact_id"))

    op.drop_table("activity")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_record_id"))
        batch_op.drop_index(batch_op.f("ix_contact_last_name"))

    op.drop_table("contact")
    with op.batch_alter_table("campaign_membership", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_membership_status_record")
        batch_op.drop_index("ix_campaign_membership_campaign_status")

    op.drop_table("campaign_membership")
    op.drop_table("status_transition")
    op.drop_table("saved_search")
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_index("ix_record_owner_name")
        batch_op.drop_index("ix_record_next_follow_up")
        batch_op.drop_index("ix_record_name_id")
        batch_op.drop_index("ix_record_last_activity")
        batch_op.drop_index(batch_op.f("ix_record_city"))

    op.drop_table("record")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_user_id"))
        batch_op.drop_index("ix_audit_entry_entity")
        batch_op.drop_index("ix_audit_entry_at")

    op.drop_table("audit_entry")
    op.drop_table("role_group_right")
    with op.batch_alter_table("campaign_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_status_campaign_id"))

    op.drop_table("campaign_status")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_team_id"))
        batch_op.drop_index(batch_op.f("ix_app_user_role_group_id"))

    op.drop_table("app_user")
    op.drop_table("team")
    op.drop_table("role_group")
    op.drop_table("campaign")
    op.drop_table("activity_type")
