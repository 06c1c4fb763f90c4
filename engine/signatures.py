"""Evidence from a received PDF: its signature fields, read with pypdf, judged with pyHanko.

pypdf cannot tell a forged signature from a valid one: it only lists the fields (which exist,
which are filled). Each filled signature is validated by pyHanko: integrity of the signed bytes,
cryptographic validity, coverage of the document, modifications made after signing (difference
analysis) and trust in the signer's certificate, with no network access (revocation data only
when the file embeds it: its DSS).

Time of validation: the signature's own timestamp when it carries a trusted one (dated before the
receipt: a timestamp cannot prove less than the register does); otherwise the
moment the caller gives, which is the end of the document's `date_reception` in the register (the
Département's own record proves the file existed then); never the check's `--as-of` date nor
"now". A certificate expired at that moment was expired when the document was signed or sent.

Each outcome pyHanko reports has its own French cause (the AdES indication and sub-indication
are read, not only `trusted`): broken, expired, revoked, key usage and refused algorithm are
errors (`problem`); an authority outside the trust list or an incomplete chain is a doubt
(`doubt`, a warning). Called on untrusted bytes: the caller runs it in a worker process with time
and memory limits and turns any exception into an unreadable finding.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

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
    """The signature fields of the PDF `data`, each filled one validated at its trusted timestamp,
    else at `moment` (the end of the day the register says the file was received).

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
    revocation = _embedded_revocation(reader)
    checked = [_one_signature(sig, roots, moment, revocation) for sig in embedded]
    current = {str(sig.field_name) for sig in embedded}
    hidden = [SignatureEvidence(field=name, role=role_of(name), signed=True, problem=HIDDEN)
              for name in _signed_in_earlier_revisions(reader) if name not in current]
    return (tuple(checked) + tuple(hidden)
            + tuple(SignatureEvidence(field=n, role=role_of(n), signed=False) for n in names if n not in
                    {h.field for h in hidden}))


HIDDEN = ("document modifié après signature : champ de signature signé supprimé, vidé ou renommé "
          "dans une révision ultérieure")


def _signed_in_earlier_revisions(reader: PdfFileReader) -> list[str]:
    """The names of the signature fields that hold a signature in some earlier revision of the
    file (each revision's own /AcroForm read), in order of first appearance. A field signed then
    and absent, empty or renamed in the last revision hides a signature: it is a modification
    made after signing, never a file without signatures."""
    names: list[str] = []
    for revision in range(max(reader.total_revisions - 1, 0)):
        try:
            past = reader.get_historical_resolver(revision)
            found = [str(name) for name, value, _ in enumerate_sig_fields(past, filled_status=True)
                     if value is not None]
        except (PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            continue
        names.extend(name for name in found if name not in names)
    return names


def _embedded_revocation(reader: PdfFileReader):
    """The file's DSS (PAdES: CRLs, OCSP responses, certificates), to judge revocation offline;
    None when the file has none or it cannot be read."""
    try:
        from pyhanko.sign.validation.dss import DocumentSecurityStore

        return DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001 - no DSS, or an unreadable one: judged without it
        return None


def _context(roots: list[x509.Certificate], moment: datetime, dss) -> ValidationContext:
    if dss is not None:
        settings = dict(trust_roots=roots, allow_fetching=False, moment=moment, revocation_mode="soft-fail")
        try:
            return dss.as_validation_context(settings)
        except Exception:  # noqa: BLE001 - a malformed DSS is ignored, never trusted
            pass
    return ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment,
                             revocation_mode="soft-fail")


def _validate(sig: EmbeddedPdfSignature, context: ValidationContext):
    if sig.sig_object_type == "/DocTimeStamp":
        return validate_pdf_timestamp(sig, validation_context=context)
    return validate_pdf_signature(sig, context)


