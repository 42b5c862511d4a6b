"""Typed user settings and window state, declared once each (like Electrum's
``ConfigVar``). User choices (language) are kept apart from window state
(geometry, splitters, last view). Secrets never go here."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"


class Setting(Generic[T]):
    """One typed setting with a default; invalid stored values read as the default."""

    def __init__(self, key: str, default: T, choices: tuple[T, ...] | None = None) -> None:
        self.key = key
        self.default = default
        self.choices = choices

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Settings | None, owner: type) -> Any:
        if obj is None:
            return self
        raw = obj.qsettings.value(self.key, self.default)
        value = self._coerce(raw)
        if value is None or (self.choices is not None and value not in self.choices):
            return self.default
        return value

    def __set__(self, obj: Settings, value: T) -> None:
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"{self.key}: {value!r} is not one of {self.choices}")
        obj.qsettings.setValue(self.key, value)

    def _coerce(self, raw: Any) -> Any:
        default = self.default
        try:
            if isinstance(default, bool):
                return raw in (True, "true", "1", 1)
            if isinstance(default, int):
                return int(raw)
            if isinstance(default, str):
                return str(raw)
        except (TypeError, ValueError):
            return None
        return raw


class Settings:
    """The application's settings over a :class:`QSettings` store."""

    language = Setting("user/language", DEFAULT_LANGUAGE, LANGUAGES)
    last_view = Setting("window/last_view", "follow_ups")
    # The tray (ui/tray.py): closing the window keeps the app running in the
    # tray; the start shows only the tray icon.
    close_to_tray = Setting("tray/close_to_tray", False)
    start_minimised = Setting("tray/start_minimised", False)
    # Automatic backups of the local database kept (ui/data_tools.py).
    backup_generations = Setting("backup/generations", 7)

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings if qsettings is not None else QSettings()

    @classmethod
    def at(cls, path: str) -> Settings:
        """Settings kept in an INI file (tests, screenshots, portable use)."""
        return cls(QSettings(path, QSettings.Format.IniFormat))

    def state(self, name: str) -> QByteArray | None:
        """Saved widget state (geometry, splitter, header) by name."""
        value = self.qsettings.value(f"state/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state(self, name: str, value: QByteArray) -> None:
        self.qsettings.setValue(f"state/{name}", value)

    def sync(self) -> None:
        self.qsettings.sync()
