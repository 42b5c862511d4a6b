"""One running instance per OS user and database (``QLocalServer``).

The first start of a database listens on a local server whose name is derived
from the OS user and the database id (:func:`server_name`); a second start for
the same database connects to it, hands over its link (or an empty message:
"raise the window") and exits 0 instead of opening a second window
(:func:`hand_over`). Another user on the same machine, or the same user on
another database, gets an instance of its own.

The message is one line of UTF-8, at most :data:`MAX_MESSAGE` bytes; the
running instance answers ``ok`` once it has taken it, so the second start knows
it was heard before it exits.

A crash leaves the server's socket file behind (Unix): :meth:`SingleInstance.claim`
first tries to connect, and when nothing answers removes a stale server
(``QLocalServer.removeServer``) before it listens.

Messages that arrive before the application is ready (the login, the first
run) wait in :attr:`SingleInstance.pending` until a handler is connected
(:meth:`SingleInstance.set_handler`).
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_MS = 500
REPLY_MS = 3000
MAX_MESSAGE = 4096
RAISE = ""  # the message of a start without a link: show the window


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def server_name(db_id: str, user: str | None = None) -> str:
    """The local server's name for ``user`` (default: this OS user) and the
    database ``db_id`` (:func:`akquise_desktop.desktop.urls.database_id`).
    Short (a Unix socket path has a length limit) and without the user's name."""
    user = os_user() if user is None else user
    digest = hashlib.sha256(f"{user}\0{db_id}".encode()).hexdigest()[:24]
    return f"akquise-{digest}"


def _socket_file(name: str) -> Path:
    """Where Qt puts the socket of a server ``name`` on Unix (nothing on Windows:
    a named pipe leaves nothing behind)."""
    if sys.platform == "win32":
        return Path("\\\\.\\pipe") / name
    from PySide6.QtCore import QDir

    return Path(QDir.tempPath()) / name


def hand_over(name: str, message: str = RAISE, *, timeout_ms: int = CONNECT_MS) -> bool:
    """Give ``message`` to the instance listening on ``name``; True when it
    took it, False when none runs (or it did not answer)."""
    data = message.encode("utf-8")
    if len(data) >= MAX_MESSAGE or b"\n" in data:
        raise ValueError("message too long or with a line break")
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    try:
        socket.write(data + b"\n")
        if not socket.waitForBytesWritten(REPLY_MS):
            return False
        reply = b""
        while not reply.endswith(b"\n"):
            if not socket.bytesAvailable() and not socket.waitForReadyRead(REPLY_MS):
                return False
            reply += bytes(socket.readAll().data())
        return reply.strip() == b"ok"
    finally:
        socket.disconnectFromServer()


class SingleInstance(QObject):
    """The listening side: the running instance."""

    received = Signal(str)  # a handed-over message (a link, or RAISE)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        # Only this user may connect (where the platform supports it).
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self.pending: list[str] = []
        self._handler: Callable[[str], None] | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}
        self.stale_removed = False

    def claim(self) -> bool:
        """Listen on the name; False when another instance already does.
        A name left by a crashed instance (nothing answers) is taken over.

        The connect comes first: with :attr:`UserAccessOption` Qt makes the
        socket in a private folder and renames it into place, so ``listen``
        would silently replace a running instance's socket instead of failing.
        (Two starts in the same instant may both listen; the later one wins
        the name — a rare second window, never a lost link.)"""
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(CONNECT_MS):
            probe.disconnectFromServer()
            return False
        self.stale_removed = _socket_file(self.name).exists()
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    def set_handler(self, handler: Callable[[str], None]) -> None:
        """Deliver messages to ``handler`` from now on (those waiting first)."""
        self._handler = handler
        waiting, self.pending = self.pending, []
        for message in waiting:
            handler(message)

    def _accept(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._gone(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _gone(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) >= MAX_MESSAGE:
                self._buffers.pop(socket, None)
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        del self._buffers[socket]
        line = data.split(b"\n", 1)[0]
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        self._deliver(line.decode("utf-8", "replace"))

    def _deliver(self, message: str) -> None:
        self.received.emit(message)
        if self._handler is None:
            self.pending.append(message)
        else:
            self._handler(message)
