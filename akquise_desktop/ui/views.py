"""The main window's views: which widget each navigation entry shows and how
it is wired to the window (open a record, back, new record …). Made on first
use (MainWindow.page), so a view's module is imported only when it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from .main_window import MainWindow

ADMIN_PAGE = "admin"
RECORD_PAGE = "record"


def make_page(window: MainWindow, key: str) -> QWidget:
    """The view ``key`` (one of the navigation's, or the record view), made
    and wired to the window; its module is imported only now."""
    s = window.services
    if key == "follow_ups":
        from .follow_up_list import FollowUpListView

        follow_ups = FollowUpListView(s, window)
        if window._power_tools is not None:
            window._power_tools.attach_follow_up_list(follow_ups)
        follow_ups.record_requested.connect(window.open_record)
        return follow_ups
    if key == "records":
        from .record_list import RecordListView

        records = RecordListView(s, window.lookup_store, window, load_when_shown=True)
        records.new_record_requested.connect(window.new_record)
        records.demo_requested.connect(window.load_demo_data)
        if window._power_tools is not None:
            window._power_tools.attach_record_list(records)
        records.record_requested.connect(window.open_record)
        return records
    if key == "stream":
        from .activity_stream import ActivityStreamView

        stream = ActivityStreamView(s, window)
        stream.record_requested.connect(window.open_record)
        return stream
    if key == "dead":
        from .dead_records import DeadRecordsView

        dead = DeadRecordsView(s, window)
        dead.record_requested.connect(window.open_record)
        return dead
    if key == "campaigns":
        from akquise_desktop.queries.records import RecordCriteria

        from .campaigns_view import CampaignsView

        campaigns = CampaignsView(s, window)
        campaigns.status_requested.connect(window._show_status_records)
        campaigns.campaign_requested.connect(
            lambda cid: window.show_records(RecordCriteria(campaign_id=cid))
        )
        return campaigns
    if key == ADMIN_PAGE:
        from .admin.view import AdminView

        return AdminView(s, window.admin_rights, window)
    if key == RECORD_PAGE:
        from .record_view import RecordView

        record_view = RecordView(s, window.lookup_store, window)
        record_view.back_requested.connect(window.go_back)
        record_view.record_loaded.connect(window._select_follow_up)
        return record_view
    raise KeyError(key)
