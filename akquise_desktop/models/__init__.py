"""SQLAlchemy models: the database schema of AkquiseDesktop.

The schema itself is created and upgraded only by the Alembic migrations in
``migrations/``; ``Base.metadata`` is the reference they are checked against.
"""

from .activities import (
    INSTRUCTION_MAX,
    SUBJECT_MAX,
    TEXT_MAX,
    Activity,
    ActivityType,
    FollowUp,
    FollowUpState,
    Priority,
    RecurrenceAnchor,
    StatusChange,
)
from .audit import AuditEntry
from .base import Base, UTCDateTime, utcnow
from .bulk import BulkChange, BulkChangeAction, BulkRun, BulkRunState
from .campaigns import Campaign, CampaignMembership, CampaignStatus, StatusTransition
from .people import Module, RoleGroup, RoleGroupRight, Scope, Team, User
from .records import Contact, Record, RecordKind
from .searches import SavedSearch
from .settings import SETTINGS_ID, SystemSettings, parse_working_days

__all__ = [
    "INSTRUCTION_MAX",
    "SETTINGS_ID",
    "SUBJECT_MAX",
    "TEXT_MAX",
    "Activity",
    "ActivityType",
    "AuditEntry",
    "Base",
    "BulkChange",
    "BulkChangeAction",
    "BulkRun",
    "BulkRunState",
    "Campaign",
    "CampaignMembership",
    "CampaignStatus",
    "Contact",
    "FollowUp",
    "FollowUpState",
    "Module",
    "Priority",
    "Record",
    "RecordKind",
    "RecurrenceAnchor",
    "RoleGroup",
    "RoleGroupRight",
    "SavedSearch",
    "Scope",
    "StatusChange",
    "StatusTransition",
    "SystemSettings",
    "Team",
    "UTCDateTime",
    "User",
    "parse_working_days",
    "utcnow",
]
