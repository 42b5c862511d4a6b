"""Icons, translations and other non-code files, installed as
``akquise_desktop.resources``."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent
TRANSLATIONS = ROOT / "translations"
