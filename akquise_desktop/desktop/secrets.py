"""Passwords in the operating system's keyring, and nowhere else.

A password is kept (if the user asks for it) in the OS keyring — Windows
Credential Manager, macOS Keychain, Secret Service on Linux — through the
``keyring`` library, never in the settings, a log, the command line or a
message. Where no keyring backend exists (a headless Linux, a minimal
desktop), :attr:`PasswordStore.available` is False, :attr:`reason` says why,
and the login asks each time.

The backend is passed in (tests give an in-memory one); by default it is the
one ``keyring`` chose for this system. Nothing here changes ``keyring``'s
global choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "AkquiseDesktop"


def _default_backend() -> KeyringBackend:
    import keyring

    return keyring.get_keyring()


def _usable(backend: KeyringBackend) -> bool:
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend that can't even say: not usable
        return False


class PasswordStore:
    """Get, keep and forget the password of one login (``account``)."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        self._available: bool | None = None
        self.last_error = ""  # the backend's refusal of the last call, if any

    @property
    def backend(self) -> KeyringBackend:
        if self._backend is None:
            self._backend = _default_backend()
        return self._backend

    @property
    def available(self) -> bool:
        if self._available is None:
            self._available = _usable(self.backend)
        return self._available

    @property
    def backend_name(self) -> str:
        backend = self.backend
        return getattr(backend, "name", None) or type(backend).__name__

    def reason(self, lang: str = "de") -> str:
        """Why passwords can't be kept here ("" when they can)."""
        if self.available:
            return ""
        if lang == "de":
            return (
                "Auf diesem System gibt es keinen Schlüsselbund (Keyring), in dem das Passwort "
                "sicher gespeichert werden könnte; es wird deshalb bei jeder Anmeldung erfragt."
            )
        return (
            "This system has no keyring in which the password could be kept safely, so it is "
            "asked for at every login."
        )

    def get(self, account: str) -> str | None:
        if not self.available:
            return None
        try:
            return self.backend.get_password(SERVICE, account)
        except Exception as exc:  # a locked or broken keyring: ask instead
            self.last_error = type(exc).__name__
            return None

    def keep(self, account: str, password: str) -> bool:
        """Keep ``password``; False (and nothing kept) where the keyring refuses."""
        if not self.available:
            return False
        try:
            self.backend.set_password(SERVICE, account, password)
        except Exception as exc:
            self.last_error = type(exc).__name__
            return False
        return True

    def forget(self, account: str) -> None:
        if not self.available:
            return
        try:
            self.backend.delete_password(SERVICE, account)
        except Exception as exc:  # (nothing kept: nothing to forget)
            self.last_error = type(exc).__name__
