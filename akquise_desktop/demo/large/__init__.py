"""A large, deterministic data set: a mid-sized sales team's database after ten years.

At factor 1.0: 100,000 records, 250,000 contact persons, 2,000,000 activities,
1,500,000 done and 150,000 open follow-ups (some of them recurring series),
50 users in 6 teams, 5 campaigns with 6–10 statuses each. Every count scales
with the factor (``generate_large(db, factor=0.01)`` for tests); users, teams
and campaigns stay the same.

How it is built:

* Users, teams, role groups, activity types and campaigns are created through
  the controller, as an administrator would.
* The history is *planned* in Python first (how many activities, contacts,
  done and open follow-ups each record gets, and each campaign membership's
  walk through its allowed next statuses), with exact totals, and then
  *written* record by record in bulk: ``executemany`` on SQLite, ``COPY`` on
  PostgreSQL. Ids are assigned here, so rows refer to each other without
  round trips; on PostgreSQL the sequences are moved past them afterwards.
* The plan follows the chain rules by construction: every status change is
  carried by an activity and goes to an allowed next status; memberships hold
  the latest status change; every follow-up has a source activity of its
  record; a done follow-up is completed by the record's next activity; an
  activity that sets no follow-up while the record has a live status (active
  campaign, non-final status) is logged by a user of the "Innendienst" role
  group, whose "no activity without a follow-up" policy is off; recurring
  series continue from the activity that completed the previous occurrence;
  ``Record.last_activity_at`` and ``next_follow_up_date`` are the derived values.

So :func:`akquise_desktop.queries.invariants.check_invariants` finds nothing,
except *dead records* (about 1.5 % of the live records): their last activity
was logged by an Innendienst user (policy off) who set no follow-up — the
defect the dead-records view exists to surface.

Realistic shape: activities per record are log-normal (median about 8, a
handful of key accounts with thousands), spread over up to ten years; open
follow-ups are due around today (about a third overdue, a tail into the next
months); names, cities and contact persons are German.

What lives where (this module only re-exports):

* ``plan`` — the sizes (:class:`Targets`), :class:`LargeResult`, the world set
  up through the controller (``_setup``) and the plan of the history (``_plan``).
* ``vocabulary`` — names, firms, cities, notes, teams, rights, the campaigns and
  their workflows, the recurring series.
* ``write`` — the value formats, the bulk writer (``_Writer``: ``executemany`` on
  SQLite, ``COPY`` on PostgreSQL) and the history writer (``_History``).
* ``indexes`` — indexes, triggers and foreign keys taken off before the load and
  put back after it, sequences moved, statistics (``_prepare``, ``_drop``,
  ``_finish``, ``_after``).
* ``generate`` — the entry points :func:`generate_large` and :func:`command`
  (the CLI's ``demo --scale large``).
"""

from __future__ import annotations

from .generate import command, generate_large
from .plan import LargeResult, Targets

__all__ = ["LargeResult", "Targets", "command", "generate_large"]
