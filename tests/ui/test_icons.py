"""Icons: the Material Design Icons 6 glyphs drawn from QtAwesome's font without
importing QtAwesome, pixel for pixel as QtAwesome draws them."""

from __future__ import annotations

import subprocess
import sys

import pytest
import qtawesome as qta
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon

from akquise_desktop.ui import common


@pytest.mark.parametrize("name", ["mdi6.star", "mdi6.calendar-check-outline", "mdi6.repeat"])
def test_icons_look_as_qtawesome_draws_them(qapp, name):
    ours = common.icon(name, "#37474F")
    theirs = qta.icon(name, color=QColor("#37474F"))
    for size in (16, 22, 32):
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled):
            a = ours.pixmap(QSize(size, size), mode).toImage()
            b = theirs.pixmap(QSize(size, size), mode).toImage()
            assert a == b, (name, size, mode)


def test_unknown_icon_names(qapp):
    with pytest.raises(Exception):  # noqa: B017 - as QtAwesome: an unknown name raises
        common.icon("mdi6.no-such-icon-here")
    fallback = common.activity_type_icon("mdi6.no-such-icon-either")
    assert not fallback.isNull()
    assert not common.activity_type_icon("fa5s.phone").isNull()  # other sets: QtAwesome


def test_icons_need_no_qtawesome_import():
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from akquise_desktop.ui import common\n"
        "assert not common.icon('mdi6.star', '#37474F').isNull()\n"
        "assert not common.priority_icon(common.PRIORITY_HIGH).isNull()\n"
        "assert not common.activity_type_icon('mdi6.phone').isNull()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('qtawesome', 'qtpy')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
