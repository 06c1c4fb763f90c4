"""Signature cases made at test time: certificates from `cryptography`, signatures from pyHanko,
checked through `fsl check`'s engine. Each case gives the expected severity and cause; then the
files of a second signer (endesive, ../shared/corpus/foreign-signed) give theirs.

Certificates carry fixed validity windows and the register fixed dates of receipt, so nothing
here depends on the day the tests run.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from engine.checker.examples import pdf
from engine.checker.report import result_json
from engine.checker.ruleset import load_ruleset
from engine.checker.run import run_check
from engine.cli import main
from engine.signatures import pdf_evidence, reception_moment

AS_OF = date(2026, 11, 22)
RECEIVED = date(2026, 10, 5)
SIGNED = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)
FOREIGN = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "foreign-signed"
CANARY = "Zéphyrine Quastana-Boulbès"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Issued:
    cert: x509.Certificate
    key: object  # an EC key, or RSA for the time-stamping authority

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def issue(subject: str, issuer: Issued | None, *, ca: bool = False, first: date = date(2020, 1, 1),
          last: date = date(2099, 12, 31), commitment: bool = True, timestamping: bool = False,
          crl_url: str | None = None) -> Issued:
    # pyHanko's test time-stamper signs with RSA only
    key = rsa.generate_private_key(65537, 2048) if timestamping else ec.generate_private_key(ec.SECP256R1())
    usage = x509.KeyUsage(digital_signature=not ca, content_commitment=commitment and not ca,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)
    builder = (x509.CertificateBuilder().subject_name(_name(subject))
               .issuer_name(issuer.cert.subject if issuer else _name(subject))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(datetime.combine(first, datetime.min.time(), UTC))
               .not_valid_after(datetime.combine(last, datetime.min.time(), UTC))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(usage, critical=True))
    if timestamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                                        critical=True)
    if crl_url:  # a certificate declaring where its revocation list is: revocation is then checked
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Issued(cert, key)


def signer_of(holder: Issued, *chain: Issued) -> signers.SimpleSigner:
    der_key = holder.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    return signers.SimpleSigner(signing_cert=holder.asn1, signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
                                cert_registry=SimpleCertificateStore.from_certs([c.asn1 for c in chain]))


class _FixedTimeSigner(signers.PdfSigner):
    """pyHanko's signer with its clock set to a fixed moment (the signing-time attribute)."""

    def __init__(self, *args, moment: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.moment = moment

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self.moment
        return session


def sign(data: bytes, field: str, signer, *, digest: str = "sha256", pades: bool = False,
         timestamper=None, moment: datetime = SIGNED) -> bytes:
    """Sign `field`; `pades` leaves out the CMS signing-time attribute (PAdES forbids it)."""
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm=digest,
        subfilter=SigSeedSubFilter.PADES if pades else SigSeedSubFilter.ADOBE_PKCS7_DETACHED)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    out = _FixedTimeSigner(meta, signer=signer, timestamper=timestamper, moment=moment).sign_pdf(writer)
    return out.getvalue()


