"""The controller layer: the only code that changes data."""

from .bootstrap import bootstrap, resolve_user
from .commands import (
    UNSET,
    ActivityTypeData,
    ContactData,
    FirstRun,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    SettingsData,
    StatusData,
    StatusSpec,
    UserData,
)
from .controller import Controller

__all__ = [
    "UNSET",
    "ActivityTypeData",
    "ContactData",
    "Controller",
    "FirstRun",
    "LogActivity",
    "NextFollowUp",
    "RecordData",
    "RoleGroupData",
    "SettingsData",
    "StatusData",
    "StatusSpec",
    "UserData",
    "bootstrap",
    "resolve_user",
]
