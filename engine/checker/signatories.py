"""Required signatures of a received document, judged from the file where it carries them.

A PDF signature field named `sig_<role>` is the evidence for that role (its pyHanko verdict
decides); a role without such a field falls back on the register's `signataires_declares`, and the
finding says « déclaré » (INTERFACES.md, "Signatures are taken from the file where it carries
them"). Any broken or partial signature in a file is an error, whoever it belongs to.
"""

from __future__ import annotations

from engine.checker.context import DOCUMENT_LABELS, Context, finding
from engine.rules import (
    DocumentRecord,
    Evidence,
    FileEvidence,
    FileStatus,
    Finding,
    Role,
    Rule,
    Severity,
    SignatureEvidence,
)

ROLE_LABELS = {
    Role.MENAGE: "du ménage", Role.INSTRUCTEUR: "de l'instructeur", Role.ASSOCIATION: "de l'association",
    Role.BAILLEUR: "du bailleur", Role.DEPARTEMENT: "du Département",
}


def signature_findings(rule: Rule, doc: DocumentRecord, ctx: Context) -> list[Finding]:
    """Missing, broken and untrusted signatures of `doc` against `rule.signatories`."""
    evidence = ctx.evidence.get(doc.document_id)
    readable = evidence if evidence is not None and evidence.status is FileStatus.READ else None
    found: list[Finding] = []
    missing_declared, missing_signed = _missing_roles(rule, doc, readable)
    label = DOCUMENT_LABELS[doc.type]
    for roles, kind in ((missing_declared, Evidence.DECLARED), (missing_signed, Evidence.SIGNATURE)):
        if roles:
            said = "déclaré" if kind is Evidence.DECLARED else "champ de signature vide"
            found.append(_finding(rule, doc, f"{label} : {_roles_text(roles)} ({said})", kind))
    if readable is not None:
        found.extend(_file_signature_findings(rule, doc, readable))
    return found


def _missing_roles(
    rule: Rule, doc: DocumentRecord, evidence: FileEvidence | None,
) -> tuple[list[Role], list[Role]]:
    """Roles lacking a signature: by the register (no field for them), and by an empty PDF field."""
    declared, signed = [], []
    for role in sorted(rule.signatories, key=lambda r: r.value):
        fields = evidence.fields_for(role) if evidence is not None else ()
        if not fields:
            if role not in doc.declared:
                declared.append(role)
        elif not any(f.signed for f in fields):
            signed.append(role)
    return declared, signed


def _file_signature_findings(rule: Rule, doc: DocumentRecord, evidence: FileEvidence) -> list[Finding]:
    label = DOCUMENT_LABELS[doc.type]
    broken = [s for s in evidence.signatures if s.signed and s.problem is not None]
    found = []
    if broken:
        text = " ; ".join(f"« {s.field} » : {s.problem}" for s in broken)
        found.append(_finding(rule, doc, f"{label} : signature invalide, {text}", Evidence.SIGNATURE))
    doubtful = [s for s in evidence.signatures if s.signed and s.problem is None
                and (s.doubt is not None or not s.trusted)]
    if doubtful:
        found.append(_finding(rule, doc, f"{label} : {_doubts_text(doubtful)}", Evidence.SIGNATURE,
                              Severity.WARNING))
    found.extend(_signer_findings(rule, doc, evidence))
    return found


def _doubts_text(doubtful: list[SignatureEvidence]) -> str:
    """« signature « sig_menage » intacte, mais certificat non reconnu : <cause> », grouped by cause."""
    by_cause: dict[str, list[str]] = {}
    for s in doubtful:
        cause = s.doubt or "certificat non reconnu : autorité de certification hors de la liste de confiance"
        by_cause.setdefault(cause, []).append(f"« {s.field} »")
    parts = []
    for cause, names in by_cause.items():
        plural = "s" if len(names) > 1 else ""
        parts.append(f"signature{plural} {', '.join(names)} intacte{plural}, mais {cause}")
    return " ; ".join(parts)


def _signer_findings(rule: Rule, doc: DocumentRecord, evidence: FileEvidence) -> list[Finding]:
    """The register names whom a role's certificate should name (`role:Nom Prénom`): a certificate
    naming someone else is a warning naming the role only, never either person."""
    found = []
    for role, expected in doc.expected_signers:
        signers = [s.signer for s in evidence.fields_for(role) if s.signed and s.problem is None and s.signer]
        if signers and not any(same_person(expected, signer) for signer in signers):
            found.append(_finding(
                rule, doc, f"{DOCUMENT_LABELS[doc.type]} : signature {ROLE_LABELS[role]} faite avec le "
                "certificat d'une autre personne que le signataire attendu (registre, signataires_declares)",
                Evidence.SIGNATURE, Severity.WARNING))
    return found


def same_person(expected: str, subject: str) -> bool:
    """Same words once accents, case, civility and order are set aside (« Dupont Jean » = « Jean DUPONT »)."""
    return _words(expected) == _words(subject) and bool(_words(expected))


_CIVILITIES = {"m", "mme", "mlle", "monsieur", "madame", "mr", "mrs"}


def _words(text: str) -> frozenset[str]:
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return frozenset(w for w in re.split(r"[^a-z0-9]+", plain) if w and w not in _CIVILITIES)


def _roles_text(roles: list[Role]) -> str:
    names = [ROLE_LABELS[r] for r in roles]
    if len(names) == 1:
        return f"signature {names[0]} absente"
    return f"signatures {', '.join(names[:-1])} et {names[-1]} absentes"


def _finding(rule: Rule, doc: DocumentRecord, message: str, evidence: Evidence,
             severity: Severity | None = None) -> Finding:
    return finding(rule, doc.association, message, evidence=evidence, mesure_id=doc.mesure_id,
                   document_id=doc.document_id, received=doc.received, severity=severity)


def broken_signatures(evidence: FileEvidence) -> tuple[SignatureEvidence, ...]:
    return tuple(s for s in evidence.signatures if s.signed and s.problem is not None)
