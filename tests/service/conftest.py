"""Fixtures of the service's tests: a database on SQLite, and on PostgreSQL when its binaries exist.

PostgreSQL is a throw-away cluster made by Debian's `initdb`/`pg_ctl` in a temporary folder, on a
free loopback port, run by a non-root account (`postgres`, or `fsltest` created with `useradd` when
the tests run as root without one), stopped and removed at the end of the session.
"""

from __future__ import annotations

import glob
import io
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.cli import main

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Cluster:
    port: int

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://fsl@127.0.0.1:{self.port}/{database}"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob(PG_BIN_GLOB), key=lambda p: int(Path(p).parent.name), reverse=True)
    found = [p for p in found if Path(p, "initdb").exists() and Path(p, "pg_ctl").exists()]
    return Path(found[0]) if found else None


def _run_as(user: str | None, *command: str | Path) -> None:
    argv = [str(c) for c in command]
    if user:
        argv = ["runuser", "-u", user, "--", *argv]
    subprocess.run(argv, check=True, capture_output=True, timeout=120)


def _cluster_user() -> str | None:
    """None when not root (the cluster runs as us); else an existing `postgres`, or `fsltest` made now."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "fsltest"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "fsltest"], check=True, timeout=60)
    return "fsltest"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster | None]:
    """A running cluster, or None when the PostgreSQL binaries are absent (the tests then skip)."""
    binaries = _pg_bin()
    if binaries is None:
        yield None
        return
    user = _cluster_user()
    folder = Path(tempfile.mkdtemp(prefix="fsl-pg-"))
    if user:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data, port = folder / "data", _free_port()
    _run_as(user, binaries / "initdb", "-D", data, "-U", "fsl", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    _run_as(user, binaries / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start")
    try:
        yield Cluster(port)
    finally:
        _run_as(user, binaries / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path, monkeypatch) -> Iterator[str]:
    """A fresh, empty database's address, also set as FSL_DATABASE_URL for the commands."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'var' / 'fsl.sqlite3'}"
        monkeypatch.setenv("FSL_DATABASE_URL", url)
        yield url
        return
    cluster = request.getfixturevalue("pg_cluster")
    if cluster is None:
        pytest.skip(f"PostgreSQL absent (aucun initdb/pg_ctl sous {PG_BIN_GLOB}) : "
                    "« apt-get install postgresql » pour ces tests")
    import psycopg

    name = f"fsl_test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=fsl dbname=postgres",
                         autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = cluster.url(name)
    monkeypatch.setenv("FSL_DATABASE_URL", url)
    yield url
    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=fsl dbname=postgres",
                         autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


class _Input(io.StringIO):
    def __init__(self, text: str, terminal: bool) -> None:
        super().__init__(text)
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.fixture
def fsl(capsys, monkeypatch):
    """Run `fsl ARGS…` in this process with `stdin` as its standard input (a terminal when `terminal`)."""
    def run(*args: str, stdin: str = "", terminal: bool = False) -> Result:
        capsys.readouterr()
        monkeypatch.setattr("sys.stdin", _Input(stdin, terminal))
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def test_authority():
    """pyHanko's in-process RFC 3161 authority, with a self-signed RSA certificate made for the session."""
    return make_authority("Autorité d'horodatage de test")


@pytest.fixture(scope="session")
def other_authority():
    """A second authority, that `--confiance` with the first one's certificate must not accept."""
    return make_authority("Une autre autorité")


def make_authority(common_name: str):
    """A `DummyTimeStamper` (pyHanko) whose self-signed certificate names `common_name`."""
    from datetime import UTC, datetime, timedelta

    from asn1crypto import keys, x509
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = datetime(2026, 1, 1, tzinfo=UTC)
    cert = (cx509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(start).not_valid_after(start + timedelta(days=3650))
            .add_extension(cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return DummyTimeStamper(x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
                            keys.PrivateKeyInfo.load(der_key))
