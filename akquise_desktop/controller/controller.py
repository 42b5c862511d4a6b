"""The controller: the only code that changes data.

One public call = one write transaction = one :class:`ChangeSummary`. Every
call checks the acting user's role group (rights per module and scope, chain
policies) before it writes; a refusal raises :class:`DomainError` and the
transaction is rolled back, so nothing is written.
"""

from __future__ import annotations

from .admin import AdminOps
from .base import LIMITS
from .campaigns import CampaignOps
from .chain import ChainOps
from .follow_ups import FollowUpOps
from .records import RecordOps
from .settings import SettingsOps

# LIMITS: the UI takes its fields' maximum lengths from here.
__all__ = ["LIMITS", "Controller"]


class Controller(RecordOps, ChainOps, FollowUpOps, CampaignOps, AdminOps, SettingsOps):
    """All data changes, on behalf of one user.

    Concurrent writers: see :mod:`.concurrency` (one lock order, record first;
    whole-transaction retries of deadlocks and serialisation failures, counted
    in :attr:`retries`; version conflicts as ``concurrency.stale`` with the
    current values).

    The operations live by domain: the frame, lookups and rights in
    :mod:`.base`; records and contacts in :mod:`.records`; the activity chain
    (activities, status changes, completed and next follow-ups, corrections)
    in :mod:`.chain`; follow-ups on their own in :mod:`.follow_ups`; campaigns
    and their statuses and workflow in :mod:`.campaigns`; teams, role groups
    and users in :mod:`.admin`; activity types and the system settings in
    :mod:`.settings`."""
