"""The audit journal: one row per state-changing action, each chained to the one before by SHA-256.

`empreinte` is the SHA-256 of the row's canonical content (its id, time, user, action, object,
detail) and of the previous row's `empreinte`; the first row follows `GENESIS`. Changing,
removing or inserting a row breaks the chain at that row, and `verify` names it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from engine.service.models import JournalRow

GENESIS = "0" * 64


@dataclass(frozen=True)
class Break:
    """The first row whose chain does not hold, and why."""

    row: JournalRow
    reason: str


def timestamp(moment: datetime) -> str:
    """`2026-12-08T09:30:00.000000Z`: UTC, fixed width, so that text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_detail(detail: Mapping[str, object]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fingerprint(row: JournalRow) -> str:
    """SHA-256 of the row's content and of the previous row's `empreinte`."""
    content = {
        "id": row.id,
        "horodatage": row.horodatage,
        "utilisateur": row.utilisateur,
        "action": row.action,
        "objet": row.objet,
        "detail": row.detail,
        "empreinte_precedente": row.empreinte_precedente,
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(session: Session, *, at: datetime, user: str, action: str, target: str,
           detail: Mapping[str, object]) -> JournalRow:
    """Add one row after the last one, in the caller's transaction: the action and its row commit together."""
    if session.get_bind().dialect.name == "postgresql":  # one appender at a time reads the last row
        session.execute(text("LOCK TABLE journal IN SHARE ROW EXCLUSIVE MODE"))
    last = session.scalars(select(JournalRow).order_by(JournalRow.id.desc()).limit(1)).first()
    row = JournalRow(
        id=(last.id + 1) if last else 1,
        horodatage=timestamp(at),
        utilisateur=user,
        action=action,
        objet=target,
        detail=canonical_detail(detail),
        empreinte_precedente=last.empreinte if last else GENESIS,
    )
    row.empreinte = fingerprint(row)
    session.add(row)
    session.flush()
    return row


def rows(session: Session, since: str | None = None) -> list[JournalRow]:
    """The rows in order; `since` (`2026-12-08` or a full timestamp) keeps those from that moment on."""
    query = select(JournalRow).order_by(JournalRow.id)
    if since:
        query = query.where(JournalRow.horodatage >= since)
    return list(session.scalars(query))


def verify(all_rows: Iterable[JournalRow]) -> Break | None:
    """The first row that breaks the chain, or None when the journal is intact."""
    previous = GENESIS
    for row in all_rows:
        if row.empreinte_precedente != previous:
            return Break(row, "son empreinte précédente n'est pas l'empreinte de la ligne d'avant "
                              "(une ligne a été supprimée, insérée ou modifiée)")
        if fingerprint(row) != row.empreinte:
            return Break(row, "son contenu ne correspond plus à son empreinte (la ligne a été modifiée)")
        previous = row.empreinte
    return None
