"""A private PostgreSQL server for the tests that need what the shared one
can't give: password authentication (the shared server trusts every local
connection) and TLS.

``PrivateCluster.start()`` makes a new cluster in a temporary folder (initdb
as the ``postgres`` system user when run as root), with a self-signed
certificate, and starts it on a free port of 127.0.0.1:

- ``hostssl`` connections authenticate by password (SCRAM);
- plain (unencrypted) TCP connections are accepted only for the roles listed in
  ``plain_roles`` (by password too): any other role gets "no pg_hba.conf entry
  … no encryption", which is what a server that requires TLS answers;
- the superuser ``postgres`` has the password :data:`SUPERUSER_PASSWORD`.

It costs about three seconds; ``stop()`` removes everything.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER_PASSWORD = "sup3r-Secret!"


def _bin_dir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unavailable_reason() -> str | None:
    """Why a private cluster can't be started here (None: it can)."""
    if _bin_dir() is None:
        return "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
    if shutil.which("openssl") is None:
        return "openssl is not installed (needed for the test certificate)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, but there is no 'postgres' system user to run the server"
    return None


@dataclass
class PrivateCluster:
    plain_roles: tuple[str, ...] = ()
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="akquise-pg-")))
    port: int = field(default_factory=_free_port)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def cert(self) -> Path:
        return self.root / "server.crt"

    def _run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)

    def start(self) -> PrivateCluster:
        bins = _bin_dir()
        assert bins is not None
        pwfile = self.root / "pw"
        pwfile.write_text(SUPERUSER_PASSWORD + "\n")
        key = self.root / "server.key"
        subprocess.run(
            ["openssl", "req", "-new", "-x509", "-days", "3", "-nodes", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(self.cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        key.chmod(0o600)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            for path in (pwfile, key, self.cert):
                shutil.chown(path, "postgres")
        self._run(
            str(bins / "initdb"), "-D", str(self.data), "-U", "postgres", "--pwfile", str(pwfile),
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        conf = self.data / "postgresql.conf"
        with conf.open("a") as f:
            f.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
                f"ssl = on\nssl_cert_file = '{self.cert}'\nssl_key_file = '{key}'\n"
                "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n"
            )
        hba = ["local all all trust"]
        hba += [f"hostnossl all {role} 127.0.0.1/32 scram-sha-256" for role in self.plain_roles]
        hba += ["hostssl all all 127.0.0.1/32 scram-sha-256"]
        (self.data / "pg_hba.conf").write_text("\n".join(hba) + "\n")
        self._run(
            str(bins / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
            "-w", "-t", "30", "start",
        )  # fmt: skip
        return self

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run ``sql`` as the superuser over the cluster's socket."""
        bins = _bin_dir()
        assert bins is not None
        done = self._run(
            str(bins / "psql"), "-h", str(self.root), "-p", str(self.port), "-U", "postgres",
            "-d", database, "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql,
        )  # fmt: skip
        return done.stdout

    def url(self, user: str = "postgres", password: str | None = None, database: str = "postgres"):
        from sqlalchemy.engine import URL

        return URL.create(
            "postgresql+psycopg",
            username=user,
            password=password,
            host="127.0.0.1",
            port=self.port,
            database=database,
        )

    def stop(self) -> None:
        bins = _bin_dir()
        if bins is not None and self.data.exists():
            subprocess.run(
                (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else [])
                + [str(bins / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
            )
        shutil.rmtree(self.root, ignore_errors=True)
