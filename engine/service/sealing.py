"""Seals of the journal: an RFC 3161 timestamp token over the last row's `empreinte`.

A token proves the chain up to that row existed at the authority's time: rewriting the journal
afterwards, even rehashing every row, no longer matches the imprint the authority signed. The
imprint is the `empreinte` itself (a SHA-256 value), so `openssl ts -verify -digest` checks it too.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms, x509
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import DocumentError, FslError, RunError
from engine.service import journal
from engine.service.accounts import Actor
from engine.service.models import JournalRow, Seal


@dataclass(frozen=True)
class SealProblem:
    seal: Seal
    reason: str


def seal(session: Session, actor: Actor, stamper: TimeStamper, authority: str) -> Seal:
    """Timestamp the last row's `empreinte`, store the token, journal the sealing."""
    last = session.scalars(select(JournalRow).order_by(JournalRow.id.desc()).limit(1)).first()
    if last is None:
        raise FslError("journal vide : rien à sceller.")
    try:
        with _quiet_pyhanko():
            token = asyncio.run(stamper.async_timestamp(bytes.fromhex(last.empreinte), "sha256"))
    except (OSError, TimestampRequestError) as exc:
        raise RunError(f"autorité d'horodatage {authority} : pas de jeton obtenu ({exc}) : "
                       "rien n'a été scellé.") from None
    info = token["content"]["encap_content_info"]["content"].parsed
    stamp = Seal(journal_id=last.id, empreinte=last.empreinte, autorite=authority,
                 heure=journal.timestamp(info["gen_time"].native),
                 jeton=base64.b64encode(token.dump()).decode("ascii"))
    session.add(stamp)
    session.flush()
    journal.append(session, at=actor.at, user=actor.name, action="journal.scellement",
                   target=f"ligne {last.id}",
                   detail={"empreinte": last.empreinte, "autorite": authority, "heure": stamp.heure})
    return stamp


def seals(session: Session) -> list[Seal]:
    return list(session.scalars(select(Seal).order_by(Seal.id)))


def check(session: Session, trusted: Sequence[x509.Certificate] = ()) -> Iterator[SealProblem]:
    """Each seal whose token is altered, badly signed, or whose row no longer has the sealed `empreinte`;
    with `trusted` roots, also each whose authority does not chain to one of them."""
    for stamp in seals(session):
        row = session.get(JournalRow, stamp.journal_id)
        if row is None or row.empreinte != stamp.empreinte:
            yield SealProblem(stamp, f"la ligne {stamp.journal_id} n'a plus l'empreinte scellée")
            continue
        problem = _token_problem(stamp, trusted)
        if problem:
            yield SealProblem(stamp, problem)


def _token_problem(stamp: Seal, trusted: Sequence[x509.Certificate]) -> str | None:
    try:
        token = cms.ContentInfo.load(base64.b64decode(stamp.jeton, validate=True))
        expected = bytes.fromhex(stamp.empreinte)
        with _quiet_pyhanko():
            context = ValidationContext(trust_roots=list(trusted))  # none: integrity only
            status = asyncio.run(validate_tst_signed_data(token["content"], context, lambda _algo: expected))
    except (ValueError, binascii.Error, TypeError, KeyError, SignatureValidationError):
        return "le jeton d'horodatage est illisible"
    if not status["intact"]:
        return "le jeton d'horodatage ne porte pas l'empreinte scellée"
    if not status["valid"]:
        return "la signature de l'autorité sur le jeton est invalide"
    if journal.timestamp(status["timestamp"]) != stamp.heure:
        return f"l'heure du jeton n'est pas {stamp.heure}"
    if trusted and (status.get("trust_problem_indic") is not None or status.get("validation_path") is None):
        return "l'autorité qui a signé le jeton n'est reconnue par aucun certificat de --confiance"
    return None


def load_roots(path: Path) -> list[x509.Certificate]:
    """The certificates of a PEM (or DER) file, for `check(trusted=…)`."""
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"certificat illisible ({exc.strerror or exc})", path) from None
    try:
        found = cx509.load_pem_x509_certificates(data) if b"-----BEGIN" in data else \
            [cx509.load_der_x509_certificate(data)]
    except ValueError:
        raise DocumentError("certificat illisible : attendu un fichier PEM ou DER", path) from None
    return [x509.Certificate.load(cert.public_bytes(Encoding.DER)) for cert in found]


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs in English (the self-signed or unknown authority); the verdict is ours, in French."""
    logger = logging.getLogger("pyhanko")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)
