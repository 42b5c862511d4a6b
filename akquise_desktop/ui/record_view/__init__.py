"""The record view (this package keeps the import path of the former module
``ui/record_view.py``).

- :mod:`.view`: :class:`RecordView` — everything about one record; the master
  data and contact forms
"""

from .view import ContactForm, MasterDataForm, RecordView

__all__ = ["ContactForm", "MasterDataForm", "RecordView"]
