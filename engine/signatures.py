"""Evidence from a received PDF: its signature fields, read with pypdf, judged with pyHanko.

pypdf cannot tell a forged signature from a valid one: it only lists the fields (which exist,
which are filled). Each filled signature is validated by pyHanko: integrity of the signed bytes,
cryptographic validity, coverage of the document, modifications made after signing (difference
analysis) and trust in the signer's certificate. Validation runs at a fixed moment (the check's
`as_of`), never "now", with no network access. Called on untrusted bytes: the caller runs it in
a worker process with time and memory limits and turns any exception into an unreadable finding.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime

from asn1crypto import x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from engine.rules import FileEvidence, FileStatus, Role, SignatureEvidence

ROLE_FIELD = re.compile(r"sig_(menage|instructeur|association|bailleur|departement)", re.IGNORECASE)
ACCEPTED_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
FULL_COVERAGE = (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
REFUSED_ALGORITHMS = (AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE,
                      AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE)


class Unreadable(Exception):
    """The file is not a PDF this checker can open (encrypted, broken...); the message is French."""


def role_of(field_name: str) -> Role | None:
    """`sig_menage` → Role.MENAGE; any other field name belongs to no role."""
    match = ROLE_FIELD.fullmatch(field_name.strip())
    return Role(match[1].lower()) if match else None


def pdf_evidence(data: bytes, trust_roots: Sequence[bytes], moment: datetime) -> FileEvidence:
    """The signature fields of the PDF `data`, each filled one validated at `moment`.

    `trust_roots` are DER certificates of the authorities whose signers are trusted.
    Raises `Unreadable` for a PDF that cannot be opened; other parser exceptions propagate
    to the caller, which turns them into an unreadable finding.
    """
    reader = _opened(data)
    if b"/ByteRange" in data:
        return FileEvidence(status=FileStatus.READ, signatures=_validated(data, trust_roots, moment))
    fields = reader.get_fields() or {}
    empty = tuple(SignatureEvidence(field=name, role=role_of(name), signed=False)
                  for name, field in fields.items()
                  if isinstance(field, DictionaryObject) and field.get("/FT") == "/Sig")
    return FileEvidence(status=FileStatus.READ, signatures=empty)


def _opened(data: bytes) -> PdfReader:
    """The PDF opened with pypdf, its page tree walked: the file a person would see."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except NotImplementedError:
        raise Unreadable("PDF chiffré pour des certificats : chiffrement non pris en charge") from None
    if reader.is_encrypted and not _opens_without_password(reader):
        raise Unreadable("PDF protégé par un mot de passe")
    if len(reader.pages) == 0:
        raise Unreadable("PDF sans aucune page")
    return reader


def _opens_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except (NotImplementedError, ValueError, KeyError):
        return False


def _validated(data: bytes, trust_roots: Sequence[bytes], moment: datetime) -> tuple[SignatureEvidence, ...]:
    """Every signature field (pyHanko), the filled ones validated; a signature structure pyHanko
    cannot parse is itself a broken signature."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            reader.decrypt("")
        fields = enumerate_sig_fields(reader, filled_status=None)
        names = [str(name) for name, value, _ in fields if value is None]
        embedded = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return (SignatureEvidence(field="?", role=None, signed=True,
                                  problem=f"structure de signature illisible ({type(exc).__name__})"),)
    roots = [x509.Certificate.load(der) for der in trust_roots]
    checked = [_one_signature(sig, roots, moment) for sig in embedded]
    return tuple(checked) + tuple(SignatureEvidence(field=n, role=role_of(n), signed=False) for n in names)


def _one_signature(
    sig: EmbeddedPdfSignature, trust_roots: list[x509.Certificate], moment: datetime,
) -> SignatureEvidence:
    name = str(sig.field_name or "?")  # a plain str: pyHanko's string object drags its whole reader
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, moment=moment,
                                revocation_mode="soft-fail")
    try:
        if sig.sig_object_type == "/DocTimeStamp":
            status = validate_pdf_timestamp(sig, validation_context=context)
        else:
            status = validate_pdf_signature(sig, context)
    except Exception as exc:  # noqa: BLE001 - last resort on untrusted bytes, becomes a finding
        return SignatureEvidence(field=name, role=role_of(name), signed=True,
                                 problem=f"signature impossible à vérifier ({type(exc).__name__})")
    return SignatureEvidence(
        field=name, role=role_of(name), signed=True, problem=judge(status),
        trusted=bool(status.trusted), signer=_signer(status), signed_at=_signed_at(status),
    )


def judge(status) -> str | None:
    """Why a pyHanko status is not acceptable, in French, or None when the signature holds."""
    if not status.intact:
        return "empreinte incorrecte : contenu modifié après signature"
    if not status.valid:
        return "signature cryptographique invalide"
    if status.coverage not in FULL_COVERAGE:
        return "la signature ne couvre pas tout le document"
    level = getattr(status, "modification_level", ModificationLevel.NONE)
    if level is not None and level not in ACCEPTED_CHANGES:
        return "document modifié après signature (au-delà du remplissage et des signatures)"
    if getattr(status, "docmdp_ok", True) is False:
        return "modifications interdites par le signataire"
    indication = status.trust_problem_indic
    if indication in REFUSED_ALGORITHMS:
        return "algorithme de signature refusé"
    if isinstance(indication, AdESFailure):
        return f"certificat refusé ({indication.name})"
    return None


def _signer(status) -> str | None:
    cert = getattr(status, "signing_cert", None)
    return cert.subject.human_friendly if cert is not None else None


def _signed_at(status) -> datetime | None:
    return getattr(status, "signer_reported_dt", None) or getattr(status, "timestamp", None)
