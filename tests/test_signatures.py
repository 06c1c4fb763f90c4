"""Signature evidence from real PDFs signed here with pyHanko and a throw-away certificate."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.checker.examples import pdf
from engine.checker.examples.pki import make_kit
from engine.rules import FileStatus, Role
from engine.signatures import Unreadable, judge, pdf_evidence, role_of

MOMENT = datetime(2026, 11, 22, 23, 59, tzinfo=UTC)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"


@pytest.fixture(scope="module")
def kit():
    return make_kit({"menage": "Mme Témoin", "instructeur": "Instructrice", "association": "Association"})


@pytest.fixture(scope="module")
def signed_cet(kit) -> bytes:
    data = pdf.document(["Contrat d'engagement tripartite", "Mesure : M-00001"])
    for role in ("menage", "instructeur", "association"):
        data = pdf.signed(data, f"sig_{role}", kit.signers[role])
    return data


def _by_field(evidence):
    return {s.field: s for s in evidence.signatures}


def test_role_of_field_name() -> None:
    assert role_of("sig_menage") is Role.MENAGE and role_of("SIG_Bailleur") is Role.BAILLEUR
    assert role_of("Signature1") is None and role_of("sig_maire") is None


def test_intact_trusted_signatures_cover_every_role(kit, signed_cet) -> None:
    evidence = pdf_evidence(signed_cet, (kit.ca_der,), MOMENT)
    fields = _by_field(evidence)
    assert evidence.status is FileStatus.READ
    assert set(fields) == {"sig_menage", "sig_instructeur", "sig_association"}
    for field in fields.values():
        assert field.signed and field.problem is None and field.trusted
    assert fields["sig_menage"].role is Role.MENAGE and "Témoin" in fields["sig_menage"].signer


def test_unknown_authority_is_intact_but_untrusted(signed_cet) -> None:
    evidence = pdf_evidence(signed_cet, (), MOMENT)
    assert all(s.problem is None and not s.trusted for s in evidence.signatures)


def test_other_authority_is_not_trusted(signed_cet) -> None:
    other = make_kit({"menage": "X"})
    evidence = pdf_evidence(signed_cet, (other.ca_der,), MOMENT)
    assert all(not s.trusted for s in evidence.signatures)


def test_content_changed_after_signing_is_detected(kit, signed_cet) -> None:
    tampered = pdf.modified_after_signing(signed_cet, "Texte remplacé")
    evidence = pdf_evidence(tampered, (kit.ca_der,), MOMENT)
    assert all("modifié après signature" in s.problem for s in evidence.signatures)


def test_signed_byte_changed_breaks_integrity(kit, signed_cet) -> None:
    evidence = pdf_evidence(pdf.flipped(signed_cet), (kit.ca_der,), MOMENT)
    assert all(s.problem.startswith("empreinte incorrecte") for s in evidence.signatures)


def test_later_signatures_are_accepted_changes(kit) -> None:
    """Signing one after another adds revisions: form filling, not tampering."""
    data = pdf.document(["Avenant"])
    data = pdf.signed(data, "sig_departement", kit.signers["association"])
    data = pdf.signed(data, "sig_association", kit.signers["association"])
    assert all(s.problem is None for s in pdf_evidence(data, (kit.ca_der,), MOMENT).signatures)


def test_empty_signature_field_is_seen_unsigned(kit) -> None:
    data = pdf.with_empty_fields(pdf.document(["CET"]), ["sig_instructeur"])
    [field] = pdf_evidence(data, (kit.ca_der,), MOMENT).signatures
    assert field.role is Role.INSTRUCTEUR and not field.signed
    data = pdf.signed(data, "sig_menage", kit.signers["menage"])
    fields = _by_field(pdf_evidence(data, (kit.ca_der,), MOMENT))
    assert fields["sig_menage"].signed and not fields["sig_instructeur"].signed


def test_plain_pdf_has_no_signature() -> None:
    evidence = pdf_evidence(pdf.document(["Tableau d'occupation"]), (), MOMENT)
    assert evidence.status is FileStatus.READ and evidence.signatures == ()


def test_signature_judged_at_as_of_not_today(kit, signed_cet) -> None:
    """The throw-away certificates run from 2024 to 2031: a check as of 2040 finds them expired."""
    evidence = pdf_evidence(signed_cet, (kit.ca_der,), datetime(2040, 1, 1, tzinfo=UTC))
    assert all(not s.trusted for s in evidence.signatures)


def test_judge_refuses_partial_coverage() -> None:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    class Status:
        intact, valid, trust_problem_indic = True, True, None
        coverage = SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START

    assert judge(Status()) == "la signature ne couvre pas tout le document"


def test_encrypted_pdf_is_unreadable() -> None:
    path = CORPUS / "pypdf" / "r6-both-passwords.pdf"
    if not path.exists():
        pytest.skip("corpus PDF absent")
    with pytest.raises(Unreadable):
        pdf_evidence(path.read_bytes(), (), MOMENT)


@pytest.mark.parametrize("name", sorted(p.name for p in (CORPUS / "pyhanko").glob("*.pdf")
                                        if "sneaky" in p.name or "coverage-anomalies" in p.name)
                         if (CORPUS / "pyhanko").exists() else [])
def test_corpus_sneaky_and_coverage_anomalies_are_never_valid(name: str) -> None:
    evidence = pdf_evidence((CORPUS / "pyhanko" / name).read_bytes(), (), MOMENT)
    assert any(s.signed and s.problem for s in evidence.signatures), name


def test_evidence_is_plain_data_small_to_send_between_processes(kit, signed_cet) -> None:
    import pickle

    evidence = pdf_evidence(signed_cet, (kit.ca_der,), MOMENT)
    assert all(type(s.field) is str and type(s.signer) is str for s in evidence.signatures)
    assert len(pickle.dumps(evidence)) < 3000
