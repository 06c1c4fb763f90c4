"""Where the service's database is, and keeping it at the code's revision (Alembic, run from here).

Default: the SQLite file `var/fsl.sqlite3` under the project root, created at head by the first
command that needs it; `FSL_DATABASE_URL=postgresql+psycopg://…` for PostgreSQL. A database
behind the code is never migrated silently: `fsl base migrer` does it, a SQLite file copied first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from engine import PROJECT_ROOT
from engine.errors import FslError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_PATH = PROJECT_ROOT / "var" / "fsl.sqlite3"
URL_VARIABLE = "FSL_DATABASE_URL"


class DatabaseError(FslError):
    """The database cannot be used as it stands (behind the code, unreachable, unknown revision)."""


@dataclass(frozen=True)
class Migration:
    """What `fsl base migrer` did: the revisions before and after, the copy made aside."""

    before: str | None
    after: str
    copy: Path | None


def database_url(environ: Mapping[str, str]) -> str:
    """`FSL_DATABASE_URL` when set, else the SQLite file `var/fsl.sqlite3` of the project."""
    return environ.get(URL_VARIABLE) or f"sqlite:///{DEFAULT_PATH}"


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None  # the package ships its migrations
    return head


def connect(url: str) -> Engine:
    """An engine on `url`; a SQLite file's folder is created, foreign keys are enforced."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"{URL_VARIABLE} : adresse de base invalide « {url} » : attendu par "
                            "exemple postgresql+psycopg://fsl@localhost/fsl") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed)
    except (ImportError, ArgumentError) as exc:
        raise DatabaseError(f"{URL_VARIABLE} : pilote de base indisponible pour « {parsed.drivername} » "
                            f"({exc}) : attendu sqlite:///… ou postgresql+psycopg://…") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_pragmas(dbapi_connection, record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:
    """Take the write lock at BEGIN: two writers wait for each other (busy_timeout) instead of one
    failing when it upgrades a read lock (SQLAlchemy's pysqlite recipe)."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_database(url: str) -> sessionmaker[Session]:
    """Sessions on a database at the code's head: an empty one is created at head, one behind refused."""
    engine = connect(url)
    head = head_revision()
    current = current_revision(engine)
    if current is None and not _has_tables(engine):
        upgrade(engine, head)
    elif current is None:
        engine.dispose()
        raise _foreign(url)
    elif current != head:
        engine.dispose()
        raise _not_at_head(url, current, head)
    return sessionmaker(engine, expire_on_commit=False)


def _not_at_head(url: str, current: str | None, head: str) -> DatabaseError:
    where = shown_url(url)
    if current is not None and current not in _known_revisions():
        return DatabaseError(f"{where} : la base est à la révision {current}, inconnue de ce code "
                             f"(révision attendue {head}) : mettez le logiciel à jour.")
    return DatabaseError(f"{where} : la base est à la révision {current or 'aucune'}, en retard sur "
                         f"le code (révision {head}) : lancez « fsl base migrer » pour la mettre à jour.")


def _foreign(url: str) -> DatabaseError:
    return DatabaseError(f"{shown_url(url)} : cette base contient des tables mais aucune révision de fsl "
                         "(celles d'une autre application ?) : attendu une base vide ou créée par fsl.")


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise DatabaseError(f"base de données injoignable : {_reason(exc)}") from None


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def migrate(url: str) -> Migration:
    """Bring the database at `url` to head; a SQLite file is first copied aside (`….avant-migration-REV`)."""
    engine = connect(url)
    head = head_revision()
    before = current_revision(engine)
    if before is not None and before not in _known_revisions():
        raise _not_at_head(url, before, head)
    if before == head:
        return Migration(before, head, None)
    if before is None and _has_tables(engine):
        raise _foreign(url)
    copy = _copy_aside(url, before) if before is not None else None
    upgrade(engine, head)
    engine.dispose()
    return Migration(before, head, copy)


def upgrade(engine: Engine, revision: str) -> None:
    """Run the migrations up to `revision` on `engine` (tests use it to build an older base)."""
    config = _config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"migration vers la révision {revision} impossible : {_reason(exc)}") from None


def _copy_aside(url: str, revision: str | None) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    source = Path(parsed.database)
    if not source.exists():
        return None
    copy = source.with_name(f"{source.name}.avant-migration-{revision or 'vide'}")
    number = 1
    while copy.exists():
        number += 1
        copy = source.with_name(f"{source.name}.avant-migration-{revision or 'vide'}-{number}")
    with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)  # a consistent copy even if the file is in use
    return copy


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def shown_url(url: str) -> str:
    """The address without its password, fit for a message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _reason(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
