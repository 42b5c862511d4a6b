"""The record view (this package keeps the import path of the former module
``ui/record_view.py``).

- :mod:`.view`: :class:`RecordView` — everything about one record
- :mod:`.forms`: :class:`MasterDataForm`, :class:`ContactForm` — the editable
  forms (inputs by field name, checks, unsaved input, refusals)
- :mod:`.follow_ups`: :class:`FollowUpPanel` — the open follow-ups with
  Complete and Source activity
"""

from .follow_ups import FollowUpPanel
from .forms import ContactForm, MasterDataForm
from .view import RecordView

__all__ = ["ContactForm", "FollowUpPanel", "MasterDataForm", "RecordView"]
