"""The service's tables, as SQLAlchemy 2 models: the accounts, the audit journal and its seals.

The migrations in `migrations/versions/` create the same tables; `tests/service` checks they agree.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    """One account: a login, a role, for role `association` the slug of its association."""

    __tablename__ = "utilisateurs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifiant: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    nom: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    association: Mapped[str | None] = mapped_column(String(100))
    mot_de_passe: Mapped[str] = mapped_column(String(255), nullable=False)
    """The argon2 hash, never the password."""
    actif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    cree_le: Mapped[str] = mapped_column(String(32), nullable=False)
    """UTC, ISO 8601 (`2026-12-08T09:30:00.000000Z`)."""


class JournalRow(Base):
    """One state-changing action; `empreinte` chains it to the row before (see `journal.py`)."""

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    horodatage: Mapped[str] = mapped_column(String(32), nullable=False)
    utilisateur: Mapped[str] = mapped_column(String(100), nullable=False)
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    objet: Mapped[str] = mapped_column(String(200), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False)
    empreinte_precedente: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    """Unique: two writers appending at once cannot fork the chain, the second one fails."""
    empreinte: Mapped[str] = mapped_column(String(64), nullable=False)


class Seal(Base):
    """An RFC 3161 timestamp token over the `empreinte` of one journal row (`fsl journal sceller`)."""

    __tablename__ = "sceaux"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    journal_id: Mapped[int] = mapped_column(Integer, ForeignKey("journal.id"), nullable=False)
    empreinte: Mapped[str] = mapped_column(String(64), nullable=False)
    autorite: Mapped[str] = mapped_column(String(300), nullable=False)
    """The authority's address (the TSA URL)."""
    heure: Mapped[str] = mapped_column(String(32), nullable=False)
    """The token's genTime, UTC, as `journal.timestamp` writes it."""
    jeton: Mapped[str] = mapped_column(Text, nullable=False)
    """The token (a CMS ContentInfo), DER in base64."""