def _one_signature(
    sig: EmbeddedPdfSignature, trust_roots: list[x509.Certificate], moment: datetime,
    revocation=None,
) -> SignatureEvidence:
    name = str(sig.field_name or "?")  # a plain str: pyHanko's string object drags its whole reader
    basis = "date de réception"
    try:
        status = _validate(sig, _context(trust_roots, moment, revocation))
        stamped = _trusted_timestamp(status)
        if stamped is not None and stamped < moment:  # the earliest proof that the signature existed
            moment, basis = stamped, "horodatage"
            status = _validate(sig, _context(trust_roots, moment, revocation))
    except Exception as exc:  # noqa: BLE001 - last resort on untrusted bytes, becomes a finding
        return SignatureEvidence(field=name, role=role_of(name), signed=True,
                                 problem=f"signature impossible à vérifier ({type(exc).__name__})")
    problem, doubt = verdict(status, moment, basis, lambda: _chain_top_is_root(sig))
    return SignatureEvidence(
        field=name, role=role_of(name), signed=True, problem=problem, doubt=doubt,
        trusted=bool(status.trusted), signer=_signer(status), signed_at=_signed_at(status),
        judged_at=moment, judged_by=basis,
    )


def _trusted_timestamp(status) -> datetime | None:
    """The time of the signature's timestamp token, when the token itself is valid and trusted."""
    stamp = getattr(status, "timestamp_validity", None)
    if stamp is None or not (stamp.intact and stamp.valid and stamp.trusted):
        return None
    return stamp.timestamp


def judge(status) -> str | None:
    """Why a pyHanko status is not acceptable (an error), in French, or None (kept for callers
    that only need the errors; `verdict` gives the warning causes too)."""
    return verdict(status, None, "date de réception", lambda: True)[0]


REVOKED = (AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE)
OUT_OF_BOUNDS = (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
                 AdESIndeterminate.EXPIRED, AdESIndeterminate.NOT_YET_VALID, AdESFailure.NOT_YET_VALID)
REFUSED_DIGESTS = ("md5", "sha1")


def verdict(
    status, moment: datetime | None, basis: str, chain_has_root: Callable[[], bool],
) -> tuple[str | None, str | None]:
    """(error cause, warning cause) of one pyHanko status, each in French or None.

    Order: integrity of the bytes, then the signature's cryptography and algorithm, then the
    document's coverage and later changes, then the certificate at the moment of validation
    (expired, revoked, key usage, chain), then trust."""
    if not status.intact:
        return "empreinte incorrecte : contenu modifié après signature", None
    if not status.valid:
        return "signature cryptographique invalide", None
    indication = getattr(status, "trust_problem_indic", None)
    digest = str(getattr(status, "md_algorithm", "") or "").lower().replace("-", "")
    if indication in REFUSED_ALGORITHMS or digest in REFUSED_DIGESTS:
        shown = f" ({digest.upper().replace('SHA1', 'SHA-1')})" if digest in REFUSED_DIGESTS else ""
        return f"algorithme de signature refusé{shown} : empreinte trop faible", None
    if status.coverage not in FULL_COVERAGE:
        return "la signature ne couvre pas tout le document", None
    level = getattr(status, "modification_level", ModificationLevel.NONE)
    if level is not None and level not in ACCEPTED_CHANGES:
        return "document modifié après signature (au-delà du remplissage et des signatures)", None
    if getattr(status, "docmdp_ok", True) is False:
        return "modifications interdites par le signataire", None
    return _certificate_verdict(status, indication, moment, basis, chain_has_root)


