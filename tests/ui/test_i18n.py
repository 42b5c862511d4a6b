"""UI language: German by default from the .ts (compiled at first start),
English on request, every string of the UI translated."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from akquise_desktop.ui import i18n
from akquise_desktop.ui.main_window import MainWindow
from akquise_desktop.ui.settings import Settings


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def back_to_english(qapp):
    """Other tests expect the untranslated (English) UI."""
    yield
    i18n.uninstall()


def _window(qtbot, services, tmp_path):
    win = MainWindow(
        services,
        Settings.at(str(tmp_path / "s.ini")),
        db_description="Test",
        user_name="Katrin Becker",
    )
    qtbot.addWidget(win)
    return win


def test_german_is_the_default(qtbot, services, tmp_path, cache):
    assert i18n.install(None, cache=cache) == "de"
    assert i18n.current_language() == "de"
    assert QLocale().language() == QLocale.Language.German
    win = _window(qtbot, services, tmp_path)
    nav = [win.nav.item(i).text() for i in range(win.nav.count())]
    assert nav == ["Meine Wiedervorlagen", "Datensätze", "Aktivitätsstrom", "Tote Kunden",
                   "Kampagnen", "Verwaltung"]  # fmt: skip
    assert win.menuBar().actions()[0].text() == "&Datei"
    model = win.record_list.model
    assert model.headers[model.COLUMNS.index("next_follow_up")] == "Nächste WV"
    assert win.record_view.log_button.text() == "&Aktivität erfassen …"
    assert "Datenbank" in win.db_label.text()


def test_english_on_request(qtbot, services, tmp_path, cache):
    i18n.install("de", cache=cache)
    assert i18n.install("en", cache=cache) == "en"
    assert QLocale().language() == QLocale.Language.English
    win = _window(qtbot, services, tmp_path)
    assert win.nav.item(0).text() == "My follow-ups"
    assert win.record_view.log_button.text() == "&Log activity …"


def test_language_setting_and_unknown_language(tmp_path, cache):
    settings = Settings.at(str(tmp_path / "s.ini"))
    assert settings.language == "de"
    settings.language = "en"
    assert Settings.at(str(tmp_path / "s.ini")).language == "en"
    with pytest.raises(ValueError):
        settings.language = "fr"
    assert i18n.install("fr", cache=cache) == "de"  # unknown: the default


@pytest.fixture
def sources(tmp_path, monkeypatch):
    """A copy of the translation sources without any built .qm next to them."""
    translations = tmp_path / "translations"
    translations.mkdir()
    shutil.copy(i18n.ts_file("de"), translations / "akquise_de.ts")
    monkeypatch.setattr(i18n, "translations_dir", lambda: translations)
    return translations


def test_catalogue_is_compiled_once_per_content(sources, cache):
    first = i18n.compiled_catalogue("de", cache=cache)
    assert first is not None and first.parent.parent == cache and first.stat().st_size > 0
    mtime = first.stat().st_mtime_ns
    again = i18n.compiled_catalogue("de", cache=cache)
    assert again == first and again.stat().st_mtime_ns == mtime  # not rebuilt


def test_changed_ts_is_recompiled(sources, cache):
    ts = sources / "akquise_de.ts"
    first = i18n.compiled_catalogue("de", cache=cache)
    ts.write_text(ts.read_text(encoding="utf-8").replace("Tote Kunden", "Tote Kunden!"), "utf-8")
    second = i18n.compiled_catalogue("de", cache=cache)
    assert first != second and second.exists()


def test_a_built_catalogue_next_to_the_sources_is_preferred(sources, cache):
    built = sources / "akquise_de.qm"
    assert i18n.compile_ts(sources / "akquise_de.ts", built)
    assert i18n.compiled_catalogue("de", cache=cache) == built
    assert not (cache / "translations").exists()


def test_dates_follow_the_ui_locale(cache):
    from datetime import date

    from akquise_desktop.ui.common import format_date

    i18n.install("de", cache=cache)
    assert format_date(date(2026, 3, 9)) in ("09.03.26", "09.03.2026")
    i18n.install("en", cache=cache)
    assert format_date(date(2026, 3, 9)) != "09.03.26"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_ui_string_is_translated(tmp_path, lang):
    """lupdate over the whole ui package finds no string without a translation
    (German: every string; English: the plural forms)."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "tools"))
    try:
        import translations
    finally:
        sys.path.pop(0)
    ts = tmp_path / f"akquise_{lang}.ts"
    shutil.copy(i18n.ts_file(lang), ts)
    sources = sorted(str(p) for p in (root / "akquise_desktop" / "ui").rglob("*.py"))
    plural_only = ["-pluralonly"] if lang == "en" else []
    subprocess.run(
        [str(i18n.qt_tool("lupdate")), *sources, "-ts", str(ts), "-no-obsolete",
         "-locations", "none", "-source-language", "en", "-target-language", lang, *plural_only],
        check=True, capture_output=True,
    )  # fmt: skip
    missing = translations.untranslated(ts)
    assert missing == []


def test_translate_outside_widgets(cache):
    i18n.install("de", cache=cache)
    assert QCoreApplication.translate("MainWindow", "Campaigns") == "Kampagnen"


def test_application_switches_language_live(qtbot, demo_db, tmp_path, monkeypatch):
    """The app rebuilds its window in the other language; the user stays."""
    from akquise_desktop.ui.app import Application

    monkeypatch.setenv("AKQUISE_CACHE_DIR", str(tmp_path / "cache"))
    application = Application(demo_db, 1, Settings.at(str(tmp_path / "s.ini")), lang="en")
    try:
        # Not registered with qtbot: switching the language deletes this window.
        first = application.window
        qtbot.waitUntil(lambda: "Katrin Becker" in first.user_label.text(), timeout=5000)
        assert first.nav.item(0).text() == "My follow-ups"
        first.show()
        first.show_view("campaigns")
        first.language_actions["de"].trigger()
        second = application.window
        qtbot.addWidget(second)
        assert second is not first
        assert second.nav.item(0).text() == "Meine Wiedervorlagen"
        assert "Katrin Becker" in second.user_label.text()
        assert second.current_page() == "campaigns"
        assert application.settings.language == "de"
    finally:
        qtbot.waitUntil(lambda: application.services.worker.pending() == 0, timeout=5000)
        application.shutdown()


def test_english_plurals(qtbot, services, tmp_path, cache):
    i18n.install("en", cache=cache)
    win = _window(qtbot, services, tmp_path)
    win.show()
    win.show_view("records")  # the list loads when it is first shown
    assert win.record_list.count_label.text() == "40 records"
    assert QCoreApplication.translate("RecordListView", "%n record(s)", "", 1) == "1 record"
