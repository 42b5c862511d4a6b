"""UI language: Qt translators and the locale for dates and numbers.

Strings in the code are English (``self.tr()``); German is the default UI
language, from ``resources/translations/akquise_de.ts``. The compiled ``.qm``
is generated, never committed: a build may put one next to the ``.ts``
(``tools/translations.py release``); otherwise the first start compiles the
``.ts`` with the ``lrelease`` shipped with PySide6 into the user cache
directory (one file per content hash, so a changed ``.ts`` is recompiled).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .settings import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)

APP_NAME = "AkquiseDesktop"
CATALOGUE = "akquise"
_LANGUAGE = {"de": QLocale.Language.German, "en": QLocale.Language.English}
_COUNTRY = {"de": QLocale.Country.Germany, "en": QLocale.Country.UnitedKingdom}
_installed: list[QTranslator] = []
_current = "en"  # no translator installed: the source language


def translations_dir() -> Path:
    # Located, not imported (importlib.resources would cost every start ~10 ms);
    # importlib.resources where the package is not a plain folder.
    spec = importlib.util.find_spec("akquise_desktop.resources")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "translations"
    from importlib import resources

    return Path(str(resources.files("akquise_desktop.resources") / "translations"))


def ts_file(lang: str) -> Path:
    return translations_dir() / f"{CATALOGUE}_{lang}.ts"


def cache_dir() -> Path:
    override = os.environ.get("AKQUISE_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def qt_tool(name: str) -> Path | None:
    """A Qt tool (``lrelease``, ``lupdate``) shipped with PySide6, or on PATH."""
    import PySide6

    exe = f"{name}.exe" if sys.platform == "win32" else name
    bundled = Path(PySide6.__file__).parent / exe
    if bundled.exists():
        return bundled
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    return Path(found) if found else None


def compile_ts(ts: Path, qm: Path) -> bool:
    """Compile ``ts`` into ``qm`` with lrelease; False (logged) if that fails."""
    tool = qt_tool("lrelease")
    if tool is None:
        log.warning("lrelease not found; the UI stays in English")
        return False
    qm.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".qm", dir=qm.parent)
    os.close(fd)
    try:
        result = subprocess.run(
            [str(tool), "-silent", str(ts), "-qm", tmp],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0 or os.path.getsize(tmp) == 0:
            log.warning("lrelease failed on %s: %s", ts, result.stderr.strip())
            return False
        os.replace(tmp, qm)
        return True
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("lrelease failed on %s: %s", ts, exc)
        return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def compiled_catalogue(lang: str, *, cache: Path | None = None) -> Path | None:
    """The ``.qm`` for ``lang``: a built one next to the ``.ts`` if current,
    else one compiled into the cache (done once per ``.ts`` content)."""
    ts = ts_file(lang)
    if not ts.exists():
        return None
    shipped = ts.with_suffix(".qm")
    # (In a bundle the shipped one is current; copying may have reordered mtimes.)
    frozen = getattr(sys, "frozen", False)
    if shipped.exists() and (frozen or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    target = (cache or cache_dir()) / "translations" / f"{CATALOGUE}_{lang}-{digest}.qm"
    if target.exists() and target.stat().st_size > 0:
        return target
    return target if compile_ts(ts, target) else None


def locale_for(lang: str) -> QLocale:
    """The user's own locale when it speaks ``lang`` (keeps their region's
    formats), else the language's main locale."""
    system = QLocale.system()
    if system.language() == _LANGUAGE[lang]:
        return system
    return QLocale(_LANGUAGE[lang], _COUNTRY[lang])


def install(lang: str | None, *, cache: Path | None = None) -> str:
    """Switch the application's translators and default locale to ``lang``
    (None: the default language). Returns the language in effect."""
    global _current
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication first"
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(locale_for(lang))
    _current = lang
    if lang != "en":  # English is the source language of Qt's own strings too
        _install_qt_base(app, lang)
    qm = compiled_catalogue(lang, cache=cache)  # for English: the plural forms only
    own = QTranslator(app)
    if qm is not None and own.load(str(qm)):
        app.installTranslator(own)
        _installed.append(own)
    elif lang != "en":
        log.warning("no translation catalogue for %r; the UI stays in English", lang)
    return lang


def _install_qt_base(app: QCoreApplication, lang: str) -> None:
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        _installed.append(qt_base)


def current_language() -> str:
    return _current


def uninstall() -> None:
    """Back to the untranslated source language and the system locale (tests)."""
    global _current
    app = QCoreApplication.instance()
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale.system())
    _current = "en"
