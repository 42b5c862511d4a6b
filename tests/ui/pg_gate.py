"""A loopback gate in front of the PostgreSQL server: open, it forwards;
closed, it cuts every connection through it and hangs up on new ones at once
(the server "went away"); open again, the server is back."""

from __future__ import annotations

import contextlib
import select
import socket
import threading

from sqlalchemy.engine import URL, make_url


class Gate:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.url: URL | None = None
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._shut = False
        threading.Thread(target=self._accept, daemon=True).start()

    @classmethod
    def in_front_of(cls, url_text: str) -> Gate:
        url = make_url(url_text)
        gate = cls(url.host or "127.0.0.1", url.port or 5432)
        gate.url = url.set(
            host="127.0.0.1",
            port=gate.port,
            query={**url.query, "sslmode": "disable", "gssencmode": "disable"},
        )
        return gate

    def close(self) -> None:
        """The server goes away: cut what is connected, hang up on newcomers."""
        self._open.clear()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def open(self) -> None:
        self._open.set()

    def shut(self) -> None:
        self._shut = True
        self.close()
        self.listener.close()

    def _accept(self) -> None:
        while not self._shut:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self._open.is_set():
                client.close()
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        with self._lock:
            self._pairs.append((client, server))
        try:
            while True:
                readable, _, _ = select.select([client, server], [], [], 30)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (server if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
