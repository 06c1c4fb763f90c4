"""What the service's commands share: the database from the environment, who acts, when."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy and Alembic are imported by the service's commands only, when they run
    from sqlalchemy.orm import Session, sessionmaker

    from engine.service.accounts import Actor


def sessions() -> sessionmaker[Session]:
    """Sessions on the database of `FSL_DATABASE_URL` (default var/fsl.sqlite3), at head or refused."""
    from engine.service.database import database_url, open_database

    return open_database(database_url(os.environ))


def console_actor() -> Actor:
    """The person at the console, as the journal names them: `console:<compte système>`, now in UTC."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "inconnu"
    from engine.service.accounts import Actor

    return Actor(f"console:{name}", datetime.now(UTC))
