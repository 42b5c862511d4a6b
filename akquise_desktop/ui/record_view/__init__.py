"""The record view (this package keeps the import path of the former module
``ui/record_view.py``).

- :mod:`.view`: :class:`RecordView` — everything about one record
- :mod:`.forms`: :class:`MasterDataForm`, :class:`ContactForm` — the editable
  forms (inputs by field name, checks, unsaved input, refusals)
"""

from .forms import ContactForm, MasterDataForm
from .view import RecordView

__all__ = ["ContactForm", "MasterDataForm", "RecordView"]
