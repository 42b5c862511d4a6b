"""The record view (this package keeps the import path of the former module
``ui/record_view.py``).

- :mod:`.view`: :class:`RecordView` — everything about one record: composes the
  parts below, loads the record, saves master data and contacts
- :mod:`.forms`: :class:`MasterDataForm`, :class:`ContactForm` — the editable
  forms (inputs by field name, checks, unsaved input, refusals)
- :mod:`.tabs`: :class:`ContactsTab` (the contact list and the form of the
  chosen one), :class:`MembershipsTab` — the tabs besides the master data
- :mod:`.follow_ups`: :class:`FollowUpPanel` — the open follow-ups with
  Complete and Source activity
- :mod:`.timeline`: :class:`TimelinePanel` — the timeline and the entry details
"""

from .follow_ups import FollowUpPanel
from .forms import ContactForm, MasterDataForm
from .tabs import ContactsTab, MembershipsTab
from .timeline import TimelinePanel
from .view import RecordView

__all__ = [
    "ContactForm",
    "ContactsTab",
    "FollowUpPanel",
    "MasterDataForm",
    "MembershipsTab",
    "RecordView",
    "TimelinePanel",
]
