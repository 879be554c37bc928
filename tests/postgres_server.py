"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb, pg_ctl, a free port.

Works on a fresh Debian machine where only the ``postgresql`` package is installed (the
server binaries live in /usr/lib/postgresql/<version>/bin, not on PATH). As root, the server
runs as the ``postgres`` user via runuser, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def server_binaries() -> Path:
    """The directory holding initdb and pg_ctl (``OPSBOOK_PGBIN`` wins)."""
    explicit = os.environ.get("OPSBOOK_PGBIN")
    candidates = [Path(explicit)] if explicit else []
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    ) if Path("/usr/lib/postgresql").is_dir() else []  # fmt: skip
    candidates += versions
    found = shutil.which("initdb")
    candidates += [Path(found).parent] if found else []
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise RuntimeError(
        "PostgreSQL server binaries not found: install the Debian package 'postgresql' "
        "(scripts/install-system-packages.sh) or set OPSBOOK_PGBIN"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    folder: Path
    port: int
    binaries: Path

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` database as the ``postgres`` superuser."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        _run(_as_owner([str(self.binaries / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-m", "immediate", "-w", "stop"]), check=False)  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result


def start_postgres() -> PostgresServer:
    """Create and start a cluster in a new temporary folder; ``stop()`` removes it all."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="opsbook-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    _run(_as_owner([str(binaries / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]))  # fmt: skip
    for _attempt in range(3):  # another process may take the free port first
        server = PostgresServer(folder, free_port(), binaries)
        options = (
            f"-c listen_addresses=127.0.0.1 -p {server.port} -k {folder} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        started = _run(_as_owner([str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-l",
                                  str(folder / "log"), "-w", "-t", "60", "start", "-o", options]),
                       check=False)  # fmt: skip
        if started.returncode == 0:
            return server
    log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
    shutil.rmtree(folder, ignore_errors=True)
    raise RuntimeError(f"PostgreSQL did not start:\n{started.stderr}\n{log}")