def with_revocation(data: bytes, authority: Issued, revoked: Issued, on: datetime) -> bytes:
    """Add to the file's DSS a CRL of `authority` listing `revoked` since `on`."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    entry = (x509.RevokedCertificateBuilder().serial_number(revoked.cert.serial_number)
             .revocation_date(on).build())
    crl = (x509.CertificateRevocationListBuilder().issuer_name(authority.cert.subject)
           .last_update(on).next_update(on + timedelta(days=3650)).add_revoked_certificate(entry)
           .sign(authority.key, hashes.SHA256()))
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    DocumentSecurityStore.supply_dss_in_writer(
        writer, None, certs=[authority.asn1], crls=[asn1_crl.CertificateList.load(
            crl.public_bytes(serialization.Encoding.DER))])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Case:
    name: str
    data: bytes | None
    severity: str | None  # expected severity of the signature finding, None: no finding
    cause: str | None  # words the message carries
    received: date = RECEIVED
    declared: str = "menage"


@pytest.fixture(scope="module")
def pki():
    root = issue("AC de confiance (test)", None, ca=True)
    other = issue("AC inconnue (test)", None, ca=True)
    middle = issue("AC intermédiaire (test)", root, ca=True)
    return {
        "root": root, "other": other, "middle": middle,
        "valid": issue("Jeanne Témoin", root),
        "expired": issue("Expiré en 2021", root, last=date(2021, 1, 1)),
        "until_june": issue("Expire fin juin 2026", root, last=date(2026, 6, 30)),
        "untrusted": issue("Signataire d'une autre AC", other),
        "no_commitment": issue("Sans non-répudiation", root, commitment=False),
        "behind_middle": issue("Signataire sous intermédiaire", middle),
        "revoked": issue("Révoqué", root, crl_url="http://crl.invalid/ac.crl"),
        "tsa": issue("Horodatage (test)", root, timestamping=True),
        "association": issue("Direction de l'association", root),
        "future": issue("Valable à partir de 2027", root, first=date(2027, 1, 1)),
    }


def _page() -> bytes:
    return pdf.document(["Bilan intermédiaire", "Mesure : M-TEST", f"Ménage : {CANARY}"])


@pytest.fixture(scope="module")
def cases(pki) -> list[Case]:
    root = pki["root"]

    def signed_by(holder: str, *chain: Issued, **options) -> bytes:
        return sign(_page(), "sig_menage", signer_of(pki[holder], *(chain or (root,))), **options)

    valid = signed_by("valid")
    two = sign(valid, "sig_association", signer_of(pki["association"], root))
    between = sign(pdf.modified_after_signing(valid, "Texte ajouté entre deux signatures"),
                   "sig_association", signer_of(pki["association"], root))
    stamper = DummyTimeStamper(tsa_cert=pki["tsa"].asn1, tsa_key=asn1_keys.PrivateKeyInfo.load(
        pki["tsa"].key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())),
        certs_to_embed=SimpleCertificateStore.from_certs([root.asn1]),
        fixed_dt=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    march = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return [
        Case("C01-valide", valid, None, None),
        Case("C02-expire-avec-heure", signed_by("expired"), "error", "certificat expiré le 2021-01-01"),
        Case("C03-expire-sans-heure", signed_by("expired", pades=True), "error",
             "certificat expiré le 2021-01-01"),
        Case("C04-valide-a-reception-expire-au-controle", signed_by("until_june", moment=march), None, None,
             received=date(2026, 3, 10)),
        Case("C05-autorite-inconnue", signed_by("untrusted", pki["other"]), "warning",
             "autorité de certification hors de la liste de confiance"),
        Case("C06-usage-de-cle", signed_by("no_commitment"), "error", "usage de clé non autorisé"),
        Case("C07-modification-incrementale", pdf.modified_after_signing(valid, "Texte remplacé"), "error",
             "modifié après signature"),
        Case("C08-octet-modifie", pdf.flipped(valid), "error", "empreinte incorrecte"),
        Case("C09-deux-signatures", two, None, None),
        Case("C10-modification-entre-deux-signatures", between, "error", "« sig_menage » : document modifié"),
        Case("C11-sha1", signed_by("valid", digest="sha1"), "error",
             "algorithme de signature refusé (SHA-1)"),
        Case("C12-non-signe", _page(), None, None),
        Case("C13-non-signe-non-declare", _page(), "error", "signature du ménage absente (déclaré)",
             declared=""),
        Case("C14-chaine-incomplete", signed_by("behind_middle", pki["other"]), "warning",
             "chaîne de certification incomplète"),
        Case("C15-horodate-avant-expiration", signed_by("until_june", timestamper=stamper, moment=march),
             None, None, received=date(2026, 9, 1)),
        Case("C16-expire-a-reception-sans-horodatage", signed_by("until_june", moment=march), "error",
             "certificat expiré le 2026-06-30", received=date(2026, 9, 1)),
        Case("C17-revoque", with_revocation(signed_by("revoked"), root, pki["revoked"],
                                            datetime(2026, 9, 1, tzinfo=UTC)), "error", "révoqué"),
        Case("C18-signataire-attendu", valid, "warning", "certificat d'une autre personne",
             declared="menage:Paul Autre"),
        Case("C19-signataire-attendu-conforme", valid, None, None, declared="menage:TÉMOIN Jeanne"),
        Case("C20-pas-encore-valable", signed_by("future"), "error",
             "certificat pas encore valide : valable à partir du 2027-01-01"),
    ]


def write_folder(folder: Path, cases: list[Case]) -> None:
    (folder / "fichiers").mkdir(parents=True)
    measures = [["mesure_id", "association", "dispositif", "type", "territoire", "date_decision",
                 "date_debut", "duree_mois", "renouvellement_de", "date_audience", "motif"]]
    documents = [["document_id", "mesure_id", "association", "type_document", "periode", "date_reception",
                  "fichier", "signataires_declares"]]
    for index, case in enumerate(cases, start=1):
        measures.append([f"M-{index:02d}", "acarlogi", "ASLL", "ASL", "", "2025-12-15", "2026-01-01", "12",
                         "", "", ""])
        documents.append([case.name, f"M-{index:02d}", "acarlogi", "bilan_intermediaire", "",
                          case.received.isoformat(), f"{case.name}.pdf", case.declared])
        (folder / "fichiers" / f"{case.name}.pdf").write_bytes(case.data)
    for name, rows in (("mesures.csv", measures), ("documents.csv", documents)):
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)


def signature_findings(report: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for f in report["findings"]:
        if f["document_id"] and f["rule"] == "ASLL-BILAN-INTER":
            found.setdefault(f["document_id"], []).append(f)
    return found


@pytest.fixture(scope="module")
def checked(tmp_path_factory, cases, pki) -> dict[str, list[dict]]:
    folder = tmp_path_factory.mktemp("signatures") / "soumissions"
    write_folder(folder, cases)
    report = result_json(run_check(folder, AS_OF, load_ruleset(), trust_roots=(pki["root"].der,)))
    return signature_findings(report)


def test_at_least_twelve_cases(cases) -> None:
    assert len(cases) >= 12


@pytest.mark.parametrize("index", range(20))
def test_each_case_gives_its_severity_and_cause(cases, checked, index: int) -> None:
    case = cases[index]
    found = checked.get(case.name, [])
    if case.severity is None:
        assert found == [], (case.name, found)
        return
    assert len(found) == 1, (case.name, found)
    assert found[0]["severity"] == case.severity and case.cause in found[0]["message"], (case.name, found)
    assert "non reconnu" not in found[0]["message"] or case.severity == "warning"


def test_second_signature_stays_valid_when_text_changed_between(checked) -> None:
    [finding] = checked["C10-modification-entre-deux-signatures"]
    assert "sig_association" not in finding["message"]


def test_timestamp_is_the_moment_of_validation(cases, pki) -> None:
    case = next(c for c in cases if c.name.startswith("C15"))
    [seen] = pdf_evidence(case.data, (pki["root"].der,), reception_moment(case.received)).signatures
    assert seen.judged_by == "horodatage" and seen.judged_at.date() == date(2026, 3, 2)
    assert seen.problem is None and seen.doubt is None


def test_receipt_is_the_moment_without_timestamp_never_the_as_of(cases, pki, tmp_path: Path) -> None:
    """The same file, checked as of 2026-04-01 or 2030-01-01: judged at its receipt both times."""
    case = next(c for c in cases if c.name.startswith("C04"))
    write_folder(tmp_path / "s", [case])
    for as_of in (date(2026, 4, 1), date(2030, 1, 1)):
        report = result_json(run_check(tmp_path / "s", as_of, load_ruleset(), trust_roots=(pki["root"].der,)))
        assert signature_findings(report) == {}, as_of


def test_no_name_from_register_or_certificate_in_findings(checked) -> None:
    text = repr(checked)
    for name in ("Paul Autre", "Jeanne", "Témoin", CANARY, "Quastana"):
        assert name not in text


def test_unknown_role_in_signataires_declares_does_not_echo_the_name(tmp_path: Path, cases) -> None:
    from engine.checker.registry import load_submission
    from engine.errors import InputErrors

    write_folder(tmp_path / "s", [Case("X", cases[0].data, None, None, declared=f"voisin:{CANARY}")])
    with pytest.raises(InputErrors) as caught:
        load_submission(tmp_path / "s")
    assert "voisin" in str(caught.value) and CANARY not in str(caught.value)


# --- A second signer's files (endesive) --------------------------------------------------------

FOREIGN_EXPECTED = {
    "C01_valid.pdf": (None, None),
    "C02_expired_no_signing_time.pdf": ("error", "certificat expiré le 2025-01-01"),
    "C03_expired_signed_signing_time.pdf": ("error", "certificat expiré le 2025-01-01"),
    "C04_incremental_text_added.pdf": ("error", "modifié après signature"),
    "C05_byte_patch_signed_range.pdf": ("error", "empreinte incorrecte"),
    "C06_untrusted_ca.pdf": ("warning", "autorité de certification hors de la liste de confiance"),
    "C07_two_valid.pdf": (None, None),
    "C08_two_text_between.pdf": ("error", "« sig_menage » : document modifié après signature"),
    "C09_two_patch_rev1.pdf": ("error", "« sig_menage » : empreinte incorrecte : contenu modifié après "
                                        "signature ; « sig_association » : empreinte incorrecte"),
    "C10_sha1.pdf": ("error", "algorithme de signature refusé (SHA-1)"),
    "C11_digsig_only_ku.pdf": ("error", "usage de clé non autorisé"),
    "C12_unsigned.pdf": (None, None),  # declared `menage` in the register: the declaration applies
    "C13_valid_at_signing_expired_at_check.pdf": (None, None),
}


@pytest.fixture(scope="module")
def foreign(tmp_path_factory) -> dict[str, list[dict]]:
    if not (FOREIGN / "sub" / "documents.csv").exists():
        pytest.skip(f"corpus de signatures endesive absent ({FOREIGN}) : ../shared n'est pas monté")
    folder = tmp_path_factory.mktemp("endesive") / "sub"
    shutil.copytree(FOREIGN / "sub", folder)  # received files are never checked in place
    out = io.StringIO()
    import contextlib
    import json

    with contextlib.redirect_stdout(out):
        status = main(["check", str(folder), "--as-of", "2026-11-30", "--json",
                       "--confiance", str(FOREIGN / "ca-trusted.pem")])
    assert status == 1
    report = json.loads(out.getvalue())
    files = {row["document_id"]: row["fichier"] for row in csv.DictReader(
        (folder / "documents.csv").open(encoding="utf-8"), delimiter=";")}
    return {files[k]: v for k, v in signature_findings(report).items()}


@pytest.mark.parametrize("name", sorted(FOREIGN_EXPECTED))
def test_endesive_files_give_the_readme_verdict(foreign, name: str) -> None:
    severity, cause = FOREIGN_EXPECTED[name]
    found = foreign.get(name, [])
    if severity is None:
        assert found == [], found
        return
    assert [f["severity"] for f in found] == [severity], found
    assert cause in found[0]["message"], found
    assert "non reconnu" not in found[0]["message"] or severity == "warning"


def test_endesive_expired_signer_is_never_called_untrusted(foreign) -> None:
    for name in ("C02_expired_no_signing_time.pdf", "C03_expired_signed_signing_time.pdf",
                 "C11_digsig_only_ku.pdf"):
        assert all("non reconnu" not in f["message"] for f in foreign[name])


def test_endesive_valid_at_receipt_whatever_the_check_date(tmp_path: Path) -> None:
    if not FOREIGN.exists():
        pytest.skip(f"corpus de signatures endesive absent ({FOREIGN})")
    from engine.checker.ruleset import load_certificate

    shutil.copytree(FOREIGN / "sub", tmp_path / "sub")
    trusted = (load_certificate(FOREIGN / "ca-trusted.pem"),)
    for as_of in (date(2026, 11, 30), date(2031, 1, 1)):
        report = result_json(run_check(tmp_path / "sub", as_of, load_ruleset(), trust_roots=trusted))
        assert "D-ORA-12" not in signature_findings(report), as_of


def _after_signing(data: bytes, how: str) -> bytes:
    """An incremental update appended to the signed `data` that hides its signatures: `strip`
    empties /AcroForm /Fields, `empty` removes each signature field's value, `rename` renames
    each signature field."""
    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    form = writer.root["/AcroForm"]
    if how == "strip":
        form["/Fields"] = generic.ArrayObject()
        writer.update_container(form)
    else:
        for ref in form["/Fields"]:
            field = ref.get_object()
            if how == "empty":
                del field["/V"]
            else:
                field["/T"] = generic.TextStringObject(f"x_{field['/T']}")
            writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("how", ["strip", "empty", "rename"])
def test_signed_field_hidden_after_signing_is_a_modification_per_party(pki, tmp_path: Path, how: str) -> None:
    root = pki["root"]
    valid = sign(_page(), "sig_menage", signer_of(pki["valid"], root))
    two = sign(valid, "sig_association", signer_of(pki["association"], root))
    evidence = pdf_evidence(_after_signing(two, how), (root.der,), reception_moment(RECEIVED))
    hidden = {s.field: s.problem for s in evidence.signatures if s.problem and s.signed}
    assert set(hidden) >= {"sig_menage", "sig_association"}, evidence
    assert all("modifié après signature" in p for p in hidden.values()), hidden
    folder = tmp_path / "soumissions"
    write_folder(folder, [Case("C90-masquee", _after_signing(two, how), "error", None,
                               declared="menage|association")])
    report = result_json(run_check(folder, AS_OF, load_ruleset(), trust_roots=(root.der,)))
    found = signature_findings(report).get("C90-masquee", [])
    errors = [f for f in found if f["severity"] == "error" and "modifié après signature" in f["message"]]
    assert errors, found
    assert all(any(f"« {field} »" in f["message"] for f in errors)
               for field in ("sig_menage", "sig_association"))
