"""The chain policies as pure functions, shared by the controller (which
enforces them) and the activity mask (which shows them before saving)."""

from __future__ import annotations

from collections.abc import Iterable


def activity_needs_follow_up(
    *,
    policy_on: bool,
    final_after: Iterable[bool],
    next_follow_up_given: bool,
    series_continues: bool = False,
) -> bool:
    """Whether saving an activity must be refused for lack of a next follow-up.

    ``final_after``: for each of the record's memberships in an active campaign,
    whether its status is final after this activity. No membership at all
    ("no campaign status yet") or only final statuses need no follow-up.
    ``series_continues``: a completed recurring follow-up creates its next
    occurrence, which keeps the chain.
    """
    if not policy_on or next_follow_up_given or series_continues:
        return False
    return any(not final for final in final_after)


def follow_up_needs_activity(*, policy_on: bool, source_activity_given: bool) -> bool:
    """Whether creating a follow-up must be refused for lack of a source activity."""
    return policy_on and not source_activity_given