def _certificate_verdict(status, indication, moment, basis, chain_has_root) -> tuple[str | None, str | None]:
    cert = getattr(status, "signing_cert", None)
    when = f" ({basis} du {moment.date().isoformat()})" if moment is not None else ""
    if indication in OUT_OF_BOUNDS:
        return _out_of_bounds(status, cert, moment, when), None
    if indication in REVOKED:
        whose = "de l'autorité" if indication is AdESIndeterminate.REVOKED_CA_NO_POE else "du signataire"
        return f"certificat {whose} révoqué avant la date de validation{when}", None
    if indication is AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE:
        if cert is not None and not _allows_commitment(cert):
            return ("usage de clé non autorisé : le certificat ne permet pas la signature d'engagement "
                    "(non-répudiation absente)"), None
        return "usage du certificat non autorisé (contraintes de la chaîne de certification)", None
    if indication is AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE:
        if cert is not None and moment is not None and not _within(cert, moment):
            return _out_of_bounds(status, cert, moment, when), None  # pyHanko: NotYetValidError
        return f"chaîne de certification invalide (autorité expirée, révoquée ou mal formée){when}", None
    if indication is AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        if chain_has_root():
            return None, ("certificat non reconnu : autorité de certification hors de la liste de confiance")
        return None, ("certificat non reconnu : chaîne de certification incomplète (l'autorité émettrice "
                      "n'est ni dans la signature ni dans la liste de confiance)")
    if isinstance(indication, AdESFailure):
        return f"certificat refusé ({indication.name})", None
    if indication is not None:
        return None, f"certificat non reconnu : vérification impossible ({indication.name})"
    if not status.trusted:
        return None, "certificat non reconnu : autorité de certification hors de la liste de confiance"
    return None, None


def _out_of_bounds(status, cert, moment, when) -> str:
    if cert is None or moment is None:
        return f"certificat hors de sa période de validité{when}"
    validity = cert["tbs_certificate"]["validity"]
    first, last = validity["not_before"].native, validity["not_after"].native
    if moment < first:
        return f"certificat pas encore valide : valable à partir du {first.date().isoformat()}{when}"
    signed = getattr(status, "signer_reported_dt", None)
    if signed is not None and signed > last:
        return (f"certificat expiré le {last.date().isoformat()}, avant la signature du "
                f"{signed.date().isoformat()}")
    return f"certificat expiré le {last.date().isoformat()}, avant la date de validation{when}"


def _within(cert: x509.Certificate, moment: datetime) -> bool:
    validity = cert["tbs_certificate"]["validity"]
    return validity["not_before"].native <= moment <= validity["not_after"].native


def _allows_commitment(cert: x509.Certificate) -> bool:
    usage = cert.key_usage_value
    return usage is None or "non_repudiation" in usage.native


def _chain_top_is_root(sig: EmbeddedPdfSignature) -> bool:
    """Whether the certificates the signature carries lead from the signer to a self-signed
    authority (then that authority is simply not trusted) or stop short (an incomplete chain).
    Names are compared as encoded bytes: cheap, and enough for certificates from one issuer."""
    try:
        pool = {c.chosen.subject.dump(): c.chosen for c in sig.signed_data["certificates"] or ()
                if c.name == "certificate"}
        current = sig.signer_cert
        for _ in range(len(pool) + 1):
            issuer = current.issuer.dump()
            if issuer == current.subject.dump():
                return True
            if issuer not in pool:
                return False
            current = pool[issuer]
    except Exception:  # noqa: BLE001 - a malformed certificate list: say "not trusted"
        return True
    return True


def _signer(status) -> str | None:
    """The common name of the signer's certificate (compared with the register's expected signer,
    never printed), else its whole subject."""
    cert = getattr(status, "signing_cert", None)
    if cert is None:
        return None
    name = cert.subject.native.get("common_name")
    return str(name) if isinstance(name, str) else cert.subject.human_friendly


def _signed_at(status) -> datetime | None:
    return getattr(status, "signer_reported_dt", None) or getattr(status, "timestamp", None)


def reception_moment(day) -> datetime:
    """The end of a day of receipt (UTC): the moment a received file is known to have existed."""
    from datetime import time as clock_time

    return datetime.combine(day, clock_time(23, 59, 59), tzinfo=UTC)
