"""The activity dialog's parts, each alone on a hand-made form: the
campaign-status chooser."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from akquise_desktop.queries import activity_form as af
from akquise_desktop.ui.activity_dialog.statuses import StatusChooser

ACTOR = af.Actor(
    id=1, name="Katrin Becker", time_zone="Europe/Berlin", default_follow_up_days=7,
    role_group="Vertrieb", activity_requires_follow_up=True, follow_up_requires_activity=True,
    may_log_activity=True,
)  # fmt: skip


def option(sid: int, name: str, *, final: bool = False, default: bool = False) -> af.StatusOption:
    return af.StatusOption(id=sid, name=name, color="#1565C0", is_final=final, is_default=default)


def membership(cid: int, *options: af.StatusOption) -> af.MembershipForm:
    return af.MembershipForm(
        campaign_id=cid, campaign_name=f"Kampagne {cid}", status_id=1, status_name="Erstkontakt",
        status_color="#607D8B", status_is_final=False, next_statuses=options,
    )  # fmt: skip


def form(**kw) -> af.ActivityForm:
    empty = af.ActivityForm(
        record_id=1, record_name="Muster GmbH", contacts=(), open_follow_ups=(), memberships=(),
        activity_types=(), users=(), actor=ACTOR,
    )  # fmt: skip
    return replace(empty, **kw)


# --- the campaign-status chooser --------------------------------------------------------


@pytest.fixture
def chooser(qtbot):
    widget = StatusChooser()
    qtbot.addWidget(widget)
    return widget


def test_status_chooser_one_status_per_campaign(qtbot, chooser):
    offer, won = option(2, "Angebot", default=True), option(3, "Gewonnen", final=True)
    chooser.fill(form(memberships=(membership(10, offer, won), membership(20, offer))), {})
    assert chooser.chosen_statuses() == {} and chooser.chosen_options() == {}
    assert [b.text() for b in chooser.focus_chain()] == ["Angebot", "Gewonnen (final)", "Angebot"]
    default = chooser.status_button(10, "Angebot")
    assert default.font().bold() and "the default next status" in default.toolTip()
    assert "final" in chooser.status_button(10, "Gewonnen").toolTip()

    with qtbot.waitSignal(chooser.changed):
        qtbot.mouseClick(default, Qt.MouseButton.LeftButton)
    chooser.status_button(20, "Angebot").click()
    assert chooser.chosen_statuses() == {10: 2, 20: 2}
    chooser.status_button(10, "Gewonnen").click()  # the other one in campaign 10 is unchosen
    assert chooser.chosen_statuses() == {10: 3, 20: 2}
    assert chooser.chosen_options()[10] == won
    chooser.status_button(10, "Gewonnen").click()  # clicked again: no status for campaign 10
    assert chooser.chosen_statuses() == {20: 2}
    with pytest.raises(KeyError):
        chooser.status_button(10, "Verloren")


def test_status_chooser_keeps_the_choice_when_filled_again(chooser):
    offer = option(2, "Angebot")
    chooser.fill(form(memberships=(membership(10, offer),)), {})
    chooser.status_button(10, "Angebot").click()
    chooser.fill(form(memberships=(membership(10, offer),)), chooser.chosen_statuses())
    assert chooser.chosen_statuses() == {10: 2}
    assert chooser.status_button(10, "Angebot").isChecked()


def test_status_chooser_without_campaigns_or_next_statuses(chooser):
    chooser.fill(form(), {})
    assert "The record is in no active campaign." in _texts(chooser)
    chooser.fill(form(memberships=(membership(10),)), {})
    assert "No next status allowed." in _texts(chooser) and chooser.focus_chain() == []


def _texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]
