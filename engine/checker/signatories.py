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
    untrusted = [s for s in evidence.signatures if s.signed and s.problem is None and not s.trusted]
    if untrusted:
        names = ", ".join(f"« {s.field} »" for s in untrusted)
        plural = "s" if len(untrusted) > 1 else ""
        found.append(_finding(
            rule, doc, f"{label} : signature{plural} {names} intacte{plural}, mais certificat non reconnu "
            "(autorité de certification hors de la liste de confiance)",
            Evidence.SIGNATURE, Severity.WARNING))
    return found


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
