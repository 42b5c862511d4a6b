"""``akquise-desktop screenshots``: every view rendered into a PNG."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from akquise_desktop import cli
from akquise_desktop.ui import i18n, screenshots

EXPECTED = [
    "01_follow_ups.png",
    "02_records.png",
    "03_stream.png",
    "04_dead.png",
    "05_campaigns.png",
    "06_record.png",
    "07_record_contacts.png",
    "08_activity_dialog.png",
    "09_admin_users.png",
    "10_admin_role_groups.png",
    "11_admin_campaigns.png",
    "12_start_dialog.png",  # (the dialogs at their own size)
    "13_first_run.png",
]
DIALOGS = {"12_start_dialog.png", "13_first_run.png"}


@pytest.fixture(autouse=True)
def back_to_english(qapp):
    yield
    i18n.uninstall()


def _distinct_colours(path) -> int:
    image = QImage(str(path))
    step = 7
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def test_cli_renders_every_view(demo_db, tmp_path, capsys):
    out = tmp_path / "shots"
    status = cli.main(
        ["screenshots", "--db", str(demo_db.url.database), "--out", str(out), "--lang", "en"]
    )
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == EXPECTED
    for name in EXPECTED:
        image = QImage(str(out / name))
        if name not in DIALOGS:
            assert (image.width(), image.height()) == screenshots.WINDOW_SIZE, name
        assert _distinct_colours(out / name) > 20, f"{name} looks empty"
    assert str(out / EXPECTED[0]) in capsys.readouterr().out


def test_subject_is_the_busiest_user_with_a_rich_record(demo_db, clock):
    from sqlalchemy import func, select

    from akquise_desktop import models as m

    with demo_db.read() as s:
        subject = screenshots.pick_subject(s, clock.today())
        counts = dict(
            s.execute(
                select(m.FollowUp.assignee_id, func.count())
                .where(m.FollowUp.state == "open")
                .group_by(m.FollowUp.assignee_id)
            ).all()
        )
        record_of_fu = s.scalar(
            select(m.FollowUp.record_id).where(m.FollowUp.id == subject.follow_up_id)
        )
    assert counts[subject.user_id] == max(counts.values())
    assert record_of_fu == subject.record_id


def test_without_db_a_fresh_demo_database_is_used(tmp_path, monkeypatch):
    monkeypatch.setattr(screenshots, "DEMO_RECORDS", 12)
    monkeypatch.setenv("AKQUISE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "fresh"
    assert cli.main(["screenshots", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == EXPECTED


def test_unreachable_database_is_one_line_error(tmp_path, capsys):
    status = cli.main(
        ["screenshots", "--db", str(tmp_path / "missing.sqlite3"), "--out", str(tmp_path)]
    )
    assert status != 0
    err = capsys.readouterr().err
    assert err.startswith("akquise-desktop:") and "Traceback" not in err
