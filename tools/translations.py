"""Maintain the UI translations (Qt Linguist ``.ts`` sources, ``.qm`` builds).

    python tools/translations.py update    # lupdate: collect strings of akquise_desktop/ui
    python tools/translations.py release   # lrelease: build the .qm next to each .ts
    python tools/translations.py check     # fail if a string has no translation
    python tools/translations.py           # update + check + release

English is the source language (the strings in the code); German is the
default UI language. The ``.qm`` files are build output and not committed
(``.gitignore``); without one the app compiles the ``.ts`` at first start
(:mod:`akquise_desktop.ui.i18n`). Edit translations with ``pyside6-linguist``
or directly in the ``.ts``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "akquise_desktop" / "ui"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("de", "en")  # en: only the plural forms of the English source texts


def _tool(name: str) -> str:
    sys.path.insert(0, str(ROOT))
    from akquise_desktop.ui.i18n import qt_tool

    tool = qt_tool(name)
    if tool is None:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e .)")
    return str(tool)


def ts_files() -> list[Path]:
    return [TRANSLATIONS / f"akquise_{lang}.ts" for lang in LANGUAGES]


def update() -> None:
    sources = sorted(str(p) for p in SOURCES.rglob("*.py") if "generated" not in p.parts)
    for ts, lang in zip(ts_files(), LANGUAGES, strict=True):
        ts.parent.mkdir(parents=True, exist_ok=True)
        plural_only = ["-pluralonly"] if lang == "en" else []
        subprocess.run(
            [_tool("lupdate"), *sources, "-ts", str(ts), "-no-obsolete", "-locations", "none",
             "-source-language", "en", "-target-language", lang, *plural_only],
            check=True,
        )  # fmt: skip


def release() -> None:
    for ts in ts_files():
        subprocess.run([_tool("lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def untranslated(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [] if translation is None else list(translation.iter("numerusform"))
            text = (translation.text or "") if translation is not None else ""
            done = translation is not None and translation.get("type") not in (
                "unfinished",
                "vanished",
                "obsolete",
            )
            filled = all((f.text or "").strip() for f in forms) if forms else bool(text.strip())
            if not (done and filled):
                missing.append((name, message.findtext("source") or ""))
    return missing


def check() -> int:
    problems = 0
    for ts in ts_files():
        for context, source in untranslated(ts):
            print(f"{ts.name}: untranslated [{context}] {source!r}")
            problems += 1
    if problems:
        print(f"{problems} untranslated string(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", nargs="?", choices=["update", "release", "check", "all"])
    action = parser.parse_args(argv).action or "all"
    if action in ("update", "all"):
        update()
    if action == "release":
        release()
    if action in ("check", "all"):
        status = check()
        if action == "all" and status == 0:
            release()
        return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
