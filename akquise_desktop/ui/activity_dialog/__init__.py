"""The activity dialog — the central mask (this package keeps the import path
of the former module ``ui/activity_dialog.py``).

- :mod:`.dialog`: :class:`ActivityDialog` — composes the parts below; loading
  the record's form, the rules before saving, saving (refusals, version
  conflicts, the keyed check after a lost answer)
- :mod:`.activity_box`: :class:`ActivityBox` — the activity: type, time and
  duration, contact person, subject, text
- :mod:`.checklist`: :class:`FollowUpChecklist` — the record's open follow-ups,
  those ticked completed by the activity (with the versions seen)
- :mod:`.statuses`: :class:`StatusChooser` — the campaign statuses: a button
  per allowed next status (Folgestatus), one per campaign
- :mod:`.next_follow_up`: :class:`NextFollowUpEditor` — the next follow-up:
  due date and quick picks, time, assignee, priority, recurrence, instruction
- :mod:`.shared`: what the dialog and its parts share (the UI language of
  refusals, whether a series goes on, locale formats, readable rules)
"""

from .activity_box import ActivityBox
from .checklist import FollowUpChecklist
from .dialog import ActivityDialog, outcome_unknown
from .next_follow_up import NextFollowUpEditor
from .shared import series_continues, ui_language
from .statuses import StatusChooser

__all__ = [
    "ActivityBox",
    "ActivityDialog",
    "FollowUpChecklist",
    "NextFollowUpEditor",
    "StatusChooser",
    "outcome_unknown",
    "series_continues",
    "ui_language",
]
