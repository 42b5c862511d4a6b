"""The controller layer: the only code that changes data."""

from .bootstrap import bootstrap, resolve_user
from .commands import (
    UNSET,
    ContactData,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    StatusSpec,
)
from .controller import Controller

__all__ = [
    "UNSET",
    "ContactData",
    "Controller",
    "LogActivity",
    "NextFollowUp",
    "RecordData",
    "RoleGroupData",
    "StatusSpec",
    "bootstrap",
    "resolve_user",
]
